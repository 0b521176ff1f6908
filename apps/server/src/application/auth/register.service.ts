import { Injectable } from '@nestjs/common';
import { REGISTER_ACCEPTED_MESSAGE, type RegisterAccepted, type RegisterRequest } from '@ordertrack/shared';
import { DomainError } from '../../domain/domain-error.js';
import { AuditTrail } from '../ports/audit-trail.port.js';
import { Clock, IdGenerator } from '../ports/clock.port.js';
import { PasswordHasher } from '../ports/security.port.js';
import { UserStore, type UserRecord } from '../ports/user-store.port.js';

@Injectable()
export class RegisterService {
  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Self-registration always makes a CUSTOMER; admins exist only through the bootstrap configuration. A new and an
   * already registered email get the same answer after the same work (the password is hashed either way), so
   * sign-up cannot be used to find out who has an account; only the audit trail tells the two apart.
   */
  async register(request: RegisterRequest): Promise<RegisterAccepted> {
    const user: UserRecord = {
      id: this.ids.uuid(),
      name: request.name,
      email: request.email,
      role: 'CUSTOMER',
      passwordHash: await this.hasher.hash(request.password),
      createdAt: this.clock.now(),
    };
    const created = await this.users.create(user).then(
      () => true,
      (error: unknown) => {
        if (error instanceof DomainError && error.code === 'EMAIL_TAKEN') return false;
        throw error;
      },
    );
    if (created) {
      await this.audit.record({
        occurredAt: user.createdAt,
        action: 'user.registered',
        actor: { userId: user.id, role: user.role },
        subject: { type: 'user', id: user.id },
        details: {},
      });
    } else {
      const existing = await this.users.findByEmail(request.email);
      await this.audit.record({
        occurredAt: user.createdAt,
        action: 'user.registration_duplicate',
        actor: { userId: null, role: null },
        subject: { type: 'user', id: existing?.id ?? null },
        details: {},
      });
    }
    return { message: REGISTER_ACCEPTED_MESSAGE };
  }
}
