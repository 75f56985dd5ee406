/**
 * A matrix cell on Node, Bun or Deno: the built package set up from the environment (or, where the environment may
 * not be read, from the arguments), the program, its result as the last line of stdout, then one more trace left to
 * the process end (no flush()). Warnings are collected from console.warn.
 */
const warnings = [];
const warn = console.warn;
console.warn = (...args) => warnings.push(args.join(" "));

const core = await import("../../../dist/index.js");
const { program, lastTrace } = await import("./program.mjs");

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const [apiKey, projectName, endpoint] = args;
core.init(apiKey ? { apiKey, projectName, endpoint } : {});
const result = await program(core);
console.log(JSON.stringify({ ...result, warnings }));
console.warn = warn; // from here on (the process end), anything said goes to stderr, where the test expects nothing
lastTrace(core);
