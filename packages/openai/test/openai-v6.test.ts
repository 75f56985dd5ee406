import OpenAI from "openai-v6";
import { openaiSuites } from "./suites/index.js";

openaiSuites({ label: "openai 6", major: 6, OpenAI });
