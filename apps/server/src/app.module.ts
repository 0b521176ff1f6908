import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { OrderAuditService } from './application/audit/order-audit.service.js';
import { AuditTrail } from './application/ports/audit-trail.port.js';
import { DrizzleAuditTrail } from './adapters/db/drizzle-audit-trail.js';
import { DrizzleAuditOutbox } from './adapters/db/drizzle-audit-outbox.js';
import { AuditController } from './http/controllers/audit.controller.js';
import { instrumentPorts } from './observability/instrument-ports.js';
import { AppMetrics } from './observability/metrics.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { BootstrapAdminService } from './application/auth/bootstrap-admin.service.js';
import { LoginService } from './application/auth/login.service.js';
import { RegisterService } from './application/auth/register.service.js';
import { HealthService } from './application/health/health.service.js';
import { ChangeOrderStatusService } from './application/orders/change-order-status.service.js';
import { GetOrderService } from './application/orders/get-order.service.js';
import { ListUserOrdersService } from './application/orders/list-user-orders.service.js';
import { PlaceOrderService } from './application/orders/place-order.service.js';
import { Clock, IdGenerator } from './application/ports/clock.port.js';
import { DEPENDENCY_PROBES, type DependencyProbe } from './application/ports/dependency-probe.port.js';
import { OrderStore } from './application/ports/order-store.port.js';
import { GatedOrderStore } from './application/orders/gated-order-store.js';
import { OrderWriteGate } from './application/orders/order-write-gate.js';
import { RealtimeNotifier } from './application/ports/realtime.port.js';
import { PasswordHasher, TokenService } from './application/ports/security.port.js';
import { UserStore } from './application/ports/user-store.port.js';
import { OrderFanoutConsumer } from './application/realtime/order-fanout.consumer.js';
import { ResumeOrdersService } from './application/realtime/resume-orders.service.js';
import { OrderHistoryService } from './application/search/order-history.service.js';
import { SearchOrdersService } from './application/search/search-orders.service.js';
import { busProviders } from './adapters/bus/bus.providers.js';
import { DatabaseLifecycle } from './adapters/db/database-lifecycle.js';
import type { DatabaseHandle } from './adapters/db/database.js';
import { DrizzleOrderStore } from './adapters/db/drizzle-order-store.js';
import { RememberedOrders } from './adapters/db/remembered-orders.js';
import { DrizzleOutboxStore } from './adapters/db/drizzle-outbox-store.js';
import { DrizzleUserStore } from './adapters/db/drizzle-user-store.js';
import { PlaintextUserEncryption } from './adapters/db/plaintext-user-encryption.js';
import type { SearchWiring } from './adapters/search/search.providers.js';
import type { JwtKeyRing } from './adapters/security/jwt-key-ring.js';
import type { PersonalDataProtection } from './adapters/security/personal-data-keys.js';
import { JwtTokenService } from './adapters/security/jwt-token-service.js';
import { ScryptPasswordHasher } from './adapters/security/scrypt-password-hasher.js';
import { OrdersGateway } from './adapters/socket/orders.gateway.js';
import { redisConnection } from './adapters/redis/redis-connection.js';
import { RedisProbe } from './adapters/socket/redis-probe.js';
import { RandomIdGenerator, SystemClock } from './adapters/system-clock.js';
import { AppConfig } from './config/app-config.js';
import { AuthGuard } from './http/auth/auth.guard.js';
import { AuthController } from './http/controllers/auth.controller.js';
import { CatalogController } from './http/controllers/catalog.controller.js';
import { HealthController } from './http/controllers/health.controller.js';
import { OrdersController } from './http/controllers/orders.controller.js';
import { SearchController } from './http/controllers/search.controller.js';
import { ErrorFilter } from './http/error.filter.js';
import { RateLimitGuard } from './http/security/rate-limit.guard.js';
import { rateLimitOptions } from './http/security/rate-limits.js';
import { AuditOutbox } from './outbox/audit-outbox.port.js';
import { OutboxStore } from './outbox/outbox-store.port.js';
import { OutboxRelay } from './outbox/outbox-relay.js';
import { CommittedEntries } from './outbox/committed-entries.js';

