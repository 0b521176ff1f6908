import { readFileSync } from 'node:fs';
import {
  AUDIT_EVENTS_TOPIC,
  ORDER_EVENT_TOPICS,
  ORDER_SOCKET_CLIENT_REQUESTS,
  ORDER_SOCKET_SERVER_MESSAGES,
} from '@ordertrack/shared';
import { describe, expect, it } from 'vitest';
import { serializeApiDocument } from '../http/openapi-file.js';
import { ASYNCAPI_FILE, buildAsyncApiDocument } from './asyncapi-document.js';

interface Document {
  channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
  components: { messages: Record<string, { name: string }> };
}

/** Every `$ref` anywhere in the document, with where it was found. */
function refsIn(value: unknown, at = '#'): Array<{ at: string; ref: string }> {
  if (Array.isArray(value)) return value.flatMap((item, index) => refsIn(item, `${at}/${index}`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === '$ref' && typeof item === 'string' ? [{ at, ref: item }] : refsIn(item, `${at}/${key}`),
  );
}

function resolve(document: unknown, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>(
      (node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined),
      document,
    );
}

describe('the AsyncAPI document', () => {
  const document = buildAsyncApiDocument();

  it('is committed as built (run `npm run asyncapi` after changing a message contract)', () => {
    expect(readFileSync(ASYNCAPI_FILE, 'utf8'), 'apps/server/asyncapi.json is stale: run `npm run asyncapi`').toBe(
      serializeApiDocument(document),
    );
  });

  it('points nowhere that is not in it', () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(10);
    expect(refs.filter(({ ref }) => !ref.startsWith('#/') || resolve(document, ref) === undefined)).toEqual([]);
  });

  it('has a channel for every topic the relays write and a message for every socket event', () => {
    const { channels, components } = document as unknown as Document;
    const addresses = Object.values(channels).map((channel) => channel.address);
    expect(addresses).toEqual(expect.arrayContaining([...Object.values(ORDER_EVENT_TOPICS), AUDIT_EVENTS_TOPIC]));
    const socketNames = Object.values(channels.orders?.messages ?? {}).map(
      ({ $ref }) => (resolve(document, $ref) as { name: string }).name,
    );
    expect(socketNames).toEqual(
      expect.arrayContaining([
        ...Object.keys(ORDER_SOCKET_SERVER_MESSAGES),
        ...Object.keys(ORDER_SOCKET_CLIENT_REQUESTS),
      ]),
    );
    expect(Object.keys(components.messages).length).toBe(
      2 + Object.keys(ORDER_SOCKET_SERVER_MESSAGES).length + 2 * Object.keys(ORDER_SOCKET_CLIENT_REQUESTS).length,
    );
  });
});
