/**
 * The loose shapes this package reads from the AWS SDK and from model payloads: every field is optional and every
 * read is checked, because payloads differ per model family and SDK release.
 */
import { isRecord } from "@pandaprobe/core/integration";

/** A loose record: values read from SDK objects and model payloads are checked before use. */
// biome-ignore lint/suspicious/noExplicitAny: payload shapes differ per model family
export type Loose = Record<string, any>;

/** `isRecord`, typed for loose reads. */
export const isObject = (v: unknown): v is Loose => isRecord(v);

/** A finite number, else undefined. */
export const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** A non-empty string, else undefined. */
export const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
