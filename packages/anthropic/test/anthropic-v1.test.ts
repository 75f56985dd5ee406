import Anthropic from "@anthropic-ai/sdk";
import { anthropicSuites } from "./suites/index.js";

anthropicSuites({ label: "@anthropic-ai/sdk 1.17", Anthropic });
