import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Path of a file in the package's committed `sql/` folder (same relative place from src/ and dist/). */
export function sqlPath(name: string): string {
  return fileURLToPath(new URL(`../../sql/${name}`, import.meta.url));
}

/** The statements of a committed DDL file (split on `;` at line ends; comments dropped). */
export function sqlStatements(name: string): string[] {
  const text = readFileSync(sqlPath(name), 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
  return text
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
