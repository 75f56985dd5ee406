/** Every behaviour suite, for one `@openai/agents` version (each test/<version>.test.ts file runs them). */
import { describe } from "vitest";
import { type AgentsUnderTest, useHarness } from "../support/harness.js";
import { exportSuite } from "./export.suite.js";
import { identitySuite } from "./identity.suite.js";
import { runsSuite } from "./runs.suite.js";
import { timingSuite } from "./timing.suite.js";

export function agentsSuites(sdk: AgentsUnderTest): void {
  describe(sdk.label, () => {
    const h = useHarness(sdk);
    runsSuite(h);
    identitySuite(h);
    exportSuite(h);
    timingSuite(h);
  });
}
