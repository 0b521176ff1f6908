import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/domain-error.js';
import { OrderWriteGate } from './order-write-gate.js';

describe('OrderWriteGate', () => {
  it('lets writes through until closed, then refuses new ones as a 503', async () => {
    const gate = new OrderWriteGate();
    expect(await gate.run(() => Promise.resolve('written'))).toBe('written');
    await gate.close();
    await expect(gate.run(() => Promise.resolve('late'))).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    await expect(gate.run(() => Promise.resolve('late'))).rejects.toBeInstanceOf(DomainError);
  });

  it('closes only once the writes in flight have finished, failed ones included', async () => {
    const gate = new OrderWriteGate();
    let finish: () => void = () => undefined;
    let fail: (error: Error) => void = () => undefined;
    const slow = gate.run(() => new Promise<void>((resolve) => (finish = resolve)));
    const failing = gate.run(() => new Promise<void>((_, reject) => (fail = reject))).catch(() => 'failed');
    let closed = false;
    const closing = gate.close().then(() => (closed = true));
    await Promise.resolve();
    expect(closed).toBe(false);
    fail(new Error('database down'));
    expect(await failing).toBe('failed');
    expect(closed).toBe(false);
    finish();
    await slow;
    await closing;
    expect(closed).toBe(true);
  });
});
