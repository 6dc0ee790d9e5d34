import { Router } from 'express';

/** Liveness never touches the database; readiness answers 503 while the database is unreachable. */
export function healthRoutes(ping: () => Promise<{ up: boolean; reason?: string }>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const db = await ping();
    res.status(db.up ? 200 : 503).json({
      status: db.up ? 'ready' : 'unavailable',
      checks: { database: db.up ? 'up' : 'down' },
    });
  });
  return router;
}
