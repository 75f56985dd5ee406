import { defineProject } from "vitest/config";

// The examples, run through their runner in child processes (they resolve the workspace packages to source through
// examples/tsconfig.json, as `pnpm example` does).
export default defineProject({ test: { name: "examples", include: ["*.test.ts"] } });
