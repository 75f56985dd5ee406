/** The behaviour suites run against every supported `@google/genai` major. */
import type { GenAIUnderTest } from "../support/harness.js";
import { chatsSuite } from "./chats.suite.js";
import { contextSuite } from "./context.suite.js";
import { errorsSuite } from "./errors.suite.js";
import { generateSuite } from "./generate.suite.js";
import { streamsSuite } from "./streams.suite.js";
import { transparencySuite } from "./transparency.suite.js";

export function genaiSuites(sdk: GenAIUnderTest): void {
  generateSuite(sdk);
  streamsSuite(sdk);
  chatsSuite(sdk);
  errorsSuite(sdk);
  contextSuite(sdk);
  transparencySuite(sdk);
}
