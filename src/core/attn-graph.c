/* attn-graph.c: the graph of an example (docs/METHODS.md): its heads mixed, the
 * residual added, and the --heads lists
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef G_OS_UNIX
#include <sys/mman.h>
#endif

#include "attn-error.h"
#include "attn-example-private.h"
#include "attn-graph-private.h"
#include "attn-keyword.h"
#include "attn-refcount.h"
#include "attn-threads-private.h"

struct _AttnGraph
{
  gatomicrefcount  ref_count;
  AttnExample     *example;   /* nullable */
  guint            n_layers;
  guint            n_tokens;
  double           residual;  /* α as given; see residual_applied () */
  AttnHeadMix      head_mix;
  AttnWeightKind   weights;
  char            *heads;     /* "all" or "0,3,5" */
  guint           *head_list; /* the heads mixed, ascending */
  guint            n_heads;
  double          *augmented; /* L * n * n: Â_l, the one copy of the values */
  guint           *spans;     /* L * n * 2: first and one past the last non-zero column of each row */
  double          *mixed;     /* L * n * n: W_l given to attn_graph_new_from_matrices(), else NULL */
};

G_DEFINE_BOXED_TYPE (AttnGraph, attn_graph, attn_graph_ref, attn_graph_unref)

/* Graphs that read fewer values than this (each head's) are built on the
 * calling thread alone. */
#define PARALLEL_GRAPH_VALUES (1 << 20)

/* The matrices: with huge pages where the system offers them on request
 * (Linux's "madvise" mode), which spares the 100 000 page faults of a
 * 2048-token graph and most TLB misses of flow's scattered reads. NULL when
 * memory runs out. */
static double *
matrices_alloc (gsize count)
{
  void *p = NULL;

  if (count > G_MAXSIZE / sizeof (double)
      || posix_memalign (&p, (gsize) 2 << 20, MAX (count, 1) * sizeof (double)) != 0)
    return NULL;
#if defined(G_OS_UNIX) && defined(MADV_HUGEPAGE)
  if (count * sizeof (double) >= ((gsize) 2 << 20))
    madvise (p, count * sizeof (double), MADV_HUGEPAGE);
#endif
  return p;
}

