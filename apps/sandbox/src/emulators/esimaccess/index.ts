import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Emulator, EmulatorContext } from '../../emulator';
import { findPackage, PACKAGES } from './catalog';
import { ESIM_STATUSES, type EsimProfile, offsetTime, ProfileBook, SMDP_STATUSES } from './profiles';

export const esimAccessEmulatorEnv = z.object({
  /** The partner's AccessCode (console > Developer) sent as RT-AccessCode. Unset, random. */
  ESIMACCESS_ACCESS_CODE: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(() => randomBytes(16).toString('hex')),
  /** The SecretKey that signs requests (RT-Signature). Unset, random. */
  ESIMACCESS_SECRET_KEY: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(() => randomBytes(16).toString('hex')),
});

export interface EsimAccessEmulatorOptions {
  accessCode: string;
  secretKey: string;
  now?: () => Date;
}

type Envelope = { success: boolean; errorCode: string | null; errorMsg: string | null; obj: unknown };
const ok = (obj: unknown): Envelope => ({ success: true, errorCode: '0', errorMsg: null, obj });
const fail = (errorCode: string, errorMsg: string): Envelope => ({ success: false, errorCode, errorMsg, obj: null });

const SIGNATURE_WINDOW_MS = 5 * 60_000;
const ref = { iccid: z.string().optional(), esimTranNo: z.string().optional() };
const orderBody = z.object({
  transactionId: z.string().min(1).max(64),
  amount: z.number().int().optional(),
  packageInfoList: z
    .array(
      z.object({
        packageCode: z.string().optional(),
        slug: z.string().optional(),
        count: z.number().int().min(1),
        price: z.number().int().optional(),
      }),
    )
    .min(1),
});
const queryBody = z.object({
  orderNo: z.string().optional(),
  ...ref,
  pager: z.object({ pageNum: z.number().int().min(1), pageSize: z.number().int().min(1).max(500) }),
});
const topUpBody = z.object({
  ...ref,
  packageCode: z.string().min(1),
  transactionId: z.string().min(1).max(64),
  amount: z.number().int().optional(),
});

/**
 * eSIM Access's partner API (docs.esimaccess.com, "eSIM Access API"): every call a POST with a
 * JSON body under /api/v1/open, authenticated by RT-AccessCode and, when sent, RT-Timestamp,
 * RT-RequestID and RT-Signature (HMAC-SHA256 of timestamp + request id + access code + body).
 * Answers `{success, errorCode, errorMsg, obj}`; the sandbox answers refusals with HTTP 200
 * as well (the documentation lists error codes, not statuses). Profiles' QR codes are real PNGs
 * served under /qr/. A reissue is a new order plus a revoke of the old profile, which then
 * refuses its activation code.
 */
