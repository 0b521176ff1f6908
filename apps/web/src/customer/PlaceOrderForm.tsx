import type { Order } from '@ordertrack/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { describeError } from '../api/api-error';
import { useSignedInSession } from '../auth/use-session';
import { newIdempotencyKey } from '../orders/idempotency-key';
import { upsertOrder } from '../orders/order-events';
import { orderKeys } from '../orders/order-queries';
import { formatMoney, shortId } from '../ui/format';
import { cartTotalCents, checkCart, type Cart } from './cart';

export function PlaceOrderForm() {
  const { api, session } = useSignedInSession();
  const queryClient = useQueryClient();
  const catalog = useQuery({ queryKey: ['catalog'], queryFn: api.catalog, staleTime: Infinity });
  const [cart, setCart] = useState<Cart>({});
  const [showErrors, setShowErrors] = useState(false);
  const [placed, setPlaced] = useState<Order | undefined>(undefined);
  // One key per distinct cart: a retry of the same submission cannot create a second order.
  const idempotencyKey = useRef(newIdempotencyKey());

  const placeOrder = useMutation({
    mutationFn: (request: Parameters<typeof api.placeOrder>[0]) => api.placeOrder(request, idempotencyKey.current),
    onSuccess: (order) => {
      queryClient.setQueryData<readonly Order[]>(orderKeys.mine(session.user.id), (orders) =>
        upsertOrder(orders ?? [], order),
      );
      setPlaced(order);
      setCart({});
      setShowErrors(false);
      idempotencyKey.current = newIdempotencyKey();
    },
  });

  const products = catalog.data?.items ?? [];
  const check = checkCart(cart);
  const errors = showErrors ? check.errors : {};

  function setQuantity(productId: string, typed: string) {
    setCart((current) => ({ ...current, [productId]: typed }));
    setPlaced(undefined);
    idempotencyKey.current = newIdempotencyKey();
  }

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setShowErrors(true);
    if (check.request !== undefined) placeOrder.mutate(check.request);
  }

  return (
    <section className="card" aria-labelledby="place-order-title">
      <h2 id="place-order-title">Place an order</h2>
      {catalog.isPending && <p className="muted">Loading products…</p>}
      {catalog.isError && (
        <p className="alert" role="alert">
          {describeError(catalog.error)}
        </p>
      )}
      <form onSubmit={submit} noValidate aria-label="Place an order" data-testid="place-order-form">
        <ul className="products">
          {products.map((product) => {
            const inputId = `qty-${product.productId}`;
            const error = errors[product.productId];
            return (
              <li key={product.productId} className="product">
                <label htmlFor={inputId} className="product__name">
                  {product.name}
                  <span className="product__price">{formatMoney(product.priceCents)}</span>
                </label>
                <input
                  id={inputId}
                  className="input product__qty"
                  type="number"
                  inputMode="numeric"
                  min={0}
                  step={1}
                  placeholder="0"
                  value={cart[product.productId] ?? ''}
                  onChange={(e) => setQuantity(product.productId, e.target.value)}
                  aria-invalid={error === undefined ? undefined : true}
                  aria-describedby={error === undefined ? undefined : `${inputId}-error`}
                  data-testid={`qty-${product.productId}`}
                />
                {error !== undefined && (
                  <p id={`${inputId}-error`} className="field__error product__error">
                    {error}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
        {errors[''] !== undefined && (
          <p className="field__error" role="alert" data-testid="order-form-error">
            {errors[''].replace(/^an order/, 'Your order')}
          </p>
        )}
        <div className="form-footer">
          <span className="total" aria-live="polite">
            Total <strong>{formatMoney(cartTotalCents(cart, products))}</strong>
          </span>
          <button
            type="submit"
            className="button button--primary"
            disabled={placeOrder.isPending || products.length === 0}
          >
            {placeOrder.isPending ? 'Placing…' : 'Place order'}
          </button>
        </div>
        {placeOrder.isError && (
          <p className="alert" role="alert">
            {describeError(placeOrder.error)}
          </p>
        )}
        {placed !== undefined && (
          <p className="notice notice--ok" role="status" data-testid="order-placed">
            Order {shortId(placed.id)} placed. Watch its progress below.
          </p>
        )}
      </form>
    </section>
  );
}
