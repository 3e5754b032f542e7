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
          _attn_set_source_map (cr, style->colormap, _attn_graph_map_position (style, edges[i].t),
                                MIN (MAX_ALPHA, _attn_graph_edge_alpha (scene, edges[i].t)));
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
      double node_max = _attn_graph_layer_scale (scene, l, TRUE, scale_max);

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
          _attn_set_source_rgba (cr, &style->foreground);
          cairo_stroke (cr);
        }
    }

  /* the candidate antecedents of a pronoun: a dashed ring round their inputs */
  if (first == 1)
    {
      AttnExample *example = attn_graph_scene_get_example (scene);
      guint k = example ? attn_example_get_n_antecedents (example) : 0;
      const double dash[] = { 3., 2. };

      cairo_set_line_width (cr, 2.);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0.);
      _attn_set_source_rgba (cr, &style->highlight);
      for (guint a = 0; a < k; a++)
        {
          double x, y;

          attn_graph_layout_get_node (layout, 0, attn_example_get_antecedents (example)[a], &x, &y);
          cairo_new_sub_path (cr);
          cairo_arc (cr, x, y, r + 3., 0, 2 * G_PI);
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0.);
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
      else if (label->kind == ATTN_LABEL_TOKEN_BOTTOM &&
               _attn_is_antecedent (attn_graph_scene_get_example (scene), label->index))
        color = &style->highlight;
      else if (selected
               && ((label->kind == ATTN_LABEL_TOKEN_TOP && sel_layer == last
                    && label->index == sel_position)
                   || (label->kind == ATTN_LABEL_LAYER && label->index == sel_layer)))
        color = &style->accent;
      _attn_label_draw (cr, label, style, color);
    }

  /* per layer, the bar reads as a fraction of each layer's maximum */
  attn_graph_layout_get_colorbar (layout, &bar);
  _attn_draw_colorbar (cr, style, style->colormap, &bar, 0.,
                       attn_graph_scene_get_color_scale (scene) == ATTN_COLOR_SCALE_PER_LAYER
                         ? 1. : scale_max,
                       _attn_graph_map_position (style, 0.));
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
 * swept by its slope), which is piecewise linear: four kinks (three when the
 * top is empty, the usual case for 1 px lines). Each kink adds a ramp,
 * written as two entries of a second-order difference array, so an edge
 * costs O(1) per pixel row whatever its length; two prefix sums turn the row
 * into per-pixel coverage. The sums are in 64-bit fixed point, so the ramps
 * of an edge cancel exactly after it. Edges are composited
 * order-independently as optical density: an edge of opacity a adds
 * -ln(1 - a) per unit coverage, and its colour-map position t weighted by
 * that density; the pixel's opacity is 1 - exp(-D) and its colour the map at
 * the density-weighted mean t. Where edges of one colour cross this is
 * exactly cairo's OVER. Layers are shared out between threads, each writing
 * its own pixel rows. */

#define FIX_SHIFT 24
#define FIX_ONE ((double) (1 << FIX_SHIFT))
#define ALPHA_LUT_SIZE 4096
#define ALPHA_LUT_MAX 16.

typedef struct
{
  float  x0;        /* device x at the upper row */
  float  dx;        /* device x at the lower row minus x0 */
  float  half_out;  /* half of the trapezoid's base */
  float  half_in;   /* half of its top (0: a triangle) */
  gint64 c;         /* slope of the ramps, density per pixel², fixed point */
  gint64 ct;        /* c · t */
  float  wh;        /* horizontal width of the band */
  float  s;         /* x travel per pixel row */
  float  density;   /* -ln(1 - alpha), fixed point */
  float  t;
} RasterEdge;

typedef struct
{
  const AttnGraphLayout *layout;
  const AttnGraphScene  *scene;
  const AttnFigureStyle *style;
  double                 scale_max;
  double                 scale;
  guchar                *data;
  int                    width;
  int                    height;
  int                    stride;
  GCancellable          *cancellable;
  float                  lut[LUT_SIZE][3];
  float                  alpha_lut[ALPHA_LUT_SIZE + 1];
  double                 lw;           /* line width, device pixels */
  struct RasterBand     *bands;
  guint                  n_bands;
  int                    row_first;
  int                    row_last;
  gint                   next_chunk;   /* atomic: the next block of rows to draw */
} Raster;

