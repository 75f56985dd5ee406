import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The built packages (`dist`), as users get them: run after `pnpm build` (the test command does). Only the private
// test support resolves to source; the published packages resolve to their builds. One project of its own, so the
// source projects (vitest.config.mts) are not picked up. test/packaging/pack.ts packs every published package first.
export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^@pandaprobe\/testing$/,
        replacement: fileURLToPath(new URL("./packages/testing/src/index.ts", import.meta.url)),
      },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "packaging",
          include: ["packages/*/test/packaging/**/*.test.ts", "test/packaging/**/*.test.ts"],
          setupFiles: ["packages/core/test/setup.ts"],
          globalSetup: ["test/packaging/pack.ts"],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
