import { Logger } from '@nestjs/common';
import { Consumer, type Message, type MessagesStream } from '@platformatic/kafka';
import type { OrderLifecycleEvent } from '@ordertrack/shared';
import type { EventBatchHandler } from '../../../application/ports/event-bus.port.js';
import type { ConsumerLagRecorder } from '../../../observability/metrics.js';
import { WakeSignal } from '../../../outbox/wake-signal.js';
import { coPartitionedAssigner } from './co-partitioned-assigner.js';
import { assignedPartitionLags, isStalled } from './consumer-lag.js';
import { inDeliveryOrder } from './delivery-order.js';
import { kafkaClientOptions, type KafkaBusConfig } from './kafka-bus-config.js';
import { decodeEvent } from './kafka-message-codec.js';
import { KafkaParkingLot, type UndecodableRecord } from './kafka-parking-lot.js';
import type { KafkaTopics } from './kafka-topics.js';
import { settleWithin, withinDeadline } from '../../../outbox/settle-within.js';
import { StreamBatchReader } from './stream-batch-reader.js';
import { PacedCommits } from './paced-commits.js';

const MAX_BATCH = 500;
const MAX_BACKOFF_MS = 5000;
const REPLACE_CONSUMER_AFTER = 5;
const CLOSE_STEP_MS = 5000;
const LAG_SAMPLE_MS = 5000;
/** Far above a fetch's wait (maxWaitTime) and a rejoin, so only a client that truly stopped fetching trips it. */
const STALL_AFTER_MS = 20_000;
/** A member still not back in its group this long after losing it is replaced (a fresh client rejoins cleanly). */
const INACTIVE_STALL_AFTER_MS = 60_000;
const COMMIT_DEADLINE_MS = 15_000;
/** At most ten commits a second per group; a crash re-reads at most this much more than the batch in hand. */
const COMMIT_INTERVAL_MS = 100;

/** An idle fetch returns after this long with nothing, so the client notices a closed stream or a rebalance. */
const IDLE_FETCH_WAIT_MS = 500;
/** Far more than a gathering window of events: the broker answers when the window ends, not when this fills. */
const GATHER_MIN_BYTES = 16 * 1024 * 1024;

export interface GroupMembership {
  /** The Kafka group id: `<KAFKA_GROUP_PREFIX>.<group>`. */
  groupId: string;
  /** The application's name for the group, as metrics label it. */
  group: string;
  /** See SubscriptionOptions.gatherMs: 0 answers a fetch as soon as one record is there. */
  gatherMs: number;
}

/**
 * The broker answers a fetch once it holds `minBytes` or `maxWaitTime` passed. Gathering asks for more bytes than
 * the window will bring, so the answer comes when the window ends, with everything that arrived meanwhile.
 */
function fetchSettings(gatherMs: number): { minBytes: number; maxWaitTime: number } {
  return gatherMs > 0
    ? { minBytes: GATHER_MIN_BYTES, maxWaitTime: gatherMs }
    : { minBytes: 1, maxWaitTime: IDLE_FETCH_WAIT_MS };
}

/** Thrown by the handler, as opposed to Kafka: the consumer itself is fine, only the batch must be read again. */
class HandlerFailed extends Error {
  override readonly name = 'HandlerFailed';
}

/** The client stopped yielding records although records wait for it: it is replaced, not just read again. */
class ConsumerStalled extends Error {
  override readonly name = 'ConsumerStalled';
}

/**
 * One consumer group reading the four lifecycle topics. For each batch: decode and validate every record, park
 * the undecodable ones, call the handler with the rest in per-order version order, and only once the handler
 * resolved hand the batch's offsets to the paced commits (at most one commit per interval; the next batches are
 * fetched while it travels). When anything fails nothing is committed: the stream is closed and opened
 * again from the committed offsets after a backoff, so the same records come back (at least once, never skipped).
 * Every few seconds it samples the lag of its partitions: for the metrics, and to replace a client that waits for
 * records while records wait for it (seen after broker restarts), instead of stalling silently.
 */
export class KafkaGroupConsumer {
  private readonly logger: Logger;
  private readonly wake = new WakeSignal();
  private readonly parking: KafkaParkingLot;
  private consumer: Consumer | undefined;
  private stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined;
  private reader: StreamBatchReader<Message> | undefined;
  /** When the loop started waiting for the next batch; undefined while it handles one. */
  private waitingSince: number | undefined;
  private sampling = false;
  /** Set when the client failed while no stream was being read: the next attempt starts with a new client. */
  private replaceRequested = false;
  /** When lag sampling first found the client out of its group (rejoining, or broker unreachable). */
  private inactiveSince: number | undefined;
  private readonly lagTimer: NodeJS.Timeout;
  private running = true;
  private closing: Promise<void> | undefined;
  private readonly loop: Promise<void>;