static AttnGraph *
graph_alloc (guint  n_layers,
             guint  n_tokens,
             double residual)
{
  AttnGraph *self = g_new0 (AttnGraph, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->n_layers = n_layers;
  self->n_tokens = n_tokens;
  self->residual = residual;
  self->augmented = matrices_alloc ((gsize) n_layers * n_tokens * n_tokens);
  self->spans = g_try_new (guint, (gsize) n_layers * n_tokens * 2);

  return self;
}

static void
attn_graph_free (AttnGraph *self)
{
  g_clear_pointer (&self->example, attn_example_unref);
  g_free (self->heads);
  g_free (self->head_list);
  g_free (self->mixed);
  g_free (self->spans);
  free (self->augmented);
  g_free (self);
}

ATTN_DEFINE_REFS (AttnGraph, attn_graph, attn_graph_free)

/* The α the graph's rows get: none for weights that contain the residual
 * already (their rows are only divided by their sums). */
static double
residual_applied (const AttnGraph *self)
{
  return attn_weight_kind_includes_residual (self->weights) ? 0. : self->residual;
}

/* Row @q of head @head of layer @layer of the graph's weights into @out:
 * the attention as the example gives it (rows within 1e-3 of 1 as stored,
 * others renormalised by the loader), a contribution's row divided by its
 * sum (which the loader checked to be positive with a finite inverse). */
static void
read_head_row (const AttnGraph *self,
               guint            layer,
               guint            head,
               guint            q,
               double          *out)
{
  guint n = self->n_tokens;
  double sum = 0.;

  attn_example_read_weights_row (self->example, self->weights, layer, head, q, out);
  if (self->weights == ATTN_WEIGHT_KIND_ATTENTION)
    return;
  for (guint k = 0; k < n; k++)
    sum += out[k];
  for (guint k = 0; k < n; k++)
    out[k] /= sum;
}

typedef double Double4 __attribute__ ((vector_size (32)));

/* out[k] += row[k], four at a time (each sum as one at a time). */
static void
add_row (double       *out,
         const double *row,
         guint         n)
{
  guint k = 0;

  for (; k + 4 <= n; k += 4)
    {
      Double4 a, b;

      memcpy (&a, out + k, sizeof a);
      memcpy (&b, row + k, sizeof b);
      a += b;
      memcpy (out + k, &a, sizeof a);
    }
  for (; k < n; k++)
    out[k] += row[k];
}

/* span[0], span[1]: the first and one past the last non-zero value of the
 * @n of @row (equal for an all-zero row) */
void
_attn_row_span (const double *row,
                guint         n,
                guint        *span)
{
  guint first = 0, last = n;

  while (first < n && row[first] == 0.)
    first++;
  while (last > first && row[last - 1] == 0.)
    last--;
  span[0] = first;
  span[1] = last;
}

/* Row @q of W_layer, mixed from the heads of the graph's weights into @out
 * (n values); @row is scratch space for n values. */
static void
mix_row (const AttnGraph *self,
         guint            layer,
         guint            q,
         double          *out,
         double          *row)
{
  guint n = self->n_tokens;

  for (guint i = 0; i < self->n_heads; i++)
    {
      if (i > 0 && self->head_mix == ATTN_HEAD_MIX_MEAN &&
          self->weights == ATTN_WEIGHT_KIND_ATTENTION)
        {
          attn_example_add_row (self->example, layer, self->head_list[i], q, out, row);
          continue;
        }
      read_head_row (self, layer, self->head_list[i], q, i == 0 ? out : row);
      if (i == 0)
        continue;
      if (self->head_mix == ATTN_HEAD_MIX_MAX)
        for (guint k = 0; k < n; k++)
          out[k] = MAX (out[k], row[k]);
      else
        add_row (out, row, n);
    }

  if (self->head_mix == ATTN_HEAD_MIX_MEAN && self->n_heads > 1)
    {
      double h = self->n_heads;
      guint k = 0;

      for (; k + 4 <= n; k += 4)
        {
          Double4 a;

          memcpy (&a, out + k, sizeof a);
          a /= h;
          memcpy (out + k, &a, sizeof a);
        }
      for (; k < n; k++)
        out[k] /= h;
    }
}

/* Row q of W (given in @a) becomes row q of Â, in place: ((1-α) W + α I),
 * divided by its sum as computed. For α = 0.5 and rows of W summing to 1
 * this is (W + I) / rowsum (W + I), the paper. */
static void
augment_row (double  residual,
             guint   n,
             guint   q,
             double *a)
{
  double sum = 0.;

  for (guint k = 0; k < n; k++)
    {
      double v = (1. - residual) * a[k] + (q == k ? residual : 0.);

      a[k] = v;
      sum += v;
    }

  /* Only an all-zero row with α = 0 can sum to 0: max-mixing cannot
   * produce one from valid heads, so keep the zeros. */
  if (sum > 0.)
    for (guint k = 0; k < n; k++)
      a[k] /= sum;
}

/* Builds rows [first, last) of the L n rows of Â (layer by layer), straight
 * into their place: W from the example's heads (or the given matrices),
 * then the residual. */
typedef struct
{
  AttnGraph    *self;
  gsize         first;
  gsize         last;
  GCancellable *cancellable;
  gint         *cancelled;
} BuildPart;

static gpointer
build_rows (gpointer data)
{
  BuildPart *part = data;
  AttnGraph *self = part->self;
  guint n = self->n_tokens;
  g_autofree double *row = g_new (double, n);

  for (gsize r = part->first; r < part->last; r++)
    {
      guint layer = (guint) (r / n) + 1, q = (guint) (r % n);
      double *a = self->augmented + r * n;

      if (q % 64 == 0 && (g_atomic_int_get (part->cancelled)
                          || g_cancellable_is_cancelled (part->cancellable)))
        {
          g_atomic_int_set (part->cancelled, 1);
          break;
        }
      if (self->mixed != NULL)
        memcpy (a, self->mixed + r * n, n * sizeof (double));
      else
        mix_row (self, layer, q, a, row);
      augment_row (residual_applied (self), n, q, a);
      _attn_row_span (a, n, self->spans + 2 * r);
    }
  return NULL;
}

/* Fills self->augmented, on every processor for large graphs. */
static gboolean
build (AttnGraph     *self,
       GCancellable  *cancellable,
       GError       **error)
{
  gsize rows = (gsize) self->n_layers * self->n_tokens;
  gsize values_read = rows * self->n_tokens * (self->mixed != NULL ? 1 : self->n_heads);
  guint n_threads = values_read < PARALLEL_GRAPH_VALUES ? 1 : g_get_num_processors ();
  BuildPart *parts = g_newa (BuildPart, n_threads);
  gint cancelled = 0;

  for (guint t = 0; t < n_threads; t++)
    parts[t] = (BuildPart) { self, rows * t / n_threads, rows * (t + 1) / n_threads,
                             cancellable, &cancelled };
  attn_run_parts ("attn-graph", build_rows, parts, sizeof *parts, n_threads);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static gboolean
check_residual (double   residual,
                GError **error)
{
  if (!(residual >= 0. && residual <= 1.))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("The residual weight must be between 0 and 1, not %g"), residual);
      return FALSE;
    }
  return TRUE;
}

