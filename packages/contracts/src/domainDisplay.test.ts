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

  it('decodes punycode as the domainToUnicode of node:url does, in every script it is tried on', () => {
    // Pairs from node:url's domainToASCII and domainToUnicode.
    const pairs = [
      ['xn--bcher-kva.de', 'bücher.de'],
      ['xn--e1afmkfd.xn--p1ai', 'пример.рф'],
      ['xn--r8jz45g.jp', '例え.jp'],
      ['xn--3e0b707e.kr', '한국.kr'],
      ['xn--hxakic4aa.gr', 'ελλάδα.gr'],
      ['xn--mgbh0fb.xn--kgbechtv', 'مثال.إختبار'],
      ['xn----rgahee.es', 'ôöõ-ñ.es'],
    ];
    for (const [ascii, unicode] of pairs) {
      expect(domainToUnicode(ascii ?? '')).toBe(unicode);
      expect(describeDomain(unicode ?? '').ascii).toBe(ascii);
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
