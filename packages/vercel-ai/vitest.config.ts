import { defineProject } from "vitest/config";
import { sourceAliases } from "../../vitest.source.js";

// AI SDK 5 and 6 (Node 20). AI SDK 7 needs Node >= 22: see vitest.node24.config.ts.
export default defineProject({
  resolve: { alias: sourceAliases },
  test: { name: "vercel-ai", include: ["test/**/*.test.ts"], exclude: ["test/**/*.node24.test.ts"] },
});
