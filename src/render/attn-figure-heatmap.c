/* attn-figure-heatmap.c: the heatmap and compare figures (Figures 2-4)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "attn-figure-heatmap-private.h"

/* what the layout copies from its data */
G_STATIC_ASSERT (sizeof (((Heatmap *) NULL)->vmax) == sizeof (((HeatmapData *) NULL)->vmax));
G_STATIC_ASSERT (sizeof (((Heatmap *) NULL)->saturated) == sizeof (((HeatmapData *) NULL)->saturated));
G_STATIC_ASSERT (sizeof (((Heatmap *) NULL)->methods) == sizeof (((HeatmapData *) NULL)->methods));

/* The name of example @e in a comparison: its label, with its file's name
 * where another example compared has the same label (examples without ids
 * in several files are all "0"), and as many of the folders above it as
 * tell its file from the others' (two exports of the same sentences by two
 * models, each "sst2.json" in its model's folder, were both named
 * "sst2.json — sst2-0123", in the title, the blocks and the difference) */
char *
_attn_heatmap_input_name (const Heatmap *h,
                          guint          e)
{
  const char *id = attn_example_get_label (h->inputs[e].example);
  g_autofree char *label = _attn_caption_text (id);
  g_autoptr(GPtrArray) paths = NULL;
  g_auto(GStrv) files = NULL;
  g_autofree char *file = NULL;
  gboolean clash = FALSE;
  guint mine = 0;

  for (guint o = 0; o < h->n_inputs; o++)
    clash |= o != e && g_strcmp0 (attn_example_get_label (h->inputs[o].example), id) == 0;
  if (!clash || h->inputs[e].path == NULL)
    return g_steal_pointer (&label);
  paths = g_ptr_array_new ();
  for (guint o = 0; o < h->n_inputs; o++)
    if (h->inputs[o].path != NULL)
      {
        if (o == e)
          mine = paths->len;
        g_ptr_array_add (paths, (gpointer) h->inputs[o].path);
      }
  g_ptr_array_add (paths, NULL);
  files = attn_file_names_distinct ((const char * const *) paths->pdata);
  file = _attn_caption_text (files[mine]);
  /* translators: a file's name, then an example's */
  return g_strdup_printf (_("%s — %s"), file, label);
}

/* The block just placed named @name (taken), as its cells' tooltips and
 * copied values say it: its method and weights, "Attention flow (ALTI)",
 * where its title may name the kind alone (All Weights' flow values were
 * copied as "Attention", as if they were the attention) */
static void
name_last_block (Heatmap *h,
                 char    *name)
{
  HeatGrid *grid = &g_array_index (h->b.figure->grids, HeatGrid, h->b.figure->grids->len - 1);

  g_free (grid->name);
  grid->name = name;
}

/* The block just placed, block @m of example @e in a comparison, named by
 * the example too: its cells' tooltips say whose they are */
void
_attn_heatmap_name_block_of_input (Heatmap *h,
                                   guint    e,
                                   guint    m)
{
  g_autofree char *name = _attn_heatmap_input_name (h, e);
  g_autofree char *label = attn_method_dup_label (h->methods[m], h->kinds[m]);

  /* translators: a comparison's example, then the method of its heatmap block */
  name_last_block (h, g_strdup_printf (_("%s — %s"), name, label));
}

/* The highest layer computed: a heatmap filling in (bottom up) keeps the
 * rows of every layer, those above it empty */
static guint
top_done (const Heatmap *h)
{
  guint done = h->settings->layers_done;

  return done > 0 ? MAX (h->first, MIN (h->last, done)) : h->last;
}

/* The highest layer of block @m computed: flow's fills in, the other
 * methods' values are whole from the first (raw attention and rollout
 * stood empty above flow's rows for half a minute at n = 2048) */
guint
_attn_heatmap_block_top (const Heatmap *h,
                         guint          m)
{
  return h->methods[m] == ATTN_METHOD_FLOW ? top_done (h) : h->last;
}

/* The values of every example and block, and each block's colour scale,
 * common to the examples, which have the same layers (attn_figure_build()
 * checked: attn_figure_check_depths()) for one scale and aligned rows */
static gboolean
collect_values (Heatmap                *h,
                const AttnFigureStyle  *style,
                GCancellable           *cancellable,
                GError                **error)
{
  double left_max[MAX_BLOCKS] = { 0., };

  for (guint e = 0; e < h->n_inputs; e++)
    {
      AttnExample *ex = h->inputs[e].example;
      AttnGraph *graphs[ATTN_N_WEIGHT_KINDS] = { NULL, };
      guint pos = h->compare ? attn_example_get_focus (ex) : _attn_figure_resolve_position (h->settings, ex);
      guint L = attn_example_get_n_layers (ex);

      if (pos >= attn_example_get_n_tokens (ex))
        {
          g_autofree char *name = attn_example_dup_message_name (ex);

          /* translators: the example (“cat-mat”, or 3 (no id)), a position, the last one */
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("Example %s: position %u does not exist: the input has positions 0 to %u"),
                       name, pos, attn_example_get_n_tokens (ex) - 1);
          return FALSE;
        }
      _attn_figure_resolve_layers (h->settings, L, &h->first, &h->last);
      for (guint m = 0; m < h->n_methods; m++)
        {
          double *v = _attn_heatmap_input_values (&h->inputs[e], h->settings, h->methods[m], h->kinds[m],
                                                  pos, graphs, cancellable, error);

          if (v == NULL)
            {
              for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
                g_clear_pointer (&graphs[k], attn_graph_unref);
              return FALSE;
            }
          double vmax = _attn_heatmap_max_value (ex, v, h->first, _attn_heatmap_block_top (h, m), &pos, 1,
                                                 style->exclude_special, &left_max[m]);

          h->vmax[m] = MAX (h->vmax[m], vmax);
          g_ptr_array_add (h->values, v);
        }
      for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
        g_clear_pointer (&graphs[k], attn_graph_unref);
      h->have_predictions |= attn_example_get_n_candidates (ex) > 0;
    }
  for (guint m = 0; m < h->n_methods; m++)
    {
      h->saturated[m] = left_max[m] > h->vmax[m];
      if (!(h->vmax[m] > 0.))
        h->vmax[m] = 1.;
    }
  return TRUE;
}

