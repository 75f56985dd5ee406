import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "langgraph", include: ["test/**/*.test.ts"] } });
