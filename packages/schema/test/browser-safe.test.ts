import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const src = new URL('../src/', import.meta.url);

describe('browser safety', () => {
  it('imports nothing from node: and no package but zod', () => {
    for (const file of readdirSync(src)) {
      const text = readFileSync(new URL(file, src), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      // ../package.json: the version, inlined by the build (src/version.ts)
      for (const spec of imports)
        expect(
          spec === 'zod' || spec.startsWith('./') || spec === '../package.json',
          `${file}: ${spec}`,
        ).toBe(true);
      expect(text, file).not.toMatch(/\bprocess\.|\brequire\(/);
    }
  });
});
