/* attn-flow-work.h: a flow worker's scratch space, shared by the max-flow
 * searches (attn-flow-search.c: the worker, the later phases; attn-flow-first.c:
 * the first phase)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-flow-net.h"

G_BEGIN_DECLS

/* Dinic steps between two looks at the GCancellable. */
#define CANCEL_CHECK_STEPS 2048

/* The first phase's state of one node. */
typedef struct
{
  guint32 cur;        /* its current arc */
  guint32 cur_entry;  /* 1 + the entry of the current arc in the list of arcs used, or 0 */
  guint32 diag_entry; /* the same for its diagonal arc */
  guint32 stamp;      /* the max-flow that set the rest (and tried its diagonal arc) */
} FirstNode;

/* One node of the first phase's search path (one per layer). */
typedef struct
{
  const double *c;        /* the node's row of capacities */
  double        diag_cap; /* c[q] */
  FirstNode    *node;
  const guint64 *below;   /* the live nodes of the layer below */
  double        limit;    /* what it was asked for */
  double        rest;     /* what is still to push */
  double        ck;       /* arc k: its capacity */
  double        f;        /* its flow before the push */
  double        r;        /* and its residual capacity */
  guint32       q;
  guint32       k;        /* the arc being pushed */
  guint32       cur0;     /* the current arc it was entered with */
  guint32       a;        /* the next column to look at */
  guint32       lo;       /* the row's non-zero span */
  guint32       hi;
  gboolean      diagonal; /* the diagonal arc is still to try */
  gboolean      is_diag;  /* arc k is the diagonal one */
} Frame;

/* One worker's scratch space for max-flows from sources up to layer lmax. */
struct _Work
{
  guint    n;
  guint    lmax;
  guint    words;       /* 64-bit words per bit row: (n + 63) / 64 */

  /* The flow on the arcs (m, q) -> (m-1, k), known by their keys
   * (m n + q) n + k: for small inputs a dense array (@flow); for large ones
   * a hash table of the arcs that carry some (linear probing, never deleted
   * from during a max-flow). @arcs lists the keys used, in insertion order. */
  double  *flow;        /* dense: (lmax + 1) n n, or NULL */
  guint64 *listed;      /* dense: (lmax + 1) n words, bit k of row u: the arc (u, k) is in @arcs */
  guint64 *keys;
  double  *values;
  gsize    hash_mask;   /* slots - 1 */
  guint    hash_shift;  /* 64 - log2 (slots) */
  guint64 *arcs;
  double  *arc_values;  /* the first phase's flow on @arcs (the table is filled only when a
                         * second phase is needed: for 90 % of the max-flows it is not) */
  gsize    n_arcs;
  gsize    arcs_size;
  FirstNode *first;     /* (lmax + 1) n: the first phase's nodes */
  guint32  stamp;       /* the current max-flow's stamp (never 0) */
  Frame   *frames;      /* lmax + 1: the first phase's path */
  guint32 *n_out;       /* (lmax + 1) n: arcs of each node in the table (most have none) */
  double  *sink_flow;   /* n: flow on (1, q) -> sink */

  /* Reverse arcs: for node v = (m, k), the upper nodes q that send it flow,
   * in the order they were first used, in chunks of an arena. */
  guint32 *in_start;    /* (lmax + 1) n */
  guint32 *in_size;     /* (lmax + 1) n: the chunk's capacity */
  guint32 *in_len;      /* (lmax + 1) n */
  guint32 *arena;
  gsize    arena_len;
  gsize    arena_size;
  guint32 *in_nodes;    /* nodes with a chunk */
  gsize    n_in_nodes;
  gboolean in_lists;    /* kept up to date: from the second phase on (the first
                         * sends no flow back, and most max-flows end there) */

  int     *level;       /* (lmax + 1) n */
  guint32 *cur;         /* (lmax + 1) n: current arc */
  guint32 *queue;       /* (lmax + 1) n */
  guint64 *live;        /* (lmax + 1) words: first phase, the nodes not yet dead */
  guint64 *saturated;   /* (lmax + 1) n words: arcs known to be full (bit k of row u) */
  guint64 *by_level;    /* later phases: nodes of layer m at level d, bit rows at
                         * ((d (lmax + 1) + m) words */
  gsize    by_level_size;
  guint    steps;

  /* The bounds of one block of sinks (jobs that do not keep a table). */
  double  *block_d;     /* SINK_BLOCK (lmax + 1) n */
};

/* Bit k of a row of bits. */
static inline void
set_bit (guint64 *row,
         guint    k)
{
  row[k / 64] |= G_GUINT64_CONSTANT (1) << (k % 64);
}

static inline void
clear_bit (guint64 *row,
           guint    k)
{
  row[k / 64] &= ~(G_GUINT64_CONSTANT (1) << (k % 64));
}

static inline gboolean
test_bit (const guint64 *row,
          guint          k)
{
  return (row[k / 64] >> (k % 64)) & 1;
}

/* The key of the arc (u, k): (m n + q) n + k for u = (m, q). */
static inline guint64
arc_key (const Work *w,
         guint32     u,
         guint32     k)
{
  return (guint64) u * w->n + k;
}

/* Appends @key (and the first phase's @value) to the list of arcs used. */
static inline void
arcs_append (Work    *w,
             guint64  key,
             double   value)
{
  if (w->n_arcs == w->arcs_size)
    {
      w->arcs_size *= 2;
      w->arcs = g_renew (guint64, w->arcs, w->arcs_size);
      w->arc_values = g_renew (double, w->arc_values, w->arcs_size);
    }
  w->arcs[w->n_arcs] = key;
  w->arc_values[w->n_arcs++] = value;
}

/* Counts a step of a search; every CANCEL_CHECK_STEPS, whether the job was
 * cancelled. */
static inline gboolean
work_step (Work *w,
           Net  *net)
{
  if (++w->steps >= CANCEL_CHECK_STEPS)
    {
      w->steps = 0;
      return attn_flow_net_check_cancelled (net);
    }
  return FALSE;
}

/* Pushes up to @rest into the sink's arc from (1, q); returns what it took. */
static inline double
push_sink (Work         *w,
           const double *d1,
           guint         q,
           double        rest)
{
  double c = d1[q];
  double f = w->sink_flow[q];
  double r;

  if (!(f < c))
    return 0.;
  r = c - f;
  if (rest < r)
    {
      w->sink_flow[q] = MIN (f + rest, c);
      return rest;
    }
  w->sink_flow[q] = c;
  return r;
}

double attn_flow_first_phase (Work         *w,
                              Net          *net,
                              guint         l,
                              guint         p,
                              const double *d1,
                              double        limit);

G_END_DECLS
