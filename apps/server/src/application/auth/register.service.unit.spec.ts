import { REGISTER_ACCEPTED_MESSAGE } from '@ordertrack/shared';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/domain-error.js';
import { AuditTrail, type AuditEntry } from '../ports/audit-trail.port.js';
import { Clock, IdGenerator } from '../ports/clock.port.js';
import { PasswordHasher } from '../ports/security.port.js';
import { UserStore, type UserRecord } from '../ports/user-store.port.js';
import { RegisterService } from './register.service.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const EXISTING: UserRecord = {
  id: '00000000-0000-4000-8000-0000000000aa',
  name: 'Alice',
  email: 'alice@example.com',
  role: 'CUSTOMER',
  passwordHash: 'hash:original',
  createdAt: NOW,
};

class FixedClock extends Clock {
  now(): Date {
    return NOW;
  }
}

class SequentialIds extends IdGenerator {
  private next = 0;
  uuid(): string {
    this.next += 1;
    return `00000000-0000-4000-8000-${String(this.next).padStart(12, '0')}`;
  }
}

class CountingHasher extends PasswordHasher {
  hashed = 0;
  hash(password: string): Promise<string> {
    this.hashed += 1;
    return Promise.resolve(`hash:${password}`);
  }
  verify(): Promise<boolean> {
    return Promise.resolve(false);
  }
}

/** Emails compared case-insensitively, like the real store. */
class MemoryUsers extends UserStore {
  readonly byEmail = new Map<string, UserRecord>([[EXISTING.email, EXISTING]]);
  create(user: UserRecord): Promise<UserRecord> {
    const key = user.email.toLowerCase();
    if (this.byEmail.has(key)) return Promise.reject(new DomainError('EMAIL_TAKEN', 'taken'));
    this.byEmail.set(key, user);
    return Promise.resolve(user);
  }
  findByEmail(email: string): Promise<UserRecord | null> {
    return Promise.resolve(this.byEmail.get(email.toLowerCase()) ?? null);
  }
  findById(): Promise<UserRecord | null> {
    return Promise.reject(new Error('not used'));
  }
}

class RecordingAudit extends AuditTrail {
  readonly entries: AuditEntry[] = [];
  record(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
    return Promise.resolve();
  }
  forOrder(): Promise<never> {
    return Promise.reject(new Error('not used'));
  }
}

function setUp() {
  const users = new MemoryUsers();
  const hasher = new CountingHasher();
  const audit = new RecordingAudit();
  const service = new RegisterService(users, hasher, new FixedClock(), new SequentialIds(), audit);
  return { users, hasher, audit, service };
}

describe('RegisterService', () => {
  it('answers a new and a taken email alike, after hashing the password in both cases', async () => {
    const { service, hasher } = setUp();
    const fresh = await service.register({ name: 'Bob', email: 'bob@example.com', password: 'password-123' });
    const taken = await service.register({ name: 'Eve', email: 'ALICE@example.com', password: 'password-456' });
    expect(taken).toEqual(fresh);
    expect(fresh).toEqual({ message: REGISTER_ACCEPTED_MESSAGE });
    expect(hasher.hashed).toBe(2);
  });

  it('creates a CUSTOMER for a new email and audits the registration', async () => {
    const { service, users, audit } = setUp();
    await service.register({ name: 'Bob', email: 'bob@example.com', password: 'password-123' });
    const bob = users.byEmail.get('bob@example.com');
    expect(bob).toMatchObject({ name: 'Bob', role: 'CUSTOMER', passwordHash: 'hash:password-123', createdAt: NOW });
    expect(audit.entries).toEqual([
      {
        occurredAt: NOW,
        action: 'user.registered',
        actor: { userId: bob?.id, role: 'CUSTOMER' },
        subject: { type: 'user', id: bob?.id },
        details: {},
      },
    ]);
  });

  it('leaves an existing account untouched and audits the attempt against it, distinctly', async () => {
    const { service, users, audit } = setUp();
    await service.register({ name: 'Eve', email: 'Alice@Example.com', password: 'password-456' });
    expect(users.byEmail.get('alice@example.com')).toBe(EXISTING);
    expect(audit.entries).toEqual([
      {
        occurredAt: NOW,
        action: 'user.registration_duplicate',
        actor: { userId: null, role: null },
        subject: { type: 'user', id: EXISTING.id },
        details: {},
      },
    ]);
  });

  it('passes on failures other than a taken email', async () => {
    const { service, users } = setUp();
    users.create = () => Promise.reject(new Error('database down'));
    await expect(service.register({ name: 'Bob', email: 'bob@example.com', password: 'password-123' })).rejects.toThrow(
      'database down',
    );
  });
});
