/* attn-evaluation-plot.c: Spearman's ρ per layer, one line per method
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The figure of the paper's Tables 1 and 2 as a plot: x the layer, y the mean
 * Spearman ρ over the examples between a reference (gradient, blank-out) and
 * each method's importance at the focus token; a band of ± one sample
 * standard deviation; optionally one example's own values as dashed lines.
 * Saved through attn_figure_save() like every other figure.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "attn-evaluation-plot.h"
#include "attn-render-private.h"

#define PAD 12.
#define PLOT_HEIGHT 280.
#define MIN_PLOT_WIDTH 360.
#define LAYER_WIDTH 40.
#define LEGEND_LINE 26.
#define TICK_STEP 0.2

#define N_METHODS ATTN_N_METHODS

typedef struct
{
  guint                   n_layers;
  AttnCorrelationMethods  methods;
  double                 *mean;
  double                 *std;
  double                 *example;
  AttnRect                plot;
  double                  lo;
  double                  hi;
  guint                   n_ticks;
  /* legend samples: one per method drawn, then the example's */
  double                  legend_x[N_METHODS + 1];
  double                  legend_y[N_METHODS + 1];
  int                     legend_method[N_METHODS + 1];
  guint                   n_legend;
} Plot;

static void
plot_free (gpointer data)
{
  Plot *plot = data;

  g_free (plot->mean);
  g_free (plot->std);
  g_free (plot->example);
  g_free (plot);
}

/**
 * attn_evaluation_get_method_color:
 * @dark: for a dark background
 * @color: (out): the colour of @method's line (Okabe-Ito, colour-blind safe)
 */
void
attn_evaluation_get_method_color (AttnMethod  method,
                                  gboolean    dark,
                                  AttnRgba   *color)
{
  g_return_if_fail (method < ATTN_N_METHODS);
  g_return_if_fail (color != NULL);

  switch (method)
    {
    case ATTN_METHOD_RAW:
      *color = dark ? (AttnRgba) { 0.34f, 0.71f, 0.91f, 1.f }    /* sky blue */
                    : (AttnRgba) { 0.f, 0.447f, 0.698f, 1.f };   /* blue */
      break;
    case ATTN_METHOD_ROLLOUT:
      *color = (AttnRgba) { 0.902f, 0.624f, 0.f, 1.f };          /* orange */
      break;
    case ATTN_METHOD_FLOW:
    case ATTN_N_METHODS:
    default:
      *color = (AttnRgba) { 0.f, 0.62f, 0.451f, 1.f };           /* bluish green */
      break;
    }
}

static double
plot_x (const Plot *plot,
        guint       layer)
{
  return plot->plot.x + (layer - 0.5) / plot->n_layers * plot->plot.width;
}

static double
plot_y (const Plot *plot,
        double      rho)
{
  return plot->plot.y + (plot->hi - rho) / (plot->hi - plot->lo) * plot->plot.height;
}

static char *
format_tick (double value)
{
  if (fabs (value) < 1e-9)
    return g_strdup ("0");
  /* a real minus sign, as in print */
  return g_strdup_printf ("%s%.1f", value < 0 ? "−" : "", fabs (value));
}

static void
set_method_source (cairo_t    *cr,
                   AttnMethod  method,
                   gboolean    dark,
                   double      alpha)
{
  AttnRgba color;

  attn_evaluation_get_method_color (method, dark, &color);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, alpha);
}

/* Lines through the layers' values; a NaN breaks the line. */
static void
path_line (cairo_t      *cr,
           const Plot   *plot,
           const double *values)
{
  gboolean open = FALSE;

  for (guint l = 1; l <= plot->n_layers; l++)
    {
      double v = values[l - 1];

      if (isnan (v))
        {
          open = FALSE;
          continue;
        }
      if (open)
        cairo_line_to (cr, plot_x (plot, l), plot_y (plot, v));
      else
        cairo_move_to (cr, plot_x (plot, l), plot_y (plot, v));
      open = TRUE;
    }
}

