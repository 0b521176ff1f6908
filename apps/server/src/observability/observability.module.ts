import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import pino from 'pino';
import { outboxBacklogOf } from '../adapters/db/drizzle-outbox-backlog.js';
import type { DatabaseHandle } from '../adapters/db/database.js';
import { elasticsearchConnection } from '../adapters/search/elasticsearch/es-connection.js';
import type { AppConfig } from '../config/app-config.js';
import { LogShippingLifecycle } from './log-shipping.lifecycle.js';
import { ElasticsearchLogShipper } from './logging/elasticsearch-log-shipper.js';
import { NestPinoLogger } from './logging/nest-pino-logger.js';
import { RequestLogContext } from './logging/request-log-context.js';
import { createRootLogger } from './logging/root-logger.js';
import { AppMetrics, ConsumerLagRecorder } from './metrics.js';
import { MetricsController } from './metrics.controller.js';
import { OrderLogContextInterceptor } from './order-log-context.interceptor.js';

export interface ObservabilityDependencies {
  config: AppConfig;
  database: DatabaseHandle;
  metrics: AppMetrics;
}

/**
 * Metrics (/metrics), structured logs (pino, ECS, optional shipping to Elasticsearch) and the request context
 * logs carry. Global so adapters can inject AppMetrics / ConsumerLagRecorder without importing this module.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static register({ config, database, metrics }: ObservabilityDependencies): DynamicModule {
    const { LOG_TO_ELASTICSEARCH: ship, LOG_ELASTICSEARCH_INDEX_PREFIX } = config.env;
    const connection = elasticsearchConnection(config);
    const shipper =
      ship && connection !== undefined
        ? new ElasticsearchLogShipper({
            connection,
            indexPrefix: LOG_ELASTICSEARCH_INDEX_PREFIX,
            onDropped: (lines) => metrics.logShippingFailures.inc(lines),
          })
        : undefined;
    metrics.watchOutbox(outboxBacklogOf(database.db));
    const stdout = pino.destination(1);
    const logContext = new RequestLogContext(
      createRootLogger(config.env.LOG_LEVEL, shipper === undefined ? [stdout] : [stdout, shipper]),
    );
    return {
      module: ObservabilityModule,
      controllers: [MetricsController],
      providers: [
        { provide: RequestLogContext, useValue: logContext },
        { provide: NestPinoLogger, useValue: new NestPinoLogger(logContext) },
        { provide: AppMetrics, useValue: metrics },
        { provide: ConsumerLagRecorder, useExisting: AppMetrics },
        { provide: LogShippingLifecycle, useValue: new LogShippingLifecycle(shipper) },
        { provide: APP_INTERCEPTOR, useClass: OrderLogContextInterceptor },
      ],
      exports: [AppMetrics, ConsumerLagRecorder, RequestLogContext, NestPinoLogger],
    };
  }
}
