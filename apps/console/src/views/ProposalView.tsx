import { useLocation } from 'preact-iso';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ProposalDiff } from '../components/ProposalDiff.js';
import { ProposalSnapshot } from '../components/ProposalSnapshot.js';
import { RunPairPicker } from '../components/RunPairPicker.js';
import { RunsTable } from '../components/RunsTable.js';
import { proposalHref, runsHref } from '../routes.js';
import { useSession } from '../session.js';
import { useResource } from '../use-resource.js';

/** Runs offered for a diff (the API's largest page); the table shows the newest few. */
const PICKABLE_RUNS = 200;
const SHOWN_RUNS = 20;
const optionalId = (value?: string) => (value && /^\d+$/.test(value) ? Number(value) : undefined);

/** One proposal: what ISPyB holds now, its recent runs, and the diff between two of them. */
export function ProposalView() {
  const { client } = useSession();
  const { query, route } = useLocation();
  const code = query.code ?? '';
  const number = query.number ?? '';
  const key = `${code}-${number}`;
  const from = optionalId(query.from);
  const to = optionalId(query.to);

  const snapshot = useResource(() => client.proposal(code, number), [client, key]);
  const runs = useResource(() => client.syncRuns({ proposal: key, limit: PICKABLE_RUNS }), [client, key]);
  const diff = useResource(
    () => (from && to ? client.syncRunDiff({ from, to }) : Promise.resolve(undefined)),
    [client, from, to],
  );

  return (
    <>
      <h1>Proposal {key}</h1>
      <ErrorMessage error={snapshot.error} action="Reading what ISPyB holds" />
      {snapshot.data && <ProposalSnapshot snapshot={snapshot.data} />}

      <section aria-labelledby="compare-heading">
        <h2 id="compare-heading">Compare two runs</h2>
        <ErrorMessage error={runs.error} action="The runs of this proposal" />
        {runs.data && (
          <RunPairPicker
            runs={runs.data.runs}
            from={from}
            to={to}
            onCompare={(a, b) => route(proposalHref(code, number, { from: a, to: b }))}
          />
        )}
        <ErrorMessage error={diff.error} action="The diff" />
        {diff.data && <ProposalDiff diff={diff.data} />}
      </section>

      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent runs</h2>
        {runs.data && <RunsTable runs={runs.data.runs.slice(0, SHOWN_RUNS)} />}
        <p>
          <a href={runsHref({ proposal: key })}>All runs of {key}</a>
        </p>
      </section>
    </>
  );
}
