/* attn-document-private.h
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-document.h"

G_BEGIN_DECLS

struct _AttnDocument
{
  gatomicrefcount  ref_count;
  char            *path;      /* nullable */
  char            *model;     /* nullable */
  GPtrArray       *examples;  /* AttnExample* */
  GPtrArray       *warnings;  /* char*, NULL-terminated (a trailing NULL is kept) */
  GPtrArray       *files;     /* char*, NULL-terminated: the export, then each .npy */
};

AttnDocument *_attn_document_new                  (void);
AttnDocument *_attn_document_load_mapped         (const char    *text,
                                                  gsize          length,
                                                  const char    *base_dir,
                                                  GCancellable  *cancellable,
                                                  GError       **error);
AttnDocument *_attn_document_load_from_data_full (const char    *data,
                                                  gsize          length,
                                                  const char    *base_dir,
                                                  gboolean       dense_arrays,
                                                  GCancellable  *cancellable,
                                                  GError       **error);

G_END_DECLS