/* A block's title: its weight kind when the blocks are kinds, else its
 * method, with the weights when they are not the attention */
char *
_attn_heatmap_block_label (Heatmap *h,
                           guint    m)
{
  if (h->by_kind)
    return g_strdup (attn_weight_kind_get_label (h->kinds[m]));
  return attn_method_dup_label (h->methods[m], h->kinds[m]);
}

/* A block's title in a heatmap of one example: a lone block names the
 * token when the figure is laid out without its title (a low panel), which
 * said it alone (with no node selected, only the focus column's outline
 * told which token the heatmap is of), and how far it has got while it
 * fills in, which the caption left out said */
static char *
single_block_label (Heatmap *h,
                    guint    m)
{
  g_autofree char *label = _attn_heatmap_block_label (h, m);
  AttnExample *ex = h->inputs[0].example;
  guint pos = _attn_figure_resolve_position (h->settings, ex);
  g_autofree char *token = NULL;

  if (!h->untitled || h->n_methods > 1)
    return g_steal_pointer (&label);
  token = attn_token_display (attn_example_get_token (ex, pos));
  /* translators: a heatmap's method or weights (“Attention flow”), the
   * token it is of and its position; in a panel too low for its title */
  return _attn_figure_add_filling (h->settings, h->first, h->last,
                                   g_strdup_printf (_("%s for “%s” (position %u)"), label, token, pos));
}

/* The colour bar's line that says which tokens saturate (@saturated: the
 * heatmaps' own positions were left out of the range), in the graph's
 * words: the selected token, or a comparison's focus tokens */
static char *
saturated_line (const Heatmap *h,
                gboolean       saturated)
{
  gboolean special = h->b.style->exclude_special;
  AttnExample *ex = h->inputs[0].example;
  g_autofree char *token = NULL;

  if (!saturated)
    return NULL;
  if (h->compare)
    return g_strdup (special ? _("special and focus tokens saturate") : _("focus tokens saturate"));
  /* the token the heatmap is of, selected or the example's focus; as its
   * column label shows it (a token of 120 characters, quoted whole up to
   * 16, ran the note past the block) */
  token = attn_token_display (attn_example_get_token (ex, _attn_figure_resolve_position (h->settings, ex)));
  if (h->b.rotated && h->b.token_room > 0.)
    {
      g_autofree char *whole = g_steal_pointer (&token);
      double w;

      token = _attn_text_shorten_to_width (h->b.context, h->b.style, whole, h->b.fs * 0.85, h->b.token_room, &w);
    }
  /* translators: the colour bar's note: the token the heatmap is of is left out of its range */
  return special ? g_strdup_printf (_("special tokens and “%s” saturate"), token)
                 : g_strdup_printf (_("“%s” saturates"), token);
}

static char *
heatmap_title (Heatmap *h)
{
  AttnExample *ex = h->inputs[0].example;
  guint pos, first, last;
  g_autofree char *tok = NULL;
  g_autofree char *name = NULL;

  if (h->compare)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint e = 0; e < h->n_inputs; e++)
        {
          g_autofree char *input = _attn_heatmap_input_name (h, e);

          g_string_append_printf (names, "%s%s", e > 0 ? ", " : "", input);
        }
      return g_strdup_printf (_("Comparison of %s at each focus token"), names->str);
    }
  pos = _attn_figure_resolve_position (h->settings, ex);
  tok = attn_token_display (attn_example_get_token (ex, pos));
  /* the layers of the whole heatmap, of one still filling in too */
  _attn_figure_resolve_layers (h->settings, attn_example_get_n_layers (ex), &first, &last);
  name = _attn_caption_text (attn_example_get_label (ex));
  if (first == last)
    return g_strdup_printf (_("Example %s: importance of the input tokens for “%s” (position %u) at layer %u"),
                            name, tok, pos, last);
  return g_strdup_printf (_("Example %s: importance of the input tokens for “%s” (position %u) at each layer"),
                          name, tok, pos);
}

/* The layer the sentence under block @m is coloured by: the selected
 * node's where it is drawn and computed, else the top one (the status line
 * spoke of the node's, the sentence of layer 12; found by QA) */
static guint
sentence_layer (Heatmap *h,
                guint    m)
{
  guint layer = h->compare ? 0 : h->settings->layer;

  return layer >= h->first && layer <= _attn_heatmap_block_top (h, m) ? layer : _attn_heatmap_block_top (h, m);
}

/* The builder draws block @m next: its rows computed, its sentence's layer */
void
_attn_heatmap_begin_block (Heatmap *h,
                           guint    m)
{
  h->b.layers_done = _attn_heatmap_block_top (h, m);
  h->b.sentence_layer = sentence_layer (h, m);
}

/* The room block @m's colour bar takes beside it: in a panel, that of its
 * own tick labels (three bars' room for "−0.0e−00", any scale's, took a
 * fifth of a 609 px panel) and of its name */
static double
bar_space (Heatmap *h,
           guint    m)
{
  return _attn_colorbar_space (&h->b, h->fit != NULL && !h->compare ? h->ticks_w[m] : 0., h->name_w[m]);
}

static guint
n_columns (Heatmap *h)
{
  return MIN (h->n_methods, h->fit != NULL && h->fit->columns > 0 ? h->fit->columns : MAX_COLUMNS);
}

