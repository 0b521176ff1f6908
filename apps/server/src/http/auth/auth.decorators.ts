import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@ordertrack/shared';
import type { Request } from 'express';
import type { Actor } from '../../application/actor.js';

export const PUBLIC_ROUTE = 'ordertrack:public';
export const REQUIRED_ROLES = 'ordertrack:roles';

/** Marks a route that needs no access token. Every other route requires one. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** Limits a route to the given roles (any authenticated role when absent). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLES, roles);

export interface AuthenticatedRequest extends Request {
  actor?: Actor;
}

export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (actor === undefined) throw new Error('CurrentActor used on a route without authentication');
  return actor;
});
