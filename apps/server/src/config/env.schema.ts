import { z } from 'zod';

const OptionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
/** `a, b,,c` → `['a', 'b', 'c']`: list variables tolerate spaces and stray commas. */
const commaSeparated = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
/**
 * A named 256-bit key, `<kid>:<base64 of 32 bytes>` (`openssl rand -base64 32`). The key id is stored beside what
 * the key protects, so data written under an older key names the key that opens it.
 */
const NamedKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=$/, 'must be <key id>:<base64 of 32 bytes> (key id: A-Z a-z 0-9 _ -)')
  .transform((value) => {
    const [kid = '', key = ''] = value.split(':');
    return { kid, key: Buffer.from(key, 'base64') };
  });
export type NamedKey = z.infer<typeof NamedKey>;
const uniqueKeyIds = (keys: readonly NamedKey[]): boolean => new Set(keys.map((key) => key.kid)).size === keys.length;
const NamedKeyList = z
  .string()
  .transform(commaSeparated)
  .pipe(z.array(NamedKey))
  .refine(uniqueKeyIds, 'key ids must be unique');
const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const BrokerList = z
  .string()
  .regex(/^\s*[^\s,:]+:\d+\s*(,\s*[^\s,:]+:\d+\s*)*$/, 'must be comma-separated host:port pairs')
  .transform(commaSeparated);

/**
 * Every environment variable the server reads, in one place. The README's configuration table mirrors this.
 * `secret: true` marks values that are never logged.
 */
