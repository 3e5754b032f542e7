/* attn-figure-fit.c: a heatmap or compare figure laid out again at the size it is shown at
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A panel does not shrink the figure's natural layout (whose text would
 * come out at a few pixels): the figure keeps its content (HeatmapData) and
 * is laid out again with cells that fill the panel, the text at its own
 * size. The cells' size is solved in a few passes, as the labels (upright
 * or rotated, thinned) follow the cells.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "attn-figure-private.h"

/* The cells of a figure laid out at a size, in pixels: a heatmap's columns
 * down to a pixel (a long input shown whole; zoom in for its cells), a
 * comparison's, which label their predictions, to 3 */
#define FIT_MIN_CW 1.
/* ...and a heatmap's down to a quarter of a pixel where the box leaves its
 * cells this much width or more: 2,048 tokens in 512 px (at a pixel a
 * column, the colour bar and the last columns were past the panel's edge) */
#define FIT_LEAST_CW 0.25
#define FIT_LEAST_CELLS_W 256.
/* Columns this wide or wider are whole pixels (crisp edges, and what that
 * leaves of the width under an eighth); narrower ones, a long input's,
 * take the fraction too (in 1/128 px, never past the width), so that they
 * fill the width: each column one colour, its edges anti-aliased (cells
 * rounded down to whole pixels left a third of the panel empty at n = 512) */
#define FIT_WHOLE_CW 8.
#define FIT_MIN_CW_COMPARE 3.
/* A comparison sets blocks side by side, each with its sentence under it:
 * in a small box its blocks stay this wide (the shortest example's; within
 * FIT_MAX_CW a column) and its rows this high, and the view shrinks or pans
 * the figure, rather than squeeze the sentences to a word a line and the
 * rows to a few pixels with one layer labelled */
#define FIT_MIN_BLOCK_W_COMPARE 160.
#define FIT_MIN_CH_COMPARE 10.
#define FIT_MAX_CW 64.
#define FIT_MIN_CH 4.
#define FIT_MAX_CH 28.
/* A panel at least this many times as wide as it is high gets the side
 * column (predictions and sentences beside the blocks) */
#define SIDE_ASPECT 1.8
#define FIT_PASSES 4
/* The side column's width by default: a quarter of the panel's, within bounds */
#define SIDE_SHARE 0.26
#define SIDE_MIN_WIDTH 170.
#define SIDE_MAX_WIDTH 320.
/* The arrangements of a wide, low panel, tried in turn until one shows the
 * figure whole at 95 % of its size or more, with rows above their smallest
 * height and columns FIT_NARROW_CW wide or more (or, for a long input, as
 * wide as the panel gives any arrangement): the title and the caption
 * in the side column (the blocks get the whole height) or across the
 * figure (the column holds less), with the column at a share of the
 * panel's width (0: a quarter, within bounds); then without the title and
 * the caption; then without the sentence (the column holds the
 * predictions, if any); last, for several blocks (all methods, all
 * weights), without the column: the predictions in the line over the
 * blocks, which get its width (at 989 x 245, columns of 7 px where they
 * were 3) and, the predictions in no lines of their own, the height (at
 * 909 x 229, rows of 8 px where they were 4). */
#define FIT_SHOWN 0.95
#define FIT_NARROW_CW 6.
/* Past the first arrangement that shows well, one with rows this high or
 * higher that shows as much text (title and caption, sentence) is looked
 * for (bert's example at 960 x 200 had rows of 7 px, shrunk a little,
 * with its title over the blocks, 9 px with it beside them); where none
 * shows well, the cells' shorter side as shown counts before the text's
 * size, within FIT_TEXT_GIVEN of it (SST-2's all methods at 609 x 155:
 * columns of 0.9 px with the predictions in the side column, of 2.2 px
 * with them in a line over the blocks, the text at 0.78 where it was 0.86) */