typedef struct RasterBand
{
  RasterEdge *edges;
  gsize       n_edges;
  double      y_top;
  double      y_bottom;
} RasterBand;

static inline void
add_ramp (gint64 *acc,
          int     width,
          double  a,
          gint64  c,
          gint64  ct)
{
  /* Ramp of slope c starting at a, sampled at pixel centres j + 0.5:
   * second differences c·δ at j0 and c·(1 - δ) at j0 + 1. */
  int j0;
  double delta;
  gint64 v, vt;

  if (a < -0.5)
    {
      /* Started left of the row: its value at pixel 0 and slope onwards. */
      double start = 0.5 - a;

      v = (gint64) (c * start);
      vt = (gint64) (ct * start);
      acc[0] += v;
      acc[1] += vt;
      acc[2] += c - v;
      acc[3] += ct - vt;
      return;
    }
  j0 = (int) (a + 0.5);
  if (j0 >= width)
    return;
  delta = j0 + 0.5 - a;
  v = (gint64) (c * delta);
  vt = (gint64) (ct * delta);
  acc += 2 * j0;
  acc[0] += v;
  acc[1] += vt;
  acc[2] += c - v;
  acc[3] += ct - vt;
}

/* A step of height v from a on (sampled at pixel centres). */
static inline void
add_step (gint64 *acc,
          int     width,
          double  a,
          gint64  v,
          gint64  vt)
{
  int j0 = a < -0.5 ? 0 : (int) (a + 0.5);

  if (j0 >= width)
    return;
  acc += 2 * j0;
  acc[0] += v;
  acc[1] += vt;
  acc[2] -= v;
  acc[3] -= vt;
}

/* An edge in a row near one of its end nodes: the part of the line inside
 * the row (height h) with the band's full width, cut at xl on the left and
 * xr on the right by the line's butt caps, so nothing is drawn past a node. */
static void
add_end_row (gint64           *acc,
             int               width,
             const RasterEdge *e,
             double            xc,
             double            h,
             double            xl,
             double            xr)
{
  double sweep = e->s * h;
  double ramp = MAX (1., MIN (e->wh, sweep));
  double half_out = (MAX (e->wh, sweep) + ramp) / 2.;
  double half_in = half_out - ramp;
  double peak = e->wh * h / (2. * half_out - ramp);
  gint64 c = (gint64) (peak * e->density / ramp), ct = (gint64) (peak * e->density / ramp * e->t);
  double a[4];
  gint64 k[4], kt[4];
  int m = 0;

  a[m] = xc - half_out, k[m] = c, kt[m++] = ct;
  if (half_in >= 0.02)
    {
      a[m] = xc - half_in, k[m] = -c, kt[m++] = -ct;
      a[m] = xc + half_in, k[m] = -c, kt[m++] = -ct;
    }
  else
    a[m] = xc, k[m] = -2 * c, kt[m++] = -2 * ct;
  a[m] = xc + half_out, k[m] = c, kt[m++] = ct;

  gboolean left_cut = xl > a[0], right_cut = xr < a[m - 1];

  if (xl >= xr || xr <= a[0] || xl >= a[m - 1])
    return;

  /* Left cut: the kinks left of xl, as a step and a ramp at xl. */
  if (left_cut)
    {
      double f = 0., ft = 0.;
      gint64 slope = 0, slope_t = 0;

      for (int i = 0; i < m; i++)
        if (a[i] < xl)
          {
            f += k[i] * (xl - a[i]);
            ft += kt[i] * (xl - a[i]);
            slope += k[i];
            slope_t += kt[i];
          }
      add_step (acc, width, xl, (gint64) f, (gint64) ft);
      add_ramp (acc, width, xl, slope, slope_t);
    }
  for (int i = 0; i < m; i++)
    if ((!left_cut || a[i] >= xl) && (!right_cut || a[i] < xr))
      add_ramp (acc, width, a[i], k[i], kt[i]);
  /* Right cut: cancel the value and the slope at xr. */
  if (right_cut)
    {
      double f = 0., ft = 0.;
      gint64 slope = 0, slope_t = 0;

      for (int i = 0; i < m; i++)
        if (a[i] < xr)
          {
            f += k[i] * (xr - a[i]);
            ft += kt[i] * (xr - a[i]);
            slope += k[i];
            slope_t += kt[i];
          }
      add_step (acc, width, xr, -(gint64) f, -(gint64) ft);
      add_ramp (acc, width, xr, -slope, -slope_t);
    }
}

