import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Env } from './env.schema.js';

/** The PEM contents behind the TLS file variables, read once at start. Unset variable = no entry. */
export interface TlsFiles {
  /** Certificate chain and key HTTPS and WSS are served with. */
  server?: { cert: string; key: string };
  databaseCa?: string;
  kafkaCa?: string;
  elasticsearchCa?: string;
  redisCa?: string;
}

export interface TlsFilesResult {
  files: TlsFiles;
  /** `VARIABLE: what is wrong`, one per unreadable or invalid file. */
  problems: string[];
}

/**
 * Reads and checks every configured TLS file, so a missing file, a file that is not PEM, or a key that does not
 * belong to its certificate stops the start with the variable's name instead of failing the first connection.
 */
export function readTlsFiles(env: Env): TlsFilesResult {
  const problems: string[] = [];
  const files: TlsFiles = {};

  const read = (variable: string, file: string | undefined): string | undefined => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      return undefined;
    }
  };
  const certificate = (variable: string, file: string | undefined): string | undefined => {
    const pem = read(variable, file);
    if (pem === undefined) return undefined;
    try {
      new X509Certificate(pem);
      return pem;
    } catch {
      problems.push(`${variable}: ${file} is not a PEM certificate`);
      return undefined;
    }
  };

  const cert = certificate('TLS_CERT_FILE', env.TLS_CERT_FILE);
  const key = privateKey(read('TLS_KEY_FILE', env.TLS_KEY_FILE), env.TLS_KEY_FILE, problems);
  if (cert !== undefined && key !== undefined) {
    if (new X509Certificate(cert).checkPrivateKey(key.object)) files.server = { cert, key: key.pem };
    else problems.push(`TLS_KEY_FILE: ${env.TLS_KEY_FILE} is not the key of the certificate in TLS_CERT_FILE`);
  }
  const databaseCa = certificate('DATABASE_CA_FILE', env.DATABASE_CA_FILE);
  const kafkaCa = certificate('KAFKA_TLS_CA_FILE', env.KAFKA_TLS_CA_FILE);
  const elasticsearchCa = certificate('ELASTICSEARCH_CA_FILE', env.ELASTICSEARCH_CA_FILE);
  const redisCa = certificate('REDIS_CA_FILE', env.REDIS_CA_FILE);
  if (databaseCa !== undefined) files.databaseCa = databaseCa;
  if (kafkaCa !== undefined) files.kafkaCa = kafkaCa;
  if (elasticsearchCa !== undefined) files.elasticsearchCa = elasticsearchCa;
  if (redisCa !== undefined) files.redisCa = redisCa;
  return { files, problems };
}

function privateKey(
  pem: string | undefined,
  file: string | undefined,
  problems: string[],
): { pem: string; object: KeyObject } | undefined {
  if (pem === undefined) return undefined;
  try {
    return { pem, object: createPrivateKey(pem) };
  } catch {
    // Never echo the content: it is a secret.
    problems.push(`TLS_KEY_FILE: ${file} is not an unencrypted PEM private key`);
    return undefined;
  }
}
