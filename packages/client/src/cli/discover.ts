import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './io.js';

/**
 * The JSON files named on the command line: files as given, folders searched recursively for
 * `*.json`. Sorted per argument, duplicates dropped, so runs are reproducible.
 */
export async function discoverFiles(inputs: string[], cwd: string): Promise<string[]> {
  const found: string[] = [];
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new UsageError(`${input}: no such file or folder`);
    if (info.isDirectory()) {
      const entries = await readdir(absolute, { recursive: true, withFileTypes: true });
      const files = entries
        .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.json'))
        .map((entry) => path.join(entry.parentPath, entry.name))
        .sort(compareNatural);
      found.push(...files);
    } else {
      found.push(absolute);
    }
  }
  const unique = [...new Set(found)];
  if (unique.length === 0) throw new UsageError(`no .json files in ${inputs.join(', ')}`);
  return unique.map((file) => displayPath(file, cwd));
}

/** A path relative to the working directory when it is inside it, for short messages. */
function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** `p2.json` before `p10.json`. */
function compareNatural(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
