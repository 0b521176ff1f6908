/**
 * Encryption of personal data at rest. `context` names the column and row a value belongs to
 * (`users.email:<user id>`); it is bound to the ciphertext, so a value copied into another row or column does not
 * decrypt.
 */
export abstract class FieldCipher {
  /** The key new values are encrypted with. */
  abstract readonly currentKeyId: string;
  abstract encrypt(plaintext: string, context: string): string;
  /** Throws DecryptionError for a tampered value, a wrong context or a key that is not configured. */
  abstract decrypt(stored: string, context: string): string;
  /** The id of the key a stored value was encrypted with (without decrypting it). */
  abstract keyIdOf(stored: string): string;
}

/** A keyed hash for equality lookups on encrypted values ("blind index"): equal inputs, equal index entries. */
export abstract class BlindIndex {
  abstract readonly currentKeyId: string;
  /** The entry under the current key: what new and re-indexed rows store. */
  abstract entry(value: string): string;
  /** The entries under every configured key, current first: a lookup finds rows not yet re-indexed. */
  abstract candidates(value: string): string[];
  abstract keyIdOf(stored: string): string;
}

export class DecryptionError extends Error {
  override readonly name = 'DecryptionError';
}
