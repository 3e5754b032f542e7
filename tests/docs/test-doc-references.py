#!/usr/bin/env python3
# test-doc-references.py: what the documentation names in the code exists, where it says
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-doc-references.py SOURCE_ROOT
#
# In README.md, docs/*.md, tools/README.md and tests/*/README.md, each `code` span that names
# - a function, `name()`: a C function defined at the start of a line in src/, tests/ or bench/,
#   or a Python def in tools/ or tests/ (GLib's, GTK's and cairo's own, and the `_get_label()`
#   shorthand of a name just before, are left alone);
# - a function "in" a file, "`name()` in `file.c`": defined in that file;
# - a constant or type of ours, `ATTN_…` or `Attn…`: named in src/;
# - a source file (`.c`, `.h`, `.py`, `.ui`, `.sh`, `.build`, `.xml`, `.[ch]`, a glob such as
#   `attn-loader*.c`) or a folder path of the repository (`src/core`, `tests/data/expected/`):
#   present, by its path or, for a bare file name, under any folder;
# - a test path, `/attn/layer/unit/case`: registered by a test program;
# and each relative link to a file leads to one. TAP output, one line per document.

import fnmatch
import os
import re
import subprocess
import sys

DOCS = ["README.md", "docs/*.md", "tools/README.md", "tests/*/README.md"]
FOREIGN = ("g_", "gtk_", "gdk_", "adw_", "cairo_", "pango_", "json_", "fribidi_")
SOURCE_EXT = re.compile(r"\.(c|h|py|ui|sh|build|xml|\[ch\])$")
TOP = ("src", "tests", "tools", "bench", "data", "docs", "ui", "po", "build-aux")
# files of other projects the documents name: the authors' code behind the golden values
FOREIGN_FILES = {"attention_graph_util.py"}


def source_files(root):
    """The repository's files: git's list, or in a tree without git (a release tarball) every
    file but the build folders'."""
    try:
        out = subprocess.run(["git", "-C", root, "ls-files"], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout:
            return out.stdout.split()
    except OSError:
        pass
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(("_build", "."))]
        files += [os.path.relpath(os.path.join(folder, n), root) for n in names]
    return files


def read(root, path):
    with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
        return f.read()


class Code:
    def __init__(self, root):
        self.files = source_files(root)
        self.fileset = set(self.files)
        self.dirs = {os.path.dirname(f) for f in self.files}
        for f in list(self.dirs):
            while f:
                f = os.path.dirname(f)
                self.dirs.add(f)
        self.basenames = {os.path.basename(f) for f in self.files}
        self.defined = {}  # function name -> files defining it
        src_text = []
        self.test_paths = set()
        for f in self.files:
            if not f.startswith(("src/", "tests/", "bench/", "tools/")) or not f.endswith((".c", ".h", ".py")):
                continue
            text = read(root, f)
            if f.startswith("src/"):
                src_text.append(text)
            if f.endswith(".c"):
                for m in re.finditer(r"^([A-Za-z_]\w*) \(", text, re.M):
                    self.defined.setdefault(m.group(1), set()).add(f)
                for m in re.finditer(r"\"(/attn/[\w/-]+)\"", text):
                    self.test_paths.add(m.group(1))
            elif f.endswith(".py"):
                for m in re.finditer(r"^\s*def (\w+)\(", text, re.M):
                    self.defined.setdefault(m.group(1), set()).add(f)
        self.src = "\n".join(src_text)

    def path_exists(self, path, doc):
        path = path.rstrip("/")
        for p in (path, os.path.normpath(os.path.join(os.path.dirname(doc), path))):
            if p in self.fileset or p in self.dirs:
                return True
            if any(c in p for c in "*?[") and (fnmatch.filter(self.files, p) or fnmatch.filter(self.dirs, p)):
                return True
        if "/" not in path:
            pattern = path.replace(".[ch]", ".c")
            return any(fnmatch.fnmatch(b, pattern) for b in self.basenames)
        return False


def check(doc, text, code):
    stale = []

    def where(offset):
        return "%s:%d" % (doc, text.count("\n", 0, offset) + 1)

    for m in re.finditer(r"\]\(([^)\s#]+)(#[^)]*)?\)", text):
        target = m.group(1)
        if not re.match(r"[a-z]+:", target) and not code.path_exists(target, doc):
            stale.append("%s: link to %s, which is not in the repository" % (where(m.start()), target))

    for m in re.finditer(r"`([A-Za-z_]\w*)\(\)` in\s+`([\w.-]+\.c)`", text):
        name, path = m.groups()
        files = code.defined.get(name, set())
        if files and not any(os.path.basename(f) == path for f in files):
            stale.append("%s: %s() is not in %s but in %s" % (where(m.start()), name, path,
                                                              ", ".join(sorted(files))))

    for m in re.finditer(r"`([^`\n]+)`", text):
        span = m.group(1).strip()
        at = where(m.start())
        f = re.fullmatch(r"([A-Za-z_]\w*)\(\)", span)
        if f:
            name = f.group(1)
            if name.startswith(FOREIGN) or (name.startswith("_") and not name.startswith("_attn")):
                continue
            if name not in code.defined and "_" in name:
                stale.append("%s: function %s() is defined nowhere" % (at, name))
            continue
        if re.fullmatch(r"(ATTN_[A-Z0-9_]+|Attn[A-Z]\w*)", span):
            if not re.search(r"\b%s\b" % re.escape(span), code.src):
                stale.append("%s: %s is named nowhere in src/" % (at, span))
            continue
        if re.fullmatch(r"/attn(/[\w-]+){3}", span):
            if span not in code.test_paths:
                stale.append("%s: no test program registers %s" % (at, span))
            continue
        if not re.fullmatch(r"[\w.*?\[\]/-]+", span) or span in FOREIGN_FILES:
            continue
        top = span.split("/")[0] if "/" in span else None
        if top is not None and top not in TOP:
            continue  # an installed path (share/…), a build folder's (_build/…)
        if top is None and not SOURCE_EXT.search(span):
            continue
        if top is not None and not SOURCE_EXT.search(span) and "." in os.path.basename(span):
            continue  # a data file (examples, fixtures): their own READMEs describe them
        if not code.path_exists(span, doc) and span + ".c" not in code.fileset:
            stale.append("%s: %s is not in the repository" % (at, span))
    return stale


def main():
    root = sys.argv[1]
    code = Code(root)
    docs = []
    for pattern in DOCS:
        docs += sorted(fnmatch.filter(code.files, pattern))
    print("1..%d" % len(docs))
    failed = 0
    for i, doc in enumerate(docs, 1):
        stale = check(doc, read(root, doc), code)
        print("%s %d - %s" % ("not ok" if stale else "ok", i, doc))
        for s in stale:
            print("# " + s)
        failed += bool(stale)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
