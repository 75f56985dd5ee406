/** The kit's calls: where a call's root span goes, whose it is, what it records, and how it ends. */
import { afterEach, describe, expect, it } from "vitest";
import { PandaProbe, session, startSpan, startTrace, user } from "../../src/index.js";
import { createIntegration, logger, META } from "../../src/integration/index.js";
import { clientFor, startStandIn, type StandIn } from "../helpers.js";

let standIn: StandIn;
afterEach(async () => {
  await standIn?.close();
});

async function setup() {
  standIn = await startStandIn();
  return clientFor(standIn).client;
}

describe("identity: one rule for every integration", () => {
  it("the call's own ids > the integration's options > the user()/session() context > the framework's fallback", async () => {
    const client = await setup();
    const options = createIntegration("test", { client, userId: "u-options" });
    const none = createIntegration("test", { client });
    user("u-context", () =>
      session("s-context", () => {
        options
          .startCall({ name: "call-wins", kind: "LLM", identity: { userId: "u-call", sessionId: "s-call" } })!
          .end();
        options.startCall({ name: "options-win", kind: "LLM", fallback: { userId: "u-fb", sessionId: "s-fb" } })!.end();
        none.startCall({ name: "context-wins", kind: "LLM", fallback: { sessionId: "s-fb" } })!.end();
      }),
    );
    none.startCall({ name: "fallback", kind: "LLM", fallback: { userId: "u-fb", sessionId: "s-fb" } })!.end();
    await client.flush();
    const byName = Object.fromEntries((await standIn.waitForTraces(4)).map((t) => [t.name, t]));
    expect(byName["call-wins"]).toMatchObject({ user_id: "u-call", session_id: "s-call" });
    expect(byName["options-win"]).toMatchObject({ user_id: "u-options", session_id: "s-context" });
    expect(byName["context-wins"]).toMatchObject({ user_id: "u-context", session_id: "s-context" });
    expect(byName.fallback).toMatchObject({ user_id: "u-fb", session_id: "s-fb" });
  });

  it("the identity is the one of the context the call started in, whenever its trace is made", async () => {
    const client = await setup();
    const integration = createIntegration("test", { client });
    const call = user("u-start", () => integration.startCall({ name: "lazy", kind: "LLM", input: "hi" }))!;
    user("u-elsewhere", () => call.end({ output: "bye" }));
    await client.flush();
    const [t] = await standIn.waitForTraces(1);
    expect(t).toMatchObject({ user_id: "u-start", input: "hi", output: "bye" });
  });

  it("a call's trace id names its trace (for scores); a framework's id is the fallback", async () => {
    const client = await setup();
    const integration = createIntegration("test", { client });
    const own = crypto.randomUUID();
    const framework = crypto.randomUUID();
    integration
      .startCall({ name: "a", kind: "LLM", identity: { traceId: own }, fallback: { traceId: framework } })!
      .end();
    integration.startCall({ name: "b", kind: "LLM", fallback: { traceId: framework } })!.end();
    await client.flush();
    const ids = (await standIn.waitForTraces(2)).map((t) => t.trace_id).sort();
    expect(ids).toEqual([own, framework].sort());
  });

  it("inside an enclosing trace the call is a span of it: the trace keeps its own user, tags and metadata", async () => {
    const client = await setup();
    const integration = createIntegration("test", { client, userId: "u-options", tags: ["integration"] });
    await startTrace("outer", { client, userId: "u-outer", tags: ["outer"] }, () =>
      startSpan("request", {}, () => {
        integration.startCall({ name: "nested", kind: "LLM", identity: { userId: "u-call", tags: ["call"] } })!.end();
      }),
    );
    await client.flush();
    const [t] = await standIn.waitForTraces(1);
    expect(t).toMatchObject({ name: "outer", user_id: "u-outer", tags: ["outer"] });
    const request = t.spans.find((s) => s.name === "request")!;
    expect(t.spans.find((s) => s.name === "nested")!.parent_span_id).toBe(request.span_id);
  });

  it("tags and metadata merge the same way: the integration's, then the call's (its keys win)", async () => {
    const client = await setup();
    const integration = createIntegration("test", {
      client,
      tags: ["app", "shared"],
      metadata: { team: "search", tier: "free" },
    });
    integration
      .startCall({
        name: "merge",
        kind: "AGENT",
        identity: { tags: ["shared", "vip"], metadata: { tier: "pro" } },
        metadata: { operation: "x" },
        traceMetadata: { thread_id: "t-1" },
      })!
      .end();
    await client.flush();
    const [t] = await standIn.waitForTraces(1);
    expect(t.tags).toEqual(["app", "shared", "vip"]);
    expect(t.metadata).toEqual({ team: "search", tier: "pro", thread_id: "t-1" });
    expect(t.spans[0].metadata).toEqual({ team: "search", tier: "pro", operation: "x" });
  });
});

