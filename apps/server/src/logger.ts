import { type DestinationStream, type Logger, pino } from 'pino';
import { safeErrorSerializer } from './log-safety.js';

export type { Logger };

/**
 * JSON logs on stdout (or `destination`, for tests). Secrets are redacted wherever they appear;
 * errors lose SQL and driver messages (log-safety.ts) below `trace`.
 */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'upsync' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: safeErrorSerializer(options.level) },
      redact: {
        paths: ['authorization', '*.authorization', '*.headers.authorization', 'secret', '*.secret', 'token'],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}
