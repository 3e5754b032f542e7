/* attn-flow.c: attention flow (DESIGN.md §2)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The flow importance of input j for node (l, p) is the max-flow value from
 * (l, p) to (0, j) on the layered graph with capacity Â_m[q][k] on the edge
 * (m, q) -> (m-1, k). Only the input node j is a sink, so the useful part of
 * the network is: the source, n nodes on each layer l-1 .. 1, and the sink
 * fed by the arcs (1, q) -> (0, j) of capacity Â_1[q][j].
 *
 * The engine is Dinic's algorithm: the capacities are read straight from the
 * graph's matrices; the flow lives in a dense array per worker for inputs up
 * to about 500 tokens and, beyond, in a hash table of the arcs that carry
 * some (a max-flow puts flow on about 1.5 arcs per node at n = 2048, so the
 * dense array's 436 MiB per worker shrink to a few MiB); the reverse arcs of
 * a node are the (few) upper neighbours that send it flow. Exact shortcuts,
 * none of which changes a value:
 *
 * - layer 1 and layer 2 sources have closed forms: Â_1[p][j] and
 *   D_2(p) = Σ_q min(Â_2[p][q], Â_1[q][j]) (disjoint paths);
 * - D_m(q) = Σ_k min(Â_m[q][k], D_{m-1}(k)), D_1(q) = Â_1[q][j], bounds the
 *   flow any node (m, q) can send to the sink, and I_m(k), the same from the
 *   source side, bounds what can reach (m, k); every source-sink path crosses
 *   each layer once, so B_m = Σ_k min(I_m(k), D_m(k)) bounds the max-flow.
 *   Dinic stops as soon as its value reaches min_m B_m (to 2e-15 relative);
 *   on causal inputs that is nearly always B_{l-1} = D_l(p);
 * - D is computed for 8 sinks at a time, over the non-zero span of each row
 *   of Â and of D_{m-1} only (a causal row q reaches k <= q, and nothing
 *   below the sink reaches it), and by blocks of 64 columns: where a row's
 *   largest off-diagonal capacity in a block is at most the smallest D_{m-1}
 *   there, every minimum is the capacity, and the block's precomputed sum
 *   replaces 64 minima (from layer 3 up, 80 to 99 % of the blocks of a
 *   realistic input). This pass took 60 % of a 2048-token flow before;
 * - nodes with D_m(q) = 0 cannot reach the sink (causal masks) and are
 *   never visited;
 * - the first phase needs no BFS: its levels are the layer distances; its
 *   search tries each node's diagonal arc (the residual connection, the
 *   widest) first, then the others in index order, which halves its steps
 *   (2.8 times fewer at n = 512, causal); as it sends no flow back, it reads
 *   the flow of two arcs per node only, and the reverse-arc lists are made
 *   only when a second phase is needed (for 90 % of the sinks it is not);
 *   trying the nodes by decreasing D_m was measured to take 1.7 times as
 *   many steps, the row's widest off-diagonal arc next gained nothing;
 * - the searches find candidate arcs 64 at a time in bit rows (the nodes of
 *   a layer at the wanted level, minus the arcs of the node known to be
 *   full), within each row's non-zero span, so dead nodes and full arcs
 *   cost a bit, not a look each;
 * - after a max-flow only the arcs it used are reset.
 *
 * Floating point: every push either saturates an arc, which then holds its
 * capacity (or zero) exactly, or is limited by the path's bottleneck, so the
 * algorithm terminates as in exact arithmetic and no capacity, however small,
 * is ignored.
 *
 * Parallelism: the independent max-flows are tasks taken from an atomic
 * counter; each one is computed by one thread with a deterministic algorithm
 * and written to its own slot, so results do not depend on the thread count.
 * A one-node job runs by blocks of 8 sinks (their bounds, then their
 * max-flows), so its memory does not grow with the number of sinks; jobs
 * with many sources keep every sink's bounds while they fit in 64 MiB and
 * run source by source, so that sources finish (and are reported) in order.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "attn-error.h"
#include "attn-flow-private.h"
#include "attn-graph-private.h"

/* Dinic may stop when its value is this close (relative) to the upper bound. */
#define BOUND_TOLERANCE 2e-15
/* Jobs with fewer (source, sink) pairs times arcs than this (a few ms of
 * work) run on the calling thread alone: n = 32, one node: 0.4 M; every
 * layer: 4.7 M; n = 128, one node: 25 M. */
#define SMALL_JOB_ARCS 1e7
/* Dinic steps between two looks at the GCancellable. */
#define CANCEL_CHECK_STEPS 2048
/* Sinks whose bounds are computed together (one lane each). */
#define SINK_BLOCK 8
/* Columns per block of the bound pass's block sums. */
#define COLUMN_BLOCK 64
/* Jobs with several sources keep every sink's bounds up to this size. */
#define SINK_TABLE_BYTES ((gsize) 64 << 20)
/* Workers keep the flow in a dense array up to this size, else in a hash
 * table (n = 512, 12 layers: 27 MiB; n = 2048: 436 MiB). */
#define DENSE_FLOW_BYTES ((gsize) 32 << 20)
/* Initial slots of a worker's flow hash table (a power of 2). */
#define FLOW_HASH_BITS 12
#define FLOW_HASH_SLOTS (1 << FLOW_HASH_BITS)
#define NO_ARC G_MAXUINT64
#define HASH_MULTIPLIER G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)

/* The largest dense flow table (DENSE_FLOW_BYTES; tests change it). */
static gsize dense_limit = DENSE_FLOW_BYTES;

/*
 * _attn_flow_set_dense_limit:
 * @bytes: the largest flow table a worker keeps dense
 *
 * Test hook: with 0 every job keeps the flow in the hash table, so that the
 * tests' small graphs cover that code too. The results are the same. Set it
 * while no job runs.
 *
 * Returns: the previous limit
 */
gsize
_attn_flow_set_dense_limit (gsize bytes)
{
  gsize old = dense_limit;

  dense_limit = bytes;
  return old;
}

typedef struct
{
  guint          n;
  guint          lmax;       /* highest source layer */
  const double **cap;        /* cap[m] = Â_m, m = 1..lmax */
  /* For m = 2..lmax and each row q of Â_m: the first and one past the last
   * non-zero column, and per block of COLUMN_BLOCK columns the largest and
   * the sum of the off-diagonal capacities. */
  guint          n_blocks;
  guint32       *extent;     /* (lmax + 1) n 2 */
  double        *block_max;  /* (lmax + 1) n n_blocks */
  double        *block_sum;
  GCancellable  *cancellable;
  gint           cancelled;  /* atomic */
} Net;

/* What the search needs to know about one sink j: D_m (see
 * compute_sink_bounds()); D_m(q) > 0 exactly when (m, q) can reach the sink,
 * and D_1(q) is the capacity of the arc (1, q) -> sink. */
typedef struct
{
  const double  *d;      /* (lmax + 1) n */
} Sink;

/* One worker's scratch space for max-flows from sources up to layer lmax. */
typedef struct
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
  gsize    n_arcs;
  gsize    arcs_size;
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
  guint64 *diag_done;   /* (lmax + 1) words: first phase, the nodes whose diagonal arc was tried */
  guint64 *saturated;   /* (lmax + 1) n words: arcs known to be full (bit k of row u) */
  guint64 *by_level;    /* later phases: nodes of layer m at level d, bit rows at
                         * ((d (lmax + 1) + m) words */
  gsize    by_level_size;
  guint    steps;

  /* The bounds of one block of sinks (jobs that do not keep a table). */
  double  *block_d;     /* SINK_BLOCK (lmax + 1) n */
} Work;

static void work_free (Work *w);

