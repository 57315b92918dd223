import type { TProposalSnapshot } from '@upsync/client';
import { JsonBlock } from './JsonBlock.js';

/** What ISPyB holds now for the proposal (the read-back, with ISPyB ids), as the server gives it. */
export function ProposalSnapshot({ snapshot }: { snapshot: TProposalSnapshot }) {
  const counts = [
    `persons: ${snapshot.proposal.persons?.length ?? 0}`,
    `lab contacts: ${snapshot.proposal.labcontacts?.length ?? 0}`,
    `sessions: ${snapshot.sessions?.length ?? 0}`,
    `proteins: ${snapshot.proteins?.length ?? 0}`,
  ].join(' · ');
  return (
    <section aria-labelledby="snapshot-heading">
      <h2 id="snapshot-heading">What ISPyB holds now</h2>
      <p>{counts}</p>
      <details>
        <summary>The read-back, in the payload's shape with ISPyB ids</summary>
        <JsonBlock value={snapshot} label="What ISPyB holds for this proposal" />
      </details>
    </section>
  );
}
