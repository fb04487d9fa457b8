import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { Empty, ErrorNotice, Loading } from '../components/Notice';
import { describeProblem } from '../errors';
import { formatTime } from '../orders/statusText';
import { useTRPC } from '../trpc';

export function NotificationsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.notifications.list.queryOptions({}));
  const markRead = useMutation(
    trpc.notifications.markRead.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.notifications.list.queryKey() }),
    }),
  );

  if (list.isPending) return <Loading what="your notifications" />;
  if (list.isError)
    return <ErrorNotice retry={() => list.refetch()}>{describeProblem(list.error).message}</ErrorNotice>;
  const { items, unread } = list.data;
  return (
    <section>
      <h1>Notifications</h1>
      {items.length === 0 ? (
        <Empty>Nothing yet. We tell you here when your orders move.</Empty>
      ) : (
        <>
          <p>
            {unread === 0 ? 'All read.' : `${unread} unread.`}{' '}
            {unread > 0 ? (
              <button type="button" className="button-secondary" onClick={() => markRead.mutate({ ids: 'all' })}>
                Mark all as read
              </button>
            ) : null}
          </p>
          <ul className="notifications">
            {items.map((n) => {
              return (
                <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
                  <h2>
                    {n.readAt ? null : <span className="visually-hidden">Unread: </span>}
                    {n.title}
                  </h2>
                  <p>{n.message}</p>
                  <p className="muted">
                    <time dateTime={new Date(n.createdAt).toISOString()}>{formatTime(n.createdAt)}</time>
                    {n.link ? (
                      <>
                        {' · '}
                        <Link to={n.link.to}>{n.link.label}</Link>
                      </>
                    ) : null}
                    {n.readAt ? null : (
                      <>
                        {' · '}
                        <button type="button" className="link-button" onClick={() => markRead.mutate({ ids: [n.id] })}>
                          Mark as read
                        </button>
                      </>
                    )}
                  </p>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