/* The room the colour bars of block @m's column of blocks take beside
 * them: the widest's, so that the blocks of a column share their x, their
 * token columns those of the labels under the lowest (Norm-based sat 13 px
 * right of Value Zeroing under it, whose bar had a name, unlabelled) */
static double
column_bar_space (Heatmap *h,
                  guint    m)
{
  guint cols = n_columns (h);
  double space = 0.;

  for (guint k = m % cols; k < h->n_methods; k += cols)
    space = MAX (space, bar_space (h, k));
  return space;
}

/* Whether block @m of one example leaves its rows to the labels of the
 * block left of it (the same layers, on one line): where no sentence is
 * under it (it would be as narrow as the cells), the cells get the width */
static gboolean
rows_shared (Heatmap *h,
             guint    m)
{
  return m % n_columns (h) != 0 && !(h->side_w <= 0. && h->sentence);
}

/* Whether block @m of one example, laid out at a size (a panel), leaves
 * its column labels to the block under it (the same tokens, at the same
 * x): where no sentence is under it (a panel's two rows of blocks, each
 * over its token labels, left cells 4 px high), unless it is laid out to
 * be scrolled (the panel, which opens on its top row, pinned the labels
 * of the row under it over that row's cells) */
static gboolean
columns_shared (Heatmap *h,
                guint    m)
{
  return h->fit != NULL && !h->fit->scrolled && m + n_columns (h) < h->n_methods &&
         !(h->side_w <= 0. && h->sentence);
}

/* How far down from its cells the colour bar of block @m may reach: to its
 * row's bottom, or, over a block under it that has its column labels,
 * nearly to that block's cells (and its bar), unless that block's title or
 * the one right of it (rows need not line up) reaches over the bar's column */
static double
colorbar_room (Heatmap      *h,
               guint         m,
               guint         grid0,
               const double *row_top,
               double        bottom)
{
  Builder *b = &h->b;
  guint cols = n_columns (h), next = (m / cols + 1) * cols;
  const HeatGrid *g = &g_array_index (b->figure->grids, HeatGrid, grid0 + m);
  g_autofree char *title = NULL;
  double block_w, beside = G_MAXDOUBLE;

  if (!columns_shared (h, m))
    return (next < h->n_methods ? row_top[next] - 8. : bottom) - g->y;
  title = single_block_label (h, m + cols);
  b->rows_unlabelled = rows_shared (h, m);
  block_w = _attn_block_width (b, g->n);
  b->rows_unlabelled = FALSE;
  if ((m + 1) % cols != 0 && m + cols + 1 < h->n_methods)
    beside = g_array_index (b->figure->grids, HeatGrid, grid0 + m + cols + 1).x;
  if (_attn_figure_measure_width (b, title, b->fs, TRUE) > block_w ||
      beside < g->x + g->n * g->cw + column_bar_space (h, m))
    return row_top[next] - 8. - g->y;
  return g_array_index (b->figure->grids, HeatGrid, grid0 + m + cols).y - b->line_h - g->y;
}

/* How many examples a comparison sets on a line: all, unless laid out at
 * a size too narrow for them (attn-figure-fit.c: fit_compare()) */
static guint
per_line (const Heatmap *h)
{
  return h->fit != NULL && h->fit->per_line > 0 ? MIN (h->fit->per_line, h->n_inputs) : h->n_inputs;
}

/* Whether the difference heatmap has a line of its own under the first */
static gboolean
difference_below (const Heatmap *h)
{
  return h->difference && h->fit != NULL && h->fit->difference_below;
}

/* The width of the line of compared examples from @s: their blocks, their
 * colour bar and, on the first line, the difference heatmap beside it */
static double
compare_line_width (Heatmap *h,
                    guint    s)
{
  Builder *b = &h->b;
  guint end = MIN (s + per_line (h), h->n_inputs);
  double width = PAD;

  for (guint e = s; e < end; e++)
    width += _attn_block_width (b, attn_example_get_n_tokens (h->inputs[e].example)) + (e > s ? GAP : 0.);
  width += _attn_colorbar_space (b, 0., 0.) + PAD;
  if (s == 0 && h->difference && !difference_below (h))
    width += GAP + _attn_block_width (b, attn_example_get_n_tokens (h->inputs[0].example)) +
             _attn_colorbar_space (b, 0., 0.);
  return width;
}

/* In a panel, the width each colour bar keeps for its name and the line
 * that says what saturates: the bar reaches down beside its cells, and its
 * token labels where it has them (the block's bottom: colorbar_room()) */
static void
measure_bar_names (Heatmap *h)
{
  for (guint m = 0; h->fit != NULL && !h->compare && m < h->n_methods; m++)
    {
      g_autofree char *note = saturated_line (h, h->saturated[m]);
      double room = (h->last - h->first + 1) * h->b.ch + (columns_shared (h, m) ? 0. : 4. + h->b.token_h + 6.);

      h->name_w[m] = _attn_colorbar_name_width (&h->b, room, _("Importance"), note);
    }
}

/* Width first: columns of blocks, each with its colour bar (a comparison's
 * rows share one, after the examples) */
