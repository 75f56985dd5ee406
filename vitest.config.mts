// .mts: loaded as ESM on every Node the test command uses (Node 20.16.0 cannot require() vitest's ESM config API).
import { defineConfig } from "vitest/config";

// Every package, compat package and the examples own a `vitest.config.ts` built with `defineProject`; all run from
// source (vitest.source.ts). Tests that need Node >= 22 live in `*.node24.test.ts` files: vitest.node24.config.ts.
export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "packages/*/compat/*/vitest.config.ts",
      "examples/runner/vitest.config.ts",
    ],
  },
});
