export {
  countStatements,
  type StatementCounts,
  type StatementKind,
  statementKind,
} from './count-statements.js';
export {
  createTestDatabase,
  type IspybFlavour,
  mariadbReachable,
  type TestDatabase,
  testMysqlUrl,
} from './mariadb.js';
export { createTestSqliteDatabase } from './sqlite.js';
