/* attn-figure-block.c: a heatmap block (its cells, row and column labels,
 * values and coloured sentence) and a colour bar, which the heatmap and
 * compare figures arrange
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

/* Between a block's title and its cells, where @b's marks_room asks for
 * it: the marks hung above the cells (the selected column's outline
 * turning above low rows reaches 3.5 px up, the candidates' dashes 2.5 px)
 * 2.5 px clear of the title (4 px, shrunk, touched “Attention”,
 * “Norm-based” and “GlobEnc” with all weights at 900 x 600) */
#define TITLE_MARKS_GAP 6.

/* @token as the column labels and the sentence of @b's heatmap show it:
 * at its natural size whole, up to ATTN_TOKEN_WHOLE_MAX_CHARS characters
 * (attn_token_display_whole()), the figure making room for it, as the
 * graph's; laid out at a size, shortened past ATTN_TOKEN_MAX_CHARS
 * (attn_token_display()) */
char *
_attn_token_text (Builder    *b,
                  const char *token)
{
  return b->whole_tokens ? attn_token_display_whole (token) : attn_token_display (token);
}

/* The widest token of @inputs as @b shows it (_attn_token_text()), and as
 * a layout at a size shows it, shortened (@fitted; measured once for the
 * layouts at a size: _attn_heatmap_data_measure()) */
static double
widest_token (Builder               *b,
              const AttnFigureInput *inputs,
              guint                  n_inputs,
              double                *fitted)
{
  double max_tw = 0.;

  *fitted = 0.;
  for (guint e = 0; e < n_inputs; e++)
    for (guint i = 0; i < attn_example_get_n_tokens (inputs[e].example); i++)
      {
        const char *token = attn_example_get_token (inputs[e].example, i);
        g_autofree char *text = attn_token_display (token);
        double w = _attn_figure_measure_width (b, text, b->fs * 0.85, FALSE);

        *fitted = MAX (*fitted, w);
        /* whole, where that is longer (measured only then: 2,048 tokens) */
        if (b->whole_tokens && g_utf8_strlen (token, -1) > ATTN_TOKEN_MAX_CHARS)
          {
            g_autofree char *whole = attn_token_display_whole (token);

            w = _attn_figure_measure_width (b, whole, b->fs * 0.85, FALSE);
          }
        max_tw = MAX (max_tw, w);
      }
  return max_tw;
}

/* Chooses the cell size from the longest token of all examples (measured
 * where @b's token_w is not yet, and kept there). At its natural size,
 * the cells are as wide as the sentence under a block needs for its
 * widest token, whole (its swatch was cut at the block's width) */
void
_attn_setup_cells (Builder               *b,
                   const AttnFigureInput *inputs,
                   guint                  n_inputs,
                   guint                  first,
                   guint                  last)
{
  guint n_rows = last - first + 1;
  guint max_n = 0, min_n = G_MAXUINT;
  double max_tw;

  for (guint e = 0; e < n_inputs; e++)
    {
      max_n = MAX (max_n, attn_example_get_n_tokens (inputs[e].example));
      min_n = MIN (min_n, attn_example_get_n_tokens (inputs[e].example));
    }
  if (b->token_w <= 0.)
    b->token_w = widest_token (b, inputs, n_inputs, &b->fitted_token_w);
  else
    b->fitted_token_w = b->token_w;
  max_tw = b->token_w;
  b->line_h = _attn_figure_measure_height (b, "Ag", b->fs * 0.85, FALSE, 0);
  if (b->fit_cw > 0.)
    {
      /* laid out at a size: upright labels where they fit */
      b->cw = b->fit_cw;
      b->rotated = max_tw + 6. > b->cw;
    }
  else
    {
      b->rotated = !(max_tw + 6. <= 48. && max_n * (max_tw + 6.) <= 1100.);
      b->cw = b->rotated ? CLAMP (460. / max_n, 12., 20.) : MAX (22., max_tw + 6.);
      if (b->whole_tokens && min_n > 0)
        b->cw = MAX (b->cw, ceil ((max_tw + 6.) / min_n));
    }
  /* laid out at a size, rotated labels no longer than its token_room */
  if (b->rotated && b->token_room > 0.)
    max_tw = MIN (max_tw, b->token_room);
  b->token_h = b->rotated ? max_tw + 4. : b->line_h + 4.;
  /* laid out at a size: the grid at least as high as a layer label */
  b->ch = b->fit_ch > 0. ? MAX (b->fit_ch, ceil ((b->line_h + 1.) / n_rows)) : n_rows > 24 ? 12. : 20.;

  /* the widest row label: that of the last layer (of layers 9 to 12,
   * "Layer 12", not "Layer 4", which left the sentence's "Layer 12"
   * touching its first token) */
  {
    g_autofree char *text = g_strdup_printf (_("Layer %u"), last);

    b->layer_w = _attn_figure_measure_width (b, text, b->fs * 0.85, FALSE);
  }
}

