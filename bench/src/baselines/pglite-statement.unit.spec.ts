import { describe, expect, it } from 'vitest';
import { placeOrderStatementWithParameters } from './pglite-statement.js';

describe('the place-order statement for PGlite', () => {
  it('binds every pgbench variable as a parameter and keeps the rest of the statement', () => {
    const statement = placeOrderStatementWithParameters();
    expect(statement).not.toMatch(/:n\b|:uid\b|\\set/);
    expect(statement.match(/\$1::uuid/g)).toHaveLength(3);
    expect(statement.match(/\$2::uuid/g)).toHaveLength(1);
    expect(statement.match(/\$3::uuid/g)).toHaveLength(3);
    expect(statement).toMatch(/^WITH saved AS \(INSERT INTO orders /);
    expect(statement).toMatch(/\)\nSELECT NULL;\n$/);
  });
});
