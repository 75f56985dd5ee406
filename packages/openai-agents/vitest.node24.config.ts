import { defineProject } from "vitest/config";
import { sourceAliases } from "../../vitest.source.js";

// @openai/agents 0.15 and later depend on openai 7 (Node >= 22). Run from the repo root:
//   npx -y node@24 node_modules/vitest/vitest.mjs run --config packages/openai-agents/vitest.node24.config.ts
export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: "openai-agents-v0-20",
    root: import.meta.dirname,
    include: ["test/**/*.node24.test.ts"],
    testTimeout: 20_000,
  },
});
