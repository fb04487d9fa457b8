import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame, NoChartData } from '../fields/ChartFrame';

/** `≈ 203,000` for a planner's estimate, `12` for an exact count. */
const countText = (d: { count: number; approximate: boolean }) =>
  `${d.approximate ? '≈ ' : ''}${d.count.toLocaleString()}`;

export function StatusChart({ data }: { data: { status: string; count: number; approximate: boolean }[] }) {
  if (data.length === 0) return <NoChartData>No fulfillment records yet.</NoChartData>;
  const approximate = data.some((d) => d.approximate);
  return (
    <ChartFrame
      label="Fulfillment records by status"
      summary={`${data.map((d) => `${d.status}: ${countText(d)}`).join(', ')}${approximate ? ' (≈: estimated by the database)' : ''}`}
    >
      <BarChart data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="status" />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Bar dataKey="count" name="Records" fill="#1976d2" />
      </BarChart>
    </ChartFrame>
  );
}

export function FailuresChart({ data }: { data: { hour: Date; failures: number; alerts: number }[] }) {
  const points = data.map((d) => ({ ...d, label: new Date(d.hour).toLocaleTimeString([], { hour: '2-digit' }) }));
  return (
    <ChartFrame
      label="Failures and alerts per hour, last 24 hours"
      summary={`${data.reduce((s, d) => s + d.failures, 0)} failures and ${data.reduce((s, d) => s + d.alerts, 0)} alerts`}
    >
      <LineChart data={points}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Line type="monotone" dataKey="failures" name="Failures" stroke="#c62828" dot={false} />
        <Line type="monotone" dataKey="alerts" name="Alerts" stroke="#ef6c00" dot={false} />
      </LineChart>
    </ChartFrame>
  );
}

export function InventoryChart({
  data,
}: {
  data: { pool: string; available: number; reserved: number; assigned: number; threshold: number }[];
}) {
  if (data.length === 0) return <NoChartData>No inventory pools yet.</NoChartData>;
  return (
    <ChartFrame
      label="Inventory by pool"
      summary={data.map((d) => `${d.pool}: ${d.available} available (threshold ${d.threshold})`).join(', ')}
    >
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
    </ChartFrame>
  );
}
