import * as newest from "mistral-v1";
import * as floor from "mistral-v1-floor";
import { mistralSuites } from "./suites/index.js";

// 1.5 added `chat.parse` and content chunks in replies; 1.10 made `EventStream` a `ReadableStream` and passes
// Mistral's extra usage fields (cached tokens) through.
mistralSuites({
  label: "mistral 1.15 (newest 1.x)",
  sdk: newest,
  parse: true,
  readableStream: true,
  contentChunks: true,
  cachedTokens: true,
});
mistralSuites({
  label: "mistral 1.0 (floor)",
  sdk: floor,
  parse: false,
  readableStream: false,
  contentChunks: false,
  cachedTokens: false,
});
