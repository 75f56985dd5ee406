/**
 * What only the OpenTelemetry-shaped tracer (AI SDK 5 and 6) does: per-call metadata and tags from
 * `experimental_telemetry.metadata`, `functionId`, the tracer's own recordInputs/recordOutputs,
 * and attributes read after the span ended (lazily, when core serialises it).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createPandaProbeTracer } from "../../src/index.js";
import { byName, one, startHarness, type Harness } from "./harness.js";
import { createModels, type Major, type MockModule } from "./models.js";

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
    const root = one(t, "chat-turn");
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
    const [first] = byName(t, "ai.generateText.doGenerate");
    expect(first.model_parameters).toMatchObject({ maxOutputTokens: 64 });
    expect(first.metadata).toMatchObject({
      provider: "mock-provider",
      finish_reason: "tool-calls",
      response_id: "resp-1",
    });
    expect(first.model).toBe("mock-model-2026");
    expect(one(t, "weather").metadata).toMatchObject({ tool_call_id: "call-Paris" });
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
    const llm = byName(t, "ai.generateText.doGenerate")[0];
    expect(llm.token_usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 5 });
    expect(llm.model).toBe("mock-model-2026");
    expect(one(t, "weather")).toMatchObject({ input: null, output: null, status: "OK" });
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
}