static guint
column_token (AttnExample *example,
              Columns      columns,
              guint        c)
{
  return columns.columns ? columns.columns[c] : c;
}

/* The sentence under a block at (@x, @y), @width wide, each token on the
 * colour of its value in @top, the row of @layer; the antecedents
 * underlined. The layer is named left of the first line at @label_x (in
 * the blocks' column of layer names) or, where that is not left of @x,
 * above it: nothing else said which row the colours were. Returns the y
 * under it. */
double
_attn_place_sentence (Builder      *b,
                      AttnExample  *example,
                      double        label_x,
                      double        x,
                      double        width,
                      double        y,
                      guint         layer,
                      const double *top,
                      double        vmin,
                      double        vmax,
                      gboolean      diverging)
{
  AttnFigure *fig = b->figure;
  double sx = x, sy = y, box_h = b->line_h + 4.;
  g_autofree char *name = g_strdup_printf (_("Layer %u"), layer);
  AttnLabelSpec spec = { .kind = ATTN_LABEL_NOTE, .index = layer, .text = name, .size = b->fs * 0.85 };

  if (label_x < x)
    _attn_figure_add_label (b, &spec, label_x, sy + 2.);
  else
    sy += _attn_figure_add_label (b, &spec, x, sy)->box.height + 2.;

  for (guint k = 0; k < attn_example_get_n_tokens (example); k++)
    {
      g_autofree char *text = _attn_token_text (b, attn_example_get_token (example, k));
      double w = _attn_figure_measure_width (b, text, b->fs * 0.85, FALSE) + 6.;
      Swatch swatch;

      if (sx + w > x + width && sx > x)
        {
          sx = x;
          sy += box_h + 3.;
        }
      w = MIN (w, width);
      swatch.rect = (AttnRect) { sx, sy, w, box_h };
      swatch.t = diverging ? 0.5 + 0.5 * top[k] / vmax : (top[k] - vmin) / (vmax - vmin);
      swatch.t = CLAMP (swatch.t, 0., 1.);
      swatch.accent = FALSE;
      swatch.diverging = diverging;
      swatch.highlight = attn_example_is_antecedent (example, k);
      _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_SENTENCE, .index = k, .text = text,
                              .size = b->fs * 0.85 }, sx + 3., sy + 2.);
      swatch.label = (int) fig->labels->len - 1;
      g_array_append_val (fig->swatches, swatch);
      sx += w + 3.;
    }
  return sy + box_h + 6.;
}

/* How much the label of a column showing @token matters where not all
 * those kept fit: picked columns' (the antecedent panels'), the selected
 * position's (@mark) and the pronoun's most, then the candidate
 * antecedents', then the first and last tokens' (of those @kept); 0: not
 * kept, labelled where it fits */
static guint
kept_rank (AttnExample    *example,
           Columns         columns,
           guint           token,
           int             mark,
           const gboolean *kept)
{
  if (columns.columns != NULL || (int) token == mark || token == attn_example_get_focus (example))
    return 3;
  if (attn_example_is_antecedent (example, token))
    return 2;
  return kept[token] ? 1 : 0;
}