static double
heatmap_width (Heatmap    *h,
               const char *title)
{
  Builder *b = &h->b;
  double width, title_w;

  if (h->compare)
    {
      width = 0.;
      for (guint s = 0; s < h->n_inputs; s += per_line (h))
        width = MAX (width, compare_line_width (h, s));
      if (difference_below (h))
        width = MAX (width, 2 * PAD + _attn_block_width (b, attn_example_get_n_tokens (h->inputs[0].example)) +
                            _attn_colorbar_space (b, 0., 0.));
      h->blocks_w = width;
      /* the antecedent section in lines too where it is wider than the box */
      h->ante_line = _attn_heatmap_antecedents_in (h, 0, h->n_inputs) && per_line (h) < h->n_inputs &&
                     _attn_heatmap_antecedents_width (h, h->n_inputs) > h->fit->width ? per_line (h) : h->n_inputs;
      if (_attn_heatmap_antecedents_in (h, 0, h->n_inputs))
        width = MAX (width, _attn_heatmap_antecedents_width (h, h->ante_line));
    }
  else
    {
      /* the widest row: in a panel, each bar as wide as its ticks */
      double row_w = 0.;

      width = 0.;
      for (guint m = 0; m < h->n_methods; m++)
        {
          b->rows_unlabelled = rows_shared (h, m);
          row_w = (m % n_columns (h) == 0 ? 2 * PAD - GAP : row_w) + GAP +
                  _attn_block_width (b, attn_example_get_n_tokens (h->inputs[0].example)) +
                  column_bar_space (h, m);
          width = MAX (width, row_w);
        }
      b->rows_unlabelled = FALSE;
    }
  if (h->side_w > 0.)
    width += GAP + h->side_w;
  if (!h->compare)
    h->blocks_w = width;
  if (h->fit != NULL)
    return MAX (width, h->fit->width);
  title_w = _attn_figure_measure_width (b, title, b->fs * 1.15, TRUE);
  width = MAX (width, MIN (title_w + 2 * PAD, 900.));
  return MAX (width, 420.);
}

/* Beside the blocks (a wide, low panel), at (@x, @y): the title, the
 * predictions, the sentence (unless left out) coloured by the top row of
 * one block, the one of the settings' method and weights (the graph's),
 * named when there are several, and the caption. Returns the y under it. */
static double
place_side (Heatmap *h,
            double   x,
            double   y)
{
  Builder *b = &h->b;
  AttnExample *ex = h->inputs[0].example;
  guint shown = 0;
  gsize row;

  if (h->title != NULL)
    y += _attn_figure_add_title (b, h->title, h->side_w, x, y)->box.height + 8.;
  if (h->have_predictions)
    y += _attn_figure_place_predictions (b, x, y, h->side_w, ex);
  for (guint m = 0; m < h->n_methods; m++)
    if (h->methods[m] == h->settings->method && h->kinds[m] == h->settings->weights)
      shown = m;
  row = (gsize) (sentence_layer (h, shown) - 1) * attn_example_get_n_tokens (ex);
  if (h->n_methods > 1 && h->sentence)
    {
      g_autofree char *label = _attn_heatmap_block_label (h, shown);

      y += _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_TITLE, .index = shown + 1,
                                   .text = label, .size = b->fs * 0.85, .bold = TRUE, .wrap = h->side_w },
                                   x, y)->box.height + 2.;
    }
  if (h->sentence)
    y = _attn_place_sentence (b, ex, x, x, h->side_w, y, sentence_layer (h, shown),
                              (const double *) g_ptr_array_index (h->values, shown) + row, 0., h->vmax[shown],
                              FALSE);
  if (h->caption != NULL)
    y += 6. + _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_CAPTION, .text = h->caption,
                                      .size = b->fs * 0.8, .wrap = h->side_w }, x, y + 6.)->box.height;
  return y;
}

/* The height of each block's title (@n columns), wrapped as it is placed:
 * a row's grids line up under its tallest ("Attention × gradient" wrapped,
 * and its grid sat a line lower); @over_ticks: whether it reaches over its
 * colour bar's tick labels */
static void
measure_titles (Heatmap  *h,
                guint     n,
                double   *title_h,
                gboolean *over_ticks)
{
  Builder *b = &h->b;

  for (guint m = 0; m < h->n_methods; m++)
    {
      g_autofree char *label = single_block_label (h, m);
      double title_w;

      b->rows_unlabelled = rows_shared (h, m);
      _attn_text_measure (b->context, b->style, label, b->fs, TRUE,
                          _attn_block_width (b, n) + column_bar_space (h, m), &title_w, &title_h[m]);
      over_ticks[m] = title_w > _attn_block_width (b, n) + GAP + COLORBAR_WIDTH;
      b->rows_unlabelled = FALSE;
    }
}

/* One example: its predictions, one block per method, each with its
 * colour bar */
