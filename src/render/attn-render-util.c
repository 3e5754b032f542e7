/* attn-render-util.c: text, colour bar and edge visibility helpers
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

/* Unhinted metrics: text measures the same at every scale and on every
 * surface (image, SVG, PDF), so layouts computed once fit everywhere. The
 * text contexts that measure and the cairo contexts that draw both use them. */
/* Where a colour bar's tick labels start, right of the bar, and the room
 * after those it draws before the bar's name */
#define TICK_LABEL_X 5.
#define TICK_LABEL_GAP 6.

static cairo_font_options_t *
font_options_new (void)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  return options;
}

PangoContext *
_attn_text_context_new (void)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PangoContext *context = pango_font_map_create_context (map);
  cairo_font_options_t *options = font_options_new ();

  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_cairo_context_set_resolution (context, 96.);

  return context;
}

void
_attn_text_setup_cairo (cairo_t *cr)
{
  cairo_font_options_t *options = font_options_new ();

  cairo_set_font_options (cr, options);
  cairo_font_options_destroy (options);
}

/* An ARGB32 image of @width × @height figure pixels at @scale device pixels
 * each (rounded up), in *@image, and a context on it in figure coordinates;
 * %NULL when cairo cannot make an image that large: *@image is then the
 * error surface, as cairo reports it. */
cairo_t *
_attn_image_context_new (double            width,
                         double            height,
                         double            scale,
                         cairo_surface_t **image)
{
  cairo_t *cr;

  *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * scale),
                                       (int) ceil (height * scale));
  if (cairo_surface_status (*image) != CAIRO_STATUS_SUCCESS)
    return NULL;
  cr = cairo_create (*image);
  cairo_scale (cr, scale, scale);
  return cr;
}

/* @text with a word joiner (U+2060, which draws nothing) after each en dash
 * between two digits, or %NULL where it has none: Pango breaks a line after
 * an en dash whatever its attributes say, and Korean captions broke a range
 * of layers as "1–" / "12" */
static char *
join_number_ranges (const char *text)
{
  GString *out = NULL;
  const char *copied = text;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_utf8_get_char (p) == 0x2013 && p > text &&
        g_unichar_isdigit (g_utf8_get_char (g_utf8_prev_char (p))) &&
        g_unichar_isdigit (g_utf8_get_char (g_utf8_next_char (p))))
      {
        if (out == NULL)
          out = g_string_new (NULL);
        g_string_append_len (out, copied, g_utf8_next_char (p) - copied);
        g_string_append (out, "\u2060");
        copied = g_utf8_next_char (p);
      }
  if (out == NULL)
    return NULL;
  g_string_append (out, copied);
  return g_string_free (out, FALSE);
}