#define FIT_READABLE_CH 8.
#define FIT_TEXT_GIVEN 0.85
/* A heatmap whose text or rows would show smaller than these, shrunk to
 * show whole in its box, is laid out to be scrolled (fit_scrolled()); the
 * heatmap panel's view shows text FIT_LEGIBLE_TEXT high at least, panning
 * the rest */
#define FIT_LEGIBLE_TEXT 9.
#define FIT_LEGIBLE_CH 5.
static const struct
{
  double   share;
  FitText  text;
  gboolean sentence;
  gboolean no_side;
} SIDE_TRIES[] = {
  { 0., FIT_TEXT_BESIDE, TRUE }, { 0.38, FIT_TEXT_BESIDE, TRUE }, { 0., FIT_TEXT_ACROSS, TRUE },
  { 0.38, FIT_TEXT_ACROSS, TRUE }, { 0.5, FIT_TEXT_ACROSS, TRUE }, { 0., FIT_TEXT_NONE, TRUE },
  { 0.5, FIT_TEXT_NONE, TRUE }, { 0., FIT_TEXT_ACROSS, FALSE }, { 0., FIT_TEXT_NONE, FALSE },
  { 0., FIT_TEXT_NONE, FALSE, TRUE },
};
/* A sentence longer than this does not fit beside the blocks of a panel:
 * its arrangements are not tried */
#define SIDE_MAX_TOKENS 200

HeatmapData *
_attn_heatmap_data_new (const AttnFigureInput    *inputs,
                        guint                     n_inputs,
                        const AttnFigureSettings *settings,
                        const AttnFigureStyle    *style)
{
  HeatmapData *data = g_new0 (HeatmapData, 1);

  g_atomic_ref_count_init (&data->ref_count);
  data->inputs = g_new0 (AttnFigureInput, n_inputs);
  data->n_inputs = n_inputs;
  for (guint e = 0; e < n_inputs; e++)
    {
      data->inputs[e].example = attn_example_ref (inputs[e].example);
      data->inputs[e].path = g_strdup (inputs[e].path);
    }
  data->settings = *settings;
  data->settings.heads = g_strdup (settings->heads);
  data->style = *style;
  data->font_family = g_strdup (style->font_family ? style->font_family : "Sans");
  data->style.font_family = data->font_family;
  return data;
}

/* What every layout of @data at a size measures alike, measured once,
 * with @style (the figure's, its font size set), before it is laid out at
 * a size: the widest token (@token_w, as its natural layout measured it,
 * shortened as a layout at a size shows it) and each block's colour bar's
 * tick labels (a third of the all-methods panel's layout time went to
 * measuring them again and again) */
void
_attn_heatmap_data_measure (HeatmapData           *data,
                            const AttnFigureStyle *style,
                            double                 token_w)
{
  g_autoptr(AttnPangoContext) context = _attn_text_context_new ();

  data->token_w = token_w;
  for (guint m = 0; data->settings.kind != ATTN_FIGURE_COMPARE && m < data->n_methods; m++)
    data->ticks_w[m] = _attn_colorbar_ticks_range_width (context, style, 0., data->vmax[m]);
}

HeatmapData *
_attn_heatmap_data_ref (HeatmapData *data)
{
  g_atomic_ref_count_inc (&data->ref_count);
  return data;
}

void
_attn_heatmap_data_unref (HeatmapData *data)
{
  if (!g_atomic_ref_count_dec (&data->ref_count))
    return;
  for (guint e = 0; e < data->n_inputs; e++)
    {
      attn_example_unref (data->inputs[e].example);
      g_free ((char *) data->inputs[e].path);
    }
  g_free (data->inputs);
  g_free ((char *) data->settings.heads);
  g_free (data->font_family);
  g_clear_pointer (&data->values, g_ptr_array_unref);
  g_free (data);
}

/* The width of columns that would be @cw wide to fill the width, within
 * @min_cw and FIT_MAX_CW: whole pixels, or a fraction of one below FIT_WHOLE_CW */
static double
column_width (double cw,
              double min_cw)
{
  cw = CLAMP (cw, min_cw, FIT_MAX_CW);
  return cw >= FIT_WHOLE_CW ? floor (cw) : floor (cw * 128.) / 128.;
}

