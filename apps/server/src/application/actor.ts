import type { Role } from '@ordertrack/shared';

/** Who is asking: taken from a verified access token, never from the request body. */
export interface Actor {
  userId: string;
  role: Role;
}

export const isAdmin = (actor: Actor): boolean => actor.role === 'ADMIN';