/* Weights given without heads ([L][n][n]) are one matrix a layer, “head 0”:
 * FALSE with @error set when @heads names another head */
gboolean
_attn_graph_check_headless (AttnExample    *example,
                            AttnWeightKind  kind,
                            const guint    *heads,
                            guint           n_heads,
                            GError        **error)
{
  if (!attn_example_get_weights_head_mixed (example, kind))
    return TRUE;
  for (guint i = 0; i < n_heads; i++)
    {
      g_autofree char *name = NULL;

      if (heads[i] == 0)
        continue;
      name = attn_example_dup_message_name (example);
      if (kind == ATTN_WEIGHT_KIND_ATTENTION)
        /* translators: the example (“cat-mat”, or 3 (no id)), a head */
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                     _("Example %s: its attention has no heads (it was given as [L][n][n]), so head %u "
                       "does not exist: use all heads"), name, heads[i]);
      else
        /* translators: the example (“cat-mat”, or 3 (no id)), a weight kind such as "alti" */
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                     _("Example %s: its “%s” weights have no heads (they were given as [L][n][n]), so "
                       "head %u does not exist: use all heads"), name,
                     attn_weight_kind_get_name (kind), heads[i]);
      return FALSE;
    }
  return TRUE;
}

/* FALSE with @error set when one of @heads is not a head of @example's @kind weights */
static gboolean
check_heads (AttnExample    *example,
             AttnWeightKind  kind,
             const guint    *heads,
             guint           n_heads,
             GError        **error)
{
  guint n = attn_example_get_weights_n_heads (example, kind);

  for (guint i = 0; i < n_heads; i++)
    if (heads[i] >= n)
      {
        g_autofree char *name = attn_example_dup_message_name (example);

        if (kind == ATTN_WEIGHT_KIND_ATTENTION)
          /* translators: the first %s is the example (“cat-mat”, or 3 (no id)) */
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "Example %s has %u head (0 to %u); head %u does not exist",
                                    "Example %s has %u heads (0 to %u); head %u does not exist",
                                    n),
                       name, n, n - 1, heads[i]);
        else
          /* translators: the example (“cat-mat”, or 3 (no id)), a weight kind such as "globenc" */
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "Example %s: its “%s” weights have %u head (0 to %u); head %u does not exist",
                                    "Example %s: its “%s” weights have %u heads (0 to %u); head %u does not exist",
                                    n),
                       name, attn_weight_kind_get_name (kind), n, n - 1, heads[i]);
        return FALSE;
      }
  return TRUE;
}

/**
 * attn_graph_new:
 * @example: the example
 * @options: (nullable): the settings; %NULL means the paper's (mean of all heads, α = 0.5)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Mixes the heads of every layer of the chosen weights (the attention, or a
 * kind of contributions: #AttnGraphOptions) and adds the residual connection,
 * straight into the one array the graph keeps (Â, L n n doubles); the
 * head-mixed W is read from the example again when asked for
 * (attn_graph_read_mixed_row()). Large graphs are built on every processor.
 *
 * Returns: (transfer full) (nullable): the graph, or %NULL with @error set
 *   (weights the example lacks, invalid head index, out of memory: these
 *   name the example, “Example “cat-mat”: …”; residual out of range,
 *   cancelled)
 */
