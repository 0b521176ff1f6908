import { Injectable } from '@nestjs/common';
import { eq, inArray } from 'drizzle-orm';
import { DomainError } from '../../domain/domain-error.js';
import { UserStore, type UserRecord } from '../../application/ports/user-store.port.js';
import type { PersonalDataProtection } from '../security/personal-data-keys.js';
import type { Db } from './database.js';
import { users } from './schema.js';
import { normalizeEmail, protectFields, revealFields } from './user-fields.js';

/** Users with name and email encrypted at rest; email lookups go through the blind index. */
@Injectable()
export class DrizzleUserStore extends UserStore {
  constructor(
    private readonly db: Db,
    private readonly protection: PersonalDataProtection,
  ) {
    super();
  }

  async create(user: UserRecord): Promise<UserRecord> {
    // The unique index only sees entries under the current key; while EMAIL_INDEX_KEY is being rotated, the same
    // email may still be indexed under an earlier key, so look under every key first.
    if ((await this.findByEmail(user.email)) !== null) throw emailTaken();
    const inserted = await this.db
      .insert(users)
      .values({ ...user, ...protectFields(user.id, user, this.protection) })
      .onConflictDoNothing({ target: users.emailIndex })
      .returning({ id: users.id });
    if (inserted.length === 0) throw emailTaken();
    return user;
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const [row] = await this.db
      .select()
      .from(users)
      .where(inArray(users.emailIndex, this.protection.emailIndex.candidates(normalizeEmail(email))))
      .limit(1);
    return row === undefined ? null : this.toUserRecord(row);
  }

  async findById(id: string): Promise<UserRecord | null> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row === undefined ? null : this.toUserRecord(row);
  }

  private toUserRecord(row: typeof users.$inferSelect): UserRecord {
    return {
      id: row.id,
      ...revealFields(row, this.protection),
      role: row.role,
      passwordHash: row.passwordHash,
      createdAt: row.createdAt,
    };
  }
}

const emailTaken = (): DomainError => new DomainError('EMAIL_TAKEN', 'an account with this email already exists');
