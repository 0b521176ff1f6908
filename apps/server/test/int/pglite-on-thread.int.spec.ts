import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteOnThread } from '../../src/adapters/db/pglite-thread/pglite-on-thread.js';
import { PLANNED_ONCE } from '../../src/adapters/db/planned-once.js';
import { serverError } from '../../src/adapters/db/server-error.js';
import { waitFor } from '../support/wait-for.js';

describe('PGlite on its own thread', () => {
  let thread: PGliteOnThread;

  beforeAll(async () => {
    thread = await PGliteOnThread.start(undefined);
    await thread.exec('CREATE TABLE things (id int PRIMARY KEY, name text NOT NULL, seen timestamptz)');
  });
  afterAll(() => thread.close());

  it('answers a statement run again with other values by its own values', async () => {
    await thread.query('INSERT INTO things (id, name) VALUES ($1, $2), ($3, $4)', [1, 'one', 2, 'two']);
    const select = 'SELECT id, name FROM things WHERE id = $1';
    expect((await thread.query(select, [1])).rows).toEqual([{ id: 1, name: 'one' }]);
    expect((await thread.query(select, [2], { rowMode: 'array' })).rows).toEqual([[2, 'two']]);
  });

  it('keeps the types the caller names as text, and parses the others', async () => {
    await thread.query('UPDATE things SET seen = $1 WHERE id = 1', ['2026-12-03T10:00:00Z']);
    const select = 'SELECT id, seen FROM things WHERE id = 1';
    const asText = await thread.query(select, [], { parsers: { 1184: (value: string) => value } });
    expect(asText.rows).toEqual([{ id: 1, seen: '2026-12-03 10:00:00+00' }]);
    const parsed = await thread.query(select);
    expect(parsed.rows).toEqual([{ id: 1, seen: new Date('2026-12-03T10:00:00Z') }]);
  });

  it('passes a server error over with its SQLSTATE and constraint, and the statement works afterwards', async () => {
    const insert = 'INSERT INTO things (id, name) VALUES ($1, $2)';
    const failure = await thread.query(insert, [1, 'again']).catch((error: unknown) => error);
    expect(serverError(failure)).toEqual({ code: '23505', constraint: 'things_pkey' });
    await thread.query(insert, [3, 'three']);
    expect((await thread.query('SELECT name FROM things WHERE id = $1', [3])).rows).toEqual([{ name: 'three' }]);
  });

  it('commits a transaction as a whole, and rolls it back as a whole', async () => {
    await thread.transaction(async (tx) => {
      await tx.query('INSERT INTO things (id, name) VALUES ($1, $2)', [10, 'ten']);
      await tx.query('INSERT INTO things (id, name) VALUES ($1, $2)', [11, 'eleven']);
    });
    const failed = thread.transaction(async (tx) => {
      await tx.query('INSERT INTO things (id, name) VALUES ($1, $2)', [12, 'twelve']);
      await tx.query('INSERT INTO things (id, name) VALUES ($1, $2)', [10, 'ten again']);
    });
    await expect(failed).rejects.toMatchObject({ code: '23505' });
    const rows = await thread.query('SELECT id FROM things WHERE id >= 10 ORDER BY id');
    expect(rows.rows).toEqual([{ id: 10 }, { id: 11 }]);
  });

  it('keeps working past the number of statements it holds prepared', async () => {
    for (let value = 0; value < 300; value += 1) {
      const { rows } = await thread.query(`SELECT $1::int + ${value} AS sum`, [1]);
      expect(rows).toEqual([{ sum: value + 1 }]);
    }
    expect((await thread.query('SELECT $1::int + 0 AS sum', [5])).rows).toEqual([{ sum: 5 }]);
  });

  it('tells listeners of a NOTIFY once its transaction commits, and stops when they unlisten', async () => {
    const heard: string[] = [];
    const heardByOther: string[] = [];
    const unlisten = await thread.listen('thread_test', (payload) => heard.push(payload));
    const unlistenOther = await thread.listen('thread_test', (payload) => heardByOther.push(payload));
    await thread.transaction(async (tx) => {
      await tx.query("SELECT pg_notify('thread_test', 'inside')");
      expect(heard).toEqual([]);
    });
    await waitFor('the committed notification', () => (heard.length === 1 ? true : undefined));
    expect(heard).toEqual(['inside']);
    await unlisten();
    await thread.query("SELECT pg_notify('thread_test', 'after')");
    await waitFor('the notification after the first listener left', () =>
      heardByOther.includes('after') ? true : undefined,
    );
    expect(heard).toEqual(['inside']);
    await unlistenOther();
  });

  it('plans a statement marked planned-once once, on its index however the table grows; the others each time', async () => {
    await thread.exec('CREATE TABLE growing (id int PRIMARY KEY, v int NOT NULL)');
    await thread.query('INSERT INTO growing SELECT g, g FROM generate_series(1, 3) AS g');
    // Analysed while tiny: a plan made now scans the table, the cheapest way to read three rows.
    await thread.exec('VACUUM ANALYZE growing');
    const marked = `${PLANNED_ONCE}SELECT v FROM growing WHERE id = $1`;
    const unmarked = 'SELECT v FROM growing WHERE id = $1 AND v > $2';
    for (let id = 1; id <= 8; id += 1) {
      expect((await thread.query(marked, [(id % 3) + 1])).rows).toEqual([{ v: (id % 3) + 1 }]);
      await thread.query(unmarked, [1, 0]);
    }
    const plans = await thread.query(
      "SELECT statement LIKE '/*%' AS marked, generic_plans::int, custom_plans::int FROM pg_prepared_statements WHERE statement LIKE '%FROM growing WHERE%' AND statement NOT LIKE '%pg_prepared_statements%' ORDER BY 1",
    );
    expect(plans.rows).toEqual([
      { marked: false, generic_plans: 0, custom_plans: 8 },
      { marked: true, generic_plans: expect.any(Number), custom_plans: expect.any(Number) },
    ]);
    expect((plans.rows[1] as { generic_plans: number }).generic_plans).toBeGreaterThan(0);

    await thread.query('INSERT INTO growing SELECT g, g FROM generate_series(4, 20000) AS g');
    const scans = async (): Promise<{ seq: number; idx: number }> => {
      await thread.query('SELECT pg_stat_force_next_flush()');
      await thread.query('SELECT 1');
      const { rows } = await thread.query(
        "SELECT seq_scan::int AS seq, idx_scan::int AS idx FROM pg_stat_user_tables WHERE relname = 'growing'",
      );
      return rows[0] as { seq: number; idx: number };
    };
    const before = await scans();
    for (const id of [5, 500, 19_999]) expect((await thread.query(marked, [id])).rows).toEqual([{ v: id }]);
    const after = await scans();
    expect({ seq: after.seq - before.seq, idx: after.idx - before.idx }).toEqual({ seq: 0, idx: 3 });

    // The settings lasted as long as the marked statement's own transaction.
    const settings = await thread.query(
      "SELECT current_setting('plan_cache_mode') AS plans, current_setting('enable_seqscan') AS seqscan",
    );
    expect(settings.rows).toEqual([{ plans: 'force_custom_plan', seqscan: 'on' }]);
  });

  it('refuses statements once closed', async () => {
    const closing = await PGliteOnThread.start(undefined);
    await closing.close();
    await expect(closing.query('SELECT 1')).rejects.toThrow(/closed/);
  });
});
