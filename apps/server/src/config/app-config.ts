import { EnvSchema, type Env } from './env.schema.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment once; the message names every offending variable. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return new AppConfig(parsed.data);
}

export class AppConfig {
  constructor(readonly env: Env) {}

  get databaseMode(): 'embedded' | 'postgres' {
    return this.env.DATABASE_URL === undefined ? 'embedded' : 'postgres';
  }

  get busMode(): 'in-process' | 'kafka' {
    return this.env.KAFKA_BROKERS === undefined ? 'in-process' : 'kafka';
  }

  get searchBackend(): 'postgres' | 'elasticsearch' {
    return this.env.ELASTICSEARCH_URL === undefined ? 'postgres' : 'elasticsearch';
  }
}
