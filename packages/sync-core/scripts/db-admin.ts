// Explicit database commands: `tsx scripts/db-admin.ts setup|migrate-indexes|check <databaseUrl>`.
// (The server exposes the same as `npm run db:setup` / `npm run db:migrate-indexes`.)
import { checkReady, closeOrm, createOrm, migrateIndexes, setupServiceTables } from '../src/index.js';

const [command, databaseUrl] = process.argv.slice(2);
if (!command || !databaseUrl || !['setup', 'migrate-indexes', 'check'].includes(command)) {
  console.error('usage: tsx scripts/db-admin.ts setup|migrate-indexes|check <mysql://…|sqlite:…>');
  process.exit(2);
}
const orm = await createOrm({ databaseUrl });
try {
  for (const line of orm.schemaReport.lines) console.warn(line);
  if (command === 'setup') console.log(await setupServiceTables(orm));
  if (command === 'migrate-indexes') console.log(await migrateIndexes(orm));
  if (command === 'check') console.log(await checkReady(orm));
} finally {
  await closeOrm(orm);
}
