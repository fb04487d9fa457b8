import type { CircuitState } from '@handover/contracts';
import type pg from 'pg';
import { autocommit } from '../database/sql';

/**
 * Writes a vendor's circuit breaker state as one worker process sees it (provider_circuits), for
 * the back office, the metrics and the circuit_open alert.
 */
export async function recordCircuitState(
  pool: pg.Pool,
  change: { vendor: string; nodeId: string; state: CircuitState; lastError: string | null },
): Promise<void> {
  await autocommit(
    pool,
    `insert into provider_circuits (vendor, node_id, state, opened_at, last_error, created_at, updated_at)
     values (?, ?, ?, case when ? = 'open' then now() end, ?, now(), now())
     on conflict (vendor, node_id) do update set state = excluded.state,
       opened_at = case when excluded.state = 'open' then now() else provider_circuits.opened_at end,
       last_error = coalesce(excluded.last_error, provider_circuits.last_error), updated_at = now()
     returning 1`,
    [change.vendor, change.nodeId, change.state, change.state, change.lastError],
  );
}
