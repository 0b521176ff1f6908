import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES } from '../orders/order-status.js';
import { SearchOrdersQuery, searchTerms } from './search.js';

describe('search query parsing, for any input', () => {
  it('either parses into bounded, well-typed values or refuses — it never throws', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }),
      fc.integer().map(String),
    );
    const raw = fc.dictionary(
      fc.constantFrom(
        'orderId',
        'userId',
        'status',
        'from',
        'to',
        'q',
        'page',
        'size',
        'sort',
        '__proto__',
        'constructor',
      ),
      value,
    );
    fc.assert(
      fc.property(raw, (input) => {
        const parsed = SearchOrdersQuery.safeParse(input);
        if (!parsed.success) return;
        const query = parsed.data;
        expect(query.page).toBeGreaterThanOrEqual(1);
        expect(query.size).toBeGreaterThanOrEqual(1);
        expect(query.size).toBeLessThanOrEqual(100);
        for (const status of query.status ?? []) expect(ORDER_STATUSES).toContain(status);
        if (query.from !== undefined && query.to !== undefined)
          expect(Date.parse(query.from)).toBeLessThanOrEqual(Date.parse(query.to));
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts any combination of statuses, repeated or comma-separated, and nothing else', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...ORDER_STATUSES), { minLength: 1 }),
        fc.boolean(),
        (statuses, comma) => {
          const parsed = SearchOrdersQuery.parse({ status: comma ? statuses.join(',') : statuses });
          expect(parsed.status).toEqual(statuses);
        },
      ),
    );
    expect(SearchOrdersQuery.safeParse({ status: 'CREATED,LOST' }).success).toBe(false);
  });

  it('splits free text into distinct lowercase terms without empty ones', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const terms = searchTerms(text);
        expect(new Set(terms).size).toBe(terms.length);
        for (const term of terms) {
          expect(term).toBe(term.toLowerCase());
          expect(term).not.toMatch(/\s/);
          expect(term.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});
