# outfile.py: files written whole or not at all, in the output's folder
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""Temporary files in the output's folder renamed into place when complete, and the check that
this will work; needs neither torch nor numpy, so that the command line checks ``--output``
before it imports them."""

import errno
import os
import signal
import stat
import tempfile


# the temporary files made and not yet renamed or removed: what remove_pending() removes when a
# signal stops the export, wherever it came (even between mkstemp() and the code that would
# remove the file on an exception)
_pending = set()
_SIGNALS = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
            if hasattr(signal, name)}


def _temp_in(folder, suffix=""):
    # the stop signals held back while the file is made and listed, so that no signal's
    # exception comes between the two
    mask = None
    if hasattr(signal, "pthread_sigmask"):
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".attnflow-export-", suffix=suffix, dir=folder)
        _pending.add(tmp)
    finally:
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    return fd, tmp


def remove_pending():
    """Remove every temporary file not yet renamed into place or removed."""
    for tmp in list(_pending):
        _unlink_quietly(tmp)


def _publish(tmp, path):
    """Give ``tmp`` the permissions of the file it replaces (of a new file where there is none)
    and rename it to ``path``."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)
    os.replace(tmp, path)
    _pending.discard(tmp)


def through_link(path):
    """``path``, or where it points when it is a symbolic link to a regular file: an output
    is written through a link, as ``cp`` does, and the link stays (a temporary file renamed onto
    the link would put a regular file in its place and leave the file it points to as it was).
    A dangling link is replaced."""
    if os.path.islink(path) and os.path.isfile(path):
        return os.path.realpath(path)
    return path


def _unlink_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass
    _pending.discard(path)


def is_special(path):
    """Whether ``path`` (its symbolic links followed) is there and is no regular file or folder:
    a device (``/dev/stdout``, ``/dev/null``), a FIFO or a socket. Such an output is written to
    as it is: a temporary file renamed onto it would put a regular file in its place (as root,
    in ``/dev``) or fail for want of write access to its folder."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def atomic_write(path, write):
    """Write ``path`` through ``write(binary_file)`` into a temporary file renamed at the end,
    so a failure never leaves a half-written file or damages an existing one; a device, FIFO
    or socket (:func:`is_special`) is written to directly."""
    if is_special(path):
        with open(path, "wb") as out:
            write(out)
        return
    path = through_link(path)
    fd, tmp = _temp_in(os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        _publish(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def check_writable(path):
    """OSError unless :func:`atomic_write` can write ``path``: it makes a file in ``path``'s
    folder and renames it to ``path``, which must not be a folder or a file without write
    permission (a device, FIFO or socket is only checked for write permission). Run before the
    model, so a bad ``--output`` is not found after it."""
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    if is_special(path):
        if not os.access(path, os.W_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return
    if os.path.exists(path) and not (os.access(path, os.W_OK) and
                                     os.stat(path).st_mode & 0o222):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
    fd, tmp = _temp_in(os.path.dirname(os.path.abspath(path)))
    os.close(fd)
    _unlink_quietly(tmp)
