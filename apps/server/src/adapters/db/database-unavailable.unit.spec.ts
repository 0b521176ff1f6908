import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-unavailable.js';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });
/** What drizzle throws around the driver's error. */
const failedQuery = (cause: Error): Error => new Error('Failed query: select 1\nparams: ', { cause });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['the server refusing connections', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a fast shutdown ending the session', withCode('terminating connection due to administrator command', '57P01')],
    ['the server still starting', withCode('the database system is starting up', '57P03')],
    ['a connection exception', withCode('connection failure', '08006')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    [
      'a client left broken by an earlier failure',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    [
      'the same, wrapped by drizzle',
      failedQuery(withCode('terminating connection due to administrator command', '57P01')),
    ],
    [
      'every address refusing (IPv6 and IPv4)',
      new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], 'connect failed'),
    ],
  ])('recognises %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', failedQuery(withCode('duplicate key value violates unique constraint', '23505'))],
    ['a syntax error', withCode('syntax error at or near "selec"', '42601')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['something that is not an error', 'Connection terminated'],
  ])('does not mistake %s for an outage', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