/* The visible edges of one layer, in device coordinates. */
static void
prepare_band (Raster     *r,
              guint       layer,
              float      *visible,
              RasterBand *out)
{
  guint n = attn_graph_layout_get_n_tokens (r->layout);
  double lw = r->lw;
  double x, y_top, y_bottom, band;
  gsize n_edges = 0;
  RasterEdge *edges = out->edges;

  _attn_graph_visible_edges (r->scene, r->style, layer, r->scale_max, visible);
  attn_graph_layout_get_node (r->layout, layer, 0, &x, &y_top);
  attn_graph_layout_get_node (r->layout, layer - 1, 0, &x, &y_bottom);
  y_top *= r->scale;
  y_bottom *= r->scale;
  band = y_bottom - y_top;

  for (guint q = 0; q < n; q++)
    for (guint k = 0; k < n; k++)
      {
        float t = visible[(gsize) q * n + k];
        double xq, xk, yy, s, wh, ramp, half_out, half_in, peak, alpha, density, slope;

        if (t <= 0.f)
          continue;
        attn_graph_layout_get_node (r->layout, layer, q, &xq, &yy);
        attn_graph_layout_get_node (r->layout, layer - 1, k, &xk, &yy);
        xq *= r->scale;
        xk *= r->scale;
        s = fabs (xk - xq) / band;                 /* x travel per pixel row */
        wh = lw * sqrt (1. + s * s);               /* horizontal width of the band */
        ramp = MAX (1., MIN (wh, s));
        half_out = (MAX (wh, s) + ramp) / 2.;
        half_in = half_out - ramp;
        peak = wh / (2. * half_out - ramp);        /* keeps the area equal to wh */
        alpha = MIN (MAX_ALPHA, _attn_graph_edge_alpha (r->scene, t));
        density = -log1p (-alpha);
        slope = peak * density / ramp * FIX_ONE;
        edges[n_edges++] = (RasterEdge) {
          (float) xq, (float) (xk - xq), (float) half_out, half_in < 0.02 ? 0.f : (float) half_in,
          (gint64) slope, (gint64) (slope * t), (float) wh, (float) s, (float) (density * FIX_ONE), t
        };
      }

  out->n_edges = n_edges;
  out->y_top = y_top;
  out->y_bottom = y_bottom;
}

/* The x range an end row of @e covers, cut by its butt caps; FALSE when
 * the row is past the end of a (nearly) vertical edge. */
static inline gboolean
end_row_limits (const RasterBand *band,
                const RasterEdge *e,
                double            y_mid,
                gboolean          near_top,
                gboolean          near_bottom,
                double           *xl,
                double           *xr)
{
  *xl = -G_MAXDOUBLE;
  *xr = G_MAXDOUBLE;
  if (e->s < 0.05)
    {
      /* (nearly) vertical: the caps are horizontal */
      return y_mid >= band->y_top && y_mid <= band->y_bottom;
    }

  /* the butt caps: perpendicular to the line through its ends */
  if (near_top)
    {
      if (e->dx > 0)
        *xl = e->x0 - (y_mid - band->y_top) / e->s - 0.5;
      else
        *xr = e->x0 + (y_mid - band->y_top) / e->s + 0.5;
    }
  if (near_bottom)
    {
      if (e->dx > 0)
        *xr = e->x0 + e->dx + (band->y_bottom - y_mid) / e->s + 0.5;
      else
        *xl = e->x0 + e->dx - (band->y_bottom - y_mid) / e->s - 0.5;
    }
  return TRUE;
}

