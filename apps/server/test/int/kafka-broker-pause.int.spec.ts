import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaEventBus } from '../../src/adapters/bus/kafka/kafka-event-bus.js';
import { publishUntilAccepted } from '../contracts/event-bus.contract.js';
import { EventRecorder } from '../support/event-recorder.js';
import { isolatedKafkaConfig } from '../support/kafka.js';
import { orderLifecycle } from '../support/lifecycle-events.js';
import { PrivateKafka } from '../support/private-kafka.js';
import { waitFor } from '../support/wait-for.js';
import { ConsumerLagRecorder, type ConsumerLagSample } from '../../src/observability/metrics.js';

/** Longer than the consumers' session timeout (10 s), so the broker expels them while it is frozen. */
const PAUSE_MS = 30_000;

// A frozen broker (long GC pause, network partition) once crashed the process: the client's failed rejoin was an
// unhandled 'error' event, and a member that failed to rejoin never consumed again.
describe('Kafka bus across a frozen broker (a private broker, frozen with SIGSTOP)', () => {
  let kafka: PrivateKafka;
  const buses: KafkaEventBus[] = [];

  beforeAll(async () => {
    kafka = await PrivateKafka.start();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    await kafka.stop();
  }, 120_000);

  it(
    'two instances of two groups each consume again once the broker thaws, nothing lost',
    { timeout: 240_000 },
    async () => {
      const config = isolatedKafkaConfig({ brokers: kafka.brokers });
      const lag = new LatestLag();
      buses.push(new KafkaEventBus(config, lag), new KafkaEventBus(config, lag));
      const [first] = buses;
      if (first === undefined) throw new Error('fixture');
      await first.topics.ensure();
      const recorders = { fanout: new EventRecorder(), indexer: new EventRecorder() };
      for (const bus of buses) {
        for (const [group, recorder] of Object.entries(recorders))
          await bus.subscriber.subscribe(group, recorder.handler);
      }
      const before = orderLifecycle(2);
      await publishUntilAccepted(first.publisher, before);
      for (const recorder of Object.values(recorders)) await recorder.waitForAll(before);
      // Freeze with the groups settled (every offset committed), as a pause between bursts of traffic finds them.
      const consumed = Date.now();
      const partitionsOfAllGroups =
        Object.keys(recorders).length * first.topics.names.lifecycle.length * config.partitions;
      await waitFor(
        'every group to report all its partitions caught up',
        () => lag.caughtUpSince(consumed, partitionsOfAllGroups),
        30_000,
      );

      await kafka.pause();
      // The fault's duration, not a wait for a condition: the broker stays frozen this long.
      await sleep(PAUSE_MS);
      await kafka.resume();

      const after = [...orderLifecycle(3), ...orderLifecycle(5)];
      await publishUntilAccepted(first.publisher, after, 60_000);
      for (const recorder of Object.values(recorders)) {
        await recorder.waitForAll([...before, ...after], 120_000);
        const versions = new Set(recorder.events.map((event) => `${event.orderId}:${event.version}`));
        expect(versions.size).toBe(before.length + after.length);
      }
    },
  );
});

/** The newest lag sample of every partition each member reported, with when it arrived. */
class LatestLag extends ConsumerLagRecorder {
  private readonly samples = new Map<string, { lag: number; at: number }>();
  recordConsumerLag(sample: ConsumerLagSample): void {
    this.samples.set(`${sample.group}:${sample.topic}:${sample.partition}`, {
      lag: sample.lag,
      at: Date.now(),
    });
  }

  /** True once `reports` partitions reported since `since`, all of them with nothing waiting. */
  caughtUpSince(since: number, reports: number): true | undefined {
    const fresh = [...this.samples.values()].filter((sample) => sample.at >= since);
    return fresh.length >= reports && fresh.every((sample) => sample.lag === 0) ? true : undefined;
  }
}
