// The suite against the floor of our peer range for openai 6 (package.json: "openai-v6-floor").
import OpenAI from "openai-v6-floor";
import { openaiSuites } from "./suites/index.js";

openaiSuites({ label: "openai 6 (floor)", major: 6, OpenAI });
