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
 * The engine is Dinic's algorithm on a dense layout: the capacities are read
 * straight from the graph's matrices, the flow of layer m lives in an n x n
 * matrix per worker, and the reverse arcs of a node are the (few) upper
 * neighbours that send it flow. Exact shortcuts, none of which changes a
 * value:
 *
 * - layer 1 and layer 2 sources have closed forms: Â_1[p][j] and
 *   D_2(p) = Σ_q min(Â_2[p][q], Â_1[q][j]) (disjoint paths);
 * - D_m(q) = Σ_k min(Â_m[q][k], D_{m-1}(k)), D_1(q) = Â_1[q][j], bounds the
 *   flow any node (m, q) can send to the sink, and I_m(k), the same from the
 *   source side, bounds what can reach (m, k); every source-sink path crosses
 *   each layer once, so B_m = Σ_k min(I_m(k), D_m(k)) bounds the max-flow.
 *   Dinic stops as soon as its value reaches min_m B_m (to 2e-15 relative);
 * - nodes with D_m(q) = 0 cannot reach the sink (causal masks) and are
 *   never visited;
 * - the first phase needs no BFS: its levels are the layer distances;
 * - the searches find candidate arcs 64 at a time in bit rows (the nodes of
 *   a layer at the wanted level, minus the arcs of the node known to be
 *   full), so dead nodes and full arcs cost a bit, not a look each;
 * - after a max-flow only the arcs it used are reset (through the lists of
 *   reverse arcs).
 *
 * Floating point: every push either saturates an arc, which then holds its
 * capacity (or zero) exactly, or is limited by the path's bottleneck, so the
 * algorithm terminates as in exact arithmetic and no capacity, however small,
 * is ignored.
 *
 * Parallelism: the independent max-flows are tasks taken from an atomic
 * counter; each one is computed by one thread with a deterministic algorithm
 * and written to its own slot, so results do not depend on the thread count.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "attn-error.h"
#include "attn-flow.h"
#include "attn-graph-private.h"

/* Dinic may stop when its value is this close (relative) to the upper bound. */
#define BOUND_TOLERANCE 2e-15
/* Jobs with fewer (source, sink) pairs times arcs than this (a few ms of
 * work) run on the calling thread alone: n = 32, one node: 0.4 M; every
 * layer: 4.7 M; n = 128, one node: 25 M. */
#define SMALL_JOB_ARCS 1e7
/* Dinic steps between two looks at the GCancellable. */
#define CANCEL_CHECK_STEPS 2048

typedef struct
{
  guint          n;
  guint          n_layers;
  const double **cap;       /* cap[m] = Â_m, m = 1..L */
  GCancellable  *cancellable;
  gint           cancelled; /* atomic */
} Net;

/* What the search needs to know about one sink j: D_m (see
 * compute_sink_bounds()); D_m(q) > 0 exactly when (m, q) can reach the sink.
 * The searches try the arcs in index order (trying the nodes by decreasing
 * D_m was measured to take 1.7 times as many steps). */
typedef struct
{
  const double  *d;      /* (lmax + 1) n */
} Sink;

/* One worker's scratch space for max-flows from sources up to layer lmax. */
typedef struct
{
  guint    n;
  guint    lmax;
  double  *flow;        /* (lmax + 1) n n: flow[(m n + q) n + k] on (m, q) -> (m-1, k) */
  double  *sink_flow;   /* n: flow on (1, q) -> sink */
  guint8  *row_touched; /* (lmax + 1) n */
  guint32 *touched;     /* rows touched, as m n + q */
  gsize    n_touched;
  guint32 *in_list;     /* (lmax + 1) n n: for node (m, k), upper nodes q that send it flow */
  guint64 *listed;      /* (lmax + 1) n words, bit k of row u: the arc is in its head's in_list */
  guint32 *in_len;      /* (lmax + 1) n */
  int     *level;       /* (lmax + 1) n */
  guint32 *cur;         /* (lmax + 1) n: current arc */
  guint32 *queue;       /* (lmax + 1) n */
  guint    words;       /* 64-bit words per bit row: (n + 63) / 64 */
  guint64 *live;        /* (lmax + 1) words: first phase, the nodes not yet dead */
  guint64 *saturated;   /* (lmax + 1) n words: arcs known to be full (bit k of row u) */
  guint64 *by_level;    /* later phases: nodes of layer m at level d, bit rows at
                         * ((d (lmax + 1) + m) words */
  gsize    by_level_size;
  guint    steps;
} Work;

