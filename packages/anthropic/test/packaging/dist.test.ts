/** The built package loads through both `import` and `require` and wraps the SDK's CommonJS and ESM clients (run after `pnpm build`). */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const dir = fileURLToPath(new URL("../..", import.meta.url));
const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: dir, encoding: "utf8" }).trim();

it("dist loads with require() and import, and patches a client's messages.create in place", () => {
  expect(
    run([
      "-e",
      "const { wrapAnthropic } = require('./dist/index.cjs'); const Anthropic = require('@anthropic-ai/sdk').default;" +
        " const c = new Anthropic({ apiKey: 'k' }); const create = c.messages.create;" +
        " process.stdout.write(String(wrapAnthropic(c) === c && c.messages.create !== create))",
    ]),
  ).toBe("true");
  expect(
    run([
      "--input-type=module",
      "-e",
      "import { wrapAnthropic, withPandaProbe } from './dist/index.js'; import Anthropic from '@anthropic-ai/sdk';" +
        " const c = new Anthropic({ apiKey: 'k' }); const create = c.messages.create;" +
        " process.stdout.write(String(wrapAnthropic(c) === c && c.messages.create !== create && typeof withPandaProbe))",
    ]),
  ).toBe("function");
});
