/* attn-graph.c
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

#include "attn-error.h"
#include "attn-example-private.h"
#include "attn-graph-private.h"

struct _AttnGraph
{
  gatomicrefcount  ref_count;
  AttnExample     *example;   /* nullable */
  guint            n_layers;
  guint            n_tokens;
  double           residual;
  AttnHeadMix      head_mix;
  char            *heads;     /* "all" or "0,3,5" */
  double          *mixed;     /* L * n * n: W_l */
  double          *augmented; /* L * n * n: Â_l */
};

G_DEFINE_BOXED_TYPE (AttnGraph, attn_graph, attn_graph_ref, attn_graph_unref)

static AttnGraph *
graph_alloc (guint  n_layers,
             guint  n_tokens,
             double residual)
{
  AttnGraph *self = g_new0 (AttnGraph, 1);
  gsize count = (gsize) n_layers * n_tokens * n_tokens;

  g_atomic_ref_count_init (&self->ref_count);
  self->n_layers = n_layers;
  self->n_tokens = n_tokens;
  self->residual = residual;
  self->mixed = g_try_new (double, count);
  self->augmented = g_try_new (double, count);

  return self;
}

static void
attn_graph_free (AttnGraph *self)
{
  g_clear_pointer (&self->example, attn_example_unref);
  g_free (self->heads);
  g_free (self->mixed);
  g_free (self->augmented);
  g_free (self);
}

AttnGraph *
attn_graph_ref (AttnGraph *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
attn_graph_unref (AttnGraph *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    attn_graph_free (self);
}

/* Â = ((1-α) W + α I), each row divided by its sum as computed. For α = 0.5
 * and rows of W summing to 1 this is (W + I) / rowsum (W + I), the paper. */
static void
augment (AttnGraph *self)
{
  guint n = self->n_tokens;
  double alpha = self->residual;

  for (guint l = 0; l < self->n_layers; l++)
    {
      const double *w = self->mixed + (gsize) l * n * n;
      double *a = self->augmented + (gsize) l * n * n;

      for (guint q = 0; q < n; q++)
        {
          double sum = 0.;

          for (guint k = 0; k < n; k++)
            {
              double v = (1. - alpha) * w[(gsize) q * n + k] + (q == k ? alpha : 0.);
              a[(gsize) q * n + k] = v;
              sum += v;
            }

          /* Only an all-zero row with α = 0 can sum to 0: max-mixing cannot
           * produce one from valid heads, so keep the zeros. */
          if (sum > 0.)
            for (guint k = 0; k < n; k++)
              a[(gsize) q * n + k] /= sum;
        }
    }
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

/**
 * attn_graph_new:
 * @example: the example
 * @options: (nullable): the settings; %NULL means the paper's (mean of all heads, α = 0.5)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Mixes the heads of every layer and adds the residual connection.
 *
 * Returns: (transfer full) (nullable): the graph, or %NULL with @error set
 *   (invalid head index, residual out of range, cancelled, out of memory)
 */
AttnGraph *
attn_graph_new (AttnExample            *example,
                const AttnGraphOptions *options,
                GCancellable           *cancellable,
                GError                **error)
{
  static const AttnGraphOptions defaults = ATTN_GRAPH_OPTIONS_INIT;
  g_autoptr(AttnGraph) self = NULL;
  g_autofree guint *all_heads = NULL;
  g_autofree double *row = NULL;
  const guint *heads;
  guint n_heads;
  guint n;

  g_return_val_if_fail (example != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    options = &defaults;

  if (!check_residual (options->residual, error))
    return NULL;

  if (options->n_heads == 0)
    {
      n_heads = example->n_heads;
      all_heads = g_new (guint, n_heads);
      for (guint h = 0; h < n_heads; h++)
        all_heads[h] = h;
      heads = all_heads;
    }
  else
    {
      n_heads = options->n_heads;
      heads = options->heads;
      for (guint i = 0; i < n_heads; i++)
        if (heads[i] >= example->n_heads)
          {
            g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                         _("Example “%s” has %u heads (0 to %u); head %u does not exist"),
                         example->label, example->n_heads, example->n_heads - 1, heads[i]);
            return NULL;
          }
    }

  n = example->n_tokens;
  self = graph_alloc (example->n_layers, n, options->residual);
  if (self->mixed == NULL || self->augmented == NULL)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO,
                   _("Not enough memory for the attention graph of example “%s”"),
                   example->label);
      return NULL;
    }
  self->example = attn_example_ref (example);
  self->head_mix = options->head_mix;
  self->heads = options->n_heads == 0 ? g_strdup ("all") : attn_format_heads (heads, n_heads);

  row = g_new (double, n);

  for (guint l = 1; l <= example->n_layers; l++)
    {
      double *w = self->mixed + (gsize) (l - 1) * n * n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      for (guint q = 0; q < n; q++)
        {
          double *out = w + (gsize) q * n;

          for (guint i = 0; i < n_heads; i++)
            {
              attn_example_read_row (example, l, heads[i], q, row);
              if (i == 0)
                memcpy (out, row, n * sizeof (double));
              else if (options->head_mix == ATTN_HEAD_MIX_MAX)
                for (guint k = 0; k < n; k++)
                  out[k] = MAX (out[k], row[k]);
              else
                for (guint k = 0; k < n; k++)
                  out[k] += row[k];
            }

          if (options->head_mix == ATTN_HEAD_MIX_MEAN && n_heads > 1)
            for (guint k = 0; k < n; k++)
              out[k] /= n_heads;
        }
    }

  augment (self);

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
 * tests). The values are used as they are (no row check).
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

  g_return_val_if_fail (n_layers > 0 && n_tokens > 0, NULL);
  g_return_val_if_fail (mixed != NULL, NULL);

  if (!check_residual (residual, error))
    return NULL;

  self = graph_alloc (n_layers, n_tokens, residual);
  if (self->mixed == NULL || self->augmented == NULL)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_IO,
                           _("Not enough memory for the attention graph"));
      return NULL;
    }
  self->heads = g_strdup ("all");
  memcpy (self->mixed, mixed, (gsize) n_layers * n_tokens * n_tokens * sizeof (double));
  augment (self);

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

