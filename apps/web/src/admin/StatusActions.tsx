import { ORDER_TRANSITIONS, type Order, type OrderStatus } from '@ordertrack/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/api-error';
import { useSignedInSession } from '../auth/use-session';
import { upsertOrder } from '../orders/order-events';
import { orderKeys } from '../orders/order-queries';
import { shortId } from '../ui/format';
import { actionLabel, explainStatusChangeError } from './status-actions';

/** The buttons for exactly the transitions the shared lifecycle table allows, sent with the shown version as If-Match. */
export function StatusActions({ order }: { order: Order }) {
  const { api } = useSignedInSession();
  const queryClient = useQueryClient();

  const showLatest = (latest: Order) => {
    queryClient.setQueryData<readonly Order[]>(orderKeys.adminFeed, (orders) =>
      orders === undefined ? orders : upsertOrder(orders, latest),
    );
    queryClient.setQueryData<Order>(orderKeys.order(latest.id), (shown) =>
      shown !== undefined && shown.version >= latest.version ? shown : latest,
    );
  };

  const change = useMutation({
    mutationFn: ({ target, version }: { target: OrderStatus; version: number }) =>
      api.changeStatus(order.id, target, version),
    onSuccess: showLatest,
    onError: (error) => {
      if (error instanceof ApiError && (error.status === 412 || error.status === 409)) {
        api.getOrder(order.id).then(showLatest, () => undefined);
      }
    },
  });

  const targets = ORDER_TRANSITIONS[order.status];
  return (
    <div className="actions">
      {targets.length === 0 && <span className="muted small">Final</span>}
      {targets.map((target) => (
        <button
          key={target}
          type="button"
          className={`button button--small ${target === 'CANCELED' ? 'button--danger' : 'button--secondary'}`}
          disabled={change.isPending}
          onClick={() => change.mutate({ target, version: order.version })}
          aria-label={`${actionLabel(target)} order ${shortId(order.id)}`}
          data-testid={`action-${order.id}-${target}`}
        >
          {actionLabel(target)}
        </button>
      ))}
      {change.isError && (
        <p className="alert alert--inline" role="alert" data-testid={`action-error-${order.id}`}>
          {explainStatusChangeError(change.error, change.variables?.version ?? order.version)}
        </p>
      )}
    </div>
  );
}
