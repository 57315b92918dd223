import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { bearer, sqliteUrl, startTestServer, type TestServer } from './helpers/server.js';

const PORTAL = 'http://portal.example.org:8443';
const OTHER = 'http://evil.example.org';

describe('UPSYNC_CORS_ORIGINS', () => {
  it('defaults to no origin, and parses a comma-separated list of exact origins', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ UPSYNC_CORS_ORIGINS: ` ${PORTAL}, https://a.example.org ` }).corsOrigins).toEqual([
      PORTAL,
      'https://a.example.org',
    ]);
  });

  it.each([
    ['*', 'a wildcard'],
    ['https://portal.example.org/', 'a trailing slash'],
    ['https://portal.example.org/app', 'a path'],
    ['portal.example.org', 'no scheme'],
    ['https://portal.example.org:443', 'a default port spelled out (never what a browser sends)'],
  ])('refuses %s (%s), naming the variable and the entry', (value) => {
    expect(() => loadConfig({ UPSYNC_CORS_ORIGINS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ UPSYNC_CORS_ORIGINS: value })).toThrow(/UPSYNC_CORS_ORIGINS: entry 1/);
  });
});

describe('CORS on the HTTP API', () => {
  let withCors: TestServer;
  let without: TestServer;
  beforeAll(async () => {
    withCors = await startTestServer(await sqliteUrl(), { UPSYNC_CORS_ORIGINS: PORTAL });
    without = await startTestServer(await sqliteUrl());
  });
  afterAll(async () => {
    await withCors?.close();
    await without?.close();
  });

  it("answers an allowed origin's preflight before authentication, echoing that origin only", async () => {
    const res = await request(withCors.url)
      .options('/trpc/syncProposal')
      .set('Origin', PORTAL)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(res.headers['access-control-allow-methods']).toBe('GET,POST');
    expect(res.headers['access-control-allow-headers']).toBe('authorization,content-type');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers.vary).toMatch(/Origin/);
  });

  it('exposes Retry-After and X-Request-Id on real answers to an allowed origin', async () => {
    const res = await request(withCors.url).get('/trpc/schema').set('Origin', PORTAL).set(bearer());
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(res.headers['access-control-expose-headers']).toBe('Retry-After,X-Request-Id');
  });

  it('gives another origin no CORS header at all (the browser refuses), never a wildcard', async () => {
    const preflight = await request(withCors.url)
      .options('/trpc/syncProposal')
      .set('Origin', OTHER)
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const get = await request(withCors.url).get('/trpc/schema').set('Origin', OTHER).set(bearer());
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends no CORS header when UPSYNC_CORS_ORIGINS is not set', async () => {
    const res = await request(without.url)
      .options('/trpc/syncProposal')
      .set('Origin', PORTAL)
      .set('Access-Control-Request-Method', 'POST');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-methods']).toBeUndefined();
  });
});
