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
  const textColumn = (i) => i < 2 || ["check", "items received", "best peer", "peers"].includes(headers[i]);
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
        ? [
            r.scenario,
            r.variant,
            "ERROR",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            r.error.split("\n")[0].slice(0, 80),
          ]
        : [
            r.scenario,
            r.variant,
            fmt(r.traced.median),
            fmt(r.traced.p99),
            fmt(r.bare.median),
            signed(r.overheadUs),
            fmt(r.ratio, 2),
            fmt(r.vsFloor, 2),
            fmt(r.vsBestPeer, 2),
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
      "÷ floor",
      "÷ best peer",
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
      fmt(r.sink.traces),
      fmt(r.sink.spans),
      fmt(r.spansPerTrace, 1),
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
      "traces",
      "spans",
      "spans/trace",
      "items received",
    ],
    rows,
  );
}

/**
 * One line per scenario: the floor's ratio, this project's (`ours`), the best peer's, and ours relative to both
 * (1.00 = the same cost; below 1 = cheaper). Peers that lost traces are not candidates for best peer.
 */
export function summaryTable(results, ours = "pandaprobe") {
  const paired = results.filter((r) => r.kind === "paired");
  const rows = [...new Set(paired.map((r) => r.scenario))].map((scenario) => {
    const of = (variant) => paired.find((r) => r.scenario === scenario && r.variant === variant && !r.error);
    const mine = of(ours);
    const floor = of("floor");
    const best = mine?.bestPeer ? of(mine.bestPeer) : null;
    const peers = paired.filter((r) => r.scenario === scenario && !["bare", "floor", ours].includes(r.variant));
    return [
      scenario,
      fmt(floor?.ratio, 2),
      mine ? fmt(mine.ratio, 2) : "n/a",
      best ? `${best.variant} ${fmt(best.ratio, 2)}` : "-",
      fmt(mine?.vsFloor, 2),
      fmt(mine?.vsBestPeer, 2),
      mine ? mine.status : "n/a",
      peers.map((r) => `${r.variant}:${r.error ? "ERROR" : r.status === "ok" ? "ok" : "check"}`).join(" ") || "-",
    ];
  });
  return table(
    ["scenario", "floor", `${ours}`, "best peer", `${ours} ÷ floor`, `${ours} ÷ best peer`, "check", "peers"],
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
