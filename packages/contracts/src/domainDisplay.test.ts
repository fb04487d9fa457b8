import { domainToASCII, domainToUnicode as nodeToUnicode } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeDomain, domainToUnicode } from './domainDisplay';

describe('how a domain is shown', () => {
  it('shows the provisioned ASCII form, with the Unicode form beside it only when they differ', () => {
    expect(describeDomain('Bücher.de.')).toEqual({
      ascii: 'xn--bcher-kva.de',
      unicode: 'bücher.de',
      mixedScripts: false,
    });
    expect(describeDomain('mybusiness.com')).toEqual({
      ascii: 'mybusiness.com',
      unicode: 'mybusiness.com',
      mixedScripts: false,
    });
    expect(describeDomain('xn--bcher-kva.de').unicode).toBe('bücher.de');
  });

  it('decodes punycode as Node does, for every script it is tried on', () => {
    for (const name of [
      'bücher.de',
      'пример.рф',
      '例え.jp',
      '한국.kr',
      'ελλάδα.gr',
      'مثال.إختبار',
      'ôöõ-ñ.es',
      'a.b.xn--p1ai',
    ]) {
      const ascii = domainToASCII(name);
      expect(domainToUnicode(ascii)).toBe(nodeToUnicode(ascii));
    }
    // A label that is not valid punycode is left as it is.
    expect(domainToUnicode('xn--zz!.com')).toBe('xn--zz!.com');
  });

  it('warns when a label mixes alphabets, as look-alikes do, but not for scripts written together', () => {
    // "аpple.com" with a Cyrillic а.
    const lookalike = describeDomain('\u0430pple.com');
    expect(lookalike.ascii).toBe('xn--pple-43d.com');
    expect(lookalike.unicode).toBe('\u0430pple.com');
    expect(lookalike.mixedScripts).toBe(true);
    expect(describeDomain('pаypаl.com').mixedScripts).toBe(true);
    expect(describeDomain('пример.рф').mixedScripts).toBe(false);
    expect(describeDomain('bücher.de').mixedScripts).toBe(false);
    expect(describeDomain('例えばtokyo.jp').mixedScripts).toBe(false);
    expect(describeDomain('ひらがなカタカナ漢字.jp').mixedScripts).toBe(false);
    // Each label on its own: a Cyrillic label beside a Latin one is not mixed.
    expect(describeDomain('пример.example.com').mixedScripts).toBe(false);
  });
});
