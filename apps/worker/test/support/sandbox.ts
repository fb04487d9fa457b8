import { allEmulators, createSandbox, type DnsServer, startDnsServer, ZoneStore } from '@handover/sandbox';
import { freePort } from '../../../../scripts/test/chromium';

/** The key the sandbox's PlugSaaS accepts, and the worker's PlugSaaS client sends. */
export const TEST_PLUGSAAS_API_KEY = 'plugsaas-test-key-0123456789';

/** A running sandbox's control API, over HTTP: in this process or another. */
export interface SandboxControl {
  setFault(emulator: string, spec: Record<string, unknown>): Promise<void>;
  clearFault(emulator: string): Promise<void>;
  testkitStats(): Promise<TestkitStats>;
  /** What a person would enter on the registrar page. */
  setNameservers(domain: string, nameservers: string[]): Promise<void>;
  plugsaasOrders(): Promise<PlugsaasOrder[]>;
  /** What an emulator was asked: requests per `METHOD /route`, and how many got an injected fault. */
  calls(emulator: string): Promise<EmulatorCalls>;
  /** Any control or emulator route, as JSON (`/_control/esimaccess/profiles`). */
  control<T = unknown>(path: string, method?: string, body?: unknown): Promise<T>;
  reset(): Promise<void>;
}

export interface TestSandbox extends SandboxControl {
  url: string;
  testkitUrl: string;
  /** PLUGSAAS_API_URL and PLUGSAAS_API_KEY for this sandbox. */
  plugsaasEnv: { PLUGSAAS_API_URL: string; PLUGSAAS_API_KEY: string };
  /** The JSON DNS-over-HTTPS base (DNS_DOH_URL). */
  dohUrl: string;
  /** The DNS server, as DNS_SERVER (`127.0.0.1:port`). */
  dnsServer: string;
  close(): Promise<void>;
}

export interface TestkitStats {
  creations: Record<string, number>;
  activations: Record<string, number>;
  resources: { id: string; label: string; status: string; idempotencyKey: string }[];
}

export interface EmulatorCalls {
  endpoints: Record<string, number>;
  idempotencyKeys: Record<string, number>;
  faulted: number;
}

export interface PlugsaasOrder {
  orderId: string;
  domain: string;
  forwardingUrl: string;
  names: string[];
  microsoftEmail: string;
  nameservers: string[];
  idempotencyKey: string | null;
}

/**
 * The sandbox and its DNS server, in this process, on free ports: the tests reach them over HTTP
 * and UDP. `env` sets emulators' credentials (SANDBOX_GATEWAY_SECRET, say) the test also gives its clients.
 */
export async function startTestSandbox(env: Record<string, string> = {}): Promise<TestSandbox> {
  const zones = new ZoneStore();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = await createSandbox({
    emulators: allEmulators({ ...env, PLUGSAAS_API_KEY: TEST_PLUGSAAS_API_KEY }, { zones }),
    // Links the emulators hand out (eSIM Access's QR codes) must reach it.
    publicUrl: url,
    hangMs: 5_000,
  });
  await app.listen({ host: '127.0.0.1', port });
  const dns: DnsServer = await startDnsServer({ zones, host: '127.0.0.1', port: 0 });
  return {
    url,
    testkitUrl: `${url}/testkit`,
    plugsaasEnv: { PLUGSAAS_API_URL: `${url}/plugsaas`, PLUGSAAS_API_KEY: TEST_PLUGSAAS_API_KEY },
    dohUrl: `${url}/dns`,
    dnsServer: `127.0.0.1:${dns.port}`,
    ...sandboxControl(url),
    close: async () => {
      await Promise.all([app.close(), dns.close()]);
    },
  };
}

/** The control API of the sandbox at `url` (a test's own, or one a stack started as a process). */
export function sandboxControl(url: string): SandboxControl {
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
    setFault: async (emulator, spec) => void (await send(`/_control/faults/${emulator}`, 'PUT', spec)),
    clearFault: async (emulator) => void (await send(`/_control/faults/${emulator}`, 'DELETE')),
    testkitStats: async () => (await send('/testkit/_sandbox/stats', 'GET')) as TestkitStats,
    setNameservers: async (domain, nameservers) =>
      void (await send(`/_control/registrar/domains/${encodeURIComponent(domain)}`, 'PUT', { nameservers })),
    plugsaasOrders: async () =>
      ((await send('/_control/plugsaas/orders', 'GET')) as { orders: PlugsaasOrder[] }).orders,
    calls: async (emulator) => {
      const snapshot = (await send(`/_control/calls?emulator=${emulator}`, 'GET')) as Record<string, EmulatorCalls>;
      return snapshot[emulator] ?? { endpoints: {}, idempotencyKeys: {}, faulted: 0 };
    },
    control: async <T>(path: string, method = 'GET', body?: unknown) => (await send(path, method, body)) as T,
    reset: async () => void (await send('/_control/reset', 'POST')),
  };
}
