import { PRODUCT_CATALOGUE } from '@ordertrack/shared';
import { describe, expect, it } from 'vitest';
import { cartTotalCents, checkCart } from './cart';

describe('checkCart', () => {
  it('builds the order request from typed quantities, skipping empty and zero', () => {
    expect(checkCart({ 'ESP-001': '2', 'CUP-003': '', 'FLT-004': '0' })).toEqual({
      request: { items: [{ productId: 'ESP-001', qty: 2 }] },
      errors: {},
    });
  });

  it('asks for at least one item', () => {
    expect(checkCart({}).errors['']).toMatch(/at least one item/);
  });

  it('reports a bad quantity against its product', () => {
    const { request, errors } = checkCart({ 'ESP-001': '2.5', 'CUP-003': '-1' });
    expect(request).toBeUndefined();
    expect(errors['ESP-001']).toMatch(/^Quantity/);
    expect(errors['CUP-003']).toMatch(/at least 1/);
  });
});

describe('cartTotalCents', () => {
  it('sums valid lines at catalogue prices', () => {
    expect(cartTotalCents({ 'ESP-001': '2', 'CUP-003': 'x' }, PRODUCT_CATALOGUE)).toBe(2 * 2490);
  });
});
