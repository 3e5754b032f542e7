/* attn-loader.c: reads attention export v1 (DESIGN.md §3)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "attn-document-private.h"
#include "attn-error.h"

/* Placeholder until the loader lands: refuses every file. */
AttnDocument *
attn_document_load_from_data (const char    *data,
                              gsize          length,
                              const char    *base_dir,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_UNSUPPORTED, "loader not written yet");
  return NULL;
}

AttnDocument *
attn_document_load (const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_UNSUPPORTED, "loader not written yet");
  return NULL;
}
