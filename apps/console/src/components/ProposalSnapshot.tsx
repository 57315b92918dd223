import type { TProposalSnapshot } from '@upsync/client';
import { JsonBlock } from './JsonBlock.js';

/** What ISPyB holds now for the proposal (the read-back, with ISPyB ids), as the server gives it. */
export function ProposalSnapshot({ snapshot }: { snapshot: TProposalSnapshot }) {
  const counts = Object.entries(snapshot)
    .filter(([, value]) => Array.isArray(value))
    .map(([kind, value]) => `${(value as unknown[]).length} ${kind}`)
    .join(', ');
  return (
    <section aria-labelledby="snapshot-heading">
      <h2 id="snapshot-heading">What ISPyB holds now</h2>
      {counts && <p>{counts}</p>}
      <details>
        <summary>The read-back, in the payload's shape with ISPyB ids</summary>
        <JsonBlock value={snapshot} label="What ISPyB holds for this proposal" />
      </details>
    </section>
  );
}
