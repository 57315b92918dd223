/**
 * MikroORM's `init` applies `MIKRO_ORM_*` variables, and those of a `.env` file in the working
 * directory (or at `MIKRO_ORM_ENV`), over the options it is given: `MIKRO_ORM_CLIENT_URL` would
 * silently redirect the database. MikroORM 6 has no switch for this, so upsync refuses to start
 * when any is set: its database and settings come from its own validated configuration only.
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

/**
 * After `init`: variables that appeared meanwhile came from a `.env` file (MikroORM copies its
 * `MIKRO_ORM_*` entries into process.env); they are removed again, and named in the error.
 */
export function refuseDotenvSettings(before: readonly string[], file: string): void {
  const added = mikroOrmVariables().filter((name) => !before.includes(name));
  if (added.length === 0) return;
  for (const name of added) delete process.env[name];
  throw new ForeignOrmSettings(
    `${added.join(', ')} in ${file}: upsync takes no MikroORM settings from a .env file (the database is DATABASE_URL); remove ${added.length === 1 ? 'it' : 'them'}`,
  );
}
