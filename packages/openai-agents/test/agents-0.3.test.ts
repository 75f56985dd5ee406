import * as agents from "agents-v0-3";
import { z } from "zod";
import { agentsSuites } from "./suites/index.js";

// The floor: the oldest release this package supports (Node 20; openai 6).
agentsSuites({ label: "@openai/agents 0.3.8", version: [0, 3], agents, z });
