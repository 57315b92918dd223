import { ZErrorBody, ZValidationErrorBody } from '@upsync/schema';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../src/openapi.js';
import { proposalNumbered, READ_BACK } from './helpers/payloads.js';
import { BASE, bearer, SYNCER_SECRET, serverForFile } from './helpers/server.js';

const srv = serverForFile();

const trpcGet = (procedure: string, input: unknown, secret?: string) =>
  request(srv.url)
    .get(`/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`)
    .set(bearer(secret));

describe('one error body from sync-core to the wire', () => {
  it('REST and tRPC answer the same status and the same ZErrorBody', async () => {
    const key = { proposalCode: 'I', proposalNumber: '999' };
    const cases = [
      { rest: request(srv.url).get(READ_BACK(999)).set(bearer()), trpc: trpcGet('proposal', key) },
      {
        rest: request(srv.url).get(READ_BACK(999)).set(bearer(SYNCER_SECRET)),
        trpc: trpcGet('proposal', key, SYNCER_SECRET),
      },
      {
        rest: request(srv.url).get(READ_BACK(999)).set(bearer('nope-0123456789abcdef')),
        trpc: trpcGet('proposal', key, 'nope-0123456789abcdef'),
      },
    ];
    for (const { rest, trpc } of cases) {
      const [r, t] = await Promise.all([rest, trpc]);
      expect(t.status).toBe(r.status);
      expect(ZErrorBody.parse(t.body.error.data.upsync)).toEqual(ZErrorBody.parse(r.body));
    }
  });

  it('a validation failure: REST in FastAPI’s shape, tRPC in ZErrorBody, the same issues', async () => {
    const payload = proposalNumbered(1001);
    payload.sessions[1].persons[0].familyName = 'x'.repeat(5000);
    const rest = await request(srv.url).post(`${BASE}/sync_proposal`).set(bearer()).send(payload);
    const trpc = await request(srv.url).post('/trpc/syncProposal').set(bearer()).send({ payload });
    expect([rest.status, trpc.status]).toEqual([422, 422]);
    const restBody = ZValidationErrorBody.parse(rest.body);
    const trpcBody = ZErrorBody.parse(trpc.body.error.data.upsync);
    expect(trpcBody.errors).toEqual(restBody.errors);
    expect(restBody.detail[0]?.loc).toEqual(['body', 'sessions', 1, 'persons', 0, 'familyName']);
  });

  it('a failed batch item carries the same body', async () => {
    const bad = proposalNumbered(1002);
    bad.sessions[1].persons[0].familyName = 'x'.repeat(5000);
    const res = await request(srv.url).post(`${BASE}/sync_proposals`).set(bearer()).send([bad]);
    expect(res.status).toBe(200);
    const item = ZErrorBody.parse(res.body.results[0].error);
    expect(item).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false });
    expect(item.errors).toContainEqual(
      expect.objectContaining({ path: 'sessions[1].persons[0].familyName' }),
    );
  });

  it('the OpenAPI document describes errors with that one body', () => {
    const doc = buildOpenApiDocument();
    const schema = doc.components?.schemas?.ErrorBody as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(ZErrorBody.shape).sort());
    expect(schema.required.sort()).toEqual(['code', 'detail', 'retryable']);
  });
});