/* Lays the heatmap of @self out again with the cells that fill @fit's
 * size, from @fig (laid out by @fit, measured @metrics), in a few passes
 * (the labels follow the cells) */
static AttnFigure *
fill_box (const AttnFigure *self,
          AttnFigure       *fig,
          HeatmapFit       *fit,
          HeatmapMetrics   *metrics)
{
  double min_cw = FIT_MIN_CW, min_ch = fit->min_ch > 0. ? fit->min_ch : FIT_MIN_CH;

  if (self->heatmap->settings.kind == ATTN_FIGURE_COMPARE)
    {
      min_ch = FIT_MIN_CH_COMPARE;
      guint n = G_MAXUINT;

      for (guint e = 0; e < self->heatmap->n_inputs; e++)
        n = MIN (n, attn_example_get_n_tokens (self->heatmap->inputs[e].example));
      min_cw = CLAMP (ceil (FIT_MIN_BLOCK_W_COMPARE / n), FIT_MIN_CW_COMPARE, FIT_MAX_CW);
    }

  for (guint pass = 0; pass < FIT_PASSES; pass++)
    {
      double cw = metrics->cw, ch = metrics->ch, height, least = min_cw;

      if (metrics->n_cell_columns > 0.)
        {
          double cells = fit->width - (metrics->needed_width - metrics->cw * metrics->n_cell_columns);

          if (self->heatmap->settings.kind != ATTN_FIGURE_COMPARE && cells >= FIT_LEAST_CELLS_W)
            least = CLAMP (cells / metrics->n_cell_columns, FIT_LEAST_CW, min_cw);
          cw = column_width (cw + (fit->width - metrics->needed_width) / metrics->n_cell_columns, least);
        }
      /* a figure its narrowest columns make wider than the box is shrunk
       * to show whole: its height may grow as much */
      height = cw <= least ? fit->height * MAX (1., metrics->needed_width / fit->width) : fit->height;
      if (metrics->n_cell_rows > 0.)
        ch = floor (CLAMP (ch + (height - fig->height) / metrics->n_cell_rows, min_ch, FIT_MAX_CH));
      if (pass > 0 && cw == metrics->cw && ch == metrics->ch)
        break;
      fit->cw = cw;
      fit->ch = ch;
      attn_figure_unref (fig);
      fig = _attn_figure_heatmap_layout (self->heatmap, fit, metrics);
    }
  return fig;
}

/* Lays the heatmap of @self out with the cells that fill @fit's size
 * (fill_box()); where its rotated token labels would take more than their
 * room (_attn_token_labels_room() of the box, as the graph's) by more than
 * a line (less gains nothing worth a second layout: 221 ms, not 46, for
 * 1,024 tokens in the 900 x 600 window's panel) and its rows
 * were too low for each its layer's label (a token of 120 characters:
 * three layers 22 px high in all, “Layer 3” alone named) or it is laid out
 * to be scrolled (a band of labels the view pins at its bottom edge
 * covered half the rows), laid out again with those labels shortened to
 * that room. @fit gets the cells, @out (optional) what the returned layout
 * measured. */
static AttnFigure *
fit_cells (const AttnFigure *self,
           HeatmapFit       *fit,
           HeatmapMetrics   *out)
{
  HeatmapMetrics metrics = { 0 };
  AttnFigure *fig = _attn_figure_heatmap_layout (self->heatmap, fit, &metrics);
  double room;

  fig = fill_box (self, fig, fit, &metrics);
  room = _attn_token_labels_room (fit->height, metrics.line_h);
  if (fit->token_room <= 0. && metrics.token_w > room + metrics.line_h &&
      (fit->scrolled || metrics.ch < metrics.line_h + 1.))
    {
      HeatmapFit whole_fit = *fit;
      HeatmapMetrics whole = metrics;
      AttnFigure *cut;

      fit->token_room = room;
      cut = _attn_figure_heatmap_layout (self->heatmap, fit, &metrics);
      cut = fill_box (self, cut, fit, &metrics);
      /* not scrolled, the labels are cut only where the rows grow for it
       * (a figure its width shrinks keeps its rows: “author” stayed whole) */
      if (fit->scrolled || metrics.ch > whole.ch)
        {
          attn_figure_unref (fig);
          fig = cut;
        }
      else
        {
          attn_figure_unref (cut);
          *fit = whole_fit;
          metrics = whole;
        }
    }
  if (out != NULL)
    *out = metrics;
  return fig;
}

