import { Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { DomainError } from '../../domain/domain-error.js';
import { UserStore, type UserRecord } from '../../application/ports/user-store.port.js';
import type { Db } from './database.js';
import { users } from './schema.js';

const emailLookup = (email: string): string => email.trim().toLowerCase();

@Injectable()
export class DrizzleUserStore extends UserStore {
  constructor(private readonly db: Db) {
    super();
  }

  async create(user: UserRecord): Promise<UserRecord> {
    const inserted = await this.db
      .insert(users)
      .values({ ...user, emailLookup: emailLookup(user.email) })
      .onConflictDoNothing({ target: users.emailLookup })
      .returning({ id: users.id });
    if (inserted.length === 0) throw new DomainError('EMAIL_TAKEN', 'an account with this email already exists');
    return user;
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const [row] = await this.db
      .select()
      .from(users)
      .where(eq(users.emailLookup, emailLookup(email)));
    return row === undefined ? null : toUserRecord(row);
  }

  async findById(id: string): Promise<UserRecord | null> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row === undefined ? null : toUserRecord(row);
  }
}

function toUserRecord(row: typeof users.$inferSelect): UserRecord {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    passwordHash: row.passwordHash,
    createdAt: row.createdAt,
  };
}
