/* attn-flow-net.h: the parts of the flow engine: attn-flow.c (jobs and the
 * public functions), attn-flow-bounds.c (bounds), attn-flow-search.c
 * (max-flows), attn-flow-first.c (their first phase) and
 * attn-flow-estimate.c (how long the flow of every node takes)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "attn-graph.h"

G_BEGIN_DECLS

/* Sinks whose bounds are computed together (one lane each). */
#define SINK_BLOCK 16 /* a multiple of 4 */
/* Columns per block of the bound pass's block sums. */
#define COLUMN_BLOCK 64

typedef struct
{
  guint          n;
  guint          lmax;       /* highest source layer */
  const double **cap;        /* cap[m] = Â_m, m = 1..lmax */
  /* spans[m]: for each row q of Â_m, the first and one past the last
   * non-zero column (the graph's); for m = 2..lmax and each row, per block
   * of COLUMN_BLOCK columns, the largest and the sum of the off-diagonal
   * capacities. */
  const guint  **spans;
  double        *diag;       /* (lmax + 1) n: Â_m[q][q] at m n + q, m = 2..lmax (the
                              * first search's first arcs, side by side) */
  guint          n_blocks;
  double        *block_max;  /* (lmax + 1) n n_blocks */
  double        *block_sum;
  GCancellable  *cancellable;
  gint           cancelled;  /* atomic */
} Net;

/* What the search needs to know about one sink j: D_m (see
 * compute_sink_bounds()); D_m(q) > 0 exactly when (m, q) can reach the sink,
 * and D_1(q) is the capacity of the arc (1, q) -> sink; and, when known, the
 * max-flows to it from the nodes of the layer below the sources'. */
typedef struct
{
  const double  *d;      /* (lmax + 1) n */
  const double  *below;  /* n: from (l-1, k) for sources in layer l, or NULL */
} Sink;

/* One worker's scratch space for max-flows (attn-flow-search.c). */
typedef struct _Work Work;

/* The edge flows of one max-flow, as (index into the L n n output, flow). */
typedef struct
{
  gsize  *index;
  double *flow;
  gsize   len;
  gsize   size;
} EdgeList;

void     attn_flow_net_init              (Net          *net,
                                          AttnGraph    *graph,
                                          guint         lmax,
                                          GCancellable *cancellable);
gboolean attn_flow_net_is_allocated      (const Net    *net);
void     attn_flow_net_clear             (Net          *net);
gboolean attn_flow_net_check_cancelled   (Net          *net);
void     attn_flow_net_layer_tables      (Net          *net,
                                          guint         m);
gboolean attn_flow_sink_bounds           (Net          *net,
                                          guint         j0,
                                          guint         count,
                                          int           top,
                                          double       *out,
                                          gsize         stride);
void     attn_flow_source_bounds         (const Net    *net,
                                          guint         l,
                                          guint         p,
                                          double       *in);
double   attn_flow_lower_bound           (const Net    *net,
                                          guint         l,
                                          guint         p,
                                          const double *below);
double   attn_flow_upper_bound           (guint         n,
                                          guint         l,
                                          guint         p,
                                          const double *in,
                                          const double *d);

Work    *attn_flow_work_new              (guint         n,
                                          guint         lmax,
                                          gboolean      block_bounds);
void     attn_flow_work_free             (Work         *w);
double  *attn_flow_work_get_block_bounds (Work         *w);
double   attn_flow_solve_pair            (Work         *w,
                                          Net          *net,
                                          guint         l,
                                          guint         p,
                                          guint         j,
                                          const Sink   *sk,
                                          const double *in);
void     attn_flow_work_edge_list        (const Work   *w,
                                          const Net    *net,
                                          guint         l,
                                          guint         p,
                                          guint         j,
                                          const double *d,
                                          EdgeList     *list);

G_END_DECLS
