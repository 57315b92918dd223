import { pino } from 'pino';

type Serialized = Record<string, unknown> & { message?: unknown; stack?: unknown; cause?: unknown };

/** Properties drivers and the ORM put on errors that carry statements or the values in them. */
const STATEMENT_KEYS = [
  'sql',
  'sqlMessage',
  'sqlState',
  'query',
  'parameters',
  'params',
  'values',
  'bindings',
];

/** A driver's error (mysql2, node:sqlite, MikroORM's DriverException): its message quotes values. */
function isDriverError(error: Serialized): boolean {
  const code = typeof error.code === 'string' ? error.code : '';
  return (
    'sql' in error ||
    'sqlMessage' in error ||
    'sqlState' in error ||
    typeof error.errno === 'number' ||
    code.startsWith('ER_') ||
    code.startsWith('SQLITE_') ||
    code.startsWith('ERR_SQLITE_') ||
    /Exception$/.test(String(error.type ?? ''))
  );
}

/** One error, without its causes (pino's serializer folds those into message and stack). */
function serializeOne(error: Error): Serialized {
  const serialized = { ...(pino.stdSerializers.err(error) as unknown as Serialized) };
  serialized.message = error.message;
  serialized.stack = error.stack;
  delete serialized.cause;
  return serialized;
}

/** Statement properties dropped; a driver error's message withheld and its stack reduced to frames. */
function scrub(serialized: Serialized): Serialized {
  const driver = isDriverError(serialized);
  for (const key of STATEMENT_KEYS) delete serialized[key];
  if (driver) {
    const code = typeof serialized.code === 'string' ? ` ${serialized.code}` : '';
    serialized.message = `driver error${code} (message withheld: it may quote values; LOG_LEVEL=trace logs the statements)`;
    serialized.stack =
      typeof serialized.stack === 'string'
        ? serialized.stack
            .split('\n')
            .filter((line) => line.startsWith('    at '))
            .join('\n')
        : undefined;
  }
  return serialized;
}

/**
 * pino's `err` serializer, minus what may carry SQL or personal data: statement properties
 * (`sql`, `sqlMessage`, parameters) are dropped and a driver error's message is withheld, for the
 * error and each of its causes, at every level but `trace` — the explicit way to see statements
 * (log-statements.ts).
 */
export function safeErrorSerializer(level: string) {
  return (error: Error): unknown => censorOneDown(serializeError(level, error));
}

function serializeError(level: string, error: Error): unknown {
  if (level === 'trace' || !(error instanceof Error)) return pino.stdSerializers.err(error);
  const top = scrub(serializeOne(error));
  let node = top;
  let cause = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    node.cause = scrub(serializeOne(cause));
    node = node.cause as Serialized;
    cause = cause.cause;
  }
  return top;
}

const CENSOR = '[redacted]';

/** Keys whose values never reach a log line (the line's own keys and its bindings'; pino's `redact`). */
export const SECRET_KEYS = ['authorization', 'secret', 'token'];

/**
 * `value` with `authorization`, `secret` and `headers.authorization` censored, copied only when it
 * holds one of them: what pino's `*.authorization`, `*.secret` and `*.headers.authorization` did
 * to each value of a line. Those wildcard paths ran @pinojs/redact on every value of every line
 * and binding, parsing each path again each time (50–90 µs a line, measured on 2026-12-06).
 */
function censorOneDown(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const headers = object.headers;
  const inHeaders = headers !== null && typeof headers === 'object' && 'authorization' in headers;
  if (!('authorization' in object) && !('secret' in object) && !inHeaders) return value;
  const copy: Record<string, unknown> = { ...object };
  if ('authorization' in object) copy.authorization = CENSOR;
  if ('secret' in object) copy.secret = CENSOR;
  if (inHeaders) copy.headers = { ...headers, authorization: CENSOR };
  return copy;
}

/**
 * pino's `formatters.log` and `formatters.bindings`: each value of a line (or of a child's
 * bindings) through censorOneDown, the line copied only when one changes. `err` is left to its
 * serializer, which censors what it makes (an Error copied here would no longer be one).
 */
export function censorSecretsOneDown(line: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(line)) {
    if (key === 'err') continue;
    const value = line[key];
    const censored = censorOneDown(value);
    if (censored !== value) {
      copy ??= { ...line };
      copy[key] = censored;
    }
  }
  return copy ?? line;
}
