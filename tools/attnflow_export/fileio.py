# fileio.py: writing attention export v1 files (JSON, base64 arrays, .npy beside the JSON)
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""The file side of the exporter: encoded arrays, ``.npy`` files (whole or written layer by
layer), atomic writes, and the JSON document of attention export v1 (README, "The attention
export")."""

import base64
import json
import os
import shutil
import struct
import sys

import numpy as np

from . import FORMAT, VERSION
from .errors import ExportError
from .i18n import _
from .outfile import (_publish, _temp_in, _unlink_quietly, atomic_write, check_link,  # noqa: F401
                      claim_target, npy_name, npy_stem, put_back, set_aside, through_link)

DTYPES = {"float16": "<f2", "float32": "<f4", "float64": "<f8"}


def dtype_name(dtype):
    for name, code in DTYPES.items():
        if np.dtype(code) == np.dtype(dtype):
            return name
    raise ValueError("unsupported dtype %s" % dtype)


def encode_base64(array, dtype="float32"):
    """``{"dtype": ..., "shape": [...], "base64": ...}``: little-endian, C order."""
    data = np.ascontiguousarray(array, dtype=DTYPES[dtype])
    return {"dtype": dtype, "shape": [int(s) for s in data.shape],
            "base64": base64.b64encode(data.tobytes(order="C")).decode("ascii")}


# every header this module writes has this length, so a streamed file's header can be
# rewritten in place once the number of layers is known
NPY_HEADER_BYTES = 128


def npy_bytes_header(shape, dtype="float32", total=None):
    """The header of a NumPy ``.npy`` format 1.0 file holding a C-ordered array.

    ``total``: pad the header (magic included) to exactly this many bytes; default: the next
    multiple of 64, as NumPy itself writes it.
    """
    if len(shape) == 1:
        shape_text = "(%d,)" % shape[0]
    else:
        shape_text = "(%s)" % ", ".join("%d" % s for s in shape)
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (DTYPES[dtype],
                                                                          shape_text)
    # magic (6) + version (2) + length (2) + header + '\n'
    length = 10 + len(header) + 1
    if total is None:
        header += " " * ((64 - length % 64) % 64) + "\n"
    else:
        if length > total:
            raise ExportError(_("the array has too many dimensions for a .npy header"))
        header += " " * (total - length) + "\n"
    if len(header) > 0xFFFF:
        raise ExportError(_("the array has too many dimensions for a .npy 1.0 header"))
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin-1")


def write_npy(path, array, dtype="float32"):
    """Write ``array`` as a ``.npy`` 1.0 file, little-endian, C order."""
    data = np.ascontiguousarray(array, dtype=DTYPES[dtype])

    def write(out):
        out.write(npy_bytes_header(data.shape, dtype))
        out.write(data.tobytes(order="C"))

    atomic_write(path, write)


class NpyLayerWriter:
    """A ``.npy`` file written one leading slice at a time (``[L][...]``, L growing).

    The data go to a temporary file in ``folder``; :meth:`finish` writes the final header in
    place and returns a :class:`StreamedArray`, which :func:`write_export` renames next to the
    JSON file. Only one slice is in memory at a time.
    """

    def __init__(self, folder, slice_shape, dtype="float16"):
        self.slice_shape = tuple(int(s) for s in slice_shape)
        self.dtype = dtype
        self.count = 0
        fd, self.path = _temp_in(folder, ".npy")
        self.file = os.fdopen(fd, "wb")
        self.file.write(b"\0" * NPY_HEADER_BYTES)

    def append(self, array):
        data = np.ascontiguousarray(array, dtype=DTYPES[self.dtype])
        if data.shape != self.slice_shape:
            raise ExportError(_("a layer of shape %(got)s does not match %(want)s")
                              % {"got": list(data.shape), "want": list(self.slice_shape)})
        self.file.write(data.tobytes(order="C"))
        self.count += 1

    def finish(self):
        shape = (self.count,) + self.slice_shape
        self.file.seek(0)
        self.file.write(npy_bytes_header(shape, self.dtype, total=NPY_HEADER_BYTES))
        self.file.close()
        return StreamedArray(self.path, shape, self.dtype)

    def abort(self):
        if not self.file.closed:
            self.file.close()
        _unlink_quietly(self.path)


class StreamedArray:
    """An array already written to a temporary ``.npy`` file (see :class:`NpyLayerWriter`)."""

    def __init__(self, path, shape, dtype):
        self.path = path
        self.shape = tuple(shape)
        self.dtype = dtype

    @property
    def nbytes(self):
        return int(np.prod(self.shape)) * np.dtype(DTYPES[self.dtype]).itemsize

    def load(self):
        """The array (memory-mapped, read-only)."""
        return np.load(self.path, mmap_mode="r")

    def discard(self):
        _unlink_quietly(self.path)


def example_to_json(example, attention_field, contribution_fields=None):
    out = {"id": example.id}
    if example.text is not None:
        out["text"] = example.text
    out["tokens"] = example.tokens
    out["focus"] = example.focus
    if example.antecedents:
        out["antecedents"] = list(example.antecedents)
    if example.prediction is not None:
        out["prediction"] = example.prediction
    if example.references:
        out["references"] = example.references
    out["attention"] = attention_field
    if contribution_fields:
        out["contributions"] = contribution_fields
        if example.contributions_target is not None:
            out["contributions_target"] = example.contributions_target
    return out


def dumps(doc):
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def write_export(path, model_name, examples, npy=False, dtype="float32"):
    """Write a multi-example export to ``path`` (``"-"``: standard output, not with ``npy``).

    With ``npy``, each example's attention goes to ``STEM.ID.npy`` beside the JSON file (and
    each contribution kind to ``STEM.ID.KIND.npy``) and the JSON names them relatively;
    otherwise they are base64 inside the JSON. An attention already streamed to a ``.npy``
    (:class:`StreamedArray`) is always written as a file. ``dtype`` is the stored type of
    attention held in memory. Returns the list of files written.

    The files are put in place only when all are written, the .npy files first, then the JSON
    file; an export that fails while it does puts back the files of the same names it had
    replaced (an older export's) and removes the others it had put there. A symbolic link to a
    file under one of their names is written through (:func:`outfile.through_link`), one that
    leads to no file refused (:func:`outfile.check_link`).
    """
    streamed = any(isinstance(e.attention, StreamedArray) for e in examples)
    if (npy or streamed) and path == "-":
        raise ExportError(_("--npy needs --output: the .npy files go beside the JSON file"))
    taken = {}      # the real path of each file written, to its name (outfile.claim_target)
    if path != "-":
        check_link(path)
        # through a symbolic link: the .npy files go beside the file the JSON is written to
        path = claim_target(path, path, taken)
    folder = os.path.dirname(os.path.abspath(path)) if path != "-" else None
    stem = npy_stem(path)
    used = set()
    renames = []    # (temporary file, final path)
    replaced = []   # (final path, the file it held, set aside, or None; the new file's stat)
    written = []
    docs = []

    def beside(name):
        """The path of the .npy file ``name``, or of the file it points to when it is a
        symbolic link to one (written through, as the JSON file is); refused when it is a link
        to no file, or to one another file of the export is written to."""
        shown = os.path.join(os.path.dirname(path), name)
        check_link(os.path.join(folder, name), shown)
        return claim_target(os.path.join(folder, name), shown, taken)

    def temp_beside(final):
        """A temporary file in ``final``'s folder, to be renamed onto ``final``."""
        fd, tmp = _temp_in(os.path.dirname(final), ".npy")
        renames.append((tmp, final))
        return fd, tmp

    try:
        for e in examples:
            name = None
            if npy or isinstance(e.attention, StreamedArray):
                name = npy_name(stem, e.id, used)
                final = beside(name)
                if not isinstance(e.attention, StreamedArray):
                    fd, tmp = temp_beside(final)
                    os.close(fd)
                    write_npy(tmp, e.attention, dtype)
                elif os.path.samefile(os.path.dirname(e.attention.path),
                                      os.path.dirname(final)):
                    renames.append((e.attention.path, final))
                else:
                    # through a link into another folder: a rename there could cross file
                    # systems, so the streamed file is copied to a temporary file of that folder
                    fd, tmp = temp_beside(final)
                    with os.fdopen(fd, "wb") as out, open(e.attention.path, "rb") as streamed:
                        shutil.copyfileobj(streamed, out)
                attention_field = {"npy": name}
            else:
                attention_field = encode_base64(e.attention, dtype)
            contribution_fields = {}
            for kind, array in (e.contributions or {}).items():
                if npy:
                    cname = npy_name(stem, e.id, used, "." + kind)
                    fd, tmp = temp_beside(beside(cname))
                    os.close(fd)
                    write_npy(tmp, array, "float32")
                    contribution_fields[kind] = {"npy": cname}
                else:
                    contribution_fields[kind] = encode_base64(array, "float32")
            docs.append(example_to_json(e, attention_field, contribution_fields))
        text = dumps({"format": FORMAT, "version": VERSION, "model": model_name,
                      "examples": docs}) + "\n"
        if path == "-":
            sys.stdout.write(text)
            sys.stdout.flush()
            return written
        # encoded, and written to its temporary file, before any .npy is put in place: a
        # failure there (text that is not UTF-8, a full disk) leaves no .npy that no JSON names
        data = text.encode("utf-8")

        def publish_arrays():
            while renames:
                tmp, final = renames[0]
                replaced.append((final, set_aside(final), os.stat(tmp)))
                _publish(tmp, final)
                written.append(final)
                renames.pop(0)

        atomic_write(path, lambda out: out.write(data), publish_arrays)
        written.append(path)
        return written
    except BaseException:
        # the JSON file not put in place: each .npy file already renamed gives its place back
        # to the file it replaced (an older export's), or goes, so that none is left without
        # the JSON file that names it and an older export stays whole
        if path not in written:
            for final, kept, made in reversed(replaced):
                put_back(final, kept, made)
        raise
    finally:
        for tmp, _final in renames:
            _unlink_quietly(tmp)
        for _final, kept, _made in replaced:
            if kept is not None:
                _unlink_quietly(kept)
        for e in examples:
            if isinstance(e.attention, StreamedArray):
                e.attention.discard()
