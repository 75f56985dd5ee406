// The lc03 suite (compat/lc03/test) against the floors of our 0.3 peer ranges (this package's versions).
import { createRequire } from "node:module";
import { expect, it } from "vitest";
import "../../lc03/test/lc03.test.js";

it("runs against the floors pinned in this package", () => {
  const require = createRequire(import.meta.url);
  const pinned = require("../package.json").dependencies;
  for (const name of ["@langchain/core", "@langchain/langgraph"])
    expect(require(`${name}/package.json`).version, name).toBe(pinned[name]);
});
