/**
 * What a user does: `npm install <our tarballs> <framework>@<version>` in an empty app, from the npm registry,
 * then the README's quick starts, unchanged, as `.mjs` files. Once with every framework major at its floor (the
 * lower bound of our peer range, read from the packed package.json) and once with the newest releases. npm must
 * print no warning about our packages or their peers, and each quick start must deliver its trace, with its user
 * and session, to the stand-in, printing nothing on stderr. The models are fake provider servers (the examples'
 * OpenAI one, the integrations' test servers for Anthropic, Gemini and Mistral), reached through the SDKs' own
 * environment variables.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startStandIn, type StandIn } from "@pandaprobe/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "../../examples/runner/fake-openai.js";
import { startFakeAnthropic, type FakeAnthropic } from "../../packages/anthropic/test/support/fake-anthropic-server.js";
import {
  API_KEY as GEMINI_KEY,
  startFakeGemini,
  type FakeGemini,
} from "../../packages/google-genai/test/support/fake-gemini-server.js";
import { startFakeMistral, type FakeMistral } from "../../packages/mistral/test/support/fake-mistral-server.js";
import { startFakeAnthropic as startFakeClaudeApi } from "../../examples/runner/fake-claude-api.js";
import { startFakeBedrock } from "../../examples/runner/fake-bedrock.js";
import { publicPackages, root } from "../../scripts/public-packages.mjs";
import { tarballOf } from "./pack.js";

const packages = new Map(publicPackages().map((p) => [p.name, p.pkg]));

/** The quick starts of the root README, by their `<!-- quickstart: name -->` marker. */
const quickstarts = new Map(
  [
    ...readFileSync(join(root, "README.md"), "utf8").matchAll(/<!-- quickstart: ([\w-]+) -->\s*```js\n([\s\S]*?)```/g),
  ].map((m) => [m[1], m[2]] as const),
);

/** The lower bound of the part of our peer range for `peer` that covers `line` ("4", "0.3"). */
function floor(pkgName: string, peer: string, line: string): string {
  const range: string = packages.get(pkgName).peerDependencies[peer];
  const parts = range.split("||").map((p) => p.trim());
  const bound = parts.map((p) => p.replace(/^(\^|>=\s*)/, "").split(/\s+/)[0]).find((v) => v.startsWith(`${line}.`));
  if (bound) return bound;
  // A line that starts inside a ">=a <b" part (">=0.50.1 <2" covers 1.x from 1.0.0).
  const first = `${line}.0.0`.split(".").slice(0, 3).join(".");
  const covers = parts.some((p) => {
    const m = p.match(/^>=\s*(\d+)\.\d+\.\d+\s*<\s*(\d+)/);
    return m && Number(m[1]) < Number(line) && Number(line) < Number(m[2]);
  });
  if (covers) return first;
  throw new Error(`${pkgName} declares no ${peer} ${line}.x (peer range "${range}")`);
}

interface App {
  title: string;
  /** `20`: the Node running the tests; `24`: Node 24 from npm (AI SDK 7 and openai 7 need Node 22+). */
  node: "20" | "24";
  /** Our packages to install (besides core). */
  ours: string[];
  /** Frameworks and what the quick starts import besides them. */
  deps: () => string[];
  quickstarts: string[];
}

/** Every published package but core (always installed). */
const ALL = [...packages.keys()].filter((n) => n !== "@pandaprobe/core");

