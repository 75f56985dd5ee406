import { defineConfig } from "vitest/config";

// The built packages (`dist`), as users get them: run after `pnpm build` (the test command does). No source aliases.
// One project of its own, so the source workspace (vitest.workspace.ts) is not picked up.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "packaging",
          include: ["packages/*/test/packaging/**/*.test.ts"],
          setupFiles: ["packages/core/test/setup.ts"],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
