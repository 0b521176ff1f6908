import type { GroupAssignment, Offsets } from '@platformatic/kafka';

/** One partition this member owns, and how many records on it wait behind the group's committed offset. */
export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

/**
 * The lag of the partitions assigned to this member. The client's lag map also lists partitions it does not own
 * (as negative values) and can hold entries from before a rebalance, so only the current assignment counts.
 */
export function assignedPartitionLags(lag: Offsets, assignments: readonly GroupAssignment[]): PartitionLag[] {
  const lags: PartitionLag[] = [];
  for (const { topic, partitions } of assignments) {
    const perPartition = lag.get(topic) ?? [];
    for (const partition of partitions) {
      const value = perPartition[partition];
      if (value !== undefined && value >= 0n) lags.push({ topic, partition, lag: Number(value) });
    }
  }
  return lags;
}

export interface StallCheck {
  /** When the consumer loop started waiting for records; undefined while it is handling a batch. */
  waitingSince: number | undefined;
  now: number;
  /** Records waiting on this member's partitions, by the latest lag sample. */
  waitingRecords: number;
  stallAfterMs: number;
}

/**
 * A consumer that has been waiting for records for a long time while records wait for it is wedged: after a broker
 * restart the client can sit on a stream that neither yields, fails nor ends. Time spent handling a batch never
 * counts (a slow handler is not a stalled client).
 */
export function isStalled({ waitingSince, now, waitingRecords, stallAfterMs }: StallCheck): boolean {
  return waitingSince !== undefined && waitingRecords > 0 && now - waitingSince >= stallAfterMs;
}
