# i18n.py: message translation for the exporter (gettext domain "attnflow")
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""The exporter's messages come from attnflow's own catalogue, found as the C programs find it
(src/core/attn-install.c): $ATTNFLOW_LOCALEDIR (``meson devenv`` sets it to the built
translations), else ``<prefix>/share/locale`` of the prefix of the exporter's script (its
``bin`` folder), of the attnflow application on PATH, or of Python (a virtual environment's),
else Python's default folder."""

import gettext
import os
import shutil
import sys

DOMAIN = "attnflow"


def _prefix_of_program(path):
    """``<prefix>`` of ``<prefix>/bin/PROGRAM``, or None."""
    if not path:
        return None
    folder = os.path.dirname(os.path.realpath(path))
    if os.path.basename(folder) != "bin":
        return None
    return os.path.dirname(folder)


def locale_dirs():
    """The folders to look for the catalogue in, first first."""
    dirs = []
    value = os.environ.get("ATTNFLOW_LOCALEDIR")
    if value:
        dirs.append(value)
    prefixes = [_prefix_of_program(sys.argv[0] if sys.argv else None),
                _prefix_of_program(shutil.which("attnflow")), sys.prefix]
    for prefix in prefixes:
        if prefix:
            dirs.append(os.path.join(prefix, "share", "locale"))
    dirs.append(None)   # Python's default (sys.base_prefix/share/locale)
    return dirs


def _find_translation():
    for folder in locale_dirs():
        if gettext.find(DOMAIN, folder):
            return gettext.translation(DOMAIN, folder)
    return gettext.NullTranslations()


_translation = _find_translation()


def _(message):
    return _translation.gettext(message)


def ngettext(singular, plural, n):
    return _translation.ngettext(singular, plural, n)
