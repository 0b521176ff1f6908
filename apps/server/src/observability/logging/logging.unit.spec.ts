import { describe, expect, it } from 'vitest';
import { dailyIndexName, timestampOf } from './daily-index.js';
import { pinoLevelFor } from './log-level.js';
import { requestIdFrom } from './request-id.js';

describe('LOG_LEVEL to pino', () => {
  it("maps Nest's level names onto pino's", () => {
    expect(pinoLevelFor('log')).toBe('info');
    expect(pinoLevelFor('verbose')).toBe('trace');
    expect(pinoLevelFor('warn')).toBe('warn');
  });
});

describe('request ids', () => {
  const generate = (): string => 'generated';

  it('keeps a plausible incoming id and replaces anything else', () => {
    expect(requestIdFrom('abc-123_x.y:z', generate)).toBe('abc-123_x.y:z');
    expect(requestIdFrom(['first', 'second'], generate)).toBe('first');
    expect(requestIdFrom(undefined, generate)).toBe('generated');
    expect(requestIdFrom('has spaces', generate)).toBe('generated');
    expect(requestIdFrom('{"forged":"field"}', generate)).toBe('generated');
    expect(requestIdFrom('x'.repeat(129), generate)).toBe('generated');
  });
});

describe('daily log indices', () => {
  it('names the UTC day of the line', () => {
    expect(dailyIndexName('ordertrack-logs', new Date('2026-11-05T23:59:59.999Z'))).toBe('ordertrack-logs-2026.11.05');
  });

  it("takes the line's @timestamp, or now when it has none", () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(timestampOf({ '@timestamp': '2026-02-03T04:05:06Z' }, () => now).toISOString()).toBe(
      '2026-02-03T04:05:06.000Z',
    );
    expect(timestampOf({ '@timestamp': 'garbage' }, () => now)).toBe(now);
    expect(timestampOf({}, () => now)).toBe(now);
  });
});
