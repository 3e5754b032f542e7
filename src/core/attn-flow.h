/* attn-flow.h: attention flow (docs/METHODS.md): a node's, a position's, a layer's
 * and every node's max-flows, a click's edge flows, and how long every node's takes
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-graph.h"

G_BEGIN_DECLS

/**
 * AttnFlowPartialFunc:
 * @layer: the source node's layer (1..L)
 * @position: the source node's position
 * @values: (array) (nullable): n values for that node: normalised unless
 *   #AttnFlowOptions.unnormalized was set; %NULL for a progress-only report
 * @fraction: the fraction of the whole job done, in [0, 1], never decreasing
 * @user_data: the closure
 *
 * Called once with values for every source node whose flows to all inputs
 * are complete (attn_flow_position() reports the layers bottom first,
 * attn_flow_layer() the positions in order, attn_flow_node() and
 * attn_flow_edges() with sink -1 their one node at the end). In between, it
 * is called with %NULL @values (and @layer, @position naming a node still
 * being computed) whenever another whole percent of the job is done, so
 * long single-node jobs (n = 512) report progress too.
 *
 * Calls come from the calling thread or a worker thread, one at a time
 * (never two at once), and before the function returns. The values are only
 * valid during the call. A cancelled job stops reporting.
 */
typedef void (*AttnFlowPartialFunc) (guint         layer,
                                     guint         position,
                                     const double *values,
                                     double        fraction,
                                     gpointer      user_data);

/**
 * AttnFlowLayerFunc:
 * @layer: a layer, 1..L
 * @values: (array): n * n values, `values[q*n + j]` for node (@layer, q) and
 *   input j; valid only during the call
 * @user_data: the closure
 *
 * Called by attn_flow_layers() with each layer, bottom first.
 */
typedef void (*AttnFlowLayerFunc) (guint         layer,
                                   const double *values,
                                   gpointer      user_data);

/**
 * AttnFlowOptions:
 * @unnormalized: return the raw max-flow values instead of dividing each
 *   node's vector by its sum
 * @n_threads: worker threads, counting the calling thread; 0 uses every
 *   processor. Results are bit-identical for every value.
 * @partial: (nullable): progress and partial results
 * @user_data: closure for @partial
 */
typedef struct
{
  gboolean            unnormalized;
  guint               n_threads;
  AttnFlowPartialFunc partial;
  gpointer            user_data;
} AttnFlowOptions;

gboolean attn_flow_node      (AttnGraph             *graph,
                              guint                  layer,
                              guint                  position,
                              const AttnFlowOptions *options,
                              double                *out,
                              GCancellable          *cancellable,
                              GError               **error);
gboolean attn_flow_position  (AttnGraph             *graph,
                              guint                  position,
                              const AttnFlowOptions *options,
                              double                *out,
                              GCancellable          *cancellable,
                              GError               **error);
gboolean attn_flow_layer     (AttnGraph             *graph,
                              guint                  layer,
                              const AttnFlowOptions *options,
                              double                *out,
                              GCancellable          *cancellable,
                              GError               **error);
gboolean attn_flow_layers    (AttnGraph             *graph,
                              guint                  first_layer,
                              guint                  last_layer,
                              const AttnFlowOptions *options,
                              AttnFlowLayerFunc      layer_done,
                              gpointer               user_data,
                              GCancellable          *cancellable,
                              GError               **error);
gboolean attn_flow_edges     (AttnGraph             *graph,
                              guint                  layer,
                              guint                  position,
                              int                    sink,
                              const AttnFlowOptions *options,
                              double                *out,
                              GCancellable          *cancellable,
                              GError               **error);
/* What the app spends measuring attn_flow_measure_every_node(), at most:
 * processor seconds */
#define ATTN_FLOW_MEASURE_BUDGET 2.0

double   attn_flow_estimate_every_node (AttnGraph   *graph);
double   attn_flow_measure_every_node  (AttnGraph    *graph,
                                        double        budget,
                                        GCancellable *cancellable,
                                        GError      **error);
double   attn_flow_every_node_share    (AttnGraph   *graph,
                                        guint        layers_done);

G_END_DECLS
