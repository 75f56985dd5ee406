import * as agents from "@openai/agents";
import { z } from "zod";
import { agentsSuites } from "./suites/index.js";

// The newest release (openai 7: Node >= 22).
agentsSuites({ label: "@openai/agents 0.20.0", version: [0, 20], agents, z });
