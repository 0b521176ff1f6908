import type { OrderStatus } from '@ordertrack/shared';
import { formatDateTime, formatTime, shortId, statusLabel } from '../ui/format';
import { useOrderHistory } from './order-queries';
import { timelineSteps } from './timeline-steps';

/** The order's steps with the time each was reached, loaded from its history and extended live by pushed events. */
export function OrderTimeline({ orderId, status }: { orderId: string; status: OrderStatus }) {
  const history = useOrderHistory(orderId);
  if (history.isError) {
    return (
      <p className="muted small" role="alert">
        Timeline unavailable right now.
      </p>
    );
  }
  const steps = timelineSteps(history.data ?? [], status);
  return (
    <ol className="timeline" aria-label={`Timeline of order ${shortId(orderId)}`} data-testid={`timeline-${orderId}`}>
      {steps.map((step) => (
        <li
          key={step.status}
          className={`timeline__step ${step.at === undefined ? '' : 'timeline__step--done'} ${step.status === 'CANCELED' ? 'timeline__step--canceled' : ''}`}
          data-testid={`timeline-step-${step.status}`}
          data-reached={step.at !== undefined}
        >
          <span className="timeline__dot" aria-hidden="true" />
          <span className="timeline__label">{statusLabel(step.status)}</span>
          {step.at === undefined ? (
            <span className="timeline__time muted">{history.isPending ? '…' : 'pending'}</span>
          ) : (
            <time className="timeline__time" dateTime={step.at} title={formatDateTime(step.at)}>
              {formatTime(step.at)}
            </time>
          )}
        </li>
      ))}
    </ol>
  );
}
