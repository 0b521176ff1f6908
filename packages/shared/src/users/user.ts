import { z } from 'zod';
import { Uuid } from '../common/ids.js';

export const Role = z.enum(['CUSTOMER', 'ADMIN']);
export type Role = z.infer<typeof Role>;

export const PublicUser = z
  .object({
    id: Uuid,
    name: z.string(),
    email: z.string(),
    role: Role,
  })
  .meta({ id: 'User' });
export type PublicUser = z.infer<typeof PublicUser>;