static double
place_single (Heatmap *h,
              double   y,
              double   width)
{
  Builder *b = &h->b;
  AttnExample *ex = h->inputs[0].example;
  guint n = attn_example_get_n_tokens (ex);
  guint pos = _attn_figure_resolve_position (h->settings, ex);
  guint cols = n_columns (h), grid0;
  double x = PAD, max_h = 0., side_x = PAD, top = y, side_y = y, bottom = y;
  double title_h[MAX_BLOCKS], row_top[MAX_BLOCKS], row_title_h = 0.;
  /* a title over its bar's tick labels, which keep clear of it */
  gboolean over_ticks[MAX_BLOCKS];
  /* the predictions in the line that names the token, where it is asked for */
  gboolean bars_inline = h->have_predictions && h->fit != NULL && h->fit->inline_predictions && h->untitled &&
                         h->n_methods > 1;
  /* in a panel, the width the cells' whole pixels leave (under a pixel a
   * column) between the blocks and before the side column, not blank at
   * the right (up to 32 px, with each bar's name in its own width) */
  guint gaps = cols - 1 + (h->side_w > 0. ? 1 : 0);
  double spread = h->fit != NULL && gaps > 0 ? CLAMP (width - h->blocks_w, 0., cols * n) / gaps : 0.;

  if (h->have_predictions && h->side_w <= 0. && !bars_inline)
    y += _attn_figure_place_predictions_beside (b, PAD, y, width - 2 * PAD, b->layer_w + 6., 420., ex);
  if (h->untitled && h->n_methods > 1)
    {
      /* laid out without its title, the token is named above the blocks
       * (a lone block's title names it), with the method of blocks that
       * are weight kinds ("ALTI" said nothing of flow there) */
      g_autofree char *token = attn_token_display (attn_example_get_token (ex, pos));
      g_autofree char *line = NULL;
      AttnRect heading;

      if (h->by_kind)
        /* translators: a heatmap's method or weights (“Attention flow”), the
         * token it is of and its position; in a panel too low for its title */
        line = g_strdup_printf (_("%s for “%s” (position %u)"), attn_method_get_label (h->methods[0]), token, pos);
      else
        /* translators: above a heatmap's blocks (raw attention, rollout and
         * flow) laid out without its title: the importance of the input
         * tokens for this token, at its position */
        line = g_strdup_printf (_("Importance for “%s” (position %u)"), token, pos);
      line = _attn_figure_add_filling (h->settings, h->first, h->last, line);

      heading = _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_TITLE, .text = line, .size = b->fs,
                                        .bold = TRUE, .wrap = width - 2 * PAD }, PAD, y)->box;
      y += bars_inline ? _attn_figure_place_predictions_inline (b, &heading, width - PAD, ex) : heading.height + 2.;
    }

  measure_titles (h, n, title_h, over_ticks);
  grid0 = b->figure->grids->len;
  for (guint m = 0; m < h->n_methods; m++)
    {
      g_autofree char *label = single_block_label (h, m);
      double lower, block_h;

      if (m > 0 && m % cols == 0)
        {
          /* the next row of blocks */
          x = PAD;
          y += max_h + 8.;
          max_h = 0.;
        }
      if (m % cols == 0)
        {
          row_title_h = 0.;
          for (guint k = m; k < MIN (m + cols, h->n_methods); k++)
            row_title_h = MAX (row_title_h, title_h[k]);
        }
      row_top[m] = y;
      lower = row_title_h - title_h[m];
      b->rows_unlabelled = rows_shared (h, m);
      b->columns_unlabelled = columns_shared (h, m);
      b->title_room = column_bar_space (h, m);
      b->labels_reach = m % cols != 0 ? GAP + spread - LABELS_CLEAR : 0.;
      _attn_heatmap_begin_block (h, m);
      block_h = lower + _attn_place_block (b, x, y + lower, label, ex, ALL_COLUMNS, h->first, h->last,
                                           g_ptr_array_index (h->values, m), 0., h->vmax[m], FALSE, (int) pos,
                                           h->side_w <= 0. && h->sentence);
      name_last_block (h, attn_method_dup_label (h->methods[m], h->kinds[m]));
      b->title_room = b->labels_reach = 0.;
      max_h = MAX (max_h, block_h);
      /* its colour bar follows it */
      x += _attn_block_width (b, n) + column_bar_space (h, m) + GAP + spread;
      b->rows_unlabelled = b->columns_unlabelled = FALSE;
      side_x = MAX (side_x, x);
    }
  /* the side column first: the last row's bars may reach down as far as it
   * or the blocks, the others' as far as their row */
  if (h->side_w > 0.)
    side_y = place_side (h, side_x, top);
  bottom = MAX (y + max_h, side_y);
  for (guint m = 0; m < h->n_methods; m++)
    {
      HeatGrid *g = &g_array_index (b->figure->grids, HeatGrid, grid0 + m);
      double room = colorbar_room (h, m, grid0, row_top, MAX (y + max_h, side_y));
      g_autofree char *note = saturated_line (h, h->saturated[m]);
      double bar_y;

      b->columns_unlabelled = columns_shared (h, m);
      b->bar_name_w = h->fit != NULL ? MAX (b->line_h + 6., h->name_w[m]) : 0.;
      /* its top tick's label under the 4 px between the title and the cells */
      b->bar_top_reach = over_ticks[m] ? 3. : 0.;
      bar_y = _attn_add_colorbar (b, g->x + g->n * g->cw + GAP, g->y, g->n_rows * g->ch, room, FALSE, 0.,
                                  h->vmax[m], _("Importance"), note);
      b->columns_unlabelled = FALSE;
      b->bar_name_w = b->bar_top_reach = 0.;
      bottom = MAX (bottom, bar_y);
    }
  return bottom;
}

/* An example's column head: its name and (shortened) text */
static char *
column_head (const Heatmap *h,
             guint          e)
{
  const char *text = attn_example_get_text (h->inputs[e].example);
  g_autofree char *name = _attn_heatmap_input_name (h, e);
  g_autofree char *from_file = NULL;
  g_autofree char *shown = NULL;

  if (text == NULL || *text == '\0')
    return g_steal_pointer (&name);
  from_file = attn_text_from_file (text);
  shown = _attn_shorten_text (from_file, 90);
  return g_strdup_printf ("%s: %s", name, shown);
}

/* Column heads of the examples @s to @end (before it): names, texts and
 * prediction bars, each on its example's blocks */
static double
place_heads (Heatmap *h,
             guint    s,
             guint    end,
             double   y)
{
  Builder *b = &h->b;
  PlacedColumn *heads = g_newa (PlacedColumn, end - s);
  double x = PAD, heads_h = 0.;

  for (guint e = s; e < end; e++)
    {
      AttnExample *ex = h->inputs[e].example;
      double bw = _attn_block_width (b, attn_example_get_n_tokens (ex));
      g_autofree char *head = column_head (h, e);
      PlacedColumn *c = &heads[e - s];

      *c = (PlacedColumn) { b->figure->labels->len, b->figure->swatches->len, 0. };
      c->height = _attn_add_column_head (b, e, head, bw, x, y)->box.height + 6.;
      c->height += _attn_figure_place_predictions (b, x, y + c->height, bw, ex);
      heads_h = MAX (heads_h, c->height);
      x += bw + GAP;
    }
  _attn_figure_align_heads (b, heads, end - s, heads_h);
  return y + heads_h;
}