static void
draw_band (cairo_t      *cr,
           const Plot   *plot,
           const double *mean,
           const double *std)
{
  guint l = 1;

  while (l <= plot->n_layers)
    {
      guint first, last;

      if (isnan (mean[l - 1]) || isnan (std[l - 1]))
        {
          l++;
          continue;
        }
      first = l;
      while (l <= plot->n_layers && !isnan (mean[l - 1]) && !isnan (std[l - 1]))
        l++;
      last = l - 1;

      if (last == first)
        {
          /* one point: a short vertical bar */
          double x = plot_x (plot, first);

          cairo_rectangle (cr, x - 3., plot_y (plot, MIN (plot->hi, mean[first - 1] + std[first - 1])), 6.,
                           plot_y (plot, MAX (plot->lo, mean[first - 1] - std[first - 1])) -
                           plot_y (plot, MIN (plot->hi, mean[first - 1] + std[first - 1])));
          cairo_fill (cr);
          continue;
        }
      for (guint k = first; k <= last; k++)
        {
          double y = plot_y (plot, MIN (plot->hi, mean[k - 1] + std[k - 1]));

          if (k == first)
            cairo_move_to (cr, plot_x (plot, k), y);
          else
            cairo_line_to (cr, plot_x (plot, k), y);
        }
      for (guint k = last; k >= first; k--)
        cairo_line_to (cr, plot_x (plot, k), plot_y (plot, MAX (plot->lo, mean[k - 1] - std[k - 1])));
      cairo_close_path (cr);
      cairo_fill (cr);
    }
}

static void
draw_markers (cairo_t      *cr,
              const Plot   *plot,
              const double *values,
              double        radius)
{
  for (guint l = 1; l <= plot->n_layers; l++)
    {
      if (isnan (values[l - 1]))
        continue;
      cairo_new_sub_path (cr);
      cairo_arc (cr, plot_x (plot, l), plot_y (plot, values[l - 1]), radius, 0, 2 * G_PI);
    }
  cairo_fill (cr);
}

static const double dashes[] = { 5., 3. };

/* Grid lines at the ticks, the zero line dashed */
static void
draw_grid (const Plot            *plot,
           const AttnFigureStyle *style,
           cairo_t               *cr)
{
  cairo_set_line_width (cr, 1.);
  for (guint t = 0; t < plot->n_ticks; t++)
    {
      double v = plot->lo + t * TICK_STEP;
      double y = round (plot_y (plot, v)) + 0.5;

      cairo_move_to (cr, plot->plot.x, y);
      cairo_line_to (cr, plot->plot.x + plot->plot.width, y);
      if (fabs (v) < 1e-9)
        {
          _attn_set_source_rgba (cr, &style->foreground);
          cairo_set_dash (cr, dashes, 2, 0.);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0.);
        }
      else
        {
          cairo_set_source_rgba (cr, style->muted.red, style->muted.green, style->muted.blue, 0.35);
          cairo_stroke (cr);
        }
    }
}

/* The axes: a frame, with ticks at the layers and the values */
static void
draw_axes (const Plot            *plot,
           const AttnFigureStyle *style,
           cairo_t               *cr)
{
  _attn_set_source_rgba (cr, &style->foreground);
  cairo_rectangle (cr, round (plot->plot.x) + 0.5, round (plot->plot.y) + 0.5,
                   round (plot->plot.width), round (plot->plot.height));
  cairo_stroke (cr);
  for (guint l = 1; l <= plot->n_layers; l++)
    {
      double x = round (plot_x (plot, l)) + 0.5, y = round (plot->plot.y + plot->plot.height) + 0.5;

      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x, y + 4.);
    }
  for (guint t = 0; t < plot->n_ticks; t++)
    {
      double y = round (plot_y (plot, plot->lo + t * TICK_STEP)) + 0.5;

      cairo_move_to (cr, round (plot->plot.x) + 0.5, y);
      cairo_line_to (cr, round (plot->plot.x) + 0.5 - 4., y);
    }
  cairo_stroke (cr);
}

/* Bands, the example's dashed lines, then the means, clipped to the plot */
static void
draw_lines (const Plot *plot,
            gboolean    dark,
            cairo_t    *cr)
{
  guint L = plot->n_layers;

  cairo_rectangle (cr, plot->plot.x, plot->plot.y, plot->plot.width, plot->plot.height);
  cairo_clip (cr);

  /* bands first, so no band covers a line */
  if (plot->std != NULL)
    for (guint m = 0; m < N_METHODS; m++)
      if (plot->methods & (1 << m))
        {
          set_method_source (cr, m, dark, 0.14);
          draw_band (cr, plot, plot->mean + m * L, plot->std + m * L);
        }

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  if (plot->example != NULL)
    for (guint m = 0; m < N_METHODS; m++)
      if (plot->methods & (1 << m))
        {
          set_method_source (cr, m, dark, 0.9);
          cairo_set_line_width (cr, 1.4);
          cairo_set_dash (cr, dashes, 2, 0.);
          path_line (cr, plot, plot->example + m * L);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0.);
          draw_markers (cr, plot, plot->example + m * L, 2.);
        }

  for (guint m = 0; m < N_METHODS; m++)
    if (plot->methods & (1 << m))
      {
        set_method_source (cr, m, dark, 1.);
        cairo_set_line_width (cr, 2.2);
        path_line (cr, plot, plot->mean + m * L);
        cairo_stroke (cr);
        draw_markers (cr, plot, plot->mean + m * L, 3.5);
      }
  cairo_reset_clip (cr);
}

