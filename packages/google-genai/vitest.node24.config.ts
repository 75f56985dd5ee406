import { defineProject } from "vitest/config";
import { sourceAliases } from "../../vitest.source.js";

// @google/genai 3 requires Node >= 22. Run from the repo root:
//   npx -y node@24 --expose-gc node_modules/vitest/vitest.mjs run --config packages/google-genai/vitest.node24.config.ts
export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: "google-genai-v3",
    root: import.meta.dirname,
    include: ["test/**/*.node24.test.ts"],
    testTimeout: 20_000,
    pool: "forks",
    poolOptions: { forks: { execArgv: ["--expose-gc"] } },
  },
});
