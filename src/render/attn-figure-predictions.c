/* attn-figure-predictions.c: a heatmap's prediction bars
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "attn-figure-private.h"

/* The longest candidate label shown whole */
#define MAX_LABEL 40
/* In one line, each candidate's bar is at most this wide */
#define INLINE_BAR_W 60.
/* ...and the candidates this far apart; a label wider than this goes
 * on lines of its own (in a row per candidate) */
#define INLINE_SPACE 14.
#define INLINE_MAX_LABEL_W 140.

/* Candidate @i of @example as its bar says it: its label (shortened) and
 * probability. Returns whether it is the prediction (in bold). */
static gboolean
candidate_texts (AttnExample  *example,
                 guint         i,
                 char        **name,
                 char        **pct)
{
  const AttnCandidate *c = attn_example_get_candidate (example, i);
  g_autofree char *label = attn_text_from_file (c->label);

  *name = _attn_shorten_text (label, MAX_LABEL);
  *pct = g_strdup_printf ("%.1f%%", 100. * c->probability);
  return g_strcmp0 (c->label, attn_example_get_prediction_label (example)) == 0;
}

/* A candidate's bar, @length long from (@x, @y), in the accent where @bold */
static void
add_bar (Builder  *b,
         double    x,
         double    y,
         double    length,
         double    height,
         gboolean  bold)
{
  Swatch swatch = { .rect = { x, y, length, height }, .t = -1., .accent = bold, .label = -1 };

  g_array_append_val (b->figure->swatches, swatch);
}

/* The heading of the prediction bars, at (@x, @y), wrapped at @width,
 * styled as the sentence's layer: it says whose the numbers are and what
 * (without it a reader took "negative 0.0% / positive 100.0%" for part of
 * the heatmap) */
static AttnLabel *
add_heading (Builder *b,
             double   x,
             double   y,
             double   width)
{
  return _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_NOTE,
                                 /* translators: the heading of a heatmap's prediction bars, the
                                  * model's probabilities of its classes (a classifier) or of
                                  * words at the focus token (a language model); a short line */
                                 .text = _("Model’s prediction"), .size = b->fs * 0.85, .wrap = width },
                                 x, y);
}

/* The bars of @example's @n_cands candidates from (@x, @y), @width wide: a
 * row per candidate, its label, bar and probability. Returns the y under
 * them. */
static double
place_bars (Builder     *b,
            double       x,
            double       y,
            double       width,
            AttnExample *example,
            guint        n_cands)
{
  double label_w = 0., pct_w, row_h = b->line_h + 4., bar_w;
  double cy = y;

  /* the labels as drawn: escaped (“\u200b”, attn_text_from_file()),
   * shortened; measured from the file's text, a label of invisible
   * characters had no room and was drawn over its bar */
  for (guint i = 0; i < n_cands; i++)
    {
      g_autofree char *name = NULL, *pct = NULL;

      candidate_texts (example, i, &name, &pct);
      label_w = MAX (label_w, _attn_figure_measure_width (b, name, b->fs * 0.85, TRUE));
    }
  label_w = MIN (label_w, width * 0.35);
  pct_w = _attn_figure_measure_width (b, "100.0%", b->fs * 0.85, FALSE);
  bar_w = MAX (40., width - label_w - pct_w - 16.);

  for (guint i = 0; i < n_cands; i++)
    {
      g_autofree char *name = NULL, *pct = NULL;
      gboolean bold = candidate_texts (example, i, &name, &pct);
      double p = CLAMP (attn_example_get_candidate (example, i)->probability, 0., 1.);
      double label_h;

      /* long labels wrap inside their column, their row as high as their lines */
      label_h = _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_PREDICTION, .index = i,
                                        .text = name, .size = b->fs * 0.85, .bold = bold,
                                        .wrap = _attn_figure_measure_width (b, name, b->fs * 0.85, bold) > label_w
                                                ? label_w : 0. }, x, cy + 2.)->box.height;
      add_bar (b, x + label_w + 6., cy + 3., MAX (1., bar_w * p), row_h - 6., bold);
      _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_PREDICTION, .index = i, .text = pct,
                              .size = b->fs * 0.85 }, x + label_w + 6. + bar_w + 6., cy + 2.);
      cy += MAX (row_h, label_h + 4.);
    }
  return cy;
}

/* @example's prediction bars at (@x, @y), @width wide, under their
 * heading. Returns their height, 0 without candidates. */
double
_attn_figure_place_predictions (Builder     *b,
                                double       x,
                                double       y,
                                double       width,
                                AttnExample *example)
{
  guint n_cands = MIN (attn_example_get_n_candidates (example), MAX_CANDIDATES);
  double cy = y;

  if (n_cands == 0)
    return 0.;
  cy += add_heading (b, x, cy, width)->box.height + 2.;
  return place_bars (b, x, cy, width, example, n_cands) - y + 6.;
}

/* @example's prediction bars in a row @width wide from (@x, @y), their
 * heading left of them (above the blocks: in their row labels' column or
 * past it; a line of its own over the bars cost all methods' rows a pixel
 * in a panel 260 px high), the bars at most @bars_w wide, @indent in (the
 * blocks' left edge) or past the heading. Returns their height, 0 without
 * candidates. */
