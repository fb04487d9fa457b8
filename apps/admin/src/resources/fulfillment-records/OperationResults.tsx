import { Button, Dialog, DialogActions, DialogContent, DialogTitle, List, ListItem, ListItemText } from '@mui/material';

export interface OperationResult {
  recordId: string;
  ok: boolean;
  message: string;
}

/** What a bulk action did to each record: one line per record, refusals with their reason. */
export function OperationResults({
  title,
  results,
  onClose,
}: {
  title: string;
  results: OperationResult[] | null;
  onClose: () => void;
}) {
  const done = results?.filter((r) => r.ok).length ?? 0;
  return (
    <Dialog open={results !== null} onClose={onClose} aria-labelledby="operation-results-title" fullWidth>
      <DialogTitle id="operation-results-title">
        {title}: {done} of {results?.length ?? 0} done
      </DialogTitle>
      <DialogContent>
        <List dense aria-label="Result per record">
          {results?.map((r) => (
            <ListItem key={r.recordId}>
              <ListItemText
                primary={`${r.ok ? 'Done' : 'Refused'} — ${r.recordId.slice(0, 8)}`}
                secondary={r.message}
                slotProps={{ primary: { color: r.ok ? 'success.main' : 'error' } }}
              />
            </ListItem>
          ))}
        </List>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
