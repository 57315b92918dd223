import { createUpsyncClient, type TSyncProposalInput, type UpsyncClient } from '@upsync/client';
import { TOKENS } from './console-server.js';

/** How many proposals the seeded runs spread over, and the field the failing run gets wrong. */
export const PROPOSALS = 20;
export const FAILING_FIELD = 'sessions[0].startDate';

/**
 * A small valid payload: proposal MX-<n> with one person and one session; `version` goes into the
 * title, so two versions of one proposal differ by exactly that field.
 */
export function smallPayload(n: number, version: number): TSyncProposalInput {
  const person = {
    login: `console${n}`,
    externalId: 7_000 + n,
    givenName: 'Ada',
    familyName: `Lovelace${n}`,
  };
  return {
    proposal: {
      proposalCode: 'MX',
      proposalNumber: String(n),
      title: `Console proposal ${n}, version ${version}`,
      proposalType: 'MX',
      persons: [person],
    },
    sessions: [
      {
        expSessionPk: 9_000 + n,
        startDate: '2026-03-01T08:00:00Z',
        endDate: '2026-03-02T08:00:00Z',
        beamLineName: 'ID30A-1',
        persons: [{ ...person, session_options: { role: 'Principal Investigator' } }],
      },
    ],
  };
}

export const operatorClient = (url: string): UpsyncClient =>
  createUpsyncClient({ url, token: TOKENS.operator, retries: 0, timeoutMs: 120_000 });

/**
 * `total` runs through the API, the way a portal makes them: batches of real syncs (each
 * proposal synced several times per version: changed, then unchanged), one batch of dry runs,
 * and exactly one failure (MX-1 with a bad session start date, a field-path error). Returns the
 * failed run's id.
 */
export async function seedRuns(url: string, total = 1_000): Promise<{ failedRunId: number }> {
  const client = operatorClient(url);
  const batch = 100;
  const dryRuns = Math.min(batch - 1, total - 1);
  const real = total - 1 - dryRuns;
  for (let start = 0; start < real; start += batch) {
    const payloads = [];
    for (let i = start; i < Math.min(start + batch, real); i++)
      payloads.push(smallPayload((i % PROPOSALS) + 1, Math.floor(i / batch)));
    await client.syncProposals(payloads);
  }
  await client.syncProposals(
    Array.from({ length: dryRuns }, (_, i) => smallPayload((i % PROPOSALS) + 1, 99)),
    { dryRun: true },
  );
  const bad = smallPayload(1, 100) as { sessions: { startDate: string }[] };
  bad.sessions[0]!.startDate = 'the day after tomorrow';
  await client.syncProposal(bad as TSyncProposalInput).then(
    () => {
      throw new Error('the failing payload was accepted');
    },
    () => undefined,
  );
  const failed = await client.syncRuns({ outcome: 'failed', limit: 2 });
  if (failed.runs.length !== 1) throw new Error(`expected one failed run, found ${failed.runs.length}`);
  return { failedRunId: failed.runs[0]!.id };
}
