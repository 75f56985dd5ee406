// The suite against the floor of our peer range for openai 4 (package.json: "openai-v4-floor").
import OpenAI from "openai-v4-floor";
import { openaiSuites } from "./suites/index.js";

openaiSuites({ label: "openai 4 (floor)", major: 4, OpenAI });
