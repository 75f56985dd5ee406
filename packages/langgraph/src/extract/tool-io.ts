/** Tool and retriever span input/output. */
import { isRecord, parseJsonOrRaw } from "@pandaprobe/core/integration";
import { normalizeValues } from "./messages.js";

type Obj = Record<string, unknown>;

/** Tool arguments: LangChain passes a string (objects are `JSON.stringify`'d); parse it back when it is a JSON object or array. */
export function toolInput(input: unknown): unknown {
  return parseJsonOrRaw(input, { structuredOnly: true });
}

/** Tool result and the tool call id it answers (a `ToolMessage` carries both). */
export function toolOutput(output: unknown): { output: unknown; toolCallId?: string } {
  if (isRecord(output) && typeof output.tool_call_id === "string" && "content" in output) {
    const artifact = output.artifact;
    return {
      output: artifact === undefined ? output.content : { content: output.content, artifact },
      toolCallId: output.tool_call_id,
    };
  }
  return { output: normalizeValues(output) };
}

/** Retriever documents as plain `{ page_content, metadata, id }` objects. */
export function retrieverOutput(docs: unknown): unknown {
  if (!Array.isArray(docs)) return docs;
  return docs.map((d) => {
    if (!isRecord(d) || !("pageContent" in d || "page_content" in d)) return d;
    const out: Obj = { page_content: d.pageContent ?? d.page_content, metadata: d.metadata };
    if (d.id !== undefined) out.id = d.id;
    return out;
  });
}