/**
 * attn_graph_get_mixed:
 * @layer: 1..L
 *
 * Returns: (array): W_layer, n * n row-major, without residual (the "raw" view)
 */
const double *
attn_graph_get_mixed (const AttnGraph *self,
                      guint            layer)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, NULL);
  return self->mixed + (gsize) (layer - 1) * self->n_tokens * self->n_tokens;
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

/**
 * attn_parse_heads:
 * @text: "all", or comma-separated 0-based head indices such as "0,3,5"
 * @n_heads: the number of heads in the model
 * @heads: (out) (transfer full): the sorted indices; empty for "all"
 *
 * Returns: %TRUE on success; %FALSE with @error set for a malformed list, an
 *   index out of range or a repeated index
 */
gboolean
attn_parse_heads (const char  *text,
                  guint        n_heads,
                  GArray     **heads,
                  GError     **error)
{
  g_autoptr(GArray) result = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) parts = NULL;

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
      guint64 value;

      if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 0, G_MAXUINT, &value, NULL))
        {
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("“%s” is not a list of head numbers such as 0,3,5"), text);
          return FALSE;
        }
      if (value >= n_heads)
        {
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("Head %u does not exist: the model has %u heads (0 to %u)"),
                       (guint) value, n_heads, n_heads - 1);
          return FALSE;
        }
      g_array_append_val (result, value);
    }

  if (result->len == 0)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("“%s” is not a list of head numbers such as 0,3,5"), text);
      return FALSE;
    }

  g_array_sort (result, compare_uint);
  for (guint i = 1; i < result->len; i++)
    if (g_array_index (result, guint, i) == g_array_index (result, guint, i - 1))
      {
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
