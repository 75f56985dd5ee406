import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const pkgDir = fileURLToPath(new URL("../..", import.meta.url));

/** Runs an ESM snippet against the built package after `prelude` has shaped the runtime. */
function runEsm(prelude: string, body: string): unknown {
  const script = `${prelude}\nconst core = await import("@pandaprobe/core");\n${body}`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: pkgDir,
    encoding: "utf8",
    env: { ...process.env, PANDAPROBE_ENDPOINT: "http://127.0.0.1:9" },
  });
  return JSON.parse(out.trim().split("\n").pop()!);
}

const probe = `
const c = new core.PandaProbe({ enabled: false });
const sync = core.user("u-sync", () => core.getCurrentUserId());
const asyncSeen = await core.user("u-async", async () => { await new Promise((r) => setTimeout(r, 1)); return core.getCurrentUserId(); });
const nested = core.startTrace("t", { client: c }, () => core.startSpan("s", {}, (s) => core.getCurrentSpan() === s));
console.log(JSON.stringify({ sync, asyncSeen: asyncSeen ?? null, nested, after: core.getCurrentUserId() ?? null }));
`;

describe("runtimes without node:async_hooks (edge-like)", () => {
  it("uses globalThis.AsyncLocalStorage when the runtime provides it (Vercel Edge, Workers with nodejs_compat)", () => {
    const prelude = `
      const { AsyncLocalStorage } = await import("node:async_hooks");
      globalThis.AsyncLocalStorage = AsyncLocalStorage;
      delete process.getBuiltinModule;`;
    expect(runEsm(prelude, probe)).toEqual({ sync: "u-sync", asyncSeen: "u-async", nested: true, after: null });
  });

  it("falls back to synchronous scoping when no AsyncLocalStorage exists (documented limitation)", () => {
    const prelude = `delete process.getBuiltinModule;`;
    // Scopes apply to synchronous code; after an await the scope is gone (pass ids explicitly there).
    expect(runEsm(prelude, probe)).toEqual({ sync: "u-sync", asyncSeen: null, nested: true, after: null });
  });

  // setUser()/setSession() set a value for "the rest of this async context": a runtime that cannot scope it must
  // not make it process-wide (every concurrent request would get that user), and must not throw.
  const setters = `
const warnings = [];
console.warn = (...args) => warnings.push(args.join(" "));
let threw = null;
try { core.setUser("u-imperative"); core.setSession("s-imperative"); } catch (e) { threw = String(e); }
const seen = await Promise.all([1, 2].map(async () => { await new Promise((r) => setTimeout(r, 1)); return [core.getCurrentUserId() ?? null, core.getCurrentSessionId() ?? null]; }));
const scoped = core.user("u-scoped", () => core.getCurrentUserId());
console.log(JSON.stringify({ threw, seen, scoped, warned: warnings.filter((w) => /ignored/.test(w)).length }));
`;

  it("ignores setUser()/setSession() with one warning each where there is no AsyncLocalStorage (no process-wide leak)", () => {
    const prelude = `delete process.getBuiltinModule;`;
    expect(runEsm(prelude, setters)).toEqual({
      threw: null,
      seen: [
        [null, null],
        [null, null],
      ],
      scoped: "u-scoped",
      warned: 2,
    });
  });

  it("ignores setUser()/setSession() without throwing where AsyncLocalStorage has no enterWith (Cloudflare Workers)", () => {
    const prelude = `
      const { AsyncLocalStorage } = await import("node:async_hooks");
      class WorkersStorage extends AsyncLocalStorage {}
      WorkersStorage.prototype.enterWith = undefined;
      globalThis.AsyncLocalStorage = WorkersStorage;
      delete process.getBuiltinModule;`;
    expect(runEsm(prelude, setters)).toEqual({
      threw: null,
      seen: [
        [null, null],
        [null, null],
      ],
      scoped: "u-scoped",
      warned: 2,
    });
  });

  it("setUser()/setSession() do apply where AsyncLocalStorage has enterWith (Node, Vercel Edge)", () => {
    const prelude = `
      const { AsyncLocalStorage } = await import("node:async_hooks");
      globalThis.AsyncLocalStorage = AsyncLocalStorage;
      delete process.getBuiltinModule;`;
    expect(runEsm(prelude, setters)).toEqual({
      threw: null,
      seen: [
        ["u-imperative", "s-imperative"],
        ["u-imperative", "s-imperative"],
      ],
      scoped: "u-scoped",
      warned: 0,
    });
  });
});
