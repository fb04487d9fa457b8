import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Box, Button, Card, CardContent, CardHeader, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNotify, useRefresh } from 'react-admin';
import { useBackOffice } from '../../permissions';
import { ImportReport, type ImportResult } from './ImportReport';

/**
 * Seed 000 "Upload CSV file": choose a file, see what it would do (refused rows by line,
 * duplicates), then import it. The server checks everything again and imports all or nothing.
 */
export function ImportCsv({ poolSlug }: { poolSlug: string }) {
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [report, setReport] = useState<ImportResult | null>(null);
  const check = useMutation({
    mutationFn: (text: string) => backOffice.previewImport(poolSlug, text),
    onSuccess: setPreview,
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  const load = useMutation({
    mutationFn: () => backOffice.importInventory(poolSlug, file?.text ?? ''),
    onSuccess: (result) => {
      setReport(result);
      setPreview(null);
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });

  const choose = async (chosen: File | undefined) => {
    setReport(null);
    setPreview(null);
    if (!chosen) return setFile(null);
    const text = await chosen.text();
    setFile({ name: chosen.name, text });
    check.mutate(text);
  };

  return (
    <Card variant="outlined">
      <CardHeader title="Import accounts from CSV" titleTypographyProps={{ component: 'h2', variant: 'h6' }} />
      <CardContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          Columns <code>email,password,notes</code> (notes optional). One bad row and nothing is imported; accounts
          already in the pool are skipped.
        </Typography>
        <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', mb: 2 }}>
          <Button component="label" variant="outlined" startIcon={<UploadFileIcon />}>
            Choose CSV file
            <input
              hidden
              type="file"
              accept=".csv,text/csv"
              aria-label="CSV file"
              onChange={(event) => void choose(event.target.files?.[0])}
            />
          </Button>
          <Typography>{file ? file.name : 'No file chosen'}</Typography>
        </Box>
        {check.isPending && <Typography>Checking the file…</Typography>}
        {preview && <ImportReport result={preview} />}
        {preview && preview.errors.length === 0 && (
          <Button
            variant="contained"
            sx={{ mt: 2 }}
            disabled={load.isPending || preview.imported === 0}
            onClick={() => load.mutate()}
          >
            Import {preview.imported} account(s)
          </Button>
        )}
        {load.isPending && <Typography>Importing…</Typography>}
        {report && <ImportReport result={report} />}
      </CardContent>
    </Card>
  );
}
