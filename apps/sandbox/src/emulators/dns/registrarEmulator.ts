import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { renderRegistrarPage } from './registrarPage';
import { domainName, nameserverList, type ZoneStore } from './zones';

const delegationForm = z.object({
  domain: domainName,
  /** A textarea: one per line, or separated by spaces or commas. */
  nameservers: z
    .string()
    .default('')
    .transform((text) => text.split(/[\s,]+/).filter(Boolean))
    .pipe(nameserverList),
});
const delegationBody = z.object({ nameservers: nameserverList });
const domainParam = z.object({ domain: domainName });

const problems = (error: z.ZodError) =>
  error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');

/**
 * A fake registrar: a page where a person sets a domain's nameservers, and the same under
 * /_control/registrar for tests. Changes go to the zone store the sandbox's DNS answers from.
 */
export function registrarEmulator(zones: ZoneStore): Emulator {
  return {
    name: 'registrar',
    prefix: '/registrar',
    register(app: FastifyInstance) {
      app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      });
      const base = app.prefix;
      const page = (state: Omit<Parameters<typeof renderRegistrarPage>[0], 'zones' | 'base'> = {}) =>
        renderRegistrarPage({ zones: zones.list(), base, ...state });

      app.get('/', async (request, reply) => {
        const { saved, removed } = z
          .object({ saved: z.string().optional(), removed: z.string().optional() })
          .parse(request.query);
        const notice = saved ? `Nameservers saved for ${saved}.` : removed ? `${removed} removed.` : undefined;
        return reply.type('text/html; charset=utf-8').send(page({ notice }));
      });

      app.post('/domains', async (request, reply) => {
        const form = delegationForm.safeParse(request.body ?? {});
        if (!form.success) {
          const raw = (request.body ?? {}) as Record<string, string | undefined>;
          return reply
            .code(422)
            .type('text/html; charset=utf-8')
            .send(
              page({
                error: `Not saved: ${problems(form.error)}`,
                draft: { domain: raw.domain ?? '', nameservers: raw.nameservers ?? '' },
              }),
            );
        }
        zones.setNameservers(form.data.domain, form.data.nameservers);
        return reply.redirect(`${base}/?saved=${encodeURIComponent(form.data.domain)}`, 303);
      });

      app.post('/domains/:domain/remove', async (request, reply) => {
        const params = domainParam.safeParse(request.params);
        if (!params.success || !zones.remove(params.data.domain)) return reply.redirect(`${base}/`, 303);
        return reply.redirect(`${base}/?removed=${encodeURIComponent(params.data.domain)}`, 303);
      });
    },
    control(app: FastifyInstance) {
      app.get('/domains', async () => ({ domains: zones.list() }));
      app.put('/domains/:domain', async (request, reply) => {
        const params = domainParam.safeParse(request.params);
        const body = delegationBody.safeParse(request.body ?? {});
        if (!params.success) return reply.code(400).send({ error: problems(params.error) });
        if (!body.success) return reply.code(400).send({ error: problems(body.error) });
        return zones.setNameservers(params.data.domain, body.data.nameservers);
      });
      app.delete('/domains/:domain', async (request, reply) => {
        const params = domainParam.safeParse(request.params);
        if (!params.success) return reply.code(400).send({ error: problems(params.error) });
        if (!zones.remove(params.data.domain)) return reply.code(404).send({ error: 'unknown domain' });
        return reply.code(204).send();
      });
    },
    reset() {
      zones.reset();
    },
  };
}
