import { PostgresOrderSearch } from '../../src/adapters/search/postgres/postgres-order-search.js';
import { orderSearchContract } from '../contracts/order-search.contract.js';
import { DATABASE_MODES } from '../support/test-app.js';

for (const mode of DATABASE_MODES) {
  orderSearchContract(`PostgreSQL search on ${mode}`, mode, (database) =>
    Promise.resolve({ search: new PostgresOrderSearch(database.handle.db), close: () => Promise.resolve() }),
  );
}
