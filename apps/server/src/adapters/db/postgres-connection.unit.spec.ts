import { describe, expect, it } from 'vitest';
import { pgClientConfig } from './postgres-connection.js';

describe('pgClientConfig', () => {
  it('leaves a URL without a CA to node-postgres', () => {
    const url = 'postgres://app@db:5432/app?sslmode=verify-full';
    expect(pgClientConfig({ url })).toEqual({ connectionString: url });
  });

  it('verifies against the CA, taking sslmode out of the URL so node-postgres cannot replace the ssl option', () => {
    const config = pgClientConfig({ url: 'postgres://app:p%40ss@db:5432/app?sslmode=verify-full', ca: 'PEM' });
    expect(config).toEqual({
      connectionString: 'postgres://app:p%40ss@db:5432/app',
      ssl: { ca: 'PEM', rejectUnauthorized: true },
    });
  });
});
