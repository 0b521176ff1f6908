import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { AuditTrailResponse } from '@ordertrack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Session } from '../support/api-client.js';
import { exportedMetricTypes, isExported, metricNamesUsedIn } from '../support/metric-names.js';
import { PrometheusServer } from '../support/prometheus-server.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const deployFile = (relative: string): string =>
  fileURLToPath(new URL(`../../../../deploy/${relative}`, import.meta.url));
const DASHBOARD = deployFile('grafana/dashboards/ordertrack.json');
const ALERTS = deployFile('prometheus/alerts.yml');
const ORDERS_PLACED = 3;

describe('observability: metrics, Prometheus scrape, audit trail', () => {
  let testApp: TestApp;
  let api: ApiClient;
  let admin: Session;
  let customer: Session;
  const orderIds: string[] = [];

  beforeAll(async () => {
    testApp = await startTestApp('pglite');
    api = new ApiClient(testApp.baseUrl);
    admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    customer = await api.register('Metrics Customer', `metrics-${randomUUID()}@example.com`);
    const socket = await customer.connect();
    for (let i = 0; i < ORDERS_PLACED; i += 1) orderIds.push((await customer.placeOrder()).id);
    const [first] = orderIds as [string];
    await admin.setStatus(first, 'ACCEPTED');
    await socket.waitForEvent(first, 2);
    await admin.api.get('/search/orders?size=5');
    await api.post('/auth/login', { email: 'nobody@example.com', password: 'wrong-password' });
    socket.close();
  });

  afterAll(() => testApp.close());

  it('exports every metric the dashboard and the alert rules query', async () => {
    const response = await fetch(`${testApp.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const types = exportedMetricTypes(await response.text());
    const used = await metricNamesUsedIn([DASHBOARD, ALERTS]);
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((name) => !isExported(name, types));
    expect(missing).toEqual([]);
  });

  it('labels by route template, never by raw path or id', async () => {
    const exposition = await (await fetch(`${testApp.baseUrl}/metrics`)).text();
    expect(exposition).toContain('route="/orders/:id/status"');
    for (const id of [...orderIds, customer.userId]) expect(exposition).not.toContain(id);
    expect(exposition).toMatch(/ordertrack_events_written_total\{type="created"\} 3\n/);
    expect(exposition).toMatch(/ordertrack_event_end_to_end_latency_seconds_count\{type="updated"\} 1\n/);
  });

  it('is scraped by a real Prometheus, whose PromQL answers with the orders placed', async () => {
    const target = new URL(testApp.baseUrl).host;
    const prometheus = await PrometheusServer.start([target], [ALERTS]);
    try {
      const created = await waitFor(
        'Prometheus to have scraped the created-event count',
        async () => {
          const [sample] = await prometheus.query('sum(ordertrack_events_written_total{type="created"})');
          return sample === undefined ? undefined : Number(sample.value[1]);
        },
        30_000,
      );
      expect(created).toBe(ORDERS_PLACED);
      const [relayed] = await prometheus.query('sum(ordertrack_events_relayed_total{topic="order.created"})');
      expect(Number(relayed?.value[1])).toBe(ORDERS_PLACED);
      const [up] = await prometheus.query('up{job="ordertrack"}');
      expect(up?.value[1]).toBe('1');
    } finally {
      await prometheus.stop();
    }
  });

  it('returns the request id it was given, or a new one', async () => {
    const given = await api.get('/health', { 'x-request-id': 'trace-me-42' });
    expect(given.headers.get('x-request-id')).toBe('trace-me-42');
    const generated = await api.get('/health', { 'x-request-id': 'not a valid id!' });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves an order's audit trail to admins only, and 404 for an unknown order", async () => {
    const [first] = orderIds as [string];
    const trail = await admin.api.get<AuditTrailResponse>(`/audit/orders/${first}`);
    expect(trail.status).toBe(200);
    expect(trail.body.items.map((item) => item.action)).toEqual(['order.created', 'order.status_changed']);
    expect(trail.body.items[1]?.actor).toEqual({ userId: admin.userId, role: 'ADMIN' });
    expect(JSON.stringify(trail.body)).not.toContain('@example.com');
    expect((await customer.api.get(`/audit/orders/${first}`)).status).toBe(403);
    expect((await admin.api.get(`/audit/orders/${randomUUID()}`)).status).toBe(404);
  });
});
