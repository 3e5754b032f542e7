/* attn-file.c: where a save writes
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "attn-file.h"

/**
 * attn_file_resolve_link:
 * @file: a file to save to
 *
 * Saves replace their file whole, through a temporary file renamed onto it;
 * renamed onto a symbolic link, it would put a regular file in the link's
 * place and leave what the link points to as it was. A save to the file
 * this returns writes through the link, as `cp` does.
 *
 * Returns: (transfer full): for a local symbolic link whose target exists,
 *   that target (every link on the way followed, as realpath() does);
 *   otherwise @file itself (a dangling link is replaced)
 */
GFile *
attn_file_resolve_link (GFile *file)
{
  g_autofree char *path = NULL;
  char *real;
  GFile *target;
  GStatBuf st;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  path = g_file_get_path (file);
  if (path == NULL || g_lstat (path, &st) != 0 || !S_ISLNK (st.st_mode))
    return g_object_ref (file);
  real = realpath (path, NULL);
  if (real == NULL)
    return g_object_ref (file);
  target = g_file_new_for_path (real);
  free (real);
  return target;
}
