/* attn-loader-guard.c: reading a mapped file that may shrink under us
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The export is mapped, not read, so that a 200 MB base64 payload is decoded
 * without being resident twice. A mapped file that is truncated while it is
 * read (a re-export to the same path truncates it first) makes the next read
 * of a page past its new end raise SIGBUS. Every read of the mapped text goes
 * through _attn_loader_guarded(): a SIGBUS handler installed once jumps back
 * out of a fault inside the text the calling thread is reading, and the load
 * fails with a clear error. Faults anywhere else go to the handler that was
 * there before (or the default action), as if this one did not exist.
 *
 * Guarded functions touch nothing but the text and buffers the Loader owns,
 * so jumping out of them leaks nothing: the Loader frees what they built.
 * json-glib never sees the mapping (it parses the skeleton, our copy).
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#ifdef G_OS_UNIX
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "attn-loader-private.h"

#ifdef G_OS_UNIX

typedef struct _Guard Guard;
struct _Guard
{
  sigjmp_buf  env;
  const char *start;
  gsize       length;
  Guard      *outer;
};

/* The guard of the calling thread (SIGBUS is delivered to the thread that
 * faulted). */
static __thread Guard *current_guard;
static struct sigaction previous_action;

static void
sigbus_cb (int        signal_number,
           siginfo_t *info,
           void      *context)
{
  Guard *guard = current_guard;

  if (guard != NULL && info != NULL &&
      (guintptr) info->si_addr - (guintptr) guard->start < guard->length)
    siglongjmp (guard->env, 1);

  /* not ours */
  if ((previous_action.sa_flags & SA_SIGINFO) && previous_action.sa_sigaction != NULL)
    previous_action.sa_sigaction (signal_number, info, context);
  else if (previous_action.sa_handler != SIG_DFL && previous_action.sa_handler != SIG_IGN &&
           !(previous_action.sa_flags & SA_SIGINFO))
    previous_action.sa_handler (signal_number);
  else
    /* back to the default action: returning repeats the faulting access */
    sigaction (SIGBUS, &previous_action, NULL);
}

static void
install_handler (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      struct sigaction action;

      memset (&action, 0, sizeof action);
      action.sa_sigaction = sigbus_cb;
      action.sa_flags = SA_SIGINFO;
      sigemptyset (&action.sa_mask);
      sigaction (SIGBUS, &action, &previous_action);
      g_once_init_leave (&installed, 1);
    }
}

#endif

/* The error of a file that changed while it was read */
void
_attn_loader_set_changed_error (GError **error)
{
  g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_IO,
                       _("The file was truncated or rewritten while it was being read; "
                         "open it again once it is complete"));
}

static void
set_changed_error (Loader  *self,
                   GError **error)
{
  if (self->fatal == NULL)
    _attn_loader_set_changed_error (&self->fatal);
  if (error != NULL)
    *error = g_error_copy (self->fatal);
}

/*
 * _attn_loader_guarded:
 * Runs @func, which reads the mapped text. When the file shrank under it, sets
 * @error (and the loader's fatal error) instead of crashing.
 */
gboolean
_attn_loader_guarded (Loader       *self,
                      GuardedFunc   func,
                      gpointer      data,
                      GError      **error)
{
#ifdef G_OS_UNIX
  Guard guard;
  gboolean ok;

  if (!self->mapped)
    return func (self, data, error);

  install_handler ();
  guard.start = self->text;
  guard.length = self->length;
  guard.outer = current_guard;

  if (sigsetjmp (guard.env, 1) == 0)
    {
      current_guard = &guard;
      ok = func (self, data, error);
      current_guard = guard.outer;
      return ok;
    }

  current_guard = guard.outer;
  set_changed_error (self, error);
  return FALSE;
#else
  return func (self, data, error);
#endif
}

typedef struct
{
  gsize  offset;
  gsize  length;
  char  *out;
} Copy;

static gboolean
copy_cb (Loader   *self,
         gpointer  data,
         GError  **error)
{
  Copy *copy = data;

  memcpy (copy->out, self->text + copy->offset, copy->length);
  return TRUE;
}

/* Copies [offset, offset + length) of the text into @out; FALSE (and the
 * loader's fatal error) when the file shrank. */
gboolean
_attn_loader_copy_text (Loader *self,
                        gsize   offset,
                        gsize   length,
                        char   *out)
{
  Copy copy = { offset, length, out };

  return _attn_loader_guarded (self, copy_cb, &copy, NULL);
}

/* Drops the resident pages of [from, to) of a mapped text: they come back
 * from the page cache if touched again. */
void
_attn_loader_release_text (Loader *self,
                           gsize   from,
                           gsize   to)
{
#if defined(G_OS_UNIX) && defined(MADV_DONTNEED)
  static gsize page_size = 0;
  guintptr start, end;

  if (!self->mapped || to <= from)
    return;

  if (page_size == 0)
    page_size = (gsize) sysconf (_SC_PAGESIZE);

  start = ((guintptr) (self->text + from) + page_size - 1) & ~(guintptr) (page_size - 1);
  end = ((guintptr) (self->text + to)) & ~(guintptr) (page_size - 1);
  if (end > start)
    madvise ((void *) start, end - start, MADV_DONTNEED);
#endif
}
