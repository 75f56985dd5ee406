// Plain-text tables for the terminal and the README.

const fmt = (v, digits = 0) => {
  if (v === undefined || v === null || Number.isNaN(v)) return "-";
  if (typeof v !== "number") return String(v);
  return v.toFixed(digits);
};
const signed = (v, digits = 0) =>
  typeof v === "number" && Number.isFinite(v) ? (v >= 0 ? "+" : "") + v.toFixed(digits) : "-";

/** Fixed-width table: the first two columns and free-text columns left-aligned, numbers right-aligned. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const textColumn = (i) => i < 2 || ["check", "items received"].includes(headers[i]);
  const line = (r) =>
    r
      .map((c, i) => (textColumn(i) ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

export function latencyTable(results) {
  const rows = results
    .filter((r) => r.kind === "paired")
    .map((r) =>
      r.error
        ? [r.scenario, r.variant, "ERROR", "", "", "", "", "", "", "", "", "", ""]
        : [
            r.scenario,
            r.variant,
            fmt(r.traced.median),
            fmt(r.traced.p99),
            fmt(r.bare.median),
            signed(r.overheadUs),
            fmt(r.ratio, 2),
            signed(r.p99OverheadUs),
            fmt(r.cpuMs),
            signed(r.cpuExtraUsPerOp),
            fmt(r.rssPeakMB),
            fmt(r.heapPeakMB),
            r.status,
          ],
    );
  return table(
    [
      "scenario",
      "variant",
      "median µs",
      "p99 µs",
      "bare µs",
      "overhead µs",
      "ratio",
      "p99 ovh µs",
      "CPU ms",
      "CPU µs/op",
      "RSS MB",
      "heap MB",
      "check",
    ],
    rows,
  );
}

export function flushTable(results) {
  const rows = results
    .filter((r) => r.kind === "paired" && !r.error)
    .map((r) => [
      r.scenario,
      r.variant,
      fmt(r.tracedOps),
      fmt(r.flushMs, 1),
      fmt(r.shutdownMs, 1),
      fmt(r.sink.requests),
      fmt(r.sink.bytes / 1024, 1),
      fmt(r.sinkPer1k.requests, 1),
      fmt(r.sinkPer1k.kb, 1),
      fmt(r.sinkPer1k.decodedKb, 1),
      fmt(r.itemsPerOp, 2),
      Object.entries(r.sink.items)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ") || "-",
    ]);
  return table(
    [
      "scenario",
      "variant",
      "traced ops",
      "flush ms",
      "shutdown ms",
      "sink req",
      "sink KB",
      "req/1k ops",
      "KB/1k ops",
      "decoded KB/1k",
      "items/op",
      "items received",
    ],
    rows,
  );
}

export function importTable(results) {
  const rows = results
    .filter((r) => r.kind === "import")
    .map((r) =>
      r.error
        ? [r.variant, "ERROR", "", "", "", "", "", ""]
        : [
            r.variant,
            fmt(r.sdkMs.median, 1),
            fmt(r.sdkMs.min, 1),
            fmt(r.sdkMs.max, 1),
            fmt(r.totalMs.median, 1),
            signed(r.addedToAppMs, 1),
            fmt(r.rssMB.median),
            signed(r.addedRssMB),
          ],
    );
  return table(
    ["variant", "SDK alone ms", "min", "max", "SDK+app ms", "added to app ms", "RSS MB", "added RSS MB"],
    rows,
  );
}

export function isolationTable(results) {
  const rows = results
    .filter((r) => r.kind === "isolation")
    .map((r) => [
      r.variant,
      r.error ? "ERROR" : r.status,
      fmt(r.untracedOps),
      fmt(r.sink?.requests),
      fmt(r.traceItems),
    ]);
  return table(["variant", "check", "untraced ops", "sink req", "trace items"], rows);
}
