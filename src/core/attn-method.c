/* attn-method.c: raw attention, attention rollout and attention flow behind one interface
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything above src/core asks for a method's numbers through these three
 * functions, so they are the only places that know how each method reaches
 * the graph's matrices (raw attention reads W_l itself, rollout and flow go
 * through attn-rollout.c and attn-flow.c).
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "attn-error.h"
#include "attn-graph-private.h"
#include "attn-keyword.h"
#include "attn-method.h"
#include "attn-rollout.h"

static const char * const method_names[ATTN_N_METHODS] = { "raw", "rollout", "flow" };

G_DEFINE_ENUM_TYPE (AttnMethod, attn_method,
                    G_DEFINE_ENUM_VALUE (ATTN_METHOD_RAW, "raw"),
                    G_DEFINE_ENUM_VALUE (ATTN_METHOD_ROLLOUT, "rollout"),
                    G_DEFINE_ENUM_VALUE (ATTN_METHOD_FLOW, "flow"))

/**
 * attn_method_get_name:
 *
 * Returns: "raw", "rollout" or "flow" (command-line names, not translated)
 */
const char *
attn_method_get_name (AttnMethod method)
{
  g_return_val_if_fail (method < ATTN_N_METHODS, NULL);

  return method_names[method];
}

/**
 * attn_method_get_label:
 *
 * Returns: the translated name shown in figures ("Attention rollout"…)
 */
