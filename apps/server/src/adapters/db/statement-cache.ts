import { createHash } from 'node:crypto';
import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import { PgDialect, type PgPreparedQuery, type PreparedQueryConfig } from 'drizzle-orm/pg-core';
import type { Db } from './database.js';

/**
 * Why this exists: building the order write with drizzle on every request (query builders, sqlToQuery and its
 * `is()` checks) measured ~12.5% of the server's CPU per POST /orders. Each shape of statement is built once, with
 * a placeholder for every value, and runs as a named prepared statement: a connection parses it once and afterwards
 * receives only the values. Shapes are few (which steps, how many rows), so the cache is not bounded.
 */

/** The rows one statement writes, in named groups: one optional row, or a list. */
export type StatementRows = Record<string, object | readonly object[] | undefined>;

type PlaceholderRow<Row> = { [Key in keyof Row]: Row[Key] | Placeholder };
type GroupTemplate<Group> = Group extends readonly (infer Row)[]
  ? PlaceholderRow<Row>[]
  : Group extends object
    ? PlaceholderRow<Group>
    : Group;
/** The rows with a placeholder in place of each defined value: what a statement's template is built from. */
export type Placeholders<Rows extends StatementRows> = { [Name in keyof Rows]: GroupTemplate<Rows[Name]> };

const dialect = new PgDialect();

export class StatementCache<Rows extends StatementRows> {
  private readonly statements = new Map<string, PgPreparedQuery<PreparedQueryConfig>>();

  /**
   * `build` turns placeholder rows into the statement. drizzle evaluates `$defaultFn` and `$onUpdate` of columns a
   * row leaves out while building, so the template would keep the first call's value: give such columns a value.
   */
  constructor(
    private readonly db: Db,
    private readonly namePrefix: string,
    private readonly build: (template: Placeholders<Rows>) => SQL,
  ) {}

  /**
   * Runs the statement for these rows. Its shape is which groups hold rows, how many, and the keys each row
   * defines (an undefined value means the column's default, as in drizzle's insert): rows of a shape not seen
   * before build and prepare its statement, so the template always has exactly the placeholders the values fill.
   */
  execute(rows: Rows): Promise<unknown> {
    const values: Record<string, unknown> = {};
    let shape = '';
    for (const [name, group] of Object.entries(rows)) {
      shape += `${name}:`;
      if (group === undefined) {
        shape += '-';
        continue;
      }
      const listed = Array.isArray(group);
      const list: readonly object[] = listed ? group : [group];
      list.forEach((row, index) => {
        shape += listed ? '[' : '{';
        for (const [key, value] of Object.entries(row)) {
          if (value === undefined) continue;
          values[placeholderName(name, listed ? index : undefined, key)] = value;
          shape += `${key},`;
        }
      });
    }
    let statement = this.statements.get(shape);
    if (statement === undefined) {
      statement = this.prepare(rows);
      this.statements.set(shape, statement);
    }
    return statement.execute(values);
  }

  private prepare(rows: Rows): PgPreparedQuery<PreparedQueryConfig> {
    const template = Object.fromEntries(
      Object.entries(rows).map(([name, group]) => [
        name,
        Array.isArray(group)
          ? group.map((row: object, index) => placeholderRow(name, index, row))
          : group === undefined
            ? undefined
            : placeholderRow(name, undefined, group),
      ]),
    ) as Placeholders<Rows>; // Object.fromEntries loses the keys; each group was mapped to its own template above.
    const query = dialect.sqlToQuery(this.build(template));
    // node-postgres refuses one name for two texts on a connection, and stores sharing a pool share connections.
    const name = `${this.namePrefix}_${createHash('sha256').update(query.sql).digest('hex').slice(0, 16)}`;
    return this.db._.session.prepareQuery(query, undefined, name, false);
  }
}

function placeholderRow(name: string, index: number | undefined, row: object): Record<string, Placeholder> {
  return Object.fromEntries(
    Object.entries(row)
      .filter(([, value]) => value !== undefined)
      .map(([key]) => [key, sql.placeholder(placeholderName(name, index, key))]),
  );
}

function placeholderName(name: string, index: number | undefined, key: string): string {
  return index === undefined ? `${name}.${key}` : `${name}.${index}.${key}`;
}
