/* attn-flow-bounds.c: the flow engine's bounds (see attn-flow.c)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* D_m(q), an upper bound on what node (m, q) can send to a sink, computed
 * SINK_BLOCK sinks at a time over the non-zero spans of the rows and by blocks of 64
 * columns; I_m(k), the same from a source's side; and B_m, their meeting
 * in each layer, which bounds a max-flow (attn-flow.c says how); and a lower
 * bound from the max-flows of the layer below. */

#include "config.h"

#include <string.h>

#include "attn-flow-net.h"
#include "attn-kernel-private.h"

gboolean
attn_flow_net_check_cancelled (Net *net)
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

/* The lanes of a block of sinks, one per sink, in vectors of four (GCC and
 * Clang vector extensions). On x86-64 with GCC the kernel below is also
 * compiled for AVX2 and picked at run time. Each lane adds in a fixed order
 * whatever the vector width or the number of sums interleaved, so every
 * version gives the same bits. (Vec4 values are not passed to or returned
 * from functions: without AVX that changes the ABI, and GCC warns.) */
typedef double Vec4 __attribute__ ((vector_size (32)));
typedef gint64 Mask4 __attribute__ ((vector_size (32)));

#define LANE_VECS (SINK_BLOCK / 4)
/* Independent sums computed side by side: enough of them to hide the
 * latency of an addition (one sum's steps depend on each other). */
#define CHAINS 8
#define SEGMENTS MAX (CHAINS / LANE_VECS, 1)
/* Room for the sums of SEGMENTS segments, or of the two ends of a row. */
#define SUMS MAX (SEGMENTS, 2) * LANE_VECS

#define VEC4_ZERO ((Vec4) { 0., 0., 0., 0. })
#define VEC4_SPLAT(x) (VEC4_ZERO + (x))
#define VEC4_LOAD(v, p) memcpy (&(v), (p), sizeof (Vec4))
#define VEC4_MIN(a, b) ((Vec4) ((((Mask4) (a)) & ((a) < (b))) | (((Mask4) (b)) & ~((a) < (b)))))

/* For each of @count segments [start[s], start[s] + len) at once (count <=
 * SEGMENTS): acc[s LANE_VECS + v] += Σ_k min (row[k], prev[SINK_BLOCK k +
 * lane]), k increasing, for the lanes of vector v. */
static inline __attribute__ ((always_inline)) void
segments_sum_min (const double *row,
                  const double *prev,
                  const guint  *start,
                  guint         count,
                  guint         len,
                  double       *acc)
{
  Vec4 s[SUMS];

  g_assert (count * LANE_VECS <= SUMS);
#pragma GCC unroll 16
  for (guint v = 0; v < count * LANE_VECS; v++)
    VEC4_LOAD (s[v], acc + 4 * v);
  for (guint i = 0; i < len; i++)
#pragma GCC unroll 8
    for (guint g = 0; g < count; g++)
      {
        guint k = start[g] + i;
        Vec4 r = VEC4_SPLAT (row[k]);

#pragma GCC unroll 8
        for (guint v = 0; v < LANE_VECS; v++)
          {
            Vec4 d;

            VEC4_LOAD (d, prev + (gsize) k * SINK_BLOCK + 4 * v);
            s[g * LANE_VECS + v] += VEC4_MIN (r, d);
          }
      }
#pragma GCC unroll 16
  for (guint v = 0; v < count * LANE_VECS; v++)
    memcpy (acc + 4 * v, &s[v], sizeof (Vec4));
}

/* The same for one segment [a, b). */
static inline __attribute__ ((always_inline)) void
segment_sum_min (const double *row,
                 const double *prev,
                 guint         a,
                 guint         b,
                 double       *acc)
{
  if (a < b)
    segments_sum_min (row, prev, &a, 1, b - a, acc);
}

/* Whether every lane of column block @b may take the block's sum instead of
 * the minima: the row's largest off-diagonal capacity there (@mx) is at most
 * the lane's smallest D there; @pass gets the lanes that may. */
static inline __attribute__ ((always_inline)) gboolean
block_passes (double        mx,
              const double *lane_min,
              Mask4        *pass)
{
  Vec4 x = VEC4_SPLAT (mx);
  Mask4 all = { -1, -1, -1, -1 };

  for (guint v = 0; v < LANE_VECS; v++)
    {
      Vec4 mn;

      VEC4_LOAD (mn, lane_min + 4 * v);
      pass[v] = x <= mn;
      all &= pass[v];
    }
  return (all[0] & all[1] & all[2] & all[3]) != 0;
}

