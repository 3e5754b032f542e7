/* attn-file.c: where a save writes, and how: whole or not at all
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attn-error.h"
#include "attn-file.h"

/* resolve_link()'s @code for a link to a file that does not exist */
#define LINK_DANGLING (-1)

/* Why the symbolic link at @path, every link on the way followed, leads to
 * no file (realpath() failed): LINK_DANGLING where the file at its end does
 * not exist in a folder that does; ELOOP for a loop of links; else errno
 * (ENOENT or ENOTDIR: a folder on the way does not exist) */
static int
dangling_code (const char *path)
{
  g_autofree char *at = g_strdup (path);

  /* as many links as the system follows (MAXSYMLINKS) */
  for (guint hops = 0; hops <= 40; hops++)
    {
      g_autofree char *dir = g_path_get_dirname (at);
      g_autofree char *points = NULL;
      GStatBuf st;

      if (g_lstat (at, &st) != 0)
        {
          int code = errno;

          return code == ENOENT && g_file_test (dir, G_FILE_TEST_IS_DIR) ? LINK_DANGLING : code;
        }
      if (!S_ISLNK (st.st_mode))
        return LINK_DANGLING;
      points = g_file_read_link (at, NULL);
      if (points == NULL)
        return errno != 0 ? errno : ENOENT;
      g_free (at);
      at = g_path_is_absolute (points) ? g_steal_pointer (&points) : g_build_filename (dir, points, NULL);
    }
  return ELOOP;
}

/* attn_file_resolve_link(), @code set to why a save does not write
 * through the link (ELOOP, ENOENT …, LINK_DANGLING; 0 when it does), then
 * @file itself */
static GFile *
resolve_link (GFile *file,
              int   *code)
{
  g_autofree char *path = g_file_get_path (file);
  char *real;
  GFile *target;
  GStatBuf st;

  *code = 0;
  if (path == NULL || g_lstat (path, &st) != 0 || !S_ISLNK (st.st_mode))
    return g_object_ref (file);
  real = realpath (path, NULL);
  if (real != NULL)
    {
      target = g_file_new_for_path (real);
      free (real);
      return target;
    }
  /* a dangling link is not written through, as `cp` does not: the file
   * it names could be anywhere another user's link in a shared folder
   * (/tmp) points, which the kernel's protection of such links
   * (fs.protected_symlinks) would have refused */
  *code = dangling_code (path);
  return g_object_ref (file);
}

/**
 * attn_file_resolve_link:
 * @file: a file to save to
 *
 * Saves replace their file whole, through a temporary file renamed onto it;
 * renamed onto a symbolic link, it would put a regular file in the link's
 * place and leave what the link points to as it was. A save to the file
 * this returns writes through the link, as `cp` does; as `cp` does not, it
 * does not write through a link to a file that does not exist (a dangling
 * link), which attn_file_check_target() refuses.
 *
 * Returns: (transfer full): for a local symbolic link to a file, that file
 *   (every link on the way followed, as realpath() does); otherwise, and
 *   for a link that dangles, loops or leads into a folder that does not
 *   exist, @file itself
 */
GFile *
attn_file_resolve_link (GFile *file)
{
  int code;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return resolve_link (file, &code);
}

/* What the file of @mode is, as a noun for the messages of
 * attn_file_check_target() */
static const char *
special_kind (mode_t mode)
{
  if (S_ISDIR (mode))
    return _("a folder");
  if (S_ISFIFO (mode))
    return _("a named pipe (FIFO)");
  if (S_ISCHR (mode))
    return _("a character device");
  if (S_ISBLK (mode))
    return _("a block device");
  if (S_ISSOCK (mode))
    return _("a socket");
  return _("a special file");
}

/* @error: the symbolic link @file leads nowhere a file can be made, for
 * @code (resolve_link()) */
