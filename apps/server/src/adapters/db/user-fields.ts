import type { PersonalDataProtection } from '../security/personal-data-keys.js';
import type { users } from './schema.js';

/** Emails compare case-insensitively and whatever Unicode form the client sent. */
export const normalizeEmail = (email: string): string => email.normalize('NFC').trim().toLowerCase();

/** The associated data of a user's encrypted column: a value only decrypts in the row and column it was written to. */
const context = (column: 'name' | 'email', userId: string): string => `users.${column}:${userId}`;

export interface PersonalFields {
  name: string;
  email: string;
}

export type StoredPersonalFields = Pick<typeof users.$inferInsert, 'name' | 'email' | 'emailIndex'>;

/** Name and email as they are stored: ciphertext under the current key, plus the email's current index entry. */
export function protectFields(
  userId: string,
  fields: PersonalFields,
  { cipher, emailIndex }: PersonalDataProtection,
): StoredPersonalFields {
  return {
    name: cipher.encrypt(fields.name, context('name', userId)),
    email: cipher.encrypt(fields.email, context('email', userId)),
    emailIndex: emailIndex.entry(normalizeEmail(fields.email)),
  };
}

/** Reads a stored row's name and email; a row written before encryption (no index entry) is still plaintext. */
export function revealFields(
  row: { id: string; name: string; email: string; emailIndex: string | null },
  { cipher }: PersonalDataProtection,
): PersonalFields {
  if (row.emailIndex === null) return { name: row.name, email: row.email };
  return {
    name: cipher.decrypt(row.name, context('name', row.id)),
    email: cipher.decrypt(row.email, context('email', row.id)),
  };
}
