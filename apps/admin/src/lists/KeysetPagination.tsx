import { Box, Typography } from '@mui/material';
import { Pagination, useListContext } from 'react-admin';

/**
 * Next and previous only: these lists page by cursor, so there is no page count. The total
 * shown is the database planner's estimate, and says so.
 */
export function KeysetPagination() {
  const { meta, isPending } = useListContext();
  const estimate = (meta as { estimatedTotal?: number | null } | undefined)?.estimatedTotal;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'flex-end', gap: 2 }}>
      {!isPending && typeof estimate === 'number' && (
        <Typography variant="body2" color="text.secondary">
          About {estimate.toLocaleString()} matching (estimate)
        </Typography>
      )}
      <Pagination rowsPerPageOptions={[25, 50, 100]} />
    </Box>
  );
}
