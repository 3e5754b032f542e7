/* attn-evaluation-plot.c: Spearman's ρ per layer, one line per method or per weight kind
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The figure of the paper's Tables 1 and 2 as a plot: x the layer, y the mean
 * Spearman ρ over the examples between a reference (gradient, blank-out) and
 * each method's importance at the focus token; a band of ± one sample
 * standard deviation; optionally one example's own values as dashed lines.
 * Over several weight kinds: one panel per method side by side, one line per
 * kind, a shared y axis. Saved through attn_figure_save() like every other
 * figure.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "attn-evaluation-plot.h"
#include "attn-figure-private.h"
#include "attn-render-private.h"

#define PAD 12.
#define PLOT_HEIGHT 280.
#define MIN_PLOT_WIDTH 360.
#define MIN_PANEL_WIDTH 240.
#define PANEL_GAP 24.
#define LAYER_WIDTH 40.
#define TICK_STEP 0.2
/* The room kept between the values and the plot's frame, in ρ: a marker's
 * radius at the natural height */
#define RANGE_MARGIN 0.02

#define N_METHODS ATTN_N_METHODS

/* One line: a method's (or a weight kind's) mean ρ per layer */
typedef struct
{
  double   *values;   /* L; NaN breaks the line */
  double   *std;      /* L, or NULL: a band of ± one standard deviation */
  AttnRgba  color;
  gboolean  dashed;   /* one example's own values: thin, dashed, small markers */
} Series;

/* One plot area: its lines and its rectangle */
typedef struct
{
  GArray   *series;   /* Series */
  AttnRect  plot;
} Panel;

/* A legend sample: a line with a marker in @color, or dashed in the
 * foreground colour */
typedef struct
{
  double    x;
  double    y;
  AttnRgba  color;
  gboolean  dashed;
} Sample;

/* A legend entry to place: a sample in @color (or dashed) and @text */
typedef struct
{
  const char *text;
  AttnRgba    color;
  gboolean    dashed;
} Entry;

/* What a plot's layout is made of besides its lines, kept to lay it out
 * again at another size: the texts (owned) and the natural panel width.
 * Immutable, shared by the figures laid out from it. */
typedef struct
{
  gatomicrefcount  ref_count;
  char            *title;
  char           **panel_titles;   /* NULL: untitled panels */
  Entry           *entries;        /* texts owned */
  guint            n_entries;
  char            *caption;
  double           panel_width;
} Source;

static Source *
source_new (const char         *title,
            const char * const *panel_titles,
            guint               n_panels,
            const Entry        *entries,
            guint               n_entries,
            const char         *caption,
            double              panel_width)
{
  Source *source = g_new0 (Source, 1);

  g_atomic_ref_count_init (&source->ref_count);
  source->title = g_strdup (title);
  if (panel_titles != NULL)
    {
      source->panel_titles = g_new0 (char *, n_panels + 1);
      for (guint p = 0; p < n_panels; p++)
        source->panel_titles[p] = g_strdup (panel_titles[p]);
    }
  source->entries = g_memdup2 (entries, sizeof (Entry) * n_entries);
  for (guint i = 0; i < n_entries; i++)
    source->entries[i].text = g_strdup (entries[i].text);
  source->n_entries = n_entries;
  source->caption = g_strdup (caption);
  source->panel_width = panel_width;
  return source;
}

static void
source_unref (Source *source)
{
  if (!g_atomic_ref_count_dec (&source->ref_count))
    return;
  g_free (source->title);
  g_strfreev (source->panel_titles);
  for (guint i = 0; i < source->n_entries; i++)
    g_free ((char *) source->entries[i].text);
  g_free (source->entries);
  g_free (source->caption);
  g_free (source);
}

/* What the figure draws: panels side by side on one y range, one legend */
typedef struct
{
  Source    *source;
  guint      n_layers;
  double     lo;
  double     hi;
  guint      n_ticks;
  GPtrArray *panels;  /* Panel */
  GArray    *legend;  /* Sample */
} Plot;

static void
series_clear (gpointer data)
{
  Series *series = data;

  g_free (series->values);
  g_free (series->std);
}

static void
panel_free (gpointer data)
{
  Panel *panel = data;

  g_array_unref (panel->series);
  g_free (panel);
}

static Panel *
plot_add_panel (Plot *plot)
{
  Panel *panel = g_new0 (Panel, 1);

  panel->series = g_array_new (FALSE, TRUE, sizeof (Series));
  g_array_set_clear_func (panel->series, series_clear);
  g_ptr_array_add (plot->panels, panel);
  return panel;
}

