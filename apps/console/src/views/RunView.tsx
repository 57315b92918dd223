import { useLocation } from 'preact-iso';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ReplayPanel } from '../components/ReplayPanel.js';
import { RunDetail } from '../components/RunDetail.js';
import { useSession } from '../session.js';
import { useResource } from '../use-resource.js';

/** One run: its detail and, when its payload is stored, the replay buttons. */
export function RunView() {
  const { client } = useSession();
  const { query } = useLocation();
  const id = Number(query.id);
  const run = useResource(() => client.syncRun(id), [client, id]);

  return (
    <>
      <h1>Run #{query.id}</h1>
      <ErrorMessage error={run.error} action="Reading this run" />
      {!run.data && run.loading && <p>Loading…</p>}
      {run.data && (
        <>
          <RunDetail run={run.data} />
          {run.data.payload !== undefined && run.data.proposalCode && <ReplayPanel run={run.data} />}
        </>
      )}
    </>
  );
}