/* How much @fig, laid out to fill @fit's box, is shrunk to show whole in
 * it (never enlarged) */
static double
shown_scale (const AttnFigure *fig,
             const HeatmapFit *fit)
{
  return MIN (MIN (fit->width / fig->width, fit->height / fig->height), 1.);
}

/* Whether @fig (laid out by @fit) shows better than @best (by @best_fit):
 * its text larger, or as large and its cells larger (@by_side: their
 * shorter side a pixel longer; blocks in rows of one to three with the
 * largest cells came out as strips, 4 x 28 px or 56 x 13 px) */
static gboolean
shows_better (const AttnFigure *fig,
              const HeatmapFit *fit,
              const AttnFigure *best,
              const HeatmapFit *best_fit,
              gboolean          by_side)
{
  double s = shown_scale (fig, fit), best_s = shown_scale (best, best_fit);

  if (fabs (s - best_s) > 0.01)
    return s > best_s;
  if (by_side)
    return MIN (fit->cw, fit->ch) >= MIN (best_fit->cw, best_fit->ch) + 1.;
  return fit->cw * fit->ch > best_fit->cw * best_fit->ch;
}

/* Keeps @candidate (laid out by @next) as @best (laid out by @best_fit)
 * where there is none yet or it shows better; frees the one not kept.
 * Returns whether @candidate was kept */
static gboolean
keep_better (AttnFigure       **best,
             HeatmapFit        *best_fit,
             AttnFigure        *candidate,
             const HeatmapFit  *next,
             gboolean           by_side)
{
  if (*best != NULL && !shows_better (candidate, next, *best, best_fit, by_side))
    {
      attn_figure_unref (candidate);
      return FALSE;
    }
  g_clear_pointer (best, attn_figure_unref);
  *best = candidate;
  *best_fit = *next;
  return TRUE;
}

/* Whether @fig (laid out by @fit, measured @metrics) shows well enough
 * not to try the next arrangement: whole at FIT_SHOWN of its size or more,
 * its rows above their smallest height, its columns FIT_NARROW_CW wide or
 * as wide as the panel makes them without the side column. (The columns
 * of a long input are a pixel or two whatever the arrangement: they are no
 * reason to leave the title and caption out, which only gives the rows
 * more height.) */
static gboolean
shows_well (const AttnFigure     *fig,
            const HeatmapFit     *fit,
            const HeatmapMetrics *metrics)
{
  double widest = FIT_NARROW_CW;

  if (metrics->n_cell_columns > 0.)
    widest = column_width (metrics->cw + (fit->width - metrics->needed_width + metrics->side_width) /
                                         metrics->n_cell_columns, FIT_MIN_CW);
  /* a side column of text taller than the box (a long model's name in the
   * caption) shows the figure shrunk for want of a wider column */
  return shown_scale (fig, fit) >= FIT_SHOWN && fit->ch > FIT_MIN_CH &&
         fit->cw >= MIN (FIT_NARROW_CW, widest) &&
         (fit->text != FIT_TEXT_BESIDE || fig->height <= fit->height + 0.5);
}

/* The shorter side of the cells of @fig (laid out by @fit) as shown,
 * shrunk to show whole */
static double
shown_cell (const AttnFigure *fig,
            const HeatmapFit *fit)
{
  return MIN (fit->cw, fit->ch) * shown_scale (fig, fit);
}

