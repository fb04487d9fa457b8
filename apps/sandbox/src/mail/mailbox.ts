import { z } from 'zod';

/** One email the SMTP emulator accepted. */
export interface CapturedMail {
  id: number;
  messageId: string | null;
  /** The earlier mail with the same Message-ID: a resend, which a recipient's mailbox shows once. */
  duplicateOf: number | null;
  /** The sender's `X-Correlation-Id`, when it names the request the mail came from. */
  correlationId: string | null;
  /** SMTP envelope: who the client said it sends from and to (Bcc included). */
  envelope: { from: string | null; to: string[] };
  from: string | null;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string | null;
  /** The AUTH username the client signed in with, if it did. */
  authUser: string | null;
  receivedAt: string;
}

/**
 * What to do at the end of DATA, for the next `remaining` messages (or all): answer an SMTP
 * error, or keep the message and answer its 250 only after `delayReplyMs` (the moment in which a
 * sender that stops has sent a message without hearing so).
 */
export const mailFaultSchema = z
  .object({
    /** 4xx: the sender should retry later; 5xx: it should give up. */
    responseCode: z.number().int().min(400).max(599).optional(),
    message: z.string().max(200).default('Injected sandbox fault'),
    delayReplyMs: z.number().int().min(1).max(120_000).optional(),
    remaining: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((fault) => (fault.responseCode === undefined) !== (fault.delayReplyMs === undefined), {
    message: 'give either responseCode or delayReplyMs',
  });
export type MailFault = z.output<typeof mailFaultSchema>;

/** What the SMTP emulator keeps: mails in memory (newest last, at most `capacity`) and an injected fault. */
export class Mailbox {
  private mails: CapturedMail[] = [];
  private nextId = 1;
  private fault: MailFault | null = null;

  constructor(private readonly capacity = 500) {}

  add(mail: Omit<CapturedMail, 'id' | 'duplicateOf'>): CapturedMail {
    const first = mail.messageId ? this.mails.find((kept) => kept.messageId === mail.messageId) : undefined;
    const stored = { ...mail, id: this.nextId++, duplicateOf: first ? (first.duplicateOf ?? first.id) : null };
    this.mails.push(stored);
    if (this.mails.length > this.capacity) this.mails.shift();
    return stored;
  }

  /** Newest first; `to` keeps mails with that recipient (To, Cc or envelope). */
  list(filter: { to?: string } = {}): CapturedMail[] {
    const to = filter.to?.toLowerCase();
    const matches = to
      ? this.mails.filter((mail) =>
          [...mail.to, ...mail.cc, ...mail.envelope.to].some((address) => address.toLowerCase() === to),
        )
      : this.mails;
    return [...matches].reverse();
  }

  setFault(fault: MailFault | null): void {
    this.fault = fault;
  }

  getFault(): MailFault | null {
    return this.fault;
  }

  /** The fault to answer this message with, counting it down. */
  takeFault(): MailFault | null {
    const fault = this.fault;
    if (fault?.remaining !== undefined) {
      this.fault = fault.remaining <= 1 ? null : { ...fault, remaining: fault.remaining - 1 };
    }
    return fault;
  }

  clear(): void {
    this.mails = [];
    this.fault = null;
  }
}
