import { Box, Typography } from '@mui/material';

/** A JSON value, formatted, in a scrollable block with a visible caption. */
export function JsonBlock({ title, value }: { title: string; value: unknown }) {
  const id = `json-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <Box sx={{ mb: 2 }}>
      <Typography variant="subtitle2" id={id}>
        {title}
      </Typography>
      <Box
        component="pre"
        aria-labelledby={id}
        sx={{ m: 0, p: 1.5, bgcolor: 'action.hover', borderRadius: 1, overflow: 'auto', maxHeight: 400, fontSize: 13 }}
      >
        {value === null || value === undefined ? '(none)' : JSON.stringify(value, null, 2)}
      </Box>
    </Box>
  );
}
