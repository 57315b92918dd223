import type { z } from 'zod';
import { closestKey } from './closest-key.js';
import { formatPath } from './path.js';

/** One key the schema does not know, where it is, and the message that explains it. */
export interface UnknownKey {
  path: string;
  message: string;
}

type AnySchema = z.core.$ZodType;
type Def = {
  type: string;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  innerType?: AnySchema;
  in?: AnySchema;
};

/** Unwraps optional/nullable/pipe wrappers down to the object or array schema they hold. */
function unwrap(schema: AnySchema): Def {
  let def = schema._zod.def as unknown as Def;
  for (let i = 0; i < 16; i++) {
    if (def.innerType) def = def.innerType._zod.def as unknown as Def;
    else if (def.type === 'pipe' && def.in) def = def.in._zod.def as unknown as Def;
    else break;
  }
  return def;
}

// Keys that belong elsewhere in the payload get a hint on where they go.
const ELSEWHERE: Record<string, string> = {
  session_options: 'session_options is only accepted on sessions[].persons',
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Lists the keys of `input` that `schema` does not define, walking only the schema's own structure (bounded depth). */
export function findUnknownKeys(
  input: unknown,
  schema: AnySchema,
  path: PropertyKey[] = [],
  found: UnknownKey[] = [],
): UnknownKey[] {
  const def = unwrap(schema);
  if (def.type === 'object' && def.shape && isPlainObject(input)) {
    const known = Object.keys(def.shape);
    for (const key of Object.keys(input)) {
      const child = Object.hasOwn(def.shape, key) ? def.shape[key] : undefined;
      if (child) {
        findUnknownKeys(input[key], child, [...path, key], found);
        continue;
      }
      const suggestion = closestKey(key, known);
      const shown = JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);
      const hint =
        ELSEWHERE[key] ??
        (suggestion ? `did you mean "${suggestion}"?` : `known fields: ${known.join(', ')}`);
      found.push({ path: formatPath([...path, key]), message: `unknown field ${shown} — ${hint}` });
    }
  } else if (def.type === 'array' && def.element && Array.isArray(input)) {
    input.forEach((item, i) => {
      findUnknownKeys(item, def.element!, [...path, i], found);
    });
  }
  return found;
}
