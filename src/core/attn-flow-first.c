/* attn-flow-first.c: the flow engine's first Dinic phase (see attn-flow.c)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The first phase's search, where the levels are the layers and no arc
 * carries flow backwards yet: push_from()'s depth-first search without
 * recursion, one frame per layer of the path from the source. A node tries
 * its diagonal arc first (the residual connection, the widest), then the
 * others in index order; the candidate arcs are found 64 at a time in bit
 * rows (the nodes of the next layer still alive), so the search skips dead
 * nodes without looking at them one by one. No bit rows of full arcs here:
 * the current arc moves past them. */

#include "config.h"

#include "attn-flow-work.h"

/* First phase: the flow on arc (u, k) of node u = (m, q) (@node), entered
 * with current arc @cur0: only its diagonal arc and its current arc can
 * carry flow yet (the arcs after the current one have not been tried). */
static inline double
first_flow (const Work      *w,
            const FirstNode *node,
            guint32          q,
            guint32          k,
            guint32          cur0)
{
  guint32 e = k == q ? node->diag_entry : k == cur0 ? node->cur_entry : 0;

  return e > 0 ? w->arc_values[e - 1] : 0.;
}

/* First phase: arc (u, k) now carries @value (more than before); returns
 * 1 + its entry. */
static inline guint32
first_set_flow (Work      *w,
                guint32    u,
                FirstNode *node,
                guint32    q,
                guint32    k,
                guint32    cur0,
                double     value)
{
  guint32 *slot = k == q ? &node->diag_entry : k == cur0 ? &node->cur_entry : NULL;
  guint32 e = slot != NULL ? *slot : 0;

  if (e > 0)
    {
      w->arc_values[e - 1] = value;
      return e;
    }
  arcs_append (w, arc_key (w, u, k), value);
  e = (guint32) w->n_arcs;
  if (slot != NULL)
    *slot = e;
  return e;
}

/* One first phase: the worker, the network, the capacities of the sink's
 * arcs. */
typedef struct
{
  Work         *w;
  Net          *net;
  const double *d1;
} Search;

/* Enters node (@m, @q) with demand @limit into @fr. A node is new to this
 * max-flow when its stamp is not the max-flow's: then its state starts from
 * zero and its diagonal arc is tried first. */
static inline __attribute__ ((always_inline)) void
first_enter (Work         *w,
             const Search *s,
             Frame        *fr,
             guint         m,
             guint32       q,
             double        limit)
{
  FirstNode *node = &w->first[m * w->n + q];
  const guint *ext = s->net->spans[m] + 2 * q;

  fr->diagonal = node->stamp != w->stamp;
  if (fr->diagonal)
    {
      node->stamp = w->stamp;
      node->cur = 0;
      node->cur_entry = 0;
      node->diag_entry = 0;
    }
  fr->c = s->net->cap[m] + (gsize) q * w->n;
  fr->node = node;
  fr->diag_cap = s->net->diag[m * w->n + q];
  fr->below = w->live + (gsize) (m - 1) * w->words;
  fr->limit = limit;
  fr->rest = limit;
  fr->q = q;
  fr->cur0 = node->cur;
  fr->lo = ext[0];
  fr->hi = ext[1];
  fr->a = MAX (fr->cur0, ext[0]);
}

/* The next arc of the frame's node (@m >= 2) that can take flow: its head
 * in fr->k, its flow and residual in fr->f and fr->r. When there is none,
 * the node is dead for this phase and FALSE is returned. */
