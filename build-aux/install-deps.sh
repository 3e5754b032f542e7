#!/usr/bin/env bash
# Installs everything attnflow needs to build, run and test, from Debian/Ubuntu packages.
# Debian 12 or Ubuntu 24.04 and later. Runs apt-get as root (through sudo when needed).
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libjson-glib-dev libcairo2-dev libpango1.0-dev
  libgtk-4-dev libadwaita-1-dev
  desktop-file-utils appstream libxml2-utils
  # run: a CJK font for the Korean interface
  fonts-nanum fonts-dejavu-core
  # test
  xvfb xauth xdotool dbus dbus-x11 at-spi2-core imagemagick poppler-utils librsvg2-bin
  clang libclang-rt-dev valgrind
  python3 python3-numpy python3-scipy python3-networkx python3-torch
)

sudo=""
if [ "$(id -u)" != 0 ]; then
  sudo="sudo"
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
