-- upsync's own service tables (created by `npm run db:setup` / setupServiceTables()).
-- upsync_lock: one row per lock stripe; a sync upserts the stripes of every identity key
-- it resolves, in sorted order, inside its transaction. Row locks are held until commit
-- and, being writes, also conflict in Galera certification (GET_LOCK is not replicated).
CREATE TABLE IF NOT EXISTS `upsync_lock` (
  `lockKey` char(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `n` bigint unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (`lockKey`)
) ENGINE=InnoDB;
