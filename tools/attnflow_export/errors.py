# errors.py: the exporter's error type
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import unicodedata


class ExportError(Exception):
    """A problem with the user's input or the model's output, with a message for the user."""


# How the README ("Export your model's attention") installs the exporter's dependencies, from a
# checkout of attnflow: torch pinned first (an unpinned one may pull a CUDA build of several GB)
# with transformers pinned to the oldest version the tests run (tools/meson.build), then the
# exporter; the pins are the README's (tools/tests/test_checks.py compares them)
INSTALL_COMMAND = "pip install torch==2.13.0 transformers==4.57.6 && pip install ./tools"


class UsageError(ExportError):
    """A malformed option value or a combination of options that cannot work (exit status 2, as
    argparse and attnflow-cli use for usage errors); other ExportErrors exit 1."""


# ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER: format characters that spell Persian and Indic
# words and emoji, shown as they are
_JOINERS = ("\u200c", "\u200d")


def _escaped(c):
    """How a message shows character ``c``: as it is, or as an escape when it is a control
    character or an invisible one (attnflow-cli's attn_error_escape_text(), src/core)."""
    code = ord(c)
    if 0xdc80 <= code <= 0xdcff:
        # a byte that is not UTF-8, as Python's file names carry it (surrogateescape)
        return "\\x%02x" % (code - 0xdc00)
    if c == "\n":
        return "\\n"
    if c == "\t":
        return "\\t"
    if code < 0x20 or code == 0x7f:
        return "\\x%02x" % code
    category = unicodedata.category(c)
    invisible = (category == "Cf" and c not in _JOINERS) or category in ("Zl", "Zp")
    if 0x80 <= code <= 0x9f or (invisible and code <= 0xffff):
        return "\\u%04x" % code
    if invisible:
        return "\\U%08x" % code
    return c


def display_path(path):
    """``path`` (str or bytes) as the exporter's messages name a file: as attnflow-cli names
    one (attn_error_display_path()), a byte that is not UTF-8 as ``\\xe9`` (not Python's
    ``\\udce9``), a control character as ``\\n`` or ``\\x1b``, an invisible one (a bidi
    control, a zero-width space) as ``\\u202e``; a backslash stays one."""
    try:
        data = os.fsencode(path)
    except UnicodeEncodeError:
        # a lone surrogate that stands for no byte (\\ud800): its bytes in UTF-8's form
        data = b"".join(os.fsencode(c) if 0xdc80 <= ord(c) <= 0xdcff
                        else c.encode("utf-8", "surrogatepass") for c in path)
    name = data.decode("utf-8", "surrogateescape")
    return "".join(_escaped(c) for c in name)
