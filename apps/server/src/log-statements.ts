import { onStatement, type UpsyncOrm } from '@upsync/sync-core';
import type { Logger } from './logger.js';

/**
 * At LOG_LEVEL=trace, one log line per SQL statement sent (`msg: "sql"`, with `sql` and
 * `roundTrip`). The statements carry the payload's values, personal data included: for debugging,
 * never for production logs. At any other level nothing is subscribed and nothing is spent.
 */
export function logStatements(orm: UpsyncOrm, logger: Logger): void {
  if (!logger.isLevelEnabled('trace')) return;
  onStatement(orm, ({ sql, roundTrip }) => logger.trace({ sql, roundTrip }, 'sql'));
}
