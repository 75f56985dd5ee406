import { AnthropicVertex } from "@anthropic-ai/vertex-sdk";
import { OAuth2Client } from "google-auth-library";
import { platformSuite } from "./suites/platform.suite.js";

/** A Google OAuth client holding an unexpired token: it signs requests without asking Google for one. */
function authClient() {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: "ya29.fake-token", expiry_date: Date.now() + 3_600_000 });
  return client;
}

platformSuite({
  label: "@anthropic-ai/vertex-sdk 1.1",
  provider: "gcp.vertex_ai",
  client: (fake, options) =>
    new AnthropicVertex({
      region: "us-east5",
      projectId: "proj-fake",
      authClient: authClient(),
      baseURL: `${fake.origin}/v1`,
      maxRetries: 0,
      ...options,
    }),
  path: (model, stream) =>
    `/v1/projects/proj-fake/locations/us-east5/publishers/anthropic/models/${model}:${stream ? "streamRawPredict" : "rawPredict"}`,
  countTokens: true,
});