static void work_free (Work *w);

/* Returns NULL when memory runs out (n = 1024 takes about 200 MB). */
static Work *
work_new (guint n,
          guint lmax)
{
  Work *w = g_new0 (Work, 1);
  gsize nodes = (gsize) (lmax + 1) * n;

  w->n = n;
  w->lmax = lmax;
  w->words = (n + 63) / 64;
  w->flow = g_try_malloc0_n (nodes * n, sizeof (double));
  w->sink_flow = g_try_malloc0_n (n, sizeof (double));
  w->row_touched = g_try_malloc0_n (nodes, sizeof (guint8));
  w->touched = g_try_malloc_n (nodes, sizeof (guint32));
  w->in_list = g_try_malloc_n (nodes * n, sizeof (guint32));
  w->listed = g_try_malloc0_n (nodes * w->words, sizeof (guint64));
  w->in_len = g_try_malloc0_n (nodes, sizeof (guint32));
  w->level = g_try_malloc_n (nodes, sizeof (int));
  w->cur = g_try_malloc_n (nodes, sizeof (guint32));
  w->queue = g_try_malloc_n (nodes, sizeof (guint32));
  w->live = g_try_malloc0_n ((gsize) (lmax + 1) * w->words, sizeof (guint64));
  w->saturated = g_try_malloc0_n (nodes * w->words, sizeof (guint64));
  if (w->flow == NULL || w->sink_flow == NULL || w->row_touched == NULL || w->touched == NULL
      || w->in_list == NULL || w->listed == NULL || w->in_len == NULL || w->level == NULL
      || w->cur == NULL || w->queue == NULL || w->live == NULL || w->saturated == NULL)
    {
      work_free (w);
      return NULL;
    }
  return w;
}

static void
work_free (Work *w)
{
  if (w == NULL)
    return;
  g_free (w->flow);
  g_free (w->sink_flow);
  g_free (w->row_touched);
  g_free (w->touched);
  g_free (w->in_list);
  g_free (w->listed);
  g_free (w->in_len);
  g_free (w->level);
  g_free (w->cur);
  g_free (w->queue);
  g_free (w->live);
  g_free (w->saturated);
  g_free (w->by_level);
  g_free (w);
}

