import { z } from 'zod';

/** One email the SMTP emulator accepted. */
export interface CapturedMail {
  id: number;
  messageId: string | null;
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

/** An SMTP error answered at the end of DATA, for the next `remaining` messages (or all). */
export const mailFaultSchema = z
  .object({
    /** 4xx: the sender should retry later; 5xx: it should give up. */
    responseCode: z.number().int().min(400).max(599),
    message: z.string().max(200).default('Injected sandbox fault'),
    remaining: z.number().int().min(1).optional(),
  })
  .strict();
export type MailFault = z.output<typeof mailFaultSchema>;

/** What the SMTP emulator keeps: mails in memory (newest last, at most `capacity`) and an injected fault. */
export class Mailbox {
  private mails: CapturedMail[] = [];
  private nextId = 1;
  private fault: MailFault | null = null;

  constructor(private readonly capacity = 500) {}

  add(mail: Omit<CapturedMail, 'id'>): CapturedMail {
    const stored = { ...mail, id: this.nextId++ };
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
