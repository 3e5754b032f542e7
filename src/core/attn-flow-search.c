/* attn-flow-search.c: the flow engine's max-flows (see attn-flow.c)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Dinic's algorithm on the layered network of one source and one sink: a
 * worker's scratch space (the flow, dense for small inputs and in a hash
 * table of the arcs that carry some for large ones; the reverse arcs; the
 * bit rows of the searches), the later phases' BFS and search (the first
 * phase's is in attn-flow-first.c), and the closed forms of layers 1 and
 * 2. */

#include "config.h"

#include <string.h>

#include "attn-flow-net.h"
#include "attn-flow-private.h"
#include "attn-flow-work.h"

/* Dinic may stop when its value is this close (relative) to the upper bound. */
#define BOUND_TOLERANCE 2e-15
/* A max-flow is the upper bound, unsearched, when the lower bound is this
 * close (relative) to it: the lower bound's quotient of sums of up to n
 * terms is a few times BOUND_TOLERANCE off the value it meets. */
#define LOWER_BOUND_TOLERANCE 1e-13
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

/* Returns NULL when memory runs out. */
Work *
attn_flow_work_new (guint    n,
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
  w->arc_values = g_try_malloc_n (w->arcs_size, sizeof (double));
  w->first = g_try_malloc0_n (nodes, sizeof (FirstNode));
  w->frames = g_try_malloc0_n (lmax + 1, sizeof (Frame));
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
  w->saturated = g_try_malloc0_n (nodes * w->words, sizeof (guint64));
  if (block_bounds)
    w->block_d = g_try_malloc0_n ((gsize) SINK_BLOCK * nodes, sizeof (double));
  if (w->keys == NULL || w->values == NULL || w->arcs == NULL || w->n_out == NULL
      || w->arc_values == NULL || w->first == NULL || w->frames == NULL
      || w->sink_flow == NULL || w->in_start == NULL || w->in_size == NULL || w->in_len == NULL
      || w->arena == NULL || w->in_nodes == NULL || w->level == NULL || w->cur == NULL
      || w->queue == NULL || w->live == NULL || w->saturated == NULL
      || (block_bounds && w->block_d == NULL) || (dense && (w->flow == NULL || w->listed == NULL)))
    {
      attn_flow_work_free (w);
      return NULL;
    }
  memset (w->keys, 0xff, FLOW_HASH_SLOTS * sizeof (guint64));
  return w;
}

void
attn_flow_work_free (Work *w)
{
  if (w == NULL)
    return;
  g_free (w->keys);
  g_free (w->values);
  g_free (w->arcs);
  g_free (w->arc_values);
  g_free (w->first);
  g_free (w->frames);
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
  g_free (w->saturated);
  g_free (w->by_level);
  g_free (w->block_d);
  g_free (w);
}

/* The room for one block of sinks' bounds (attn_flow_sink_bounds()), for
 * workers made with @block_bounds. */
