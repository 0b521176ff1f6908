import { describe, expect, it } from 'vitest';
import { serverError } from './server-error.js';

const raised = (code: string, constraint?: string): Error =>
  Object.assign(new Error('raised by the server'), { code, constraint });
/** What drizzle throws around the driver's error. */
const failedQuery = (cause: Error): Error => new Error('Failed query: select 1\nparams: ', { cause });

describe('serverError', () => {
  it('finds the SQLSTATE and constraint under the wrapper drizzle adds', () => {
    expect(serverError(failedQuery(raised('23505', 'order_events_order_version_key')))).toEqual({
      code: '23505',
      constraint: 'order_events_order_version_key',
    });
    expect(serverError(raised('22012'))).toEqual({ code: '22012', constraint: undefined });
  });

  it('reports nothing for socket failures and errors without a code', () => {
    expect(serverError(failedQuery(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })))).toBeUndefined();
    expect(serverError(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBeUndefined();
    expect(serverError(new Error('Connection terminated unexpectedly'))).toBeUndefined();
    expect(serverError('not an error')).toBeUndefined();
  });
});