/* Block @m's difference heatmap (second minus first) at (@x, @y), on its
 * own scale, with its colour bar; returns its height */
static double
place_difference (Heatmap               *h,
                  const AttnFigureStyle *style,
                  guint                  m,
                  double                 x,
                  double                 y)
{
  Builder *b = &h->b;
  AttnExample *ex1 = h->inputs[1].example;
  guint n = attn_example_get_n_tokens (ex1), L = attn_example_get_n_layers (ex1);
  const double *v0 = g_ptr_array_index (h->values, m);
  const double *v1 = g_ptr_array_index (h->values, h->n_methods + m);
  g_autofree double *d = g_new (double, (gsize) L * n);
  /* the two foci's columns hold their own importance of themselves */
  guint foci[2] = { attn_example_get_focus (h->inputs[0].example), attn_example_get_focus (ex1) };
  double dmax, left_max = 0., block_h, bar_y;
  g_autofree char *label = _attn_heatmap_block_label (h, m);
  g_autofree char *name0 = _attn_heatmap_input_name (h, 0);
  g_autofree char *name1 = _attn_heatmap_input_name (h, 1);
  g_autofree char *head = g_strdup_printf (_("%s: %s minus %s"), label, name1, name0);
  g_autofree char *full = attn_method_dup_label (h->methods[m], h->kinds[m]);
  g_autofree char *note = NULL;
  HeatGrid *g;

  for (gsize i = 0; i < (gsize) L * n; i++)
    d[i] = v1[i] - v0[i];
  dmax = _attn_heatmap_max_value (ex1, d, h->first, h->last, foci, 2, style->exclude_special, &left_max);
  /* no difference but at the tokens left out of the range: on theirs; none
   * at all (the same values, which the figure's note says): on the scale
   * of the values compared, not ±1, on which no difference would show */
  if (!(dmax > 0.))
    dmax = left_max > 0. ? left_max : h->vmax[m] > 0. ? h->vmax[m] : 1.;
  b->subtracted = h->inputs[0].example;
  block_h = _attn_place_block (b, x, y, head, ex1, ALL_COLUMNS, h->first, h->last, d, -dmax, dmax, TRUE, -1, FALSE);
  b->subtracted = NULL;
  name_last_block (h, g_strdup_printf (_("%s: %s minus %s"), full, name1, name0));
  g = &g_array_index (b->figure->grids, HeatGrid, b->figure->grids->len - 1);
  note = saturated_line (h, left_max > dmax);
  bar_y = _attn_add_colorbar (b, g->x + g->n * g->cw + GAP, g->y, g->n_rows * g->ch, y + block_h - g->y, TRUE,
                              -dmax, dmax, _("Difference"), note);
  return MAX (block_h, bar_y - y);
}

/* The row of block @m of the examples from @s at @y: their blocks, their
 * colour bar (the block's scale, common to every example) and, on the
 * first line, the difference heatmap beside it; returns its height */
static double
place_compare_row (Heatmap               *h,
                   const AttnFigureStyle *style,
                   guint                  m,
                   guint                  s,
                   double                 y)
{
  Builder *b = &h->b;
  g_autofree char *label = _attn_heatmap_block_label (h, m);
  g_autofree char *note = saturated_line (h, h->saturated[m]);
  guint grid0 = b->figure->grids->len, end = MIN (s + per_line (h), h->n_inputs);
  double x = PAD, row_h = 0., bar_y;
  HeatGrid *g;

  _attn_heatmap_begin_block (h, m);
  for (guint e = s; e < end; e++)
    {
      AttnExample *ex = h->inputs[e].example;
      double block_h = _attn_place_block (b, x, y, label, ex, ALL_COLUMNS, h->first, h->last,
                                          g_ptr_array_index (h->values, e * h->n_methods + m), 0., h->vmax[m],
                                          FALSE, (int) attn_example_get_focus (ex), TRUE);

      _attn_heatmap_name_block_of_input (h, e, m);
      row_h = MAX (row_h, block_h);
      x += _attn_block_width (b, attn_example_get_n_tokens (ex)) + GAP;
    }
  g = &g_array_index (b->figure->grids, HeatGrid, grid0);
  bar_y = _attn_add_colorbar (b, x, g->y, g->n_rows * g->ch, y + row_h - g->y, FALSE, 0., h->vmax[m],
                              _("Importance"), note);
  row_h = MAX (row_h, bar_y - y);
  if (s == 0 && h->difference && !difference_below (h))
    row_h = MAX (row_h, place_difference (h, style, m, x + _attn_colorbar_space (b, 0., 0.), y));
  return row_h;
}

/* Two to four examples, a line of them (or, in a box too narrow, two
 * lines): heads, then a row per block; the difference heatmap beside the
 * first line's rows or in rows of its own under them */
static double
place_compare (Heatmap               *h,
               const AttnFigureStyle *style,
               double                 y)
{
  for (guint s = 0; s < h->n_inputs; s += per_line (h))
    {
      y = place_heads (h, s, MIN (s + per_line (h), h->n_inputs), y + (s > 0 ? 16. : 0.));
      for (guint m = 0; m < h->n_methods; m++)
        {
          if (m > 0)
            y += 8.;
          y += place_compare_row (h, style, m, s, y);
        }
      for (guint m = 0; s == 0 && difference_below (h) && m < h->n_methods; m++)
        y += 8. + place_difference (h, style, m, PAD, y + 8.);
    }
  if (_attn_heatmap_antecedents_in (h, 0, h->n_inputs))
    return _attn_heatmap_place_antecedents (h, y + 8.);
  return y;
}