/* Keeps @candidate (laid out by @next) as @best where there is none yet,
 * or where its cells as shown are a pixel larger, its text not smaller
 * than FIT_TEXT_GIVEN of @best's; else frees it */
static void
keep_larger_cells (AttnFigure       **best,
                   HeatmapFit        *best_fit,
                   AttnFigure        *candidate,
                   const HeatmapFit  *next)
{
  if (*best != NULL && (shown_cell (candidate, next) < shown_cell (*best, best_fit) + 1. ||
                        shown_scale (candidate, next) < FIT_TEXT_GIVEN * shown_scale (*best, best_fit)))
    {
      attn_figure_unref (candidate);
      return;
    }
  g_clear_pointer (best, attn_figure_unref);
  *best = candidate;
  *best_fit = *next;
}

/* The arrangement @k of SIDE_TRIES laid out in @width x @height, with
 * @fit and @metrics; NULL where it does not apply */
static AttnFigure *
fit_side (const AttnFigure *self,
          guint             k,
          double            width,
          double            height,
          HeatmapFit       *fit,
          HeatmapMetrics   *metrics)
{
  double share = SIDE_TRIES[k].share;
  guint n = attn_example_get_n_tokens (self->heatmap->inputs[0].example);

  /* without predictions, the last is the one before it again */
  if ((SIDE_TRIES[k].sentence && n > SIDE_MAX_TOKENS) ||
      (SIDE_TRIES[k].no_side && (self->heatmap->n_methods < 2 || !self->heatmap->have_predictions)))
    return NULL;
  *fit = (HeatmapFit) { .width = width, .height = height, .side = !SIDE_TRIES[k].no_side,
                        .side_w = share > 0. ? width * share : CLAMP (width * SIDE_SHARE, SIDE_MIN_WIDTH, SIDE_MAX_WIDTH),
                        .text = SIDE_TRIES[k].text, .no_sentence = !SIDE_TRIES[k].sentence,
                        .inline_predictions = SIDE_TRIES[k].no_side };
  return fit_cells (self, fit, metrics);
}

/* A wide, low box: the arrangements in turn, the first that shows the
 * cells readably (shows_well(), rows FIT_READABLE_CH high; past the first
 * that shows well, with as much text as it), else the one that showed
 * well first, else the one whose cells show largest (or that shows best,
 * keep_better()) */
static AttnFigure *
fit_wide (const AttnFigure *self,
          double            width,
          double            height)
{
  HeatmapFit fit = { 0 }, cells_fit = { 0 };
  HeatmapMetrics metrics = { 0 };
  AttnFigure *fig = NULL, *cells = NULL;
  gboolean settled = FALSE;

  for (guint k = 0; k < G_N_ELEMENTS (SIDE_TRIES); k++)
    {
      HeatmapFit next;
      HeatmapMetrics next_metrics;
      AttnFigure *candidate;

      /* past the first that shows well, only those with as much text */
      if (settled && ((SIDE_TRIES[k].text == FIT_TEXT_NONE && fit.text != FIT_TEXT_NONE) ||
                      (!SIDE_TRIES[k].sentence && !fit.no_sentence)))
        continue;
      candidate = fit_side (self, k, width, height, &next, &next_metrics);
      if (candidate == NULL)
        continue;
      if (shows_well (candidate, &next, &next_metrics) && next.ch >= FIT_READABLE_CH)
        {
          g_clear_pointer (&cells, attn_figure_unref);
          g_clear_pointer (&fig, attn_figure_unref);
          return candidate;
        }
      if (settled)
        {
          attn_figure_unref (candidate);
          continue;
        }
      keep_larger_cells (&cells, &cells_fit, attn_figure_ref (candidate), &next);
      if (keep_better (&fig, &fit, candidate, &next, FALSE))
        metrics = next_metrics;
      settled = shows_well (fig, &fit, &metrics);
    }
  if (!settled && cells != NULL && shown_cell (cells, &cells_fit) >= shown_cell (fig, &fit) + 1. &&
      shown_scale (cells, &cells_fit) >= FIT_TEXT_GIVEN * shown_scale (fig, &fit))
    {
      attn_figure_unref (fig);
      return cells;
    }
  g_clear_pointer (&cells, attn_figure_unref);
  return fig;
}

