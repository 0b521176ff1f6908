import { describe, expect, it } from 'vitest';
import { findMemoryReading } from './processes.js';

describe('findMemoryReading', () => {
  const output = [
    '{"level":"warn","message":"something the app logged"}',
    'memory-probe 1 {"rss":1000,"heapUsed":200,"external":30}',
    'memory-probe 2 {"rss":2000,"heapUsed":400,"external":60}',
  ].join('\n');

  it('finds the reading with its own number among the process output', () => {
    expect(findMemoryReading(output, 2)).toEqual({ rss: 2000, heapUsed: 400, external: 60 });
    expect(findMemoryReading(output, 1)).toEqual({ rss: 1000, heapUsed: 200, external: 30 });
  });

  it('is undefined until the probe has answered, not confusing reading 1 with 11', () => {
    expect(findMemoryReading(output, 3)).toBeUndefined();
    expect(findMemoryReading('memory-probe 11 {"rss":1,"heapUsed":1,"external":1}', 1)).toBeUndefined();
  });

  it('fails when the probe could not collect or wrote something else', () => {
    expect(() => findMemoryReading('memory-probe 1 {"error":"started without --expose-gc"}', 1)).toThrow(
      'memory probe: started without --expose-gc',
    );
    expect(() => findMemoryReading('memory-probe 1 {"rss":1}', 1)).toThrow('unexpected reading');
  });
});
