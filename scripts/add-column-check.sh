#!/usr/bin/env bash
# Adding a column to the sync is one declaration line plus regenerated files, shown for real: copies
# the repository (tracked files, and untracked ones git does not ignore) into a temporary folder,
# builds it as it is and makes an embedded database with one sync; then adds ONE line to
# packages/schema/src/declaration.ts (Laboratory.postcode, a column of the ISPyB schema that upsync
# does not sync), adds the column to the MariaDB fixture as a facility's database would have it,
# regenerates the committed files, rebuilds, and shows that the new field is written, read back and
# unchanged on re-sync on the embedded file made before the change (brought up to date when opened)
# and on a fresh MariaDB database. Nothing of this checkout is changed.
#
#   scripts/add-column-check.sh            (KEEP=1 keeps the copy for a look afterwards)
#
# node_modules are the checkout's, linked (the workspace links point into the copy): no install.
set -euo pipefail
source_root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/copy-tree.sh
source "$source_root/scripts/copy-tree.sh"
work="$(mktemp -d "${TMPDIR:-/tmp}/upsync-add-column.XXXXXX")"
copy="$work/upsync"
field=postcode

finish() {
  local status=$?
  if [[ ${KEEP:-} == 1 ]]; then echo "add-column-check: kept $copy"; else rm -rf "$work"; fi
  exit "$status"
}
trap finish EXIT
step() { printf '\nadd-column-check: %s\n' "$*"; }
fail() {
  echo "add-column-check: FAILED: $*" >&2
  exit 1
}
quiet() { "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log"; fail "$*"; }; }

step "copying $source_root into $copy"
copy_tree "$source_root" "$copy"
cd "$copy"
git init -q && git add -A && git -c user.name=check -c user.email=check@localhost commit -qm 'as copied'

step "node_modules: the checkout's, linked; the workspace packages are the copy's"
[[ -d $source_root/node_modules/@upsync ]] || fail "no node_modules in $source_root: run npm ci there first"
mkdir node_modules
for entry in "$source_root"/node_modules/* "$source_root"/node_modules/.bin; do
  case "${entry##*/}" in
  @upsync) cp -a "$entry" node_modules/ ;; # relative links: ../../packages/… of the copy
  *) ln -s "$entry" node_modules/ ;;
  esac
done
for dir in packages/* apps/* bench; do
  [[ -d $source_root/$dir/node_modules ]] && ln -s "$source_root/$dir/node_modules" "$dir/node_modules"
done
[[ $(readlink -f node_modules/@upsync/sync-core) == "$copy/packages/sync-core" ]] || fail '@upsync/sync-core is not the copy'

build() {
  quiet npm run build -w @upsync/schema
  quiet npm run build -w @upsync/sync-core
}

step 'build as it is; an embedded database with one sync (the example payload)'
build
npx node scripts/add-column-check.mjs before "$work/embedded.sqlite"

step "the change: one declaration line, and the column in the MariaDB fixture"
sed -i '/^  laboratory: entity(/,/^  }),$/ s/^    url: text(255),$/&\n    postcode: text(15),/' packages/schema/src/declaration.ts
sed -i '/^CREATE TABLE `Laboratory`/,/^) / s/^  `url` varchar(255) DEFAULT NULL,$/&\n  `postcode` varchar(15) DEFAULT NULL,/' \
  packages/sync-core/sql/ispyb-tables.mariadb.sql
git --no-pager diff -U0 -- packages/schema/src/declaration.ts packages/sync-core/sql/ispyb-tables.mariadb.sql | grep '^[-+] '
[[ $(git diff --numstat -- packages/schema/src/declaration.ts) == $'1\t0\t'* ]] || fail 'declaration.ts did not get exactly one line'

step 'regenerated files (JSON Schema, OpenAPI document), rebuilt'
build
quiet npm run generate:json-schema -w @upsync/schema
quiet npm run openapi:write -w @upsync/server
git --no-pager diff --stat
changed="$(git diff --name-only | sort | tr '\n' ' ')"
expected='apps/server/openapi.json packages/schema/src/declaration.ts packages/schema/sync-proposal.schema.json packages/sync-core/sql/ispyb-tables.mariadb.sql '
[[ $changed == "$expected" ]] || fail "changed files: $changed (expected $expected)"
grep -q "\"$field\"" packages/schema/sync-proposal.schema.json || fail "the JSON Schema lacks $field"

step "the new field on the embedded file made before the change, and on MariaDB"
npx node scripts/add-column-check.mjs after "$work/embedded.sqlite" "$field"
step 'passed'
