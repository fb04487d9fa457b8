import type {
  DomainTransferStatus,
  FulfillmentStatus,
  HostingPlatform,
  NameServerStatus,
  OrderAutomationStatus,
} from '@handover/contracts';
import { PRIVATE_SMTP_DRIVER } from '@handover/contracts/drivers/private-smtp';
import {
  type CredentialHint,
  DomainTransfer,
  FulfillmentRecord,
  Order,
  OrderAutomation,
  OrderEmail,
  PlatformCredential,
} from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../errors';

/** One domain of a private SMTP order as its customer follows it: transfer, then mailboxes. */
export interface MailboxDomainView {
  recordId: string;
  domain: string;
  status: FulfillmentStatus;
  statusReason: string | null;
  transfer: {
    status: DomainTransferStatus;
    nameServerStatus: NameServerStatus | null;
    /** The nameservers to expect at the registrar (seed 001 step 5.2). */
    nameservers: string[];
    platform: HostingPlatform;
    /** What the registrar said when it refused. */
    problem: string | null;
    lastCheckedAt: Date | null;
    nextCheckAt: Date | null;
  } | null;
  /** The mailbox job's status, once one is started. */
  automation: OrderAutomationStatus | null;
  /** Logins only: a password is shown on request (`revealMailboxPassword`). */
  mailboxes: { id: string; email: string; firstName: string; lastName: string; ready: boolean }[];
}

export interface MailboxOrderView {
  orderId: string;
  /** Some domain waits for the customer to fix their registrar and resubmit (seed 001 step 5.4). */
  draft: boolean;
  credentials: { platform: HostingPlatform; hint: CredentialHint } | null;
  domains: MailboxDomainView[];
}

/** A customer's private SMTP order: never another customer's, never a secret. */
export async function getMailboxOrderView(
  em: EntityManager,
  userId: string,
  orderId: string,
): Promise<MailboxOrderView> {
  const order = await em.findOne(Order, { id: orderId, user: userId }, { fields: ['id'] });
  if (!order) throw new NotFoundError('No order with this id in your account.');
  const [records, transfers, automations, mailboxes, credentials] = await Promise.all([
    em.find(
      FulfillmentRecord,
      { order: orderId, driver: PRIVATE_SMTP_DRIVER },
      { orderBy: { orderItem: { createdAt: 'asc' }, position: 'asc' } },
    ),
    em.find(DomainTransfer, { order: orderId }, { orderBy: { createdAt: 'desc' } }),
    em.find(OrderAutomation, { order: orderId }, { orderBy: { createdAt: 'desc' } }),
    em.find(OrderEmail, { order: orderId }, { orderBy: { createdAt: 'asc', email: 'asc' } }),
    em.find(PlatformCredential, { order: orderId }, { orderBy: { createdAt: 'asc' } }),
  ]);
  const saved = credentials[0];
  return {
    orderId,
    draft: records.some((record) => record.status === 'draft'),
    credentials: saved ? { platform: saved.platformType, hint: saved.hint } : null,
    domains: records.map((record) => {
      const domain = record.subject ?? '';
      const transfer = transfers.find((t) => t.record.id === record.id && t.domainName === domain);
      return {
        recordId: record.id,
        domain,
        status: record.status,
        statusReason: record.statusReason ?? null,
        transfer: transfer
          ? {
              status: transfer.status,
              nameServerStatus: transfer.nameServerStatus ?? null,
              nameservers: transfer.nameServers,
              platform: transfer.hostingPlatform,
              problem: transfer.nameServerStatus === 'failed' ? (transfer.errorMessage ?? null) : null,
              lastCheckedAt: transfer.lastCheckedAt ?? null,
              nextCheckAt: transfer.status === 'pending' ? (transfer.nextCheckAt ?? null) : null,
            }
          : null,
        automation: automations.find((a) => a.record.id === record.id)?.status ?? null,
        mailboxes: mailboxes
          .filter((m) => m.record.id === record.id)
          .map((m) => ({
            id: m.id,
            email: m.email,
            firstName: m.firstName,
            lastName: m.lastName,
            ready: m.mailinMailboxId !== null,
          })),
      };
    }),
  };
}
