/** The machine's Redis, which the multi-instance suites share (each with a key prefix of its own). */
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
