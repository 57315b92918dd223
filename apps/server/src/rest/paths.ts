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