static void
set_link_error (GError **error,
                GFile   *file,
                int      code)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *points = g_file_read_link (path, NULL);
  g_autofree char *shown = points != NULL ? attn_error_display_path (points) : g_strdup ("?");

  if (code == LINK_DANGLING)
    /* translators: the cause of “Could not save the figure to “…”: %s”; %s is what the link
     * points to, as it says it */
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("It is a symbolic link to “%s”, which does not exist: a save does not make the "
                   "file a link points to; save to that file’s own name"), shown);
  else if (code == ELOOP)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS,
                         /* translators: the cause of “Could not save the figure to “…”: %s” */
                         _("It is a symbolic link that leads back to itself (a loop of links)"));
  else if (code == ENOENT || code == ENOTDIR)
    /* translators: the cause of “Could not save the figure to “…”: %s”; %s is what the link
     * points to, as it says it */
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 _("It is a symbolic link to “%s”, whose folder does not exist"), shown);
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (code),
                 /* translators: what the link points to, then the system's reason */
                 _("It is a symbolic link to “%s”: %s"), shown, g_strerror (code));
}

/**
 * attn_file_check_target:
 * @file: a file to save to
 * @error: return location for a #GError
 *
 * A save makes a new file or replaces a regular one. A folder, a named
 * pipe (opening it blocked the save until something read from it: for
 * ever, from a terminal), a device or a socket under @file's name, or where
 * its symbolic link points, is refused, with what it is; so is a symbolic
 * link that loops or leads into a folder that does not exist (a dangling
 * link makes the file it points to). Only local files are looked at; a
 * remote location's save tells.
 *
 * Returns: %FALSE with @error set (%G_IO_ERROR_NOT_REGULAR_FILE, or
 *   %G_IO_ERROR_IS_DIRECTORY for a folder, the system's “Is a directory”;
 *   %G_IO_ERROR_TOO_MANY_LINKS for a loop of links) when @file exists and
 *   is not a regular file, or is a link that leads nowhere
 */
gboolean
attn_file_check_target (GFile   *file,
                        GError **error)
{
  g_autoptr(GFile) target = NULL;
  g_autofree char *path = NULL;
  g_autofree char *shown = NULL;
  GStatBuf st;
  int code;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  target = resolve_link (file, &code);
  if (code != 0)
    {
      set_link_error (error, file, code);
      return FALSE;
    }
  path = g_file_get_path (target);
  if (path == NULL || g_stat (path, &st) != 0 || S_ISREG (st.st_mode))
    return TRUE;
  code = S_ISDIR (st.st_mode) ? G_IO_ERROR_IS_DIRECTORY : G_IO_ERROR_NOT_REGULAR_FILE;
  if (g_file_equal (target, file) && S_ISDIR (st.st_mode))
    /* as every save to a folder said (“Is a directory”) */
    g_set_error_literal (error, G_IO_ERROR, code, g_strerror (EISDIR));
  else if (g_file_equal (target, file))
    /* translators: what the file is: “a named pipe (FIFO)”, “a folder”, “a character device” */
    g_set_error (error, G_IO_ERROR, code, _("It is %s, not a regular file"), special_kind (st.st_mode));
  else
    {
      shown = attn_error_display_file (target);
      /* translators: the file a symbolic link points to, then what it is: “a named pipe (FIFO)” */
      g_set_error (error, G_IO_ERROR, code, _("It links to “%s”, %s, not a regular file"), shown,
                   special_kind (st.st_mode));
    }
  return FALSE;
}

/* The hidden files being written (create_sibling()), for a signal handler
 * to remove (attn_file_remove_on_signals()): each path is copied into its
 * slot before the file is made, so that the handler only reads and unlinks
 * (async-signal-safe); one slot a save, for saves on several threads */
#define N_PENDING 16
#define PENDING_PATH_MAX 4096

enum
{
  SLOT_FREE,
  SLOT_FILLED,  /* the path is there, the file not made yet (or made by another) */
  SLOT_ARMED,   /* the file is ours: an interrupted save removes it */
};

typedef struct
{
  int  state;
  char path[PENDING_PATH_MAX];
} Pending;

static Pending pending[N_PENDING];

/* A slot holding @path, or -1 (all taken, or a path too long to copy) */
static int
pending_fill (const char *path)
{
  gsize length = path != NULL ? strlen (path) : PENDING_PATH_MAX;

  if (length >= PENDING_PATH_MAX)
    return -1;
  for (int i = 0; i < N_PENDING; i++)
    if (g_atomic_int_compare_and_exchange (&pending[i].state, SLOT_FREE, SLOT_FILLED))
      {
        memcpy (pending[i].path, path, length + 1);
        return i;
      }
  return -1;
}

