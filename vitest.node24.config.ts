import { defineConfig } from "vitest/config";

// Tests that need Node >= 22 (openai 7, ai 7, newest and floor): run with `npx -y node@24` by `pnpm test` (see
// package.json "test:node24").
export default defineConfig({ test: { projects: ["packages/*/vitest.node24.config.ts"] } });
