import { Button } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { Link } from 'react-router-dom';

/** Alerts about what a failed rollback holds: where ops act on it. */
const ABOUT_QUARANTINE = new Set(['rollback_failure', 'inventory_quarantined']);

export function QuarantineLink() {
  const alert = useRecordContext<{ type: string }>();
  if (!alert || !ABOUT_QUARANTINE.has(alert.type)) return null;
  return (
    <Button size="small" component={Link} to="/quarantine" onClick={(event) => event.stopPropagation()}>
      Open Quarantine
    </Button>
  );
}
