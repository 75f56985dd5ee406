import { fileURLToPath } from "node:url";

const src = (path: string) => `${fileURLToPath(new URL("./packages/", import.meta.url))}${path}`;

/**
 * Tests run from source: every workspace package resolves to its `src`, never to a `dist` that may be stale or
 * missing (no build before vitest). The built output is checked on its own by the packaging tests
 * (`vitest.packaging.config.ts`, run after `pnpm build`). Keep in step with `paths` in tsconfig.base.json.
 */
export const sourceAliases = [
  { find: /^@pandaprobe\/core\/integration$/, replacement: src("core/src/integration/index.ts") },
  { find: /^@pandaprobe\/testing\/vitest$/, replacement: src("testing/src/vitest.ts") },
  // `@pandaprobe/<name>` is packages/<name>/src/index.ts, for every package (a new one included).
  { find: /^@pandaprobe\/([a-z0-9-]+)$/, replacement: src("$1/src/index.ts") },
];