  constructor(
    private readonly config: KafkaBusConfig,
    private readonly topics: KafkaTopics,
    private readonly membership: GroupMembership,
    private readonly handler: EventBatchHandler,
    private readonly lagRecorder: ConsumerLagRecorder | undefined,
  ) {
    this.logger = new Logger(`KafkaGroupConsumer ${membership.groupId}`);
    this.parking = new KafkaParkingLot(config, topics, membership.groupId);
    this.loop = this.run();
    this.lagTimer = setInterval(() => void this.sampleLag(), LAG_SAMPLE_MS).unref();
  }

  /**
   * Stops after the batch in hand (whose offsets are committed if its handler succeeds) and leaves the group.
   * Each step is bounded: after a broker outage a step can hang, and shutdown must still finish.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.running = false;
    clearInterval(this.lagTimer);
    this.wake.notify();
    await settleWithin(this.closeStream(), CLOSE_STEP_MS);
    if (!(await settleWithin(this.loop, CLOSE_STEP_MS))) {
      this.logger.warn('the consumer loop did not stop in time; leaving the group anyway');
    }
    await settleWithin(this.closeConsumer(), CLOSE_STEP_MS);
    await settleWithin(this.parking.close(), CLOSE_STEP_MS);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.consumeUntilClosed(() => (failures = 0));
      } catch (error) {
        if (!this.running) break;
        failures += 1;
        this.logger.warn(
          `attempt ${failures} failed, nothing past the last commit is acknowledged; reading again: ${String(error)}`,
        );
        await settleWithin(this.closeStream(), CLOSE_STEP_MS);
        // The client reconnects and rejoins on its own, keeping its member id (a new member would wait for the old
        // one's session to expire). Only when it is wedged, or Kafka keeps failing, is the consumer replaced.
        const replace =
          error instanceof ConsumerStalled || (!(error instanceof HandlerFailed) && failures >= REPLACE_CONSUMER_AFTER);
        if (replace) await settleWithin(this.closeConsumer(), CLOSE_STEP_MS);
        await this.wake.wait(Math.min(MAX_BACKOFF_MS, 100 * 2 ** failures));
      }
    }
  }

  private async consumeUntilClosed(onProgress: () => void): Promise<void> {
    await this.topics.ensure();
    if (this.replaceRequested) {
      this.replaceRequested = false;
      await settleWithin(this.closeConsumer(), CLOSE_STEP_MS);
    }
    this.consumer ??= this.createConsumer();
    const stream = await this.consumer.consume({
      topics: this.topics.names.lifecycle,
      autocommit: false,
      // Resume from the group's commits; a brand-new group starts at the beginning so it misses nothing.
      mode: 'committed',
      fallbackMode: 'earliest',
    });
    this.stream = stream;
    if (!this.running) return;
    const reader = new StreamBatchReader<Message>(stream, MAX_BATCH);
    this.reader = reader;
    // Commits travel while the next batches are fetched and handled, paced so that a busy stream does not send one
    // per batch. A commit that failed aborts the reader: everything past the last commit that landed is read again
    // (at least once, as with any failure).
    const commits = new PacedCommits<Message>({
      intervalMs: COMMIT_INTERVAL_MS,
      commit: (records) => withinDeadline(commitEach(records), COMMIT_DEADLINE_MS, 'committing handled offsets'),
      onFailure: (error) => reader.abort(error),
    });
    let ended = false;
    try {
      for (;;) {
        this.waitingSince = Date.now();
        const batch = await reader.next();
        this.waitingSince = undefined;
        if (batch === undefined) break;
        await this.handle(batch);
        commits.handled(batch);
        onProgress();
      }
      ended = true;
    } finally {
      this.reader = undefined;
      this.waitingSince = undefined;
      // A closed stream commits what its handlers finished; after a failure that is read again instead.
      if (ended) await commits.flush().catch(() => undefined);
      else commits.cancel();
    }
    if (this.running) throw new Error('the message stream ended unexpectedly');
  }

  private createConsumer(): Consumer {
    const consumer = new Consumer({
      ...kafkaClientOptions(this.config, `consumer-${this.membership.groupId}`),
      groupId: this.membership.groupId,
      partitionAssigner: coPartitionedAssigner,
      autocommit: false,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      ...fetchSettings(this.membership.gatherMs),
    });
    // The client reports a failed rejoin (after which it sends no more heartbeats) as an 'error' event, which would
    // crash the process without a listener, and a heartbeat that stopped as 'stalled': either way it is out of its
    // group for good and must be replaced.
    consumer.on('error', (error: Error) => this.clientFailed(consumer, `the client failed: ${String(error)}`));
    consumer.on('consumer:heartbeat:stalled', ({ stalledFor }) =>
      this.clientFailed(consumer, `no heartbeat for ${Math.round(stalledFor / 1000)} s`),
    );
    return consumer;
  }

  private clientFailed(consumer: Consumer, why: string): void {
    if (consumer !== this.consumer) return;
    if (this.reader === undefined) {
      this.logger.warn(`${why}: replacing the consumer before the next attempt`);
      this.replaceRequested = true;
    } else {
      this.replaceWedged(this.reader, why);
    }
  }

  /** Reports the lag of this member's partitions and aborts the reader of a wedged client. */
  private async sampleLag(): Promise<void> {
    const { consumer, reader } = this;
    if (this.sampling || consumer === undefined || reader === undefined) return;
    const now = Date.now();
    if (!consumer.isActive()) {
      this.inactiveSince ??= now;
      if (this.waitingSince !== undefined && now - this.inactiveSince >= INACTIVE_STALL_AFTER_MS) {
        this.replaceWedged(reader, `out of its group for ${Math.round((now - this.inactiveSince) / 1000)} s`);
      }
      return;
    }
    this.inactiveSince = undefined;
    this.sampling = true;
    try {
      const lag = await consumer.getLag({ topics: this.topics.names.lifecycle });
      const lags = assignedPartitionLags(lag, consumer.assignments ?? []);
      for (const sample of lags) this.lagRecorder?.recordConsumerLag({ group: this.membership.group, ...sample });
      const waitingRecords = lags.reduce((sum, { lag: records }) => sum + records, 0);
      if (isStalled({ waitingSince: this.waitingSince, now, waitingRecords, stallAfterMs: STALL_AFTER_MS })) {
        const waited = Math.round((now - (this.waitingSince ?? now)) / 1000);
        this.replaceWedged(reader, `no records for ${waited} s while ${waitingRecords} wait`);
      }
    } catch (error) {
      // A lag sample is advisory (metrics, stall detection): the next tick tries again; consuming is unaffected.
      this.logger.debug(`sampling the lag failed: ${String(error)}`);
    } finally {
      this.sampling = false;
    }
  }

