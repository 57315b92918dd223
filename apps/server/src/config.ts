import path from 'node:path';
import { DEFAULT_PAYLOAD_LIMITS } from '@upsync/schema';
import { DEFAULT_LOCK_WAIT_TIMEOUT_SECONDS, mikroOrmVariables } from '@upsync/sync-core';
import * as z from 'zod';
import {
  byteSize,
  corsOrigins,
  flag,
  integer,
  matching,
  oneOf,
  optionalInteger,
  optionalString,
  text,
  timeZone,
  tokenPairs,
} from './config/env-values.js';

export { parseByteSize } from './config/env-values.js';

/** Thrown when the environment is invalid; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;

/** Proposals in one batch request (REST sync_proposals, tRPC syncProposals): ~6 ms each. */
export const DEFAULT_MAX_BATCH_ITEMS = 100;
/** Calls in one tRPC HTTP batch (the SDK does not batch: one call per request). */
export const DEFAULT_MAX_TRPC_BATCH = 10;
/**
 * Syncs running at once per process: the database pool has 10 connections, and a few more keep
 * it busy while the next requests are read and validated; more would only queue inside the
 * process (memory, latency) instead of being answered 503 for a client to retry elsewhere or later.
 */
export const DEFAULT_MAX_SYNCS_IN_FLIGHT = 16;

