import ChevronLeft from '@mui/icons-material/ChevronLeft';
import ChevronRight from '@mui/icons-material/ChevronRight';
import { Box, IconButton, MenuItem, TextField, Typography } from '@mui/material';
import { useListContext } from 'react-admin';
import { isExportableList } from '../dataProvider';
import { ListTotals } from './ListExport';

/** Below this, the pages themselves say how much there is; above it, the estimate helps. */
const WORTH_ESTIMATING = 1000;

/**
 * Next and previous only: these lists page by cursor, so there is no page count. For large
 * results the database planner's estimate is shown, and says it is one.
 */
export function KeysetPagination() {
  const { meta, isPending, page, perPage, setPage, setPerPage, hasNextPage, hasPreviousPage, data, resource } =
    useListContext();
  const estimate = (meta as { estimatedTotal?: number | null } | undefined)?.estimatedTotal;
  if (isPending) return null;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'flex-end', gap: 2, p: 1 }}>
      {/* The exact count (capped) where the list has one; the planner's estimate elsewhere. */}
      {isExportableList(resource) && <ListTotals />}
      {!isExportableList(resource) && typeof estimate === 'number' && estimate >= WORTH_ESTIMATING && (
        <Typography variant="body2" color="text.secondary">
          About {estimate.toLocaleString()} matching (an estimate)
        </Typography>
      )}
      <TextField
        select
        size="small"
        label="Rows per page"
        value={perPage}
        onChange={(event) => setPerPage(Number(event.target.value))}
      >
        {[25, 50, 100].map((n) => (
          <MenuItem key={n} value={n}>
            {n}
          </MenuItem>
        ))}
      </TextField>
      <Typography variant="body2" aria-live="polite">
        Page {page}
        {data ? ` (${data.length} shown)` : ''}
      </Typography>
      <IconButton aria-label="Previous page" disabled={!hasPreviousPage} onClick={() => setPage(page - 1)}>
        <ChevronLeft />
      </IconButton>
      <IconButton aria-label="Next page" disabled={!hasNextPage} onClick={() => setPage(page + 1)}>
        <ChevronRight />
      </IconButton>
    </Box>
  );
}
