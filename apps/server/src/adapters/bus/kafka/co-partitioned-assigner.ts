import type { GroupPartitionsAssigner, GroupPartitionsAssignments } from '@platformatic/kafka';

/**
 * Gives partition N of every subscribed topic to the same member. All four lifecycle topics have the same partition
 * count and are keyed by order id, so an order's events land in partition N of each topic; co-partitioning keeps
 * them all with one consumer, whose fan-out can then push them in version order without duplicates. (The library's
 * default round-robin deals partitions out across topics and would split an order between instances.)
 */
export const coPartitionedAssigner: GroupPartitionsAssigner = (_current, members, topics, metadata) => {
  const memberIds = [...members.keys()].sort();
  const assignments: GroupPartitionsAssignments[] = memberIds.map((memberId) => ({ memberId, assignments: new Map() }));
  if (assignments.length === 0) return assignments;
  for (const topic of [...topics].sort()) {
    const partitions = metadata.topics.get(topic)?.partitionsCount ?? 0;
    for (let partition = 0; partition < partitions; partition += 1) {
      const owner = assignments[partition % assignments.length] as GroupPartitionsAssignments;
      const current = owner.assignments.get(topic) ?? { topic, partitions: [] };
      current.partitions.push(partition);
      owner.assignments.set(topic, current);
    }
  }
  return assignments;
};
