#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
#
# Runs the README's quick start on a fresh Debian: makes a minimal root of RELEASE with
# debootstrap, installs git (the README's one prerequisite), and there, from a clone of this
# checkout's HEAD, runs the README's two commands, build-aux/setup.sh and build-aux/test.sh:
#   1. as root, from a clone in /root (a 0700 folder, as on a fresh cloud machine);
#   2. as a normal user without sudo, from a clone in their home (the packages are there by then).
# Passes when both runs of test.sh end "N passed, 0 failed, 0 skipped".
#
#   build-aux/test-fresh-debian.sh RELEASE [MIRROR]     RELEASE: bookworm, trixie, ...
#
# Needs root (debootstrap, chroot, bind mounts), debootstrap and the network. The root is made
# under ${TMPDIR:-/var/tmp} and removed at the end (KEEP=1 keeps it); the logs of both runs are
# left next to it, in attnflow-RELEASE-*.log. The root's clone is removed after the first run
# (the exporter tests' virtual environments take gigabytes).
#
# The root gets the host's network setup, not its software: /etc/resolv.conf and, when this
# shell's pip is given them, its certificate bundle (PIP_CERT or SSL_CERT_FILE: a network that
# intercepts TLS) and its folders of wheels (PIP_FIND_LINKS), copied into the root and named in
# its /etc/pip.conf.
set -euo pipefail

release=${1:?usage: build-aux/test-fresh-debian.sh RELEASE [MIRROR]}
mirror=${2:-http://deb.debian.org/debian}
top=$(cd "$(dirname "$0")/.." && pwd)
base=${TMPDIR:-/var/tmp}

[ "$(id -u)" = 0 ] || { echo "test-fresh-debian.sh: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "test-fresh-debian.sh: apt-get install debootstrap" >&2; exit 2; }

root=$(mktemp -d "$base/attnflow-$release.XXXXXX")
chmod 755 "$root"   # the root's / (mktemp makes it 0700: a user could not reach /bin)
log=$base/attnflow-$release-$(date -u +%Y%m%dT%H%M%S)
mounts=()

cleanup () {
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount -l "${mounts[i]}" 2>/dev/null || true
  done
  if [ "${KEEP:-}" != 1 ]; then
    rm -rf --one-file-system "$root"
  fi
}
trap cleanup EXIT

bind () {
  mkdir -p "$root$1"
  mount --bind "$1" "$root$1"
  mounts+=("$root$1")
}

in_root () {
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

echo "== debootstrap --variant=minbase $release ($mirror) into $root"
debootstrap --variant=minbase "$release" "$root" "$mirror" >"$log-debootstrap.log" 2>&1 ||
  { tail -n 20 "$log-debootstrap.log"; exit 1; }
for dir in /dev /dev/pts /dev/shm /proc /sys; do
  bind "$dir"
done
cp /etc/resolv.conf "$root/etc/resolv.conf"

host_pip=$root/opt/host-pip
pip_conf=""
ca=${PIP_CERT:-${SSL_CERT_FILE:-}}
if [ -n "$ca" ] && [ -f "$ca" ]; then
  install -D -m 644 "$ca" "$host_pip/ca.crt"
  pip_conf+="cert = /opt/host-pip/ca.crt"$'\n'
fi
links=()
for dir in ${PIP_FIND_LINKS:-}; do
  if [ -d "$dir" ]; then
    mkdir -p "$host_pip/wheels-${#links[@]}"
    cp -r "$dir/." "$host_pip/wheels-${#links[@]}/"
    links+=("/opt/host-pip/wheels-${#links[@]}")
  fi
done
[ ${#links[@]} -gt 0 ] && pip_conf+="find-links = ${links[*]}"$'\n'
if [ -n "$pip_conf" ]; then
  printf '[global]\n%s' "$pip_conf" >"$root/etc/pip.conf"
  chmod -R a+rX "$host_pip" "$root/etc/pip.conf"
  echo "== the host's pip settings, in the root's /etc/pip.conf:"
  sed 's/^/   /' "$root/etc/pip.conf"
fi

# the checkout's HEAD, as a bundle the root can clone from
git -C "$top" bundle create "$root/attnflow.bundle" HEAD >/dev/null 2>&1
chmod 644 "$root/attnflow.bundle"
commit=$(git -C "$top" rev-parse --short HEAD)

echo "== apt-get install git (the README's prerequisite)"
in_root sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends git ca-certificates' \
  >"$log-git.log" 2>&1 || { tail -n 20 "$log-git.log"; exit 1; }

status=0
check () {
  # $1: the run's log; its last line must say nothing failed or was skipped
  local last
  last=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$1" | tail -n 1)
  echo "   $last"
  case $last in
    *" 0 failed, 0 skipped") ;;
    *) status=1 ;;
  esac
}

echo "== as root, in /root (0700): git clone; build-aux/setup.sh; build-aux/test.sh  ($commit)"
in_root sh -c 'chmod 700 /root && cd /root && git clone -q /attnflow.bundle attnflow &&
               cd attnflow && build-aux/setup.sh && build-aux/test.sh' >"$log-root.log" 2>&1 || true
check "$log-root.log"
in_root rm -rf /root/attnflow /root/.cache

echo "== as a normal user without sudo, in their home: the same"
in_root useradd --create-home --shell /bin/bash tester
in_root chmod 700 /home/tester
in_root su - tester -c 'git clone -q /attnflow.bundle attnflow && cd attnflow &&
                       build-aux/setup.sh && build-aux/test.sh' >"$log-user.log" 2>&1 || true
check "$log-user.log"

echo "== $release ($(in_root sh -c '. /etc/os-release; echo "$PRETTY_NAME"')), commit $commit:" \
  "$([ $status = 0 ] && echo passed || echo FAILED); logs: $log-*.log"
exit $status