/* Returns NULL when memory runs out. */
static Work *
work_new (guint    n,
          guint    lmax,
          gboolean block_bounds)
{
  Work *w = g_new0 (Work, 1);
  gsize nodes = (gsize) (lmax + 1) * n;
  gboolean dense = nodes * n * sizeof (double) <= dense_limit;

  w->n = n;
  w->lmax = lmax;
  w->words = (n + 63) / 64;
  w->hash_mask = FLOW_HASH_SLOTS - 1;
  w->hash_shift = 64 - FLOW_HASH_BITS;
  w->keys = g_try_malloc_n (FLOW_HASH_SLOTS, sizeof (guint64));
  w->values = g_try_malloc_n (FLOW_HASH_SLOTS, sizeof (double));
  w->arcs_size = FLOW_HASH_SLOTS / 2;
  w->arcs = g_try_malloc_n (w->arcs_size, sizeof (guint64));
  w->n_out = g_try_malloc0_n (nodes, sizeof (guint32));
  if (dense)
    {
      w->flow = g_try_malloc0_n (nodes * n, sizeof (double));
      w->listed = g_try_malloc0_n (nodes * w->words, sizeof (guint64));
    }
  w->sink_flow = g_try_malloc0_n (n, sizeof (double));
  w->in_start = g_try_malloc0_n (nodes, sizeof (guint32));
  w->in_size = g_try_malloc0_n (nodes, sizeof (guint32));
  w->in_len = g_try_malloc0_n (nodes, sizeof (guint32));
  w->arena_size = 4096;
  w->arena = g_try_malloc_n (w->arena_size, sizeof (guint32));
  w->in_nodes = g_try_malloc_n (nodes, sizeof (guint32));
  w->level = g_try_malloc_n (nodes, sizeof (int));
  w->cur = g_try_malloc_n (nodes, sizeof (guint32));
  w->queue = g_try_malloc_n (nodes, sizeof (guint32));
  w->live = g_try_malloc0_n ((gsize) (lmax + 1) * w->words, sizeof (guint64));
  w->diag_done = g_try_malloc0_n ((gsize) (lmax + 1) * w->words, sizeof (guint64));
  w->saturated = g_try_malloc0_n (nodes * w->words, sizeof (guint64));
  if (block_bounds)
    w->block_d = g_try_malloc0_n ((gsize) SINK_BLOCK * nodes, sizeof (double));
  if (w->keys == NULL || w->values == NULL || w->arcs == NULL || w->n_out == NULL
      || w->sink_flow == NULL || w->in_start == NULL || w->in_size == NULL || w->in_len == NULL
      || w->arena == NULL || w->in_nodes == NULL || w->level == NULL || w->cur == NULL
      || w->queue == NULL || w->live == NULL || w->diag_done == NULL || w->saturated == NULL
      || (block_bounds && w->block_d == NULL) || (dense && (w->flow == NULL || w->listed == NULL)))
    {
      work_free (w);
      return NULL;
    }
  memset (w->keys, 0xff, FLOW_HASH_SLOTS * sizeof (guint64));
  return w;
}

static void
work_free (Work *w)
{
  if (w == NULL)
    return;
  g_free (w->keys);
  g_free (w->values);
  g_free (w->arcs);
  g_free (w->n_out);
  g_free (w->flow);
  g_free (w->listed);
  g_free (w->sink_flow);
  g_free (w->in_start);
  g_free (w->in_size);
  g_free (w->in_len);
  g_free (w->arena);
  g_free (w->in_nodes);
  g_free (w->level);
  g_free (w->cur);
  g_free (w->queue);
  g_free (w->live);
  g_free (w->diag_done);
  g_free (w->saturated);
  g_free (w->by_level);
  g_free (w->block_d);
  g_free (w);
}

/* ---- bits ---- */

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

/* The first k >= a in (cand & ~full), or n. */
static inline guint32
next_bit (const guint64 *cand,
          const guint64 *full,
          guint32        a,
          guint32        n)
{
  while (a < n)
    {
      guint32 wi = a / 64;
      guint64 bits = cand[wi] & ~full[wi] & (~G_GUINT64_CONSTANT (0) << (a % 64));

      if (bits != 0)
        return MIN (wi * 64 + (guint32) __builtin_ctzll (bits), n);
      a = (wi + 1) * 64;
    }
  return n;
}

/* ---- the flow on the arcs ---- */

static inline gsize
hash_slot (const Work *w,
           guint64     key)
{
  return (gsize) ((key * HASH_MULTIPLIER) >> w->hash_shift);
}

static inline guint64
arc_key (const Work *w,
         guint32     u,
         guint32     k)
{
  return (guint64) u * w->n + k;
}

/* The slot of @key, or of the empty slot where it would go. */
static inline gsize
hash_find (const Work *w,
           guint64     key)
{
  gsize i = hash_slot (w, key);

  while (w->keys[i] != key && w->keys[i] != NO_ARC)
    i = (i + 1) & w->hash_mask;
  return i;
}

/* The flow on the arc (u, k): 0 unless it is in the table. */
static inline double
arc_flow (const Work *w,
          guint32     u,
          guint32     k)
{
  gsize i;

  if (w->flow != NULL)
    return w->flow[arc_key (w, u, k)];
  if (w->n_out[u] == 0)
    return 0.;
  i = hash_find (w, arc_key (w, u, k));
  return w->keys[i] == NO_ARC ? 0. : w->values[i];
}

/* Doubles the table; aborts when memory runs out, as g_new does for the
 * other small allocations. The keys go in again in their insertion order, so
 * that work_reset() can still find each key by removing them in reverse. */
static void
hash_grow (Work *w)
{
  g_autofree guint64 *old_keys = w->keys;
  g_autofree double *old_values = w->values;
  gsize old_mask = w->hash_mask;
  guint old_shift = w->hash_shift;

  w->hash_mask = 2 * old_mask + 1;
  w->hash_shift = old_shift - 1;
  w->keys = g_new (guint64, w->hash_mask + 1);
  w->values = g_new (double, w->hash_mask + 1);
  memset (w->keys, 0xff, (w->hash_mask + 1) * sizeof (guint64));
  for (gsize a = 0; a < w->n_arcs; a++)
    {
      guint64 key = w->arcs[a];
      gsize i = (gsize) ((key * HASH_MULTIPLIER) >> old_shift), j;

      while (old_keys[i] != key)
        i = (i + 1) & old_mask;
      j = hash_find (w, key);
      w->keys[j] = key;
      w->values[j] = old_values[i];
    }
}

/* Appends upper node @q to the reverse arcs of node @v. */
static void
in_list_append (Work    *w,
                guint32  v,
                guint32  q)
{
  guint32 len = w->in_len[v];

  if (len == w->in_size[v])
    {
      guint32 size = MAX (4, 2 * len);

      if (w->arena_len + size > w->arena_size)
        {
          w->arena_size = MAX (2 * w->arena_size, w->arena_len + size);
          w->arena = g_renew (guint32, w->arena, w->arena_size);
        }
      if (len > 0)
        memcpy (w->arena + w->arena_len, w->arena + w->in_start[v], len * sizeof (guint32));
      else
        w->in_nodes[w->n_in_nodes++] = v;
      w->in_start[v] = (guint32) w->arena_len;
      w->in_size[v] = size;
      w->arena_len += size;
    }
  w->arena[w->in_start[v] + len] = q;
  w->in_len[v] = len + 1;
}

static inline guint32
in_list_get (const Work *w,
             guint32     v,
             guint32     i)
{
  return w->arena[w->in_start[v] + i];
}

/* Sets the flow on the arc (u, k) of a source in layer @l to @value. An arc
 * that gets flow for the first time enters the table and, below the source,
 * the reverse arcs of its head. */
static inline void
arc_set_flow (Work    *w,
              guint    l,
              guint32  u,
              guint32  k,
              double   value)
{
  guint64 key = arc_key (w, u, k);
  gsize i = 0;

  if (w->flow != NULL)
    {
      w->flow[key] = value;
      if (test_bit (w->listed + (gsize) u * w->words, k))
        return;
      set_bit (w->listed + (gsize) u * w->words, k);
    }
  else
    {
      i = hash_find (w, key);
      if (w->keys[i] == key)
        {
          w->values[i] = value;
          return;
        }
      if (2 * (w->n_arcs + 1) > w->hash_mask + 1)
        {
          hash_grow (w);
          i = hash_find (w, key);
        }
    }
  if (w->n_arcs == w->arcs_size)
    {
      w->arcs_size *= 2;
      w->arcs = g_renew (guint64, w->arcs, w->arcs_size);
    }
  if (w->flow == NULL)
    {
      w->keys[i] = key;
      w->values[i] = value;
      w->n_out[u]++;
    }
  w->arcs[w->n_arcs++] = key;
  if (w->in_lists && u / w->n != l)
    in_list_append (w, u - w->n + k - u % w->n, u % w->n);
}

/* First phase: the arc (u, k), which carried @old (0: not in the table
 * yet, as flow only grows in that phase), now carries @value. */
static inline void
arc_set_first (Work    *w,
               guint32  u,
               guint32  k,
               double   old,
               double   value)
{
  guint64 key = arc_key (w, u, k);
  gsize i;

  if (w->flow != NULL)
    w->flow[key] = value;
  if (old > 0.)
    {
      if (w->flow == NULL)
        w->values[hash_find (w, key)] = value;
      return;
    }
  if (w->flow == NULL)
    {
      if (2 * (w->n_arcs + 1) > w->hash_mask + 1)
        hash_grow (w);
      i = hash_find (w, key);
      w->keys[i] = key;
      w->values[i] = value;
      w->n_out[u]++;
    }
  if (w->n_arcs == w->arcs_size)
    {
      w->arcs_size *= 2;
      w->arcs = g_renew (guint64, w->arcs, w->arcs_size);
    }
  w->arcs[w->n_arcs++] = key;
}

/* Makes the reverse-arc lists of the arcs that carry flow (a source in
 * layer @l), in the order the arcs got it, and the dense table's bits, and
 * keeps them from now on (arc_set_flow()). */
