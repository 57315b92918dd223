import express, { type Router } from 'express';

export interface ReadyReport {
  ready: boolean;
  /** Safe to show: "database unreachable", "missing tables: …" — never driver text. When ready: notes. */
  detail?: string;
}

export type ReadyCheck = () => Promise<ReadyReport>;

/** /health: the process answers. /ready: the database answers and has the tables. */
export function healthRoutes(ready: ReadyCheck): Router {
  const router = express.Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    const report = await ready().catch(() => ({ ready: false, detail: 'readiness check failed' }));
    if (report.ready) res.json({ status: 'ready', ...(report.detail && { notes: report.detail }) });
    else res.status(503).setHeader('Retry-After', '5').json({ status: 'not_ready', detail: report.detail });
  });
  return router;
}
