import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { PersonalDataProtection } from '../security/personal-data-keys.js';
import type { Db } from './database.js';
import { reencryptUsers } from './user-reencryption.js';

/**
 * Upgrade step for databases from before encryption at rest: encrypts rows whose name and email are still plaintext
 * before the app serves a request. Finds nothing (one indexed query) on every later start.
 */
@Injectable()
export class PlaintextUserEncryption implements OnModuleInit {
  private readonly logger = new Logger(PlaintextUserEncryption.name);

  constructor(
    private readonly db: Db,
    private readonly protection: PersonalDataProtection,
  ) {}

  async onModuleInit(): Promise<void> {
    const { done } = await reencryptUsers(this.db, this.protection, { plaintextOnly: true });
    if (done > 0) this.logger.log(`encrypted the name and email of ${done} users written before encryption at rest`);
  }
}
