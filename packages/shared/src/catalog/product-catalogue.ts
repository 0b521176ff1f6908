import { z } from 'zod';
import { ProductId } from '../orders/order.js';

export const Product = z
  .object({ productId: ProductId, name: z.string(), priceCents: z.int().min(0) })
  .meta({ id: 'Product' });
export type Product = z.infer<typeof Product>;

export const ProductCatalogue = z.object({ items: z.array(Product) }).meta({ id: 'ProductCatalogue' });
export type ProductCatalogue = z.infer<typeof ProductCatalogue>;

/** The small fixed catalogue the dashboards offer; orders may name any valid product id. */
export const PRODUCT_CATALOGUE: readonly Product[] = [
  { productId: 'ESP-001', name: 'Espresso beans 1 kg', priceCents: 2490 },
  { productId: 'GRN-002', name: 'Burr grinder', priceCents: 8900 },
  { productId: 'CUP-003', name: 'Ceramic cup', priceCents: 1200 },
  { productId: 'FLT-004', name: 'Paper filters (100)', priceCents: 450 },
  { productId: 'KTL-005', name: 'Gooseneck kettle', priceCents: 5900 },
  { productId: 'SCL-006', name: 'Coffee scale', priceCents: 3400 },
];
