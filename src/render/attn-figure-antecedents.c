/* attn-figure-antecedents.c: a compare figure's antecedent section (the
 * paper's Figure 4): per example and block, the pronoun's importance of
 * each candidate antecedent by layer, its values printed in the cells
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "attn-figure-heatmap-private.h"

#define ANTECEDENT_BARS_WIDTH 220.

/* Whether a compare figure gets the antecedent section (of its examples
 * @s to @end, before it): an example names the candidate antecedents of
 * its pronoun */
gboolean
_attn_heatmap_antecedents_in (Heatmap *h,
                              guint    s,
                              guint    end)
{
  for (guint e = s; h->compare && e < MIN (end, h->n_inputs); e++)
    if (attn_example_get_n_antecedents (h->inputs[e].example) > 0)
      return TRUE;
  return FALSE;
}

/* The importances of the candidates under block @m, every example's at
 * each layer computed (*@n_values of them) */
static double *
candidate_values (Heatmap *h,
                  guint    m,
                  guint   *n_values)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint e = 0; e < h->n_inputs; e++)
    {
      AttnExample *ex = h->inputs[e].example;
      guint n = attn_example_get_n_tokens (ex);
      const double *values = g_ptr_array_index (h->values, e * h->n_methods + m);

      for (guint l = h->first; l <= _attn_heatmap_block_top (h, m); l++)
        for (guint a = 0; a < attn_example_get_n_antecedents (ex); a++)
          g_array_append_val (out, values[(gsize) (l - 1) * n + attn_example_get_antecedents (ex)[a]]);
    }
  *n_values = out->len;
  return (double *) g_array_free (out, FALSE);
}

/* The colour scale of @n candidate_values(): the largest, or 1 */
static double
values_max (const double *values,
            guint         n)
{
  double amax = 0.;

  for (guint i = 0; i < n; i++)
    amax = MAX (amax, values[i]);
  return amax > 0. ? amax : 1.;
}

/* The largest importance of a candidate under block @m: the section's own
 * colour scale (the candidates get little of the pronoun's attention next
 * to [CLS] and the pronoun itself), common to the examples */
static double
antecedents_max (Heatmap *h,
                 guint    m)
{
  guint n;
  g_autofree double *values = candidate_values (h, m, &n);

  return values_max (values, n);
}

/* The least height of the antecedent panels' rows: a printed value's
 * line, its digits clear of the cell's edges (a pixel more above and
 * under it made his and her under all methods, laid out in 1,600 x 1,000,
 * 36 px taller, past the box's edge) */
double
_attn_heatmap_antecedent_min_ch (Heatmap *h)
{
  return ceil (_attn_figure_measure_height (&h->b, "0", h->b.fs * VALUE_FONT, FALSE, 0));
}

/* The widest value the antecedent panels print (as _attn_place_block()
 * prints them, to three significant digits) */
static double
antecedent_values_width (Heatmap *h)
{
  Builder *b = &h->b;
  double width = _attn_figure_measure_width (b, ".00", b->fs * VALUE_FONT, FALSE);

  for (guint m = 0; m < h->n_methods; m++)
    {
      guint n;
      g_autofree double *values = candidate_values (h, m, &n);
      double amax = values_max (values, n);

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *text = _attn_cell_text (values[i], amax, TRUE);

          width = MAX (width, _attn_figure_measure_width (b, text, b->fs * VALUE_FONT, FALSE));
        }
    }
  return width;
}

/* The antecedent panels' cells: upright labels, and room for their values
 * whatever the heatmaps above use (laid out at a size, the panels' rows
 * at least as high as a value: at 900 x 600 they followed the heatmaps'
 * down to 9 px, their values left out and only a tooltip telling his
 * from her); returns the builder's cells to restore */
static Builder
antecedent_cells (Heatmap *h)
{
  Builder *b = &h->b, saved = *b;
  double max_tw = antecedent_values_width (h);

  for (guint e = 0; e < h->n_inputs; e++)
    {
      AttnExample *ex = h->inputs[e].example;

      for (guint a = 0; a < attn_example_get_n_antecedents (ex); a++)
        {
          g_autofree char *text = _attn_token_text (b, attn_example_get_token (ex, attn_example_get_antecedents (ex)[a]));

          max_tw = MAX (max_tw, _attn_figure_measure_width (b, text, b->fs * 0.85, FALSE));
        }
    }
  b->cw = MAX (36., max_tw + 8.);
  b->ch = MAX (b->ch, _attn_heatmap_antecedent_min_ch (h));
  b->rotated = FALSE;
  b->token_h = b->line_h + 4.;
  return saved;
}

/* The width of an example's column in the antecedent section: its panels,
 * and its prediction bars above them */
static double
antecedent_column_width (Heatmap *h,
                         guint    k)
{
  return MAX (h->have_predictions ? ANTECEDENT_BARS_WIDTH : 0., _attn_block_width (&h->b, k));
}

/* The width of the antecedent section, @per_line examples a line: a
 * column per example with candidates, then the colour bars */
double
_attn_heatmap_antecedents_width (Heatmap *h,
                                 guint    per_line)
{
  Builder saved = antecedent_cells (h);
  double width = PAD, line = PAD;

  for (guint e = 0; e < h->n_inputs; e++)
    {
      guint k = attn_example_get_n_antecedents (h->inputs[e].example);

      line = e % per_line == 0 ? PAD : line;
      line += k > 0 ? antecedent_column_width (h, k) + GAP : 0.;
      width = MAX (width, line);
    }
  _attn_restore_cells (&h->b, &saved);
  return width - GAP + _attn_colorbar_space (&h->b, 0., 0.) + PAD;
}