describe("a call's trace", () => {
  it("takes the last user message of the input and the last assistant message of the output, unless told", async () => {
    const client = await setup();
    const integration = createIntegration("test", { client });
    const messages = [
      { role: "system", content: "terse" },
      { role: "user", content: "hi" },
    ];
    integration
      .startCall({ name: "derived", kind: "LLM", input: { messages } })!
      .end({ output: { messages: [{ role: "assistant", content: "hello" }] } });
    integration
      .startCall({ name: "told", kind: "EMBEDDING", input: ["a"], traceInput: { q: "a" } })!
      .end({ output: { embeddings: 1 }, traceOutput: undefined });
    await client.flush();
    const byName = Object.fromEntries((await standIn.waitForTraces(2)).map((t) => [t.name, t]));
    expect(byName.derived.input).toEqual({ messages: [{ role: "user", content: "hi" }] });
    expect(byName.derived.output).toEqual({ messages: [{ role: "assistant", content: "hello" }] });
    expect(byName.told.input).toEqual({ q: "a" });
    expect(byName.told.output).toBeNull();
  });

  it("an error ends the root span and its trace as ERROR", async () => {
    const client = await setup();
    createIntegration("test", { client })
      .startCall({ name: "failed", kind: "LLM" })!
      .end({ error: new Error("provider down") });
    await client.flush();
    const [t] = await standIn.waitForTraces(1);
    expect(t).toMatchObject({ status: "ERROR", metadata: { error: "provider down" } });
    expect(t.spans[0]).toMatchObject({ status: "ERROR", error: "provider down" });
  });

  it("is not made at all through a disabled client (the integration passes the call through)", () => {
    const disabled = new PandaProbe({ enabled: false });
    expect(createIntegration("test", { client: disabled }).startCall({ name: "x", kind: "LLM" })).toBeUndefined();
  });

  it("end() records off the caller's path, with the time it was called; a second end() does nothing", async () => {
    const client = await setup();
    const integration = createIntegration("test", { client });
    const call = integration.startCall({ name: "once", kind: "LLM", key: "k" })!;
    expect(integration.findCall("k")).toBe(call);
    let built = 0;
    call.end(() => {
      built++;
      call.span.setModel("m-1");
      return { output: "first" };
    });
    call.end({ output: "second" });
    expect(built).toBe(0);
    expect(integration.openCalls).toBe(0);
    expect(integration.findCall("k")).toBeUndefined();
    await client.flush();
    expect(built).toBe(1);
    const [t] = await standIn.waitForTraces(1);
    expect(t.spans[0]).toMatchObject({ output: "first", model: "m-1" });
  });
});

describe("recordInputs / recordOutputs, honoured by the kit for every span of a call", () => {
  it("the integration's false drops content from the root span, its children and its trace", async () => {
    const client = await setup();
    const integration = createIntegration("test", { client, recordInputs: false, recordOutputs: false });
    const call = integration.startCall({ name: "private", kind: "AGENT", input: "secret question" })!;
    const tool = call.span.startSpan("tool", { kind: "TOOL", input: { q: "secret arg" } });
    tool.end({ output: "secret result" });
    call.end({ output: "secret answer", metadata: { kept: true } });
    await client.flush();
    const [t] = await standIn.waitForTraces(1);
    expect(JSON.stringify(t)).not.toContain("secret");
    expect(t.spans.find((s) => s.name === "private")!.metadata).toEqual({ kept: true });
  });

  it("a call's own false wins over the integration's default; outputs alone can be dropped", async () => {
    const client = await setup();
    const integration = createIntegration("test", { client });
    const call = integration.startCall({ name: "c", kind: "LLM", input: "question", recordOutputs: false })!;
    expect([call.recordInputs, call.recordOutputs]).toEqual([true, false]);
    call.end({ output: "private answer" });
    await client.flush();
    const [t] = await standIn.waitForTraces(1);
    expect(t.input).toBe("question");
    expect(t.spans[0].input).toBe("question");
    expect(JSON.stringify(t)).not.toContain("private answer");
  });
});

describe("deprecated option names", () => {
  it("an integration's old timeout option still works, with one warning", () => {
    const warnings: string[] = [];
    const prev = logger.setSink({ debug() {}, warn: (m) => warnings.push(m), error() {} });
    logger.resetOnce();
    try {
      const a = createIntegration(
        "old",
        { client: new PandaProbe({ enabled: false }) },
        { name: "runTtlMs", value: 5 },
      );
      createIntegration("old", {}, { name: "runTtlMs", value: 7 });
      expect(a.options.staleCallTimeoutMs).toBe(5);
      expect(createIntegration("new", { staleCallTimeoutMs: 0 }).options.staleCallTimeoutMs).toBe(0);
      expect(createIntegration("new", {}).options.staleCallTimeoutMs).toBe(600_000);
      expect(warnings.filter((w) => w.includes("runTtlMs option is deprecated"))).toHaveLength(1);
    } finally {
      logger.setSink(prev);
    }
  });
});

it("META spells the tool-call id one way", () => {
  expect(META.TOOL_CALL_ID).toBe("tool_call_id");
});
