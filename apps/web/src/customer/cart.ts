import { CreateOrderRequest, type Product } from '@ordertrack/shared';
import { fieldErrors } from '../ui/field-errors';

/** What the quantity inputs hold, by product id, exactly as typed. */
export type Cart = Readonly<Record<string, string>>;

export interface CartCheck {
  request: CreateOrderRequest | undefined;
  /** Messages by product id, plus "" for the order as a whole. */
  errors: Record<string, string>;
}

/** Turns the typed quantities into an order request and checks it with the shared schema the server uses. */
export function checkCart(cart: Cart): CartCheck {
  const lines = Object.entries(cart)
    .map(([productId, typed]) => ({ productId, typed: typed.trim() }))
    .filter((line) => line.typed !== '' && line.typed !== '0');
  const items = lines.map((line) => ({ productId: line.productId, qty: Number(line.typed) }));
  const parsed = CreateOrderRequest.safeParse({ items });
  if (parsed.success) return { request: parsed.data, errors: {} };
  const errors: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors(parsed.error))) {
    const match = /^items\.(\d+)\./.exec(path);
    const productId = match === null ? undefined : lines[Number(match[1])]?.productId;
    errors[productId ?? ''] ??= productId === undefined ? message : `Quantity ${message}`;
  }
  return { request: undefined, errors };
}

export function cartTotalCents(cart: Cart, products: readonly Product[]): number {
  return products.reduce((total, product) => {
    const qty = Number(cart[product.productId] ?? '');
    return Number.isInteger(qty) && qty > 0 ? total + qty * product.priceCents : total;
  }, 0);
}
