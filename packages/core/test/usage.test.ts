import { describe, expect, it } from "vitest";
import { normalizeTokenUsage, pickModelParameters } from "../src/integration/index.js";

describe("normalizeTokenUsage", () => {
  it("maps OpenAI chat usage, cached and reasoning included", () => {
    expect(
      normalizeTokenUsage({
        prompt_tokens: 100,
        completion_tokens: 50,
        total_tokens: 150,
        prompt_tokens_details: { cached_tokens: 40 },
        completion_tokens_details: { reasoning_tokens: 20 },
      }),
    ).toEqual({
      prompt_tokens: 100,
      completion_tokens: 50,
      total_tokens: 150,
      cache_read_tokens: 40,
      reasoning_tokens: 20,
    });
  });
  it("maps OpenAI Responses usage", () => {
    expect(
      normalizeTokenUsage({
        input_tokens: 10,
        output_tokens: 5,
        total_tokens: 15,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens_details: { reasoning_tokens: 2 },
      }),
    ).toEqual({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cache_read_tokens: 0, reasoning_tokens: 2 });
  });
  it("maps LangChain usage_metadata", () => {
    expect(
      normalizeTokenUsage({
        input_tokens: 12,
        output_tokens: 8,
        total_tokens: 20,
        input_token_details: { cache_read: 3 },
        output_token_details: { reasoning: 4 },
      }),
    ).toEqual({ prompt_tokens: 12, completion_tokens: 8, total_tokens: 20, cache_read_tokens: 3, reasoning_tokens: 4 });
  });
  it("adds Anthropic cache tokens to the prompt (its input_tokens exclude them)", () => {
    expect(
      normalizeTokenUsage({
        input_tokens: 10,
        output_tokens: 5,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 7,
      }),
    ).toEqual({
      prompt_tokens: 117,
      completion_tokens: 5,
      total_tokens: 122,
      cache_read_tokens: 100,
      cache_creation_tokens: 7,
    });
  });
  it("maps AI SDK v5 and v6/v7 shapes", () => {
    expect(
      normalizeTokenUsage({
        inputTokens: 3,
        outputTokens: 4,
        totalTokens: 7,
        reasoningTokens: 1,
        cachedInputTokens: 2,
      }),
    ).toEqual({
      prompt_tokens: 3,
      completion_tokens: 4,
      total_tokens: 7,
      reasoning_tokens: 1,
      cache_read_tokens: 2,
    });
    expect(
      normalizeTokenUsage({
        inputTokens: { total: 10, noCache: 6, cacheRead: 4, cacheWrite: undefined },
        outputTokens: { total: 5, text: 3, reasoning: 2 },
      }),
    ).toEqual({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, reasoning_tokens: 2, cache_read_tokens: 4 });
  });
  it("maps LangChain legacy tokenUsage", () => {
    expect(normalizeTokenUsage({ promptTokens: 1, completionTokens: 2, totalTokens: 3 })).toEqual({
      prompt_tokens: 1,
      completion_tokens: 2,
      total_tokens: 3,
    });
  });
  it("keeps zeros and returns undefined for nothing usable", () => {
    expect(normalizeTokenUsage({ prompt_tokens: 0, completion_tokens: 0 })).toEqual({
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
    });
    expect(normalizeTokenUsage({})).toBeUndefined();
    expect(normalizeTokenUsage(null)).toBeUndefined();
    expect(normalizeTokenUsage({ prompt_tokens: "x" })).toBeUndefined();
  });
});

describe("pickModelParameters", () => {
  it("keeps known parameters and never secrets or callbacks", () => {
    expect(
      pickModelParameters({
        temperature: 0.2,
        max_tokens: 10,
        apiKey: "sk",
        headers: { a: 1 },
        onToken: () => 1,
        response_format: { type: "json_schema", json_schema: { big: 1 } },
      }),
    ).toEqual({ temperature: 0.2, max_tokens: 10, response_format: { type: "json_schema" } });
    expect(pickModelParameters({ apiKey: "x" })).toBeUndefined();
  });
});

describe("normalizeTokenUsage: AI SDK v6/v7 call-level usage", () => {
  it("reads inputTokenDetails / outputTokenDetails", () => {
    expect(
      normalizeTokenUsage({
        inputTokens: 20,
        inputTokenDetails: { noCacheTokens: 12, cacheReadTokens: 6, cacheWriteTokens: 2 },
        outputTokens: 9,
        outputTokenDetails: { textTokens: 5, reasoningTokens: 4 },
        totalTokens: 29,
      }),
    ).toEqual({
      prompt_tokens: 20,
      completion_tokens: 9,
      total_tokens: 29,
      reasoning_tokens: 4,
      cache_read_tokens: 6,
      cache_creation_tokens: 2,
    });
  });
});
