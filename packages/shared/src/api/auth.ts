import { z } from 'zod';
import { PublicUser } from '../users/user.js';

export const Email = z.email('must be a valid email address').max(254);
export const Password = z.string().min(8, 'must be at least 8 characters').max(256, 'must be at most 256 characters');

export const RegisterRequest = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    email: Email,
    password: Password,
  })
  .meta({ id: 'RegisterRequest' });
export type RegisterRequest = z.infer<typeof RegisterRequest>;

/**
 * The answer to every well-formed sign-up, whether or not the email already had an account, so sign-up does not
 * reveal which emails are registered. The client signs in next.
 */
export const RegisterAccepted = z
  .object({
    message: z.string(),
  })
  .meta({ id: 'RegisterAccepted' });
export type RegisterAccepted = z.infer<typeof RegisterAccepted>;

export const REGISTER_ACCEPTED_MESSAGE = 'Registration received: sign in with your email and password.';

export const LoginRequest = z
  .strictObject({
    email: Email,
    password: z.string().min(1).max(256),
  })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const AuthResponse = z
  .object({
    accessToken: z.string(),
    user: PublicUser,
  })
  .meta({ id: 'AuthResponse' });
export type AuthResponse = z.infer<typeof AuthResponse>;