/* Clears the flow left by the previous max-flow: only the rows it touched. */
static void
work_reset (Work *w)
{
  guint n = w->n;
  gsize nodes = (gsize) (w->lmax + 1) * n;

  /* Arcs below the source's row: through the lists of upper neighbours. */
  for (gsize v = n; v < nodes; v++)
    {
      guint32 len = w->in_len[v];
      const guint32 *list = w->in_list + v * n;
      gsize first = (v - v % n + n) * n + v % n; /* arc (m+1, 0) -> (m, k) */

      guint k = v % n;
      guint64 bit = G_GUINT64_CONSTANT (1) << (k % 64);

      for (guint32 i = 0; i < len; i++)
        {
          gsize upper = v - k + n + list[i]; /* node (m+1, q) */

          w->flow[first + (gsize) list[i] * n] = 0.;
          w->listed[upper * w->words + k / 64] &= ~bit;
          w->saturated[upper * w->words + k / 64] &= ~bit;
        }
    }
  for (gsize i = 0; i < w->n_touched; i++)
    {
      guint32 row = w->touched[i];

      memset (w->flow + (gsize) row * n, 0, n * sizeof (double));
      memset (w->saturated + (gsize) row * w->words, 0, w->words * sizeof (guint64));
      w->row_touched[row] = 0;
    }
  w->n_touched = 0;
  memset (w->sink_flow, 0, n * sizeof (double));
  memset (w->in_len, 0, (gsize) (w->lmax + 1) * n * sizeof (guint32));
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

/* Two lanes of doubles (GCC and Clang vector extensions; SSE2 on x86-64). The bounds are element-wise minima and sums in a fixed lane
 * order, so the results do not depend on the vector width the compiler
 * picks. */
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

#define SINK_BLOCK 8

/* Eight lanes (one per sink of a block); plain SSE2 code by default, and
 * on x86-64 with GCC also AVX2 and AVX-512 versions picked at run time.
 * Each lane sums over k in increasing order, so every version gives the
 * same bits. */
typedef double Vec8 __attribute__ ((vector_size (64)));
typedef gint64 Mask8 __attribute__ ((vector_size (64)));

/* out[b] = Σ_k min (row[k], prev[8 k + b]) for b < 8. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
__attribute__ ((target_clones ("avx512f", "avx2", "default")))
#endif
static void
sum_min_block (const double *row,
               const double *prev,
               guint         n,
               double       *out)
{
  Vec8 acc = { 0., 0., 0., 0., 0., 0., 0., 0. };

  for (guint k = 0; k < n; k++)
    {
      Vec8 a = (Vec8) { 0., 0., 0., 0., 0., 0., 0., 0. } + row[k];
      Vec8 d;
      Mask8 lt;

      memcpy (&d, prev + (gsize) k * SINK_BLOCK, sizeof d);
      lt = a < d;
      acc += (Vec8) (((Mask8) a & lt) | ((Mask8) d & ~lt));
    }
  memcpy (out, &acc, sizeof acc);
}

/* D_m(q) for m = 1..lmax and the sinks j0 .. j0+count-1 (count <= 8), into
 * sink_bounds[j * stride + m n + q]: an upper bound on the flow node (m, q)
 * can send to sink j; exactly the max-flow for m <= 2. D = 0 exactly when
 * the node cannot reach the sink. The sinks of a block share each pass over
 * the capacities (which is what costs at n = 512); each D is a sum over k
 * in increasing order, whatever the block. Returns FALSE when cancelled. */
static gboolean
compute_sink_bounds (Net      *net,
                     guint     j0,
                     guint     count,
                     guint     lmax,
                     double   *sink_bounds)
{
  guint n = net->n;
  gsize stride = (gsize) (lmax + 1) * n;
  const double *c1 = net->cap[1];
  g_autofree double *prev = g_new0 (double, (gsize) n * SINK_BLOCK);
  g_autofree double *cur = g_new0 (double, (gsize) n * SINK_BLOCK);

  g_assert (count >= 1 && count <= SINK_BLOCK);

  for (guint q = 0; q < n; q++)
    for (guint b = 0; b < count; b++)
      {
        prev[(gsize) q * SINK_BLOCK + b] = c1[(gsize) q * n + j0 + b];
        sink_bounds[(j0 + b) * stride + n + q] = c1[(gsize) q * n + j0 + b];
      }

  for (guint m = 2; m <= lmax; m++)
    {
      const double *c = net->cap[m];

      if (net_check_cancelled (net))
        return FALSE;
      for (guint q = 0; q < n; q++)
        {
          sum_min_block (c + (gsize) q * n, prev, n, cur + (gsize) q * SINK_BLOCK);
          for (guint b = 0; b < count; b++)
            sink_bounds[(j0 + b) * stride + (gsize) m * n + q] = cur[(gsize) q * SINK_BLOCK + b];
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
          double x = upper[q];

          Vec2 xs = { x, x };
          guint k = 0;

          if (x == 0.)
            continue;
          for (; k + 2 <= n; k += 2)
            {
              Vec2 sum = vec2_load (lower + k) + vec2_min (xs, vec2_load (row + k));

              memcpy (lower + k, &sum, sizeof sum);
            }
          for (; k < n; k++)
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

static inline void
touch_row (Work    *w,
           guint32  row)
{
  if (!w->row_touched[row])
    {
      w->row_touched[row] = 1;
      w->touched[w->n_touched++] = row;
    }
}

static inline guint64 *
level_row (Work  *w,
           guint  m,
           int    d)
{
  return w->by_level + ((gsize) d * (w->lmax + 1) + m) * w->words;
}

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

/* Dinic's BFS from the source over the residual graph. Returns the sink's
 * level, or -1 when the sink is unreachable (or on cancellation). */
static int
build_levels (Work         *w,
              Net          *net,
              guint         l,
              guint         p,
              guint         j,
              const Sink   *sk)
{
  guint n = w->n;
  guint32 src = l * n + p;
  gsize head = 0, tail = 0;
  int sink_level = G_MAXINT;

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
          if (w->sink_flow[q] < net->cap[1][(gsize) q * n + j])
            sink_level = lu + 1;
        }
      else
        {
          const double *c = net->cap[m] + (gsize) q * n;
          const double *f = w->flow + (gsize) u * n;
          guint64 *open = unvisited + (gsize) (m - 1) * w->words;
          guint64 *full = w->saturated + (gsize) u * w->words;
          int *lv = w->level + (gsize) (m - 1) * n;

          for (guint32 k = next_bit (open, full, 0, n); k < n; k = next_bit (open, full, k + 1, n))
            {
              if (!(f[k] < c[k]))
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
          const guint32 *list = w->in_list + (gsize) u * n;
          guint32 len = w->in_len[u];

          for (guint32 i = 0; i < len; i++)
            {
              guint32 v = (m + 1) * n + list[i];

              if (w->level[v] < 0 && w->flow[(gsize) v * n + q] > 0.)
                {
                  w->level[v] = lu + 1;
                  clear_bit (unvisited + (gsize) (m + 1) * w->words, list[i]);
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
  guint         j;
  const Sink   *sk;
  int           sink_level;
  gboolean      cancelled;
} Search;

/* Dinic's blocking-flow search: pushes up to @limit from @u towards the sink
 * along arcs that go one level up, and returns what it pushed: exactly
 * @limit, or less when @u is blocked (then it is marked dead for the phase).
 * Arcs of node u = (m, q): for m >= 2, arcs 0..n-1 go to (m-1, k); for
 * m = 1, arc 0 goes to the sink; the next in_len[u] arcs go back up to the
 * nodes of in_list. Every push either saturates its arc (which then holds
 * its capacity, or zero, exactly) or meets the whole remaining demand. */
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
              double c = s->net->cap[1][(gsize) q * n + s->j];
              double f = w->sink_flow[q];

              if (f < c)
                {
                  double r = c - f;

                  if (rest < r)
                    {
                      w->sink_flow[q] = MIN (f + rest, c);
                      return limit;
                    }
                  w->sink_flow[q] = c;
                  if (rest == r)
                    {
                      w->cur[u] = 1;
                      return limit;
                    }
                  rest -= r;
                }
            }
          a = 1;
        }
    }
  else
    {
      const double *c = s->net->cap[m] + (gsize) q * n;
      double *f = w->flow + (gsize) u * n;
      const guint64 *cand = level_row (w, m - 1, want);
      guint64 *full = w->saturated + (gsize) u * w->words;

      for (a = next_bit (cand, full, a, n); a < n; a = next_bit (cand, full, a + 1, n))
        {
          guint32 k = a;
          double r, req, got;

          if (!(f[k] < c[k]))
            {
              set_bit (full, k);
              continue;
            }
          r = c[k] - f[k];
          req = MIN (rest, r);
          got = push_from (s, m - 1, k, req);
          if (s->cancelled)
            return 0.;
          if (got > 0.)
            {
              double old = f[k];

              f[k] = got >= r ? c[k] : MIN (old + got, c[k]);
              if (f[k] == c[k])
                set_bit (full, k);
              if (m == s->l)
                touch_row (w, u);
              else if (!(w->listed[(gsize) u * w->words + k / 64] & (G_GUINT64_CONSTANT (1) << (k % 64))))
                {
                  guint32 v = (m - 1) * n + k;

                  set_bit (w->listed + (gsize) u * w->words, k);
                  w->in_list[(gsize) v * n + w->in_len[v]++] = q;
                }
              if (got >= rest)
                {
                  w->cur[u] = a;
                  return limit;
                }
              rest -= got;
            }
        }
    }

  if (m + 1 < s->l)
    {
      const guint32 *list = w->in_list + (gsize) u * n;

      for (; a - nf < w->in_len[u]; a++)
        {
          guint32 v = (m + 1) * n + list[a - nf];
          double *f, r, req, got;

          if (w->level[v] != want)
            continue;
          f = w->flow + (gsize) v * n + q;
          if (!(*f > 0.))
            continue;
          r = *f;
          req = MIN (rest, r);
          got = push_from (s, m + 1, list[a - nf], req);
          if (s->cancelled)
            return 0.;
          if (got > 0.)
            {
              *f = got >= r ? 0. : *f - got;
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

static inline void
record_forward (Work    *w,
                guint    l,
                guint32  u,
                guint32  k)
{
  guint n = w->n;
  guint m = u / n;

  if (m == l)
    touch_row (w, u);
  else if (!(w->listed[(gsize) u * w->words + k / 64] & (G_GUINT64_CONSTANT (1) << (k % 64))))
    {
      guint32 v = (m - 1) * n + k;

      set_bit (w->listed + (gsize) u * w->words, k);
      w->in_list[(gsize) v * n + w->in_len[v]++] = u - m * n;
    }
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
      double c = s->net->cap[1][(gsize) q * n + s->j];
      double f = w->sink_flow[q];

      if (f < c)
        {
          double r = c - f;

          if (rest < r)
            {
              w->sink_flow[q] = MIN (f + rest, c);
              return limit;
            }
          w->sink_flow[q] = c;
          if (rest == r)
            return limit;
          rest -= r;
        }
    }
  else
    {
      const double *c = s->net->cap[m] + (gsize) q * n;
      double *f = w->flow + (gsize) u * n;
      const guint64 *live = w->live + (gsize) (m - 1) * w->words;
      guint64 *full = w->saturated + (gsize) u * w->words;
      guint32 a = w->cur[u];

      while (a < n)
        {
          guint32 wi = a / 64;
          guint64 bits = live[wi] & ~full[wi] & (~G_GUINT64_CONSTANT (0) << (a % 64));
          guint32 k;
          double r, req, got;

          if (bits == 0)
            {
              a = (wi + 1) * 64;
              continue;
            }
          k = wi * 64 + (guint32) __builtin_ctzll (bits);
          if (!(f[k] < c[k]))
            {
              /* A zero capacity: full for good (capacities do not depend on the sink). */
              full[wi] |= G_GUINT64_CONSTANT (1) << (k % 64);
              a = k + 1;
              continue;
            }
          r = c[k] - f[k];
          req = MIN (rest, r);
          if (m == 2)
            {
              /* The child (1, k) only has its arc to the sink (the same as
               * push_first() on it, without the call). */
              double cs = s->net->cap[1][(gsize) k * n + s->j];
              double fs = w->sink_flow[k];

              if (cs - fs <= req)
                {
                  got = cs - fs;
                  w->sink_flow[k] = cs;
                  w->level[n + k] = -1;
                  w->live[w->words + k / 64] &= ~(G_GUINT64_CONSTANT (1) << (k % 64));
                }
              else
                {
                  got = req;
                  w->sink_flow[k] = MIN (fs + req, cs);
                }
            }
          else
            {
              got = push_first (s, m - 1, k, req);
              if (s->cancelled)
                return 0.;
            }
          if (got > 0.)
            {
              f[k] = got >= r ? c[k] : MIN (f[k] + got, c[k]);
              if (f[k] == c[k])
                full[wi] |= G_GUINT64_CONSTANT (1) << (k % 64);
              record_forward (w, s->l, u, k);
              if (got >= rest)
                {
                  w->cur[u] = k;
                  return limit;
                }
              rest -= got;
            }
          a = k + 1;
        }
      w->cur[u] = n;
    }

  /* Dead for this phase. */
  w->level[u] = -1;
  w->live[(gsize) m * w->words + q / 64] &= ~(G_GUINT64_CONSTANT (1) << (q % 64));
  return limit - rest;
}

/* Max-flow value from (l, p) to (0, j), l >= 2, by Dinic; leaves the flow in
 * @w (the caller resets it). @d holds D_m for this sink (m = 1..l), @ub an
 * upper bound on the value: the search never pushes more, and stops when it
 * reaches it. Returns a negative value when cancelled. */
static double
max_flow (Work         *w,
          Net          *net,
          guint         l,
          guint         p,
          guint         j,
          const Sink   *sk,
          double        ub)
{
  guint n = w->n;
  guint32 src = l * n + p;
  double value = 0.;
  double stop = ub - ub * BOUND_TOLERANCE;
  const double *d = sk->d;
  Search s = { w, net, l, j, sk, 0, FALSE };

  g_assert (l >= 2 && l <= w->lmax);

  if (!(ub > 0.))
    return 0.;

  /* First phase: with no flow yet, the BFS levels are the layer distances;
   * nodes that cannot reach the sink are left out. */
  memset (w->live, 0, (gsize) l * w->words * sizeof (guint64));
  for (guint m = 1; m < l; m++)
    for (guint q = 0; q < n; q++)
      {
        gboolean alive = d[(gsize) m * n + q] > 0.;

        w->level[m * n + q] = alive ? (int) (l - m) : -1;
        w->cur[m * n + q] = 0;
        if (alive)
          w->live[(gsize) m * w->words + q / 64] |= G_GUINT64_CONSTANT (1) << (q % 64);
      }
  w->level[src] = 0;
  w->cur[src] = 0;
  value = push_first (&s, l, p, ub);
  if (s.cancelled)
    return -1.;
  if (value >= stop)
    return value;
  s.sink_level = build_levels (w, net, l, p, j, sk);
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

      s.sink_level = build_levels (w, net, l, p, j, sk);
      if (s.sink_level < 0)
        break;
    }

  if (net_check_cancelled (net))
    return -1.;
  return value;
}

/* Max-flow value for one source and one sink, any layer; the flow stays in
 * @w for l >= 2. Needs D for the sink (up to layer l) and I for the source.
 * Returns a negative value when cancelled. */
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
  const double *d = sk->d;

  if (l == 1)
    return net->cap[1][(gsize) p * n + j];
  work_reset (w);
  if (l == 2)
    {
      /* Closed form, but the flow is wanted too (edge flows). */
      const double *c2 = net->cap[2] + (gsize) p * n;
      const double *c1 = net->cap[1];
      double value = d[2 * n + p];

      touch_row (w, 2 * n + p);
      for (guint q = 0; q < n; q++)
        {
          double f = MIN (c2[q], c1[(gsize) q * n + j]);

          w->flow[(gsize) (2 * n + p) * n + q] = f;
          w->sink_flow[q] = f;
        }
      return value;
    }
  return max_flow (w, net, l, p, j, sk, upper_bound (n, l, p, in, d));
}

/* ---- jobs ---- */

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

  /* sources: (layer[s], position[s]) */
  guint                  n_sources;
  guint                 *src_layer;
  guint                 *src_position;
  double                *raw;        /* n_sources * n raw values */
  gint                  *src_done;   /* atomic, sinks finished per source */

  double                *sink_bounds;   /* n * (lmax + 1) * n: D for each sink */
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
  guint                  edge_base;  /* first sink of an edge-flow block */
  guint                  block_first; /* the blocks of sinks whose bounds are needed */
  guint                  block_count;
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
 * one of them). Returns FALSE when cancelled. */
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
        job->works[t] = work_new (job->net.n, job->lmax);
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

static void
task_bounds (Job   *job,
             Work  *w,
             guint  task)
{
  guint n = job->net.n;
  gsize stride = (gsize) (job->lmax + 1) * n;

  guint n_blocks = job->block_count;

  if (net_check_cancelled (&job->net))
    return;
  if (task < n_blocks)
    {
      guint j0 = (job->block_first + task) * SINK_BLOCK, count = MIN (SINK_BLOCK, n - j0);

      if (compute_sink_bounds (&job->net, j0, count, job->lmax, job->sink_bounds))
        g_atomic_int_add (&job->done_units, count);
    }
  else
    {
      guint s = task - n_blocks;

      compute_source_bounds (&job->net, job->src_layer[s], job->src_position[s],
                             job->source_bounds + s * stride);
      g_atomic_int_inc (&job->done_units);
    }
  /* The bounds take a quarter of a long job (5 s of 20 s at n = 1024): report them too. */
  job_report (job, task < n_blocks ? 0 : task - n_blocks, NULL);
}

static Sink
job_sink (const Job *job,
          guint      j)
{
  gsize stride = (gsize) (job->lmax + 1) * job->net.n;
  Sink sk = { job->sink_bounds + j * stride };

  return sk;
}

/* Task s * n + j: source s to sink j. */
static void
task_pair (Job   *job,
           Work  *w,
           guint  task)
{
  guint n = job->net.n;
  guint s = task / n, j = task % n;
  gsize stride = (gsize) (job->lmax + 1) * n;
  Sink sk = job_sink (job, j);
  double v;

  if (job->src_layer[s] <= 2)
    return;
  v = solve_pair (w, &job->net, job->src_layer[s], job->src_position[s], j, &sk,
                  job->source_bounds + s * stride);
  if (v < 0.)
    return;
  job->raw[task] = v;
  g_atomic_int_inc (&job->done_units);
  if ((guint) g_atomic_int_add (&job->src_done[s], 1) + 1 == n)
    job_source_finished (job, s);
  else
    job_report (job, s, NULL);
}

static void
job_init (Job                   *job,
          AttnGraph             *graph,
          const AttnFlowOptions *options,
          GCancellable          *cancellable,
          guint                  lmax,
          guint                  n_sources)
{
  guint L = attn_graph_get_n_layers (graph);
  guint n = attn_graph_get_n_tokens (graph);
  guint n_threads = options != NULL ? options->n_threads : 0;

  memset (job, 0, sizeof *job);
  job->net.n = n;
  job->net.n_layers = L;
  job->net.cap = g_new0 (const double *, L + 1);
  for (guint m = 1; m <= L; m++)
    job->net.cap[m] = attn_graph_get_augmented (graph, m);
  job->net.cancellable = cancellable;
  job->options = options;
  job->lmax = lmax;
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
  job->last_percent = -1;
  g_mutex_init (&job->mutex);
}

static void
job_clear (Job *job)
{
  for (guint t = 0; t < job->n_threads; t++)
    work_free (job->works[t]);
  g_free (job->works);
  g_free (job->net.cap);
  g_free (job->src_layer);
  g_free (job->src_position);
  g_free (job->raw);
  g_free (job->src_done);
  g_free (job->sink_bounds);
  g_free (job->source_bounds);
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

/* Computes the raw values of every source of the job: bounds first, then
 * the closed forms (layers 1 and 2), then the max-flows. */
static gboolean
job_compute (Job     *job,
             GError **error)
{
  guint n = job->net.n;
  gsize stride = (gsize) (job->lmax + 1) * n;
  guint n_pairs = 0;

  job->sink_bounds = g_try_malloc0_n ((gsize) n * stride, sizeof (double));
  job->source_bounds = g_try_malloc0_n ((gsize) job->n_sources * stride, sizeof (double));
  if (job->sink_bounds == NULL || job->source_bounds == NULL)
    {
      job->out_of_memory = TRUE;
      return job_fail (job, error);
    }

  for (guint s = 0; s < job->n_sources; s++)
    if (job->src_layer[s] > 2)
      n_pairs += n;
  job->total_units = n + job->n_sources + n_pairs;
  job->block_first = 0;
  job->block_count = (n + SINK_BLOCK - 1) / SINK_BLOCK;

  if (!job_run (job, task_bounds, job->block_count + job->n_sources, FALSE))
    return job_fail (job, error);

  /* Closed forms, in source order, reported from the calling thread. */
  for (guint s = 0; s < job->n_sources; s++)
    {
      guint l = job->src_layer[s], p = job->src_position[s];

      if (l > 2)
        continue;
      for (guint j = 0; j < n; j++)
        job->raw[(gsize) s * n + j] = job->sink_bounds[j * stride + (gsize) l * n + p];
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

/* Adds the flow of the max-flow to sink @j (left in @w) to @acc. */
static void
add_edge_flows (const Job  *job,
                const Work *w,
                guint       j,
                double      value,
                double     *acc)
{
  guint n = job->net.n;
  gsize nn = (gsize) n * n;
  guint l = job->src_layer[0], p = job->src_position[0];

  if (l == 1)
    {
      acc[(gsize) p * n + j] += value;
      return;
    }
  for (gsize i = 0; i < w->n_touched; i++)
    {
      guint32 row = w->touched[i];
      guint m = row / n, q = row % n;
      const double *f = w->flow + (gsize) row * n;
      double *dst = acc + (m - 1) * nn + (gsize) q * n;

      for (guint k = 0; k < n; k++)
        dst[k] += f[k];
    }
  for (guint m = 1; m + 1 < l; m++)
    for (guint k = 0; k < n; k++)
      {
        gsize v = (gsize) m * n + k;
        const guint32 *list = w->in_list + v * n;

        for (guint32 i = 0; i < w->in_len[v]; i++)
          {
            acc[m * nn + (gsize) list[i] * n + k] += w->flow[((gsize) (m + 1) * n + list[i]) * n + k];
          }
      }
  for (guint q = 0; q < n; q++)
    acc[(gsize) q * n + j] += w->sink_flow[q];
}

/* Task t of a block: sink edge_base + t, in work t. */
static void
task_edge (Job   *job,
           Work  *unused,
           guint  task)
{
  guint j = job->edge_base + task;
  Sink sk = job_sink (job, j);
  double v;

  v = solve_pair (job->works[task], &job->net, job->src_layer[0], job->src_position[0], j, &sk,
                  job->source_bounds);
  if (v < 0.)
    return;
  job->raw[j] = v;
  g_atomic_int_inc (&job->done_units);
  job_report (job, 0, NULL);
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
 * and, at the end, the node's values.
 *
 * Returns: %TRUE on success; %FALSE with @error set (@out untouched)
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
  g_autofree double *acc = NULL;
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
  first = sink < 0 ? 0 : (guint) sink;
  last = sink < 0 ? n : (guint) sink + 1;

  job_init (&job, graph, options, cancellable, layer, 1);
  job.src_layer[0] = layer;
  job.src_position[0] = position;
  job.sink_bounds = g_try_malloc0_n ((gsize) n * (layer + 1) * n, sizeof (double));
  job.source_bounds = g_try_malloc0_n ((gsize) (layer + 1) * n, sizeof (double));
  total_size = (gsize) L * n * n;
  acc = g_try_malloc0_n (total_size, sizeof (double));
  job.out_of_memory = job.sink_bounds == NULL || job.source_bounds == NULL || acc == NULL;
  if (job.out_of_memory)
    goto out;
  job.total_units = (last - first) + 1 + (last - first);
  /* Only the blocks of sinks that are wanted. */
  job.block_first = first / SINK_BLOCK;
  job.block_count = (last - 1) / SINK_BLOCK - job.block_first + 1;

  if (!job_run (&job, task_bounds, job.block_count + 1, FALSE))
    goto out;

  for (guint t = 0; t < job.n_threads; t++)
    {
      job.works[t] = work_new (n, layer);
      if (job.works[t] == NULL)
        {
          /* Fewer threads give the same results; none at all is an error. */
          job.out_of_memory = t == 0;
          job.n_threads = t;
          break;
        }
    }
  if (job.out_of_memory)
    goto out;

  for (guint base = first; base < last; base += job.n_threads)
    {
      guint count = MIN (job.n_threads, last - base);

      job.edge_base = base;
      if (!job_run (&job, task_edge, count, FALSE))
        goto out;
      for (guint t = 0; t < count; t++)
        add_edge_flows (&job, job.works[t], base + t, job.raw[base + t], acc);
    }

  if (sink < 0)
    {
      double total = 0.;

      for (guint j = 0; j < n; j++)
        total += job.raw[j];
      if (total > 0.)
        for (gsize i = 0; i < total_size; i++)
          acc[i] /= total;
    }
  if (options != NULL && options->partial != NULL && sink < 0)
    job_source_finished (&job, 0);
  memcpy (out, acc, total_size * sizeof (double));
  ok = TRUE;

out:
  if (!ok)
    job_fail (&job, error);
  job_clear (&job);
  return ok;
}
