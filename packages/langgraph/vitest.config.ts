import { defineProject } from "vitest/config";
import { sourceAliases } from "../../vitest.source.js";

export default defineProject({
  resolve: { alias: sourceAliases },
  test: { name: "langgraph", include: ["test/**/*.test.ts"], exclude: ["test/packaging/**"] },
});
