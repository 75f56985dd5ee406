/** The behaviour suites, run against every supported `@mistralai/mistralai` release line (its floor and newest). */
import type { MistralUnderTest } from "../support/harness.js";
import { chatSuite } from "./chat.suite.js";
import { contextSuite } from "./context.suite.js";
import { endpointsSuite } from "./endpoints.suite.js";
import { errorsSuite } from "./errors.suite.js";
import { streamsSuite } from "./streams.suite.js";
import { transparencySuite } from "./transparency.suite.js";

export function mistralSuites(sdk: MistralUnderTest): void {
  chatSuite(sdk);
  endpointsSuite(sdk);
  transparencySuite(sdk);
  streamsSuite(sdk);
  errorsSuite(sdk);
  contextSuite(sdk);
}
