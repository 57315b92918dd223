import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
/** What a client must never have to resolve to type `AppRouter`. */
const FORBIDDEN =
  /^(express|@types\/express|@upsync\/sync-core|@mikro-orm\/|mysql2|pino|prom-client|swagger-ui|zod-openapi|jose)/;

/** The declaration files tsc emits for the server, in memory. */
function emitDeclarations(): Map<string, string> {
  const configFile = ts.readConfigFile(path.join(ROOT, 'tsconfig.build.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
  const program = ts.createProgram(parsed.fileNames, { ...parsed.options, declarationMap: false });
  const out = new Map<string, string>();
  program.emit(
    undefined,
    (file, text) => void (file.endsWith('.d.ts') && out.set(path.resolve(file), text)),
    undefined,
    true,
  );
  return out;
}

describe('@upsync/server/router (what the client imports)', () => {
  it('AppRouter drags no ORM, Express or logger types into consumers', () => {
    const dts = emitDeclarations();
    const dist = path.join(ROOT, 'dist');
    const external = new Set<string>();
    const seen = new Set<string>();
    const queue = [path.join(dist, 'router-types.d.ts')];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = dts.get(file);
      expect(text, file).toBeDefined();
      for (const m of text!.matchAll(/from '([^']+)'|import\("([^"]+)"\)/g)) {
        const spec = (m[1] ?? m[2])!;
        if (spec.startsWith('.'))
          queue.push(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.d.ts')));
        else external.add(spec);
      }
    }
    expect([...external].filter((spec) => FORBIDDEN.test(spec))).toEqual([]);
    expect([...seen].map((f) => path.relative(dist, f))).not.toContain('index.d.ts');
  }, 60_000);
});
