/** The built package loads through both `import` and `require` (run after `pnpm build`). */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
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

it("the built package never imports @langchain/langgraph (an optional peer: LangChain-only apps need not install it)", () => {
  for (const file of readdirSync(`${dir}dist`).filter((f) => /\.(c?js|d\.c?ts)$/.test(f)))
    expect(readFileSync(`${dir}dist/${file}`, "utf8"), file).not.toMatch(/["']@langchain\/langgraph["'/]/);
  const pkg = JSON.parse(readFileSync(`${dir}package.json`, "utf8"));
  expect(pkg.peerDependenciesMeta["@langchain/langgraph"]).toEqual({ optional: true });
});

it("dist exports the LangChain family by name", () => {
  expect(
    run([
      "-e",
      "const m = require('./dist/index.cjs'); process.stdout.write([new m.LangChainCallbackHandler().name, new m.DeepAgentsCallbackHandler().name].join())",
    ]),
  ).toBe("pandaprobe_langchain_handler,pandaprobe_deepagents_handler");
});