const APPS: App[] = [
  {
    title: "floors: openai 4, @langchain/core 0.3 + @langchain/langgraph 0.4, ai 5, Anthropic 0.x, Gen AI 1, Mistral 1",
    node: "20",
    ours: ALL,
    deps: () => [
      `openai@${floor("@pandaprobe/openai", "openai", "4")}`,
      `@langchain/core@${floor("@pandaprobe/langgraph", "@langchain/core", "0.3")}`,
      `@langchain/langgraph@${floor("@pandaprobe/langgraph", "@langchain/langgraph", "0.4")}`,
      "@langchain/openai@0.5",
      `ai@${floor("@pandaprobe/vercel-ai", "ai", "5")}`,
      "@ai-sdk/openai@2",
      `@anthropic-ai/sdk@${floor("@pandaprobe/anthropic", "@anthropic-ai/sdk", "0")}`,
      `@google/genai@${floor("@pandaprobe/google-genai", "@google/genai", "1")}`,
      `@mistralai/mistralai@${floor("@pandaprobe/mistral", "@mistralai/mistralai", "1")}`,
    ],
    quickstarts: ["core", "openai", "langgraph", "vercel-ai", "anthropic", "google-genai", "mistral"],
  },
  {
    title: "floors: openai 5, @langchain/core 1 + @langchain/langgraph 1, ai 6, Anthropic 1, Gen AI 2, Mistral 2",
    node: "20",
    ours: ALL,
    deps: () => [
      `openai@${floor("@pandaprobe/openai", "openai", "5")}`,
      `@langchain/core@${floor("@pandaprobe/langgraph", "@langchain/core", "1")}`,
      `@langchain/langgraph@${floor("@pandaprobe/langgraph", "@langchain/langgraph", "1")}`,
      "@langchain/openai@1.4.0",
      `ai@${floor("@pandaprobe/vercel-ai", "ai", "6")}`,
      "@ai-sdk/openai@3",
      `@anthropic-ai/sdk@${floor("@pandaprobe/anthropic", "@anthropic-ai/sdk", "1")}`,
      `@google/genai@${floor("@pandaprobe/google-genai", "@google/genai", "2")}`,
      `@mistralai/mistralai@${floor("@pandaprobe/mistral", "@mistralai/mistralai", "2")}`,
    ],
    quickstarts: ["core", "openai", "langgraph", "vercel-ai", "anthropic", "google-genai", "mistral"],
  },
  {
    // The Claude Agent SDK needs zod 4, which openai 4 and 5 (an optional peer: zod 3) do not accept beside it.
    // The OpenAI Agents SDK's floor depends on openai 6 and takes zod 4 as well.
    title: "floors: openai 6, the Claude Agent SDK 0.3, the OpenAI Agents SDK 0.3",
    node: "20",
    ours: ["@pandaprobe/openai", "@pandaprobe/claude-agent-sdk", "@pandaprobe/openai-agents"],
    deps: () => [
      `openai@${floor("@pandaprobe/openai", "openai", "6")}`,
      `@anthropic-ai/claude-agent-sdk@${floor("@pandaprobe/claude-agent-sdk", "@anthropic-ai/claude-agent-sdk", "0.3")}`,
      `@openai/agents@${floor("@pandaprobe/openai-agents", "@openai/agents", "0.3")}`,
    ],
    quickstarts: ["openai", "claude-agent-sdk"],
  },
  {
    // Node 24 also for Bedrock: the AWS SDK warns on Node 20 (its 2027 releases need Node 22).
    title: "floors on Node 24: openai 7, ai 7, Gen AI 3, Bedrock",
    node: "24",
    ours: ["@pandaprobe/openai", "@pandaprobe/vercel-ai", "@pandaprobe/google-genai", "@pandaprobe/bedrock"],
    deps: () => [
      `openai@${floor("@pandaprobe/openai", "openai", "7")}`,
      `ai@${floor("@pandaprobe/vercel-ai", "ai", "7")}`,
      "@ai-sdk/openai@4",
      `@google/genai@${floor("@pandaprobe/google-genai", "@google/genai", "3")}`,
      `@aws-sdk/client-bedrock-runtime@${floor("@pandaprobe/bedrock", "@aws-sdk/client-bedrock-runtime", "3")}`,
    ],
    quickstarts: ["openai", "vercel-ai-7", "google-genai", "bedrock"],
  },
  {
    title: "newest releases (no versions given), Node 24",
    node: "24",
    ours: ALL,
    deps: () => [
      "openai",
      "@langchain/core",
      "@langchain/langgraph",
      "@langchain/openai",
      "ai",
      "@ai-sdk/openai",
      "@anthropic-ai/sdk",
      "@google/genai",
      "@mistralai/mistralai",
      "@anthropic-ai/claude-agent-sdk",
      "@aws-sdk/client-bedrock-runtime",
      "@openai/agents",
    ],
    // Not the OpenAI Agents SDK's quick start: it keeps the SDK's own trace export, whose endpoint is always
    // api.openai.com (no network here). Its example runs through the runner with PandaProbe as the only processor.
    quickstarts: [
      "core",
      "openai",
      "langgraph",
      "vercel-ai-7",
      "anthropic",
      "google-genai",
      "mistral",
      "claude-agent-sdk",
      "bedrock",
    ],
  },
];

