import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** Arkesel's delivery statuses (SMS API v2). */
export type ArkeselStatus = 'QUEUED' | 'SUBMITTED' | 'DELIVERED' | 'NOT_DELIVERED' | 'EXPIRED' | 'PROHIBITED';

/** What happens to texts for one number: refused when sent, or accepted and then not delivered. */
export const numberOutcomeSchema = z
  .object({ outcome: z.enum(['invalid', 'not_delivered', 'expired', 'prohibited']) })
  .strict();
export type NumberOutcome = z.output<typeof numberOutcomeSchema>['outcome'];

export interface SentSms {
  id: string;
  sender: string;
  /** International digits without the plus, as Arkesel shows recipients (`233271234567`). */
  recipient: string;
  message: string;
  status: ArkeselStatus;
  callbackUrl: string | null;
  sandbox: boolean;
  /** SMS pages the text took (160 characters each), which is what the SMS balance pays. */
  pages: number;
  sentAt: string;
  /** Statuses reported to the callback URL, in order. */
  reports: ArkeselStatus[];
}

const FINAL_STATUS: Record<Exclude<NumberOutcome, 'invalid'>, ArkeselStatus> = {
  not_delivered: 'NOT_DELIVERED',
  expired: 'EXPIRED',
  prohibited: 'PROHIBITED',
};

/** The texts the SMS emulator accepted (newest last, at most `capacity`), and per-number outcomes. */
export class SmsLog {
  private messages: SentSms[] = [];
  private readonly outcomes = new Map<string, NumberOutcome>();
  private balance: number;

  constructor(
    private readonly initialBalance: number,
    private readonly capacity = 500,
  ) {
    this.balance = initialBalance;
  }

  /** The recipient's digits, or null for a number Arkesel refuses (invalid, or set to be refused). */
  recipient(input: string): string | null {
    const digits = internationalDigits(input);
    return digits && this.outcomes.get(digits) !== 'invalid' ? digits : null;
  }

  /** Takes the pages from the SMS balance and keeps the texts; null when the balance is short. */
  accept(
    recipients: string[],
    text: { sender: string; message: string; callbackUrl: string | null; sandbox: boolean },
    now: Date,
  ): SentSms[] | null {
    const pages = Math.max(1, Math.ceil(text.message.length / 160));
    if (this.balance < pages * recipients.length) return null;
    this.balance -= pages * recipients.length;
    const sent = recipients.map(
      (recipient): SentSms => ({
        id: randomUUID(),
        recipient,
        ...text,
        status: 'SUBMITTED',
        pages,
        sentAt: now.toISOString(),
        reports: [],
      }),
    );
    this.messages.push(...sent);
    if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
    return sent;
  }

  /** The status the network ends a text with: DELIVERED unless its number was set otherwise. */
  finalStatus(sms: SentSms): ArkeselStatus {
    const outcome = this.outcomes.get(sms.recipient);
    return outcome && outcome !== 'invalid' ? FINAL_STATUS[outcome] : 'DELIVERED';
  }

  /** The network's final word on a text, as its delivery report tells it. */
  settle(id: string, status: ArkeselStatus): void {
    const sms = this.messages.find((m) => m.id === id);
    if (!sms) return;
    sms.status = status;
    sms.reports.push(status);
  }

  get(id: string): SentSms | undefined {
    return this.messages.find((sms) => sms.id === id);
  }

  /** Newest first; `to` keeps the texts to that number (any form `recipient` reads). */
  list(filter: { to?: string } = {}): SentSms[] {
    const to = filter.to ? (internationalDigits(filter.to) ?? filter.to) : undefined;
    return structuredClone(this.messages.filter((sms) => !to || sms.recipient === to).reverse());
  }

  setOutcome(number: string, outcome: NumberOutcome | null): string | null {
    const digits = internationalDigits(number);
    if (!digits) return null;
    if (outcome) this.outcomes.set(digits, outcome);
    else this.outcomes.delete(digits);
    return digits;
  }

  listOutcomes(): Record<string, NumberOutcome> {
    return Object.fromEntries(this.outcomes);
  }

  get smsBalance(): number {
    return this.balance;
  }

  setBalance(units: number): void {
    this.balance = units;
  }

  reset(): void {
    this.messages = [];
    this.outcomes.clear();
    this.balance = this.initialBalance;
  }
}

/**
 * International digits (`233271234567`) for what Arkesel takes as a recipient: that form, with a
 * leading plus, or a Ghana number in its local ten-digit form; null for anything else.
 */
export function internationalDigits(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  const local = /^0([2-5]\d{8})$/.exec(digits);
  if (local) return `233${local[1]}`;
  return /^\+?([1-9]\d{7,14})$/.exec(digits)?.[1] ?? null;
}
