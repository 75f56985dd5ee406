/** The built package loads through both `import` and `require` and wraps a real client (run after `pnpm build`). */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const dir = fileURLToPath(new URL("../..", import.meta.url));
const run = (args: string[]) =>
  execFileSync(process.execPath, ["--no-warnings", ...args], { cwd: dir, encoding: "utf8" }).trim();

const client =
  "new BedrockRuntimeClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })";
const check = "c.middlewareStack.identify().filter((n) => n.startsWith('pandaProbe')).join()";

it("dist loads with require() and import, adds its middleware once, and shares withPandaProbe with core", () => {
  expect(
    run([
      "-e",
      `const { wrapBedrock, withPandaProbe } = require('./dist/index.cjs');
       const { BedrockRuntimeClient } = require('@aws-sdk/client-bedrock-runtime');
       const c = wrapBedrock(wrapBedrock(${client}));
       process.stdout.write(${check} + ' ' + (withPandaProbe === require('@pandaprobe/core').withPandaProbe));`,
    ]),
  ).toBe("pandaProbeTracingMiddleware - initialize true");
  expect(
    run([
      "--input-type=module",
      "-e",
      `import { wrapBedrock, withPandaProbe } from './dist/index.js';
       import { withPandaProbe as core } from '@pandaprobe/core';
       import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
       const c = wrapBedrock(wrapBedrock(${client}));
       process.stdout.write(${check} + ' ' + (withPandaProbe === core));`,
    ]),
  ).toBe("pandaProbeTracingMiddleware - initialize true");
});
