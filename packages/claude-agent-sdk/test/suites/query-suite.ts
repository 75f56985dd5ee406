/** What a query's trace holds: turns, tools, subagents, usage, cost, the session id, streaming prompts. */
import { withSpan } from "@pandaprobe/core";
import { childrenOf, oneSpan, outline, rootSpan, spansNamed, toMicros } from "@pandaprobe/testing";
import { expectSpansNest, uniqueTag } from "@pandaprobe/testing/vitest";
import { describe, expect, it } from "vitest";
import { wrapClaudeAgentQuery } from "../../src/index.js";
import { answerScenario, SUB1, subagentScenario, U1, U2, weatherScenario } from "../support/scenarios.js";
import { MODEL, NOTES } from "../support/sdk.js";
import { drain, optionsFor, type SuiteEnv, weatherServer } from "../support/suite-env.js";

/** The SDK's own totals of a query: what PandaProbe's trace total must equal. */
export function sdkTotalTokens(result: any): number {
  let total = 0;
  for (const m of Object.values(result.modelUsage) as any[])
    total += m.inputTokens + m.cacheReadInputTokens + m.cacheCreationInputTokens + m.outputTokens;
  return total;
}

/** A turn's input side as core records Anthropic usage (prompt tokens include cache reads and writes). */
type ScriptedUsage = { input: number; output: number; cacheRead?: number; cacheWrite?: number };
const inputSide = (u: ScriptedUsage) => ({
  prompt_tokens: u.input + (u.cacheRead ?? 0) + (u.cacheWrite ?? 0),
  cache_read_tokens: u.cacheRead ?? 0,
  cache_creation_tokens: u.cacheWrite ?? 0,
});