/** Every setting, once: its variable, validation and default (docs/configuration.md explains each). */
const ZEnv = z.object({
  /** `mysql://…` for ISPyB on MariaDB/MySQL, or `sqlite:<file>`; unset: the embedded database. */
  DATABASE_URL: matching(
    /^(mysql|mariadb):\/\/.+|^sqlite:.+/,
    'must be mysql://user:password@host:port/database or sqlite:<file>',
  ),
  /** Where the embedded database and the development token live (default: ./data). */
  UPSYNC_DATA_DIR: optionalString,
  HOST: text('127.0.0.1'),
  PORT: integer(8000, { max: 65535 }),
  UPSYNC_API_TOKENS: tokenPairs,
  UPSYNC_API_TOKENS_FILE: optionalString,
  // an HMAC key shorter than the hash is guessable offline from one captured token
  UPSYNC_JWT_SECRET: optionalString.refine((v) => v === undefined || Buffer.byteLength(v, 'utf8') >= 32, {
    message: 'must be at least 32 bytes (an HMAC key shorter than that can be guessed from one token)',
  }),
  // py-ISPyB's TOKEN_EXP_TIME default (300 minutes)
  UPSYNC_JWT_MAX_AGE: integer(18_000, { min: 1 }),
  UPSYNC_JWT_CLOCK_TOLERANCE: integer(30),
  UPSYNC_JWT_ISSUER: optionalString,
  UPSYNC_JWT_AUDIENCE: optionalString,
  UPSYNC_JWT_ALGORITHM: oneOf(JWT_ALGORITHMS, 'HS256'),
  /** Facility time zone for datetimes without offset and for `now`. */
  UPSYNC_TIMEZONE: timeZone,
  UPSYNC_UNKNOWN_KEYS: oneOf(['reject', 'strip'], 'reject'),
  UPSYNC_LABCONTACTS_FROM_PERSONS: flag(false),
  /**
   * A payload field whose column this ISPyB database lacks (other flavours, e.g. Diamond's):
   * `refuse` the payload (422 naming each path) or `skip` the field with a MISSING_COLUMN warning.
   */
  UPSYNC_MISSING_COLUMNS: oneOf(['refuse', 'skip'], 'refuse'),
  UPSYNC_BODY_LIMIT: byteSize('5mb'),
  // bounded work per request (docs/security.md), each reported as a 413/422 that names it:
  /** Most entries in any one list of a payload. */
  UPSYNC_MAX_LIST_ITEMS: integer(DEFAULT_PAYLOAD_LIMITS.maxItems, { min: 1 }),
  /** Most validation issues listed in a 422; the rest are counted. */
  UPSYNC_MAX_VALIDATION_ISSUES: integer(DEFAULT_PAYLOAD_LIMITS.maxIssues, { min: 1 }),
  /** Most proposals in one batch request. */
  UPSYNC_MAX_BATCH_ITEMS: integer(DEFAULT_MAX_BATCH_ITEMS, { min: 1 }),
  /** Most calls in one tRPC HTTP batch. */
  UPSYNC_MAX_TRPC_BATCH: integer(DEFAULT_MAX_TRPC_BATCH, { min: 1 }),
  // /metrics and /ready answer anyone only on request: they tell what runs and what is missing
  UPSYNC_METRICS_PUBLIC: flag(false),
  /** /ready without a token; /health is always public. */
  UPSYNC_READY_PUBLIC: flag(false),
  UPSYNC_TRUST_PROXY: flag(false),
  // browsers on these origins may call the API (portal pages on another host); none by default
  UPSYNC_CORS_ORIGINS: corsOrigins,
  /** The built console served at /console/ (default: the dist/ of the @upsync/console package). */
  UPSYNC_CONSOLE_DIR: optionalString,
  // HTTP server limits (milliseconds); keep-alive above a proxy's idle timeout (nginx, ALB: 60 s)
  UPSYNC_HEADERS_TIMEOUT_MS: integer(20_000, { min: 1 }),
  UPSYNC_REQUEST_TIMEOUT_MS: integer(120_000, { min: 1 }),
  UPSYNC_KEEP_ALIVE_TIMEOUT_MS: integer(75_000, { min: 1 }),
  UPSYNC_MAX_CONNECTIONS: integer(1_000, { min: 1 }),
  // a request's work stops starting new syncs after this (a batch answers the rest as not attempted)
  UPSYNC_REQUEST_DEADLINE_MS: integer(120_000, { min: 1 }),
  // requests per window: per principal, and per client address for unauthenticated ones (0: off)
  UPSYNC_RATE_LIMIT: integer(30_000),
  UPSYNC_RATE_LIMIT_ANONYMOUS: integer(600),
  UPSYNC_RATE_LIMIT_WINDOW_MS: integer(60_000, { min: 1 }),
  /** The counters in this Redis, shared by every replica; unset: per process. */
  UPSYNC_RATE_LIMIT_REDIS_URL: matching(
    /^rediss?:\/\/.+/,
    'must be redis://[user:password@]host:6379[/db] (or rediss://)',
  ),
  /** Key prefix in Redis: several deployments may share one Redis. */
  UPSYNC_RATE_LIMIT_PREFIX: text('upsync:rl:'),
  // syncs (authenticated POSTs to the API) running at once per process; beyond, a short wait, then 503 + Retry-After
  UPSYNC_MAX_SYNCS_IN_FLIGHT: integer(DEFAULT_MAX_SYNCS_IN_FLIGHT, { min: 1 }),
  /** How long a sync beyond the bound waits for a slot (at most maxInFlight wait); 0: answered 503 at once. */
  UPSYNC_SYNC_QUEUE_WAIT_MS: integer(1_000),
  // after SIGTERM: /ready answers 503 this long (a load balancer stops sending) before the server closes
  UPSYNC_SHUTDOWN_DRAIN_MS: integer(5_000),
  UPSYNC_SHUTDOWN_TIMEOUT_MS: integer(30_000),
  // per attempt of a sync (5 attempts); MariaDB's own default of 50 s would hang requests for minutes
  UPSYNC_LOCK_WAIT_TIMEOUT: integer(DEFAULT_LOCK_WAIT_TIMEOUT_SECONDS, { min: 1, max: 3600 }),
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
  // the sync history (upsync_sync_run): payloads hold personal data, so they are kept only on request
  UPSYNC_HISTORY_PAYLOADS: flag(false),
  /** Keep history rows this many days (0 = forever). */
  UPSYNC_HISTORY_RETENTION_DAYS: integer(90),
  INIT_CWD: optionalString,
  // `consume` only (the RabbitMQ consumer); no default URL: it refuses to start without one
  UPSYNC_AMQP_URL: matching(/^amqps?:\/\/.+/, 'must be amqp://user:password@host:5672/vhost (or amqps://)'),
  UPSYNC_AMQP_QUEUE: text('upsync.proposals'),
  UPSYNC_AMQP_DEAD_LETTER_QUEUE: text('upsync.proposals.dead'),
  UPSYNC_AMQP_PREFETCH: integer(1, { min: 1, max: 1000 }),
  /** Attempts for unexpected (INTERNAL) failures before dead-lettering; transient ones retry until they pass. */
  UPSYNC_AMQP_MAX_ATTEMPTS: integer(5, { min: 1 }),
  // on by default: a proposal's messages must apply in publish order even with several consumers
  // (the queue declared with x-single-active-consumer: strict FIFO, other consumers stand by)
  UPSYNC_AMQP_SINGLE_ACTIVE_CONSUMER: flag(true),
  // deletes are a privilege: the x-upsync-reconcile header is honoured only when this is set
  UPSYNC_AMQP_RECONCILE: flag(false),
  // `consume` only: where it answers /health, /ready and /metrics (off unless set; 0 = any free port)
  UPSYNC_AMQP_MONITOR_PORT: optionalInteger({ max: 65535 }),
});

