/**
 * `npm run phases -- [--count n] [--database name] [--no-indexes]`: where a sync's time goes, step by step of
 * MikroORM's unit of work. Runs `count` new typical syncs, then their unchanged re-syncs, in
 * process, and prints per sync: wall time, this process's CPU, time waiting on MariaDB, and for
 * each step (fork, BEGIN, look-ups, em.map, em.create, flush and its parts, COMMIT) its calls,
 * wall time and the part of it spent waiting on statements. The steps are timed by wrapping
 * MikroORM's own methods in this process only: a measuring tool, not a benchmark (the wrapping
 * costs a little CPU of its own). `--database` reuses a database kept by `npm run bench -- --keep`
 * (e.g. upsync_bench_n100000i, N = 100,000 with the indexes); the default is a fresh empty one
 * with the optional look-up indexes (`--no-indexes`: without).
 */
import { EntityManager, UnitOfWork } from '@mikro-orm/core';
import { AbstractSqlDriver, SqlEntityManager } from '@mikro-orm/sql';
import { Command } from 'commander';
import { positive } from './cli-options.js';
import { type BenchDatabase, createDatabase } from './databases.js';
import { databaseUrl } from './db.js';
import { newThenResync, warmUp } from './measure.js';
import { PayloadFactory } from './payloads.js';
import { StatementCounter } from './statement-counter.js';
import { Upsync } from './upsync.js';

interface Step {
  ms: number;
  dbMs: number;
  calls: number;
}

const steps = new Map<string, Step>();
/** The labels in the order they were wrapped (a call ends after the calls inside it). */
const order: string[] = [];
let counter: StatementCounter | undefined;

/** Wraps `owner[method]` so that each call adds its wall time and statement wait to `label`. */
function timed(owner: object, method: string, label: string): void {
  const target = owner as Record<string, (...args: unknown[]) => unknown>;
  const original = target[method]!;
  order.push(label);
  target[method] = function (this: unknown, ...args: unknown[]) {
    const start = process.hrtime.bigint();
    const db0 = counter?.snapshot().dbMs ?? 0;
    const done = () => {
      const step = steps.get(label) ?? { ms: 0, dbMs: 0, calls: 0 };
      step.ms += Number(process.hrtime.bigint() - start) / 1e6;
      step.dbMs += (counter?.snapshot().dbMs ?? 0) - db0;
      step.calls += 1;
      steps.set(label, step);
    };
    const result = original.apply(this, args);
    if (result instanceof Promise) return result.finally(done);
    done();
    return result;
  };
}

// in the order a sync calls them; indented: part of the step above
timed(EntityManager.prototype, 'fork', 'em.fork');
timed(EntityManager.prototype, 'begin', 'em.begin (BEGIN)');
timed(SqlEntityManager.prototype, 'execute', 'em.execute (lock upsert + look-ups)');
timed(EntityManager.prototype, 'map', 'em.map (look-up rows → entities)');
timed(EntityManager.prototype, 'create', 'em.create');
timed(EntityManager.prototype, 'flush', 'em.flush (also once inside em.commit)');
timed(UnitOfWork.prototype, 'computeChangeSets', '  change-set computation');
timed(UnitOfWork.prototype, 'commitCreateChangeSets', '  INSERTs of one entity kind');
timed(AbstractSqlDriver.prototype, 'nativeInsertMany', '    driver: build + send one INSERT');
timed(EntityManager.prototype, 'commit', 'em.commit (flush + COMMIT)');

function report(title: string, count: number, wallMs: number, cpu: NodeJS.CpuUsage): void {
  const per = (n: number) => (n / count).toFixed(2).padStart(6);
  const dbMs = counter!.snapshot().dbMs;
  console.log(
    `\n${title}: per sync ${per(wallMs)} ms wall, ${per((cpu.user + cpu.system) / 1000)} ms CPU of this process, ${per(dbMs)} ms waiting on MariaDB`,
  );
  console.log(`  ${'step'.padEnd(44)} calls    wall  waiting  other`);
  for (const label of order) {
    const s = steps.get(label);
    if (!s) continue;
    console.log(
      `  ${label.padEnd(44)} ${(s.calls / count).toFixed(1).padStart(5)}  ${per(s.ms)}  ${per(s.dbMs)}  ${per(s.ms - s.dbMs)}`,
    );
  }
}

async function main(): Promise<void> {
  const options = new Command('phases')
    .option('--count <n>', 'new syncs (and as many re-syncs) measured', positive, 400)
    .option('--database <name>', 'an existing database (e.g. one kept by `npm run bench -- --keep`)')
    .option('--no-indexes', 'leave a fresh database without the optional look-up indexes')
    .parse()
    .opts<{ count: number; database?: string; indexes: boolean }>();
  const db: BenchDatabase = options.database
    ? { name: options.database, url: databaseUrl(options.database), drop: async () => {} }
    : await createDatabase('upsync_bench_phases');
  const upsync = await Upsync.open(db.url);
  // Without them the look-ups scan tables that grow by ~8 rows a sync: a run's own rows then make
  // "waiting on MariaDB" grow with the run (2026-12-06: the look-ups round trip 5.6 ms, MariaDB's
  // execution 2.6 ms of it, against 2.1 ms and 1.4 ms with the indexes at N = 100,000)
  if (!options.database && options.indexes) await upsync.migrateIndexes();
  counter = new StatementCounter(db.name);
  // keys of their own per run (numeric keys do not take the namespace): a run on a kept database
  // must create, not update the rows of an earlier run; the bench's configurations use 1.0–1.6 × 10⁹
  const keyBase = 1_700_000_000 + (Math.floor(Date.now() / 1000) % 400) * 1_000_000;
  const factory = new PayloadFactory({ seed: 7, namespace: `ph${Date.now().toString(36)}`, keyBase });
  try {
    // as the bench's latency series: V8 optimises over the first few hundred syncs
    await warmUp(
      () => factory.typical(),
      newThenResync((payload) => upsync.sync(payload)),
      1,
      300,
    );
    const payloads = Array.from({ length: options.count }, () => factory.typical());
    for (const title of ['new typical proposal', 'unchanged re-sync']) {
      steps.clear();
      counter.reset();
      const cpu0 = process.cpuUsage();
      const start = process.hrtime.bigint();
      for (const payload of payloads) await upsync.sync(payload);
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      report(title, payloads.length, wallMs, process.cpuUsage(cpu0));
    }
  } finally {
    counter.close();
    await upsync.close();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
