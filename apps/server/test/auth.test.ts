import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../src/auth/authenticate.js';
import { syncAccessDenied } from '../src/auth/principal.js';
import { readTokenFile, sha256, tokensFromPairs } from '../src/auth/service-tokens.js';
import { ConfigError } from '../src/config.js';

const SECRET = 'portal-secret-0123456789';
const JWT_SECRET = 'py-ispyb-SECRET_KEY';
const now = () => Math.floor(Date.now() / 1000);

function pyIspybJwt(claims: Record<string, unknown>, options: { secret?: string; alg?: string } = {}) {
  return new SignJWT({ login: 'boaty', personId: 1, permissions: ['uportal_sync'], ...claims })
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(now() + 600)
    .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

const authenticate = createAuthenticator({
  tokens: tokensFromPairs([{ name: 'portal', secret: SECRET }]),
  jwt: { secret: JWT_SECRET, algorithm: 'HS256' },
});

describe('service tokens', () => {
  it('accepts a configured token and names it (never the secret)', async () => {
    const result = await authenticate(`Bearer ${SECRET}`);
    expect(result).toEqual({
      ok: true,
      principal: { kind: 'service-token', name: 'portal', permissions: ['uportal_sync'] },
    });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('accepts any case of the scheme, as RFC 7235 says', async () => {
    expect((await authenticate(`bearer ${SECRET}`)).ok).toBe(true);
  });

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    [`Basic ${Buffer.from(`portal:${SECRET}`).toString('base64')}`, 'scheme'],
    [SECRET, 'scheme'],
    ['Bearer wrong-secret-0123456789', 'invalid'],
    [`Bearer ${SECRET}x`, 'invalid'],
    [`Bearer ${SECRET.slice(0, -1)}`, 'invalid'],
  ])('refuses %j (%s)', async (header, reason) => {
    expect(await authenticate(header)).toEqual({ ok: false, reason });
  });

  it('reads a token file of sha256 digests with permissions', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'upsync-tokens-'));
    const file = path.join(dir, 'tokens.json');
    await writeFile(
      file,
      JSON.stringify([
        { name: 'nightly', sha256: sha256('nightly-secret-0123456').toString('hex') },
        {
          name: 'viewer',
          sha256: sha256('viewer-secret-01234567').toString('hex'),
          permissions: ['metrics'],
        },
      ]),
    );
    const tokens = await readTokenFile(file);
    const auth = createAuthenticator({ tokens });
    const nightly = await auth('Bearer nightly-secret-0123456');
    expect(nightly.ok && nightly.principal).toMatchObject({ name: 'nightly', permissions: ['uportal_sync'] });
    const viewer = await auth('Bearer viewer-secret-01234567');
    expect(viewer.ok && syncAccessDenied(viewer)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('fails fast naming UPSYNC_API_TOKENS_FILE on a bad file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'upsync-tokens-'));
    const file = path.join(dir, 'tokens.json');
    await writeFile(file, JSON.stringify([{ name: 'x', sha256: 'not-hex' }]));
    await expect(readTokenFile(file)).rejects.toThrow(ConfigError);
    await expect(readTokenFile(file)).rejects.toThrow('UPSYNC_API_TOKENS_FILE');
    await expect(readTokenFile(path.join(dir, 'absent.json'))).rejects.toThrow('UPSYNC_API_TOKENS_FILE');
  });
});

describe('py-ISPyB JWTs', () => {
  it('accepts an HS256 token with uportal_sync, named after its login', async () => {
    const result = await authenticate(`Bearer ${await pyIspybJwt({})}`);
    expect(result).toEqual({
      ok: true,
      principal: { kind: 'jwt', name: 'jwt:boaty', permissions: ['uportal_sync'] },
    });
  });

  it('authenticates a token without the permission, which is then forbidden', async () => {
    const result = await authenticate(`Bearer ${await pyIspybJwt({ permissions: ['basic'] })}`);
    expect(result.ok).toBe(true);
    expect(syncAccessDenied(result)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses an expired token', async () => {
    const token = await new SignJWT({ login: 'boaty', permissions: ['uportal_sync'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now() - 7200)
      .setExpirationTime(now() - 3600)
      .sign(new TextEncoder().encode(JWT_SECRET));
    expect(await authenticate(`Bearer ${token}`)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token without exp', async () => {
    const token = await new SignJWT({ login: 'boaty', permissions: ['uportal_sync'] })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(JWT_SECRET));
    expect(await authenticate(`Bearer ${token}`)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a token signed with another secret', async () => {
    const token = await pyIspybJwt({}, { secret: 'someone-else' });
    expect(await authenticate(`Bearer ${token}`)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses alg: none', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ login: 'boaty', permissions: ['uportal_sync'], exp: now() + 600 })}.`;
    expect(await authenticate(`Bearer ${token}`)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses every algorithm but the configured one (HS512 when HS256 is configured)', async () => {
    const token = await pyIspybJwt({}, { alg: 'HS512' });
    expect(await authenticate(`Bearer ${token}`)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses JWTs entirely when UPSYNC_JWT_SECRET is not set', async () => {
    const tokensOnly = createAuthenticator({ tokens: [] });
    expect(await tokensOnly(`Bearer ${await pyIspybJwt({})}`)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a token whose claims are not py-ISPyB claims', async () => {
    const token = await pyIspybJwt({ permissions: 'uportal_sync' });
    expect(await authenticate(`Bearer ${token}`)).toEqual({ ok: false, reason: 'invalid' });
  });
});