static void
pending_set (int slot,
             int state)
{
  if (slot >= 0)
    g_atomic_int_set (&pending[slot].state, state);
}

/* SIGINT, SIGTERM or SIGHUP while saving: the hidden files removed, then the
 * signal's own action (the handler was reset to it), ending the process */
static void
remove_pending_cb (int sig)
{
  int saved_errno = errno;

  for (int i = 0; i < N_PENDING; i++)
    if (g_atomic_int_get (&pending[i].state) == SLOT_ARMED)
      unlink (pending[i].path);
  errno = saved_errno;
  raise (sig);
}

/**
 * attn_file_remove_on_signals:
 *
 * For a program without a main loop (attnflow-cli): Ctrl+C (SIGINT),
 * SIGTERM or SIGHUP while a save writes its hidden file (attn_file_save())
 * removes that file, and the program then ends by the signal as it would
 * have. A signal the program was started to ignore stays ignored. A write
 * past the limit of a file's size (`ulimit -f`) no longer kills the
 * program by SIGXFSZ, which left the hidden file: it fails (EFBIG, “File too
 * large”), and the save removes the file and says so.
 */
void
attn_file_remove_on_signals (void)
{
  const int signals[] = { SIGINT, SIGTERM, SIGHUP };
  struct sigaction xfsz;

  if (sigaction (SIGXFSZ, NULL, &xfsz) == 0 && xfsz.sa_handler == SIG_DFL)
    signal (SIGXFSZ, SIG_IGN);

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      struct sigaction action = { 0 }, old;

      if (sigaction (signals[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL)
        continue;
      action.sa_handler = remove_pending_cb;
      sigemptyset (&action.sa_mask);
      action.sa_flags = SA_RESETHAND;
      sigaction (signals[i], &action, NULL);
    }
}

/* A new hidden file beside @file to write into (@sibling), moved onto @file
 * once complete: g_file_replace() writes a file that does not exist yet in
 * place, so a run killed while saving (Ctrl+C, a batch stopped half way)
 * left a truncated file under the name asked for. Its name is short, as
 * GLib's own temporary files' are, so that a long target name does not make
 * it too long. %NULL when it cannot be made (no parent, a folder that
 * refuses other files): then the target is written through g_file_replace(),
 * whose errors name the target. */
static GFileOutputStream *
create_sibling (GFile         *file,
                GFile        **sibling,
                int           *slot,
                GCancellable  *cancellable)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);

  if (parent == NULL)
    return NULL;
  for (guint attempt = 0; attempt < 16; attempt++)
    {
      g_autofree char *name = g_strdup_printf (".attnflow-save-%08x", g_random_int ());
      g_autoptr(GFile) tmp = g_file_get_child (parent, name);
      g_autofree char *path = g_file_get_path (tmp);
      g_autoptr(GError) local_error = NULL;
      GFileOutputStream *stream;

      /* armed as soon as it is ours: never another's file of that name */
      *slot = pending_fill (path);
      stream = g_file_create (tmp, G_FILE_CREATE_NONE, cancellable, &local_error);
      if (stream != NULL)
        {
          pending_set (*slot, SLOT_ARMED);
          *sibling = g_steal_pointer (&tmp);
          return stream;
        }
      pending_set (*slot, SLOT_FREE);
      *slot = -1;
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        return NULL;
    }
  return NULL;
}

/* What stops a file being made at @path, for @code (errno), as a cause:
 * “No such file or directory” in a folder that exists is one that makes no
 * new files (/proc), said as attn_export_error_cause() says it */
static void
set_open_error (GError     **error,
                const char  *path,
                int          code)
{
  g_autofree char *folder = g_path_get_dirname (path);

  if (code == ENOENT && g_file_test (folder, G_FILE_TEST_IS_DIR))
    /* translators: the cause of “Could not save the figure to “/proc/x.png”: %s”: a
     * folder, such as /proc, where no file can be made */
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("its folder does not accept new files"));
  else if (code == ENOENT)
    /* translators: the cause of “Could not save the figure to “…”: %s” */
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("its folder does not exist"));
  else
    g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (code), g_strerror (code));
}

