import { StandardSchemaValidationPipe, BadRequestException, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { openEmbeddedDatabase, openPostgresDatabase, type DatabaseHandle } from './adapters/db/database.js';
import { postgresConnection } from './adapters/db/postgres-connection.js';
import { searchProviders } from './adapters/search/search.providers.js';
import { JwtKeyRing } from './adapters/security/jwt-key-ring.js';
import { resolveJwtSecret } from './adapters/security/jwt-secret.js';
import { redisConnection } from './adapters/redis/redis-connection.js';
import { resolvePersonalDataProtection } from './adapters/security/personal-data-keys.js';
import { ClusteredIoAdapter } from './adapters/socket/clustered-io.adapter.js';
import type { AppConfig } from './config/app-config.js';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { installBodyParsing } from './http/body-parsing.js';
import { installSecurityHeaders } from './http/security/security-headers.js';
import { buildOpenApiDocument } from './http/openapi.js';
import { installStaticWeb } from './http/static-web.js';
import { installObservability } from './observability/install-observability.js';

/**
 * The signals that ask the process to stop (an orchestrator, Ctrl-C, a closed terminal, Ctrl-\): each drains like
 * SIGTERM. Nest's default list also takes SIGUSR2 (and the crash signals); SIGUSR2 stays free for Node's diagnostics,
 * e.g. `--heapsnapshot-signal=SIGUSR2` writes a heap snapshot of a live instance instead of stopping it.
 */
const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'] as const;

export async function openDatabase(config: AppConfig): Promise<DatabaseHandle> {
  const url = config.env.DATABASE_URL;
  return url === undefined
    ? openEmbeddedDatabase(config.env.DATA_DIR)
    : openPostgresDatabase(postgresConnection(config, url), config.env.DATABASE_POOL_SIZE);
}

/** Builds the whole application for a configuration; `main.ts` and the test suites both start it this way. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const database = await openDatabase(config);
  const jwtKeys = new JwtKeyRing(await resolveJwtSecret(config), config.env.JWT_PREVIOUS_SECRETS);
  const personalData = await resolvePersonalDataProtection(config);
  const search = await searchProviders(config, database);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register({ config, database, jwtKeys, personalData, search }),
    {
      // With TLS_CERT_FILE/TLS_KEY_FILE the one port serves HTTPS, and Socket.IO on the same server WSS.
      ...(config.tls.server === undefined ? {} : { httpsOptions: config.tls.server }),
      bodyParser: false,
      // Start-up logs wait for pino (LOG_LEVEL applies there), which installObservability puts in place.
      bufferLogs: true,
    },
  );
  installObservability(app);
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS]);
  const redis = redisConnection(config);
  app.useWebSocketAdapter(
    new ClusteredIoAdapter(
      app,
      redis === undefined ? undefined : { connection: redis, keyPrefix: config.env.REDIS_KEY_PREFIX },
      config.env.CORS_ORIGINS,
      config.env.API_ENABLED,
    ),
  );
  app.set('trust proxy', config.env.TRUST_PROXY_HOPS);
  installSecurityHeaders(app, config.env.CORS_ORIGINS);
  installBodyParsing(app, config.env.BODY_LIMIT_BYTES);
  if (config.env.API_ENABLED) installStaticWeb(app);
  app.useGlobalPipes(
    new StandardSchemaValidationPipe({
      exceptionFactory: (issues) =>
        new BadRequestException(
          issues
            .map((issue) => {
              const path = (issue.path ?? []).map((part) =>
                typeof part === 'object' ? String(part.key) : String(part),
              );
              return path.length > 0 ? `${path.join('.')}: ${issue.message}` : issue.message;
            })
            .join('; '),
        ),
    }),
  );
  if (config.env.API_ENABLED) {
    SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  }
  return app;
}
