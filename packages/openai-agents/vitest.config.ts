import { defineProject } from "vitest/config";
import { sourceAliases } from "../../vitest.source.js";

// @openai/agents 0.3 (the floor) and 0.14 on Node 20; 0.15 and later need Node >= 22: see vitest.node24.config.ts.
export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: "openai-agents",
    include: ["test/**/*.test.ts"],
    exclude: ["test/**/*.node24.test.ts", "test/packaging/**"],
    testTimeout: 20_000,
  },
});
