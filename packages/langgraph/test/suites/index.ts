/** The LangGraph handler behaviour suite, run once per supported LangChain line. */
import type { Frameworks } from "../support/frameworks.js";
import { agentSuite } from "./agent-suite.js";
import { graphSuite } from "./graph-suite.js";
import { langchainSuite } from "./langchain-suite.js";
import { useStandIn } from "@pandaprobe/testing/vitest";
import { rootsSuite } from "./roots-suite.js";
import { sweepSuite } from "./sweep-suite.js";

export type { Frameworks } from "../support/frameworks.js";

/** Registers every behaviour test against the given framework modules. */
export function defineLangGraphSuite(fw: Frameworks): void {
  const h = useStandIn();
  graphSuite(fw, h);
  agentSuite(fw, h);
  rootsSuite(fw, h);
  sweepSuite(fw, h);
  langchainSuite(fw, h);
}
