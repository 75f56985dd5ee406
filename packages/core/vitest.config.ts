import { defineProject } from "vitest/config";
import { sourceAliases } from "../../vitest.source.js";

export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: "core",
    include: ["test/**/*.test.ts"],
    exclude: ["test/packaging/**"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 20_000,
  },
});
