import { describe, expect, it } from "vitest";
import { extractLastAssistantMessage, extractLastUserMessage, validateMessages } from "../src/integration/index.js";

const convo = {
  messages: [
    { role: "system", content: "be nice" },
    { role: "user", content: "first" },
    { role: "assistant", content: "a1" },
    { role: "human", content: "second" },
    { role: "ai", content: "a2", tool_calls: [] },
  ],
};

describe("messages convention", () => {
  it("extracts the last user message (user or human), keeping the role as sent", () => {
    expect(extractLastUserMessage(convo)).toEqual({ messages: [{ role: "human", content: "second" }] });
  });
  it("extracts the last assistant message (assistant or ai)", () => {
    expect(extractLastAssistantMessage(convo)).toEqual({ messages: [{ role: "ai", content: "a2", tool_calls: [] }] });
  });
  it("accepts a bare array of messages", () => {
    expect(extractLastUserMessage([{ role: "user", content: "hi" }])).toEqual({
      messages: [{ role: "user", content: "hi" }],
    });
  });
  it("returns anything else unchanged (same object)", () => {
    const noUser = { messages: [{ role: "system", content: "x" }] };
    expect(extractLastUserMessage(noUser)).toBe(noUser);
    const noMessages = { foo: 1 };
    expect(extractLastAssistantMessage(noMessages)).toBe(noMessages);
    expect(extractLastUserMessage("text")).toBe("text");
    expect(extractLastUserMessage(null)).toBe(null);
    const notList = { messages: "x" };
    expect(extractLastUserMessage(notList)).toBe(notList);
  });
  it.each([
    [{ messages: [{ role: "user", content: "hello" }] }, undefined],
    [null, undefined],
    [{ messages: [{ role: "user", content: null }] }, undefined],
    [{ messages: [{ role: "assistant", content: [{ type: "output_text", text: "x" }], refusal: null }] }, undefined],
    ["str", "must be an object"],
    [{ foo: 1 }, "must contain a 'messages' key"],
    [{ messages: "x" }, "must be a list"],
    [{ messages: ["x"] }, "messages[0] must be an object"],
    [{ messages: [{ content: "x" }] }, "missing required key 'role'"],
    [{ messages: [{ role: 1, content: "x" }] }, "role must be a string"],
    [{ messages: [{ role: "user" }] }, "missing required key 'content'"],
    [{ messages: [{ role: "user", content: 5 }] }, "must be a string, list, or null"],
  ])("validateMessages(%j)", (value, expected) => {
    const r = validateMessages(value);
    if (expected === undefined) expect(r).toBeUndefined();
    else expect(r).toContain(expected);
  });
});
