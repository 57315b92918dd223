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
      metricsPublic: true,
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
      UPSYNC_API_TOKENS: 'portal:0123456789abcdef0123, nightly:fedcba9876543210fedc',
      UPSYNC_JWT_SECRET: 'py-ispyb-secret',
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
        { name: 'nightly', secret: 'fedcba9876543210fedc' },
      ],
      jwt: { secret: 'py-ispyb-secret', algorithm: 'HS512' },
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
