import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { migrationStatements } from '../support/run-resources.js';
import { PLACE_ORDER_TRANSACTION } from './pgbench.js';

/** pgbench's place-order statement with bind parameters for its variables: $1 order id, $2 event id, $3 user id. */
export function placeOrderStatementWithParameters(): string {
  return PLACE_ORDER_TRANSACTION.replace(/^\\set .*\n/, '')
    .replaceAll("md5('o' || :n)::uuid", '$1::uuid')
    .replaceAll("md5('e' || :n)::uuid", '$2::uuid')
    .replaceAll(':uid::uuid', '$3::uuid');
}

/**
 * What embedded mode's database can do at most: the same place-order statement, one after the other, on a PGlite
 * with the app's schema in a data directory like the app's, in this process, with no HTTP, JSON or bus around it.
 * PGlite has one connection, so concurrency has nothing to add.
 */
export async function pgliteStatementsPerSecond(dataDir: string, userId: string, seconds: number): Promise<number> {
  const database = new PGlite(dataDir);
  try {
    for (const statement of await migrationStatements()) await database.exec(statement);
    await database.query(
      `INSERT INTO users (id, name, email, email_index, role, password_hash, created_at)
       VALUES ($1, 'pglite', 'pglite@example.com', 'pglite-index', 'CUSTOMER', 'none', now())`,
      [userId],
    );
    const statement = placeOrderStatementWithParameters();
    const started = performance.now();
    const end = started + seconds * 1000;
    let placed = 0;
    while (performance.now() < end) {
      await database.query(statement, [randomUUID(), randomUUID(), userId]);
      placed += 1;
    }
    return placed / ((performance.now() - started) / 1000);
  } finally {
    await database.close();
  }
}
