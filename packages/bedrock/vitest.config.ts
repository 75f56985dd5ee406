import { defineProject } from "vitest/config";
import { sourceAliases } from "../../vitest.source.js";

export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: "bedrock",
    include: ["test/**/*.test.ts"],
    exclude: ["test/packaging/**"], // the built package: vitest.packaging.config.ts, after the build
    testTimeout: 20_000,
    // `--expose-gc` lets the abandoned-stream test exercise the FinalizationRegistry safety net.
    pool: "forks",
    poolOptions: { forks: { execArgv: ["--expose-gc"] } },
  },
});
