import { defineProject } from "vitest/config";
import { sourceAliases } from "../../vitest.source.js";

// AI SDK 7 (ESM-only, Node >= 22). Run from the repo root:
//   npx -y node@24 node_modules/vitest/vitest.mjs run --config packages/vercel-ai/vitest.node24.config.ts
export default defineProject({
  resolve: { alias: sourceAliases },
  test: { name: "vercel-ai-v7", root: import.meta.dirname, include: ["test/**/*.node24.test.ts"] },
});
