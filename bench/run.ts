/**
 * Runs every benchmark file given on the command line (default: every bench/*.ts but the helpers)
 * and prints a Markdown table. `pnpm bench` builds first. Not a test: numbers vary by machine.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchRow } from "./lib.js";

const dir = fileURLToPath(new URL(".", import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !["lib.ts", "run.ts", "stand-in-child.ts"].includes(f))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)));

const rows: BenchRow[] = [];
for (const f of files) {
  const mod = (await import(pathToFileURL(`${dir}/${f}`).href)) as { default: () => Promise<BenchRow[]> };
  try {
    rows.push(...(await mod.default()));
  } catch (error) {
    console.error(`bench ${f} failed:`, error);
    process.exitCode = 1;
  }
}
const fmt = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "" : String(n));
console.log(`\nNode ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log("| benchmark | median µs | p95 µs | CPU µs/op | target | note |");
console.log("| --- | ---: | ---: | ---: | --- | --- |");
for (const r of rows)
  console.log(
    `| ${r.name} | ${fmt(r.medianUs)} | ${fmt(r.p95Us)} | ${fmt(r.cpuUs)} | ${r.target ?? ""} | ${r.note ?? ""} |`,
  );
