/* attn-graph-scene.c: what the graph figure shows: edges, node values, selection and
 * colour scales, and the scene made from a trace
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

#include "attn-graph-scene.h"
#include "attn-graph-scene-private.h"
#include "attn-refcount.h"

struct _AttnGraphScene
{
  guint            n_layers;
  guint            n_tokens;
  GBytes         **edges;        /* L, index l - 1: n * n values (doubles, or a compact trace's
                                  * floats), NULL while pending */
  guint            trace_layers; /* the layers 1.. without @edges read from @trace (a compact
                                  * click's: attn_trace_is_compact()) */
  GMutex           exact_lock;   /* the last exact row read from a compact @trace (a hover's) */
  double          *exact_row;
  guint            exact_layer;
  guint            exact_query;
  double          *nodes;        /* (L + 1) * n */
  gboolean        *have_nodes;   /* L + 1 */
  gboolean        *special;      /* n, or NULL */
  int              sel_layer;
  int              sel_position;
  int              sink;
  double           scale_max;
  AttnColorScale   color_scale;
  double          *edge_scales;  /* L + 1, index l: per layer, or NULL (global) */
  double          *node_scales;  /* L + 1 */
  gboolean         auto_excluded;
  gboolean         shares;

  /* what it shows: the example's tokens, the layers, the texts */
  AttnTrace       *trace;
  AttnExample     *example;
  AttnWeightKind   weights;
  guint            first_layer;
  guint            last_layer;
  char            *title;
  char            *scale_label;
  char           **title_room;   /* the titles and scale labels a click may bring */
  char           **scale_room;
  char           **caption_room;
  char            *caption;
};

G_DEFINE_BOXED_TYPE (AttnGraphScene, attn_graph_scene, attn_graph_scene_ref, attn_graph_scene_unref)

static void
scene_clear (gpointer data)
{
  AttnGraphScene *self = data;

  for (guint l = 0; l < self->n_layers; l++)
    g_clear_pointer (&self->edges[l], g_bytes_unref);
  g_free (self->edges);
  g_free (self->exact_row);
  g_mutex_clear (&self->exact_lock);
  g_free (self->nodes);
  g_free (self->have_nodes);
  g_free (self->special);
  g_free (self->edge_scales);
  g_free (self->node_scales);
  g_clear_pointer (&self->trace, attn_trace_unref);
  g_clear_pointer (&self->example, attn_example_unref);
  g_free (self->title);
  g_free (self->scale_label);
  g_strfreev (self->title_room);
  g_strfreev (self->scale_room);
  g_strfreev (self->caption_room);
  g_free (self->caption);
}

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

  self = g_atomic_rc_box_new0 (AttnGraphScene);
  g_mutex_init (&self->exact_lock);
  self->n_layers = n_layers;
  self->n_tokens = n_tokens;
  self->edges = g_new0 (GBytes *, n_layers);
  self->first_layer = 1;
  self->last_layer = n_layers;
  self->nodes = g_new0 (double, (gsize) (n_layers + 1) * n_tokens);
  self->have_nodes = g_new0 (gboolean, n_layers + 1);
  self->sel_layer = -1;
  self->sel_position = -1;
  self->sink = -1;
  self->color_scale = ATTN_COLOR_SCALE_GLOBAL;

  return self;
}

ATTN_DEFINE_RC_BOX_REFS (AttnGraphScene, attn_graph_scene, scene_clear)

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
  g_clear_pointer (&self->edges[layer - 1], g_bytes_unref);
  self->edges[layer - 1] = g_bytes_new (values, nn * sizeof (double));
}

/**
 * attn_graph_scene_set_layer_bytes:
 * @layer: 1..L
 * @bytes: n·n values of layer @layer's edges, shared, not copied (a trace's
 *   layer, attn_trace_get_layer_bytes(): doubles, or a compact trace's
 *   floats). The layer stops being pending.
 */
void
attn_graph_scene_set_layer_bytes (AttnGraphScene *self,
                                  guint           layer,
                                  GBytes         *bytes)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (layer >= 1 && layer <= self->n_layers);
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (g_bytes_get_size (bytes) == (gsize) self->n_tokens * self->n_tokens * sizeof (double) ||
                    g_bytes_get_size (bytes) == (gsize) self->n_tokens * self->n_tokens * sizeof (float));

  g_bytes_ref (bytes);
  g_clear_pointer (&self->edges[layer - 1], g_bytes_unref);
  self->edges[layer - 1] = bytes;
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

  return self->edges[layer - 1] != NULL || layer <= self->trace_layers;
}

