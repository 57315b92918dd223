import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** One payload found in a file: its index when the file holds an array, else null. */
export interface PayloadEntry {
  file: string;
  index: number | null;
  payload: unknown;
}

/** A file read and parsed, or why it could not be. */
export type LoadedFile = { file: string; entries: PayloadEntry[] } | { file: string; error: string };

/** Reads one file holding a payload or an array of payloads. */
export async function loadPayloadFile(file: string, cwd: string): Promise<LoadedFile> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    return { file, error: `cannot read: ${(error as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { file, error: `invalid JSON: ${(error as Error).message}` };
  }
  if (Array.isArray(json)) {
    if (json.length === 0) return { file, error: 'the array holds no payload' };
    return { file, entries: json.map((payload, index) => ({ file, index, payload })) };
  }
  return { file, entries: [{ file, index: null, payload: json }] };
}

/** The payload path prefix of an entry: `[3].` for the fourth payload of an array file. */
export function entryPrefix(entry: Pick<PayloadEntry, 'index'>): string {
  return entry.index === null ? '' : `[${entry.index}]`;
}

/** `[3].sessions[0]`, `sessions[0]`, `[3]`, or `(root)` for the whole payload. */
export function joinPath(prefix: string, path: string): string {
  if (!path) return prefix || '(root)';
  if (!prefix) return path;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}
