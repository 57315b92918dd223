import { onStatement } from '@upsync/sync-core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { routeLabel } from '../src/http/request-log.js';
import { proposalNumbered, READ_BACK } from './helpers/payloads.js';
import { BASE, bearer, serverForFile, VIEWER_SECRET } from './helpers/server.js';

const srv = serverForFile();

const metricsText = async () => (await request(srv.url).get('/metrics').set(bearer(VIEWER_SECRET))).text;

describe('metrics route labels', () => {
  it('a 15 KB path of slashes under the sync prefix costs nothing to label and is labelled `other`', async () => {
    // slashes then one other character: the worst case of the old /\/+$/ (550 ms on Node 20)
    const path = `${BASE}/${'/'.repeat(15_000)}x`;
    const res = await request(srv.url).get(path).set(bearer());
    expect(res.status).toBe(404);
    // the fastest of 10: a GC pause or a busy machine must not fail it, a quadratic pattern would
    const times = Array.from({ length: 10 }, () => {
      const label = performance.now();
      routeLabel(path);
      return performance.now() - label;
    });
    expect(Math.min(...times)).toBeLessThan(1);
    expect(await metricsText()).toMatch(
      /upsync_http_requests_total\{method="GET",route="other",status="404"\} 1/,
    );
  });

  it('read-backs share one series (the route template), naming no proposal', async () => {
    for (const n of [701, 702, 703]) {
      expect(
        (await request(srv.url).post(`${BASE}/sync_proposal`).set(bearer()).send(proposalNumbered(n))).status,
      ).toBe(200);
      expect((await request(srv.url).get(READ_BACK(n)).set(bearer())).status).toBe(200);
    }
    expect(
      (
        await request(srv.url)
          .get(`${READ_BACK(704)}/`)
          .set(bearer())
      ).status,
    ).toBe(404);
    const text = await metricsText();
    expect(text).toMatch(
      /upsync_http_requests_total\{method="GET",route="\/ispyb\/api\/v1\/webservices\/userportalsync\/proposal\/:proposalCode\/:proposalNumber",status="200"\} 3/,
    );
    expect(text).not.toMatch(/proposal\/I\//);
    expect(text).toMatch(
      /route="\/ispyb\/api\/v1\/webservices\/userportalsync\/sync_proposal",status="200"\} 3/,
    );
  });

  it('labels only fixed templates', () => {
    expect(routeLabel(`${BASE}/sync_proposal/`)).toBe(`${BASE}/sync_proposal`);
    expect(routeLabel(`${BASE}/sync_proposal//`)).toBe('other');
    expect(routeLabel('/trpc/syncProposal')).toBe('/trpc');
    expect(routeLabel('/docs/swagger-ui.css')).toBe('/docs');
    expect(routeLabel('/docsx')).toBe('other');
    expect(routeLabel('/anything/else')).toBe('other');
  });
});

describe('/ready is checked at most once a second', () => {
  it('twenty probes within a second cost one database round trip', async () => {
    const checks: string[] = [];
    onStatement(srv.orm, ({ sql }) => {
      if (/^select 1$/i.test(sql.trim())) checks.push(sql);
    });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past any earlier cached answer
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => request(srv.url).get('/ready').set(bearer(VIEWER_SECRET))),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(checks).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await request(srv.url).get('/ready').set(bearer(VIEWER_SECRET))).status).toBe(200);
    expect(checks).toHaveLength(2);
  });
});
