/* attn-toast.c: toasts that show what they say, and name the file
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-toast.h"

/**
 * attn_toast_new:
 * @message: plain text, such as an error message quoting a file
 * @seconds: how long it stays
 *
 * libadwaita 1.2 reads a toast's title as Pango markup: a message holding
 * `<data>` (json-glib's name for the text it parsed) or a file name with `&`
 * would show an empty toast. The message is escaped, so it shows as it is.
 *
 * Returns: (transfer full): the toast
 */
AdwToast *
attn_toast_new (const char *message,
                guint       seconds)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, seconds);
  return toast;
}

/**
 * attn_toast_file_message:
 * @path: (nullable): the file @message is about
 * @message: what happened (the loader's messages name the example and the
 *   field, not the file)
 *
 * Returns: (transfer full): "“file.json”: @message", or @message without a file
 */
char *
attn_toast_file_message (const char *path,
                         const char *message)
{
  g_autofree char *name = NULL;
  g_autofree char *display = NULL;

  if (path == NULL)
    return g_strdup (message);

  name = g_path_get_basename (path);
  display = g_filename_display_name (name);
  /* translators: a file name, then what happened to or in it */
  return g_strdup_printf (_("“%s”: %s"), display, message);
}

/**
 * attn_toast_save_message:
 * @file: the file saved
 * @error: (nullable): why it was not
 *
 * Returns: (transfer full): "Saved “name”", or "Could not save “name”: ..."
 */
char *
attn_toast_save_message (GFile        *file,
                         const GError *error)
{
  g_autofree char *name = file != NULL ? g_file_get_basename (file) : NULL;
  g_autofree char *display = name != NULL ? g_filename_display_name (name) : g_strdup ("");

  if (error != NULL)
    /* translators: file name, error message */
    return g_strdup_printf (_("Could not save “%s”: %s"), display, error->message);
  /* translators: file name */
  return g_strdup_printf (_("Saved “%s”"), display);
}
