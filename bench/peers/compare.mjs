#!/usr/bin/env node
// Markdown tables comparing several result files side by side ("run1 / run2").
//
//   node compare.mjs results/run1.json results/run2.json [> table.md]
import fs from "node:fs";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node compare.mjs results/a.json [results/b.json ...]");
  process.exit(2);
}
const runs = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")));

const num = (v, d = 0) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(d) : "-");
const sgn = (v, d = 0) => (typeof v === "number" && Number.isFinite(v) ? (v >= 0 ? "+" : "") + v.toFixed(d) : "-");
const across = (pick) => runs.map((run) => pick(run)).join(" / ");

function find(run, kind, scenario, variant) {
  return run.results.find((r) => r.kind === kind && r.scenario === scenario && r.variant === variant && !r.error);
}

function mdTable(headers, rows) {
  return [
    `| ${headers.join(" | ")} |`,
    `|${headers.map((_, i) => (i < 2 ? "---" : "---:")).join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

const keys = [];
for (const run of runs)
  for (const r of run.results)
    if (r.kind === "paired" && !keys.some((k) => k.scenario === r.scenario && k.variant === r.variant))
      keys.push({ scenario: r.scenario, variant: r.variant });

const latencyRows = keys.map(({ scenario, variant }) => {
  const cell = (fn) =>
    across((run) => {
      const r = find(run, "paired", scenario, variant);
      return r ? fn(r) : "-";
    });
  return [
    scenario,
    variant,
    cell((r) => num(r.traced.median)),
    cell((r) => num(r.traced.p99)),
    cell((r) => sgn(r.overheadUs)),
    cell((r) => num(r.ratio, 2)),
    cell((r) => sgn(r.cpuExtraUsPerOp)),
    cell((r) => num(r.cpuMs)),
    cell((r) => num(r.rssPeakMB)),
    cell((r) => num(r.heapPeakMB)),
  ];
});

const flushRows = keys
  .filter((k) => k.variant !== "bare")
  .map(({ scenario, variant }) => {
    const cell = (fn) =>
      across((run) => {
        const r = find(run, "paired", scenario, variant);
        return r ? fn(r) : "-";
      });
    return [
      scenario,
      variant,
      cell((r) => num(r.flushMs, 1)),
      cell((r) => num(r.sinkPer1k.requests, 1)),
      cell((r) => num(r.sinkPer1k.kb)),
      cell((r) => num(r.sinkPer1k.decodedKb)),
      cell((r) => num(r.itemsPerOp, 2)),
    ];
  });

const importVariants = [
  ...new Set(runs.flatMap((run) => run.results.filter((r) => r.kind === "import").map((r) => r.variant))),
];
const importRows = importVariants.map((variant) => {
  const cell = (fn) =>
    across((run) => {
      const r = run.results.find((x) => x.kind === "import" && x.variant === variant && !x.error);
      return r ? fn(r) : "-";
    });
  return [
    "import",
    variant,
    cell((r) => num(r.sdkMs.median, 1)),
    cell((r) => sgn(r.addedToAppMs)),
    cell((r) => num(r.rssMB.median)),
    cell((r) => sgn(r.addedRssMB)),
  ];
});

const out = [];
out.push(
  `Runs: ${runs.map((r, i) => `#${i + 1} ${r.meta.date} (node ${r.meta.node}, sink latency ${r.meta.options.sinkLatencyMs ?? 0} ms)`).join("; ")}. Cells are run1 / run2 / ...\n`,
);
out.push(
  mdTable(
    [
      "scenario",
      "variant",
      "median µs",
      "p99 µs",
      "overhead µs (median)",
      "ratio",
      "extra CPU µs/op",
      "CPU ms",
      "peak RSS MB",
      "peak heap MB",
    ],
    latencyRows,
  ),
);
if (flushRows.length) {
  out.push("");
  out.push(
    mdTable(
      [
        "scenario",
        "variant",
        "flush ms",
        "sink req / 1k ops",
        "sink KB / 1k ops (wire)",
        "KB / 1k ops (decoded)",
        "items / op",
      ],
      flushRows,
    ),
  );
}
if (importRows.length) {
  out.push("");
  out.push(mdTable(["scenario", "variant", "SDK alone ms", "added to app ms", "RSS MB", "added RSS MB"], importRows));
}
console.log(out.join("\n"));
