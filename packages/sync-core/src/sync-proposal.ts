import { withHistory } from './history/with-history.js';
import { runSync } from './run-sync.js';

/**
 * Validates one User Portal payload and writes it to ISPyB in one transaction (sync-spec §4–§6,
 * run-sync.ts); with `history`, the sync is recorded whatever its outcome (history/with-history.ts).
 */
export const syncProposal = withHistory(runSync);
