/* attn-document-private.h: what the loader sets of a document, and the state of its files
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
  GArray          *file_states; /* AttnFileState, one per file, as it was read */
};

/* A file as the loader read it (fstat of the descriptor it read). */
typedef struct
{
  gint64   size;
  gint64   mtime_ns;
  guint64  inode;
  guint64  device;
} AttnFileState;

AttnDocument *_attn_document_new                  (void);
void          _attn_document_add_file             (AttnDocument  *self,
                                                  const char    *path,
                                                  const AttnFileState *state,
                                                  gboolean       first);
void          _attn_document_label_examples      (AttnDocument  *self);
void          _attn_file_state_from_fd            (int            fd,
                                                  AttnFileState *state);
gboolean      _attn_file_state_changed            (const char    *path,
                                                  const AttnFileState *then);
AttnDocument *_attn_document_load_mapped         (const char    *text,
                                                  gsize          length,
                                                  const char    *path,
                                                  const AttnFileState *state,
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
