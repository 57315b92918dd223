import type * as z from 'zod';
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

/**
 * What the walk needs of a schema, read once: Zod defs come in dozens of shapes, so reading them
 * per key per parse goes through megamorphic property loads and dominated the walk's cost.
 * `null` stands for a schema with no keys below it (a field).
 */
type KeyNode = ObjectNode | ArrayNode | null;
interface ObjectNode {
  kind: 'object';
  /** Known key → its node; a Map, so that keys such as `toString` are not inherited matches. */
  children: Map<string, KeyNode>;
  known: string[];
}
interface ArrayNode {
  kind: 'array';
  element: KeyNode;
}

const compiled = new WeakMap<AnySchema, KeyNode>();

function compile(schema: AnySchema): KeyNode {
  if (compiled.has(schema)) return compiled.get(schema)!;
  const def = unwrap(schema);
  let node: KeyNode = null;
  if (def.type === 'object' && def.shape) {
    const children = new Map<string, KeyNode>();
    const shape = def.shape;
    const known = Object.keys(shape);
    for (const key of known) children.set(key, compile(shape[key]!));
    node = { kind: 'object', children, known };
  } else if (def.type === 'array' && def.element) {
    node = { kind: 'array', element: compile(def.element) };
  }
  compiled.set(schema, node);
  return node;
}

// Keys that belong elsewhere in the payload get a hint on where they go.
const ELSEWHERE: Record<string, string> = {
  session_options: 'session_options is only accepted on sessions[].persons',
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKey(key: string, node: ObjectNode, path: PropertyKey[]): UnknownKey {
  const suggestion = closestKey(key, node.known);
  const shown = JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);
  const hint =
    // own keys only: `toString` must not find Object.prototype's function
    (Object.hasOwn(ELSEWHERE, key) ? ELSEWHERE[key] : undefined) ??
    (suggestion ? `did you mean "${suggestion}"?` : `known fields: ${node.known.join(', ')}`);
  return { path: formatPath([...path, key]), message: `unknown field ${shown} — ${hint}` };
}

// `path` is one array pushed and popped along the walk: copying it per key was most of the
// allocation of a clean payload, and it is only read when a key is unknown.
function walk(input: unknown, node: KeyNode, path: PropertyKey[], found: UnknownKey[]): void {
  if (node === null) return;
  if (node.kind === 'object') {
    if (!isPlainObject(input)) return;
    for (const key of Object.keys(input)) {
      const child = node.children.get(key);
      if (child === undefined) {
        found.push(unknownKey(key, node, path));
        continue;
      }
      if (child === null) continue;
      path.push(key);
      walk(input[key], child, path, found);
      path.pop();
    }
  } else if (Array.isArray(input)) {
    const element = node.element;
    if (element === null) return;
    for (let i = 0; i < input.length; i++) {
      path.push(i);
      walk(input[i], element, path, found);
      path.pop();
    }
  }
}

/**
 * A lister of the keys of an input that `schema` does not define, walking only the schema's own
 * structure (bounded depth). Build it once per schema: the schema is read when it is built.
 */
export function unknownKeysFinder(schema: AnySchema): (input: unknown) => UnknownKey[] {
  const root = compile(schema);
  return (input) => {
    const found: UnknownKey[] = [];
    walk(input, root, [], found);
    return found;
  };
}
