/** The google-genai suites' harness: the shared stand-in harness plus the fake Gemini server and clients of the version under test. */
import type { PandaProbe } from "@pandaprobe/core";
import type { StandIn, TraceResponse } from "@pandaprobe/testing";
import { useStandIn } from "@pandaprobe/testing/vitest";
import { OAuth2Client } from "google-auth-library";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type WrapGoogleGenAIOptions, wrapGoogleGenAI } from "../../src/index.js";
import { API_KEY, type FakeGemini, LOCATION, PROJECT, startFakeGemini, VERTEX_TOKEN } from "./fake-gemini-server.js";

/** Reads a stream to its end (shared by every package's suites). */
export { drain } from "@pandaprobe/testing";

export { onlySpan, spansNamed } from "@pandaprobe/testing";
export { EXPECTED_USAGE } from "./fake-gemini-server.js";

/** The `@google/genai` major under test: its module and label. */
export interface GenAIUnderTest {
  label: string;
  genai: any;
}

/** The client's two backends: the Gemini API (an API key) and Vertex AI (a project, a location, OAuth). */
export type Mode = "gemini" | "vertex";
export const MODES: Mode[] = ["gemini", "vertex"];

export interface Harness {
  standIn: StandIn;
  pp: PandaProbe;
  fake: FakeGemini;
  /** A bare (unwrapped) client of the version under test. */
  bare(mode?: Mode, options?: Record<string, unknown>): any;
  /** A wrapped client sending to `pp`. */
  wrapped(mode?: Mode, wrap?: WrapGoogleGenAIOptions, options?: Record<string, unknown>): any;
  /** Flushes `pp` and waits for `n` persisted traces. */
  traces(n: number): Promise<TraceResponse[]>;
}

/** A real OAuth2 client holding a token that does not expire: Vertex requests carry it, nothing is fetched. */
function vertexAuthClient(): OAuth2Client {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: VERTEX_TOKEN, expiry_date: Date.now() + 24 * 3600_000, token_type: "Bearer" });
  return auth;
}

/** Registers the lifecycle hooks and returns the (lazily filled) harness; every test's bodies must be valid. */
export function useHarness(sdk: GenAIUnderTest): Harness {
  const shared = useStandIn({ checkEachTest: true });
  const h = {} as Harness;
  beforeAll(async () => {
    h.standIn = shared.standIn;
    h.pp = shared.client;
    h.fake = await startFakeGemini();
    h.bare = (mode = "gemini", options = {}) => {
      const httpOptions = { baseUrl: h.fake.baseUrl, ...(options.httpOptions as object) };
      return mode === "gemini"
        ? new sdk.genai.GoogleGenAI({ apiKey: API_KEY, ...options, httpOptions })
        : new sdk.genai.GoogleGenAI({
            vertexai: true,
            project: PROJECT,
            location: LOCATION,
            googleAuthOptions: { authClient: vertexAuthClient() },
            ...options,
            httpOptions,
          });
    };
    h.wrapped = (mode = "gemini", wrap = {}, options = {}) =>
      wrapGoogleGenAI(h.bare(mode, options), { client: h.pp, ...wrap });
    h.traces = async (n) => {
      await h.pp.flush();
      return h.standIn.waitForTraces(n);
    };
  });
  beforeEach(() => {
    h.standIn.reset();
    h.fake.requests.length = 0;
  });
  afterAll(async () => {
    await h.fake.close();
  });
  return h;
}

export const MODEL = "gemini-2.5-flash";

/** A request with a system instruction and model parameters. */
export const PARAMS = {
  model: MODEL,
  contents: "Weather in Paris?",
  config: { systemInstruction: "You are terse.", temperature: 0.2, maxOutputTokens: 64 },
};

export const WEATHER_TOOL = {
  functionDeclarations: [
    {
      name: "get_weather",
      description: "w",
      parameters: { type: "OBJECT", properties: { city: { type: "STRING" } }, required: ["city"] },
    },
  ],
};

/** A tool the SDK runs itself (automatic function calling): the `CallableTool` interface, as `mcpToTool` builds it. */
export function callableWeatherTool() {
  return {
    tool: async () => WEATHER_TOOL,
    callTool: async (calls: { id?: string; name: string }[]) =>
      calls.map((c) => ({ functionResponse: { id: c.id, name: c.name, response: { temp: 21 } } })),
  };
}
