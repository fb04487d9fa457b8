import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DriverRegistry, systemClock } from '@handover/core';
import { useTestDatabase } from '@handover/db/vitest';
import { manualAdapter } from '@handover/integrations';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../src/app';
import { loadServerConfig } from '../src/config';

const keys = `k1=${randomBytes(32).toString('base64')}`;

describe('request logging', () => {
  const db = useTestDatabase();

  /** The messages the server logs while answering a poll five times, a missing page and a bad call. */
  async function logsOf(env: Record<string, string>): Promise<string[]> {
    const lines: string[] = [];
    const config = loadServerConfig({
      DATABASE_URL: db.url,
      HANDOVER_ENCRYPTION_KEYS: keys,
      LOG_LEVEL: 'info',
      ...env,
    });
    const app = await buildServer({
      config,
      orm: db.orm,
      clock: systemClock,
      registry: new DriverRegistry([manualAdapter]),
      logStream: { write: (line) => void lines.push(line) },
    });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      for (let i = 0; i < 5; i++) expect((await fetch(`${base}/livez`)).status).toBe(200);
      expect((await fetch(`${base}/no-such-page?token=secret`)).status).toBe(404);
      expect((await fetch(`${base}/trpc/auth.me`)).status).toBe(401);
    } finally {
      await app.close();
    }
    return lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
  }

  it('logs nothing but one line per failed request in development', async () => {
    const messages = await logsOf({ NODE_ENV: 'development' });
    const requestLines = messages.filter((msg) => /request|answered/.test(msg));
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatch(/^GET \/no-such-page answered 404 \(\d+ ms\)$/);
  });

  it('logs every request in development when LOG_REQUESTS turns it on, and by default in production', async () => {
    const envs: Record<string, string>[] = [
      { NODE_ENV: 'development', LOG_REQUESTS: 'true' },
      { NODE_ENV: 'production' },
    ];
    for (const env of envs) {
      const messages = await logsOf(env);
      expect(messages.filter((msg) => msg === 'incoming request')).toHaveLength(7);
      expect(messages.filter((msg) => msg === 'request completed')).toHaveLength(7);
    }
  });
});
