import { z } from 'zod';
import { IsoTimestamp, Uuid } from '../common/ids.js';
import { OrderStatus } from '../orders/order-status.js';
import { Role } from '../users/user.js';

/** Every write the service audits. Auth events are written on their own; order events in the order's transaction. */
export const AuditAction = z.enum([
  'user.registered',
  /** A sign-up with an email that already has an account (subject: that account); the client is not told. */
  'user.registration_duplicate',
  'auth.login_failed',
  'order.created',
  'order.status_changed',
]);
export type AuditAction = z.infer<typeof AuditAction>;

/**
 * What happened, without personal data beyond user ids: no emails, names, passwords or tokens, so the trail can
 * be kept (and shipped to Kafka's `audit.events` topic) longer than the data it refers to.
 */
export const AuditDetails = z.object({
  orderId: Uuid.optional(),
  eventId: Uuid.optional(),
  version: z.int().min(1).optional(),
  from: OrderStatus.optional(),
  to: OrderStatus.optional(),
  itemCount: z.int().min(0).optional(),
  reason: z.enum(['unknown_account', 'wrong_password']).optional(),
});
export type AuditDetails = z.infer<typeof AuditDetails>;

export const AuditEvent = z
  .object({
    id: Uuid,
    occurredAt: IsoTimestamp,
    action: AuditAction,
    /** Who did it; null when nobody was authenticated (a failed login for an unknown account). */
    actor: z.object({ userId: Uuid.nullable(), role: Role.nullable() }),
    /** What it was done to; id null for a failed login on an unknown account. */
    subject: z.object({ type: z.enum(['user', 'order']), id: Uuid.nullable() }),
    details: AuditDetails,
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditTrailResponse = z.object({ items: z.array(AuditEvent) }).meta({ id: 'AuditTrailResponse' });
export type AuditTrailResponse = z.infer<typeof AuditTrailResponse>;