AttnGraph *
attn_graph_new (AttnExample            *example,
                const AttnGraphOptions *options,
                GCancellable           *cancellable,
                GError                **error)
{
  static const AttnGraphOptions defaults = ATTN_GRAPH_OPTIONS_INIT;
  g_autoptr(AttnGraph) self = NULL;
  guint n_heads;

  g_return_val_if_fail (example != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    options = &defaults;

  if (!check_residual (options->residual, error) ||
      !attn_graph_check_weights (example, options->weights, error))
    return NULL;

  if (!_attn_graph_check_headless (example, options->weights, options->heads, options->n_heads, error))
    return NULL;
  if (!check_heads (example, options->weights, options->heads, options->n_heads, error))
    return NULL;
  n_heads = attn_example_get_weights_n_heads (example, options->weights);

  self = graph_alloc (example->n_layers, example->n_tokens, options->residual);
  if (self->augmented == NULL || self->spans == NULL)
    {
      g_autofree char *size = attn_error_format_size ((guint64) example->n_layers * example->n_tokens
                                                      * example->n_tokens * sizeof (double));
      g_autofree char *name = attn_example_dup_message_name (example);

      /* translators: the example (“cat-mat”, or 3 (no id)), a size such as "1.6 GiB" */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO,
                   _("Example %s: not enough memory for the attention graph (%s)"), name, size);
      return NULL;
    }
  self->example = attn_example_ref (example);
  self->head_mix = options->head_mix;
  self->weights = options->weights;
  if (options->n_heads == 0)
    {
      self->n_heads = n_heads;
      self->head_list = g_new (guint, self->n_heads);
      for (guint h = 0; h < self->n_heads; h++)
        self->head_list[h] = h;
      self->heads = g_strdup ("all");
    }
  else
    {
      self->n_heads = options->n_heads;
      self->head_list = g_memdup2 (options->heads, options->n_heads * sizeof (guint));
      self->heads = attn_format_heads (options->heads, options->n_heads);
    }

  if (!build (self, cancellable, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * attn_graph_new_from_matrices:
 * @n_layers: L
 * @n_tokens: n
 * @mixed: (array): L * n * n non-negative values: W_1 .. W_L
 * @residual: α in [0, 1]
 *
 * Builds a graph from head-mixed matrices given directly (synthetic inputs,
 * tests). The values are used as they are (no row check). Such a graph
 * keeps a copy of @mixed besides Â, as it has no example to read W from.
 *
 * Returns: (transfer full) (nullable): the graph
 */
AttnGraph *
attn_graph_new_from_matrices (guint          n_layers,
                              guint          n_tokens,
                              const double  *mixed,
                              double         residual,
                              GError       **error)
{
  g_autoptr(AttnGraph) self = NULL;
  gsize count = (gsize) n_layers * n_tokens * n_tokens;

  g_return_val_if_fail (n_layers > 0 && n_tokens > 0, NULL);
  g_return_val_if_fail (mixed != NULL, NULL);

  if (!check_residual (residual, error))
    return NULL;

  self = graph_alloc (n_layers, n_tokens, residual);
  self->mixed = g_try_new (double, count);
  if (self->mixed == NULL || self->augmented == NULL || self->spans == NULL)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_IO,
                           _("Not enough memory for the attention graph"));
      return NULL;
    }
  self->heads = g_strdup ("all");
  memcpy (self->mixed, mixed, count * sizeof (double));
  build (self, NULL, NULL);

  return g_steal_pointer (&self);
}

guint
attn_graph_get_n_layers (const AttnGraph *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_layers;
}

guint
attn_graph_get_n_tokens (const AttnGraph *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_tokens;
}

double
attn_graph_get_residual (const AttnGraph *self)
{
  g_return_val_if_fail (self != NULL, 0.);
  return self->residual;
}

/**
 * attn_graph_get_residual_applies:
 *
 * Returns: whether the residual weight α was applied: %FALSE for weights
 *   that contain the residual (attn_weight_kind_includes_residual()), whose
 *   rows are only normalised
 */
gboolean
attn_graph_get_residual_applies (const AttnGraph *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return !attn_weight_kind_includes_residual (self->weights);
}

/**
 * attn_graph_get_weights:
 *
 * Returns: what the graph's edges weigh: the attention, or a kind of the
 *   example's contributions
 */
AttnWeightKind
attn_graph_get_weights (const AttnGraph *self)
{
  g_return_val_if_fail (self != NULL, ATTN_WEIGHT_KIND_ATTENTION);
  return self->weights;
}

AttnHeadMix
attn_graph_get_head_mix (const AttnGraph *self)
{
  g_return_val_if_fail (self != NULL, ATTN_HEAD_MIX_MEAN);
  return self->head_mix;
}

/**
 * attn_graph_get_heads_string:
 *
 * Returns: "all", or the chosen 0-based heads such as "0,3,5"
 */
const char *
attn_graph_get_heads_string (const AttnGraph *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->heads;
}

/**
 * attn_graph_get_example:
 *
 * Returns: (transfer none) (nullable): the example the graph was built from
 */
AttnExample *
attn_graph_get_example (const AttnGraph *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->example;
}

/* Rows @first .. @first + @count - 1 of W_layer into @out, as the graph
 * mixed them. */
static void
read_mixed_rows (const AttnGraph *self,
                 guint            layer,
                 guint            first,
                 guint            count,
                 double          *out)
{
  guint n = self->n_tokens;
  g_autofree double *row = NULL;

  if (self->mixed != NULL)
    {
      memcpy (out, self->mixed + ((gsize) (layer - 1) * n + first) * n,
              (gsize) count * n * sizeof (double));
      return;
    }
  if (self->n_heads > 1)
    row = g_new (double, n);
  for (guint q = 0; q < count; q++)
    mix_row (self, layer, first + q, out + (gsize) q * n, row);
}

/**
 * attn_graph_read_mixed_row:
 * @layer: 1..L
 * @query: 0..n-1
 * @out: (out caller-allocates) (array): n values
 *
 * Row @query of W_layer, the head-mixed attention (or contributions, each
 * head's row divided by its sum) without residual (the "raw" view), read
 * from the example's stored values and mixed as the graph was: the same
 * numbers as when it was built. O(H n).
 */
void
attn_graph_read_mixed_row (const AttnGraph *self,
                           guint            layer,
                           guint            query,
                           double          *out)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (layer >= 1 && layer <= self->n_layers);
  g_return_if_fail (query < self->n_tokens);
  g_return_if_fail (out != NULL);

  read_mixed_rows (self, layer, query, 1, out);
}

