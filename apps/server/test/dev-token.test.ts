import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { devTokenBanner, ensureDevToken } from '../src/dev-token.js';

describe('development token', () => {
  it('is created once under the data dir (mode 600) and reused afterwards', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'upsync-dev-')), 'data');
    const first = await ensureDevToken(dir);
    expect(first.created).toBe(true);
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    expect((await stat(first.file)).mode & 0o777).toBe(0o600);
    const second = await ensureDevToken(dir);
    expect(second).toEqual({ ...first, created: false });
    expect((await readFile(first.file, 'utf8')).trim()).toBe(first.secret);
  });

  it('prints a curl that works pasted from the repository root', () => {
    const banner = devTokenBanner({
      secret: 'upsync_dev_abc',
      file: '/repo/data/dev-token',
      host: '0.0.0.0',
      port: 8000,
    });
    expect(banner).toContain(
      `curl -H "Authorization: Bearer upsync_dev_abc" -H 'Content-Type: application/json' \\\n      --data @examples/pyispyb-create.json http://127.0.0.1:8000/ispyb/api/v1/webservices/userportalsync/sync_proposal`,
    );
  });
});
