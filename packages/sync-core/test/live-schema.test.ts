import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkReady,
  closeOrm,
  createOrm,
  migrateIndexes,
  setupServiceTables,
  syncProposal,
  type UpsyncOrm,
} from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import { MARIADB, sql } from './support/targets.js';

describe.skipIf(MARIADB.skip)('live column metadata on MariaDB (other ISPyB flavours)', () => {
  let db: TestDatabase;
  let orm: UpsyncOrm;
  beforeAll(async () => {
    db = await createTestDatabase('core_flavour', { serviceTables: false });
    const setup = await createOrm({ databaseUrl: db.url });
    await sql(setup, 'ALTER TABLE BLSession DROP COLUMN expSessionPk, DROP COLUMN sessionTitle');
    await sql(
      setup,
      'ALTER TABLE Person MODIFY familyName varchar(45) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
    );
    await closeOrm(setup);
    orm = await createOrm({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await closeOrm(orm);
    await db.drop();
  });

  it('reads lengths, charsets, nullability and enum values from information_schema', () => {
    expect(orm.columnLimits.Person?.familyName).toMatchObject({
      maxLength: 45,
      latin1: false,
      nullable: true,
      present: true,
    });
    expect(orm.columnLimits.LabContact?.cardName).toMatchObject({
      maxLength: 40,
      latin1: true,
      nullable: false,
    });
    expect(orm.columnLimits.Proposal?.state?.enumValues).toEqual(['Open', 'Closed', 'Cancelled']);
  });

  it('reports missing columns clearly and marks them not present', () => {
    expect(orm.columnLimits.BLSession?.expSessionPk).toEqual({ present: false });
    expect(orm.schemaReport.missingColumns).toEqual([
      { table: 'BLSession', column: 'expSessionPk' },
      { table: 'BLSession', column: 'sessionTitle' },
    ]);
    expect(orm.schemaReport.lines.join('\n')).toMatch(/BLSession\.expSessionPk is missing/);
  });

  it('checkReady asks for the service tables until db:setup ran; syncs are refused meanwhile', async () => {
    expect((await checkReady(orm)).problems.join()).toMatch(/upsync_lock/);
    const refused = await syncProposal(orm, {
      proposal: { proposalCode: 'F', proposalNumber: '1', persons: [{ login: 'x' }] },
    }).catch((e) => e);
    expect(refused.code).toBe('SCHEMA_MISMATCH');
    await setupServiceTables(orm);
    await setupServiceTables(orm); // idempotent
    expect(await checkReady(orm)).toEqual({ ok: true, problems: [], notes: [] });
  });

  it('syncs that do not carry the missing fields work, without touching the missing columns', async () => {
    const result = await syncProposal(orm, {
      proposal: { proposalCode: 'F', proposalNumber: '1', persons: [{ login: 'x', familyName: 'Flavour' }] },
      sessions: [{ externalId: 1, beamLineName: 'I03' }],
    });
    expect(result.summary.sessions.created).toBe(1);
  });

  it('migrateIndexes is idempotent and skips indexes on missing columns', async () => {
    const first = await migrateIndexes(orm);
    expect(first.created).toContain('upsync_Person_externalId');
    expect(first.skipped).toEqual(['upsync_BLSession_proposalId_expSessionPk']);
    const second = await migrateIndexes(orm);
    expect(second.created).toEqual([]);
    expect(second.existing).toEqual(first.created);
  });
});
