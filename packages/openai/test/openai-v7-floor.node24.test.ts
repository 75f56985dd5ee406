// The suite against the floor of our peer range for openai 7 (package.json: "openai-v7-floor").
import OpenAI from "openai-v7-floor";
import { openaiSuites } from "./suites/index.js";

openaiSuites({ label: "openai 7 (floor)", major: 7, OpenAI });
