/* attn-graph-renderer.c: vector (cairo) and fast raster drawing of the graph figure
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

#include "attn-graph-renderer.h"
#include "attn-render-private.h"

/* The screen's level of detail draws a row of nodes closer than this many
 * device pixels as a strip */
#define NODE_LOD_SPACING 4.

/**
 * attn_graph_render_edge_alpha:
 * @t: normalised edge value in [0, 1]
 *
 * Returns: the opacity an edge of value @t is drawn with: 0.9·t^1.3, so that
 *   the strong edges stand out when every one of n² edges per layer is drawn
 */
double
attn_graph_render_edge_alpha (double t)
{
  if (!(t > 0.))
    return 0.;
  if (t > 1.)
    t = 1.;

  return 0.9 * pow (t, 1.3);
}

double
_attn_graph_line_width (const AttnGraphLayout *layout)
{
  AttnRect plot;

  attn_graph_layout_get_plot_area (layout, &plot);

  return CLAMP (plot.width / attn_graph_layout_get_n_tokens (layout) * 0.06, 1.0, 2.0);
}

/* The distance between neighbouring nodes in device pixels */
static double
node_spacing (const AttnGraphLayout *layout,
              cairo_t               *cr)
{
  double x0, x1, y, dx, dy = 0.;
  guint top = attn_graph_layout_get_last_layer (layout);

  if (attn_graph_layout_get_n_tokens (layout) < 2)
    return G_MAXDOUBLE;
  attn_graph_layout_get_node (layout, top, 0, &x0, &y);
  attn_graph_layout_get_node (layout, top, 1, &x1, &y);
  dx = x1 - x0;
  cairo_user_to_device_distance (cr, &dx, &dy);
  return fabs (dx);
}