/* Places the labels of @n columns (_attn_place_column_labels()), none
 * left of @lo: those of @rank > 0 kept, pushed apart; where they are
 * pushed past @lo (cells of 2 px, five kept labels 69 px wide), only those
 * of the higher ranks that fit, a rank at a time. Sets @marked to those
 * kept and @left[k] to label k's left edge, or NAN. */
static void
place_labels_from (guint         n,
                   const double *center,
                   const double *width,
                   const guint  *rank,
                   double        lo,
                   gboolean     *marked,
                   double       *left)
{
  gboolean fits = FALSE;

  for (guint least = 1; !fits; least++)
    {
      fits = TRUE;
      for (guint k = 0; k < n; k++)
        marked[k] = rank[k] >= least;
      _attn_place_column_labels (n, center, width, marked, left);
      for (guint k = 0; k < n; k++)
        fits &= !marked[k] || left[k] >= lo - 1e-6;
    }
  for (guint k = 0; k < n; k++)
    if (left[k] < lo - 1e-6)
      left[k] = NAN;
}

/* Whether, in a difference block, the example subtracted has another
 * token than @example at @token (or none) */
static gboolean
token_differs (Builder     *b,
               AttnExample *example,
               guint        token)
{
  return b->subtracted != NULL &&
         (token >= attn_example_get_n_tokens (b->subtracted) ||
          g_strcmp0 (attn_example_get_token (example, token), attn_example_get_token (b->subtracted, token)) != 0);
}

/* The label of a column showing @token: in a difference block, where the
 * token of the example subtracted differs, both, in the order of the
 * subtraction ("her/his" in author-her minus author-his); rotated in a
 * layout at a size, no longer than its token_room (shortened as the
 * graph's: a token of 120 characters took most of the panel's height) */
static char *
column_text (Builder     *b,
             AttnExample *example,
             guint        token)
{
  g_autofree char *text = _attn_token_text (b, attn_example_get_token (example, token));
  g_autofree char *other_text = NULL;
  double w;

  if (token_differs (b, example, token) && token < attn_example_get_n_tokens (b->subtracted))
    {
      g_autofree char *first = g_steal_pointer (&text);

      other_text = _attn_token_text (b, attn_example_get_token (b->subtracted, token));
      /* translators: a difference heatmap's column label where the two
       * examples' tokens differ: the second example's token, then the first's
       * (the difference is the second minus the first) */
      text = g_strdup_printf (_("%s/%s"), first, other_text);
    }
  if (!b->rotated || b->token_room <= 0.)
    return g_steal_pointer (&text);
  return _attn_text_shorten_to_width (b->context, b->style, text, b->fs * 0.85, b->token_room, &w);
}

/* In a difference block, @grid, the ranks of the columns whose tokens the
 * two examples do not share ("small/big" in trophy-small minus trophy-big)
 * and of the column of the strongest difference: the highest, labelled
 * first (the strongest cell stood in big/small's column, unlabelled, where
 * "," and "fit" were) */
static void
rank_difference_columns (Builder        *b,
                         const HeatGrid *grid,
                         AttnExample    *example,
                         Columns         columns,
                         guint          *rank)
{
  guint strongest = G_MAXUINT;
  double max = 0.;

  for (guint k = 0; k < grid->n; k++)
    {
      if (token_differs (b, example, column_token (example, columns, k)))
        rank[k] = 3;
      for (guint r = 0; r < grid->n_rows; r++)
        {
          double v = fabs (grid->values[(gsize) r * grid->n + k]);

          if (!isnan (v) && v > max)
            {
              max = v;
              strongest = k;
            }
        }
    }
  if (strongest < grid->n)
    rank[strongest] = 3;
}

/* The column labels of @grid at @y, none left of @lo (a block right of
 * another: its labels pushed apart ran over the name of the colour bar
 * left of them). With all columns, those of the pronoun, the selected
 * position (@mark) and the antecedents are there where they fit from @lo
 * on (the antecedents highlighted; kept_rank()), the others where they fit
 * among them. Returns the height of the highest (a difference block's
 * "her/his", rotated, is longer than any token). */
