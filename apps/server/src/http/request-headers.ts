import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { IdempotencyKey as IdempotencyKeySchema } from '@ordertrack/shared';
import type { Request } from 'express';

function header(context: ExecutionContext, name: string): string | undefined {
  const value = context.switchToHttp().getRequest<Request>().headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The optional `Idempotency-Key` header, validated. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  const value = header(context, 'idempotency-key');
  if (value === undefined) return undefined;
  const parsed = IdempotencyKeySchema.safeParse(value);
  if (!parsed.success)
    throw new BadRequestException(`Idempotency-Key: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
});

const ENTITY_TAG = /^(?:W\/)?"?(\d{1,9})"?$/;

/** The optional `If-Match` header as an order version: `3`, `"3"` and `W/"3"` all mean version 3. */
export const ExpectedVersion = createParamDecorator((_data: unknown, context: ExecutionContext): number | undefined => {
  const value = header(context, 'if-match')?.trim();
  if (value === undefined || value === '*') return undefined;
  const match = ENTITY_TAG.exec(value);
  if (match?.[1] === undefined) throw new BadRequestException('If-Match must be an order version such as "3"');
  return Number(match[1]);
});

export const entityTag = (version: number): string => `"${version}"`;
