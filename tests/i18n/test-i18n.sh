#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
#
# Translation checks, as TAP:
#  1. every file under src/ and ui/ with a translatable string, and every translatable data file,
#     is listed in po/POTFILES.in (and every listed file exists);
#  2. every message of a template regenerated with xgettext from po/POTFILES.in is translated,
#     and not fuzzy, in each po/LINGUAS catalogue (msgcmp);
#  3. msgfmt --check accepts each catalogue (format strings match, header complete), both as
#     written and merged with the fresh template (whose c-format flags are current).
#
#   test-i18n.sh SOURCE_ROOT
set -uo pipefail

top=$1
cd "$top" || exit 1

for tool in xgettext msgmerge msgfmt msgcmp; do
  if ! command -v "$tool" >/dev/null; then
    if [ "${CI:-}" = true ]; then
      echo "1..0 # $tool is not installed (CI=true: failing)"
      exit 1
    fi
    echo "1..0 # SKIP $tool is not installed (gettext)"
    exit 0
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/attnflow-i18n.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

langs=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' po/LINGUAS)
echo "1..3"

# 1. POTFILES.in is complete and points at real files.
listed=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' po/POTFILES.in | sort -u)
marked=$( { grep -rlE '_\("|translatable="yes"' src ui 2>/dev/null;
            ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null; } | sort -u)
missing=$(comm -13 <(echo "$listed") <(echo "$marked"))
absent=$(for f in $listed; do [ -f "$f" ] || echo "$f"; done)
if [ -z "$missing" ] && [ -z "$absent" ]; then
  echo "ok 1 - po/POTFILES.in lists every file with translatable strings"
  ok1=0
else
  echo "not ok 1 - po/POTFILES.in is out of date"
  for f in $missing; do echo "# not listed, has translatable strings: $f"; done
  for f in $absent; do echo "# listed, does not exist: $f"; done
  ok1=1
fi

# 2. Regenerate the template (the same keywords and flags as meson's i18n 'glib' preset) and merge.
xgettext_log=$tmp/xgettext.log
if ! xgettext --package-name=attnflow --from-code=UTF-8 --add-comments \
    --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
    --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
    --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
    --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
    --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
    --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
    --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
    --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
    --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
    --no-wrap --files-from=po/POTFILES.in --directory="$top" --output="$tmp/attnflow.pot" \
    >"$xgettext_log" 2>&1; then
  echo "not ok 2 - xgettext failed on po/POTFILES.in"
  sed 's/^/# /' "$xgettext_log"
  ok2=1
else
  ok2=0
  count=$(( $(grep -c '^msgid ' "$tmp/attnflow.pot") - 1 ))
  for lang in $langs; do
    # msgcmp reads po/$lang.po as it is (so as msgfmt will compile it): every message of the
    # template needs a live entry there that is translated and not fuzzy. (msgmerge would
    # revive obsolete #~ entries and hide that the shipped catalogue lacks them.)
    if msgcmp --no-fuzzy-matching "po/$lang.po" "$tmp/attnflow.pot" >"$tmp/msgcmp.log" 2>&1; then
      continue
    fi
    ok2=1
    echo "# po/$lang.po is incomplete against the template of $count messages:"
    grep -v 'warning:' "$tmp/msgcmp.log" | grep -E '^[^:]+:[0-9]+: ' | while IFS=: read -r file line rest; do
      # the msgid of the entry that line belongs to (the nearest msgid line at or above it)
      msgid=$(awk -v l="$line" 'NR <= l && /^msgid / { m = $0 } NR == l { print m; exit }' "$file")
      echo "#   ${rest# } ($file:$line): $msgid"
    done
    grep -E '^msgcmp: ' "$tmp/msgcmp.log" | sed 's/^/# /'
    echo "# update it with: meson compile -C _build attnflow-pot attnflow-update-po, then translate"
    echo "# every untranslated or fuzzy message (remove the fuzzy flag once checked)"
  done
  if [ $ok2 -eq 0 ]; then
    echo "ok 2 - every catalogue translates all $count messages of the template (none fuzzy)"
  else
    echo "not ok 2 - some catalogues are incomplete"
  fi
fi

# 3. msgfmt --check: format strings, plural forms and header, on the catalogue as written and
#    merged with the fresh template (whose c-format flags are current).
ok3=0
for lang in $langs; do
  merged=$tmp/$lang.merged.po
  if [ -f "$tmp/attnflow.pot" ]; then
    msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/attnflow.pot" -o "$merged" 2>/dev/null || rm -f "$merged"
  fi
  for f in "po/$lang.po" "$merged"; do
    [ -f "$f" ] || continue
    if ! msgfmt --check --output-file=/dev/null "$f" 2>"$tmp/msgfmt.log"; then
      echo "# msgfmt --check rejects ${f/#$tmp\//merged }"
      sed "s|$tmp/|merged |; s/^/# /" "$tmp/msgfmt.log"
      ok3=1
    fi
  done
done
if [ $ok3 -eq 0 ]; then
  echo "ok 3 - msgfmt --check accepts every catalogue"
else
  echo "not ok 3 - msgfmt --check failed"
fi

exit $(( ok1 | ok2 | ok3 ))
