/** The built package loads through both `import` and `require` and wraps a real client (run after `pnpm build`). */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const dir = fileURLToPath(new URL("../..", import.meta.url));
const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: dir, encoding: "utf8" }).trim();

/** A script that loads the package as `m` (with `load`), wraps a client in place and prints whether that worked. */
const script = (load: string) => `(async () => {
  const m = ${load};
  const { Mistral } = await import("@mistralai/mistralai"); // ESM only (2.x)
  const client = new Mistral({ apiKey: "k" });
  const before = client.chat.complete;
  const ok = m.wrapMistral(client) === client && client.chat.complete !== before && typeof m.withPandaProbe === "function";
  process.stdout.write(String(ok));
})();`;

it("dist loads with require() and import, and wraps a Mistral client in place", () => {
  expect(run(["-e", script('require("./dist/index.cjs")')])).toBe("true");
  expect(run(["--input-type=module", "-e", script('await import("./dist/index.js")')])).toBe("true");
});
