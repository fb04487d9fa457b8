import { randomUUID } from 'node:crypto';

export type JobStatus = 'pending' | 'processing' | 'completed' | 'failed';

export interface Mailbox {
  id: number;
  username: string;
  name: string;
  domainId: number;
  jobUuid: string;
  /** `creating` until its job completes; a failed job's mailboxes are removed. */
  state: 'creating' | 'active';
  createdAt: string;
}

export interface MailboxJob {
  uuid: string;
  status: JobStatus;
  mailboxIds: number[];
  /** Status reads so far: the job completes after a set number of them (or a set time). */
  polls: number;
  createdAt: string;
  finishedAt: string | null;
  message: string | null;
  idempotencyKey: string | null;
}

/** When a job finishes by itself: after this many status reads, or this long after it started. */
export interface JobTiming {
  pollsToComplete: number | null;
  completeAfterMs: number | null;
}

export type Replay = { kind: 'new' } | { kind: 'replayed'; job: MailboxJob } | { kind: 'key_reused' };

/** Mailin.ai's mailboxes and the asynchronous jobs that create them, with the keys that started each. */
export class MailboxBook {
  private readonly mailboxes = new Map<number, Mailbox>();
  private readonly jobs = new Map<string, MailboxJob>();
  private readonly byKey = new Map<string, { fingerprint: string; uuid: string }>();
  private nextId = 12_345;

  /** A key seen before replays its first job for the same request and is refused for another. */
  replay(idempotencyKey: string | undefined, fingerprint: string): Replay {
    const earlier = idempotencyKey ? this.byKey.get(idempotencyKey) : undefined;
    if (!earlier) return { kind: 'new' };
    const job = this.jobs.get(earlier.uuid);
    if (earlier.fingerprint !== fingerprint || !job) return { kind: 'key_reused' };
    return { kind: 'replayed', job };
  }

  /** True when the address belongs to a mailbox that exists or is being created. */
  isTaken(username: string): boolean {
    return [...this.mailboxes.values()].some((mailbox) => mailbox.username === username);
  }

  start(
    requested: { username: string; name: string; domainId: number }[],
    idempotencyKey: string | undefined,
    fingerprint: string,
    now: Date,
  ): MailboxJob {
    const job: MailboxJob = {
      uuid: randomUUID(),
      status: 'pending',
      mailboxIds: [],
      polls: 0,
      createdAt: now.toISOString(),
      finishedAt: null,
      message: null,
      idempotencyKey: idempotencyKey ?? null,
    };
    for (const mailbox of requested) {
      const id = this.nextId++;
      this.mailboxes.set(id, { ...mailbox, id, jobUuid: job.uuid, state: 'creating', createdAt: now.toISOString() });
      job.mailboxIds.push(id);
    }
    this.jobs.set(job.uuid, job);
    if (idempotencyKey) this.byKey.set(idempotencyKey, { fingerprint, uuid: job.uuid });
    return job;
  }

  /** One status read: counts the poll and finishes the job when its time has come. */
  read(uuid: string, timing: JobTiming, now: Date): MailboxJob | undefined {
    const job = this.jobs.get(uuid);
    if (!job || job.status === 'completed' || job.status === 'failed') return job;
    job.polls += 1;
    const byPolls = timing.pollsToComplete !== null && job.polls >= timing.pollsToComplete;
    const byTime =
      timing.completeAfterMs !== null && now.getTime() - Date.parse(job.createdAt) >= timing.completeAfterMs;
    if (byPolls || byTime) this.complete(uuid, now);
    else job.status = job.polls <= 1 ? 'pending' : 'processing';
    return job;
  }

  complete(uuid: string, now: Date): MailboxJob | undefined {
    const job = this.unfinished(uuid);
    if (!job) return undefined;
    for (const id of job.mailboxIds) {
      const mailbox = this.mailboxes.get(id);
      if (mailbox) mailbox.state = 'active';
    }
    job.status = 'completed';
    job.finishedAt = now.toISOString();
    return job;
  }

  /** Fails the job; its addresses are free again, as nothing was created. */
  fail(uuid: string, message: string, now: Date): MailboxJob | undefined {
    const job = this.unfinished(uuid);
    if (!job) return undefined;
    for (const id of job.mailboxIds) this.mailboxes.delete(id);
    job.status = 'failed';
    job.message = message;
    job.finishedAt = now.toISOString();
    return job;
  }

  mailboxesOf(job: MailboxJob): Mailbox[] {
    return job.mailboxIds.flatMap((id) => this.mailboxes.get(id) ?? []);
  }

  listMailboxes(): Mailbox[] {
    return [...this.mailboxes.values()];
  }

  listJobs(): MailboxJob[] {
    return [...this.jobs.values()];
  }

  reset(): void {
    this.mailboxes.clear();
    this.jobs.clear();
    this.byKey.clear();
    this.nextId = 12_345;
  }

  private unfinished(uuid: string): MailboxJob | undefined {
    const job = this.jobs.get(uuid);
    return job && (job.status === 'pending' || job.status === 'processing') ? job : undefined;
  }
}
