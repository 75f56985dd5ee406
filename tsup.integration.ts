import { defineConfig } from "tsup";

/** The build of every integration package: ESM + CommonJS + declarations, frameworks left external (peer deps). */
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