/* Adds a line of the plot's L values (copied) */
static void
panel_add (const Plot     *plot,
           Panel          *panel,
           const double   *values,
           const double   *std,
           const AttnRgba *color,
           gboolean        dashed)
{
  Series series = { g_memdup2 (values, sizeof (double) * plot->n_layers),
                    std ? g_memdup2 (std, sizeof (double) * plot->n_layers) : NULL,
                    *color, dashed };

  g_array_append_val (panel->series, series);
}

static Plot *
plot_new (guint n_layers)
{
  Plot *plot = g_new0 (Plot, 1);

  plot->n_layers = n_layers;
  plot->panels = g_ptr_array_new_with_free_func (panel_free);
  plot->legend = g_array_new (FALSE, TRUE, sizeof (Sample));
  return plot;
}

static void
plot_free (gpointer data)
{
  Plot *plot = data;

  g_ptr_array_unref (plot->panels);
  g_array_unref (plot->legend);
  g_clear_pointer (&plot->source, source_unref);
  g_free (plot);
}

/* A plot of the same lines and texts, to lay out anew */
static Plot *
plot_copy (const Plot *plot)
{
  Plot *copy = plot_new (plot->n_layers);

  copy->source = plot->source;
  g_atomic_ref_count_inc (&copy->source->ref_count);
  for (guint p = 0; p < plot->panels->len; p++)
    {
      const Panel *panel = g_ptr_array_index (plot->panels, p);
      Panel *to = plot_add_panel (copy);

      for (guint i = 0; i < panel->series->len; i++)
        {
          const Series *series = &g_array_index (panel->series, Series, i);

          panel_add (copy, to, series->values, series->std, &series->color, series->dashed);
        }
    }
  return copy;
}

/* The Okabe-Ito colours (colour-blind safe) the lines use, and a grey */
typedef enum
{
  HUE_BLUE,
  HUE_ORANGE,
  HUE_GREEN,
  HUE_VERMILLION,
  HUE_PURPLE,
  HUE_GREY,
} Hue;

static void
hue_get_color (Hue       hue,
               gboolean  dark,
               AttnRgba *color)
{
  static const AttnRgba light[] = {
    { 0.f, 0.447f, 0.698f, 1.f },       /* blue */
    { 0.902f, 0.624f, 0.f, 1.f },       /* orange */
    { 0.f, 0.62f, 0.451f, 1.f },        /* bluish green */
    { 0.835f, 0.369f, 0.f, 1.f },       /* vermillion */
    { 0.8f, 0.475f, 0.655f, 1.f },      /* reddish purple */
    { 0.35f, 0.35f, 0.35f, 1.f },       /* grey */
  };

  *color = light[hue];
  if (dark && hue == HUE_BLUE)
    *color = (AttnRgba) { 0.34f, 0.71f, 0.91f, 1.f };    /* sky blue */
  else if (dark && hue == HUE_GREY)
    *color = (AttnRgba) { 0.75f, 0.75f, 0.75f, 1.f };
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
  static const Hue hues[] = { HUE_BLUE, HUE_ORANGE, HUE_GREEN };
  G_STATIC_ASSERT (G_N_ELEMENTS (hues) == ATTN_N_METHODS);

  g_return_if_fail (method < ATTN_N_METHODS);
  g_return_if_fail (color != NULL);

  hue_get_color (hues[method], dark, color);
}

/**
 * attn_evaluation_get_kind_color:
 * @dark: for a dark background
 * @color: (out): the colour of @kind's line in the plot over weight kinds
 *   (Okabe-Ito, colour-blind safe; attention in a neutral grey)
 */
void
attn_evaluation_get_kind_color (AttnWeightKind  kind,
                                gboolean        dark,
                                AttnRgba       *color)
{
  static const Hue hues[] = {
    HUE_GREY, HUE_BLUE, HUE_ORANGE, HUE_GREEN, HUE_VERMILLION, HUE_PURPLE,
  };
  /* one hue per kind: a new AttnWeightKind needs its own here */
  G_STATIC_ASSERT (G_N_ELEMENTS (hues) == ATTN_N_WEIGHT_KINDS);

  g_return_if_fail (kind < ATTN_N_WEIGHT_KINDS);
  g_return_if_fail (color != NULL);

  hue_get_color (hues[kind], dark, color);
}

static double
plot_x (const Plot  *plot,
        const Panel *panel,
        guint        layer)
{
  return panel->plot.x + (layer - 0.5) / plot->n_layers * panel->plot.width;
}

static double
plot_y (const Plot  *plot,
        const Panel *panel,
        double       rho)
{
  return panel->plot.y + (plot->hi - rho) / (plot->hi - plot->lo) * panel->plot.height;
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
set_source (cairo_t        *cr,
            const AttnRgba *color,
            double          alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, alpha);
}

