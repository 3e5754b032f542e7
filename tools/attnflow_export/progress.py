# progress.py: the exporter's progress on stderr
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which example is exported and which step of it it is at
(``attnflow-export: example 2/3 (ex-1): blank-out 64/378``), on stderr.

On a terminal: one line rewritten in place when a new step starts and, as its counts advance, at
most ten times a second (as ``attnflow-cli``'s progress lines), and erased when the example is
done or the export stops, so that it never lands in a message.

Elsewhere (a pipe, a file, a notebook's cell, a CI log): nothing in the first
:data:`PIPE_QUIET` seconds, so that a short export writes only its summary, then the same text
as whole lines, one at most every :data:`PIPE_INTERVAL` seconds (as ``attnflow-cli``'s), so that
a long export shows it is alive without filling a log. ``--quiet``: nothing anywhere.
Needs neither torch nor numpy."""

import os
import re
import sys
import time
import unicodedata

from .i18n import _

# at most one line drawn per this many seconds (attnflow-cli's PROGRESS_TTY_USEC)
INTERVAL = 0.1
# not on a terminal: no line in the first PIPE_QUIET seconds of the export, then one at most
# every PIPE_INTERVAL seconds (attnflow-cli's PROGRESS_QUIET_USEC and PROGRESS_PIPE_USEC)
PIPE_QUIET = 3.0
PIPE_INTERVAL = 10.0

# characters that would break the line (an id can hold a newline, a tab or an escape)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


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
    """The progress on ``stream`` (default stderr); a no-op unless ``enabled``. Made when the
    export starts (the quiet seconds of a pipe count from then). ``clock`` (seconds) and
    ``columns`` are for the tests."""

    def __init__(self, enabled=True, stream=None, clock=time.monotonic, columns=None):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.live = enabled and _is_terminal(self.stream)
        self.clock = clock
        self.columns = columns
        self.prefix = None
        self.last = None    # when the line was last drawn; None: draw the next step at once
        self.label = None   # the step last drawn, without its counts
        self.shown = False
        self.started = clock()
        self.logged = None  # not on a terminal: when a line was last written

    def example(self, k, count, example_id):
        """Example ``k`` (from 1) of ``count`` starts; its first step is drawn at once."""
        self.prefix = _("example %(k)d/%(count)d (%(example)s)") % {
            "k": k, "count": count, "example": _CONTROL.sub("?", example_id)}
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
        drawn less than :data:`INTERVAL` ago. Not on a terminal, see :meth:`_log`."""
        if not self.enabled or self.prefix is None:
            return
        if not self.live:
            self._log(text)
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

    def _log(self, text):
        """Not on a terminal: ``text`` as a whole line, unless the export started less than
        :data:`PIPE_QUIET` seconds ago or a line was written less than :data:`PIPE_INTERVAL`
        seconds ago."""
        now = self.clock()
        if now - self.started < PIPE_QUIET:
            return
        if self.logged is not None and now - self.logged < PIPE_INTERVAL:
            return
        self.logged = now
        try:
            self.stream.write("attnflow-export: %s: %s\n" % (self.prefix, text))
            self.stream.flush()
        except (OSError, ValueError):
            # a log that went away (a closed pipe) does not stop the export
            self.enabled = False

    def clear(self):
        """Erase the line (the example is done, or a message follows)."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False