static void
work_build_in_lists (Work  *w,
                     guint  l)
{
  for (gsize a = 0; a < w->n_arcs; a++)
    {
      guint32 u = (guint32) (w->arcs[a] / w->n), k = (guint32) (w->arcs[a] % w->n);

      if (w->flow != NULL)
        set_bit (w->listed + (gsize) u * w->words, k);
      if (u / w->n != l)
        in_list_append (w, u - w->n + k - u % w->n, u % w->n);
    }
  w->in_lists = TRUE;
}

/* Clears the flow left by the previous max-flow: only the arcs it used. */
static void
work_reset (Work *w)
{
  /* Removed in the reverse order of insertion, so that each key's probe
   * sequence still holds the keys inserted before it. */
  for (gsize a = w->n_arcs; a-- > 0;)
    {
      guint64 key = w->arcs[a];
      guint32 u = (guint32) (key / w->n), k = (guint32) (key % w->n);

      if (w->flow != NULL)
        w->flow[key] = 0.;
      else
        {
          w->keys[hash_find (w, key)] = NO_ARC;
          w->n_out[u] = 0;
        }
      /* Bits are only set from the second phase on. */
      if (w->in_lists)
        {
          if (w->flow != NULL)
            clear_bit (w->listed + (gsize) u * w->words, k);
          clear_bit (w->saturated + (gsize) u * w->words, k);
        }
    }
  w->n_arcs = 0;
  for (gsize i = 0; i < w->n_in_nodes; i++)
    {
      w->in_len[w->in_nodes[i]] = 0;
      w->in_size[w->in_nodes[i]] = 0;
    }
  w->n_in_nodes = 0;
  w->arena_len = 0;
  w->in_lists = FALSE;
  memset (w->sink_flow, 0, w->n * sizeof (double));
}

static gboolean
net_check_cancelled (Net *net)
{
  if (g_atomic_int_get (&net->cancelled))
    return TRUE;
  if (g_cancellable_is_cancelled (net->cancellable))
    {
      g_atomic_int_set (&net->cancelled, 1);
      return TRUE;
    }
  return FALSE;
}

static inline gboolean
work_step (Work *w,
           Net  *net)
{
  if (++w->steps >= CANCEL_CHECK_STEPS)
    {
      w->steps = 0;
      return net_check_cancelled (net);
    }
  return FALSE;
}

/* ---- bounds ---- */

/* Two lanes of doubles (GCC and Clang vector extensions; SSE2 on x86-64).
 * The bounds are element-wise minima and sums in a fixed lane order, so the
 * results do not depend on the vector width the compiler picks. */
typedef double Vec2 __attribute__ ((vector_size (16)));
typedef gint64 Mask2 __attribute__ ((vector_size (16)));

static inline Vec2
vec2_load (const double *p)
{
  Vec2 v;

  memcpy (&v, p, sizeof v);
  return v;
}

static inline Vec2
vec2_min (Vec2 a,
          Vec2 b)
{
  Mask2 lt = a < b;

  return (Vec2) (((Mask2) a & lt) | ((Mask2) b & ~lt));
}

/* Σ_k min (a[k], b[k]) in a fixed order (four partial sums). */
static inline double
sum_min (const double *a,
         const double *b,
         guint         n)
{
  Vec2 acc0 = { 0., 0. }, acc1 = { 0., 0. };
  double tail = 0.;
  guint k = 0;

  for (; k + 4 <= n; k += 4)
    {
      acc0 += vec2_min (vec2_load (a + k), vec2_load (b + k));
      acc1 += vec2_min (vec2_load (a + k + 2), vec2_load (b + k + 2));
    }
  for (; k < n; k++)
    tail += MIN (a[k], b[k]);
  return ((acc0[0] + tail) + acc0[1]) + (acc1[0] + acc1[1]);
}

/* Eight lanes, one per sink of a block; plain SSE2 code by default, and on
 * x86-64 with GCC also AVX2 and AVX-512 versions picked at run time. Each
 * lane adds in a fixed order, so every version gives the same bits. */
typedef double Vec8 __attribute__ ((vector_size (64)));
typedef gint64 Mask8 __attribute__ ((vector_size (64)));

/* (Vec8 values are not passed to or returned from functions: without
 * AVX-512 that changes the ABI, and GCC warns.) */
#define VEC8_ZERO ((Vec8) { 0., 0., 0., 0., 0., 0., 0., 0. })
#define VEC8_SPLAT(x) (VEC8_ZERO + (x))
#define VEC8_LOAD(v, p) memcpy (&(v), (p), sizeof (Vec8))
#define VEC8_MIN(a, b) ((Vec8) ((((Mask8) (a)) & ((a) < (b))) | (((Mask8) (b)) & ~((a) < (b)))))

/* *acc += Σ_{k in [a, b)} min (row[k], prev[8 k + lane]) for each lane, k increasing. */
static inline void
lanes_sum_min (const double *row,
               const double *prev,
               guint         a,
               guint         b,
               Vec8         *acc)
{
  Vec8 sum = VEC8_ZERO;

  for (guint k = a; k < b; k++)
    {
      Vec8 r = VEC8_SPLAT (row[k]), d;

      VEC8_LOAD (d, prev + (gsize) k * SINK_BLOCK);
      sum += VEC8_MIN (r, d);
    }
  *acc += sum;
}

/* out[lane] = Σ_{k in [lo, hi)} min (row[k], prev[8 k + lane]) for row q of
 * a layer: elementwise at the ends, and by blocks of COLUMN_BLOCK columns in
 * between, where a lane whose smallest D in the block (@lane_min) is at least
 * the row's largest off-diagonal capacity there (@bmax) takes the block's
 * sum (@bsum) plus the diagonal's minimum. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
__attribute__ ((target_clones ("avx512f", "avx2", "default")))
#endif
static void
row_bound (const double *row,
           const double *prev,
           const double *bmax,
           const double *bsum,
           const double *lane_min,
           guint         q,
           guint         lo,
           guint         hi,
           double       *out)
{
  guint b0 = (lo + COLUMN_BLOCK - 1) / COLUMN_BLOCK, b1 = hi / COLUMN_BLOCK;
  Vec8 acc = VEC8_ZERO;

  if (b0 >= b1)
    lanes_sum_min (row, prev, lo, hi, &acc);
  else
    {
      lanes_sum_min (row, prev, lo, b0 * COLUMN_BLOCK, &acc);
      for (guint b = b0; b < b1; b++)
        {
          Vec8 mn, sum = VEC8_SPLAT (bsum[b]), each = VEC8_ZERO, mx = VEC8_SPLAT (bmax[b]);
          Mask8 pass;
          gint64 all, any;

          VEC8_LOAD (mn, lane_min + (gsize) b * SINK_BLOCK);
          pass = mx <= mn;
          all = pass[0] & pass[1] & pass[2] & pass[3] & pass[4] & pass[5] & pass[6] & pass[7];
          any = pass[0] | pass[1] | pass[2] | pass[3] | pass[4] | pass[5] | pass[6] | pass[7];
          if (q / COLUMN_BLOCK == b)
            {
              Vec8 r = VEC8_SPLAT (row[q]), d;

              VEC8_LOAD (d, prev + (gsize) q * SINK_BLOCK);
              sum += VEC8_MIN (r, d);
            }
          if (all)
            {
              acc += sum;
              continue;
            }
          lanes_sum_min (row, prev, b * COLUMN_BLOCK, (b + 1) * COLUMN_BLOCK, &each);
          acc += any ? (Vec8) (((Mask8) sum & pass) | ((Mask8) each & ~pass)) : each;
        }
      lanes_sum_min (row, prev, b1 * COLUMN_BLOCK, hi, &acc);
    }
  memcpy (out, &acc, sizeof acc);
}

/* The extents and block summaries of the rows of layer @m (see Net). */
static void
compute_layer_tables (Net   *net,
                      guint  m)
{
  guint n = net->n, nb = net->n_blocks;
  const double *c = net->cap[m];

  for (guint q = 0; q < n; q++)
    {
      const double *row = c + (gsize) q * n;
      guint32 *ext = net->extent + ((gsize) m * n + q) * 2;
      double *bmax = net->block_max + ((gsize) m * n + q) * nb;
      double *bsum = net->block_sum + ((gsize) m * n + q) * nb;
      guint first = 0, last = n;

      while (first < n && row[first] == 0.)
        first++;
      while (last > first && row[last - 1] == 0.)
        last--;
      ext[0] = first;
      ext[1] = last;
      for (guint b = 0; b < nb; b++)
        {
          guint k1 = MIN ((b + 1) * COLUMN_BLOCK, n);
          double mx = 0., sum = 0.;

          for (guint k = b * COLUMN_BLOCK; k < k1; k++)
            if (k != q)
              {
                mx = MAX (mx, row[k]);
                sum += row[k];
              }
          bmax[b] = mx;
          bsum[b] = sum;
        }
    }
}

