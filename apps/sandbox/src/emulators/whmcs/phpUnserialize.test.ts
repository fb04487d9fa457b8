import { describe, expect, it } from 'vitest';
import { decodeCustomFields, phpUnserialize } from './phpUnserialize';

describe('phpUnserialize', () => {
  it('reads arrays with integer and string keys, counting string lengths in bytes', () => {
    expect(phpUnserialize('a:3:{i:1;s:6:"東京";s:3:"qty";i:2;i:5;b:1;}')).toEqual(
      new Map<string | number, unknown>([
        [1, '東京'],
        ['qty', 2],
        [5, true],
      ]),
    );
    expect(phpUnserialize('a:1:{i:0;a:1:{i:0;N;}}')).toEqual(new Map([[0, new Map([[0, null]])]]));
  });

  it('refuses a wrong length, an unknown type and trailing data', () => {
    expect(() => phpUnserialize('s:3:"東京";')).toThrow();
    expect(() => phpUnserialize('O:8:"stdClass":0:{}')).toThrow(/unsupported type "O"/);
    expect(() => phpUnserialize('i:1;i:2;')).toThrow(/unexpected data/);
  });
});

describe('decodeCustomFields', () => {
  it('decodes base64 serialized field id -> value pairs and rejects anything else', () => {
    const encoded = Buffer.from('a:1:{i:1;s:7:"CN-0042";}').toString('base64');
    expect(decodeCustomFields(encoded)).toEqual(new Map([[1, 'CN-0042']]));
    expect(decodeCustomFields(Buffer.from('s:1:"x";').toString('base64'))).toEqual({
      error: 'customfields is not a base64 encoded serialized array',
    });
    expect(decodeCustomFields(Buffer.from('a:1:{s:4:"name";s:1:"x";}').toString('base64'))).toEqual({
      error: 'customfields key "name" is not a field id',
    });
  });
});