/* Lines through the layers' values; a NaN breaks the line. */
static void
path_line (cairo_t      *cr,
           const Plot   *plot,
           const Panel  *panel,
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
        cairo_line_to (cr, plot_x (plot, panel, l), plot_y (plot, panel, v));
      else
        cairo_move_to (cr, plot_x (plot, panel, l), plot_y (plot, panel, v));
      open = TRUE;
    }
}

static void
draw_band (cairo_t      *cr,
           const Plot   *plot,
           const Panel  *panel,
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
          double x = plot_x (plot, panel, first);
          double top = plot_y (plot, panel, MIN (plot->hi, mean[first - 1] + std[first - 1]));
          double bottom = plot_y (plot, panel, MAX (plot->lo, mean[first - 1] - std[first - 1]));

          cairo_rectangle (cr, x - 3., top, 6., bottom - top);
          cairo_fill (cr);
          continue;
        }
      for (guint k = first; k <= last; k++)
        {
          double y = plot_y (plot, panel, MIN (plot->hi, mean[k - 1] + std[k - 1]));

          if (k == first)
            cairo_move_to (cr, plot_x (plot, panel, k), y);
          else
            cairo_line_to (cr, plot_x (plot, panel, k), y);
        }
      for (guint k = last; k >= first; k--)
        cairo_line_to (cr, plot_x (plot, panel, k),
                       plot_y (plot, panel, MAX (plot->lo, mean[k - 1] - std[k - 1])));
      cairo_close_path (cr);
      cairo_fill (cr);
    }
}

static void
draw_markers (cairo_t      *cr,
              const Plot   *plot,
              const Panel  *panel,
              const double *values,
              double        radius)
{
  for (guint l = 1; l <= plot->n_layers; l++)
    {
      if (isnan (values[l - 1]))
        continue;
      cairo_new_sub_path (cr);
      cairo_arc (cr, plot_x (plot, panel, l), plot_y (plot, panel, values[l - 1]), radius, 0,
                 2 * G_PI);
    }
  cairo_fill (cr);
}

static const double dashes[] = { 5., 3. };

/* Grid lines at the ticks, the zero line darker */
static void
draw_grid (const Plot            *plot,
           const Panel           *panel,
           const AttnFigureStyle *style,
           cairo_t               *cr)
{
  cairo_set_line_width (cr, 1.);
  for (guint t = 0; t < plot->n_ticks; t++)
    {
      double v = plot->lo + t * TICK_STEP;
      double y = round (plot_y (plot, panel, v)) + 0.5;

      cairo_move_to (cr, panel->plot.x, y);
      cairo_line_to (cr, panel->plot.x + panel->plot.width, y);
      /* the zero line solid too: dashes are the example's lines, which the legend names */
      if (fabs (v) < 1e-9)
        cairo_set_source_rgba (cr, style->foreground.red, style->foreground.green, style->foreground.blue, 0.6);
      else
        cairo_set_source_rgba (cr, style->muted.red, style->muted.green, style->muted.blue, 0.35);
      cairo_stroke (cr);
    }
}

/* The axes: a frame, with ticks at the layers and the values */
static void
draw_axes (const Plot            *plot,
           const Panel           *panel,
           const AttnFigureStyle *style,
           cairo_t               *cr)
{
  _attn_set_source_rgba (cr, &style->foreground);
  cairo_rectangle (cr, round (panel->plot.x) + 0.5, round (panel->plot.y) + 0.5,
                   round (panel->plot.width), round (panel->plot.height));
  cairo_stroke (cr);
  for (guint l = 1; l <= plot->n_layers; l++)
    {
      double x = round (plot_x (plot, panel, l)) + 0.5;
      double y = round (panel->plot.y + panel->plot.height) + 0.5;

      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x, y + 4.);
    }
  for (guint t = 0; t < plot->n_ticks; t++)
    {
      double y = round (plot_y (plot, panel, plot->lo + t * TICK_STEP)) + 0.5;

      cairo_move_to (cr, round (panel->plot.x) + 0.5, y);
      cairo_line_to (cr, round (panel->plot.x) + 0.5 - 4., y);
    }
  cairo_stroke (cr);
}

/* Bands, the dashed lines, then the solid ones, clipped to the panel */
static void
draw_lines (const Plot  *plot,
            const Panel *panel,
            cairo_t     *cr)
{
  cairo_save (cr);
  cairo_rectangle (cr, panel->plot.x, panel->plot.y, panel->plot.width, panel->plot.height);
  cairo_clip (cr);

  /* bands first, so no band covers a line */
  for (guint i = 0; i < panel->series->len; i++)
    {
      const Series *s = &g_array_index (panel->series, Series, i);

      if (s->std == NULL)
        continue;
      set_source (cr, &s->color, 0.14);
      draw_band (cr, plot, panel, s->values, s->std);
    }

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < panel->series->len; i++)
      {
        const Series *s = &g_array_index (panel->series, Series, i);

        if (s->dashed != (pass == 0))
          continue;
        set_source (cr, &s->color, s->dashed ? 0.9 : 1.);
        cairo_set_line_width (cr, s->dashed ? 1.4 : 2.2);
        if (s->dashed)
          cairo_set_dash (cr, dashes, 2, 0.);
        path_line (cr, plot, panel, s->values);
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0.);
        draw_markers (cr, plot, panel, s->values, s->dashed ? 2. : 3.5);
      }
  cairo_restore (cr);
}

