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
    if ('array' in frame) {
      if (frame.i >= frame.array.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      const index = frame.i++;
      if (index > 0) out.push(',');
      const at = out.length;
      if (!emit(frame.array[index], String(index))) out.splice(at, 0, 'null');
      continue;
    }
    if (frame.i >= frame.keys.length) {
      out.push('}');
      stack.pop();
      continue;
    }
    const key = frame.keys[frame.i++]!;
    const v = withToJson(frame.object[key], key);
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out.push(`${frame.first ? '' : ','}${JSON.stringify(key)}:`);
    frame.first = false;
    emit(v, key);
  }
  return out.join('');
}
