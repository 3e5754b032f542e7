/* attn-example.h
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * Conventions used throughout the core:
 *   - layers are numbered 1..L as in the paper (layer l maps layer l-1 to layer l;
 *     layer 0 is the input tokens);
 *   - heads and token positions are 0-based;
 *   - a matrix is n x n, row-major, row = query ("from"), column = key ("to").
 */

/**
 * AttnDtype:
 * @ATTN_DTYPE_FLOAT16: IEEE half precision, little-endian
 * @ATTN_DTYPE_FLOAT32: IEEE single precision, little-endian
 * @ATTN_DTYPE_FLOAT64: IEEE double precision, little-endian
 *
 * How an example's attention is stored in memory.
 */
typedef enum
{
  ATTN_DTYPE_FLOAT16,
  ATTN_DTYPE_FLOAT32,
  ATTN_DTYPE_FLOAT64,
} AttnDtype;

const char         *attn_dtype_get_name              (AttnDtype           dtype);

typedef struct
{
  char   *label;
  double  probability;
} AttnCandidate;

#define ATTN_TYPE_EXAMPLE (attn_example_get_type ())

typedef struct _AttnExample AttnExample;

GType               attn_example_get_type            (void) G_GNUC_CONST;
AttnExample        *attn_example_ref                 (AttnExample        *self);
void                attn_example_unref               (AttnExample        *self);

AttnExample        *attn_example_new_from_doubles    (const char         *id,
                                                      const char * const *tokens,
                                                      guint               n_layers,
                                                      guint               n_heads,
                                                      const double       *attention,
                                                      GError            **error);

guint               attn_example_get_index           (const AttnExample  *self);
const char         *attn_example_get_id              (const AttnExample  *self);
const char         *attn_example_get_label           (const AttnExample  *self);
const char         *attn_example_get_text            (const AttnExample  *self);
const char         *attn_example_get_model           (const AttnExample  *self);
guint               attn_example_get_n_tokens        (const AttnExample  *self);
const char * const *attn_example_get_tokens          (const AttnExample  *self);
const char         *attn_example_get_token           (const AttnExample  *self,
                                                      guint               position);
guint               attn_example_get_n_layers        (const AttnExample  *self);
guint               attn_example_get_n_heads         (const AttnExample  *self);
gboolean            attn_example_get_head_mixed      (const AttnExample  *self);
guint               attn_example_get_focus           (const AttnExample  *self);
AttnDtype           attn_example_get_dtype           (const AttnExample  *self);

const char         *attn_example_get_prediction_label (const AttnExample *self);
guint               attn_example_get_n_candidates    (const AttnExample  *self);
const AttnCandidate *attn_example_get_candidate      (const AttnExample  *self,
                                                      guint               index);

guint               attn_example_get_n_references    (const AttnExample  *self);
const char         *attn_example_get_reference_name  (const AttnExample  *self,
                                                      guint               index);
const double       *attn_example_get_reference       (const AttnExample  *self,
                                                      const char         *name);

double              attn_example_get_attention       (const AttnExample  *self,
                                                      guint               layer,
                                                      guint               head,
                                                      guint               query,
                                                      guint               key);
void                attn_example_read_row            (const AttnExample  *self,
                                                      guint               layer,
                                                      guint               head,
                                                      guint               query,
                                                      double             *out);
void                attn_example_read_matrix         (const AttnExample  *self,
                                                      guint               layer,
                                                      guint               head,
                                                      double             *out);

gboolean            attn_token_is_special            (const char         *token);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnExample, attn_example_unref)

G_END_DECLS
