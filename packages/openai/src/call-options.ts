/** What the OpenAI SDK's request options say about a call (per-call PandaProbe options are core's `withPandaProbe`). */
import { isLoose } from "@pandaprobe/core/integration";

/** The convenience method that issued the call (`chat.completions.parse`, `stream`, ...), if any. */
export function readHelperMethod(requestOptions: unknown): string | undefined {
  if (!isLoose(requestOptions)) return undefined;
  const fromMetadata = requestOptions.__metadata?.helperMethod; // openai 7
  if (typeof fromMetadata === "string") return fromMetadata;
  const headers = requestOptions.headers; // openai 4 to 6 (plain object headers)
  if (isLoose(headers) && typeof headers.get !== "function") {
    const h = headers["X-Stainless-Helper-Method"] ?? headers["x-stainless-helper-method"];
    if (typeof h === "string") return h;
  }
  return undefined;
}
