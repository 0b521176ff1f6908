import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { ZodType } from 'zod';
import type { BlindIndex, FieldCipher } from '../../application/ports/personal-data.port.js';
import { ConfigError, type AppConfig } from '../../config/app-config.js';
import { EnvSchema } from '../../config/env.schema.js';
import { AesGcmFieldCipher } from './aes-gcm-field-cipher.js';
import { readOrCreateSecret } from './data-dir-secret.js';
import { HmacBlindIndex } from './hmac-blind-index.js';

export interface PersonalDataProtection {
  cipher: FieldCipher;
  emailIndex: BlindIndex;
}

/** File names in DATA_DIR; the content has the variables' format, so an operator can move it into them. */
export const DATA_KEYS_FILE = 'data-encryption-keys';
export const EMAIL_INDEX_KEY_FILE = 'email-index-key';

/**
 * DATA_ENCRYPTION_KEYS and EMAIL_INDEX_KEY when given (always, with DATABASE_URL); otherwise, in embedded mode,
 * keys generated once into the data dir, like the JWT secret.
 */
export async function resolvePersonalDataProtection(config: AppConfig): Promise<PersonalDataProtection> {
  const { DATA_DIR, DATA_ENCRYPTION_KEYS, EMAIL_INDEX_KEY, EMAIL_INDEX_PREVIOUS_KEYS } = config.env;
  const dataKeys =
    DATA_ENCRYPTION_KEYS ?? (await keyFile(DATA_DIR, DATA_KEYS_FILE, EnvSchema.shape.DATA_ENCRYPTION_KEYS));
  const indexKey = EMAIL_INDEX_KEY ?? (await keyFile(DATA_DIR, EMAIL_INDEX_KEY_FILE, EnvSchema.shape.EMAIL_INDEX_KEY));
  return {
    cipher: new AesGcmFieldCipher(dataKeys),
    emailIndex: new HmacBlindIndex(indexKey, EMAIL_INDEX_PREVIOUS_KEYS),
  };
}

async function keyFile<T>(dataDir: string, file: string, schema: ZodType<T | undefined>): Promise<T> {
  const parsed = schema.safeParse(await readOrCreateSecret(dataDir, file, generateNamedKey));
  if (!parsed.success || parsed.data === undefined) {
    throw new ConfigError(`${path.join(dataDir, file)} does not hold a valid key (<key id>:<base64 of 32 bytes>)`);
  }
  return parsed.data;
}

function generateNamedKey(): string {
  return `local-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}`;
}
