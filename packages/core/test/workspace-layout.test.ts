/**
 * Every workspace package resolves to its source in the tests (vitest.source.ts) and in the type checks
 * (tsconfig.base.json `paths`): a package missing from either would be tested or typed against a stale `dist`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { sourceAliases } from "../../../vitest.source.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const packages = readdirSync(`${root}packages`, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`${root}packages/${d.name}/package.json`))
  .map((d) => JSON.parse(readFileSync(`${root}packages/${d.name}/package.json`, "utf8")) as PackageJson);

interface PackageJson {
  name: string;
  exports?: Record<string, unknown>;
}

/** Every import specifier a package offers (`@pandaprobe/core`, `@pandaprobe/core/integration`), but `package.json`. */
const specifiers = packages.flatMap((pkg) =>
  Object.keys(pkg.exports ?? { ".": "" })
    .filter((sub) => sub !== "./package.json")
    .map((sub) => (sub === "." ? pkg.name : `${pkg.name}/${sub.slice(2)}`)),
);

/** tsconfig.base.json's `paths` (the file is JSON with `//` comments). */
function tsconfigPaths(): Record<string, string[]> {
  const text = readFileSync(`${root}tsconfig.base.json`, "utf8").replace(/^\s*\/\/.*$/gm, "");
  return JSON.parse(text).compilerOptions.paths;
}

/** The file TypeScript resolves `spec` to: its exact `paths` entry, else the one `*` pattern that matches it. */
function tsconfigPath(spec: string): string | undefined {
  const paths = tsconfigPaths();
  if (paths[spec]) return paths[spec][0];
  for (const [pattern, [target]] of Object.entries(paths)) {
    const star = pattern.indexOf("*");
    if (star < 0) continue;
    const [head, tail] = [pattern.slice(0, star), pattern.slice(star + 1)];
    if (spec.startsWith(head) && spec.endsWith(tail) && spec.length >= head.length + tail.length)
      return target.replace("*", spec.slice(head.length, spec.length - tail.length));
  }
  return undefined;
}

describe("workspace layout", () => {
  it("finds the packages", () => {
    expect(specifiers).toEqual(expect.arrayContaining(["@pandaprobe/core", "@pandaprobe/core/integration"]));
    expect(specifiers.length).toBeGreaterThanOrEqual(packages.length);
  });

  it.each(specifiers)(
    "%s resolves to the same existing source file in vitest.source.ts and tsconfig.base.json",
    (spec) => {
      const alias = sourceAliases.find((a) => a.find.test(spec));
      expect(alias, `${spec} has no alias in vitest.source.ts`).toBeDefined();
      const fromVitest = spec.replace(alias!.find, alias!.replacement);
      const fromTsconfig = tsconfigPath(spec);
      expect(fromTsconfig, `${spec} has no paths entry in tsconfig.base.json`).toBeDefined();
      expect(existsSync(fromVitest), `${fromVitest} exists`).toBe(true);
      expect(fileURLToPath(new URL(fromTsconfig!, `file://${root}`))).toBe(fromVitest);
    },
  );
});
