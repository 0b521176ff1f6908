import { z } from 'zod';

export const DependencyHealth = z.object({
  status: z.enum(['up', 'down']),
  adapter: z.string(),
  detail: z.string().optional(),
});

export const HealthResponse = z
  .object({
    status: z.enum(['ok', 'degraded']),
    live: z.boolean(),
    ready: z.boolean(),
    dependencies: z.record(z.string(), DependencyHealth),
    /** Events committed but not yet handed to the bus; null when the database cannot be asked. */
    outbox: z.object({ unpublished: z.int().min(0).nullable() }),
  })
  .meta({ id: 'HealthResponse' });
export type HealthResponse = z.infer<typeof HealthResponse>;
