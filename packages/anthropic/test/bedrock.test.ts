import { AnthropicBedrock } from "@anthropic-ai/bedrock-sdk";
import { platformSuite } from "./suites/platform.suite.js";

platformSuite({
  label: "@anthropic-ai/bedrock-sdk 1.2",
  provider: "aws.bedrock",
  // Static AWS credentials: the client SigV4-signs every request, as it would against AWS.
  client: (fake, options) =>
    new AnthropicBedrock({
      awsAccessKey: "AKIDFAKEFAKEFAKE",
      awsSecretKey: "fake-secret",
      awsRegion: "us-east-1",
      apiKey: null,
      baseURL: fake.origin,
      maxRetries: 0,
      ...options,
    }),
  path: (model, stream) => `/model/${model}/${stream ? "invoke-with-response-stream" : "invoke"}`,
  countTokens: false,
});
