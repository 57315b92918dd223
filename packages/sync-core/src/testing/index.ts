export { countStatements, type StatementCounts } from './count-statements.js';
export {
  createTestDatabase,
  galeraReachable,
  mariadbReachable,
  type TestDatabase,
  testGaleraUrls,
} from './mariadb.js';
export { createTestSqliteDatabase } from './sqlite.js';
