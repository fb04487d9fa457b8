import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { Conditions, containing, decodeCursor, encodeCursor } from './sql';

describe('keyset cursors', () => {
  it('come back exactly as they went out, microseconds and all', () => {
    const cursor = { at: '2026-11-23 10:15:00.123456+00', id: '3f2b8c1e-6d4a-4f7e-9b2c-1a5d8e0f4c3b' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor(encodeCursor({ at: '2026-11-23 10:15:00+00', id: 42 }), 'bigint')).toEqual({
      at: '2026-11-23 10:15:00+00',
      id: 42,
    });
  });

  it('refuse anything that is not one, with a message a person can act on', () => {
    for (const bad of ['not-a-cursor', encodeCursor({ at: '', id: 'x' }), Buffer.from('[1,2]').toString('base64url')]) {
      expect(() => decodeCursor(bad)).toThrow(ValidationError);
    }
    expect(() => decodeCursor('x')).toThrow('That page link is not valid; go back to the first page');
  });
});

describe('list conditions', () => {
  it('skip filters left empty and keep parameters in the order of their clauses', () => {
    const where = new Conditions()
      .when('failed', 'status = ?')
      .when('', 'driver = ?')
      .when(undefined, 'network = ?')
      .when('example.com', 'subject ilike ?', containing);
    expect(where.sql).toBe('where status = ? and subject ilike ?');
    expect(where.params).toEqual(['failed', '%example.com%']);
    expect(new Conditions().sql).toBe('');
  });

  it('take % and _ in a search literally', () => {
    expect(containing('50%_off')).toBe('%50\\%\\_off%');
  });
});
