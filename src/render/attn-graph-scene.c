/* attn-graph-scene.c
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "attn-graph-scene.h"

struct _AttnGraphScene
{
  gatomicrefcount  ref_count;
  guint            n_layers;
  guint            n_tokens;
  double          *edges;        /* L * n * n */
  gboolean        *have_layer;   /* L, index l - 1 */
  double          *nodes;        /* (L + 1) * n */
  gboolean        *have_nodes;   /* L + 1 */
  gboolean        *special;      /* n, or NULL */
  int              sel_layer;
  int              sel_position;
  int              sink;
  double           scale_max;
};

G_DEFINE_BOXED_TYPE (AttnGraphScene, attn_graph_scene, attn_graph_scene_ref, attn_graph_scene_unref)

/**
 * attn_graph_scene_new:
 * @n_layers: L ≥ 1
 * @n_tokens: n ≥ 1
 *
 * Returns: (transfer full): an empty scene: every layer pending, no node
 *   values, no selection, automatic scale
 */
AttnGraphScene *
attn_graph_scene_new (guint n_layers,
                      guint n_tokens)
{
  AttnGraphScene *self;

  g_return_val_if_fail (n_layers > 0, NULL);
  g_return_val_if_fail (n_tokens > 0, NULL);

  self = g_new0 (AttnGraphScene, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->n_layers = n_layers;
  self->n_tokens = n_tokens;
  self->edges = g_new0 (double, (gsize) n_layers * n_tokens * n_tokens);
  self->have_layer = g_new0 (gboolean, n_layers);
  self->nodes = g_new0 (double, (gsize) (n_layers + 1) * n_tokens);
  self->have_nodes = g_new0 (gboolean, n_layers + 1);
  self->sel_layer = -1;
  self->sel_position = -1;
  self->sink = -1;

  return self;
}

AttnGraphScene *
attn_graph_scene_ref (AttnGraphScene *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
attn_graph_scene_unref (AttnGraphScene *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->edges);
  g_free (self->have_layer);
  g_free (self->nodes);
  g_free (self->have_nodes);
  g_free (self->special);
  g_free (self);
}

/**
 * attn_graph_scene_copy:
 *
 * Returns: (transfer full): a deep copy, e.g. to add a flow layer to a scene
 *   that a worker may be drawing
 */
AttnGraphScene *
attn_graph_scene_copy (const AttnGraphScene *self)
{
  AttnGraphScene *copy;
  guint L, n;

  g_return_val_if_fail (self != NULL, NULL);

  L = self->n_layers;
  n = self->n_tokens;
  copy = attn_graph_scene_new (L, n);
  memcpy (copy->edges, self->edges, (gsize) L * n * n * sizeof (double));
  memcpy (copy->have_layer, self->have_layer, L * sizeof (gboolean));
  memcpy (copy->nodes, self->nodes, (gsize) (L + 1) * n * sizeof (double));
  memcpy (copy->have_nodes, self->have_nodes, (L + 1) * sizeof (gboolean));
  if (self->special != NULL)
    copy->special = g_memdup2 (self->special, n * sizeof (gboolean));
  copy->sel_layer = self->sel_layer;
  copy->sel_position = self->sel_position;
  copy->sink = self->sink;
  copy->scale_max = self->scale_max;

  return copy;
}

guint
attn_graph_scene_get_n_layers (const AttnGraphScene *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_layers;
}

guint
attn_graph_scene_get_n_tokens (const AttnGraphScene *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_tokens;
}

/**
 * attn_graph_scene_set_edges:
 * @values: (array): L·n·n edge values, `[(l-1)*n*n + q*n + k]` for edge
 *   (l, q) -> (l-1, k); copied. Every layer becomes available.
 */
void
attn_graph_scene_set_edges (AttnGraphScene *self,
                            const double   *values)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (values != NULL);

  for (guint l = 1; l <= self->n_layers; l++)
    attn_graph_scene_set_layer_edges (self, l, values + (gsize) (l - 1) * self->n_tokens * self->n_tokens);
}

/**
 * attn_graph_scene_set_layer_edges:
 * @layer: 1..L
 * @values: (array): n·n values of layer @layer's edges, `[q*n + k]`; copied.
 *   The layer stops being pending.
 */
void
attn_graph_scene_set_layer_edges (AttnGraphScene *self,
                                  guint           layer,
                                  const double   *values)
{
  gsize nn;

  g_return_if_fail (self != NULL);
  g_return_if_fail (layer >= 1 && layer <= self->n_layers);
  g_return_if_fail (values != NULL);

  nn = (gsize) self->n_tokens * self->n_tokens;
  memcpy (self->edges + (layer - 1) * nn, values, nn * sizeof (double));
  self->have_layer[layer - 1] = TRUE;
}

/**
 * attn_graph_scene_has_layer:
 * @layer: 1..L
 *
 * Returns: whether the edges of @layer were set (else: pending)
 */
gboolean
attn_graph_scene_has_layer (const AttnGraphScene *self,
                            guint                 layer)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, FALSE);

  return self->have_layer[layer - 1];
}

/**
 * attn_graph_scene_get_layer_edges:
 * @layer: 1..L
 *
 * Returns: (nullable) (transfer none): n·n values, or %NULL while pending
 */
const double *
attn_graph_scene_get_layer_edges (const AttnGraphScene *self,
                                  guint                 layer)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, NULL);

  if (!self->have_layer[layer - 1])
    return NULL;

  return self->edges + (gsize) (layer - 1) * self->n_tokens * self->n_tokens;
}

