/** The behaviour suites run against every supported `@anthropic-ai/sdk` release. */
import type { SdkUnderTest } from "../support/harness.js";
import { contextSuite } from "./context.suite.js";
import { errorsSuite } from "./errors.suite.js";
import { helpersSuite } from "./helpers.suite.js";
import { messagesSuite } from "./messages.suite.js";
import { streamsSuite } from "./streams.suite.js";
import { transparencySuite } from "./transparency.suite.js";

export function anthropicSuites(sdk: SdkUnderTest): void {
  messagesSuite(sdk);
  streamsSuite(sdk);
  helpersSuite(sdk);
  transparencySuite(sdk);
  errorsSuite(sdk);
  contextSuite(sdk);
}
