import Anthropic from "@anthropic-ai/sdk-v0";
import { anthropicSuites } from "./suites/index.js";

anthropicSuites({ label: "@anthropic-ai/sdk 0.137", Anthropic });