/* A box that is not wide and low: an example's blocks (all methods, all
 * weights) in rows of three, two or one, each with its sentence under it
 * or none, the first arrangement that shows best (three blocks of 23
 * tokens in 800 x 600 side by side had columns of 3 px, their sentences a
 * word a line, and rows of 7 px) */
static AttnFigure *
fit_blocks (const AttnFigure *self,
            double            width,
            double            height)
{
  HeatmapFit fit = { .width = width, .height = height };
  AttnFigure *fig = NULL;
  /* a long input: no sentence under each block, and the blocks one under
   * the other, which gives them the most width (each layout of 2,048
   * tokens takes tens of ms, on the main thread after a resize) */
  gboolean short_input = attn_example_get_n_tokens (self->heatmap->inputs[0].example) <= SIDE_MAX_TOKENS;

  if (self->heatmap->n_methods < 2)
    return fit_cells (self, &fit, NULL);
  for (guint columns = short_input ? MIN (self->heatmap->n_methods, MAX_COLUMNS) : 1; columns >= 1; columns--)
    for (guint no_sentence = !short_input; no_sentence < 2; no_sentence++)
      {
        HeatmapFit next = { .width = width, .height = height, .columns = columns, .no_sentence = no_sentence };

        keep_better (&fig, &fit, fit_cells (self, &next, NULL), &next, TRUE);
      }
  return fig;
}

/* The rows of @fig's cells, laid out */
static double
row_height (const AttnFigure *fig)
{
  return fig->grids->len > 0 ? g_array_index (fig->grids, HeatGrid, 0).ch : 0.;
}

/* Whether @fig, laid out to fill @width x @height, shows legibly there,
 * shrunk to show whole: its smallest text FIT_LEGIBLE_TEXT high or more,
 * its rows FIT_LEGIBLE_CH high */
static gboolean
shows_legibly (const AttnFigure *fig,
               double            width,
               double            height)
{
  double s = shown_scale (fig, &(HeatmapFit) { .width = width, .height = height });

  return attn_figure_get_text_size (fig) * s >= FIT_LEGIBLE_TEXT - 0.01 &&
         (fig->grids->len == 0 || row_height (fig) * s >= FIT_LEGIBLE_CH - 0.01);
}

/* The scale that shows @fig's smallest text FIT_LEGIBLE_TEXT high, 1 at most */
static double
legible_scale (const AttnFigure *fig)
{
  double text = attn_figure_get_text_size (fig);

  return text > FIT_LEGIBLE_TEXT ? FIT_LEGIBLE_TEXT / text : 1.;
}

/* fit_scrolled() at the scale @s: its blocks in rows of three, two or one,
 * the most whose columns are FIT_NARROW_CW wide or wider */
static AttnFigure *
fit_scrolled_at (const AttnFigure *self,
                 double            width,
                 double            height,
                 double            s)
{
  guint columns = MIN (self->heatmap->n_methods, MAX_COLUMNS);
  AttnFigure *fig = NULL;

  if (attn_example_get_n_tokens (self->heatmap->inputs[0].example) > SIDE_MAX_TOKENS)
    columns = 1;
  for (; columns >= 1; columns--)
    {
      HeatmapFit next = { .width = floor (width / s), .height = floor (height / s), .columns = columns,
                          .no_sentence = TRUE, .text = FIT_TEXT_NONE, .inline_predictions = TRUE,
                          .min_ch = ceil (FIT_READABLE_CH / s), .scrolled = TRUE };

      g_clear_pointer (&fig, attn_figure_unref);
      fig = fit_cells (self, &next, NULL);
      if (fig->width <= next.width + 0.5 && next.cw >= FIT_NARROW_CW)
        break;
    }
  return fig;
}

