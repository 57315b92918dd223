#!/usr/bin/env bash
# Makes localhost/debian-base:bookworm from Debian's packages, for machines that reach no container
# registry (only Debian's mirror): debootstrap's minbase, imported into podman. The root file system
# is kept in UPSYNC_BASE_CACHE (default /var/tmp/upsync-debian-base) and reused; an existing image
# is kept. Needs root, debootstrap and podman.
set -euo pipefail
image=${BASE_IMAGE:-localhost/debian-base:bookworm}
cache=${UPSYNC_BASE_CACHE:-/var/tmp/upsync-debian-base}
engine=${ENGINE:-podman}

if "$engine" image inspect "$image" >/dev/null 2>&1; then
  echo "debian-base: $image already there" >&2
  exit 0
fi
if [[ ! -f $cache/rootfs/.complete ]]; then
  rm -rf "$cache/rootfs"
  mkdir -p "$cache"
  debootstrap --variant=minbase bookworm "$cache/rootfs" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >&2
  touch "$cache/rootfs/.complete"
fi
tar -C "$cache/rootfs" --exclude=./.complete -c . | "$engine" import - "$image" >&2
echo "debian-base: $image imported from $cache/rootfs" >&2
