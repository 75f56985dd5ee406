/**
 * After `changeset version`: core's `SDK_VERSION` (sent in the User-Agent) takes the version in its package.json.
 * Part of `pnpm version-packages`; a packaging test keeps the two equal.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./public-packages.mjs";

const { version } = JSON.parse(readFileSync(join(root, "packages/core/package.json"), "utf8"));
const file = join(root, "packages/core/src/version.ts");
const before = readFileSync(file, "utf8");
const after = before.replace(/export const SDK_VERSION = "[^"]*";/, `export const SDK_VERSION = "${version}";`);
if (after === before && !before.includes(`"${version}"`)) throw new Error(`no SDK_VERSION in ${file}`);
writeFileSync(file, after);
console.log(`SDK_VERSION = ${version}`);
