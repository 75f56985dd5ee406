/** The built package loads through both `import` and `require` and wraps a real client (run after `pnpm build`). */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const dir = fileURLToPath(new URL("../..", import.meta.url));
const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: dir, encoding: "utf8" }).trim();
const CHECK = `
  const client = new GoogleGenAI({ apiKey: "k" });
  const models = client.models;
  const same = m.wrapGoogleGenAI(client, { client: new PandaProbe({ enabled: false }) }) === client && client.models === models;
  process.stdout.write([Object.keys(m).sort().join(","), m.wrapGemini === m.wrapGoogleGenAI, same].join(" "));`;

it("dist loads with require() and import, with the same surface, and returns the client it wraps", () => {
  const expected = "withPandaProbe,wrapGemini,wrapGoogleGenAI true true";
  expect(
    run([
      "-e",
      `const m = require('./dist/index.cjs'); const { GoogleGenAI } = require('genai-v2'); const { PandaProbe } = require('@pandaprobe/core');${CHECK}`,
    ]),
  ).toBe(expected);
  expect(
    run([
      "--input-type=module",
      "-e",
      `const m = await import('./dist/index.js'); const { GoogleGenAI } = await import('genai-v2'); const { PandaProbe } = await import('@pandaprobe/core');${CHECK}`,
    ]),
  ).toBe(expected);
  const pkg = JSON.parse(readFileSync(`${dir}/package.json`, "utf8"));
  expect(pkg).toMatchObject({ sideEffects: false, engines: { node: ">=20.16" } });
  expect(Object.keys(pkg.exports["."])).toEqual(["import", "require"]);
});
