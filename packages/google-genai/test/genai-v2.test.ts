import * as genai from "genai-v2";
import { genaiSuites } from "./suites/index.js";

genaiSuites({ label: "@google/genai 2", genai });
