import { defineProject } from "vitest/config";
import { sourceAliases } from "../../vitest.source.js";

export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: "mistral",
    include: ["test/**/*.test.ts"],
    // The built output is checked by the packaging tests (run after `pnpm build`).
    exclude: ["test/**/*.node24.test.ts", "test/packaging/**"],
    testTimeout: 20_000,
    // `--expose-gc` lets the abandoned-stream test exercise the FinalizationRegistry safety net.
    pool: "forks",
    poolOptions: { forks: { execArgv: ["--expose-gc"] } },
  },
});