/* The legend's samples: a line with a marker, or a dashed line */
static void
draw_legend (const Plot            *plot,
             const AttnFigureStyle *style,
             cairo_t               *cr)
{
  for (guint i = 0; i < plot->legend->len; i++)
    {
      const Sample *s = &g_array_index (plot->legend, Sample, i);

      if (!s->dashed)
        {
          set_source (cr, &s->color, 1.);
          cairo_set_line_width (cr, 2.2);
          cairo_move_to (cr, s->x, s->y);
          cairo_line_to (cr, s->x + 20., s->y);
          cairo_stroke (cr);
          cairo_arc (cr, s->x + 10., s->y, 3.5, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      else
        {
          _attn_set_source_rgba (cr, &style->foreground);
          cairo_set_line_width (cr, 1.4);
          cairo_set_dash (cr, dashes, 2, 0.);
          cairo_move_to (cr, s->x, s->y);
          cairo_line_to (cr, s->x + 20., s->y);
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
  for (guint p = 0; p < plot->panels->len; p++)
    {
      const Panel *panel = g_ptr_array_index (plot->panels, p);

      draw_grid (plot, panel, style, cr);
      draw_axes (plot, panel, style, cr);
      draw_lines (plot, panel, cr);
    }
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

/* Whether any line of @plot has a finite value */
static gboolean
plot_has_values (const Plot *plot)
{
  for (guint p = 0; p < plot->panels->len; p++)
    {
      const Panel *panel = g_ptr_array_index (plot->panels, p);

      for (guint i = 0; i < panel->series->len; i++)
        for (guint l = 0; l < plot->n_layers; l++)
          if (isfinite (g_array_index (panel->series, Series, i).values[l]))
            return TRUE;
    }
  return FALSE;
}

/* The y range: every value and band of every panel, 0 included, on the 0.2
 * grid, within [-1, 1]; all of [-1, 1] without a value */
static void
plot_set_range (Plot *plot)
{
  double lo = plot_has_values (plot) ? 0. : -1., hi = -lo;

  for (guint p = 0; p < plot->panels->len; p++)
    {
      const Panel *panel = g_ptr_array_index (plot->panels, p);

      for (guint i = 0; i < panel->series->len; i++)
        {
          const Series *s = &g_array_index (panel->series, Series, i);

          for (guint l = 0; l < plot->n_layers; l++)
            {
              range_add (&lo, &hi, s->values[l]);
              if (s->std != NULL && isfinite (s->std[l]))
                {
                  range_add (&lo, &hi, s->values[l] - s->std[l]);
                  range_add (&lo, &hi, s->values[l] + s->std[l]);
                }
            }
        }
    }
  /* a value on a tick would put its marker on the frame, cut in half */
  lo = MAX (-1., floor ((lo - RANGE_MARGIN) / TICK_STEP + 1e-9) * TICK_STEP);
  hi = MIN (1., ceil ((hi + RANGE_MARGIN) / TICK_STEP - 1e-9) * TICK_STEP);
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
layout_label (Layout              *layout,
              const AttnLabelSpec *spec)
{
  AttnLabelSpec scaled = *spec;
  AttnLabel label;

  /* The spec's size is relative to the plot's font size. */
  scaled.size = spec->size * layout->fs;
  _attn_label_init (&label, layout->context, layout->style, &scaled);
  g_array_append_val (layout->labels, label);
  return &g_array_index (layout->labels, AttnLabel, layout->labels->len - 1);
}

/* The y axis: its title (label 0, placed later) and the width of its ticks;
 * sets the panels' left edges and sizes, @panel_width by @plot_height each */
static void
measure_y_axis (Layout *layout,
                double  panel_width,
                double  plot_height)
{
  Plot *plot = layout->plot;
  double tick_w = 0., x;
  AttnLabel *label;

  for (guint t = 0; t < plot->n_ticks; t++)
    {
      g_autofree char *text = format_tick (plot->lo + t * TICK_STEP);
      double w, h;

      _attn_text_measure (layout->context, layout->style, text, layout->fs * 0.85, FALSE, 0, &w, &h);
      tick_w = MAX (tick_w, w);
    }
  label = layout_label (layout, &(AttnLabelSpec) { .kind = ATTN_LABEL_SCALE, .text = _("Spearman’s ρ"),
                        .size = 0.9, .angle = -G_PI / 2 });
  x = PAD + label->box.width + 8. + tick_w + 8.;
  for (guint p = 0; p < plot->panels->len; p++)
    {
      Panel *panel = g_ptr_array_index (plot->panels, p);

      panel->plot.x = x;
      panel->plot.width = panel_width;
      panel->plot.height = plot_height;
      x += panel_width + PANEL_GAP;
    }
}

static const Panel *
first_panel (const Plot *plot)
{
  return g_ptr_array_index (plot->panels, 0);
}

static const Panel *
last_panel (const Plot *plot)
{
  return g_ptr_array_index (plot->panels, plot->panels->len - 1);
}

/* The panels' tops at @y; the y axis's title, centred on them, and its tick
 * labels, left of the first panel */
static void
place_y_axis (Layout *layout,
              double  y)
{
  Plot *plot = layout->plot;
  const Panel *first;
  AttnLabel *label = &g_array_index (layout->labels, AttnLabel, 0);

  for (guint p = 0; p < plot->panels->len; p++)
    ((Panel *) g_ptr_array_index (plot->panels, p))->plot.y = y;
  first = first_panel (plot);
  _attn_label_place (label, PAD, first->plot.y + (first->plot.height - label->box.height) / 2);
  for (guint t = 0; t < plot->n_ticks; t++)
    {
      g_autofree char *text = format_tick (plot->lo + t * TICK_STEP);

      label = layout_label (layout, &(AttnLabelSpec) { .kind = ATTN_LABEL_SCALE, .index = t + 1,
                            .text = text, .size = 0.85 });
      _attn_label_place (label, first->plot.x - 8. - label->box.width,
                         plot_y (plot, first, plot->lo + t * TICK_STEP) - label->box.height / 2);
    }
}

/* The x axes: layer numbers under each panel, thinned when they would
 * touch, and one title under them all; returns the y under it */
static double
place_x_axis (Layout *layout)
{
  Plot *plot = layout->plot;
  const Panel *first = first_panel (plot), *last = last_panel (plot);
  guint L = plot->n_layers, stride;
  g_autofree char *widest = g_strdup_printf ("%u", L);
  double w, h, tick_h = 0., y = first->plot.y + first->plot.height + 6.;
  AttnLabel *label;

  _attn_text_measure (layout->context, layout->style, widest, layout->fs * 0.85, FALSE, 0, &w, &h);
  stride = MAX ((guint) ceil ((w + 6.) / (first->plot.width / L)), 1);
  for (guint p = 0; p < plot->panels->len; p++)
    for (guint l = 1; l <= L; l += stride)
      {
        const Panel *panel = g_ptr_array_index (plot->panels, p);
        g_autofree char *text = g_strdup_printf ("%u", l);

        label = layout_label (layout, &(AttnLabelSpec) { .kind = ATTN_LABEL_LAYER, .index = l,
                              .text = text, .size = 0.85 });
        _attn_label_place (label, plot_x (plot, panel, l) - label->box.width / 2, y);
        tick_h = MAX (tick_h, label->box.height);
      }
  y += tick_h + 2.;
  label = layout_label (layout, &(AttnLabelSpec) { .kind = ATTN_LABEL_SCALE, .text = _("Layer"),
                        .size = 0.9 });
  _attn_label_place (label, first->plot.x + (last->plot.x + last->plot.width - first->plot.x -
                                             label->box.width) / 2, y);
  return y + label->box.height;
}

/* The legend: entries in rows under the axis title, wrapped at the panels'
 * width; returns the y under it */
static double
place_legend (Layout      *layout,
              const Entry *entries,
              guint        n_entries,
              double       y)
{
  Plot *plot = layout->plot;
  const Panel *first = first_panel (plot), *last = last_panel (plot);
  double left = first->plot.x, right = last->plot.x + last->plot.width;
  double lx = left, ly = y + 10., row_h = 0.;

  for (guint i = 0; i < n_entries; i++)
    {
      AttnLabel *label = layout_label (layout, &(AttnLabelSpec) { .kind = ATTN_LABEL_SCALE, .index = i,
                                       .text = entries[i].text, .size = 0.9,
                                       .wrap = entries[i].dashed ? right - left - 28. : 0 });
      double entry_w = 28. + label->box.width;
      Sample sample;

      if (lx > left && lx + entry_w > right)
        {
          lx = left;
          ly += row_h + 6.;
          row_h = 0.;
        }
      _attn_label_place (label, lx + 28., ly);
      sample = (Sample) { lx, ly + MIN (label->box.height / 2, 9.), entries[i].color,
                          entries[i].dashed };
      g_array_append_val (plot->legend, sample);
      row_h = MAX (row_h, label->box.height);
      lx += entry_w + 22.;
    }
  return n_entries > 0 ? ly + row_h : y;
}

/* The caption's line on the means, when some examples' ρ is NaN: how many
 * examples they are over, @least to @most of @n_examples, as the table's
 * heading counts them */
static void
append_means_over_some (GString *text,
                        guint    n_examples,
                        guint    least,
                        guint    most,
                        gboolean bands)
{
  if (least == most && bands)
    /* translators: how many examples the lines are over, how many were correlated, and
     * how many of them gave NaN: "Lines: mean over 4 of 5 examples (1 NaN …" */
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Lines: mean over %u of %u example (%u NaN, a constant "
                                         "side, left out); bands: ± 1 sample std.",
                                         "Lines: mean over %u of %u examples (%u NaN, a constant "
                                         "side, left out); bands: ± 1 sample std.",
                                         n_examples),
                            least, n_examples, n_examples - least);
  else if (least == most)
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Lines: mean over %u of %u example (%u NaN, a constant "
                                         "side, left out).",
                                         "Lines: mean over %u of %u examples (%u NaN, a constant "
                                         "side, left out).",
                                         n_examples),
                            least, n_examples, n_examples - least);
  else if (bands)
    /* translators: the fewest and the most examples a point of a line is over, then how
     * many were correlated: "Lines: mean over 3–4 of 5 examples (NaN …" */
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Lines: mean over %u–%u of %u example (NaN, a constant "
                                         "side, left out, counted per point); bands: ± 1 sample std.",
                                         "Lines: mean over %u–%u of %u examples (NaN, a constant "
                                         "side, left out, counted per point); bands: ± 1 sample std.",
                                         n_examples),
                            least, most, n_examples);
  else
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Lines: mean over %u–%u of %u example (NaN, a constant "
                                         "side, left out, counted per point).",
                                         "Lines: mean over %u–%u of %u examples (NaN, a constant "
                                         "side, left out, counted per point).",
                                         n_examples),
                            least, most, n_examples);
}

/* A panel's width for @n_layers layers: LAYER_WIDTH a layer, @least at the
 * least; past 40 layers, 14 pixels a layer */
static double
panel_width (double least,
             guint  n_layers)
{
  if (n_layers > 40)
    return 14. * n_layers;
  return MAX (least, LAYER_WIDTH * n_layers);
}

/* The caption: the settings, and how to read the plot; the means are over
 * @least to @most of the @n_examples correlated (NaN left out) */
static char *
plot_caption (const char *settings,
              guint       n_examples,
              guint       least,
              guint       most,
              gboolean    bands)
{
  GString *text = g_string_new (NULL);

  if (settings != NULL)
    {
      g_string_append (text, settings);
      g_string_append_c (text, '\n');
    }
  if (n_examples == 0)
    g_string_append (text, _("Lines: mean over the examples that carry each kind; NaN (a constant "
                             "side) left out."));
  else if (least < n_examples && least <= most)
    append_means_over_some (text, n_examples, least, most, bands);
  else if (bands)
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Lines: mean over %u example; bands: ± 1 sample std; "
                                         "NaN (a constant side) left out.",
                                         "Lines: mean over %u examples; bands: ± 1 sample std; "
                                         "NaN (a constant side) left out.",
                                         n_examples),
                            n_examples);
  else
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Lines: mean over %u example; NaN (a constant side) left out.",
                                         "Lines: mean over %u examples; NaN (a constant side) left out.",
                                         n_examples),
                            n_examples);
  return g_string_free (text, FALSE);
}

