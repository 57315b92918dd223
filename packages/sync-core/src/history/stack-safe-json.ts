type Frame =
  | { array: readonly unknown[]; i: number }
  | { object: Record<string, unknown>; keys: string[]; i: number; first: boolean };

const withToJson = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function'
    ? (value as { toJSON(key: string): unknown }).toJSON(key)
    : value;

/**
 * What `JSON.stringify(value)` writes, without recursion: a payload nested a few thousand levels
 * deep (a valid JSON body, parsed fine) makes JSON.stringify throw RangeError, and the sync
 * history must still hash and store it. Used only when JSON.stringify fails.
 */
export function stackSafeStringify(value: unknown): string | undefined {
  if (typeof value === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
  const out: string[] = [];
  const stack: Frame[] = [];
  /** Writes a value (opening a frame for a container); false when JSON leaves it out. */
  const emit = (raw: unknown, key: string): boolean => {
    const v = withToJson(raw, key);
    if (typeof v === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
    if (Array.isArray(v)) {
      out.push('[');
      stack.push({ array: v, i: 0 });
      return true;
    }
    if (v !== null && typeof v === 'object') {
      out.push('{');
      stack.push({ object: v as Record<string, unknown>, keys: Object.keys(v), i: 0, first: true });
      return true;
    }
    // JSON leaves out undefined, functions and symbols (bigint: thrown above)
    if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) return false;
    out.push(JSON.stringify(v));
    return true;
  };
  if (!emit(value, '')) return undefined;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const isArray = 'array' in frame;
    if (frame.i >= (isArray ? frame.array : frame.keys).length) {
      out.push(isArray ? ']' : '}');
      stack.pop();
    } else if (isArray) {
      const index = frame.i++;
      if (index > 0) out.push(',');
      if (!emit(frame.array[index], String(index))) out.push('null');
    } else {
      const key = frame.keys[frame.i++]!;
      const at = out.length;
      out.push(`${frame.first ? '' : ','}${JSON.stringify(key)}:`);
      // a member JSON leaves out is taken back with its key
      if (emit(frame.object[key], key)) frame.first = false;
      else out.length = at;
    }
  }
  return out.join('');
}
