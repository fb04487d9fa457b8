import type { AddressInfo } from 'node:net';
import { allEmulators, createSandbox, ZoneStore } from '@handover/sandbox';

export interface TestSandbox {
  url: string;
  testkitUrl: string;
  setFault(emulator: string, spec: Record<string, unknown>): Promise<void>;
  clearFault(emulator: string): Promise<void>;
  testkitStats(): Promise<TestkitStats>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface TestkitStats {
  creations: Record<string, number>;
  activations: Record<string, number>;
  resources: { id: string; label: string; status: string; idempotencyKey: string }[];
}

/** The sandbox, in this process, on a free port: the tests reach it over real HTTP. */
export async function startTestSandbox(): Promise<TestSandbox> {
  const app = await createSandbox({
    emulators: allEmulators({}, { zones: new ZoneStore() }),
    publicUrl: 'http://127.0.0.1',
    hangMs: 5_000,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const send = async (path: string, method: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  };
  return {
    url,
    testkitUrl: `${url}/testkit`,
    setFault: async (emulator, spec) => void (await send(`/_control/faults/${emulator}`, 'PUT', spec)),
    clearFault: async (emulator) => void (await send(`/_control/faults/${emulator}`, 'DELETE')),
    testkitStats: async () => (await send('/testkit/_sandbox/stats', 'GET')) as TestkitStats,
    reset: async () => void (await send('/_control/reset', 'POST')),
    close: () => app.close(),
  };
}