/* Lays the plot out, its panels @panel_width by @plot_height: title, panel
 * titles, axes, legend, caption; sets @width and returns the height */
static double
lay_out_plot (Layout *layout,
              double  panel_width,
              double  plot_height,
              double *width)
{
  Plot *plot = layout->plot;
  const Source *source = plot->source;
  guint n_entries = source->n_entries;
  AttnLabel *label;
  double y, panel_title_h = 0.;

  g_array_set_size (layout->labels, 0);
  g_array_set_size (plot->legend, 0);
  plot_set_range (plot);
  measure_y_axis (layout, panel_width, plot_height);
  /* the legend goes under the plot: the figure is about as wide as the panels */
  *width = last_panel (plot)->plot.x + panel_width + 2 * PAD;
  label = layout_label (layout, &(AttnLabelSpec) { .kind = ATTN_LABEL_TITLE, .text = source->title,
                        .size = 1.1, .bold = TRUE, .wrap = *width - 2 * PAD });
  _attn_label_place (label, PAD, PAD);
  y = PAD + label->box.height + 14.;
  if (source->panel_titles != NULL)
    {
      for (guint p = 0; p < plot->panels->len; p++)
        {
          const Panel *panel = g_ptr_array_index (plot->panels, p);

          label = layout_label (layout, &(AttnLabelSpec) { .kind = ATTN_LABEL_TITLE, .index = p + 1,
                                .text = source->panel_titles[p], .size = 0.95, .bold = TRUE,
                                .wrap = panel_width });
          _attn_label_place (label, panel->plot.x + (panel_width - label->box.width) / 2, y);
          panel_title_h = MAX (panel_title_h, label->box.height);
        }
      y += panel_title_h + 6.;
    }
  place_y_axis (layout, y);
  y = place_x_axis (layout);
  if (!plot_has_values (plot))
    {
      /* every ρ NaN: no line to draw, none to name in a legend, but why */
      label = layout_label (layout, &(AttnLabelSpec) { .kind = ATTN_LABEL_NOTE,
                            .text = _("No finite ρ: every example has a constant side (all its values equal), "
                                      "where Spearman’s ρ is undefined."),
                            .size = 0.9, .bold = TRUE, .wrap = *width - 2 * PAD });
      _attn_label_place (label, PAD, y + 10.);
      y += 10. + label->box.height;
      n_entries = 0;
    }
  y = place_legend (layout, source->entries, n_entries, y);

  label = layout_label (layout, &(AttnLabelSpec) { .kind = ATTN_LABEL_CAPTION, .text = source->caption,
                        .size = 0.8, .wrap = *width - 2 * PAD });
  _attn_label_place (label, PAD, y + 10.);
  return y + 10. + label->box.height + PAD;
}

