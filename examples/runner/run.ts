/**
 * Runs an example the way you run your own app, with nothing to sign up for first: it starts a local PandaProbe
 * backend (the stand-in the SDK's tests use: the real backend's API, checked against its OpenAPI schema) and a fake
 * OpenAI server, runs the example's program with `PANDAPROBE_*` and `OPENAI_*` set to them, then shows what the
 * backend received. With `PANDAPROBE_API_KEY` set, the program sends to your PandaProbe project instead.
 *
 *   npx -y pnpm@9.15.9 example <core|openai|langgraph|vercel-ai>      (`npx -y pnpm@9.15.9 demo` runs `core`)
 *
 * The programs import only what an app installs (`@pandaprobe/*` and the framework); this runner is ours.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { formatTraceTree, startStandIn, type TraceResponse } from "@pandaprobe/testing";
import { startFakeAnthropic } from "./fake-anthropic.js";
import { startFakeBedrock } from "./fake-bedrock.js";
import { startFakeAnthropic as startFakeClaudeApi } from "./fake-claude-api.js";
import { startFakeGemini } from "./fake-gemini.js";
import { startFakeMistral } from "./fake-mistral.js";
import { startFakeOpenAI } from "./fake-openai.js";
import { startFakeResponses } from "./fake-responses.js";

const examplesDir = fileURLToPath(new URL("..", import.meta.url));
const packageOf = (name: string) =>
  JSON.parse(readFileSync(`${examplesDir}${name}/package.json`, "utf8")) as {
    main?: string;
    description?: string;
    dependencies?: Record<string, string>;
  };
const examples = readdirSync(examplesDir).filter(
  (d) => existsSync(`${examplesDir}${d}/package.json`) && packageOf(d).main !== undefined,
);

const name = process.argv[2];
if (!name || !examples.includes(name)) {
  console.error(`Which example? npx -y pnpm@9.15.9 example <${examples.join("|")}>`);
  process.exit(2);
}
const pkg = packageOf(name);
const program = `examples/${name}/${pkg.main}`;
/** The model providers the program's dependencies talk to, by the fake server the runner starts for each. */
const providers = Object.keys(pkg.dependencies ?? {}).flatMap((d) =>
  /(^|\/)openai$/.test(d)
    ? ["OpenAI"]
    : d === "@openai/agents"
      ? ["OpenAI Responses"]
      : d === "@aws-sdk/client-bedrock-runtime"
        ? ["Bedrock"]
        : d === "@anthropic-ai/sdk"
          ? ["Anthropic"]
          : d === "@anthropic-ai/claude-agent-sdk"
            ? ["Claude"]
            : d === "@google/genai"
              ? ["Gemini"]
              : d === "@mistralai/mistralai"
                ? ["Mistral"]
                : [],
);
const line = (title: string) => console.log(`\n── ${title} ${"─".repeat(Math.max(3, 100 - title.length))}\n`);

const ownBackend = !!process.env.PANDAPROBE_API_KEY;
const standIn = ownBackend ? undefined : await startStandIn({ persistDelayMs: 0 });
const fakes = {
  OpenAI: await startFakeOpenAI(),
  "OpenAI Responses": await startFakeResponses(), // the Responses API, as the OpenAI Agents SDK uses it
  Bedrock: await startFakeBedrock(),
  Anthropic: await startFakeAnthropic(),
  // The Claude Agent SDK's CLI speaks the Messages API too, scripted for the claude-agent-sdk example (its notes).
  Claude: await startFakeClaudeApi(`${examplesDir}claude-agent-sdk/notes.txt`),
  Gemini: await startFakeGemini(),
  Mistral: await startFakeMistral(),
};
const fakeURL = {
  OpenAI: fakes.OpenAI.baseURL,
  "OpenAI Responses": fakes["OpenAI Responses"].baseURL,
  Bedrock: fakes.Bedrock.endpoint,
  Anthropic: fakes.Anthropic.baseURL,
  Claude: fakes.Claude.baseURL,
  Gemini: fakes.Gemini.baseUrl,
  Mistral: fakes.Mistral.serverURL,
};

/** What a user would otherwise need for the provider. */
const keyOf: Record<string, string> = {
  "OpenAI Responses": "OpenAI key",
  Bedrock: "AWS account",
  Claude: "Anthropic key",
  Gemini: "Gemini key",
};

line(`PandaProbe example "${name}": ${program}`);
if (pkg.description) console.log(pkg.description);
console.log(
  standIn
    ? `Traces go to a local PandaProbe backend started for this run (${standIn.url}); set PANDAPROBE_API_KEY and\nPANDAPROBE_PROJECT_NAME to send them to your PandaProbe project instead.`
    : `Traces go to your PandaProbe project "${process.env.PANDAPROBE_PROJECT_NAME ?? "(PANDAPROBE_PROJECT_NAME is not set)"}" at ${process.env.PANDAPROBE_ENDPOINT ?? "https://api.pandaprobe.com"}.`,
);
for (const p of new Set(providers))
  console.log(
    `The model is a fake ${p} server (${fakeURL[p as keyof typeof fakeURL]}), so no ${keyOf[p] ?? `${p} key`} is needed.`,
  );
