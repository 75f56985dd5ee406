/**
 * Vitest global setup of the packaging tests: packs every published package with `pnpm pack` (which turns
 * `workspace:^` into the real version ranges, as `pnpm publish` does) into `.packs/`, after `pnpm build`.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { publicPackages, root } from "../../scripts/public-packages.mjs";

export const packsDir = join(root, ".packs");

/** `pnpm`, as the test command runs it (`npx -y pnpm@9.15.9 test` puts it on PATH), or through npx. */
export function pnpm(args: string[], cwd: string): string {
  const viaPnpm = /pnpm/.test(process.env.npm_execpath ?? "");
  const [cmd, pre] = viaPnpm ? [process.execPath, [process.env.npm_execpath!]] : ["npx", ["-y", "pnpm@9.15.9"]];
  return execFileSync(cmd, [...pre, ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export default function setup(): void {
  rmSync(packsDir, { recursive: true, force: true });
  mkdirSync(packsDir);
  for (const { dir, name } of publicPackages()) {
    pnpm(["pack", "--pack-destination", packsDir], dir);
    if (!readdirSync(packsDir).some((f) => f.startsWith(name.replace("@", "").replace("/", "-"))))
      throw new Error(`pnpm pack wrote no tarball for ${name}`);
  }
}

/** The tarball of a published package in `.packs/`. */
export function tarballOf(name: string, version: string): string {
  return join(packsDir, `${name.replace("@", "").replace("/", "-")}-${version}.tgz`);
}
