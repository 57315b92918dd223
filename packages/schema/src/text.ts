import type { ColumnFacts } from './column-limits.js';
import type { FieldColumn } from './field-columns.js';
import { type Checked, describeType, fail, ok } from './issue-codes.js';

// MySQL's latin1 is Windows-1252 plus five undefined bytes kept as C1 controls (MySQL manual, "West European Character Sets").
const CP1252_EXTRA = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d,
  0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e,
  0x0178, 0x0081, 0x008d, 0x008f, 0x0090, 0x009d,
]);

/** Whether MySQL can store this code point in a latin1 column. */
export function isLatin1CodePoint(cp: number): boolean {
  if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff)) return true;
  return CP1252_EXTRA.has(cp);
}

const codePointLabel = (cp: number) =>
  `"${String.fromCodePoint(cp)}" (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;

/** Number of characters as MySQL counts them (code points, not UTF-16 units). */
export function characterLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Finds the first character the column's charset cannot store. */
function charsetProblem(s: string, facts: ColumnFacts, where: string): Checked<never> | undefined {
  if (!facts.latin1 && !facts.utf8mb3) return undefined;
  let position = 0;
  for (const ch of s) {
    position++;
    const cp = ch.codePointAt(0)!;
    if (facts.latin1 && !isLatin1CodePoint(cp)) {
      return fail(
        'not_latin1',
        `character ${codePointLabel(cp)} at position ${position} cannot be stored in the latin1 column ${where}`,
      );
    }
    if (facts.utf8mb3 && cp > 0xffff) {
      return fail(
        'not_utf8mb3',
        `character ${codePointLabel(cp)} at position ${position} cannot be stored in the utf8mb3 column ${where} (it holds no characters beyond U+FFFF, such as emoji)`,
      );
    }
  }
  return undefined;
}

/** Converts a payload value to the text stored in a varchar/text column, or says why it cannot be stored. */
export function toColumnText(value: unknown, facts: ColumnFacts, column: FieldColumn): Checked<string> {
  let s: string;
  if (typeof value === 'string') s = value;
  // py-ISPyB (pydantic v1) turned numbers into strings for str fields: keep accepting them.
  else if (typeof value === 'number' && Number.isFinite(value)) s = String(value);
  else return fail('invalid_type', `expected a string, got ${describeType(value)}`);
  const where = `${column.table}.${column.column}`;
  // U+0000 ends a C string: SQLite drivers and many ISPyB readers would cut the text there
  const nul = s.indexOf('\u0000');
  if (nul >= 0) {
    return fail(
      'nul_character',
      `character U+0000 (NUL) at position ${characterLength(s.slice(0, nul)) + 1} cannot be stored in ${where}`,
    );
  }
  if (facts.maxLength !== undefined) {
    // Cheap bound first: a string is never longer in code points than in UTF-16 units.
    const length = s.length > facts.maxLength ? characterLength(s) : 0;
    if (length > facts.maxLength) {
      return fail('too_long', `${length} characters, the column ${where} holds at most ${facts.maxLength}`);
    }
  }
  return charsetProblem(s, facts, where) ?? ok(s);
}
