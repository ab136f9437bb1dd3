// The SDK's middleware types live in @smithy/types, which is not a direct dependency; the
// handler arguments are passed through untouched, so they are typed loosely here.
type PassThroughHandler = (args: any) => Promise<any>;

/** A command whose middleware stack accepts one more middleware, as every AWS SDK v3 command does. */
interface CommandWithMiddleware {
  readonly middlewareStack: {
    add(middleware: (next: PassThroughHandler) => PassThroughHandler, options: { step: 'deserialize'; priority: 'high'; name: string }): void;
  };
}

/** What the attempts of one command showed about whether DynamoDB may have executed them. */
export interface AttemptLog {
  /**
   * True when an attempt failed without a 4xx answer (a reset connection, a timeout, a 5xx),
   * so DynamoDB may have executed it before the SDK retried.
   */
  maybeExecutedBeforeRetry: boolean;
}

/**
 * Records each attempt of `command` that fails. The middleware sits in the deserialize step,
 * inside the SDK's retry loop, so it sees every attempt. A 4xx answer (throttling, a failed
 * condition) means DynamoDB rejected the request without executing it.
 */
export function logAttempts(command: CommandWithMiddleware): AttemptLog {
  const log: AttemptLog = { maybeExecutedBeforeRetry: false };

  command.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
        if (!(typeof status === 'number' && status >= 400 && status < 500)) {
          log.maybeExecutedBeforeRetry = true;
        }
        throw error;
      }
    },
    { step: 'deserialize', priority: 'high', name: 'credstashAttemptLog' },
  );
  return log;
}
