/**
 * Finds the oldest release of a framework major that an integration's suite passes with (a bisection over
 * `npm view <pkg> versions`), to declare it as the peer floor. Not part of the test command: run it when a package
 * is added or a floor is in doubt, then pin the result as an aliased devDependency and a floor entry file
 * (CONTRIBUTING.md, "Adding a package").
 *
 *   node scripts/find-floor.mjs <target> [--from <version>] [--check <version>]
 *   node scripts/find-floor.mjs --list
 *
 * For each candidate it installs the framework with npm into a scratch directory (`$TMPDIR/pandaprobe-floors`),
 * points the package the suite imports (a pnpm symlink under the package's node_modules) at it, runs the suite,
 * and puts the symlink back. Versions are tried oldest-first through a bisection that assumes "passes" is monotone
 * within a major; `--check` runs one version only.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const vitest = ["node_modules/vitest/vitest.mjs", "run"];
const node24 = ["npx", "-y", "node@24"];

/**
 * What each target bisects: `pkg` at `major` (a semver major, or "0.x" for a 0.x minor line), the symlinks to
 * swap (relative to the repo root, each with the package it points at in the scratch install), what else to
 * install beside it, and the suite to run.
 */
const TARGETS = {
  "openai@4": openai(4, "openai-v4", "test/openai-v4.test.ts"),
  "openai@5": openai(5, "openai-v5", "test/openai-v5.test.ts"),
  "openai@6": openai(6, "openai-v6", "test/openai-v6.test.ts"),
  "openai@7": {
    ...openai(7, "openai", ""),
    run: [...node24, "--expose-gc", ...vitest, "--config", "packages/openai/vitest.node24.config.ts"],
  },
  "ai@5": ai(5, "ai-v5", "test/v5.test.ts"),
  "ai@6": ai(6, "ai-v6", "test/v6.test.ts"),
  "ai@7": { ...ai(7, "ai", ""), run: [...node24, ...vitest, "--config", "packages/vercel-ai/vitest.node24.config.ts"] },
  // LangChain lines: @langchain/langgraph is bisected with @langchain/core at `--with` (default: its newest on the
  // line); then @langchain/core with @langchain/langgraph at the floor just found (`--with <that floor>`).
  "@langchain/langgraph@0.4": langchain("@langchain/langgraph", "0.4", "@langchain/core", "0.3", "langgraph-lc03"),
  "@langchain/core@0.3": langchain("@langchain/core", "0.3", "@langchain/langgraph", "0.4", "langgraph-lc03"),
  "@langchain/langgraph@1": langchain("@langchain/langgraph", "1", "@langchain/core", "1", "langgraph"),
  "@langchain/core@1": langchain("@langchain/core", "1", "@langchain/langgraph", "1", "langgraph"),
  // The wrapped-client integrations: the floor alias their floor test file imports.
  "@anthropic-ai/sdk@0": floorOf(
    "@anthropic-ai/sdk",
    "0",
    "anthropic",
    "@anthropic-ai/sdk-v0-floor",
    "anthropic-v0-floor",
    ["zod@3.25.76"],
  ),
  "@anthropic-ai/sdk@1": floorOf(
    "@anthropic-ai/sdk",
    "1",
    "anthropic",
    "@anthropic-ai/sdk-v1-floor",
    "anthropic-v1-floor",
    ["zod@3.25.76"],
  ),
  "@google/genai@1": floorOf("@google/genai", "1", "google-genai", "genai-v1-floor", "genai-v1-floor"),
  "@google/genai@2": floorOf("@google/genai", "2", "google-genai", "genai-v2-floor", "genai-v2-floor"),
  "@google/genai@3": {
    ...floorOf("@google/genai", "3", "google-genai", "genai-v3-floor", ""),
    run: [...node24, ...vitest, "--config", "packages/google-genai/vitest.node24.config.ts", "genai-v3-floor"],
  },
  "@mistralai/mistralai@1": floorOf("@mistralai/mistralai", "1", "mistral", "mistral-v1-floor", "mistral-v1", [
    "zod@3.25.76",
  ]),
  "@mistralai/mistralai@2": floorOf("@mistralai/mistralai", "2", "mistral", "mistral-v2-floor", "mistral-v2", [
    "zod@3.25.76",
  ]),
  "@anthropic-ai/claude-agent-sdk@0.3": floorOf(
    "@anthropic-ai/claude-agent-sdk",
    "0.3",
    "claude-agent-sdk",
    "claude-agent-sdk-v03-floor",
    "v03-floor",
    ["zod@4.6.7"],
  ),
  "@openai/agents@0": floorOf("@openai/agents", "0", "openai-agents", "agents-v0-3", "agents-0.3", ["zod@4.6.7"]),
  "@aws-sdk/client-bedrock-runtime@3": floorOf(
    "@aws-sdk/client-bedrock-runtime",
    "3",
    "bedrock",
    "bedrock-runtime-floor",
    "bedrock-3-floor",
  ),
};

