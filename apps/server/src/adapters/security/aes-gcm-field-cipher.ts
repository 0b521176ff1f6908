import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptionError, FieldCipher } from '../../application/ports/personal-data.port.js';
import type { NamedKey } from '../../config/env.schema.js';

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a random 96-bit IV per value. Stored form: `v1:<kid>:<base64url(iv ‖ ciphertext ‖ tag)>`.
 * The format, key id and context are the associated data, so none of them can be altered or swapped unnoticed.
 */
export class AesGcmFieldCipher extends FieldCipher {
  readonly currentKeyId: string;
  private readonly current: NamedKey;
  private readonly byKid: ReadonlyMap<string, Buffer>;

  /** `keys[0]` encrypts; every key decrypts what it encrypted. */
  constructor(keys: readonly NamedKey[]) {
    super();
    const [current] = keys;
    if (current === undefined) throw new Error('AesGcmFieldCipher needs at least one key');
    for (const { kid, key } of keys) {
      if (key.length !== 32) throw new Error(`data encryption key "${kid}" must be 32 bytes`);
    }
    this.current = current;
    this.currentKeyId = current.kid;
    this.byKid = new Map(keys.map(({ kid, key }) => [kid, key]));
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(this.current.kid, context));
    const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${FORMAT}:${this.current.kid}:${body.toString('base64url')}`;
  }

  decrypt(stored: string, context: string): string {
    const { kid, body } = parse(stored);
    const key = this.byKid.get(kid);
    if (key === undefined) {
      throw new DecryptionError(`value encrypted with key "${kid}", which is not in DATA_ENCRYPTION_KEYS`);
    }
    if (body.length < IV_BYTES + TAG_BYTES) throw new DecryptionError('encrypted value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(kid, context));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new DecryptionError(`value does not authenticate under key "${kid}" (tampered, or moved from ${context})`);
    }
  }

  keyIdOf(stored: string): string {
    return parse(stored).kid;
  }
}

function associatedData(kid: string, context: string): Buffer {
  return Buffer.from(`${FORMAT}:${kid}:${context}`, 'utf8');
}

function parse(stored: string): { kid: string; body: Buffer } {
  const match = /^v1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]+)$/.exec(stored);
  if (match?.[1] === undefined || match[2] === undefined) throw new DecryptionError('not an encrypted value');
  return { kid: match[1], body: Buffer.from(match[2], 'base64url') };
}
