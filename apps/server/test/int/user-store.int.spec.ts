import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleUserStore } from '../../src/adapters/db/drizzle-user-store.js';
import { users } from '../../src/adapters/db/schema.js';
import { reencryptUsers } from '../../src/adapters/db/user-reencryption.js';
import { DecryptionError } from '../../src/application/ports/personal-data.port.js';
import type { UserRecord } from '../../src/application/ports/user-store.port.js';
import { DomainError } from '../../src/domain/domain-error.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import {
  TEST_DATA_ENCRYPTION_KEYS,
  TEST_DATA_ENCRYPTION_KEY_2,
  TEST_EMAIL_INDEX_KEY,
  TEST_EMAIL_INDEX_KEY_2,
  testProtection,
} from '../support/personal-data.js';
import { DATABASE_MODES } from '../support/test-app.js';

const user = (name: string, email: string): UserRecord => ({
  id: randomUUID(),
  name,
  email,
  role: 'CUSTOMER',
  passwordHash: 'scrypt$not-a-real-hash',
  createdAt: new Date('2026-01-01T00:00:00Z'),
});

/** Keys after a rotation: new data key first (old still decrypts), new index key with the old one as previous. */
const ROTATED = {
  DATA_ENCRYPTION_KEYS: `${TEST_DATA_ENCRYPTION_KEY_2},${TEST_DATA_ENCRYPTION_KEYS}`,
  EMAIL_INDEX_KEY: TEST_EMAIL_INDEX_KEY_2,
  EMAIL_INDEX_PREVIOUS_KEYS: TEST_EMAIL_INDEX_KEY,
};
/** Only the new keys: the old ones removed after the rotation command. */
const NEW_ONLY = { DATA_ENCRYPTION_KEYS: TEST_DATA_ENCRYPTION_KEY_2, EMAIL_INDEX_KEY: TEST_EMAIL_INDEX_KEY_2 };

describe.each(DATABASE_MODES)('user store with encrypted personal data on %s', (mode) => {
  let database: TestDatabase;
  const storeWith = (env: Record<string, string> = {}): DrizzleUserStore =>
    new DrizzleUserStore(database.handle.db, testProtection(env));
  /** Every stored column as written, without the store's decryption. */
  const rawRows = () => database.handle.db.select().from(users);

  beforeAll(async () => {
    database = await openTestDatabase(mode);
  });

  afterAll(() => database.close());

  it('stores neither name nor email in plaintext, and finds the user by email in any case', async () => {
    const store = storeWith();
    const alice = await store.create(user('Alice Plaintextova', 'Alice.Secret@Example.com'));

    const rows = await rawRows();
    const raw = JSON.stringify(rows).toLowerCase();
    expect(raw).not.toContain('plaintextova');
    expect(raw).not.toContain('alice.secret');
    expect(raw).not.toContain('example.com');
    const row = rows.find((candidate) => candidate.id === alice.id);
    expect(row?.name).toMatch(/^v1:test-1:/);
    expect(row?.email).toMatch(/^v1:test-1:/);
    expect(row?.emailIndex).toMatch(/^test-index-1:/);

    expect(await store.findByEmail('  alice.secret@EXAMPLE.com ')).toEqual(alice);
    expect(await store.findById(alice.id)).toEqual(alice);
    expect(await store.findByEmail('nobody@example.com')).toBeNull();
    await expect(store.create(user('Other', 'ALICE.SECRET@example.com'))).rejects.toMatchObject({
      code: 'EMAIL_TAKEN',
    });
  });

  it('refuses ciphertext moved into another row', async () => {
    const store = storeWith();
    const first = await store.create(user('First', `first-${randomUUID()}@example.com`));
    const second = await store.create(user('Second', `second-${randomUUID()}@example.com`));
    const [firstRow] = await database.handle.db.select().from(users).where(eq(users.id, first.id));
    await database.handle.db
      .update(users)
      .set({ name: firstRow?.name ?? '' })
      .where(eq(users.id, second.id));
    await expect(store.findById(second.id)).rejects.toBeInstanceOf(DecryptionError);
    await database.handle.db.delete(users).where(eq(users.id, second.id));
  });

  it('rotates both keys: old rows stay readable, the command moves every row, the old keys can then go', async () => {
    const before = storeWith();
    const written = [
      await before.create(user('Rotating One', `rot-1-${randomUUID()}@example.com`)),
      await before.create(user('Rotating Two', `rot-2-${randomUUID()}@example.com`)),
      await before.create(user('Rotating Three', `rot-3-${randomUUID()}@example.com`)),
    ];

    const rotated = storeWith(ROTATED);
    for (const record of written) expect(await rotated.findByEmail(record.email.toUpperCase())).toEqual(record);
    // The unique index cannot see an entry under the old index key; the store still refuses the duplicate.
    await expect(rotated.create(user('Duplicate', written[0]?.email ?? ''))).rejects.toBeInstanceOf(DomainError);
    const added = await rotated.create(user('Added During Rotation', `rot-4-${randomUUID()}@example.com`));

    const lines: number[] = [];
    const result = await reencryptUsers(database.handle.db, testProtection(ROTATED), {
      pageSize: 2,
      onProgress: (progress) => lines.push(progress.done),
    });
    const total = (await rawRows()).length;
    expect(result.total).toBe(total - 1); // every row but the one written under the new keys
    expect(lines.at(-1)).toBe(result.total);
    for (const row of await rawRows()) {
      expect(row.name).toMatch(/^v1:test-2:/);
      expect(row.email).toMatch(/^v1:test-2:/);
      expect(row.emailIndex).toMatch(/^test-index-2:/);
    }
    expect((await reencryptUsers(database.handle.db, testProtection(ROTATED))).done).toBe(0);

    const after = storeWith(NEW_ONLY);
    for (const record of [...written, added]) {
      expect(await after.findByEmail(record.email)).toEqual(record);
      expect(await after.findById(record.id)).toEqual(record);
    }
  });

  it('resumes an interrupted run where it stopped', async () => {
    const old = storeWith(NEW_ONLY);
    for (let i = 0; i < 5; i++) await old.create(user(`Resume ${i}`, `resume-${i}-${randomUUID()}@example.com`));
    // Every row is on test-2 now; rotating back to test-1 makes them all stale.
    const protection = testProtection({
      DATA_ENCRYPTION_KEYS: `${TEST_DATA_ENCRYPTION_KEYS},${TEST_DATA_ENCRYPTION_KEY_2}`,
      EMAIL_INDEX_KEY: TEST_EMAIL_INDEX_KEY_2,
    });
    const interrupted = reencryptUsers(database.handle.db, protection, {
      pageSize: 2,
      onProgress: () => {
        throw new Error('crash after the first page');
      },
    });
    await expect(interrupted).rejects.toThrow('crash after the first page');
    const stale = await reencryptUsers(database.handle.db, protection, { pageSize: 2 });
    expect(stale.total).toBe((await rawRows()).length - 2);
    expect((await reencryptUsers(database.handle.db, protection)).total).toBe(0);
  });

  it('names the missing key when a row was written under a key no longer configured', async () => {
    const store = storeWith();
    const record = await store.create(user('Orphan', `orphan-${randomUUID()}@example.com`));
    await expect(storeWith(NEW_ONLY).findById(record.id)).rejects.toThrow(
      'value encrypted with key "test-1", which is not in DATA_ENCRYPTION_KEYS',
    );
    await database.handle.db.delete(users).where(eq(users.id, record.id));
  });
});