line("the program's output");

const env: NodeJS.ProcessEnv = {
  ...process.env,
  TSX_TSCONFIG_PATH: `${examplesDir}tsconfig.json`, // the @pandaprobe/* packages from source: nothing to build
  // The providers' own variables (MISTRAL_SERVER_URL is the example's: the Mistral SDK reads no base URL).
  OPENAI_BASE_URL: providers.includes("OpenAI Responses") ? fakeURL["OpenAI Responses"] : fakeURL.OpenAI,
  OPENAI_API_KEY: "sk-fake-key-for-the-example",
  ANTHROPIC_BASE_URL: providers.includes("Claude") ? fakeURL.Claude : fakeURL.Anthropic,
  ANTHROPIC_API_KEY: "sk-ant-fake-key-for-the-example",
  GOOGLE_GEMINI_BASE_URL: fakeURL.Gemini,
  GEMINI_API_KEY: "fake-gemini-key-for-the-example",
  MISTRAL_SERVER_URL: fakeURL.Mistral,
  MISTRAL_API_KEY: "fake-mistral-key-for-the-example",
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fakeURL.Bedrock,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
  AWS_SECRET_ACCESS_KEY: "fake-secret-for-the-example",
};
if (standIn)
  Object.assign(env, {
    PANDAPROBE_API_KEY: standIn.apiKey,
    PANDAPROBE_PROJECT_NAME: standIn.projectName,
    PANDAPROBE_ENDPOINT: standIn.url,
  });
const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const code = await new Promise<number>((resolve) => {
  const child = spawn(process.execPath, [tsx, pkg.main!], { cwd: `${examplesDir}${name}`, env, stdio: "inherit" });
  child.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0)));
});
await Promise.all(Object.values(fakes).map((f) => f.close()));

if (code !== 0) {
  await standIn?.close();
  line(`the program failed (exit code ${code})`);
  process.exit(code);
}
if (standIn) {
  line("what the PandaProbe backend received");
  const accepted = new Set(
    standIn.requests
      .filter((r) => r.method === "POST" && r.path === "/traces" && r.status === 202)
      .map((r) => (r.body as { trace_id: string }).trace_id),
  );
  const traces = accepted.size > 0 ? await standIn.waitForTraces(accepted.size, { timeoutMs: 5000 }) : [];
  const scores = standIn.scores();
  const problems = standIn.schemaErrors();
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  console.log(
    `${count(traces.length, "trace")}${scores.length ? ` and ${count(scores.length, "score")}` : ""}` +
      (problems.length
        ? `; requests the real backend would refuse: ${JSON.stringify(problems)}`
        : ", every request valid for the PandaProbe API") +
      ".\n",
  );
  for (const t of traces) console.log(`${describe(t)}\n`);
  for (const s of scores) {
    const turn = traces.findIndex((t) => t.trace_id === s.trace_id);
    console.log(
      `score "${s.name}" = ${s.value} on trace ${turn + 1} ("${traces[turn]?.name}")${s.reason ? `, reason: ${s.reason}` : ""}`,
    );
  }
  await standIn.close();
  line("next");
  console.log(
    [
      "See your traces in PandaProbe: create an API key (sk_pp_...) for your organization in the PandaProbe app",
      "(https://www.pandaprobe.com), then run this again with it:",
      `    PANDAPROBE_API_KEY=sk_pp_... PANDAPROBE_PROJECT_NAME=my-first-project npx -y pnpm@9.15.9 ${name === "core" ? "demo" : `example ${name}`}`,
      "The project is created on first use. A self-hosted backend: also set PANDAPROBE_ENDPOINT=https://your-host.",
      'Trace your own app: README.md, "Quick start" (npm install @pandaprobe/core and the package for your framework).',
      "Other examples: npx -y pnpm@9.15.9 example <name>, where <name> is one of",
      `    ${examples.filter((e) => e !== name).join(", ")}.`,
    ].join("\n"),
  );
  process.exitCode = problems.length ? 1 : 0;
} else {
  line("next");
  console.log("Open your project in the PandaProbe app to see the traces (they are stored within seconds).");
}

/** A received trace: who and what (its input's last message and its output), then its spans as a tree. */
function describe(t: TraceResponse): string {
  const last = (io: unknown) => {
    const messages = (io as { messages?: unknown[] } | null)?.messages;
    return JSON.stringify(Array.isArray(messages) ? messages.at(-1) : io);
  };
  const [head, ...spans] = formatTraceTree(t).split("\n");
  return [
    head,
    `  input:  ${last(t.input)}`,
    `  output: ${last(t.output)}`,
    "  spans:",
    ...spans.map((s) => `    ${s}`),
  ].join("\n");
}
