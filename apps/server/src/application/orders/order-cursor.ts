import { z } from 'zod';
import { IsoTimestamp, Uuid } from '@ordertrack/shared';
import { DomainError } from '../../domain/domain-error.js';
import type { OrderCursor } from '../ports/order-store.port.js';

const CursorPayload = z.object({ createdAt: IsoTimestamp, id: Uuid });

export function encodeCursor(cursor: OrderCursor): string {
  return Buffer.from(JSON.stringify({ createdAt: cursor.createdAt.toISOString(), id: cursor.id })).toString(
    'base64url',
  );
}

export function decodeCursor(value: string): OrderCursor {
  try {
    const payload = CursorPayload.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return { createdAt: new Date(payload.createdAt), id: payload.id };
  } catch {
    throw new DomainError('INVALID_CURSOR', 'cursor is not one this API returned');
  }
}
