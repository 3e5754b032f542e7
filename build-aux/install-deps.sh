#!/usr/bin/env bash
# Installs everything attnflow needs to build, run and test, from Debian/Ubuntu packages.
# Debian 12 or Ubuntu 24.04 and later. Runs apt-get as root (through sudo when needed; without
# root or sudo it lists the packages and says what to do).
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libjson-glib-dev libcairo2-dev libpango1.0-dev libfribidi-dev
  libgtk-4-dev libadwaita-1-dev
  desktop-file-utils appstream libxml2-utils
  # run: a CJK font for the Korean interface, an emoji and symbol font with outlines (Symbola:
  # a token such as 🍕 is drawn as a glyph, not a box with its hex code, and stays vector in SVG
  # and PDF figures, where a colour bitmap emoji font would embed images), the locale sources to
  # generate ko_KR.UTF-8, and gdk-pixbuf's SVG loader, which draws the app's icon (About,
  # launchers; a minimal Debian lacks it)
  fonts-nanum fonts-dejavu-core fonts-symbola locales librsvg2-common
  # test
  xvfb xauth xdotool dbus dbus-x11 at-spi2-core imagemagick poppler-utils librsvg2-bin
  clang libclang-rt-dev valgrind
  python3 python3-numpy python3-scipy python3-networkx python3-torch
  # test: the exporter's virtual environments (pip installs torch and transformers there)
  python3-venv python3-pip
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

sudo=""
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then
    sudo="sudo"
  else
    cat >&2 <<EOF
install-deps.sh: these packages are missing, and installing them needs root, but you are not
root and there is no sudo:

  ${missing[*]}

Any one of these works:
  - with root's password, install them as root:
      su -c 'build-aux/install-deps.sh'
  - with root's password, give yourself sudo (a fresh Debian has none), log out and in again:
      su -c 'apt-get install sudo && usermod -aG sudo $(id -un)'
  - without it, ask the machine's administrator to run:
      apt-get install --no-install-recommends ${missing[*]}

Then run build-aux/setup.sh again.
EOF
    exit 1
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