const scratch = mkdtempSync(join(tmpdir(), "pandaprobe-apps-"));
let node24: string;
let standIn: StandIn;
let fakeOpenAI: FakeOpenAI;
let fakeAnthropic: FakeAnthropic;
let fakeGemini: FakeGemini;
let fakeMistral: FakeMistral;
let fakeClaudeApi: { baseURL: string; close(): Promise<void> };
let fakeBedrock: { endpoint: string; close(): Promise<void> };
beforeAll(async () => {
  node24 = execFileSync("npx", ["-y", "node@24", "-p", "process.execPath"], { encoding: "utf8" }).trim();
  standIn = await startStandIn({ persistDelayMs: 0 });
  fakeOpenAI = await startFakeOpenAI();
  fakeAnthropic = await startFakeAnthropic();
  fakeGemini = await startFakeGemini();
  fakeMistral = await startFakeMistral();
  fakeClaudeApi = await startFakeClaudeApi(join(scratch, "notes.txt"));
  fakeBedrock = await startFakeBedrock();
}, 120_000);
afterAll(async () => {
  await standIn?.close();
  await fakeOpenAI?.close();
  await fakeAnthropic?.close();
  await fakeGemini?.close();
  await fakeMistral?.close();
  await fakeClaudeApi?.close();
  await fakeBedrock?.close();
  await rm(scratch, { recursive: true, force: true });
}, 120_000);

/** npm's own CLI, run by the given Node (its engine checks are that Node's). */
const npmCli = join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js");

function run(nodeBin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(nodeBin, args, { cwd, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(APPS.map((a) => [a.title, a] as const))("an empty app, %s", (_title, app) => {
  let dir: string;
  const nodeBin = () => (app.node === "24" ? node24 : process.execPath);
  afterAll(() => rm(dir, { recursive: true, force: true }), 120_000); // its node_modules: hundreds of MB

  it("npm install <tarballs> <frameworks> succeeds without a warning", { timeout: 240_000 }, async () => {
    dir = mkdtempSync(join(scratch, "app-"));
    writeFileSync(join(dir, "package.json"), '{ "name": "quickstart-app", "private": true }\n');
    const tarballs = ["@pandaprobe/core", ...app.ours].map((n) => tarballOf(n, packages.get(n).version));
    const r = await run(
      nodeBin(),
      [npmCli, "install", "--no-audit", "--no-fund", "--no-update-notifier", ...tarballs, ...app.deps()],
      dir,
      { npm_config_loglevel: "warn" },
    );
    expect(r.code, r.stderr).toBe(0);
    // npm 11 lists every dependency with an install script it has not been allowed to run (here @google/genai and
    // protobufjs, never ours): those lines are about third-party packages, and name ours if ever one has a script.
    const warnings = `${r.stdout}\n${r.stderr}`
      .split("\n")
      .filter((l) => /\bwarn\b/i.test(l))
      .filter((l) => !/^npm warn install-scripts\b/.test(l) || l.includes("@pandaprobe"));
    expect(warnings).toEqual([]);
  });

  it.each(app.quickstarts)(
    "the README's %s quick start runs and delivers its trace",
    { timeout: 60_000 },
    async (qs) => {
      const code = quickstarts.get(qs);
      expect(code, `README.md has no <!-- quickstart: ${qs} --> block`).toBeDefined();
      const file = join(dir, `quickstart-${qs}.mjs`);
      writeFileSync(file, code!);
      standIn.reset();
      const r = await run(nodeBin(), [file], dir, {
        PANDAPROBE_API_KEY: standIn.apiKey,
        PANDAPROBE_PROJECT_NAME: standIn.projectName,
        PANDAPROBE_ENDPOINT: standIn.url,
        OPENAI_API_KEY: "sk-fake",
        OPENAI_BASE_URL: fakeOpenAI.baseURL,
        ANTHROPIC_API_KEY: "sk-ant-fake",
        // The Claude Agent SDK's CLI gets the Messages API scripted for it, and a home of its own, offline.
        ANTHROPIC_BASE_URL: qs === "claude-agent-sdk" ? fakeClaudeApi.baseURL : fakeAnthropic.baseURL,
        ...(qs === "claude-agent-sdk" ? { HOME: dir, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" } : {}),
        GEMINI_API_KEY: GEMINI_KEY,
        GOOGLE_GEMINI_BASE_URL: fakeGemini.baseUrl,
        MISTRAL_API_KEY: "fake-mistral-key",
        MISTRAL_SERVER_URL: fakeMistral.serverURL,
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fakeBedrock.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "fake-secret",
      });
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
      const [trace] = await standIn.waitForTraces(1, { timeoutMs: 5_000 });
      expect(trace).toMatchObject({ user_id: "user-42", session_id: "chat-7" });
      expect(trace.spans.some((s) => s.kind === "LLM")).toBe(true);
      expect(standIn.schemaErrors()).toEqual([]);
    },
  );
});
