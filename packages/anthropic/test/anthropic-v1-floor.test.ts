import Anthropic from "@anthropic-ai/sdk-v1-floor";
import { anthropicSuites } from "./suites/index.js";

anthropicSuites({ label: "@anthropic-ai/sdk 1.0 (floor)", Anthropic });
