import * as genai from "genai-v2-floor";
import { genaiSuites } from "./suites/index.js";

genaiSuites({ label: "@google/genai 2 floor", genai });
