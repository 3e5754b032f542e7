/* attn-cli-output.c: what attnflow-cli checks of the files and folders it
 * is to save to, before it reads its inputs and does the work
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <errno.h>
#include <sys/stat.h>

#include "attn-cli.h"

/**
 * attn_cli_check_not_folder:
 * @path: a figure file, as given on the command line
 * @option: the option that gave it (“--output”, “--plot”)
 * @instead: (nullable): the option that takes a folder (“--output-dir”), or %NULL
 * @error: return location for an error
 *
 * Whether @path names a file rather than a folder (it ends in a separator, or
 * is one, also with a figure's extension: “plots.png/”): what --output and
 * --plot say of a folder, in one message, before its missing extension.
 *
 * Returns: %FALSE with @error set (%ATTN_ERROR_ARGUMENT) when @path is a folder
 */
gboolean
attn_cli_check_not_folder (const char  *path,
                           const char  *option,
                           const char  *instead,
                           GError     **error)
{
  g_autofree char *shown = NULL;

  if (!g_str_has_suffix (path, G_DIR_SEPARATOR_S) && !g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;
  shown = attn_error_escape_text (path, -1);
  if (instead == NULL)
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                 /* translators: a folder, then the option it was given as */
                 _("“%s” is a folder: %s takes a file whose name ends in .png, .svg or .pdf"),
                 shown, option);
  else
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                 /* translators: a folder, the option it was given as, then the option that
                  * takes a folder */
                 _("“%s” is a folder: %s takes a file whose name ends in .png, .svg or .pdf "
                   "(for one figure per example in that folder, give %s instead)"),
                 shown, option, instead);
  return FALSE;
}

/**
 * attn_cli_check_output_folder:
 * @path: a file to save a figure to, as given on the command line
 *
 * Whether the folder of @path exists and is a folder, @path is not a
 * folder, nor a named pipe, a device or a socket (attn_file_check_target():
 * a named pipe blocked the save for ever), and the save can make its files
 * there, tried as it does (attn_file_check_save(): root passes access() in
 * /proc and /sys, where no file can be made): to fail before the work, with
 * the message saving would give after it (attn_figure_save()), naming
 * @path as given.
 *
 * Returns: %FALSE with @error set (%ATTN_ERROR_IO) when not
 */
gboolean
attn_cli_check_output_folder (const char  *path,
                              GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *target = g_file_get_path (file);
  g_autofree char *folder = parent != NULL ? g_file_get_path (parent) : NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GError) special = NULL;
  const char *reason;
  struct stat info;
  int code = 0;

  /* not a local file (a URI): saving tells */
  if (target == NULL || folder == NULL)
    return TRUE;
  if (stat (folder, &info) != 0)
    code = errno;
  else if (!S_ISDIR (info.st_mode))
    code = ENOTDIR;
  else if (stat (target, &info) == 0 && S_ISDIR (info.st_mode))
    code = EISDIR;
  if (code == 0 && attn_file_check_save (file, &special))
    return TRUE;

  shown = attn_error_escape_text (path, -1);
  /* a missing folder as saving says it (attn_export_error_cause()) */
  reason = special != NULL ? special->message : code == ENOENT ? _("its folder does not exist") : g_strerror (code);
  /* translators: a path, then the system's reason */
  g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Could not save the figure to “%s”: %s"), shown, reason);
  return FALSE;
}

/* Whether the folder @path (missing; @given as given) can be made, as
 * saving makes it with its missing parents (attn_figure_save_batch()): the
 * nearest of them that exists is a folder a file can be made in
 * (attn_file_check_folder()). Else the message saving gave after the work
 * (“Could not make the folder “/proc/x”: its folder does not accept new
 * files”), or, with folders missing between, one that names the folder
 * that refuses them (saving named “/proc/self/x/y”'s folder missing). */
static gboolean
check_new_folder (const char  *path,
                  const char  *given,
                  GError     **error)
{
  g_autofree char *base = g_strdup (path), *shown = NULL, *shown_base = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) refused = NULL;
  const char *reason;
  guint up = 0;
  struct stat info;

  /* the nearest parent that exists (“figures/” is the folder itself) */
  for (;;)
    {
      char *parent = g_path_get_dirname (base);
      gboolean top = g_str_equal (parent, base);

      up += !g_str_has_suffix (base, G_DIR_SEPARATOR_S);
      g_free (base);
      base = parent;
      if (top)
        return TRUE;
      if (stat (base, &info) == 0)
        break;
      if (errno != ENOENT && errno != ENOTDIR)
        return TRUE;
    }
  folder = g_file_new_for_path (base);
  if (S_ISDIR (info.st_mode) && attn_file_check_folder (folder, &refused))
    return TRUE;
  reason = refused == NULL ? g_strerror (ENOTDIR) : refused->message;
  shown = attn_error_escape_text (given, -1);
  if (up > 1)
    {
      shown_base = attn_error_escape_text (base, -1);
      /* translators: the folder of --output-dir, the nearest of its parents that exists,
       * then the system's reason (“it does not accept new files”) */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Could not make the folder “%s” in “%s”: %s"),
                   shown, shown_base, reason);
      return FALSE;
    }
  /* as saving says it (attn_export_error_cause()) */
  if (g_error_matches (refused, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    reason = _("its folder does not accept new files");
  g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Could not make the folder “%s”: %s"), shown, reason);
  return FALSE;
}

/**
 * attn_cli_check_output_dir:
 * @path: the folder of --output-dir, as given on the command line
 *
 * Whether the figures can be saved in @path: to fail before the files are
 * read and the first figure drawn. A file is made in it and removed
 * (attn_file_check_folder()), so a folder root may write in (even 0555)
 * passes, as saving would succeed, and /proc, which root may write in by
 * its permissions but which makes no files, does not. A folder that does
 * not exist must be one saving can make (check_new_folder()). A file is
 * left to saving, which says it is no folder (attn_figure_save_batch()).
 *
 * Returns: %FALSE with @error set (%ATTN_ERROR_IO) when not
 */
gboolean
attn_cli_check_output_dir (const char  *path,
                           GError     **error)
{
  g_autoptr(GFile) folder = g_file_new_for_commandline_arg (path);
  g_autofree char *local = g_file_get_path (folder);
  g_autofree char *shown = NULL;
  g_autoptr(GError) refused = NULL;
  struct stat info;

  if (local == NULL)
    return TRUE;
  if (stat (local, &info) != 0)
    return (errno != ENOENT && errno != ENOTDIR) ||
           check_new_folder (g_uri_peek_scheme (path) == NULL ? path : local, path, error);
  if (!S_ISDIR (info.st_mode) || attn_file_check_folder (folder, &refused))
    return TRUE;
  shown = attn_error_escape_text (path, -1);
  /* translators: a folder, then the system's reason */
  g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Could not save the figures in “%s”: %s"),
               shown, refused->message);
  return FALSE;
}
