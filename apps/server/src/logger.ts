import { type DestinationStream, type Logger, pino } from 'pino';
import { censorSecretsOneDown, SECRET_KEYS, safeErrorSerializer } from './log-safety.js';

export type { Logger };

/**
 * JSON logs on stdout (or `destination`, for tests). Secrets are redacted wherever they appear;
 * errors lose SQL and driver messages (log-safety.ts) below `trace`.
 */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  const logger = pino(
    {
      level: options.level,
      base: { service: 'upsync' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: safeErrorSerializer(options.level) },
      // top-level keys through pino's redact; one object down through the formatters (log-safety.ts)
      redact: { paths: SECRET_KEYS, censor: '[redacted]' },
      formatters: { log: censorSecretsOneDown, bindings: censorSecretsOneDown },
    },
    options.destination,
  );
  // pino applies formatters.bindings to the root's bindings only; children (which inherit this
  // property) get the same censor here
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, censorSecretsOneDown(bindings), childOptions);
  } as Logger['child'];
  return logger;
}
