// The suite against the floor of our peer range for openai 5 (package.json: "openai-v5-floor").
import OpenAI from "openai-v5-floor";
import { openaiSuites } from "./suites/index.js";

openaiSuites({ label: "openai 5 (floor)", major: 5, OpenAI });
