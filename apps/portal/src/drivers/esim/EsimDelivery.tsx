import { formatDataVolume } from '@handover/contracts/drivers/esim';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNotice } from '../../components/Notice';
import { describeProblem } from '../../errors';
import { formatMoney } from '../../money';
import { type RouterOutputs, useTRPC } from '../../trpc';
import type { CustomerOrder, Delivery } from '../types';

type Revealed = RouterOutputs['esim']['reveal'];

/** eSIM Access's esimStatus in a customer's words. */
const STATE: Record<string, string> = {
  GOT_RESOURCE: 'Ready to install',
  IN_USE: 'Installed and in use',
  USED_UP: 'All data used',
  USED_EXPIRED: 'Expired',
  UNUSED_EXPIRED: 'Expired before it was installed',
  SUSPENDED: 'Suspended',
  CANCEL: 'Cancelled',
  REVOKED: 'Disabled',
};

/**
 * Seed 004's eSIM on the order page: its state and data; its QR code and activation code on
 * request; a reissue (a new profile, the old QR code stops working); and the top-ups that fit.
 */
export function EsimDelivery({ delivery, order }: { delivery: Delivery; order: CustomerOrder }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const delivered = delivery.status === 'completed' || delivery.status === 'active';
  const esims = useQuery({
    ...trpc.esim.forOrder.queryOptions({ orderId: order.id }),
    enabled: delivered,
    // While a reissue runs, look again every two seconds.
    refetchInterval: (query) => (query.state.data?.some((esim) => esim.reissuing) ? 2_000 : false),
  });
  const [shown, setShown] = useState<Revealed | null>(null);
  const [confirming, setConfirming] = useState(false);
  const reveal = useMutation({ ...trpc.esim.reveal.mutationOptions(), onSuccess: setShown });
  const reissue = useMutation({
    ...trpc.esim.reissue.mutationOptions(),
    onSuccess: async () => {
      setShown(null);
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: trpc.esim.forOrder.queryKey({ orderId: order.id }) });
    },
  });
  if (!delivered) return null;
  const esim = esims.data?.find((candidate) => candidate.recordId === delivery.id);
  if (esims.isError) return <ErrorNotice>{describeProblem(esims.error).message}</ErrorNotice>;
  if (!esim) return null;
  // A reissued eSIM has a new ICCID: what was shown belongs to the old one.
  const revealed = shown?.iccid === esim.iccid ? shown : null;

  return (
    <section className="esim" aria-label={`eSIM ${esim.iccid}`}>
      <dl className="details">
        <div>
          <dt>eSIM</dt>
          <dd>
            <code>{esim.iccid}</code> — {STATE[esim.status] ?? esim.status}
          </dd>
        </div>
        <div>
          <dt>Data</dt>
          <dd>
            {formatDataVolume(esim.usedBytes)} used of {formatDataVolume(esim.totalVolumeBytes)}
          </dd>
        </div>
        {esim.reissues > 0 ? (
          <div>
            <dt>Reissued</dt>
            <dd>{esim.reissues === 1 ? 'once' : `${esim.reissues} times`}; earlier QR codes no longer work</dd>
          </div>
        ) : null}
      </dl>
      {esim.reissuing ? (
        <p className="notice" role="status">
          Making your new eSIM… this takes a few seconds.
        </p>
      ) : null}
      {esim.reissueError ? <ErrorNotice>The last reissue did not work: {esim.reissueError}</ErrorNotice> : null}

      {revealed ? (
        <div className="esim-code">
          {revealed.qrCode ? (
            <img src={revealed.qrCode} alt="QR code to install your eSIM" width={240} height={240} />
          ) : null}
          <p>Scan it with your phone's camera, or enter these by hand:</p>
          <dl className="details">
            <div>
              <dt>Activation code</dt>
              <dd>
                <code>{revealed.activationCode}</code>{' '}
                <CopyButton text={revealed.activationCode} label="the activation code" />
              </dd>
            </div>
            <div>
              <dt>SM-DP+ address</dt>
              <dd>
                <code>{revealed.smdpAddress}</code>
              </dd>
            </div>
            <div>
              <dt>Matching ID</dt>
              <dd>
                <code>{revealed.matchingId}</code>
              </dd>
            </div>
          </dl>
          <button type="button" className="button-secondary" onClick={() => setShown(null)}>
            Hide the QR code
          </button>
        </div>
      ) : (
        <button
          type="button"
          disabled={reveal.isPending || esim.reissuing}
          onClick={() => reveal.mutate({ recordId: delivery.id })}
        >
          Show QR code
        </button>
      )}
      {reveal.isError ? <ErrorNotice>{describeProblem(reveal.error).message}</ErrorNotice> : null}

      <h4>Lost your phone, or the eSIM was deleted?</h4>
      {confirming ? (
        <div className="notice">
          <p>A new eSIM replaces this one: the current QR code and activation code stop working at once.</p>
          <div className="actions">
            <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
              Keep this eSIM
            </button>
            <button
              type="button"
              disabled={reissue.isPending}
              onClick={() => reissue.mutate({ recordId: delivery.id })}
            >
              Yes, reissue it
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          className="button-secondary"
          disabled={esim.reissuing}
          onClick={() => setConfirming(true)}
        >
          Reissue eSIM
        </button>
      )}
      {reissue.isError ? <ErrorNotice>{describeProblem(reissue.error).message}</ErrorNotice> : null}

      {esim.topUps.length > 0 ? (
        <>
          <h4>More data</h4>
          <ul className="summary-list">
            {esim.topUps.map((offer) => (
              <li key={offer.productId}>
                <Link to={`/order/${offer.slug}?iccid=${esim.iccid}`}>
                  {offer.name} ({formatMoney(offer.priceMinor, offer.currency)})
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
