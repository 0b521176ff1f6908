import { ErrorResponse } from '@ordertrack/shared';

/** A non-2xx answer from the API, carrying the server's `{statusCode, error, message}` body when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static async fromResponse(response: Response): Promise<ApiError> {
    const body: unknown = await response.json().catch(() => undefined);
    const parsed = ErrorResponse.safeParse(body);
    return parsed.success
      ? new ApiError(response.status, parsed.data.error, parsed.data.message)
      : new ApiError(response.status, response.statusText || 'Error', `request failed with HTTP ${response.status}`);
  }
}

/** A fetch that never reached the server (offline, DNS, connection refused). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('The server could not be reached. Check your connection and try again.', { cause });
    this.name = 'NetworkError';
  }
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError || error instanceof NetworkError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
