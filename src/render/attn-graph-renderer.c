/* attn-graph-renderer.c: vector (cairo) and fast raster drawing of the graph figure
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "attn-graph-renderer.h"
#include "attn-render-private.h"

#define LUT_SIZE 1024
#define MAX_ALPHA 0.995

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

static double
line_width (const AttnGraphLayout *layout)
{
  AttnRect plot;

  attn_graph_layout_get_plot_area (layout, &plot);

  return CLAMP (plot.width / attn_graph_layout_get_n_tokens (layout) * 0.06, 1.0, 2.0);
}

static void
draw_background (const AttnGraphLayout *layout,
                 const AttnFigureStyle *style,
                 cairo_t               *cr)
{
  double w, h;

  attn_graph_layout_get_size (layout, &w, &h);
  cairo_save (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_rectangle (cr, 0, 0, w, h);
  _attn_set_source_rgba (cr, &style->background);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* Pending layers: a faint band with "computing…" rather than no edges. */
static void
draw_pending (const AttnGraphLayout *layout,
              const AttnGraphScene  *scene,
              const AttnFigureStyle *style,
              cairo_t               *cr)
{
  guint first = attn_graph_layout_get_first_layer (layout);
  guint last = attn_graph_layout_get_last_layer (layout);
  AttnRect plot;

  attn_graph_layout_get_plot_area (layout, &plot);
  cairo_save (cr);
  for (guint l = first; l <= last; l++)
    {
      double x, y_top, y_bottom;

      if (attn_graph_scene_has_layer (scene, l))
        continue;
      attn_graph_layout_get_node (layout, l, 0, &x, &y_top);
      attn_graph_layout_get_node (layout, l - 1, 0, &x, &y_bottom);
      cairo_rectangle (cr, plot.x, y_top, plot.width, y_bottom - y_top);
      cairo_set_source_rgba (cr, style->muted.red, style->muted.green, style->muted.blue, 0.12);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

typedef struct
{
  float t;
  guint q;
  guint k;
} Edge;

static int
compare_edges (const void *a,
               const void *b)
{
  const Edge *ea = a, *eb = b;

  if (ea->t != eb->t)
    return ea->t < eb->t ? -1 : 1;
  if (ea->q != eb->q)
    return ea->q < eb->q ? -1 : 1;

  return ea->k < eb->k ? -1 : ea->k > eb->k;
}

static void
draw_edges_vector (const AttnGraphLayout *layout,
                   const AttnGraphScene  *scene,
                   const AttnFigureStyle *style,
                   double                 scale_max,
                   cairo_t               *cr)
{
  guint n = attn_graph_layout_get_n_tokens (layout);
  guint first = attn_graph_layout_get_first_layer (layout);
  guint last = attn_graph_layout_get_last_layer (layout);
  g_autofree float *visible = g_new (float, (gsize) n * n);
  g_autofree Edge *edges = g_new (Edge, (gsize) n * n);

  cairo_save (cr);
  cairo_set_line_width (cr, line_width (layout));
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  for (guint l = first; l <= last; l++)
    {
      gsize n_edges = 0;

      if (!attn_graph_scene_has_layer (scene, l))
        continue;
      _attn_graph_visible_edges (scene, style, l, scale_max, visible);
      for (guint q = 0; q < n; q++)
        for (guint k = 0; k < n; k++)
          if (visible[(gsize) q * n + k] > 0.f)
            edges[n_edges++] = (Edge) { visible[(gsize) q * n + k], q, k };
      /* Weak edges first, so the strong ones are on top. */
      qsort (edges, n_edges, sizeof (Edge), compare_edges);
      for (gsize i = 0; i < n_edges; i++)
        {
          double x0, y0, x1, y1;

          attn_graph_layout_get_node (layout, l, edges[i].q, &x0, &y0);
          attn_graph_layout_get_node (layout, l - 1, edges[i].k, &x1, &y1);
          cairo_move_to (cr, x0, y0);
          cairo_line_to (cr, x1, y1);
          _attn_set_source_map (cr, style->colormap, edges[i].t,
                                MIN (MAX_ALPHA, attn_graph_render_edge_alpha (edges[i].t)));
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}

static void
draw_nodes (const AttnGraphLayout *layout,
            const AttnGraphScene  *scene,
            const AttnFigureStyle *style,
            double                 scale_max,
            cairo_t               *cr)
{
  guint n = attn_graph_layout_get_n_tokens (layout);
  guint first = attn_graph_layout_get_first_layer (layout);
  guint last = attn_graph_layout_get_last_layer (layout);
  double r = attn_graph_layout_get_node_radius (layout);
  guint sel_layer, sel_position;
  int sink;

  cairo_save (cr);
  cairo_set_line_width (cr, MIN (1.0, r * 0.4));
  for (guint l = first - 1; l <= last; l++)
    {
      const double *values = attn_graph_scene_get_node_values (scene, l);

      for (guint p = 0; p < n; p++)
        {
          double x, y;

          attn_graph_layout_get_node (layout, l, p, &x, &y);
          cairo_new_sub_path (cr);
          cairo_arc (cr, x, y, r, 0, 2 * G_PI);
          if (values != NULL)
            _attn_set_source_map (cr, style->colormap, CLAMP (values[p] / scale_max, 0., 1.), 1.);
          else
            _attn_set_source_rgba (cr, &style->background);
          cairo_fill_preserve (cr);
          _attn_set_source_rgba (cr, &style->foreground);
          cairo_stroke (cr);
        }
    }

  if (attn_graph_scene_get_selection (scene, &sel_layer, &sel_position, &sink))
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

static void
draw_labels (const AttnGraphLayout *layout,
             const AttnGraphScene  *scene,
             const AttnFigureStyle *style,
             double                 scale_max,
             cairo_t               *cr)
{
  guint sel_layer = 0, sel_position = 0;
  gboolean selected = attn_graph_scene_get_selection (scene, &sel_layer, &sel_position, NULL);
  guint last = attn_graph_layout_get_last_layer (layout);
  AttnRect bar;

  for (guint i = 0; i < attn_graph_layout_get_n_labels (layout); i++)
    {
      const AttnLabel *label = attn_graph_layout_get_label (layout, i);
      const AttnRgba *color = &style->foreground;

      if (label->kind == ATTN_LABEL_CAPTION)
        color = &style->muted;
      else if (selected
               && ((label->kind == ATTN_LABEL_TOKEN_TOP && sel_layer == last
                    && label->index == sel_position)
                   || (label->kind == ATTN_LABEL_LAYER && label->index == sel_layer)))
        color = &style->accent;
      _attn_label_draw (cr, label, style, color);
    }

  attn_graph_layout_get_colorbar (layout, &bar);
  _attn_draw_colorbar (cr, NULL, style, style->colormap, &bar, 0., scale_max);
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
 * weak edges first. Slow for large n (see attn_graph_render_image()), but
 * exact and resolution independent: SVG and PDF use it.
 */
void
attn_graph_render (const AttnGraphLayout *layout,
                   const AttnGraphScene  *scene,
                   const AttnFigureStyle *style,
                   cairo_t               *cr)
{
  double scale_max;

  g_return_if_fail (layout != NULL);
  g_return_if_fail (scene != NULL);
  g_return_if_fail (style != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (attn_graph_scene_get_n_tokens (scene) == attn_graph_layout_get_n_tokens (layout));
  g_return_if_fail (attn_graph_scene_get_n_layers (scene) >= attn_graph_layout_get_last_layer (layout));

  scale_max = attn_graph_scene_compute_scale_max (scene, style->exclude_special);
  draw_background (layout, style, cr);
  draw_pending (layout, scene, style, cr);
  draw_edges_vector (layout, scene, style, scale_max, cr);
  draw_nodes (layout, scene, style, scale_max, cr);
  draw_labels (layout, scene, style, scale_max, cr);
}

/* The raster path.
 *
 * Every edge is a straight band of width W between two node rows. Within one
 * pixel row it covers a trapezoid in x (a box of the band's horizontal width
 * swept by its slope), which is piecewise linear: four kinks. Each kink adds
 * a ramp, written as two entries of a second-order difference array, so an
 * edge costs O(1) per pixel row whatever its length; two prefix sums turn the
 * row into per-pixel coverage. Edges are composited order-independently as
 * optical density: an edge of opacity a adds -ln(1 - a) per unit coverage,
 * and its colour-map position t weighted by that density; the pixel's opacity
 * is 1 - exp(-D) and its colour the map at the density-weighted mean t. Where
 * edges of one colour cross this is exactly cairo's OVER. */

typedef struct
{
  float  x0;        /* device x at the upper row */
  float  dx;        /* device x at the lower row minus x0 */
  float  half_out;  /* half of the trapezoid's base */
  float  half_in;   /* half of its top */
  float  slope;     /* density per pixel per pixel on the ramps */
  float  t;
} RasterEdge;

static inline void
add_ramp (double *acc,
          int     width,
          double  a,
          double  c,
          double  ct)
{
  /* Ramp of slope c starting at a, sampled at pixel centres j + 0.5:
   * second differences c·δ at j0 and c·(1 - δ) at j0 + 1. */
  double fj = floor (a + 0.5);
  int j0 = (int) fj;
  double delta = fj + 0.5 - a;

  if (j0 < 0)
    {
      /* The ramp started left of the row: fold it into pixel 0. */
      double v0 = c * (0.5 - a);

      acc[0] += v0;
      acc[1] += ct * (0.5 - a);
      acc[2] += c - v0;
      acc[3] += ct - ct * (0.5 - a);
      return;
    }
  if (j0 >= width)
    return;
  acc[2 * j0] += c * delta;
  acc[2 * j0 + 1] += ct * delta;
  acc[2 * j0 + 2] += c * (1. - delta);
  acc[2 * j0 + 3] += ct * (1. - delta);
}

static void
raster_edges (const AttnGraphLayout *layout,
              const AttnGraphScene  *scene,
              const AttnFigureStyle *style,
              double                 scale_max,
              double                 scale,
              cairo_surface_t       *surface,
              GCancellable          *cancellable)
{
  guint n = attn_graph_layout_get_n_tokens (layout);
  guint first = attn_graph_layout_get_first_layer (layout);
  guint last = attn_graph_layout_get_last_layer (layout);
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guchar *data = cairo_image_surface_get_data (surface);
  double lw = line_width (layout) * scale;
  g_autofree float *visible = g_new (float, (gsize) n * n);
  g_autofree RasterEdge *edges = g_new (RasterEdge, (gsize) n * n);
  g_autofree double *acc = g_new0 (double, 2 * ((gsize) width + 3));
  float lut[LUT_SIZE][3];

  for (guint i = 0; i < LUT_SIZE; i++)
    {
      double r, g, b;

      attn_colormap_lookup (style->colormap, (double) i / (LUT_SIZE - 1), &r, &g, &b);
      lut[i][0] = r;
      lut[i][1] = g;
      lut[i][2] = b;
    }

  for (guint l = first; l <= last; l++)
    {
      double x, y_top, y_bottom, band;
      gsize n_edges = 0;
      int row_start, row_end;

      if (!attn_graph_scene_has_layer (scene, l))
        continue;
      if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
        return;

      _attn_graph_visible_edges (scene, style, l, scale_max, visible);
      attn_graph_layout_get_node (layout, l, 0, &x, &y_top);
      attn_graph_layout_get_node (layout, l - 1, 0, &x, &y_bottom);
      y_top *= scale;
      y_bottom *= scale;
      band = y_bottom - y_top;

      for (guint q = 0; q < n; q++)
        for (guint k = 0; k < n; k++)
          {
            float t = visible[(gsize) q * n + k];
            double xq, xk, yy, s, wh, ramp, half_out, half_in, peak, alpha, density;

            if (t <= 0.f)
              continue;
            attn_graph_layout_get_node (layout, l, q, &xq, &yy);
            attn_graph_layout_get_node (layout, l - 1, k, &xk, &yy);
            xq *= scale;
            xk *= scale;
            s = fabs (xk - xq) / band;                 /* x travel per pixel row */
            wh = lw * sqrt (1. + s * s);               /* horizontal width of the band */
            ramp = MAX (1., MIN (wh, s));
            half_out = (MAX (wh, s) + ramp) / 2.;
            half_in = half_out - ramp;
            peak = wh / (2. * half_out - ramp);        /* keeps the area equal to wh */
            alpha = MIN (MAX_ALPHA, attn_graph_render_edge_alpha (t));
            density = -log1p (-alpha);
            edges[n_edges++] = (RasterEdge) {
              (float) xq, (float) (xk - xq), (float) half_out, (float) half_in,
              (float) (peak * density / ramp), t
            };
          }

      row_start = MAX (0, (int) floor (y_top));
      row_end = MIN (height, (int) ceil (y_bottom));
      for (int row = row_start; row < row_end; row++)
        {
          double u = (row + 0.5 - y_top) / band;
          guint32 *pixels = (guint32 *) (data + (gsize) row * stride);
          double d = 0., dt = 0., sd = 0., sdt = 0.;

          if (u < 0. || u > 1.)
            continue;

          for (gsize i = 0; i < n_edges; i++)
            {
              const RasterEdge *e = &edges[i];
              double xc = e->x0 + u * e->dx;
              double c = e->slope, ct = e->slope * e->t;

              add_ramp (acc, width, xc - e->half_out, c, ct);
              add_ramp (acc, width, xc - e->half_in, -c, -ct);
              add_ramp (acc, width, xc + e->half_in, -c, -ct);
              add_ramp (acc, width, xc + e->half_out, c, ct);
            }

          for (int j = 0; j < width; j++)
            {
              sd += acc[2 * j];
              sdt += acc[2 * j + 1];
              d += sd;
              dt += sdt;
              acc[2 * j] = acc[2 * j + 1] = 0.;
              if (d > 1e-6)
                {
                  double a = -expm1 (-d);
                  double tt = CLAMP (dt / d, 0., 1.);
                  const float *rgb = lut[(int) (tt * (LUT_SIZE - 1) + 0.5)];
                  guint32 p = pixels[j];
                  double inv = 1. - a;
                  guint32 pa = p >> 24, pr = (p >> 16) & 0xff, pg = (p >> 8) & 0xff, pb = p & 0xff;

                  pa = (guint32) (a * 255. + pa * inv + 0.5);
                  pr = (guint32) (a * rgb[0] * 255. + pr * inv + 0.5);
                  pg = (guint32) (a * rgb[1] * 255. + pg * inv + 0.5);
                  pb = (guint32) (a * rgb[2] * 255. + pb * inv + 0.5);
                  pixels[j] = (pa << 24) | (pr << 16) | (pg << 8) | pb;
                }
            }
          for (int j = width; j < width + 3; j++)
            acc[2 * j] = acc[2 * j + 1] = 0.;
        }
    }
}

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
 */
cairo_surface_t *
attn_graph_render_image (const AttnGraphLayout *layout,
                         const AttnGraphScene  *scene,
                         const AttnFigureStyle *style,
                         double                 scale,
                         GCancellable          *cancellable)
{
  cairo_surface_t *surface;
  double w, h, scale_max;
  cairo_t *cr;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (scene != NULL, NULL);
  g_return_val_if_fail (style != NULL, NULL);
  g_return_val_if_fail (scale > 0., NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (attn_graph_scene_get_n_tokens (scene) == attn_graph_layout_get_n_tokens (layout), NULL);
  g_return_val_if_fail (attn_graph_scene_get_n_layers (scene) >= attn_graph_layout_get_last_layer (layout), NULL);

  attn_graph_layout_get_size (layout, &w, &h);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (w * scale),
                                        (int) ceil (h * scale));
  scale_max = attn_graph_scene_compute_scale_max (scene, style->exclude_special);

  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  draw_background (layout, style, cr);
  draw_pending (layout, scene, style, cr);
  cairo_surface_flush (surface);

  raster_edges (layout, scene, style, scale_max, scale, surface, cancellable);
  cairo_surface_mark_dirty (surface);

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      return NULL;
    }

  draw_nodes (layout, scene, style, scale_max, cr);
  draw_labels (layout, scene, style, scale_max, cr);
  cairo_destroy (cr);

  return surface;
}