/* D_m(q) for m = 1..lmax and the sinks j0 .. j0+count-1 (count <= 8), into
 * out[b * stride + m n + q] for sink j0 + b: an upper bound on the flow node
 * (m, q) can send to that sink; exactly the max-flow for m <= 2. D = 0
 * exactly when the node cannot reach the sink. The sinks of a block share
 * each pass over the capacities; a lane's values do not depend on the other
 * sinks of its block (which is always the same one: j0 = 8 (j / 8)). At the
 * top layer only row @top is computed when @top >= 0. Returns FALSE when
 * cancelled. */
static gboolean
compute_sink_bounds (Net      *net,
                     guint     j0,
                     guint     count,
                     int       top,
                     double   *out,
                     gsize     stride)
{
  guint n = net->n, nb = net->n_blocks;
  const double *c1 = net->cap[1];
  g_autofree double *prev = g_new0 (double, (gsize) n * SINK_BLOCK);
  g_autofree double *cur = g_new0 (double, (gsize) n * SINK_BLOCK);
  g_autofree double *lane_min = g_new (double, (gsize) nb * SINK_BLOCK);

  g_assert (count >= 1 && count <= SINK_BLOCK);

  /* Unused lanes repeat the first sink (their values are dropped). */
  for (guint q = 0; q < n; q++)
    for (guint b = 0; b < SINK_BLOCK; b++)
      {
        double v = c1[(gsize) q * n + j0 + (b < count ? b : 0)];

        prev[(gsize) q * SINK_BLOCK + b] = v;
        if (b < count)
          out[b * stride + n + q] = v;
      }

  for (guint m = 2; m <= net->lmax; m++)
    {
      const double *c = net->cap[m];
      guint dlo = n, dhi = 0, q0 = 0, q1 = n;

      if (net_check_cancelled (net))
        return FALSE;

      /* The non-zero span of D_{m-1} over the lanes, and its block minima. */
      for (guint k = 0; k < n; k++)
        {
          Vec8 v;
          Mask8 nz;

          VEC8_LOAD (v, prev + (gsize) k * SINK_BLOCK);
          nz = v != VEC8_ZERO;

          if (nz[0] | nz[1] | nz[2] | nz[3] | nz[4] | nz[5] | nz[6] | nz[7])
            {
              dlo = MIN (dlo, k);
              dhi = k + 1;
            }
        }
      for (guint b = 0; b < nb; b++)
        {
          guint k1 = MIN ((b + 1) * COLUMN_BLOCK, n);
          Vec8 mn;

          VEC8_LOAD (mn, prev + (gsize) b * COLUMN_BLOCK * SINK_BLOCK);
          for (guint k = b * COLUMN_BLOCK + 1; k < k1; k++)
            {
              Vec8 d;

              VEC8_LOAD (d, prev + (gsize) k * SINK_BLOCK);
              mn = VEC8_MIN (mn, d);
            }
          memcpy (lane_min + (gsize) b * SINK_BLOCK, &mn, sizeof mn);
        }

      if (m == net->lmax && top >= 0)
        {
          q0 = (guint) top;
          q1 = q0 + 1;
        }
      for (guint q = q0; q < q1; q++)
        {
          const guint32 *ext = net->extent + ((gsize) m * n + q) * 2;
          guint lo = MAX (ext[0], dlo), hi = MIN (ext[1], dhi);
          double *dst = cur + (gsize) q * SINK_BLOCK;

          if (lo >= hi)
            memset (dst, 0, SINK_BLOCK * sizeof (double));
          else
            row_bound (c + (gsize) q * n, prev,
                       net->block_max + ((gsize) m * n + q) * nb,
                       net->block_sum + ((gsize) m * n + q) * nb,
                       lane_min, q, lo, hi, dst);
          for (guint b = 0; b < count; b++)
            out[b * stride + (gsize) m * n + q] = dst[b];
        }

      {
        double *t = prev;

        prev = cur;
        cur = t;
      }
    }

  return TRUE;
}

/* I_m(k) for m = l-1 .. 1 into in[m n + k]: an upper bound on the flow that
 * can reach (m, k) from source (l, p). */
static void
compute_source_bounds (const Net *net,
                       guint      l,
                       guint      p,
                       double    *in)
{
  guint n = net->n;

  if (l < 2)
    return;
  memcpy (in + (gsize) (l - 1) * n, net->cap[l] + (gsize) p * n, n * sizeof (double));
  for (guint m = l - 1; m >= 2; m--)
    {
      const double *c = net->cap[m];
      const double *upper = in + (gsize) m * n;
      double *lower = in + (gsize) (m - 1) * n;

      memset (lower, 0, n * sizeof (double));
      for (guint q = 0; q < n; q++)
        {
          const double *row = c + (gsize) q * n;
          const guint32 *ext = net->extent + ((gsize) m * n + q) * 2;
          double x = upper[q];
          Vec2 xs = { x, x };
          guint k = ext[0];

          if (x == 0.)
            continue;
          for (; k + 2 <= ext[1]; k += 2)
            {
              Vec2 sum = vec2_load (lower + k) + vec2_min (xs, vec2_load (row + k));

              memcpy (lower + k, &sum, sizeof sum);
            }
          for (; k < ext[1]; k++)
            lower[k] += MIN (x, row[k]);
        }
    }
}

static double
upper_bound (guint         n,
             guint         l,
             guint         p,
             const double *in,
             const double *d)
{
  double ub = d[(gsize) l * n + p];

  for (guint m = 1; m + 1 < l; m++)
    {
      double b = sum_min (in + (gsize) m * n, d + (gsize) m * n, n);

      if (b < ub)
        ub = b;
    }
  return ub;
}

/* ---- Dinic ---- */

static inline guint64 *
level_row (Work  *w,
           guint  m,
           int    d)
{
  return w->by_level + ((gsize) d * (w->lmax + 1) + m) * w->words;
}

/* Dinic's BFS from the source over the residual graph. Returns the sink's
 * level, or -1 when the sink is unreachable (or on cancellation). */
static int
build_levels (Work         *w,
              Net          *net,
              guint         l,
              guint         p,
              const Sink   *sk)
{
  guint n = w->n;
  guint32 src = l * n + p;
  gsize head = 0, tail = 0;
  int sink_level = G_MAXINT;
  const double *d1 = sk->d + n;

  guint64 *unvisited = w->live; /* the first phase is over: reuse its rows */

  for (gsize i = n; i < (gsize) l * n; i++)
    w->level[i] = -1;
  memset (unvisited, 0, (gsize) (l + 1) * w->words * sizeof (guint64));
  for (guint m = 1; m < l; m++)
    for (guint q = 0; q < n; q++)
      if (sk->d[(gsize) m * n + q] > 0.)
        set_bit (unvisited + (gsize) m * w->words, q);
  w->level[src] = 0;
  w->queue[tail++] = src;

  while (head < tail)
    {
      guint32 u = w->queue[head++];
      guint m = u / n, q = u % n;
      int lu = w->level[u];

      if (lu + 1 >= sink_level)
        break;
      if (work_step (w, net))
        return -1;

      if (m == 1)
        {
          if (w->sink_flow[q] < d1[q])
            sink_level = lu + 1;
        }
      else
        {
          const double *c = net->cap[m] + (gsize) q * n;
          guint64 *open = unvisited + (gsize) (m - 1) * w->words;
          guint64 *full = w->saturated + (gsize) u * w->words;
          int *lv = w->level + (gsize) (m - 1) * n;
          const guint32 *ext = net->extent + ((gsize) m * n + q) * 2;

          for (guint32 k = next_bit (open, full, ext[0], ext[1]); k < ext[1];
               k = next_bit (open, full, k + 1, ext[1]))
            {
              if (!(arc_flow (w, u, k) < c[k]))
                {
                  set_bit (full, k);
                  continue;
                }
              lv[k] = lu + 1;
              clear_bit (open, k);
              w->queue[tail++] = (m - 1) * n + k;
            }
        }
      if (m + 1 < l)
        {
          guint32 len = w->in_len[u];

          for (guint32 i = 0; i < len; i++)
            {
              guint32 upper_q = in_list_get (w, u, i);
              guint32 v = (m + 1) * n + upper_q;

              if (w->level[v] < 0 && arc_flow (w, v, q) > 0.)
                {
                  w->level[v] = lu + 1;
                  clear_bit (unvisited + (gsize) (m + 1) * w->words, upper_q);
                  w->queue[tail++] = v;
                }
            }
        }
    }

  if (sink_level == G_MAXINT)
    return -1;

  /* Bit rows of the nodes of each layer at each level, for the search. */
  {
    gsize size = ((gsize) sink_level + 1) * (w->lmax + 1) * w->words;

    if (size > w->by_level_size)
      {
        g_free (w->by_level);
        w->by_level = g_new (guint64, size);
        w->by_level_size = size;
      }
    memset (w->by_level, 0, size * sizeof (guint64));
    for (guint m = 1; m < l; m++)
      for (guint q = 0; q < n; q++)
        {
          int d = w->level[m * n + q];

          if (d >= 0 && d < sink_level)
            set_bit (level_row (w, m, d), q);
          else
            w->level[m * n + q] = -1;
        }
  }
  return sink_level;
}