/** A wrapped-client integration's floor test file (`test/<file>.test.ts`), run with its floor alias swapped. */
function floorOf(pkg, major, folder, alias, file, extra = []) {
  return {
    pkg,
    major,
    links: { [`packages/${folder}/node_modules/${alias}`]: pkg },
    extra,
    run: [process.execPath, ...vitest, "--project", folder, `packages/${folder}/test/${file}.test.ts`],
  };
}

function openai(major, alias, file) {
  return {
    pkg: "openai",
    major: String(major),
    links: { [`packages/openai/node_modules/${alias}`]: "openai" },
    extra: ["zod@3.25.76"],
    run: [process.execPath, "--expose-gc", ...vitest, "--project", "openai", `packages/openai/${file}`],
  };
}

function ai(major, alias, file) {
  return {
    pkg: "ai",
    major: String(major),
    links: { [`packages/vercel-ai/node_modules/${alias}`]: "ai" },
    // `ai/test` of some releases imports msw (an optional peer of @ai-sdk/provider-utils).
    extra: ["zod@4.6.7", "msw@2"],
    run: [process.execPath, ...vitest, "--project", "vercel-ai", `packages/vercel-ai/${file}`],
  };
}

function langchain(pkg, major, other, otherMajor, project) {
  const dir = project === "langgraph-lc03" ? "packages/langgraph/compat/lc03" : "packages/langgraph";
  const links = {
    [`${dir}/node_modules/@langchain/core`]: "@langchain/core",
    [`${dir}/node_modules/@langchain/langgraph`]: "@langchain/langgraph",
  };
  if (project === "langgraph") links[`${dir}/node_modules/langchain`] = "langchain";
  return {
    pkg,
    major,
    other: { pkg: other, major: otherMajor },
    links,
    extra: project === "langgraph" ? ["zod@4.6.7"] : ["zod@3.25.76"],
    // langchain (createAgent) follows @langchain/core: the newest langchain 1.x whose peer range accepts it.
    companion: project === "langgraph" ? "langchain" : undefined,
    run: [process.execPath, ...vitest, "--project", project],
  };
}

const args = process.argv.slice(2);
if (args[0] === "--list" || !args[0]) {
  console.log(Object.keys(TARGETS).join("\n"));
  process.exit(0);
}
const target = TARGETS[args[0]];
if (!target) throw new Error(`unknown target ${args[0]}; one of: ${Object.keys(TARGETS).join(", ")}`);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

const scratch = join(tmpdir(), "pandaprobe-floors");
mkdirSync(scratch, { recursive: true });

const npmJson = (...a) => JSON.parse(execFileSync("npm", [...a, "--json"], { encoding: "utf8" }));
const cmp = (a, b) => {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
};
const onLine = (v, major) =>
  /^\d+\.\d+\.\d+$/.test(v) && (major.includes(".") ? v.startsWith(`${major}.`) : v.split(".")[0] === major);
const versionsOf = (pkg, major) =>
  npmJson("view", pkg, "versions")
    .filter((v) => onLine(v, major))
    .sort(cmp);

function companionFor(coreVersion) {
  const versions = versionsOf("langchain", "1");
  for (const v of versions.reverse()) {
    const range = npmJson("view", `langchain@${v}`, "peerDependencies")["@langchain/core"];
    if (satisfies(coreVersion, range)) return `langchain@${v}`;
  }
  return undefined;
}

