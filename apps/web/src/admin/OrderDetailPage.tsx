import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { describeError } from '../api/api-error';
import { useSignedInSession } from '../auth/use-session';
import { orderKeys } from '../orders/order-queries';
import { OrderTimeline } from '../orders/OrderTimeline';
import { describeItems, formatDateTime, formatMoney, itemsTotalCents, shortId } from '../ui/format';
import { StatusBadge } from '../ui/StatusBadge';
import { StatusActions } from './StatusActions';

export function OrderDetailPage() {
  const { orderId = '' } = useParams();
  const { api } = useSignedInSession();
  const order = useQuery({ queryKey: orderKeys.order(orderId), queryFn: () => api.getOrder(orderId) });

  return (
    <section className="card card--wide" aria-labelledby="order-detail-title">
      <p>
        <Link to="/admin/search">← Back to search</Link>
      </p>
      <h2 id="order-detail-title">Order {shortId(orderId)}</h2>
      {order.isPending && <p className="muted">Loading order…</p>}
      {order.isError && (
        <p className="alert" role="alert">
          {describeError(order.error)}
        </p>
      )}
      {order.data !== undefined && (
        <>
          <dl className="details">
            <div>
              <dt>Order id</dt>
              <dd className="mono">{order.data.id}</dd>
            </div>
            <div>
              <dt>Customer id</dt>
              <dd className="mono">{order.data.userId}</dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={order.data.status} testId="detail-status" />{' '}
                <span className="muted small">version {order.data.version}</span>
              </dd>
            </div>
            <div>
              <dt>Placed</dt>
              <dd>{formatDateTime(order.data.createdAt)}</dd>
            </div>
            <div>
              <dt>Items</dt>
              <dd>
                {describeItems(order.data.items)} · {formatMoney(itemsTotalCents(order.data.items))}
              </dd>
            </div>
          </dl>
          <h3>Timeline</h3>
          <OrderTimeline orderId={order.data.id} status={order.data.status} />
          <h3>Actions</h3>
          <StatusActions order={order.data} />
        </>
      )}
    </section>
  );
}
