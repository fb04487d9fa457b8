import { randomId } from '../shared/ids';

interface IssuedToken {
  deviceName: string;
  expiresAt: number;
}

/**
 * Mailin.ai's bearer tokens. They look like Laravel Sanctum's (`<id>|<40 characters>`), as the
 * docs' example does, and really expire: a client that keeps one past `expires_in` gets 401.
 */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  private issued = 0;

  issue(deviceName: string, ttlSeconds: number, now: Date): { token: string; expiresIn: number } {
    this.issued += 1;
    const token = `${this.issued}|${randomId(40)}`;
    this.tokens.set(token, { deviceName, expiresAt: now.getTime() + ttlSeconds * 1000 });
    return { token, expiresIn: ttlSeconds };
  }

  isValid(token: string, now: Date): boolean {
    const issued = this.tokens.get(token);
    return issued !== undefined && issued.expiresAt > now.getTime();
  }

  /** Ends every token now (the control API's "expire tokens"); returns how many were live. */
  expireAll(now: Date): number {
    let live = 0;
    for (const issued of this.tokens.values()) {
      if (issued.expiresAt > now.getTime()) live += 1;
      issued.expiresAt = Math.min(issued.expiresAt, now.getTime());
    }
    return live;
  }

  /** Live tokens per device name, for the control API (never the tokens themselves). */
  summary(now: Date): { issued: number; live: { deviceName: string; expiresAt: string }[] } {
    const live = [...this.tokens.values()]
      .filter((issued) => issued.expiresAt > now.getTime())
      .map((issued) => ({ deviceName: issued.deviceName, expiresAt: new Date(issued.expiresAt).toISOString() }));
    return { issued: this.issued, live };
  }

  reset(): void {
    this.tokens.clear();
    this.issued = 0;
  }
}
