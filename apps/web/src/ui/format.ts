import { PRODUCT_CATALOGUE, type OrderItem, type OrderStatus } from '@ordertrack/shared';

const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const formatMoney = (cents: number): string => money.format(cents / 100);
export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));
export const formatTime = (iso: string): string => timeOnly.format(new Date(iso));
export const shortId = (uuid: string): string => uuid.slice(0, 8);

const STATUS_LABELS: Readonly<Record<OrderStatus, string>> = {
  CREATED: 'Placed',
  ACCEPTED: 'Accepted',
  PREPARED: 'Prepared',
  SHIPPED: 'Shipped',
  DELIVERED: 'Delivered',
  CANCELED: 'Canceled',
};
export const statusLabel = (status: OrderStatus): string => STATUS_LABELS[status];

const productNames = new Map(PRODUCT_CATALOGUE.map((product) => [product.productId, product.name]));
export const productName = (productId: string): string => productNames.get(productId) ?? productId;

export function describeItems(items: readonly OrderItem[]): string {
  return items.map((item) => `${item.qty} × ${productName(item.productId)}`).join(', ');
}

/** yyyy-mm-dd of a date in the viewer's time zone, the value format of `<input type="date">`. */
export function localDateValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The first or last millisecond of a local calendar day as an ISO timestamp, for `from`/`to` query values. */
export function dayBoundary(value: string, edge: 'start' | 'end'): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const date = edge === 'start' ? new Date(year, month, day) : new Date(year, month, day, 23, 59, 59, 999);
  return date.toISOString();
}

const productPrices = new Map(PRODUCT_CATALOGUE.map((product) => [product.productId, product.priceCents]));
/** The order's value at catalogue prices; products outside the catalogue count as zero. */
export function itemsTotalCents(items: readonly OrderItem[]): number {
  return items.reduce((total, item) => total + item.qty * (productPrices.get(item.productId) ?? 0), 0);
}
