/** The behaviour suites run against every tested `@aws-sdk/client-bedrock-runtime` release. */
import type { BedrockUnderTest } from "../support/harness.js";
import { contextSuite } from "./context.suite.js";
import { converseSuite } from "./converse.suite.js";
import { errorsSuite } from "./errors.suite.js";
import { invokeSuite } from "./invoke.suite.js";
import { streamsSuite } from "./streams.suite.js";
import { transparencySuite } from "./transparency.suite.js";

export function bedrockSuites(t: BedrockUnderTest): void {
  converseSuite(t);
  invokeSuite(t);
  streamsSuite(t);
  errorsSuite(t);
  contextSuite(t);
  transparencySuite(t);
}
