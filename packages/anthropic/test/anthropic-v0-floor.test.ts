import Anthropic from "@anthropic-ai/sdk-v0-floor";
import { anthropicSuites } from "./suites/index.js";

anthropicSuites({ label: "@anthropic-ai/sdk 0.50.1 (floor)", Anthropic });
