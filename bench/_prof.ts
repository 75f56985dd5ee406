import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { startChildStandIn } from "./lib.js";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { spawnNode } from "./lib.js";
const loadBuilt = (path: string) => import(pathToFileURL(resolve(process.cwd(), path)).href);
const core = await loadBuilt("packages/core/dist/index.js");
const { wrapOpenAI } = await loadBuilt("packages/openai/dist/index.js");
const OpenAI = (await loadBuilt("packages/openai/node_modules/openai-v6/index.js")).default;
const standIn = await startChildStandIn();
const child = spawnNode(["--import", "tsx", "bench/openai.ts", "--fake-openai", "1"], { stdio: ["pipe", "pipe", "inherit"] });
const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
const baseURL = JSON.parse(line).baseURL;
const pp = new core.PandaProbe({ ...standIn.options, tracesPerMinute: 0, batchSize: 1000, flushInterval: 3600 });
const mode = process.env.MODE ?? "wrapped";
const c = new OpenAI({ apiKey: "sk-fake", baseURL, maxRetries: 0 });
const client = mode === "wrapped" ? wrapOpenAI(c, { client: pp, userId: "bench-user" }) : c;
const stream = process.env.STREAM === "1";
const params = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Weather in Paris?" }], temperature: 0.2, ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) };
const N = Number(process.env.N ?? 8000);
const op = async () => { const r = await client.chat.completions.create(params); if (stream) for await (const _ of r); };
for (let i = 0; i < 1000; i++) { await op(); if (i % 25 === 24) await pp.flush(); }
const c0 = process.cpuUsage();
for (let i = 0; i < N; i++) { await op(); if (i % 25 === 24) await pp.flush(); }
const cu = process.cpuUsage(c0);
console.log(mode, "cpu/call", ((cu.user + cu.system) / N).toFixed(1), "user", (cu.user/N).toFixed(1), "sys", (cu.system/N).toFixed(1));
await pp.shutdown();
await standIn.close(); child.stdin!.end();