static AttnFigure *plot_at_size (const AttnFigure *figure,
                                 double            width,
                                 double            height);

/* The figure of @plot (which it owns): at its natural size, or grown to
 * fill @width x @height (0: natural), its panels no taller than wide */
static AttnFigure *
plot_figure (Plot                  *plot,
             const AttnFigureStyle *style,
             double                 width,
             double                 height)
{
  g_autoptr(AttnPangoContext) context = NULL;
  g_autoptr(GArray) labels = NULL;
  AttnFigureStyle own;
  Layout layout;
  AttnFigure *figure;
  double panel_width = plot->source->panel_width, plot_height = PLOT_HEIGHT, w, h;

  own = *style;
  if (own.font_family == NULL)
    own.font_family = "Sans";
  if (!(own.font_size > 0.))
    own.font_size = 13.;
  context = _attn_text_context_new ();
  labels = _attn_labels_new ();
  layout = (Layout) { plot, context, labels, &own, own.font_size };

  h = lay_out_plot (&layout, panel_width, plot_height, &w);
  if (width > w)
    {
      panel_width += (width - w) / plot->panels->len;
      h = lay_out_plot (&layout, panel_width, plot_height, &w);
    }
  if (height > h)
    {
      plot_height = MIN (plot_height + height - h, MAX (panel_width, PLOT_HEIGHT));
      h = lay_out_plot (&layout, panel_width, plot_height, &w);
    }
  figure = _attn_figure_new_custom (ATTN_FIGURE_EVALUATION, &own, ceil (w), ceil (h), plot->source->title,
                                    plot->source->caption, labels, draw_plot, plot, plot_free);
  figure->custom_at_size = plot_at_size;
  return figure;
}

