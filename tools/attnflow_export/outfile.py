# outfile.py: files written whole or not at all, in the output's folder
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""Temporary files in the output's folder renamed into place when complete, and the check that
this will work; needs neither torch nor numpy, so that the command line checks ``--output``
before it imports them.

A temporary file is named ``.attnflow-export-PID@HOST-XXXXXXXX`` (``.npy`` for an array): the
process that writes it and its host. A signal that stops the export removes them
(:func:`remove_pending`); SIGKILL or a power loss cannot be caught and leaves them, so the
next export into the same folder removes them (:func:`claim_folder`): those of this host whose
process is gone, and only while no other export runs in the folder.

A file an export replaces is kept under such a name until the export is over
(:func:`set_aside`), so that an export that fails half-way puts it back (:func:`put_back`)."""

import errno
import os
import re
import shutil
import signal
import socket
import stat
import tempfile

from .errors import ExportError, display_path
from .i18n import _

try:
    import fcntl
except ImportError:     # not on Windows
    fcntl = None


# the temporary files made and not yet renamed or removed: what remove_pending() removes when a
# signal stops the export, wherever it came (even between mkstemp() and the code that would
# remove the file on an exception)
_pending = set()
_SIGNALS = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
            if hasattr(signal, name)}


# a temporary file's name: PID@HOST, then mkstemp()'s 8 random characters
_PREFIX = ".attnflow-export-"
_TEMP_NAME = re.compile(r"\A\.attnflow-export-([0-9]+)@([A-Za-z0-9._-]+)-[a-z0-9_]{8}(\.npy)?\Z")

# the folders this process exports into: a descriptor of each, holding a shared lock on it
_claimed = {}


def _host():
    """This machine's name as a temporary file's name carries it."""
    name = re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname())[:64]
    return name or "localhost"


def _alive(pid):
    """Whether process ``pid`` runs (on this host; another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _remove_stale(folder):
    """Remove the temporary files in ``folder`` that a process of this host that is gone left;
    returns their names, sorted."""
    removed = []
    host = _host()
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in sorted(names):
        m = _TEMP_NAME.match(name)
        if m is None or m.group(2) != host:
            continue
        pid = int(m.group(1))
        if pid == os.getpid() or _alive(pid):
            continue
        path = os.path.join(folder, name)
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            os.unlink(path)
        except OSError:
            continue
        removed.append(name)
    return removed


def claim_folder(path):
    """Before an export writes ``path``: remove the temporary files that exports killed by
    SIGKILL (or a power loss) left in its folder, and hold a shared lock on the folder until
    :func:`release_folders`. A file is removed when its name says that a process of this host
    wrote it and that process is gone, and only when no other export holds the folder (the lock
    also covers a process that another PID namespace, a container, hides). Returns the names
    removed. Nothing on a system without ``fcntl`` (Windows)."""
    folder = os.path.dirname(os.path.abspath(through_link(path)))
    if fcntl is None or folder in _claimed:
        return []
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return []
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        alone = True
    except BlockingIOError:
        alone = False       # another export writes into this folder
    except OSError:
        alone = None        # no locks here: the names alone tell
    removed = _remove_stale(folder) if alone is not False else []
    if alone is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError:
            pass
    _claimed[folder] = fd
    return removed


def release_folders():
    """Let go of the folders :func:`claim_folder` holds (the export is over)."""
    for fd in _claimed.values():
        os.close(fd)
    _claimed.clear()


def _temp_in(folder, suffix=""):
    # the stop signals held back while the file is made and listed, so that no signal's
    # exception comes between the two
    mask = None
    if hasattr(signal, "pthread_sigmask"):
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        prefix = "%s%d@%s-" % (_PREFIX, os.getpid(), _host())
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
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


def set_aside(path):
    """Before a new file is renamed onto ``path``: the file there now, kept under a temporary
    name in its folder for :func:`put_back` (a hard link, a copy where the file system makes
    none); None where there is no file (or a folder, which the rename refuses)."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            return None
    except FileNotFoundError:
        return None
    fd, kept = _temp_in(os.path.dirname(os.path.abspath(path)))
    os.close(fd)
    try:
        os.unlink(kept)
        os.link(path, kept, follow_symlinks=False)
    except FileNotFoundError:
        _unlink_quietly(kept)
        return None
    except OSError:
        try:
            shutil.copy2(path, kept)
        except BaseException:
            _unlink_quietly(kept)
            raise
    return kept


def put_back(path, kept, made):
    """Undo the renaming of a new file onto ``path`` (``made``: its ``os.stat()``): the file
    :func:`set_aside` kept is put back in its place, or, where it kept none, the new file is
    removed. Nothing when ``path`` is another file (the new one was not renamed)."""
    try:
        now = os.lstat(path)
    except FileNotFoundError:
        now = None
    if now is not None and not os.path.samestat(now, made):
        return
    try:
        if kept is not None:
            os.replace(kept, path)
            _pending.discard(kept)
        elif now is not None:
            os.unlink(path)
    except OSError:
        pass


def through_link(path):
    """``path``, or where it points when it is a symbolic link to a regular file: an output
    is written through a link, as ``cp`` does, and the link stays (a temporary file renamed onto
    the link would put a regular file in its place and leave the file it points to as it was).
    A link that leads to no file stays ``path``, which :func:`check_link` refuses."""
    if os.path.islink(path) and os.path.isfile(path):
        return os.path.realpath(path)
    return path


def check_link(path, shown=None):
    """ExportError when ``path`` is a symbolic link that leads to no file: to one that does not
    exist (a dangling link, or one into a folder that does not), or round a loop. As
    attnflow-cli and ``cp`` do, an export does not write through it: the file it names could be
    anywhere another user's link in a shared folder (/tmp) points. ``shown``: the name of a
    .npy file beside the JSON file, as the message gives it; None: ``path`` is --output."""
    if not os.path.islink(path):
        return
    try:
        os.stat(path)
        return
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
            return      # the write says what it is (a folder on the way that cannot be read)
        loop = exc.errno == errno.ELOOP
    try:
        target = display_path(os.readlink(path))
    except OSError:
        target = "?"
    if loop:
        message = _("cannot write “%(file)s”: it is a symbolic link that leads back to itself "
                    "(a loop of links)")
    elif shown is None:
        # translators: %(target)s is what the link points to, as it says it
        message = _("cannot write “%(file)s”: it is a symbolic link to “%(target)s”, which does "
                    "not exist: the exporter does not make the file a link points to; give "
                    "--output that file's own name")
    else:
        # translators: a .npy file beside the JSON file, named after it; %(target)s is what the
        # link points to, as it says it
        message = _("cannot write “%(file)s”: it is a symbolic link to “%(target)s”, which does "
                    "not exist: the exporter does not make the file a link points to; remove "
                    "the link or give --output another name")
    raise ExportError(message % {"file": display_path(path if shown is None else shown),
                                 "target": target})


def npy_stem(path):
    """What the .npy files beside the JSON file ``path`` are named after: its name without
    ``.json``."""
    stem = os.path.basename(path)
    return stem[:-len(".json")] if stem.endswith(".json") else stem


def npy_name(stem, example_id, used, suffix=""):
    """``STEM.ID.npy`` (``suffix``: ``.KIND`` before ``.npy``), ``STEM.ID-2.npy`` when
    ``used`` has it; added to ``used``."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", example_id).strip(".") or "example"
    name = "%s.%s%s.npy" % (stem, safe, suffix)
    k = 2
    while name in used:
        name = "%s.%s-%d%s.npy" % (stem, safe, k, suffix)
        k += 1
    used.add(name)
    return name


