/** The built package loads through both `import` and `require` (run after `pnpm build`). */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const dir = fileURLToPath(new URL("../..", import.meta.url));
const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: dir, encoding: "utf8" }).trim();

it("dist loads with require() and import, and the handler is awaited by LangChain", () => {
  expect(
    run([
      "-e",
      "const m = require('./dist/index.cjs'); process.stdout.write(String(new m.LangGraphCallbackHandler().awaitHandlers))",
    ]),
  ).toBe("true");
  expect(
    run([
      "--input-type=module",
      "-e",
      "import { LangGraphCallbackHandler as H } from './dist/index.js'; process.stdout.write(String(new H().awaitHandlers))",
    ]),
  ).toBe("true");
});
