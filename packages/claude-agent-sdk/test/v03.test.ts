/** The suites against the newest `@anthropic-ai/claude-agent-sdk` (0.3 line). */
import { createSdkMcpServer, query, tool } from "@anthropic-ai/claude-agent-sdk";
import { z } from "zod";
import { defineClaudeAgentSuite } from "./suites/index.js";

defineClaudeAgentSuite({ label: "0.3.337", query: query as any, createSdkMcpServer, tool, z });