static AttnFigure *
plot_at_size (const AttnFigure *figure,
              double            width,
              double            height)
{
  return plot_figure (plot_copy (figure->custom_data), attn_figure_get_style (figure), width, height);
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
  guint L;
  Plot *plot;
  Panel *panel;
  Entry entries[N_METHODS + 1];
  char *labels[N_METHODS] = { NULL };
  guint n_entries = 0;
  AttnCorrelationMethods methods;
  g_autofree char *reference = NULL;
  g_autofree char *title = NULL;
  g_autofree char *caption = NULL;
  guint least = data ? data->n_examples : 0, most = least;
  double width;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (style != NULL, NULL);
  g_return_val_if_fail (data->n_layers > 0, NULL);
  g_return_val_if_fail (data->mean != NULL, NULL);

  L = data->n_layers;
  methods = data->methods & ATTN_CORRELATION_ALL;
  plot = plot_new (L);
  panel = plot_add_panel (plot);
  /* the example's dashed lines under the means */
  if (data->example_rho != NULL)
    for (guint m = 0; m < N_METHODS; m++)
      if (methods & (1 << m))
        {
          AttnRgba color;

          attn_evaluation_get_method_color (m, style->dark, &color);
          panel_add (plot, panel, data->example_rho + m * L, NULL, &color, TRUE);
        }
  for (guint m = 0; m < N_METHODS; m++)
    if (methods & (1 << m))
      {
        Entry entry = { NULL, { 0 }, FALSE };

        entry.text = labels[m] = attn_method_dup_label (m, data->weights);

        attn_evaluation_get_method_color (m, style->dark, &entry.color);
        panel_add (plot, panel, data->mean + m * L, data->std ? data->std + m * L : NULL,
                   &entry.color, FALSE);
        entries[n_entries++] = entry;
      }
  if (data->example_rho != NULL && data->example_label != NULL)
    entries[n_entries++] = (Entry) { data->example_label, style->foreground, TRUE };

  width = panel_width (MIN_PLOT_WIDTH, L);
  reference = _attn_caption_text (data->reference ? attn_reference_get_label (data->reference) : "?");
  title = g_strdup_printf (_("Spearman’s ρ with the reference “%s” per layer"), reference);
  if (data->nan_count != NULL)
    attn_correlation_count_defined (methods, L, data->n_examples, data->nan_count, &least, &most);
  caption = plot_caption (data->caption, data->n_examples, least, most, data->std != NULL);
  plot->source = source_new (title, NULL, 1, entries, n_entries, caption, width);
  for (guint m = 0; m < N_METHODS; m++)
    g_free (labels[m]);
  return plot_figure (plot, style, 0., 0.);
}