/* State of one blocking-flow search. */
typedef struct
{
  Work         *w;
  Net          *net;
  guint         l;
  guint         p;
  const double *d1;      /* capacities of the arcs (1, q) -> sink */
  int           sink_level;
  gboolean      cancelled;
} Search;

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

/* Dinic's blocking-flow search: pushes up to @limit from @u towards the sink
 * along arcs that go one level up, and returns what it pushed: exactly
 * @limit, or less when @u is blocked (then it is marked dead for the phase).
 * Arcs of node u = (m, q): for m >= 2, arcs 0..n-1 go to (m-1, k); for
 * m = 1, arc 0 goes to the sink; the next in_len[u] arcs go back up to the
 * nodes of its reverse-arc list. Every push either saturates its arc (which
 * then holds its capacity, or zero, exactly) or meets the whole remaining
 * demand. */
static double
push_from (Search  *s,
           guint    m,
           guint    q,
           double   limit)
{
  Work *w = s->w;
  guint n = w->n;
  guint32 u = m * n + q;
  guint nf = m == 1 ? 1 : n;
  int want = w->level[u] + 1;
  double rest = limit;
  guint32 a = w->cur[u];

  if (work_step (w, s->net))
    {
      s->cancelled = TRUE;
      return 0.;
    }

  if (m == 1)
    {
      if (a == 0)
        {
          if (want == s->sink_level)
            {
              rest -= push_sink (w, s->d1, q, rest);
              if (rest <= 0.)
                {
                  if (!(w->sink_flow[q] < s->d1[q]))
                    w->cur[u] = 1;
                  return limit;
                }
            }
          a = 1;
        }
    }
  else if (a < n)
    {
      const double *c = s->net->cap[m] + (gsize) q * n;
      const guint64 *cand = level_row (w, m - 1, want);
      guint64 *full = w->saturated + (gsize) u * w->words;
      const guint32 *ext = s->net->extent + ((gsize) m * n + q) * 2;
      guint32 hi = ext[1];

      for (a = next_bit (cand, full, MAX (a, ext[0]), hi); a < hi;
           a = next_bit (cand, full, a + 1, hi))
        {
          guint32 k = a;
          double f = arc_flow (w, u, k), r, req, got;

          if (!(f < c[k]))
            {
              set_bit (full, k);
              continue;
            }
          r = c[k] - f;
          req = MIN (rest, r);
          got = push_from (s, m - 1, k, req);
          if (s->cancelled)
            return 0.;
          if (got > 0.)
            {
              double nf_k = got >= r ? c[k] : MIN (f + got, c[k]);

              arc_set_flow (w, s->l, u, k, nf_k);
              if (nf_k == c[k])
                set_bit (full, k);
              if (got >= rest)
                {
                  w->cur[u] = a;
                  return limit;
                }
              rest -= got;
            }
        }
      a = n;
    }

  if (m + 1 < s->l)
    {
      for (; a - nf < w->in_len[u]; a++)
        {
          guint32 upper_q = in_list_get (w, u, a - nf);
          guint32 v = (m + 1) * n + upper_q;
          double f, r, req, got;

          if (w->level[v] != want)
            continue;
          f = arc_flow (w, v, q);
          if (!(f > 0.))
            continue;
          r = f;
          req = MIN (rest, r);
          got = push_from (s, m + 1, upper_q, req);
          if (s->cancelled)
            return 0.;
          if (got > 0.)
            {
              arc_set_flow (w, s->l, v, q, got >= r ? 0. : f - got);
              clear_bit (w->saturated + (gsize) v * w->words, q);
              if (got >= rest)
                {
                  w->cur[u] = a;
                  return limit;
                }
              rest -= got;
            }
        }
    }

  w->cur[u] = a;
  if (m < s->l)
    clear_bit (level_row (w, m, w->level[u]), q);
  w->level[u] = -1;
  return limit - rest;
}

/* push_from() for the first phase, where the levels are the layers and no
 * arc carries flow backwards yet: the candidate arcs of a node are found 64
 * at a time in bit rows (nodes of the next layer still alive, minus the arcs
 * of this node known to be full), so the search skips dead nodes and full
 * arcs without looking at them one by one. */
static double
push_first (Search  *s,
            guint    m,
            guint    q,
            double   limit)
{
  Work *w = s->w;
  guint n = w->n;
  guint32 u = m * n + q;
  double rest = limit;

  if (work_step (w, s->net))
    {
      s->cancelled = TRUE;
      return 0.;
    }

  if (m == 1)
    {
      rest -= push_sink (w, s->d1, q, rest);
      if (rest <= 0.)
        return limit;
    }
  else
    {
      const double *c = s->net->cap[m] + (gsize) q * n;
      const guint64 *live = w->live + (gsize) (m - 1) * w->words;
      const guint32 *ext = s->net->extent + ((gsize) m * n + q) * 2;
      guint32 cur0 = w->cur[u], a = MAX (cur0, ext[0]), hi = ext[1];
      gboolean diagonal = !test_bit (w->diag_done + (gsize) m * w->words, q);

      /* The diagonal arc first (the residual connection: the widest), then
       * the others in index order. No bit rows of full arcs here: the
       * current arc moves past them. */
      set_bit (w->diag_done + (gsize) m * w->words, q);
      for (;;)
        {
          guint32 k;
          double f, r, req, got;
          gboolean is_diagonal = diagonal;

          if (diagonal)
            {
              diagonal = FALSE;
              k = q;
              if (k < ext[0] || k >= hi || !test_bit (live, k))
                continue;
            }
          else
            {
              guint32 wi;
              guint64 bits;

              if (a >= hi)
                break;
              wi = a / 64;
              bits = live[wi] & (~G_GUINT64_CONSTANT (0) << (a % 64));
              if (bits == 0)
                {
                  a = (wi + 1) * 64;
                  continue;
                }
              k = wi * 64 + (guint32) __builtin_ctzll (bits);
              if (k >= hi)
                break;
              a = k + 1;
            }
          /* Only the current arc (a push that met the demand) and the
           * diagonal can carry flow yet. */
          f = k == cur0 || k == q ? arc_flow (w, u, k) : 0.;
          if (!(f < c[k]))
            continue;
          r = c[k] - f;
          req = MIN (rest, r);
          if (m == 2)
            {
              /* The child (1, k) only has its arc to the sink (the same as
               * push_first() on it, without the call). */
              got = push_sink (w, s->d1, k, req);
              if (!(w->sink_flow[k] < s->d1[k]))
                clear_bit (w->live + w->words, k);
            }
          else
            {
              got = push_first (s, m - 1, k, req);
              if (s->cancelled)
                return 0.;
            }
          if (got > 0.)
            {
              arc_set_first (w, u, k, f, got >= r ? c[k] : MIN (f + got, c[k]));
              if (got >= rest)
                {
                  if (!is_diagonal)
                    w->cur[u] = k;
                  return limit;
                }
              rest -= got;
            }
        }
      w->cur[u] = n;
    }

  /* Dead for this phase. */
  clear_bit (w->live + (gsize) m * w->words, q);
  return limit - rest;
}

/* Max-flow value from (l, p) to the sink, l >= 2, by Dinic; leaves the flow
 * in @w (the caller resets it). @sk holds D_m for this sink (m = 1..l), @ub
 * an upper bound on the value: the search never pushes more, and stops when
 * it reaches it. Returns a negative value when cancelled. */
static double
max_flow (Work         *w,
          Net          *net,
          guint         l,
          guint         p,
          const Sink   *sk,
          double        ub)
{
  guint n = w->n;
  guint32 src = l * n + p;
  double value = 0.;
  double stop = ub - ub * BOUND_TOLERANCE;
  const double *d = sk->d;
  Search s = { w, net, l, p, d + n, 0, FALSE };

  g_assert (l >= 2 && l <= w->lmax);

  if (!(ub > 0.))
    return 0.;

  /* First phase: with no flow yet, the BFS levels are the layer distances;
   * nodes that cannot reach the sink are left out. */
  memset (w->diag_done, 0, (gsize) (l + 1) * w->words * sizeof (guint64));
  for (guint m = 1; m < l; m++)
    for (guint wi = 0; wi < w->words; wi++)
      {
        const double *dm = d + (gsize) m * n + wi * 64;
        guint count = MIN (64, n - wi * 64);
        guint64 bits = 0;

        for (guint b = 0; b < count; b++)
          bits |= (guint64) (dm[b] > 0.) << b;
        w->live[(gsize) m * w->words + wi] = bits;
      }
  memset (w->cur, 0, (gsize) (l + 1) * n * sizeof (guint32));
  value = push_first (&s, l, p, ub);
  if (s.cancelled)
    return -1.;
  if (value >= stop)
    return value;
  work_build_in_lists (w, l);
  s.sink_level = build_levels (w, net, l, p, sk);
  if (s.sink_level < 0)
    return net_check_cancelled (net) ? -1. : value;

  for (;;)
    {
      for (gsize i = n; i < (gsize) l * n; i++)
        w->cur[i] = 0;
      w->cur[src] = 0;

      value += push_from (&s, l, p, ub - value);
      if (s.cancelled)
        return -1.;
      if (value >= stop)
        break;

      s.sink_level = build_levels (w, net, l, p, sk);
      if (s.sink_level < 0)
        break;
    }

  if (net_check_cancelled (net))
    return -1.;
  return value;
}

