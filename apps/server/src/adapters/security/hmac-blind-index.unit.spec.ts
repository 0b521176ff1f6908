import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacBlindIndex } from './hmac-blind-index.js';

const OLD = { kid: 'i1', key: randomBytes(32) };
const NEW = { kid: 'i2', key: randomBytes(32) };

describe('HMAC-SHA256 blind index', () => {
  it('is HMAC-SHA256 of the value under the named key, deterministic, and holds no plaintext', () => {
    const index = new HmacBlindIndex(OLD);
    const entry = index.entry('alice@example.com');
    expect(entry).toBe(`i1:${createHmac('sha256', OLD.key).update('alice@example.com').digest('base64url')}`);
    expect(index.entry('alice@example.com')).toBe(entry);
    expect(index.entry('bob@example.com')).not.toBe(entry);
    expect(entry).not.toContain('alice');
    expect(index.keyIdOf(entry)).toBe('i1');
  });

  it('gives different entries under different keys, and lists every key for lookups, current first', () => {
    const rotated = new HmacBlindIndex(NEW, [OLD]);
    const candidates = rotated.candidates('alice@example.com');
    expect(candidates).toEqual([
      rotated.entry('alice@example.com'),
      new HmacBlindIndex(OLD).entry('alice@example.com'),
    ]);
    expect(candidates[0]).not.toBe(candidates[1]);
    expect(rotated.currentKeyId).toBe('i2');
  });
});
