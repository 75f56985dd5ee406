import { describe, expect, it } from "vitest";
import { toSafeJson, withCopies } from "../src/serialize/safe-json.js";

const safe = (v: unknown, max = 1_000_000) => toSafeJson(v, max).value;

describe("toSafeJson", () => {
  it("keeps plain JSON as is", () => {
    const v = { a: 1, b: "x", c: [true, null, { d: 2.5 }] };
    expect(safe(v)).toEqual(v);
  });
  it("returns plain JSON data itself (no copy), and cuts it exactly where a copy would be cut", () => {
    const v = {
      a: 1,
      b: "x",
      c: [true, null, { d: 2.5 }, undefined],
      e: undefined,
      f: Object.assign(Object.create(null), { g: "h" }),
    };
    const fast = toSafeJson(v, 1_000_000);
    expect(fast.value).toBe(v);
    const copy = withCopies(() => toSafeJson(v, 1_000_000));
    expect(copy.value).not.toBe(v);
    expect(JSON.stringify(copy.value)).toBe(JSON.stringify(v));
    // Same budget accounting as the copying walk: at every cap, the same JSON and the same truncation flag.
    for (let max = 0; max <= 80; max++) {
      const a = toSafeJson(v, max);
      const b = withCopies(() => toSafeJson(v, max));
      expect([JSON.stringify(a.value), a.truncated], `max ${max}`).toEqual([JSON.stringify(b.value), b.truncated]);
    }
  });
  it("copies whatever is not plain JSON within the budget", () => {
    class Box {
      x = 1;
    }
    const notPlain: unknown[] = [
      { s: "a\u0000b" },
      { "k\u0000": 1 },
      { n: Number.NaN },
      { d: new Date(0) },
      { j: { toJSON: () => 1 } },
      [new Box()],
      { f: () => 1 },
      { b: 1n },
      { long: "x".repeat(200) },
    ];
    for (const v of notPlain) expect(toSafeJson(v, 100).value, JSON.stringify(String(v))).not.toBe(v);
    const deep: Record<string, unknown> = {};
    let at = deep;
    for (let i = 0; i < 60; i++) at = at.next = {};
    expect(toSafeJson(deep, 1_000_000).value).not.toBe(deep);
  });
  it("marks circular references", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    a.list = [a];
    expect(safe(a)).toEqual({ name: "a", self: "[Circular]", list: ["[Circular]"] });
  });
  it("keeps repeated (non-circular) references", () => {
    const shared = { x: 1 };
    expect(safe({ a: shared, b: shared })).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });
  it("turns BigInt, Date, Error, Map, Set, typed arrays, functions and symbols into data", () => {
    const err = new TypeError("bad");
    const out = safe({
      big: 12345678901234567890n,
      date: new Date("2026-01-02T03:04:05.000Z"),
      err,
      map: new Map<unknown, unknown>([
        ["k", 1],
        [2, "two"],
      ]),
      set: new Set([1, 2]),
      bytes: new Uint8Array(1024),
      fn: function named() {},
      sym: Symbol("s"),
      nan: NaN,
      undef: undefined,
    }) as Record<string, unknown>;
    expect(out.big).toBe("12345678901234567890");
    expect(out.date).toBe("2026-01-02T03:04:05.000Z");
    expect(out.err).toMatchObject({ name: "TypeError", message: "bad" });
    expect(out.map).toEqual({ k: 1, "2": "two" });
    expect(out.set).toEqual([1, 2]);
    expect(out.bytes).toBe("[Uint8Array byteLength=1024]");
    expect(out.fn).toBe("[Function named]");
    expect(out.sym).toBe("Symbol(s)");
    expect(out.nan).toBe("NaN");
    expect("undef" in out).toBe(false);
    expect(() => JSON.stringify(out)).not.toThrow();
  });
  it("uses toJSON and walks class instances' own fields", () => {
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
      get len() {
        return 1;
      }
    }
    expect(safe({ p: new Point(1, 2), j: { toJSON: () => "custom" } })).toEqual({ p: { x: 1, y: 2 }, j: "custom" });
  });
  it("removes NUL characters from strings and keys", () => {
    expect(safe({ "k\u0000ey": "a\u0000b" })).toEqual({ key: "ab" });
  });
  it("cuts a 50 MB string to the cap with a visible marker", () => {
    const big = "x".repeat(50 * 1024 * 1024);
    const { value, truncated } = toSafeJson({ doc: big }, 1000);
    expect(truncated).toBe(true);
    const doc = (value as { doc: string }).doc;
    expect(doc.length).toBeLessThan(1100);
    expect(doc).toMatch(/…\[truncated \d+ chars\]$/);
  });
  it("bounds huge arrays and deep nesting", () => {
    const arr = Array.from({ length: 100_000 }, (_, i) => ({ i }));
    const out = safe(arr, 2000) as unknown[];
    expect(out.length).toBeLessThan(1000);
    expect(String(out[out.length - 1])).toMatch(/truncated \d+ items/);
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 200; i++) deep = deep.next = {} as Record<string, unknown>;
    expect(JSON.stringify(safe(root))).toContain("[Max depth]");
  });
  it("never throws on hostile objects", () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("nope");
        },
      },
    );
    const getterThrows = Object.defineProperty({}, "x", {
      enumerable: true,
      get: () => {
        throw new Error("boom");
      },
    });
    // What cannot be read becomes a placeholder naming why; the readable rest is kept.
    expect(safe({ hostile, getterThrows })).toEqual({
      hostile: "[unreadable: nope]",
      getterThrows: { x: "[unreadable: boom]" },
    });
  });
});