/* Max-flow value for one source and one sink, any layer. Needs D for the
 * sink (up to layer l) and I for the source. For l >= 3 the flow stays in
 * @w until the next call. Returns a negative value when cancelled. */
static double
solve_pair (Work         *w,
            Net          *net,
            guint         l,
            guint         p,
            guint         j,
            const Sink   *sk,
            const double *in)
{
  guint n = net->n;

  if (l == 1)
    return net->cap[1][(gsize) p * n + j];
  if (l == 2)
    return sk->d[2 * n + p]; /* disjoint paths: D_2 (p) is the max-flow */
  work_reset (w);
  return max_flow (w, net, l, p, sk, upper_bound (n, l, p, in, sk->d));
}

/* ---- jobs ---- */

/* The edge flows of one max-flow, as (index into the L n n output, flow). */
typedef struct
{
  gsize  *index;
  double *flow;
  gsize   len;
  gsize   size;
} EdgeList;

typedef struct _Job Job;
typedef void (*TaskFunc) (Job  *job,
                          Work *w,
                          guint task);

struct _Job
{
  Net                    net;
  const AttnFlowOptions *options;
  guint                  lmax;       /* highest source layer */
  guint                  n_threads;
  int                    top;        /* the only source row of the top layer, or -1 */

  /* sources: (layer[s], position[s]) */
  guint                  n_sources;
  guint                 *src_layer;
  guint                 *src_position;
  double                *raw;        /* n_sources * n raw values */
  gint                  *src_done;   /* atomic, sinks finished per source */

  double                *sink_table;    /* n * (lmax + 1) * n: D for each sink, or NULL */
  double                *source_bounds; /* n_sources * (lmax + 1) * n: I for each source */

  /* progress */
  GMutex                 mutex;
  guint                  total_units;
  gint                   done_units; /* atomic */
  int                    last_percent;

  /* the current parallel round */
  TaskFunc               func;
  guint                  n_tasks;
  gint                   next_task;  /* atomic */
  Work                 **works;
  gboolean               block_bounds; /* works need room for a block's bounds */

  /* attn_flow_edges(): the sinks wanted, and the edge flows of a round */
  guint                  edge_first;
  guint                  edge_last;
  guint                  round_block; /* first sink block of the round */
  EdgeList              *edge_lists;  /* per sink of the round */
  gboolean               out_of_memory;
};

static void
job_report (Job          *job,
            guint         s,
            const double *values)
{
  const AttnFlowOptions *o = job->options;
  double fraction;
  int percent;

  if (o == NULL || o->partial == NULL)
    return;

  g_mutex_lock (&job->mutex);
  fraction = (double) g_atomic_int_get (&job->done_units) / MAX (job->total_units, 1);
  fraction = MIN (fraction, 1.);
  percent = (int) floor (fraction * 100.);
  if (values != NULL || percent > job->last_percent)
    {
      job->last_percent = MAX (job->last_percent, percent);
      o->partial (job->src_layer[s], job->src_position[s], values, fraction, o->user_data);
    }
  g_mutex_unlock (&job->mutex);
}

/* Divides by the sum (in index order) unless unnormalised output is wanted. */
static void
normalize_into (const double *raw,
                guint         n,
                gboolean      unnormalized,
                double       *out)
{
  double sum = 0.;

  for (guint j = 0; j < n; j++)
    sum += raw[j];
  for (guint j = 0; j < n; j++)
    out[j] = unnormalized || sum == 0. ? raw[j] : raw[j] / sum;
}

/* Writes the job's rows of raw values, one per source, to @out with normalize_into(). */
static void
job_normalize_into (const Job *job,
                    double    *out)
{
  guint n = job->net.n;
  gboolean unnormalized = job->options != NULL && job->options->unnormalized;

  for (guint s = 0; s < job->n_sources; s++)
    normalize_into (job->raw + (gsize) s * n, n, unnormalized, out + (gsize) s * n);
}

static void
job_source_finished (Job   *job,
                     guint  s)
{
  guint n = job->net.n;
  g_autofree double *values = NULL;
  gboolean unnormalized = job->options != NULL && job->options->unnormalized;

  if (job->options == NULL || job->options->partial == NULL)
    return;
  values = g_new (double, n);
  normalize_into (job->raw + (gsize) s * n, n, unnormalized, values);
  job_report (job, s, values);
}

/* Records the raw value of source @s for sink @j and reports the source
 * when it was its last sink. */
static void
job_pair_done (Job    *job,
               guint   s,
               guint   j,
               double  value)
{
  guint n = job->net.n;

  job->raw[(gsize) s * n + j] = value;
  g_atomic_int_inc (&job->done_units);
  if ((guint) g_atomic_int_add (&job->src_done[s], 1) + 1 == n)
    job_source_finished (job, s);
  else
    job_report (job, s, NULL);
}

static gpointer
job_worker (gpointer data)
{
  Job *job = ((gpointer *) data)[0];
  Work *w = ((gpointer *) data)[1];

  for (;;)
    {
      guint task = (guint) g_atomic_int_add (&job->next_task, 1);

      if (task >= job->n_tasks || g_atomic_int_get (&job->net.cancelled))
        break;
      job->func (job, w, task);
    }
  return NULL;
}

/* Runs @func on tasks 0..n_tasks-1 with the job's threads (the caller being
 * one of them). Returns FALSE when cancelled or out of memory. */
static gboolean
job_run (Job      *job,
         TaskFunc  func,
         guint     n_tasks,
         gboolean  need_work)
{
  guint n_threads = MIN (job->n_threads, MAX (n_tasks, 1));
  GThread **threads = g_newa (GThread *, n_threads);
  gpointer *args = g_newa (gpointer, 2 * n_threads);

  job->func = func;
  job->n_tasks = n_tasks;
  g_atomic_int_set (&job->next_task, 0);

  for (guint t = 0; t < n_threads; t++)
    {
      if (need_work && job->works[t] == NULL)
        job->works[t] = work_new (job->net.n, job->lmax, job->block_bounds);
      if (need_work && job->works[t] == NULL)
        {
          /* Fewer threads give the same results; none at all is an error. */
          if (t == 0)
            {
              job->out_of_memory = TRUE;
              return FALSE;
            }
          n_threads = t;
          break;
        }
      args[2 * t] = job;
      args[2 * t + 1] = job->works[t];
    }
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("attn-flow", job_worker, args + 2 * t);
  job_worker (args);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);

  return !net_check_cancelled (&job->net);
}

/* The first round of every job: the row tables of layers 2..lmax. */
static void
task_tables (Job   *job,
             Work  *w,
             guint  task)
{
  if (net_check_cancelled (&job->net))
    return;
  compute_layer_tables (&job->net, task + 2);
  g_atomic_int_inc (&job->done_units);
  job_report (job, 0, NULL);
}

/* Then the source bounds (which skip the zeros the tables found), one task
 * per source. */
static void
task_source_bounds (Job   *job,
                    Work  *w,
                    guint  task)
{
  gsize stride = (gsize) (job->lmax + 1) * job->net.n;

  if (net_check_cancelled (&job->net))
    return;
  compute_source_bounds (&job->net, job->src_layer[task], job->src_position[task],
                         job->source_bounds + task * stride);
  g_atomic_int_inc (&job->done_units);
  job_report (job, task, NULL);
}

static guint
block_count (guint n,
             guint j0)
{
  return MIN (SINK_BLOCK, n - j0);
}

/* Table jobs, round 2: the bounds of one block of sinks. */
static void
task_table (Job   *job,
            Work  *w,
            guint  task)
{
  guint n = job->net.n;
  gsize stride = (gsize) (job->lmax + 1) * n;
  guint j0 = task * SINK_BLOCK, count = block_count (n, j0);

  if (compute_sink_bounds (&job->net, j0, count, job->top, job->sink_table + j0 * stride, stride))
    g_atomic_int_add (&job->done_units, count);
  job_report (job, 0, NULL);
}

/* Table jobs, round 3: task s * n + j, source s to sink j (layer >= 3). */
static void
task_pair (Job   *job,
           Work  *w,
           guint  task)
{
  guint n = job->net.n;
  guint s = task / n, j = task % n;
  gsize stride = (gsize) (job->lmax + 1) * n;
  Sink sk = { job->sink_table + j * stride };
  double v;

  if (job->src_layer[s] <= 2)
    return;
  v = solve_pair (w, &job->net, job->src_layer[s], job->src_position[s], j, &sk,
                  job->source_bounds + s * stride);
  if (v >= 0.)
    job_pair_done (job, s, j, v);
}

