import { InvalidArgumentError } from 'commander';

/** A positive whole number. */
export function limitOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number from 1');
  return n;
}

/** `--from` and `--to` days as the lists' createdFrom/createdTo (UTC days). */
export function dayRange(from?: string, to?: string): { createdFrom?: Date; createdTo?: Date } {
  const day = (value: string, edge: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a day like 2026-11-30`);
    return new Date(`${value}T${edge}Z`);
  };
  return {
    ...(from ? { createdFrom: day(from, '00:00:00.000') } : {}),
    ...(to ? { createdTo: day(to, '23:59:59.999') } : {}),
  };
}
