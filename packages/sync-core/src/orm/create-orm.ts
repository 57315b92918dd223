import { EntityCaseNamingStrategy, MikroORM } from '@mikro-orm/core';
import { NodeSqliteDialect, type SqlEntityManager } from '@mikro-orm/sql';
import { ISPYB_TABLES, type MissingColumns } from '@upsync/schema';
import { CompiledQuery, type DatabaseConnection } from 'kysely';
import { galeraPolicy, SINGLE_SERVER_POLICY } from '../db/retry-budget.js';
import { marks } from '../db/sql.js';
import { buildEntities } from '../entities/build-entities.js';
import type { IspybDb } from '../entities/ispyb-rows.js';
import { changeSetRecorder } from '../sync/change-sets.js';
import { LastSynced } from '../sync/last-synced.js';
import {
  type DatabaseTarget,
  DEFAULT_DATABASE_URL,
  mysqlDatabaseName,
  parseDatabaseUrl,
} from './database-url.js';
import { ColumnGroupingSqliteDriver, ReturningMySqlDriver } from './drivers.js';
import { upgradeEmbeddedSchema } from './embedded-schema.js';
import { refuseMikroOrmVariables } from './foreign-orm-settings.js';
import { internalsOf, type OrmInternals, registerInternals, type UpsyncOrm } from './internals.js';
import { type InformationSchemaRow, mappedLiveColumns, readLiveColumns } from './live-columns.js';
import { refuseOldRuntime } from './runtime.js';
import { SERVICE_ENTITIES } from './service-entities.js';
import { HubLogger, StatementHub } from './statement-hub.js';

