export {
  countStatements,
  type StatementCounts,
  type StatementKind,
  statementKind,
} from './count-statements.js';
export { createTestDatabase, mariadbReachable, type TestDatabase, testMysqlUrl } from './mariadb.js';
export { createTestSqliteDatabase } from './sqlite.js';
