import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@ordertrack/shared';
import { TokenService } from '../../application/ports/security.port.js';
import { DomainError } from '../../domain/domain-error.js';
import { PUBLIC_ROUTE, REQUIRED_ROLES, type AuthenticatedRequest } from './auth.decorators.js';

/** Global guard: every HTTP route needs a valid bearer token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Sockets authenticate once, at the handshake (see OrdersGateway); only HTTP requests are checked here.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets) ?? false) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || token === undefined || token === '') {
      throw new DomainError('UNAUTHENTICATED', 'missing bearer access token');
    }
    const verified = await this.tokens.verify(token);
    request.actor = { userId: verified.userId, role: verified.role };
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles !== undefined && !roles.includes(verified.role)) {
      throw new DomainError('FORBIDDEN', `this operation requires the ${roles.join(' or ')} role`);
    }
    return true;
  }
}
