-- upsync's own tables on the embedded SQLite database (created on first use, like ISPyB's).
-- upsync_sync_run: the sync history; see upsync-tables.mariadb.sql for the columns.
CREATE TABLE IF NOT EXISTS `upsync_sync_run` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `startedAt` char(24) NOT NULL,
  `principal` varchar(128) NOT NULL,
  `proposalCode` varchar(45) COLLATE NOCASE,
  `proposalNumber` varchar(45) COLLATE NOCASE,
  `dryRun` integer NOT NULL DEFAULT 0,
  `reconcile` integer NOT NULL DEFAULT 0,
  `outcome` varchar(16) NOT NULL,
  `errorCode` varchar(64),
  `errorDetail` text,
  `errorPath` varchar(512),
  `summary` text,
  `warnings` text,
  `durationMs` double NOT NULL,
  `payloadSha256` char(64) NOT NULL,
  `payload` text
);
CREATE INDEX IF NOT EXISTS `upsync_sync_run_proposal` ON `upsync_sync_run` (`proposalCode`, `proposalNumber`, `id`);
CREATE INDEX IF NOT EXISTS `upsync_sync_run_outcome` ON `upsync_sync_run` (`outcome`, `id`);
CREATE INDEX IF NOT EXISTS `upsync_sync_run_startedAt` ON `upsync_sync_run` (`startedAt`);
