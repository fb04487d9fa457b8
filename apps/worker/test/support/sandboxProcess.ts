import { choosePort } from '@handover/db/embedded';
import { type ManagedProcess, startProcess, waitForHttp } from '@handover/scripts/processes';

export interface SandboxProcess {
  process: ManagedProcess;
  url: string;
  dnsPort: number;
  smtpPort: number;
}

/**
 * The sandbox as its own process, every port it opens (HTTP, DNS, SMTP) chosen free: its defaults
 * are `pnpm dev`'s, so a test that left one to the default would fail while `npm start` runs.
 */
export async function startSandboxProcess(env: Record<string, string> = {}): Promise<SandboxProcess> {
  const [http, dnsPort, smtpPort] = [await choosePort(0), await choosePort(0), await choosePort(0)];
  const url = `http://127.0.0.1:${http}`;
  const process = startProcess({
    name: 'sandbox',
    entry: 'apps/sandbox/src/main.ts',
    env: {
      LOG_LEVEL: 'warn',
      ...env,
      SANDBOX_PORT: String(http),
      SANDBOX_DNS_PORT: String(dnsPort),
      SANDBOX_SMTP_PORT: String(smtpPort),
    },
  });
  await waitForHttp(`${url}/_control/healthz`, { process });
  return { process, url, dnsPort, smtpPort };
}
