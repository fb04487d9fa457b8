import { domainToASCII } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { answerQuestion, type DnsRecord } from './answer';
import type { ZoneStore } from './zones';

const TYPE_CODES: Record<string, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28, ANY: 255 };
const TYPE_NAMES = new Map(Object.entries(TYPE_CODES).map(([name, code]) => [code, name]));
const STATUS = { NOERROR: 0, NXDOMAIN: 3 } as const;

const resolveQuery = z.object({
  /** Internationalised names are taken too, and looked up in their ASCII form. */
  name: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(253)
    .transform((value) => domainToASCII(value) || value),
  /** A record type's name or number, as Google's API takes it; A when left out. */
  type: z
    .string()
    .default('A')
    .transform((value, ctx) => {
      const name = /^\d+$/.test(value) ? TYPE_NAMES.get(Number(value)) : value.toUpperCase();
      if (!name || !(name in TYPE_CODES)) {
        ctx.addIssue({ code: 'custom', message: `unsupported record type "${value}"` });
        return z.NEVER;
      }
      return name;
    }),
});

/**
 * DNS-over-HTTPS in Google's JSON format (GET /resolve?name=&type=), the way seed 000
 * phase 5 checks nameservers, answered from the same zones as the sandbox's DNS server.
 */
export function dohEmulator(zones: ZoneStore): Emulator {
  return {
    name: 'dns',
    prefix: '/dns',
    register(app: FastifyInstance) {
      app.get('/resolve', async (request, reply) => {
        const query = resolveQuery.safeParse(request.query);
        if (!query.success) {
          const message = query.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
          return reply.code(400).send({ error: message });
        }
        const { name, type } = query.data;
        const answer = answerQuestion(zones, name, type);
        const fqdn = (host: string) => (host.endsWith('.') ? host : `${host}.`);
        const toJson = (record: DnsRecord) => ({
          name: fqdn(record.name),
          type: TYPE_CODES[record.type],
          TTL: record.ttl,
          data:
            record.type === 'NS'
              ? fqdn(record.data)
              : [
                  fqdn(record.data.mname),
                  fqdn(record.data.rname),
                  record.data.serial,
                  record.data.refresh,
                  record.data.retry,
                  record.data.expire,
                  record.data.minimum,
                ].join(' '),
        });
        return reply.type('application/json').send({
          Status: STATUS[answer.rcode],
          TC: false,
          RD: true,
          RA: true,
          AD: false,
          CD: false,
          Question: [{ name: fqdn(name), type: TYPE_CODES[type] }],
          ...(answer.answers.length > 0 ? { Answer: answer.answers.map(toJson) } : {}),
          ...(answer.authorities.length > 0 ? { Authority: answer.authorities.map(toJson) } : {}),
        });
      });
    },
  };
}
