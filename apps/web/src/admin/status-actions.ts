import type { OrderStatus } from '@ordertrack/shared';
import { ApiError, describeError } from '../api/api-error';

const ACTION_LABELS: Readonly<Record<OrderStatus, string>> = {
  CREATED: 'Reopen',
  ACCEPTED: 'Accept',
  PREPARED: 'Mark prepared',
  SHIPPED: 'Ship',
  DELIVERED: 'Mark delivered',
  CANCELED: 'Cancel',
};
export const actionLabel = (target: OrderStatus): string => ACTION_LABELS[target];

/** What the admin reads when a status change is refused, in terms of what to do next. */
export function explainStatusChangeError(error: unknown, shownVersion: number): string {
  if (error instanceof ApiError && error.status === 412) {
    return `Someone changed this order after you loaded it (you saw version ${shownVersion}). The latest state is shown now; check it and try again.`;
  }
  if (error instanceof ApiError && error.status === 409) {
    return `Not allowed: ${error.message}`;
  }
  return describeError(error);
}