/* Composites coverage @d (fixed point) of colour position @dt / @d over *@pixel */
static inline void
blend_pixel (const Raster *r,
             guint32      *pixel,
             gint64        d,
             gint64        dt)
{
  double df = d / FIX_ONE, a, inv, f;
  double tt = CLAMP ((double) dt / (double) d, 0., 1.);
  const float *rgb = r->lut[(int) (tt * (LUT_SIZE - 1) + 0.5)];
  guint32 p = *pixel;
  guint32 pa = p >> 24, pr = (p >> 16) & 0xff, pg = (p >> 8) & 0xff, pb = p & 0xff;
  int ai;

  if (df >= ALPHA_LUT_MAX)
    a = 1.;
  else
    {
      f = df * (ALPHA_LUT_SIZE / ALPHA_LUT_MAX);
      ai = (int) f;
      f -= ai;
      a = r->alpha_lut[ai] + f * (r->alpha_lut[ai + 1] - r->alpha_lut[ai]);
    }
  inv = 1. - a;
  pa = (guint32) (a * 255. + pa * inv + 0.5);
  pr = (guint32) (a * rgb[0] * 255. + pr * inv + 0.5);
  pg = (guint32) (a * rgb[1] * 255. + pg * inv + 0.5);
  pb = (guint32) (a * rgb[2] * 255. + pb * inv + 0.5);
  *pixel = (pa << 24) | (pr << 16) | (pg << 8) | pb;
}

static void
raster_row (Raster *r,
            int     row,
            gint64 *acc)
{
  guint32 *pixels = (guint32 *) (r->data + (gsize) row * r->stride);
  gint64 d = 0, dt = 0, sd = 0, sdt = 0;
  int lo = r->width, hi = 0, width = r->width;
  double m = r->lw / 2. + 0.5, end_rows = r->lw / 2. + 1.;

  for (guint b = 0; b < r->n_bands; b++)
    {
      const RasterBand *band = &r->bands[b];
      double ext_top = band->y_top - m, ext_bottom = band->y_bottom + m;
      double v0, v1, h, u, y_mid, height = band->y_bottom - band->y_top;
      gboolean near_top, near_bottom;

      if (band->n_edges == 0 || row + 1. <= ext_top || row >= ext_bottom)
        continue;
      v0 = MAX ((double) row, ext_top);
      v1 = MIN (row + 1., ext_bottom);
      h = v1 - v0;
      y_mid = (v0 + v1) / 2.;
      u = (y_mid - band->y_top) / height;
      near_top = v0 < band->y_top + end_rows;
      near_bottom = v1 > band->y_bottom - end_rows;

      for (gsize i = 0; i < band->n_edges; i++)
        {
          const RasterEdge *e = &band->edges[i];
          double xc = e->x0 + u * e->dx;
          int jl = (int) (xc - e->half_out), jh = (int) (xc + e->half_out) + 2;

          if (near_top || near_bottom)
            {
              double xl, xr;

              if (!end_row_limits (band, e, y_mid, near_top, near_bottom, &xl, &xr))
                continue;
              lo = MIN (lo, jl);
              hi = MAX (hi, jh);
              add_end_row (acc, width, e, xc, h, xl, xr);
              continue;
            }

          lo = MIN (lo, jl);
          hi = MAX (hi, jh);
          add_ramp (acc, width, xc - e->half_out, e->c, e->ct);
          if (e->half_in > 0.f)
            {
              add_ramp (acc, width, xc - e->half_in, -e->c, -e->ct);
              add_ramp (acc, width, xc + e->half_in, -e->c, -e->ct);
            }
          else
            add_ramp (acc, width, xc, -2 * e->c, -2 * e->ct);
          add_ramp (acc, width, xc + e->half_out, e->c, e->ct);
        }
    }

  lo = MAX (0, lo);
  hi = MIN (width + 2, hi);
  if (acc[0] != 0 || acc[1] != 0)
    lo = 0;

  for (int j = lo; j < hi; j++)
    {
      sd += acc[2 * j];
      sdt += acc[2 * j + 1];
      d += sd;
      dt += sdt;
      acc[2 * j] = acc[2 * j + 1] = 0;
      if (j < width && d > 16)
        blend_pixel (r, &pixels[j], d, dt);
    }
  /* Anything right of hi was never written, or is zeroed here. */
  for (int j = hi; j < width + 3; j++)
    {
      if (acc[2 * j] == 0 && acc[2 * j + 1] == 0)
        break;
      acc[2 * j] = acc[2 * j + 1] = 0;
    }
}

