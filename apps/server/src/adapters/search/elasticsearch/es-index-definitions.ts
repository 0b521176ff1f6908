import { MAX_PAGE_SIZE } from '@ordertrack/shared';
import type { estypes } from '@elastic/elasticsearch';

/**
 * Index layout, as pure data.
 *
 * - Current state: one document per order (`<prefix>-orders`, id = order id), overwritten with external versioning,
 *   so search, paging and the status/daily aggregations read one small index.
 * - History: one document per lifecycle event (SDD section 5 mapping), in monthly indices
 *   `<prefix>-history-YYYY.MM` created on first write from an index template that also attaches the read alias
 *   `<prefix>-history`.
 *
 * Retention: the SDD asks for ILM. The Elasticsearch build used here has no ILM module, and the same effect
 * (drop history older than N months) is achieved portably by deleting whole monthly indices
 * (see `expiredHistoryIndices` and es-index-maintenance.ts). We deliberately do NOT switch to an ILM policy when
 * a cluster has one: one mechanism everywhere keeps behaviour identical between test and production.
 */
export interface EsIndexNames {
  readonly prefix: string;
  /** Current state, one document per order. */
  readonly orders: string;
  /** Alias over every monthly history index; reads go through it. */
  readonly historyAlias: string;
  /** Matches every monthly history index of this prefix (and only them: the suffix is a date). */
  readonly historyPattern: string;
  readonly historyTemplate: string;
  historyIndexFor(timestamp: string): string;
}

export function esIndexNames(prefix: string): EsIndexNames {
  return {
    prefix,
    orders: `${prefix}-orders`,
    historyAlias: `${prefix}-history`,
    historyPattern: `${prefix}-history-2*`,
    historyTemplate: `${prefix}-history`,
    historyIndexFor: (timestamp) => `${prefix}-history-${monthSuffix(new Date(timestamp))}`,
  };
}

/** UTC year and month, `YYYY.MM`: an event always lands in the same monthly index, so `op_type=create` deduplicates. */
export function monthSuffix(date: Date): string {
  return `${date.getUTCFullYear()}.${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The lowercase-normalized subfield of product ids that free-text search matches against. */
export const PRODUCT_ID_LOWERCASE_FIELD = 'items.productId.lower';

/**
 * The API allows page 10 000 at 100 per page; PostgreSQL answers that (usually with nothing), so Elasticsearch must
 * too instead of failing on the default 10 000-hit window. Deep pages are rare admin requests and bounded by this.
 */
export const MAX_RESULT_WINDOW = 10_000 * MAX_PAGE_SIZE;

const LOWERCASE_NORMALIZER = 'lowercase_keyword';

function indexSettings(replicas: number): estypes.IndicesIndexSettings {
  return {
    number_of_shards: 1,
    number_of_replicas: replicas,
    analysis: { normalizer: { [LOWERCASE_NORMALIZER]: { type: 'custom', filter: ['lowercase'] } } },
  };
}

const itemsMapping: estypes.MappingProperty = {
  type: 'nested',
  properties: {
    productId: {
      type: 'keyword',
      fields: { lower: { type: 'keyword', normalizer: LOWERCASE_NORMALIZER } },
    },
    qty: { type: 'integer' },
  },
};

/** `dynamic: strict` turns a document that drifted from the mapping into a bulk error instead of a silent new field. */
export const currentOrderMappings: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    userId: { type: 'keyword' },
    status: { type: 'keyword' },
    items: itemsMapping,
    version: { type: 'integer' },
    createdAt: { type: 'date' },
    updatedAt: { type: 'date' },
  },
};

/** SDD section 5, plus what history and deduplication need (type, version, eventId). */
export const historyMappings: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    eventId: { type: 'keyword' },
    orderId: { type: 'keyword' },
    userId: { type: 'keyword' },
    type: { type: 'keyword' },
    status: { type: 'keyword' },
    version: { type: 'integer' },
    timestamp: { type: 'date' },
    items: itemsMapping,
  },
};

export function currentOrdersIndexRequest(names: EsIndexNames, replicas: number): estypes.IndicesCreateRequest {
  return {
    index: names.orders,
    settings: { ...indexSettings(replicas), max_result_window: MAX_RESULT_WINDOW },
    mappings: currentOrderMappings,
  };
}

export function historyTemplateRequest(names: EsIndexNames, replicas: number): estypes.IndicesPutIndexTemplateRequest {
  return {
    name: names.historyTemplate,
    index_patterns: [names.historyPattern],
    // Above the built-in templates' priorities (100-ish), so ours wins for our pattern.
    priority: 200,
    template: {
      settings: indexSettings(replicas),
      mappings: historyMappings,
      aliases: { [names.historyAlias]: {} },
    },
    _meta: { managedBy: 'ordertrack', description: 'monthly order lifecycle history' },
  };
}

/**
 * Monthly history indices whose whole month lies before the retention window: with 24 months kept, in
 * 2026-03 the oldest kept month is 2024-04. Names that do not end in a `YYYY.MM` suffix are never returned.
 */
export function expiredHistoryIndices(
  names: EsIndexNames,
  existing: readonly string[],
  now: Date,
  retentionMonths: number,
): string[] {
  const oldestKept = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (retentionMonths - 1), 1));
  const oldestKeptSuffix = monthSuffix(oldestKept);
  const monthly = new RegExp(`^${escapeRegExp(names.prefix)}-history-(\\d{4}\\.\\d{2})$`);
  return existing.filter((index) => {
    const suffix = monthly.exec(index)?.[1];
    // `YYYY.MM` strings compare in time order.
    return suffix !== undefined && suffix < oldestKeptSuffix;
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
