/** A request's `contents` and `config.systemInstruction` -> the span input (the messages convention). */
import { isLoose, type Loose } from "@pandaprobe/core/integration";
import { contentMessages, emptySummary, messageRole, summarizeParts } from "./parts.js";

/** What a request's input is made of, copied at call time (the caller or the chat may change its arrays later). */
export interface CapturedInput {
  contents: unknown;
  system: unknown;
}

/** Call time: only copies of the arrays (cheap); `inputMessages` normalises them later, off the caller's path. */
export function captureInput(params: Loose): CapturedInput {
  const contents = params.contents;
  const config = params.config;
  return {
    contents: Array.isArray(contents) ? contents.slice() : contents,
    system: isLoose(config) ? config.systemInstruction : undefined,
  };
}

/** `{ messages }`: the system instruction, then each content (as the SDK reads `contents`: one, parts, or contents). */
export function inputMessages(captured: CapturedInput): { messages: Loose[] } {
  const messages: Loose[] = [];
  const system = captured.system;
  if (system !== undefined && system !== null) {
    const s = emptySummary();
    if (typeof system === "string") s.text.push(system);
    else if (Array.isArray(system)) summarizeParts(system, s);
    else if (isLoose(system) && Array.isArray(system.parts)) summarizeParts(system.parts, s);
    else summarizeParts([system], s);
    contentMessages("system", s, "\n", messages);
  }
  const contents = captured.contents;
  if (Array.isArray(contents)) {
    if (isContent(contents[0])) for (const c of contents) addContent(c, messages);
    else contentMessages("user", summarizeParts(contents, emptySummary()), "\n", messages);
  } else if (isContent(contents)) addContent(contents, messages);
  else if (contents !== undefined && contents !== null)
    contentMessages("user", summarizeParts([contents], emptySummary()), "\n", messages);
  return { messages };
}

/** The SDK's test for a `Content` (rather than a part): it has `parts`, or a role and no part field. */
function isContent(x: unknown): x is Loose {
  return isLoose(x) && (Array.isArray(x.parts) || (typeof x.role === "string" && x.text === undefined));
}

function addContent(c: unknown, out: Loose[]): void {
  if (!isLoose(c)) return;
  contentMessages(messageRole(c.role, "user"), summarizeParts(c.parts, emptySummary()), "\n", out);
}
