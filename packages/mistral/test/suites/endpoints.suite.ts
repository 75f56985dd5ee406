/** FIM, agents and embeddings: each its own span name, kind and input. */
import { describe, expect, it } from "vitest";
import { drain, expectedUsage, type MistralUnderTest, onlySpan, USER_MSGS, useHarness } from "../support/harness.js";

export function endpointsSuite(sdk: MistralUnderTest): void {
  describe(`${sdk.label}: fim, agents, embeddings`, () => {
    const h = useHarness(sdk);

    it("fim.complete and fim.stream: prompt and suffix in, the completion out", async () => {
      const client = h.wrapped();
      const params = {
        model: "codestral-latest",
        prompt: "def add(a, b):\n    ",
        suffix: "\n\nprint(add(1, 2))",
        minTokens: 1,
      };
      const result = await client.fim.complete(params);
      expect(result).toEqual(await h.bare().fim.complete(params));
      await drain(await client.fim.stream({ ...params, temperature: 0 }));
      const traces = await h.traces(2);
      for (const trace of traces) {
        expect(trace.name).toBe("mistral-fim");
        const span = onlySpan(trace);
        expect(span).toMatchObject({ kind: "LLM", status: "OK", model: "codestral-latest-2507" });
        expect(span.input).toEqual({ prompt: params.prompt, suffix: params.suffix });
        expect(span.output).toEqual({ messages: [{ role: "assistant", content: "return a + b" }] });
        expect(span.token_usage).toEqual(expectedUsage(sdk));
        expect(span.model_parameters).toMatchObject({ minTokens: 1 });
        expect(trace.input).toEqual({ prompt: params.prompt, suffix: params.suffix });
        expect(trace.output).toEqual(span.output);
      }
      const streamed = traces.map(onlySpan).find((s) => s.metadata.streamed)!;
      expect(streamed.completion_start_time).not.toBeNull();
      expect(streamed.model_parameters).toEqual({ temperature: 0, minTokens: 1 });
    });

    it("agents.complete and agents.stream: the agent id in the metadata, the model the response names", async () => {
      const client = h.wrapped();
      const params = { agentId: "ag-weather-1", messages: [USER_MSGS[1]], maxTokens: 20 };
      const result = await client.agents.complete(params);
      expect(result.choices[0].message.content).toBe("It is sunny.");
      await drain(await client.agents.stream(params));
      const traces = await h.traces(2);
      expect(h.fake.requests.map((r) => r.path)).toEqual(["/v1/agents/completions", "/v1/agents/completions"]);
      for (const trace of traces) {
        expect(trace.name).toBe("mistral-agent");
        const span = onlySpan(trace);
        expect(span).toMatchObject({ kind: "LLM", status: "OK", model: "mistral-medium-2505" });
        expect(span.metadata).toMatchObject({ agent_id: "ag-weather-1", finish_reason: "stop" });
        expect(span.input).toEqual({ messages: [USER_MSGS[1]] });
        expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
        expect(span.model_parameters).toEqual({ maxTokens: 20 });
        expect(trace.input).toEqual({ messages: [USER_MSGS[1]] });
      }
    });

    it("embeddings.create: an EMBEDDING span with the texts, count, dimensions and usage, never the vectors", async () => {
      const client = h.wrapped();
      const inputs = ["a", "b"];
      const res = await client.embeddings.create({ model: "mistral-embed", inputs });
      expect(res.data[0].embedding).toEqual([0.1, 0.2, 0.3]);
      inputs.push("c"); // after the call: not part of it
      const [trace] = await h.traces(1);
      expect(trace.name).toBe("mistral-embedding");
      const span = onlySpan(trace);
      expect(span).toMatchObject({ kind: "EMBEDDING", status: "OK", model: "mistral-embed", input: ["a", "b"] });
      expect(span.output).toEqual({ embeddings: 2, dimensions: 3 });
      expect(span.token_usage).toEqual({ prompt_tokens: 5, completion_tokens: 0, total_tokens: 5 });
      expect(trace.input).toEqual({ messages: [{ role: "user", content: ["a", "b"] }] });
      expect(trace.output).toBeNull();
      expect(JSON.stringify(trace)).not.toMatch(/0\.1,0\.2/);
    });
  });
}
