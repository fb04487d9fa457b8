const isLink = (value: unknown): value is string => typeof value === 'string' && /^https?:\/\//.test(value);

const humanize = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ');

/**
 * What a delivery's result holds that can be shown as it is: plain values, links as links, each
 * under the name its driver gives it for customers (`labels`; null hides it). A driver's own
 * view shows the rest (`omit` leaves out what it shows itself).
 */
export function ResultDetails({
  result,
  labels = {},
  omit = [],
}: {
  result: Record<string, unknown>;
  labels?: Record<string, string | null>;
  omit?: string[];
}) {
  const entries = Object.entries(result).filter(
    ([key, value]) => !omit.includes(key) && labels[key] !== null && value !== null && typeof value !== 'object',
  );
  if (entries.length === 0) return null;
  return (
    <dl className="details">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{labels[key] ?? humanize(key)}</dt>
          <dd>{isLink(value) ? <a href={value}>{value}</a> : String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
