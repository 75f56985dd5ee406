// Import rules for every package's source, checked by `pnpm run check:deps` (part of `pnpm test`).
// Add a rule: append an object to `forbidden` ({ name, comment, severity: "error", from, to }); see
// https://github.com/sverweij/dependency-cruiser/blob/main/doc/rules-reference.md. Paths are relative to the repo root.

const CORE = "^packages/core/src/";

/**
 * Core's layers, bottom first: each may import itself and the layers listed (type-only imports count too).
 * `api` is the public functions that need the global client; `index.ts` may import anything.
 */
const CORE_LAYERS = {
  "types.ts": [],
  "messages.ts": [],
  "version.ts": [],
  "call-options.ts": [],
  utils: ["types.ts"],
  config: ["utils", "types.ts"],
  context: ["utils", "types.ts"],
  serialize: ["utils", "config", "types.ts", "messages.ts"],
  transport: ["utils", "config", "types.ts", "version.ts"],
  scores: ["utils", "serialize", "types.ts"],
  tracing: ["utils", "config", "context", "serialize", "transport", "types.ts", "messages.ts"],
  client: ["utils", "config", "context", "serialize", "transport", "scores", "tracing", "types.ts", "messages.ts"],
  api: ["utils", "config", "context", "serialize", "scores", "tracing", "client", "types.ts", "messages.ts"],
  // The serverless helpers (withWaitUntil, wrapWorker, wrapLambda) set up and flush the global client.
  serverless: ["utils", "config", "context", "client", "api", "types.ts"],
  // The integration kit (`@pandaprobe/core/integration`) sits on top of the public functions.
  integration: [
    "utils",
    "config",
    "context",
    "serialize",
    "tracing",
    "client",
    "api",
    "types.ts",
    "messages.ts",
    "call-options.ts",
  ],
};

const escapeDots = (s) => s.replace(/\./g, "\\.");
const layerPath = (layer) => `${CORE}${escapeDots(layer)}${layer.endsWith(".ts") ? "$" : "/"}`;

const coreLayerRules = Object.entries(CORE_LAYERS).map(([layer, allowed]) => ({
  name: `core-layer-${layer.replace(/\.ts$/, "")}`,
  comment: `core/src/${layer} may import only ${allowed.length ? allowed.join(", ") : "nothing else in core"} (see CORE_LAYERS).`,
  severity: "error",
  from: { path: layerPath(layer) },
  to: { path: CORE, pathNot: [layerPath(layer), ...allowed.map(layerPath)] },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No import cycles in any package (type-only imports included).",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    ...coreLayerRules,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|node_modules)/" },
    // Type-only imports are dependencies too: a cycle through types is still a cycle in the design.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".cjs", ".json"] },
  },
};