PangoLayout *
_attn_text_layout_new (PangoContext          *context,
                       const AttnFigureStyle *style,
                       const char            *text,
                       double                 font_size,
                       gboolean               bold,
                       double                 wrap_width)
{
  PangoLayout *layout = pango_layout_new (context);
  PangoFontDescription *desc = pango_font_description_new ();

  pango_font_description_set_family (desc, style->font_family ? style->font_family : "Sans");
  pango_font_description_set_absolute_size (desc, font_size * PANGO_SCALE);
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);

  pango_layout_set_text (layout, text, -1);
  if (wrap_width > 0.)
    {
      g_autofree char *joined = join_number_ranges (text);
      PangoAttrList *attrs;

      if (joined != NULL)
        pango_layout_set_text (layout, text = joined, -1);
      pango_layout_set_width (layout, (int) (wrap_width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      attrs = attn_text_word_breaks_new (text, layout, wrap_width);
      if (attrs != NULL)
        {
          pango_layout_set_attributes (layout, attrs);
          pango_attr_list_unref (attrs);
        }
    }

  return layout;
}

/* The space between the lines of a rotated label (a colour bar's name over
 * the line that says what saturates, or wrapped), as a share of its size,
 * and at most in all: half the gap after a colour bar's tick labels, which
 * a bar's name takes it from. Pango sets lines the font's height apart,
 * 1.15 em in NanumGothic as in DejaVu Sans, and Hangul, whose letters fill
 * the em, kept 0.15 em of it between two lines' ink: 1 or 2 px at 8 to
 * 11 px, which a panel drawn smaller filled (a Korean name read as one
 * block). */
#define ROTATED_LINE_SPACING 0.2
#define ROTATED_SPACING_MAX (TICK_LABEL_GAP / 2)

/* The space @layout (of text @font_size px, rotated) gets between each
 * two of its lines, in Pango units */
static int
rotated_spacing (PangoLayout *layout,
                 double       font_size)
{
  int gaps = pango_layout_get_line_count (layout) - 1;

  if (gaps <= 0)
    return 0;
  return (int) round (MIN (ROTATED_LINE_SPACING * font_size, ROTATED_SPACING_MAX / gaps) * PANGO_SCALE);
}

/* _attn_text_layout_new() of @label's text, its lines spaced as drawn */
static PangoLayout *
label_layout_new (PangoContext          *context,
                  const AttnFigureStyle *style,
                  const AttnLabel       *label)
{
  PangoLayout *layout = _attn_text_layout_new (context, style, label->text, label->font_size, label->bold,
                                               label->wrap_width);

  if (label->angle != 0.)
    pango_layout_set_spacing (layout, rotated_spacing (layout, label->font_size));
  return layout;
}

/* The logical width and height of @layout */
static void
layout_measure (PangoLayout *layout,
                double      *width,
                double      *height)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  *width = (double) (logical.x + logical.width) / PANGO_SCALE;
  *height = (double) logical.height / PANGO_SCALE;
}

void
_attn_text_measure (PangoContext          *context,
                    const AttnFigureStyle *style,
                    const char            *text,
                    double                 font_size,
                    gboolean               bold,
                    double                 wrap_width,
                    double                *width,
                    double                *height)
{
  g_autoptr(PangoLayout) layout = _attn_text_layout_new (context, style, text, font_size, bold,
                                                         wrap_width);

  layout_measure (layout, width, height);
}

/* The most of @avail pixels of height (less what else is laid out in it)
 * that rotated token labels may take: ATTN_TOKEN_LABELS_SHARE of it, not
 * less than three lines (@line_h high), less their 4 px of gap */
double
_attn_token_labels_room (double avail,
                         double line_h)
{
  return MAX (avail * ATTN_TOKEN_LABELS_SHARE, 3 * line_h) - 4.;
}

/* @text (shown as a label, @font_size high) where it is no wider than
 * @room; otherwise shortened with an ellipsis (_attn_shorten_text()) to
 * the most characters that fit, two at the least. @width gets the width of
 * the text returned. The graph's and the heatmap's token labels, where
 * whole they would take too much of a figure laid out at a size (the
 * view's hover line names them in full) */
char *
_attn_text_shorten_to_width (PangoContext          *context,
                             const AttnFigureStyle *style,
                             const char            *text,
                             double                 font_size,
                             double                 room,
                             double                *width)
{
  glong fits = 2, most = g_utf8_strlen (text, -1) - 1;
  char *shorter;
  double th;

  _attn_text_measure (context, style, text, font_size, FALSE, 0, width, &th);
  if (*width <= room || most < 2)
    return g_strdup (text);
  /* the most characters before the "…" that fit (two at the least), by halves */
  while (fits < most)
    {
      glong chars = (fits + most + 1) / 2;
      g_autofree char *tried = _attn_shorten_text (text, chars);
      double tw;

      _attn_text_measure (context, style, tried, font_size, FALSE, 0, &tw, &th);
      if (tw <= room)
        fits = chars;
      else
        most = chars - 1;
    }
  shorter = _attn_shorten_text (text, fits);
  _attn_text_measure (context, style, shorter, font_size, FALSE, 0, width, &th);
  return shorter;
}

/* The tokens of @example whose labels are kept where not all fit: its
 * first and last, its pronoun (focus), its candidate antecedents, and
 * @position and @sink (each -1 for none). Returns: (transfer full):
 * n_tokens flags */
