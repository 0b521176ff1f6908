import { loadConfig } from '../../src/config/app-config.js';
import { AesGcmFieldCipher } from '../../src/adapters/security/aes-gcm-field-cipher.js';
import { HmacBlindIndex } from '../../src/adapters/security/hmac-blind-index.js';
import type { PersonalDataProtection } from '../../src/adapters/security/personal-data-keys.js';

/** Fixed test keys (never used outside tests), in the variables' format. */
export const TEST_DATA_ENCRYPTION_KEYS = 'test-1:j/j+xL5kxaDH8RQVPyDLjSGC0KgzD2ybjGaPYpVmH1g=';
export const TEST_DATA_ENCRYPTION_KEY_2 = 'test-2:ZCx4avYxUaD1qNYamJSIttxvUDLfCLlDjVWt7rdrxvk=';
export const TEST_EMAIL_INDEX_KEY = 'test-index-1:6XMT/sMIUZEg1KEIRKX+K7KFa9l15w9OHFwFKsiIZTg=';
export const TEST_EMAIL_INDEX_KEY_2 = 'test-index-2:pbA2Oqk0Z3eH+XSfqSNj5juPlsUGSbTURolPoR5xNew=';

/** What every test app on PostgreSQL needs besides DATABASE_URL and JWT_SECRET. */
export const TEST_PERSONAL_DATA_ENV = {
  DATA_ENCRYPTION_KEYS: TEST_DATA_ENCRYPTION_KEYS,
  EMAIL_INDEX_KEY: TEST_EMAIL_INDEX_KEY,
} as const;

/** The protection a server started with `env` (on top of the test keys) would use. */
export function testProtection(env: Record<string, string> = {}): PersonalDataProtection {
  const config = loadConfig({ ...TEST_PERSONAL_DATA_ENV, ...env }).env;
  if (config.DATA_ENCRYPTION_KEYS === undefined || config.EMAIL_INDEX_KEY === undefined) {
    throw new Error('test keys missing');
  }
  return {
    cipher: new AesGcmFieldCipher(config.DATA_ENCRYPTION_KEYS),
    emailIndex: new HmacBlindIndex(config.EMAIL_INDEX_KEY, config.EMAIL_INDEX_PREVIOUS_KEYS),
  };
}
