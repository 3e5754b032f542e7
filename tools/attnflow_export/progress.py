# progress.py: the exporter's live progress line on a terminal
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""One line on stderr while an example is exported, when stderr is a terminal: which example
and which step of it (``attnflow-export: example 2/3 (ex-1): blank-out 64/378``), rewritten in
place when a new step starts and, as its counts advance, at most ten times a second (as
``attnflow-cli``'s progress lines), and erased when the
example is done or the export stops, so that it never lands in a message. Elsewhere (a pipe, a
file, ``--quiet``) nothing is written. Needs neither torch nor numpy."""

import os
import re
import sys
import time
import unicodedata

from .i18n import _

# at most one line drawn per this many seconds (attnflow-cli's PROGRESS_TTY_USEC)
INTERVAL = 0.1


def _is_terminal(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _cells(char):
    """The terminal cells ``char`` takes: 2 for a wide (CJK) character, 0 for a combining one."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit(line, columns):
    """``line`` cut, with an ellipsis, to fewer than ``columns`` cells: a line as wide as the
    terminal wraps, and the carriage return of the next one would go back to its second row."""
    width = max(columns - 1, 2)
    if sum(_cells(c) for c in line) <= width:
        return line
    out = []
    used = 1    # the ellipsis
    for c in line:
        if used + _cells(c) > width:
            break
        out.append(c)
        used += _cells(c)
    return "".join(out) + "…"


class Progress:
    """The live line; a no-op unless ``enabled`` and ``stream`` (default stderr) is a
    terminal. ``clock`` (seconds) and ``columns`` are for the tests."""

    def __init__(self, enabled=True, stream=None, clock=time.monotonic, columns=None):
        self.stream = stream if stream is not None else sys.stderr
        self.live = enabled and _is_terminal(self.stream)
        self.clock = clock
        self.columns = columns
        self.prefix = None
        self.last = None    # when the line was last drawn; None: draw the next step at once
        self.label = None   # the step last drawn, without its counts
        self.shown = False

    def example(self, k, count, example_id):
        """Example ``k`` (from 1) of ``count`` starts; its first step is drawn at once."""
        self.prefix = _("example %(k)d/%(count)d (%(example)s)") % {"k": k, "count": count,
                                                                     "example": example_id}
        self.last = None

    def _width(self):
        if self.columns is not None:
            return self.columns
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
        # a terminal that does not know its size says 0
        return columns if columns > 0 else 80

    def step(self, text):
        """The example is at ``text`` (``attention``, ``blank-out 64/378``); drawn when it is
        another step than the one shown, and when only its counts changed, unless a line was
        drawn less than :data:`INTERVAL` ago."""
        if not self.live or self.prefix is None:
            return
        now = self.clock()
        label = re.sub(r"[0-9]+", "", text)
        if self.last is not None and label == self.label and now - self.last < INTERVAL:
            return
        self.last = now
        self.label = label
        line = fit("attnflow-export: %s: %s" % (self.prefix, text), self._width())
        self.stream.write("\r" + line + "\033[K")
        self.stream.flush()
        self.shown = True

    def clear(self):
        """Erase the line (the example is done, or a message follows)."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False
