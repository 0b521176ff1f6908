import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { AuditDetails, OrderItem } from '@ordertrack/shared';

const STATUS_CHECK = sql`IN ('CREATED','ACCEPTED','PREPARED','SHIPPED','DELIVERED','CANCELED')`;

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    /** AES-256-GCM ciphertext (`v1:<kid>:…`, see FieldCipher) bound to this row and column. */
    name: text('name').notNull(),
    /** AES-256-GCM ciphertext, as `name`. */
    email: text('email').notNull(),
    /**
     * Blind index of the normalized email (HMAC-SHA256, `<kid>:…`): the unique, case-insensitive lookup key.
     * NULL only on rows written before encryption (migration 0002), whose name and email are still plaintext; the
     * server encrypts those at start-up.
     */
    emailIndex: text('email_index'),
    role: text('role', { enum: ['CUSTOMER', 'ADMIN'] }).notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('users_email_index_key').on(t.emailIndex),
    check('users_role_check', sql`${t.role} IN ('CUSTOMER','ADMIN')`),
  ],
);

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    status: text('status').notNull(),
    items: jsonb('items').$type<OrderItem[]>().notNull(),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('orders_user_created_idx').on(t.userId, t.createdAt.desc(), t.id.desc()),
    index('orders_updated_idx').on(t.updatedAt.desc(), t.id.desc()),
    index('orders_created_idx').on(t.createdAt),
    check('orders_status_check', sql`${t.status} ${STATUS_CHECK}`),
    check('orders_version_check', sql`${t.version} >= 1`),
  ],
);

/**
 * Append-only history of every order change, written in the same transaction as the change.
 * It doubles as the outbox: rows with `published_at IS NULL` have not yet reached the bus.
 */
export const orderEvents = pgTable(
  'order_events',
  {
    position: bigserial('position', { mode: 'number' }).primaryKey(),
    eventId: uuid('event_id').notNull(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    userId: uuid('user_id').notNull(),
    type: text('type').notNull(),
    status: text('status').notNull(),
    version: integer('version').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
    payload: jsonb('payload').$type<{ items: OrderItem[] }>().notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('order_events_event_id_key').on(t.eventId),
    uniqueIndex('order_events_order_version_key').on(t.orderId, t.version),
    index('order_events_unpublished_idx')
      .on(t.position)
      .where(sql`${t.publishedAt} IS NULL`),
    index('order_events_occurred_idx').on(t.occurredAt),
    check('order_events_status_check', sql`${t.status} ${STATUS_CHECK}`),
    check('order_events_type_check', sql`${t.type} IN ('created','updated','completed','canceled')`),
  ],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    orderId: uuid('order_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

/**
 * The immutable audit trail: triggers in the migrations (0001, 0003) refuse DELETE and any UPDATE other than setting
 * `published_at`, which (like order_events) marks rows an outbox relay has handed to the `audit.events` topic.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    position: bigserial('position', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().defaultRandom(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
    action: text('action').notNull(),
    actorId: uuid('actor_id'),
    actorRole: text('actor_role', { enum: ['CUSTOMER', 'ADMIN'] }),
    subjectType: text('subject_type', { enum: ['user', 'order'] }).notNull(),
    subjectId: uuid('subject_id'),
    details: jsonb('details').$type<AuditDetails>().notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('audit_events_id_key').on(t.id),
    index('audit_events_subject_idx').on(t.subjectType, t.subjectId, t.position),
    index('audit_events_unpublished_idx')
      .on(t.position)
      .where(sql`${t.publishedAt} IS NULL`),
  ],
);

export const schema = { users, orders, orderEvents, idempotencyKeys, auditEvents };
