import { defineProject } from "vitest/config";
import { sourceAliases } from "../../vitest.source.js";

export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: "claude-agent-sdk",
    include: ["test/**/*.test.ts"],
    exclude: ["test/packaging/**"],
    // Every query spawns the SDK's bundled Claude Code CLI (about a second each on this machine).
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
