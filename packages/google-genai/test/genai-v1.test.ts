import * as genai from "genai-v1";
import { genaiSuites } from "./suites/index.js";

genaiSuites({ label: "@google/genai 1", genai });
