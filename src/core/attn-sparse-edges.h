/* attn-sparse-edges.h: a layer's edge values kept sparse (only those that
 * are not 0), and sums of edge values made into such layers
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A flow click's edges at n = 2048 are a tenth of the L·n·n (384 MiB of
 * doubles): attn-flow.c sums the max-flows' edge flows into an
 * AttnEdgeSums, attn-trace.c keeps the layers it makes.
 */

#pragma once

#include <gio/gio.h>

#include "attn-flow.h"

G_BEGIN_DECLS

/* A layer of n·n edge values, row q's that are not 0 at its entries
 * [start[q], start[q + 1]), in no order: a GBytes of the starts (n + 1
 * guint32), the values (doubles) and their columns (guint32); a row read
 * is written whole to @row */
void          _attn_sparse_layer_read_row (GBytes       *layer,
                                           gsize         n,
                                           guint         query,
                                           double       *row);

/* Sums of values by edge index (l - 1)·n·n + q·n + k (under 2^32), each
 * made in the order its values were added: the bits of `out[index] +=
 * value` on an array of zeros */
typedef struct _AttnEdgeSums AttnEdgeSums;

AttnEdgeSums *_attn_edge_sums_new         (guint         n_layers,
                                           guint         n,
                                           guint         n_dense);
void          _attn_edge_sums_free        (AttnEdgeSums *sums);
void          _attn_edge_sums_add         (AttnEdgeSums *sums,
                                           guint32       index,
                                           double        value);
void          _attn_edge_sums_add_list    (AttnEdgeSums *sums,
                                           const gsize  *indices,
                                           const double *values,
                                           gsize         count);
void          _attn_edge_sums_divide      (AttnEdgeSums *sums,
                                           double        divisor);
GBytes      **_attn_edge_sums_to_layers   (AttnEdgeSums *sums);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnEdgeSums, _attn_edge_sums_free)

/* attn-flow.c */
GBytes      **_attn_flow_edges_sparse     (AttnGraph             *graph,
                                           guint                  layer,
                                           guint                  position,
                                           int                    sink,
                                           const AttnFlowOptions *options,
                                           GCancellable          *cancellable,
                                           GError               **error);

G_END_DECLS
