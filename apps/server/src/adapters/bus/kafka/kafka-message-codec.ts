import { ORDER_EVENT_TOPICS, OrderLifecycleEvent, orderEventHeaders, type OrderEventType } from '@ordertrack/shared';

/** One event as a Kafka record, before the client serialises it. */
export interface EncodedEventMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

export type DecodeResult = { ok: true; event: OrderLifecycleEvent } | { ok: false; error: string };

export type TopicForType = (type: OrderEventType) => string;

/**
 * The record for an event: its lifecycle topic, keyed by order id (so one order stays on one partition of each
 * topic), the event as JSON, and headers that let tools route or deduplicate without parsing the value.
 */
export function encodeEvent(
  event: OrderLifecycleEvent,
  topicFor: TopicForType = (type) => ORDER_EVENT_TOPICS[type],
): EncodedEventMessage {
  return {
    topic: topicFor(event.type),
    key: event.orderId,
    value: JSON.stringify(event),
    headers: orderEventHeaders(event),
  };
}

/** Consumers trust nothing they read: the value must be JSON that satisfies the shared event schema. */
export function decodeEvent(value: Uint8Array | string | undefined | null): DecodeResult {
  if (value === undefined || value === null || value.length === 0) return { ok: false, error: 'empty value' };
  const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = OrderLifecycleEvent.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`);
    return { ok: false, error: `not an OrderLifecycleEvent: ${issues.join('; ')}` };
  }
  return { ok: true, event: parsed.data };
}
