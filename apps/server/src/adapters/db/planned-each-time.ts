/**
 * The name to prepare a statement under when its best plan depends on how big its table has grown, such as
 * `position = ANY($1)`: a few index lookups on a large table, but a scan of the whole table while it is nearly empty.
 * PostgreSQL keeps the generic plan it settles on at a named statement's sixth execution until the table is next
 * analysed, so a statement first run at start-up went on scanning the whole table as it grew (measured: the outbox
 * relay's mark read 1,044 rows per order placed after 30 s, and PostgreSQL's CPU went from 32% to 69% at a steady
 * 1,400 orders/s). node-postgres sends a statement without a name as PostgreSQL's unnamed statement, parsed and
 * planned with its values on every execution; the query is still built only once.
 */
export const PLANNED_EACH_TIME = '';
