/**
 * What only the OpenTelemetry-shaped tracer (AI SDK 5 and 6) does: per-call metadata and tags from
 * `experimental_telemetry.metadata`, `functionId`, the tracer's own recordInputs/recordOutputs,
 * and attributes read after the span ended (lazily, when core serialises it).
 */
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createPandaProbeTracer } from "../../src/index.js";
import { oneSpan, spansNamed, toMicros } from "@pandaprobe/testing";
import { expectSpansNest, type Harness, itClosesAbandonedCalls, startHarness } from "@pandaprobe/testing/vitest";
import { createModels, type Major, type MockModule } from "../support/models.js";

export function defineTracerScenarios(setup: { major: Major; ai: any; mocks: MockModule }): void {
  const { ai, major } = setup;
  const models = createModels(major, setup.mocks);
  const stepCountIs = ai.stepCountIs;
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  const weather = ai.tool({
    inputSchema: setup.mocks.z.object({ city: setup.mocks.z.string() }),
    execute: async ({ city }: { city: string }) => ({ city, temp: 21 }),
  });

  it("per-call metadata, tags and functionId reach the trace and the root span", async () => {
    const tracer = createPandaProbeTracer({ client: h.client, tags: ["app"], metadata: { env: "test" } });
    await ai.generateText({
      model: models.toolModel(),
      prompt: "weather?",
      tools: { weather },
      stopWhen: stepCountIs(3),
      maxOutputTokens: 64,
      experimental_telemetry: {
        isEnabled: true,
        tracer,
        functionId: "chat-turn",
        metadata: { userId: "u-m", sessionId: "s-m", tags: ["vip"], tier: "pro" },
      },
    });
    const [t] = await h.collect(1);
    expect(h.standIn.schemaErrors()).toEqual([]);
    expect(t).toMatchObject({
      name: "chat-turn",
      user_id: "u-m",
      session_id: "s-m",
      tags: ["app", "vip"],
      metadata: { env: "test", tier: "pro" },
    });
    expect(t.metadata).not.toHaveProperty("userId");
    const root = oneSpan(t, "chat-turn");
    expect(root.metadata).toMatchObject({
      env: "test",
      tier: "pro",
      operation: "ai.generateText",
      function_id: "chat-turn",
      provider: "mock-provider",
      model: "mock-model",
      finish_reason: "stop",
    });
    expect(root.input).toEqual({ messages: [{ role: "user", content: "weather?" }] });
    const [first] = spansNamed(t, "ai.generateText.doGenerate");
    expect(first.model_parameters).toMatchObject({ maxOutputTokens: 64 });
    expect(first.metadata).toMatchObject({
      provider: "mock-provider",
      finish_reason: "tool-calls",
      response_id: "resp-1",
    });
    expect(first.model).toBe("mock-model-2026");
    expect(oneSpan(t, "weather").metadata).toMatchObject({ tool_call_id: "call-Paris" });
  });

  it("the tracer's own recordInputs/recordOutputs: false drop content but keep usage and model", async () => {
    const tracer = createPandaProbeTracer({ client: h.client, recordInputs: false, recordOutputs: false });
    await ai.generateText({
      model: models.toolModel("Rome", "Warm in Rome."),
      prompt: "private question",
      tools: { weather },
      stopWhen: stepCountIs(3),
      experimental_telemetry: { isEnabled: true, tracer },
    });
    const [t] = await h.collect(1);
    expect(h.standIn.schemaErrors()).toEqual([]);
    const body = JSON.stringify(t);
    expect(body).not.toContain("private question");
    expect(body).not.toContain("Warm in Rome");
    expect(body).not.toContain("temp");
    const llm = spansNamed(t, "ai.generateText.doGenerate")[0];
    expect(llm.token_usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 5 });
    expect(llm.model).toBe("mock-model-2026");
    expect(oneSpan(t, "weather")).toMatchObject({ input: null, output: null, status: "OK" });
  });

  it("attributes set after a span ended are ignored; a second end does nothing", async () => {
    const tracer = createPandaProbeTracer({ client: h.client });
    const span = tracer.startSpan("ai.generateText", {
      attributes: { "ai.prompt": JSON.stringify({ prompt: "first" }), "ai.telemetry.metadata.userId": "u-late" },
    });
    span.setAttributes({ "ai.response.text": "answer" });
    span.end();
    span.setAttributes({ "ai.response.text": "changed after end" });
    span.setAttribute("ai.response.text", "changed again");
    span.end();
    const [t] = await h.collect(1);
    expect(h.standIn.schemaErrors()).toEqual([]);
    expect(t).toMatchObject({ user_id: "u-late", input: { messages: [{ role: "user", content: "first" }] } });
    expect(t.output).toEqual({ messages: [{ role: "assistant", content: "answer" }] });
    expect(JSON.stringify(t)).not.toContain("changed");
  });

  it("span times come from one clock: a wall clock 5 s behind never ends a model span before it starts", async () => {
    const tracer = createPandaProbeTracer({ client: h.client });
    const realNow = Date.now.bind(Date);
    const behind = vi.spyOn(Date, "now").mockImplementation(() => realNow() - 5000); // NTP step back, VM resume
    try {
      await ai.generateText({
        model: models.toolModel("Oslo"),
        prompt: "q",
        tools: { weather },
        stopWhen: stepCountIs(3),
        experimental_telemetry: { isEnabled: true, tracer },
      });
      await ai
        .streamText({
          model: models.toolModel("Rome"),
          prompt: "q",
          tools: { weather },
          stopWhen: stepCountIs(3),
          experimental_telemetry: { isEnabled: true, tracer },
        })
        .consumeStream();
    } finally {
      behind.mockRestore();
    }
    const traces = await h.collect(2);
    for (const t of traces) {
      expect(t.spans.filter((s) => s.kind === "LLM")).toHaveLength(2);
      for (const s of t.spans)
        expect(toMicros(s.ended_at!)! >= toMicros(s.started_at)!, `${s.name}: ${s.ended_at} >= ${s.started_at}`).toBe(
          true,
        );
      // The step spans hold their model calls to the microsecond (they ended on whole milliseconds before).
      expectSpansNest(t);
    }
  });

  itClosesAbandonedCalls(`AI SDK ${major} tracer: a stream cancelled without an abort signal`, {
    rootName: "ai.streamText",
    abandon: async ({ client, staleCallTimeoutMs }) => {
      const result = ai.streamText({
        model: models.hangingStreamModel(),
        prompt: "x",
        experimental_telemetry: { isEnabled: true, tracer: createPandaProbeTracer({ client, staleCallTimeoutMs }) },
      });
      const reader = result.textStream.getReader();
      await reader.read();
      await reader.cancel();
    },
  });
}