/* A heatmap that shows in @width x @height only with its text or rows
 * under a legible size (all weights in the panel of a 900 x 600 window:
 * blocks 18 px high, token labels 7 px) laid out to be scrolled instead:
 * as wide as the box at the scale that shows its text FIT_LEGIBLE_TEXT
 * high (a view shows it so, and pans it down), its rows FIT_READABLE_CH
 * high there or higher, its title, caption and sentence left out as in a
 * small box, its blocks in rows of three, two or one, each over its own
 * column labels (the scale is that of the layout's own smallest text,
 * without the caption's) */
static AttnFigure *
fit_scrolled (const AttnFigure *self,
              double            width,
              double            height)
{
  double s = legible_scale (self);
  AttnFigure *fig = fit_scrolled_at (self, width, height, s);

  if (fabs (legible_scale (fig) - s) > 1e-6)
    {
      s = legible_scale (fig);
      attn_figure_unref (fig);
      fig = fit_scrolled_at (self, width, height, s);
    }
  return fig;
}

/* A comparison of three or four examples too wide for the box on one
 * line: in two lines, the first two on the first with the difference
 * heatmap beside them, or, where that is still too wide, under them on a
 * line of its own; the first arrangement that fits the width, else the
 * narrowest (on one line, the fourth example, the colour bar and the
 * difference of four were past the edge of a window on a 1280 x 800
 * screen, to be panned to, and half the figure at 900 x 600). Two
 * examples keep their difference beside them unless that line is over
 * a tenth wider than the box (what a view shows scaled down a little):
 * then it goes under them (at 900 x 600, the difference of his and her was
 * past the compare window's edge) */
static AttnFigure *
fit_compare (const AttnFigure *self,
             double            width,
             double            height)
{
  HeatmapFit fit = { .width = width, .height = height };
  guint n = self->heatmap->n_inputs;
  AttnFigure *fig = fit_cells (self, &fit, NULL);
  double too_wide = n == 2 ? 1.1 * width : width + 1.;

  /* two examples: only their difference under them; more: in two lines */
  for (guint below = n == 2; n >= 2 && below < 2 && fig->width > too_wide; below++)
    {
      HeatmapFit next = { .width = width, .height = height, .per_line = n == 2 ? 2 : (n + 1) / 2,
                          .difference_below = below };
      AttnFigure *candidate = fit_cells (self, &next, NULL);

      if (candidate->width < fig->width - 1.)
        {
          attn_figure_unref (fig);
          fig = candidate;
        }
      else
        attn_figure_unref (candidate);
    }
  return fig;
}

/**
 * attn_figure_new_at_size:
 * @width: the size the figure is shown at, in pixels at 1x
 * @height:
 *
 * The same figure laid out again to fill @width x @height with its text at
 * its own size: a heatmap or comparison gets cells that fill the width and
 * the height (within bounds: the figure may come out larger or smaller, see
 * attn_figure_get_size()); in a wide, low box the predictions and the
 * sentence go beside the blocks, with the title and the caption where the
 * figure fits the box that way, and the column widened where a long
 * sentence would make the figure taller than the box; in a box too small
 * for them, the title and caption, then the sentence, are left out (the
 * first of these arrangements that shows the figure whole at 95 % of its
 * size or more with rows 8 px high, else the first that shows it whole
 * with rows above their least height; where none does, the one that shows
 * best, or one whose cells show a pixel larger with its text at 85 % of
 * that one's or more); in other boxes an example's
 * blocks go in rows of three, two or one, with or without sentences,
 * whichever gives the larger cells; three or four compared examples too
 * wide for it on one line go in two; an evaluation plot gets wider
 * panels and a taller plot area (up to square); the graph of one method is
 * laid out at @width x @height exactly as the graph view lays it out at
 * that size (attn_figure_new_from_scene_at_size()), so its image is what
 * the view shows at zoom to fit. Other figures (the graphs of the three
 * methods side by side) are returned as they are. Nothing is computed again, but the text is laid out anew.
 * Safe on any thread.
 *
 * Returns: (transfer full): the figure laid out at that size
 */
