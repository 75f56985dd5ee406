/** The Claude Agent SDK behaviour suites, run once per supported SDK line (see the `test/*.test.ts` entry files). */
import { useStandIn } from "@pandaprobe/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFakeAnthropic } from "../support/fake-anthropic.js";
import { stopLeftoverClis } from "../support/leftover-clis.js";
import { startNetworkTrap } from "../support/network-trap.js";
import { type AgentSdk, makeWorkdir } from "../support/sdk.js";
import type { SuiteEnv } from "../support/suite-env.js";
import { contextSuite } from "./context-suite.js";
import { errorsSuite } from "./errors-suite.js";
import { querySuite } from "./query-suite.js";
import { transparencySuite } from "./transparency-suite.js";

export function defineClaudeAgentSuite(sdk: AgentSdk): void {
  const h = useStandIn();
  const env = { sdk, h } as SuiteEnv;
  let removeWorkdir = () => {};
  beforeAll(async () => {
    env.fake = await startFakeAnthropic();
    env.trap = await startNetworkTrap();
    const work = makeWorkdir();
    env.dir = work.dir;
    removeWorkdir = work.remove;
  });
  afterAll(async () => {
    if (env.dir) await stopLeftoverClis(env.dir);
    await env.fake?.close();
    await env.trap?.close();
    removeWorkdir();
  });

  querySuite(env);
  transparencySuite(env);
  errorsSuite(env);
  contextSuite(env);

  it(`(${sdk.label}) the CLI reached nothing but the fake Messages API (no telemetry, update or flag checks)`, () => {
    expect(env.trap.seen).toEqual([]);
    expect(env.fake.requests.length).toBeGreaterThan(0);
  });
}
