import * as genai from "genai-v3-floor";
import { genaiSuites } from "./suites/index.js";

genaiSuites({ label: "@google/genai 3 floor", genai });