/* Block jobs: the bounds of one block of sinks, then its max-flows for every
 * source (layers 2 and above). */
static void
task_block (Job   *job,
            Work  *w,
            guint  task)
{
  guint n = job->net.n;
  gsize stride = (gsize) (job->lmax + 1) * n;
  guint j0 = task * SINK_BLOCK, count = block_count (n, j0);

  if (!compute_sink_bounds (&job->net, j0, count, job->top, w->block_d, stride))
    return;
  g_atomic_int_add (&job->done_units, count);
  for (guint s = 0; s < job->n_sources; s++)
    {
      if (job->src_layer[s] < 2)
        continue;
      for (guint b = 0; b < count; b++)
        {
          Sink sk = { w->block_d + b * stride };
          double v = solve_pair (w, &job->net, job->src_layer[s], job->src_position[s], j0 + b,
                                 &sk, job->source_bounds + s * stride);

          if (v < 0.)
            return;
          job_pair_done (job, s, j0 + b, v);
        }
    }
}

static gboolean
job_init (Job                   *job,
          AttnGraph             *graph,
          const AttnFlowOptions *options,
          GCancellable          *cancellable,
          guint                  lmax,
          guint                  n_sources)
{
  guint n = attn_graph_get_n_tokens (graph);
  guint n_threads = options != NULL ? options->n_threads : 0;
  gsize rows = (gsize) (lmax + 1) * n;

  memset (job, 0, sizeof *job);
  job->net.n = n;
  job->net.lmax = lmax;
  job->net.cap = g_new0 (const double *, lmax + 1);
  for (guint m = 1; m <= lmax; m++)
    job->net.cap[m] = attn_graph_get_augmented (graph, m);
  job->net.n_blocks = (n + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
  job->net.extent = g_try_malloc0_n (rows * 2, sizeof (guint32));
  job->net.block_max = g_try_malloc0_n (rows * job->net.n_blocks, sizeof (double));
  job->net.block_sum = g_try_malloc0_n (rows * job->net.n_blocks, sizeof (double));
  job->net.cancellable = cancellable;
  job->options = options;
  job->lmax = lmax;
  job->top = -1;
  if (n_threads == 0)
    n_threads = g_get_num_processors ();
  /* Small jobs (about a millisecond) are not worth starting threads for,
   * least of all on a busy machine where a second thread waits for a core. */
  if ((double) n_sources * n * lmax * n * n < SMALL_JOB_ARCS)
    n_threads = 1;
  job->n_threads = MAX (n_threads, 1);
  job->works = g_new0 (Work *, job->n_threads);
  job->n_sources = n_sources;
  job->src_layer = g_new0 (guint, n_sources);
  job->src_position = g_new0 (guint, n_sources);
  job->raw = g_new0 (double, (gsize) n_sources * n);
  job->src_done = g_new0 (gint, n_sources);
  job->source_bounds = g_try_malloc0_n ((gsize) n_sources * rows, sizeof (double));
  job->last_percent = -1;
  g_mutex_init (&job->mutex);
  job->out_of_memory = job->net.extent == NULL || job->net.block_max == NULL
                       || job->net.block_sum == NULL || job->source_bounds == NULL;
  return !job->out_of_memory;
}

static void
job_clear (Job *job)
{
  for (guint t = 0; t < job->n_threads; t++)
    work_free (job->works[t]);
  g_free (job->works);
  g_free (job->net.cap);
  g_free (job->net.extent);
  g_free (job->net.block_max);
  g_free (job->net.block_sum);
  g_free (job->src_layer);
  g_free (job->src_position);
  g_free (job->raw);
  g_free (job->src_done);
  g_free (job->sink_table);
  g_free (job->source_bounds);
  if (job->edge_lists != NULL)
    for (guint i = 0; i < job->n_threads * SINK_BLOCK; i++)
      {
        g_free (job->edge_lists[i].index);
        g_free (job->edge_lists[i].flow);
      }
  g_free (job->edge_lists);
  g_mutex_clear (&job->mutex);
}

/* Sets @error for a job that stopped: out of memory or cancelled. */
static gboolean
job_fail (Job     *job,
          GError **error)
{
  if (job->out_of_memory)
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO,
                 _("Not enough memory to compute attention flow for %u tokens"), job->net.n);
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));
  return FALSE;
}

/* The first rounds of every job: tables and source bounds. */
static gboolean
job_prepare (Job *job)
{
  if (job->out_of_memory)
    return FALSE;
  return job_run (job, task_tables, job->lmax - 1, FALSE)
         && job_run (job, task_source_bounds, job->n_sources, FALSE);
}

/* Computes the raw values of every source of the job. */
static gboolean
job_compute (Job     *job,
             GError **error)
{
  guint n = job->net.n;
  gsize stride = (gsize) (job->lmax + 1) * n;
  guint n_blocks = (n + SINK_BLOCK - 1) / SINK_BLOCK;
  guint n_pairs = 0;

  if (job->n_sources > 1 && (gsize) n * stride * sizeof (double) <= SINK_TABLE_BYTES)
    {
      job->sink_table = g_try_malloc0_n ((gsize) n * stride, sizeof (double));
      job->out_of_memory = job->out_of_memory || job->sink_table == NULL;
    }
  job->block_bounds = job->sink_table == NULL;

  for (guint s = 0; s < job->n_sources; s++)
    if (job->src_layer[s] > (job->sink_table != NULL ? 2u : 1u))
      n_pairs += n;
  job->total_units = job->lmax - 1 + job->n_sources + n + n_pairs;

  if (!job_prepare (job))
    return job_fail (job, error);

  /* Layer 1: the capacities themselves. */
  for (guint s = 0; s < job->n_sources; s++)
    if (job->src_layer[s] == 1)
      {
        memcpy (job->raw + (gsize) s * n, job->net.cap[1] + (gsize) job->src_position[s] * n,
                n * sizeof (double));
        g_atomic_int_set (&job->src_done[s], (gint) n);
        job_source_finished (job, s);
      }

  if (job->sink_table == NULL)
    return job_run (job, task_block, n_blocks, TRUE) || job_fail (job, error);

  if (!job_run (job, task_table, n_blocks, FALSE))
    return job_fail (job, error);

  /* Layer 2: closed forms, in source order, reported from the calling thread. */
  for (guint s = 0; s < job->n_sources; s++)
    {
      guint p = job->src_position[s];

      if (job->src_layer[s] != 2)
        continue;
      for (guint j = 0; j < n; j++)
        job->raw[(gsize) s * n + j] = job->sink_table[j * stride + 2 * (gsize) n + p];
      job_source_finished (job, s);
    }

  /* The max-flows, source by source (so sources finish in order). */
  if (n_pairs > 0 && !job_run (job, task_pair, job->n_sources * n, TRUE))
    return job_fail (job, error);
  return TRUE;
}

/**
 * attn_flow_node:
 * @graph: the attention graph
 * @layer: the source node's layer, 1..L
 * @position: the source node's position, 0..n-1
 * @options: (nullable): options; %NULL means normalised, every processor,
 *   no callback
 * @out: (out caller-allocates) (array): n values; `out[j]` is the flow
 *   importance of input token @j for node (@layer, @position)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Computes one max-flow from (@layer, @position) to every input node (0, j)
 * and divides the vector by its sum (unless @options asks for raw values).
 * The partial callback gets progress-only reports (%NULL values) while the
 * sinks are computed, then the values.
 *
 * Returns: %TRUE on success; %FALSE with @error set for a bad node or, with
 *   %G_IO_ERROR_CANCELLED, when cancelled (then @out is left untouched)
 */
