import { describe, expect, it } from 'vitest';
import { esIndexNames, expiredHistoryIndices, historyTemplateRequest, monthSuffix } from './es-index-definitions.js';

describe('index names', () => {
  it('derive every name from the prefix and put each event in its UTC month', () => {
    const names = esIndexNames('ordertrack');
    expect(names).toMatchObject({
      orders: 'ordertrack-orders',
      historyAlias: 'ordertrack-history',
      historyPattern: 'ordertrack-history-2*',
    });
    expect(names.historyIndexFor('2026-01-31T23:59:59.999Z')).toBe('ordertrack-history-2026.01');
    expect(names.historyIndexFor('2026-02-01T00:30:00+01:00')).toBe('ordertrack-history-2026.01');
    expect(monthSuffix(new Date('2026-12-01T00:00:00Z'))).toBe('2026.12');
  });

  it('creates monthly history indices from a template that attaches the read alias', () => {
    const template = historyTemplateRequest(esIndexNames('ot'), 0);
    expect(template).toMatchObject({
      name: 'ot-history',
      index_patterns: ['ot-history-2*'],
      template: { aliases: { 'ot-history': {} }, settings: { number_of_replicas: 0 } },
    });
    expect(template.template?.mappings?.properties).toMatchObject({
      orderId: { type: 'keyword' },
      timestamp: { type: 'date' },
      items: { type: 'nested', properties: { productId: { type: 'keyword' } } },
    });
  });
});

describe('expiredHistoryIndices', () => {
  const names = esIndexNames('ot');
  const existing = ['ot-history-2024.03', 'ot-history-2024.04', 'ot-history-2026.03', 'ot-history-x', 'ot-orders'];

  it('keeps exactly the last N months, the current one included', () => {
    expect(expiredHistoryIndices(names, existing, new Date('2026-03-15T00:00:00Z'), 24)).toEqual([
      'ot-history-2024.03',
    ]);
    expect(expiredHistoryIndices(names, existing, new Date('2026-03-15T00:00:00Z'), 1)).toEqual([
      'ot-history-2024.03',
      'ot-history-2024.04',
    ]);
  });

  it('crosses year boundaries and ignores names that are not monthly history indices of this prefix', () => {
    expect(
      expiredHistoryIndices(
        names,
        ['ot-history-2025.12', 'ot-history-2026.01', 'other-history-2000.01'],
        new Date('2026-01-01T00:00:00Z'),
        1,
      ),
    ).toEqual(['ot-history-2025.12']);
  });
});
