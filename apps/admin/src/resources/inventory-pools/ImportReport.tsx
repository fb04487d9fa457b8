import { Alert, List, ListItem, ListItemText, Typography } from '@mui/material';

export interface ImportResult {
  preview: boolean;
  imported: number;
  skippedDuplicates: { line: number; email: string; reason: string }[];
  errors: { line: number; message: string }[];
}

/** What a CSV preview found, or what an import did: counts, refused rows by line, skipped duplicates. */
export function ImportReport({ result }: { result: ImportResult }) {
  const refused = result.errors.length > 0;
  return (
    <section aria-label={result.preview ? 'Preview' : 'Import report'}>
      {refused ? (
        <Alert severity="error">
          {result.errors.length} row(s) cannot be imported. Nothing {result.preview ? 'will be' : 'was'} imported: fix
          the file and choose it again.
        </Alert>
      ) : result.preview ? (
        <Alert severity="info">{result.imported} account(s) ready to import.</Alert>
      ) : (
        <Alert severity="success">Imported {result.imported} account(s).</Alert>
      )}
      {refused && (
        <List dense aria-label="Refused rows">
          {result.errors.map((e) => (
            <ListItem key={`${e.line}-${e.message}`}>
              <ListItemText primary={`Line ${e.line}: ${e.message}`} />
            </ListItem>
          ))}
        </List>
      )}
      {result.skippedDuplicates.length > 0 && (
        <>
          <Typography variant="subtitle2" sx={{ mt: 1 }}>
            Skipped duplicates ({result.skippedDuplicates.length})
          </Typography>
          <List dense aria-label="Skipped duplicates">
            {result.skippedDuplicates.map((d) => (
              <ListItem key={d.line}>
                <ListItemText primary={`Line ${d.line}: ${d.email} — ${d.reason}`} />
              </ListItem>
            ))}
          </List>
        </>
      )}
    </section>
  );
}