gboolean
attn_flow_node (AttnGraph             *graph,
                guint                  layer,
                guint                  position,
                const AttnFlowOptions *options,
                double                *out,
                GCancellable          *cancellable,
                GError               **error)
{
  Job job;
  gboolean ok;

  g_return_val_if_fail (graph != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  if (!attn_graph_check_node (graph, layer, position, error))
    return FALSE;

  job_init (&job, graph, options, cancellable, layer, 1);
  job.src_layer[0] = layer;
  job.src_position[0] = position;
  job.top = (int) position;
  ok = job_compute (&job, error);
  if (ok)
    job_normalize_into (&job, out);
  job_clear (&job);
  return ok;
}

/**
 * attn_flow_position:
 * @graph: the attention graph
 * @position: 0..n-1
 * @options: (nullable): options
 * @out: (out caller-allocates) (array): L * n values; `out[(l-1)*n + j]` is
 *   the importance of input @j for node (l, @position)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Flow at every layer for one position (the heatmap). The partial callback
 * reports the layers bottom first.
 *
 * Returns: %TRUE on success; %FALSE with @error set (@out untouched)
 */
gboolean
attn_flow_position (AttnGraph             *graph,
                    guint                  position,
                    const AttnFlowOptions *options,
                    double                *out,
                    GCancellable          *cancellable,
                    GError               **error)
{
  Job job;
  guint L;
  gboolean ok;

  g_return_val_if_fail (graph != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  if (!attn_graph_check_node (graph, 1, position, error))
    return FALSE;

  L = attn_graph_get_n_layers (graph);
  job_init (&job, graph, options, cancellable, L, L);
  for (guint l = 1; l <= L; l++)
    {
      job.src_layer[l - 1] = l;
      job.src_position[l - 1] = position;
    }
  job.top = (int) position;
  ok = job_compute (&job, error);
  if (ok)
    job_normalize_into (&job, out);
  job_clear (&job);
  return ok;
}

/**
 * attn_flow_layer:
 * @graph: the attention graph
 * @layer: 1..L
 * @options: (nullable): options
 * @out: (out caller-allocates) (array): n * n values; `out[q*n + j]` is the
 *   importance of input @j for node (@layer, q) (Figure 1(c)'s convention)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Flow for every node of one layer: n * n max-flows. The partial callback
 * reports the nodes in position order.
 *
 * Returns: %TRUE on success; %FALSE with @error set (@out untouched)
 */
gboolean
attn_flow_layer (AttnGraph             *graph,
                 guint                  layer,
                 const AttnFlowOptions *options,
                 double                *out,
                 GCancellable          *cancellable,
                 GError               **error)
{
  Job job;
  guint n;
  gboolean ok;

  g_return_val_if_fail (graph != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  if (!attn_graph_check_node (graph, layer, 0, error))
    return FALSE;

  n = attn_graph_get_n_tokens (graph);
  job_init (&job, graph, options, cancellable, layer, n);
  for (guint q = 0; q < n; q++)
    {
      job.src_layer[q] = layer;
      job.src_position[q] = q;
    }
  ok = job_compute (&job, error);
  if (ok)
    job_normalize_into (&job, out);
  job_clear (&job);
  return ok;
}

/* Records the edge flows of the max-flow from the job's source to sink @j
 * (left in @w for layers >= 3) in @list, as indices into the L n n output. */
static void
edge_list_fill (const Job    *job,
                const Work   *w,
                guint         j,
                const double *d,
                EdgeList     *list)
{
  guint n = job->net.n;
  gsize nn = (gsize) n * n;
  guint l = job->src_layer[0], p = job->src_position[0];
  gsize need = l == 2 ? 2 * (gsize) n : w->n_arcs + n;

  list->len = 0;
  if (need > list->size)
    {
      list->size = MAX (need, 2 * list->size);
      list->index = g_renew (gsize, list->index, list->size);
      list->flow = g_renew (double, list->flow, list->size);
    }

#define EDGE_ADD(i, f)                       \
  G_STMT_START {                             \
    list->index[list->len] = (i);            \
    list->flow[list->len++] = (f);           \
  } G_STMT_END

  if (l == 2)
    {
      /* The closed form's flows: min (Â_2[p][q], Â_1[q][j]) on each path. */
      const double *c2 = job->net.cap[2] + (gsize) p * n;

      for (guint q = 0; q < n; q++)
        {
          double f = MIN (c2[q], d[n + q]);

          if (f > 0.)
            {
              EDGE_ADD (nn + (gsize) p * n + q, f);
              EDGE_ADD ((gsize) q * n + j, f);
            }
        }
      return;
    }
  for (gsize a = 0; a < w->n_arcs; a++)
    {
      guint64 key = w->arcs[a];
      guint32 u = (guint32) (key / n), k = (guint32) (key % n);
      double f = arc_flow (w, u, k);

      if (f > 0.)
        EDGE_ADD ((u / n - 1) * nn + (gsize) (u % n) * n + k, f);
    }
  for (guint q = 0; q < n; q++)
    if (w->sink_flow[q] > 0.)
      EDGE_ADD ((gsize) q * n + j, w->sink_flow[q]);

#undef EDGE_ADD
}

/* Edge jobs: task t of a round is the sink block round_block + t; each of its
 * wanted sinks gets its max-flow and its edge list. */
static void
task_edge_block (Job   *job,
                 Work  *w,
                 guint  task)
{
  guint n = job->net.n;
  gsize stride = (gsize) (job->lmax + 1) * n;
  guint block = job->round_block + task;
  guint j0 = block * SINK_BLOCK, count = block_count (n, j0);
  guint l = job->src_layer[0], p = job->src_position[0];

  if (!compute_sink_bounds (&job->net, j0, count, job->top, w->block_d, stride))
    return;
  for (guint b = 0; b < count; b++)
    {
      guint j = j0 + b;
      Sink sk = { w->block_d + b * stride };
      double v;

      if (j < job->edge_first || j >= job->edge_last)
        continue;
      v = solve_pair (w, &job->net, l, p, j, &sk, job->source_bounds);
      if (v < 0.)
        return;
      edge_list_fill (job, w, j, sk.d, &job->edge_lists[task * SINK_BLOCK + b]);
      job->raw[j] = v;
      g_atomic_int_inc (&job->done_units);
      job_report (job, 0, NULL);
    }
}

/**
 * attn_flow_edges:
 * @graph: the attention graph
 * @layer: the source node's layer, 1..L
 * @position: the source node's position
 * @sink: an input position, or -1 for every input
 * @options: (nullable): options (@unnormalized is ignored)
 * @out: (out caller-allocates) (array): L * n * n values;
 *   `out[(l-1)*n*n + q*n + k]` is the flow on edge (l, q) -> (l-1, k)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The edge flows of the max-flows from (@layer, @position). With @sink >= 0,
 * those of the one max-flow to (0, @sink), unnormalised (they sum to its
 * value across each layer). With @sink < 0, those of all n max-flows summed
 * in sink order and divided by the total flow, so each layer sums to 1.
 * Edges above @layer, from other nodes of @layer, and into inputs other than
 * the sink carry 0. Max-flows are not unique; these are deterministic, the
 * same for every thread count. The partial callback gets progress reports
 * and, at the end, the node's values. The sums are made in @out itself (no
 * second array of its size).
 *
 * Returns: %TRUE on success; %FALSE with @error set (bad arguments: @out
 *   untouched; cancelled or out of memory: @out holds no result)
 */
gboolean
attn_flow_edges (AttnGraph             *graph,
                 guint                  layer,
                 guint                  position,
                 int                    sink,
                 const AttnFlowOptions *options,
                 double                *out,
                 GCancellable          *cancellable,
                 GError               **error)
{
  Job job;
  guint L, n, first, last;
  gsize total_size;
  gboolean ok = FALSE;

  g_return_val_if_fail (graph != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  if (!attn_graph_check_node (graph, layer, position, error))
    return FALSE;
  L = attn_graph_get_n_layers (graph);
  n = attn_graph_get_n_tokens (graph);
  if (sink >= (int) n)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Input position %d does not exist: the input has positions 0 to %u"),
                   sink, n - 1);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  first = sink < 0 ? 0 : (guint) sink;
  last = sink < 0 ? n : (guint) sink + 1;

  job_init (&job, graph, options, cancellable, layer, 1);
  job.src_layer[0] = layer;
  job.src_position[0] = position;
  job.top = (int) position;
  job.edge_first = first;
  job.edge_last = last;
  job.block_bounds = TRUE;
  job.edge_lists = g_new0 (EdgeList, (gsize) job.n_threads * SINK_BLOCK);
  job.total_units = job.lmax - 1 + 1 + (last - first);
  total_size = (gsize) L * n * n;
  memset (out, 0, total_size * sizeof (double));

  if (!job_prepare (&job))
    goto out;

  if (layer == 1)
    {
      for (guint j = first; j < last; j++)
        {
          job.raw[j] = job.net.cap[1][(gsize) position * n + j];
          out[(gsize) position * n + j] = job.raw[j];
        }
    }
  else
    {
      guint block_first = first / SINK_BLOCK, block_last = (last - 1) / SINK_BLOCK + 1;

      for (guint base = block_first; base < block_last; base += job.n_threads)
        {
          guint count = MIN (job.n_threads, block_last - base);

          job.round_block = base;
          if (!job_run (&job, task_edge_block, count, TRUE))
            goto out;
          /* In sink order, whatever thread computed which sink. */
          for (guint t = 0; t < count * SINK_BLOCK; t++)
            {
              guint j = base * SINK_BLOCK + t;
              const EdgeList *list = &job.edge_lists[t];

              if (j < first || j >= last)
                continue;
              for (gsize i = 0; i < list->len; i++)
                out[list->index[i]] += list->flow[i];
            }
        }
    }

  if (sink < 0)
    {
      double total = 0.;

      for (guint j = 0; j < n; j++)
        total += job.raw[j];
      if (total > 0.)
        for (gsize i = 0; i < total_size; i++)
          out[i] /= total;
    }
  if (options != NULL && options->partial != NULL && sink < 0)
    job_source_finished (&job, 0);
  ok = TRUE;

out:
  if (!ok)
    job_fail (&job, error);
  job_clear (&job);
  return ok;
}
