/**
 * The published packages: every `packages/*` whose package.json is not private, with its entry points (from
 * `exports`): the built declaration file, the source file, and the name of its API report. Every packaging gate
 * (API reports, API reference, publint, attw, the consumer install) takes its list from here, so a new package is
 * checked as soon as it exists.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** @returns {{ dir: string, folder: string, name: string, pkg: any, entries: { subpath: string, dts: string, src: string, report: string }[] }[]} */
export function publicPackages() {
  const packagesDir = join(root, "packages");
  return readdirSync(packagesDir)
    .filter((folder) => existsSync(join(packagesDir, folder, "package.json")))
    .map((folder) => {
      const dir = join(packagesDir, folder);
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      return { dir, folder, name: pkg.name, pkg };
    })
    .filter(({ pkg }) => !pkg.private)
    .map((p) => ({ ...p, entries: entriesOf(p.dir, p.pkg) }));
}

function entriesOf(dir, pkg) {
  const unscoped = pkg.name.replace(/^@[^/]+\//, "");
  return Object.entries(pkg.exports ?? { ".": { import: { types: pkg.types } } })
    .filter(([subpath]) => subpath !== "./package.json")
    .map(([subpath, target]) => {
      const types = target?.import?.types ?? target?.types;
      if (typeof types !== "string") throw new Error(`${pkg.name}: exports["${subpath}"] has no import.types`);
      const sub = subpath === "." ? "" : subpath.slice(2);
      const candidates = sub ? [`src/${sub}/index.ts`, `src/${sub}.ts`] : ["src/index.ts"];
      const src = candidates.find((c) => existsSync(join(dir, c)));
      if (!src)
        throw new Error(`${pkg.name}: no source for exports["${subpath}"] (looked for ${candidates.join(", ")})`);
      return {
        subpath,
        dts: types.replace(/^\.\//, ""),
        src,
        report: sub ? `${unscoped}-${sub.replaceAll("/", "-")}` : unscoped,
      };
    });
}
