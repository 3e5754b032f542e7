/* attn-file.h: where a save writes, and how: whole or not at all
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * AttnFileWriteFunc:
 * @stream: the stream of the file being written (closed by attn_file_save())
 * @user_data: the data given to attn_file_save()
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes a file's contents to @stream.
 *
 * Returns: %TRUE when everything was written
 */
typedef gboolean (*AttnFileWriteFunc) (GOutputStream  *stream,
                                       gpointer        user_data,
                                       GCancellable   *cancellable,
                                       GError        **error);

GFile    *attn_file_resolve_link (GFile              *file);
gboolean  attn_file_check_target (GFile              *file,
                                  GError            **error);
gboolean  attn_file_check_save   (GFile              *file,
                                  GError            **error);
gboolean  attn_file_check_folder (GFile              *folder,
                                  GError            **error);
gboolean  attn_file_check_new_folder (GFile          *parent,
                                      GError        **error);
gboolean  attn_file_save         (GFile              *file,
                                  AttnFileWriteFunc   write,
                                  gpointer            user_data,
                                  GCancellable       *cancellable,
                                  GFile             **failed,
                                  GError            **error);
void      attn_file_remove_on_signals (void);

G_END_DECLS
