import type { TSyncErrorBody, TValidationIssue } from '@upsync/schema';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';

/** Why a message went to the dead-letter queue: the failure's body, as every transport sends it. */
export type DeadLetterReason = Pick<TSyncErrorBody, 'code' | 'detail' | 'path' | 'errors'> & {
  /** Sync attempts made (0 when the body could not even be decoded). */
  attempts: number;
};

/** amqplib refuses header tables over 64 KiB: keep the issues list well under that. */
const MAX_ISSUES_JSON = 32_000;

function boundedIssues(issues: TValidationIssue[]): TValidationIssue[] {
  let kept = issues.slice(0, 100);
  while (kept.length > 1 && JSON.stringify(kept).length > MAX_ISSUES_JSON)
    kept = kept.slice(0, kept.length >> 1);
  return kept;
}

/** Headers of the dead-lettered copy: the original headers plus `x-upsync-*` describing the failure. */
export function deadLetterHeaders(
  message: ConsumeMessage,
  reason: DeadLetterReason,
  queue: string,
  now: Date = new Date(),
): Record<string, unknown> {
  const issues = reason.errors ? boundedIssues(reason.errors) : undefined;
  return {
    ...message.properties.headers,
    'x-upsync-error-code': reason.code,
    'x-upsync-error-detail': reason.detail.slice(0, 2000),
    ...(reason.path !== undefined && { 'x-upsync-error-path': reason.path }),
    ...(issues && { 'x-upsync-error-issues': JSON.stringify(issues) }),
    ...(issues &&
      issues.length < (reason.errors?.length ?? 0) && {
        'x-upsync-error-issue-count': reason.errors?.length,
      }),
    'x-upsync-attempts': reason.attempts,
    'x-upsync-queue': queue,
    'x-upsync-failed-at': now.toISOString(),
  };
}

/**
 * Publishes the original body, unchanged (so it can be replayed as it is), with the failure in its
 * headers, and resolves once the broker has confirmed it: only then may the original be acked.
 */
export function publishDeadLetter(
  channel: ConfirmChannel,
  deadLetterQueue: string,
  message: ConsumeMessage,
  reason: DeadLetterReason & { queue: string },
): Promise<void> {
  const p = message.properties;
  const options: Options.Publish = {
    persistent: true,
    headers: deadLetterHeaders(message, reason, reason.queue),
    ...(p.contentType && { contentType: p.contentType }),
    ...(p.contentEncoding && { contentEncoding: p.contentEncoding }),
    ...(p.messageId && { messageId: p.messageId }),
    ...(p.correlationId && { correlationId: p.correlationId }),
    ...(p.appId && { appId: p.appId }),
    ...(p.type && { type: p.type }),
    ...(p.timestamp !== undefined && { timestamp: p.timestamp }),
  };
  return new Promise((resolve, reject) => {
    channel.sendToQueue(deadLetterQueue, message.content, options, (error) =>
      error
        ? reject(error instanceof Error ? error : new Error('dead-letter publish was nacked'))
        : resolve(),
    );
  });
}
