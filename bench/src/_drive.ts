// temporary ad-hoc driver (not committed)
import { createDatabase } from './databases.js';
import { HttpClient } from './http-client.js';
import { PayloadFactory } from './payloads.js';
import { startServerProcess, SERVER_MAIN } from './server-process.js';
import { BENCH_TOKEN, SYNC_PATH } from './upsync.js';
const kind = process.argv[2] ?? 'invalid';
const n = Number(process.argv[3] ?? 2000);
const warm = Number(process.argv[4] ?? 300);
const main = process.argv[5] ?? SERVER_MAIN;
const db = await createDatabase('upsync_bench_drive');
const server = await startServerProcess({ DATABASE_URL: db.url, UPSYNC_API_TOKENS: `bench:${BENCH_TOKEN}`, LOG_LEVEL: process.env.LL ?? 'warn' }, 30000, main);
const client = new HttpClient(server.url, 1);
const auth = { authorization: `Bearer ${BENCH_TOKEN}` };
const f = new PayloadFactory({ seed: 3 });
for (let i = 0; i < warm; i++) { const p = f.typical(); await client.request(SYNC_PATH, { body: p, headers: auth }); await client.request(SYNC_PATH, { body: p, headers: auth }); }
const t0 = Date.now();
for (let i = 0; i < n; i++) {
  if (kind === 'health') await client.request('/health');
  else if (kind === 'invalid') await client.request(SYNC_PATH, { body: { proposal: {} }, headers: auth });
  else if (kind === 'sync') { const p = f.typical(); await client.request(SYNC_PATH, { body: p, headers: auth }); await client.request(SYNC_PATH, { body: p, headers: auth }); }
}
console.log(kind, n, 'in', Date.now() - t0, 'ms');
client.close(); await server.stop(); await db.drop();
