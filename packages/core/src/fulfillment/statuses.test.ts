import { describe, expect, it } from 'vitest';
import { deriveOrderFulfillmentStatus as derive } from './statuses';

describe('deriveOrderFulfillmentStatus', () => {
  it('is pending with no records or only queued ones', () => {
    expect(derive([])).toBe('pending');
    expect(derive(['queued', 'queued'])).toBe('pending');
  });

  it('completes when every record is done, and is active only once all are active (seed 000)', () => {
    expect(derive(['completed', 'active'])).toBe('completed');
    expect(derive(['active', 'active'])).toBe('active');
    expect(derive(['active', 'cancelled'])).toBe('active');
  });

  it('fails when every record failed, and partially fails when some got through', () => {
    expect(derive(['failed', 'failed'])).toBe('failed');
    expect(derive(['failed', 'completed'])).toBe('partially_failed');
    expect(derive(['failed', 'processing'])).toBe('partially_failed');
  });

  it('shows what is outstanding: a manual task, then waiting, then processing, then scheduled', () => {
    expect(derive(['completed', 'manual_pending', 'awaiting_provider'])).toBe('manual_pending');
    expect(derive(['completed', 'awaiting_inventory', 'processing'])).toBe('waiting');
    expect(derive(['draft', 'completed'])).toBe('waiting');
    expect(derive(['completed', 'processing', 'queued'])).toBe('processing');
    expect(derive(['completed', 'scheduled'])).toBe('scheduled');
  });

  it('is cancelled only when all records are, and suspended when delivered records are suspended', () => {
    expect(derive(['cancelled', 'cancelled'])).toBe('cancelled');
    expect(derive(['suspended', 'cancelled'])).toBe('suspended');
    expect(derive(['suspended', 'active'])).toBe('suspended');
    expect(derive(['suspended', 'processing'])).toBe('processing');
  });
});
