/* attn-rollout.c: attention rollout (docs/METHODS.md): a node's, a position's and
 * every node's, and a click's edge and path shares
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "attn-error.h"
#include "attn-graph-private.h"
#include "attn-rollout.h"
#include "attn-threads-private.h"

/* out = v · M for a row vector v and an n x n matrix M. */
static void
vector_times_matrix (const double *v,
                     const double *m,
                     guint         n,
                     double       *out)
{
  memset (out, 0, n * sizeof (double));
  for (guint q = 0; q < n; q++)
    {
      const double *row = m + (gsize) q * n;
      double x = v[q];

      if (x == 0.)
        continue;
      for (guint k = 0; k < n; k++)
        out[k] += x * row[k];
    }
}

/* Rows q0..q1-1 of out = A · M, computed as vector_times_matrix() would
 * (same additions in the same order, same results), but on a block of rows
 * and a band of columns at a time, so that what is updated stays in the
 * cache and each row of M is read once per block rather than once per output
 * row (at n = 1024, M is 8 MiB); @extent gives the non-zero span of each row
 * of M, whose zeros are skipped (half of a causal model's matrices). */
#define ROWS_PER_BLOCK 16
#define COLUMNS_PER_BAND 256

static void
rows_times_matrix (const double *a,
                   const double *m,
                   const guint  *extent,
                   guint         n,
                   guint         q0,
                   guint         q1,
                   double       *out)
{
  memset (out + (gsize) q0 * n, 0, (gsize) (q1 - q0) * n * sizeof (double));
  for (guint k0 = 0; k0 < n; k0 += COLUMNS_PER_BAND)
    {
      guint k1 = MIN (k0 + COLUMNS_PER_BAND, n);

      for (guint j = 0; j < n; j++)
        {
          const double *row = m + (gsize) j * n;
          guint from = MAX (k0, extent[2 * j]);
          guint to = MIN (k1, extent[2 * j + 1]);

          if (from >= to)
            continue;
          for (guint q = q0; q < q1; q++)
            {
              double x = a[(gsize) q * n + j];
              double *o = out + (gsize) q * n;

              if (x == 0.)
                continue;
              for (guint k = from; k < to; k++)
                o[k] += x * row[k];
            }
        }
    }
}

/* extent[2j], extent[2j+1]: the first and one past the last non-zero column
 * of row j of the n x n matrix @m (equal for an all-zero row). */
static void
row_extents (const double *m,
             guint         n,
             guint        *extent)
{
  for (guint j = 0; j < n; j++)
    _attn_row_span (m + (gsize) j * n, n, extent + 2 * j);
}

/**
 * attn_rollout_node:
 * @graph: the attention graph
 * @layer: 1..L
 * @position: 0..n-1
 * @out: (out caller-allocates) (array): n values
 *
 * Computes row @position of R_layer = Â_layer · … · Â_1: the rollout
 * importance of every input token for node (@layer, @position). O(L n²).
 *
 * Returns: %TRUE on success, %FALSE with @error set (bad node, cancelled)
 */
gboolean
attn_rollout_node (AttnGraph     *graph,
                   guint          layer,
                   guint          position,
                   double        *out,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autofree double *tmp = NULL;
  guint n;

  if (!attn_graph_check_node_call (graph, layer, position, out, cancellable, error))
    return FALSE;

  n = attn_graph_get_n_tokens (graph);
  tmp = g_new (double, n);
  memcpy (tmp, attn_graph_get_augmented (graph, layer) + (gsize) position * n, n * sizeof (double));

  for (guint l = layer - 1; l >= 1; l--)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      vector_times_matrix (tmp, attn_graph_get_augmented (graph, l), n, out);
      memcpy (tmp, out, n * sizeof (double));
    }

  memcpy (out, tmp, n * sizeof (double));
  return TRUE;
}

typedef struct
{
  AttnGraph    *graph;
  guint         layer;
  guint         first;
  double       *x;         /* count x n: the rows so far */
  double       *y;         /* count x n: scratch */
  guint         q0;
  guint         q1;
  GCancellable *cancellable;
} RowsJob;

