/**
 * Marks a statement whose plan may be made once and reused: it reaches each table it reads only by primary key, so
 * its best plan does not change as tables grow. Statements are otherwise planned with their values on every
 * execution (see PLANNED_EACH_TIME), which for the order write of one status change measured about half its time on
 * the embedded database (PGlite alone, 10,000 orders: 959 µs planned each time, 474 µs with its plan reused).
 *
 * The mark travels in the statement's text because drizzle's PGlite driver passes no statement name on. The embedded
 * database's thread runs a marked statement with PostgreSQL's own choice between a reusable and a per-execution plan
 * and with sequential scans disabled, for that statement only: a reused plan made while a table held a few rows would
 * otherwise keep scanning it as it grew, and PGlite has no autovacuum to analyse it and so replace the plan. On
 * PostgreSQL the mark is a comment; statements prepared with a name are planned as PostgreSQL chooses there already.
 */
export const PLANNED_ONCE = '/* planned once */ ';
