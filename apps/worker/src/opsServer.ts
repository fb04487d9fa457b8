import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Metrics, metricsAuthorized } from '@handover/core';
import type { WorkerHealth } from './runner';

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The worker's own small HTTP listener, apart from any public one: `/healthz` (the database and
 * the job queue, 503 while either is down), `/livez` (the process alone) and `/metrics`
 * (Prometheus; with a token set, only for `Authorization: Bearer <token>`).
 */
export async function startOpsServer(options: {
  host: string;
  port: number;
  token?: string;
  metrics: Metrics;
  health: () => WorkerHealth;
}): Promise<OpsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (request.method !== 'GET') return send(405, 'application/json', '{"error":"method_not_allowed"}');
    if (path === '/livez') return send(200, 'application/json', '{"ok":true}');
    if (path === '/healthz') {
      const health = options.health();
      return send(health.ok ? 200 : 503, 'application/json', JSON.stringify(health));
    }
    if (path === '/metrics') {
      if (!metricsAuthorized(request.headers.authorization, options.token)) {
        response.setHeader('www-authenticate', 'Bearer');
        return send(401, 'application/json', '{"error":"unauthorized"}');
      }
      options.metrics.registry.metrics().then(
        (text) => send(200, options.metrics.registry.contentType, text),
        (error: Error) => send(500, 'text/plain', `metrics failed: ${error.message}`),
      );
      return;
    }
    send(404, 'application/json', '{"error":"not_found"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
