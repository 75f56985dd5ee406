import OpenAI from "openai-v5";
import { openaiSuites } from "./suites/index.js";

openaiSuites({ label: "openai 5", major: 5, OpenAI });
