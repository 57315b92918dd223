import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../src/auth/authenticate.js';
import { accessDenied } from '../src/auth/principal.js';
import { readTokenFile, sha256, tokensFromPairs } from '../src/auth/service-tokens.js';
import { ConfigError } from '../src/config.js';

const SECRET = 'portal-secret-0123456789';
const JWT_SECRET = 'py-ispyb-SECRET_KEY-0123456789abcdef';
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
  jwt: { secret: JWT_SECRET, algorithm: 'HS256', maxAgeSeconds: 18_000, clockToleranceSeconds: 30 },
});

describe('service tokens', () => {
  it('accepts a configured token and names it (never the secret)', async () => {
    const result = await authenticate(`Bearer ${SECRET}`);
    expect(result).toEqual({
      ok: true,
      principal: { kind: 'service-token', name: 'portal', scopes: ['sync'] },
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
    expect(nightly.ok && nightly.principal).toMatchObject({ name: 'nightly', scopes: ['sync'] });
    const viewer = await auth('Bearer viewer-secret-01234567');
    expect(viewer.ok && accessDenied(viewer, ['sync'])).toMatchObject({ code: 'FORBIDDEN' });
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
      principal: { kind: 'jwt', name: 'jwt:boaty', scopes: ['sync'] },
    });
  });

  it('authenticates a token without the permission, which is then forbidden', async () => {
    const result = await authenticate(`Bearer ${await pyIspybJwt({ permissions: ['basic'] })}`);
    expect(result.ok).toBe(true);
    expect(accessDenied(result, ['sync'])).toMatchObject({ code: 'FORBIDDEN' });
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
      .setIssuedAt()
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

describe('JWT policy (UPSYNC_JWT_MAX_AGE, clock tolerance, iss/aud)', () => {
  const sign = (claims: Record<string, unknown>, build: (jwt: SignJWT) => SignJWT) =>
    build(
      new SignJWT({ login: 'boaty', permissions: ['uportal_sync'], ...claims }).setProtectedHeader({
        alg: 'HS256',
      }),
    ).sign(new TextEncoder().encode(JWT_SECRET));

  it('refuses a token older than the maximum age even when its exp is far away', async () => {
    const old = await sign({}, (j) =>
      j.setIssuedAt(now() - 18_000 - 31).setExpirationTime(now() + 86_400 * 365),
    );
    expect(await authenticate(`Bearer ${old}`)).toEqual({ ok: false, reason: 'expired' });
    const young = await sign({}, (j) => j.setIssuedAt(now() - 18_000 + 60).setExpirationTime(now() + 600));
    expect((await authenticate(`Bearer ${young}`)).ok).toBe(true);
  });

  it('refuses a token issued in the future, beyond the 30 s clock tolerance', async () => {
    const future = await sign({}, (j) => j.setIssuedAt(now() + 120).setExpirationTime(now() + 600));
    expect(await authenticate(`Bearer ${future}`)).toEqual({ ok: false, reason: 'invalid' });
    const skewed = await sign({}, (j) => j.setIssuedAt(now() + 10).setExpirationTime(now() + 600));
    expect((await authenticate(`Bearer ${skewed}`)).ok).toBe(true);
  });

  it('accepts a token expired within the clock tolerance, not beyond', async () => {
    const justNow = await sign({}, (j) => j.setIssuedAt(now() - 600).setExpirationTime(now() - 10));
    expect((await authenticate(`Bearer ${justNow}`)).ok).toBe(true);
    const past = await sign({}, (j) => j.setIssuedAt(now() - 600).setExpirationTime(now() - 60));
    expect(await authenticate(`Bearer ${past}`)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token without iat (its age cannot be known)', async () => {
    const noIat = await sign({}, (j) => j.setExpirationTime(now() + 600));
    expect(await authenticate(`Bearer ${noIat}`)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('checks iss and aud when configured', async () => {
    const strict = createAuthenticator({
      tokens: [],
      jwt: {
        secret: JWT_SECRET,
        algorithm: 'HS256',
        maxAgeSeconds: 18_000,
        clockToleranceSeconds: 30,
        issuer: 'https://ispyb.example/',
        audience: 'upsync',
      },
    });
    const right = await sign({}, (j) =>
      j
        .setIssuedAt()
        .setExpirationTime(now() + 600)
        .setIssuer('https://ispyb.example/')
        .setAudience('upsync'),
    );
    expect((await strict(`Bearer ${right}`)).ok).toBe(true);
    const wrongIss = await sign({}, (j) =>
      j
        .setIssuedAt()
        .setExpirationTime(now() + 600)
        .setIssuer('https://other/')
        .setAudience('upsync'),
    );
    const noAud = await sign({}, (j) =>
      j
        .setIssuedAt()
        .setExpirationTime(now() + 600)
        .setIssuer('https://ispyb.example/'),
    );
    expect(await strict(`Bearer ${wrongIss}`)).toEqual({ ok: false, reason: 'invalid' });
    expect(await strict(`Bearer ${noAud}`)).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('scopes', () => {
  it('maps py-ISPyB permissions to scopes; unknown permissions grant nothing', async () => {
    const jwt = await pyIspybJwt({
      permissions: ['uportal_sync_read', 'own_proposals', 'uportal_sync_reconcile'],
    });
    const result = await authenticate(`Bearer ${jwt}`);
    expect(result.ok && result.principal.scopes).toEqual(['read', 'reconcile']);
    expect(accessDenied(result, ['sync'])).toEqual({
      code: 'FORBIDDEN',
      message: 'Forbidden: the token lacks the sync scope',
    });
  });

  it('reads scopes from a token file, and maps a legacy permissions list', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'upsync-tokens-'));
    const file = path.join(dir, 'tokens.json');
    await writeFile(
      file,
      JSON.stringify([
        { name: 'auditor', sha256: sha256('auditor-secret-0123456').toString('hex'), scopes: ['read'] },
        {
          name: 'legacy',
          sha256: sha256('legacy-secret-01234567').toString('hex'),
          permissions: ['uportal_sync'],
        },
      ]),
    );
    const auth = createAuthenticator({ tokens: await readTokenFile(file) });
    const auditor = await auth('Bearer auditor-secret-0123456');
    expect(auditor.ok && auditor.principal.scopes).toEqual(['read']);
    const legacy = await auth('Bearer legacy-secret-01234567');
    expect(legacy.ok && legacy.principal.scopes).toEqual(['sync']);
  });
});
