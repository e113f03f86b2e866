import express, { type Router } from 'express';

/** Liveness answers while the process runs; readiness only once the store is usable. */
export function healthRouter(isReady: () => boolean): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ data: { status: 'ok' } });
  });
  router.get('/readyz', (_req, res) => {
    const ready = isReady();
    res.status(ready ? 200 : 503).json({ data: { status: ready ? 'ready' : 'not_ready' } });
  });
  return router;
}
