import path from 'node:path';
import { DEFAULT_PAYLOAD_LIMITS } from '@upsync/schema';
import { DEFAULT_LOCK_WAIT_TIMEOUT_SECONDS, mikroOrmVariables } from '@upsync/sync-core';
import * as z from 'zod';
import { isScope, type Scope } from './auth/scopes.js';

/** Thrown when the environment is invalid; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Parses `5mb`, `512kb`, `1048576` into bytes. */
export function parseByteSize(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value);
  if (!match) return undefined;
  const bytes = Math.floor(Number(match[1]) * (UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1));
  return bytes > 0 ? bytes : undefined;
}

const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['true', '1', 'yes', 'on'].includes(v)));

/** A whole number ≥ 1 with a default. */
const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v))
    .pipe(
      z.coerce
        .number<string | undefined>()
        .int()
        .min(1)
        .optional()
        .transform((v) => v ?? fallback),
    );

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

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const tokenName = /^[A-Za-z0-9_.@-]{1,64}$/;

/**
 * `name:secret[:scope+scope],…` → tokens; secrets are at least 16 characters. A last `:` segment
 * made only of scope names is the scope list (without one: `sync` only, see auth/scopes.ts).
 */
const ZTokenPairs = optionalString.transform((value, ctx) => {
  if (value === undefined) return [];
  const pairs: { name: string; secret: string; scopes?: Scope[] }[] = [];
  for (const [i, entry] of value.split(',').entries()) {
    const item = entry.trim();
    const colon = item.indexOf(':');
    const name = colon > 0 ? item.slice(0, colon) : '';
    let secret = colon > 0 ? item.slice(colon + 1) : '';
    let scopes: Scope[] | undefined;
    const last = secret.lastIndexOf(':');
    const listed = last >= 0 ? secret.slice(last + 1).split('+') : [];
    if (listed.length > 0 && listed.every(isScope)) {
      scopes = [...new Set(listed)];
      secret = secret.slice(0, last);
    }
    if (!tokenName.test(name) || secret.length < 16) {
      // Never echo the entry: it holds a secret.
      ctx.addIssue({
        code: 'custom',
        message: `entry ${i + 1} must be name:secret[:scope+scope] with a name of [A-Za-z0-9_.@-], a secret of at least 16 characters and scopes among sync, read, reconcile`,
      });
      return z.NEVER;
    }
    pairs.push({ name, secret, ...(scopes && { scopes }) });
  }
  return pairs;
});

const seconds = (fallback: number, min = 0) =>
  optionalString.pipe(
    z.coerce
      .number<string | undefined>()
      .int()
      .min(min)
      .optional()
      .transform((v) => v ?? fallback),
  );

const ZTimeZone = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? 'UTC' : v))
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an IANA time zone such as UTC or Europe/Berlin' },
  );

const ZDatabaseUrl = optionalString.refine(
  (v) => v === undefined || /^(mysql|mariadb):\/\/.+/.test(v) || /^sqlite:.+/.test(v),
  { message: 'must be mysql://user:password@host:port/database or sqlite:<file>' },
);

/** `https://portal.example.org,http://localhost:5173` → exact origins (scheme://host[:port]); never `*`. */
const ZCorsOrigins = optionalString.transform((value, ctx) => {
  if (value === undefined) return [];
  const origins: string[] = [];
  for (const [i, entry] of value.split(',').entries()) {
    const item = entry.trim();
    let origin: string | undefined;
    try {
      origin = new URL(item).origin;
    } catch {
      origin = undefined;
    }
    if (origin === undefined || origin === 'null' || origin !== item) {
      ctx.addIssue({
        code: 'custom',
        message: `entry ${i + 1} (${JSON.stringify(item)}) must be an exact origin such as https://portal.example.org (scheme, host and port only; no * and no path)`,
      });
      return z.NEVER;
    }
    origins.push(origin);
  }
  return origins;
});

