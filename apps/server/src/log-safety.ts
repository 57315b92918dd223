import { pino } from 'pino';

type Serialized = Record<string, unknown> & { message?: string; stack?: string; cause?: unknown };

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

/** A driver's error (mysql2, sqlite, MikroORM's DriverException): its message quotes values. */
function isDriverError(error: Serialized): boolean {
  const code = typeof error.code === 'string' ? error.code : '';
  return (
    'sql' in error ||
    'sqlMessage' in error ||
    'sqlState' in error ||
    code.startsWith('ER_') ||
    code.startsWith('SQLITE_') ||
    /Exception$/.test(String(error.type ?? '')) ||
    typeof error.errno === 'number'
  );
}

/** The stack's frames only: its first line repeats the message. */
const framesOf = (stack: unknown) =>
  typeof stack === 'string'
    ? stack
        .split('\n')
        .filter((line) => line.startsWith('    at '))
        .join('\n')
    : undefined;

function scrub(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > 5) return value;
  const error = { ...(value as Serialized) };
  for (const key of STATEMENT_KEYS) delete error[key];
  if (isDriverError(value as Serialized)) {
    error.message = `driver error${typeof error.code === 'string' ? ` ${error.code}` : ''} (message withheld: it may quote values; LOG_LEVEL=trace logs the statements)`;
    const frames = framesOf(error.stack);
    if (frames === undefined) delete error.stack;
    else error.stack = frames;
  } else if (typeof error.stack === 'string' && error.cause !== undefined) {
    // pino folds the causes' messages into the stack ("caused by: …"): keep this error's part
    error.stack = error.stack.split('\ncaused by: ')[0];
  }
  if (error.cause !== undefined) error.cause = scrub(error.cause, depth + 1);
  return error;
}

/**
 * pino's `err` serializer, minus what may carry SQL or personal data: statement properties
 * (`sql`, `sqlMessage`, parameters) are dropped and a driver error's message is withheld, at every
 * level but `trace` — the explicit way to see statements (log-statements.ts).
 */
export function safeErrorSerializer(level: string) {
  return (error: Error): unknown => {
    const serialized = pino.stdSerializers.err(error) as unknown as Serialized;
    if (level === 'trace') return serialized;
    const withCauses = { ...serialized };
    // stdSerializers.err folds the causes into `message`/`stack`; serialize them one by one instead
    let cause: unknown = (error as { cause?: unknown }).cause;
    const chain: Serialized[] = [];
    while (cause instanceof Error && chain.length < 5) {
      chain.push(pino.stdSerializers.err(cause) as unknown as Serialized);
      cause = (cause as { cause?: unknown }).cause;
    }
    withCauses.message = error.message;
    withCauses.stack = typeof error.stack === 'string' ? error.stack : undefined;
    let node: Serialized = withCauses;
    for (const c of chain) {
      const child = { ...c, message: c.message, stack: c.stack };
      node.cause = child;
      node = child;
    }
    return scrub(withCauses, 0);
  };
}