type Env = z.output<typeof ZEnv>;

/** The settings grouped as the server uses them, with those derived from several variables. */
function serverConfig(e: Env, cwd: string) {
  // npm sets INIT_CWD to where the user typed `npm start` (the repository root), while the
  // server's own script runs in apps/server: keep data/ where the user expects it.
  const dataDir = path.resolve(e.UPSYNC_DATA_DIR ?? path.join(e.INIT_CWD ?? cwd, 'data'));
  return {
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'upsync.sqlite')}`,
    /** True when DATABASE_URL was not set: the embedded SQLite database under dataDir. */
    embeddedDatabase: e.DATABASE_URL === undefined,
    dataDir,
    host: e.HOST,
    port: e.PORT,
    apiTokens: e.UPSYNC_API_TOKENS,
    apiTokensFile: e.UPSYNC_API_TOKENS_FILE,
    jwt: e.UPSYNC_JWT_SECRET ? jwtConfig(e, e.UPSYNC_JWT_SECRET) : undefined,
    timeZone: e.UPSYNC_TIMEZONE,
    unknownKeys: e.UPSYNC_UNKNOWN_KEYS,
    labContactsFromPersons: e.UPSYNC_LABCONTACTS_FROM_PERSONS,
    missingColumns: e.UPSYNC_MISSING_COLUMNS,
    history: { storePayloads: e.UPSYNC_HISTORY_PAYLOADS, retentionDays: e.UPSYNC_HISTORY_RETENTION_DAYS },
    bodyLimitBytes: e.UPSYNC_BODY_LIMIT,
    payloadLimits: {
      maxItems: e.UPSYNC_MAX_LIST_ITEMS,
      maxIssues: e.UPSYNC_MAX_VALIDATION_ISSUES,
      maxBatchItems: e.UPSYNC_MAX_BATCH_ITEMS,
      maxTrpcBatch: e.UPSYNC_MAX_TRPC_BATCH,
    },
    metricsPublic: e.UPSYNC_METRICS_PUBLIC,
    readyPublic: e.UPSYNC_READY_PUBLIC,
    trustProxy: e.UPSYNC_TRUST_PROXY,
    corsOrigins: e.UPSYNC_CORS_ORIGINS,
    consoleDir: e.UPSYNC_CONSOLE_DIR,
    http: {
      headersTimeoutMs: e.UPSYNC_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.UPSYNC_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.UPSYNC_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.UPSYNC_MAX_CONNECTIONS,
      requestDeadlineMs: e.UPSYNC_REQUEST_DEADLINE_MS,
    },
    rateLimit: {
      perPrincipal: e.UPSYNC_RATE_LIMIT,
      anonymous: e.UPSYNC_RATE_LIMIT_ANONYMOUS,
      windowMs: e.UPSYNC_RATE_LIMIT_WINDOW_MS,
      ...(e.UPSYNC_RATE_LIMIT_REDIS_URL && { redisUrl: e.UPSYNC_RATE_LIMIT_REDIS_URL }),
      prefix: e.UPSYNC_RATE_LIMIT_PREFIX,
    },
    admission: { maxInFlight: e.UPSYNC_MAX_SYNCS_IN_FLIGHT, queueWaitMs: e.UPSYNC_SYNC_QUEUE_WAIT_MS },
    shutdownTimeoutMs: e.UPSYNC_SHUTDOWN_TIMEOUT_MS,
    shutdownDrainMs: e.UPSYNC_SHUTDOWN_DRAIN_MS,
    lockWaitTimeoutSeconds: e.UPSYNC_LOCK_WAIT_TIMEOUT,
    logLevel: e.LOG_LEVEL,
    /** The RabbitMQ consumer (`upsync-server consume`); `url` undefined: it refuses to start. */
    amqp: {
      url: e.UPSYNC_AMQP_URL,
      queue: e.UPSYNC_AMQP_QUEUE,
      deadLetterQueue: e.UPSYNC_AMQP_DEAD_LETTER_QUEUE,
      prefetch: e.UPSYNC_AMQP_PREFETCH,
      maxAttempts: e.UPSYNC_AMQP_MAX_ATTEMPTS,
      singleActiveConsumer: e.UPSYNC_AMQP_SINGLE_ACTIVE_CONSUMER,
      reconcile: e.UPSYNC_AMQP_RECONCILE,
      monitorPort: e.UPSYNC_AMQP_MONITOR_PORT,
    },
  };
}

function jwtConfig(e: Env, secret: string) {
  return {
    secret,
    algorithm: e.UPSYNC_JWT_ALGORITHM,
    maxAgeSeconds: e.UPSYNC_JWT_MAX_AGE,
    clockToleranceSeconds: e.UPSYNC_JWT_CLOCK_TOLERANCE,
    issuer: e.UPSYNC_JWT_ISSUER,
    audience: e.UPSYNC_JWT_AUDIENCE,
  };
}

export type ServerConfig = ReturnType<typeof serverConfig>;
export type JwtConfig = ReturnType<typeof jwtConfig>;
/** Node's HTTP server limits, and the per-request deadline. */
export type HttpLimits = ServerConfig['http'];
/** Requests per window per principal, and per address before authentication (0: no limit). */
export type RateLimitConfig = ServerConfig['rateLimit'];
/** The bound on syncs in flight per process. */
export type AdmissionConfig = ServerConfig['admission'];
export type PayloadLimitsConfig = ServerConfig['payloadLimits'];
export type AmqpConfig = ServerConfig['amqp'];

/** Reads and validates the environment (the only place that does); throws ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ServerConfig {
  // MikroORM would apply these over this configuration (MIKRO_ORM_CLIENT_URL redirects the database)
  const foreign = mikroOrmVariables(env);
  if (foreign.length > 0) {
    throw new ConfigError(
      `Invalid configuration: ${foreign.join(', ')}: upsync takes no MikroORM settings from the environment (the database is DATABASE_URL); unset ${foreign.length === 1 ? 'it' : 'them'}`,
    );
  }
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  if (e.UPSYNC_HEADERS_TIMEOUT_MS > e.UPSYNC_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      'Invalid configuration: UPSYNC_HEADERS_TIMEOUT_MS: must not exceed UPSYNC_REQUEST_TIMEOUT_MS (Node refuses it)',
    );
  }
  return serverConfig(e, cwd);
}
