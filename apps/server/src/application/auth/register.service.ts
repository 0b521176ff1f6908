import { Injectable } from '@nestjs/common';
import type { AuthResponse, RegisterRequest } from '@ordertrack/shared';
import { AuditTrail } from '../ports/audit-trail.port.js';
import { Clock, IdGenerator } from '../ports/clock.port.js';
import { PasswordHasher, TokenService } from '../ports/security.port.js';
import { UserStore } from '../ports/user-store.port.js';
import { authResult } from './auth-result.js';

@Injectable()
export class RegisterService {
  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly audit: AuditTrail,
  ) {}

  /** Self-registration always makes a CUSTOMER; admins exist only through the bootstrap configuration. */
  async register(request: RegisterRequest): Promise<AuthResponse> {
    const user = await this.users.create({
      id: this.ids.uuid(),
      name: request.name,
      email: request.email,
      role: 'CUSTOMER',
      passwordHash: await this.hasher.hash(request.password),
      createdAt: this.clock.now(),
    });
    await this.audit.record({
      occurredAt: user.createdAt,
      action: 'user.registered',
      actor: { userId: user.id, role: user.role },
      subject: { type: 'user', id: user.id },
      details: {},
    });
    return authResult(user, this.tokens);
  }
}
