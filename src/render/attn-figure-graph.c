/* attn-figure-graph.c: the graph figures (Figure 1): one panel per method
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "attn-figure-private.h"
#include "attn-graph-renderer.h"

/* The scene of @method on @graph: the selection (@layer, @position) and
 * its @sink, or none when @position < 0; without @graph, its layout alone
 * (_attn_figure_build_full()): the trace pending, no layer computed */
static AttnGraphScene *
scene_for_method (AttnGraph                    *graph,
                  AttnExample                  *example,
                  AttnMethod                    method,
                  guint                         layer,
                  int                           position,
                  int                           sink,
                  const AttnGraphSceneOptions  *options,
                  GCancellable                 *cancellable,
                  GError                      **error)
{
  AttnTraceQuery query = { method, position < 0 ? 0 : layer, position < 0 ? 0 : (guint) position,
                           sink, position < 0 ? attn_example_get_focus (example) : (guint) position };
  g_autoptr(AttnTrace) trace = NULL;
  AttnGraphScene *scene;

  if (graph == NULL)
    {
      trace = attn_trace_new_pending (method, query.heat_position, attn_example_get_n_layers (example),
                                      attn_example_get_n_tokens (example));
      scene = attn_graph_scene_new_from_trace (trace, example, options);
      /* (a sink out of range is the compute's to say) */
      if (position >= 0)
        attn_graph_scene_set_selection (scene, layer, position,
                                        sink < (int) attn_example_get_n_tokens (example) ? sink : -1);
      return scene;
    }
  trace = attn_trace_compute (graph, &query, NULL, NULL, cancellable, error);
  if (trace == NULL)
    return NULL;
  return attn_graph_scene_new_from_trace (trace, example, options);
}

/**
 * attn_graph_scene_new_for_method:
 * @graph: the attention graph of an example
 * @method: raw, rollout or flow
 * @layer: the clicked node's layer 1..L (0 = L); ignored without a click
 * @position: the clicked node's position, or -1 for none (the paper's
 *   convention: each edge (l, q) -> (l-1, k) carries the importance of input
 *   k for node (l, q))
 * @sink: with a click: one input token whose paths are shown, or -1
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Computes the trace of @method (attn_trace_compute()) and its scene
 * (attn_graph_scene_new_from_trace(), default options): what the
 * application shows for it.
 *
 * Returns: (transfer full) (nullable): the scene, or %NULL with @error set
 */
AttnGraphScene *
attn_graph_scene_new_for_method (AttnGraph     *graph,
                                 AttnMethod     method,
                                 int            layer,
                                 int            position,
                                 int            sink,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  guint L;

  g_return_val_if_fail (graph != NULL, NULL);
  g_return_val_if_fail (attn_graph_get_example (graph) != NULL, NULL);
  g_return_val_if_fail (method < ATTN_N_METHODS, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  L = attn_graph_get_n_layers (graph);
  return scene_for_method (graph, attn_graph_get_example (graph), method,
                           layer <= 0 || (guint) layer > L ? L : (guint) layer, position, sink, NULL, cancellable,
                           error);
}

/* Lists the labels of @panel's layout among the figure's, where the panel
 * stands in it; the panel draws them (they come before n_panel_labels) */
static void
list_panel_labels (AttnFigure       *fig,
                   const GraphPanel *panel)
{
  for (guint i = 0; i < attn_graph_layout_get_n_labels (panel->layout); i++)
    {
      const AttnLabel *src = attn_graph_layout_get_label (panel->layout, i);
      AttnLabel copy = *src;

      copy.text = g_strdup (src->text);
      copy.box.x += panel->x;
      copy.box.y += panel->y;
      copy.x += panel->x;
      copy.y += panel->y;
      g_array_append_val (fig->labels, copy);
    }
}

AttnFigure *
_attn_figure_build_graph (const AttnFigureInput     *input,
                          const AttnFigureSettings  *settings,
                          const AttnFigureStyle     *style,
                          gboolean                   dry,
                          GCancellable              *cancellable,
                          GError                   **error)
{
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(AttnGraph) graph = NULL;
  g_autoptr(AttnPangoContext) context = NULL;
  AttnExample *ex = input->example;
  guint L = attn_example_get_n_layers (ex), n = attn_example_get_n_tokens (ex);
  guint first, last, layer;
  int position;
  double x, y, width = 0., height = 0.;
  g_autofree char *caption = NULL;
  g_auto(GStrv) room = NULL;
  g_autofree char *name = _attn_caption_text (attn_example_get_label (ex));
  AttnMethod methods[ATTN_N_METHODS];
  guint n_methods = 0;
  Builder b = { 0 };
  AttnGraphSceneOptions options = ATTN_GRAPH_SCENE_OPTIONS_INIT;

  if (settings->all_methods)
    for (guint m = 0; m < ATTN_N_METHODS; m++)
      methods[n_methods++] = m;
  else
    methods[n_methods++] = settings->method;

  _attn_figure_resolve_layers (settings, L, &first, &last);
  options.exclude_special = style->exclude_special;
  options.weights = settings->weights;
  options.color_scale = style->color_scale;
  options.first_layer = first;
  options.last_layer = last;
  position = settings->position == ATTN_POSITION_NONE ? -1 : (int) _attn_figure_resolve_position (settings, ex);
  layer = settings->layer > 0 ? MIN (settings->layer, L) : last;
  if (position >= (int) n)
    {
      g_autofree char *named = attn_example_dup_message_name (ex);

      /* translators: the example (“cat-mat”, or 3 (no id)), a position, the last one */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Example %s: position %u does not exist: the input has positions 0 to %u"), named,
                   (guint) position, n - 1);
      return NULL;
    }
  layer = layer < first ? last : layer;
  graph = dry ? NULL : input->graph ? attn_graph_ref (input->graph)
                                     : _attn_figure_graph_for (ex, settings, settings->weights, cancellable, error);
  if (graph == NULL && !dry)
    return NULL;
  caption = attn_figure_describe_settings (settings, ex);
  options.caption = caption;
  /* the room the window's scenes keep: laid out at a size, as on screen */
  room = _attn_caption_room (settings, ex);
  options.caption_room = (const char * const *) room;

  /* one method: the figure of its scene, as the application saves it from
   * the screen (the same title, layout and caption) */
  if (n_methods == 1)
    {
      g_autoptr(AttnGraphScene) scene =
        scene_for_method (graph, ex, methods[0], layer, position,
                          methods[0] == ATTN_METHOD_FLOW ? settings->sink : -1, &options, cancellable, error);

      return scene != NULL ? attn_figure_new_from_scene (scene, style) : NULL;
    }

  /* the methods side by side: panels laid out under one title */
  context = _attn_text_context_new ();
  fig = _attn_figure_new (ATTN_FIGURE_GRAPH, style);
  b.figure = fig;
  b.context = context;
  b.style = &fig->style;
  b.fs = fig->style.font_size;
  /* translators: the title of the graph figure of the three methods side by side */
  fig->title = g_strdup_printf (_("Raw attention, rollout and flow: %s"), name);

  y = PAD;
  y += _attn_figure_add_title (&b, fig->title, 0., PAD, y)->box.height + 4.;

  x = 0.;
  for (guint m = 0; m < n_methods; m++)
    {
      g_autoptr(AttnGraphScene) scene = NULL;
      GraphPanel panel = { 0 };
      g_autofree char *panel_title = NULL;
      double w, h;

      scene = scene_for_method (graph, ex, methods[m], layer, position,
                                methods[m] == ATTN_METHOD_FLOW ? settings->sink : -1, &options,
                                cancellable, error);
      if (scene == NULL)
        return NULL;
      panel_title = g_strdup_printf ("(%c) %s", 'a' + m, attn_method_get_label (methods[m]));
      if (fig->caption == NULL)
        fig->caption = _attn_graph_caption (scene, &fig->style);
      attn_graph_scene_set_texts (scene, panel_title, attn_graph_scene_get_scale_label (scene), NULL);
      panel.layout = attn_graph_layout_new_for_scene (scene, &fig->style, FALSE, 0, 0);
      panel.scene = g_steal_pointer (&scene);
      panel.x = x;
      panel.y = y;
      attn_graph_layout_get_size (panel.layout, &w, &h);
      g_array_append_val (fig->graphs, panel);
      x += w;
      width = x;
      height = MAX (height, h);

      list_panel_labels (fig, &panel);
    }
  /* Panel labels are drawn by the graph renderer; the figure draws from here. */
  fig->n_panel_labels = fig->labels->len;

  _attn_figure_finish (&b, width, y + height - PAD, fig->caption);
  _attn_figure_set_source (fig, input, 1);

  return g_steal_pointer (&fig);
}

