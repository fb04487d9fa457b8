export interface EmulatorCalls {
  /** `METHOD /route` -> requests received (faulted or not). */
  endpoints: Record<string, number>;
  /** Idempotency key -> requests that carried it. */
  idempotencyKeys: Record<string, number>;
  /** Requests answered with an injected fault. */
  faulted: number;
}

/** Counts what each emulator was asked, for tests to read through the control API. */
export class CallRecorder {
  private readonly byEmulator = new Map<string, EmulatorCalls>();

  record(emulator: string, endpoint: string, idempotencyKey: string | undefined): void {
    const calls = this.of(emulator);
    calls.endpoints[endpoint] = (calls.endpoints[endpoint] ?? 0) + 1;
    if (idempotencyKey) calls.idempotencyKeys[idempotencyKey] = (calls.idempotencyKeys[idempotencyKey] ?? 0) + 1;
  }

  recordFault(emulator: string): void {
    this.of(emulator).faulted += 1;
  }

  snapshot(emulator?: string): Record<string, EmulatorCalls> {
    const entries = [...this.byEmulator.entries()].filter(([name]) => !emulator || name === emulator);
    return Object.fromEntries(entries.map(([name, calls]) => [name, structuredClone(calls)]));
  }

  reset(): void {
    this.byEmulator.clear();
  }

  private of(emulator: string): EmulatorCalls {
    let calls = this.byEmulator.get(emulator);
    if (!calls) {
      calls = { endpoints: {}, idempotencyKeys: {}, faulted: 0 };
      this.byEmulator.set(emulator, calls);
    }
    return calls;
  }
}