/* 0 when @path can be written as a save writes it: an existing file
 * @exists by its permissions (not opened: a viewer watching it would take
 * that for a change), else made (and removed at once); errno otherwise */
static int
try_open (const char *path,
          gboolean    exists)
{
  int fd;

  if (exists)
    return g_access (path, W_OK) == 0 ? 0 : errno;
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0)
    return errno;
  g_unlink (path);
  g_close (fd, NULL);
  return 0;
}

/* Whether a hidden file can be made beside @file (and is removed at once) */
static gboolean
sibling_can_be_made (GFile *file)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GFile) sibling = NULL;
  int slot = -1;

  stream = create_sibling (file, &sibling, &slot, NULL);
  if (stream == NULL)
    return FALSE;
  g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, NULL);
  g_file_delete (sibling, NULL, NULL);
  pending_set (slot, SLOT_FREE);
  return TRUE;
}

/**
 * attn_file_check_save:
 * @file: a file to save to
 * @error: return location for a #GError
 *
 * Refuses, before the work, what attn_file_save() would refuse, by trying
 * what it does rather than asking the permissions (root may write
 * everywhere by them, yet /proc and /sys make no files): the target must
 * be a regular file or none (attn_file_check_target()), and the hidden file
 * it writes is made beside it and removed; where that cannot be made, the
 * save writes the target itself, so an existing target has its permissions
 * checked and a new one is made and removed. Only local files are tried;
 * a remote location's save tells.
 *
 * Returns: %FALSE with @error set (its message the cause alone: “its
 *   folder does not accept new files”, “Permission denied”) when the save
 *   would fail before writing
 */
gboolean
attn_file_check_save (GFile   *file,
                      GError **error)
{
  g_autoptr(GFile) written = NULL;
  g_autofree char *path = NULL;
  GStatBuf st;
  int code;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!attn_file_check_target (file, error))
    return FALSE;
  written = attn_file_resolve_link (file);
  path = g_file_get_path (written);
  if (path == NULL || sibling_can_be_made (written) || (code = try_open (path, g_stat (path, &st) == 0)) == 0)
    return TRUE;
  set_open_error (error, path, code);
  return FALSE;
}

/* Sets @error to why no file or folder can be made in a folder: @code,
 * errno of the attempt */
static void
set_folder_error (GError **error,
                  int      code)
{
  if (code == ENOENT)
    /* translators: the cause of “Could not save the figures in “/proc”: %s”: a folder,
     * such as /proc, where no file can be made */
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("it does not accept new files"));
  else
    g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (code), g_strerror (code));
}

/* A hidden name in the folder @path, for a file or folder made there and
 * removed at once */
static char *
probe_name (const char *path)
{
  return g_strdup_printf ("%s/.attnflow-save-%08x", path, g_random_int ());
}

/**
 * attn_file_check_folder:
 * @folder: a folder to save files in
 * @error: return location for a #GError
 *
 * As attn_file_check_save(), for the files a batch saves in @folder when
 * it exists: a hidden file is made in it and removed.
 *
 * Returns: %FALSE with @error set (its message the system's reason, or
 *   “it does not accept new files”) when no file can be made in it
 */
gboolean
attn_file_check_folder (GFile   *folder,
                        GError **error)
{
  g_autoptr(GFile) child = g_file_get_child (folder, "x");
  g_autofree char *path = g_file_get_path (folder);
  g_autofree char *probe = NULL;
  int code;

  g_return_val_if_fail (G_IS_FILE (folder), FALSE);

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_DIR) || sibling_can_be_made (child))
    return TRUE;
  /* the reason, from the system */
  probe = probe_name (path);
  if ((code = try_open (probe, FALSE)) == 0)
    return TRUE;
  set_folder_error (error, code);
  return FALSE;
}