const ZEnv = z.object({
  DATABASE_URL: ZDatabaseUrl,
  UPSYNC_DATA_DIR: optionalString,
  HOST: optionalString.transform((v) => v ?? '127.0.0.1'),
  PORT: optionalString.pipe(
    z.coerce
      .number<string | undefined>()
      .int()
      .min(0)
      .max(65535)
      .optional()
      .transform((v) => v ?? 8000),
  ),
  UPSYNC_API_TOKENS: ZTokenPairs,
  UPSYNC_API_TOKENS_FILE: optionalString,
  // an HMAC key shorter than the hash is guessable offline from one captured token
  UPSYNC_JWT_SECRET: optionalString.refine((v) => v === undefined || Buffer.byteLength(v, 'utf8') >= 32, {
    message: 'must be at least 32 bytes (an HMAC key shorter than that can be guessed from one token)',
  }),
  // py-ISPyB's TOKEN_EXP_TIME default (300 minutes)
  UPSYNC_JWT_MAX_AGE: seconds(18_000, 1),
  UPSYNC_JWT_CLOCK_TOLERANCE: seconds(30),
  UPSYNC_JWT_ISSUER: optionalString,
  UPSYNC_JWT_AUDIENCE: optionalString,
  UPSYNC_JWT_ALGORITHM: optionalString.pipe(
    z
      .enum(JWT_ALGORITHMS)
      .optional()
      .transform((v) => v ?? 'HS256'),
  ),
  UPSYNC_TIMEZONE: ZTimeZone,
  UPSYNC_UNKNOWN_KEYS: optionalString.pipe(
    z
      .enum(['reject', 'strip'])
      .optional()
      .transform((v) => v ?? 'reject'),
  ),
  UPSYNC_LABCONTACTS_FROM_PERSONS: booleanFlag(false),
  UPSYNC_MISSING_COLUMNS: optionalString.pipe(
    z
      .enum(['refuse', 'skip'])
      .optional()
      .transform((v) => v ?? 'refuse'),
  ),
  UPSYNC_BODY_LIMIT: optionalString.transform((v, ctx) => {
    const bytes = parseByteSize(v ?? '5mb');
    if (bytes === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be a size such as 5mb, 512kb or 1048576' });
      return z.NEVER;
    }
    return bytes;
  }),
  // bounded work per request (docs/security.md): list lengths, issues listed, batch sizes
  UPSYNC_MAX_LIST_ITEMS: positiveInt(DEFAULT_PAYLOAD_LIMITS.maxItems),
  UPSYNC_MAX_VALIDATION_ISSUES: positiveInt(DEFAULT_PAYLOAD_LIMITS.maxIssues),
  UPSYNC_MAX_BATCH_ITEMS: positiveInt(DEFAULT_MAX_BATCH_ITEMS),
  UPSYNC_MAX_TRPC_BATCH: positiveInt(DEFAULT_MAX_TRPC_BATCH),
  // /metrics and /ready answer anyone only on request: they tell what runs and what is missing
  UPSYNC_METRICS_PUBLIC: booleanFlag(false),
  UPSYNC_READY_PUBLIC: booleanFlag(false),
  UPSYNC_TRUST_PROXY: booleanFlag(false),
  // browsers on these origins may call the API (portal pages on another host); none by default
  UPSYNC_CORS_ORIGINS: ZCorsOrigins,
  // the built console (default: the dist/ of the @upsync/console package)
  UPSYNC_CONSOLE_DIR: optionalString,
  // HTTP server limits (milliseconds); keep-alive above a proxy's idle timeout (nginx, ALB: 60 s)
  UPSYNC_HEADERS_TIMEOUT_MS: seconds(20_000, 1),
  UPSYNC_REQUEST_TIMEOUT_MS: seconds(120_000, 1),
  UPSYNC_KEEP_ALIVE_TIMEOUT_MS: seconds(75_000, 1),
  UPSYNC_MAX_CONNECTIONS: seconds(1_000, 1),
  // a request's work stops starting new syncs after this (a batch answers the rest as not attempted)
  UPSYNC_REQUEST_DEADLINE_MS: seconds(120_000, 1),
  // requests per window: per principal, and per client address for unauthenticated ones (0: off)
  UPSYNC_RATE_LIMIT: seconds(30_000),
  UPSYNC_RATE_LIMIT_ANONYMOUS: seconds(600),
  UPSYNC_RATE_LIMIT_WINDOW_MS: seconds(60_000, 1),
  // the counters in Redis, shared by every replica (unset: per process); keys under the prefix
  UPSYNC_RATE_LIMIT_REDIS_URL: optionalString.refine((v) => v === undefined || /^rediss?:\/\/.+/.test(v), {
    message: 'must be redis://[user:password@]host:6379[/db] (or rediss://)',
  }),
  UPSYNC_RATE_LIMIT_PREFIX: optionalString.transform((v) => v ?? 'upsync:rl:'),
  // syncs (authenticated POSTs to the API) running at once per process; beyond, a short wait, then 503 + Retry-After
  UPSYNC_MAX_SYNCS_IN_FLIGHT: positiveInt(DEFAULT_MAX_SYNCS_IN_FLIGHT),
  UPSYNC_SYNC_QUEUE_WAIT_MS: seconds(1_000),
  // after SIGTERM: /ready answers 503 this long (a load balancer stops sending) before the server closes
  UPSYNC_SHUTDOWN_DRAIN_MS: seconds(5_000),
  UPSYNC_SHUTDOWN_TIMEOUT_MS: optionalString.pipe(
    z.coerce
      .number<string | undefined>()
      .int()
      .min(0)
      .optional()
      .transform((v) => v ?? 30_000),
  ),
  // per attempt of a sync (5 attempts); MariaDB's own default of 50 s would hang requests for minutes
  UPSYNC_LOCK_WAIT_TIMEOUT: optionalString.pipe(
    z.coerce
      .number<string | undefined>()
      .int()
      .min(1)
      .max(3600)
      .optional()
      .transform((v) => v ?? DEFAULT_LOCK_WAIT_TIMEOUT_SECONDS),
  ),
  LOG_LEVEL: optionalString.pipe(
    z
      .enum(LOG_LEVELS)
      .optional()
      .transform((v) => v ?? 'info'),
  ),
  // the sync history (upsync_sync_run): payloads hold personal data, so they are kept only on request
  UPSYNC_HISTORY_PAYLOADS: booleanFlag(false),
  UPSYNC_HISTORY_RETENTION_DAYS: optionalString.pipe(
    z.coerce
      .number<string | undefined>()
      .int()
      .min(0)
      .optional()
      .transform((v) => v ?? 90),
  ),
  INIT_CWD: optionalString,
  // `consume` only (the RabbitMQ consumer); no default URL: it refuses to start without one
  UPSYNC_AMQP_URL: optionalString.refine((v) => v === undefined || /^amqps?:\/\/.+/.test(v), {
    message: 'must be amqp://user:password@host:5672/vhost (or amqps://)',
  }),
  UPSYNC_AMQP_QUEUE: optionalString.transform((v) => v ?? 'upsync.proposals'),
  UPSYNC_AMQP_DEAD_LETTER_QUEUE: optionalString.transform((v) => v ?? 'upsync.proposals.dead'),
  UPSYNC_AMQP_PREFETCH: optionalString.pipe(
    z.coerce
      .number<string | undefined>()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .transform((v) => v ?? 1),
  ),
  UPSYNC_AMQP_MAX_ATTEMPTS: optionalString.pipe(
    z.coerce
      .number<string | undefined>()
      .int()
      .min(1)
      .optional()
      .transform((v) => v ?? 5),
  ),
  // on by default: a proposal's messages must apply in publish order even with several consumers
  UPSYNC_AMQP_SINGLE_ACTIVE_CONSUMER: booleanFlag(true),
  // deletes are a privilege: the x-upsync-reconcile header is honoured only when this is set
  UPSYNC_AMQP_RECONCILE: booleanFlag(false),
  // `consume` only: where it answers /health, /ready and /metrics (off unless set; 0 = any free port)
  UPSYNC_AMQP_MONITOR_PORT: optionalString.pipe(
    z.coerce.number<string | undefined>().int().min(0).max(65535).optional(),
  ),
});

