/* attn-rollout.h: attention rollout (docs/METHODS.md): a node's, a position's and
 * every node's, and a click's edge and path shares
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-graph.h"

G_BEGIN_DECLS

/**
 * AttnRolloutLayerFunc:
 * @layer: the layer just computed, 1..L
 * @matrix: R_@layer, n * n values, only valid during the call
 * @user_data: the closure
 *
 * Receives the rollout matrices of attn_rollout_layers(), bottom first.
 */
typedef void (*AttnRolloutLayerFunc) (guint         layer,
                                      const double *matrix,
                                      gpointer      user_data);

gboolean attn_rollout_node       (AttnGraph     *graph,
                                  guint          layer,
                                  guint          position,
                                  double        *out,
                                  GCancellable  *cancellable,
                                  GError       **error);
gboolean attn_rollout_rows       (AttnGraph     *graph,
                                  guint          layer,
                                  guint          first,
                                  guint          count,
                                  double        *out,
                                  GCancellable  *cancellable,
                                  GError       **error);
gboolean attn_rollout_position   (AttnGraph     *graph,
                                  guint          position,
                                  double        *out,
                                  GCancellable  *cancellable,
                                  GError       **error);
gboolean attn_rollout_matrices   (AttnGraph     *graph,
                                  double        *out,
                                  GCancellable  *cancellable,
                                  GError       **error);
gboolean attn_rollout_layers     (AttnGraph            *graph,
                                  guint                 first,
                                  guint                 last,
                                  const double         *below,
                                  AttnRolloutLayerFunc  layer_done,
                                  gpointer              user_data,
                                  GCancellable         *cancellable,
                                  GError              **error);
gboolean attn_rollout_edge_shares (AttnGraph    *graph,
                                  guint          layer,
                                  guint          position,
                                  double        *out,
                                  GCancellable  *cancellable,
                                  GError       **error);
gboolean attn_rollout_path_shares (AttnGraph    *graph,
                                  guint          layer,
                                  guint          position,
                                  double        *out,
                                  GCancellable  *cancellable,
                                  GError       **error);

G_END_DECLS
