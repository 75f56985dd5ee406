import { defineConfig } from "tsup";

// ESM keeps p-queue external (it is ESM-only and a normal dependency).
// CommonJS cannot `require()` an ESM-only package on every Node 20 release, so the CJS
// build inlines p-queue and its two small dependencies. See README "Why p-queue is bundled in CJS".
export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    external: ["p-queue"],
  },
  {
    entry: ["src/index.ts"],
    format: ["cjs"],
    dts: true,
    sourcemap: true,
    target: "node20",
    noExternal: ["p-queue", "eventemitter3", "p-timeout"],
  },
]);