/**
 * attn_graph_scene_get_edge:
 *
 * Returns: the value of edge (@layer, @query) -> (@layer - 1, @key), or NaN
 *   while its layer is pending
 */
double
attn_graph_scene_get_edge (const AttnGraphScene *self,
                           guint                 layer,
                           guint                 query,
                           guint                 key)
{
  const double *e;

  g_return_val_if_fail (self != NULL, NAN);
  g_return_val_if_fail (query < self->n_tokens && key < self->n_tokens, NAN);

  e = attn_graph_scene_get_layer_edges (self, layer);
  if (e == NULL)
    return NAN;

  return e[(gsize) query * self->n_tokens + key];
}

/**
 * attn_graph_scene_set_node_values:
 * @layer: 0..L
 * @values: (nullable) (array): n values that colour the nodes of @layer on
 *   the same scale as the edges, or %NULL to clear
 */
void
attn_graph_scene_set_node_values (AttnGraphScene *self,
                                  guint           layer,
                                  const double   *values)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (layer <= self->n_layers);

  self->have_nodes[layer] = values != NULL;
  if (values != NULL)
    memcpy (self->nodes + (gsize) layer * self->n_tokens, values, self->n_tokens * sizeof (double));
}

/**
 * attn_graph_scene_get_node_values:
 * @layer: 0..L
 *
 * Returns: (nullable) (transfer none): n values, or %NULL
 */
const double *
attn_graph_scene_get_node_values (const AttnGraphScene *self,
                                  guint                 layer)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (layer <= self->n_layers, NULL);

  if (!self->have_nodes[layer])
    return NULL;

  return self->nodes + (gsize) layer * self->n_tokens;
}

/**
 * attn_graph_scene_set_selection:
 * @layer: the selected node's layer 0..L, or -1 for no selection
 * @position: its position, or -1
 * @sink: an input token (layer 0) whose paths are shown, or -1
 */
void
attn_graph_scene_set_selection (AttnGraphScene *self,
                                int             layer,
                                int             position,
                                int             sink)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (layer < (int) self->n_layers + 1);
  g_return_if_fail (position < (int) self->n_tokens);
  g_return_if_fail (sink < (int) self->n_tokens);

  if (layer < 0 || position < 0)
    layer = position = -1;

  self->sel_layer = layer;
  self->sel_position = position;
  self->sink = sink < 0 ? -1 : sink;
}

/**
 * attn_graph_scene_get_selection:
 * @layer: (out) (optional)
 * @position: (out) (optional)
 * @sink: (out) (optional): -1 when none
 *
 * Returns: whether a node is selected
 */
gboolean
attn_graph_scene_get_selection (const AttnGraphScene *self,
                                guint                *layer,
                                guint                *position,
                                int                  *sink)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (layer)
    *layer = self->sel_layer < 0 ? 0 : (guint) self->sel_layer;
  if (position)
    *position = self->sel_position < 0 ? 0 : (guint) self->sel_position;
  if (sink)
    *sink = self->sink;

  return self->sel_layer >= 0;
}

/**
 * attn_graph_scene_set_scale_max:
 * @scale_max: the value drawn at full colour, or 0 for automatic
 *   (attn_graph_scene_compute_scale_max())
 */
void
attn_graph_scene_set_scale_max (AttnGraphScene *self,
                                double          scale_max)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (scale_max >= 0.);

  self->scale_max = scale_max;
}

double
attn_graph_scene_get_scale_max (const AttnGraphScene *self)
{
  g_return_val_if_fail (self != NULL, 0.);

  return self->scale_max;
}

/**
 * attn_graph_scene_set_special:
 * @special: (nullable) (array): n flags: which tokens are special (left out of
 *   the automatic scale when the style asks for it); copied
 */
void
attn_graph_scene_set_special (AttnGraphScene *self,
                              const gboolean *special)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->special, g_free);
  if (special != NULL)
    self->special = g_memdup2 (special, self->n_tokens * sizeof (gboolean));
}

/**
 * attn_graph_scene_compute_scale_max:
 * @exclude_special: leave edges into special tokens (and into the selected
 *   position) out
 *
 * Returns: the scale max to use: the explicit one if set, else the largest
 *   edge or node value of the available layers (1 when there is none)
 */
double
attn_graph_scene_compute_scale_max (const AttnGraphScene *self,
                                    gboolean              exclude_special)
{
  double max = 0.;
  guint n;

  g_return_val_if_fail (self != NULL, 1.);

  if (self->scale_max > 0.)
    return self->scale_max;

  n = self->n_tokens;
  for (guint l = 1; l <= self->n_layers; l++)
    {
      const double *e = attn_graph_scene_get_layer_edges (self, l);

      if (e == NULL)
        continue;
      for (guint q = 0; q < n; q++)
        for (guint k = 0; k < n; k++)
          {
            if (exclude_special
                && ((self->special != NULL && self->special[k]) || (int) k == self->sel_position))
              continue;
            if (e[(gsize) q * n + k] > max)
              max = e[(gsize) q * n + k];
          }
    }

  for (guint l = 0; l <= self->n_layers; l++)
    {
      const double *v = attn_graph_scene_get_node_values (self, l);

      if (v == NULL)
        continue;
      for (guint k = 0; k < n; k++)
        {
          if (exclude_special
              && ((self->special != NULL && self->special[k]) || (int) k == self->sel_position))
            continue;
          if (v[k] > max)
            max = v[k];
        }
    }

  return max > 0. ? max : 1.;
}
