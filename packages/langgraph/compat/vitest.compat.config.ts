import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";
import { sourceAliases } from "../../../vitest.source.js";

/**
 * The project of every compat package (each compat package's vitest.config.ts calls this): the LangGraph handler's suite
 * against the LangChain releases installed in that package (`compat/<name>/package.json`). The suite and the
 * handler source live in packages/langgraph, whose node_modules hold the newest 1.x line: their framework imports
 * (`peers`) are re-resolved from the compat package, so everything runs against its versions, as in an app that
 * has only those installed.
 */
export function compatProject(configUrl: string, name: string, peers: RegExp) {
  const here = fileURLToPath(new URL(".", configUrl));
  const anchor = `${here}package.json`;
  return defineProject({
    resolve: { alias: sourceAliases },
    plugins: [
      {
        name: `${name}-peer-resolution`,
        enforce: "pre",
        async resolveId(id, importer, options) {
          if (!peers.test(id) || !importer || importer.startsWith(here)) return null;
          return this.resolve(id, anchor, { ...options, skipSelf: true });
        },
      },
    ],
    test: { name, include: ["test/**/*.test.ts"], testTimeout: 20_000 },
  });
}