const char *
attn_method_get_label (AttnMethod method)
{
  switch (method)
    {
    case ATTN_METHOD_RAW:
      return _("Raw attention");
    case ATTN_METHOD_ROLLOUT:
      return _("Attention rollout");
    case ATTN_METHOD_FLOW:
      return _("Attention flow");
    case ATTN_N_METHODS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * attn_method_dup_label:
 * @method: the method
 * @weights: what the edges weigh
 *
 * Returns: (transfer full): the method's label, naming the weights when they
 *   are not the attention: "Attention rollout", "Attention flow (ALTI)"
 */
char *
attn_method_dup_label (AttnMethod     method,
                       AttnWeightKind weights)
{
  if (weights == ATTN_WEIGHT_KIND_ATTENTION)
    return g_strdup (attn_method_get_label (method));
  /* translators: a method over other weights than the attention: "Attention flow (ALTI)" */
  return g_strdup_printf (_("%s (%s)"), attn_method_get_label (method), attn_weight_kind_get_label (weights));
}

/**
 * attn_method_from_name:
 * @name: "raw", "rollout" or "flow", in any case
 * @method: (out) (optional): the method
 *
 * Returns: whether @name names a method
 */
gboolean
attn_method_from_name (const char *name,
                       AttnMethod *method)
{
  int i;

  g_return_val_if_fail (name != NULL, FALSE);

  i = attn_keyword_find (name, method_names, ATTN_N_METHODS);
  if (i >= 0 && method != NULL)
    *method = i;
  return i >= 0;
}

/**
 * attn_method_importance:
 * @method: the method
 * @graph: the example's graph
 * @layer: the node's layer 1..L, or 0 for every layer
 * @position: the node's position
 * @flow_options: (nullable): flow's options (threads, progress, unnormalised);
 *   ignored by the other methods
 * @out: (out caller-allocates) (array): n values, or L * n with @layer 0:
 *   `out[(l-1)*n + j]` is the importance of input j for node (l, @position)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The importance of every input token for node (@layer, @position) under
 * @method, or for the nodes of every layer at @position (a heatmap, a row
 * of the correlation tables): raw attention is row @position of W_l,
 * rollout row @position of R_l, flow the max-flows to each input.
 *
 * Returns: %TRUE on success; %FALSE with @error set (no such node, cancelled)
 */
gboolean
attn_method_importance (AttnMethod              method,
                        AttnGraph              *graph,
                        guint                   layer,
                        guint                   position,
                        const AttnFlowOptions  *flow_options,
                        double                 *out,
                        GCancellable           *cancellable,
                        GError                **error)
{
  AttnFlowOptions defaults = { 0 };
  guint n;

  g_return_val_if_fail (method < ATTN_N_METHODS, FALSE);
  g_return_val_if_fail (graph != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  if (flow_options == NULL)
    flow_options = &defaults;
  n = attn_graph_get_n_tokens (graph);

  switch (method)
    {
    case ATTN_METHOD_RAW:
      {
        guint first = layer > 0 ? layer : 1;
        guint last = layer > 0 ? layer : attn_graph_get_n_layers (graph);

        if (!attn_graph_check_node (graph, first, position, error))
          return FALSE;
        for (guint l = first; l <= last; l++)
          attn_graph_read_mixed_row (graph, l, position, out + (gsize) (l - first) * n);
        return TRUE;
      }
    case ATTN_METHOD_ROLLOUT:
      return layer > 0 ? attn_rollout_node (graph, layer, position, out, cancellable, error)
                       : attn_rollout_position (graph, position, out, cancellable, error);
    case ATTN_METHOD_FLOW:
      return layer > 0 ? attn_flow_node (graph, layer, position, flow_options, out, cancellable, error)
                       : attn_flow_position (graph, position, flow_options, out, cancellable, error);
    case ATTN_N_METHODS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* Rollout edge shares restricted to the paths from (layer, position) that end
 * at input @sink: m(e) = P_l'[q] Â_l'[q][k] R_{l'-1}[k][sink] / R_layer[position][sink],
 * with R_0 = I. Each layer's edges sum to 1 (or are all 0 when no path exists).
 * Only column @sink of each R_l is needed: R_l = Â_l R_{l-1}, so it is Â_l times
 * column @sink of R_{l-1}, n^2 per layer instead of the n^3 of the full matrices. */
static gboolean
rollout_sink_shares (AttnGraph     *graph,
                     guint          layer,
                     guint          position,
                     guint          sink,
                     double        *out,
                     GCancellable  *cancellable,
                     GError       **error)
{
  guint n = attn_graph_get_n_tokens (graph);
  gsize nn = (gsize) n * n;
  g_autofree double *reach = g_new0 (double, (gsize) (layer + 1) * n);

  if (!attn_rollout_edge_shares (graph, layer, position, out, cancellable, error))
    return FALSE;

  /* reach[l*n + k] = R_l[k][sink], R_0 = I; layers below @layer are enough */
  reach[sink] = 1.;
  for (guint l = 1; l < layer; l++)
    {
      const double *a = attn_graph_get_augmented (graph, l);
      const double *prev = reach + (gsize) (l - 1) * n;
      double *col = reach + (gsize) l * n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      for (guint q = 0; q < n; q++)
        {
          const double *row = a + (gsize) q * n;
          double sum = 0.;

          for (guint k = 0; k < n; k++)
            sum += row[k] * prev[k];
          col[q] = sum;
        }
    }

  for (guint l = 1; l <= layer; l++)
    {
      double *block = out + (l - 1) * nn;
      double total = 0.;

      for (guint q = 0; q < n; q++)
        for (guint k = 0; k < n; k++)
          {
            block[q * n + k] *= reach[(l - 1) * n + k];
            total += block[q * n + k];
          }
      if (total > 0.)
        for (gsize i = 0; i < nn; i++)
          block[i] /= total;
    }
  return TRUE;
}

/**
 * attn_method_edges:
 * @method: the method
 * @graph: the example's graph
 * @layer: the selected node's layer, 1..L
 * @position: the selected node's position
 * @sink: an input token: only the paths from the node that end there; -1 for all
 * @flow_options: (nullable): flow's options (threads, progress)
 * @out: (out caller-allocates) (array): L * n * n values; edge (l, q) -> (l-1, k)
 *   at `out[(l-1)*n*n + q*n + k]`
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * What the edges of the graph carry when node (@layer, @position) is
 * selected (docs/METHODS.md): rollout, the share of all path weight from the node
 * that passes through each edge; flow, the edge flows of its max-flows
 * summed over the sinks and divided by the total flow (with @sink, those of
 * the one max-flow to it); raw attention, row @position of W_l on the edges
 * (l, @position) -> (l-1, k) of the layers up to @layer (the raw attention
 * of that position at each layer), @sink ignored. Everything else is 0.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 */
gboolean
attn_method_edges (AttnMethod              method,
                   AttnGraph              *graph,
                   guint                   layer,
                   guint                   position,
                   int                     sink,
                   const AttnFlowOptions  *flow_options,
                   double                 *out,
                   GCancellable           *cancellable,
                   GError                **error)
{
  guint n;
  gsize nn;

  g_return_val_if_fail (method < ATTN_N_METHODS, FALSE);
  g_return_val_if_fail (graph != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  if (!attn_graph_check_node_sink (graph, layer, position, sink, error))
    return FALSE;
  n = attn_graph_get_n_tokens (graph);
  nn = (gsize) n * n;

  switch (method)
    {
    case ATTN_METHOD_RAW:
      memset (out, 0, attn_graph_get_n_layers (graph) * nn * sizeof (double));
      for (guint l = 1; l <= layer; l++)
        attn_graph_read_mixed_row (graph, l, position, out + (l - 1) * nn + (gsize) position * n);
      return TRUE;
    case ATTN_METHOD_ROLLOUT:
      if (sink >= 0)
        return rollout_sink_shares (graph, layer, position, sink, out, cancellable, error);
      return attn_rollout_edge_shares (graph, layer, position, out, cancellable, error);
    case ATTN_METHOD_FLOW:
      return attn_flow_edges (graph, layer, position, sink, flow_options, out, cancellable, error);
    case ATTN_N_METHODS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

/**
 * attn_method_every_node:
 * @method: the method
 * @graph: the example's graph
 * @first_layer: the first layer to compute, 1..L
 * @last_layer: the last one, @first_layer..L, or 0 for L (rollout computes
 *   the layers below @first_layer too, but reports only these)
 * @flow_options: (nullable): flow's options: threads, unnormalised; its
 *   progress runs over all the layers computed
 * @layer_done: called with each layer from @first_layer to @last_layer, bottom first
 * @user_data: closure for @layer_done
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The importance of the input tokens for every node of every layer: the
 * paper's convention for a graph without a selection, edge (l, q) -> (l-1, k)
 * carrying the importance of input k for node (l, q) (raw attention: W_l,
 * rollout: R_l, flow: the max-flows of every node, L·n·n of them, by
 * attn_flow_layers()). Memory beyond the graph is one layer (raw) or two
 * (rollout, flow).
 *
 * Returns: %TRUE on success; %FALSE with @error set (the layers delivered
 *   before it stay valid)
 */
gboolean
attn_method_every_node (AttnMethod              method,
                        AttnGraph              *graph,
                        guint                   first_layer,
                        guint                   last_layer,
                        const AttnFlowOptions  *flow_options,
                        AttnMethodLayerFunc     layer_done,
                        gpointer                user_data,
                        GCancellable           *cancellable,
                        GError                **error)
{
  g_autofree double *values = NULL;
  guint L, n;
  gsize nn;

  g_return_val_if_fail (method < ATTN_N_METHODS, FALSE);
  g_return_val_if_fail (graph != NULL, FALSE);
  g_return_val_if_fail (layer_done != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  L = attn_graph_get_n_layers (graph);
  if (last_layer == 0)
    last_layer = L;
  if (!attn_graph_check_layers (graph, first_layer, last_layer, error))
    return FALSE;
  n = attn_graph_get_n_tokens (graph);
  nn = (gsize) n * n;

  switch (method)
    {
    case ATTN_METHOD_RAW:
      values = g_new (double, nn);
      for (guint l = first_layer; l <= last_layer; l++)
        {
          attn_graph_read_mixed (graph, l, values);
          layer_done (l, values, user_data);
        }
      return TRUE;
    case ATTN_METHOD_ROLLOUT:
      return attn_rollout_layers (graph, first_layer, last_layer, NULL, layer_done, user_data,
                                  cancellable, error);
    case ATTN_METHOD_FLOW:
      return attn_flow_layers (graph, first_layer, last_layer, flow_options, layer_done, user_data,
                               cancellable, error);
    case ATTN_N_METHODS:
    default:
      g_return_val_if_reached (FALSE);
    }
}
