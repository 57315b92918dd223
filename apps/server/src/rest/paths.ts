/** py-ISPyB's prefix: existing portal scripts keep working. */
export const USERPORTALSYNC_BASE = '/ispyb/api/v1/webservices/userportalsync';
export const SYNC_PROPOSAL_PATH = `${USERPORTALSYNC_BASE}/sync_proposal`;
export const SCHEMA_PATH = `${USERPORTALSYNC_BASE}/sync_proposal/schema`;
export const SYNC_PROPOSALS_PATH = `${USERPORTALSYNC_BASE}/sync_proposals`;
export const SYNC_RUNS_PATH = `${USERPORTALSYNC_BASE}/sync_runs`;
/** Express pattern of the read-back route. */
export const PROPOSAL_PATH = `${USERPORTALSYNC_BASE}/proposal/:proposalCode/:proposalNumber`;
/** The same route as OpenAPI writes it. */
export const PROPOSAL_OPENAPI_PATH = `${USERPORTALSYNC_BASE}/proposal/{proposalCode}/{proposalNumber}`;
/** One run; its diff with another run of the same proposal; the history's statistics. */
export const SYNC_RUN_PATH = `${USERPORTALSYNC_BASE}/sync_runs/:id`;
export const SYNC_RUN_OPENAPI_PATH = `${USERPORTALSYNC_BASE}/sync_runs/{id}`;
export const SYNC_RUN_DIFF_PATH = `${USERPORTALSYNC_BASE}/sync_runs/:from/diff/:to`;
export const SYNC_RUN_DIFF_OPENAPI_PATH = `${USERPORTALSYNC_BASE}/sync_runs/{from}/diff/{to}`;
export const SYNC_STATS_PATH = `${USERPORTALSYNC_BASE}/sync_stats`;
