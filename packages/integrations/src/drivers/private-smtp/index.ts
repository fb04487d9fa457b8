import { PRIVATE_SMTP_DRIVER } from '@handover/contracts/drivers/private-smtp';
import type { DriverDefinition } from '@handover/core';
import { createPrivateSmtpAdapter } from './adapter';
import { type PrivateSmtpSettings, privateSmtpEnvSchema } from './env';
import { MailinClient } from './mailinClient';
import { NamecheapClient } from './namecheapClient';
import { SpaceshipClient } from './spaceshipClient';

export * from './adapter';
export * from './env';
export * from './errors';
export * from './mailinClient';
export * from './namecheapClient';
export * from './spaceshipClient';

/** Builds the driver's clients from its settings: Mailin.ai only when automation is on. */
export function privateSmtpDeps(settings: PrivateSmtpSettings) {
  return {
    mailin: settings.enabled && settings.mailin ? new MailinClient(settings.mailin) : null,
    registrars: {
      spaceship: new SpaceshipClient(settings.spaceship),
      namecheap: settings.namecheap ? new NamecheapClient(settings.namecheap) : null,
    },
    portalUrl: settings.portalUrl,
    namecheapClientIp: settings.namecheap?.clientIp ?? null,
  };
}

/** Mailboxes on the customer's own domains (seed 001), through Mailin.ai and the customer's Spaceship or Namecheap. */
export const privateSmtpDriver: DriverDefinition<PrivateSmtpSettings> = {
  driver: PRIVATE_SMTP_DRIVER,
  env: privateSmtpEnvSchema,
  create: (settings) => createPrivateSmtpAdapter(privateSmtpDeps(settings)),
};
