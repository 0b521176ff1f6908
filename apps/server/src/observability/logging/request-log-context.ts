import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';

/** The log field naming the request a line was written for. */
export const REQUEST_ID_FIELD = 'http.request.id';

interface RequestScope {
  readonly requestId: string;
  logger: Logger | undefined;
}

/**
 * Which request the code running now serves, so that log lines written during it carry its id. The child logger
 * is made on the first line actually written: most requests write none, and a pino child per request (bindings
 * serialised and redacted up front) was a tenth of a catalogue request's CPU.
 */
export class RequestLogContext {
  private readonly scopes = new AsyncLocalStorage<RequestScope>();

  constructor(readonly root: Logger) {}

  run<T>(requestId: string, work: () => T): T {
    return this.scopes.run({ requestId, logger: undefined }, work);
  }

  /** The logger for the code running now: the request's child inside a request, the root outside. */
  current(): Logger {
    const scope = this.scopes.getStore();
    if (scope === undefined) return this.root;
    scope.logger ??= this.root.child({ [REQUEST_ID_FIELD]: scope.requestId });
    return scope.logger;
  }
}
