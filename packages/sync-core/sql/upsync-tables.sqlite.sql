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
  `payload` text,
  -- added after the first release (an older file gets them from create-orm.ts, then the backfill below)
  `outcomeClass` varchar(16),
  `replayOf` integer,
  `requestId` varchar(64)
);
CREATE INDEX IF NOT EXISTS `upsync_sync_run_proposal` ON `upsync_sync_run` (`proposalCode`, `proposalNumber`, `id`);
CREATE INDEX IF NOT EXISTS `upsync_sync_run_outcome` ON `upsync_sync_run` (`outcome`, `id`);
CREATE INDEX IF NOT EXISTS `upsync_sync_run_startedAt` ON `upsync_sync_run` (`startedAt`);
UPDATE `upsync_sync_run` SET `outcomeClass` = CASE
    WHEN `outcome` = 'failed' THEN 'failed'
    WHEN `dryRun` = 1 THEN 'dryRun'
    WHEN `summary` GLOB '*"created":[1-9]*' OR `summary` GLOB '*"updated":[1-9]*'
      OR `summary` GLOB '*"deleted":[1-9]*' THEN 'changed'
    ELSE 'unchanged' END
  WHERE `outcomeClass` IS NULL;
CREATE INDEX IF NOT EXISTS `upsync_sync_run_stats`
  ON `upsync_sync_run` (`startedAt`, `outcomeClass`, `durationMs`, `errorCode`);
CREATE INDEX IF NOT EXISTS `upsync_sync_run_class` ON `upsync_sync_run` (`outcomeClass`, `id`);
CREATE INDEX IF NOT EXISTS `upsync_sync_run_principal` ON `upsync_sync_run` (`principal`, `id`);
-- upsync_sync_stat(_mark): the history's counts per time bucket; see upsync-tables.mariadb.sql
CREATE TABLE IF NOT EXISTS `upsync_sync_stat` (
  `grain` integer NOT NULL,
  `bucket` char(15) NOT NULL,
  `kind` char(1) NOT NULL,
  `k` varchar(64) NOT NULL,
  `n` integer NOT NULL,
  PRIMARY KEY (`grain`, `bucket`, `kind`, `k`)
);
CREATE TABLE IF NOT EXISTS `upsync_sync_stat_mark` (
  `name` varchar(16) PRIMARY KEY,
  `lastId` integer NOT NULL,
  `pendingId` integer NOT NULL,
  `pendingAt` char(24) NOT NULL
);
INSERT OR IGNORE INTO `upsync_sync_stat_mark` (`name`, `lastId`, `pendingId`, `pendingAt`) VALUES ('rolled', 0, 0, '');