static double
place_column_labels (Builder     *b,
                     HeatGrid    *grid,
                     AttnExample *example,
                     Columns      columns,
                     double       y,
                     double       lo,
                     int          mark)
{
  guint n = grid->n;
  double grid_x = grid->x, extent = 0.;
  g_autofree AttnLabel *labels = g_new (AttnLabel, n);
  g_autofree double *center = g_new (double, n), *width = g_new (double, n), *left = g_new (double, n);
  g_autofree gboolean *marked = g_new (gboolean, n);
  g_autofree guint *rank = g_new (guint, n);
  g_autofree gboolean *kept = _attn_marked_tokens (example, mark, -1);

  for (guint k = 0; k < n; k++)
    {
      guint token = column_token (example, columns, k);
      g_autofree char *text = column_text (b, example, token);

      _attn_label_init (&labels[k], b->context, b->style, &(AttnLabelSpec) { .kind = ATTN_LABEL_TOKEN_BOTTOM,
                        .index = token, .text = text, .size = b->fs * 0.85, .angle = b->rotated ? -G_PI / 2 : 0 });
      center[k] = grid_x + (k + 0.5) * b->cw;
      width[k] = labels[k].box.width;
      rank[k] = kept_rank (example, columns, token, mark, kept);
    }
  if (b->subtracted != NULL)
    rank_difference_columns (b, grid, example, columns, rank);
  place_labels_from (n, center, width, rank, lo, marked, left);
  _attn_figure_band_columns (b, grid, labels, marked);
  for (guint k = 0; k < n; k++)
    {
      if (isnan (left[k]))
        {
          _attn_label_clear (&labels[k]);
          continue;
        }
      _attn_label_place (&labels[k], left[k], y);
      extent = MAX (extent, labels[k].box.height);
      g_array_append_val (b->figure->labels, labels[k]);
      if (columns.columns == NULL && attn_example_is_antecedent (example, labels[k].index))
        {
          guint index = b->figure->labels->len - 1;

          g_array_append_val (b->figure->highlighted, index);
        }
    }
  return extent;
}

/* A cell's value as printed, without the 0 before the point (".53": two
 * digits fit narrow cells), to a thousandth or a ten-thousandth where the
 * block's scale, @vmax, is under 0.1 or 0.01 (flow's cells of 0.06 and
 * 0.07, or differences within ±0.02, all printed ".06" or ".00"); @precise
 * (the antecedent panels, wide and few): three significant digits
 * (".0285", ".530"), which tell the candidates apart. A value that rounds
 * to 0 has no sign. */
char *
_attn_cell_text (double   v,
                 double   vmax,
                 gboolean precise)
{
  double a = fabs (v);
  /* a saturating value above the scale needs no more digits than its own */
  int decimals = CLAMP (1 - (int) floor (log10 (MAX (vmax, a) > 0. ? MAX (vmax, a) : 1.)), 2, 4);
  g_autofree char *text = NULL;

  if (a >= 0.995)
    text = g_strdup_printf ("%.1f", a);
  else if (precise && a > 0.)
    text = g_strdup_printf ("%.*f", CLAMP (2 - (int) floor (log10 (a)), 2, 6), a);
  else
    text = g_strdup_printf ("%.*f", decimals, a);
  return g_strdup_printf ("%s%s", v < 0 && strspn (text, "0.") < strlen (text) ? "−" : "",
                          text[0] == '0' ? text + 1 : text);
}

/* A heatmap block: title, cells (rows = layers, top layer on top), row and
 * column labels, and the sentence coloured by the top row. With all columns,
 * the antecedents of the example's pronoun are outlined and their labels
 * highlighted. Returns its height. */
