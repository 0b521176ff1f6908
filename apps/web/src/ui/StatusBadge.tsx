import type { OrderStatus } from '@ordertrack/shared';
import { statusLabel } from './format';

export function StatusBadge({ status, testId }: { status: OrderStatus; testId?: string }) {
  return (
    <span className={`badge badge--${status.toLowerCase()}`} data-testid={testId} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}
