/**
 * One set of expectations for the `@trace()` / `@span()` method decorators, run against the same class compiled as
 * TypeScript 5 standard decorators (decorators.test.ts) and as legacy `experimentalDecorators`
 * (legacy-decorators/decorators.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flush, getClient, init } from "../src/index.js";
import { startStandIn, type StandIn } from "./helpers.js";

/** The decorated class each mode compiles (see either test file). */
export interface DecoratedAgent {
  answer(question: string): Promise<string>;
  fail(): never;
  orphan(x: number): number;
}
export interface DecoratedAgentClass {
  new (prefix: string): DecoratedAgent;
  ping(n: number): number;
}

export function decoratorSuite(
  mode: string,
  Agent: DecoratedAgentClass,
  probed: () => number[],
  decoratorArguments: number,
): void {
  describe(`method decorators (${mode})`, () => {
    it(`is compiled as ${mode} (a decorator gets ${decoratorArguments} arguments)`, () => {
      expect(probed()).toEqual([decoratorArguments]);
    });

    let standIn: StandIn;
    beforeAll(async () => {
      standIn = await startStandIn();
      init({ ...standIn.clientOptions, flushIntervalMs: 10, retryBaseMs: 5, tracesPerMinute: 0 });
    });
    afterAll(async () => {
      await getClient().shutdown({ timeoutMs: 100 });
      await standIn.close();
    });

    it("@trace() makes each call a trace named after the method (this kept); @span() nests its calls inside", async () => {
      standIn.reset();
      const agent = new Agent("> ");
      expect(await agent.answer("q1")).toBe("> docs for q1");
      expect(await agent.answer("q2")).toBe("> docs for q2");
      await flush();
      const traces = await standIn.waitForTraces(2);
      expect(traces.map((t) => [t.name, t.input, t.output]).sort()).toEqual([
        ["answer", "q1", "> docs for q1"],
        ["answer", "q2", "> docs for q2"],
      ]);
      for (const t of traces) {
        expect(t.spans).toHaveLength(1);
        expect(t.spans[0]).toMatchObject({ name: "search", kind: "RETRIEVER", status: "OK", parent_span_id: null });
        expect(t.spans[0]!.output).toBe(`docs for ${t.input}`);
      }
      expect(standIn.schemaErrors()).toEqual([]);
    });

    it("re-throws what the method throws, unchanged, and records the trace as ERROR", async () => {
      standIn.reset();
      expect(() => new Agent("").fail()).toThrow("nope");
      await flush();
      const [t] = await standIn.waitForTraces(1);
      expect(t).toMatchObject({ name: "fail", status: "ERROR", metadata: { error: "nope" } });
    });

    it("decorates static methods, with options; @span() with no active trace makes a standalone trace", async () => {
      standIn.reset();
      expect(Agent.ping(1)).toBe(2);
      expect(new Agent("").orphan(21)).toBe(42);
      await flush();
      const traces = await standIn.waitForTraces(2);
      const ping = traces.find((t) => t.name === "static-ping")!;
      expect(ping).toMatchObject({ tags: ["s"], input: 1, output: 2 });
      const orphan = traces.find((t) => t.name === "orphan")!;
      expect(orphan.spans).toHaveLength(1);
      expect(orphan.spans[0]).toMatchObject({ name: "orphan", input: 21, output: 42 });
    });
  });
}
