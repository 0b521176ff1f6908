import type { Role } from '@ordertrack/shared';

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  role: Role;
  passwordHash: string;
  createdAt: Date;
}

export abstract class UserStore {
  /** Fails with EMAIL_TAKEN when the email (compared case-insensitively) is in use. */
  abstract create(user: UserRecord): Promise<UserRecord>;
  abstract findByEmail(email: string): Promise<UserRecord | null>;
  abstract findById(id: string): Promise<UserRecord | null>;
}
