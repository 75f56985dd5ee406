import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";
import { sourceAliases } from "../../../../vitest.source.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const anchor = `${here}test/lc03.test.ts`;
const PEERS = /^(@langchain\/|zod$|zod\/)/;

/**
 * The shared suite and the handler source live in packages/langgraph, whose node_modules hold the
 * 1.x line. Re-resolve their LangChain/zod imports from this package, so everything runs against
 * @langchain/core 0.3 + @langchain/langgraph 0.4, as in an app that has only those installed.
 */
export default defineProject({
  resolve: { alias: sourceAliases },
  plugins: [
    {
      name: "lc03-peer-resolution",
      enforce: "pre",
      async resolveId(id, importer, options) {
        if (!PEERS.test(id) || !importer || importer.startsWith(here)) return null;
        return this.resolve(id, anchor, { ...options, skipSelf: true });
      },
    },
  ],
  test: { name: "langgraph-lc03", include: ["test/**/*.test.ts"], testTimeout: 20_000 },
});
