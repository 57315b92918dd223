import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** JSON logs on stdout (or `destination`, for tests). Secrets are redacted wherever they appear. */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'upsync' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['authorization', '*.authorization', '*.headers.authorization', 'secret', '*.secret', 'token'],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}