/**
 * attn_graph_scene_get_layer_edges:
 * @layer: 1..L
 *
 * Returns: (nullable) (transfer none): n·n values, or %NULL while pending,
 *   and when the layer is not kept as doubles (a compact trace's, see
 *   attn_trace_is_compact()): attn_graph_scene_get_edge_row() reads any layer
 */
const double *
attn_graph_scene_get_layer_edges (const AttnGraphScene *self,
                                  guint                 layer)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, NULL);

  return attn_trace_layer_doubles (self->edges[layer - 1], self->n_tokens);
}

/**
 * attn_graph_scene_get_edge_row:
 * @layer: 1..L
 * @query: 0..n-1
 * @buffer: (array): room for n values
 *
 * The edges drawn from node (@layer, @query): a pointer into the scene's
 * doubles, or @buffer filled from a compact trace (attn_trace_get_edge_row()).
 *
 * Returns: (nullable) (transfer none): n values, or %NULL while pending
 */
const double *
attn_graph_scene_get_edge_row (const AttnGraphScene *self,
                               guint                 layer,
                               guint                 query,
                               double               *buffer)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, NULL);
  g_return_val_if_fail (query < self->n_tokens, NULL);

  if (self->edges[layer - 1] != NULL)
    return attn_trace_read_row (self->edges[layer - 1], self->n_tokens, query, buffer);
  if (layer <= self->trace_layers)
    return attn_trace_get_edge_row (self->trace, layer, query, buffer);
  return NULL;
}

/**
 * attn_graph_scene_get_edge:
 *
 * Returns: the value of edge (@layer, @query) -> (@layer - 1, @key), or NaN
 *   while its layer is pending: a double as computed, also where the scene
 *   draws a compact trace's floats (the number a hover shows)
 */
double
attn_graph_scene_get_edge (const AttnGraphScene *self,
                           guint                 layer,
                           guint                 query,
                           guint                 key)
{
  const double *e;
  g_autofree double *row = NULL;
  AttnGraphScene *cache;
  double value;

  g_return_val_if_fail (self != NULL, NAN);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, NAN);
  g_return_val_if_fail (query < self->n_tokens && key < self->n_tokens, NAN);

  e = attn_graph_scene_get_layer_edges (self, layer);
  if (e != NULL)
    return e[(gsize) query * self->n_tokens + key];
  if (!attn_graph_scene_has_layer (self, layer))
    return NAN;
  if (self->trace == NULL || !attn_trace_has_layer (self->trace, layer) ||
      (layer > self->trace_layers && attn_trace_get_layer_bytes (self->trace, layer) != self->edges[layer - 1]))
    {
      row = g_new (double, self->n_tokens);
      return attn_graph_scene_get_edge_row (self, layer, query, row)[key];
    }
  /* a compact trace's layer: the double it computed, not the float drawn;
   * its row kept for the next edge under the pointer (a cache, not part of
   * what the scene shows, hence written through a const scene) */
  cache = (AttnGraphScene *) self;
  g_mutex_lock (&cache->exact_lock);
  if (cache->exact_row == NULL || cache->exact_layer != layer || cache->exact_query != query)
    {
      if (cache->exact_row == NULL)
        cache->exact_row = g_new (double, self->n_tokens);
      cache->exact_layer = layer;
      cache->exact_query = query;
      if (!attn_trace_read_exact_row (self->trace, layer, query, cache->exact_row))
        g_clear_pointer (&cache->exact_row, g_free);
    }
  value = cache->exact_row ? cache->exact_row[key] : NAN;
  g_mutex_unlock (&cache->exact_lock);
  return value;
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
 * attn_graph_scene_has_hollow_nodes:
 *
 * Returns: whether rows of nodes without a value are drawn beside rows with
 *   one, in the layers drawn (the layers above a click below the top layer):
 *   then those are dashed and the colour bar's label says so; where no row
 *   has a value (raw attention, no click) the nodes are plain rings
 */