/**
 * attn_graph_read_mixed:
 * @layer: 1..L
 * @out: (out caller-allocates) (array): n * n values
 *
 * W_layer, n * n row-major, as attn_graph_read_mixed_row() gives its rows.
 */
void
attn_graph_read_mixed (const AttnGraph *self,
                       guint            layer,
                       double          *out)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (layer >= 1 && layer <= self->n_layers);
  g_return_if_fail (out != NULL);

  read_mixed_rows (self, layer, 0, self->n_tokens, out);
}

/**
 * attn_graph_get_augmented:
 * @layer: 1..L
 *
 * Returns: (array): Â_layer, n * n row-major; rows sum to 1
 */
const double *
attn_graph_get_augmented (const AttnGraph *self,
                          guint            layer)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, NULL);
  return self->augmented + (gsize) (layer - 1) * self->n_tokens * self->n_tokens;
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* A range of heads given before the model is known ends here at the most
 * (expanded, it is a list) */
#define HEAD_RANGE_MAX 65535

/* one part of a list of heads, "5" or "0-5", at its first and last head
 * (equal for one head; the first may be past the last); @start, @end: their
 * text as given */
static gboolean
parse_head_part (const char  *part,
                 guint       *first,
                 guint       *last,
                 char       **start,
                 char       **end)
{
  const char *dash = strchr (part, '-');

  if (dash == NULL)
    {
      *start = g_strdup (part);
      *end = g_strdup (part);
      return attn_parse_number (part, first) && attn_parse_number (part, last);
    }
  *start = g_strstrip (g_strndup (part, (gsize) (dash - part)));
  *end = g_strstrip (g_strdup (dash + 1));
  return attn_parse_number (*start, first) && attn_parse_number (*end, last);
}

/* A range whose first head, @start, is past its last, @end: "3-1" */
static void
set_descending_error (GError     **error,
                      gboolean     prefixed,
                      const char  *part,
                      const char  *start,
                      const char  *end)
{
  if (prefixed)
    /* translators: after a prefix such as “--heads: ”, so not at the start of
     * a sentence; a range of heads such as “3-1”, then its first and last head
     * as typed */
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                 _("in “%s”, %s is past %s: a range goes from its first head up to its last"),
                 part, start, end);
  else
    /* translators: a range of heads such as “3-1”, then its first and last
     * head as typed */
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                 _("In “%s”, %s is past %s: a range goes from its first head up to its last"),
                 part, start, end);
}