static inline __attribute__ ((always_inline)) gboolean
first_arc (Work  *w,
           guint  m,
           Frame *fr)
{
  const guint64 *live = fr->below;
  FirstNode *node = fr->node;

  for (;;)
    {
      guint32 k;
      double f, ck;

      fr->is_diag = fr->diagonal;
      if (fr->diagonal)
        {
          fr->diagonal = FALSE;
          k = fr->q;
          if (k < fr->lo || k >= fr->hi || !test_bit (live, k))
            continue;
          ck = fr->diag_cap;
        }
      else
        {
          guint32 wi;
          guint64 bits;

          if (fr->a >= fr->hi)
            break;
          wi = fr->a / 64;
          bits = live[wi] & (~G_GUINT64_CONSTANT (0) << (fr->a % 64));
          if (bits == 0)
            {
              fr->a = (wi + 1) * 64;
              continue;
            }
          k = wi * 64 + (guint32) __builtin_ctzll (bits);
          if (k >= fr->hi)
            break;
          fr->a = k + 1;
          ck = fr->c[k];
        }
      f = first_flow (w, node, fr->q, k, fr->cur0);
      if (!(f < ck))
        continue;
      fr->k = k;
      fr->ck = ck;
      fr->f = f;
      fr->r = ck - f;
      return TRUE;
    }
  node->cur = w->n;
  clear_bit (w->live + (gsize) m * w->words, fr->q);
  return FALSE;
}

/* The arc fr->k of the frame's node (@m) took @got of what it was asked;
 * returns TRUE when the node's demand is met. */
static inline __attribute__ ((always_inline)) gboolean
first_took (Work   *w,
            guint   m,
            Frame  *fr,
            double  got)
{
  FirstNode *node = fr->node;
  guint32 e;

  if (!(got > 0.))
    return FALSE;
  e = first_set_flow (w, m * w->n + fr->q, node, fr->q, fr->k, fr->cur0,
                      got >= fr->r ? fr->ck : MIN (fr->f + got, fr->ck));
  if (got >= fr->rest)
    {
      if (!fr->is_diag)
        {
          node->cur = fr->k;
          node->cur_entry = e;
        }
      return TRUE;
    }
  fr->rest -= got;
  return FALSE;
}

/* Node (2, @q) pushes up to @limit into the sink's arcs through its
 * children (1, k), which have no other arc; returns what it pushed. */
static inline double
first_push_two (Work         *w,
                const Search *s,
                guint32       q,
                double        limit)
{
  Frame fr;

  first_enter (w, s, &fr, 2, q, limit);
  while (first_arc (w, 2, &fr))
    {
      double got = push_sink (w, s->d1, fr.k, MIN (fr.rest, fr.r));

      if (!(w->sink_flow[fr.k] < s->d1[fr.k]))
        clear_bit (w->live + w->words, fr.k);
      if (first_took (w, 2, &fr, got))
        return limit;
    }
  return limit - fr.rest;
}

/* The first phase from source (@l, @p), @l >= 3, pushing up to @limit
 * towards the sink whose arcs from (1, q) have capacities @d1[q], in a
 * worker whose live bits are set (the nodes that can reach the sink) and
 * whose list of arcs used and sink flows are empty. Returns what it pushed,
 * or a negative value when cancelled. */
double
attn_flow_first_phase (Work         *w,
                       Net          *net,
                       guint         l,
                       guint         p,
                       const double *d1,
                       double        limit)
{
  Search search = { w, net, d1 };
  Search *s = &search;
  guint m = l;

  g_assert (l >= 3);
  first_enter (w, s, &w->frames[l], l, p, limit);
  for (;;)
    {
      Frame *fr = &w->frames[m];
      double got;

      if (work_step (w, s->net))
        return -1.;
      if (first_arc (w, m, fr))
        {
          double req = MIN (fr->rest, fr->r);

          if (m > 3)
            {
              m--;
              first_enter (w, s, &w->frames[m], m, fr->k, req);
              continue;
            }
          got = first_push_two (w, s, fr->k, req);
        }
      else
        {
          /* Dead: what it pushed goes back to its parent. */
          got = fr->limit - fr->rest;
          if (m == l)
            return got;
          m++;
        }
      /* A node whose demand is met returns it whole to its parent. */
      while (first_took (w, m, &w->frames[m], got))
        {
          got = w->frames[m].limit;
          if (m == l)
            return got;
          m++;
        }
    }
}
