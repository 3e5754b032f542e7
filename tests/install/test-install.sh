#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
#
# Installs the build into a temporary DESTDIR and checks that every file lands where GNOME
# expects it, and that the installed programs, moved there, find their translations and need no
# path of the source tree. Prints TAP.
#
#   test-install.sh MESON BUILD_ROOT PREFIX BINDIR DATADIR LOCALEDIR APP_ID GUI APP SCHEMA SOURCE_ROOT LIBDIR
#   GUI: true when the GTK part is built (desktop file, metainfo, icons);
#   APP: true when the application binary bin/attnflow is built;
#   SCHEMA: true when the project has a GSettings schema.
set -uo pipefail

meson=$1 build_root=$2 prefix=$3 bindir=$4 datadir=$5 localedir=$6 app_id=$7 gui=$8 app=$9 schema=${10}
source_root=${11} libdir=${12}

destdir=$(mktemp -d "${TMPDIR:-/tmp}/attnflow-install.XXXXXX")
locales=$(mktemp -d "${TMPDIR:-/tmp}/attnflow-locales.XXXXXX")
trap 'rm -rf "$destdir" "$locales"' EXIT

# meson install may take an absolute or relative bindir/datadir: make them absolute under prefix.
abs () { case "$1" in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
root="$destdir$prefix"
bin="$destdir$(abs "$bindir")"
share="$destdir$(abs "$datadir")"
locale="$destdir$(abs "$localedir")"
module="$destdir$(abs "$libdir")/attnflow/attnflow-cli-figures.so"

if ! log=$("$meson" install -C "$build_root" --no-rebuild --destdir "$destdir" 2>&1); then
  echo "1..1"
  echo "not ok 1 - meson install --destdir failed"
  echo "$log" | sed 's/^/# /'
  exit 1
fi

checks=()
want () { checks+=("$1|$2"); }   # kind (x: executable, f: non-empty file), path

want x "$bin/attnflow-cli"
want f "$module"
want f "$locale/ko/LC_MESSAGES/attnflow.mo"
want f "$share/attnflow/examples/bert-base-uncased.json"
want f "$share/attnflow/examples/pronouns-masked-minilm.json"
want f "$share/attnflow/examples/pronouns-minilm.json"
want f "$share/attnflow/examples/sst2-bert.json"
want f "$share/attnflow/examples/README.md"
if [ "$app" = true ]; then
  want x "$bin/attnflow"
fi
if [ "$gui" = true ]; then
  want f "$share/applications/$app_id.desktop"
  want f "$share/metainfo/$app_id.metainfo.xml"
  want f "$share/icons/hicolor/scalable/apps/$app_id.svg"
  want f "$share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
fi
if [ "$schema" = true ]; then
  want f "$share/glib-2.0/schemas/$app_id.gschema.xml"
fi

programs=("$bin/attnflow-cli" "$module")
[ "$app" = true ] && programs+=("$bin/attnflow")
extra=$(( 2 + ${#programs[@]} ))
[ "$app" = true ] && extra=$(( extra + 1 ))
echo "1..$(( ${#checks[@]} + 2 + extra ))"
n=0
failed=0
for c in "${checks[@]}"; do
  kind=${c%%|*} path=${c#*|}
  n=$((n + 1))
  rel=${path#"$destdir"}
  if [ "$kind" = x ] && [ -f "$path" ] && [ -x "$path" ]; then
    echo "ok $n - $rel is an executable"
  elif [ "$kind" = f ] && [ -s "$path" ]; then
    echo "ok $n - $rel"
  else
    echo "not ok $n - $rel is missing"
    failed=1
  fi
done

# The installed translation really is Korean and really is a message catalogue.
n=$((n + 1))
mo="$locale/ko/LC_MESSAGES/attnflow.mo"
if command -v msgunfmt >/dev/null && [ -s "$mo" ]; then
  header=$(msgunfmt "$mo" 2>/dev/null | head -n 20)
  if grep -q '^"Language: ko\\n"$' <<<"$header"; then
    echo "ok $n - attnflow.mo is the Korean catalogue"
  else
    echo "not ok $n - attnflow.mo does not declare Language: ko"
    failed=1
  fi
else
  echo "ok $n # SKIP msgunfmt is not installed or the catalogue is missing"
fi

# Installed under DESTDIR, the programs run from another prefix than the configured one: they
# find their translations under the prefix they run from.
# gettext ignores LANGUAGE under the C locale, and glibc 2.41 (Debian 13) counts C.UTF-8 as C:
# run under a Korean locale, generated into the test's folder when the system has none.
n=$((n + 1))
ko=(LC_ALL=C.UTF-8)
if locale -a 2>/dev/null | grep -qix 'ko_KR.utf8'; then
  ko=(LC_ALL=ko_KR.UTF-8)
elif localedef -i ko_KR -f UTF-8 "$locales/ko_KR.UTF-8" >/dev/null 2>&1; then
  ko=(LOCPATH="$locales" LC_ALL=ko_KR.UTF-8)
fi
usage=$(env -u ATTNFLOW_LOCALEDIR LANGUAGE=ko "${ko[@]}" "$bin/attnflow-cli" --help 2>&1)
if grep -q '^사용법: attnflow-cli' <<<"$usage"; then
  echo "ok $n - the moved attnflow-cli speaks Korean under LANGUAGE=ko"
else
  echo "not ok $n - the moved attnflow-cli found no translation:"
  head -n 3 <<<"$usage" | sed 's/^/# /'
  failed=1
fi

# The moved attnflow-cli draws with the figure module installed under the prefix it runs from.
n=$((n + 1))
figure="$destdir/installed-figure.svg"
said=$(env -u ATTNFLOW_MODULEDIR "$bin/attnflow-cli" render \
       "$share/attnflow/examples/bert-base-uncased.json" --view raw --output "$figure" 2>&1)
if [ $? = 0 ] && grep -q '<svg' "$figure"; then
  echo "ok $n - the moved attnflow-cli draws with its installed figure module"
else
  echo "not ok $n - the moved attnflow-cli could not draw:"
  head -n 3 <<<"$said" | sed 's/^/# /'
  failed=1
fi
rm -f "$figure"

# No path of the source tree in the programs' data (debugging information aside).
for program in "${programs[@]}"; do
  n=$((n + 1))
  if ! command -v objcopy >/dev/null; then
    echo "ok $n # SKIP objcopy is not installed"
  elif objcopy -O binary --only-section=.rodata "$program" "$destdir/rodata" &&
       ! grep -qaF "$source_root" "$destdir/rodata"; then
    echo "ok $n - ${program#"$destdir"} names no path of the source tree"
  else
    echo "not ok $n - ${program#"$destdir"} holds the source path $source_root"
    failed=1
  fi
done
rm -f "$destdir/rodata"

# Without its settings schema the application says what is missing and how to run it, and
# exits with status 1 (GSettings would abort it); this runs before any display is opened.
if [ "$app" = true ]; then
  n=$((n + 1))
  said=$(env -u GSETTINGS_SCHEMA_DIR XDG_DATA_DIRS=/nonexistent LANGUAGE=en LC_ALL=C.UTF-8 \
         "$bin/attnflow" 2>&1)
  status=$?
  if [ $status = 1 ] && grep -q "“$app_id” is not installed" <<<"$said" &&
     grep -q "meson devenv -C _build attnflow" <<<"$said"; then
    echo "ok $n - without its schema attnflow says so and exits 1"
  else
    echo "not ok $n - without its schema attnflow exited $status:"
    head -n 3 <<<"$said" | sed 's/^/# /'
    failed=1
  fi
fi

# Nothing outside the prefix: a file installed to an absolute path would escape DESTDIR's prefix.
n=$((n + 1))
stray=$(find "$destdir" -mindepth 1 \( -type f -o -type l \) -not -path "$root/*" | head -n 5)
if [ -z "$stray" ]; then
  echo "ok $n - every installed file is under $prefix"
else
  echo "not ok $n - files outside the prefix:"
  echo "$stray" | sed "s|^$destdir|# |"
  failed=1
fi

exit $failed
