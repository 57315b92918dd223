// MariaDB reachable? sync-core's rule: skip loudly, fail when CI=true.
export { mariadbReachable } from '@upsync/sync-core/testing';

/**
 * Whether @upsync/sync-core (syncProposal, built) and @upsync/server (createApp, built) can be loaded.
 * While they are missing the integration suites skip loudly (fail with CI=true).
 */
export async function packagesReady(): Promise<boolean> {
  const problems: string[] = [];
  try {
    const core = (await import('@upsync/sync-core' as string)) as Record<string, unknown>;
    for (const name of ['createOrm', 'syncProposal', 'migrateIndexes', 'closeOrm'])
      if (typeof core[name] !== 'function') problems.push(`@upsync/sync-core has no ${name}`);
  } catch (error) {
    problems.push(`@upsync/sync-core cannot be loaded (${String(error).slice(0, 200)})`);
  }
  try {
    const server = (await import('@upsync/server' as string)) as Record<string, unknown>;
    if (typeof server.createApp !== 'function') problems.push('@upsync/server has no createApp');
  } catch (error) {
    problems.push(`@upsync/server cannot be loaded (${String(error).slice(0, 200)})`);
  }
  if (problems.length === 0) return true;
  const message = `${problems.join('; ')}: build the packages (npm run build)`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n*** SKIPPING: ${message} ***\n`);
  return false;
}
