/**
 * The scenarios every AI SDK adapter must pass (issue 5), run against real `ai` calls with the
 * SDK's mock models and asserted on what the PandaProbe stand-in received.
 */
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { score, session, startSpan, startTrace, user } from "@pandaprobe/core";
import { childrenOf, oneSpan, outline, spansNamed, toMicros, type TraceResponse } from "@pandaprobe/testing";
import { expectSpansNest, type Harness, startHarness } from "@pandaprobe/testing/vitest";
import { createModels, type Major, type MockModule } from "../support/models.js";

export interface CallTelemetry {
  userId?: string;
  sessionId?: string;
  traceId?: string;
  recordInputs?: boolean;
  recordOutputs?: boolean;
}

export interface ScenarioSetup {
  major: Major;
  ai: any;
  mocks: MockModule;
  /** Options to spread into an AI SDK call so this adapter records it. */
  telemetry: (harness: Harness, call?: CallTelemetry) => Record<string, unknown>;
  /** Called after each call to check per-call state was released. */
  openCalls?: () => number;
}

export function defineScenarios(setup: ScenarioSetup): void {
  const { ai, major } = setup;
  const models = createModels(major, setup.mocks);
  const stepCountIs = ai.stepCountIs ?? ai.isStepCount;
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  const tel = (call?: CallTelemetry) => setup.telemetry(h, call);
  const weather = (impl?: (input: { city: string }) => Promise<unknown>) =>
    ai.tool({
      description: "get the weather",
      inputSchema: setup.mocks.z.object({ city: setup.mocks.z.string() }),
      execute: impl ?? (async ({ city }: { city: string }) => ({ city, temp: 21 })),
    });
  const done = (traces: TraceResponse[]) => {
    expect(h.standIn.schemaErrors()).toEqual([]);
    for (const t of traces) expectSpansNest(t);
    if (setup.openCalls) expect(setup.openCalls()).toBe(0);
    return traces;
  };

  it("generateText with a tool call over two steps", async () => {
    const result = await ai.generateText({
      model: models.toolModel(),
      prompt: "weather in Paris?",
      tools: { weather: weather() },
      stopWhen: stepCountIs(3),
      temperature: 0.3,
      ...tel({ userId: "u-1", sessionId: "s-1" }),
    });
    expect(result.text).toBe("It is sunny.");
    const [t] = done(await h.collect(1));
    expect(outline(t)).toEqual([
      "ai.generateText (AGENT)",
      "  step 0 (CHAIN)",
      "    ai.generateText.doGenerate (LLM)",
      "    weather (TOOL)",
      "  step 1 (CHAIN)",
      "    ai.generateText.doGenerate (LLM)",
    ]);
    expect(t).toMatchObject({ user_id: "u-1", session_id: "s-1", status: "COMPLETED", name: "ai.generateText" });
    expect(t.input).toMatchObject({ messages: [{ role: "user" }] });
    expect(t.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
    const [first, second] = spansNamed(t, "ai.generateText.doGenerate").sort((a, b) =>
      a.started_at.localeCompare(b.started_at),
    );
    expect(first.model).toMatch(/^mock-model/);
    expect(first.metadata).toMatchObject({ provider: "mock-provider" });
    expect(first.model_parameters).toMatchObject({ temperature: 0.3 });
    expect(first.input).toMatchObject({ messages: [{ role: "user" }] });
    expect(first.output).toMatchObject({
      messages: [{ role: "assistant", tool_calls: [{ function: { name: "weather", arguments: '{"city":"Paris"}' } }] }],
    });
    expect(second.output).toMatchObject({ messages: [{ role: "assistant", content: "It is sunny." }] });
    expect(first.token_usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
    if (major !== 5) expect(first.token_usage).toMatchObject({ cache_read_tokens: 3, reasoning_tokens: 2 });
    const tool = oneSpan(t, "weather");
    expect(tool).toMatchObject({ input: { city: "Paris" }, output: { city: "Paris", temp: 21 }, status: "OK" });
    expect(t.spans.filter((s) => s.kind === "LLM" || s.kind === "TOOL").every((s) => s.ended_at)).toBe(true);
  });

  it("a call's own traceId names its trace (not metadata), so a score attached right away lands on it", async () => {
    const traceId = crypto.randomUUID();
    await ai.generateText({
      model: models.toolModel("Lima"),
      prompt: "weather in Lima?",
      tools: { weather: weather() },
      stopWhen: stepCountIs(3),
      ...tel({ userId: "u-id", traceId }),
    });
    expect(score({ traceId, name: "helpful", value: 1, client: h.client })).toBe(true);
    const [t] = done(await h.collect(1));
    expect(t).toMatchObject({ trace_id: traceId, user_id: "u-id" });
    expect(t.metadata ?? {}).not.toHaveProperty("traceId");
    for (const s of t.spans) expect(s.metadata ?? {}).not.toHaveProperty("traceId");
    await h.client.flush();
    const scored = await h.standIn.waitForRequests(
      (r) =>
        r.path === "/evaluations/trace-scores" &&
        r.status === 201 &&
        (r.body as { trace_id: string }).trace_id === traceId,
    );
    expect(scored).toHaveLength(1);
  });

  it("streamText with a tool call: the trace ends when the stream finishes; the result is untouched", async () => {
    const result = ai.streamText({
      model: models.toolModel("Oslo"),
      prompt: "weather in Oslo?",
      tools: { weather: weather() },
      stopWhen: stepCountIs(3),
      ...tel({ userId: "u-2" }),
    });
    expect(typeof result.toUIMessageStreamResponse).toBe("function");
    let text = "";
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe("Hello");
    expect(await result.text).toBe("Hello");
    const [t] = done(await h.collect(1));
    expect(outline(t)).toEqual([
      "ai.streamText (AGENT)",
      "  step 0 (CHAIN)",
      "    ai.streamText.doStream (LLM)",
      "    weather (TOOL)",
      "  step 1 (CHAIN)",
      "    ai.streamText.doStream (LLM)",
    ]);
    expect(t).toMatchObject({ user_id: "u-2", status: "COMPLETED" });
    expect(oneSpan(t, "weather")).toMatchObject({ input: { city: "Oslo" }, output: { city: "Oslo", temp: 21 } });
    const llms = t.spans.filter((s) => s.kind === "LLM");
    expect(llms.every((s) => s.token_usage?.prompt_tokens === 10)).toBe(true);
    for (const s of llms) {
      expect(s.completion_start_time).not.toBeNull();
      expect(Date.parse(s.completion_start_time!)).toBeGreaterThanOrEqual(Date.parse(s.started_at));
    }
    expect(t.output).toEqual({ messages: [{ role: "assistant", content: "Hello" }] });
  });

  it("a wall clock behind the monotonic one never puts completion_start_time before started_at", async () => {
    const realNow = Date.now.bind(Date);
    const behind = vi.spyOn(Date, "now").mockImplementation(() => realNow() - 3); // NTP slew, or whole-ms truncation
    try {
      const result = ai.streamText({
        model: models.toolModel("Rome"),
        prompt: "weather in Rome?",
        tools: { weather: weather() },
        stopWhen: stepCountIs(3),
        ...tel(),
      });
      for await (const _ of result.textStream);
    } finally {
      behind.mockRestore();
    }
    const [t] = done(await h.collect(1));
    const llms = t.spans.filter((s) => s.kind === "LLM");
    expect(llms.length).toBe(2);
    for (const s of llms)
      expect(
        toMicros(s.completion_start_time!)! >= toMicros(s.started_at)!,
        `${s.completion_start_time} >= ${s.started_at}`,
      ).toBe(true);
  });

  it("generateObject", async () => {
    // AI SDK 7's (deprecated) generateObject takes no runtimeContext: the user comes from core's user() scope.
    const result = await user("u-3", () =>
      ai.generateObject({
        model: models.objectModel(),
        schema: setup.mocks.z.object({ a: setup.mocks.z.number() }),
        prompt: "give me an object",
        ...tel(),
      }),
    );
    expect(result.object).toEqual({ a: 1 });
    const [t] = done(await h.collect(1));
    expect(outline(t)).toEqual(["ai.generateObject (CHAIN)", "  ai.generateObject.doGenerate (LLM)"]);
    expect(t).toMatchObject({ user_id: "u-3", status: "COMPLETED", output: { a: 1 } });
    const llm = oneSpan(t, "ai.generateObject.doGenerate");
    expect(llm).toMatchObject({ output: { a: 1 }, model: expect.stringMatching(/^mock-object-model|^mock-model/) });
    expect(llm.token_usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 5 });
  });

  it("embedMany: EMBEDDING spans, usage, and no vectors", async () => {
    const result = await ai.embedMany({
      model: models.embeddingModel(),
      values: ["a", "b", "c"],
      ...tel({ userId: "u-4" }),
    });
    expect(result.embeddings).toHaveLength(3);
    const [t] = done(await h.collect(1));
    expect(outline(t)).toEqual([
      "ai.embedMany (EMBEDDING)",
      "  ai.embedMany.doEmbed (EMBEDDING)",
      "  ai.embedMany.doEmbed (EMBEDDING)",
    ]);
    expect(t.user_id).toBe("u-4");
    const calls = spansNamed(t, "ai.embedMany.doEmbed");
    expect(calls.map((s) => s.token_usage?.prompt_tokens)).toEqual([4, 4]);
    expect(calls.map((s) => s.model)).toEqual(["mock-embedding", "mock-embedding"]);
    expect(oneSpan(t, "ai.embedMany").output).toEqual({ embeddings: 3, dimensions: 3 });
    // No vector value anywhere but in times (`started_at`, `latency_ms`), whose digits may contain it.
    expect(JSON.stringify(t, (k, v) => (/_(at|ms)$/.test(k) ? undefined : v))).not.toContain("0.125");
  });

  it("an aborted stream ends the trace and closes the open model call", async () => {
    const controller = new AbortController();
    const result = ai.streamText({
      model: models.hangingStreamModel(),
      prompt: "long answer",
      abortSignal: controller.signal,
      ...tel({ userId: "u-5" }),
    });
    const seen: string[] = [];
    for await (const part of result.fullStream) {
      seen.push(part.type);
      if (part.type === "text-delta") controller.abort();
    }
    expect(seen).toContain("abort");
    const [t] = done(await h.collect(1));
    expect(t.user_id).toBe("u-5");
    expect(t.ended_at).not.toBeNull();
    const llm = t.spans.find((s) => s.kind === "LLM");
    if (llm) expect(llm).toMatchObject({ status: "ERROR" });
    expect(t.spans.every((s) => s.ended_at)).toBe(true);
  });

  it("a failing tool is recorded as an ERROR span; the call completes", async () => {
    const result = await ai.generateText({
      model: models.toolModel(),
      prompt: "weather?",
      tools: {
        weather: weather(async () => {
          throw new Error("tool boom");
        }),
      },
      stopWhen: stepCountIs(3),
      ...tel({ userId: "u-6" }),
    });
    expect(result.steps[0].content.map((c: { type: string }) => c.type)).toContain("tool-error");
    const [t] = done(await h.collect(1));
    expect(oneSpan(t, "weather")).toMatchObject({ status: "ERROR", error: expect.stringContaining("tool boom") });
    expect(t.status).toBe("COMPLETED");
    expect(spansNamed(t, "ai.generateText.doGenerate")).toHaveLength(2);
  });

  it("concurrent calls with different users never mix user, session or spans", async () => {
    const run = (userId: string, city: string) =>
      user(userId, () =>
        session(`s-${userId}`, () =>
          ai.generateText({
            model: models.toolModel(city),
            prompt: `weather in ${city}?`,
            tools: {
              weather: weather(async ({ city }) => {
                await new Promise((r) => setImmediate(r));
                return { city };
              }),
            },
            stopWhen: stepCountIs(3),
            ...tel(),
          }),
        ),
      );
    const cities = ["Paris", "Oslo", "Rome", "Lima"];
    await Promise.all(cities.map((city, i) => run(`u-c${i}`, city)));
    const traces = done(await h.collect(cities.length));
    for (const t of traces) {
      const i = Number(t.user_id!.slice(3));
      expect(t.session_id).toBe(`s-u-c${i}`);
      expect(oneSpan(t, "weather").input).toEqual({ city: cities[i] });
      expect(t.spans).toHaveLength(6);
    }
    expect(new Set(traces.map((t) => t.user_id)).size).toBe(cities.length);
  });

  it("recordInputs/recordOutputs: false keep content out", async () => {
    await ai.generateText({
      model: models.toolModel(),
      prompt: "secret prompt",
      tools: { weather: weather() },
      stopWhen: stepCountIs(3),
      ...tel({ recordInputs: false, recordOutputs: false }),
    });
    const [t] = done(await h.collect(1));
    const body = JSON.stringify(t);
    expect(body).not.toContain("secret prompt");
    expect(body).not.toContain("It is sunny");
    expect(oneSpan(t, "weather").input).toBeNull();
  });

  it("a call inside a tool and spans started there nest under the tool span", async () => {
    const inner = models.objectModel();
    await ai.generateText({
      model: models.toolModel(),
      prompt: "weather?",
      tools: {
        weather: weather(async ({ city }) => {
          const nested = await ai.generateText({ model: inner, prompt: `nested ${city}`, ...tel() });
          await startSpan("inner-work", {}, async () => 1);
          return { city, nested: nested.text };
        }),
      },
      stopWhen: stepCountIs(3),
      ...tel({ userId: "u-7" }),
    });
    const [t] = done(await h.collect(1));
    expect(t.user_id).toBe("u-7");
    const tool = oneSpan(t, "weather");
    const kids = childrenOf(t, tool).map((s) => s.name);
    expect(kids).toContain("ai.generateText");
    expect(kids).toContain("inner-work");
    const nestedRoot = childrenOf(t, tool).find((s) => s.name === "ai.generateText")!;
    expect(childrenOf(t, nestedRoot).map((s) => s.name)).toEqual(["step 0"]);
  });

  it("inside an active PandaProbe trace the call becomes a span of it", async () => {
    await startTrace("outer", { userId: "u-8", client: h.client }, async () => {
      await ai.generateText({
        model: models.toolModel(),
        prompt: "weather?",
        tools: { weather: weather() },
        stopWhen: stepCountIs(3),
        ...tel(),
      });
    });
    const [t] = done(await h.collect(1));
    expect(t).toMatchObject({ name: "outer", user_id: "u-8" });
    expect(outline(t)[0]).toBe("ai.generateText (AGENT)");
    expect(t.spans).toHaveLength(6);
  });
}
