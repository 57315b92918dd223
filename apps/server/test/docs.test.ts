import { readFile } from 'node:fs/promises';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../src/openapi.js';
import { serverForFile } from './helpers/server.js';

const srv = serverForFile();

describe('/docs (offline swagger-ui)', () => {
  it('/docs redirects relatively to docs/ (works behind a reverse proxy prefix)', async () => {
    const res = await request(srv.url).get('/docs');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('docs/');
  });

  it('serves the page and every asset it references, all from this server', async () => {
    const page = await request(srv.url).get('/docs/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const refs = [...page.text.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(5);
    for (const ref of refs) {
      expect(ref, 'no asset from the internet').not.toMatch(/^(https?:)?\/\//);
      const res = await request(srv.url).get(new URL(ref, `${srv.url}/docs/`).pathname);
      expect(res.status, ref).toBe(200);
    }
    expect(refs).toEqual(
      expect.arrayContaining(['./swagger-ui-bundle.js', './swagger-ui-init.js', './swagger-ui.css']),
    );
  });

  it('points swagger-ui at ../openapi.json (relative), which answers', async () => {
    const init = await request(srv.url).get('/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.text).toContain('"swaggerUrl": "../openapi.json"');
    expect(init.text, 'no call to validator.swagger.io').toContain('"validatorUrl": null');
    expect(init.text).not.toMatch(/https?:\/\//);
    const spec = await request(srv.url).get(new URL('../openapi.json', `${srv.url}/docs/`).pathname);
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe('3.1.0');
  });
});

describe('OpenAPI document', () => {
  it('matches the committed openapi.json (run `npm run openapi:write -w @upsync/server` after a contract change)', async () => {
    const committed = JSON.parse(await readFile(new URL('../openapi.json', import.meta.url), 'utf8'));
    expect(buildOpenApiDocument()).toEqual(committed);
    expect((await request(srv.url).get('/openapi.json')).body).toEqual(committed);
  });

  it('documents the REST routes, their query flags, bearer security and error responses', () => {
    const doc = buildOpenApiDocument();
    const sync = doc.paths?.['/ispyb/api/v1/webservices/userportalsync/sync_proposal']?.post;
    expect(sync?.parameters?.map((p) => ('name' in p ? p.name : undefined))).toEqual([
      'dryRun',
      'reconcile',
      'replayOf',
    ]);
    expect(Object.keys(sync?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '409', '413', '415', '422', '500', '503']),
    );
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths?.['/health']?.get?.security).toEqual([]);
    expect(doc.paths?.['/ispyb/api/v1/webservices/userportalsync/sync_proposals']?.post).toBeDefined();
    expect(doc.paths?.['/ispyb/api/v1/webservices/userportalsync/sync_proposal/schema']?.get).toBeDefined();
  });
});
