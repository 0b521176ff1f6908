import { z } from 'zod';

export const ErrorResponse = z
  .object({
    statusCode: z.int(),
    error: z.string(),
    message: z.string(),
  })
  .meta({ id: 'ErrorResponse' });
export type ErrorResponse = z.infer<typeof ErrorResponse>;
