/**
 * The bench's view of sync-core and the server: the few calls it needs, behind one seam.
 * The modules are imported at run time so that the bench typechecks while the other packages
 * are still being written; the interfaces below restate docs/architecture.md.
 */
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of syncProposal (docs/architecture.md). */
export interface SyncOptions {
  dryRun?: boolean;
  reconcile?: boolean;
}

/** The parts of ZSyncResult the bench reads. */
export interface SyncResultLike {
  message: string;
  proposal: { proposalId: number | null };
  summary: Record<string, { created: number; updated: number; unchanged: number; deleted: number }>;
}

interface SyncCoreModule {
  createOrm(options: { databaseUrl: string }): Promise<unknown>;
  syncProposal(orm: unknown, payload: unknown, options?: SyncOptions): Promise<SyncResultLike>;
  migrateIndexes(orm: unknown): Promise<unknown>;
  setupServiceTables?(orm: unknown): Promise<unknown>;
  closeOrm(orm: unknown): Promise<void>;
}

const SYNC_CORE = '@upsync/sync-core';
const SERVER = '@upsync/server';

async function syncCore(): Promise<SyncCoreModule> {
  return (await import(SYNC_CORE)) as SyncCoreModule;
}

/** One database opened through sync-core: sync, migrate indexes, close. */
export class Upsync {
  private constructor(
    private readonly core: SyncCoreModule,
    readonly orm: unknown,
    readonly databaseUrl: string,
  ) {}

  /** Opens `databaseUrl` with createOrm. */
  static async open(databaseUrl: string): Promise<Upsync> {
    const core = await syncCore();
    return new Upsync(core, await core.createOrm({ databaseUrl }), databaseUrl);
  }

  sync(payload: unknown, options?: SyncOptions): Promise<SyncResultLike> {
    return this.core.syncProposal(this.orm, payload, options);
  }

  async migrateIndexes(): Promise<void> {
    await this.core.migrateIndexes(this.orm);
  }

  close(): Promise<void> {
    return this.core.closeOrm(this.orm);
  }
}

/** A running in-process server: its base URL and how to stop it. */
export interface RunningServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

/** The bench's service token (name `bench`). */
export const BENCH_TOKEN = 'bench-token-0123456789abcdef';

/**
 * Starts the real Express app (createApp from @upsync/server) on 127.0.0.1, port 0, over `upsync`'s
 * ORM handle, with one service token. `env` adds server configuration variables.
 */
export async function startServer(upsync: Upsync, env: Record<string, string> = {}): Promise<RunningServer> {
  const server = (await import(SERVER)) as {
    createApp(deps: unknown): { listen(port: number, host: string, cb: () => void): Server };
    loadConfig(env: NodeJS.ProcessEnv): { apiTokens: { name: string; secret: string }[] };
    createLogger?(options: { level: string }): unknown;
    tokensFromPairs?(pairs: readonly { name: string; secret: string }[]): unknown[];
  };
  const config = server.loadConfig({
    DATABASE_URL: upsync.databaseUrl,
    UPSYNC_API_TOKENS: `bench:${BENCH_TOKEN}:sync+read+reconcile`,
    LOG_LEVEL: 'silent',
    PORT: '0',
    ...env,
  });
  // Until the server exports them (REQUESTS.md): what serve() builds, restated.
  const tokens = server.tokensFromPairs
    ? server.tokensFromPairs(config.apiTokens)
    : config.apiTokens.map(({ name, secret }) => ({
        name,
        sha256: createHash('sha256').update(secret, 'utf8').digest(),
        scopes: ['sync', 'read', 'reconcile'],
      }));
  const logger = server.createLogger
    ? server.createLogger({ level: env.LOG_LEVEL ?? 'silent' })
    : silentLogger();
  const app = server.createApp({ orm: upsync.orm, config, logger, tokens });
  const http = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token: BENCH_TOKEN,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/** The REST route of py-ISPyB that the server keeps. */
export const SYNC_PATH = '/ispyb/api/v1/webservices/userportalsync/sync_proposal';

/** A pino-shaped logger that drops everything. */
function silentLogger(): unknown {
  const noop = () => {};
  const logger: Record<string, unknown> = { level: 'silent' };
  for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace']) logger[level] = noop;
  logger.child = () => logger;
  logger.isLevelEnabled = () => false;
  return logger;
}
