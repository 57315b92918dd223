import type { ConsumeMessage } from 'amqplib';
import { syncErrorBody } from '../errors/sync-error-body.js';
import type { Logger } from '../logger.js';
import type { SyncService } from '../trpc/context.js';
import type { DeadLetterReason } from './dead-letter.js';
import type { DecodedMessage } from './decode-message.js';
import { decideRetry, type RetryPolicy } from './retry-policy.js';

/** `synced` and `dead-lettered` were acked; `abandoned` stays unacked and the broker redelivers it. */
export type Outcome = 'synced' | 'dead-lettered' | 'abandoned';

export interface HandleMessageDeps {
  sync: Pick<SyncService, 'sync'>;
  policy: RetryPolicy;
  /** UPSYNC_AMQP_RECONCILE: honour the x-upsync-reconcile header (deletes); otherwise warn and sync without. */
  reconcileAllowed: boolean;
  logger: Logger;
  /** Recorded as the sync's principal: `amqp:<queue>`. */
  principal: string;
  requestId: string;
  ack(): void;
  /** Resolves once the broker has confirmed the dead-lettered copy. */
  deadLetter(reason: DeadLetterReason): Promise<void>;
  /** Sleeps `ms`; false when the consumer stops or loses its channel meanwhile (then give up). */
  wait(ms: number): Promise<boolean>;
  /** True once the consumer stops or loses its channel: start nothing new. */
  aborted(): boolean;
  onRetry?(): void;
}

const HEADER_RECONCILE = 'x-upsync-reconcile';

/**
 * One delivery: sync it, then ack (the sync has committed by then); a payload fault goes to the
 * dead-letter queue (confirmed first, then ack); an environment fault is retried in place with
 * backoff, the message held unacked so that nothing behind it overtakes it.
 */
export async function handleMessage(
  message: ConsumeMessage,
  decoded: DecodedMessage,
  deps: HandleMessageDeps,
): Promise<Outcome> {
  if (deps.aborted()) return 'abandoned';
  const log = deps.logger.child({
    reqId: deps.requestId,
    deliveryTag: message.fields.deliveryTag,
    ...(message.properties.messageId && { messageId: message.properties.messageId }),
    ...(message.fields.redelivered && { redelivered: true }),
  });
  if (!decoded.ok) {
    log.warn({ code: 'VALIDATION_FAILED', detail: decoded.detail }, 'message dead-lettered');
    await deps.deadLetter({
      code: 'VALIDATION_FAILED',
      detail: decoded.detail,
      errors: [{ path: '', code: decoded.code, message: decoded.message }],
      attempts: 0,
    });
    deps.ack();
    return 'dead-lettered';
  }
  const asked = String(message.properties.headers?.[HEADER_RECONCILE] ?? '').toLowerCase() === 'true';
  // whoever can publish to the queue must not gain deletes unless the operator said so
  const reconcile = asked && deps.reconcileAllowed;
  if (asked && !reconcile) {
    log.warn(
      { header: HEADER_RECONCILE },
      'reconcile header ignored: set UPSYNC_AMQP_RECONCILE=true to let queue messages delete relations',
    );
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.sync.sync(
        decoded.payload,
        { dryRun: false, reconcile },
        { requestId: deps.requestId, principal: deps.principal },
      );
      deps.ack();
      return 'synced';
    } catch (error) {
      const body = syncErrorBody(error);
      const decision = decideRetry(body, attempt, deps.policy);
      if (decision.action === 'dead-letter') {
        log.warn({ code: body.code, path: body.path, attempts: attempt }, 'message dead-lettered');
        await deps.deadLetter({ ...body, attempts: attempt });
        deps.ack();
        return 'dead-lettered';
      }
      log.warn({ code: body.code, attempt, delayMs: decision.delayMs }, 'sync failed; retrying the message');
      deps.onRetry?.();
      if (!(await deps.wait(decision.delayMs))) {
        log.info({ attempt }, 'giving the message back to the broker unacked');
        return 'abandoned';
      }
    }
  }
}
