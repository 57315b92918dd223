import diagnostics from 'node:diagnostics_channel';

/** Counts per statement kind, plus the time spent waiting on the database. */
export interface StatementCounts {
  /** Statements (a multi-statement round trip counts each of its statements). */
  total: number;
  /** Round trips: queries sent, each answered before the next. */
  roundTrips: number;
  select: number;
  insert: number;
  update: number;
  delete: number;
  /** BEGIN/COMMIT/ROLLBACK/SET/… */
  other: number;
  /** Statements on upsync's own service tables (`upsync_lock`, `upsync_sync_run`, …): not ISPyB data, counted apart. */
  service: number;
  /** INSERT + UPDATE + DELETE + REPLACE on ISPyB tables (service-table statements excluded). */
  writes: number;
  /** Sum of each statement's time from send to result (ms): round trips plus server time. */
  dbMs: number;
}

const KINDS = ['select', 'insert', 'update', 'delete'] as const;

function emptyCounts(): StatementCounts {
  return {
    total: 0,
    roundTrips: 0,
    select: 0,
    insert: 0,
    update: 0,
    delete: 0,
    other: 0,
    service: 0,
    writes: 0,
    dbMs: 0,
  };
}

interface TraceContext {
  query?: string;
  database?: string;
}

/**
 * Counts the statements mysql2 sends, in this process, through its `mysql2:query` / `mysql2:execute`
 * tracing channels (mysql2 ≥ 3.16). Only statements on `database` are counted, so other suites on the
 * same MariaDB server do not disturb the numbers (unlike the server's global Com_* counters).
 * Works for the in-process sync and for an in-process HTTP server alike.
 */
export class StatementCounter {
  private counts = emptyCounts();
  private readonly started = new WeakMap<object, bigint>();
  private readonly log: { sql: string; at: number; ms: number }[] = [];
  private readonly entries = new WeakMap<object, { sql: string; at: number; ms: number }>();
  private since = process.hrtime.bigint();
  private keepLog = false;
  private readonly handlers = {
    start: (ctx: unknown) => this.onStart(ctx as TraceContext),
    end: () => {},
    asyncStart: (ctx: unknown) => this.onDone(ctx as TraceContext),
    asyncEnd: () => {},
    error: () => {},
  };

  constructor(private readonly database: string) {
    for (const name of ['mysql2:query', 'mysql2:execute'])
      diagnostics.tracingChannel(name).subscribe(this.handlers);
  }

  private onStart(ctx: TraceContext): void {
    if (ctx.database !== this.database || typeof ctx.query !== 'string') return;
    this.started.set(ctx, process.hrtime.bigint());
    const sql = ctx.query.trimStart();
    this.counts.roundTrips += 1;
    // upsync sends a batch as one multi-statement query joined by ";\n" (mysql2 escapes newlines
    // inside values, so the separator cannot occur within one statement)
    for (const statement of sql.split(';\n')) this.count(statement.trimStart());
    if (this.keepLog) {
      const at = Number(process.hrtime.bigint() - this.since) / 1e6;
      const text = sql.replaceAll(';\n', ' ; ');
      const entry = { sql: text.length > 160 ? `${text.slice(0, 160)}…` : text, at, ms: Number.NaN };
      this.log.push(entry);
      this.entries.set(ctx, entry);
    }
  }

  private count(sql: string): void {
    const verb = (/^[a-z]+/i.exec(sql)?.[0] ?? '').toLowerCase();
    const c = this.counts;
    c.total += 1;
    if (/\b(?:into|update|from|join)\s+`?upsync_[a-z_]+/i.test(sql)) c.service += 1;
    else {
      const kind = KINDS.find((k) => k === verb);
      if (kind) c[kind] += 1;
      else if (verb === 'replace') c.insert += 1;
      else c.other += 1;
      if (verb === 'insert' || verb === 'update' || verb === 'delete' || verb === 'replace') c.writes += 1;
    }
  }

  private onDone(ctx: TraceContext): void {
    const t = this.started.get(ctx);
    if (t === undefined) return;
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    this.counts.dbMs += ms;
    const entry = this.entries.get(ctx);
    if (entry) entry.ms = ms;
  }

  /** Starts a new measurement window; with `log`, the statements' text is kept too. */
  reset(log = false): void {
    this.counts = emptyCounts();
    this.log.length = 0;
    this.keepLog = log;
    this.since = process.hrtime.bigint();
  }

  /** Counts since the last reset. */
  snapshot(): StatementCounts {
    return { ...this.counts };
  }

  /**
   * Statements since the last reset(true): when each was sent (ms after the reset), how long it took
   * (send → result), the gap before it (time spent in Node since the previous result), and its text.
   */
  statements(): string[] {
    let prevEnd = 0;
    return this.log.map((e) => {
      const gap = e.at - prevEnd;
      prevEnd = e.at + e.ms;
      const f = (n: number) => n.toFixed(2).padStart(6);
      return `at ${f(e.at)}  took ${f(e.ms)}  gap ${f(gap)}  ${e.sql.replace(/\s+/g, ' ')}`;
    });
  }

  /** Stops listening. */
  close(): void {
    for (const name of ['mysql2:query', 'mysql2:execute'])
      diagnostics.tracingChannel(name).unsubscribe(this.handlers);
  }
}
