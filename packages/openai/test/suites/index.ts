/** The behaviour suite run against every `openai` major. */
import type { OpenAIUnderTest } from "../support/harness.js";
import { chatSuite } from "./chat.suite.js";
import { contextSuite } from "./context.suite.js";
import { errorsSuite } from "./errors.suite.js";
import { helpersSuite } from "./helpers.suite.js";
import { responsesSuite } from "./responses.suite.js";
import { streamsSuite } from "./streams.suite.js";
import { transparencySuite } from "./transparency.suite.js";

export function openaiSuites(sdk: OpenAIUnderTest): void {
  chatSuite(sdk);
  responsesSuite(sdk);
  helpersSuite(sdk);
  transparencySuite(sdk);
  streamsSuite(sdk);
  errorsSuite(sdk);
  contextSuite(sdk);
}
