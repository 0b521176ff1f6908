import { describe, expect, it } from 'vitest';
import { esIndexNames } from './es-index-definitions.js';
import {
  busiestHour,
  createdOrdersStatsRequest,
  escapeWildcard,
  eventsPerHourRequest,
  searchOrdersRequest,
} from './es-queries.js';

const names = esIndexNames('ot');
const ORDER_ID = '0b6f6f5e-6a53-4b5e-9d6c-2f0f3d1c9a11';
const USER_ID = '5c0e3a8e-1f7e-4a55-8a8b-3c1d2e4f5a6b';

describe('searchOrdersRequest', () => {
  it('filters on every given field, sorts like PostgreSQL and pages with an exact total', () => {
    const request = searchOrdersRequest(names, {
      orderId: ORDER_ID,
      userId: USER_ID,
      status: ['CREATED', 'SHIPPED'],
      from: '2026-01-10T10:00:00+01:00',
      to: '2026-01-11T00:00:00Z',
      page: 3,
      size: 25,
    });
    expect(request).toEqual({
      index: 'ot-orders',
      query: {
        bool: {
          filter: [
            { ids: { values: [ORDER_ID] } },
            { term: { userId: USER_ID } },
            { terms: { status: ['CREATED', 'SHIPPED'] } },
            { range: { updatedAt: { gte: '2026-01-10T09:00:00.000Z', lte: '2026-01-11T00:00:00.000Z' } } },
          ],
        },
      },
      sort: [{ updatedAt: { order: 'desc' } }, { id: { order: 'desc' } }],
      from: 50,
      size: 25,
      track_total_hits: true,
    });
  });

  it('has no filters when nothing is given, and a half-open range when only one end is', () => {
    expect(searchOrdersRequest(names, { page: 1, size: 20 }).query).toEqual({ bool: { filter: [] } });
    expect(searchOrdersRequest(names, { to: '2026-01-11T00:00:00Z', page: 1, size: 20 }).query).toEqual({
      bool: { filter: [{ range: { updatedAt: { lte: '2026-01-11T00:00:00.000Z' } } }] },
    });
  });

  it('turns each free-text term into a case-insensitive nested wildcard on product ids', () => {
    const request = searchOrdersRequest(names, { q: '  Blend   ESP blend ', page: 1, size: 20 });
    expect(request.query).toEqual({
      bool: {
        filter: ['blend', 'esp'].map((term) => ({
          nested: {
            path: 'items',
            query: { wildcard: { 'items.productId.lower': { value: `*${term}*`, case_insensitive: true } } },
          },
        })),
      },
    });
  });

  it('escapes wildcard syntax in user text and never uses query_string', () => {
    const request = searchOrdersRequest(names, { q: 'a*b? c\\d', page: 1, size: 20 });
    const text = JSON.stringify(request);
    expect(text).toContain(JSON.stringify('*a\\*b\\?*'));
    expect(text).toContain(JSON.stringify('*c\\\\d*'));
    expect(text).not.toMatch(/query_string/);
  });
});

describe('escapeWildcard', () => {
  it('escapes *, ? and the backslash itself, and nothing else', () => {
    expect(escapeWildcard('*')).toBe('\\*');
    expect(escapeWildcard('?')).toBe('\\?');
    expect(escapeWildcard('\\')).toBe('\\\\');
    expect(escapeWildcard('esp-001_x.y')).toBe('esp-001_x.y');
  });
});

describe('stats requests', () => {
  it('counts created orders by status and UTC day, skipping empty days', () => {
    const request = createdOrdersStatsRequest(names, { from: '2026-01-11T00:00:00Z' });
    expect(request).toMatchObject({
      index: 'ot-orders',
      size: 0,
      query: { bool: { filter: [{ range: { createdAt: { gte: '2026-01-11T00:00:00.000Z' } } }] } },
      aggs: {
        by_status: { terms: { field: 'status', size: 6 } },
        by_day: {
          date_histogram: { field: 'createdAt', calendar_interval: 'day', time_zone: 'UTC', min_doc_count: 1 },
        },
      },
    });
  });

  it('buckets lifecycle events by UTC hour over history', () => {
    expect(eventsPerHourRequest(names, {})).toMatchObject({
      index: 'ot-history',
      size: 0,
      query: { bool: { filter: [] } },
      aggs: { by_hour: { date_histogram: { field: 'timestamp', fixed_interval: '1h', min_doc_count: 1 } } },
    });
  });
});

describe('busiestHour', () => {
  it('picks the hour with the most events, the earliest one on a tie, and null when there are none', () => {
    expect(busiestHour([])).toBeNull();
    expect(busiestHour([{ key: 0, doc_count: 0 }])).toBeNull();
    expect(
      busiestHour([
        { key: 3, doc_count: 2 },
        { key: 1, doc_count: 5 },
        { key: 2, doc_count: 5 },
      ]),
    ).toEqual({ key: 1, doc_count: 5 });
    expect(
      busiestHour([
        { key: 7, doc_count: 5 },
        { key: 4, doc_count: 5 },
      ]),
    ).toEqual({ key: 4, doc_count: 5 });
  });
});
