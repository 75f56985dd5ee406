/** The suites against the oldest supported 0.3 release of `@anthropic-ai/claude-agent-sdk` (0.3.142). */
import { createSdkMcpServer, query, tool } from "claude-agent-sdk-v03-floor";
import { z } from "zod";
import { defineClaudeAgentSuite } from "./suites/index.js";

defineClaudeAgentSuite({ label: "0.3.142", query: query as any, createSdkMcpServer, tool, z });
