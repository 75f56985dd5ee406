/** Parenting and attribution: nesting, no leaking standalone traces, 100 overlapping calls, per-call options, content policy. */
import { getCurrentTrace, PandaProbe, session, startSpan, startTrace, user } from "@pandaprobe/core";
import { expectSpansNest } from "@pandaprobe/testing/vitest";
import { describe, expect, it, vi } from "vitest";
import { withPandaProbe, wrapGemini, wrapGoogleGenAI } from "../../src/index.js";
import { drain, type GenAIUnderTest, MODEL, MODES, onlySpan, PARAMS, useHarness } from "../support/harness.js";

export function contextSuite(sdk: GenAIUnderTest): void {
  describe(`${sdk.label}: context`, () => {
    const h = useHarness(sdk);

    it("nests under the active span as an LLM child (streams too, even when read later)", async () => {
      const client = h.wrapped();
      const stream = await startTrace("agent", { client: h.pp, userId: "u-agent" }, () =>
        startSpan("plan", {}, async () => {
          await client.models.generateContent(PARAMS);
          await client.models.embedContent({ model: "gemini-embedding-001", contents: "x" });
          return client.models.generateContentStream(PARAMS);
        }),
      );
      await drain(stream);
      const [trace] = await h.traces(1);
      expect(trace).toMatchObject({ name: "agent", user_id: "u-agent" });
      const plan = trace.spans.find((s) => s.name === "plan")!;
      const children = trace.spans.filter((s) => s.parent_span_id === plan.span_id);
      expect(children.map((s) => `${s.name} ${s.kind}`).sort()).toEqual([
        "gemini-embedding EMBEDDING",
        "gemini-generate LLM",
        "gemini-generate LLM",
      ]);
      expectSpansNest(trace);
    });

    it("span times are on core's clock: a wall clock 5 s behind never puts a call (or its first chunk) outside its parent", async () => {
      const client = h.wrapped("vertex");
      const realNow = Date.now.bind(Date);
      const behind = vi.spyOn(Date, "now").mockImplementation(() => realNow() - 5000);
      try {
        await startTrace("agent", { client: h.pp }, () =>
          startSpan("step", {}, async () => {
            await client.models.generateContent(PARAMS);
            await drain(await client.models.generateContentStream(PARAMS));
            const chat = client.chats.create({ model: MODEL });
            await drain(await chat.sendMessageStream({ message: "echo:a b" }));
            const broken = await client.models.generateContentStream(PARAMS);
            for await (const _ of broken) break;
          }),
        );
        await drain(await client.models.generateContentStream(PARAMS));
      } finally {
        behind.mockRestore();
      }
      const traces = await h.traces(2);
      for (const t of traces) expectSpansNest(t);
      const withFirstChunk = traces.flatMap((t) => t.spans).filter((s) => s.completion_start_time);
      expect(withFirstChunk.length).toBe(4);
    });

    it("a standalone trace never becomes current: later calls and spans get their own traces", async () => {
      const client = h.wrapped();
      const open = await client.models.generateContentStream(PARAMS); // left open for now
      expect(getCurrentTrace()).toBeUndefined();
      await client.models.generateContent(PARAMS);
      await startSpan("after", { trace: { client: h.pp } }, () => expect(getCurrentTrace()?.name).toBe("after"));
      await drain(open);
      const traces = await h.traces(3);
      expect(traces.map((t) => t.name).sort()).toEqual(["after", "gemini-generate", "gemini-generate"]);
      for (const t of traces) expect(t.spans).toHaveLength(1);
    });

    it("100 overlapping calls (generate, stream, chat turns, embeddings; both modes) under different scopes and per-call ids: 0 misattributions", async () => {
      const clients = { gemini: h.wrapped("gemini"), vertex: h.wrapped("vertex") };
      const N = 100;
      await Promise.all(
        Array.from({ length: N }, (_, i) => {
          const client = clients[MODES[i % 2]];
          const perCall = i % 5 === 0; // every fifth call carries its own ids, which win over the scope's
          const ids = perCall ? withPandaProbe({ userId: `pu${i}`, sessionId: `ps${i}` }, {}) : {};
          const run = async () => {
            const kind = Math.floor(i / 2) % 4;
            if (kind === 0) await client.models.generateContent({ model: MODEL, contents: `echo:q${i}`, config: ids });
            else if (kind === 1)
              await drain(
                await client.models.generateContentStream({ model: MODEL, contents: `echo:q${i}`, config: ids }),
              );
            else if (kind === 2) {
              const chat = client.chats.create({ model: MODEL, config: ids });
              await Promise.resolve();
              await drain(await chat.sendMessageStream({ message: `echo:q${i}` }));
            } else
              await client.models.embedContent({
                model: i % 2 ? "text-embedding-004" : "gemini-embedding-001",
                contents: [`echo:q${i}`],
                config: ids,
              });
          };
          return user(`u${i}`, () => session(`s${i}`, run));
        }),
      );
      const traces = await h.traces(N);
      expect(traces).toHaveLength(N);
      let wrong = 0;
      const seen = new Set<string>();
      for (const t of traces) {
        const span = onlySpan(t);
        const text = JSON.stringify(span.input);
        const i = Number(/echo:q(\d+)/.exec(text)![1]);
        seen.add(String(i));
        const perCall = i % 5 === 0;
        const expectUser = perCall ? `pu${i}` : `u${i}`;
        const expectSession = perCall ? `ps${i}` : `s${i}`;
        if (t.user_id !== expectUser || t.session_id !== expectSession) wrong++;
        if (span.kind === "LLM" && !JSON.stringify(span.output).includes(`q${i}`)) wrong++;
      }
      expect(wrong).toBe(0);
      expect(seen.size).toBe(N);
      expect(h.fake.requests).toHaveLength(N);
      for (const r of h.fake.requests) expect(r.rawBody).not.toMatch(/pu\d|ps\d/);
    });

    it("per-call options on the config, on config.httpOptions or on the params: ids, tags, metadata, name, trace id; nothing reaches the wire", async () => {
      const client = h.wrapped("gemini", { tags: ["wrapper"], metadata: { team: "a" } });
      const traceId = "7d3f2c1e-4b5a-4c6d-8e9f-0a1b2c3d4e5f";
      await client.models.generateContent({
        ...PARAMS,
        config: withPandaProbe(
          { userId: "u1", tags: ["call"], metadata: { step: 1 }, name: "weather-lookup", traceId },
          PARAMS.config,
        ),
      });
      await client.models.generateContent({
        ...PARAMS,
        config: { ...PARAMS.config, httpOptions: withPandaProbe({ sessionId: "s2" }, { timeout: 5000 }) },
      });
      await client.models.generateContentStream(withPandaProbe({ userId: "u3" }, PARAMS)).then(drain);
      const traces = await h.traces(3);
      const byName = (n: string) => traces.filter((t) => t.name === n);
      const [named] = byName("weather-lookup");
      expect(named).toMatchObject({ trace_id: traceId, user_id: "u1", tags: ["wrapper", "call"] });
      expect(onlySpan(named).metadata).toMatchObject({ team: "a", step: 1 });
      expect(traces.find((t) => t.session_id === "s2")).toBeDefined();
      expect(traces.find((t) => t.user_id === "u3")).toBeDefined();
      const bare = h.bare();
      await bare.models.generateContent(PARAMS);
      const sent = h.fake.requests.map((r) => r.rawBody);
      expect(sent[0]).toBe(sent[3]);
      expect(sent[2]).toBe(sent[3]);
      for (const r of h.fake.requests) expect(JSON.stringify(r.headers)).not.toMatch(/u1|s2|u3|weather-lookup/);
    });

    it("recordInputs/recordOutputs false (wrapper or per call): no content leaves the process, the rest does", async () => {
      await h.wrapped("gemini", { recordInputs: false }).models.generateContent(PARAMS);
      await h.wrapped().models.generateContent({ ...PARAMS, config: withPandaProbe({ recordOutputs: false }, {}) });
      const [noInput, noOutput] = await h.traces(2);
      expect(onlySpan(noInput).input ?? null).toBeNull();
      expect(noInput.input ?? null).toBeNull();
      expect(onlySpan(noInput).output).toBeTruthy();
      expect(onlySpan(noOutput).output ?? null).toBeNull();
      expect(noOutput.output ?? null).toBeNull();
      expect(onlySpan(noOutput).token_usage).toBeTruthy();
    });

    it("wrapping twice records each call once; wrapGemini is the same function", async () => {
      expect(wrapGemini).toBe(wrapGoogleGenAI);
      const client = h.wrapped();
      expect(wrapGoogleGenAI(client, { client: h.pp })).toBe(client);
      await client.models.generateContent(PARAMS);
      await client.chats.create({ model: MODEL }).sendMessage({ message: "hi" });
      const traces = await h.traces(2);
      for (const t of traces) onlySpan(t);
      expect(h.fake.requests).toHaveLength(2);
    });

    it("with a disabled PandaProbe client outside any trace it is a pure pass-through", async () => {
      const disabled = new PandaProbe({ enabled: false });
      const client = wrapGoogleGenAI(h.bare(), { client: disabled });
      expect((await client.models.generateContent(PARAMS)).text).toBe("It is sunny.");
      await drain(await client.models.generateContentStream(PARAMS));
      await client.chats.create({ model: MODEL }).sendMessage({ message: "hi" });
      await h.pp.flush();
      expect(h.standIn.traces()).toEqual([]);
    });

    it("never throws into the caller, whatever it is given", async () => {
      for (const bad of [null, undefined, 42, "x", {}, { models: null }, { models: 1, chats: 2 }])
        expect(() => wrapGoogleGenAI(bad as any)).not.toThrow();
      const client = h.wrapped();
      const hostile = new Proxy(
        {},
        {
          get() {
            throw new Error("hostile");
          },
        },
      );
      const bareError = await h
        .bare()
        .models.generateContent(hostile)
        .catch((e: Error) => e.message);
      const error = await client.models.generateContent(hostile).catch((e: Error) => e.message);
      expect(error).toBe(bareError);
      await h.pp.flush();
    });
  });
}
