import type { ClusterMetadata, ExtendedGroupProtocolSubscription } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { coPartitionedAssigner } from './co-partitioned-assigner.js';

const TOPICS = ['order.created', 'order.updated', 'order.completed', 'order.canceled'];

function assign(memberIds: string[], partitions: number): Map<string, Map<string, number[]>> {
  const members = new Map(memberIds.map((memberId) => [memberId, { memberId } as ExtendedGroupProtocolSubscription]));
  const metadata = {
    topics: new Map(TOPICS.map((topic) => [topic, { partitionsCount: partitions }])),
  } as unknown as ClusterMetadata;
  const result = coPartitionedAssigner(memberIds[0] ?? '', members, new Set(TOPICS), metadata);
  return new Map(
    result.map(({ memberId, assignments }) => [
      memberId,
      new Map([...assignments.values()].map((assignment) => [assignment.topic, assignment.partitions])),
    ]),
  );
}

describe('co-partitioned assignment', () => {
  it('gives each member the same partition numbers in every topic, covering all partitions once', () => {
    const byMember = assign(['member-b', 'member-a', 'member-c'], 6);
    const all: string[] = [];
    for (const topics of byMember.values()) {
      const first = topics.get(TOPICS[0] as string);
      for (const topic of TOPICS) {
        expect(topics.get(topic)).toEqual(first);
        for (const partition of topics.get(topic) ?? []) all.push(`${topic}:${partition}`);
      }
    }
    expect(new Set(all).size).toBe(TOPICS.length * 6);
    expect(all).toHaveLength(TOPICS.length * 6);
    expect(byMember.get('member-a')?.get('order.created')).toEqual([0, 3]);
  });

  it('is deterministic whatever order members are listed in', () => {
    expect(assign(['x', 'y'], 4)).toEqual(assign(['y', 'x'], 4));
  });
});
