import { randomUUID } from 'node:crypto';
import { AuditEvent, type HealthResponse, type OrderLifecycleEvent } from '@ordertrack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type EventCollector, type Session } from '../support/api-client.js';
import { readTopic, requireKafka, TEST_KAFKA_BROKERS } from '../support/kafka.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';

/** The whole app on PostgreSQL with Kafka as its bus, on the production topic names (needs the broker). */
describe('order events through Kafka to the customer’s socket (needs the broker at 127.0.0.1:9092)', () => {
  let server: TestApp;
  let admin: Session;
  let customer: Session;
  let socket: EventCollector;
  const customerEmail = `kafka-${randomUUID()}@example.com`;

  beforeAll(async () => {
    await requireKafka();
    server = await startTestApp('postgres', {
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
      // A group of its own per run: earlier runs' commits (or a crashed run's member) cannot interfere.
      KAFKA_GROUP_PREFIX: `e2e-${randomUUID().slice(0, 8)}`,
    });
    const anonymous = new ApiClient(server.baseUrl);
    admin = await anonymous.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    customer = await anonymous.register('Kafka Customer', customerEmail);
    socket = await customer.connect();
  });

  afterAll(async () => {
    socket.close();
    await server.close();
  });

  it('reports the bus as Kafka and ready', async () => {
    const health = await customer.api.get<HealthResponse>('/health');
    expect(health.body.dependencies['bus']).toEqual({ status: 'up', adapter: 'kafka' });
  });

  it('pushes an order’s lifecycle to its customer via Kafka, records keyed by order id with headers', async () => {
    const order = await customer.placeOrder([{ productId: 'ESP-001', qty: 1 }]);
    // The first delivery includes the new consumer group joining, hence the longer deadline.
    const created = await socket.waitForEvent(order.id, 1, 30_000);
    await admin.setStatus(order.id, 'ACCEPTED');
    const accepted = await socket.waitForEvent(order.id, 2, 15_000);
    expect(accepted).toMatchObject({ type: 'updated', status: 'ACCEPTED', orderId: order.id });

    const ofThisOrder = (record: { key: string }): boolean => record.key === order.id;
    const [createdRecord] = await readTopic('order.created', 1, ofThisOrder);
    const [updatedRecord] = await readTopic('order.updated', 1, ofThisOrder);
    for (const [record, event] of [
      [createdRecord, created],
      [updatedRecord, accepted],
    ] as const) {
      expect(record?.headers).toMatchObject({
        eventId: event.eventId,
        type: event.type,
        orderId: order.id,
        version: String(event.version),
      });
      expect(JSON.parse(record?.value ?? '') as OrderLifecycleEvent).toEqual(event);
    }
    // Same key, same partition count: the order sits on the same partition number in every topic.
    expect(updatedRecord?.partition).toBe(createdRecord?.partition);
  });

  it('publishes the audit trail to audit.events: every write, valid by the shared schema, keyed by its subject', async () => {
    const order = await customer.placeOrder([{ productId: 'GRN-002', qty: 3 }]);
    await admin.setStatus(order.id, 'ACCEPTED');
    const failedLogin = await new ApiClient(server.baseUrl).post('/auth/login', {
      email: customerEmail,
      password: 'not-the-password',
    });
    expect(failedLogin.status).toBe(401);

    const ofThisOrder = (record: { key: string }): boolean => record.key === order.id;
    const orderRecords = await readTopic('audit.events', 2, ofThisOrder);
    const events = orderRecords.map((record) => AuditEvent.parse(JSON.parse(record.value)));
    expect(events.map((event) => event.action)).toEqual(['order.created', 'order.status_changed']);
    expect(orderRecords.map((record) => record.headers['type'])).toEqual(['order.created', 'order.status_changed']);
    expect(orderRecords.map((record) => record.headers['eventId'])).toEqual(events.map((event) => event.id));
    // The topic carries what the audit endpoint serves, nothing more.
    const trail = await admin.api.get<{ items: AuditEvent[] }>(`/audit/orders/${order.id}`);
    expect(events).toEqual(trail.body.items);

    const userRecords = await readTopic('audit.events', 2, (record) => record.key === customer.userId);
    expect(userRecords.map((record) => AuditEvent.parse(JSON.parse(record.value)).action)).toEqual([
      'user.registered',
      'auth.login_failed',
    ]);
  });
});