/* Whether the first two examples' values are the same in every block, at
 * every token of the layers drawn: their difference is 0 everywhere */
static gboolean
difference_is_zero (const Heatmap *h)
{
  guint n = attn_example_get_n_tokens (h->inputs[1].example);

  for (guint m = 0; m < h->n_methods; m++)
    {
      const double *v0 = g_ptr_array_index (h->values, m);
      const double *v1 = g_ptr_array_index (h->values, h->n_methods + m);

      for (gsize i = (gsize) (h->first - 1) * n; i < (gsize) h->last * n; i++)
        if (!(v1[i] - v0[i] == 0.))
          return FALSE;
    }
  return TRUE;
}

/* Whether the comparison gets a difference heatmap; else why not, or that
 * it is 0 everywhere (an example compared with itself, or with its copy:
 * an empty heatmap said nothing) */
static char *
choose_difference (Heatmap *h)
{
  guint n0, n1;

  if (!h->compare || !h->settings->difference || h->n_inputs < 2)
    return NULL;
  n0 = attn_example_get_n_tokens (h->inputs[0].example);
  n1 = attn_example_get_n_tokens (h->inputs[1].example);
  if (attn_examples_are_minimal_pair (h->inputs[0].example, h->inputs[1].example))
    {
      g_autofree char *name0 = NULL, *name1 = NULL;

      h->difference = TRUE;
      if (!difference_is_zero (h))
        return NULL;
      name0 = _attn_heatmap_input_name (h, 0);
      name1 = _attn_heatmap_input_name (h, 1);
      /* translators: the two examples compared, first and second */
      return g_strdup_printf (_("The difference is 0 everywhere: %s and %s have the same importance at every token of the layers shown."),
                              name0, name1);
    }
  if (n0 == n1)
    return g_strdup_printf (_("No difference heatmap: the first two examples differ at %u of their %u tokens; it needs minimal pairs, one sentence but for a few words."),
                            attn_examples_count_differences (h->inputs[0].example, h->inputs[1].example), n0);
  return g_strdup_printf (_("No difference heatmap: the first two examples have different lengths (%u and %u tokens); it needs minimal pairs of equal length."),
                          n0, n1);
}

/* The figure's note: no difference heatmap, the kinds left out */
static void
note_left_out (Heatmap *h)
{
  g_autofree char *difference = choose_difference (h);
  g_autofree char *kinds = _attn_figure_left_out_kinds (h->settings, h->inputs, h->n_inputs);

  if (difference != NULL && kinds != NULL)
    h->b.figure->note = g_strconcat (difference, "\n", kinds, NULL);
  else
    h->b.figure->note = g_strdup (difference != NULL ? difference : kinds);
}

/* The blocks of each example: the three methods, one method over several
 * weight kinds, or the method alone */
static void
choose_blocks (Heatmap *h)
{
  const AttnFigureSettings *settings = h->settings;
  guint kinds = attn_figure_settings_get_weight_kinds (settings);

  h->by_kind = !settings->all_methods && (kinds & (kinds - 1)) != 0;
  if (h->by_kind)
    {
      for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
        if (kinds & (1u << k))
          {
            h->methods[h->n_methods] = settings->method;
            h->kinds[h->n_methods++] = k;
          }
    }
  else if (settings->all_methods)
    for (guint m = 0; m < ATTN_N_METHODS; m++)
      {
        h->methods[h->n_methods] = m;
        h->kinds[h->n_methods++] = settings->weights;
      }
  else
    {
      h->methods[h->n_methods] = settings->method;
      h->kinds[h->n_methods++] = settings->weights;
    }
}

/* What the layout of @h needed: the blocks' width, the cells across and
 * down, the cells' size */
static void
fill_metrics (Heatmap        *h,
              HeatmapMetrics *metrics)
{
  guint n_rows = h->last - h->first + 1;

  metrics->needed_width = h->blocks_w;
  metrics->side_width = h->side_w > 0. ? GAP + h->side_w : 0.;
  metrics->cw = h->b.cw;
  metrics->ch = h->b.ch;
  metrics->token_w = h->b.fitted_token_w;
  metrics->line_h = h->b.line_h;
  if (h->compare)
    {
      guint n0 = attn_example_get_n_tokens (h->inputs[0].example), lines = 0;

      /* the widest line's cells: the first's, with the difference beside it */
      metrics->n_cell_columns = difference_below (h) ? n0 : 0;
      for (guint s = 0; s < h->n_inputs; s += per_line (h), lines++)
        {
          guint across = s == 0 && h->difference && !difference_below (h) ? n0 : 0;

          for (guint e = s; e < MIN (s + per_line (h), h->n_inputs); e++)
            across += attn_example_get_n_tokens (h->inputs[e].example);
          metrics->n_cell_columns = MAX (metrics->n_cell_columns, across);
        }
      /* the antecedent section: a row of panels per block too, where
       * its rows follow the cells' (not at their least height) */
      lines += (difference_below (h) ? 1 : 0) +
               (_attn_heatmap_antecedents_in (h, 0, h->n_inputs) && h->b.ch > _attn_heatmap_antecedent_min_ch (h)
                ? (h->n_inputs + h->ante_line - 1) / h->ante_line : 0);
      metrics->n_cell_rows = h->n_methods * lines * n_rows;
    }
  else
    {
      metrics->n_cell_columns = n_columns (h) * attn_example_get_n_tokens (h->inputs[0].example);
      metrics->n_cell_rows = ((h->n_methods + n_columns (h) - 1) / n_columns (h)) * n_rows;
    }
}

/* Lays out @data: at its natural size (@fit NULL), or with the cells and
 * arrangement of @fit; @metrics (optional) tells what the layout needed */
