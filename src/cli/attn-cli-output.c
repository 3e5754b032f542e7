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
