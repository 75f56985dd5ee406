import { afterEach, describe, expect, it, vi } from "vitest";
import { isUuid, newId } from "../src/utils/ids.js";

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("newId", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it("makes distinct lower-case v4 UUIDs, across refills of its random pool", () => {
    const ids = Array.from({ length: 1000 }, () => newId()); // 128 per pool: several refills
    for (const id of ids) {
      expect(id).toMatch(V4);
      expect(isUuid(id)).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("uses every hex digit in every random position (no stuck nibble)", () => {
    const seen = Array.from({ length: 36 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) [...newId()].forEach((c, k) => seen[k]!.add(c));
    for (let k = 0; k < 36; k++) {
      if ([8, 13, 18, 23].includes(k)) expect([...seen[k]!]).toEqual(["-"]);
      else if (k === 14) expect([...seen[k]!]).toEqual(["4"]);
      else if (k === 19) expect(seen[k]!.size).toBe(4);
      else expect(seen[k]!.size).toBe(16);
    }
  });

  it("falls back to crypto.randomUUID where TextDecoder is missing", async () => {
    vi.resetModules();
    vi.stubGlobal("TextDecoder", undefined);
    const spy = vi.spyOn(globalThis.crypto, "randomUUID");
    const fresh = await import("../src/utils/ids.js");
    expect(fresh.newId()).toMatch(V4);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});
