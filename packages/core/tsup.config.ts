import { defineConfig } from "tsup";

// Two entry points: `.` (users) and `./integration` (the integration kit). They share one copy of the SDK's
// modules (a chunk of their own), so both see the same logger, error listeners and state.
const entry = { index: "src/index.ts", integration: "src/integration/index.ts" };

// Declarations drop everything marked `@internal` (the client's TraceSink methods): the published types are the
// public surface only.
const dts = { compilerOptions: { stripInternal: true } };

// ESM keeps p-queue external (it is ESM-only and a normal dependency).
// CommonJS cannot `require()` an ESM-only package on every Node 20 release, so the CJS
// build inlines p-queue and its two small dependencies. See README "Why p-queue is bundled in CJS".
export default defineConfig([
  {
    entry,
    format: ["esm"],
    dts,
    sourcemap: true,
    clean: true,
    target: "node20",
    external: ["p-queue"],
  },
  {
    entry,
    format: ["cjs"],
    dts,
    sourcemap: true,
    target: "node20",
    splitting: true,
    noExternal: ["p-queue", "eventemitter3", "p-timeout"],
  },
]);
