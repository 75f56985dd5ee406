/**
 * The API reference of every published entry point, built with TypeDoc from the sources into `docs/api/`
 * (not committed; CI builds it). Warnings fail it: a broken `{@link}`, or an exported signature naming a type its
 * entry point does not export. Module names are the import paths (`@pandaprobe/core/integration`).
 *
 *   node scripts/api-docs.mjs
 */
import { join, relative } from "node:path";
import { Application, ReflectionKind } from "typedoc";
import { publicPackages, root } from "./public-packages.mjs";

const out = join(root, "docs", "api");
const packagesDir = join(root, "packages");
const entries = publicPackages().flatMap((p) =>
  p.entries.map((e) => ({
    file: join(p.dir, e.src),
    module: e.subpath === "." ? p.name : `${p.name}/${e.subpath.slice(2)}`,
  })),
);

const app = await Application.bootstrapWithPlugins({
  name: "PandaProbe TypeScript SDK",
  entryPoints: entries.map((e) => e.file),
  entryPointStrategy: "resolve",
  displayBasePath: packagesDir,
  tsconfig: join(root, "tsconfig.docs.json"),
  readme: "none",
  out,
  excludePrivate: true,
  excludeProtected: true,
  excludeInternal: true,
  excludeExternals: true,
  disableSources: true,
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, notDocumented: false },
  logLevel: "Warn",
});

const project = await app.convert();
if (!project) {
  console.error("API reference: TypeDoc could not convert the sources (see above).");
  process.exit(1);
}
// Name each module after its import path, not its folder ("core/src/integration" → "@pandaprobe/core/integration").
const folderName = (file) => relative(packagesDir, file).replace(/\/index\.ts$|\.ts$/, "");
const byFolder = new Map(entries.map((e) => [folderName(e.file), e.module]));
for (const mod of project.getChildrenByKind(ReflectionKind.Module)) {
  const name = byFolder.get(mod.name);
  if (!name) throw new Error(`API reference: no import path for the module "${mod.name}"`);
  mod.name = name;
}
app.validate(project);
if (app.logger.hasErrors() || app.logger.hasWarnings()) {
  console.error("API reference: TypeDoc reported problems (above).");
  process.exit(1);
}
await app.generateDocs(project, out);
console.log(`API reference: ${entries.length} entry points, ${relative(root, out)}/index.html`);
