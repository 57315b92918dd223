import * as z from 'zod';
import { isScope, type Scope } from '../auth/scopes.js';

// How one environment variable's text becomes a setting: each with its validation and default,
// and a message that config.ts prefixes with the variable's name.

/** A variable unset or blank: undefined. */
export const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

/** A string, `fallback` when unset or blank. */
export const text = (fallback: string) => optionalString.transform((v) => v ?? fallback);

/** `true`/`1`/`yes`/`on` or `false`/`0`/`no`/`off`; `fallback` when unset or empty. */
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['true', '1', 'yes', 'on'].includes(v)));

/** One of `values`, `fallback` when unset or blank. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  optionalString.pipe(
    z
      .enum(values)
      .optional()
      .transform((v) => v ?? fallback),
  );

interface Bounds {
  min?: number;
  max?: number;
}

const wholeNumber = ({ min = 0, max }: Bounds) => {
  const n = z.coerce.number<string | undefined>().int().min(min);
  return (max === undefined ? n : n.max(max)).optional();
};

/** A whole number within bounds (min 0 unless said), `fallback` when unset or blank. */
export const integer = (fallback: number, bounds: Bounds = {}) =>
  optionalString.pipe(wholeNumber(bounds).transform((v) => v ?? fallback));

/** A whole number within bounds, undefined when unset or blank. */
export const optionalInteger = (bounds: Bounds) => optionalString.pipe(wholeNumber(bounds));

/** A string matching `pattern` (a URL's scheme, say), or unset. */
export const matching = (pattern: RegExp, message: string) =>
  optionalString.refine((v) => v === undefined || pattern.test(v), { message });

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Parses `5mb`, `512kb`, `1048576` into bytes. */
export function parseByteSize(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value);
  if (!match) return undefined;
  const bytes = Math.floor(Number(match[1]) * (UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1));
  return bytes > 0 ? bytes : undefined;
}

/** A size such as `5mb` in bytes, `fallback` when unset or blank. */
export const byteSize = (fallback: string) =>
  optionalString.transform((v, ctx) => {
    const bytes = parseByteSize(v ?? fallback);
    if (bytes === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be a size such as 5mb, 512kb or 1048576' });
      return z.NEVER;
    }
    return bytes;
  });

/** An IANA time zone, UTC when unset or empty. */
export const timeZone = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? 'UTC' : v))
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an IANA time zone such as UTC or Europe/Berlin' },
  );

const tokenName = /^[A-Za-z0-9_.@-]{1,64}$/;

/**
 * `name:secret[:scope+scope],…` → tokens; secrets are at least 16 characters. A last `:` segment
 * made only of scope names is the scope list (without one: `sync` only, see auth/scopes.ts).
 */
export const tokenPairs = optionalString.transform((value, ctx) => {
  if (value === undefined) return [];
  const pairs: { name: string; secret: string; scopes?: Scope[] }[] = [];
  for (const [i, entry] of value.split(',').entries()) {
    const item = entry.trim();
    const colon = item.indexOf(':');
    const name = colon > 0 ? item.slice(0, colon) : '';
    let secret = colon > 0 ? item.slice(colon + 1) : '';
    let scopes: Scope[] | undefined;
    const last = secret.lastIndexOf(':');
    const listed = last >= 0 ? secret.slice(last + 1).split('+') : [];
    if (listed.length > 0 && listed.every(isScope)) {
      scopes = [...new Set(listed)];
      secret = secret.slice(0, last);
    }
    if (!tokenName.test(name) || secret.length < 16) {
      // Never echo the entry: it holds a secret.
      ctx.addIssue({
        code: 'custom',
        message: `entry ${i + 1} must be name:secret[:scope+scope] with a name of [A-Za-z0-9_.@-], a secret of at least 16 characters and scopes among sync, read, reconcile`,
      });
      return z.NEVER;
    }
    pairs.push({ name, secret, ...(scopes && { scopes }) });
  }
  return pairs;
});

/** `https://portal.example.org,http://localhost:5173` → exact origins (scheme://host[:port]); never `*`. */
export const corsOrigins = optionalString.transform((value, ctx) => {
  if (value === undefined) return [];
  const origins: string[] = [];
  for (const [i, entry] of value.split(',').entries()) {
    const item = entry.trim();
    let origin: string | undefined;
    try {
      origin = new URL(item).origin;
    } catch {
      origin = undefined;
    }
    if (origin === undefined || origin === 'null' || origin !== item) {
      ctx.addIssue({
        code: 'custom',
        message: `entry ${i + 1} (${JSON.stringify(item)}) must be an exact origin such as https://portal.example.org (scheme, host and port only; no * and no path)`,
      });
      return z.NEVER;
    }
    origins.push(origin);
  }
  return origins;
});