/* The legend's samples: a line with a marker per method, a dashed line for the example */
static void
draw_legend (const Plot            *plot,
             const AttnFigureStyle *style,
             cairo_t               *cr)
{
  for (guint i = 0; i < plot->n_legend; i++)
    {
      double y = plot->legend_y[i], x = plot->legend_x[i];

      if (plot->legend_method[i] >= 0)
        {
          set_method_source (cr, plot->legend_method[i], style->dark, 1.);
          cairo_set_line_width (cr, 2.2);
          cairo_move_to (cr, x, y);
          cairo_line_to (cr, x + 20., y);
          cairo_stroke (cr);
          cairo_arc (cr, x + 10., y, 3.5, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      else
        {
          _attn_set_source_rgba (cr, &style->foreground);
          cairo_set_line_width (cr, 1.4);
          cairo_set_dash (cr, dashes, 2, 0.);
          cairo_move_to (cr, x, y);
          cairo_line_to (cr, x + 20., y);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0.);
        }
    }
}

static void
draw_plot (const AttnFigure *figure,
           cairo_t          *cr,
           gpointer          data)
{
  const Plot *plot = data;
  const AttnFigureStyle *style = attn_figure_get_style (figure);

  cairo_save (cr);
  draw_grid (plot, style, cr);
  draw_axes (plot, style, cr);
  draw_lines (plot, style->dark, cr);
  draw_legend (plot, style, cr);
  cairo_restore (cr);
}

static void
range_add (double *lo,
           double *hi,
           double  v)
{
  if (!isfinite (v))
    return;
  *lo = MIN (*lo, v);
  *hi = MAX (*hi, v);
}

static AttnLabel *
add_label (GArray                *labels,
           PangoContext          *context,
           const AttnFigureStyle *style,
           AttnLabelKind          kind,
           guint                  index,
           const char            *text,
           double                 size,
           gboolean               bold,
           double                 wrap,
           double                 angle)
{
  AttnLabel label;

  _attn_label_init (&label, context, style, kind, index, text, size, bold, wrap, angle);
  g_array_append_val (labels, label);

  return &g_array_index (labels, AttnLabel, labels->len - 1);
}

static void
label_clear_cb (gpointer data)
{
  _attn_label_clear (data);
}

/* The plot's data, and its y range: every value and band, 0 included, on
 * the 0.2 grid, within [-1, 1] */
static Plot *
plot_new (const AttnEvaluationPlotData *data)
{
  guint L = data->n_layers;
  Plot *plot = g_new0 (Plot, 1);
  double lo = 0., hi = 0.;

  plot->n_layers = L;
  plot->methods = data->methods & ATTN_CORRELATION_ALL;
  plot->mean = g_memdup2 (data->mean, sizeof (double) * N_METHODS * L);
  plot->std = data->std ? g_memdup2 (data->std, sizeof (double) * N_METHODS * L) : NULL;
  plot->example = data->example_rho ? g_memdup2 (data->example_rho, sizeof (double) * N_METHODS * L)
                                    : NULL;
  for (guint m = 0; m < N_METHODS; m++)
    {
      if ((plot->methods & (1 << m)) == 0)
        continue;
      for (guint l = 0; l < L; l++)
        {
          double mean = plot->mean[m * L + l];

          range_add (&lo, &hi, mean);
          if (plot->std != NULL && isfinite (plot->std[m * L + l]))
            {
              range_add (&lo, &hi, mean - plot->std[m * L + l]);
              range_add (&lo, &hi, mean + plot->std[m * L + l]);
            }
          if (plot->example != NULL)
            range_add (&lo, &hi, plot->example[m * L + l]);
        }
    }
  lo = MAX (-1., floor (lo / TICK_STEP + 1e-9) * TICK_STEP);
  hi = MIN (1., ceil (hi / TICK_STEP - 1e-9) * TICK_STEP);
  if (hi - lo < 2 * TICK_STEP - 1e-9)
    {
      if (hi < 1. - 1e-9)
        hi += TICK_STEP;
      else
        lo -= TICK_STEP;
    }
  plot->lo = lo;
  plot->hi = hi;
  plot->n_ticks = (guint) round ((hi - lo) / TICK_STEP) + 1;
  return plot;
}

/* An evaluation figure being laid out */
typedef struct
{
  Plot                  *plot;
  PangoContext          *context;
  GArray                *labels;
  const AttnFigureStyle *style;
  double                 fs;
} Layout;

static AttnLabel *
layout_label (Layout        *layout,
              AttnLabelKind  kind,
              guint          index,
              const char    *text,
              double         size,
              gboolean       bold,
              double         wrap,
              double         angle)
{
  return add_label (layout->labels, layout->context, layout->style, kind, index, text,
                    size * layout->fs, bold, wrap, angle);
}

/* The y axis: its title (label 0, placed later) and the width of its ticks;
 * sets the plot's left edge and size */
static void
measure_y_axis (Layout *layout)
{
  Plot *plot = layout->plot;
  double tick_w = 0.;
  AttnLabel *label;

  for (guint t = 0; t < plot->n_ticks; t++)
    {
      g_autofree char *text = format_tick (plot->lo + t * TICK_STEP);
      double w, h;

      _attn_text_measure (layout->context, layout->style, text, layout->fs * 0.85, FALSE, 0, &w, &h);
      tick_w = MAX (tick_w, w);
    }
  label = layout_label (layout, ATTN_LABEL_SCALE, 0, _("Spearman’s ρ"), 0.9, FALSE, 0, -G_PI / 2);
  plot->plot.x = PAD + label->box.width + 8. + tick_w + 8.;
  plot->plot.width = MAX (MIN_PLOT_WIDTH, LAYER_WIDTH * plot->n_layers);
  if (plot->n_layers > 40)
    plot->plot.width = 14. * plot->n_layers;
  plot->plot.height = PLOT_HEIGHT;
}

/* The y axis's title, centred on the plot, and its tick labels */
static void
place_y_axis (Layout *layout)
{
  Plot *plot = layout->plot;
  AttnLabel *label = &g_array_index (layout->labels, AttnLabel, 0);

  _attn_label_place (label, PAD, plot->plot.y + (plot->plot.height - label->box.height) / 2);
  for (guint t = 0; t < plot->n_ticks; t++)
    {
      g_autofree char *text = format_tick (plot->lo + t * TICK_STEP);

      label = layout_label (layout, ATTN_LABEL_SCALE, t + 1, text, 0.85, FALSE, 0, 0);
      _attn_label_place (label, plot->plot.x - 8. - label->box.width,
                         plot_y (plot, plot->lo + t * TICK_STEP) - label->box.height / 2);
    }
}

/* The x axis: layer numbers, thinned when they would touch, and its title;
 * returns the y under it */
static double
place_x_axis (Layout *layout)
{
  Plot *plot = layout->plot;
  guint L = plot->n_layers, stride;
  g_autofree char *widest = g_strdup_printf ("%u", L);
  double w, h, tick_h = 0., y = plot->plot.y + plot->plot.height + 6.;
  AttnLabel *label;

  _attn_text_measure (layout->context, layout->style, widest, layout->fs * 0.85, FALSE, 0, &w, &h);
  stride = MAX ((guint) ceil ((w + 6.) / (plot->plot.width / L)), 1);
  for (guint l = 1; l <= L; l += stride)
    {
      g_autofree char *text = g_strdup_printf ("%u", l);

      label = layout_label (layout, ATTN_LABEL_LAYER, l, text, 0.85, FALSE, 0, 0);
      _attn_label_place (label, plot_x (plot, l) - label->box.width / 2, y);
      tick_h = MAX (tick_h, label->box.height);
    }
  y += tick_h + 2.;
  label = layout_label (layout, ATTN_LABEL_SCALE, 0, _("Layer"), 0.9, FALSE, 0, 0);
  _attn_label_place (label, plot->plot.x + (plot->plot.width - label->box.width) / 2, y);
  return y + label->box.height;
}

/* The legend: entries in rows under the axis title, wrapped at the plot's
 * width; returns the y under it */
static double
place_legend (Layout                       *layout,
              const AttnEvaluationPlotData *data,
              double                        y)
{
  Plot *plot = layout->plot;
  double lx = plot->plot.x, ly = y + 10., row_h = 0.;

  for (guint i = 0; i <= N_METHODS; i++)
    {
      gboolean is_example = i == N_METHODS;
      const char *text;
      AttnLabel *label;
      double entry_w;

      if (is_example ? (plot->example == NULL || data->example_label == NULL)
                     : (plot->methods & (1 << i)) == 0)
        continue;
      text = is_example ? data->example_label : attn_method_get_label (i);
      label = layout_label (layout, ATTN_LABEL_SCALE, i, text, 0.9, FALSE,
                            is_example ? plot->plot.width - 28. : 0, 0);
      entry_w = 28. + label->box.width;
      if (lx > plot->plot.x && lx + entry_w > plot->plot.x + plot->plot.width)
        {
          lx = plot->plot.x;
          ly += row_h + 6.;
          row_h = 0.;
        }
      _attn_label_place (label, lx + 28., ly);
      plot->legend_x[plot->n_legend] = lx;
      plot->legend_y[plot->n_legend] = ly + MIN (label->box.height / 2, 9.);
      plot->legend_method[plot->n_legend++] = is_example ? -1 : (int) i;
      row_h = MAX (row_h, label->box.height);
      lx += entry_w + 22.;
    }
  return plot->n_legend > 0 ? ly + row_h : y;
}

/* The caption: the settings, and how to read the plot */
static char *
plot_caption (const AttnEvaluationPlotData *data)
{
  GString *text = g_string_new (NULL);

  if (data->caption != NULL)
    {
      g_string_append (text, data->caption);
      g_string_append_c (text, '\n');
    }
  g_string_append_printf (text,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "Lines: mean over %u example; bands: ± 1 sample std; "
                                       "NaN (a constant side) left out.",
                                       "Lines: mean over %u examples; bands: ± 1 sample std; "
                                       "NaN (a constant side) left out.",
                                       data->n_examples),
                          data->n_examples);
  return g_string_free (text, FALSE);
}

