import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame, NoChartData } from '../fields/ChartFrame';
import { formatMoney, toMajor } from '../fields/money';

const COLOURS = ['#1976d2', '#2e7d32', '#ef6c00', '#6a1b9a', '#c62828', '#00838f'];

interface DayTotals {
  day: string;
  currency: string;
  netMinor: number;
}

/** Net revenue per day, one line per currency (amounts never mixed across currencies). */
export function RevenueChart({ data }: { data: DayTotals[] }) {
  if (data.length === 0) return <NoChartData>No revenue in this range.</NoChartData>;
  const currencies = [...new Set(data.map((d) => d.currency))].sort();
  const byDay = new Map<string, Record<string, number | string>>();
  for (const d of data) {
    const point = byDay.get(d.day) ?? { day: d.day };
    point[d.currency] = toMajor(d.netMinor, d.currency);
    byDay.set(d.day, point);
  }
  const totals = currencies.map((c) =>
    formatMoney(
      data.filter((d) => d.currency === c).reduce((sum, d) => sum + d.netMinor, 0),
      c,
    ),
  );
  return (
    <ChartFrame label="Net revenue per day" summary={`Net revenue: ${totals.join(', ')}`}>
      <LineChart data={[...byDay.values()]}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="day" />
        <YAxis />
        <Tooltip />
        <Legend />
        {currencies.map((currency, i) => (
          <Line
            key={currency}
            type="monotone"
            dataKey={currency}
            name={`${currency} net`}
            stroke={COLOURS[i % COLOURS.length]}
            dot={false}
          />
        ))}
      </LineChart>
    </ChartFrame>
  );
}

/** Gross and refunds per gateway and currency. */
export function GatewayChart({
  data,
}: {
  data: { gateway: string; currency: string; grossMinor: number; refundsMinor: number }[];
}) {
  if (data.length === 0) return <NoChartData>No payments in this range.</NoChartData>;
  const points = data.map((d) => ({
    label: `${d.gateway} (${d.currency})`,
    gross: toMajor(d.grossMinor, d.currency),
    refunds: toMajor(d.refundsMinor, d.currency),
  }));
  return (
    <ChartFrame
      label="Revenue by gateway"
      summary={data
        .map(
          (d) =>
            `${d.gateway}: ${formatMoney(d.grossMinor, d.currency)} gross, ${formatMoney(d.refundsMinor, d.currency)} refunded`,
        )
        .join('; ')}
    >
      <BarChart data={points}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" />
        <YAxis />
        <Tooltip />
        <Legend />
        <Bar dataKey="gross" name="Gross" fill="#1976d2" />
        <Bar dataKey="refunds" name="Refunds" fill="#c62828" />
      </BarChart>
    </ChartFrame>
  );
}

interface DriverFigures {
  driver: string;
  succeeded: number;
  failed: number;
  other: number;
  successRate: number | null;
  p50Seconds: number | null;
  p90Seconds: number | null;
}

export function FulfillmentChart({ data }: { data: DriverFigures[] }) {
  if (data.length === 0) return <NoChartData>No fulfillment records in this range.</NoChartData>;
  return (
    <ChartFrame
      label="Fulfillment successes and failures by driver"
      summary={data
        .map(
          (d) =>
            `${d.driver}: ${d.succeeded} succeeded, ${d.failed} failed${d.successRate === null ? '' : ` (${(d.successRate * 100).toFixed(1)}%)`}`,
        )
        .join('; ')}
    >
      <BarChart data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="driver" />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Bar dataKey="succeeded" name="Succeeded" stackId="r" fill="#2e7d32" />
        <Bar dataKey="failed" name="Failed" stackId="r" fill="#c62828" />
        <Bar dataKey="other" name="Not finished" stackId="r" fill="#90a4ae" />
      </BarChart>
    </ChartFrame>
  );
}

/**
 * The unit that shows the largest time with a readable bar and the smallest as more than nothing:
 * seconds under two minutes, minutes under two hours, hours above (a p50 of 1 s plotted in minutes
 * was a bar of 0).
 */
export function timeUnitFor(maxSeconds: number): { name: string; short: string; seconds: number } {
  if (maxSeconds < 120) return { name: 'seconds', short: 's', seconds: 1 };
  if (maxSeconds < 7_200) return { name: 'minutes', short: 'min', seconds: 60 };
  return { name: 'hours', short: 'h', seconds: 3_600 };
}

export function TimeToFulfilChart({ data }: { data: DriverFigures[] }) {
  const timed = data.filter((d) => d.p50Seconds !== null);
  if (timed.length === 0) return <NoChartData>No fulfilled records in this range.</NoChartData>;
  const unit = timeUnitFor(Math.max(...timed.map((d) => d.p90Seconds ?? d.p50Seconds ?? 0)));
  const points = timed.map((d) => ({
    driver: d.driver,
    p50: (d.p50Seconds ?? 0) / unit.seconds,
    p90: (d.p90Seconds ?? 0) / unit.seconds,
  }));
  const label = `Time from payment to fulfilled, by driver (${unit.name})`;
  return (
    <ChartFrame
      label={label}
      summary={timed.map((d) => `${d.driver}: p50 ${d.p50Seconds} s, p90 ${d.p90Seconds} s`).join('; ')}
    >
      <BarChart data={points}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="driver" />
        <YAxis unit={` ${unit.short}`} />
        <Tooltip />
        <Legend />
        <Bar dataKey="p50" name={`p50 (${unit.name})`} fill="#1976d2" />
        <Bar dataKey="p90" name={`p90 (${unit.name})`} fill="#ef6c00" />
      </BarChart>
    </ChartFrame>
  );
}
