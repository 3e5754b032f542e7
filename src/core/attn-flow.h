/* attn-flow.h
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
 * @values: (array): n values for that node: normalised unless
 *   #AttnFlowOptions.unnormalized was set
 * @fraction: the fraction of the whole job done, in [0, 1]
 * @user_data: the closure
 *
 * Called once for every source node whose flows to all inputs are complete,
 * from a worker thread; calls are serialised (never two at once). The values
 * are only valid during the call.
 */
typedef void (*AttnFlowPartialFunc) (guint         layer,
                                     guint         position,
                                     const double *values,
                                     double        fraction,
                                     gpointer      user_data);

/**
 * AttnFlowOptions:
 * @unnormalized: return the raw max-flow values instead of dividing each
 *   node's vector by its sum
 * @n_threads: worker threads; 0 uses every processor. Results are
 *   bit-identical for every value.
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
gboolean attn_flow_edges     (AttnGraph             *graph,
                              guint                  layer,
                              guint                  position,
                              int                    sink,
                              const AttnFlowOptions *options,
                              double                *out,
                              GCancellable          *cancellable,
                              GError               **error);

G_END_DECLS
