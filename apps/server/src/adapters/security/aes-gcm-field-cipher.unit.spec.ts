import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionError } from '../../application/ports/personal-data.port.js';
import { AesGcmFieldCipher } from './aes-gcm-field-cipher.js';

const OLD = { kid: 'k1', key: randomBytes(32) };
const NEW = { kid: 'k2', key: randomBytes(32) };
const CONTEXT = 'users.email:00000000-0000-4000-8000-000000000001';

function decryptionFailure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DecryptionError) return error.message;
    throw error;
  }
  throw new Error('expected a DecryptionError');
}

/** Flips one bit of the decoded body at `index` (negative = from the end) and re-encodes the stored value. */
function flipBit(stored: string, index: number): string {
  const [format, kid, body = ''] = stored.split(':');
  const bytes = Buffer.from(body, 'base64url');
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] = (bytes[at] ?? 0) ^ 1;
  return `${format}:${kid}:${bytes.toString('base64url')}`;
}

describe('AES-256-GCM field cipher', () => {
  const cipher = new AesGcmFieldCipher([OLD]);

  it('round-trips text, including empty and non-ASCII strings', () => {
    for (const text of ['alice@example.com', '', 'Zoë 🚀 ñandú', 'x'.repeat(10_000)]) {
      expect(cipher.decrypt(cipher.encrypt(text, CONTEXT), CONTEXT)).toBe(text);
    }
  });

  it('stores format, key id and no plaintext; a fresh IV makes equal inputs differ', () => {
    const first = cipher.encrypt('alice@example.com', CONTEXT);
    const second = cipher.encrypt('alice@example.com', CONTEXT);
    expect(first).toMatch(/^v1:k1:[A-Za-z0-9_-]+$/);
    expect(first).not.toContain('alice');
    expect(first).not.toBe(second);
    // 12-byte IV + 17 bytes of ciphertext + 16-byte tag.
    expect(Buffer.from(first.split(':')[2] ?? '', 'base64url')).toHaveLength(12 + 17 + 16);
    expect(cipher.keyIdOf(first)).toBe('k1');
  });

  it.each([
    ['the IV', 0],
    ['the ciphertext', 14],
    ['the tag', -1],
  ])('refuses a value with a bit flipped in %s', (_part, index) => {
    const tampered = flipBit(cipher.encrypt('alice@example.com', CONTEXT), index);
    expect(decryptionFailure(() => cipher.decrypt(tampered, CONTEXT))).toMatch(/does not authenticate/);
  });

  it('refuses a value moved to another row or column (associated data)', () => {
    const stored = cipher.encrypt('alice@example.com', CONTEXT);
    expect(() => cipher.decrypt(stored, 'users.email:00000000-0000-4000-8000-000000000002')).toThrow(DecryptionError);
    expect(() => cipher.decrypt(stored, 'users.name:00000000-0000-4000-8000-000000000001')).toThrow(DecryptionError);
  });

  it('refuses a value whose key id was rewritten to another configured key', () => {
    const both = new AesGcmFieldCipher([NEW, OLD]);
    const relabelled = both.encrypt('alice', CONTEXT).replace('v1:k2:', 'v1:k1:');
    expect(() => both.decrypt(relabelled, CONTEXT)).toThrow(DecryptionError);
  });

  it('names an unknown key id clearly', () => {
    const stored = new AesGcmFieldCipher([NEW]).encrypt('alice', CONTEXT);
    expect(decryptionFailure(() => cipher.decrypt(stored, CONTEXT))).toBe(
      'value encrypted with key "k2", which is not in DATA_ENCRYPTION_KEYS',
    );
  });

  it.each(['alice@example.com', 'v1:k1:', 'v2:k1:AAAA', 'v1:k1:AAAA', 'v1:bad kid:AAAA'])(
    'refuses %s as not an encrypted value, or a truncated one',
    (stored) => {
      expect(() => cipher.decrypt(stored, CONTEXT)).toThrow(DecryptionError);
    },
  );

  it('rotates: the first key encrypts, earlier keys still decrypt what they wrote', () => {
    const written = cipher.encrypt('alice', CONTEXT);
    const rotated = new AesGcmFieldCipher([NEW, OLD]);
    expect(rotated.currentKeyId).toBe('k2');
    expect(rotated.decrypt(written, CONTEXT)).toBe('alice');
    const rewritten = rotated.encrypt(rotated.decrypt(written, CONTEXT), CONTEXT);
    expect(rotated.keyIdOf(rewritten)).toBe('k2');
    expect(new AesGcmFieldCipher([NEW]).decrypt(rewritten, CONTEXT)).toBe('alice');
  });

  it('refuses keys that are not 256 bits, and an empty key list', () => {
    expect(() => new AesGcmFieldCipher([{ kid: 'short', key: randomBytes(16) }])).toThrow(/32 bytes/);
    expect(() => new AesGcmFieldCipher([])).toThrow(/at least one key/);
  });
});