export interface ServerConfig {
  /** `mysql://…` for ISPyB on MariaDB/MySQL, or `sqlite:<file>` for the embedded database. */
  databaseUrl: string;
  /** True when DATABASE_URL was not set: the embedded SQLite database under dataDir. */
  embeddedDatabase: boolean;
  /** Where the embedded database and the development token live. */
  dataDir: string;
  host: string;
  port: number;
  apiTokens: { name: string; secret: string; scopes?: Scope[] }[];
  apiTokensFile: string | undefined;
  jwt: JwtConfig | undefined;
  timeZone: string;
  unknownKeys: 'reject' | 'strip';
  labContactsFromPersons: boolean;
  /**
   * A payload field whose column this ISPyB database lacks (other flavours, e.g. Diamond's):
   * `refuse` the payload (422 naming each path) or `skip` the field with a MISSING_COLUMN warning.
   */
  missingColumns: 'refuse' | 'skip';
  /** Sync history: store payloads (UPSYNC_HISTORY_PAYLOADS), keep rows N days (0 = forever). */
  history: { storePayloads: boolean; retentionDays: number };
  bodyLimitBytes: number;
  /** Bounded work per request; each is reported as a 413/422 that names it. */
  payloadLimits: PayloadLimitsConfig;
  metricsPublic: boolean;
  /** /ready without a token (UPSYNC_READY_PUBLIC); /health is always public. */
  readyPublic: boolean;
  trustProxy: boolean;
  /** Origins whose pages may call the API from a browser (UPSYNC_CORS_ORIGINS); empty: no CORS headers. */
  corsOrigins: string[];
  /** Directory of the built console served at /console/ (UPSYNC_CONSOLE_DIR; default: @upsync/console's dist/). */
  consoleDir: string | undefined;
  http: HttpLimits;
  rateLimit: RateLimitConfig;
  /** Syncs in flight per process, and how long one beyond waits for a slot before its 503. */
  admission: AdmissionConfig;
  shutdownTimeoutMs: number;
  /** After SIGTERM, /ready answers 503 for this long before the server stops accepting (UPSYNC_SHUTDOWN_DRAIN_MS). */
  shutdownDrainMs: number;
  /** Seconds one sync attempt waits for a row lock on MariaDB/MySQL (UPSYNC_LOCK_WAIT_TIMEOUT). */
  lockWaitTimeoutSeconds: number;
  logLevel: (typeof LOG_LEVELS)[number];
  /** The RabbitMQ consumer (`upsync-server consume`). */
  amqp: AmqpConfig;
}