double *
attn_flow_work_get_block_bounds (Work *w)
{
  return w->block_d;
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

/* Makes the (empty) hash table large enough for @count keys and more. */
static void
hash_reserve (Work  *w,
              gsize  count)
{
  gsize size = w->hash_mask + 1;
  guint shift = w->hash_shift;

  if (2 * (count + 1) <= size)
    return;
  while (2 * (count + 1) > size)
    {
      size *= 2;
      shift--;
    }
  g_free (w->keys);
  g_free (w->values);
  w->keys = g_new (guint64, size);
  w->values = g_new (double, size);
  memset (w->keys, 0xff, size * sizeof (guint64));
  w->hash_mask = size - 1;
  w->hash_shift = shift;
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
  if (w->flow == NULL)
    {
      w->keys[i] = key;
      w->values[i] = value;
      w->n_out[u]++;
    }
  arcs_append (w, key, value);
  if (w->in_lists && u / w->n != l)
    in_list_append (w, u - w->n + k - u % w->n, u % w->n);
}

/* After the first phase, when a second one is needed: the first phase's
 * flow goes into the table (in the order the arcs got it), with the dense
 * table's bits and the reverse-arc lists of the arcs below the source (a
 * source in layer @l), all kept up to date from now on (arc_set_flow()). */
static void
work_materialize (Work  *w,
                  guint  l)
{
  if (w->flow == NULL)
    hash_reserve (w, w->n_arcs);
  for (gsize a = 0; a < w->n_arcs; a++)
    {
      guint64 key = w->arcs[a];
      guint32 u = (guint32) (key / w->n), k = (guint32) (key % w->n);

      if (w->flow != NULL)
        {
          w->flow[key] = w->arc_values[a];
          set_bit (w->listed + (gsize) u * w->words, k);
        }
      else
        {
          gsize i = hash_find (w, key);

          w->keys[i] = key;
          w->values[i] = w->arc_values[a];
          w->n_out[u]++;
        }
      if (u / w->n != l)
        in_list_append (w, u - w->n + k - u % w->n, u % w->n);
    }
  w->in_lists = TRUE;
}

/* The flow on the arc of entry @a of the list. */
static inline double
entry_flow (const Work *w,
            gsize       a)
{
  guint64 key = w->arcs[a];

  if (!w->in_lists)
    return w->arc_values[a];
  return arc_flow (w, (guint32) (key / w->n), (guint32) (key % w->n));
}

/* Clears the flow left by the previous max-flow: only the arcs it used. */
static void
work_reset (Work *w)
{
  /* The table and the bits are only filled from the second phase on. Keys
   * are removed in the reverse order of insertion, so that each key's probe
   * sequence still holds the keys inserted before it. */
  for (gsize a = w->in_lists ? w->n_arcs : 0; a-- > 0;)
    {
      guint64 key = w->arcs[a];
      guint32 u = (guint32) (key / w->n), k = (guint32) (key % w->n);

      if (w->flow != NULL)
        {
          w->flow[key] = 0.;
          clear_bit (w->listed + (gsize) u * w->words, k);
        }
      else
        {
          w->keys[hash_find (w, key)] = NO_ARC;
          w->n_out[u] = 0;
        }
      clear_bit (w->saturated + (gsize) u * w->words, k);
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
          const guint *ext = net->spans[m] + 2 * q;

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
      const guint *ext = s->net->spans[m] + 2 * q;
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

/* Max-flow value from (l, p) to the sink, l >= 2, by Dinic; leaves the flow
 * in @w (the caller resets it). @sk holds D_m for this sink (m = 1..l), @ub
 * an upper bound on the value: the search never pushes more, and stops when
 * it reaches it, and then the value is @ub itself (whatever order the
 * pushes' sum was made in: the same value as a max-flow settled by its lower
 * bound). Returns a negative value when cancelled. */
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

  g_assert (l >= 3 && l <= w->lmax);

  if (!(ub > 0.))
    return 0.;

  /* First phase: with no flow yet, the BFS levels are the layer distances;
   * nodes that cannot reach the sink are left out. */
  if (++w->stamp == 0)
    {
      memset (w->first, 0, (gsize) (w->lmax + 1) * n * sizeof (FirstNode));
      w->stamp = 1;
    }
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
  value = attn_flow_first_phase (w, net, l, p, d + n, ub);
  if (value < 0.)
    return -1.;
  if (value >= stop)
    return ub;
  work_materialize (w, l);
  s.sink_level = build_levels (w, net, l, p, sk);
  if (s.sink_level < 0)
    return attn_flow_net_check_cancelled (net) ? -1. : value;

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

  if (attn_flow_net_check_cancelled (net))
    return -1.;
  return value >= stop ? ub : value;
}

/* Max-flow value for one source and one sink, any layer. Needs D for the
 * sink (up to layer l) and I for the source. For l >= 3 the flow stays in
 * @w until the next call, unless the sink's max-flows from the layer below
 * are known and their lower bound settles the value: then @w holds no flow
 * (callers that want the edge flows give none). Returns a negative value
 * when cancelled. */
double
attn_flow_solve_pair (Work         *w,
                      Net          *net,
                      guint         l,
                      guint         p,
                      guint         j,
                      const Sink   *sk,
                      const double *in)
{
  guint n = net->n;
  double ub;

  if (l == 1)
    return net->cap[1][(gsize) p * n + j];
  if (l == 2)
    return sk->d[2 * n + p]; /* disjoint paths: D_2 (p) is the max-flow */
  ub = attn_flow_upper_bound (n, l, p, in, sk->d);
  if (sk->below != NULL
      && attn_flow_lower_bound (net, l, p, sk->below) >= ub - ub * LOWER_BOUND_TOLERANCE)
    return ub;
  work_reset (w);
  return max_flow (w, net, l, p, sk, ub);
}

/* Records the edge flows of the max-flow from (@l, @p) to sink @j (left in
 * @w for layers >= 3; @d: the sink's bounds) in @list, as indices into the
 * L n n output. */
void
attn_flow_work_edge_list (const Work   *w,
                          const Net    *net,
                          guint         l,
                          guint         p,
                          guint         j,
                          const double *d,
                          EdgeList     *list)
{
  guint n = net->n;
  gsize nn = (gsize) n * n;
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
      const double *c2 = net->cap[2] + (gsize) p * n;

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
      double f = entry_flow (w, a);

      if (f > 0.)
        EDGE_ADD ((u / n - 1) * nn + (gsize) (u % n) * n + k, f);
    }
  for (guint q = 0; q < n; q++)
    if (w->sink_flow[q] > 0.)
      EDGE_ADD ((gsize) q * n + j, w->sink_flow[q]);

#undef EDGE_ADD
}

