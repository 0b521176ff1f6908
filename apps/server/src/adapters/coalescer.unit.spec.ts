import { describe, expect, it } from 'vitest';
import { Coalescer, type CoalescingOptions } from './coalescer.js';

interface Write {
  id: number;
  kind: string;
  /** The write a statement refuses (a constraint it violates). */
  bad?: boolean;
}

class RowError extends Error {}

/** A database whose statements finish only when the test says so; records every statement's writes. */
function manualDatabase() {
  const statements: { writes: number[]; finish: () => void; fail: (error: Error) => void }[] = [];
  let running = 0;
  let mostRunning = 0;
  const send = (writes: readonly Write[]) =>
    new Promise<number[]>((resolve, reject) => {
      running += 1;
      mostRunning = Math.max(mostRunning, running);
      const done = () => (running -= 1);
      statements.push({
        writes: writes.map((write) => write.id),
        finish: () => {
          done();
          if (writes.some((write) => write.bad === true)) reject(new RowError('violates a constraint'));
          else resolve(writes.map((write) => write.id * 10));
        },
        fail: (error: Error) => {
          done();
          reject(error);
        },
      });
    });
  return { send, statements, mostRunning: () => mostRunning };
}

const OPTIONS: CoalescingOptions<Write> = {
  maxInFlight: 2,
  maxBatch: 3,
  kind: (write) => write.kind,
  isolateAfter: (error) => error instanceof RowError,
};

/** Lets the coalescer react to settled statements (their callbacks run as microtasks). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function outcomes(submitted: Promise<unknown>[]) {
  return Promise.all(
    submitted.map((promise) =>
      promise.then(
        () => 'ok',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
    ),
  );
}

describe('coalescer (group commit)', () => {
  it('answers each request with its own answer, from a shared batch and from an isolated retry alike', async () => {
    const database = manualDatabase();
    const coalescer = new Coalescer(database.send, OPTIONS);
    const answers = [1, 2].map((id) => coalescer.submit({ id, kind: 'a' }));
    const kept = coalescer.submit({ id: 3, kind: 'b' });
    const refused = coalescer.submit({ id: 4, kind: 'b', bad: true });
    await settle();
    for (const statement of database.statements) statement.finish();
    await settle();
    for (const statement of database.statements.slice(2)) statement.finish();
    expect(await Promise.all(answers)).toEqual([10, 20]);
    expect(await kept).toBe(30);
    await expect(refused).rejects.toThrow('violates a constraint');
  });

  it('sends the writes of one event-loop turn as one statement, and those submitted while all run after one ends', async () => {
    const database = manualDatabase();
    const coalescer = new Coalescer(database.send, OPTIONS);
    const submitted = [1, 2].map((id) => coalescer.submit({ id, kind: 'a' }));
    expect(database.statements).toHaveLength(0);
    await settle();
    submitted.push(coalescer.submit({ id: 3, kind: 'a' }));
    await settle();
    submitted.push(...[4, 5].map((id) => coalescer.submit({ id, kind: 'a' })));
    await settle();
    expect(database.statements.map((statement) => statement.writes)).toEqual([[1, 2], [3]]);

    database.statements[0]?.finish();
    await settle();
    expect(database.statements.map((statement) => statement.writes)).toEqual([[1, 2], [3], [4, 5]]);
    database.statements[1]?.finish();
    database.statements[2]?.finish();
    expect(await outcomes(submitted)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(database.mostRunning()).toBe(2);
  });

  it('caps a statement at maxBatch writes and never mixes kinds, keeping submission order within a kind', async () => {
    const database = manualDatabase();
    const coalescer = new Coalescer(database.send, { ...OPTIONS, maxInFlight: 1 });
    const kinds = ['a', 'a', 'b', 'a', 'b', 'a', 'a', 'b'];
    const submitted = kinds.map((kind, index) => coalescer.submit({ id: index, kind }));
    await settle();
    for (let step = 0; step < 5 && database.statements.length > step; step += 1) {
      database.statements[step]?.finish();
      await settle();
    }
    await outcomes(submitted);
    expect(database.statements.map((statement) => statement.writes)).toEqual([
      [0, 1, 3],
      [2, 4, 7],
      [5, 6],
    ]);
  });

  it('retries each write of a batch alone when a row was refused: only that write fails', async () => {
    const database = manualDatabase();
    const coalescer = new Coalescer(database.send, { ...OPTIONS, maxInFlight: 1, maxBatch: 4 });
    const all = outcomes([
      coalescer.submit({ id: 1, kind: 'a' }),
      coalescer.submit({ id: 2, kind: 'a' }),
      coalescer.submit({ id: 3, kind: 'a', bad: true }),
      coalescer.submit({ id: 4, kind: 'a' }),
    ]);
    await settle();
    for (let step = 0; step < 10 && database.statements.length > step; step += 1) {
      database.statements[step]?.finish();
      await settle();
    }
    expect(await all).toEqual(['ok', 'ok', 'violates a constraint', 'ok']);
    expect(database.statements.map((statement) => statement.writes)).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]]);
  });

  it('fails every write of a batch, without retrying, when the failure is not a row’s (the database is down)', async () => {
    const database = manualDatabase();
    const coalescer = new Coalescer(database.send, OPTIONS);
    const all = outcomes([1, 2, 3].map((id) => coalescer.submit({ id, kind: 'a' })));
    await settle();
    database.statements[0]?.fail(new Error('connection refused'));
    expect(await all).toEqual(['connection refused', 'connection refused', 'connection refused']);
    expect(database.statements).toHaveLength(1);
  });

  it('goes on after a failed statement: a later write is sent', async () => {
    const database = manualDatabase();
    const coalescer = new Coalescer(database.send, { ...OPTIONS, maxInFlight: 1 });
    const first = outcomes([coalescer.submit({ id: 1, kind: 'a' })]);
    await settle();
    database.statements[0]?.fail(new Error('timeout'));
    expect(await first).toEqual(['timeout']);
    const later = outcomes([coalescer.submit({ id: 2, kind: 'a' })]);
    await settle();
    database.statements[1]?.finish();
    expect(await later).toEqual(['ok']);
  });
});
