import { Chip } from '@mui/material';
import { useRecordContext } from 'react-admin';

const GOOD = new Set(['completed', 'active', 'success', 'done', 'available', 'verified']);
const BAD = new Set(['failed', 'partially_failed', 'critical', 'cancelled', 'depleted']);
const WAITING = new Set([
  'manual_pending',
  'awaiting_inventory',
  'awaiting_provider',
  'awaiting_customer',
  'draft',
  'warning',
  'reserved',
  'open',
]);

export function statusColor(status: string) {
  if (GOOD.has(status)) return 'success' as const;
  if (BAD.has(status)) return 'error' as const;
  if (WAITING.has(status)) return 'warning' as const;
  return 'default' as const;
}

/** A status as a coloured chip; the text is the status itself, so colour is never the only cue. */
export function StatusChip({ source, label: _label }: { source: string; label?: string }) {
  const record = useRecordContext();
  const status = record?.[source];
  if (typeof status !== 'string') return null;
  return <Chip size="small" label={status.replaceAll('_', ' ')} color={statusColor(status)} />;
}
