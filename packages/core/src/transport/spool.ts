import type * as Fs from "node:fs";
import type * as Path from "node:path";
import { builtin } from "./builtin.js";
import type { QueueItem } from "./queue-item.js";

/** Where a spool file's items were headed: only a client with the same endpoint and project delivers them. */
export interface SpoolTarget {
  endpoint: string;
  projectName: string;
}

interface SpoolFile extends SpoolTarget {
  v: 1;
  items: SpooledItem[];
}

type SpooledItem = Pick<
  QueueItem,
  "kind" | "method" | "path" | "body" | "requestId" | "traceId" | "retryNotFound" | "error" | "sessionId"
> & {
  followUps?: SpooledItem[];
};

const PREFIX = "pandaprobe-spool-";

/**
 * Writes `items` to a new file in `dir`, synchronously (it runs in `process.on("exit")`): the file name is unique
 * to this process, written under a temporary name and renamed, so a reader never sees half a file. Readable by
 * the owner only (traces hold user data). Returns the file's path, or the error that prevented it.
 */
export function writeSpool(dir: string, target: SpoolTarget, items: QueueItem[]): { file?: string; error?: string } {
  const fs = builtin<typeof Fs>("node:fs");
  const path = builtin<typeof Path>("node:path");
  if (!fs?.writeFileSync || !path) return { error: "spooling needs node:fs (Node)" };
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
    const name = `${PREFIX}${Date.now()}-${pid}-${Math.random().toString(36).slice(2, 8)}.json`;
    const file = path.join(dir, name);
    const body: SpoolFile = { v: 1, ...target, items: items.map(toSpooled) };
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(body), { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
    return { file };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function toSpooled(item: QueueItem): SpooledItem {
  const { kind, method, path, body, requestId, traceId, retryNotFound, error, sessionId, followUps } = item;
  const out: SpooledItem = { kind, method, path, body, requestId, traceId, retryNotFound, error, sessionId };
  if (followUps?.length) out.followUps = followUps.map(toSpooled);
  return out;
}

/**
 * Takes the spool files in `dir` meant for `target` (each claimed by renaming it first, so two processes starting
 * together never both deliver one) and returns their items; files for another endpoint or project are left alone.
 */
export function takeSpool(dir: string, target: SpoolTarget): { items: QueueItem[]; files: number; error?: string } {
  const fs = builtin<typeof Fs>("node:fs");
  const path = builtin<typeof Path>("node:path");
  const items: QueueItem[] = [];
  if (!fs?.readdirSync || !path) return { items, files: 0, error: "spooling needs node:fs (Node)" };
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.startsWith(PREFIX) && n.endsWith(".json"));
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { items, files: 0, error: code === "ENOENT" ? undefined : (error as Error).message };
  }
  const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
  let files = 0;
  for (const name of names.sort()) {
    const file = path.join(dir, name);
    const claimed = `${file}.claimed-${pid}`;
    try {
      fs.renameSync(file, claimed);
    } catch {
      continue; // another process took it
    }
    try {
      const parsed = JSON.parse(fs.readFileSync(claimed, "utf8")) as SpoolFile;
      if (parsed.v !== 1 || parsed.endpoint !== target.endpoint || parsed.projectName !== target.projectName) {
        fs.renameSync(claimed, file); // meant for another client
        continue;
      }
      for (const s of parsed.items) items.push(fromSpooled(s));
      fs.unlinkSync(claimed);
      files++;
    } catch {
      // Unreadable: keep it aside for a person to look at, never delete data silently.
      try {
        fs.renameSync(claimed, `${file}.unreadable`);
      } catch {
        /* leave it */
      }
    }
  }
  return { items, files };
}

function fromSpooled(s: SpooledItem): QueueItem {
  const item: QueueItem = {
    kind: s.kind,
    method: s.method,
    path: s.path,
    body: s.body,
    requestId: s.requestId,
    attempts: 0,
    traceId: s.traceId,
  };
  if (s.retryNotFound) item.retryNotFound = true;
  if (s.error === true) item.error = true;
  if (typeof s.sessionId === "string") item.sessionId = s.sessionId;
  if (s.followUps?.length) item.followUps = s.followUps.map(fromSpooled);
  return item;
}
