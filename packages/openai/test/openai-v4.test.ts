import OpenAI from "openai-v4";
import { openaiSuites } from "./suites/index.js";

openaiSuites({ label: "openai 4", major: 4, OpenAI });
