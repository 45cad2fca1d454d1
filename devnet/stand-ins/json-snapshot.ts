import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `value` as JSON to `path` atomically (temp file + rename), so a process killed mid-write
 * leaves the previous snapshot intact and a restart resumes from it.
 */
export function writeJsonSnapshot(path: string, value: unknown, indent?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, indent)}\n`);
  renameSync(temporary, path);
}

/** Reads a snapshot written by `writeJsonSnapshot`; undefined when there is none yet. */
export function readJsonSnapshot(path: string): unknown {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}
