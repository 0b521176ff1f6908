import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './app-config.js';

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
const OTHER_KEY = `k2:${Buffer.alloc(32, 9).toString('base64')}`;

describe('configuration', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.databaseMode).toBe('embedded');
    expect(config.env).toMatchObject({ PORT: 3000, DATA_DIR: './data', RELAY_ENABLED: true });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://db/x' }, 'JWT_SECRET'],
    [{ DATABASE_URL: 'postgres://db/x' }, 'DATA_ENCRYPTION_KEYS'],
    [{ DATABASE_URL: 'postgres://db/x' }, 'EMAIL_INDEX_KEY'],
    [{ DATA_ENCRYPTION_KEYS: 'k1:dG9vLXNob3J0' }, 'DATA_ENCRYPTION_KEYS'],
    [{ DATA_ENCRYPTION_KEYS: `${KEY},${KEY}` }, 'DATA_ENCRYPTION_KEYS'],
    [{ DATA_ENCRYPTION_KEYS: `bad:kid:${KEY}` }, 'DATA_ENCRYPTION_KEYS'],
    [{ EMAIL_INDEX_KEY: 'no-key-id' }, 'EMAIL_INDEX_KEY'],
    [{ EMAIL_INDEX_KEY: KEY, EMAIL_INDEX_PREVIOUS_KEYS: KEY }, 'EMAIL_INDEX_PREVIOUS_KEYS'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com' }, 'BOOTSTRAP_ADMIN_PASSWORD'],
    [{ BOOTSTRAP_ADMIN_PASSWORD: 'long-enough-password' }, 'BOOTSTRAP_ADMIN_EMAIL'],
    [{ RELAY_ENABLED: 'yes' }, 'RELAY_ENABLED'],
    [{ LOG_LEVEL: 'chatty' }, 'LOG_LEVEL'],
    [{ CONSUMERS_ENABLED: 'false' }, 'CONSUMERS_ENABLED'],
    [{ API_ENABLED: 'false' }, 'API_ENABLED'],
    [
      { API_ENABLED: 'false', RELAY_ENABLED: 'false', CONSUMERS_ENABLED: 'false', KAFKA_BROKERS: 'k:9092' },
      'API_ENABLED',
    ],
  ])('refuses %o naming %s', (env, variable) => {
    expect(failure(env)).toMatch(new RegExp(`^\\s+${variable}(\\.\\d+)?:`, 'm'));
  });

  it('takes a worker without the API when its fan-out can reach the API instances through Redis', () => {
    const worker = loadConfig({ API_ENABLED: 'false', RELAY_ENABLED: 'false', REDIS_URL: 'redis://r:6379' });
    expect(worker.env).toMatchObject({ API_ENABLED: false, CONSUMERS_ENABLED: true });
    expect(loadConfig({ API_ENABLED: 'false', CONSUMERS_ENABLED: 'false', KAFKA_BROKERS: 'k:9092' }).env).toMatchObject(
      { API_ENABLED: false, RELAY_ENABLED: true },
    );
  });

  it('never echoes secret values in its messages', () => {
    expect(failure({ JWT_SECRET: 'short-secret-value' })).not.toContain('short-secret-value');
  });

  it('reads named keys: the first data key is current, the rest decrypt only', () => {
    const { env } = loadConfig({ DATA_ENCRYPTION_KEYS: ` ${OTHER_KEY} , ${KEY}`, EMAIL_INDEX_KEY: KEY });
    expect(env.DATA_ENCRYPTION_KEYS?.map((key) => key.kid)).toEqual(['k2', 'k1']);
    expect(env.DATA_ENCRYPTION_KEYS?.[0]?.key).toEqual(Buffer.alloc(32, 9));
    expect(env.EMAIL_INDEX_KEY).toEqual({ kid: 'k1', key: Buffer.alloc(32, 7) });
    expect(env.EMAIL_INDEX_PREVIOUS_KEYS).toEqual([]);
  });

  it('never echoes encryption keys in its messages', () => {
    const badKey = `k1:${Buffer.alloc(31, 5).toString('base64')}`;
    expect(failure({ DATA_ENCRYPTION_KEYS: badKey, EMAIL_INDEX_KEY: badKey })).not.toContain(badKey.slice(3));
  });

  it('treats empty strings as unset', () => {
    expect(
      loadConfig({ DATABASE_URL: '', JWT_SECRET: '', DATA_ENCRYPTION_KEYS: '', EMAIL_INDEX_KEY: '' }).databaseMode,
    ).toBe('embedded');
  });

  describe('TLS', () => {
    const DB = {
      DATABASE_URL: 'postgres://db.internal/app',
      JWT_SECRET: 'x'.repeat(32),
      DATA_ENCRYPTION_KEYS: KEY,
      EMAIL_INDEX_KEY: OTHER_KEY,
    };
    const MISSING = '/nonexistent/ca.pem';
    /** A readable file that is no certificate: this very spec. */
    const NOT_PEM = fileURLToPath(import.meta.url);

    it.each([
      [{ TLS_CERT_FILE: MISSING }, 'TLS_KEY_FILE'],
      [{ TLS_KEY_FILE: MISSING }, 'TLS_CERT_FILE'],
      [{ DATABASE_CA_FILE: MISSING }, 'DATABASE_CA_FILE'],
      [{ ...DB, DATABASE_URL: `${DB.DATABASE_URL}?sslmode=require`, DATABASE_CA_FILE: MISSING }, 'DATABASE_URL'],
      [{ ...DB, DATABASE_URL: `${DB.DATABASE_URL}?sslrootcert=/ca.pem`, DATABASE_CA_FILE: MISSING }, 'DATABASE_URL'],
      [{ ...DB, DATABASE_URL: 'not a url', DATABASE_CA_FILE: MISSING }, 'DATABASE_URL'],
      [{ ELASTICSEARCH_URL: 'not a url', ELASTICSEARCH_CA_FILE: MISSING }, 'ELASTICSEARCH_URL'],
      [{ REDIS_URL: 'not a url', REDIS_CA_FILE: MISSING }, 'REDIS_URL'],
      [{ KAFKA_TLS: 'true' }, 'KAFKA_TLS'],
      [{ KAFKA_BROKERS: 'k:9092', KAFKA_TLS_CA_FILE: MISSING }, 'KAFKA_TLS_CA_FILE'],
      [{ ELASTICSEARCH_URL: 'http://es:9200', ELASTICSEARCH_CA_FILE: MISSING }, 'ELASTICSEARCH_CA_FILE'],
      [{ ELASTICSEARCH_URL: 'https://es:9200', ELASTICSEARCH_USERNAME: 'app' }, 'ELASTICSEARCH_PASSWORD'],
      [{ ELASTICSEARCH_API_KEY: 'a2V5' }, 'ELASTICSEARCH_API_KEY'],
      [
        {
          ELASTICSEARCH_URL: 'https://es:9200',
          ELASTICSEARCH_API_KEY: 'a2V5',
          ELASTICSEARCH_USERNAME: 'app',
          ELASTICSEARCH_PASSWORD: 'pw',
        },
        'ELASTICSEARCH_API_KEY',
      ],
      [{ REDIS_URL: 'redis://r:6379', REDIS_CA_FILE: MISSING }, 'REDIS_CA_FILE'],
    ])('refuses %o naming %s', (env, variable) => {
      expect(failure(env)).toMatch(new RegExp(`^\\s+${variable}:`, 'm'));
    });

    it.each([
      ['TLS_CERT_FILE', { TLS_CERT_FILE: MISSING, TLS_KEY_FILE: NOT_PEM }],
      [
        'DATABASE_CA_FILE',
        { ...DB, DATABASE_URL: `${DB.DATABASE_URL}?sslmode=verify-full`, DATABASE_CA_FILE: MISSING },
      ],
      ['KAFKA_TLS_CA_FILE', { KAFKA_BROKERS: 'k:9092', KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: MISSING }],
      ['ELASTICSEARCH_CA_FILE', { ELASTICSEARCH_URL: 'https://es:9200', ELASTICSEARCH_CA_FILE: MISSING }],
      ['REDIS_CA_FILE', { REDIS_URL: 'rediss://r:6379', REDIS_CA_FILE: MISSING }],
    ])('names %s when its file cannot be read', (variable, env) => {
      expect(failure(env)).toMatch(new RegExp(`^\\s+${variable}: cannot read ${MISSING} \\(ENOENT\\)`, 'm'));
    });

    it('names the variable whose file is not PEM', () => {
      expect(failure({ TLS_CERT_FILE: NOT_PEM, TLS_KEY_FILE: NOT_PEM })).toMatch(
        /^\s+TLS_CERT_FILE: .* is not a PEM certificate\n\s+TLS_KEY_FILE: .* is not an unencrypted PEM private key$/m,
      );
      expect(failure({ REDIS_URL: 'rediss://r:6379', REDIS_CA_FILE: NOT_PEM })).toMatch(/^\s+REDIS_CA_FILE: /m);
    });

    it('never echoes the database URL when refusing its sslmode', () => {
      const url = 'postgres://app:hunter2-password@db.internal/app?sslmode=disable';
      const message = failure({ ...DB, DATABASE_URL: url, DATABASE_CA_FILE: MISSING });
      expect(message).toContain('sslmode=disable');
      expect(message).not.toContain('hunter2-password');
    });

    it('connects in plain text when no TLS variable is set', () => {
      expect(loadConfig({ ...DB, KAFKA_BROKERS: 'k:9092', REDIS_URL: 'redis://r:6379' }).tls).toEqual({});
    });
  });
});