/* Pending layers: a faint band with "computing…" rather than no edges. */
static void
draw_pending (const AttnGraphPaint *paint,
              cairo_t              *cr)
{
  const AttnGraphLayout *layout = paint->layout;
  AttnRect plot;

  attn_graph_layout_get_plot_area (layout, &plot);
  cairo_save (cr);
  for (guint l = paint->first; l <= paint->last; l++)
    {
      double x, y_top, y_bottom;

      if (attn_graph_scene_has_layer (paint->scene, l))
        continue;
      attn_graph_layout_get_node (layout, l, 0, &x, &y_top);
      attn_graph_layout_get_node (layout, l - 1, 0, &x, &y_bottom);
      cairo_rectangle (cr, plot.x, y_top, plot.width, y_bottom - y_top);
      cairo_set_source_rgba (cr, paint->style->muted.red, paint->style->muted.green,
                             paint->style->muted.blue, 0.12);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

typedef struct
{
  float    t;
  guint    q;
  guint    k;
  gboolean saturated;
} Edge;

/* Saturated edges first, then the weak ones, so that the strong edges in
 * the range are on top */
static int
compare_edges (const void *a,
               const void *b)
{
  const Edge *ea = a, *eb = b;

  if (ea->saturated != eb->saturated)
    return ea->saturated ? -1 : 1;
  if (ea->t != eb->t)
    return ea->t < eb->t ? -1 : 1;
  if (ea->q != eb->q)
    return ea->q < eb->q ? -1 : 1;

  return ea->k < eb->k ? -1 : ea->k > eb->k;
}

static void
draw_edges_vector (const AttnGraphPaint *paint,
                   cairo_t              *cr)
{
  const AttnGraphLayout *layout = paint->layout;
  const AttnFigureStyle *style = paint->style;
  guint n = paint->n;
  double lw = _attn_graph_line_width (layout);
  g_autofree float *visible = g_new (float, (gsize) n * n);
  g_autofree guint8 *saturated = g_new (guint8, (gsize) n * n);
  g_autofree Edge *edges = g_new (Edge, (gsize) n * n);

  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  for (guint l = paint->first; l <= paint->last; l++)
    {
      gsize n_edges = 0;

      if (!attn_graph_scene_has_layer (paint->scene, l))
        continue;
      _attn_graph_visible_edges (paint->scene, style, l, paint->scale_max, visible, saturated);
      for (gsize i = 0; i < (gsize) n * n; i++)
        if (visible[i] > 0.f)
          edges[n_edges++] = (Edge) { visible[i], i / n, i % n, saturated[i] };
      qsort (edges, n_edges, sizeof (Edge), compare_edges);
      for (gsize i = 0; i < n_edges; i++)
        {
          double x0, y0, x1, y1;

          attn_graph_layout_get_node (layout, l, edges[i].q, &x0, &y0);
          attn_graph_layout_get_node (layout, l - 1, edges[i].k, &x1, &y1);
          cairo_move_to (cr, x0, y0);
          cairo_line_to (cr, x1, y1);
          cairo_set_line_width (cr, edges[i].saturated ? lw * ATTN_SATURATED_WIDTH : lw);
          _attn_set_source_map (cr, style->colormap, _attn_graph_map_position (style, edges[i].t),
                                _attn_graph_stroke_alpha (paint->scene, edges[i].t, edges[i].saturated));
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}

/* The outline of a node (or of a strip of nodes) on the path: solid in the
 * foreground colour round a node with a value, dashed in the muted colour
 * round one without (hollow): a node of value 0 takes the map's low end,
 * which on white is white in ink (and the diverging map's middle), and was
 * drawn exactly as a node with no value. The legend names the dashed rings
 * (attn-graph-scene-text.c) */
static void
stroke_node_outline (const AttnFigureStyle *style,
                     gboolean               hollow,
                     double                 r,
                     cairo_t               *cr)
{
  /* six dashes round a ring */
  double dash = MAX (G_PI * r / 6., 1.);

  if (!hollow)
    {
      _attn_set_source_rgba (cr, &style->foreground);
      cairo_stroke (cr);
      return;
    }
  _attn_set_source_rgba (cr, &style->muted);
  cairo_set_dash (cr, &dash, 1, 0.);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0.);
}

/* A row of nodes too close to tell apart, with the level of detail: a strip
 * of the nodes' height, filled with each node's colour (its share of the
 * strip) or the background, and outlined once (dashed without values where
 * other rows have them, @dashed) */
static void
draw_dense_row (const AttnGraphLayout *layout,
                const AttnFigureStyle *style,
                guint                  layer,
                const double          *values,
                gboolean               dashed,
                double                 node_max,
                cairo_t               *cr)
{
  guint n = attn_graph_layout_get_n_tokens (layout);
  double r = attn_graph_layout_get_node_radius (layout);
  double x0, x1, y, dx;

  attn_graph_layout_get_node (layout, layer, 0, &x0, &y);
  attn_graph_layout_get_node (layout, layer, n - 1, &x1, &y);
  dx = (x1 - x0) / MAX (n - 1, 1);
  cairo_rectangle (cr, x0 - r, y - r, x1 - x0 + 2 * r, 2 * r);
  _attn_set_source_rgba (cr, &style->background);
  cairo_fill (cr);
  for (guint p = 0; values != NULL && p < n; p++)
    {
      cairo_rectangle (cr, x0 + (p - 0.5) * dx, y - r, dx, 2 * r);
      _attn_set_source_map (cr, style->colormap,
                            _attn_graph_map_position (style, CLAMP (values[p] / node_max, 0., 1.)), 1.);
      cairo_fill (cr);
    }
  cairo_rectangle (cr, x0 - r, y - r, x1 - x0 + 2 * r, 2 * r);
  stroke_node_outline (style, values == NULL && dashed, r, cr);
}

/* With @lod, rows of nodes closer than NODE_LOD_SPACING device pixels are
 * drawn as strips (the screen's level of detail) */
static void
draw_nodes (const AttnGraphPaint *paint,
            cairo_t              *cr)
{
  const AttnGraphLayout *layout = paint->layout;
  const AttnFigureStyle *style = paint->style;
  guint n = paint->n, first = paint->first, last = paint->last;
  double r = attn_graph_layout_get_node_radius (layout);
  guint sel_layer, sel_position;
  /* a node without a value is dashed beside nodes with one */
  gboolean dashed = attn_graph_scene_has_hollow_nodes (paint->scene);
  int sink;

  cairo_save (cr);
  cairo_set_line_width (cr, MIN (1.0, r * 0.4));
  for (guint l = first - 1; l <= last; l++)
    {
      const double *values = attn_graph_scene_get_node_values (paint->scene, l);
      double node_max = _attn_graph_layer_scale (paint->scene, l, TRUE, paint->scale_max);

      if (paint->lod && node_spacing (layout, cr) < NODE_LOD_SPACING)
        {
          draw_dense_row (layout, style, l, values, dashed, node_max, cr);
          continue;
        }
      for (guint p = 0; p < n; p++)
        {
          double x, y;

          attn_graph_layout_get_node (layout, l, p, &x, &y);
          cairo_new_sub_path (cr);
          cairo_arc (cr, x, y, r, 0, 2 * G_PI);
          if (values != NULL)
            _attn_set_source_map (cr, style->colormap,
                                  _attn_graph_map_position (style, CLAMP (values[p] / node_max, 0., 1.)),
                                  1.);
          else
            _attn_set_source_rgba (cr, &style->background);
          cairo_fill_preserve (cr);
          stroke_node_outline (style, values == NULL && dashed, r, cr);
        }
    }

  /* the candidate antecedents of a pronoun: a dashed ring round their nodes
   * on the bottom row, the inputs or, with a range of layers, the layer under
   * it (the caption says what the rings are: they were missing there) */
    {
      AttnExample *example = attn_graph_scene_get_example (paint->scene);
      guint k = example ? attn_example_get_n_antecedents (example) : 0;
      const double dash[] = { 3., 2. };

      cairo_set_line_width (cr, 2.);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0.);
      _attn_set_source_rgba (cr, &style->highlight);
      for (guint a = 0; a < k; a++)
        {
          double x, y;

          attn_graph_layout_get_node (layout, first - 1, attn_example_get_antecedents (example)[a], &x, &y);
          cairo_new_sub_path (cr);
          cairo_arc (cr, x, y, r + 3., 0, 2 * G_PI);
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0.);
    }

  if (attn_graph_scene_get_selection (paint->scene, &sel_layer, &sel_position, &sink))
    {
      double x, y;

      cairo_set_line_width (cr, 2.);
      _attn_set_source_rgba (cr, &style->accent);
      if (sel_layer + 1 >= first && sel_layer <= last)
        {
          attn_graph_layout_get_node (layout, sel_layer, sel_position, &x, &y);
          cairo_new_sub_path (cr);
          cairo_arc (cr, x, y, r + 3., 0, 2 * G_PI);
          cairo_stroke (cr);
        }
      if (sink >= 0 && first == 1)
        {
          attn_graph_layout_get_node (layout, 0, (guint) sink, &x, &y);
          cairo_new_sub_path (cr);
          cairo_rectangle (cr, x - r - 3., y - r - 3., 2 * r + 6., 2 * r + 6.);
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}

/* The colour bar at @bar with its ticks: per layer, it reads as a fraction
 * of each layer's maximum; on one range, the edges' on its right, and after
 * a click the nodes' own on its left (the same colours, each to its largest
 * value) */
static void
draw_colorbar (const AttnGraphPaint *paint,
               const AttnRect       *bar,
               cairo_t              *cr)
{
  const AttnFigureStyle *style = paint->style;
  gboolean per_layer = attn_graph_scene_get_color_scale (paint->scene) == ATTN_COLOR_SCALE_PER_LAYER;

  _attn_draw_colorbar (cr, style, style->colormap, bar, 0., per_layer ? 1. : paint->scale_max,
                       _attn_graph_map_position (style, 0.), _attn_graph_map_position (style, 1.), 0.);
  if (!per_layer && attn_graph_scene_get_node_scale (paint->scene, 0) > 0. &&
      attn_graph_layout_has_node_ticks (paint->layout))
    _attn_draw_colorbar_left_ticks (cr, style, bar, 0.,
                                    _attn_graph_layer_scale (paint->scene, 0, TRUE, paint->scale_max));
}

static void
draw_labels (const AttnGraphPaint *paint,
             cairo_t              *cr)
{
  const AttnFigureStyle *style = paint->style;
  guint sel_layer = 0, sel_position = 0;
  int sink = -1;
  gboolean selected = attn_graph_scene_get_selection (paint->scene, &sel_layer, &sel_position, &sink);
  AttnExample *example = attn_graph_scene_get_example (paint->scene);
  AttnRect bar;

  for (guint i = 0; i < attn_graph_layout_get_n_labels (paint->layout); i++)
    {
      const AttnLabel *label = attn_graph_layout_get_label (paint->layout, i);
      const AttnRgba *color = &style->foreground;

      /* the selected node's token and layer, and the sink's token, in the
       * colour of their rings; the candidate antecedents' tokens */
      if (label->kind == ATTN_LABEL_CAPTION)
        color = &style->muted;
      else if (selected
               && ((label->kind == ATTN_LABEL_TOKEN_TOP && sel_layer == paint->last
                    && label->index == sel_position)
                   || (label->kind == ATTN_LABEL_TOKEN_BOTTOM && (int) label->index == sink)
                   || (label->kind == ATTN_LABEL_LAYER && label->index == sel_layer)))
        color = &style->accent;
      else if (label->kind == ATTN_LABEL_TOKEN_BOTTOM && example != NULL &&
               attn_example_is_antecedent (example, label->index))
        color = &style->highlight;
      _attn_label_draw (cr, label, style, color);
    }

  attn_graph_layout_get_colorbar (paint->layout, &bar);
  draw_colorbar (paint, &bar, cr);
}

static void
paint_init (AttnGraphPaint        *paint,
            const AttnGraphLayout *layout,
            const AttnGraphScene  *scene,
            const AttnFigureStyle *style,
            gboolean               lod)
{
  paint->layout = layout;
  paint->scene = scene;
  paint->style = style;
  paint->n = attn_graph_layout_get_n_tokens (layout);
  paint->first = attn_graph_layout_get_first_layer (layout);
  paint->last = attn_graph_layout_get_last_layer (layout);
  paint->scale_max = attn_graph_scene_compute_scale_max (scene, style->exclude_special);
  paint->lod = lod;
}

/**
 * attn_graph_render:
 * @layout: geometry
 * @scene: values; must have as many tokens as @layout and at least its
 *   last layer
 * @style: colours and decluttering
 * @cr: any cairo context (SVG, PDF, image), in layout coordinates
 *
 * Draws the whole figure with vector paths: one stroke per visible edge,
 * the saturated edges first, then the others from weak to strong. Slow for
 * large n (see attn_graph_render_image()), but exact and resolution
 * independent: SVG and PDF use it.
 */
void
attn_graph_render (const AttnGraphLayout *layout,
                   const AttnGraphScene  *scene,
                   const AttnFigureStyle *style,
                   cairo_t               *cr)
{
  AttnGraphPaint paint;
  double w, h;

  g_return_if_fail (layout != NULL);
  g_return_if_fail (scene != NULL);
  g_return_if_fail (style != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (attn_graph_scene_get_n_tokens (scene) == attn_graph_layout_get_n_tokens (layout));
  g_return_if_fail (attn_graph_scene_get_n_layers (scene) >= attn_graph_layout_get_last_layer (layout));

  paint_init (&paint, layout, scene, style, FALSE);
  attn_graph_layout_get_size (layout, &w, &h);
  _attn_fill_background (cr, &style->background, w, h);
  draw_pending (&paint, cr);
  draw_edges_vector (&paint, cr);
  draw_nodes (&paint, cr);
  draw_labels (&paint, cr);
}

/**
 * attn_graph_render_colorbar_band:
 * @layout: geometry
 * @scene: values, as for attn_graph_render()
 * @style: colours
 * @bar_height: the height of the bar (at most its own; 0 or less: its own)
 * @cr: a cairo context in layout coordinates
 *
 * Draws the band of attn_graph_layout_get_colorbar_band() on its own, as
 * the figure draws it, with the bar @bar_height high at its own top (its
 * ticks for that height): the background over all of @cr's clip (the
 * caller's, round the band), the bar, its ticks and its labels (the name
 * beside it where it fits). A view zoomed in keeps it in sight with it.
 */
void
attn_graph_render_colorbar_band (const AttnGraphLayout *layout,
                                 const AttnGraphScene  *scene,
                                 const AttnFigureStyle *style,
                                 double                 bar_height,
                                 cairo_t               *cr)
{
  AttnGraphPaint paint;
  AttnRect bar;

  g_return_if_fail (layout != NULL);
  g_return_if_fail (scene != NULL);
  g_return_if_fail (style != NULL);
  g_return_if_fail (cr != NULL);

  paint_init (&paint, layout, scene, style, FALSE);
  attn_graph_layout_get_colorbar (layout, &bar);
  if (bar_height > 0. && bar_height < bar.height)
    bar.height = bar_height;
  cairo_save (cr);
  _attn_set_source_rgba (cr, &style->background);
  cairo_paint (cr);
  cairo_restore (cr);
  draw_colorbar (&paint, &bar, cr);
  for (guint i = 0; i < attn_graph_layout_get_n_labels (layout); i++)
    {
      AttnLabel moved;

      if (_attn_graph_layout_bar_label (layout, attn_graph_layout_get_label (layout, i), bar.height, &moved))
        _attn_label_draw (cr, &moved, style, &style->foreground);
    }
}

static cairo_surface_t *render_image (const AttnGraphLayout *layout,
                                      const AttnGraphScene  *scene,
                                      const AttnFigureStyle *style,
                                      double                 scale,
                                      gboolean               lod,
                                      GCancellable          *cancellable);

/**
 * attn_graph_render_image:
 * @layout: geometry
 * @scene: values
 * @style: colours and decluttering
 * @scale: device pixels per layout pixel (1, 2, 3, or the screen's scale
 *   times the zoom)
 * @cancellable: (nullable): checked between layers
 *
 * The fast path for the screen and PNG: edges are rasterised straight into
 * the image buffer (anti-aliased, O(1) per edge and pixel row), then nodes,
 * labels and the colour bar are drawn with cairo on top. Safe to call from a
 * worker thread.
 *
 * Returns: (transfer full) (nullable): an ARGB32 surface of the layout's size
 *   times @scale, or %NULL when cancelled
 *   (an error surface, see cairo_surface_status(), when that is larger than
 *   cairo's 32767 pixels on a side)
 */
cairo_surface_t *
attn_graph_render_image (const AttnGraphLayout *layout,
                         const AttnGraphScene  *scene,
                         const AttnFigureStyle *style,
                         double                 scale,
                         GCancellable          *cancellable)
{
  return render_image (layout, scene, style, scale, FALSE, cancellable);
}

/* With @lod, the screen's level of detail: edges that fall on the same
 * pixels drawn as one, and no more edges per band than a few per pixel of
 * its width (see prepare_band()) */
static cairo_surface_t *
render_image (const AttnGraphLayout *layout,
              const AttnGraphScene  *scene,
              const AttnFigureStyle *style,
              double                 scale,
              gboolean               lod,
              GCancellable          *cancellable)
{
  AttnGraphPaint paint;
  cairo_surface_t *surface;
  double w, h;
  cairo_t *cr;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (scene != NULL, NULL);
  g_return_val_if_fail (style != NULL, NULL);
  g_return_val_if_fail (scale > 0., NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (attn_graph_scene_get_n_tokens (scene) == attn_graph_layout_get_n_tokens (layout), NULL);
  g_return_val_if_fail (attn_graph_scene_get_n_layers (scene) >= attn_graph_layout_get_last_layer (layout), NULL);

  attn_graph_layout_get_size (layout, &w, &h);
  cr = _attn_image_context_new (w, h, scale, &surface);
  if (cr == NULL)
    return surface;
  paint_init (&paint, layout, scene, style, lod);
  _attn_fill_background (cr, &style->background, w, h);
  draw_pending (&paint, cr);
  cairo_surface_flush (surface);

  _attn_graph_raster_edges (&paint, scale, surface, cancellable);
  cairo_surface_mark_dirty (surface);

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      return NULL;
    }

  draw_nodes (&paint, cr);
  draw_labels (&paint, cr);
  cairo_destroy (cr);

  return surface;
}

/* The screen's image of a scene, made on a worker thread */

typedef struct
{
  AttnGraphScene  *scene;
  AttnFigureStyle  style;
  char            *font_family;
  double           width;
  double           height;
  double           scale;
  AttnGraphLayout *layout;
} ImageJob;

static void
image_job_free (gpointer data)
{
  ImageJob *job = data;

  attn_graph_scene_unref (job->scene);
  g_free (job->font_family);
  g_clear_pointer (&job->layout, attn_graph_layout_unref);
  g_free (job);
}

static void
image_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ImageJob *job = task_data;
  cairo_surface_t *image;

  job->layout = attn_graph_layout_new_for_scene (job->scene, &job->style, TRUE, job->width,
                                                 job->height);
  if (g_task_return_error_if_cancelled (task))
    return;
  image = render_image (job->layout, job->scene, &job->style, job->scale, TRUE, cancellable);
  if (g_task_return_error_if_cancelled (task))
    {
      g_clear_pointer (&image, cairo_surface_destroy);
      return;
    }
  if (image == NULL || cairo_surface_status (image) != CAIRO_STATUS_SUCCESS)
    {
      g_clear_pointer (&image, cairo_surface_destroy);
      g_task_return_new_error (task, ATTN_ERROR, ATTN_ERROR_ARGUMENT, "%s",
                               _("The graph could not be drawn"));
      return;
    }
  g_task_return_pointer (task, image, (GDestroyNotify) cairo_surface_destroy);
}

/**
 * attn_graph_render_image_async:
 * @scene: what to draw (a reference is kept)
 * @style: colours, fonts, decluttering (copied)
 * @width: the layout's width, in logical pixels
 * @height: the layout's height
 * @scale: device pixels per logical pixel of the image
 *
 * Lays @scene out at @width x @height with its caption
 * (attn_graph_layout_new_for_scene()) and draws it as
 * attn_graph_render_image() does, with the screen's level of detail (at
 * more than one node per device pixel, the edges that fall on the same
 * pixels drawn as one, and at most 16 edges per pixel of a band's width),
 * both on a worker thread: the screen's path from
 * a scene to its image, the image of attn_figure_new_from_scene_at_size().
 */
void
attn_graph_render_image_async (AttnGraphScene        *scene,
                               const AttnFigureStyle *style,
                               double                 width,
                               double                 height,
                               double                 scale,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  ImageJob *job;

  g_return_if_fail (scene != NULL);
  g_return_if_fail (style != NULL);
  g_return_if_fail (width > 0. && height > 0. && scale > 0.);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (ImageJob, 1);
  job->scene = attn_graph_scene_ref (scene);
  job->style = *style;
  job->style.font_family = job->font_family = g_strdup (style->font_family);
  job->width = width;
  job->height = height;
  job->scale = scale;
  attn_task_run_in_thread (attn_graph_render_image_async, job, image_job_free, image_worker,
                           cancellable, callback, user_data);
}

/**
 * attn_graph_render_image_finish:
 * @layout: (out) (optional) (transfer full): the layout the image was drawn
 *   with (for hit-testing what is on screen)
 *
 * Returns: (transfer full) (nullable): the image, or %NULL with @error set
 *   (cancelled, or too large to draw)
 */
cairo_surface_t *
attn_graph_render_image_finish (GAsyncResult     *result,
                                AttnGraphLayout **layout,
                                GError          **error)
{
  cairo_surface_t *image = attn_task_propagate_pointer (result, attn_graph_render_image_async, error);

  if (layout != NULL)
    {
      ImageJob *job = g_task_get_task_data (G_TASK (result));

      *layout = image != NULL ? g_steal_pointer (&job->layout) : NULL;
    }
  return image;
}
