// The built @pandaprobe/core (dist), loaded by Node at request time, not bundled: the same module the test inits.
export const core = () => import(/* webpackIgnore: true */ /* turbopackIgnore: true */ process.env.PANDAPROBE_CORE_URL);
