export {
  countStatements,
  type StatementCounts,
  type StatementKind,
  statementKind,
} from './count-statements.js';
export {
  createTestDatabase,
  galeraReachable,
  type IspybFlavour,
  mariadbReachable,
  type TestDatabase,
  testGaleraUrls,
  testMysqlUrl,
} from './mariadb.js';
export { createTestSqliteDatabase } from './sqlite.js';
