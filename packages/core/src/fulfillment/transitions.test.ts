import { describe, expect, it } from 'vitest';
import { isAllowedTransition, TRANSITIONS } from './transitions';

describe('the transitions table', () => {
  it('lets the engine start, park and finish a record, and nobody else', () => {
    expect(isAllowedTransition('queued', 'processing', 'engine')).toBe(true);
    expect(isAllowedTransition('processing', 'awaiting_provider', 'engine')).toBe(true);
    expect(isAllowedTransition('awaiting_provider', 'completed', 'engine')).toBe(true);
    expect(isAllowedTransition('processing', 'failed', 'engine')).toBe(true);
    expect(isAllowedTransition('queued', 'processing', 'operator')).toBe(false);
    expect(isAllowedTransition('processing', 'completed', 'operator')).toBe(false);
  });

  it('lets staff retry only a failure, and cancel or re-run from a step only what is not delivered', () => {
    expect(isAllowedTransition('failed', 'queued', 'operator')).toBe(true);
    expect(isAllowedTransition('queued', 'cancelled', 'operator')).toBe(true);
    expect(isAllowedTransition('completed', 'cancelled', 'operator')).toBe(false);
    expect(isAllowedTransition('completed', 'queued', 'operator')).toBe(false);
    expect(isAllowedTransition('cancelled', 'queued', 'operator')).toBe(false);
  });

  it('lets a customer resubmit only a draft, the DNS check activate only a completed record', () => {
    expect(isAllowedTransition('draft', 'queued', 'customer')).toBe(true);
    expect(isAllowedTransition('failed', 'queued', 'customer')).toBe(false);
    expect(isAllowedTransition('completed', 'active', 'provider')).toBe(true);
    expect(isAllowedTransition('processing', 'active', 'provider')).toBe(false);
  });

  it('lets what money does afterwards suspend or cancel a delivered record', () => {
    expect(isAllowedTransition('active', 'suspended', 'lifecycle')).toBe(true);
    expect(isAllowedTransition('suspended', 'cancelled', 'lifecycle')).toBe(true);
    expect(isAllowedTransition('failed', 'suspended', 'lifecycle')).toBe(false);
  });

  it('lets ops schedule an approved record, and the date or "Activate now" start it (seed 004)', () => {
    expect(isAllowedTransition('queued', 'scheduled', 'operator')).toBe(true);
    expect(isAllowedTransition('scheduled', 'queued', 'schedule')).toBe(true);
    expect(isAllowedTransition('scheduled', 'queued', 'operator')).toBe(true);
    expect(isAllowedTransition('scheduled', 'queued', 'customer')).toBe(false);
    expect(isAllowedTransition('processing', 'scheduled', 'operator')).toBe(false);
  });

  it('lets a payment that comes back restore a suspended record, and nothing else', () => {
    expect(isAllowedTransition('suspended', 'active', 'lifecycle')).toBe(true);
    expect(isAllowedTransition('suspended', 'completed', 'lifecycle')).toBe(true);
    expect(isAllowedTransition('suspended', 'active', 'operator')).toBe(false);
    expect(isAllowedTransition('cancelled', 'active', 'lifecycle')).toBe(false);
  });

  it('never moves a record out of cancelled', () => {
    expect(TRANSITIONS.filter((rule) => rule.from.includes('cancelled'))).toEqual([]);
  });
});
