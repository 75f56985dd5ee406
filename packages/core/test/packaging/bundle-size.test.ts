/**
 * The size budget of @pandaprobe/core bundled for Cloudflare Workers and edge runtimes, as wrangler and Vercel bundle
 * it: esbuild, browser platform, the built ESM package with everything its root entry exports (p-queue included),
 * minified; gzip at zlib's default level. The figures are printed on every run.
 */
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const coreDir = fileURLToPath(new URL("../..", import.meta.url));

/** Measured 2026-12-08: 80.9 KB minified, 28.0 KB gzip. A little above, so growth is a decision, not a drift. */
const BUDGET = { minified: 84 * 1024, gzip: 29 * 1024 };

async function measure(contents: string): Promise<{ minified: number; gzip: number }> {
  const out = await build({
    stdin: { contents, resolveDir: coreDir, sourcefile: "worker.mjs" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    write: false,
    logLevel: "silent",
  });
  const code = out.outputFiles[0]!.contents;
  return { minified: code.length, gzip: gzipSync(code).length };
}

const kb = (n: number) => (n / 1024).toFixed(1);

describe("bundle size for Workers and edge runtimes (the built package)", () => {
  it("the whole root entry stays within its budget", async () => {
    const size = await measure(`export * from "./dist/index.js";`);
    console.log(
      `@pandaprobe/core for Workers (esbuild, browser, minified): ${kb(size.minified)} KB, ${kb(size.gzip)} KB gzip (budget ${kb(BUDGET.minified)} / ${kb(BUDGET.gzip)} KB)`,
    );
    expect(size.minified).toBeLessThanOrEqual(BUDGET.minified);
    expect(size.gzip).toBeLessThanOrEqual(BUDGET.gzip);
  });

  it("a Worker that uses part of it gets only that part (sideEffects: false)", async () => {
    const whole = await measure(`export * from "./dist/index.js";`);
    const part = await measure(
      `import { startTrace, wrapWorker } from "./dist/index.js"; export default wrapWorker({ fetch: () => startTrace("t", {}, () => new Response("ok")) });`,
    );
    console.log(`a Worker using startTrace and wrapWorker: ${kb(part.minified)} KB, ${kb(part.gzip)} KB gzip`);
    expect(part.minified).toBeLessThan(whole.minified);
  });
});
