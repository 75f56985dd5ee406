/** Chats: one gemini-chat span per turn with the history it sends, never a second span from the models it calls. */
import { startSpan, startTrace } from "@pandaprobe/core";
import { expectSpansNest } from "@pandaprobe/testing/vitest";
import { describe, expect, it } from "vitest";
import { wrapGoogleGenAI, withPandaProbe } from "../../src/index.js";
import { drain, EXPECTED_USAGE, type GenAIUnderTest, MODEL, MODES, onlySpan, useHarness } from "../support/harness.js";

export function chatsSuite(sdk: GenAIUnderTest): void {
  for (const mode of MODES) {
    describe(`${sdk.label} (${mode}): chats`, () => {
      const h = useHarness(sdk);

      it("sendMessage: one span per turn, the history as input, the chat's history kept as the SDK keeps it", async () => {
        const client = h.wrapped(mode);
        const chat = client.chats.create({
          model: MODEL,
          config: { systemInstruction: "You are terse.", temperature: 0.1 },
        });
        const first = await chat.sendMessage({ message: "echo:one" });
        const second = await chat.sendMessage({ message: "echo:two" });
        expect([first.text, second.text]).toEqual(["one", "two"]);
        expect(chat.getHistory()).toHaveLength(4);
        const traces = await h.traces(2);
        expect(traces.map((t) => t.name)).toEqual(["gemini-chat", "gemini-chat"]);
        const [a, b] = traces.map(onlySpan);
        expect(a).toMatchObject({ kind: "LLM", model: `${MODEL}-001`, token_usage: EXPECTED_USAGE });
        expect(b.input).toEqual({
          messages: [
            { role: "system", content: "You are terse." },
            { role: "user", content: "echo:one" },
            { role: "assistant", content: "one" },
            { role: "user", content: "echo:two" },
          ],
        });
        expect(b.output).toEqual({ messages: [{ role: "assistant", content: "two" }] });
        expect(b.model_parameters).toEqual({ temperature: 0.1 });
        expect(traces[1]).toMatchObject({
          input: { messages: [{ role: "user", content: "echo:two" }] },
          output: { messages: [{ role: "assistant", content: "two" }] },
        });
        expect(h.fake.requests).toHaveLength(2);
      });

      it("sendMessageStream: one streamed span per turn; the SDK still records the turn in the history", async () => {
        const bareChat = h.bare(mode).chats.create({ model: MODEL });
        await drain(await bareChat.sendMessageStream({ message: "echo:streamed answer" }));
        const chat = h.wrapped(mode).chats.create({ model: MODEL });
        const chunks = await drain(await chat.sendMessageStream({ message: "echo:streamed answer" }));
        expect(chunks.map((c: any) => c.text).join("")).toBe("streamed answer");
        expect(chat.getHistory()).toEqual(bareChat.getHistory());
        await chat.sendMessage({ message: "echo:next" });
        const traces = await h.traces(2);
        const [a, b] = traces.map(onlySpan);
        expect(a).toMatchObject({
          name: "gemini-chat",
          metadata: { streamed: true },
          output: { messages: [{ role: "assistant", content: "streamed answer" }] },
        });
        expect(a.completion_start_time).toBeTruthy();
        // The SDK keeps each streamed chunk's content as its own history entry: the next turn sends them so.
        expect((b.input as any).messages).toEqual([
          { role: "user", content: "echo:streamed answer" },
          { role: "assistant", content: "streamed " },
          { role: "assistant", content: "answer" },
          { role: "user", content: "echo:next" },
        ]);
      });

      it("inside a trace each turn is a child span; models calls beside it are gemini-generate", async () => {
        const client = h.wrapped(mode);
        await startTrace("agent", { client: h.pp }, () =>
          startSpan("plan", {}, async () => {
            const chat = client.chats.create({ model: MODEL });
            await chat.sendMessage({ message: "echo:a" });
            await drain(await chat.sendMessageStream({ message: "echo:b" }));
            await client.models.generateContent({ model: MODEL, contents: "echo:c" });
          }),
        );
        const [trace] = await h.traces(1);
        expect(trace.name).toBe("agent");
        const root = trace.spans.find((s) => s.name === "plan")!;
        const children = trace.spans.filter((s) => s !== root);
        expect(children.map((s) => s.name).sort()).toEqual(["gemini-chat", "gemini-chat", "gemini-generate"]);
        for (const s of children) expect(s.parent_span_id).toBe(root.span_id);
        expectSpansNest(trace);
      });

      it("per-chat and per-turn ids through withPandaProbe on the chat's or the turn's config", async () => {
        const client = h.wrapped(mode);
        const chat = client.chats.create({
          model: MODEL,
          config: withPandaProbe({ sessionId: "chat-1", userId: "u-chat" }, { temperature: 0 }),
        });
        await chat.sendMessage({ message: "echo:x" });
        await chat.sendMessage({
          message: "echo:y",
          config: withPandaProbe({ userId: "u-turn", tags: ["turn"] }, { temperature: 0 }),
        });
        const traces = await h.traces(2);
        expect(traces[0]).toMatchObject({ session_id: "chat-1", user_id: "u-chat" });
        expect(traces[1]).toMatchObject({ user_id: "u-turn", tags: ["turn"] });
        for (const r of h.fake.requests) expect(r.rawBody).not.toMatch(/u-chat|u-turn|chat-1|pandaprobe/);
      });

      it("a chat created before wrapping is still traced, each turn as a gemini-generate span", async () => {
        const bare = h.bare(mode);
        const chat = bare.chats.create({ model: MODEL });
        wrapGoogleGenAI(bare, { client: h.pp });
        await chat.sendMessage({ message: "echo:late" });
        const span = onlySpan((await h.traces(1))[0]);
        expect(span.name).toBe("gemini-generate");
        expect(span.output).toEqual({ messages: [{ role: "assistant", content: "late" }] });
      });
    });
  }
}
