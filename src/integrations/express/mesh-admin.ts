import { Router, type Request, type Response } from 'express';
import type { MeshClient } from '../../client/mesh-client';
import { renderMeshMetrics } from './mesh-metrics-text';

/** The part of `MeshClient` the admin routes read. */
export type MeshAdminSource = Pick<MeshClient, 'isReady' | 'dump' | 'stats' | 'clusters'>;

function sendJson(res: Response, body: unknown): void {
  res.type('application/json').send(JSON.stringify(body, null, 2) + '\n');
}

/**
 * An Express router with the mesh's admin surface:
 * - `GET /healthz`: 200 while the process serves.
 * - `GET /readyz`: 200 once every source has synced (or loaded its cache), else 503.
 * - `GET /config_dump`: `mesh.dump()` as JSON (CSDS-like; sources redact secrets).
 * - `GET /endpoints`: per cluster, its policy, requests in flight and every endpoint (health,
 *   weight, priority, locality, labels, ejected).
 * - `GET /metrics`: per-cluster counters in Prometheus text format.
 *
 * Mount it where only operators reach it: `app.use('/mesh', meshAdmin(mesh))`.
 */
export function meshAdmin(mesh: MeshAdminSource): Router {
  const router = Router();
  router.get('/healthz', (_req: Request, res: Response) => {
    res.type('text/plain').send('ok\n');
  });
  router.get('/readyz', (_req: Request, res: Response) => {
    const ready = mesh.isReady();
    res.status(ready ? 200 : 503).type('text/plain').send(ready ? 'ready\n' : 'not ready: sources have not synced\n');
  });
  router.get('/config_dump', (_req: Request, res: Response) => sendJson(res, mesh.dump()));
  router.get('/endpoints', (_req: Request, res: Response) =>
    sendJson(
      res,
      mesh.clusters().map((c) => ({ cluster: c.cluster, source: c.source, lbPolicy: c.lbPolicy, inFlight: c.inFlight, endpoints: c.endpoints })),
    ),
  );
  router.get('/metrics', (_req: Request, res: Response) => {
    res.type('text/plain; version=0.0.4; charset=utf-8').send(renderMeshMetrics(mesh.stats()));
  });
  return router;
}
