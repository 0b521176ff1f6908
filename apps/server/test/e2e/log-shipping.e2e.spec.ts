import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/** The machine's Elasticsearch (`node services/services.mjs start elasticsearch`). */
const ELASTICSEARCH_URL = process.env['TEST_ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200';

interface SearchHits {
  hits: { hits: Array<{ _index: string; _source: Record<string, unknown> }> };
}

describe('logs shipped to Elasticsearch', () => {
  // A prefix of its own, so the test finds only its lines and can delete its indices afterwards.
  const prefix = `ordertrack-logs-test-${randomUUID().slice(0, 8)}`;
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp('pglite', {
      ELASTICSEARCH_URL,
      LOG_TO_ELASTICSEARCH: 'true',
      LOG_ELASTICSEARCH_INDEX_PREFIX: prefix,
    });
  });

  afterAll(async () => {
    await testApp.close();
    await fetch(`${ELASTICSEARCH_URL}/${prefix}-*`, { method: 'DELETE' });
    await fetch(`${ELASTICSEARCH_URL}/_index_template/${prefix}`, { method: 'DELETE' });
  });

  it("finds a request's ECS log line by its request id, without the token it carried", async () => {
    const requestId = `ship-${randomUUID()}`;
    const secret = `secret-token-${randomUUID()}`;
    const orderId = randomUUID();
    // A 401 logs at warn, which the tests' LOG_LEVEL=warn keeps.
    const response = await new ApiClient(testApp.baseUrl, secret).get(`/orders/${orderId}`, {
      'x-request-id': requestId,
    });
    expect(response.status).toBe(401);

    const document = await waitFor(
      'the request log line in Elasticsearch',
      async () => {
        const search = await fetch(`${ELASTICSEARCH_URL}/${prefix}-*/_search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: { term: { 'http.request.id': requestId } } }),
        });
        if (search.status !== 200) return undefined;
        const hit = ((await search.json()) as SearchHits).hits.hits[0];
        return hit;
      },
      30_000,
    );
    expect(document._index).toMatch(new RegExp(`^${prefix}-\\d{4}\\.\\d{2}\\.\\d{2}$`));
    expect(document._source).toMatchObject({
      'log.level': 'warn',
      'http.request.method': 'GET',
      'http.route': '/orders/:id',
      'http.response.status_code': 401,
      'ordertrack.order.id': orderId,
      'service.name': 'ordertrack',
    });
    expect(JSON.stringify(document._source)).not.toContain(secret);
  });
});
