import type { NextFunction, Request, Response } from 'express';
import type { AdmissionConfig } from '../config.js';
import { PublicError } from '../errors/public-error.js';
import type { Metrics } from '../metrics.js';

/** Seconds a shed sync is told to wait: about what a slot takes to free up under load. */
const RETRY_AFTER_SECONDS = 1;

/**
 * A bound on the syncs (authenticated POSTs to the API) one process runs at once. Beyond it a request waits
 * for a slot — at most `queueWaitMs`, and at most `maxInFlight` requests wait — else it is
 * answered 503 SERVICE_UNAVAILABLE with Retry-After at once: overload is shed to the clients'
 * retries (or to another replica), not queued in memory. Runs before the body is read, so a
 * request waiting here holds a socket, not its payload. A slot is held until the response ends
 * or the client goes away.
 */
export function admission(config: AdmissionConfig, metrics: Metrics) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const report = () => metrics.setSyncsInFlight(running, waiting.length);
  report();

  const release = () => {
    const next = waiting.shift();
    // the slot passes straight to the oldest waiting request: running stays the same
    if (next) next();
    else running--;
    report();
  };
  const admit = (res: Response, next: NextFunction) => {
    res.once('close', release);
    next();
  };
  const shed = (next: NextFunction, reason: 'full' | 'waited') => {
    metrics.recordShed(reason);
    next(
      new PublicError(
        'SERVICE_UNAVAILABLE',
        `The server is busy (${config.maxInFlight} syncs in flight, UPSYNC_MAX_SYNCS_IN_FLIGHT): retry after ${RETRY_AFTER_SECONDS} s`,
        { retryAfter: RETRY_AFTER_SECONDS },
      ),
    );
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    // reads, and requests the route will refuse 401/403 at once, take no slot
    if (req.method !== 'POST' || res.locals.auth?.ok !== true) {
      next();
      return;
    }
    if (running < config.maxInFlight) {
      running++;
      report();
      admit(res, next);
      return;
    }
    if (config.queueWaitMs === 0 || waiting.length >= config.maxInFlight) {
      shed(next, 'full');
      return;
    }
    let settled = false;
    const granted = () => {
      settled = true;
      clearTimeout(timer);
      res.off('close', gone);
      admit(res, next);
    };
    const leave = () => {
      const i = waiting.indexOf(granted);
      if (i >= 0) waiting.splice(i, 1);
      report();
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      res.off('close', gone);
      leave();
      shed(next, 'waited');
    }, config.queueWaitMs);
    // the client left while waiting: nothing to answer, and its place goes to the next
    const gone = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      leave();
    };
    res.once('close', gone);
    waiting.push(granted);
    report();
  };
}
