import { fileURLToPath } from 'node:url';
import {
  AUDIT_EVENTS_TOPIC,
  AuditEvent,
  AuditEventHeaders,
  EVENT_CONTENT_TYPE,
  ORDER_EVENT_TOPICS,
  ORDER_SOCKET_CLIENT_REQUESTS,
  ORDER_SOCKET_SERVER_MESSAGES,
  ORDERS_NAMESPACE,
  OrderEventHeaders,
  OrderEventType,
  OrderLifecycleEvent,
} from '@ordertrack/shared';
import { z } from 'zod';

/** The committed AsyncAPI document (`npm run asyncapi` rewrites it); a unit test fails when the contracts drift. */
export const ASYNCAPI_FILE = fileURLToPath(new URL('../../asyncapi.json', import.meta.url));

const KAFKA_BINDING_VERSION = '0.5.0';
const SCHEMAS = '#/components/schemas/';
const MESSAGES = '#/components/messages/';

const ref = (path: string) => ({ $ref: path });

/** `order.created` → `orderCreated`: AsyncAPI ids allow letters, digits, `_` and `-` only. */
function idOf(name: string): string {
  return name.replace(/[.\-_](.)/g, (_, letter: string) => letter.toUpperCase());
}

const capitalised = (id: string) => `${id.charAt(0).toUpperCase()}${id.slice(1)}`;

function schemaId(schema: z.ZodType): string {
  const id = schema.meta()?.id;
  if (typeof id !== 'string') throw new Error('every documented schema carries a .meta({ id })');
  return id;
}

const schemaRef = (schema: z.ZodType) => ref(`${SCHEMAS}${schemaId(schema)}`);

/** An operation on the Socket.IO channel carrying one of its messages, and for a request the reply it gets. */
function socketOperation(action: 'send' | 'receive', messageId: string, replyId?: string) {
  const channel = ref('#/channels/orders');
  const message = (id: string) => [ref(`#/channels/orders/messages/${id}`)];
  return {
    action,
    channel,
    messages: message(messageId),
    ...(replyId === undefined ? {} : { reply: { channel, messages: message(replyId) } }),
  };
}

/** Each message's schemas as JSON Schema, a schema used inside another (an event inside a resume reply) by $ref. */
function componentSchemas(schemas: readonly z.ZodType[]): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const schema of schemas) registry.add(schema, { id: schemaId(schema) });
  const { schemas: converted } = z.toJSONSchema(registry, {
    target: 'draft-7',
    unrepresentable: 'any',
    uri: (id) => `${SCHEMAS}${id}`,
  });
  return Object.fromEntries(
    Object.entries(converted).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema]),
  );
}

/**
 * The AsyncAPI 3.0 document of everything the server sends or receives besides HTTP: the Kafka topics the outbox
 * relays write (one per lifecycle event type, and the audit topic) and the Socket.IO namespace clients listen on.
 * Built from the shared zod schemas that producers, consumers and clients validate with, so it cannot say otherwise.
 */
