/**
 * Integrations reach core only through its two public entry points: `@pandaprobe/core` (what users get) and
 * `@pandaprobe/core/integration` (the integration kit). This fails the test command on any other `@pandaprobe/*`
 * import (a deep import such as `@pandaprobe/core/src/...`, or another integration), and on a relative import that
 * leaves the integration's own folder (`../../core/src/...`). Tests may also import `@pandaprobe/testing`. And the
 * examples import only what a user would install (below).
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

// The examples are written as apps: they import only what their package.json depends on (what a user installs:
// the public @pandaprobe/* packages and the framework), Node's built-ins and their own folder. The runner, which
// starts the local backend and fake providers for them, is not an example.
const examplesDir = join(root, "examples");
const exampleProblems = [];
let examples = 0;
for (const name of readdirSync(examplesDir)) {
  const dir = join(examplesDir, name);
  if (name === "runner" || !statSync(dir).isDirectory()) continue;
  const deps = Object.keys(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).dependencies ?? {});
  examples++;
  for (const file of sourceFiles(dir)) {
    const where = relative(root, file);
    for (const { fileName: spec } of ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles) {
      if (spec.startsWith("node:")) continue;
      if (spec.startsWith(".")) {
        if (relative(dir, resolve(dirname(file), spec)).startsWith("..")) exampleProblems.push(`${where}: "${spec}"`);
        continue;
      }
      const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      if (!deps.includes(pkg) || pkg === "@pandaprobe/testing") exampleProblems.push(`${where}: "${spec}"`);
    }
  }
}

if (problems.length) {
  console.error(
    `Integrations may import only ${[...ALLOWED].join(" and ")} from core (tests also @pandaprobe/testing):`,
  );
  for (const p of problems) console.error(`  ${p}`);
}
if (exampleProblems.length) {
  console.error("Examples may import only their package.json's dependencies, node: modules and their own folder:");
  for (const p of exampleProblems) console.error(`  ${p}`);
}
if (problems.length || exampleProblems.length) process.exit(1);
console.log(
  `check-imports: ${checked} integration files import core only through its public entry points; ` +
    `${examples} examples import only what they depend on.`,
);
