import { describe, expect, it } from 'vitest';
import { encodeCustomFields } from './phpSerialize';

describe('encodeCustomFields', () => {
  it("writes PHP's serialize() of field id -> value, lengths in bytes, base64-encoded", () => {
    const decoded = (fields: Record<number, string>) =>
      Buffer.from(encodeCustomFields(fields), 'base64').toString('utf8');
    expect(decoded({ 1: 'CN-0042' })).toBe('a:1:{i:1;s:7:"CN-0042";}');
    expect(decoded({ 3: '東京', 9: '' })).toBe('a:2:{i:3;s:6:"東京";i:9;s:0:"";}');
  });
});