gboolean
attn_graph_scene_has_hollow_nodes (const AttnGraphScene *self)
{
  gboolean valued = FALSE, hollow = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  for (guint l = self->first_layer - 1; l <= self->last_layer; l++)
    {
      valued |= self->have_nodes[l];
      hollow |= !self->have_nodes[l];
    }
  return valued && hollow;
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

/* What excluding special tokens leaves out of the colour range: the special
 * tokens and the selected position */
static gboolean
special_or_selected (const AttnGraphScene *self,
                     guint                 k)
{
  return (self->special != NULL && self->special[k]) || (int) k == self->sel_position;
}

/* The larger of @max and the largest value of @row (one per token), the
 * special tokens and the selected position left out with @exclude_special */
static double
kept_max (const AttnGraphScene *self,
          const double         *row,
          gboolean              exclude_special,
          double                max)
{
  for (guint k = 0; k < self->n_tokens; k++)
    {
      if (exclude_special && special_or_selected (self, k))
        continue;
      if (row[k] > max)
        max = row[k];
    }
  return max;
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
  g_autofree double *buffer = NULL;

  g_return_val_if_fail (self != NULL, 1.);

  if (self->scale_max > 0.)
    return self->scale_max;

  n = self->n_tokens;
  buffer = g_new (double, n);
  for (guint l = 1; l <= self->n_layers; l++)
    for (guint q = 0; attn_graph_scene_has_layer (self, l) && q < n; q++)
      max = kept_max (self, attn_graph_scene_get_edge_row (self, l, q, buffer), exclude_special, max);

  for (guint l = 0; l <= self->n_layers; l++)
    {
      const double *v = attn_graph_scene_get_node_values (self, l);

      if (v != NULL)
        max = kept_max (self, v, exclude_special, max);
    }

  return max > 0. ? max : 1.;
}

/**
 * attn_graph_scene_get_color_scale:
 *
 * Returns: whether each layer has its own colour range (the scene of a
 *   trace, by default) or the graph one
 */
AttnColorScale
attn_graph_scene_get_color_scale (const AttnGraphScene *self)
{
  g_return_val_if_fail (self != NULL, ATTN_COLOR_SCALE_GLOBAL);

  return self->color_scale;
}

/**
 * attn_graph_scene_get_edge_scale:
 * @layer: 1..L
 *
 * Returns: the value drawn at full colour for the edges of @layer when each
 *   layer has its own range, else 0 (the graph's range)
 */
double
attn_graph_scene_get_edge_scale (const AttnGraphScene *self,
                                 guint                 layer)
{
  g_return_val_if_fail (self != NULL, 0.);
  g_return_val_if_fail (layer <= self->n_layers, 0.);

  return self->edge_scales ? self->edge_scales[layer] : 0.;
}

/**
 * attn_graph_scene_get_node_scale:
 * @layer: 0..L
 *
 * Returns: the value drawn at full colour for the nodes of @layer when each
 *   layer has its own range, or when after a click on one range for all
 *   layers the nodes have theirs; else 0 (the graph's range)
 */
double
attn_graph_scene_get_node_scale (const AttnGraphScene *self,
                                 guint                 layer)
{
  g_return_val_if_fail (self != NULL, 0.);
  g_return_val_if_fail (layer <= self->n_layers, 0.);

  return self->node_scales ? self->node_scales[layer] : 0.;
}

/**
 * attn_graph_scene_get_auto_excluded:
 *
 * Returns: whether special tokens (and the selected one) were left out of
 *   the colour range because they hold most of the mass, though the options
 *   did not ask for it (the scale label says so)
 */
gboolean
attn_graph_scene_get_auto_excluded (const AttnGraphScene *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->auto_excluded;
}

/**
 * attn_graph_scene_get_shares:
 *
 * Returns: whether the edges of a layer are shares of one whole (a click in
 *   rollout or flow: each layer's edges sum to the flow through it), so that
 *   an edge's share of its layer says how much of the flow it carries
 */
gboolean
attn_graph_scene_get_shares (const AttnGraphScene *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->shares;
}

/**
 * attn_graph_scene_get_weights:
 *
 * Returns: what the edges of the scene's graph weigh
 */
AttnWeightKind
attn_graph_scene_get_weights (const AttnGraphScene *self)
{
  g_return_val_if_fail (self != NULL, ATTN_WEIGHT_KIND_ATTENTION);

  return self->weights;
}

static const char * const color_scale_names[] = { "per-layer", "global" };

/**
 * attn_color_scale_get_name:
 *
 * Returns: "per-layer" or "global" (the command line's and the settings' names)
 */
const char *
attn_color_scale_get_name (AttnColorScale scale)
{
  g_return_val_if_fail (scale <= ATTN_COLOR_SCALE_GLOBAL, NULL);

  return color_scale_names[scale];
}

/**
 * attn_color_scale_from_name:
 * @name: "per-layer" or "global", in any case (attn_keyword_find())
 * @scale: (out): the mode
 *
 * Returns: whether @name is one
 */
gboolean
attn_color_scale_from_name (const char     *name,
                            AttnColorScale *scale)
{
  int i;

  g_return_val_if_fail (name != NULL, FALSE);

  i = attn_keyword_find (name, color_scale_names, G_N_ELEMENTS (color_scale_names));
  if (i >= 0)
    *scale = i;
  return i >= 0;
}

/* What the scene shows */

/**
 * attn_graph_scene_get_trace:
 *
 * Returns: (transfer none) (nullable): the trace the scene was built from
 */
AttnTrace *
attn_graph_scene_get_trace (const AttnGraphScene *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->trace;
}

/**
 * attn_graph_scene_get_example:
 *
 * Returns: (transfer none) (nullable): the example whose tokens it labels
 */
AttnExample *
attn_graph_scene_get_example (const AttnGraphScene *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->example;
}

/**
 * attn_layer_range_resolve:
 * @first: the lowest layer chosen (0 is 1)
 * @last: the highest chosen (0 is the model's last)
 * @n_layers: the model's layers, L ≥ 1
 * @shown_first: (out): the lowest layer shown, 1..@shown_last
 * @shown_last: (out): the highest shown, 1..L
 *
 * The layers a chosen range shows of a model of @n_layers: its top is
 * clamped to the model's last layer, then its bottom to its top. A range
 * above a smaller model shows that model's last layer (9–12 of a 6-layer
 * model is 6–6); an upside-down one, its top layer. The one rule of the
 * graph, the heatmap, the side panel, saved figures and command lines.
 */
void
attn_layer_range_resolve (guint  first,
                          guint  last,
                          guint  n_layers,
                          guint *shown_first,
                          guint *shown_last)
{
  g_return_if_fail (shown_first != NULL && shown_last != NULL);

  n_layers = MAX (n_layers, 1);
  *shown_last = last == 0 || last > n_layers ? n_layers : last;
  *shown_first = CLAMP (first, 1, *shown_last);
}

/**
 * attn_graph_scene_get_layer_range:
 * @first: (out) (optional): the lowest layer drawn, 1..L
 * @last: (out) (optional): the highest, @first..L
 */
void
attn_graph_scene_get_layer_range (const AttnGraphScene *self,
                                  guint                *first,
                                  guint                *last)
{
  g_return_if_fail (self != NULL);

  if (first)
    *first = self->first_layer;
  if (last)
    *last = self->last_layer;
}

/**
 * attn_graph_scene_set_texts:
 * @title: (nullable): the figure's title
 * @scale_label: (nullable): the colour bar's label
 * @caption: (nullable): the settings, printed under saved figures
 *
 * Sets the texts (before the scene is shared).
 */
void
attn_graph_scene_set_texts (AttnGraphScene *self,
                            const char     *title,
                            const char     *scale_label,
                            const char     *caption)
{
  char *texts[3] = { g_strdup (title), g_strdup (scale_label), g_strdup (caption) };

  g_return_if_fail (self != NULL);

  /* copied first: the texts may be the scene's own */
  g_free (self->title);
  self->title = texts[0];
  g_free (self->scale_label);
  self->scale_label = texts[1];
  g_free (self->caption);
  self->caption = texts[2];
}

const char *
attn_graph_scene_get_title (const AttnGraphScene *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->title;
}

const char *
attn_graph_scene_get_scale_label (const AttnGraphScene *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->scale_label;
}

/**
 * attn_graph_scene_get_room:
 * @title: (out) (optional) (transfer none) (array zero-terminated=1): the
 *   titles
 * @scale_label: (out) (optional) (transfer none) (array zero-terminated=1):
 *   the colour bar labels, the scene's method's first
 * @n_own_scale_labels: (out) (optional): how many of them are its method's
 * @caption: (out) (optional) (transfer none) (array zero-terminated=1): the
 *   longest captions (AttnGraphSceneOptions:caption_room)
 *
 * The titles, colour bar labels and captions that a scene of the same
 * example, weights and settings shows, of any method, with a click or
 * without: a view keeps room for the largest, so that neither a click nor
 * another method moves a node. Empty for a scene not built from a trace.
 */
void
attn_graph_scene_get_room (const AttnGraphScene  *self,
                           const char * const   **title,
                           const char * const   **scale_label,
                           guint                 *n_own_scale_labels,
                           const char * const   **caption)
{
  static const char * const none[] = { NULL };

  g_return_if_fail (self != NULL);

  if (title != NULL)
    *title = self->title_room ? (const char * const *) self->title_room : none;
  if (scale_label != NULL)
    *scale_label = self->scale_room ? (const char * const *) self->scale_room : none;
  if (n_own_scale_labels != NULL)
    *n_own_scale_labels = self->scale_room ? _ATTN_SCENE_SCALE_ROOM_OWN : 0;
  if (caption != NULL)
    *caption = self->caption_room ? (const char * const *) self->caption_room : none;
}

const char *
attn_graph_scene_get_caption (const AttnGraphScene *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->caption;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The colour scale follows the edges alone: node values (the mass through a
 * node, 1 at the selected node) would wash the edges out; they saturate.
 * After a click it is the median of the layers' strongest edges, so that one
 * layer (the clicked node's own, where a single row carries all the weight)
 * does not leave the others invisible; stronger edges saturate. Un-clicked
 * (and raw) every layer is alike: the largest edge. */
static double
scale_of_edges (const AttnGraphScene *self,
                gboolean              exclude_special,
                gboolean              median)
{
  guint n = self->n_tokens, n_maxima = 0;
  g_autofree double *maxima = g_new0 (double, self->n_layers);
  g_autofree double *buffer = g_new (double, n);

  for (guint l = 1; l <= self->n_layers; l++)
    {
      double max = 0.;

      if (!attn_graph_scene_has_layer (self, l))
        continue;
      for (guint q = 0; q < n; q++)
        {
          const double *edges = attn_graph_scene_get_edge_row (self, l, q, buffer);

          for (guint k = 0; k < n; k++)
            if (!(exclude_special && self->special[k]))
              max = MAX (max, edges[k]);
        }
      if (max > 0.)
        maxima[n_maxima++] = max;
    }
  if (n_maxima == 0)
    return 1.;
  qsort (maxima, n_maxima, sizeof (double), compare_doubles);
  return median ? maxima[n_maxima / 2] : maxima[n_maxima - 1];
}

/* With a sink, the flow ends in it: the inputs' fills are what each
 * receives from layer 1 (the sink all of it, the others nothing) */
static void
set_flow_into_inputs (AttnGraphScene *self)
{
  guint n = self->n_tokens;
  g_autofree double *into = g_new0 (double, n);
  g_autofree double *buffer = g_new (double, n);

  if (!attn_graph_scene_has_layer (self, 1))
    return;
  for (guint q = 0; q < n; q++)
    {
      const double *row = attn_graph_scene_get_edge_row (self, 1, q, buffer);

      for (guint k = 0; k < n; k++)
        into[k] += row[k];
    }
  attn_graph_scene_set_node_values (self, 0, into);
}

/* Do the special tokens (and the selected one) take most of the edges' mass? */
static gboolean
special_hold_most (const AttnGraphScene *self)
{
  guint n = self->n_tokens;
  double in = 0., all = 0.;
  g_autofree double *buffer = g_new (double, n);

  for (guint l = 1; l <= self->n_layers; l++)
    for (guint q = 0; attn_graph_scene_has_layer (self, l) && q < n; q++)
      {
        const double *edges = attn_graph_scene_get_edge_row (self, l, q, buffer);

        for (guint k = 0; k < n; k++)
          {
            all += edges[k];
            if (self->special[k])
              in += edges[k];
          }
      }
  return all > 0. && in > 0.5 * all;
}

/* A scale gathered row by row (scale_add_row(), scale_get()) */
typedef struct
{
  double max;      /* the largest value, those of special tokens left out with exclude */
  double max_all;  /* the largest of all */
  double sum;
} Scale;

/* Gathers a row of n @values into @scale */
static void
scale_add_row (const AttnGraphScene *self,
               Scale                *scale,
               const double         *values,
               gboolean              exclude)
{
  for (guint k = 0; k < self->n_tokens; k++)
    {
      scale->sum += values[k];
      scale->max_all = MAX (scale->max_all, values[k]);
      if (!(exclude && self->special[k]))
        scale->max = MAX (scale->max, values[k]);
    }
}

/* The largest value gathered, those of special tokens left out with
 * exclude (unless nothing else is left); 1 when all are 0 */
static double
scale_get (const Scale *scale)
{
  if (scale->max > 0.)
    return scale->max;
  return scale->max_all > 0. ? scale->max_all : 1.;
}

/* Without a click, rollout's and flow's edges of a layer are every
 * node's importance of the inputs, rows that sum to one: where a layer
 * spreads them evenly (rollout's and flow's upper layers, where the tokens
 * have mixed) its maximum is close to its mean, and scaling to it would
 * draw every edge at full colour, one bright block. The layer's scale is
 * at least EVEN_SPREAD_FLOOR times its mean edge (8/n of a node's
 * importance: an even row reads at 1/8 of the scale), never more than the
 * graph's largest edge */
#define EVEN_SPREAD_FLOOR 8.

static double
even_spread_floor (const AttnGraphScene *self,
                   double                sum)
{
  gsize count = (gsize) self->n_tokens * self->n_tokens;

  return MIN (EVEN_SPREAD_FLOOR * sum / (double) count, self->scale_max);
}

/* The scale of the edges of @layer, read row by row; @sum: their sum */
static double
layer_max (const AttnGraphScene *self,
           guint                 layer,
           gboolean              exclude,
           double               *sum)
{
  guint n = self->n_tokens;
  g_autofree double *buffer = g_new (double, n);
  Scale scale = { 0., 0., 0. };

  for (guint q = 0; q < n; q++)
    scale_add_row (self, &scale, attn_graph_scene_get_edge_row (self, layer, q, buffer), exclude);
  *sum = scale.sum;
  return scale_get (&scale);
}

/* Each layer to its own maximum: the edges of layer l, the nodes of layer l */
static void
set_layer_scales (AttnGraphScene *self,
                  gboolean        exclude,
                  gboolean        spread)
{
  guint L = self->n_layers;

  self->edge_scales = g_new (double, L + 1);
  self->node_scales = g_new (double, L + 1);
  self->edge_scales[0] = 1.;
  for (guint l = 1; l <= L; l++)
    {
      double sum;

      self->edge_scales[l] = 1.;
      if (!attn_graph_scene_has_layer (self, l))
        continue;
      self->edge_scales[l] = layer_max (self, l, exclude, &sum);
      if (spread)
        self->edge_scales[l] = MAX (self->edge_scales[l], even_spread_floor (self, sum));
    }
  for (guint l = 0; l <= L; l++)
    {
      const double *nodes = attn_graph_scene_get_node_values (self, l);
      Scale scale = { 0., 0., 0. };

      if (nodes != NULL)
        scale_add_row (self, &scale, nodes, exclude);
      self->node_scales[l] = scale_get (&scale);
    }
}

/* One range for all layers after a click: the edges keep theirs (the
 * median of the layers' strongest), and the nodes, which carry the mass of
 * every edge into them, get their own, their largest value below the
 * selected layer (the special tokens left out with @exclude): on the
 * edges' range nearly every node saturated */
static void
set_global_node_scale (AttnGraphScene *self,
                       gboolean        exclude)
{
  guint L = self->n_layers, n = self->n_tokens;
  double max = 0.;

  for (guint l = 0; l <= L; l++)
    {
      const double *nodes = attn_graph_scene_get_node_values (self, l);

      for (guint k = 0; nodes != NULL && (int) l != self->sel_layer && k < n; k++)
        if (!(exclude && self->special[k]))
          max = MAX (max, nodes[k]);
    }
  self->node_scales = g_new (double, L + 1);
  for (guint l = 0; l <= L; l++)
    self->node_scales[l] = max > 0. ? max : self->scale_max;
}

/* How much of the selected node's mass passes through each node of the layers below it */
static void
set_mass_through (AttnGraphScene *self,
                  guint           selected_layer)
{
  guint n = self->n_tokens;
  g_autofree double *through = g_new0 (double, n);
  g_autofree double *buffer = g_new (double, n);

  for (guint l = 1; l <= selected_layer; l++)
    {
      for (guint q = 0; q < n; q++)
        {
          const double *row = attn_graph_scene_get_edge_row (self, l, q, buffer);

          through[q] = 0.;
          for (guint k = 0; k < n; k++)
            through[q] += row[k];
        }
      attn_graph_scene_set_node_values (self, l, through);
    }
}

/**
 * attn_graph_scene_new_from_trace:
 * @trace: what to show
 * @example: the example of @trace (its tokens)
 * @options: (nullable): colour range, layers, caption
 *
 * The graph as the application shows it and saves it: the trace's edges
 * (shared, not copied; pending layers stay pending), the selection and its
 * sink, the node fills (the selected node's importance on the inputs, the
 * share of its mass through each node below it), the colour range, the
 * layer range, the title, scale label and caption. Build it on a worker: the
 * colour range and the node fills read every edge.
 *
 * Returns: (transfer full): the scene
 */
AttnGraphScene *
attn_graph_scene_new_from_trace (AttnTrace                   *trace,
                                 AttnExample                 *example,
                                 const AttnGraphSceneOptions *options)
{
  AttnGraphSceneOptions defaults = ATTN_GRAPH_SCENE_OPTIONS_INIT;
  AttnGraphScene *self;
  AttnTraceQuery query;
  guint L, n;
  g_autofree char *title = NULL;
  g_autofree char *label = NULL;
  gboolean exclude;

  g_return_val_if_fail (trace != NULL, NULL);
  g_return_val_if_fail (example != NULL, NULL);
  g_return_val_if_fail (attn_example_get_n_tokens (example) == attn_trace_get_n_tokens (trace), NULL);

  if (options == NULL)
    options = &defaults;
  L = attn_trace_get_n_layers (trace);
  n = attn_trace_get_n_tokens (trace);
  attn_trace_get_query (trace, &query);
  self = attn_graph_scene_new (L, n);
  self->trace = attn_trace_ref (trace);
  self->example = attn_example_ref (example);
  attn_layer_range_resolve (options->first_layer, options->last_layer, L, &self->first_layer,
                            &self->last_layer);

  self->special = g_new0 (gboolean, n);
  for (guint j = 0; j < n; j++)
    self->special[j] = attn_token_is_special (attn_example_get_token (example, j));
  for (guint l = 1; l <= attn_trace_get_n_layers_done (trace); l++)
    if (attn_trace_get_layer_bytes (trace, l) != NULL)
      attn_graph_scene_set_layer_bytes (self, l, attn_trace_get_layer_bytes (trace, l));
    else
      self->trace_layers = l;

  if (query.layer > 0)
    {
      attn_graph_scene_set_selection (self, query.layer, query.position, query.sink);
      self->special[query.position] = TRUE;
      if (query.method != ATTN_METHOD_RAW)
        {
          attn_graph_scene_set_node_values (self, 0, attn_trace_get_node_values (trace));
          set_mass_through (self, query.layer);
          if (query.sink >= 0)
            set_flow_into_inputs (self);
        }
    }
  self->shares = query.layer > 0 && query.method != ATTN_METHOD_RAW;
  /* special tokens (the selected one too) that take most of the mass would
   * leave everything else invisible: they saturate, and the label says so
   * (after a click, and in raw attention; without a click, rollout and flow
   * even out over the layers, and the other tokens would all saturate) */
  exclude = options->exclude_special;
  if (!exclude && (query.layer > 0 || query.method == ATTN_METHOD_RAW) && special_hold_most (self))
    exclude = self->auto_excluded = TRUE;
  self->scale_max = scale_of_edges (self, exclude, self->shares);
  self->color_scale = options->color_scale;
  if (self->color_scale == ATTN_COLOR_SCALE_PER_LAYER)
    set_layer_scales (self, exclude, !self->shares && query.method != ATTN_METHOD_RAW);
  else if (self->shares)
    set_global_node_scale (self, exclude);

  self->weights = options->weights;
  title = _attn_scene_title (trace, example, options->weights, self->first_layer, self->last_layer);
  label = _attn_scene_scale_label (trace, options->weights, self->color_scale, exclude,
                                   attn_graph_scene_has_hollow_nodes (self));
  attn_graph_scene_set_texts (self, title, label, options->caption);
  self->title_room = _attn_scene_title_room (options->weights, example, self->first_layer, self->last_layer);
  self->scale_room = _attn_scene_scale_room (attn_trace_get_method (trace), options->weights,
                                             self->color_scale);
  self->caption_room = g_strdupv ((char **) options->caption_room);
  return self;
}