/* out[lane] = Σ_{k in [lo, hi)} min (row[k], prev[SINK_BLOCK k + lane]) for
 * row q of a layer: elementwise at the ends, and by blocks of COLUMN_BLOCK
 * columns in between, where a lane whose smallest D in the block (@lane_min)
 * is at least the row's largest off-diagonal capacity there (@bmax) takes
 * the block's sum (@bsum) plus the diagonal's minimum. Each part is summed
 * from zero, the parts are added in column order; the parts summed
 * elementwise are computed SEGMENTS at a time (@failing: room for their
 * block numbers, @each: for their sums). */
KERNEL_CLONES static void
row_bound (const double *row,
           const double *prev,
           const double *bmax,
           const double *bsum,
           const double *lane_min,
           guint         q,
           guint         lo,
           guint         hi,
           guint        *failing,
           double       *each,
           double       *out)
{
  guint b0 = (lo + COLUMN_BLOCK - 1) / COLUMN_BLOCK, b1 = hi / COLUMN_BLOCK;
  Vec4 acc[LANE_VECS];
  double ends[2 * SINK_BLOCK] = { 0. };
  guint n_failing = 0, i = 0, f = 0;

  for (guint v = 0; v < LANE_VECS; v++)
    acc[v] = VEC4_ZERO;
  if (b0 >= b1)
    {
      segment_sum_min (row, prev, lo, hi, ends);
      for (guint l = 0; l < SINK_BLOCK; l++)
        out[l] = 0. + ends[l];
      return;
    }

  for (guint b = b0; b < b1; b++)
    {
      Mask4 pass[LANE_VECS];

      if (!block_passes (bmax[b], lane_min + (gsize) b * SINK_BLOCK, pass))
        failing[n_failing++] = b * COLUMN_BLOCK;
    }

  /* The two ends side by side (over their common length), then the
   * failing blocks, SEGMENTS at a time. */
  {
    guint start[2] = { lo, b1 * COLUMN_BLOCK };
    guint common = MIN (b0 * COLUMN_BLOCK - lo, hi - b1 * COLUMN_BLOCK);

    segments_sum_min (row, prev, start, 2, common, ends);
    segment_sum_min (row, prev, lo + common, b0 * COLUMN_BLOCK, ends);
    segment_sum_min (row, prev, start[1] + common, hi, ends + SINK_BLOCK);
  }
  memset (each, 0, (gsize) n_failing * SINK_BLOCK * sizeof (double));
  for (; i + SEGMENTS <= n_failing; i += SEGMENTS)
    segments_sum_min (row, prev, failing + i, SEGMENTS, COLUMN_BLOCK, each + (gsize) i * SINK_BLOCK);
  for (; i < n_failing; i++)
    segments_sum_min (row, prev, failing + i, 1, COLUMN_BLOCK, each + (gsize) i * SINK_BLOCK);

  for (guint v = 0; v < LANE_VECS; v++)
    {
      Vec4 e;

      VEC4_LOAD (e, ends + 4 * v);
      acc[v] += e;
    }
  for (guint b = b0; b < b1; b++)
    {
      Mask4 pass[LANE_VECS];
      gboolean all = block_passes (bmax[b], lane_min + (gsize) b * SINK_BLOCK, pass);

      for (guint v = 0; v < LANE_VECS; v++)
        {
          Vec4 sum = VEC4_SPLAT (bsum[b]);

          if (q / COLUMN_BLOCK == b)
            {
              Vec4 r = VEC4_SPLAT (row[q]), d;

              VEC4_LOAD (d, prev + (gsize) q * SINK_BLOCK + 4 * v);
              sum += VEC4_MIN (r, d);
            }
          if (!all)
            {
              Vec4 e;

              VEC4_LOAD (e, each + (gsize) f * SINK_BLOCK + 4 * v);
              sum = (Vec4) (((Mask4) sum & pass[v]) | ((Mask4) e & ~pass[v]));
            }
          acc[v] += sum;
        }
      f += !all;
    }
  for (guint v = 0; v < LANE_VECS; v++)
    {
      Vec4 e;

      VEC4_LOAD (e, ends + SINK_BLOCK + 4 * v);
      acc[v] += e;
    }
  memcpy (out, acc, sizeof acc);
}

