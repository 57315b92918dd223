import * as z from 'zod';
import { report } from './fields.js';

export type UnknownKeys = 'reject' | 'strip';

/** An entity object: strict (unknown keys refused) or stripping, per the parse options. */
export function entityObject<S extends z.ZodRawShape>(shape: S, unknownKeys: UnknownKeys) {
  // Both variants have the same input and output types; the cast keeps one static type.
  return (unknownKeys === 'reject' ? z.strictObject(shape) : z.object(shape)) as z.ZodObject<
    S,
    z.core.$strict
  >;
}

/** Removes keys whose value is `undefined` (fields normalised to "absent", such as a null externalId). */
export function omitUndefined<T extends object>(value: T): T {
  const keys = Object.keys(value) as (keyof T)[];
  let i = 0;
  while (i < keys.length && value[keys[i]!] !== undefined) i++;
  // Zod hands over an object it built for this parse, so one with nothing to drop need not be copied.
  if (i === keys.length) return value;
  const out = {} as T;
  for (const key of keys) {
    if (value[key] !== undefined) out[key] = value[key];
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const given = (v: unknown) => v !== undefined && v !== null;

/**
 * A refinement "at least one of these fields is given (non-null)"; it runs even when other fields
 * failed, so that every problem is reported at once (failed fields hold a non-null marker).
 */
export function atLeastOne<T>(fields: readonly string[], message: string) {
  return z.superRefine<T>(
    (value, ctx) => {
      if (isRecord(value) && !fields.some((f) => given(value[f]))) report(ctx, 'at_least_one', message);
    },
    { when: (payload) => isRecord(payload.value) && !Array.isArray(payload.value) },
  );
}

/** JSON Schema of "at least one of these fields, non-null" (for `.meta()` on the object). */
export function atLeastOneJson(fields: readonly string[]) {
  return {
    anyOf: fields.map((f) => ({ required: [f], properties: { [f]: { not: { type: 'null' } } } })),
  };
}
