import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { DomainError } from '../../domain/domain-error.js';
import { Clock, IdGenerator } from '../ports/clock.port.js';
import { PasswordHasher } from '../ports/security.port.js';
import { UserStore } from '../ports/user-store.port.js';

/** The only way an ADMIN comes to exist: BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD at start-up. */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdminService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const {
      BOOTSTRAP_ADMIN_EMAIL: email,
      BOOTSTRAP_ADMIN_PASSWORD: password,
      BOOTSTRAP_ADMIN_NAME: name,
    } = this.config.env;
    if (email === undefined || password === undefined) return;
    const existing = await this.users.findByEmail(email);
    if (existing !== null) {
      if (existing.role !== 'ADMIN') {
        this.logger.warn(`BOOTSTRAP_ADMIN_EMAIL belongs to an existing ${existing.role}; it was not promoted`);
      }
      return;
    }
    try {
      await this.users.create({
        id: this.ids.uuid(),
        name,
        email,
        role: 'ADMIN',
        passwordHash: await this.hasher.hash(password),
        createdAt: this.clock.now(),
      });
      this.logger.log('bootstrap admin created');
    } catch (error) {
      // Another instance starting at the same moment created it first.
      if (!(error instanceof DomainError && error.code === 'EMAIL_TAKEN')) throw error;
    }
  }
}