gboolean *
_attn_marked_tokens (AttnExample *example,
                     int          position,
                     int          sink)
{
  guint n = attn_example_get_n_tokens (example);
  gboolean *marked = g_new0 (gboolean, n);

  marked[0] = marked[n - 1] = TRUE;
  marked[attn_example_get_focus (example)] = TRUE;
  for (guint a = 0; a < attn_example_get_n_antecedents (example); a++)
    marked[attn_example_get_antecedents (example)[a]] = TRUE;
  if (position >= 0 && (guint) position < n)
    marked[position] = TRUE;
  if (sink >= 0 && (guint) sink < n)
    marked[sink] = TRUE;
  return marked;
}

/* Lays out the labels of @n columns in a row, label k @width[k] wide and
 * centred on @center[k] where it can be: the @marked ones always, pushed
 * apart where they would touch (never right of where the rightmost would
 * end), then each other one where it touches none kept. Sets @left[k] to
 * the left edge of label k, or NAN for a label left out. */
void
_attn_place_column_labels (guint           n,
                           const double   *center,
                           const double   *width,
                           const gboolean *marked,
                           double         *left)
{
  const double gap = 1.;
  double prev = -G_MAXDOUBLE, limit = -G_MAXDOUBLE;
  guint next = 0;   /* the first marked column right of k */

  for (guint k = 0; k < n; k++)
    if (marked[k])
      {
        left[k] = MAX (center[k] - width[k] / 2, prev + gap);
        prev = left[k] + width[k];
        limit = MAX (limit, center[k] + width[k] / 2);
      }
  for (guint k = n; k-- > 0;)
    if (marked[k])
      {
        left[k] = MIN (left[k], limit - width[k]);
        limit = left[k] - gap;
      }
  prev = -G_MAXDOUBLE;
  for (guint k = 0; k < n; k++)
    {
      double l = center[k] - width[k] / 2;

      while (next < n && (next <= k || !marked[next]))
        next++;
      if (marked[k])
        prev = left[k] + width[k];
      else if (l >= prev + gap && (next >= n || l + width[k] + gap <= left[next]))
        prev = (left[k] = l) + width[k];
      else
        left[k] = NAN;
    }
}

void
_attn_label_init (AttnLabel             *label,
                  PangoContext          *context,
                  const AttnFigureStyle *style,
                  const AttnLabelSpec   *spec)
{
  g_autoptr(PangoLayout) layout = NULL;
  double w, h;

  memset (label, 0, sizeof *label);
  label->kind = spec->kind;
  label->index = spec->index;
  label->text = g_strdup (spec->text);
  label->font_size = spec->size;
  label->bold = spec->bold;
  label->wrap_width = spec->wrap;
  label->angle = spec->angle;

  /* rotated, its lines spaced (the box is what is drawn) */
  layout = label_layout_new (context, style, label);
  layout_measure (layout, &w, &h);
  label->line_spacing = (double) pango_layout_get_spacing (layout) / PANGO_SCALE *
                        (pango_layout_get_line_count (layout) - 1);
  if (spec->angle != 0.)
    {
      label->box.width = h;
      label->box.height = w;
    }
  else
    {
      label->box.width = w;
      label->box.height = h;
    }
}

/* Puts the label's box with its top left corner at (@x, @y). */
void
_attn_label_place (AttnLabel *label,
                   double     x,
                   double     y)
{
  label->box.x = x;
  label->box.y = y;
  label->x = x;
  label->y = label->angle != 0. ? y + label->box.height : y;
}

void
_attn_label_clear (AttnLabel *label)
{
  g_clear_pointer (&label->text, g_free);
}

static void
label_clear_cb (gpointer data)
{
  _attn_label_clear (data);
}

/* Returns: (transfer full): an empty array of #AttnLabel that clears the
 * labels it drops */
GArray *
_attn_labels_new (void)
{
  GArray *labels = g_array_new (FALSE, TRUE, sizeof (AttnLabel));

  g_array_set_clear_func (labels, label_clear_cb);
  return labels;
}

void
_attn_label_draw (cairo_t               *cr,
                  const AttnLabel       *label,
                  const AttnFigureStyle *style,
                  const AttnRgba        *color)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(AttnPangoContext) context = NULL;

  cairo_save (cr);
  _attn_text_setup_cairo (cr);
  context = pango_cairo_create_context (cr);
  layout = label_layout_new (context, style, label);
  _attn_set_source_rgba (cr, color);
  cairo_move_to (cr, label->x, label->y);
  if (label->angle != 0.)
    cairo_rotate (cr, label->angle);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

