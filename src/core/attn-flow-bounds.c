/* attn-flow-bounds.c: the flow engine's upper bounds (see attn-flow.c)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* D_m(q), an upper bound on what node (m, q) can send to a sink, computed 8
 * sinks at a time over the non-zero spans of the rows and by blocks of 64
 * columns; I_m(k), the same from a source's side; and B_m, their meeting
 * in each layer, which bounds a max-flow (attn-flow.c says how). */

#include "config.h"

#include <string.h>

#include "attn-flow-net.h"

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

/* D_m(q) for m = 1..lmax and the sinks j0 .. j0+count-1 (count <= 8), into
 * out[b * stride + m n + q] for sink j0 + b: an upper bound on the flow node
 * (m, q) can send to that sink; exactly the max-flow for m <= 2. D = 0
 * exactly when the node cannot reach the sink. The sinks of a block share
 * each pass over the capacities; a lane's values do not depend on the other
 * sinks of its block (which is always the same one: j0 = 8 (j / 8)). At the
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
          const guint *ext = net->spans[m] + 2 * q;
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

