import { Injectable } from '@nestjs/common';
import type { AuthResponse, LoginRequest } from '@ordertrack/shared';
import { DomainError } from '../../domain/domain-error.js';
import { AuditTrail } from '../ports/audit-trail.port.js';
import { Clock } from '../ports/clock.port.js';
import { PasswordHasher, TokenService } from '../ports/security.port.js';
import { UserStore } from '../ports/user-store.port.js';
import { authResult } from './auth-result.js';

@Injectable()
export class LoginService {
  private decoyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async login(request: LoginRequest): Promise<AuthResponse> {
    const user = await this.users.findByEmail(request.email);
    // An unknown email costs the same hash as a wrong password, so timing does not reveal which accounts exist.
    this.decoyHash ??= this.hasher.hash('decoy-password-for-unknown-accounts');
    const valid = await this.hasher.verify(request.password, user?.passwordHash ?? (await this.decoyHash));
    if (user === null || !valid) {
      // The attempted email is personal data and stays out of the trail; a known account is named by its id.
      await this.audit.record({
        occurredAt: this.clock.now(),
        action: 'auth.login_failed',
        actor: { userId: null, role: null },
        subject: { type: 'user', id: user?.id ?? null },
        details: { reason: user === null ? 'unknown_account' : 'wrong_password' },
      });
      throw new DomainError('INVALID_CREDENTIALS', 'wrong email or password');
    }
    return authResult(user, this.tokens);
  }
}
