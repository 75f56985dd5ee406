import { fileURLToPath } from "node:url";

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

/**
 * Tests run from source: every workspace package resolves to its `src`, never to a `dist` that may be stale or
 * missing (no build before vitest). The built output is checked on its own by the packaging tests
 * (`vitest.packaging.config.ts`, run after `pnpm build`). Keep in step with `paths` in tsconfig.base.json.
 */
export const sourceAliases = [
  { find: /^@pandaprobe\/core\/integration$/, replacement: src("core/src/integration/index.ts") },
  { find: /^@pandaprobe\/core$/, replacement: src("core/src/index.ts") },
  { find: /^@pandaprobe\/testing$/, replacement: src("testing/src/index.ts") },
  { find: /^@pandaprobe\/testing\/vitest$/, replacement: src("testing/src/vitest.ts") },
  { find: /^@pandaprobe\/openai$/, replacement: src("openai/src/index.ts") },
  { find: /^@pandaprobe\/langgraph$/, replacement: src("langgraph/src/index.ts") },
  { find: /^@pandaprobe\/vercel-ai$/, replacement: src("vercel-ai/src/index.ts") },
];
