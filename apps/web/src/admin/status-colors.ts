import type { OrderStatus } from '@ordertrack/shared';

/** Chart colours matching the status badges in styles.css. */
export const STATUS_COLORS: Readonly<Record<OrderStatus, string>> = {
  CREATED: '#5b6b7f',
  ACCEPTED: '#2457a6',
  PREPARED: '#7a4cc2',
  SHIPPED: '#b86e00',
  DELIVERED: '#1e7f4f',
  CANCELED: '#b3261e',
};