export interface CreateOrmOptions {
  /** `mysql://user:pw@host:3306/ispyb`, `sqlite:./data/upsync.sqlite` or a file path. */
  databaseUrl?: string;
  /** Facility time zone (IANA), default UTC. */
  timeZone?: string;
  /** Log every statement through MikroORM's logger. */
  debug?: boolean;
  /**
   * MariaDB/MySQL: how long one attempt of a sync waits for a row lock before it is retried
   * (`innodb_lock_wait_timeout` of the pool's connections), in seconds; default 5. The server's
   * default of 50 s, over the 5 attempts, would keep a request hanging for minutes behind a
   * transaction someone left open.
   */
  lockWaitTimeoutSeconds?: number;
  /**
   * A payload field whose column this database lacks (other ISPyB flavours): `refuse` the payload
   * (default) or `skip` the field — not written, one MISSING_COLUMN warning per payload path.
   */
  missingColumns?: MissingColumns;
  /**
   * Where the libraries' own messages go, at their level (MikroORM's logger, its query builder's
   * warnings and deprecations). Without it they are printed with console.log, on stdout, where a
   * service writes its JSON log lines.
   */
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export const DEFAULT_LOCK_WAIT_TIMEOUT_SECONDS = 5;

/** Connects to ISPyB (MariaDB/MySQL) or the embedded SQLite database and reads the live column facts. */
export async function createOrm(options: CreateOrmOptions = {}): Promise<UpsyncOrm> {
  refuseOldRuntime();
  const target = parseDatabaseUrl(options.databaseUrl ?? DEFAULT_DATABASE_URL);
  // MikroORM 7 still applies `MIKRO_ORM_*` variables to the options it is not given explicitly
  refuseMikroOrmVariables();
  const hub = new StatementHub();
  const orm = await initMikroOrm(target, options, hub);
  try {
    const { columnLimits, schemaReport, ...rest } =
      target.dialect === 'mysql'
        ? await inspectMySql(orm, options.missingColumns ?? 'refuse')
        : embeddedInternals();
    // an entity never names a column this database lacks
    const entities = buildEntities(rest.columns);
    if (target.dialect === 'mysql') orm.discoverEntity(Object.values(entities));
    else {
      orm.discoverEntity([...Object.values(entities), ...SERVICE_ENTITIES]);
      // the embedded database is ours: its tables follow the entities (never done on MariaDB)
      await upgradeEmbeddedSchema(orm);
    }
    const handle: UpsyncOrm = {
      dialect: target.dialect,
      timeZone: options.timeZone ?? 'UTC',
      columnLimits,
      schemaReport,
      missingColumns: options.missingColumns ?? 'refuse',
    };
    registerInternals(handle, {
      ...rest,
      orm,
      entities,
      sql: (orm.em as SqlEntityManager).getKysely<IspybDb>(),
      hub,
      parsers: new Map(),
      keyPlans: new Map(),
      lastSynced: new LastSynced(),
    });
    return handle;
  } catch (error) {
    await orm.close(true);
    throw error;
  }
}

/** MikroORM started on `target`, its entities not yet discovered (they follow the live columns). */
function initMikroOrm(target: DatabaseTarget, options: CreateOrmOptions, hub: StatementHub) {
  // ISPyB's names are camelCase as in the entities: EntityCaseNamingStrategy (+ explicit fieldNames)
  const common = {
    // the entities are built once the live columns are known (below)
    entities: [],
    discovery: { warnWhenNoEntities: false },
    namingStrategy: EntityCaseNamingStrategy,
    debug: options.debug ?? false,
    // every statement MikroORM sends, to onStatement's listeners (orm/statement-hub.ts)
    loggerFactory: (loggerOptions: ConstructorParameters<typeof HubLogger>[0]) =>
      new HubLogger(loggerOptions, hub),
    allowGlobalContext: false,
    // ISPyB's DATETIMEs hold the facility's wall-clock time, not UTC (MikroORM 7's default would
    // shift them). upsync maps them as strings anyway (entities/local-datetime-type.ts); this keeps
    // the connection itself from converting
    forceUtcTimezone: false,
    // ISPyB's NOT NULL columns with database defaults (timestamps, card values) are left to the
    // database: an entity created without them is complete
    validateRequired: false,
    // Plain properties on entities: MikroORM otherwise redefines each property of each new or
    // hydrated entity as an accessor (Object.defineProperty per field), for propagation to the
    // inverse side of relations (ISPyB's entities declare none) and auto-flush's dirty checks
    // (no query of a sync goes through em.find); the change sets still come from the snapshots
    propagationOnPrototype: false,
    // the unit of work's change sets, as the sync's result reports them (sync/change-sets.ts)
    subscribers: [changeSetRecorder],
    // MikroORM's own messages (its DefaultLogger's writer, which HubLogger extends) to `log`
    // instead of console.log: stdout carries only the service's JSON lines
    ...(options.log && { logger: (message: string) => options.log!('info', message), colors: false }),
  };
  return target.dialect === 'mysql'
    ? MikroORM.init({
        ...common,
        clientUrl: target.location,
        dbName: mysqlDatabaseName(target.location),
        // once per pooled connection, not per sync: READ COMMITTED, the lock wait, and the escaping
        // that values rely on (see sessionSettings)
        onCreateConnection: sessionSettings(
          options.lockWaitTimeoutSeconds ?? DEFAULT_LOCK_WAIT_TIMEOUT_SECONDS,
        ) as (connection: unknown) => Promise<void>,
        // exact ids for new rows on Galera too (orm/drivers.ts)
        driver: ReturningMySqlDriver,
        // a sync sends its lock upsert and all its look-ups as one round trip (sync/look-ups.ts).
        // Every value is escaped by MikroORM's platform under the sql_mode pinned below, and every
        // identifier comes from the mapping: no payload text becomes SQL
        multipleStatements: true,
      })
    : MikroORM.init({
        ...common,
        dbName: target.location,
        driver: ColumnGroupingSqliteDriver,
        // Node's built-in SQLite: no native addon to build or to match the runtime
        driverOptions: new NodeSqliteDialect(target.location),
      });
}

/**
 * Values are escaped by mysql2 on the client with backslashes (`'` → `\'`) and inlined. Under a
 * server's `NO_BACKSLASH_ESCAPES` a backslash is an ordinary character, so `x\'; CREATE TABLE …; -- `
 * would close the literal and turn the rest into SQL (the look-ups' round trip is a
 * multi-statement: a closed literal could add statements to it). Each connection's
 * session therefore drops that flag (keeping the rest of the DBA's mode) and talks utf8mb4 (no
 * multi-byte charset whose bytes could swallow an escape), then reads the mode back: a connection
 * that cannot be pinned is refused, and so is the start.
 */
const PIN_SESSION = [
  "SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))",
  'SET NAMES utf8mb4',
  'SELECT @@SESSION.sql_mode AS sqlMode, @@SESSION.character_set_client AS charset',
];

type SessionRow = { sqlMode: string; charset: string };

/** Why a pinned session is not what it should be, or undefined. */
function sessionProblem(row: SessionRow | undefined): string | undefined {
  if (!row) return 'the session settings could not be read back';
  if (/(^|,)NO_BACKSLASH_ESCAPES(,|$)/i.test(row.sqlMode))
    return 'sql_mode still contains NO_BACKSLASH_ESCAPES';
  if (row.charset !== 'utf8mb4') return `the client character set is ${row.charset}, not utf8mb4`;
  return undefined;
}

function sessionSettings(lockWaitSeconds: number) {
  if (!Number.isInteger(lockWaitSeconds) || lockWaitSeconds < 1)
    throw new RangeError(
      `lockWaitTimeoutSeconds must be a whole number of seconds ≥ 1, got ${lockWaitSeconds}`,
    );
  const statements = [
    'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
    `SET SESSION innodb_lock_wait_timeout = ${lockWaitSeconds}`,
    ...PIN_SESSION,
  ];
  return async (connection: DatabaseConnection): Promise<void> => {
    // one statement at a time, each checked; the last one reads the pinned session back
    let rows: unknown[] = [];
    for (const sql of statements) rows = (await connection.executeQuery(CompiledQuery.raw(sql))).rows;
    const problem = sessionProblem(rows[0] as SessionRow | undefined);
    if (problem) throw new Error(`refusing a database connection: ${problem}`);
  };
}

/** What the database itself decides: the handle's column facts and the internals it is read from. */
type Inspected = Pick<UpsyncOrm, 'columnLimits' | 'schemaReport'> &
  Omit<OrmInternals, 'orm' | 'entities' | 'sql' | 'hub' | 'parsers' | 'keyPlans' | 'lastSynced'>;

async function inspectMySql(orm: MikroORM, missingColumns: MissingColumns): Promise<Inspected> {
  const conn = orm.em.getConnection();
  const rows: InformationSchemaRow[] = await conn.execute(
    'SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_MAXIMUM_LENGTH, CHARACTER_SET_NAME, IS_NULLABLE ' +
      `FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${marks(ISPYB_TABLES.length)})`,
    [...ISPYB_TABLES],
  );
  const [info]: { version: string; lockTable: number; historyTable: number }[] = await conn.execute(
    'SELECT VERSION() AS version, ' +
      "(SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'upsync_lock') AS lockTable, " +
      "(SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'upsync_sync_run') AS historyTable",
  );
  // empty on MySQL and on MariaDB built without wsrep: no Galera
  const wsrep: { Value: string }[] = await conn.execute("SHOW VARIABLES LIKE 'wsrep_on'");
  const live = readLiveColumns(rows, missingColumns);
  const galera = /^on$/i.test(wsrep[0]?.Value ?? '');
  // the cluster's own view-change time-outs bound a sync's retries there (db/retry-budget.ts)
  const provider: { Value: string }[] = galera
    ? await conn.execute("SHOW VARIABLES LIKE 'wsrep_provider_options'")
    : [];
  const mariadb = /mariadb/i.test(info?.version ?? '');
  const [major = 0, minor = 0] = (info?.version ?? '').split('.').map(Number);
  // MariaDB has INSERT … RETURNING since 10.5; MySQL has none (rows are then inserted one by one)
  if (orm.driver instanceof ReturningMySqlDriver)
    orm.driver.returning = mariadb && (major > 10 || (major === 10 && minor >= 5));
  return {
    columnLimits: live.limits,
    schemaReport: live.report,
    columns: live.columns,
    lockTable: Number(info?.lockTable ?? 0) > 0,
    historyTable: Number(info?.historyTable ?? 0) > 0,
    galera,
    // MariaDB has anonymous blocks (BEGIN NOT ATOMIC) since 10.1
    attemptGuard: !galera ? 'off' : mariadb ? 'block' : 'statements',
    retryPolicy: galera ? galeraPolicy(provider[0]?.Value) : SINGLE_SERVER_POLICY,
  };
}

/** The embedded database holds exactly the mapped columns: its tables are generated from the entities. */
function embeddedInternals(): Inspected {
  return {
    columnLimits: {},
    schemaReport: { missingTables: [], missingColumns: [], lines: [] },
    columns: mappedLiveColumns(),
    lockTable: false,
    galera: false,
    attemptGuard: 'off',
    retryPolicy: SINGLE_SERVER_POLICY,
    historyTable: true,
  };
}

/** Closes the database connections of a handle. */
export async function closeOrm(handle: UpsyncOrm): Promise<void> {
  const { orm } = internalsOf(handle);
  await orm.close(true);
  // MikroORM 7 reconnects a closed connection on its next statement; a closed handle stays closed
  // (a sync or a history row after shutdown must fail, not open a new pool)
  Object.assign(orm.em.getConnection(), {
    connect: async () => {
      throw new Error('the database handle is closed (closeOrm)');
    },
  });
}
