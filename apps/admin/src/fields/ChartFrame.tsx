import { Typography } from '@mui/material';
import type { ReactElement, ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';

const HEIGHT = 260;

/** A chart at the back office's one height, named for screen readers, with its text summary beside it. */
export function ChartFrame({ label, summary, children }: { label: string; summary: string; children: ReactElement }) {
  return (
    <div role="img" aria-label={label}>
      <Typography variant="body2" sx={{ position: 'absolute', left: -10_000 }}>
        {summary}
      </Typography>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        {children}
      </ResponsiveContainer>
    </div>
  );
}

/** What a chart shows when there is nothing to draw. */
export function NoChartData({ children }: { children: ReactNode }) {
  return <Typography color="text.secondary">{children}</Typography>;
}