/* The block summaries of the rows of layer @m (see Net). */
void
attn_flow_net_layer_tables (Net   *net,
                            guint  m)
{
  guint n = net->n, nb = net->n_blocks;
  const double *c = net->cap[m];

  for (guint q = 0; q < n; q++)
    {
      const double *row = c + (gsize) q * n;

      net->diag[(gsize) m * n + q] = row[q];
      double *bmax = net->block_max + ((gsize) m * n + q) * nb;
      double *bsum = net->block_sum + ((gsize) m * n + q) * nb;
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

/* The non-zero span [*dlo, *dhi) of D (@prev: SINK_BLOCK lanes per node)
 * over the lanes, and each lane's smallest D per column block. */
static void
lanes_span_and_minima (const double *prev,
                       guint         n,
                       guint         nb,
                       guint        *dlo,
                       guint        *dhi,
                       double       *lane_min)
{
  *dlo = n;
  *dhi = 0;
  for (guint k = 0; k < n; k++)
    {
      const double *d = prev + (gsize) k * SINK_BLOCK;
      gboolean nz = FALSE;

      for (guint b = 0; b < SINK_BLOCK; b++)
        nz |= d[b] != 0.;
      if (nz)
        {
          *dlo = MIN (*dlo, k);
          *dhi = k + 1;
        }
    }
  for (guint b = 0; b < nb; b++)
    {
      guint k1 = MIN ((b + 1) * COLUMN_BLOCK, n);
      double *mn = lane_min + (gsize) b * SINK_BLOCK;

      memcpy (mn, prev + (gsize) b * COLUMN_BLOCK * SINK_BLOCK, SINK_BLOCK * sizeof (double));
      for (guint k = b * COLUMN_BLOCK + 1; k < k1; k++)
        for (guint l = 0; l < SINK_BLOCK; l++)
          {
            double d = prev[(gsize) k * SINK_BLOCK + l];

            mn[l] = mn[l] < d ? mn[l] : d;
          }
    }
}

/* D_m(q) for m = 1..lmax and the sinks j0 .. j0+count-1 (count <=
 * SINK_BLOCK), into
 * out[b * stride + m n + q] for sink j0 + b: an upper bound on the flow node
 * (m, q) can send to that sink; exactly the max-flow for m <= 2. D = 0
 * exactly when the node cannot reach the sink. The sinks of a block share
 * each pass over the capacities; a lane's values do not depend on the other
 * sinks of its block (and the blocks are always the same: j0 = SINK_BLOCK
 * (j / SINK_BLOCK)). At the
 * top layer only row @top is computed when @top >= 0. Returns FALSE when
 * cancelled. */
gboolean
attn_flow_sink_bounds (Net      *net,
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
  g_autofree guint *failing = g_new (guint, nb);
  g_autofree double *each = g_new (double, (gsize) nb * SINK_BLOCK);

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

      if (attn_flow_net_check_cancelled (net))
        return FALSE;

      lanes_span_and_minima (prev, n, nb, &dlo, &dhi, lane_min);
      if (m == net->lmax && top >= 0)
        {
          q0 = (guint) top;
          q1 = q0 + 1;
        }
      for (guint q = q0; q < q1; q++)
        {
          const guint *ext = net->spans[m] + 2 * q;
          guint lo = MAX (ext[0], dlo), hi = MIN (ext[1], dhi);
          double *dst = cur + (gsize) q * SINK_BLOCK;

          if (lo >= hi)
            memset (dst, 0, SINK_BLOCK * sizeof (double));
          else
            row_bound (c + (gsize) q * n, prev,
                       net->block_max + ((gsize) m * n + q) * nb,
                       net->block_sum + ((gsize) m * n + q) * nb,
                       lane_min, q, lo, hi, failing, each, dst);
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
void
attn_flow_source_bounds (const Net *net,
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
          const guint *ext = net->spans[m] + 2 * q;
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

/* A lower bound on the max-flow from (@l, @p), l >= 2, to a sink, from the
 * max-flows F_k to the same sink from the nodes (l-1, k) (@below[k]): with
 * f_k such a max-flow and t > 0, sending t Â_l[p][k] into each (l-1, k) with
 * F_k > 0 and on as (t Â_l[p][k] / F_k) f_k is a flow whenever Σ_k t Â_l[p][k]
 * / F_k <= 1 (a combination of flows, weights summing to at most 1, whose
 * sources have no arc into each other), of value t Σ_k Â_l[p][k]. Above the
 * third layer it nearly always meets the upper bound (every layer of a
 * 12-layer, n = 128 input from the sixth up), and the search is skipped. */
double
attn_flow_lower_bound (const Net    *net,
                       guint         l,
                       guint         p,
                       const double *below)
{
  const double *a = net->cap[l] + (gsize) p * net->n;
  const guint *ext = net->spans[l] + 2 * p;
  double sum = 0., weight = 0.;

  for (guint k = ext[0]; k < ext[1]; k++)
    if (a[k] > 0. && below[k] > 0.)
      {
        sum += a[k];
        weight += a[k] / below[k];
      }
  return weight > 1. ? sum / weight : sum;
}

double
attn_flow_upper_bound (guint         n,
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