/**
 * attn_parse_heads:
 * @text: "all", or comma-separated 0-based head indices and ranges such as
 *   "0,3,5" or "0-5,8"
 * @n_heads: the number of heads in the model; %G_MAXUINT when it is not
 *   known yet, which takes any number (one too large for a #guint as
 *   %G_MAXUINT)
 * @heads: (out) (transfer full): the sorted indices; empty for "all"
 *
 * Returns: %TRUE on success; %FALSE with @error set for a malformed list, a
 *   range that goes down ("3-1"), an index out of range or a repeated index
 */
gboolean
attn_parse_heads (const char  *text,
                  guint        n_heads,
                  GArray     **heads,
                  GError     **error)
{
  return _attn_parse_heads_full (text, n_heads, FALSE, heads, error);
}

/**
 * attn_parse_heads_prefixed:
 *
 * attn_parse_heads() for a message that follows a prefix, such as “--heads: ”
 * on the command line: it does not start a sentence (“in “3-1”, 3 is past 1:
 * …”).
 */
gboolean
attn_parse_heads_prefixed (const char  *text,
                           guint        n_heads,
                           GArray     **heads,
                           GError     **error)
{
  return _attn_parse_heads_full (text, n_heads, TRUE, heads, error);
}

/* attn_parse_heads(); @prefixed: the message follows a prefix such as
 * "Example “cat-mat”: " or "--heads: ", so it does not start a sentence
 * ("head 12 does not exist", as "layer 13 does not exist") */
gboolean
_attn_parse_heads_full (const char  *text,
                        guint        n_heads,
                        gboolean     prefixed,
                        GArray     **heads,
                        GError     **error)
{
  g_autoptr(GArray) result = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) parts = NULL;
  guint64 ranged = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (heads != NULL, FALSE);

  if (g_str_equal (text, "all"))
    {
      *heads = g_steal_pointer (&result);
      return TRUE;
    }

  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);
      g_autofree char *start = NULL;
      g_autofree char *end = NULL;
      guint first, last;

      if (!parse_head_part (part, &first, &last, &start, &end))
        {
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("“%s” is not a list of head numbers such as 0,3,5 or 0-5"), text);
          return FALSE;
        }
      if (first > last)
        {
          set_descending_error (error, prefixed, part, start, end);
          return FALSE;
        }
      if (n_heads == G_MAXUINT && last > first && last > HEAD_RANGE_MAX)
        {
          if (prefixed)
            /* translators: after a prefix such as “--heads: ”; %s is a range of
             * heads such as 0-99999, %u the last head a range may name */
            g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                         _("the range of heads “%s” ends past head %u"), part, HEAD_RANGE_MAX);
          else
            /* translators: %s is a range of heads such as 0-99999, %u the
             * last head a range may name */
            g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                         _("The range of heads “%s” ends past head %u"), part, HEAD_RANGE_MAX);
          return FALSE;
        }
      if (last >= n_heads && n_heads != G_MAXUINT)
        {
          /* the number as given, however large */
          part = attn_number_digits (end);
          if (prefixed)
            /* translators: after “Example “cat-mat”: ”, as “layer 13 does not exist: …”; %s is a number */
            g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "head %s does not exist: the model has %u head (0 to %u)",
                                      "head %s does not exist: the model has %u heads (0 to %u)",
                                      n_heads),
                         part, n_heads, n_heads - 1);
          else
            /* translators: %s is a number */
            g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "Head %s does not exist: the model has %u head (0 to %u)",
                                      "Head %s does not exist: the model has %u heads (0 to %u)",
                                      n_heads),
                         part, n_heads, n_heads - 1);
          return FALSE;
        }
      for (guint64 value = first; value <= last; value++)
        {
          guint head = (guint) value;

          /* ranges name heads up to HEAD_RANGE_MAX: of more than that
           * many, one repeats, and the check below names it */
          if (last > first && ++ranged > HEAD_RANGE_MAX + 2)
            break;
          g_array_append_val (result, head);
        }
    }

  if (result->len == 0)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("“%s” is not a list of head numbers such as 0,3,5 or 0-5"), text);
      return FALSE;
    }

  g_array_sort (result, compare_uint);
  for (guint i = 1; i < result->len; i++)
    /* (numbers too large, taken before the model is known, are told apart
     * by its check, which names the first as given) */
    if (g_array_index (result, guint, i) == g_array_index (result, guint, i - 1) &&
        !(n_heads == G_MAXUINT && g_array_index (result, guint, i) == G_MAXUINT))
      {
        if (prefixed)
          /* translators: after “Example “cat-mat”: ” */
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("head %u is listed twice"), g_array_index (result, guint, i));
        else
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("Head %u is listed twice"), g_array_index (result, guint, i));
        return FALSE;
      }

  *heads = g_steal_pointer (&result);
  return TRUE;
}

