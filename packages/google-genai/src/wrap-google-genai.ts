/** `wrapGoogleGenAI`: patches the client's own `models` and `chats` instances so every model call is traced once. */
import {
  type AnyFn,
  createIntegration,
  type Integration,
  isLoose,
  type Loose,
  patchMethod,
  wrapOnce,
} from "@pandaprobe/core/integration";
import type { Endpoint } from "./endpoint.js";
import { embedEndpoint } from "./extract/embed.js";
import {
  chatEndpoint,
  chatStreamEndpoint,
  generateContentEndpoint,
  generateStreamEndpoint,
} from "./extract/generate.js";
import { tracedEndpoint } from "./traced-method.js";
import type { WrapGoogleGenAIOptions } from "./types.js";

/**
 * Traces every model call of a `@google/genai` client (`new GoogleGenAI(...)`, Gemini API or Vertex AI) and returns
 * the same client.
 *
 * `models.generateContent` and `models.generateContentStream` are `gemini-generate` LLM spans, `models.embedContent`
 * a `gemini-embedding` EMBEDDING span, and each turn of a chat made with `chats.create()` (`sendMessage`,
 * `sendMessageStream`) one `gemini-chat` LLM span whose input is the history the turn sends. Results are the SDK's
 * own objects (`GenerateContentResponse` with its getters, the stream's async generator). Wrapping twice does nothing
 * more. Never throws.
 */
export function wrapGoogleGenAI<T extends object>(client: T, options: WrapGoogleGenAIOptions = {}): T {
  return wrapOnce("google-genai", "wrapGoogleGenAI", client, (c) => {
    const models = c.models;
    if (!isLoose(models)) return false;
    const integration = createIntegration("google-genai", options);
    const generate = models.generateContent as AnyFn | undefined;
    const stream = models.generateContentStream as AnyFn | undefined;
    patch(models, "generateContent", generateContentEndpoint, integration);
    patch(models, "generateContentStream", generateStreamEndpoint, integration);
    patch(models, "embedContent", embedEndpoint, integration);
    patchChats(c.chats, models, generate, stream, integration);
  });
}

/** The name PandaProbe's Python SDK and its `pandaprobe` npm package use: the same function. */
export const wrapGemini: typeof wrapGoogleGenAI = wrapGoogleGenAI;

/**
 * Replaces one method of the client's `models` instance. The SDK assigns most as own arrow functions in the
 * constructor (a plain assignment keeps their attributes); a prototype method (`embedContent` in 1.x) gets a hidden
 * own property and is called with the instance as `this`.
 */
function patch(models: Loose, key: string, endpoint: Endpoint, integration: Integration): void {
  patchMethod("google-genai", models, key, (original) => tracedEndpoint(endpoint, original, integration));
}

/**
 * A chat calls `modelsModule.generateContent(Stream)` for each turn with its curated history plus the new message.
 * The client's `chats` hands new chats its `models` instance: it gets a view of it instead (an object whose prototype
 * is that instance) where those two methods record the turn as a `gemini-chat` span around the SDK's original
 * methods. Each turn is then one span with the exact history it sends, never a second span from `models`.
 * Chats created before wrapping keep the client's `models`, so their turns are `gemini-generate` spans.
 */
function patchChats(
  chats: unknown,
  models: Loose,
  generate: AnyFn | undefined,
  stream: AnyFn | undefined,
  integration: Integration,
): void {
  if (!isLoose(chats) || chats.modelsModule !== models) return;
  const view: Loose = Object.create(models);
  const define = (key: string, fn: AnyFn | undefined, endpoint: Endpoint) => {
    if (typeof fn === "function")
      Object.defineProperty(view, key, {
        value: tracedEndpoint(endpoint, fn, integration),
        writable: true,
        configurable: true,
        enumerable: true,
      });
  };
  define("generateContent", generate, chatEndpoint);
  define("generateContentStream", stream, chatStreamEndpoint);
  chats.modelsModule = view;
}