/**
 * attn_figure_new_from_scene:
 * @scene: what the screen shows (attn_graph_scene_new_from_trace())
 * @style: colours (copied)
 *
 * The graph figure of @scene at its natural size, with its title and its
 * caption: the figure that saves what the screen shows.
 *
 * Returns: (transfer full): the figure
 */
AttnFigure *
attn_figure_new_from_scene (AttnGraphScene        *scene,
                            const AttnFigureStyle *style)
{
  return attn_figure_new_from_scene_at_size (scene, style, 0., 0.);
}

/* attn_figure_new_at_size() of a figure of one scene: the scene laid out
 * again at that size, as the graph view lays it out at its own */
static AttnFigure *
scene_at_size (const AttnFigure *self,
               double            width,
               double            height)
{
  const GraphPanel *panel = &g_array_index (self->graphs, GraphPanel, 0);

  return attn_figure_new_from_scene_at_size (panel->scene, &self->style, width, height);
}

/**
 * attn_figure_new_from_scene_at_size:
 * @scene: what the screen shows (attn_graph_scene_new_from_trace())
 * @style: colours (copied)
 * @width: the width to lay it out at, or 0 for its natural width
 * @height: the height, or 0 for its natural height
 *
 * The graph figure of @scene laid out at a given size, as the graph view
 * lays it out at its own: at the view's size and in its style, the image of
 * this figure is what the view shows.
 *
 * Returns: (transfer full): the figure
 */
AttnFigure *
attn_figure_new_from_scene_at_size (AttnGraphScene        *scene,
                                    const AttnFigureStyle *style,
                                    double                 width,
                                    double                 height)
{
  AttnFigure *fig;
  GraphPanel panel = { 0 };

  g_return_val_if_fail (scene != NULL, NULL);
  g_return_val_if_fail (style != NULL, NULL);
  g_return_val_if_fail (width >= 0. && height >= 0., NULL);

  fig = _attn_figure_new (ATTN_FIGURE_GRAPH, style);
  panel.layout = attn_graph_layout_new_for_scene (scene, &fig->style, TRUE, width, height);
  panel.scene = attn_graph_scene_ref (scene);
  g_array_append_val (fig->graphs, panel);
  attn_graph_layout_get_size (panel.layout, &fig->width, &fig->height);
  fig->title = g_strdup (attn_graph_scene_get_title (scene));
  fig->caption = _attn_graph_caption (scene, style);
  if (attn_graph_scene_get_example (scene) != NULL)
    _attn_figure_set_source (fig, &(AttnFigureInput) { .example = attn_graph_scene_get_example (scene) }, 1);
  list_panel_labels (fig, &panel);
  fig->n_panel_labels = fig->labels->len;
  fig->custom_at_size = scene_at_size;

  return fig;
}
