import express, { type Router } from 'express';
import { readOnlyRoute } from './readOnly';

/** Liveness answers while the process runs; readiness only once the store is usable. */
export function healthRouter(isReady: () => Promise<boolean>): Router {
  const router = express.Router();
  readOnlyRoute(router, '/healthz', (_req, res) => {
    res.json({ data: { status: 'ok' } });
  });
  readOnlyRoute(router, '/readyz', async (_req, res) => {
    const ready = await isReady().catch(() => false);
    res.status(ready ? 200 : 503).json({ data: { status: ready ? 'ready' : 'not_ready' } });
  });
  return router;
}
