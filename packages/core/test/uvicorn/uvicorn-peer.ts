/**
 * A real uvicorn, the server the PandaProbe backend runs on, for interop tests of the lean HTTP sender.
 *
 * It comes from Debian trixie's packages (uvicorn 0.32.0, h11 0.14.0, click 8.1.8; pure Python, so the
 * h11 protocol). They are downloaded once from Debian's archive into `node_modules/.cache`, checked against
 * the archive's SHA-256 and unpacked with `dpkg-deb`, then run with the machine's `python3`.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ARCHIVE = "http://deb.debian.org/debian/";
const PACKAGES = [
  [
    "pool/main/p/python-uvicorn/python3-uvicorn_0.32.0-3_all.deb",
    "d4f3a70601025ecad247553b3589bbb4037432bf6d6bf6275792f6032f6936c0",
  ],
  [
    "pool/main/p/python-h11/python3-h11_0.14.0-1.1_all.deb",
    "2cb795e8d45be100ef4f70360244cc9c9b1527f53edcbefbbcd94e95536b5045",
  ],
  [
    "pool/main/p/python-click/python3-click_8.2.0+0.really.8.1.8-1_all.deb",
    "a464c9b11930f293c8808cc5ea049830d8645a0d314bfa7e294803cb983ee15e",
  ],
] as const;

const here = fileURLToPath(new URL(".", import.meta.url));
const cacheDir = fileURLToPath(new URL("../../../../node_modules/.cache/pandaprobe-uvicorn-0.32.0/", import.meta.url));
const siteDir = join(cacheDir, "site");

/** The unpacked packages' site directory, downloading them first if needed; throws why it cannot. */
async function ensureSite(): Promise<string> {
  if (existsSync(join(siteDir, "uvicorn", "__init__.py"))) return siteDir;
  execFileSync("python3", ["--version"], { stdio: "ignore" });
  execFileSync("dpkg-deb", ["--version"], { stdio: "ignore" });
  mkdirSync(cacheDir, { recursive: true });
  const work = mkdtempSync(join(cacheDir, "unpack-"));
  try {
    for (const [path, sha256] of PACKAGES) {
      const res = await fetch(ARCHIVE + path, { signal: AbortSignal.timeout(30_000) });
      if (!res.ok) throw new Error(`${ARCHIVE}${path}: HTTP ${res.status}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      const got = createHash("sha256").update(bytes).digest("hex");
      if (got !== sha256) throw new Error(`${path}: SHA-256 ${got}, expected ${sha256}`);
      const deb = join(work, path.slice(path.lastIndexOf("/") + 1));
      writeFileSync(deb, bytes);
      execFileSync("dpkg-deb", ["-x", deb, join(work, "root")]);
    }
    rmSync(siteDir, { recursive: true, force: true });
    renameSync(join(work, "root", "usr", "lib", "python3", "dist-packages"), siteDir);
    return siteDir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface Uvicorn {
  url: string;
  close(): Promise<void>;
}

/** Why uvicorn cannot run here (no python3, no dpkg-deb, archive unreachable), or undefined when it can. */
export async function uvicornUnavailable(): Promise<string | undefined> {
  try {
    await ensureSite();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Starts uvicorn on a free loopback port serving `ingest_app.py`. */
export async function startUvicorn(): Promise<Uvicorn> {
  const site = await ensureSite();
  const args = [
    "-m",
    "uvicorn",
    "ingest_app:app",
    "--app-dir",
    here,
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--http",
    "h11",
    "--loop",
    "asyncio",
    "--log-level",
    "info",
  ];
  const child: ChildProcess = spawn("python3", args, {
    env: { ...process.env, PYTHONPATH: site, PYTHONDONTWRITEBYTECODE: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`uvicorn did not start:\n${log}`)), 15_000);
    child.stderr!.on("data", (d: Buffer) => {
      log += d;
      const m = /Uvicorn running on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`uvicorn exited (${code}):\n${log}`));
    });
  });
  return {
    url,
    async close() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