/**
 * attn_format_heads:
 *
 * Returns: (transfer full): "0,3,5"-style text for @heads, "all" when empty
 */
char *
attn_format_heads (const guint *heads,
                   guint        n_heads)
{
  GString *str;

  if (n_heads == 0)
    return g_strdup ("all");

  str = g_string_new (NULL);
  for (guint i = 0; i < n_heads; i++)
    g_string_append_printf (str, "%s%u", i ? "," : "", heads[i]);

  return g_string_free (str, FALSE);
}

/* The non-zero span of each row of Â_layer: entries 2q and 2q + 1 are the
 * first and one past the last non-zero column of row q (a causal row q
 * ends at q + 1). */
const guint *
attn_graph_get_row_spans (const AttnGraph *graph,
                          guint            layer)
{
  g_return_val_if_fail (graph != NULL, NULL);
  g_return_val_if_fail (layer >= 1 && layer <= graph->n_layers, NULL);
  return graph->spans + (gsize) (layer - 1) * graph->n_tokens * 2;
}

/* Checks that @example carries @weights, with a message that names what it
 * carries instead. */
gboolean
attn_graph_check_weights (AttnExample     *example,
                          AttnWeightKind   weights,
                          GError         **error)
{
  g_autofree char *carried = NULL;
  g_autofree char *name = NULL;

  if (weights >= ATTN_N_WEIGHT_KINDS)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT, _("Unknown weight kind %u"), weights);
      return FALSE;
    }
  if (attn_example_has_weights (example, weights))
    return TRUE;
  carried = attn_example_format_weights (example, ", ");
  name = attn_example_dup_message_name (example);
  /* translators: the example (“cat-mat”, or 3 (no id)), a weight kind ("globenc"), a list
   * ("attention, norm") */
  g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
               _("Example %s carries no “%s” weights (it carries: %s)"),
               name, attn_weight_kind_get_name (weights), carried);
  return FALSE;
}

/* Checks that (layer, position) is a node of @graph's layers 1..L, with the
 * messages attn_rollout_*() and attn_flow_*() share. */
gboolean
attn_graph_check_node (const AttnGraph  *graph,
                       guint             layer,
                       guint             position,
                       GError          **error)
{
  guint L = attn_graph_get_n_layers (graph);
  guint n = attn_graph_get_n_tokens (graph);

  if (layer < 1 || layer > L)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Layer %u does not exist: the model has layers 1 to %u"), layer, L);
      return FALSE;
    }
  if (position >= n)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Position %u does not exist: the input has positions 0 to %u"),
                   position, n - 1);
      return FALSE;
    }
  return TRUE;
}

/* The arguments of a call about node (@layer, @position) that writes to @out
 * (the entry points of rollout and flow): what only a programming error
 * passes fails a check (a critical), a node outside the graph sets @error. */
gboolean
attn_graph_check_node_call (const AttnGraph  *graph,
                            guint             layer,
                            guint             position,
                            const double     *out,
                            GCancellable     *cancellable,
                            GError          **error)
{
  g_return_val_if_fail (graph != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  return attn_graph_check_node (graph, layer, position, error);
}

/* Checks that layers @first to @last are layers of @graph (the messages of
 * attn_graph_check_node()); @first after @last is a programming error */
gboolean
attn_graph_check_layers (const AttnGraph  *graph,
                         guint             first,
                         guint             last,
                         GError          **error)
{
  if (!attn_graph_check_node (graph, first, 0, error) || !attn_graph_check_node (graph, last, 0, error))
    return FALSE;
  g_return_val_if_fail (first <= last, FALSE);
  return TRUE;
}

/* attn_graph_check_node(), and @sink, when not -1, an input position the
 * node's paths may be restricted to */
gboolean
attn_graph_check_node_sink (const AttnGraph  *graph,
                            guint             layer,
                            guint             position,
                            int               sink,
                            GError          **error)
{
  guint n = attn_graph_get_n_tokens (graph);

  if (!attn_graph_check_node (graph, layer, position, error))
    return FALSE;
  if (sink >= (int) n)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Input position %d does not exist: the input has positions 0 to %u"),
                   sink, n - 1);
      return FALSE;
    }
  return TRUE;
}
