import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriverRegistry, systemClock } from '@handover/core';
import { useTestDatabase } from '@handover/db/vitest';
import { manualAdapter } from '@handover/integrations';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/app';
import { loadServerConfig } from '../src/config';

function fakeBuild(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), `<html>${name}</html>`);
  writeFileSync(join(dir, 'assets', 'app.js'), `console.log('${name}')`);
  return dir;
}

describe('built SPAs', () => {
  const db = useTestDatabase();
  let app: FastifyInstance;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'spa-'));
    const config = loadServerConfig({
      DATABASE_URL: db.url,
      HANDOVER_ENCRYPTION_KEYS: `k1=${randomBytes(32).toString('base64')}`,
      LOG_LEVEL: 'silent',
    });
    app = await buildServer({
      config,
      orm: db.orm,
      clock: systemClock,
      registry: new DriverRegistry([manualAdapter]),
      spas: [
        { prefix: '/admin/', dir: fakeBuild(root, 'admin') },
        { prefix: '/', dir: fakeBuild(root, 'portal') },
      ],
    });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves each app, its assets, and index.html for client-side routes', async () => {
    const get = (url: string) => app.inject({ method: 'GET', url });
    expect((await get('/')).body).toBe('<html>portal</html>');
    expect((await get('/orders/HO-123')).body).toBe('<html>portal</html>');
    expect((await get('/assets/app.js')).body).toBe("console.log('portal')");
    expect((await get('/admin/')).body).toBe('<html>admin</html>');
    expect((await get('/admin/orders/1/show')).body).toBe('<html>admin</html>');
    expect((await get('/admin/assets/app.js')).body).toBe("console.log('admin')");
  });

  it('answers unknown API paths with a JSON 404, never the app page', async () => {
    const res = await app.inject({ method: 'GET', url: '/webhooks/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found' });
  });
});
