/**
 * Every published package, as `pnpm pack` makes it (see pack.ts): publint, `@arethetypeswrong/cli`, complete
 * metadata, the README's install line, optional peers for frameworks it never imports, and pinned peer floors.
 * The list comes from scripts/public-packages.mjs, so a new package is checked as soon as it exists.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, describe, expect, it } from "vitest";
import { publicPackages, root } from "../../scripts/public-packages.mjs";
import { tarballOf } from "./pack.js";

const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const repoUrl = rootPkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
const scratch = mkdtempSync(join(tmpdir(), "pandaprobe-packed-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The tarball unpacked: its `package/` folder. */
function unpack(tarball: string): string {
  const dir = mkdtempSync(join(scratch, "pkg-"));
  execFileSync("tar", ["-xzf", tarball, "-C", dir]);
  return join(dir, "package");
}

/** Every `package.json` of the workspace (packages, their compat packages, examples). */
function workspaceManifests(): Record<string, string>[] {
  const dirs = readdirSync(join(root, "packages")).flatMap((p) => {
    const compat = join(root, "packages", p, "compat");
    return [join(root, "packages", p), ...(existsSync(compat) ? readdirSync(compat).map((c) => join(compat, c)) : [])];
  });
  return dirs
    .filter((d) => existsSync(join(d, "package.json")))
    .map((d) => {
      const pkg = JSON.parse(readFileSync(join(d, "package.json"), "utf8"));
      return { ...pkg.dependencies, ...pkg.devDependencies };
    });
}

describe.each(publicPackages().map((p) => [p.name, p] as const))("%s, packed", (name, info) => {
  const tarball = tarballOf(name, info.pkg.version);
  const dir = unpack(tarball);
  const packed = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const builtCode = readdirSync(join(dir, "dist"))
    .filter((f) => /\.(c|m)?js$/.test(f))
    .map((f) => readFileSync(join(dir, "dist", f), "utf8"))
    .join("\n");

  it("publint: no errors, warnings or suggestions", async () => {
    const data = readFileSync(tarball);
    const { messages } = await publint({
      pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer },
      level: "suggestion",
      strict: true,
    });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, packed) ?? m.code}`)).toEqual([]);
  });

  it("@arethetypeswrong/cli: types resolve for import and require under node16 and bundler resolution", () => {
    const attw = join(root, "node_modules", ".bin", "attw");
    // node10 (`moduleResolution: "node"`) cannot see `exports` subpaths at all; it is TypeScript's legacy mode.
    const r = spawnSync(attw, [tarball, "--profile", "node16", "--format", "table-flipped"], { encoding: "utf8" });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  });

  it("metadata: license, repository, homepage, bugs, keywords, engines, public access with provenance", () => {
    expect(packed).toMatchObject({
      license: "MIT",
      repository: { type: "git", url: rootPkg.repository.url, directory: `packages/${info.folder}` },
      homepage: `${repoUrl}/tree/main/packages/${info.folder}#readme`,
      bugs: { url: `${repoUrl}/issues` },
      engines: { node: ">=20.16" },
      publishConfig: { access: "public", provenance: true },
      sideEffects: false,
    });
    expect(packed.description?.length).toBeGreaterThan(20);
    expect(packed.keywords).toContain("pandaprobe");
    expect(JSON.stringify(packed)).not.toContain("workspace:");
  });

  it("ships the LICENSE, a README that starts with its install line, and a CHANGELOG", () => {
    expect(readFileSync(join(dir, "LICENSE"), "utf8")).toBe(readFileSync(join(root, "LICENSE"), "utf8"));
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    const firstBlock = readme.match(/```(\w*)\n([\s\S]*?)```/);
    expect(readme.startsWith(`# ${name}\n`)).toBe(true);
    expect(firstBlock?.[1]).toBe("sh");
    expect(firstBlock?.[2]).toMatch(new RegExp(`^npm install .*${name.replace("/", "\\/")}( |$)`, "m"));
    expect(readFileSync(join(dir, "CHANGELOG.md"), "utf8").startsWith(`# ${name}\n`)).toBe(true);
  });

  it("a peer the built code never imports is optional", () => {
    for (const peer of Object.keys(packed.peerDependencies ?? {})) {
      const quoted = `["']${peer.replace("/", "\\/")}(\\/[^"']*)?["']`;
      const imported = new RegExp(`(from\\s*${quoted}|require\\(${quoted}\\)|import\\(${quoted}\\))`).test(builtCode);
      const optional = packed.peerDependenciesMeta?.[peer]?.optional === true;
      expect({ peer, imported, optional }).toEqual({ peer, imported, optional: !imported });
    }
  });

  it("the floor of every peer range is pinned in the workspace, so a suite runs against it", () => {
    const pinned = workspaceManifests();
    for (const [peer, range] of Object.entries<string>(packed.peerDependencies ?? {})) {
      for (const part of range.split("||")) {
        const floor = part.trim().match(/^(?:\^|>=\s*)(\d+\.\d+\.\d+)/)?.[1];
        expect(floor, `${peer}: "${part.trim()}" has no lower bound`).toBeDefined();
        const found = pinned.some((deps) =>
          Object.entries(deps).some(([k, v]) => (k === peer && v === floor) || v === `npm:${peer}@${floor}`),
        );
        expect(found, `${peer}@${floor} (the floor of "${part.trim()}") is not a pinned dependency`).toBe(true);
      }
    }
  });
});
