/* attn-example.h: one example of an export: its tokens, attention, prediction,
 * references, antecedents and weight kinds (contributions)
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

/**
 * AttnWeightKind:
 * @ATTN_WEIGHT_KIND_ATTENTION: the attention weights (the `attention` field)
 * @ATTN_WEIGHT_KIND_NORM: norm-based attention ||α f(x)|| (Kobayashi et al. 2020)
 * @ATTN_WEIGHT_KIND_GLOBENC: GlobEnc (Modarressi et al. 2022)
 * @ATTN_WEIGHT_KIND_ALTI: ALTI (Ferrando et al. 2022)
 * @ATTN_WEIGHT_KIND_VALUE_ZEROING: Value Zeroing (Mohebbi et al. 2023)
 * @ATTN_WEIGHT_KIND_ATTN_GRAD: gradient-weighted attention (Chefer et al. 2021)
 * @ATTN_N_WEIGHT_KINDS: how many there are
 *
 * What the graph's edges weigh: the attention, or one kind of the example's
 * `contributions` (README, "The attention export"), each an [L][H][n][n] or
 * [L][n][n] tensor.
 */
typedef enum
{
  ATTN_WEIGHT_KIND_ATTENTION,
  ATTN_WEIGHT_KIND_NORM,
  ATTN_WEIGHT_KIND_GLOBENC,
  ATTN_WEIGHT_KIND_ALTI,
  ATTN_WEIGHT_KIND_VALUE_ZEROING,
  ATTN_WEIGHT_KIND_ATTN_GRAD,
  ATTN_N_WEIGHT_KINDS,
} AttnWeightKind;

const char         *attn_weight_kind_get_name        (AttnWeightKind      kind);
char               *attn_weight_kinds_join           (guint               kinds,
                                                      const char         *separator);
gboolean            attn_weight_kind_from_name       (const char         *name,
                                                      AttnWeightKind     *out);
const char         *attn_weight_kind_get_label       (AttnWeightKind      kind);
gboolean            attn_weight_kind_includes_residual (AttnWeightKind    kind);

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
char               *attn_example_dup_message_name    (const AttnExample  *self);
const char         *attn_example_get_text            (const AttnExample  *self);
const char         *attn_example_get_model           (const AttnExample  *self);
const char         *attn_example_get_file_name       (const AttnExample  *self);
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
void                attn_example_add_row             (const AttnExample  *self,
                                                      guint               layer,
                                                      guint               head,
                                                      guint               query,
                                                      double             *out,
                                                      double             *scratch);

guint               attn_example_get_n_antecedents   (const AttnExample  *self);
const guint        *attn_example_get_antecedents     (const AttnExample  *self);
gboolean            attn_example_is_antecedent       (const AttnExample  *self,
                                                      guint               position);

gboolean            attn_example_has_weights         (const AttnExample  *self,
                                                      AttnWeightKind      kind);
guint               attn_example_get_weight_kinds    (const AttnExample  *self);
guint               attn_example_get_weights_n_heads (const AttnExample  *self,
                                                      AttnWeightKind      kind);
gboolean            attn_example_get_weights_head_mixed (const AttnExample *self,
                                                      AttnWeightKind      kind);
AttnDtype           attn_example_get_weights_dtype   (const AttnExample  *self,
                                                      AttnWeightKind      kind);
void                attn_example_read_weights_row    (const AttnExample  *self,
                                                      AttnWeightKind      kind,
                                                      guint               layer,
                                                      guint               head,
                                                      guint               query,
                                                      double             *out);
void                attn_example_read_weights_matrix (const AttnExample  *self,
                                                      AttnWeightKind      kind,
                                                      guint               layer,
                                                      guint               head,
                                                      double             *out);
const char         *attn_example_get_contributions_target (const AttnExample *self);
char               *attn_example_format_weights      (const AttnExample  *self,
                                                      const char         *separator);

gboolean            attn_token_is_special            (const char         *token);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnExample, attn_example_unref)

G_END_DECLS
