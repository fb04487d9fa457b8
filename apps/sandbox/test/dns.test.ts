import { createSocket } from 'node:dgram';
import { type AddressInfo, connect } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dohEmulator } from '../src/emulators/dns/dohEmulator';
import { registrarEmulator } from '../src/emulators/dns/registrarEmulator';
import { type DnsServer, startDnsServer } from '../src/emulators/dns/server';
import { ZoneStore } from '../src/emulators/dns/zones';
import { createSandbox } from '../src/sandbox';

type Question = dnsPacket.Question;

describe('sandbox DNS: registrar, DNS server and DNS-over-HTTPS', () => {
  const zones = new ZoneStore();
  let app: FastifyInstance;
  let dns: DnsServer;
  let base: string;

  const udpQuery = (message: Buffer) =>
    new Promise<Buffer>((resolve, reject) => {
      const socket = createSocket('udp4');
      const timer = setTimeout(() => {
        socket.close();
        reject(new Error('no DNS answer'));
      }, 2000);
      socket.once('message', (reply) => {
        clearTimeout(timer);
        socket.close();
        resolve(reply);
      });
      socket.send(message, dns.port, '127.0.0.1');
    });
  const ask = async (question: Question, flags = dnsPacket.RECURSION_DESIRED) =>
    dnsPacket.decode(await udpQuery(dnsPacket.encode({ type: 'query', id: 4242, flags, questions: [question] })));
  const askTcp = (question: Question) =>
    new Promise<dnsPacket.DecodedPacket>((resolve, reject) => {
      const socket = connect(dns.port, '127.0.0.1');
      let received = Buffer.alloc(0);
      socket.on('error', reject);
      socket.on('data', (chunk) => {
        received = Buffer.concat([received, chunk]);
        if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
          socket.end();
          resolve(dnsPacket.decode(received.subarray(2)));
        }
      });
      socket.write(dnsPacket.streamEncode({ type: 'query', id: 7, questions: [question] }));
    });
  const setNameservers = (domain: string, nameservers: string[]) =>
    fetch(`${base}/_control/registrar/domains/${encodeURIComponent(domain)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nameservers }),
    });
  const postForm = (path: string, fields: Record<string, string>) =>
    fetch(`${base}/registrar${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
  const doh = async (query: string) => {
    const res = await fetch(`${base}/dns/resolve?${query}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    app = await createSandbox({
      emulators: [dohEmulator(zones), registrarEmulator(zones)],
      publicUrl: 'http://sandbox.test',
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    dns = await startDnsServer({ zones, port: 0 });
  });
  afterAll(async () => {
    await dns.close();
    await app.close();
  });
  beforeEach(async () => {
    await fetch(`${base}/_control/reset`, { method: 'POST' });
  });

  describe('DNS server', () => {
    it('answers an NS query over UDP with the registrar nameservers, authoritatively, echoing the question', async () => {
      await setNameservers('mybusiness.com', ['ns1.plugsaas.test', 'ns2.plugsaas.test']);
      const reply = await ask({ type: 'NS', name: 'MyBusiness.com' });
      expect(reply).toMatchObject({ id: 4242, type: 'response', rcode: 'NOERROR', flag_aa: true, flag_rd: true });
      expect(reply.questions).toEqual([{ name: 'MyBusiness.com', type: 'NS', class: 'IN' }]);
      expect(reply.answers?.map((a) => [a.name, a.type, 'data' in a ? a.data : null])).toEqual([
        ['MyBusiness.com', 'NS', 'ns1.plugsaas.test'],
        ['MyBusiness.com', 'NS', 'ns2.plugsaas.test'],
      ]);
    });

    it('answers over TCP too', async () => {
      await setNameservers('mybusiness.com', ['ns1.plugsaas.test']);
      const reply = await askTcp({ type: 'NS', name: 'mybusiness.com' });
      expect(reply).toMatchObject({ id: 7, rcode: 'NOERROR' });
      expect(reply.answers?.map((a) => 'data' in a && a.data)).toEqual(['ns1.plugsaas.test']);
    });

    it('answers SOA at the apex, with a serial that grows on each change', async () => {
      await setNameservers('mybusiness.com', ['ns1.plugsaas.test']);
      await setNameservers('mybusiness.com', ['ns3.plugsaas.test']);
      const reply = await ask({ type: 'SOA', name: 'mybusiness.com' });
      expect(reply.answers).toMatchObject([
        { type: 'SOA', data: { mname: 'ns3.plugsaas.test', rname: 'hostmaster.mybusiness.com', serial: 2 } },
      ]);
    });

    it('answers NOERROR with no records and the SOA for another type at a known domain', async () => {
      await setNameservers('mybusiness.com', ['ns1.plugsaas.test']);
      const reply = await ask({ type: 'A', name: 'mybusiness.com' });
      expect(reply).toMatchObject({ rcode: 'NOERROR', answers: [] });
      expect(reply.authorities).toMatchObject([{ type: 'SOA', name: 'mybusiness.com' }]);
    });

    it('answers NXDOMAIN for an unknown domain, and with the SOA for a name under a known one', async () => {
      expect(await ask({ type: 'NS', name: 'nowhere.test' })).toMatchObject({ rcode: 'NXDOMAIN', answers: [] });
      await setNameservers('mybusiness.com', ['ns1.plugsaas.test']);
      const under = await ask({ type: 'NS', name: 'www.mybusiness.com' });
      expect(under).toMatchObject({ rcode: 'NXDOMAIN', answers: [], authorities: [{ type: 'SOA' }] });
    });

    it('answers a message it cannot read with FORMERR and a non-query opcode with NOTIMP', async () => {
      const garbled = dnsPacket.decode(await udpQuery(Buffer.from([0x12, 0x34, 0xff])));
      expect(garbled).toMatchObject({ id: 0x1234, rcode: 'FORMERR' });
      const notify = dnsPacket.decode(
        await udpQuery(
          dnsPacket.encode({ type: 'query', id: 9, flags: 4 << 11, questions: [{ type: 'SOA', name: 'a.test' }] }),
        ),
      );
      expect(notify).toMatchObject({ id: 9, rcode: 'NOTIMP', opcode: 'NOTIFY' });
    });
  });

  describe('DNS-over-HTTPS (Google JSON format)', () => {
    it('answers NS with fully qualified names and type numbers', async () => {
      await setNameservers('mybusiness.com', ['ns1.plugsaas.test', 'ns2.plugsaas.test']);
      expect(await doh('name=mybusiness.com&type=NS')).toEqual({
        status: 200,
        body: {
          Status: 0,
          TC: false,
          RD: true,
          RA: true,
          AD: false,
          CD: false,
          Question: [{ name: 'mybusiness.com.', type: 2 }],
          Answer: [
            { name: 'mybusiness.com.', type: 2, TTL: 300, data: 'ns1.plugsaas.test.' },
            { name: 'mybusiness.com.', type: 2, TTL: 300, data: 'ns2.plugsaas.test.' },
          ],
        },
      });
    });

    it('answers Status 3 for NXDOMAIN, takes the type by number, and looks internationalised names up in ASCII', async () => {
      expect((await doh('name=nowhere.test&type=2')).body).toMatchObject({ Status: 3 });
      expect((await doh('name=nowhere.test&type=2')).body).not.toHaveProperty('Answer');
      await setNameservers('bücher.example', ['ns1.plugsaas.test']);
      expect((await doh(`name=${encodeURIComponent('bücher.example')}&type=NS`)).body).toMatchObject({
        Status: 0,
        Answer: [{ name: 'xn--bcher-kva.example.', data: 'ns1.plugsaas.test.' }],
      });
    });

    it('refuses a missing name or an unknown type with 400 and a message', async () => {
      expect(await doh('type=NS')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^name: /) } });
      expect(await doh('name=a.test&type=BOGUS')).toEqual({
        status: 400,
        body: { error: 'type: unsupported record type "BOGUS"' },
      });
    });
  });

  describe('registrar page', () => {
    it('lists the domains with a labelled nameserver form for each', async () => {
      await setNameservers('mybusiness.com', ['ns1.plugsaas.test', 'ns2.plugsaas.test']);
      const res = await fetch(`${base}/registrar/`);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('<label for="ns-mybusiness-com">Nameservers for mybusiness.com, one per line</label>');
      expect(html).toContain(
        '<textarea id="ns-mybusiness-com" name="nameservers" rows="3" cols="36" required>ns1.plugsaas.test\nns2.plugsaas.test</textarea>',
      );
      expect(html).toContain('<label for="new-domain">Domain</label>');
    });

    it('sets nameservers from the form, and the DNS server answers with them at once', async () => {
      expect(await ask({ type: 'NS', name: 'mybusiness.com' })).toMatchObject({ rcode: 'NXDOMAIN' });
      const saved = await postForm('/domains', {
        domain: 'MyBusiness.com',
        nameservers: 'NS1.plugsaas.test.\r\nns2.plugsaas.test',
      });
      expect(saved.status).toBe(303);
      expect(saved.headers.get('location')).toBe('/registrar/?saved=mybusiness.com');
      const reply = await ask({ type: 'NS', name: 'mybusiness.com' });
      expect(reply.answers?.map((a) => 'data' in a && a.data)).toEqual(['ns1.plugsaas.test', 'ns2.plugsaas.test']);
      expect(await (await fetch(`${base}${saved.headers.get('location')}`)).text()).toContain(
        '<p role="status">Nameservers saved for mybusiness.com.</p>',
      );
    });

    it('refuses a bad form with 422, says why, and keeps what was typed', async () => {
      const res = await postForm('/domains', { domain: 'my business', nameservers: 'ns1.plugsaas.test' });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain('<p role="alert">Not saved: domain: must be a domain name such as example.com</p>');
      expect(html).toContain('value="my business"');
      expect(zones.list()).toEqual([]);
    });

    it('removes a domain, after which DNS answers NXDOMAIN', async () => {
      await setNameservers('mybusiness.com', ['ns1.plugsaas.test']);
      const removed = await postForm('/domains/mybusiness.com/remove', {});
      expect(removed.headers.get('location')).toBe('/registrar/?removed=mybusiness.com');
      expect(await ask({ type: 'NS', name: 'mybusiness.com' })).toMatchObject({ rcode: 'NXDOMAIN' });
    });
  });

  describe('registrar control API', () => {
    it('sets, lists and clears a domain, refusing bad nameservers', async () => {
      const set = await setNameservers('mybusiness.com', ['ns1.plugsaas.test', 'NS1.plugsaas.test.']);
      expect(await set.json()).toMatchObject({ domain: 'mybusiness.com', nameservers: ['ns1.plugsaas.test'] });
      const listed = await (await fetch(`${base}/_control/registrar/domains`)).json();
      expect(listed).toMatchObject({ domains: [{ domain: 'mybusiness.com' }] });
      const bad = await setNameservers('mybusiness.com', []);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ error: 'nameservers: needs at least one nameserver' });
      const cleared = await fetch(`${base}/_control/registrar/domains/mybusiness.com`, { method: 'DELETE' });
      expect(cleared.status).toBe(204);
      expect(zones.list()).toEqual([]);
    });
  });
});