export const EnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: OptionalString.pipe(z.url().optional()).meta({ secret: true }),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
    JWT_SECRET: OptionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()).meta({
      secret: true,
    }),
    /** Earlier JWT_SECRET values, comma-separated: their tokens stay valid until they expire, so rotation logs nobody out. */
    JWT_PREVIOUS_SECRETS: z
      .string()
      .default('')
      .transform(commaSeparated)
      .pipe(z.array(z.string().min(32, 'each previous secret must be at least 32 characters')))
      .meta({ secret: true }),
    /**
     * Keys that encrypt personal data (user name and email, AES-256-GCM), comma-separated `<kid>:<base64>`: the first
     * encrypts, the others only decrypt (rotation). Required with DATABASE_URL; generated into DATA_DIR otherwise.
     */
    DATA_ENCRYPTION_KEYS: OptionalString.pipe(
      NamedKeyList.refine((keys) => keys.length > 0, 'must name at least one key').optional(),
    ).meta({ secret: true }),
    /** HMAC-SHA256 key of the email blind index (`<kid>:<base64>`). Required with DATABASE_URL; generated otherwise. */
    EMAIL_INDEX_KEY: OptionalString.pipe(NamedKey.optional()).meta({ secret: true }),
    /** Earlier EMAIL_INDEX_KEYs: sign-in still finds rows indexed under them until `npm run rotate-keys` re-indexes. */
    EMAIL_INDEX_PREVIOUS_KEYS: z.string().default('').pipe(NamedKeyList).meta({ secret: true }),
    JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
    BOOTSTRAP_ADMIN_EMAIL: OptionalString.pipe(z.email().optional()),
    BOOTSTRAP_ADMIN_PASSWORD: OptionalString.pipe(z.string().min(8).optional()).meta({ secret: true }),
    BOOTSTRAP_ADMIN_NAME: z.string().min(1).default('Administrator'),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
    OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
    /**
     * 0 since the relay is handed its own process's commits (no table read per step): a step starts as soon as the
     * previous publish returned, and what was committed meanwhile goes out together. Measured 2026-12-06: push p50
     * 6.0 → 2.5 ms in full mode and 4.7 → 2.0 ms embedded at 500 updates/s, p99 within the noise there and
     * halved in the full runs (README, Benchmarks).
     */
    OUTBOX_GATHER_MS: z.coerce.number().int().min(0).max(1000).default(0),
    /**
     * `false` runs a worker: no client API, no web app, socket handshakes refused; only /health and /metrics are
     * served. Its relay and consumers keep working (the fan-out reaches clients of API instances through Redis).
     */
    API_ENABLED: Flag.default(true),
    RELAY_ENABLED: Flag.default(true),
    /** `false` runs no bus consumers (socket fan-out, search indexer) here; another instance must. Needs Kafka. */
    CONSUMERS_ENABLED: Flag.default(true),
    /** Socket fan-out across instances (Redis streams adapter); unset = in-memory, one instance. */
    REDIS_URL: OptionalString.pipe(z.url().optional()).meta({ secret: true }),
    /** Namespaces this deployment's Redis keys and channels, so several deployments can share one Redis. */
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,64}$/)
      .default('ordertrack'),
    /** Browser origins other than the app's own that may call the API and open sockets (comma-separated). */
    CORS_ORIGINS: z.string().default('').transform(commaSeparated).pipe(z.array(z.url())),
    /** Hops of reverse proxies to trust for the client address (X-Forwarded-For); 0 = none. */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
    LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(10),
    /** Elasticsearch node URL. Unset: search and analytics run on PostgreSQL and no indexer consumer starts. */
    ELASTICSEARCH_URL: OptionalString.pipe(z.url().optional()).meta({ secret: true }),
    /** Index names start with this (`<prefix>-orders`, `<prefix>-history-YYYY.MM`); lowercase, as ES requires. */
    ES_INDEX_PREFIX: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,100}$/, 'must be lowercase letters, digits, "_" or "-"')
      .default('ordertrack'),
    /** Months of event history kept in Elasticsearch; older monthly indices are deleted (at start, then daily). */
    ES_HISTORY_RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
    /** Replicas per index: 0 fits a single-node cluster; use at least 1 on a production cluster. */
    ES_INDEX_REPLICAS: z.coerce.number().int().min(0).max(5).default(0),
    /** Kafka bootstrap brokers, comma-separated host:port (`kafka-1:9092,kafka-2:9092`); unset = in-process bus. */
    KAFKA_BROKERS: OptionalString.pipe(BrokerList.optional()),
    /** Names this service's Kafka connections in broker logs and quotas. */
    KAFKA_CLIENT_ID: z.string().regex(/^\S+$/, 'must not contain spaces').default('ordertrack'),
    /**
     * Partitions of each topic this service creates. Every topic gets the same count so an order id maps to the
     * same partition number everywhere; existing topics are never re-partitioned.
     */
    KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
    /** Replicas per partition of the topics this service creates (1 = a single broker). */
    KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(16).default(1),
    /** Prepended to every topic name; empty (the default) keeps the SDD's names. Isolates test runs or tenants. */
    KAFKA_TOPIC_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9._-]{0,100}$/)
      .default(''),
    /** Kafka consumer group ids are `<prefix>.<consumer>`, e.g. `ordertrack.websocket-fanout`. */
    KAFKA_GROUP_PREFIX: z
      .string()
      .regex(/^[\w.-]+$/, 'letters, digits, ".", "_" and "-" only')
      .default('ordertrack'),
    // --- TLS (issue 7). Files are read and checked once at start (config/tls-files.ts); paths are not secrets.
    /** PEM certificate chain: with TLS_KEY_FILE, PORT serves HTTPS and WSS only. */
    TLS_CERT_FILE: OptionalString,
    /** PEM private key of TLS_CERT_FILE. */
    TLS_KEY_FILE: OptionalString,
    /** PEM CA that signed PostgreSQL's certificate: connections use TLS and verify the certificate and host name. */
    DATABASE_CA_FILE: OptionalString,
    /** Connect to the Kafka brokers over TLS (verifying them with the system CAs or KAFKA_TLS_CA_FILE). */
    KAFKA_TLS: Flag.default(false),
    /** PEM CA that signed the brokers' certificates; needs KAFKA_TLS=true. */
    KAFKA_TLS_CA_FILE: OptionalString,
    /** PEM CA that signed Elasticsearch's certificate; needs an https ELASTICSEARCH_URL. */
    ELASTICSEARCH_CA_FILE: OptionalString,
    /** Elasticsearch API key (the base64 `id:key` Elasticsearch returns as `encoded`). */
    ELASTICSEARCH_API_KEY: OptionalString.meta({ secret: true }),
    /** Elasticsearch basic-auth user, with ELASTICSEARCH_PASSWORD (instead of an API key). */
    ELASTICSEARCH_USERNAME: OptionalString,
    ELASTICSEARCH_PASSWORD: OptionalString.meta({ secret: true }),
    /** PEM CA that signed Redis's certificate; needs a `rediss://` REDIS_URL. */
    REDIS_CA_FILE: OptionalString,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']).default('log'),
    // --- Observability (issue 5). Logs are ECS JSON on stdout; these ship them to Elasticsearch as well.
    /** Ship log lines to Elasticsearch too (batched `_bulk` into daily indices); stdout logging stays on. */
    LOG_TO_ELASTICSEARCH: Flag.default(false),
    /** Daily log indices are named `<prefix>-YYYY.MM.DD`. */
    LOG_ELASTICSEARCH_INDEX_PREFIX: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, 'lowercase letters, digits, _ and - (an Elasticsearch index name)')
      .default('ordertrack-logs'),
  })
  .superRefine((env, ctx) => {
    if ((env.BOOTSTRAP_ADMIN_EMAIL === undefined) !== (env.BOOTSTRAP_ADMIN_PASSWORD === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.BOOTSTRAP_ADMIN_EMAIL === undefined ? 'BOOTSTRAP_ADMIN_EMAIL' : 'BOOTSTRAP_ADMIN_PASSWORD'],
        message: 'BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together',
      });
    }
    if (env.LOG_TO_ELASTICSEARCH && env.ELASTICSEARCH_URL === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['ELASTICSEARCH_URL'],
        message: 'is required with LOG_TO_ELASTICSEARCH=true',
      });
    }
    if (!env.CONSUMERS_ENABLED && env.KAFKA_BROKERS === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['CONSUMERS_ENABLED'],
        message: 'can be false only with KAFKA_BROKERS: the in-process bus reaches consumers in this process only',
      });
    }
    if (!env.API_ENABLED && env.CONSUMERS_ENABLED && env.REDIS_URL === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['API_ENABLED'],
        message:
          'can be false with CONSUMERS_ENABLED only with REDIS_URL: the socket fan-out of a process without clients ' +
          'reaches the API instances through Redis',
      });
    }
    if (!env.API_ENABLED && !env.RELAY_ENABLED && !env.CONSUMERS_ENABLED) {
      ctx.addIssue({
        code: 'custom',
        path: ['API_ENABLED'],
        message: 'with RELAY_ENABLED and CONSUMERS_ENABLED also false leaves this process nothing to do',
      });
    }
    for (const issue of tlsIssues(env)) ctx.addIssue({ code: 'custom', ...issue });
    if (env.DATABASE_URL !== undefined && env.JWT_SECRET === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is required with DATABASE_URL, so that every instance verifies the same tokens',
      });
    }
    for (const variable of ['DATA_ENCRYPTION_KEYS', 'EMAIL_INDEX_KEY'] as const) {
      if (env.DATABASE_URL !== undefined && env[variable] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [variable],
          message: 'is required with DATABASE_URL, so that every instance reads the same encrypted personal data',
        });
      }
    }
    const indexKeys = [
      ...(env.EMAIL_INDEX_KEY === undefined ? [] : [env.EMAIL_INDEX_KEY]),
      ...env.EMAIL_INDEX_PREVIOUS_KEYS,
    ];
    if (!uniqueKeyIds(indexKeys)) {
      ctx.addIssue({
        code: 'custom',
        path: ['EMAIL_INDEX_PREVIOUS_KEYS'],
        message: 'key ids must differ from each other and from EMAIL_INDEX_KEY',
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

interface EnvIssue {
  path: [string];
  message: string;
}

/** SSL settings in DATABASE_URL that DATABASE_CA_FILE replaces (it always verifies certificate and host name). */
const URL_SSL_SETTINGS = ['sslrootcert', 'sslcert', 'sslkey', 'ssl', 'uselibpqcompat'];

/** TLS variables that only make sense together, or only with a given URL scheme. */
function tlsIssues(env: Env): EnvIssue[] {
  const issues: EnvIssue[] = [];
  const issue = (variable: string, message: string): void => void issues.push({ path: [variable], message });
  if ((env.TLS_CERT_FILE === undefined) !== (env.TLS_KEY_FILE === undefined)) {
    issue(
      env.TLS_CERT_FILE === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE',
      'TLS_CERT_FILE and TLS_KEY_FILE must be set together',
    );
  }
  if (env.DATABASE_CA_FILE !== undefined) {
    if (env.DATABASE_URL === undefined) issue('DATABASE_CA_FILE', 'needs DATABASE_URL');
    else {
      // The URL is a secret: name the offending setting, never echo the URL. (An invalid URL is reported already.)
      const params = URL.parse(env.DATABASE_URL)?.searchParams ?? new URLSearchParams();
      const sslmode = params.get('sslmode');
      if (sslmode !== null && sslmode !== 'verify-full') {
        issue(
          'DATABASE_URL',
          `sslmode=${sslmode} contradicts DATABASE_CA_FILE, which verifies certificate and host name: use sslmode=verify-full or leave it out`,
        );
      }
      const replaced = URL_SSL_SETTINGS.filter((name) => params.has(name));
      if (replaced.length > 0) issue('DATABASE_URL', `${replaced.join(', ')} cannot be combined with DATABASE_CA_FILE`);
    }
  }
  if (env.KAFKA_TLS && env.KAFKA_BROKERS === undefined) issue('KAFKA_TLS', 'needs KAFKA_BROKERS');
  if (env.KAFKA_TLS_CA_FILE !== undefined && !env.KAFKA_TLS) issue('KAFKA_TLS_CA_FILE', 'needs KAFKA_TLS=true');
  const esHttps = env.ELASTICSEARCH_URL !== undefined && URL.parse(env.ELASTICSEARCH_URL)?.protocol === 'https:';
  if (env.ELASTICSEARCH_CA_FILE !== undefined && !esHttps) {
    issue('ELASTICSEARCH_CA_FILE', 'needs an https:// ELASTICSEARCH_URL');
  }
  if ((env.ELASTICSEARCH_USERNAME === undefined) !== (env.ELASTICSEARCH_PASSWORD === undefined)) {
    issue(
      env.ELASTICSEARCH_USERNAME === undefined ? 'ELASTICSEARCH_USERNAME' : 'ELASTICSEARCH_PASSWORD',
      'ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD must be set together',
    );
  }
  if (env.ELASTICSEARCH_API_KEY !== undefined && env.ELASTICSEARCH_USERNAME !== undefined) {
    issue('ELASTICSEARCH_API_KEY', 'set either ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/PASSWORD, not both');
  }
  const esAuth = env.ELASTICSEARCH_API_KEY !== undefined || env.ELASTICSEARCH_USERNAME !== undefined;
  if (esAuth && env.ELASTICSEARCH_URL === undefined) {
    issue(
      env.ELASTICSEARCH_API_KEY === undefined ? 'ELASTICSEARCH_USERNAME' : 'ELASTICSEARCH_API_KEY',
      'needs ELASTICSEARCH_URL',
    );
  }
  const redisTls = env.REDIS_URL !== undefined && URL.parse(env.REDIS_URL)?.protocol === 'rediss:';
  if (env.REDIS_CA_FILE !== undefined && !redisTls) issue('REDIS_CA_FILE', 'needs a rediss:// REDIS_URL');
  return issues;
}
