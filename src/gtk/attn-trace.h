/* attn-trace.h: the computations behind a click, run off the main thread
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "attn-core.h"
#include "attn-figure.h"

G_BEGIN_DECLS

/**
 * AttnTrace:
 *
 * What the graph and the heatmap show for one example, method, settings and
 * selection. Immutable once it leaves the worker, reference counted, so it
 * can be cached and shared between threads.
 *
 * @layer == 0 means no node is selected: @edges then follow the paper's
 * convention (edge (l, q) -> (l-1, k) carries the value of input k for node
 * (l, q)); otherwise @edges are the edge shares (rollout) or edge flows
 * (flow) of the selected node (@layer, @position), restricted to the paths
 * that end at input @sink when @sink >= 0. For raw attention @edges are the
 * head-mixed matrices W_l, and with a node selected only their row @position
 * in layers 1..@layer (the raw attention of that position at each layer).
 *
 * @heatmap holds L * n values: `heatmap[(l-1)*n + j]` is the importance of
 * input j for node (l, @heat_position) under @method. After a click in the
 * flow view only the selected node's own row (@layer) is computed (the rest
 * is 0): every layer's flow is the heatmap panel's work.
 *
 * @layers_done < L only for the progressive flow convention: layers above
 * it are not computed yet (their edges are 0).
 */
typedef struct
{
  AttnMethod  method;
  guint       layer;
  guint       position;
  int         sink;
  guint       heat_position;
  guint       n_layers;
  guint       n_tokens;
  guint       layers_done;
  double     *edges;
  double     *heatmap;
  /*< private >*/
  gatomicrefcount ref_count;
} AttnTrace;

AttnTrace  *attn_trace_new          (AttnMethod   method,
                                     guint        layer,
                                     guint        position,
                                     int          sink,
                                     guint        heat_position,
                                     guint        n_layers,
                                     guint        n_tokens);
AttnTrace  *attn_trace_copy         (const AttnTrace *self);
AttnTrace  *attn_trace_ref          (AttnTrace   *self);
void        attn_trace_unref        (AttnTrace   *self);
const double *attn_trace_get_node_values (const AttnTrace *self);

AttnTrace  *attn_trace_compute      (AttnGraph   *graph,
                                     AttnMethod   method,
                                     guint        layer,
                                     guint        position,
                                     int          sink,
                                     guint        heat_position,
                                     GCancellable *cancellable,
                                     GError     **error);

/**
 * AttnTraceRequest:
 * @example: the example
 * @graph: (nullable): its graph under @options, when already built
 * @options: graph settings (copied)
 *
 * Everything a worker needs; attn_trace_run_async() copies it.
 */
typedef struct
{
  AttnExample            *example;
  AttnGraph              *graph;
  AttnGraphOptions        options;
  AttnMethod              method;
  guint                   layer;
  guint                   position;
  int                     sink;
  guint                   heat_position;
} AttnTraceRequest;

void        attn_trace_run_async    (const AttnTraceRequest *request,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
double      attn_trace_get_progress (GCancellable        *cancellable);
AttnTrace  *attn_trace_run_finish   (GAsyncResult        *result,
                                     AttnGraph          **graph,
                                     GError             **error);

/**
 * AttnTraceLayerFunc:
 * @trace: (transfer full): a copy of the convention computed so far
 * @user_data: closure
 *
 * Called on the main context of the caller of attn_trace_flow_convention_async()
 * each time one more layer of the flow convention is complete.
 */
typedef void (*AttnTraceLayerFunc) (AttnTrace *trace,
                                    gpointer   user_data);

void        attn_trace_flow_convention_async  (AttnGraph          *graph,
                                               AttnTrace          *partial,
                                               guint               heat_position,
                                               AttnTraceLayerFunc  layer_done,
                                               gpointer            layer_data,
                                               GDestroyNotify      layer_data_free,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
AttnTrace  *attn_trace_flow_convention_finish (GAsyncResult       *result,
                                               GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnTrace, attn_trace_unref)

G_END_DECLS