AttnFigure *
_attn_figure_heatmap_layout (const HeatmapData *data,
                             const HeatmapFit  *fit,
                             HeatmapMetrics    *metrics)
{
  g_autoptr(AttnPangoContext) context = _attn_text_context_new ();
  g_autoptr(AttnFigure) fig = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *title = NULL;
  const AttnFigureSettings *settings = &data->settings;
  Heatmap h = { .inputs = data->inputs, .n_inputs = data->n_inputs, .settings = settings,
                .n_methods = data->n_methods, .by_kind = data->by_kind, .first = data->first, .last = data->last,
                .compare = settings->kind == ATTN_FIGURE_COMPARE, .have_predictions = data->have_predictions,
                .values = data->values, .ticks_w = data->ticks_w, .fit = fit };
  double width, y = PAD;

  memcpy (h.methods, data->methods, sizeof h.methods);
  memcpy (h.kinds, data->kinds, sizeof h.kinds);
  memcpy (h.vmax, data->vmax, sizeof h.vmax);
  memcpy (h.saturated, data->saturated, sizeof h.saturated);
  fig = _attn_figure_new (settings->kind, &data->style);
  fig->heatmap = _attn_heatmap_data_ref ((HeatmapData *) data);
  h.b.figure = fig;
  h.b.context = context;
  h.b.style = &fig->style;
  h.b.fs = fig->style.font_size;
  h.b.token_w = data->token_w;
  /* at its natural size, the tokens whole; laid out at a size, shortened */
  h.b.whole_tokens = fit == NULL;
  _attn_heatmap_begin_block (&h, 0);
  h.sentence = TRUE;
  if (fit != NULL)
    {
      h.b.fit_cw = fit->cw;
      h.b.fit_ch = fit->ch;
      h.b.token_room = fit->token_room;
      h.b.marks_room = fit->scrolled;
      h.sentence = !fit->no_sentence;
      if (fit->side && !h.compare && (h.sentence || h.have_predictions))
        h.side_w = fit->side_w;
    }
  _attn_setup_cells (&h.b, data->inputs, data->n_inputs, h.first, h.last);
  measure_bar_names (&h);
  note_left_out (&h);

  caption = _attn_figure_describe_settings_for (settings, data->inputs[0].example,
                                                _attn_figure_common_target (data->inputs, data->n_inputs));
  if (h.compare)
    {
      g_autoptr(GPtrArray) examples = g_ptr_array_new ();
      GString *line = g_string_new (caption);

      for (guint i = 0; i < data->n_inputs; i++)
        g_ptr_array_add (examples, data->inputs[i].example);
      _attn_figure_append_models (line, (AttnExample * const *) examples->pdata, data->n_inputs);
      g_free (caption);
      caption = g_string_free (line, FALSE);
    }
  title = heatmap_title (&h);
  if (h.by_kind)
    {
      /* blocks that are weight kinds do not name the method: the title does */
      g_autofree char *plain = g_steal_pointer (&title);

      /* translators: the heatmap's title, then its method (“Attention flow”) */
      title = g_strdup_printf (_("%s (%s)"), plain, attn_method_get_label (h.methods[0]));
    }
  fig->title = g_strdup (title);
  fig->caption = g_strdup (caption);
  _attn_figure_set_source (fig, data->inputs, data->n_inputs);
  width = heatmap_width (&h, title);
  h.width = width;
  if (!h.compare && fit != NULL && fit->text != FIT_TEXT_ACROSS)
    {
      /* the title and the caption in the side column, or left out: the
       * blocks get the whole height */
      if (fit->text == FIT_TEXT_BESIDE && h.side_w > 0.)
        {
          h.title = title;
          h.caption = caption;
        }
      h.untitled = h.title == NULL;
      _attn_figure_finish (&h.b, width, place_single (&h, y, width), NULL);
    }
  else
    {
      y += _attn_figure_add_title (&h.b, title, width - 2 * PAD, PAD, y)->box.height + 10.;
      y = h.compare ? place_compare (&h, &data->style, y) : place_single (&h, y, width);
      _attn_figure_finish (&h.b, width, y, caption);
    }

  if (metrics != NULL)
    fill_metrics (&h, metrics);
  return g_steal_pointer (&fig);
}

AttnFigure *
_attn_figure_build_heatmap (const AttnFigureInput     *inputs,
                            guint                      n_inputs,
                            const AttnFigureSettings  *settings,
                            const AttnFigureStyle     *style,
                            GCancellable              *cancellable,
                            GError                   **error)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  HeatmapData *data;
  HeatmapMetrics natural = { 0 };
  AttnFigure *fig;
  Heatmap h = { .inputs = inputs, .n_inputs = n_inputs, .settings = settings, .first = 1, .last = 1,
                .compare = settings->kind == ATTN_FIGURE_COMPARE, .values = values };

  choose_blocks (&h);
  if (!collect_values (&h, style, cancellable, error))
    return NULL;

  data = _attn_heatmap_data_new (inputs, n_inputs, settings, style);
  memcpy (data->methods, h.methods, sizeof h.methods);
  memcpy (data->kinds, h.kinds, sizeof h.kinds);
  data->n_methods = h.n_methods;
  data->by_kind = h.by_kind;
  data->first = h.first;
  data->last = h.last;
  data->have_predictions = h.have_predictions;
  data->values = g_ptr_array_ref (values);
  memcpy (data->vmax, h.vmax, sizeof h.vmax);
  memcpy (data->saturated, h.saturated, sizeof h.saturated);
  fig = _attn_figure_heatmap_layout (data, NULL, &natural);
  _attn_heatmap_data_measure (data, &fig->style, natural.token_w);
  _attn_heatmap_data_unref (data);
  return fig;
}