/* Rows [q0, q1) of the block: e_p Â_layer Â_layer-1 ... Â_1, top-down. */
static gpointer
rows_worker (gpointer data)
{
  RowsJob *job = data;
  guint n = attn_graph_get_n_tokens (job->graph);
  double *x = job->x, *y = job->y;

  for (guint q = job->q0; q < job->q1; q++)
    memcpy (x + (gsize) q * n,
            attn_graph_get_augmented (job->graph, job->layer) + (gsize) (job->first + q) * n,
            n * sizeof (double));
  for (guint l = job->layer - 1; l >= 1; l--)
    {
      double *t;

      if (g_cancellable_is_cancelled (job->cancellable))
        break;
      rows_times_matrix (x, attn_graph_get_augmented (job->graph, l),
                         attn_graph_get_row_spans (job->graph, l), n, job->q0, job->q1, y);
      t = x;
      x = y;
      y = t;
    }
  /* The result must end in job->x: copy back after an odd number of swaps. */
  if (x != job->x)
    memcpy (job->x + (gsize) job->q0 * n, x + (gsize) job->q0 * n,
            (gsize) (job->q1 - job->q0) * n * sizeof (double));
  return NULL;
}

/**
 * attn_rollout_rows:
 * @graph: the attention graph
 * @layer: 1..L
 * @first: the first position
 * @count: how many positions, from @first
 * @out: (out caller-allocates) (array): @count * n values; `out[i*n + j]`
 *   is the rollout importance of input j for node (@layer, @first + i)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Rows @first .. @first + @count - 1 of R_layer, computed top-down as
 * attn_rollout_node() computes one (the same numbers), but a block of rows
 * at a time, so that each Â_l is read once per block rather than once per
 * row, and on every processor for large blocks. Every position of a layer
 * block by block costs what attn_rollout_matrices() costs for that layer,
 * and the first rows come after a block's share of it.
 *
 * Returns: %TRUE on success, %FALSE with @error set (bad node, cancelled)
 */