export interface JwtConfig {
  secret: string;
  algorithm: (typeof JWT_ALGORITHMS)[number];
  maxAgeSeconds: number;
  clockToleranceSeconds: number;
  issuer: string | undefined;
  audience: string | undefined;
}

/** Node's HTTP server limits, and the per-request deadline. */
export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  requestDeadlineMs: number;
}

/** Requests per window per principal, and per address before authentication (0: no limit). */
export interface RateLimitConfig {
  perPrincipal: number;
  anonymous: number;
  windowMs: number;
  /** Counters in this Redis, shared by the replicas (UPSYNC_RATE_LIMIT_REDIS_URL); undefined: per process. */
  redisUrl?: string;
  /** Key prefix in Redis (UPSYNC_RATE_LIMIT_PREFIX): several deployments may share one Redis. */
  prefix?: string;
}

/** The bound on syncs in flight per process (UPSYNC_MAX_SYNCS_IN_FLIGHT, UPSYNC_SYNC_QUEUE_WAIT_MS). */
export interface AdmissionConfig {
  maxInFlight: number;
  /** How long a sync beyond the bound waits for a slot (at most maxInFlight wait); 0: answered 503 at once. */
  queueWaitMs: number;
}

export interface PayloadLimitsConfig {
  /** Most entries in any one list of a payload (UPSYNC_MAX_LIST_ITEMS). */
  maxItems: number;
  /** Most validation issues listed in a 422; the rest are counted (UPSYNC_MAX_VALIDATION_ISSUES). */
  maxIssues: number;
  /** Most proposals in one batch request (UPSYNC_MAX_BATCH_ITEMS). */
  maxBatchItems: number;
  /** Most calls in one tRPC HTTP batch (UPSYNC_MAX_TRPC_BATCH). */
  maxTrpcBatch: number;
}

export interface AmqpConfig {
  /** Undefined when UPSYNC_AMQP_URL is not set: `consume` refuses to start. */
  url: string | undefined;
  queue: string;
  deadLetterQueue: string;
  prefetch: number;
  /** Attempts for unexpected (INTERNAL) failures before dead-lettering; transient ones retry until they pass. */
  maxAttempts: number;
  /** Declare the queue with `x-single-active-consumer`: strict FIFO, other consumers stand by. */
  singleActiveConsumer: boolean;
  /** Honour the `x-upsync-reconcile` header (UPSYNC_AMQP_RECONCILE); otherwise it is ignored with a warning. */
  reconcile: boolean;
  /** Port of the consumer's /health, /ready and /metrics on HOST; undefined: none. */
  monitorPort: number | undefined;
}

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
  // npm sets INIT_CWD to where the user typed `npm start` (the repository root), while the
  // server's own script runs in apps/server: keep data/ where the user expects it.
  const dataDir = path.resolve(e.UPSYNC_DATA_DIR ?? path.join(e.INIT_CWD ?? cwd, 'data'));
  return {
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'upsync.sqlite')}`,
    embeddedDatabase: e.DATABASE_URL === undefined,
    dataDir,
    host: e.HOST,
    port: e.PORT,
    apiTokens: e.UPSYNC_API_TOKENS,
    apiTokensFile: e.UPSYNC_API_TOKENS_FILE,
    jwt: e.UPSYNC_JWT_SECRET
      ? {
          secret: e.UPSYNC_JWT_SECRET,
          algorithm: e.UPSYNC_JWT_ALGORITHM,
          maxAgeSeconds: e.UPSYNC_JWT_MAX_AGE,
          clockToleranceSeconds: e.UPSYNC_JWT_CLOCK_TOLERANCE,
          issuer: e.UPSYNC_JWT_ISSUER,
          audience: e.UPSYNC_JWT_AUDIENCE,
        }
      : undefined,
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
