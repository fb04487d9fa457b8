import { Typography } from '@mui/material';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

const HEIGHT = 260;

function Empty({ what }: { what: string }) {
  return <Typography color="text.secondary">No {what} yet.</Typography>;
}

/** Each chart has a text summary beside it for screen readers. */
function Summary({ text }: { text: string }) {
  return (
    <Typography variant="body2" sx={{ position: 'absolute', left: -10_000 }}>
      {text}
    </Typography>
  );
}

export function StatusChart({ data }: { data: { status: string; count: number }[] }) {
  if (data.length === 0) return <Empty what="fulfillment records" />;
  return (
    <div role="img" aria-label="Fulfillment records by status">
      <Summary text={data.map((d) => `${d.status}: ${d.count}`).join(', ')} />
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="status" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Bar dataKey="count" name="Records" fill="#1976d2" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function FailuresChart({ data }: { data: { hour: Date; failures: number; alerts: number }[] }) {
  const points = data.map((d) => ({ ...d, label: new Date(d.hour).toLocaleTimeString([], { hour: '2-digit' }) }));
  return (
    <div role="img" aria-label="Failures and alerts per hour, last 24 hours">
      <Summary
        text={`${data.reduce((s, d) => s + d.failures, 0)} failures and ${data.reduce((s, d) => s + d.alerts, 0)} alerts`}
      />
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={points}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Line type="monotone" dataKey="failures" name="Failures" stroke="#c62828" dot={false} />
          <Line type="monotone" dataKey="alerts" name="Alerts" stroke="#ef6c00" dot={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function InventoryChart({
  data,
}: {
  data: { pool: string; available: number; reserved: number; assigned: number; threshold: number }[];
}) {
  if (data.length === 0) return <Empty what="inventory pools" />;
  return (
    <div role="img" aria-label="Inventory by pool">
      <Summary text={data.map((d) => `${d.pool}: ${d.available} available (threshold ${d.threshold})`).join(', ')} />
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="pool" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar dataKey="available" name="Available" stackId="stock" fill="#2e7d32" />
          <Bar dataKey="reserved" name="Reserved" stackId="stock" fill="#ef6c00" />
          <Bar dataKey="assigned" name="Assigned" stackId="stock" fill="#90a4ae" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
