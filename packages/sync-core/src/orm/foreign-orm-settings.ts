/**
 * MikroORM's `init` applies `MIKRO_ORM_*` variables to every option it is not given explicitly
 * (MikroORM 7 no longer reads a `.env` file, and explicit options win): a variable would still
 * silently change a setting upsync leaves to MikroORM (pool, logging, …). MikroORM has no switch
 * for this, so upsync refuses to start when any is set: its database and settings come from its
 * own validated configuration only.
 */
export class ForeignOrmSettings extends Error {
  override name = 'ForeignOrmSettings';
}

const PREFIX = 'MIKRO_ORM_';
// MikroORM writes this one itself (its Configuration publishes the `colors` option there); it
// only colours log output
const HARMLESS = new Set(['MIKRO_ORM_COLORS']);

/** The `MIKRO_ORM_*` variable names present in an environment (but the harmless MIKRO_ORM_COLORS). */
export function mikroOrmVariables(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.keys(env)
    .filter((key) => key.startsWith(PREFIX) && !HARMLESS.has(key))
    .sort();
}

/** Throws naming the variables when the environment holds any (before MikroORM reads it). */
export function refuseMikroOrmVariables(env: NodeJS.ProcessEnv = process.env): void {
  const names = mikroOrmVariables(env);
  if (names.length > 0) {
    throw new ForeignOrmSettings(
      `${names.join(', ')}: upsync takes no MikroORM settings from the environment (the database is DATABASE_URL); unset ${names.length === 1 ? 'it' : 'them'}`,
    );
  }
}