export function querySuite(env: SuiteEnv): void {
  describe(`query (${env.sdk.label})`, () => {
    it("a tool use: one trace with the prompt and result, an LLM span per turn, a TOOL span, usage, cost, session id", async () => {
      const tag = uniqueTag("weather");
      env.fake.script(tag, weatherScenario());
      const query = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client, tags: [tag], userId: "u-weather" });
      const prompt = `[[${tag}]] What is the weather in Paris?`;
      const server = weatherServer(env, async () => {
        // Code the query runs in this process (an in-process MCP tool) nests under the query's span.
        await withSpan("weather-lookup", { kind: "OTHER" }, async () => {});
      });
      const messages = await drain(query({ prompt, options: optionsFor(env, { mcpServers: { weather: server } }) }));
      const result = messages.find((m: any) => m.type === "result") as any;
      const init = messages.find((m: any) => m.type === "system" && m.subtype === "init") as any;
      expect(result.result).toBe("It is 21C in Paris.");

      const [trace] = await env.h.tagged(tag);
      expect(trace.name).toBe("ClaudeAgentSDK");
      expect(trace.user_id).toBe("u-weather");
      expect(trace.input).toEqual({ messages: [{ role: "user", content: prompt }] });
      expect(trace.output).toEqual({ messages: [{ role: "assistant", content: "It is 21C in Paris." }] });
      const root = rootSpan(trace)!;
      expect(root).toMatchObject({ name: "ClaudeAgentSDK", kind: "AGENT", status: "OK" });
      expect(root.metadata).toMatchObject({
        thread_id: init.session_id,
        cost_usd: result.total_cost_usd,
        model: MODEL,
        finish_reason: "end_turn",
      });
      expect(root.cost).toEqual({ total: result.total_cost_usd });

      expect(childrenOf(trace, root).map((s) => `${s.name} (${s.kind})`)).toEqual(
        expect.arrayContaining([
          `${MODEL} (LLM)`,
          "mcp__weather__get_weather (TOOL)",
          "weather-lookup (OTHER)",
          `${MODEL} (LLM)`,
        ]),
      );
      const [first, second] = spansNamed(trace, MODEL);
      expect(spansNamed(trace, MODEL)).toHaveLength(2);
      expect(first.model).toBe(MODEL);
      expect(first.input).toEqual({ messages: [{ role: "user", content: prompt }] });
      expect(first.output).toEqual({
        messages: [
          {
            role: "assistant",
            content: "Let me check.",
            tool_calls: [
              {
                id: "toolu_weather_1",
                type: "function",
                function: { name: "mcp__weather__get_weather", arguments: '{"city":"Paris"}' },
              },
            ],
          },
        ],
      });
      expect(first.metadata).toMatchObject({
        reasoning_summary: "The user wants the weather.",
        request_id: "req_fake",
      });
      expect(first.metadata.response_id).toMatch(/^msg_fake_/);
      // Input and cache figures are final at a turn's start; output tokens only once the message is complete.
      expect(first.token_usage).toMatchObject(inputSide(U1));
      expect([undefined, U1.output]).toContain(first.token_usage!.completion_tokens);
      expect(second.token_usage).toMatchObject(inputSide(U2));

      const tool = oneSpan(trace, "mcp__weather__get_weather");
      expect(tool).toMatchObject({
        kind: "TOOL",
        status: "OK",
        input: { city: "Paris" },
        output: "It is 21C in Paris",
      });
      expect(tool.metadata).toMatchObject({ tool_call_id: "toolu_weather_1" });
      expect(second.input).toEqual({
        messages: [{ role: "tool", tool_call_id: "toolu_weather_1", content: "It is 21C in Paris" }],
      });
      expect(second.output).toEqual({ messages: [{ role: "assistant", content: "It is 21C in Paris." }] });
      // Turns and tool in the order they happened.
      expect(toMicros(first.ended_at!)!).toBeLessThanOrEqual(toMicros(tool.ended_at!)!);
      expect(toMicros(tool.ended_at!)!).toBeLessThanOrEqual(toMicros(second.started_at)!);

      // The trace's total equals the SDK's own account (the root span carries what no turn could).
      expect(trace.total_tokens).toBe(sdkTotalTokens(result));
      expect(trace.total_cost).toBeCloseTo(result.total_cost_usd, 12);
      expectSpansNest(trace);
    });

    it("a subagent (Task/Agent tool): its AGENT span nests under its tool span, with its own turns and tools", async () => {
      const tag = uniqueTag("subagent");
      env.fake.script(tag, subagentScenario(tag, env.dir));
      const query = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client, tags: [tag] });
      const messages = await drain(query({ prompt: `[[${tag}]] Summarise the notes.`, options: optionsFor(env) }));
      const result = messages.find((m: any) => m.type === "result") as any;
      expect(result.result).toBe("The notes say hello.");

      const [trace] = await env.h.tagged(tag);
      const lines = outline(trace);
      expect(lines[0]).toBe("ClaudeAgentSDK (AGENT)");
      const launcher = trace.spans.find((s) => s.kind === "TOOL" && (s.name === "Agent" || s.name === "Task"))!;
      expect(launcher.metadata).toMatchObject({ tool_call_id: `toolu_task_${tag}` });
      expect(launcher.input).toMatchObject({ subagent_type: "general-purpose", description: "read the notes" });
      const sub = oneSpan(trace, "general-purpose");
      expect(sub).toMatchObject({ kind: "AGENT", status: "OK", parent_span_id: launcher.span_id });
      expect(sub.input).toEqual({
        messages: [{ role: "user", content: `[[${tag}/sub]] Read notes.txt and report.` }],
      });
      expect(sub.output).toEqual({
        messages: [{ role: "assistant", content: expect.stringContaining("notes say hello") }],
      });
      // The subagent's turns and tools are its children.
      const read = oneSpan(trace, "Read");
      expect(read).toMatchObject({ kind: "TOOL", parent_span_id: sub.span_id, status: "OK" });
      expect(read.output).toEqual(expect.stringContaining(NOTES));
      const subTurns = childrenOf(trace, sub).filter((s) => s.kind === "LLM");
      expect(subTurns.length).toBeGreaterThanOrEqual(1);
      expect(subTurns[0].token_usage).toMatchObject(inputSide(SUB1));
      expect(subTurns[0].input).toEqual({
        messages: [{ role: "user", content: `[[${tag}/sub]] Read notes.txt and report.` }],
      });
      // The main agent's two turns stay under the root.
      const mainTurns = childrenOf(trace, rootSpan(trace)).filter((s) => s.kind === "LLM");
      expect(mainTurns.map((s) => (s.output as any).messages[0].content)).toEqual([
        "Delegating.",
        "The notes say hello.",
      ]);
      expect(trace.total_tokens).toBe(sdkTotalTokens(result));
      expectSpansNest(trace);
    });

    it("includePartialMessages: every turn's exact usage and its first-token time, nothing left to the root", async () => {
      const tag = uniqueTag("partial");
      env.fake.script(tag, weatherScenario());
      const query = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client, tags: [tag] });
      const messages = await drain(
        query({
          prompt: `[[${tag}]] Weather?`,
          options: optionsFor(env, { includePartialMessages: true, mcpServers: { weather: weatherServer(env) } }),
        }),
      );
      expect(messages.some((m: any) => m.type === "stream_event")).toBe(true);
      const result = messages.find((m: any) => m.type === "result") as any;
      const [trace] = await env.h.tagged(tag);
      const [first, second] = spansNamed(trace, MODEL);
      const exact = (u: ScriptedUsage) => ({ ...inputSide(u), completion_tokens: u.output, total_tokens: total(u) });
      const total = (u: ScriptedUsage) => u.input + (u.cacheRead ?? 0) + (u.cacheWrite ?? 0) + u.output;
      expect(first.token_usage).toEqual(exact(U1));
      expect(second.token_usage).toEqual(exact(U2));
      for (const turn of [first, second]) {
        expect(turn.completion_start_time).not.toBeNull();
        expect(toMicros(turn.completion_start_time!)!).toBeGreaterThanOrEqual(toMicros(turn.started_at)!);
        expect(toMicros(turn.completion_start_time!)!).toBeLessThanOrEqual(toMicros(turn.ended_at!)!);
      }
      expect(first.metadata).toMatchObject({ finish_reason: "tool_use" });
      expect(trace.total_tokens).toBe(sdkTotalTokens(result));
      // Claude Code's own helper calls, if any, are all the root span may carry.
      const turnsTotal = [first, second].reduce(
        (n, s) => n + (s.token_usage!.prompt_tokens as number) + (s.token_usage!.completion_tokens as number),
        0,
      );
      const root = rootSpan(trace)!;
      const rootTotal =
        ((root.token_usage?.prompt_tokens as number) ?? 0) + ((root.token_usage?.completion_tokens as number) ?? 0);
      expect(turnsTotal + rootTotal).toBe(sdkTotalTokens(result));
      expectSpansNest(trace);
    });

    it("a streaming prompt (multi-turn input): one trace with every user message and the last result", async () => {
      const tag = uniqueTag("stream-input");
      env.fake.script(tag, answerScenario("Hello again!"));
      const query = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client, tags: [tag] });
      let next!: () => void;
      const gate = new Promise<void>((r) => (next = r));
      const user = (text: string) => ({
        type: "user",
        session_id: "",
        parent_tool_use_id: null,
        message: { role: "user", content: text },
      });
      async function* prompt() {
        yield user(`[[${tag}]] Hi`);
        await gate;
        yield user("And again");
      }
      const q = query({ prompt: prompt(), options: optionsFor(env) });
      const messages: any[] = [];
      for await (const m of q) {
        messages.push(m);
        if (m.type === "result") next();
      }
      expect(messages.filter((m) => m.type === "result")).toHaveLength(2);
      const [trace] = await env.h.tagged(tag);
      expect(rootSpan(trace)!.input).toEqual({
        messages: [
          { role: "user", content: `[[${tag}]] Hi` },
          { role: "user", content: "And again" },
        ],
      });
      expect(trace.input).toEqual({ messages: [{ role: "user", content: "And again" }] });
      expect(trace.output).toEqual({ messages: [{ role: "assistant", content: "Hello again!" }] });
      const turns = spansNamed(trace, MODEL);
      expect(turns).toHaveLength(2);
      expect(turns[0].input).toEqual({ messages: [{ role: "user", content: `[[${tag}]] Hi` }] });
      expect(turns[1].input).toEqual({ messages: [{ role: "user", content: "And again" }] });
      expectSpansNest(trace);
    });
  });
}
