import { describe, expect, it } from "vitest";
import { toIso } from "../src/utils/time.js";

describe("toIso", () => {
  it("formats UTC with microseconds, the same as Date for whole milliseconds", () => {
    for (const ms of [0, 1, 999, 1000, 1_764_000_000_123, 1_764_000_000_999, 1_764_000_001_000, Date.UTC(2026, 0, 1)]) {
      expect(toIso(ms)).toBe(new Date(ms).toISOString().replace("Z", "000Z"));
    }
    expect(toIso(1_764_000_000_123.456)).toBe("2025-11-24T16:00:00.123456Z");
    expect(toIso(1_764_000_000_000.5)).toBe("2025-11-24T16:00:00.000500Z");
  });
});
