import type { Order } from '@ordertrack/shared';
import { describeError } from '../api/api-error';
import { useMyOrders } from '../orders/order-queries';
import { OrderTimeline } from '../orders/OrderTimeline';
import { describeItems, formatDateTime, formatMoney, itemsTotalCents, shortId } from '../ui/format';
import { StatusBadge } from '../ui/StatusBadge';

function OrderCard({ order }: { order: Order }) {
  return (
    <li className="order-card" data-testid={`order-${order.id}`} data-order-id={order.id} data-version={order.version}>
      <div className="order-card__head">
        <div>
          <h3 className="order-card__title">Order {shortId(order.id)}</h3>
          <p className="muted small">
            Placed <time dateTime={order.createdAt}>{formatDateTime(order.createdAt)}</time>
          </p>
        </div>
        <StatusBadge status={order.status} testId={`order-status-${order.id}`} />
      </div>
      <p className="order-card__items">
        {describeItems(order.items)} · <strong>{formatMoney(itemsTotalCents(order.items))}</strong>
      </p>
      <OrderTimeline orderId={order.id} status={order.status} />
    </li>
  );
}

export function MyOrders() {
  const orders = useMyOrders();
  return (
    <section className="card" aria-labelledby="my-orders-title">
      <div className="card__head">
        <h2 id="my-orders-title">My orders</h2>
        {orders.isFetching && !orders.isPending && <span className="muted small">Refreshing…</span>}
      </div>
      {orders.isPending && <p className="muted">Loading your orders…</p>}
      {orders.isError && (
        <p className="alert" role="alert">
          {describeError(orders.error)}
        </p>
      )}
      {orders.data?.length === 0 && (
        <p className="empty">No orders yet. Pick a few products to place your first one.</p>
      )}
      <ul className="order-list" data-testid="my-orders">
        {orders.data?.map((order) => (
          <OrderCard key={order.id} order={order} />
        ))}
      </ul>
    </section>
  );
}
