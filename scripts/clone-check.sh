#!/usr/bin/env bash
# A clone anywhere works: copies the repository (tracked files, and untracked ones git does not
# ignore) into an empty temporary folder with nothing beside it, installs from the lock file, runs
# the README's quick start as the README prints it (the blocks marked `<!-- quick-start: … -->`),
# then the suites that run on the embedded database. Nothing of this checkout is used but its files.
#
#   scripts/clone-check.sh            (KEEP=1 keeps the copy for a look afterwards)
#
# The one liberty taken with the README: `npm start` serves on a free port rather than 8000 (this
# machine may already serve something there), and the printed URLs are read with that port.
set -euo pipefail
source_root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/copy-tree.sh
source "$source_root/scripts/copy-tree.sh"
work="$(mktemp -d "${TMPDIR:-/tmp}/upsync-clone-check.XXXXXX")"
clone="$work/upsync"
server_pid=''

finish() {
  local status=$?
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ ${KEEP:-} == 1 ]]; then echo "clone-check: kept $clone"; else rm -rf "$work"; fi
  exit "$status"
}
trap finish EXIT
step() { printf '\nclone-check: %s\n' "$*"; }
fail() {
  echo "clone-check: FAILED: $*" >&2
  exit 1
}

step "copying $source_root into $clone (nothing beside it)"
copy_tree "$source_root" "$clone"
[[ $(ls -A "$work") == upsync ]] || fail "$work holds more than the copy"
cd "$clone"

step 'npm ci'
npm ci --no-audit --no-fund

# The README's quick-start blocks: each marked `<!-- quick-start: NAME -->` right above a ```sh fence.
readme_block() {
  awk -v name="$1" '
    $0 == "<!-- quick-start: " name " -->" { marked = 1; next }
    marked && /^```sh$/ { inside = 1; next }
    inside && /^```$/ { exit }
    inside { print }
  ' README.md
}
serve_block="$(readme_block serve)"
sync_block="$(readme_block first-sync)"
[[ $serve_block == $'npm install\nnpm start' ]] || fail "README's serve block is not 'npm install' + 'npm start': $serve_block"
[[ -n $sync_block ]] || fail "README has no quick-start: first-sync block"

port="$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
step "README: npm install"
npm install --no-audit --no-fund
step "README: npm start (in the background, PORT=$port)"
PORT="$port" setsid npm start >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || {
    cat "$work/server.log"
    fail 'npm start exited'
  }
  sleep 1
done
curl -sf "http://127.0.0.1:$port/health" >/dev/null || {
  cat "$work/server.log"
  fail "npm start did not answer on port $port within 300 s"
}
grep -q 'upsync development token' "$work/server.log" || fail 'npm start printed no development token'
grep -q -- '--data @examples/pyispyb-create.json' "$work/server.log" || fail "the banner's curl does not send examples/pyispyb-create.json"

step 'README: the first sync'
printf '%s\n' "${sync_block//127.0.0.1:8000/127.0.0.1:$port}"
output="$(bash -euo pipefail -c "${sync_block//127.0.0.1:8000/127.0.0.1:$port}" 2>&1)" || {
  echo "$output"
  fail 'the first-sync block failed'
}
echo "$output"
grep -q 'The proposal I-20140076 has been synchronized in' <<<"$output" || fail 'the curl did not sync the example'
grep -q '2 file(s), 2 payload(s) checked: all valid' <<<"$output" || fail 'npx upsync validate examples/ did not pass'

kill -TERM -- "-$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=''

# The suites that prove the rest on the embedded database (the full npm test runs in the checkout),
# with generous time limits: they prove that the copy works, not how fast a busy machine runs it.
step 'suites on the embedded database'
vitest=(npx vitest run --testTimeout=60000 --hookTimeout=120000)
# (schema's timed bounded-input check is left to npm test: a copy being installed beside other work
# is no place for a time limit)
(cd packages/schema && "${vitest[@]}" --exclude test/bounded-input.test.ts)
(cd packages/sync-core && "${vitest[@]}" test/examples.test.ts test/changed-fields.test.ts)
(cd apps/server && "${vitest[@]}" test/serve.test.ts test/dev-token.test.ts test/docs.test.ts test/openapi-lint.test.ts)
(cd packages/client && "${vitest[@]}" test/cli-validate.test.ts test/embedded-server.test.ts test/repository-url.test.ts)
step 'passed'
