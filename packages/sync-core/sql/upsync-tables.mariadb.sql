-- upsync's own service tables (created by `npm run db:setup` / setupServiceTables()).
-- upsync_lock: one row per lock stripe; a sync upserts the stripes of every identity key
-- it resolves, in sorted order, inside its transaction. Row locks are held until commit
-- and, being writes, also conflict in Galera certification (GET_LOCK is not replicated).
CREATE TABLE IF NOT EXISTS `upsync_lock` (
  `lockKey` char(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `n` bigint unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (`lockKey`)
) ENGINE=InnoDB;

-- upsync_sync_run: the sync history (audit trail), one row per sync (a succeeded sync writes it in
-- its own transaction, a failed one after its rollback). startedAt is ISO 8601 UTC text (sortable,
-- no time-zone conversion by any driver); summary and warnings are JSON text; payload only when the
-- server stores payloads. Columns added since the first release are added below (ALTER … IF NOT
-- EXISTS), so that `npm run db:setup` also upgrades a table created by an older version.
CREATE TABLE IF NOT EXISTS `upsync_sync_run` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `startedAt` char(24) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `principal` varchar(128) NOT NULL,
  `proposalCode` varchar(45) NULL,
  `proposalNumber` varchar(45) NULL,
  `dryRun` tinyint(1) NOT NULL DEFAULT 0,
  `reconcile` tinyint(1) NOT NULL DEFAULT 0,
  `outcome` varchar(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `errorCode` varchar(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  `errorDetail` text NULL,
  `errorPath` varchar(512) NULL,
  `summary` text NULL,
  `warnings` mediumtext NULL,
  `durationMs` double NOT NULL,
  `payloadSha256` char(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `payload` longtext NULL,
  PRIMARY KEY (`id`),
  KEY `upsync_sync_run_proposal` (`proposalCode`, `proposalNumber`, `id`),
  KEY `upsync_sync_run_outcome` (`outcome`, `id`),
  KEY `upsync_sync_run_startedAt` (`startedAt`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- outcomeClass: changed | unchanged | failed | dryRun (what the console counts), written with the row;
-- replayOf: the id of the run this one replayed (the console's "sync again"), else NULL;
-- requestId: the server's request id (X-Request-Id), to find the run's lines in the log, else NULL.
ALTER TABLE `upsync_sync_run`
  ADD COLUMN IF NOT EXISTS `outcomeClass` varchar(16) CHARACTER SET ascii COLLATE ascii_bin NULL,
  ADD COLUMN IF NOT EXISTS `replayOf` bigint unsigned NULL,
  ADD COLUMN IF NOT EXISTS `requestId` varchar(64) CHARACTER SET ascii COLLATE ascii_bin NULL;

-- rows written before outcomeClass existed: derived once from outcome, dryRun and the summary's counts
UPDATE `upsync_sync_run` SET `outcomeClass` = CASE
    WHEN `outcome` = 'failed' THEN 'failed'
    WHEN `dryRun` = 1 THEN 'dryRun'
    WHEN `summary` REGEXP '"(created|updated|deleted)":[1-9]' THEN 'changed'
    ELSE 'unchanged' END
  WHERE `outcomeClass` IS NULL;

-- syncStats reads only this index (a range of startedAt, covering every column it groups by);
-- the history's filters by outcome class and by principal page by id within them
CREATE INDEX IF NOT EXISTS `upsync_sync_run_stats`
  ON `upsync_sync_run` (`startedAt`, `outcomeClass`, `durationMs`, `errorCode`);
CREATE INDEX IF NOT EXISTS `upsync_sync_run_class` ON `upsync_sync_run` (`outcomeClass`, `id`);
CREATE INDEX IF NOT EXISTS `upsync_sync_run_principal` ON `upsync_sync_run` (`principal`, `id`);

-- upsync_sync_stat: the history's counts per time bucket, at three grains (the length of the
-- startedAt prefix naming the bucket: 15 = 10 minutes, 13 = an hour, 10 = a day); kind c = runs per
-- outcome class, d = per duration bucket (log2(ms) × 4), e = failed runs per error code. syncStats
-- reads these instead of every run. Filled incrementally by id up to upsync_sync_stat_mark.lastId
-- (history/roll-up-stats.ts); pruned with the history.
CREATE TABLE IF NOT EXISTS `upsync_sync_stat` (
  `grain` tinyint unsigned NOT NULL,
  `bucket` char(15) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `kind` char(1) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `k` varchar(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `n` bigint unsigned NOT NULL,
  PRIMARY KEY (`grain`, `bucket`, `kind`, `k`)
) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS `upsync_sync_stat_mark` (
  `name` varchar(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `lastId` bigint unsigned NOT NULL,
  `pendingId` bigint unsigned NOT NULL,
  `pendingAt` char(24) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  PRIMARY KEY (`name`)
) ENGINE=InnoDB;
INSERT IGNORE INTO `upsync_sync_stat_mark` (`name`, `lastId`, `pendingId`, `pendingAt`) VALUES ('rolled', 0, 0, '');