double
_attn_figure_place_predictions_beside (Builder     *b,
                                       double       x,
                                       double       y,
                                       double       width,
                                       double       indent,
                                       double       bars_w,
                                       AttnExample *example)
{
  guint n_cands = MIN (attn_example_get_n_candidates (example), MAX_CANDIDATES);
  AttnRect heading;
  double bottom;

  if (n_cands == 0)
    return 0.;
  heading = add_heading (b, x, y + 2., width * 0.35)->box;
  indent = MAX (indent, heading.width + 12.);
  bottom = place_bars (b, x + indent, y, MIN (bars_w, width - indent), example, n_cands);
  return MAX (bottom, heading.y + heading.height + 4.) - y + 6.;
}

/* Candidate @i of @example in a line: its label (@name, @name_w wide),
 * bold where it is the prediction, and probability (@pct), and its bar's
 * length where the bars are at most @bar_w long. Returns the width of the
 * three, and the space between them. */
static double
inline_candidate (Builder     *b,
                  AttnExample *example,
                  guint        i,
                  double       bar_w,
                  char       **name,
                  char       **pct,
                  gboolean    *bold,
                  double      *name_w,
                  double      *bar)
{
  *bold = candidate_texts (example, i, name, pct);
  *name_w = _attn_figure_measure_width (b, *name, b->fs * 0.85, *bold);
  *bar = MAX (1., bar_w * CLAMP (attn_example_get_candidate (example, i)->probability, 0., 1.));
  return *name_w + 4. + *bar + 4. + _attn_figure_measure_width (b, *pct, b->fs * 0.85, FALSE);
}

/* The width of @example's @n_cands candidates in a line after their
 * heading, their bars at most @bar_w long */
static double
inline_width (Builder     *b,
              AttnExample *example,
              guint        n_cands,
              double       bar_w)
{
  double w = _attn_figure_measure_width (b, _("Model’s prediction"), b->fs * 0.85, FALSE);

  for (guint i = 0; i < n_cands; i++)
    {
      g_autofree char *name = NULL, *pct = NULL;
      gboolean bold;
      double name_w, bar;

      w += INLINE_SPACE + inline_candidate (b, example, i, bar_w, &name, &pct, &bold, &name_w, &bar);
      if (name_w > INLINE_MAX_LABEL_W)
        return G_MAXDOUBLE;
    }
  return w;
}

/* @example's prediction bars in one line after @heading (the line over
 * the blocks of a panel too low for two more lines: all methods' rows of
 * 4 px in 909 x 229 px), which ends at @right: right of the heading, or,
 * where they do not fit there, under it; where they do not fit in a line
 * (or a label is long), in a row each under it, as over the blocks
 * (_attn_figure_place_predictions_beside()).
 * Returns the height from the heading's top to under them. */
double
_attn_figure_place_predictions_inline (Builder        *b,
                                       const AttnRect *heading,
                                       double          right,
                                       AttnExample    *example)
{
  guint n_cands = MIN (attn_example_get_n_candidates (example), MAX_CANDIDATES);
  double row_h = b->line_h + 4., bar_w = INLINE_BAR_W, w, x, y = heading->y, total = 0.;

  if (n_cands == 0)
    return heading->height + 2.;
  w = inline_width (b, example, n_cands, bar_w);
  /* the bars' lengths add up to @bar_w times the probabilities' sum */
  for (guint i = 0; i < n_cands; i++)
    total += CLAMP (attn_example_get_candidate (example, i)->probability, 0., 1.);
  if (w > right - heading->x && total > 0.)
    {
      /* shorter bars, down to a third */
      bar_w = MAX (INLINE_BAR_W / 3., bar_w - (w - (right - heading->x)) / total);
      w = inline_width (b, example, n_cands, bar_w);
    }
  if (w > right - heading->x)
    return heading->height + 2. +
           _attn_figure_place_predictions_beside (b, heading->x, heading->y + heading->height + 2.,
                                                  right - heading->x, b->layer_w + 6., 420., example);
  if (heading->x + heading->width + GAP + w > right)
    y += heading->height + 2.;
  else
    y += MAX (0., (heading->height - row_h) / 2.);
  x = right - w;
  x += add_heading (b, x, y + 2., 0.)->box.width;
  for (guint i = 0; i < n_cands; i++)
    {
      g_autofree char *name = NULL, *pct = NULL;
      gboolean bold;
      double name_w, bar;
      double next = x + INLINE_SPACE + inline_candidate (b, example, i, bar_w, &name, &pct, &bold, &name_w, &bar);

      x += INLINE_SPACE;
      x += _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_PREDICTION, .index = i, .text = name,
                                   .size = b->fs * 0.85, .bold = bold }, x, y + 2.)->box.width + 4.;
      add_bar (b, x, y + 3., bar, row_h - 6., bold);
      _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_PREDICTION, .index = i, .text = pct,
                              .size = b->fs * 0.85 }, x + bar + 4., y + 2.);
      x = next;
    }
  return MAX (y + row_h, heading->y + heading->height) + 2. - heading->y;
}
