/**
 * The migration guide's "after" example (docs/migrating-from-pandaprobe.md) is real code: it is taken from the guide
 * as it is, run in a process of its own against the stand-in, and what it stores is checked.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { runModule } from "./child-process.js";
import { startStandIn, type StandIn } from "./helpers.js";

const guide = fileURLToPath(new URL("../../../docs/migrating-from-pandaprobe.md", import.meta.url));
const coreIndex = fileURLToPath(new URL("../src/index.ts", import.meta.url));

/** The first ```ts block after the line starting with `heading`. */
function codeAfter(markdown: string, heading: string): string {
  const from = markdown.indexOf(heading);
  expect(from).toBeGreaterThanOrEqual(0);
  const match = /```ts\n([\s\S]*?)```/.exec(markdown.slice(from));
  expect(match).not.toBeNull();
  return match![1]!;
}

let standIn: StandIn | undefined;
let dir: string | undefined;
afterEach(async () => {
  await standIn?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  standIn = dir = undefined;
});

describe("docs/migrating-from-pandaprobe.md", () => {
  it("its 'after' example differs from the 'before' one by the four listed edits, runs, and stores what it records", async () => {
    const markdown = readFileSync(guide, "utf8");
    const after = codeAfter(markdown, "After, with `@pandaprobe/core`");
    const before = codeAfter(markdown, "Before, with `pandaprobe`");
    // The example differs from the `pandaprobe` one by the four edits the guide lists, and nothing else: the package
    // name in the import, and three lines.
    const split = (code: string) => {
      const end = code.indexOf(";", code.indexOf(" from ")) + 1;
      return {
        imports: code.slice(0, end).replace(/\s+/g, " ").replace(/,? }/, " }"),
        body: code.slice(end).split("\n"),
      };
    };
    const [a, b] = [split(after), split(before)];
    expect(a.imports).toBe(b.imports.replace('"pandaprobe"', '"@pandaprobe/core"'));
    expect(a.body).toHaveLength(b.body.length);
    expect(a.body.filter((line, i) => line !== b.body[i])).toHaveLength(3);

    standIn = await startStandIn();
    dir = mkdtempSync(join(tmpdir(), "pandaprobe-migration-"));
    const file = join(dir, "after.mts");
    writeFileSync(file, after.replace('from "@pandaprobe/core"', `from ${JSON.stringify(coreIndex)}`));
    const { code, stderr } = await runModule(`await import(${JSON.stringify(file)});`, {
      tsx: true,
      env: { PANDAPROBE_API_KEY: standIn.apiKey, PANDAPROBE_ENDPOINT: standIn.url },
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);

    const traces = await standIn.waitForTraces(3);
    const byName = new Map(traces.map((t) => [t.name, t]));
    const agent = byName.get("agent")!;
    expect(agent).toMatchObject({
      session_id: "conv-123",
      user_id: "user-42",
      input: { messages: [{ role: "user", content: "How do I reset my password?" }] },
      output: { messages: [{ role: "assistant", content: "Based on 1 article(s): open Settings." }] },
    });
    expect(agent.spans.map((s) => [s.name, s.kind, s.parent_span_id])).toEqual([
      ["retrieve", "RETRIEVER", null],
      ["llm", "LLM", null],
    ]);
    expect(agent.spans[1]).toMatchObject({
      model: "gpt-4o",
      token_usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
    });
    const manual = byName.get("manual")!;
    expect(manual).toMatchObject({ input: { step: 1 }, output: { done: true } });
    expect(manual.spans).toMatchObject([{ name: "lookup", kind: "TOOL", output: { found: true } }]);
    expect(byName.get("nightly-import")).toMatchObject({ tags: ["batch"], output: { rows: 3 } });
    expect(standIn.scores()).toMatchObject([
      {
        trace_id: manual.trace_id,
        name: "helpfulness",
        value: "0.9",
        data_type: "NUMERIC",
        reason: "answered the question",
      },
    ]);
    expect(standIn.projects().map((p) => p.name)).toEqual(["support-bot"]);
    expect(standIn.schemaErrors()).toEqual([]);
  }, 30_000);
});