/**
 * attn_figure_new_evaluation_kinds:
 * @data: what to plot
 * @style: colours and fonts (the colour map is not used)
 *
 * Builds the evaluation plot over weight kinds: one panel per method (raw,
 * rollout, flow, side by side on one y axis), in each a line per weight kind
 * (its mean Spearman ρ per layer; no bands, which would cover each other), a
 * legend of the kinds, a title and the settings as a caption.
 *
 * Returns: (transfer full): the figure, of kind %ATTN_FIGURE_EVALUATION
 */
AttnFigure *
attn_figure_new_evaluation_kinds (const AttnEvaluationKindsPlotData *data,
                                  const AttnFigureStyle             *style)
{
  const char *panel_titles[N_METHODS];
  Entry entries[ATTN_N_WEIGHT_KINDS];
  g_autofree char *caption = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *title = NULL;
  AttnCorrelationMethods methods;
  guint least = data ? data->n_examples : 0, most = least;
  double width;
  Plot *plot;
  guint L;

  g_return_val_if_fail (data != NULL && style != NULL, NULL);
  g_return_val_if_fail (data->n_layers > 0 && data->kinds != NULL && data->mean != NULL, NULL);
  g_return_val_if_fail (data->n_kinds > 0 && data->n_kinds <= ATTN_N_WEIGHT_KINDS, NULL);
  g_return_val_if_fail ((data->methods & ATTN_CORRELATION_ALL) != 0, NULL);

  L = data->n_layers;
  methods = data->methods & ATTN_CORRELATION_ALL;
  plot = plot_new (L);
  for (guint m = 0; m < N_METHODS; m++)
    {
      Panel *panel;

      if ((methods & (1 << m)) == 0)
        continue;
      panel_titles[plot->panels->len] = attn_method_get_label (m);
      panel = plot_add_panel (plot);
      for (guint k = 0; k < data->n_kinds; k++)
        {
          AttnRgba color;

          g_return_val_if_fail (data->kinds[k] < ATTN_N_WEIGHT_KINDS, (plot_free (plot), NULL));
          attn_evaluation_get_kind_color (data->kinds[k], style->dark, &color);
          panel_add (plot, panel, data->mean[k] + m * L, NULL, &color, FALSE);
        }
    }
  for (guint k = 0; k < data->n_kinds; k++)
    {
      entries[k] = (Entry) { attn_weight_kind_get_label (data->kinds[k]), { 0 }, FALSE };
      attn_evaluation_get_kind_color (data->kinds[k], style->dark, &entries[k].color);
    }

  width = panel_width (MIN_PANEL_WIDTH, L);
  reference = _attn_caption_text (data->reference ? attn_reference_get_label (data->reference) : "?");
  title = g_strdup_printf (_("Spearman’s ρ with the reference “%s” per layer, by weight kind"), reference);
  if (data->nan_count != NULL)
    most = 0;
  for (guint k = 0; data->nan_count != NULL && k < data->n_kinds; k++)
    {
      guint kind_least, kind_most;

      attn_correlation_count_defined (methods, L, data->n_examples, data->nan_count[k],
                                      &kind_least, &kind_most);
      least = MIN (least, kind_least);
      most = MAX (most, kind_most);
    }
  caption = plot_caption (data->caption, data->n_examples, least, most, FALSE);
  plot->source = source_new (title, panel_titles, plot->panels->len, entries, data->n_kinds, caption, width);
  return plot_figure (plot, style, 0., 0.);
}