#define ROW_CHUNK 16

static gpointer
raster_worker (gpointer data)
{
  Raster *r = data;
  g_autofree gint64 *acc = g_new0 (gint64, 2 * ((gsize) r->width + 4));

  for (;;)
    {
      int start = r->row_first + ROW_CHUNK * g_atomic_int_add (&r->next_chunk, 1);

      if (start >= r->row_last)
        break;
      if (r->cancellable != NULL && g_cancellable_is_cancelled (r->cancellable))
        break;
      for (int row = start; row < MIN (start + ROW_CHUNK, r->row_last); row++)
        raster_row (r, row, acc);
    }

  return NULL;
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
  guint n_threads = MIN (g_get_num_processors (), 4);
  g_autofree Raster *r = g_new0 (Raster, 1);
  g_autofree RasterBand *bands = g_new0 (RasterBand, last - first + 1);
  g_autofree RasterEdge *all_edges = NULL;
  g_autofree float *visible = g_new (float, (gsize) n * n);
  GThread *threads[4] = { NULL };
  gsize n_alloc = 0;
  double top = G_MAXDOUBLE, bottom = -G_MAXDOUBLE;

  r->layout = layout;
  r->scene = scene;
  r->style = style;
  r->scale_max = scale_max;
  r->scale = scale;
  r->lw = line_width (layout) * scale;
  r->data = cairo_image_surface_get_data (surface);
  r->width = cairo_image_surface_get_width (surface);
  r->height = cairo_image_surface_get_height (surface);
  r->stride = cairo_image_surface_get_stride (surface);
  r->cancellable = cancellable;
  for (guint i = 0; i < LUT_SIZE; i++)
    {
      double cr, cg, cb;

      attn_colormap_lookup (style->colormap,
                            _attn_graph_map_position (style, (double) i / (LUT_SIZE - 1)),
                            &cr, &cg, &cb);
      r->lut[i][0] = cr;
      r->lut[i][1] = cg;
      r->lut[i][2] = cb;
    }
  for (guint i = 0; i <= ALPHA_LUT_SIZE; i++)
    r->alpha_lut[i] = -expm1 (-(double) i * ALPHA_LUT_MAX / ALPHA_LUT_SIZE);

  for (guint l = first; l <= last; l++)
    if (attn_graph_scene_has_layer (scene, l))
      n_alloc += (gsize) n * n;
  all_edges = g_new (RasterEdge, MAX (n_alloc, 1));
  n_alloc = 0;
  for (guint l = first; l <= last; l++)
    {
      RasterBand *band = &bands[r->n_bands];

      if (!attn_graph_scene_has_layer (scene, l))
        continue;
      if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
        return;
      band->edges = all_edges + n_alloc;
      prepare_band (r, l, visible, band);
      n_alloc += band->n_edges;
      top = MIN (top, band->y_top);
      bottom = MAX (bottom, band->y_bottom);
      r->n_bands++;
    }
  if (r->n_bands == 0)
    return;
  r->bands = bands;
  r->row_first = MAX (0, (int) floor (top - r->lw / 2. - 0.5));
  r->row_last = MIN (r->height, (int) ceil (bottom + r->lw / 2. + 0.5));

  /* Small figures are not worth a thread. */
  if (n < 24)
    n_threads = 1;
  /* The workers take chunks of rows in turn: a thread that cannot start
   * leaves its rows to the others. */
  for (guint i = 1; i < n_threads; i++)
    threads[i] = g_thread_try_new ("attn-raster", raster_worker, r, NULL);
  raster_worker (r);
  for (guint i = 1; i < n_threads; i++)
    if (threads[i] != NULL)
      g_thread_join (threads[i]);
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
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return surface;   /* too large: an error surface, as cairo reports it */

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
  image = attn_graph_render_image (job->layout, job->scene, &job->style, job->scale, cancellable);
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
 * (attn_graph_layout_new_for_scene()) and draws it with
 * attn_graph_render_image(), both on a worker thread: the screen's path from
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
