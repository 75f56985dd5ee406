import * as agents from "agents-v0-14";
import { z } from "zod";
import { agentsSuites } from "./suites/index.js";

// The newest release on Node 20 (later ones depend on openai 7, which needs Node >= 22); task and turn spans.
agentsSuites({ label: "@openai/agents 0.14.3", version: [0, 14], agents, z });
