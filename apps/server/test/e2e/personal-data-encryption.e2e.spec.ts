import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AuthResponse } from '@ordertrack/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATA_KEYS_FILE, EMAIL_INDEX_KEY_FILE } from '../../src/adapters/security/personal-data-keys.js';
import { ScryptPasswordHasher } from '../../src/adapters/security/scrypt-password-hasher.js';
import { runRotateKeys } from '../../src/cli/rotate-keys-command.js';
import { ApiClient } from '../support/api-client.js';
import {
  TEST_DATA_ENCRYPTION_KEYS,
  TEST_DATA_ENCRYPTION_KEY_2,
  TEST_EMAIL_INDEX_KEY,
  TEST_EMAIL_INDEX_KEY_2,
} from '../support/personal-data.js';
import { createFreshDatabase, type FreshDatabase } from '../support/postgres-databases.js';
import { withRawDatabase, type DatabaseLocation } from '../support/raw-database.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, DATABASE_MODES, startTestApp, TEST_JWT_SECRET } from '../support/test-app.js';

const PASSWORD = 'password-123';

describe.each(DATABASE_MODES)('personal data encrypted at rest, on %s', (mode) => {
  let location: DatabaseLocation;
  let database: FreshDatabase | undefined;

  beforeEach(async () => {
    database = mode === 'postgres' ? await createFreshDatabase() : undefined;
    location = { mode, dataDir: await mkdtemp(path.join(os.tmpdir(), 'ordertrack-pii-')), url: database?.url };
  });

  afterEach(async () => {
    await database?.drop();
    await rm(location.dataDir, { recursive: true, force: true });
  });

  /** Runs `work` against an app on this test's database; the app is closed (data kept) afterwards. */
  async function withApp<T>(env: Record<string, string>, work: (api: ApiClient) => Promise<T>): Promise<T> {
    const app = await startTestApp(mode, {
      DATA_DIR: location.dataDir,
      ...(location.url === undefined ? {} : { DATABASE_URL: location.url }),
      ...env,
    });
    try {
      return await work(new ApiClient(app.baseUrl));
    } finally {
      await app.close();
    }
  }

  const usersTable = () => withRawDatabase(location, (query) => query('SELECT * FROM users ORDER BY id'));

  it('keeps names and emails out of the users table, and signs in by email in any case', async () => {
    await withApp({}, async (api) => {
      await api.register('Zoë Geheimnis', 'Zoe.Geheim@Example.org');
      const session = await api.login('zoe.geheim@example.ORG', PASSWORD);
      expect(session.auth.user).toMatchObject({ name: 'Zoë Geheimnis', email: 'Zoe.Geheim@Example.org' });
    });
    const rows = await usersTable();
    expect(rows).toHaveLength(2); // with the bootstrap admin
    const raw = JSON.stringify(rows).toLowerCase();
    for (const plaintext of ['geheim', 'zoë', 'example.org', ADMIN_EMAIL, 'administrator']) {
      expect(raw).not.toContain(plaintext);
    }
    for (const row of rows) {
      expect(row['name']).toMatch(/^v1:[\w-]+:[\w-]+$/);
      expect(row['email']).toMatch(/^v1:[\w-]+:[\w-]+$/);
      expect(row['email_index']).toMatch(/^[\w-]+:[\w-]{43}$/);
    }
  });

  it('encrypts the plaintext users of a database written before encryption, and they still sign in', async () => {
    const legacyId = randomUUID();
    const passwordHash = await new ScryptPasswordHasher().hash(PASSWORD);
    await withRawDatabase(
      location,
      (query) =>
        query(
          `INSERT INTO users (id, name, email, email_lookup, role, password_hash, created_at)
           VALUES ($1, 'Lena Legacy', 'Lena.Legacy@Example.com', 'lena.legacy@example.com', 'CUSTOMER', $2, now())`,
          [legacyId, passwordHash],
        ),
      '0001_audit',
    );

    const signIn = (api: ApiClient) => api.login('lena.legacy@example.com', PASSWORD);
    const first = await withApp({}, async (api) => (await signIn(api)).auth);
    expect(first.user).toEqual({
      id: legacyId,
      name: 'Lena Legacy',
      email: 'Lena.Legacy@Example.com',
      role: 'CUSTOMER',
    });

    const row = (await usersTable()).find((candidate) => candidate['id'] === legacyId);
    expect(row).toBeDefined();
    expect(row).not.toHaveProperty('email_lookup');
    expect(JSON.stringify(row).toLowerCase()).not.toContain('lena');
    expect(row?.['email_index']).not.toBeNull();
    expect(row?.['password_hash']).toBe(passwordHash);

    // Encrypted for good: a second start finds nothing to upgrade and reads the row with the same keys.
    const again = await withApp({}, async (api) => (await signIn(api)).auth);
    expect(again.user).toEqual(first.user);
  });

  it('rotates the keys with the rotate-keys command, without signing anybody out of their data', async () => {
    const base = location.url === undefined ? {} : { DATABASE_URL: location.url, JWT_SECRET: TEST_JWT_SECRET };
    // Embedded mode starts on the keys it generated into DATA_DIR; PostgreSQL on configured ones.
    await withApp({}, (api) => api.register('Alice Rotation', 'alice.rotation@example.com'));
    const oldDataKey =
      mode === 'pglite'
        ? await readFile(path.join(location.dataDir, DATA_KEYS_FILE), 'utf8')
        : TEST_DATA_ENCRYPTION_KEYS;
    const oldIndexKey =
      mode === 'pglite'
        ? await readFile(path.join(location.dataDir, EMAIL_INDEX_KEY_FILE), 'utf8')
        : TEST_EMAIL_INDEX_KEY;
    const oldKeyIds = [oldDataKey.split(':')[0], oldIndexKey.split(':')[0]];

    // Step 1 of the procedure: the new keys go first, the old ones stay for reading; restart.
    const rotated = {
      DATA_ENCRYPTION_KEYS: `${TEST_DATA_ENCRYPTION_KEY_2},${oldDataKey}`,
      EMAIL_INDEX_KEY: TEST_EMAIL_INDEX_KEY_2,
      EMAIL_INDEX_PREVIOUS_KEYS: oldIndexKey,
    };
    await withApp(rotated, async (api) => {
      expect((await api.login('Alice.Rotation@example.com', PASSWORD)).auth.user.name).toBe('Alice Rotation');
      await api.register('Bob Rotation', 'bob.rotation@example.com');
      const duplicate = await api.post('/auth/register', {
        name: 'Mallory',
        email: 'alice.rotation@example.com',
        password: 'another-password',
      });
      expect(duplicate.status).toBe(202);
      expect(await api.login('alice.rotation@example.com', 'another-password').catch(() => undefined)).toBeUndefined();
    });
    const before = await usersTable();
    expect(before.filter((row) => String(row['name']).startsWith(`v1:${oldKeyIds[0]}:`))).toHaveLength(2);

    // Step 2: the command re-encrypts and re-indexes every row still on an old key; running it again does nothing.
    const env = { DATA_DIR: location.dataDir, LOG_LEVEL: 'warn', ...base, ...rotated };
    const lines: string[] = [];
    const result = await runRotateKeys(env, ['--page-size=1'], (line) => lines.push(line));
    expect(result.done).toBe(2); // Alice and the admin; Bob was written under the new keys
    expect(lines).toContain('rotate-keys: 1/2 users (50.0%)');
    expect(lines.at(-1)).toMatch(/^rotate-keys: done, 2 users rewritten in/);
    expect((await runRotateKeys(env, [], () => undefined)).done).toBe(0);
    for (const row of await usersTable()) {
      expect(row['name']).toMatch(/^v1:test-2:/);
      expect(row['email']).toMatch(/^v1:test-2:/);
      expect(row['email_index']).toMatch(/^test-index-2:/);
    }

    // Step 3: the old keys are removed; everybody still signs in and reads their data.
    const newOnly = { DATA_ENCRYPTION_KEYS: TEST_DATA_ENCRYPTION_KEY_2, EMAIL_INDEX_KEY: TEST_EMAIL_INDEX_KEY_2 };
    await withApp(newOnly, async (api) => {
      const names: AuthResponse['user'][] = [];
      for (const [email, password] of [
        ['alice.rotation@example.com', PASSWORD],
        ['bob.rotation@example.com', PASSWORD],
        [ADMIN_EMAIL, ADMIN_PASSWORD],
      ] as const) {
        names.push((await api.login(email, password)).auth.user);
      }
      expect(names.map((user) => user.name)).toEqual(['Alice Rotation', 'Bob Rotation', 'Administrator']);
    });
  });
});
