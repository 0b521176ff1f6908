import type { Provider } from '@nestjs/common';
import { AuditPublisher } from '../../application/ports/audit-publisher.port.js';
import type { DependencyProbe } from '../../application/ports/dependency-probe.port.js';
import { EventPublisher, EventSubscriber } from '../../application/ports/event-bus.port.js';
import type { AppConfig } from '../../config/app-config.js';
import type { ConsumerLagRecorder } from '../../observability/metrics.js';
import { AuditRelay } from '../../outbox/audit-relay.js';
import { InProcessEventBus } from './in-process-event-bus.js';
import { kafkaBusConfig } from './kafka/kafka-bus-config.js';
import { KafkaEventBus } from './kafka/kafka-event-bus.js';

export interface BusProviders {
  providers: Provider[];
  probe: DependencyProbe;
}

/**
 * The event bus the configuration selects: Kafka when KAFKA_BROKERS is set, else the in-process bus. Only Kafka
 * mode publishes the audit trail (to `audit.events`); embedded, the trail stays in the database.
 */
export function busProviders(config: AppConfig, lagRecorder: ConsumerLagRecorder): BusProviders {
  const kafka = kafkaBusConfig(config);
  if (kafka === undefined) {
    const bus = new InProcessEventBus();
    return {
      providers: [
        { provide: EventPublisher, useValue: bus },
        { provide: EventSubscriber, useValue: bus },
      ],
      probe: { name: 'bus', adapter: 'in-process', check: () => Promise.resolve() },
    };
  }
  const bus = new KafkaEventBus(kafka, lagRecorder);
  return {
    providers: [
      // Registered on its own so Nest calls its shutdown hook exactly once.
      { provide: KafkaEventBus, useValue: bus },
      { provide: EventPublisher, useValue: bus.publisher },
      { provide: EventSubscriber, useValue: bus.subscriber },
      { provide: AuditPublisher, useValue: bus.auditPublisher },
      AuditRelay,
    ],
    probe: bus.probe,
  };
}