/**
 * attn_file_check_new_folder:
 * @parent: an existing folder a batch is to make its folder in
 * @error: return location for a #GError
 *
 * As attn_file_check_folder(), for a folder a batch makes in @parent (and
 * then its files): a hidden folder is made in it and removed, so the
 * reason is the one making the folder gives, which may not be a file's
 * (in /sys, “Operation not permitted” for a folder where a file is
 * refused with “Permission denied”).
 *
 * Returns: %FALSE with @error set (its message the system's reason, or
 *   “it does not accept new files”) when no folder can be made in it
 */
gboolean
attn_file_check_new_folder (GFile   *parent,
                            GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *probe = NULL;
  int code;

  g_return_val_if_fail (G_IS_FILE (parent), FALSE);

  path = g_file_get_path (parent);
  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;
  probe = probe_name (path);
  if (g_mkdir (probe, 0700) == 0)
    {
      g_rmdir (probe);
      return TRUE;
    }
  code = errno;
  /* a name taken (by chance) says nothing of the folder: saving tells */
  if (code == EEXIST)
    return TRUE;
  set_folder_error (error, code);
  return FALSE;
}

/**
 * attn_file_save:
 * @file: the target
 * @write: writes the contents
 * @user_data: for @write
 * @cancellable: (nullable): a #GCancellable
 * @failed: (out) (optional) (transfer full): on failure, the file @error
 *   is about: the target, what it links to, or the temporary file beside it
 *   (to cut @error's message to its cause, attn_export_error_cause())
 * @error: return location for a #GError, as GIO or @write set it
 *
 * The one way attnflow saves a file, figures and tables alike. The bytes
 * go to a new hidden file beside the target (the file a symbolic link
 * points to, attn_file_resolve_link()), which is moved onto it only when
 * everything was written and closed: an existing target keeps its
 * permissions; on any error the temporary file is removed and an existing
 * target is left as it was; a run killed while saving leaves no truncated
 * file under the target's name. A target that exists and is not a regular
 * file (a folder, a named pipe, a device) is refused before anything is
 * written (attn_file_check_target()). Where no such file can be made (a
 * remote location, which may not move files, a folder that refuses new
 * files), g_file_replace() writes the target.
 *
 * Returns: %TRUE on success
 */
gboolean
attn_file_save (GFile              *file,
                AttnFileWriteFunc   write,
                gpointer            user_data,
                GCancellable       *cancellable,
                GFile             **failed,
                GError            **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GCancellable) abort_close = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFile) sibling = NULL;
  g_autoptr(GFile) written = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean existed;
  int slot = -1;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (write != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  /* a regular file or none: a named pipe blocked the save for ever */
  if (!attn_file_check_target (file, &local_error))
    {
      if (failed != NULL)
        *failed = g_object_ref (file);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* through a symbolic link, into what it points to */
  written = attn_file_resolve_link (file);
  info = g_file_query_info (written, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_UNIX_MODE,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  existed = info != NULL;
  /* a hidden file moved onto the name: locally (a remote location may not
   * move files, where g_file_replace() works), onto a regular file or none */
  if (g_file_is_native (written) && (!existed || g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR))
    stream = create_sibling (written, &sibling, &slot, cancellable);
  /* with the permissions of the file it replaces */
  if (stream != NULL && existed && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_UNIX_MODE))
    g_file_set_attribute_uint32 (sibling, G_FILE_ATTRIBUTE_UNIX_MODE,
                                 g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE) & 07777,
                                 G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (stream == NULL)
    stream = g_file_replace (written, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                             &local_error);
  if (stream == NULL)
    goto failed;

  if (write (G_OUTPUT_STREAM (stream), user_data, cancellable, &local_error)
      && g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &local_error)
      && (sibling == NULL
          || g_file_move (sibling, written, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                          NULL, NULL, NULL, &local_error)))
    {
      pending_set (slot, SLOT_FREE);
      return TRUE;
    }

  abort_close = g_cancellable_new ();
  g_cancellable_cancel (abort_close);
  g_output_stream_close (G_OUTPUT_STREAM (stream), abort_close, NULL);
  if (sibling != NULL)
    g_file_delete (sibling, NULL, NULL);
  pending_set (slot, SLOT_FREE);
  if (sibling == NULL && !existed)
    g_file_delete (written, NULL, NULL);

failed:
  if (failed != NULL)
    *failed = g_object_ref (sibling != NULL ? sibling : written);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
