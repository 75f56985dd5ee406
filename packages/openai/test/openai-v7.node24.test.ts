import OpenAI from "openai";
import { openaiSuites } from "./suites/index.js";

openaiSuites({ label: "openai 7", major: 7, OpenAI });
