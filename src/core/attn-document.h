/* attn-document.h: an open export: its examples, warnings and files (and whether they
 * changed since), and the examples that make minimal pairs
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "attn-example.h"

G_BEGIN_DECLS

#define ATTN_TYPE_DOCUMENT (attn_document_get_type ())

typedef struct _AttnDocument AttnDocument;

GType               attn_document_get_type         (void) G_GNUC_CONST;
AttnDocument       *attn_document_ref              (AttnDocument   *self);
void                attn_document_unref            (AttnDocument   *self);

AttnDocument       *attn_document_load             (const char     *path,
                                                    GCancellable   *cancellable,
                                                    GError        **error);
AttnDocument       *attn_document_load_from_data   (const char     *data,
                                                    gsize           length,
                                                    const char     *base_dir,
                                                    GCancellable   *cancellable,
                                                    GError        **error);
void                attn_document_load_async       (const char     *path,
                                                    GCancellable   *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer        user_data);
AttnDocument       *attn_document_load_finish      (GAsyncResult   *result,
                                                    GError        **error);

const char         *attn_document_get_path         (const AttnDocument *self);
char               *attn_document_get_display_name (const AttnDocument *self);
char              **attn_document_names_distinct   (GPtrArray          *documents);
const char         *attn_document_get_model        (const AttnDocument *self);
guint               attn_document_get_n_examples   (const AttnDocument *self);
AttnExample        *attn_document_get_example      (const AttnDocument *self,
                                                    guint               index);
gboolean            attn_document_has_references   (const AttnDocument *self);
AttnExample        *attn_document_find_example     (const AttnDocument *self,
                                                    const char         *id_or_index,
                                                    GError            **error);
const char * const *attn_document_get_warnings     (const AttnDocument *self);
const char * const *attn_document_get_files        (const AttnDocument *self);
gboolean            attn_document_files_changed    (const AttnDocument *self,
                                                    const char        **changed_path);

guint               attn_examples_count_differences (const AttnExample *a,
                                                     const AttnExample *b);
gboolean            attn_examples_are_minimal_pair  (const AttnExample *a,
                                                     const AttnExample *b);
int                 attn_examples_find_partner      (AttnExample * const *examples,
                                                     guint                n_examples,
                                                     guint                index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnDocument, attn_document_unref)

G_END_DECLS