double
_attn_place_block (Builder      *b,
                   double        x,
                   double        y,
                   const char   *title,
                   AttnExample  *example,
                   Columns       columns,
                   guint         first,
                   guint         last,
                   const double *values,    /* L * n, row l - 1 */
                   double        vmin,
                   double        vmax,
                   gboolean      diverging,
                   int           mark,
                   gboolean      sentence)
{
  AttnFigure *fig = b->figure;
  guint n_tokens = attn_example_get_n_tokens (example);
  guint n = columns.columns ? columns.n_columns : n_tokens;
  guint n_rows = last - first + 1;
  double grid_x = x + _attn_block_width (b, 0);
  double grid_w = n * b->cw;
  double cy, value_fs = b->fs * VALUE_FONT;
  HeatGrid grid = { 0 };
  AttnLabel *label;
  gboolean outline = columns.columns == NULL;

  /* the title over the block and @b's title_room, not over row labels it has not ("값 제로화(Value
   * Zeroing)" ran over the title of the block right of it) */
  label = _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_TITLE, .text = title, .size = b->fs,
                                  .bold = TRUE, .wrap = _attn_block_width (b, n) + b->title_room }, x, y);
  cy = y + label->box.height + (b->marks_room ? TITLE_MARKS_GAP : 4.);

  grid.x = grid_x;
  grid.y = cy;
  grid.cw = b->cw;
  grid.ch = b->ch;
  grid.n = n;
  grid.n_rows = n_rows;
  grid.values = g_new (double, (gsize) n_rows * n);
  grid.diverging = diverging;
  grid.mark = mark;
  grid.vmax = vmax;
  if (outline && attn_example_get_n_antecedents (example) > 0)
    {
      grid.n_highlight = attn_example_get_n_antecedents (example);
      grid.highlight = g_memdup2 (attn_example_get_antecedents (example),
                                  grid.n_highlight * sizeof (guint));
    }
  grid.last_layer = last;
  if (columns.columns != NULL)
    grid.positions = g_memdup2 (columns.columns, n * sizeof (guint));
  grid.name = g_strdup (title);
  grid.tokens = g_new0 (char *, n + 1);
  for (guint c = 0; c < n; c++)
    grid.tokens[c] = g_strdup (attn_example_get_token (example, column_token (example, columns, c)));
  /* a heatmap filling in: the layers not computed yet are NaN, left empty */
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n; c++)
      grid.values[(gsize) r * n + c] = b->layers_done > 0 && last - r > b->layers_done
                                       ? NAN : values[(gsize) (last - r - 1) * n_tokens + column_token (example, columns, c)];
  if (!b->rows_unlabelled)
    _attn_figure_band_rows (b, &grid);

  /* the antecedent panels are small: their values are always printed */
  if (b->style->show_values || columns.columns != NULL)
    {
      double vh = _attn_figure_measure_height (b, "0", value_fs, FALSE, 0);

      for (guint r = 0; r < n_rows && vh <= b->ch; r++)
        for (guint k = 0; k < n; k++)
          {
            g_autofree char *shown = NULL;
            double w;

            if (isnan (grid.values[(gsize) r * n + k]))
              continue;
            shown = _attn_cell_text (grid.values[(gsize) r * n + k], vmax, columns.columns != NULL);
            w = _attn_figure_measure_width (b, shown, value_fs, FALSE);
            if (w + 2. > b->cw)
              continue;
            grid.value_w = MAX (grid.value_w, w);
            grid.value_h = vh;
            _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_VALUE, .index = r * n + k,
                                    .text = shown, .size = value_fs },
                                    grid_x + k * b->cw + (b->cw - w) / 2, cy + r * b->ch + (b->ch - vh) / 2);
          }
    }
  g_array_append_val (fig->grids, grid);
  cy += n_rows * b->ch + 4.;

  if (!b->columns_unlabelled)
    {
      double extent = place_column_labels (b, &g_array_index (fig->grids, HeatGrid, fig->grids->len - 1),
                                           example, columns, cy, x - b->labels_reach, mark);

      cy += MAX (b->token_h, extent + 4.) + 6.;
    }

  if (sentence)
    {
      /* a heatmap filling in: its top row computed; the selected node's */
      guint top = b->layers_done > 0 ? MAX (first, MIN (last, b->layers_done)) : last;

      if (b->sentence_layer >= first && b->sentence_layer <= top)
        top = b->sentence_layer;

      cy = _attn_place_sentence (b, example, x, grid_x, grid_w, cy, top, values + (gsize) (top - 1) * n, vmin,
                                 vmax, diverging);
    }

  return cy - y;
}

