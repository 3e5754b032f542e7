# i18n.py: message translation for the exporter (gettext domain "attnflow")
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

import gettext

_translation = gettext.translation("attnflow", fallback=True)


def _(message):
    return _translation.gettext(message)


def ngettext(singular, plural, n):
    return _translation.ngettext(singular, plural, n)