/**
 * attn_figure_new_evaluation:
 * @data: what to plot
 * @style: colours and fonts (the colour map is not used)
 *
 * Builds the evaluation plot: mean Spearman ρ per layer, one line per method,
 * with axes, a legend, a title and the settings as a caption. A figure like
 * any other: attn_figure_draw(), attn_figure_render_image(),
 * attn_figure_save().
 *
 * Returns: (transfer full): the figure, of kind %ATTN_FIGURE_EVALUATION
 */
AttnFigure *
attn_figure_new_evaluation (const AttnEvaluationPlotData *data,
                            const AttnFigureStyle        *style)
{
  g_autoptr(AttnPangoContext) context = NULL;
  g_autoptr(GArray) labels = NULL;
  g_autofree char *title = NULL;
  g_autofree char *caption = NULL;
  AttnFigureStyle own;
  Layout layout;
  AttnLabel *label;
  double y, width;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (style != NULL, NULL);
  g_return_val_if_fail (data->n_layers > 0, NULL);
  g_return_val_if_fail (data->mean != NULL, NULL);

  own = *style;
  if (own.font_family == NULL)
    own.font_family = "Sans";
  if (!(own.font_size > 0.))
    own.font_size = 13.;
  context = _attn_text_context_new ();
  labels = g_array_new (FALSE, TRUE, sizeof (AttnLabel));
  g_array_set_clear_func (labels, label_clear_cb);
  layout = (Layout) { plot_new (data), context, labels, &own, own.font_size };

  measure_y_axis (&layout);
  /* the legend goes under the plot: the figure is about as wide as the plot */
  width = layout.plot->plot.x + layout.plot->plot.width + 2 * PAD;
  title = g_strdup_printf (_("Spearman’s ρ with references.%s per layer"),
                           data->reference ? data->reference : "?");
  label = layout_label (&layout, ATTN_LABEL_TITLE, 0, title, 1.1, TRUE, width - 2 * PAD, 0);
  _attn_label_place (label, PAD, PAD);
  layout.plot->plot.y = PAD + label->box.height + 14.;
  place_y_axis (&layout);
  y = place_x_axis (&layout);
  y = place_legend (&layout, data, y);

  caption = plot_caption (data);
  label = layout_label (&layout, ATTN_LABEL_CAPTION, 0, caption, 0.8, FALSE, width - 2 * PAD, 0);
  _attn_label_place (label, PAD, y + 10.);
  y += 10. + label->box.height;

  return _attn_figure_new_custom (ATTN_FIGURE_EVALUATION, &own, ceil (width), ceil (y + PAD), title,
                                  caption, labels, draw_plot, layout.plot, plot_free);
}
