import { diffPayloads, type ParseOptions, type TSyncRun, type TSyncRunDiff } from '@upsync/schema';
import { getSyncRun, type UpsyncOrm } from '@upsync/sync-core';
import { PublicError } from './errors/public-error.js';

const keyOf = (run: TSyncRun) =>
  run.proposalCode === null ? null : `${run.proposalCode}-${run.proposalNumber}`;

/**
 * syncRunDiff: the field-level differences between the stored payloads of two runs of one
 * proposal (@upsync/schema's diffPayloads, the lines `upsync diff` prints). NOT_FOUND for an
 * unknown run, BAD_REQUEST for runs of two proposals, PRECONDITION_FAILED when a payload was not
 * stored (UPSYNC_HISTORY_PAYLOADS was off) or is not a payload at all.
 */
export async function diffRuns(
  orm: UpsyncOrm,
  fromId: number,
  toId: number,
  options: Pick<ParseOptions, 'timeZone'> = {},
): Promise<TSyncRunDiff> {
  const [from, to] = await Promise.all([getSyncRun(orm, fromId), getSyncRun(orm, toId)]);
  for (const [id, run] of [
    [fromId, from],
    [toId, to],
  ] as const) {
    if (!run) throw new PublicError('NOT_FOUND', `no recorded sync run ${id}`);
  }
  if (!from || !to) throw new PublicError('NOT_FOUND', 'no such runs'); // narrowed above
  const proposal = keyOf(to);
  if (proposal === null || keyOf(from)?.toLowerCase() !== proposal.toLowerCase()) {
    throw new PublicError(
      'BAD_REQUEST',
      `runs ${fromId} (${keyOf(from) ?? 'no proposal'}) and ${toId} (${proposal ?? 'no proposal'}) are not runs of one proposal`,
    );
  }
  for (const run of [from, to]) {
    if (run.payload === undefined) {
      throw new PublicError(
        'PRECONDITION_FAILED',
        `run ${run.id} has no stored payload: the server keeps payloads only with UPSYNC_HISTORY_PAYLOADS=true`,
      );
    }
  }
  const diff = diffPayloads(from.payload, to.payload, options);
  if (!diff.success) {
    const run = diff.side === 'from' ? from : to;
    const first = diff.errors[0];
    throw new PublicError(
      'PRECONDITION_FAILED',
      `run ${run.id}'s payload is not a valid payload (${first ? `${first.path || 'payload'}: ${first.message}` : 'invalid'}): nothing to compare`,
    );
  }
  const ref = (run: TSyncRun) => ({ id: run.id, startedAt: run.startedAt, payloadSha256: run.payloadSha256 });
  return {
    proposalCode: to.proposalCode ?? '',
    proposalNumber: to.proposalNumber ?? '',
    from: ref(from),
    to: ref(to),
    changes: diff.changes,
  };
}