void
_attn_set_source_rgba (cairo_t        *cr,
                       const AttnRgba *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

/* Fills the figure, @width x @height from the origin, with @color */
void
_attn_fill_background (cairo_t        *cr,
                       const AttnRgba *color,
                       double          width,
                       double          height)
{
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  _attn_set_source_rgba (cr, color);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* The relative luminance of the sRGB colour @r, @g, @b (each in [0, 1]):
 * linearised, with Rec. 709's weights, as WCAG 2 defines it */
double
_attn_relative_luminance (double r,
                          double g,
                          double b)
{
  double c[3] = { r, g, b };

  for (guint i = 0; i < 3; i++)
    c[i] = c[i] <= 0.04045 ? c[i] / 12.92 : pow ((c[i] + 0.055) / 1.055, 2.4);

  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

/* WCAG 2's contrast ratio of two relative luminances, from 1 to 21 */
double
_attn_contrast_ratio (double a,
                      double b)
{
  return (MAX (a, b) + 0.05) / (MIN (a, b) + 0.05);
}

/* Black or white, whichever has the better contrast ratio with a fill of
 * relative luminance @luminance (black from 0.179 up): the colour of text,
 * and of the halo of a line, over a cell. A fixed cut at 0.36 put white on
 * the ink map's middle blues at 2.7:1, where black reads at 7.6:1. */
const AttnRgba *
_attn_ink_over (double luminance)
{
  static const AttnRgba black = { 0.f, 0.f, 0.f, 1.f }, white = { 1.f, 1.f, 1.f, 1.f };

  return _attn_contrast_ratio (luminance, 0.) >= _attn_contrast_ratio (luminance, 1.) ? &black : &white;
}

/* _attn_ink_over() the colour of @map at @t */
const AttnRgba *
_attn_ink_over_map (const AttnColormap *map,
                    double              t)
{
  return _attn_ink_over (attn_colormap_lightness (map, t));
}

void
_attn_set_source_map (cairo_t            *cr,
                      const AttnColormap *map,
                      double              t,
                      double              alpha)
{
  double r, g, b;

  attn_colormap_lookup (map, t, &r, &g, &b);
  cairo_set_source_rgba (cr, r, g, b, alpha);
}

/* |@value| in printf()'s "%.*e" with @digits decimals, after @value's
 * sign, both with a real minus sign, U+2212 ("−6.50e−04") */
char *
_attn_format_exponent (double value,
                       int    digits)
{
  g_autofree char *text = g_strdup_printf ("%s%.*e", value < 0. ? "−" : "", digits, fabs (value));
  g_auto(GStrv) parts = g_strsplit (text, "e-", 2);

  return g_strjoinv ("e−", parts);
}

/* A colour bar's tick at @value, its ticks @step apart: every tick of a bar
 * with as many decimals, those of a round step (0.05, 0.10, 0.15) and at
 * most two digits of any other (0.61 for the ends of a bar up to 0.6134);
 * steps under 0.001 in exponent form; a minus sign, not a hyphen */
char *
_attn_format_tick (double value,
                   double step)
{
  const char *sign = value < 0. ? "−" : "";
  int decimals;

  if (value == 0.)
    return g_strdup ("0");
  if (!(fabs (step) >= 0.001))
    return _attn_format_exponent (value, 1);
  decimals = CLAMP (1 - (int) floor (log10 (fabs (step))), 0, 4);
  for (int d = 0; d < decimals; d++)
    if (fabs (step * pow (10., d) - round (step * pow (10., d))) < 1e-6)
      {
        decimals = d;
        break;
      }
  return g_strdup_printf ("%s%.*f", sign, decimals, fabs (value));
}

/* The ticks of a colour bar from @min to @max with room for @room labels
 * (_attn_colorbar_n_ticks()): the multiples of a round step (1, 2, 2.5 or
 * 5 times a power of ten) in it, as many as fit, so that every label is
 * the value at its tick, as in matplotlib; its two ends where fewer than
 * three would (a bar up to 0.37 would show 0 and 0.2 alone). Returns how
 * many, and their @step. */
guint
_attn_colorbar_ticks (double  min,
                      double  max,
                      guint   room,
                      double  ticks[5],
                      double *step)
{
  static const double mantissas[] = { 1., 2., 2.5, 5., 10. };
  double range = max - min;
  guint n = 0;

  room = MIN (room, 5);
  if (room >= 3 && range > 0. && isfinite (range))
    {
      double want = range / (room - 1), power = pow (10., floor (log10 (want)));
      double first;

      for (guint i = 0; i < G_N_ELEMENTS (mantissas); i++)
        if (mantissas[i] * power >= want * (1. - 1e-9))
          {
            *step = mantissas[i] * power;
            break;
          }
      first = ceil (min / *step - 1e-9);
      for (double k = first; n < room && k * *step <= max + *step * 1e-9; k++)
        ticks[n++] = k == 0. ? 0. : k * *step;
      if (n >= 3)
        return n;
    }
  ticks[0] = min;
  ticks[1] = max;
  *step = range;
  return 2;
}

/* The room right of a colour bar for its tick labels, whatever its range */
double
_attn_colorbar_ticks_width (PangoContext          *context,
                            const AttnFigureStyle *style)
{
  double w, h;

  _attn_text_measure (context, style, "−0.0e−00", style->font_size * 0.85, FALSE, 0, &w, &h);

  return w + 6.;
}

/* The ticks a colour bar @height high from @min to @max draws, as many as
 * their labels' height lets it */
static guint
bar_ticks (PangoContext          *context,
           const AttnFigureStyle *style,
           double                 min,
           double                 max,
           double                 height,
           double                 ticks[5],
           double                *step)
{
  double w, h;

  _attn_text_measure (context, style, "0.0", style->font_size * 0.85, FALSE, 0, &w, &h);
  return _attn_colorbar_ticks (min, max, _attn_colorbar_n_ticks (height, h), ticks, step);
}

/* The width of the labels of @n ticks of a bar from @min to @max */
static double
tick_labels_width (PangoContext          *context,
                   const AttnFigureStyle *style,
                   double                 min,
                   double                 max,
                   guint                  n_ticks)
{
  double w, h, ticks[5], step, widest = 0.;
  guint n = _attn_colorbar_ticks (min, max, n_ticks, ticks, &step);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = _attn_format_tick (ticks[i], step);

      _attn_text_measure (context, style, text, style->font_size * 0.85, FALSE, 0, &w, &h);
      widest = MAX (widest, w);
    }
  return TICK_LABEL_X + widest + TICK_LABEL_GAP;
}

/* The room right of a colour bar @height high from @min to @max for the
 * tick labels it draws (its name can go right after them) */
double
_attn_colorbar_ticks_used_width (PangoContext          *context,
                                 const AttnFigureStyle *style,
                                 double                 min,
                                 double                 max,
                                 double                 height)
{
  double w, h;

  _attn_text_measure (context, style, "0.0", style->font_size * 0.85, FALSE, 0, &w, &h);
  return tick_labels_width (context, style, min, max, _attn_colorbar_n_ticks (height, h));
}

/* How many ticks a colour bar can get (_attn_colorbar_n_ticks()), the
 * most first: 5, 3 or only its ends */
static const guint bar_tick_counts[] = { 5, 3, 2 };

/* The room right of a colour bar from @min to @max for its tick labels,
 * whatever its height (any of bar_tick_counts): no more than its labels
 * take, where _attn_colorbar_ticks_width() leaves room for any range */
double
_attn_colorbar_ticks_range_width (PangoContext          *context,
                                  const AttnFigureStyle *style,
                                  double                 min,
                                  double                 max)
{
  double widest = 0.;

  for (guint i = 0; i < G_N_ELEMENTS (bar_tick_counts); i++)
    widest = MAX (widest, tick_labels_width (context, style, min, max, bar_tick_counts[i]));
  return widest;
}

/* How many ticks a colour bar of @bar_height gets: the most of
 * bar_tick_counts whose labels, @tick_height high, never overlap, or
 * only its ends */
guint
_attn_colorbar_n_ticks (double bar_height,
                        double tick_height)
{
  guint i = 0;

  while (i + 1 < G_N_ELEMENTS (bar_tick_counts) && bar_height / (bar_tick_counts[i] - 1) < tick_height * 1.1)
    i++;
  return bar_tick_counts[i];
}

/* The ticks of a colour bar from @min to @max, on its right or (@left) on
 * its left, their labels beside them */
static void
draw_ticks (cairo_t               *cr,
            PangoContext          *context,
            const AttnFigureStyle *style,
            const AttnRect        *bar,
            double                 min,
            double                 max,
            double                 top_reach,
            gboolean               left)
{
  double ticks[5], step;
  guint n_ticks = bar_ticks (context, style, min, max, bar->height, ticks, &step);
  double edge = left ? bar->x : bar->x + bar->width, out = left ? -1. : 1.;

  for (guint i = 0; i < n_ticks; i++)
    {
      double f = max > min ? (ticks[i] - min) / (max - min) : (double) i;
      double y = bar->y + bar->height * (1. - f);
      g_autofree char *text = _attn_format_tick (ticks[i], step);
      AttnLabel label;

      cairo_move_to (cr, edge, y);
      cairo_line_to (cr, edge + 3 * out, y);
      _attn_set_source_rgba (cr, &style->foreground);
      cairo_stroke (cr);

      _attn_label_init (&label, context, style,
                        &(AttnLabelSpec) { .kind = ATTN_LABEL_SCALE, .index = i, .text = text,
                                           .size = style->font_size * 0.85 });
      _attn_label_place (&label, left ? edge - TICK_LABEL_X - label.box.width : edge + TICK_LABEL_X,
                         _attn_colorbar_tick_top (bar, y, label.box.height, top_reach));
      _attn_label_draw (cr, &label, style, &style->foreground);
      _attn_label_clear (&label);
    }
}

/* The top of the label @height high of a colour bar's tick at @y: centred
 * on it, but reaching at most @top_reach over @bar where that is set (a
 * block's title over the bar: "어텐션 × 그래디언트" touched its bar's "0.11") */
double
_attn_colorbar_tick_top (const AttnRect *bar,
                         double          y,
                         double          height,
                         double          top_reach)
{
  return top_reach > 0. ? MAX (y - height / 2, bar->y - top_reach) : y - height / 2;
}

/* Vertical colour bar, @max at the top; ticks on its right, the top one's
 * label reaching at most @top_reach over it (0: half its height). The map's
 * colours run from @t0 at @min to @t1 at @max (0 and 1, or the graph's
 * range: attn_colormap_get_graph_range()). */
void
_attn_draw_colorbar (cairo_t               *cr,
                     const AttnFigureStyle *style,
                     const AttnColormap    *map,
                     const AttnRect        *bar,
                     double                 min,
                     double                 max,
                     double                 t0,
                     double                 t1,
                     double                 top_reach)
{
  cairo_pattern_t *pattern;
  const guint n_stops = 32;
  g_autoptr(AttnPangoContext) context = NULL;

  pattern = cairo_pattern_create_linear (0, bar->y + bar->height, 0, bar->y);
  for (guint i = 0; i <= n_stops; i++)
    {
      double t = (double) i / n_stops, r, g, b;

      attn_colormap_lookup (map, t0 + (t1 - t0) * t, &r, &g, &b);
      cairo_pattern_add_color_stop_rgb (pattern, t, r, g, b);
    }
  cairo_save (cr);
  cairo_rectangle (cr, bar->x, bar->y, bar->width, bar->height);
  cairo_set_source (cr, pattern);
  cairo_fill_preserve (cr);
  cairo_pattern_destroy (pattern);
  _attn_set_source_rgba (cr, &style->foreground);
  cairo_set_line_width (cr, 1.);
  cairo_stroke (cr);

  _attn_text_setup_cairo (cr);
  context = pango_cairo_create_context (cr);
  draw_ticks (cr, context, style, bar, min, max, top_reach, FALSE);
  cairo_restore (cr);
}

/* A second scale on the left of colour bar @bar (_attn_draw_colorbar()),
 * from @min to @max: the nodes' own range on one range for all layers */
void
_attn_draw_colorbar_left_ticks (cairo_t               *cr,
                                const AttnFigureStyle *style,
                                const AttnRect        *bar,
                                double                 min,
                                double                 max)
{
  g_autoptr(AttnPangoContext) context = NULL;

  cairo_save (cr);
  cairo_set_line_width (cr, 1.);
  _attn_text_setup_cairo (cr);
  context = pango_cairo_create_context (cr);
  draw_ticks (cr, context, style, bar, min, max, 0., TRUE);
  cairo_restore (cr);
}

/* An edge that top-k may keep: its value, and its key position */
typedef struct
{
  double v;
  guint  k;
} Candidate;

static int
compare_candidates (const void *a,
                    const void *b)
{
  const Candidate *ca = a, *cb = b;

  if (ca->v != cb->v)
    return ca->v > cb->v ? -1 : 1;

  return ca->k < cb->k ? -1 : ca->k > cb->k;
}

/* Where the graph takes the colour of a normalised value @t from its map */
double
_attn_graph_map_position (const AttnFigureStyle *style,
                          double                 t)
{
  double weakest, strongest;

  attn_colormap_get_graph_range (style->colormap, style->dark, &weakest, &strongest);
  return weakest + (strongest - weakest) * t;
}

/* Whether @scene is an un-clicked rollout or flow with each layer to its
 * own range (kept above an even spread, see attn-graph-scene.c): its
 * edges that carry at least an even share of their node's importance stay
 * visible */
static gboolean
is_even_spread (const AttnGraphScene *scene)
{
  AttnTrace *trace = attn_graph_scene_get_trace (scene);

  return attn_graph_scene_get_color_scale (scene) == ATTN_COLOR_SCALE_PER_LAYER &&
         !attn_graph_scene_get_shares (scene) && trace != NULL &&
         attn_trace_get_method (trace) != ATTN_METHOD_RAW;
}

/* The opacity of an edge at @t: attn_graph_render_edge_alpha(), but in raw
 * attention with each layer to its own range the opacity falls off faster,
 * so that each node's strongest inputs stand out and the many weak edges of
 * a long input stay out of the figure */
double
_attn_graph_edge_alpha (const AttnGraphScene *scene,
                        double                t)
{
  if (attn_graph_scene_get_color_scale (scene) == ATTN_COLOR_SCALE_PER_LAYER &&
      !attn_graph_scene_get_shares (scene) && t > 0. && !is_even_spread (scene))
    return attn_graph_render_edge_alpha (pow (MIN (t, 1.), ATTN_UNCLICKED_GAMMA));
  return attn_graph_render_edge_alpha (t);
}

/* The opacity an edge at @t is stroked with, below ATTN_GRAPH_MAX_ALPHA
 * (and ATTN_SATURATED_ALPHA when it is @saturated) */
double
_attn_graph_stroke_alpha (const AttnGraphScene *scene,
                          double                t,
                          gboolean              saturated)
{
  return MIN (saturated ? ATTN_SATURATED_ALPHA : ATTN_GRAPH_MAX_ALPHA, _attn_graph_edge_alpha (scene, t));
}

/* The value drawn at full colour for the edges (or, with @nodes, the nodes)
 * of @layer: the layer's own maximum in a per-layer scene, else the graph's
 * @scale_max */
double
_attn_graph_layer_scale (const AttnGraphScene *scene,
                         guint                 layer,
                         gboolean              nodes,
                         double                scale_max)
{
  double s = nodes ? attn_graph_scene_get_node_scale (scene, layer)
                   : attn_graph_scene_get_edge_scale (scene, layer);

  return s > 0. ? s : scale_max;
}

/* The smallest t drawn: _attn_graph_edge_alpha() grows with t, so an edge's
 * opacity is below 1/255 exactly when its t is below this (found by
 * bisection down to adjacent doubles, rather than a pow() per edge) */
static double
min_visible_t (const AttnGraphScene *scene)
{
  double lo = 0., hi = 1.;

  if (_attn_graph_edge_alpha (scene, hi) < 1. / 255.)
    return G_MAXDOUBLE;
  for (;;)
    {
      double mid = lo + (hi - lo) / 2.;

      if (mid <= lo || mid >= hi)
        return hi;
      if (_attn_graph_edge_alpha (scene, mid) < 1. / 255.)
        lo = mid;
      else
        hi = mid;
    }
}

void
_attn_graph_visible_edges (const AttnGraphScene  *scene,
                           const AttnFigureStyle *style,
                           guint                  layer,
                           double                 scale_max,
                           float                 *visible,
                           guint8                *saturated)
{
  guint n = attn_graph_scene_get_n_tokens (scene);
  g_autofree Candidate *cands = NULL;
  g_autofree double *buffer = g_new (double, n);
  double inv, min_value = G_MAXDOUBLE, t_floor = 0., t_min;

  if (!attn_graph_scene_has_layer (scene, layer))
    {
      memset (visible, 0, (gsize) n * n * sizeof (float));
      if (saturated != NULL)
        memset (saturated, 0, (gsize) n * n);
      return;
    }
  scale_max = _attn_graph_layer_scale (scene, layer, FALSE, scale_max);
  inv = scale_max > 0. ? 1. / scale_max : 0.;
  if (attn_graph_scene_get_shares (scene) || is_even_spread (scene))
    {
      gboolean shares = attn_graph_scene_get_shares (scene);
      double total = 0.;

      /* after a click the edges that carry 1% of the layer's flow stay
       * visible; without one, those that carry an even share of their
       * node's importance (the layer's mean edge) */
      for (guint q = 0; q < n; q++)
        {
          const double *e = attn_graph_scene_get_edge_row (scene, layer, q, buffer);

          for (guint k = 0; k < n; k++)
            total += e[k];
        }
      min_value = shares ? ATTN_EDGE_MIN_SHARE * total : total / ((double) n * n);
      t_floor = pow ((shares ? ATTN_EDGE_MIN_ALPHA : ATTN_EVEN_MIN_ALPHA) / 0.9, 1. / 1.3);
    }

  if (style->top_k > 0 && style->top_k < n)
    cands = g_new (Candidate, n);
  t_min = min_visible_t (scene);

  for (guint q = 0; q < n; q++)
    {
      float *row = visible + (gsize) q * n;
      const double *e = attn_graph_scene_get_edge_row (scene, layer, q, buffer);
      guint n_cands = 0;

      for (guint k = 0; k < n; k++)
        {
          double v = e[k], t = v * inv;
          /* the threshold is of the colour scale, as the caption says
           * ("edges ≥ 0.3 × max"): the floor raises what it keeps */
          gboolean below = t < style->threshold;

          if (!(t > 0.))
            t = 0.;
          else if (t > 1.)
            t = 1.;
          if (v >= min_value && v > 0.)
            t = MAX (t, t_floor);
          if (below || t < t_min)
            t = 0.;
          row[k] = (float) t;
          /* above the range, not the range's own maximum one ulp off */
          if (saturated != NULL)
            saturated[(gsize) q * n + k] = t > 0. && v > scale_max * (1. + 1e-9);
          if (cands != NULL && t > 0.)
            cands[n_cands++] = (Candidate) { v, k };
        }

      if (cands != NULL && n_cands > style->top_k)
        {
          guint keep = style->top_k;

          qsort (cands, n_cands, sizeof (Candidate), compare_candidates);
          /* the edges tied with the k-th strongest stay: which of them to
           * drop would be arbitrary, and the graph would point at some */
          while (keep < n_cands && cands[keep].v >= cands[style->top_k - 1].v * (1. - 1e-9))
            keep++;
          for (guint i = keep; i < n_cands; i++)
            {
              row[cands[i].k] = 0.f;
              if (saturated != NULL)
                saturated[(gsize) q * n + cands[i].k] = 0;
            }
        }
    }
}

/* The position of @example's longest token (in characters; the first of
 * the longest): the one whose click brings the longest texts */
guint
_attn_longest_token (AttnExample *example)
{
  guint n = attn_example_get_n_tokens (example), longest = 0;

  for (guint k = 1; k < n; k++)
    if (g_utf8_strlen (attn_example_get_token (example, k), -1) >
        g_utf8_strlen (attn_example_get_token (example, longest), -1))
      longest = k;
  return longest;
}
