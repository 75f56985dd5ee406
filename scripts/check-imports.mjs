/**
 * Integrations reach core only through its two public entry points: `@pandaprobe/core` (what users get) and
 * `@pandaprobe/core/integration` (the integration kit). This fails the test command on any other `@pandaprobe/*`
 * import (a deep import such as `@pandaprobe/core/src/...`, or another integration), and on a relative import that
 * leaves the integration's own folder (`../../core/src/...`). Tests may also import `@pandaprobe/testing`.
 * Run from the repo root: `node scripts/check-imports.mjs`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const packagesDir = join(root, "packages");
/** Packages that are not integrations: core itself and the test support. */
const NOT_INTEGRATIONS = new Set(["core", "testing"]);
const ALLOWED = new Set(["@pandaprobe/core", "@pandaprobe/core/integration"]);
const ALLOWED_IN_TESTS = new Set([...ALLOWED, "@pandaprobe/testing", "@pandaprobe/testing/vitest"]);
const SKIP_DIRS = new Set(["node_modules", "dist"]);

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(c|m)?tsx?$/.test(name) && !name.endsWith(".d.ts")) yield path;
  }
}

const problems = [];
let checked = 0;
for (const pkg of readdirSync(packagesDir)) {
  const pkgDir = join(packagesDir, pkg);
  if (NOT_INTEGRATIONS.has(pkg) || !statSync(pkgDir).isDirectory()) continue;
  for (const file of sourceFiles(pkgDir)) {
    if (/(^|[\\/])(vitest|tsup)[^\\/]*\.config\.ts$/.test(file)) continue; // build and test configuration
    checked++;
    const isTest = !relative(pkgDir, file).startsWith(`src${sep}`);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName: spec } of importedFiles) {
      const where = relative(root, file);
      if (spec.startsWith("@pandaprobe/")) {
        if (!(isTest ? ALLOWED_IN_TESTS : ALLOWED).has(spec)) problems.push(`${where}: imports "${spec}"`);
      } else if (spec.startsWith(".")) {
        const target = resolve(dirname(file), spec);
        if (relative(pkgDir, target).startsWith("..")) problems.push(`${where}: imports "${spec}" outside ${pkg}/`);
      }
    }
  }
}

if (problems.length) {
  console.error(
    `Integrations may import only ${[...ALLOWED].join(" and ")} from core (tests also @pandaprobe/testing):`,
  );
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`check-imports: ${checked} integration files import core only through its public entry points.`);
