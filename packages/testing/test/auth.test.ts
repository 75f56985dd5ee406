import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "../src/server.js";
import { authHeaders, call, trace } from "./helpers.js";

const MISSING = "Missing credentials. Provide Authorization: Bearer <token> (with X-Project-ID) or X-API-Key header.";
const SCOPE = "Project scope required. Provide X-Project-ID (Bearer) or X-Project-Name (API key).";
const BAD_NAME =
  "X-Project-Name must start and end with a letter or digit and contain only letters, digits, spaces, hyphens, " +
  "underscores, dots, or apostrophes.";

let s: StandIn;
beforeAll(async () => {
  s = await startStandIn({
    apiKeys: [
      "sk_pp_test",
      { key: "sk_old", expired: true },
      { key: "sk_gone", revoked: true },
      { key: "sk_other", organization: "org-2" },
    ],
  });
});
afterAll(() => s.close());
beforeEach(() => s.reset());

const json = { "content-type": "application/json" };

describe("authentication (§1)", () => {
  it("401 when no credentials are sent, or X-API-Key is empty", async () => {
    for (const headers of [json, { ...json, "x-api-key": "", "x-project-name": "p" }]) {
      const r = await call(s, "POST", "/traces", trace(), headers);
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ detail: MISSING });
    }
  });

  it("401 for unknown, revoked and expired keys", async () => {
    const cases: Array<[string, string]> = [
      ["nope", "Invalid or revoked API key."],
      ["sk_gone", "Invalid or revoked API key."],
      ["sk_old", "API key has expired. Please generate a new one."],
    ];
    for (const [key, detail] of cases) {
      const r = await call(s, "POST", "/traces", trace(), authHeaders(s, { "x-api-key": key }));
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ detail });
    }
  });

  it("the API key wins over a Bearer token; a Bearer token alone is rejected", async () => {
    const withBoth = await call(s, "POST", "/traces", trace(), authHeaders(s, { authorization: "Bearer garbage" }));
    expect(withBoth.status).toBe(202);
    const bearerOnly = await call(s, "POST", "/traces", trace(), {
      ...json,
      authorization: "Bearer garbage",
      "x-project-id": "x",
    });
    expect(bearerOnly.status).toBe(401);
  });

  it("422 'Project scope required' when X-Project-Name is missing or blank (X-Project-ID is ignored)", async () => {
    const variants = [
      { ...json, "x-api-key": "sk_pp_test" },
      { ...json, "x-api-key": "sk_pp_test", "x-project-name": "   " },
      { ...json, "x-api-key": "sk_pp_test", "x-project-id": "5b0a8c4e-6a8e-4c6e-9f7d-0a4b3c2d1e0f" },
    ];
    for (const headers of variants) {
      const r = await call(s, "POST", "/traces", trace(), headers);
      expect(r.status).toBe(422);
      expect(r.json).toEqual({ detail: SCOPE });
    }
  });

  it("validates project names: length, characters, start/end; strips whitespace; auto-creates", async () => {
    const long = await call(s, "POST", "/traces", trace(), authHeaders(s, { "x-project-name": "a".repeat(256) }));
    expect(long.json).toEqual({ detail: "X-Project-Name must be at most 255 characters." });
    for (const name of ["bad/name!", "-lead", "trail.", "x_"]) {
      const r = await call(s, "POST", "/traces", trace(), authHeaders(s, { "x-project-name": name }));
      expect([r.status, r.json]).toEqual([422, { detail: BAD_NAME }]);
    }
    for (const name of ["My Proj.v2", "O'Brien_1-a", "a".repeat(255), "  padded  "]) {
      const r = await call(s, "POST", "/traces", trace(), authHeaders(s, { "x-project-name": name }));
      expect(r.status).toBe(202);
    }
    expect(s.projects().map((p) => p.name)).toEqual(["My Proj.v2", "O'Brien_1-a", "a".repeat(255), "padded"]);
  });

  it("projects are per organization and names are case-sensitive", async () => {
    const a = trace();
    await call(s, "POST", "/traces", a);
    expect((await call(s, "GET", `/traces/${a.trace_id}`)).status).toBe(200);
    expect(
      (await call(s, "GET", `/traces/${a.trace_id}`, undefined, authHeaders(s, { "x-project-name": "TEST-PROJECT" })))
        .status,
    ).toBe(404);
    expect(
      (await call(s, "GET", `/traces/${a.trace_id}`, undefined, authHeaders(s, { "x-api-key": "sk_other" }))).status,
    ).toBe(404);
  });

  it("a JSON parse error is 422 before auth; a bad key plus an invalid body is 401", async () => {
    const parse = await call(s, "POST", "/traces", "{bad", { ...json, "x-api-key": "nope" });
    expect(parse.status).toBe(422);
    expect(parse.json.detail).toBe("Validation error");
    expect(parse.json.errors[0].message).toBe("JSON decode error");
    const invalid = await call(
      s,
      "POST",
      "/traces",
      { name: 5 },
      { ...json, "x-api-key": "nope", "x-project-name": "p" },
    );
    expect(invalid.status).toBe(401);
  });

  it("a project created by a failing request is rolled back", async () => {
    const r = await call(s, "POST", "/traces", { name: "" }, authHeaders(s, { "x-project-name": "ephemeral" }));
    expect(r.status).toBe(422);
    const g = await call(
      s,
      "GET",
      `/traces/${trace().trace_id}`,
      undefined,
      authHeaders(s, { "x-project-name": "ephemeral2" }),
    );
    expect(g.status).toBe(404);
    expect(s.projects()).toEqual([]);
  });

  it("with authEnabled=false a request without credentials is the dev user", async () => {
    const dev = await startStandIn({ authEnabled: false });
    try {
      expect((await call(dev, "POST", "/traces", trace(), json)).json).toEqual({ detail: SCOPE });
      expect((await call(dev, "POST", "/traces", trace(), { ...json, "x-project-name": "dev" })).status).toBe(202);
    } finally {
      await dev.close();
    }
  });

  it("echoes X-Request-ID, or generates a UUID", async () => {
    const echoed = await call(s, "POST", "/traces", trace(), authHeaders(s, { "x-request-id": "req-123" }));
    expect(echoed.headers.get("x-request-id")).toBe("req-123");
    const generated = await call(s, "GET", "/nowhere");
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.requests.map((r) => r.requestId)).toEqual(["req-123", generated.headers.get("x-request-id")]);
  });
});
