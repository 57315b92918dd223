#!/usr/bin/env node
// The repository's URL is set in one place, the root package.json's `repository`; the published
// packages' manifests (repository, homepage, bugs) and the client README's link derive from it.
//
//   node scripts/repository-url.mjs                       check that everything agrees (exit 1 if not)
//   node scripts/repository-url.mjs https://github.com/org/upsync   set it, and rewrite what derives
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PUBLISHED = ['packages/schema', 'packages/client'];
const README_LINKS = [{ file: 'packages/client/README.md', pattern: /\[upsync\]\(([^)]*)\)/ }];

const readJson = (file) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));
const writeJson = (file, value) =>
  writeFileSync(path.join(root, file), `${JSON.stringify(value, null, 2)}\n`);

/** `https://github.com/org/upsync` from `git+https://github.com/org/upsync.git` (or the bare form). */
export function baseOf(url) {
  return url
    .replace(/^git\+/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
}

/** What each published manifest and README link must say, for a repository base URL. */
export function derived(base) {
  const manifests = PUBLISHED.map((dir) => ({
    file: `${dir}/package.json`,
    fields: {
      repository: { type: 'git', url: `git+${base}.git`, directory: dir },
      homepage: `${base}/tree/main/${dir}#readme`,
      bugs: { url: `${base}/issues` },
    },
  }));
  const links = README_LINKS.map((link) => ({ ...link, target: `${base}#readme` }));
  return { manifests, links };
}

/** The places that disagree with the root package.json's repository, as sentences. */
export function mismatches() {
  const base = baseOf(readJson('package.json').repository?.url ?? '');
  if (!base) return ['package.json has no repository.url'];
  const { manifests, links } = derived(base);
  const found = [];
  for (const { file, fields } of manifests) {
    const manifest = readJson(file);
    for (const [field, want] of Object.entries(fields))
      if (JSON.stringify(manifest[field]) !== JSON.stringify(want))
        found.push(`${file}: ${field} is ${JSON.stringify(manifest[field])}, not ${JSON.stringify(want)}`);
  }
  for (const { file, pattern, target } of links) {
    const link = pattern.exec(readFileSync(path.join(root, file), 'utf8'))?.[1];
    if (link !== target) found.push(`${file}: links ${link ?? 'nothing'}, not ${target}`);
  }
  return found;
}

function set(url) {
  const base = baseOf(url);
  if (!/^https:\/\/[^/]+\/.+/.test(base)) throw new Error(`not a repository URL: ${url}`);
  const rootManifest = readJson('package.json');
  rootManifest.repository = { type: 'git', url: `git+${base}.git` };
  writeJson('package.json', rootManifest);
  const { manifests, links } = derived(base);
  for (const { file, fields } of manifests) writeJson(file, { ...readJson(file), ...fields });
  for (const { file, pattern, target } of links) {
    const text = readFileSync(path.join(root, file), 'utf8');
    writeFileSync(path.join(root, file), text.replace(pattern, `[upsync](${target})`));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2]) set(process.argv[2]);
  const found = mismatches();
  for (const line of found) console.error(line);
  if (found.length > 0) process.exit(1);
  console.log(`repository: ${baseOf(readJson('package.json').repository.url)} (every manifest agrees)`);
}
