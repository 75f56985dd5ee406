// Every package (and compat package) owns a `vitest.config.ts` built with `defineProject`.
// Tests that need Node >= 22 live in `*.node24.test.ts` files and run through `vitest.node24.workspace.ts`.
export default ["packages/*/vitest.config.ts", "packages/*/compat/*/vitest.config.ts"];
