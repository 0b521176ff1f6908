import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { Link } from 'react-router';
import { describeError } from '../api/api-error';
import { useAdminFeed } from '../orders/order-queries';
import { describeItems, formatTime, shortId, statusLabel } from '../ui/format';
import { StatusBadge } from '../ui/StatusBadge';
import { StatusActions } from './StatusActions';

/** Every order, latest activity first, updated in place as events arrive, with the allowed actions on each row. */
export function LiveFeed({ recentEvents }: { recentEvents: readonly OrderLifecycleEvent[] }) {
  const feed = useAdminFeed();
  const freshOrderIds = new Set(recentEvents.slice(0, 3).map((event) => event.orderId));
  return (
    <section className="card card--wide" aria-labelledby="live-feed-title">
      <div className="card__head">
        <h2 id="live-feed-title">Live orders</h2>
        <span className="muted small">Latest activity first</span>
      </div>
      {feed.isPending && <p className="muted">Loading orders…</p>}
      {feed.isError && (
        <p className="alert" role="alert">
          {describeError(feed.error)}
        </p>
      )}
      {feed.data?.length === 0 && (
        <p className="empty">No orders yet. They appear here the moment a customer places one.</p>
      )}
      {feed.data !== undefined && feed.data.length > 0 && (
        <div className="table-wrap">
          <table className="table table--stacked" data-testid="live-feed">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col">Items</th>
                <th scope="col">Status</th>
                <th scope="col">Updated</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {feed.data.map((order) => (
                <tr
                  key={order.id}
                  className={freshOrderIds.has(order.id) ? 'row--fresh' : undefined}
                  data-testid={`feed-row-${order.id}`}
                  data-version={order.version}
                >
                  <td data-label="Order">
                    <Link to={`/admin/orders/${order.id}`} className="mono">
                      {shortId(order.id)}
                    </Link>
                  </td>
                  <td data-label="Customer" className="mono">
                    {shortId(order.userId)}
                  </td>
                  <td data-label="Items" className="cell--items">
                    {describeItems(order.items)}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={order.status} testId={`feed-status-${order.id}`} />
                    <span className="muted small"> v{order.version}</span>
                  </td>
                  <td data-label="Updated">
                    <time dateTime={order.updatedAt}>{formatTime(order.updatedAt)}</time>
                  </td>
                  <td data-label="Actions">
                    <StatusActions order={order} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {recentEvents.length > 0 && (
        <div className="activity">
          <h3 className="activity__title">Activity</h3>
          <ol className="activity__list" aria-label="Recent activity">
            {recentEvents.map((event) => (
              <li key={event.eventId}>
                <time dateTime={event.timestamp}>{formatTime(event.timestamp)}</time> Order{' '}
                <span className="mono">{shortId(event.orderId)}</span> → {statusLabel(event.status)}
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