export function buildAsyncApiDocument(): Record<string, unknown> {
  const socketMessages = Object.entries(ORDER_SOCKET_SERVER_MESSAGES);
  const socketRequests = Object.entries(ORDER_SOCKET_CLIENT_REQUESTS);
  const lifecycleChannels = OrderEventType.options.map((type) => ({ type, id: idOf(ORDER_EVENT_TOPICS[type]) }));
  const kafkaMessage = (name: string, payload: z.ZodType, headers: z.ZodType, key: string) => ({
    name,
    contentType: EVENT_CONTENT_TYPE,
    headers: schemaRef(headers),
    payload: schemaRef(payload),
    bindings: { kafka: { key: { type: 'string', description: key }, bindingVersion: KAFKA_BINDING_VERSION } },
  });
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Order tracking events',
      version: '0.1.0',
      description:
        'Order lifecycle events leave PostgreSQL through the transactional outbox: each is written in the same ' +
        'transaction as the change it records, then published at least once, in version order per order. Consumers ' +
        'deduplicate by `eventId` and order by `version`. Clients receive them on Socket.IO and fill any gap with ' +
        '`orders.resume`.',
    },
    defaultContentType: EVENT_CONTENT_TYPE,
    servers: {
      kafka: {
        host: 'localhost:9092',
        protocol: 'kafka',
        description: 'KAFKA_BROKERS; every topic name is prefixed with KAFKA_TOPIC_PREFIX (empty by default).',
      },
      socketio: {
        host: 'localhost:3000',
        pathname: '/socket.io',
        protocol: 'ws',
        description:
          'Socket.IO 4 on the API port (WebSocket, or HTTP long-polling before the upgrade); the handshake carries ' +
          'the access token as `auth: { token }`. A customer receives its own orders, an admin every order.',
      },
    },
    channels: {
      ...Object.fromEntries(
        lifecycleChannels.map(({ type, id }) => [
          id,
          {
            address: ORDER_EVENT_TOPICS[type],
            description: `Every \`${type}\` lifecycle event, keyed by order id.`,
            servers: [ref('#/servers/kafka')],
            messages: { orderLifecycleEvent: ref(`${MESSAGES}orderLifecycleEvent`) },
          },
        ]),
      ),
      [idOf(AUDIT_EVENTS_TOPIC)]: {
        address: AUDIT_EVENTS_TOPIC,
        description: 'Every audit event (sign-ups, logins, order changes), keyed by what it is about.',
        servers: [ref('#/servers/kafka')],
        messages: { auditEvent: ref(`${MESSAGES}auditEvent`) },
      },
      orders: {
        address: ORDERS_NAMESPACE,
        description: 'The Socket.IO namespace of order pushes; each message name is the Socket.IO event name.',
        servers: [ref('#/servers/socketio')],
        messages: Object.fromEntries(
          [
            ...socketMessages.map(([name]) => idOf(name)),
            ...socketRequests.flatMap(([name]) => [idOf(name), `${idOf(name)}Reply`]),
          ].map((id) => [id, ref(`${MESSAGES}${id}`)]),
        ),
      },
    },
    operations: {
      ...Object.fromEntries(
        lifecycleChannels.map(({ id }) => [
          `publish${capitalised(id)}`,
          { action: 'send', channel: ref(`#/channels/${id}`), summary: 'The outbox relay publishes committed events.' },
        ]),
      ),
      publishAuditEvents: {
        action: 'send',
        channel: ref(`#/channels/${idOf(AUDIT_EVENTS_TOPIC)}`),
        summary: 'The audit relay publishes committed audit events.',
      },
      ...Object.fromEntries(
        socketMessages.map(([name]) => [`emit${capitalised(idOf(name))}`, socketOperation('send', idOf(name))]),
      ),
      ...Object.fromEntries(
        socketRequests.map(([name]) => [
          `answer${capitalised(idOf(name))}`,
          socketOperation('receive', idOf(name), `${idOf(name)}Reply`),
        ]),
      ),
    },
    components: {
      schemas: componentSchemas([
        OrderLifecycleEvent,
        OrderEventHeaders,
        AuditEvent,
        AuditEventHeaders,
        ...socketMessages.map(([, schema]) => schema),
        ...socketRequests.flatMap(([, { request, reply }]) => [request, reply]),
      ]),
      messages: {
        orderLifecycleEvent: kafkaMessage(
          'OrderLifecycleEvent',
          OrderLifecycleEvent,
          OrderEventHeaders,
          'the order id: one order stays on one partition, so its events stay in order',
        ),
        auditEvent: kafkaMessage(
          'AuditEvent',
          AuditEvent,
          AuditEventHeaders,
          "the subject's id (the order or user), else the event's id",
        ),
        ...Object.fromEntries(
          socketMessages.map(([name, schema]) => [idOf(name), { name, payload: schemaRef(schema) }]),
        ),
        ...Object.fromEntries(
          socketRequests.flatMap(([name, { request, reply }]) => [
            [idOf(name), { name, payload: schemaRef(request) }],
            [`${idOf(name)}Reply`, { name: `${name} acknowledgement`, payload: schemaRef(reply) }],
          ]),
        ),
      },
    },
  };
}
