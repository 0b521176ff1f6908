import { errors, type Client } from '@elastic/elasticsearch';
import {
  currentOrdersIndexRequest,
  expiredHistoryIndices,
  historyTemplateRequest,
  type EsIndexNames,
} from './es-index-definitions.js';

export interface EsIndexSettings {
  names: EsIndexNames;
  replicas: number;
  historyRetentionMonths: number;
}

/**
 * Creates what the indexer and the search need, and applies history retention. Everything here is idempotent:
 * several instances may run it at once.
 */
export class EsIndexMaintenance {
  private ensured: Promise<void> | undefined;

  constructor(
    private readonly client: Client,
    private readonly settings: EsIndexSettings,
  ) {}

  /**
   * The history template must exist before the first event is written, or the monthly index would be auto-created
   * with dynamic mappings. Remembered once it succeeded; a failure is retried on the next call.
   */
  ensureIndices(): Promise<void> {
    this.ensured ??= this.createMissing().catch((error: unknown) => {
      this.ensured = undefined;
      throw error;
    });
    return this.ensured;
  }

  /** Deletes monthly history indices that fell out of the retention window; returns their names. */
  async applyRetention(now: Date): Promise<string[]> {
    const { names, historyRetentionMonths } = this.settings;
    const existing = await this.client.indices.get({
      index: names.historyPattern,
      allow_no_indices: true,
      ignore_unavailable: true,
      features: ['settings'],
    });
    const expired = expiredHistoryIndices(names, Object.keys(existing), now, historyRetentionMonths);
    if (expired.length > 0) await this.client.indices.delete({ index: expired, ignore_unavailable: true });
    return expired;
  }

  /** Drops every index and the template of this prefix: the reindex command's clean start, and test cleanup. */
  async deleteAll(): Promise<void> {
    const { names } = this.settings;
    this.ensured = undefined;
    await this.client.indices.delete({
      index: [names.orders, names.historyPattern],
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    await this.client.indices.deleteIndexTemplate({ name: names.historyTemplate }).catch(ignoreNotFound);
  }

  /** Makes indexed documents visible to search now (tests and the end of a reindex). */
  async refresh(): Promise<void> {
    const { names } = this.settings;
    await this.client.indices.refresh({
      index: [names.orders, names.historyPattern],
      ignore_unavailable: true,
      allow_no_indices: true,
    });
  }

  private async createMissing(): Promise<void> {
    const { names, replicas } = this.settings;
    // Always (re)written: it only shapes monthly indices created from now on, which should get this code's mapping.
    await this.client.indices.putIndexTemplate(historyTemplateRequest(names, replicas));
    if (!(await this.client.indices.exists({ index: names.orders }))) {
      await this.client.indices.create(currentOrdersIndexRequest(names, replicas)).catch(ignoreAlreadyExists);
    }
  }
}

/** Another instance created it between our check and our create: the outcome we wanted. */
function ignoreAlreadyExists(error: unknown): void {
  if (error instanceof errors.ResponseError && errorType(error) === 'resource_already_exists_exception') return;
  throw error;
}

function ignoreNotFound(error: unknown): void {
  if (error instanceof errors.ResponseError && error.statusCode === 404) return;
  throw error;
}

function errorType(error: errors.ResponseError): string {
  const body: unknown = error.body;
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const cause: unknown = body.error;
    if (typeof cause === 'object' && cause !== null && 'type' in cause && typeof cause.type === 'string') {
      return cause.type;
    }
  }
  return '';
}
