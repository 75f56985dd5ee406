/** The built package loads through both `import` and `require`, and loads no Agents SDK of its own (run after `pnpm build`). */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const dir = fileURLToPath(new URL("../..", import.meta.url));
const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: dir, encoding: "utf8" }).trim();
const probe =
  "const p = m.createPandaProbeProcessor(); const sdk = Object.keys(require.cache ?? {}).some((k) => k.includes('@openai/agents'));" +
  "process.stdout.write([typeof p.onTraceStart, typeof p.onSpanEnd, p instanceof m.PandaProbeProcessor, sdk].join(','))";

it("dist loads with require() and import; a processor has the SDK's TracingProcessor methods", () => {
  expect(run(["-e", `const m = require('./dist/index.cjs'); ${probe}`])).toBe("function,function,true,false");
  expect(
    run([
      "--input-type=module",
      "-e",
      `import * as m from './dist/index.js'; import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); ${probe}`,
    ]),
  ).toBe("function,function,true,false");
});
