import { defineEntity, p } from '@mikro-orm/core';

// upsync's own tables, declared once: the embedded database's are generated (and upgraded) from
// these entities; sql/upsync-tables.mariadb.sql is their MariaDB DDL, checked against them
// (test/service-tables.test.ts). Nothing reads or writes them through the unit of work: the
// history's SQL is in src/history/.

const NOCASE = 'NOCASE';

/** upsync_sync_run: the sync history, one row per sync (see upsync-tables.mariadb.sql for the columns). */
const SyncRun = defineEntity({
  name: 'upsync_sync_run',
  tableName: 'upsync_sync_run',
  properties: {
    id: p.integer().unsigned().primary().autoincrement(),
    startedAt: p.string().columnType('char(24)'),
    principal: p.string().length(128),
    // the console filters by proposal as ISPyB compares codes: case-insensitively
    proposalCode: p.string().length(45).collation(NOCASE).nullable(),
    proposalNumber: p.string().length(45).collation(NOCASE).nullable(),
    dryRun: p.tinyint().default(0),
    reconcile: p.tinyint().default(0),
    outcome: p.string().length(16),
    errorCode: p.string().length(64).nullable(),
    errorDetail: p.text().nullable(),
    errorPath: p.string().length(512).nullable(),
    summary: p.text().nullable(),
    warnings: p.text().nullable(),
    durationMs: p.double(),
    payloadSha256: p.string().columnType('char(64)'),
    payload: p.text().nullable(),
    // added after the first release: an older file gets them when it is opened
    outcomeClass: p.string().length(16).nullable(),
    replayOf: p.integer().unsigned().nullable(),
    requestId: p.string().length(64).nullable(),
  },
  indexes: [
    { name: 'upsync_sync_run_proposal', properties: ['proposalCode', 'proposalNumber', 'id'] },
    { name: 'upsync_sync_run_outcome', properties: ['outcome', 'id'] },
    { name: 'upsync_sync_run_startedAt', properties: ['startedAt'] },
    // syncStats reads only this index; the filters by class and principal page by id within them
    { name: 'upsync_sync_run_stats', properties: ['startedAt', 'outcomeClass', 'durationMs', 'errorCode'] },
    { name: 'upsync_sync_run_class', properties: ['outcomeClass', 'id'] },
    { name: 'upsync_sync_run_principal', properties: ['principal', 'id'] },
  ],
});

/** upsync_sync_stat: the history's counts per time bucket (history/roll-up-stats.ts). */
const SyncStat = defineEntity({
  name: 'upsync_sync_stat',
  tableName: 'upsync_sync_stat',
  properties: {
    grain: p.tinyint().unsigned().primary(),
    bucket: p.string().columnType('char(15)').primary(),
    kind: p.string().columnType('char(1)').primary(),
    k: p.string().length(64).primary(),
    n: p.integer().unsigned(),
  },
});

/** upsync_sync_stat_mark: how far the counts have rolled up the history. */
const SyncStatMark = defineEntity({
  name: 'upsync_sync_stat_mark',
  tableName: 'upsync_sync_stat_mark',
  properties: {
    name: p.string().length(16).primary(),
    lastId: p.integer().unsigned(),
    pendingId: p.integer().unsigned(),
    pendingAt: p.string().columnType('char(24)'),
  },
});

/** The service tables of the embedded database (upsync_lock is MariaDB's only: SQLite serialises writes). */
export const SERVICE_ENTITIES = [SyncRun, SyncStat, SyncStatMark];
