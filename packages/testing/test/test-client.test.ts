import { afterEach, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "../src/server.js";
import { createTestClient } from "../src/test-client.js";

let s: StandIn | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe("createTestClient (real @pandaprobe/core over HTTP)", () => {
  it("sends a trace the stand-in persists, with schema-conforming bodies", async () => {
    s = await startStandIn();
    const client = createTestClient(s);
    const trace = client.startTrace("from-core", { userId: "u-1", sessionId: "s-1", input: { q: "hi" } });
    trace.end();
    await client.flush();
    const [stored] = await s.waitForTraces(1);
    expect(stored).toMatchObject({ name: "from-core", user_id: "u-1", session_id: "s-1", input: { q: "hi" } });
    expect(s.requests[0].headers).toMatchObject({ "x-api-key": s.apiKey, "x-project-name": s.projectName });
    expect(s.schemaErrors()).toEqual([]);
    await client.shutdown();
  });

  it("overrides win over the defaults", async () => {
    s = await startStandIn();
    const client = createTestClient(s, { enabled: false });
    client.startTrace("disabled").end();
    await client.flush();
    expect(s.requests).toEqual([]);
    await client.shutdown();
  });
});