export function esimAccessEmulator(options: EsimAccessEmulatorOptions): Emulator {
  const book = new ProfileBook();
  const now = options.now ?? (() => new Date());
  const rawBodies = new WeakMap<FastifyRequest, string>();
  let qrBase = '';

  const view = (p: EsimProfile) => {
    const { pendingQueries: _, ...profile } = p;
    return { ...profile, qrCodeUrl: `${qrBase}/${p.esimTranNo}.png`, shortUrl: `${qrBase}/${p.esimTranNo}` };
  };

  const authenticate = (request: FastifyRequest): Envelope | undefined => {
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const accessCode = header('rt-accesscode');
    if (!accessCode) return fail('000101', 'Missing mandatory header: RT-AccessCode');
    // The documentation names no code for an unknown AccessCode; the sandbox uses 000101's.
    if (!same(accessCode, options.accessCode)) return fail('000101', 'RT-AccessCode is not valid');
    const signature = header('rt-signature');
    if (signature === undefined) return undefined;
    const timestamp = header('rt-timestamp');
    const requestId = header('rt-requestid');
    if (!timestamp || !requestId) return fail('000101', 'Missing mandatory header: RT-Timestamp, RT-RequestID');
    if (!/^\d{10,13}$/.test(timestamp)) return fail('000102', 'Wrong header format: RT-Timestamp');
    const sentAt = timestamp.length === 13 ? Number(timestamp) : Number(timestamp) * 1000;
    if (Math.abs(now().getTime() - sentAt) > SIGNATURE_WINDOW_MS) return fail('101001', 'Timestamp expired');
    const expected = createHmac('sha256', options.secretKey)
      .update(`${timestamp}${requestId}${accessCode}${rawBodies.get(request) ?? ''}`)
      .digest('hex');
    return same(signature.toLowerCase(), expected) ? undefined : fail('101003', 'Signature mismatch');
  };

  const post = <S extends z.ZodType>(
    app: FastifyInstance,
    path: string,
    schema: S,
    handle: (body: z.output<S>) => Envelope | Promise<Envelope>,
  ) =>
    app.post(`/api/v1/open${path}`, async (request) => {
      const refused = authenticate(request);
      if (refused) return refused;
      const body = schema.safeParse(request.body ?? {});
      if (!body.success) {
        const issue = body.error.issues[0];
        return issue?.code === 'invalid_type' && issue.input === undefined
          ? fail('000105', `Mandatory params missing: ${issue.path.join('.')}`)
          : fail('000107', `Invalid param: ${issue?.path.join('.')} ${issue?.message}`);
      }
      return handle(body.data);
    });

  return {
    name: 'esimaccess',
    prefix: '/esimaccess',
    register(app: FastifyInstance, context: EmulatorContext) {
      qrBase = `${context.publicUrl.replace(/\/$/, '')}/esimaccess/qr`;
      // The signature covers the body's exact bytes, so keep them beside the parsed JSON.
      app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
        rawBodies.set(request, body as string);
        try {
          done(null, body ? JSON.parse(body as string) : {});
        } catch {
          done(null, { __invalidJson: true });
        }
      });
      app.addHook('preValidation', async (request, reply) => {
        if ((request.body as { __invalidJson?: boolean } | undefined)?.__invalidJson) {
          return reply.send(fail('000104', 'Invalid JSON'));
        }
      });

      post(
        app,
        '/package/list',
        z.object({
          locationCode: z.string().optional(),
          type: z.enum(['BASE', 'TOPUP']).optional(),
          packageCode: z.string().optional(),
          slug: z.string().optional(),
          iccid: z.string().optional(),
        }),
        (body) => {
          const profile = body.iccid ? book.find({ iccid: body.iccid }) : undefined;
          if (body.iccid && !profile) return fail('310403', 'The ICCID does not exist.');
          const location = profile?.packageList[0]?.locationCode;
          const packageList = PACKAGES.filter((p) => !body.type || p.type === body.type)
            .filter((p) => !body.locationCode || p.location === body.locationCode)
            .filter((p) => !body.packageCode || p.packageCode === body.packageCode)
            .filter((p) => !body.slug || p.slug === body.slug)
            .filter((p) => !profile || (p.type === 'TOPUP' && p.location === location))
            .map(({ type: _, ...p }) => p);
          return ok({ packageList });
        },
      );

      post(app, '/esim/order', orderBody, (body) => {
        const fingerprint = book.fingerprint(body);
        const earlier = book.orderByTransaction(body.transactionId);
        // transactionId is the partner's unique id: a repeat returns the first order, and a
        // different order under the same id is refused (the documentation only says "unique").
        if (earlier) {
          return earlier.fingerprint === fingerprint
            ? ok({ orderNo: earlier.orderNo, transactionId: earlier.transactionId })
            : fail('200008', 'Order parameter error: transactionId already used for another order');
        }
        const items = [];
        for (const info of body.packageInfoList) {
          const pkg = findPackage(info.packageCode ?? info.slug);
          if (pkg?.type !== 'BASE') return fail('310241', 'The packageCode does not exist.');
          if (info.price !== undefined && info.price !== pkg.price) return fail('200005', 'Package price error');
          items.push({ pkg, count: info.count });
        }
        const total = items.reduce((sum, item) => sum + item.pkg.price * item.count, 0);
        if (body.amount !== undefined && body.amount !== total) return fail('200006', 'Wrong total amount');
        if (book.balance < total) return fail('200007', 'Insufficient balance');
        book.balance -= total;
        const order = book.placeOrder(body.transactionId, fingerprint, items, now());
        return ok({ orderNo: order.orderNo, transactionId: order.transactionId });
      });

      post(app, '/esim/query', queryBody, (body) => {
        let profiles: EsimProfile[];
        if (body.orderNo) {
          const order = book.orders.get(body.orderNo);
          if (!order) return fail('310272', 'The orderNo does not exist.');
          profiles = order.esimTranNos.flatMap((no) => book.profiles.get(no) ?? []);
        } else if (body.iccid || body.esimTranNo) {
          const profile = book.find(body);
          if (!profile) return fail('310403', 'The ICCID does not exist in the order.');
          profiles = [profile];
        } else {
          return fail('000105', 'Mandatory params missing: orderNo, iccid or esimTranNo');
        }
        if (profiles.some((p) => p.pendingQueries > 0)) {
          for (const p of profiles) p.pendingQueries = Math.max(0, p.pendingQueries - 1);
          return fail('200010', 'Profile is being downloaded for the order.');
        }
        const { pageNum, pageSize } = body.pager;
        return ok({
          esimList: profiles.slice((pageNum - 1) * pageSize, pageNum * pageSize).map(view),
          pager: { pageNum, pageSize, total: profiles.length },
        });
      });

      post(app, '/esim/revoke', z.object(ref), (body) => {
        const profile = book.find(body);
        if (!profile) return fail('310403', 'The ICCID does not exist in the order.');
        if (profile.esimStatus === 'REVOKED' || profile.esimStatus === 'CANCEL') {
          return fail('200002', 'Operation not allowed due to order status');
        }
        profile.esimStatus = 'REVOKED';
        profile.smdpStatus = profile.smdpStatus === 'RELEASED' ? 'RELEASED' : 'DELETED';
        return ok({});
      });

      post(app, '/esim/topup', topUpBody, (body) => {
        const profile = book.find(body);
        if (!profile) return fail('310403', 'The ICCID does not exist in the order.');
        const fingerprint = book.fingerprint(body);
        const earlier = book.topUps.get(body.transactionId);
        if (earlier) {
          if (earlier.fingerprint !== fingerprint) {
            return fail('200008', 'Order parameter error: transactionId already used for another top-up');
          }
          return ok(topUpResult(profile, body.transactionId));
        }
        const pkg = findPackage(body.packageCode);
        if (pkg?.type !== 'TOPUP' || pkg.location !== profile.packageList[0]?.locationCode) {
          return fail('310241', 'The packageCode does not exist.');
        }
        if (['REVOKED', 'CANCEL', 'USED_EXPIRED', 'UNUSED_EXPIRED'].includes(profile.esimStatus)) {
          return fail('200002', 'Operation not allowed due to order status');
        }
        if (body.amount !== undefined && body.amount !== pkg.price) return fail('200006', 'Wrong total amount');
        if (book.balance < pkg.price) return fail('200007', 'Insufficient balance');
        book.balance -= pkg.price;
        profile.totalVolume += pkg.volume;
        profile.totalDuration += pkg.duration;
        if (profile.esimStatus === 'USED_UP') profile.esimStatus = 'IN_USE';
        profile.packageList.push({
          packageCode: pkg.packageCode,
          packageName: pkg.name,
          volume: pkg.volume,
          duration: pkg.duration,
          locationCode: pkg.location,
        });
        book.topUps.set(body.transactionId, {
          transactionId: body.transactionId,
          fingerprint,
          esimTranNo: profile.esimTranNo,
          packageCode: pkg.packageCode,
        });
        return ok(topUpResult(profile, body.transactionId));
      });

      post(app, '/esim/usage/query', z.object({ esimTranNoList: z.array(z.string()).min(1).max(10) }), (body) => {
        const usage = [];
        for (const esimTranNo of body.esimTranNoList) {
          const profile = book.profiles.get(esimTranNo);
          if (!profile) return fail('310403', `The esimTranNo ${esimTranNo} does not exist.`);
          usage.push({
            esimTranNo,
            dataUsage: profile.orderUsage,
            totalData: profile.totalVolume,
            lastUpdateTime: offsetTime(now()),
          });
        }
        return ok(usage);
      });

      post(app, '/balance/query', z.object({}), () => ok({ balance: book.balance }));

      // The profile's QR code: the activation code as a real QR image, refused once revoked.
      app.get('/qr/:file', async (request, reply) => {
        const { file } = z.object({ file: z.string() }).parse(request.params);
        const profile = book.profiles.get(file.replace(/\.png$/, ''));
        if (!profile) return reply.code(404).send({ error: 'not_found', message: 'No such QR code' });
        if (profile.esimStatus === 'REVOKED' || profile.esimStatus === 'CANCEL') {
          return reply.code(410).send({ error: 'gone', message: 'This eSIM profile was revoked' });
        }
        const png = await QRCode.toBuffer(profile.ac, {
          type: 'png',
          errorCorrectionLevel: 'M',
          margin: 2,
          width: 300,
        });
        return reply.type('image/png').header('cache-control', 'no-store').send(png);
      });
    },
    control(app: FastifyInstance) {
      app.get('/profiles', async () => ({
        profiles: [...book.profiles.values()].map(view),
        balance: book.balance,
      }));
      app.put('/profiles/:iccid', async (request, reply) => {
        const { iccid } = z.object({ iccid: z.string() }).parse(request.params);
        const body = z
          .object({
            esimStatus: z.enum(ESIM_STATUSES).optional(),
            smdpStatus: z.enum(SMDP_STATUSES).optional(),
            orderUsage: z.number().int().min(0).optional(),
          })
          .strict()
          .safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        const profile = book.find({ iccid });
        if (!profile) return reply.code(404).send({ error: `No profile ${iccid}` });
        Object.assign(profile, body.data);
        return view(profile);
      });
      // A device scanning the QR code: the SM-DP+ hands out the profile unless it was revoked.
      app.post('/install', async (request, reply) => {
        const body = z.object({ activationCode: z.string() }).safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        const profile = book.byActivationCode(body.data.activationCode);
        if (!profile) return reply.code(404).send({ error: 'unknown_activation_code' });
        if (profile.esimStatus === 'REVOKED' || profile.esimStatus === 'CANCEL') {
          return reply.code(409).send({ error: 'profile_not_available', esimStatus: profile.esimStatus });
        }
        profile.smdpStatus = 'ENABLED';
        profile.esimStatus = 'IN_USE';
        return view(profile);
      });
      app.put('/allocation', async (request, reply) => {
        const body = z.object({ pendingQueries: z.number().int().min(0).max(100) }).safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        book.pendingQueries = body.data.pendingQueries;
        return body.data;
      });
      app.put('/balance', async (request, reply) => {
        const body = z.object({ balance: z.number().int().min(0) }).safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        book.balance = body.data.balance;
        return body.data;
      });
    },
    reset() {
      book.reset();
    },
  };
}

function topUpResult(profile: EsimProfile, transactionId: string) {
  return {
    transactionId,
    iccid: profile.iccid,
    expiredTime: profile.expiredTime,
    totalVolume: profile.totalVolume,
    totalDuration: profile.totalDuration,
    orderUsage: profile.orderUsage,
  };
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