def claim_target(path, shown, taken):
    """The file ``path`` is written to (:func:`through_link`), added to ``taken`` (the real path
    of each file the export writes, to the name it was given as); ExportError when another of
    its files is written to it already: two .npy names, or one and the JSON file, that are links
    to one file (the last written would hold the other's data, or the JSON file a .npy file)."""
    final = through_link(path)
    real = os.path.realpath(final)
    if real in taken:
        # translators: two files an export writes (a .npy file and the JSON file, or two .npy
        # files) that are one file through symbolic links
        raise ExportError(_("cannot write “%(file)s”: it is a symbolic link to the file “%(other)s” "
                            "is written to, too: remove the link or give --output another name")
                          % {"file": display_path(shown), "other": display_path(taken[real])})
    taken[real] = shown
    return final


def check_links(output, ids=(), kinds=()):
    """:func:`check_link` and :func:`claim_target` for ``output`` and each .npy file an export
    of the examples ``ids`` with the contribution ``kinds`` writes beside it (``ids`` empty:
    none, without ``--npy``), named as :func:`fileio.write_export` names them; before the model
    runs. Returns the real paths of the files written, the JSON file's first."""
    check_link(output)
    taken = {}
    output = claim_target(output, output, taken)
    stem = npy_stem(output)
    used = set()
    for example_id in ids:
        for suffix in [""] + ["." + kind for kind in kinds]:
            path = os.path.join(os.path.dirname(output), npy_name(stem, example_id, used, suffix))
            check_link(path, path)
            claim_target(path, path, taken)
    return list(taken)


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


def atomic_write(path, write, before_rename=None):
    """Write ``path`` through ``write(binary_file)`` into a temporary file renamed at the end,
    so a failure never leaves a half-written file or damages an existing one; a device, FIFO
    or socket (:func:`is_special`) is written to directly. ``before_rename()``, when given, runs
    once the temporary file is complete, before it is renamed (or, for a device, before it is
    written): the files the output names are put in place there, once nothing can fail it."""
    if is_special(path):
        if before_rename is not None:
            before_rename()
        with open(path, "wb") as out:
            write(out)
        return
    path = through_link(path)
    fd, tmp = _temp_in(os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        if before_rename is not None:
            before_rename()
        _publish(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def missing_folder_cause(path, exc):
    """What does not exist when writing ``path`` failed with ``exc``, an OSError that says only
    that something does not (ENOENT): its folder (“its folder does not exist”), or, the folder
    there, the file, in a folder that makes no new files, such as ``/proc`` (“its folder does
    not accept new files”), in attnflow-cli's words; None otherwise (the system's reason
    tells)."""
    if exc.errno != errno.ENOENT:
        return None
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(folder).st_mode
    except OSError as folder_exc:
        # translators: the cause of “cannot write “…”: %s”
        return _("its folder does not exist") if folder_exc.errno == errno.ENOENT else None
    if stat.S_ISDIR(mode) and not os.path.lexists(path):
        # translators: the cause of “cannot write “/proc/x.json”: %s”: a folder, such as
        # /proc, where no file can be made
        return _("its folder does not accept new files")
    return None


def check_writable(path):
    """OSError unless :func:`atomic_write` can write ``path``: it makes a file in ``path``'s
    folder and renames it to ``path``, which must not be a folder or a file without write
    permission (a device, FIFO or socket is only checked for write permission). Run before the
    model, so a bad ``--output`` is not found after it; a missing folder, or one that makes no
    new files (``/proc``), fails with ENOENT, which :func:`missing_folder_cause` explains."""
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
