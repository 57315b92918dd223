import { createTRPCClient, httpLink, type TRPCClientError } from '@trpc/client';
import { SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/router.js';
import { example } from './helpers/examples.js';
import { proposalNumbered, READ_BACK } from './helpers/payloads.js';
import {
  BASE,
  bearer,
  JWT_SECRET,
  PORTAL_SECRET,
  SYNCER_SECRET,
  sqliteUrl,
  startTestServer,
  type TestServer,
  VIEWER_SECRET,
} from './helpers/server.js';

const now = () => Math.floor(Date.now() / 1000);
const jwt = (permissions: string[]) =>
  new SignJWT({ login: 'boaty', personId: 1, permissions })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(now() + 600)
    .sign(new TextEncoder().encode(JWT_SECRET));

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer(await sqliteUrl());
  // proposal I-20140076 exists, synced by the all-scopes token
  expect(
    (await request(srv.url).post(`${BASE}/sync_proposal`).set(bearer()).send(example('pyispyb-create')))
      .status,
  ).toBe(200);
});
afterAll(async () => {
  await srv?.close();
});

describe('scopes: a token without a scope list may sync, and nothing more', () => {
  it('syncs, dry-runs and reads the schema with `sync`', async () => {
    const sync = await request(srv.url)
      .post(`${BASE}/sync_proposal`)
      .set(bearer(SYNCER_SECRET))
      .send(proposalNumbered(501));
    expect(sync.status).toBe(200);
    const dry = await request(srv.url)
      .post(`${BASE}/sync_proposal?dryRun=true`)
      .set(bearer(SYNCER_SECRET))
      .send(proposalNumbered(502));
    expect(dry.status).toBe(200);
    expect(
      (await request(srv.url).get(`${BASE}/sync_proposal/schema`).set(bearer(SYNCER_SECRET))).status,
    ).toBe(200);
  });

  it.each([
    ['the read-back', READ_BACK(20140076)],
    ['the sync history', `${BASE}/sync_runs`],
  ])('is refused %s with 403 naming the `read` scope', async (_what, path) => {
    const res = await request(srv.url).get(path).set(bearer(SYNCER_SECRET));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      code: 'FORBIDDEN',
      detail: 'Forbidden: the token lacks the read scope',
      retryable: false,
    });
    expect((await request(srv.url).get(path).set(bearer())).status).toBe(200);
  });

  it('is refused reconcile (deletes) with 403 naming the scope, and nothing is written', async () => {
    const payload = proposalNumbered(503);
    const res = await request(srv.url)
      .post(`${BASE}/sync_proposal?reconcile=true`)
      .set(bearer(SYNCER_SECRET))
      .send(payload);
    expect(res.status).toBe(403);
    expect(res.body.detail).toBe('Forbidden: the token lacks the reconcile scope');
    expect((await request(srv.url).get(READ_BACK(503)).set(bearer())).status).toBe(404);
    const batch = await request(srv.url)
      .post(`${BASE}/sync_proposals?reconcile=true`)
      .set(bearer(SYNCER_SECRET))
      .send([payload]);
    expect(batch.status).toBe(403);
    expect(
      (await request(srv.url).post(`${BASE}/sync_proposal?reconcile=true`).set(bearer()).send(payload))
        .status,
    ).toBe(200);
  });

  it('a token with no scope is refused syncs, naming `sync`', async () => {
    const res = await request(srv.url)
      .post(`${BASE}/sync_proposal`)
      .set(bearer(VIEWER_SECRET))
      .send(proposalNumbered(504));
    expect(res.status).toBe(403);
    expect(res.body.detail).toBe('Forbidden: the token lacks the sync scope');
  });
});

describe('scopes over tRPC and for py-ISPyB JWTs', () => {
  const client = (token: string) =>
    createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${srv.url}/trpc`, headers: { authorization: `Bearer ${token}` } })],
    });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail('expected a failure'),
      (error: unknown) => error as TRPCClientError<AppRouter>,
    );

  it('tRPC: read-back and history need `read`, reconcile needs `reconcile`', async () => {
    const syncer = client(SYNCER_SECRET);
    const read = await failure(syncer.proposal.query({ proposalCode: 'I', proposalNumber: '20140076' }));
    expect(read.data?.httpStatus).toBe(403);
    expect(read.data?.upsync).toMatchObject({
      code: 'FORBIDDEN',
      detail: 'Forbidden: the token lacks the read scope',
    });
    const history = await failure(syncer.syncRuns.query({}));
    expect(history.data?.upsync.detail).toBe('Forbidden: the token lacks the read scope');
    const reconcile = await failure(
      syncer.syncProposal.mutate({ payload: proposalNumbered(505), reconcile: true }),
    );
    expect(reconcile.data?.upsync.detail).toBe('Forbidden: the token lacks the reconcile scope');
    expect(
      (await client(PORTAL_SECRET).proposal.query({ proposalCode: 'I', proposalNumber: '20140076' }))
        .proposal,
    ).toBeDefined();
  });

  it('JWT: uportal_sync syncs but does not read; uportal_sync_read reads but does not sync', async () => {
    const syncOnly = await jwt(['uportal_sync']);
    expect(
      (await request(srv.url).post(`${BASE}/sync_proposal`).set(bearer(syncOnly)).send(proposalNumbered(506)))
        .status,
    ).toBe(200);
    expect((await request(srv.url).get(READ_BACK(506)).set(bearer(syncOnly))).status).toBe(403);
    const readOnly = await jwt(['uportal_sync_read']);
    expect((await request(srv.url).get(READ_BACK(506)).set(bearer(readOnly))).status).toBe(200);
    const refused = await request(srv.url)
      .post(`${BASE}/sync_proposal`)
      .set(bearer(readOnly))
      .send(proposalNumbered(507));
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe('Forbidden: the token lacks the sync scope');
  });
});