double
_attn_block_width (Builder *b,
                   guint    n)
{
  return (b->rows_unlabelled ? 0. : b->layer_w + 6.) + n * b->cw;
}

/* The shortest colour bar whose two tick labels (its ends) do not overlap
 * (_attn_colorbar_n_ticks()) */
static double
colorbar_min_height (Builder *b)
{
  return 1.1 * _attn_figure_measure_height (b, "0.0", b->style->font_size * 0.85, FALSE, 0);
}

/* The width to wrap a colour bar's note @text (its name and the line that
 * says what saturates, rotated) at, in @room: @room, or where a line
 * wrapped so is longer still (a quoted token and its particle, which are
 * not broken apart: “his”은(는), 56 px in a room of 52, left the note out),
 * the widest that makes every line fit, a line more */
static double
note_wrap (Builder    *b,
           const char *text,
           double      room)
{
  double size = b->fs * 0.85, w, h;

  _attn_text_measure (b->context, b->style, text, size, FALSE, room, &w, &h);
  if (w <= room + 0.01)
    return room;
  for (double wrap = room - (w - room); wrap >= room / 2; wrap -= 2.)
    {
      _attn_text_measure (b->context, b->style, text, size, FALSE, wrap, &w, &h);
      if (w <= room + 0.01)
        return wrap;
    }
  return room;
}

/* A colour bar at (@x, @y) beside cells @height high, its name @name
 * right of its ticks, with the line @saturated (nullable: which tokens
 * were left out of the range and saturate) under it where there is room.
 * At the figure's own size (what is saved) a bar shorter than its name (a
 * layer or two) is made as long as the name and that line, down past the
 * cells, which a figure must not leave out (a comparison of six layers
 * did). Laid out at a size (a panel) the bar is as long as the cells, or
 * as its two tick labels need, and its name, with that line where it
 * stays within @room (from @y; 0: beside the token labels), runs down past
 * it (beside the token labels, a bar as long as the name ran down there
 * twice as long as the cells); beside cells that left their column labels
 * to a block under them, never past @room (the bar is unnamed where its
 * name is longer). Returns the y under the bar, its name and its lowest
 * tick label. Laid out at a size, the name and its line are no wider than
 * @b's bar_name_w where set (the room kept for them): wrapped wider, the
 * name alone is written. The space between the name's lines comes out of
 * the gap after the tick labels: it ends where one without it would. */
double
_attn_add_colorbar (Builder    *b,
                    double      x,
                    double      y,
                    double      height,
                    double      room,
                    gboolean    diverging,
                    double      min,
                    double      max,
                    const char *name,
                    const char *saturated)
{
  /* the tokens left out of the range saturate: said where the bar is long enough */
  g_autofree char *noted = saturated != NULL ? g_strdup_printf ("%s\n%s", name, saturated) : NULL;
  const char *texts[] = { noted != NULL ? noted : name, name };
  AttnLabel labels[G_N_ELEMENTS (texts)];
  gboolean placed = FALSE, wide = FALSE;
  double ticks_w, reach;
  guint chosen;
  Colorbar bar;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    _attn_label_init (&labels[i], b->context, b->style, &(AttnLabelSpec) { .kind = ATTN_LABEL_SCALE,
                      .index = G_MAXUINT, .text = texts[i], .size = b->fs * 0.85, .angle = -G_PI / 2 });
  /* laid out at a size (a panel), the bar reaches down as far as @room, or
   * beside the token labels, room the figure takes anyway */
  room = b->fit_cw > 0. ? MAX (room, height + (b->columns_unlabelled ? 0. : b->token_h)) : G_MAXDOUBLE;
  /* too long for it: the note wrapped to that length, a line more (not
   * shorter than the name, whose word it would break) */
  if (noted != NULL && labels[0].box.height > room && labels[1].box.height <= room)
    {
      _attn_label_clear (&labels[0]);
      _attn_label_init (&labels[0], b->context, b->style, &(AttnLabelSpec) { .kind = ATTN_LABEL_SCALE,
                        .index = G_MAXUINT, .text = noted, .size = b->fs * 0.85, .angle = -G_PI / 2,
                        .wrap = note_wrap (b, noted, room) });
      wide = b->bar_name_w > 0. &&
             labels[0].box.width - labels[0].line_spacing > b->bar_name_w;
    }
  chosen = labels[0].box.height <= room && !wide ? 0 : G_N_ELEMENTS (texts) - 1;
  /* over a block (which has the labels of its columns), no longer than @room */
  reach = height;
  if (!b->columns_unlabelled || labels[chosen].box.height <= room)
    reach = MAX (height, labels[chosen].box.height);
  /* laid out at a size, the bar is as long as the cells (or its two ticks),
   * its name running down past it; at the figure's own size, as its name */
  if (b->fit_cw > 0.)
    height = MIN (reach, MAX (height, colorbar_min_height (b)));
  else
    height = reach;
  bar = (Colorbar) { { x, y, COLORBAR_WIDTH, height }, diverging, min, max, b->bar_top_reach };
  ticks_w = _attn_colorbar_ticks_used_width (b->context, b->style, min, max, height);
  g_array_append_val (b->figure->colorbars, bar);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      if (!placed && !(i == 0 && wide) && labels[i].box.height <= reach)
        {
          /* the space between its lines out of the gap after the ticks */
          _attn_label_place (&labels[i],
                             x + COLORBAR_WIDTH + ticks_w - labels[i].line_spacing,
                             y + MAX (0., height - labels[i].box.height) / 2);
          g_array_append_val (b->figure->labels, labels[i]);
          placed = TRUE;
        }
      else
        _attn_label_clear (&labels[i]);
    }
  return y + reach + b->line_h / 2;
}

