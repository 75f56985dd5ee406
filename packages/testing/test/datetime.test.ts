import { describe, expect, it } from "vitest";
import { startStandIn } from "../src/server.js";
import { formatMicros, parseLenientDateTime } from "../src/datetime.js";
import { call, trace } from "./helpers.js";

const stored = (value: unknown): string | undefined => {
  const parsed = parseLenientDateTime(value);
  return parsed.ok ? formatMicros(parsed.micros) : undefined;
};

describe("timestamp leniency (§3)", () => {
  it.each([
    ["2026-03-01T10:00:00Z", "2026-03-01T10:00:00+00:00"],
    ["2026-03-01T10:00:00.123Z", "2026-03-01T10:00:00.123000+00:00"],
    ["2026-03-01T10:00:00.123456789Z", "2026-03-01T10:00:00.123456+00:00"],
    ["2026-03-01T15:30:00+05:30", "2026-03-01T10:00:00+00:00"],
    ["2026-03-01T05:00:00-0500", "2026-03-01T10:00:00+00:00"],
    ["2026-03-01T10:00:00", "2026-03-01T10:00:00+00:00"],
    ["2026-03-01 10:00:00", "2026-03-01T10:00:00+00:00"],
    ["2026-03-01T10:00", "2026-03-01T10:00:00+00:00"],
    ["2026-03-01", "2026-03-01T00:00:00+00:00"],
    [1772359200, "2026-03-01T10:00:00+00:00"],
    ["1772359200", "2026-03-01T10:00:00+00:00"],
    [1772359200.5, "2026-03-01T10:00:00.500000+00:00"],
    [1772359200123, "2026-03-01T10:00:00.123000+00:00"],
  ])("%j → %s", (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  it.each([
    ["yesterday", "input is too short"],
    ["2026-13-01T00:00:00Z", "month"],
    ["2026-02-30", "day"],
    [true, "invalid"],
  ])("rejects %j", (input, reason) => {
    const parsed = parseLenientDateTime(input);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.reason).toContain(reason);
  });

  it("through the server: naive/epoch accepted, 'yesterday' is a 422, ended before started gives negative latency", async () => {
    const s = await startStandIn();
    try {
      const t = trace({ started_at: 1772359205, ended_at: "2026-03-01 10:00:00" });
      expect((await call(s, "POST", "/traces", t)).status).toBe(202);
      const list = await call(s, "GET", "/traces");
      expect(list.json.items[0]).toMatchObject({ started_at: "2026-03-01T10:00:05+00:00", latency_ms: -5000 });
      const bad = await call(s, "POST", "/traces", trace({ started_at: "yesterday" }));
      expect(bad.json.errors).toEqual([
        { field: "started_at", message: "Input should be a valid datetime or date, input is too short" },
      ]);
    } finally {
      await s.close();
    }
  });
});