  private replaceWedged(reader: StreamBatchReader<Message>, why: string): void {
    this.logger.warn(`${why}: replacing the consumer`);
    this.inactiveSince = undefined;
    reader.abort(new ConsumerStalled(why));
  }

  /** Decodes a batch, parks what does not decode and hands the rest to the handler; committing is the caller's. */
  private async handle(messages: readonly Message[]): Promise<void> {
    const events: OrderLifecycleEvent[] = [];
    const undecodable: UndecodableRecord[] = [];
    for (const message of messages) {
      const decoded = decodeEvent(message.value);
      if (decoded.ok) events.push(decoded.event);
      else undecodable.push({ message, error: decoded.error });
    }
    await this.parking.park(undecodable);
    if (events.length > 0) {
      try {
        await this.handler(inDeliveryOrder(events));
      } catch (error) {
        throw new HandlerFailed(`handler failed on a batch of ${events.length}: ${String(error)}`, { cause: error });
      }
    }
  }

  private async closeStream(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    await stream?.close().catch((error: unknown) => this.logger.debug(`closing the stream: ${String(error)}`));
  }

  private async closeConsumer(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    // force: close any stream still open, then leave the group so its partitions are reassigned at once.
    await consumer?.close(true).catch((error: unknown) => this.logger.debug(`closing the consumer: ${String(error)}`));
  }
}

/** Commits each record's offset (and with it everything before it on its partition). */
async function commitEach(messages: readonly Message[]): Promise<void> {
  // The callback form: the promise form's declared type (void | Promise<void>) does not say that it waits.
  const commit = (message: Message): Promise<void> =>
    new Promise((resolve, reject) => {
      void message.commit((error) => (error ? reject(error) : resolve()));
    });
  await Promise.all(messages.map(commit));
}