/* The room a colour bar takes beside a block, @ticks_w for its tick
 * labels (_attn_colorbar_ticks_range_width()), or 0 for any range's, and
 * @name_w for its name (_attn_colorbar_name_width()), or 0 for a line */
double
_attn_colorbar_space (Builder *b,
                      double   ticks_w,
                      double   name_w)
{
  if (ticks_w <= 0.)
    ticks_w = _attn_colorbar_ticks_width (b->context, b->style);
  return GAP + COLORBAR_WIDTH + ticks_w + MAX (b->line_h + 6., name_w);
}

/* The width of the name @name and line @saturated (nullable) that
 * _attn_add_colorbar() writes beside a bar laid out at a size, rotated,
 * where the bar may reach down @room or further: one line or two (in a
 * line's room, two ran 7 px into the gap before the next block), or, two
 * longer than @room, the line wrapped to no shorter than the name (as wide
 * as the widest it writes there); the space between its lines aside, which
 * it takes from the gap after the tick labels (its line_spacing) */
double
_attn_colorbar_name_width (Builder    *b,
                           double      room,
                           const char *name,
                           const char *saturated)
{
  g_autofree char *noted = NULL;
  double size = b->fs * 0.85, w, h;

  if (saturated == NULL)
    return _attn_figure_measure_height (b, name, size, FALSE, 0);
  noted = g_strdup_printf ("%s\n%s", name, saturated);
  _attn_text_measure (b->context, b->style, noted, size, FALSE, 0, &w, &h);
  if (w <= room)
    return h;
  room = MAX (room, _attn_figure_measure_width (b, name, size, FALSE));
  return MAX (h, _attn_figure_measure_height (b, noted, size, FALSE, note_wrap (b, noted, room)));
}

/* Gives @b back the cells of @saved (antecedent cells, then the heatmaps') */
void
_attn_restore_cells (Builder       *b,
                     const Builder *saved)
{
  b->cw = saved->cw;
  b->ch = saved->ch;
  b->rotated = saved->rotated;
  b->token_h = saved->token_h;
}

/* Adds the head @text of example @e's column at (@x, @y), wrapped at the
 * column's @width */
AttnLabel *
_attn_add_column_head (Builder    *b,
                       guint       e,
                       const char *text,
                       double      width,
                       double      x,
                       double      y)
{
  return _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_TITLE, .index = e + 1,
                                 .text = text, .size = b->fs * 0.95, .bold = TRUE, .wrap = width },
                                 x, y);
}
