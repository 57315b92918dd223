// The steps of scripts/add-column-check.sh, run with the copy's build (see there):
//   node scripts/add-column-check.mjs before <file.sqlite>         an embedded database, one sync
//   node scripts/add-column-check.mjs after <file.sqlite> <field>  the same file and a fresh MariaDB
//                                                                  database: the new field written,
//                                                                  read back, unchanged on re-sync
import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { closeOrm, createOrm, readProposal, syncProposal } from '@upsync/sync-core';
import { createTestDatabase } from '@upsync/sync-core/testing';

const [step, file, field] = process.argv.slice(2);
const LAB = 'DESY';
const VALUE = '22607';
const history = { history: { principal: 'add-column-check' } };

function fail(message) {
  console.error(`add-column-check: FAILED: ${message}`);
  process.exit(1);
}

/** The example payload, with `field` set on every occurrence of one laboratory. */
function payload(withField) {
  const sent = JSON.parse(readFileSync(new URL('../examples/pyispyb-create.json', import.meta.url), 'utf8'));
  const visit = (node) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      if (withField && node.laboratory?.name === LAB) node.laboratory[field] = VALUE;
      Object.values(node).forEach(visit);
    }
  };
  visit(sent);
  return sent;
}

const counts = (result) =>
  Object.entries(result.summary)
    .map(([kind, c]) => `${kind} +${c.created} ~${c.updated} =${c.unchanged}`)
    .join(', ');

const laboratoryColumns = (path) => {
  const db = new DatabaseSync(path);
  try {
    return db
      .prepare("SELECT name FROM pragma_table_info('Laboratory')")
      .all()
      .map((c) => c.name);
  } finally {
    db.close();
  }
};

/** Written, read back, unchanged on re-sync: on one database. */
async function writeReadResync(orm, where) {
  const written = await syncProposal(orm, payload(true), history);
  console.log(`  ${where}: sync with ${field}=${VALUE}: ${counts(written)}`);
  if (written.summary.laboratories.updated + written.summary.laboratories.created < 1)
    fail(`${where}: no laboratory written`);
  const snapshot = await readProposal(orm, 'I', '20140076');
  const labs = snapshot.proposal.persons.map((p) => p.laboratory).filter((l) => l?.name === LAB);
  console.log(`  ${where}: read back: ${JSON.stringify(labs[0])}`);
  if (labs.length === 0 || labs.some((l) => l[field] !== VALUE)) fail(`${where}: ${field} not read back`);
  const again = await syncProposal(orm, payload(true), history);
  console.log(`  ${where}: re-sync: ${counts(again)}`);
  if (Object.values(again.summary).some((c) => c.created + c.updated + c.deleted > 0))
    fail(`${where}: the re-sync changed something`);
}

if (step === 'before') {
  const orm = await createOrm({ databaseUrl: `sqlite:${file}` });
  try {
    console.log(
      `  embedded (before the change): sync: ${counts(await syncProposal(orm, payload(false), history))}`,
    );
  } finally {
    await closeOrm(orm);
  }
} else if (step === 'after') {
  const before = laboratoryColumns(file);
  if (before.includes(field)) fail(`the earlier file already has Laboratory.${field}`);
  const orm = await createOrm({ databaseUrl: `sqlite:${file}` });
  try {
    const added = laboratoryColumns(file).filter((c) => !before.includes(c));
    console.log(
      `  embedded (file of the earlier build): opened, Laboratory columns added: ${added.join(', ')}`,
    );
    if (!added.includes(field)) fail(`Laboratory.${field} was not added`);
    await writeReadResync(orm, 'embedded');
  } finally {
    await closeOrm(orm);
  }
  const db = await createTestDatabase('add_column_check');
  const maria = await createOrm({ databaseUrl: db.url });
  try {
    console.log(`  MariaDB: ${db.databaseName} from sql/ispyb-tables.mariadb.sql (with the column)`);
    await writeReadResync(maria, 'MariaDB');
  } finally {
    await closeOrm(maria);
    await db.drop();
  }
} else fail(`unknown step ${step}`);