gboolean
attn_rollout_rows (AttnGraph     *graph,
                   guint          layer,
                   guint          first,
                   guint          count,
                   double        *out,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autofree double *scratch = NULL;
  RowsJob *jobs;
  guint n, n_threads;

  if (!attn_graph_check_node_call (graph, layer, first, out, cancellable, error)
      || (count > 0 && !attn_graph_check_node (graph, layer, first + count - 1, error)))
    return FALSE;
  n = attn_graph_get_n_tokens (graph);
  if (count == 0)
    return TRUE;

  /* Threads when the block is worth it (more than about 10 ms of work). */
  n_threads = (double) count * n * n * layer < 2e7 ? 1 : MIN (g_get_num_processors (), count);
  scratch = g_new (double, (gsize) count * n);

  jobs = g_newa (RowsJob, n_threads);
  for (guint t = 0; t < n_threads; t++)
    jobs[t] = (RowsJob) { graph, layer, first, out, scratch,
                          count * t / n_threads, count * (t + 1) / n_threads, cancellable };
  attn_run_parts ("attn-rollout", rows_worker, jobs, sizeof *jobs, n_threads);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/**
 * attn_rollout_position:
 * @out: (out caller-allocates) (array): L * n values; `out[(l-1)*n + j]` is
 *   the importance of input j for node (l, @position)
 *
 * Rollout at every layer for one position (the heatmap).
 */
gboolean
attn_rollout_position (AttnGraph     *graph,
                       guint          position,
                       double        *out,
                       GCancellable  *cancellable,
                       GError       **error)
{
  guint L, n;

  g_return_val_if_fail (graph != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  L = attn_graph_get_n_layers (graph);
  n = attn_graph_get_n_tokens (graph);

  for (guint l = 1; l <= L; l++)
    if (!attn_rollout_node (graph, l, position, out + (gsize) (l - 1) * n, cancellable, error))
      return FALSE;

  return TRUE;
}

/* One layer's product out = Â_l · M (M = R_l-1), shared out between the
 * processors a block of rows at a time (a causal model's rows cost more the
 * lower they are, so the blocks are taken in turn rather than split in
 * halves). Each row is computed as rows_times_matrix() computes it, so the
 * results do not depend on the number of threads. */
typedef struct
{
  const double *a;
  const double *m;
  const guint  *extent;
  double       *out;
  guint         n;
  gint          next;        /* atomic: the next block of rows */
  GCancellable *cancellable;
} Product;

static gpointer
product_worker (gpointer data)
{
  Product *product = *(Product **) data;
  guint n = product->n, n_blocks = (n + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK, block;

  while ((block = (guint) g_atomic_int_add (&product->next, 1)) < n_blocks)
    {
      guint q0 = block * ROWS_PER_BLOCK;

      if (g_cancellable_is_cancelled (product->cancellable))
        break;
      rows_times_matrix (product->a, product->m, product->extent, n, q0,
                         MIN (q0 + ROWS_PER_BLOCK, n), product->out);
    }
  return NULL;
}

static gboolean
layer_product (AttnGraph     *graph,
               guint          layer,
               const double  *below,
               guint         *extent,
               double        *out,
               GCancellable  *cancellable,
               GError       **error)
{
  guint n = attn_graph_get_n_tokens (graph);
  Product product = { attn_graph_get_augmented (graph, layer), below, extent, out, n, 0, cancellable };
  Product *parts[8];
  guint n_threads = (double) n * n * n < 1e7 ? 1 : MIN (g_get_num_processors (), G_N_ELEMENTS (parts));

  row_extents (below, n, extent);
  for (guint t = 0; t < n_threads; t++)
    parts[t] = &product;
  attn_run_parts ("attn-rollout", product_worker, parts, sizeof *parts, n_threads);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* R_@first .. R_@last, each given to @layer_done (when not %NULL) as soon as
 * it is computed, starting from @below (R_@first-1, or %NULL to compute the
 * layers below again): the one loop of attn_rollout_matrices() and
 * attn_rollout_layers(). With @out, R_l is computed into `out + (l-1) n n`;
 * without, into two matrices taken in turn. */
static gboolean
rollout_chain (AttnGraph             *graph,
               guint                  first,
               guint                  last,
               const double          *below,
               double                *out,
               AttnRolloutLayerFunc   layer_done,
               gpointer               user_data,
               GCancellable          *cancellable,
               GError               **error)
{
  guint n = attn_graph_get_n_tokens (graph), start;
  gsize nn = (gsize) n * n;
  g_autofree guint *extent = g_new (guint, 2 * (gsize) n);
  g_autofree double *pair = NULL;
  double *current;

  if (out == NULL)
    {
      pair = g_try_new (double, 2 * nn);
      if (pair == NULL)
        {
          g_autofree char *size = attn_error_format_size ((guint64) 2 * nn * sizeof (double));

          /* translators: %s is a size such as "1.6 GiB" */
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO,
                       _("Not enough memory for the rollout matrices (%s)"), size);
          return FALSE;
        }
    }

  start = first > 1 && below != NULL ? first : 1;
  current = out != NULL ? out + (start - 1) * nn : pair;
  if (start == 1)
    memcpy (current, attn_graph_get_augmented (graph, 1), nn * sizeof (double));
  else if (!layer_product (graph, start, below, extent, current, cancellable, error))
    return FALSE;
  for (guint l = start;; l++)
    {
      const double *previous = current;

      if (l >= first && layer_done != NULL)
        layer_done (l, current, user_data);
      if (l == last)
        return TRUE;
      current = out != NULL ? out + l * nn : (current == pair ? pair + nn : pair);
      if (!layer_product (graph, l + 1, previous, extent, current, cancellable, error))
        return FALSE;
    }
}

/**
 * attn_rollout_matrices:
 * @out: (out caller-allocates) (array): L * n * n values: R_1 .. R_L
 *
 * The full rollout matrices (every node of every layer). O(L n³), on every
 * processor; attn_rollout_layers() gives the same matrices one by one.
 */
gboolean
attn_rollout_matrices (AttnGraph     *graph,
                       double        *out,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (graph != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  return rollout_chain (graph, 1, attn_graph_get_n_layers (graph), NULL, out, NULL, NULL,
                        cancellable, error);
}

/**
 * attn_rollout_layers:
 * @graph: the attention graph
 * @first: the first layer to report, 1..L
 * @last: the last one, @first..L
 * @below: (nullable) (array): R_@first-1 (n * n values) to start from, as an
 *   earlier call reported it; %NULL computes the layers below @first again
 *   (ignored when @first is 1)
 * @layer_done: called with R_l for each l from @first to @last, bottom
 *   first, on the calling thread; the matrix is only valid during the call
 * @user_data: closure for @layer_done
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The matrices of attn_rollout_matrices() (the same numbers), one layer at
 * a time: each is reported as soon as it is computed, and the memory beyond
 * the graph is two matrices, not L. A long input's view fills in layer by
 * layer this way.
 *
 * Returns: %TRUE on success; %FALSE with @error set (bad layers, cancelled;
 *   the layers reported before stay valid)
 */
gboolean
attn_rollout_layers (AttnGraph             *graph,
                     guint                  first,
                     guint                  last,
                     const double          *below,
                     AttnRolloutLayerFunc   layer_done,
                     gpointer               user_data,
                     GCancellable          *cancellable,
                     GError               **error)
{
  g_return_val_if_fail (graph != NULL, FALSE);
  g_return_val_if_fail (layer_done != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  if (!attn_graph_check_layers (graph, first, last, error))
    return FALSE;

  return rollout_chain (graph, first, last, below, NULL, layer_done, user_data, cancellable, error);
}

/* One layer down the paths from a node: @next[k] = sum over q of @p[q] Â[q][k],
 * each term p[q] Â[q][k] also stored in row q of @m when it is given (the
 * edge shares; the rows with p[q] = 0 are left as they are) */
static void
shares_step (const double *a,
             const double *p,
             double       *next,
             double       *m,
             guint         n)
{
  memset (next, 0, n * sizeof (double));
  for (guint q = 0; q < n; q++)
    {
      if (p[q] == 0.)
        continue;
      for (guint k = 0; k < n; k++)
        {
          double v = p[q] * a[(gsize) q * n + k];

          if (m != NULL)
            m[(gsize) q * n + k] = v;
          next[k] += v;
        }
    }
}

/**
 * attn_rollout_edge_shares:
 * @layer: 1..L, the clicked node's layer
 * @position: the clicked node's position
 * @out: (out caller-allocates) (array): L * n * n values. For edge
 *   (l, q) -> (l-1, k), `out[(l-1)*n*n + q*n + k]` = P_l[q] · Â_l[q][k], the
 *   share of all path weight from the clicked node that passes through it
 *   (docs/METHODS.md). Layers above @layer are 0. The edges of each layer sum to 1.
 */
gboolean
attn_rollout_edge_shares (AttnGraph     *graph,
                          guint          layer,
                          guint          position,
                          double        *out,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autofree double *p = NULL;
  g_autofree double *next = NULL;
  guint L, n;
  gsize nn;

  if (!attn_graph_check_node_call (graph, layer, position, out, cancellable, error))
    return FALSE;

  L = attn_graph_get_n_layers (graph);
  n = attn_graph_get_n_tokens (graph);
  nn = (gsize) n * n;
  memset (out, 0, L * nn * sizeof (double));

  p = g_new0 (double, n);
  next = g_new (double, n);
  p[position] = 1.;

  for (guint l = layer; l >= 1; l--)
    {
      const double *a = attn_graph_get_augmented (graph, l);
      double *m = out + (l - 1) * nn;
      double *swap;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      shares_step (a, p, next, m, n);
      swap = p;
      p = next;
      next = swap;
    }

  return TRUE;
}

/**
 * attn_rollout_path_shares:
 * @layer: 1..L, the clicked node's layer
 * @position: the clicked node's position
 * @out: (out caller-allocates) (array): @layer * n values, `out[(l-1)*n + q]`
 *   = P_l[q], the share of the path weight from the clicked node that
 *   reaches node (l, q) (P_@layer is 1 at @position)
 *
 * What attn_rollout_edge_shares() multiplies the rows of Â_l by, without
 * its L·n·n output: edge (l, q) -> (l-1, k) carries P_l[q] · Â_l[q][k],
 * the same product as there (the same bits). O(@layer n²).
 */
gboolean
attn_rollout_path_shares (AttnGraph     *graph,
                          guint          layer,
                          guint          position,
                          double        *out,
                          GCancellable  *cancellable,
                          GError       **error)
{
  guint n;

  if (!attn_graph_check_node_call (graph, layer, position, out, cancellable, error))
    return FALSE;

  n = attn_graph_get_n_tokens (graph);
  memset (out + (gsize) (layer - 1) * n, 0, n * sizeof (double));
  out[(gsize) (layer - 1) * n + position] = 1.;
  for (guint l = layer; l > 1; l--)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      shares_step (attn_graph_get_augmented (graph, l), out + (gsize) (l - 1) * n,
                   out + (gsize) (l - 2) * n, NULL, n);
    }
  return TRUE;
}
