/* attn-graph.h: the graph of an example (docs/METHODS.md): its heads mixed, the
 * residual added, and the --heads lists
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "attn-example.h"

G_BEGIN_DECLS

/**
 * AttnHeadMix:
 * @ATTN_HEAD_MIX_MEAN: plain mean over the chosen heads (the paper)
 * @ATTN_HEAD_MIX_MAX: element-wise maximum over the chosen heads
 */
typedef enum
{
  ATTN_HEAD_MIX_MEAN,
  ATTN_HEAD_MIX_MAX,
} AttnHeadMix;

/**
 * AttnGraphOptions:
 * @residual: α in [0, 1]; Â = ((1-α) W + α I) renormalised per row. 0.5 is the paper.
 * @head_mix: how heads are combined into W
 * @n_heads: number of entries in @heads; 0 selects every head
 * @heads: (array length=n_heads): 0-based head indices, ascending, without repeats
 *   (of the heads of @weights)
 * @weights: what the edges weigh: the attention (default) or one kind of the
 *   example's contributions. Every stored row of a contribution is divided by
 *   its sum before heads are mixed; kinds that contain the residual
 *   (attn_weight_kind_includes_residual()) get no α: Â = W / rowsum (W).
 *
 * Caller-owned settings; attn_graph_new() copies what it needs.
 */
typedef struct
{
  double          residual;
  AttnHeadMix     head_mix;
  guint           n_heads;
  const guint    *heads;
  AttnWeightKind  weights;
} AttnGraphOptions;

#define ATTN_GRAPH_OPTIONS_INIT { 0.5, ATTN_HEAD_MIX_MEAN, 0, NULL, ATTN_WEIGHT_KIND_ATTENTION }

#define ATTN_TYPE_GRAPH (attn_graph_get_type ())

/**
 * AttnGraph:
 *
 * The layered attention graph of one example under given settings: the
 * residual-augmented, row-normalised Â_l for l = 1..L in double precision
 * (the one full-size copy of the values it keeps), and the head-mixed W_l
 * read from the example on request. Its edges weigh the attention or one kind
 * of the example's contributions (#AttnGraphOptions.weights). Immutable and reference counted, so it
 * can be shared with worker threads.
 */
typedef struct _AttnGraph AttnGraph;

GType          attn_graph_get_type            (void) G_GNUC_CONST;
AttnGraph     *attn_graph_ref                 (AttnGraph              *self);
void           attn_graph_unref               (AttnGraph              *self);

AttnGraph     *attn_graph_new                 (AttnExample            *example,
                                               const AttnGraphOptions *options,
                                               GCancellable           *cancellable,
                                               GError                **error);
AttnGraph     *attn_graph_new_from_matrices   (guint                   n_layers,
                                               guint                   n_tokens,
                                               const double           *mixed,
                                               double                  residual,
                                               GError                **error);

guint          attn_graph_get_n_layers        (const AttnGraph        *self);
guint          attn_graph_get_n_tokens        (const AttnGraph        *self);
double         attn_graph_get_residual        (const AttnGraph        *self);
gboolean       attn_graph_get_residual_applies (const AttnGraph       *self);
AttnWeightKind attn_graph_get_weights         (const AttnGraph        *self);
AttnHeadMix    attn_graph_get_head_mix        (const AttnGraph        *self);
const char    *attn_graph_get_heads_string    (const AttnGraph        *self);
AttnExample   *attn_graph_get_example         (const AttnGraph        *self);
void           attn_graph_read_mixed_row      (const AttnGraph        *self,
                                               guint                   layer,
                                               guint                   query,
                                               double                 *out);
void           attn_graph_read_mixed          (const AttnGraph        *self,
                                               guint                   layer,
                                               double                 *out);
const double  *attn_graph_get_augmented       (const AttnGraph        *self,
                                               guint                   layer);

gboolean       attn_parse_heads               (const char             *text,
                                               guint                   n_heads,
                                               GArray                **heads,
                                               GError                **error);
gboolean       attn_parse_heads_prefixed      (const char             *text,
                                               guint                   n_heads,
                                               GArray                **heads,
                                               GError                **error);
char          *attn_format_heads              (const guint            *heads,
                                               guint                   n_heads);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnGraph, attn_graph_unref)

G_END_DECLS
