/* attn-figure-values.c: the values of a heatmap's blocks, given or computed, and their colour range
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "attn-figure-private.h"

/* Whether token @k is left out of a heatmap's colour range: a position
 * the heatmap is for (@own, @n_own of them), or a special token when
 * they are left out too */
static gboolean
left_out (AttnExample *example,
          guint        k,
          const guint *own,
          guint        n_own,
          gboolean     exclude_special)
{
  for (guint i = 0; i < n_own; i++)
    if (k == own[i])
      return TRUE;
  return exclude_special && attn_token_is_special (attn_example_get_token (example, k));
}

/* L * n values: importance of every input token for (l, position), l = 1..L */
static double *
compute_position (AttnGraph     *graph,
                  AttnMethod     method,
                  guint          position,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree double *values = g_new (double, (gsize) attn_graph_get_n_layers (graph) *
                                             attn_graph_get_n_tokens (graph));

  if (!attn_method_importance (method, graph, 0, position, NULL, values, cancellable, error))
    return NULL;
  return g_steal_pointer (&values);
}

/* The graph of @example under @settings, with the weights @weights */
AttnGraph *
_attn_figure_graph_for (AttnExample               *example,
                        const AttnFigureSettings  *settings,
                        AttnWeightKind             weights,
                        GCancellable              *cancellable,
                        GError                   **error)
{
  g_autoptr(AttnGraphSettings) graph_settings =
    attn_graph_settings_new_for_weights (weights, settings->residual, settings->head_mix,
                                         settings->heads, error);

  if (graph_settings == NULL)
    return NULL;
  return attn_graph_new_from_settings (example, graph_settings, cancellable, error);
}

/* A copy of @inputs whose values, of every method and weight kind, are
 * placeholders (kept in @values): the layout of their heatmaps without the
 * work (_attn_figure_build_full()). Each example's are its own (a
 * comparison's difference is not 0: its heatmap is laid out); in rollout
 * and flow the token the heatmap is of outweighs the others, as through
 * the residual it does, so that their colour bars say it saturates. */
AttnFigureInput *
_attn_figure_placeholder_inputs (const AttnFigureInput    *inputs,
                                 guint                     n_inputs,
                                 const AttnFigureSettings *settings,
                                 GPtrArray                *values)
{
  AttnFigureInput *copy = g_new0 (AttnFigureInput, MAX (n_inputs, 1));

  for (guint e = 0; e < n_inputs; e++)
    {
      AttnExample *ex = inputs[e].example;
      gsize n = attn_example_get_n_tokens (ex), L = attn_example_get_n_layers (ex);
      gsize pos = settings->kind == ATTN_FIGURE_COMPARE ? attn_example_get_focus (ex)
                                                         : _attn_figure_resolve_position (settings, ex);

      copy[e].example = ex;
      copy[e].path = inputs[e].path;
      for (guint m = 0; m < ATTN_N_METHODS; m++)
        {
          double *v = g_new (double, MAX (L * n, 1));

          for (gsize i = 0; i < L * n; i++)
            v[i] = (2. + e) / (2. * n) * (m != ATTN_METHOD_RAW && i % n == pos ? 4. : 1.);
          g_ptr_array_add (values, v);
          copy[e].values[m] = v;
        }
      for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
        copy[e].weight_values[k] = copy[e].values[settings->method];
    }
  return copy;
}

/* The values of input @e's heatmap position under @method and @weights: the
 * caller's, or computed on its graph of those weights (the caller's, or
 * built once into @graphs) */
double *
_attn_heatmap_input_values (const AttnFigureInput     *input,
                            const AttnFigureSettings  *settings,
                            AttnMethod                 method,
                            AttnWeightKind             weights,
                            guint                      position,
                            AttnGraph                **graphs,
                            GCancellable              *cancellable,
                            GError                   **error)
{
  AttnExample *ex = input->example;
  const double *given = NULL;

  if (weights == settings->weights)
    given = input->values[method];
  if (given == NULL && method == settings->method)
    given = input->weight_values[weights];
  if (given != NULL)
    return g_memdup2 (given, (gsize) attn_example_get_n_layers (ex) *
                             attn_example_get_n_tokens (ex) * sizeof (double));
  if (graphs[weights] == NULL && weights == settings->weights && input->graph != NULL)
    graphs[weights] = attn_graph_ref (input->graph);
  if (graphs[weights] == NULL)
    graphs[weights] = _attn_figure_graph_for (ex, settings, weights, cancellable, error);
  if (graphs[weights] == NULL)
    return NULL;
  return compute_position (graphs[weights], method, position, cancellable, error);
}

/* The colour range of @values, layers @first..@last: their largest
 * magnitude, as the graph's, without the positions the heatmap is for
 * (@own: the selected token's importance of itself, through the residual,
 * outweighs every other cell at layer 1) and, with @exclude_special, the
 * special tokens; *@left_max grows to the largest of those left out (above
 * the range, they saturate). Where nothing else has a value (a causal
 * model's first position) nothing is left out. */
double
_attn_heatmap_max_value (AttnExample  *example,
                         const double *values,
                         guint         first,
                         guint         last,
                         const guint  *own,
                         guint         n_own,
                         gboolean      exclude_special,
                         double       *left_max)
{
  guint n = attn_example_get_n_tokens (example);
  double max = 0., left = 0.;

  for (guint l = first; l <= last; l++)
    for (guint k = 0; k < n; k++)
      {
        double v = fabs (values[(gsize) (l - 1) * n + k]);

        if (left_out (example, k, own, n_own, exclude_special))
          left = MAX (left, v);
        else
          max = MAX (max, v);
      }
  if (!(max > 0.))
    return left;
  *left_max = MAX (*left_max, left);
  return max;
}
