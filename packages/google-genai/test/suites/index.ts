/** The behaviour suites run against every supported `@google/genai` major. */
import type { GenAIUnderTest } from "../support/harness.js";
import { generateSuite } from "./generate.suite.js";

export function genaiSuites(sdk: GenAIUnderTest): void {
  generateSuite(sdk);
}