/** Enough of semver for the ranges seen in these peers: `^x.y.z`, `x.y.z`, `>=a <b`. */
function satisfies(v, range) {
  return range.split("||").some((part) => {
    const p = part.trim();
    if (p.startsWith("^")) {
      const base = p.slice(1);
      const [maj, min] = base.split(".");
      return cmp(v, base) >= 0 && (maj === "0" ? v.startsWith(`0.${min}.`) : v.split(".")[0] === maj);
    }
    const m = p.match(/^>=\s*([\d.]+)\s*<\s*([\d.]+)$/);
    if (m) return cmp(v, m[1]) >= 0 && cmp(v, m[2]) < 0;
    return cmp(v, p) === 0;
  });
}

function install(specs) {
  const dir = join(scratch, specs.join("+").replaceAll("/", "_"));
  if (!existsSync(join(dir, "node_modules"))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), '{"private":true}\n');
    const r = spawnSync(
      "npm",
      ["install", ...specs, "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
      {
        cwd: dir,
        encoding: "utf8",
      },
    );
    if (r.status !== 0) return { dir, error: r.stderr.trim().split("\n").slice(-3).join(" ") };
  }
  // `ai/test` of some releases imports vitest without declaring it: the repo's own, as in the workspace.
  if (!existsSync(join(dir, "node_modules", "vitest")))
    symlinkSync(join(root, "node_modules", "vitest"), join(dir, "node_modules", "vitest"));
  return { dir };
}

/** Runs the suite with the swapped symlinks; true when it passes. */
function tryVersion(version) {
  const specs = [`${target.pkg}@${version}`, ...target.extra];
  let otherVersion;
  if (target.other) {
    otherVersion = opt("--with") ?? versionsOf(target.other.pkg, target.other.major).at(-1);
    specs.push(`${target.other.pkg}@${otherVersion}`);
  }
  if (target.companion) {
    const core = target.pkg === "@langchain/core" ? version : otherVersion;
    const companion = companionFor(core);
    if (companion) specs.push(companion);
  }
  const { dir, error } = install(specs);
  if (error) {
    console.log(`  ${specs.join(" ")}: npm install failed (${error})`);
    return false;
  }
  const swapped = [];
  try {
    for (const [link, pkg] of Object.entries(target.links)) {
      const path = join(root, link);
      if (!existsSync(join(dir, "node_modules", pkg))) continue;
      if (lstatSync(path, { throwIfNoEntry: false })) renameSync(path, `${path}.floor-saved`);
      swapped.push(path);
      symlinkSync(join(dir, "node_modules", pkg), path);
    }
    const [cmd, ...rest] = target.run;
    const r = spawnSync(cmd, rest, {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, CI: "1", NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    const summary = (r.stdout + r.stderr).split("\n").filter((l) => /Tests\s+\d|Test Files/.test(l));
    console.log(`  ${specs.join(" ")}: ${r.status === 0 ? "PASS" : "FAIL"} ${summary.join(" / ").trim()}`);
    if (r.status !== 0 && args.includes("--verbose")) console.log(r.stdout.slice(-4000), r.stderr.slice(-2000));
    return r.status === 0;
  } finally {
    for (const path of swapped) {
      rmSync(path, { force: true });
      if (lstatSync(`${path}.floor-saved`, { throwIfNoEntry: false })) renameSync(`${path}.floor-saved`, path);
    }
  }
}

const check = opt("--check");
if (check) process.exit(tryVersion(check) ? 0 : 1);

let versions = versionsOf(target.pkg, target.major);
const from = opt("--from");
if (from) versions = versions.filter((v) => cmp(v, from) >= 0);
console.log(`${target.pkg} ${target.major}.x: ${versions.length} releases, ${versions[0]} … ${versions.at(-1)}`);
if (!tryVersion(versions.at(-1))) throw new Error("the newest release fails: fix the suite first");
let lo = 0;
let hi = versions.length - 1; // versions[hi] passes
while (lo < hi) {
  const mid = Math.floor((lo + hi) / 2);
  if (tryVersion(versions[mid])) hi = mid;
  else lo = mid + 1;
}
console.log(`floor: ${target.pkg}@${versions[hi]}`);