export interface AppDependencies {
  config: AppConfig;
  database: DatabaseHandle;
  jwtKeys: JwtKeyRing;
  /** Encryption of users' names and emails and the email blind index (see personal-data-keys.ts). */
  personalData: PersonalDataProtection;
  /** PostgreSQL or Elasticsearch search, chosen by the configuration (see search.providers.ts). */
  search: SearchWiring;
}

/**
 * Orders whose last written state the store keeps in memory (a few KiB each at most): at 500 changes/s
 * an order's next change comes long before 10,000 others have been written.
 */
const REMEMBERED_ORDERS = 10_000;

/** Binds every port to the adapter the configuration selects; nothing else knows which adapters run. */
@Module({})
export class AppModule {
  static register({ config, database, jwtKeys, personalData, search }: AppDependencies): DynamicModule {
    const metrics = new AppMetrics();
    const bus = busProviders(config, metrics);
    const redis = redisConnection(config);
    const redisProbe = redis === undefined ? undefined : new RedisProbe(redis);
    const writeGate = new OrderWriteGate();
    const committed = new CommittedEntries();
    const adapters: Provider[] = [
      { provide: AppConfig, useValue: config },
      { provide: DatabaseLifecycle, useValue: new DatabaseLifecycle(database) },
      { provide: Clock, useClass: SystemClock },
      { provide: IdGenerator, useClass: RandomIdGenerator },
      { provide: OrderWriteGate, useValue: writeGate },
      { provide: CommittedEntries, useValue: committed },
      {
        provide: OrderStore,
        useValue: new GatedOrderStore(
          new DrizzleOrderStore(database.db, {
            onPlacementStatement: (placements) => metrics.orderPlacementsPerStatement.observe(placements),
            remembered: new RememberedOrders(REMEMBERED_ORDERS),
            committed,
          }),
          writeGate,
        ),
      },
      { provide: UserStore, useValue: new DrizzleUserStore(database.db, personalData) },
      { provide: PlaintextUserEncryption, useValue: new PlaintextUserEncryption(database.db, personalData) },
      { provide: OutboxStore, useValue: new DrizzleOutboxStore(database) },
      { provide: AuditTrail, useValue: new DrizzleAuditTrail(database.db) },
      { provide: AuditOutbox, useValue: new DrizzleAuditOutbox(database.db) },
      ...search.providers,
      ...bus.providers,
      { provide: PasswordHasher, useClass: ScryptPasswordHasher },
      { provide: TokenService, useValue: new JwtTokenService(jwtKeys, config.env.JWT_TTL_SECONDS) },
      OrdersGateway,
      { provide: RealtimeNotifier, useExisting: OrdersGateway },
      {
        provide: DEPENDENCY_PROBES,
        useValue: [
          { name: 'database', adapter: database.adapter, check: () => database.ping() },
          bus.probe,
          search.probe,
          ...(redisProbe === undefined ? [] : [redisProbe]),
        ] satisfies DependencyProbe[],
      },
      ...(redisProbe === undefined ? [] : [{ provide: RedisProbe, useValue: redisProbe }]),
    ];
    return {
      module: AppModule,
      imports: [
        ThrottlerModule.forRoot(rateLimitOptions(config)),
        ObservabilityModule.register({ config, database, metrics }),
      ],
      // A worker (API_ENABLED=false) answers only health checks; metrics come from the observability module.
      controllers: config.env.API_ENABLED
        ? [AuthController, CatalogController, OrdersController, SearchController, HealthController, AuditController]
        : [HealthController],
      providers: [
        // Each port's adapter wrapped in its metrics decorator (see instrument-ports.ts).
        ...instrumentPorts(adapters, metrics),
        // Order matters: rate limits are counted before authentication, so failed sign-ins count too.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        RegisterService,
        LoginService,
        BootstrapAdminService,
        PlaceOrderService,
        ChangeOrderStatusService,
        GetOrderService,
        ListUserOrdersService,
        SearchOrdersService,
        OrderHistoryService,
        ResumeOrdersService,
        // A process can run without consumers (API and/or relay only); another instance consumes.
        ...(config.env.CONSUMERS_ENABLED ? [OrderFanoutConsumer] : []),
        HealthService,
        OutboxRelay,
        OrderAuditService,
      ],
    };
  }
}
