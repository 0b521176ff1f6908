import fs from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NodeFSWithKnownLengths } from '../../src/adapters/db/pglite-thread/node-fs-with-known-lengths.js';

/** PostgreSQL's idea of the table's length, and the length of its file on disk. */
async function lengths(database: PGlite, dataDir: string): Promise<{ seen: number; onDisk: number }> {
  const { rows } = await database.query<{ seen: number; file: string }>(
    "SELECT pg_relation_size('items')::int AS seen, pg_relation_filepath('items') AS file",
  );
  const [row] = rows;
  if (row === undefined) throw new Error('no answer');
  return { seen: row.seen, onDisk: (await stat(path.join(dataDir, row.file))).size };
}

async function contents(database: PGlite): Promise<{ count: number; total: number }> {
  const { rows } = await database.query<{ count: number; total: number }>(
    'SELECT count(*)::int AS count, coalesce(sum(id), 0)::int AS total FROM items',
  );
  return rows[0] ?? { count: -1, total: -1 };
}

describe('PGlite on the Node filesystem with file lengths remembered', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordertrack-known-lengths-'));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sees the length its files have on disk through growth, truncation and rewrites, and the data outlives it', async () => {
    const database = new PGlite({ fs: new NodeFSWithKnownLengths(dataDir) });
    await database.exec("CREATE TABLE items (id int PRIMARY KEY, note text NOT NULL DEFAULT repeat('x', 200))");
    const seenEachStep: Array<{ seen: number; onDisk: number }> = [];
    for (let batch = 0; batch < 5; batch += 1) {
      await database.query('INSERT INTO items (id) SELECT g FROM generate_series($1::int, $2::int) AS g', [
        batch * 4000 + 1,
        (batch + 1) * 4000,
      ]);
      seenEachStep.push(await lengths(database, dataDir));
    }
    await database.exec('DELETE FROM items WHERE id > 10000');
    await database.exec('VACUUM items');
    seenEachStep.push(await lengths(database, dataDir));
    await database.exec('VACUUM FULL items');
    seenEachStep.push(await lengths(database, dataDir));
    await database.exec('TRUNCATE items');
    await database.query('INSERT INTO items (id) SELECT g FROM generate_series(1, 3000) AS g');
    seenEachStep.push(await lengths(database, dataDir));
    await database.close();

    for (const step of seenEachStep) expect(step.seen).toBe(step.onDisk);
    const grown = seenEachStep.slice(0, 5).map((step) => step.seen);
    expect(grown).toEqual([...grown].sort((a, b) => a - b));
    expect(seenEachStep[5]?.seen).toBeLessThan(grown[4] ?? 0);

    const reopened = new PGlite(dataDir);
    expect(await contents(reopened)).toEqual({ count: 3000, total: (3000 * 3001) / 2 });
    const again = await lengths(reopened, dataDir);
    expect(again.seen).toBe(again.onDisk);
    await reopened.close();
  });

  it("plans a query again and again without asking the files' lengths again, where PGlite's own asks each time", async () => {
    const plans = async (database: PGlite): Promise<number> => {
      await database.exec('CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY, note text)');
      await database.query('INSERT INTO items (id) SELECT g FROM generate_series(1, 1000) AS g ON CONFLICT DO NOTHING');
      const fstat = vi.spyOn(fs, 'fstatSync');
      for (let plan = 0; plan < 50; plan += 1)
        await database.query('EXPLAIN SELECT * FROM items WHERE id = $1', [plan]);
      const asked = fstat.mock.calls.length;
      fstat.mockRestore();
      await database.close();
      return asked;
    };
    const withKnownLengths = await plans(new PGlite({ fs: new NodeFSWithKnownLengths(dataDir) }));
    const plain = await plans(new PGlite({ fs: new NodeFS(dataDir) }));

    expect(plain).toBeGreaterThanOrEqual(50);
    expect(withKnownLengths).toBeLessThan(10);
  });
});
