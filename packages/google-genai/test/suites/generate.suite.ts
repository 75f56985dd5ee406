/** `models.generateContent` and `models.embedContent` in both modes: what the span records and what reaches the wire. */
import { describe, expect, it } from "vitest";
import { API_KEY, VERTEX_TOKEN } from "../support/fake-gemini-server.js";
import {
  callableWeatherTool,
  EXPECTED_USAGE,
  type GenAIUnderTest,
  MODEL,
  MODES,
  onlySpan,
  PARAMS,
  useHarness,
  WEATHER_TOOL,
} from "../support/harness.js";

export function generateSuite(sdk: GenAIUnderTest): void {
  for (const mode of MODES) {
    describe(`${sdk.label} (${mode}): generateContent and embedContent`, () => {
      const h = useHarness(sdk);

      it("a standalone call is a gemini-generate trace: input messages, output, model version, parameters, usage", async () => {
        const res = await h.wrapped(mode).models.generateContent(PARAMS);
        expect(res.text).toBe("It is sunny.");
        const [trace] = await h.traces(1);
        expect(trace).toMatchObject({
          name: "gemini-generate",
          status: "COMPLETED",
          input: { messages: [{ role: "user", content: "Weather in Paris?" }] },
          output: { messages: [{ role: "assistant", content: "It is sunny." }] },
        });
        expect(onlySpan(trace)).toMatchObject({
          name: "gemini-generate",
          kind: "LLM",
          status: "OK",
          model: `${MODEL}-001`,
          input: {
            messages: [
              { role: "system", content: "You are terse." },
              { role: "user", content: "Weather in Paris?" },
            ],
          },
          output: { messages: [{ role: "assistant", content: "It is sunny." }] },
          model_parameters: { temperature: 0.2, maxOutputTokens: 64 },
          token_usage: EXPECTED_USAGE,
          metadata: { finish_reason: "STOP", response_id: "resp-1" },
        });
        // The request went to this mode's endpoint with its own auth.
        const [req] = h.fake.requests;
        if (mode === "gemini") {
          expect(req.path).toMatch(new RegExp(`^/v1(beta)?/models/${MODEL}:generateContent$`));
          expect(req.headers["x-goog-api-key"]).toBe(API_KEY);
        } else {
          expect(req.path).toMatch(
            new RegExp(
              `^/v1(beta1)?/projects/fake-project/locations/us-central1/publishers/google/models/${MODEL}:generateContent$`,
            ),
          );
          expect(req.headers.authorization).toBe(`Bearer ${VERTEX_TOKEN}`);
        }
      });

      it("what is sent is what the bare client sends", async () => {
        await h.bare(mode).models.generateContent(PARAMS);
        await h.wrapped(mode).models.generateContent(PARAMS);
        const [bare, wrapped] = h.fake.requests;
        expect(wrapped.rawBody).toBe(bare.rawBody);
        expect(wrapped.path).toBe(bare.path);
        const strip = (hs: Record<string, unknown>) => {
          const { host: _h, ...rest } = hs;
          return rest;
        };
        expect(strip(wrapped.headers)).toEqual(strip(bare.headers));
        await h.traces(1);
      });

      it("function calls are tool calls; function responses in the contents are tool messages", async () => {
        const client = h.wrapped(mode);
        const first = await client.models.generateContent({ ...PARAMS, config: { tools: [WEATHER_TOOL] } });
        expect(first.functionCalls[0]).toMatchObject({ name: "get_weather", args: { city: "Paris" } });
        const contents = [
          { role: "user", parts: [{ text: "Weather in Paris?" }] },
          first.candidates[0].content,
          {
            role: "user",
            parts: [{ functionResponse: { id: "call-1", name: "get_weather", response: { temp: 21 } } }],
          },
        ];
        await client.models.generateContent({ model: MODEL, contents, config: { tools: [WEATHER_TOOL] } });
        const traces = await h.traces(2);
        const call = onlySpan(traces[0]);
        expect(call.output).toEqual({
          messages: [
            {
              role: "assistant",
              content: null,
              tool_calls: [
                { id: "call-1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
              ],
            },
          ],
        });
        expect(call.metadata.tools).toEqual(["get_weather"]);
        const answer = onlySpan(traces[1]);
        expect((answer.input as any).messages).toEqual([
          { role: "user", content: "Weather in Paris?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call-1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            ],
          },
          { role: "tool", tool_call_id: "call-1", name: "get_weather", content: '{"temp":21}' },
        ]);
        expect(answer.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
      });

      it("automatic function calling (a tool the SDK runs): one span, the rounds as tool calls and tool messages", async () => {
        const res = await h.wrapped(mode).models.generateContent({
          model: MODEL,
          contents: "Weather in Paris?",
          config: { tools: [callableWeatherTool()] },
        });
        expect(res.text).toBe("It is sunny.");
        expect(h.fake.requests).toHaveLength(2);
        const span = onlySpan((await h.traces(1))[0]);
        expect(span.output).toEqual({
          messages: [
            {
              role: "assistant",
              content: null,
              tool_calls: [
                { id: "call-1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
              ],
            },
            { role: "tool", tool_call_id: "call-1", name: "get_weather", content: '{"temp":21}' },
            { role: "assistant", content: "It is sunny." },
          ],
        });
        expect(span.metadata.tools).toEqual(["callable_tool"]);
      });

      it("thoughts are summarised into metadata, never mixed into the answer; thinking settings are parameters", async () => {
        const res = await h.wrapped(mode).models.generateContent({
          ...PARAMS,
          model: "gemini-think",
          config: { thinkingConfig: { includeThoughts: true, thinkingBudget: 128 } },
        });
        expect(res.text).toBe("It is sunny.");
        const span = onlySpan((await h.traces(1))[0]);
        expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
        expect(span.metadata.reasoning_summary).toBe("The user wants weather.");
        expect(span.model_parameters).toEqual({ thinkingConfig: { includeThoughts: true, thinkingBudget: 128 } });
        expect(span.token_usage).toEqual(EXPECTED_USAGE);
      });

      it("a blocked prompt: no output, the block reason as the refusal", async () => {
        const res = await h.wrapped(mode).models.generateContent({ ...PARAMS, model: "gemini-blocked" });
        expect(res.promptFeedback.blockReason).toBe("SAFETY");
        const span = onlySpan((await h.traces(1))[0]);
        expect(span.output ?? null).toBeNull();
        expect(span.metadata.refusal).toBe("SAFETY");
        expect(span.token_usage).toEqual({ prompt_tokens: 12, total_tokens: 12 });
      });

      it("images and files in the contents are described, never copied", async () => {
        const data = Buffer.alloc(3000, 7).toString("base64");
        await h.wrapped(mode).models.generateContent({
          model: MODEL,
          contents: [{ text: "What is this?" }, { inlineData: { mimeType: "image/png", data } }],
        });
        const span = onlySpan((await h.traces(1))[0]);
        expect(span.input).toEqual({
          messages: [
            {
              role: "user",
              content: [
                { type: "text", text: "What is this?" },
                { type: "inline_data", mime_type: "image/png", bytes: 3000 },
              ],
            },
          ],
        });
      });

      it("embedContent is an EMBEDDING span with the texts and the vectors' count and size, never the vectors", async () => {
        const model = mode === "gemini" ? "gemini-embedding-001" : "text-embedding-004";
        const res = await h.wrapped(mode).models.embedContent({
          model,
          contents: ["alpha", "beta"],
          config: { outputDimensionality: 3 },
        });
        expect(res.embeddings).toHaveLength(2);
        const [trace] = await h.traces(1);
        expect(trace).toMatchObject({
          name: "gemini-embedding",
          input: { messages: [{ role: "user", content: ["alpha", "beta"] }] },
        });
        expect(trace.output ?? null).toBeNull();
        const span = onlySpan(trace);
        expect(span).toMatchObject({
          kind: "EMBEDDING",
          model,
          input: ["alpha", "beta"],
          output: { embeddings: 2, dimensions: mode === "gemini" ? 3 : 4 },
          model_parameters: { outputDimensionality: 3 },
        });
        // No vector value anywhere but in times (`started_at`, `latency_ms`), whose digits may contain it.
        expect(JSON.stringify(span, (k, v) => (/_(at|ms)$/.test(k) ? undefined : v))).not.toContain("0.125");
        if (mode === "vertex") expect(span.token_usage).toMatchObject({ prompt_tokens: 6 });
        else expect(span.metadata.usage_unavailable).toBe(true);
        expect(h.fake.requests[0].action).toBe(mode === "gemini" ? "batchEmbedContents" : "predict");
      });
    });
  }
}
