import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseByteSize } from '../src/config.js';

const load = (env: Record<string, string>) => loadConfig(env, '/srv/upsync');

describe('loadConfig', () => {
  it('defaults: embedded SQLite under ./data, 127.0.0.1:8000, reject unknown keys, 5 MB bodies', () => {
    const config = load({});
    expect(config).toMatchObject({
      embeddedDatabase: true,
      dataDir: '/srv/upsync/data',
      databaseUrl: `sqlite:${path.join('/srv/upsync/data', 'upsync.sqlite')}`,
      host: '127.0.0.1',
      port: 8000,
      apiTokens: [],
      jwt: undefined,
      timeZone: 'UTC',
      unknownKeys: 'reject',
      labContactsFromPersons: false,
      missingColumns: 'refuse',
      bodyLimitBytes: 5 * 1024 * 1024,
      metricsPublic: false,
      readyPublic: false,
      http: {
        headersTimeoutMs: 20_000,
        requestTimeoutMs: 120_000,
        keepAliveTimeoutMs: 75_000,
        maxConnections: 1_000,
        requestDeadlineMs: 120_000,
      },
      rateLimit: { perPrincipal: 30_000, anonymous: 600, windowMs: 60_000 },
      lockWaitTimeoutSeconds: 5,
      logLevel: 'info',
    });
  });

  it('puts data/ where npm was invoked (INIT_CWD), unless UPSYNC_DATA_DIR says otherwise', () => {
    expect(load({ INIT_CWD: '/home/me/upsync' }).dataDir).toBe('/home/me/upsync/data');
    expect(load({ INIT_CWD: '/home/me/upsync', UPSYNC_DATA_DIR: '/var/lib/upsync' }).dataDir).toBe(
      '/var/lib/upsync',
    );
  });

  it('reads every variable', () => {
    const config = load({
      DATABASE_URL: 'mysql://ispyb:pw@db:3306/pydb',
      HOST: '0.0.0.0',
      PORT: '9000',
      UPSYNC_API_TOKENS:
        'portal:0123456789abcdef0123, nightly:fedcba9876543210fedc:sync+reconcile, odd:with:colon-0123456789',
      UPSYNC_JWT_SECRET: 'py-ispyb-secret-0123456789abcdef0',
      UPSYNC_JWT_MAX_AGE: '3600',
      UPSYNC_JWT_ISSUER: 'https://ispyb.example/',
      UPSYNC_JWT_AUDIENCE: 'upsync',
      UPSYNC_READY_PUBLIC: 'true',
      UPSYNC_HEADERS_TIMEOUT_MS: '5000',
      UPSYNC_REQUEST_TIMEOUT_MS: '60000',
      UPSYNC_KEEP_ALIVE_TIMEOUT_MS: '65000',
      UPSYNC_MAX_CONNECTIONS: '50',
      UPSYNC_REQUEST_DEADLINE_MS: '30000',
      UPSYNC_RATE_LIMIT: '100',
      UPSYNC_RATE_LIMIT_ANONYMOUS: '0',
      UPSYNC_RATE_LIMIT_WINDOW_MS: '1000',
      UPSYNC_AMQP_RECONCILE: 'true',
      UPSYNC_JWT_ALGORITHM: 'HS512',
      UPSYNC_TIMEZONE: 'Europe/Berlin',
      UPSYNC_UNKNOWN_KEYS: 'strip',
      UPSYNC_LABCONTACTS_FROM_PERSONS: 'true',
      UPSYNC_MISSING_COLUMNS: 'skip',
      UPSYNC_BODY_LIMIT: '20mb',
      UPSYNC_METRICS_PUBLIC: 'false',
      UPSYNC_LOCK_WAIT_TIMEOUT: '20',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      databaseUrl: 'mysql://ispyb:pw@db:3306/pydb',
      embeddedDatabase: false,
      host: '0.0.0.0',
      port: 9000,
      apiTokens: [
        { name: 'portal', secret: '0123456789abcdef0123' },
        { name: 'nightly', secret: 'fedcba9876543210fedc', scopes: ['sync', 'reconcile'] },
        { name: 'odd', secret: 'with:colon-0123456789' },
      ],
      jwt: {
        secret: 'py-ispyb-secret-0123456789abcdef0',
        algorithm: 'HS512',
        maxAgeSeconds: 3600,
        clockToleranceSeconds: 30,
        issuer: 'https://ispyb.example/',
        audience: 'upsync',
      },
      readyPublic: true,
      http: {
        headersTimeoutMs: 5000,
        requestTimeoutMs: 60_000,
        keepAliveTimeoutMs: 65_000,
        maxConnections: 50,
        requestDeadlineMs: 30_000,
      },
      rateLimit: { perPrincipal: 100, anonymous: 0, windowMs: 1000 },
      amqp: expect.objectContaining({ reconcile: true }),
      timeZone: 'Europe/Berlin',
      unknownKeys: 'strip',
      labContactsFromPersons: true,
      missingColumns: 'skip',
      bodyLimitBytes: 20 * 1024 * 1024,
      metricsPublic: false,
      lockWaitTimeoutSeconds: 20,
      logLevel: 'debug',
    });
  });

  it('refuses a JWT secret shorter than 32 bytes, naming the variable and not echoing it', () => {
    expect(() => load({ UPSYNC_JWT_SECRET: 'short-secret-of-31-bytes-xxxxxx' })).toThrow(
      /UPSYNC_JWT_SECRET: must be at least 32 bytes/,
    );
    expect(() => load({ UPSYNC_JWT_SECRET: 'short-secret-of-31-bytes-xxxxxx' })).not.toThrow(/short-secret/);
    expect(load({ UPSYNC_JWT_SECRET: 'x'.repeat(32) }).jwt?.maxAgeSeconds).toBe(18_000);
  });

  it('refuses unknown scopes in UPSYNC_API_TOKENS (as part of the secret, too short) and headers timeouts above the request timeout', () => {
    expect(() => load({ UPSYNC_API_TOKENS: 'a:0123456789abcdef:sync+admin' })).not.toThrow();
    expect(load({ UPSYNC_API_TOKENS: 'a:0123456789abcdef:sync+admin' }).apiTokens[0]).toEqual({
      name: 'a',
      secret: '0123456789abcdef:sync+admin',
    });
    expect(() => load({ UPSYNC_API_TOKENS: 'a:short:read' })).toThrow(/UPSYNC_API_TOKENS/);
    expect(() => load({ UPSYNC_HEADERS_TIMEOUT_MS: '10000', UPSYNC_REQUEST_TIMEOUT_MS: '5000' })).toThrow(
      /UPSYNC_HEADERS_TIMEOUT_MS/,
    );
  });

  it.each([
    ['PORT', '80000'],
    ['PORT', 'eighty'],
    ['UPSYNC_TIMEZONE', 'Mars/Olympus'],
    ['UPSYNC_UNKNOWN_KEYS', 'ignore'],
    ['UPSYNC_MISSING_COLUMNS', 'ignore'],
    ['UPSYNC_BODY_LIMIT', 'lots'],
    ['LOG_LEVEL', 'verbose'],
    ['UPSYNC_JWT_ALGORITHM', 'RS256'],
    ['UPSYNC_LABCONTACTS_FROM_PERSONS', 'maybe'],
    ['DATABASE_URL', 'postgres://x'],
    ['UPSYNC_API_TOKENS', 'portal'],
    ['UPSYNC_LOCK_WAIT_TIMEOUT', '0'],
  ])('fails fast naming %s when it is %j', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(ConfigError);
    expect(() => load({ [name]: value })).toThrow(name);
  });

  it('reliability settings: shared rate limits, the in-flight bound, the drain (defaults, overrides, bad values named)', () => {
    const defaults = load({});
    expect(defaults.rateLimit).toEqual({
      perPrincipal: 30_000,
      anonymous: 600,
      windowMs: 60_000,
      prefix: 'upsync:rl:',
    });
    expect(defaults.admission).toEqual({ maxInFlight: 16, queueWaitMs: 1_000 });
    expect(defaults.shutdownDrainMs).toBe(5_000);
    const set = load({
      UPSYNC_RATE_LIMIT_REDIS_URL: 'redis://:pw@redis.internal:6379/2',
      UPSYNC_RATE_LIMIT_PREFIX: 'ispyb-prod:',
      UPSYNC_MAX_SYNCS_IN_FLIGHT: '4',
      UPSYNC_SYNC_QUEUE_WAIT_MS: '0',
      UPSYNC_SHUTDOWN_DRAIN_MS: '0',
    });
    expect(set.rateLimit).toMatchObject({
      redisUrl: 'redis://:pw@redis.internal:6379/2',
      prefix: 'ispyb-prod:',
    });
    expect(set.admission).toEqual({ maxInFlight: 4, queueWaitMs: 0 });
    expect(set.shutdownDrainMs).toBe(0);
    expect(() => load({ UPSYNC_RATE_LIMIT_REDIS_URL: 'localhost:6379' })).toThrow(
      /UPSYNC_RATE_LIMIT_REDIS_URL/,
    );
    expect(() => load({ UPSYNC_MAX_SYNCS_IN_FLIGHT: '0' })).toThrow(/UPSYNC_MAX_SYNCS_IN_FLIGHT/);
  });

  it('never echoes a token secret in its error', () => {
    const attempt = () => load({ UPSYNC_API_TOKENS: 'portal:short-secret' });
    expect(attempt).toThrow('UPSYNC_API_TOKENS');
    expect(attempt).not.toThrow('short-secret');
  });
});

describe('parseByteSize', () => {
  it.each([
    ['5mb', 5 * 1024 * 1024],
    ['512kb', 512 * 1024],
    ['100', 100],
    ['1.5MB', 1.5 * 1024 * 1024],
  ])('%s → %d bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });
  it.each(['', '0', '-1mb', '5 tb'])('refuses %j', (text) => {
    expect(parseByteSize(text)).toBeUndefined();
  });
});
