import { ZErrorBody } from '@upsync/schema';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { proposalNumbered, READ_BACK } from './helpers/payloads.js';
import { BASE, bearer, serverForFile } from './helpers/server.js';

const srv = serverForFile();

/** What these tests read of an answer: a REST error body, tRPC's envelope, or a sync result. */
interface Answer {
  errors?: unknown;
  error?: { data: { code: string; upsync: unknown } };
  proposal?: { title: string };
}

/** POSTs raw bytes as application/json (supertest would serialise a Buffer as JSON). */
async function postBytes(path: string, body: Buffer) {
  const res = await fetch(`${srv.url}${path}`, {
    method: 'POST',
    headers: { ...bearer(), 'Content-Type': 'application/json' },
    body,
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

/** The payload as JSON bytes, with the title's `TITLE` marker replaced by raw bytes. */
function withRawTitle(n: number, bytes: number[]): Buffer {
  const payload = proposalNumbered(n);
  payload.proposal.title = 'TITLE';
  const [before, after] = JSON.stringify(payload).split('TITLE') as [string, string];
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
}

describe('unknown query parameters on the sync routes', () => {
  it('?dryrun=true (lower-case r) is a 422 naming the parameter, not a real write', async () => {
    const res = await request(srv.url)
      .post(`${BASE}/sync_proposal?dryrun=true`)
      .set(bearer())
      .send(proposalNumbered(601));
    expect(res.status).toBe(422);
    expect(res.body.detail).toEqual([
      {
        loc: ['query', 'dryrun'],
        msg: 'unknown query parameter (expected dryRun, reconcile, replayOf)',
        type: 'unrecognized_keys',
      },
    ]);
    expect((await request(srv.url).get(READ_BACK(601)).set(bearer())).status).toBe(404);
  });

  it.each([
    [`${BASE}/sync_proposals?dry_run=1`, 'post', 'dry_run'],
    [`${BASE}/sync_proposal/schema?x=1`, 'get', 'x'],
    [`${BASE}/sync_runs?proposal=I-1&page=2`, 'get', 'page'],
    [`${READ_BACK(601)}?token=abc`, 'get', 'token'],
  ] as const)('%s → 422 naming the parameter', async (path, method, name) => {
    const res = await request(srv.url)
      [method](path)
      .set(bearer())
      .send(method === 'post' ? [proposalNumbered(602)] : undefined);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: name, code: 'unrecognized_keys' })]);
    expect(res.body.detail[0].loc).toEqual(['query', name]);
  });

  it('the known parameters still work, dryRun really is a dry run', async () => {
    const res = await request(srv.url)
      .post(`${BASE}/sync_proposal?dryRun=true`)
      .set(bearer())
      .send(proposalNumbered(603));
    expect(res.status).toBe(200);
    expect(res.body.dryRun).toBe(true);
    expect((await request(srv.url).get(READ_BACK(603)).set(bearer())).status).toBe(404);
    expect(
      (await request(srv.url).get(`${BASE}/sync_runs?proposal=I-603&limit=5`).set(bearer())).status,
    ).toBe(200);
  });
});

describe('invalid UTF-8 inside JSON strings', () => {
  it('REST: 422 invalid_utf8, nothing stored (no U+FFFD)', async () => {
    const res = await postBytes(`${BASE}/sync_proposal`, withRawTitle(604, [0x41, 0xc3, 0x28, 0xff]));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: '', message: 'The body is not valid UTF-8', code: 'invalid_utf8' },
    ]);
    expect((await request(srv.url).get(READ_BACK(604)).set(bearer())).status).toBe(404);
  });

  it('tRPC: 422 invalid_utf8 in tRPC’s error envelope, nothing stored', async () => {
    const payload = withRawTitle(605, [0xed, 0xa0, 0x80]); // an encoded surrogate: not UTF-8
    const body = Buffer.concat([Buffer.from('{"payload":'), payload, Buffer.from('}')]);
    const res = await postBytes('/trpc/syncProposal', body);
    expect(res.status).toBe(422);
    expect(res.body.error?.data.code).toBe('UNPROCESSABLE_CONTENT');
    expect(ZErrorBody.parse(res.body.error?.data.upsync)).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: '', message: 'The body is not valid UTF-8', code: 'invalid_utf8' }],
    });
    expect((await request(srv.url).get(READ_BACK(605)).set(bearer())).status).toBe(404);
  });

  it('valid UTF-8 beyond ASCII is stored as sent', async () => {
    const title = 'Müller–Łukasz 測定 🧪';
    const payload = proposalNumbered(606);
    payload.proposal.title = title;
    const sync = await postBytes(`${BASE}/sync_proposal`, Buffer.from(JSON.stringify(payload), 'utf8'));
    expect(sync.status).toBe(200);
    const back = await request(srv.url).get(READ_BACK(606)).set(bearer());
    expect(back.body.proposal.title).toBe(title);
    const viaTrpc = proposalNumbered(607);
    viaTrpc.proposal.title = title;
    const trpc = await postBytes(
      '/trpc/syncProposal',
      Buffer.from(JSON.stringify({ payload: viaTrpc }), 'utf8'),
    );
    expect(trpc.status).toBe(200);
    expect((await request(srv.url).get(READ_BACK(607)).set(bearer())).body.proposal.title).toBe(title);
  });
});
