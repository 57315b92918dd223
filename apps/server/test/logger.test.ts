import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

/** A logger at `level` whose lines are parsed into `lines`. */
function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level,
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

describe('secrets in log lines', () => {
  it('are redacted at the top level and one object down, headers included, wherever they appear', () => {
    const { logger, lines } = capture();
    const nested = { authorization: 'Bearer nested', secret: 'nested-secret', kept: 1 };
    logger.info(
      {
        authorization: 'Bearer top',
        secret: 'top-secret',
        token: 'top-token',
        req: nested,
        upstream: { headers: { authorization: 'Bearer header', host: 'portal' } },
        list: [{ secret: 'in an array: not a path' }],
      },
      'line',
    );
    expect(lines[0]).toMatchObject({
      authorization: '[redacted]',
      secret: '[redacted]',
      token: '[redacted]',
      req: { authorization: '[redacted]', secret: '[redacted]', kept: 1 },
      upstream: { headers: { authorization: '[redacted]', host: 'portal' } },
      msg: 'line',
    });
    // the logged object itself is left as it was
    expect(nested).toEqual({ authorization: 'Bearer nested', secret: 'nested-secret', kept: 1 });
  });

  it("are redacted in a child logger's bindings and in an error's own properties", () => {
    const { logger, lines } = capture();
    logger
      .child({ token: 'child-token', reqId: 'r1' })
      .child({ peer: { secret: 'peer-secret' } })
      .info('bound');
    logger.error({ err: Object.assign(new Error('boom'), { secret: 'err-secret', code: 'E1' }) }, 'failed');
    expect(lines[0]).toMatchObject({
      token: '[redacted]',
      reqId: 'r1',
      peer: { secret: '[redacted]' },
      msg: 'bound',
    });
    expect(lines[1]).toMatchObject({ err: { message: 'boom', secret: '[redacted]', code: 'E1' } });
  });

  it('leave every other line exactly as logged', () => {
    const { logger, lines } = capture();
    logger
      .child({ reqId: 'r2' })
      .info(
        { method: 'POST', path: '/x', status: 200, ms: 1.5, changes: { persons: { created: 2 } }, n: null },
        'request',
      );
    const { time, ...rest } = lines[0]!;
    expect(typeof time).toBe('string');
    expect(rest).toEqual({
      level: 30,
      service: 'upsync',
      reqId: 'r2',
      method: 'POST',
      path: '/x',
      status: 200,
      ms: 1.5,
      changes: { persons: { created: 2 } },
      n: null,
      msg: 'request',
    });
  });
});
