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
  })
  .meta({ id: 'HealthResponse' });
export type HealthResponse = z.infer<typeof HealthResponse>;
