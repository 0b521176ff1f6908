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
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com' }, 'BOOTSTRAP_ADMIN_PASSWORD'],
    [{ BOOTSTRAP_ADMIN_PASSWORD: 'long-enough-password' }, 'BOOTSTRAP_ADMIN_EMAIL'],
    [{ RELAY_ENABLED: 'yes' }, 'RELAY_ENABLED'],
    [{ LOG_LEVEL: 'chatty' }, 'LOG_LEVEL'],
    [{ CONSUMERS_ENABLED: 'false' }, 'CONSUMERS_ENABLED'],
  ])('refuses %o naming %s', (env, variable) => {
    expect(failure(env)).toMatch(new RegExp(`^\\s+${variable}:`, 'm'));
  });

  it('never echoes secret values in its messages', () => {
    expect(failure({ JWT_SECRET: 'short-secret-value' })).not.toContain('short-secret-value');
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', JWT_SECRET: '' }).databaseMode).toBe('embedded');
  });
});
