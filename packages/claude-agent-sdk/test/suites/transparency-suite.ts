/** What the caller gets from a traced query is what the SDK gives: the same object, messages, methods and errors. */
import { PandaProbe } from "@pandaprobe/core";
import { uniqueTag } from "@pandaprobe/testing/vitest";
import { describe, expect, it } from "vitest";
import { wrapClaudeAgentQuery } from "../../src/index.js";
import { subagentScenario, weatherScenario } from "../support/scenarios.js";
import { drain, optionsFor, type SuiteEnv, weatherServer } from "../support/suite-env.js";

/** A message without what differs from run to run (ids, times, durations, the fake's message counter). */
function comparable(m: any): unknown {
  return JSON.parse(
    JSON.stringify(m, (key, value) => {
      if (
        /^(uuid|session_id|timestamp|written_at|task_id|run_id|agentId|agent_id|id|request_id|output_file)$/.test(key)
      )
        return typeof value === "string" ? "<id>" : value;
      // Ids and timings inside texts (a subagent's hand-back names its agent id and duration).
      if (typeof value === "string")
        return value.replace(/\b[0-9a-f]{16,}\b/g, "<id>").replace(/(_ms|_tokens): \d+/g, "$1: <n>");
      if (/_ms$|^duration|cost|^ttft|Ms$|^time_|^first_|^end_time|^start_time|Usage$|^usage$/i.test(key))
        return "<varies>";
      return value;
    }),
  );
}

/** The messages that carry the conversation (system messages differ with the CLI's timing: progress, hooks). */
const conversation = (messages: any[]) =>
  messages.filter((m) => m.type === "assistant" || m.type === "user" || m.type === "result").map(comparable);

export function transparencySuite(env: SuiteEnv): void {
  describe(`transparency (${env.sdk.label})`, () => {
    it("the traced query returns the SDK's own Query, yielding the same messages as the bare one", async () => {
      const tag = uniqueTag("same");
      env.fake.script(tag, subagentScenario(tag, env.dir));
      const query = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client, tags: [tag] });
      const params = () => ({ prompt: `[[${tag}]] Summarise the notes.`, options: optionsFor(env) });
      const bare = env.sdk.query(params());
      const traced = query(params());
      expect(Object.getPrototypeOf(traced)).toBe(Object.getPrototypeOf(bare));
      expect(traced.constructor).toBe(bare.constructor);
      for (const method of ["interrupt", "setPermissionMode", "setModel", "supportedCommands", "close", "streamInput"])
        expect(typeof traced[method], method).toBe("function");
      expect(traced.interrupt).toBe(bare.interrupt);
      const [a, b] = [await drain(bare), await drain(traced)];
      expect(conversation(b)).toEqual(conversation(a));
      // Done is done, as for the bare query.
      expect(await traced.next()).toEqual(await bare.next());
      await env.h.tagged(tag);
    });

    it("wrapping twice records each query once", async () => {
      const tag = uniqueTag("twice");
      env.fake.script(tag, weatherScenario());
      const once = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client, tags: [tag] });
      const twice = wrapClaudeAgentQuery(once, { client: env.h.client, tags: ["other"] });
      expect(twice).toBe(once);
      await drain(
        twice({
          prompt: `[[${tag}]] Weather?`,
          options: optionsFor(env, { mcpServers: { weather: weatherServer(env) } }),
        }),
      );
      const [trace] = await env.h.tagged(tag);
      expect(trace.spans.filter((s) => s.name === "ClaudeAgentSDK")).toHaveLength(1);
    });

    it("with a disabled client outside any trace, the SDK's query is called untouched", async () => {
      const tag = uniqueTag("disabled");
      env.fake.script(tag, { main: [{ blocks: [{ type: "text", text: "hi" }] }] });
      const disabled = new PandaProbe({ enabled: false });
      const query = wrapClaudeAgentQuery(env.sdk.query, { client: disabled });
      const q = query({ prompt: `[[${tag}]] hi`, options: optionsFor(env) });
      expect(Object.getOwnPropertyNames(q)).not.toContain("next");
      const messages = await drain(q);
      expect(messages.at(-1)).toMatchObject({ type: "result", result: "hi" });
      await disabled.shutdown();
    });

    it("never throws into the caller: odd arguments reach the SDK as they are, with its own behaviour", async () => {
      expect(wrapClaudeAgentQuery(undefined as any)).toBeUndefined();
      const query = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client });
      const outcome = (fn: () => unknown) => {
        try {
          const value = fn() as any;
          value?.close?.(); // a query it did start: stop its CLI at once
          return { ok: true, type: typeof value };
        } catch (error) {
          return { ok: false, message: (error as Error).message };
        }
      };
      for (const args of [[], [null], [{ prompt: 42, options: optionsFor(env) }]] as unknown[][]) {
        const bare = outcome(() => (env.sdk.query as any)(...args));
        const traced = outcome(() => (query as any)(...args));
        expect(traced, JSON.stringify(args)).toEqual(bare);
      }
    });
  });
}
