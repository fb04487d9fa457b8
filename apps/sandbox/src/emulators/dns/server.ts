import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server as TcpServer, type Socket as TcpSocket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { answerQuestion } from './answer';
import type { ZoneStore } from './zones';

export interface DnsServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

export interface DnsServerOptions {
  zones: ZoneStore;
  host?: string;
  /** 0 picks a free port (UDP and TCP share it). */
  port: number;
}

const RCODES = { NOERROR: 0, FORMERR: 1, NXDOMAIN: 3, NOTIMP: 4 } as const;
const OPCODE_QUERY = 0;
/** Largest UDP answer without EDNS (RFC 1035 4.2.1); longer ones are truncated to TCP. */
const UDP_MAX = 512;

/**
 * The sandbox's DNS server: answers queries over UDP and TCP on one port from the zone store,
 * so Handover's plain-DNS resolver sees the nameservers a person set on the registrar page.
 */
export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  const host = options.host ?? '127.0.0.1';
  // With port 0 the UDP port is picked first; TCP may find it taken, so try a few.
  for (let attempt = 1; ; attempt++) {
    const udp = await bindUdp(options.zones, host, options.port);
    try {
      const tcp = await listenTcp(options.zones, host, udp.address().port);
      return {
        host,
        port: udp.address().port,
        close: async () => {
          await Promise.all([
            new Promise<void>((resolve) => udp.close(() => resolve())),
            new Promise<void>((resolve) => tcp.close(() => resolve())),
          ]);
        },
      };
    } catch (error) {
      udp.close();
      const taken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!taken || options.port !== 0 || attempt >= 5) throw error;
    }
  }
}

function bindUdp(zones: ZoneStore, host: string, port: number): Promise<UdpSocket> {
  const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  socket.on('message', (message, remote) => {
    const reply = respond(zones, message, UDP_MAX);
    if (reply) socket.send(reply, remote.port, remote.address);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

function listenTcp(zones: ZoneStore, host: string, port: number): Promise<TcpServer> {
  const server = createServer((socket) => serveTcp(zones, socket));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** DNS over TCP: each message is preceded by its length in two bytes (RFC 1035 4.2.2). */
function serveTcp(zones: ZoneStore, socket: TcpSocket): void {
  let pending = Buffer.alloc(0);
  socket.setTimeout(10_000, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
      const length = pending.readUInt16BE(0);
      const reply = respond(zones, pending.subarray(2, 2 + length), Number.POSITIVE_INFINITY);
      pending = pending.subarray(2 + length);
      if (!reply) {
        socket.destroy();
        return;
      }
      const framed = Buffer.alloc(2 + reply.length);
      framed.writeUInt16BE(reply.length, 0);
      reply.copy(framed, 2);
      socket.write(framed);
    }
  });
}

/** The answer to one DNS message, or undefined for one not worth answering (not a query). */
function respond(zones: ZoneStore, message: Buffer, maxLength: number): Buffer | undefined {
  let query: dnsPacket.DecodedPacket;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return message.length >= 2 ? headerOnly(message.readUInt16BE(0), 0, RCODES.FORMERR) : undefined;
  }
  if (query.type !== 'query') return undefined;
  const id = query.id ?? 0;
  const flags = query.flags ?? 0;
  const opcode = (flags >> 11) & 0xf;
  if (opcode !== OPCODE_QUERY) return headerOnly(id, flags, RCODES.NOTIMP);
  const [question] = query.questions ?? [];
  if (!question || (query.questions ?? []).length !== 1) return headerOnly(id, flags, RCODES.FORMERR);

  const answer = answerQuestion(zones, question.name, question.type);
  const replyFlags = dnsPacket.AUTHORITATIVE_ANSWER | (flags & dnsPacket.RECURSION_DESIRED) | RCODES[answer.rcode];
  const reply = dnsPacket.encode({
    type: 'response',
    id,
    flags: replyFlags,
    questions: [question],
    answers: answer.answers,
    authorities: answer.authorities,
  });
  if (reply.length <= maxLength) return reply;
  return dnsPacket.encode({
    type: 'response',
    id,
    flags: replyFlags | dnsPacket.TRUNCATED_RESPONSE,
    questions: [question],
  });
}

function headerOnly(id: number, queryFlags: number, rcode: number): Buffer {
  // Keep the query's opcode and RD bit, as a reply must.
  return dnsPacket.encode({ type: 'response', id, flags: (queryFlags & 0x7900) | rcode });
}
