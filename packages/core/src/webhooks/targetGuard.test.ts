import { describe, expect, it } from 'vitest';
import { parseNetworks, WebhookTargetGuard } from './targetGuard';

describe('WebhookTargetGuard', () => {
  const strict = new WebhookTargetGuard({ allowedNetworks: [] });
  const dev = new WebhookTargetGuard({ allowedNetworks: ['127.0.0.0/8', '::1/128'] });

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
    '224.0.0.1',
  ])('refuses %s', (address) => {
    expect(strict.refusal(address)).toMatch(/private, loopback, link-local or reserved/);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.216.34'])(
    'lets %s through',
    (address) => {
      expect(strict.refusal(address)).toBeNull();
    },
  );

  it('lets the listed networks through, and only those', () => {
    expect(dev.refusal('127.0.0.1')).toBeNull();
    expect(dev.refusal('::1')).toBeNull();
    expect(dev.refusal('10.0.0.1')).not.toBeNull();
  });

  it('checks an address before it is saved: https, or plain http to an allowed network only', async () => {
    expect(await strict.check('https://127.0.0.1:8443/hook')).toMatch(/127\.0\.0\.1 is a private/);
    expect(await strict.check('http://[::1]:8080/hook')).toMatch(/::1 is a private/);
    expect(await strict.check('https://localhost/hook')).toMatch(/localhost resolves to .* private/);
    expect(await dev.check('http://127.0.0.1:8080/hook')).toBeNull();
    expect(await dev.check('http://93.184.216.34/hook')).toMatch(/only https/);
    expect(await strict.check('https://93.184.216.34/hook')).toBeNull();
    expect(await strict.check('https://user:pw@93.184.216.34/hook')).toMatch(/no user name/);
    expect(await strict.check('ftp://93.184.216.34/')).toMatch(/only https/);
  });

  it('names the bad network in a list of allowed networks', () => {
    expect(parseNetworks(' 127.0.0.0/8, ::1/128 ')).toEqual(['127.0.0.0/8', '::1/128']);
    expect(() => parseNetworks('127.0.0.0/8,localhost')).toThrow(/"localhost" is not a network/);
    expect(() => parseNetworks('10.0.0.0/33')).toThrow(/not a network/);
  });
});
