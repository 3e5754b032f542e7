/* attn-trace.h: what the graph and the heatmap show for a method and a selection
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "attn-graph.h"
#include "attn-method.h"
#include "attn-progress.h"

G_BEGIN_DECLS

/**
 * AttnTraceQuery:
 * @method: raw, rollout or flow
 * @layer: the selected node's layer 1..L, or 0 when no node is selected
 * @position: the selected node's position (ignored without a selection)
 * @sink: an input token: only the paths from the selected node that end
 *   there; -1 for all (ignored without a selection)
 * @heat_position: the position whose importance at every layer fills the heatmap
 *
 * What a trace shows. Plain data.
 */
typedef struct
{
  AttnMethod method;
  guint      layer;
  guint      position;
  int        sink;
  guint      heat_position;
} AttnTraceQuery;

#define ATTN_TRACE_QUERY_INIT { ATTN_METHOD_ROLLOUT, 0, 0, -1, 0 }

/**
 * AttnTrace:
 *
 * The numbers behind the graph and the heatmap for one graph (example and
 * settings), method and selection:
 *
 * - the edges, layer by layer: without a selection, the paper's convention
 *   (edge (l, q) -> (l-1, k) carries the importance of input k for node
 *   (l, q), attn_method_every_node()); with one, the selected node's edge
 *   shares or flows (attn_method_edges()). A layer not computed yet (the
 *   un-clicked view is computed bottom layer first) is pending;
 * - the heatmap: the importance of every input at every layer for node
 *   (l, heat position); after a flow click, only the selected node's own
 *   layer is computed (every layer's flow costs L times more).
 *
 * Opaque, reference counted and immutable once it is returned, so it can be
 * cached, shared between threads and drawn while the next one is computed.
 * Its edge layers are #GBytes that others (a graph scene) may share.
 */
typedef struct _AttnTrace AttnTrace;

/**
 * ATTN_TRACE_COMPACT_MIN_TOKENS:
 *
 * From this many tokens on a trace keeps less than its L·n·n edge values as
 * doubles (at n = 2048 and 12 layers those are 384 MiB): a rollout click
 * keeps the path shares P_l of its nodes and reads each edge P_l[q]·Â_l[q][k]
 * from the graph when asked (the same doubles), the un-clicked rollout and
 * raw views keep their layers as floats for drawing (its heatmap, and any one edge
 * asked for with attn_trace_get_edge(), stay the doubles as computed), a
 * flow click keeps only the edges that carry flow (a tenth of a causal
 * input's at n = 2048), each the double computed, and a raw click the
 * rows of its position, the only edges it does not leave at 0. Below it, every trace
 * keeps the doubles.
 */
#define ATTN_TRACE_COMPACT_MIN_TOKENS 1024

/**
 * AttnTraceFunc:
 * @trace: (transfer none): the view so far, immutable
 * @user_data: the closure
 *
 * Receives each layer of an un-clicked view as it completes, on the
 * computing thread; take a reference to keep @trace.
 */
typedef void (*AttnTraceFunc) (AttnTrace *trace,
                               gpointer   user_data);

#define ATTN_TYPE_TRACE (attn_trace_get_type ())

GType           attn_trace_get_type              (void) G_GNUC_CONST;
AttnTrace      *attn_trace_ref                   (AttnTrace            *self);
void            attn_trace_unref                 (AttnTrace            *self);

AttnTrace      *attn_trace_compute               (AttnGraph            *graph,
                                                  const AttnTraceQuery *query,
                                                  AttnProgressFunc      progress,
                                                  gpointer              user_data,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
AttnTrace      *attn_trace_new_pending           (AttnMethod            method,
                                                  guint                 heat_position,
                                                  guint                 n_layers,
                                                  guint                 n_tokens);
AttnTrace      *attn_trace_continue              (AttnGraph            *graph,
                                                  AttnTrace            *partial,
                                                  AttnTraceFunc         layer_done,
                                                  AttnProgressFunc      progress,
                                                  gpointer              user_data,
                                                  GCancellable         *cancellable,
                                                  GError              **error);

void            attn_trace_get_query             (const AttnTrace      *self,
                                                  AttnTraceQuery       *query);
AttnMethod      attn_trace_get_method            (const AttnTrace      *self);
gboolean        attn_trace_get_selection         (const AttnTrace      *self,
                                                  guint                *layer,
                                                  guint                *position,
                                                  int                  *sink);
guint           attn_trace_get_heat_position     (const AttnTrace      *self);
guint           attn_trace_get_n_layers          (const AttnTrace      *self);
guint           attn_trace_get_n_tokens          (const AttnTrace      *self);
guint           attn_trace_get_n_layers_done     (const AttnTrace      *self);
gboolean        attn_trace_is_complete           (const AttnTrace      *self);
const double   *attn_trace_get_layer_edges       (const AttnTrace      *self,
                                                  guint                 layer);
gboolean        attn_trace_has_layer             (const AttnTrace      *self,
                                                  guint                 layer);
const double   *attn_trace_get_edge_row          (const AttnTrace      *self,
                                                  guint                 layer,
                                                  guint                 query,
                                                  double               *buffer);
gboolean        attn_trace_is_compact            (const AttnTrace      *self);
gboolean        attn_trace_read_exact_row        (const AttnTrace      *self,
                                                  guint                 layer,
                                                  guint                 query,
                                                  double               *out);
const double   *attn_trace_layer_doubles         (GBytes               *bytes,
                                                  guint                 n_tokens);
const double   *attn_trace_read_row              (GBytes               *bytes,
                                                  guint                 n_tokens,
                                                  guint                 query,
                                                  double               *buffer);
AttnGraph      *attn_trace_get_graph             (const AttnTrace      *self);
GBytes         *attn_trace_get_layer_bytes       (const AttnTrace      *self,
                                                  guint                 layer);
double          attn_trace_get_edge              (const AttnTrace      *self,
                                                  guint                 layer,
                                                  guint                 query,
                                                  guint                 key);
const double   *attn_trace_get_heatmap           (const AttnTrace      *self);
const double   *attn_trace_get_node_values       (const AttnTrace      *self);
gsize           attn_trace_get_size              (const AttnTrace      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnTrace, attn_trace_unref)

G_END_DECLS
