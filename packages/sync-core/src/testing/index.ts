export {
  countStatements,
  type StatementCounts,
  type StatementKind,
  statementKind,
} from './count-statements.js';
export {
  createTestDatabase,
<<<<<<< HEAD
  galeraReachable,
  mariadbReachable,
  type TestDatabase,
  testGaleraUrls,
=======
  type IspybFlavour,
  mariadbReachable,
  type TestDatabase,
>>>>>>> main
  testMysqlUrl,
} from './mariadb.js';
export { createTestSqliteDatabase } from './sqlite.js';
