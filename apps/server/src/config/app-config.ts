import { EnvSchema, type Env } from './env.schema.js';
import { readTlsFiles, type TlsFiles } from './tls-files.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment once and reads the TLS files it names; the message names every offending variable. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);
    throw invalid(problems);
  }
  const tls = readTlsFiles(parsed.data);
  if (tls.problems.length > 0) throw invalid(tls.problems);
  return new AppConfig(parsed.data, tls.files);
}

const invalid = (problems: string[]): ConfigError =>
  new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);

export class AppConfig {
  constructor(
    readonly env: Env,
    /** PEM contents of the TLS files the environment names (certificates and keys are never logged). */
    readonly tls: TlsFiles,
  ) {}

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
