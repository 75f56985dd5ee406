/**
 * The API report of every published entry point (api-extractor, from the built declarations in `dist`):
 * `packages/<name>/api/<entry>.api.md`, committed. Run after `pnpm build`.
 *
 *   node scripts/api-report.mjs            check: fails when an entry's API differs from its committed report
 *   node scripts/api-report.mjs --accept   rewrite the reports (then review `git diff packages/*\/api` and commit)
 *
 * `npx -y pnpm@9.15.9 api:accept` builds first and accepts. Every package in `scripts/public-packages.mjs` is
 * covered: a new package without a report fails the check until its report is accepted.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";
import { publicPackages, root } from "./public-packages.mjs";

const accept = process.argv.includes("--accept");
const changed = [];
const problems = [];
const missing = new Set();
const diffs = [];

for (const { dir, folder, name, entries } of publicPackages()) {
  for (const entry of entries) {
    const reportFolder = join(dir, "api");
    mkdirSync(reportFolder, { recursive: true });
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: dir,
        mainEntryPointFilePath: join(dir, entry.dts),
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              target: "ES2022",
              module: "ESNext",
              moduleResolution: "Bundler",
              lib: ["ES2023", "DOM"],
              types: ["node"],
              strict: true,
              skipLibCheck: true,
            },
          },
        },
        apiReport: {
          enabled: true,
          reportFileName: `${entry.report}.api.md`,
          reportFolder,
          reportTempFolder: join(root, "node_modules", ".cache", "api-report", folder),
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          // Doc comments are prose for people (and typedoc), not TSDoc: no TSDoc syntax warnings.
          tsdocMessageReporting: { default: { logLevel: "none" } },
          extractorMessageReporting: {
            default: { logLevel: "warning", addToApiReportFile: true },
            // No release tags (@public/@beta): every export of an entry point is public.
            "ae-missing-release-tag": { logLevel: "none", addToApiReportFile: false },
            // A type the API uses but the entry point does not export: written into the report for review.
            "ae-forgotten-export": { logLevel: "none", addToApiReportFile: true },
            // Doc comments are checked by the API reference build (scripts/api-docs.mjs), not here.
            "ae-undocumented": { logLevel: "none", addToApiReportFile: false },
          },
          compilerMessageReporting: { default: { logLevel: "warning" } },
        },
      },
      configObjectFullPath: join(dir, "api-extractor.json"),
      packageJsonFullPath: join(dir, "package.json"),
    });
    const label = entry.subpath === "." ? name : `${name}/${entry.subpath.slice(2)}`;
    const messages = [];
    const result = Extractor.invoke(config, {
      localBuild: accept,
      messageCallback: (m) => {
        m.handled = true;
        if (m.messageId === "console-api-report-not-copied") missing.add(label);
        else if (m.messageId?.startsWith("console-api-report-"))
          return; // reported below, in our words
        else if (m.logLevel === "error" || m.logLevel === "warning") messages.push(`${label}: ${m.text}`);
      },
    });
    problems.push(...messages);
    const committed = join(reportFolder, `${entry.report}.api.md`);
    if (result.apiReportChanged || missing.has(label)) {
      changed.push(`${label}: ${relative(root, committed)}${existsSync(committed) ? "" : " (none committed yet)"}`);
      const built = join(root, "node_modules", ".cache", "api-report", folder, `${entry.report}.api.md`);
      if (!accept && existsSync(committed))
        diffs.push(
          spawnSync("git", ["diff", "--no-index", "--no-color", committed, built], { encoding: "utf8" }).stdout,
        );
    } else if (!result.succeeded) problems.push(`${label}: api-extractor failed`);
  }
}

if (problems.length) {
  console.error(`API report problems:\n  ${problems.join("\n  ")}`);
  process.exitCode = 1;
}
if (changed.length && accept) console.log(`API reports updated (review and commit them):\n  ${changed.join("\n  ")}`);
else if (changed.length) {
  console.error(
    `${diffs.join("\n")}\nThe public API changed, and the change is not in the committed API report:\n  ${changed.join("\n  ")}\n` +
      `(the diff above: committed, then built).\n` +
      "If the change is meant: npx -y pnpm@9.15.9 api:accept, review `git diff packages/*/api`, commit the reports\n" +
      "and add a changeset (CONTRIBUTING.md, API changes).",
  );
  process.exitCode = 1;
} else if (!problems.length)
  console.log(`API reports: ${publicPackages().flatMap((p) => p.entries).length} entry points match.`);