/* The heads of the antecedent section's columns from example @s at @y:
 * each example's name and pronoun, and its prediction bars; returns their
 * height */
static double
place_antecedent_heads (Heatmap *h,
                        guint    s,
                        double   y)
{
  Builder *b = &h->b;
  guint end = MIN (s + h->ante_line, h->n_inputs), n_heads = 0;
  PlacedColumn *heads = g_newa (PlacedColumn, end - s);
  double x = PAD, heads_h = 0.;

  for (guint e = s; e < end; e++)
    {
      AttnExample *ex = h->inputs[e].example;
      guint k = attn_example_get_n_antecedents (ex);
      double column_w = antecedent_column_width (h, k), head_h;
      g_autofree char *pronoun = NULL;
      g_autofree char *name = NULL;
      g_autofree char *head = NULL;

      if (k == 0)
        continue;
      pronoun = attn_token_display (attn_example_get_token (ex, attn_example_get_focus (ex)));
      name = _attn_heatmap_input_name (h, e);
      /* translators: an example's name, then its pronoun */
      head = g_strdup_printf (_("%s: “%s”"), name, pronoun);
      heads[n_heads] = (PlacedColumn) { b->figure->labels->len, b->figure->swatches->len, 0. };
      head_h = _attn_add_column_head (b, e, head, column_w, x, y)->box.height + 4.;
      if (h->have_predictions)
        head_h += _attn_figure_place_predictions (b, x, y + head_h, ANTECEDENT_BARS_WIDTH, ex);
      heads[n_heads++].height = head_h;
      heads_h = MAX (heads_h, head_h);
      x += column_w + GAP;
    }
  _attn_figure_align_heads (b, heads, n_heads, heads_h);
  return heads_h;
}

/* The antecedent section's row of block @m from example @s at @y: each
 * example's panel (the candidates' columns of its block above, by layer),
 * on the block's own scale, and its colour bar; returns its height */
static double
place_antecedent_row (Heatmap *h,
                      guint    m,
                      guint    s,
                      double   y)
{
  Builder *b = &h->b;
  guint n_layers = h->last - h->first + 1, grid0 = b->figure->grids->len, top = _attn_heatmap_block_top (h, m);
  double amax = antecedents_max (h, m), x = PAD, row_h = 0., bar_y;
  g_autofree char *label = _attn_heatmap_block_label (h, m);
  HeatGrid *g;

  _attn_heatmap_begin_block (h, m);
  for (guint e = s; e < MIN (s + h->ante_line, h->n_inputs); e++)
    {
      AttnExample *ex = h->inputs[e].example;
      guint k = attn_example_get_n_antecedents (ex), n = attn_example_get_n_tokens (ex);
      const guint *antecedents = attn_example_get_antecedents (ex);
      const double *values = g_ptr_array_index (h->values, e * h->n_methods + m);
      AntecedentPanel panel = { e, h->methods[m], h->first, n_layers, k, NULL };
      double block_h;

      if (k == 0)
        continue;
      panel.values = g_new (double, (gsize) n_layers * k);
      for (guint l = h->first; l <= h->last; l++)
        for (guint a = 0; a < k; a++)
          panel.values[(gsize) (l - h->first) * k + a] = l <= top ? values[(gsize) (l - 1) * n + antecedents[a]] : NAN;
      g_array_append_val (b->figure->antecedents, panel);
      block_h = _attn_place_block (b, x, y, label, ex, (Columns) { antecedents, k }, h->first, h->last, values, 0.,
                                   amax, FALSE, -1, FALSE);
      _attn_heatmap_name_block_of_input (h, e, m);
      row_h = MAX (row_h, block_h);
      x += antecedent_column_width (h, k) + GAP;
    }
  g = &g_array_index (b->figure->grids, HeatGrid, grid0);
  bar_y = _attn_add_colorbar (b, x, g->y, g->n_rows * g->ch, y + row_h - g->y, FALSE, 0., amax, _("Importance"), NULL);
  return MAX (row_h, bar_y - y);
}

/* The paper's Figure 4: a column per example with antecedents, its name,
 * pronoun and prediction bars over, per block (a row each, on its own
 * colour scale), the pronoun's importance of each candidate by layer (the
 * candidates' columns of the blocks above). Returns the y under it. */
double
_attn_heatmap_place_antecedents (Heatmap *h,
                                 double   y)
{
  Builder *b = &h->b;
  Builder saved = antecedent_cells (h);
  double limit = h->width - PAD - _attn_colorbar_space (b, 0., 0.);
  AttnLabel *label;

  label = _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_TITLE,
                                  .text = _("The pronoun’s importance of each candidate antecedent, by layer "
                                            "(the first candidate is the one the sentence’s meaning selects; "
                                            "dashed outlines above)"),
                                  .size = b->fs, .bold = TRUE, .wrap = MIN (limit - PAD, 900.) }, PAD, y);
  y += label->box.height + 8.;
  for (guint s = 0; s < h->n_inputs; s += h->ante_line)
    {
      if (!_attn_heatmap_antecedents_in (h, s, s + h->ante_line))
        continue;
      y += place_antecedent_heads (h, s, y);
      for (guint m = 0; m < h->n_methods; m++)
        y += place_antecedent_row (h, m, s, y) + 8.;
    }
  _attn_restore_cells (b, &saved);
  return y;
}
