import { parseJsonOrRaw } from "@pandaprobe/core/integration";

/** A tool's streamed input: the parsed JSON once complete, the text as received otherwise (`{}` when empty). */
export function parseToolInput(input: string): unknown {
  return input === "" ? {} : parseJsonOrRaw(input);
}