AttnFigure *
attn_figure_new_at_size (const AttnFigure *self,
                         double            width,
                         double            height)
{
  HeatmapFit fit = { .width = width, .height = height };
  AttnFigure *fig;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->custom_at_size != NULL && width > 0. && height > 0.)
    return self->custom_at_size (self, width, height);
  if (self->heatmap == NULL || !(width > 0.) || !(height > 0.))
    return attn_figure_ref ((AttnFigure *) self);

  if (self->heatmap->settings.kind == ATTN_FIGURE_COMPARE)
    return fit_compare (self, width, height);
  if (self->heatmap->settings.kind != ATTN_FIGURE_HEATMAP)
    return fit_cells (self, &fit, NULL);
  fig = width < SIDE_ASPECT * height ? fit_blocks (self, width, height) : fit_wide (self, width, height);
  if (shows_legibly (fig, width, height))
    return fig;
  attn_figure_unref (fig);
  return fit_scrolled (self, width, height);
}

/**
 * attn_figure_build_at_size:
 * @width: the size to lay the figure out at, in pixels at 1x (the size a
 *   view shows it at); 0 for its natural size
 * @height:
 *
 * attn_figure_build(), then attn_figure_new_at_size(): the figure a view
 * of @width x @height shows, as saved and as `attnflow-cli render --size`
 * draws it.
 *
 * Returns: (transfer full) (nullable): the figure, or %NULL with @error set
 */
AttnFigure *
attn_figure_build_at_size (const AttnFigureInput    *inputs,
                           guint                     n_inputs,
                           const AttnFigureSettings *settings,
                           const AttnFigureStyle    *style,
                           double                    width,
                           double                    height,
                           GCancellable             *cancellable,
                           GError                  **error)
{
  g_autoptr(AttnFigure) figure = attn_figure_build (inputs, n_inputs, settings, style, cancellable, error);

  return figure != NULL ? attn_figure_new_at_size (figure, width, height) : NULL;
}

/**
 * attn_figure_get_text_size:
 *
 * Returns: the size of the figure's smallest text (labels, colour bar
 *   ticks), in pixels at 1x: drawn at a scale s, it is s times this
 */
double
attn_figure_get_text_size (const AttnFigure *self)
{
  double min = G_MAXDOUBLE;

  g_return_val_if_fail (self != NULL, 0.);

  for (guint i = 0; i < self->labels->len; i++)
    min = MIN (min, g_array_index (self->labels, AttnLabel, i).font_size);
  /* the ticks of the colour bars (_attn_draw_colorbar()) */
  if (self->colorbars->len > 0 || self->graphs->len > 0)
    min = MIN (min, self->style.font_size * 0.85);
  return min < G_MAXDOUBLE ? min : self->style.font_size;
}

/**
 * attn_figure_get_n_grids:
 *
 * Returns: how many heatmaps (grids of cells) the figure has
 */
guint
attn_figure_get_n_grids (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->grids->len;
}

/**
 * attn_figure_get_grid_extent:
 * @grid: which heatmap of the figure (as attn_figure_get_cell())
 * @last_layer: (out) (optional): the layer of its top row
 * @n_rows: (out) (optional): its rows, the top one's layer down
 * @n_columns: (out) (optional): its columns
 *
 * Returns: whether the figure has that heatmap, with cells
 */
gboolean
attn_figure_get_grid_extent (const AttnFigure *self,
                             guint             grid,
                             guint            *last_layer,
                             guint            *n_rows,
                             guint            *n_columns)
{
  const HeatGrid *g;

  g_return_val_if_fail (self != NULL, FALSE);

  if (grid >= self->grids->len)
    return FALSE;
  g = &g_array_index (self->grids, HeatGrid, grid);
  if (last_layer)
    *last_layer = g->last_layer;
  if (n_rows)
    *n_rows = g->n_rows;
  if (n_columns)
    *n_columns = g->n;
  return g->last_layer > 0 && g->n_rows > 0 && g->n > 0;
}
