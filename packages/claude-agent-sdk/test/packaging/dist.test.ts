/** The built package loads through both `import` and `require` (run after `pnpm build`). */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const dir = fileURLToPath(new URL("../..", import.meta.url));
const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: dir, encoding: "utf8" }).trim();

it("dist loads with require() and import, and wraps a query function", () => {
  const probe = "const q = m.wrapClaudeAgentQuery(function query() {}); process.stdout.write(typeof q + (q.name));";
  expect(run(["-e", `const m = require('./dist/index.cjs'); ${probe}`])).toBe("functionquery");
  expect(run(["--input-type=module", "-e", `import * as m from './dist/index.js'; ${probe}`])).toBe("functionquery");
});
