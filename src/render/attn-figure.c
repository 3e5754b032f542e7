/* attn-figure.c: a figure, built, held and drawn
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
#include "attn-graph-renderer.h"
#include "attn-statistics.h"

G_DEFINE_BOXED_TYPE (AttnFigure, attn_figure, attn_figure_ref, attn_figure_unref)

static void
graph_panel_clear_cb (gpointer data)
{
  GraphPanel *panel = data;

  g_clear_pointer (&panel->layout, attn_graph_layout_unref);
  g_clear_pointer (&panel->scene, attn_graph_scene_unref);
}

static void
heat_grid_clear_cb (gpointer data)
{
  HeatGrid *grid = data;

  g_clear_pointer (&grid->values, g_free);
  g_clear_pointer (&grid->highlight, g_free);
  g_clear_pointer (&grid->tokens, g_strfreev);
  g_clear_pointer (&grid->positions, g_free);
  g_clear_pointer (&grid->name, g_free);
  g_clear_pointer (&grid->row_labels, g_array_unref);
  g_clear_pointer (&grid->column_labels, g_array_unref);
  g_clear_pointer (&grid->column_kept, g_free);
}

static void
antecedent_panel_clear_cb (gpointer data)
{
  g_clear_pointer (&((AntecedentPanel *) data)->values, g_free);
}

AttnFigure *
_attn_figure_new (AttnFigureKind         kind,
                  const AttnFigureStyle *style)
{
  AttnFigure *self = g_new0 (AttnFigure, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->style = *style;
  self->font_family = g_strdup (style->font_family ? style->font_family : "Sans");
  self->style.font_family = self->font_family;
  if (self->style.colormap == NULL)
    self->style.colormap = attn_colormap_get_default ();
  if (!(self->style.font_size > 0.))
    self->style.font_size = 13.;
  self->graphs = g_array_new (FALSE, TRUE, sizeof (GraphPanel));
  g_array_set_clear_func (self->graphs, graph_panel_clear_cb);
  self->grids = g_array_new (FALSE, TRUE, sizeof (HeatGrid));
  g_array_set_clear_func (self->grids, heat_grid_clear_cb);
  self->swatches = g_array_new (FALSE, TRUE, sizeof (Swatch));
  self->colorbars = g_array_new (FALSE, TRUE, sizeof (Colorbar));
  self->labels = _attn_labels_new ();
  self->highlighted = g_array_new (FALSE, FALSE, sizeof (guint));
  self->antecedents = g_array_new (FALSE, TRUE, sizeof (AntecedentPanel));
  g_array_set_clear_func (self->antecedents, antecedent_panel_clear_cb);

  return self;
}

AttnFigure *
attn_figure_ref (AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
attn_figure_unref (AttnFigure *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_array_unref (self->graphs);
  g_array_unref (self->grids);
  g_array_unref (self->swatches);
  g_array_unref (self->colorbars);
  g_array_unref (self->labels);
  g_array_unref (self->highlighted);
  g_array_unref (self->antecedents);
  g_free (self->font_family);
  g_free (self->title);
  g_free (self->caption);
  g_free (self->source);
  g_free (self->files);
  g_free (self->note);
  g_clear_pointer (&self->heatmap, _attn_heatmap_data_unref);
  if (self->custom_destroy != NULL)
    self->custom_destroy (self->custom_data);
  g_free (self);
}

/* A figure of another kind, drawn by @draw (before the labels) and sized by
 * its builder; takes the labels out of @labels (AttnLabel). */
AttnFigure *
_attn_figure_new_custom (AttnFigureKind         kind,
                         const AttnFigureStyle *style,
                         double                 width,
                         double                 height,
                         const char            *title,
                         const char            *caption,
                         GArray                *labels,
                         AttnFigureDrawFunc     draw,
                         gpointer               data,
                         GDestroyNotify         destroy)
{
  AttnFigure *self = _attn_figure_new (kind, style);

  self->width = width;
  self->height = height;
  self->title = g_strdup (title);
  self->caption = g_strdup (caption);
  if (labels != NULL)
    {
      g_array_append_vals (self->labels, labels->data, labels->len);
      g_array_set_clear_func (labels, NULL);
      g_array_set_size (labels, 0);
    }
  self->custom_draw = draw;
  self->custom_data = data;
  self->custom_destroy = destroy;

  return self;
}



























/* Laying a figure out */

AttnLabel *
_attn_figure_add_label (Builder             *b,
                        const AttnLabelSpec *spec,
                        double               x,
                        double               y)
{
  AttnLabel label;

  _attn_label_init (&label, b->context, b->style, spec);
  _attn_label_place (&label, x, y);
  g_array_append_val (b->figure->labels, label);

  return &g_array_index (b->figure->labels, AttnLabel, b->figure->labels->len - 1);
}

/* Adds the figure's title, bold and 1.15 times the font, wrapped at @wrap
 * (0: one line) */
AttnLabel *
_attn_figure_add_title (Builder    *b,
                        const char *text,
                        double      wrap,
                        double      x,
                        double      y)
{
  return _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_TITLE, .text = text,
                                 .size = b->fs * 1.15, .bold = TRUE, .wrap = wrap }, x, y);
}

/* Heads placed side by side, each from the label and swatch that
 * @columns[i] names and @columns[i].height high: each moved down to end
 * where the highest ends, on what it heads, as a table's column heads
 * (a head a line shorter than its neighbour's left a line's gap between
 * itself and its example's block) */
void
_attn_figure_align_heads (Builder            *b,
                          const PlacedColumn *columns,
                          guint               n,
                          double              height)
{
  AttnFigure *fig = b->figure;

  for (guint i = 0; i < n; i++)
    {
      guint labels_end = i + 1 < n ? columns[i + 1].label : fig->labels->len;
      guint swatches_end = i + 1 < n ? columns[i + 1].swatch : fig->swatches->len;
      double dy = height - columns[i].height;

      for (guint k = columns[i].label; k < labels_end; k++)
        {
          AttnLabel *label = &g_array_index (fig->labels, AttnLabel, k);

          _attn_label_place (label, label->box.x, label->box.y + dy);
        }
      for (guint k = columns[i].swatch; k < swatches_end; k++)
        g_array_index (fig->swatches, Swatch, k).rect.y += dy;
    }
}

double
_attn_figure_measure_width (Builder    *b,
                            const char *text,
                            double      size,
                            gboolean    bold)
{
  double w, h;

  _attn_text_measure (b->context, b->style, text, size, bold, 0, &w, &h);
  return w;
}

double
_attn_figure_measure_height (Builder    *b,
                             const char *text,
                             double      size,
                             gboolean    bold,
                             double      wrap)
{
  double w, h;

  _attn_text_measure (b->context, b->style, text, size, bold, wrap, &w, &h);
  return h;
}

void
_attn_figure_finish (Builder    *b,
                     double      width,
                     double      y,
                     const char *caption)
{
  AttnFigure *fig = b->figure;

  if (fig->note != NULL)
    {
      AttnLabel *note = _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_NOTE,
                                                .text = fig->note, .size = b->fs * 0.85,
                                                .wrap = width - 2 * PAD }, PAD, y);

      y += note->box.height + 6.;
    }
  if (caption != NULL)
    {
      AttnLabel *label = _attn_figure_add_label (b, &(AttnLabelSpec) { .kind = ATTN_LABEL_CAPTION,
                                                 .text = caption, .size = b->fs * 0.8,
                                                 .wrap = width - 2 * PAD }, PAD, y + 4.);

      y += label->box.height + 4.;
    }
  fig->width = ceil (width);
  fig->height = ceil (y + PAD);
}

/* Several weight kinds side by side: heatmaps of one method */
static gboolean
check_weight_kinds (const AttnFigureSettings  *settings,
                    GError                   **error)
{
  guint kinds = attn_figure_settings_get_weight_kinds (settings);

  if (settings->weights >= ATTN_N_WEIGHT_KINDS)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT, _("Unknown weight kind %u"), settings->weights);
      return FALSE;
    }
  if ((kinds & (kinds - 1)) == 0)
    return TRUE;
  if (settings->kind == ATTN_FIGURE_GRAPH)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                           _("A graph figure shows one weight kind: several go side by side in a heatmap or a comparison"));
      return FALSE;
    }
  if (settings->all_methods)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                           _("Several weight kinds go side by side for one method, not for all three"));
      return FALSE;
    }
  return TRUE;
}

/**
 * attn_figure_check_depths:
 * @inputs: (array length=n_inputs): examples to compare
 * @n_inputs: their count
 * @error: return location for a #GError
 *
 * Examples of models of different depths cannot share one figure (a row
 * per layer): the first two that differ are named.
 *
 * Returns: %TRUE when all have as many layers as the first
 */
gboolean
attn_figure_check_depths (const AttnFigureInput  *inputs,
                          guint                   n_inputs,
                          GError                **error)
{
  AttnExample *first = n_inputs > 0 ? inputs[0].example : NULL;

  for (guint i = 1; i < n_inputs; i++)
    {
      AttnExample *example = inputs[i].example;
      guint first_layers = attn_example_get_n_layers (first);
      guint layers = attn_example_get_n_layers (example);
      g_autofree char *first_name = NULL;
      g_autofree char *name = NULL;
      g_autofree char *first_count = NULL;
      g_autofree char *count = NULL;

      if (layers == first_layers)
        continue;
      first_name = attn_example_dup_message_name (first);
      name = attn_example_dup_message_name (example);
      /* translators: an example's count of layers, in “Examples “a” (1 layer) and “b” (12 layers)
       * cannot share one figure” */
      first_count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u layer", "%u layers", first_layers),
                                     first_layers);
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u layer", "%u layers", layers), layers);
      /* translators: two examples (“cat-mat”, or 3 (no id)), each with its count of layers
       * (“12 layers”, “1 layer”) */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Examples %s (%s) and %s (%s) cannot share one figure"),
                   first_name, first_count, name, count);
      return FALSE;
    }
  return TRUE;
}

/* attn_figure_build(), or with @dry its layout alone, before the work
 * (attn_figure_check_save()): no value computed, the heatmaps' placeholders
 * (_attn_figure_placeholder_inputs()) and the graphs' traces pending (no
 * layer done). Where the text depends on the values (a colour bar's ticks,
 * the note of the tokens that saturate), the size of the layout can differ
 * from the computed figure's by a few pixels. */
AttnFigure *
_attn_figure_build_full (const AttnFigureInput     *inputs,
                         guint                      n_inputs,
                         const AttnFigureSettings  *settings,
                         const AttnFigureStyle     *style,
                         gboolean                   dry,
                         GCancellable              *cancellable,
                         GError                   **error)
{
  g_autofree AttnFigureInput *placeholders = NULL;
  g_autoptr(GPtrArray) values = NULL;

  if (settings->kind == ATTN_FIGURE_EVALUATION)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                           _("An evaluation plot is made from correlations, not from examples"));
      return NULL;
    }

  if (!check_weight_kinds (settings, error))
    return NULL;

  if (settings->kind == ATTN_FIGURE_COMPARE && (n_inputs < 2 || n_inputs > 4))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("A comparison needs 2 to 4 examples, not %u"), n_inputs);
      return NULL;
    }
  if (settings->kind == ATTN_FIGURE_COMPARE && !attn_figure_check_depths (inputs, n_inputs, error))
    return NULL;
  if (settings->kind != ATTN_FIGURE_COMPARE && n_inputs != 1)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("A graph or heatmap figure shows one example, not %u"), n_inputs);
      return NULL;
    }
  if (settings->kind == ATTN_FIGURE_HEATMAP && settings->position == ATTN_POSITION_NONE)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                           _("A heatmap needs a position: --position none only applies to the graph"));
      return NULL;
    }
  if (settings->kind == ATTN_FIGURE_GRAPH)
    return _attn_figure_build_graph (&inputs[0], settings, style, dry, cancellable, error);
  if (dry)
    {
      values = g_ptr_array_new_with_free_func (g_free);
      inputs = placeholders = _attn_figure_placeholder_inputs (inputs, n_inputs, settings, values);
    }
  return _attn_figure_build_heatmap (inputs, n_inputs, settings, style, cancellable, error);
}

/**
 * attn_figure_build:
 * @inputs: (array length=n_inputs): the examples: 1 for graph and heatmap,
 *   2 to 4 for compare
 * @settings: what to compute and show
 * @style: colours, fonts, decluttering (copied)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Computes the values through src/core (raw, rollout, flow) and lays the
 * figure out. The screen and saved files use the same figure, so they match.
 *
 * Returns: (transfer full) (nullable): the figure, or %NULL with @error set
 */
AttnFigure *
attn_figure_build (const AttnFigureInput     *inputs,
                   guint                      n_inputs,
                   const AttnFigureSettings  *settings,
                   const AttnFigureStyle     *style,
                   GCancellable              *cancellable,
                   GError                   **error)
{
  g_return_val_if_fail (inputs != NULL || n_inputs == 0, NULL);
  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (style != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _attn_figure_build_full (inputs, n_inputs, settings, style, FALSE, cancellable, error);
}

/* Accessors */

AttnFigureKind
attn_figure_get_kind (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, ATTN_FIGURE_GRAPH);

  return self->kind;
}

/**
 * attn_figure_get_size:
 * @width: (out) (optional): natural (1x) width in pixels
 * @height: (out) (optional): natural height in pixels
 */
void
attn_figure_get_size (const AttnFigure *self,
                      double           *width,
                      double           *height)
{
  g_return_if_fail (self != NULL);

  if (width)
    *width = self->width;
  if (height)
    *height = self->height;
}

const char *
attn_figure_get_title (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->title;
}

const char *
attn_figure_get_caption (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->caption;
}

/**
 * attn_figure_get_cell:
 * @grid: which heatmap of the figure (0 the first): a heatmap's blocks in
 *   turn; a comparison's by rows, each method's (or weight kind's) row
 *   its examples in turn, then its difference heatmap if any, then the
 *   antecedent panels by rows the same way
 * @layer: a layer of that heatmap
 * @position: an input position (of an antecedent panel: its column, the
 *   candidate's index; attn_figure_hit_cell() gives its input position)
 * @rect: (out): the cell, in figure pixels
 *
 * Returns: whether the figure has that cell
 */
gboolean
attn_figure_get_cell (const AttnFigure *self,
                      guint             grid,
                      guint             layer,
                      guint             position,
                      AttnRect         *rect)
{
  const HeatGrid *g;
  guint row;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (rect != NULL, FALSE);

  if (grid >= self->grids->len)
    return FALSE;
  g = &g_array_index (self->grids, HeatGrid, grid);
  if (layer > g->last_layer || g->last_layer - layer >= g->n_rows || position >= g->n)
    return FALSE;
  row = g->last_layer - layer;
  *rect = (AttnRect) { g->x + position * g->cw, g->y + row * g->ch, g->cw, g->ch };
  return TRUE;
}

/* The grid with a cell at (@x, @y), and that cell's column and row */
static const HeatGrid *
grid_at (const AttnFigure *self,
         double            x,
         double            y,
         guint            *column,
         guint            *row)
{
  for (guint i = 0; i < self->grids->len; i++)
    {
      const HeatGrid *g = &g_array_index (self->grids, HeatGrid, i);
      double col = floor ((x - g->x) / g->cw), r = floor ((y - g->y) / g->ch);

      if (col < 0 || r < 0 || col >= g->n || r >= g->n_rows || g->last_layer == 0)
        continue;
      *column = (guint) col;
      *row = (guint) r;
      return g;
    }
  return NULL;
}

/**
 * attn_figure_hit_cell:
 * @x: a point of the figure, in figure pixels
 * @y:
 * @layer: (out) (optional): the layer of the heatmap cell there
 * @position: (out) (optional): its input position
 * @value: (out) (optional): its value
 * @token: (out) (optional) (transfer none): its column's token
 *
 * Returns: whether a heatmap cell is there
 */
gboolean
attn_figure_hit_cell (const AttnFigure  *self,
                      double             x,
                      double             y,
                      guint             *layer,
                      guint             *position,
                      double            *value,
                      const char       **token)
{
  const HeatGrid *g;
  guint col, row;

  g_return_val_if_fail (self != NULL, FALSE);

  g = grid_at (self, x, y, &col, &row);
  if (g == NULL)
    return FALSE;
  if (layer)
    *layer = g->last_layer - row;
  if (position)
    *position = g->positions != NULL ? g->positions[col] : col;
  if (value)
    *value = g->values[(gsize) row * g->n + col];
  if (token)
    *token = g->tokens[col];
  return TRUE;
}

/**
 * attn_figure_get_block_at:
 * @x: a point of the figure, in figure pixels
 * @y:
 *
 * Returns: (nullable): the title of the heatmap block with a cell there
 *   (“Attention flow”, “Attention rollout: author-her minus author-his”),
 *   or %NULL
 */
const char *
attn_figure_get_block_at (const AttnFigure *self,
                          double            x,
                          double            y)
{
  const HeatGrid *g;
  guint col, row;

  g_return_val_if_fail (self != NULL, NULL);

  g = grid_at (self, x, y, &col, &row);
  return g != NULL ? g->name : NULL;
}

/**
 * attn_figure_get_values_table:
 *
 * The values of the figure's heatmaps as a table to paste into a
 * spreadsheet or read with pandas: tab-separated, a header
 * `block\tlayer\tindex\ttoken\tvalue`, then a row per cell, block by
 * block, layers from the first up, tokens in order. `block` is the block's
 * title, `index` the token's input position; values have 17 significant
 * digits (they read back to the same double), one not computed yet is
 * empty. A comparison's panels of the candidate antecedents repeat cells
 * of their example's block and are left out.
 *
 * Returns: (transfer full) (nullable): the table, or %NULL for a figure
 *   without heatmaps (a graph)
 */
char *
attn_figure_get_values_table (const AttnFigure *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->grids->len == 0)
    return NULL;
  out = g_string_new ("block\tlayer\tindex\ttoken\tvalue\n");
  for (guint i = 0; i < self->grids->len; i++)
    {
      const HeatGrid *g = &g_array_index (self->grids, HeatGrid, i);

      /* the candidates' panels: columns picked from the example's block */
      if (g->positions != NULL)
        continue;
      /* rows are top (last layer) down */
      for (guint row = g->n_rows; row-- > 0;)
        for (guint col = 0; col < g->n; col++)
          {
            double value = g->values[(gsize) row * g->n + col];

            attn_append_table_field (out, g->name != NULL ? g->name : "", '\t');
            g_string_append_printf (out, "\t%u\t%u\t", g->last_layer - row, col);
            attn_append_table_field (out, g->tokens[col], '\t');
            g_string_append_c (out, '\t');
            if (!isnan (value))
              attn_append_number (out, value);
            g_string_append_c (out, '\n');
          }
    }
  return g_string_free (out, FALSE);
}

/**
 * attn_figure_get_note:
 *
 * Returns: (nullable): what the figure leaves out and why, under its
 *   blocks: a comparison's difference heatmap, the weight kinds that were
 *   given without the heads chosen; or %NULL
 */
const char *
attn_figure_get_note (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->note;
}

/**
 * attn_figure_get_source:
 * @self: a figure
 *
 * Returns: (nullable): the model and the file its examples come from
 *   (“model: bert-base-uncased · file: cat-mat.json”), which the saved
 *   file's metadata gives after the caption; %NULL when there is neither
 */
const char *
attn_figure_get_source (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->source;
}

/**
 * attn_figure_dup_description:
 * @self: a figure
 *
 * Returns: (transfer full) (nullable): what a saved file's metadata says of
 *   the figure under its title: the caption (which names the model), then
 *   the file it comes from (“… · file: cat-mat.json”)
 */
char *
attn_figure_dup_description (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (self->caption == NULL || self->files == NULL)
    return g_strdup (self->caption != NULL ? self->caption : self->files);
  return g_strdup_printf ("%s · %s", self->caption, self->files);
}

const AttnFigureStyle *
attn_figure_get_style (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->style;
}

/**
 * attn_figure_get_n_labels:
 *
 * Returns: the number of text labels of the figure (every text it draws
 *   except colour bar ticks), in figure coordinates
 */
guint
attn_figure_get_n_labels (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->labels->len;
}

const AttnLabel *
attn_figure_get_label (const AttnFigure *self,
                       guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->labels->len, NULL);

  return &g_array_index (self->labels, AttnLabel, index);
}

guint
attn_figure_get_n_graphs (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->graphs->len;
}

/**
 * attn_figure_get_graph_layout:
 * @x_offset: (out) (optional): where the panel sits in the figure
 * @y_offset: (out) (optional)
 *
 * Returns: (transfer none): the layout of graph panel @index
 */
AttnGraphLayout *
attn_figure_get_graph_layout (const AttnFigure *self,
                              guint             index,
                              double           *x_offset,
                              double           *y_offset)
{
  const GraphPanel *panel;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->graphs->len, NULL);

  panel = &g_array_index (self->graphs, GraphPanel, index);
  if (x_offset)
    *x_offset = panel->x;
  if (y_offset)
    *y_offset = panel->y;

  return panel->layout;
}

/**
 * attn_figure_get_antecedent_values:
 * @input: an example, as its index among the figure's inputs
 * @method: a method the figure shows
 * @first_layer: (out) (optional): the layer of the first row
 * @n_layers: (out) (optional): how many layers
 * @n_antecedents: (out) (optional): how many candidates (k)
 *
 * A compare figure's antecedent section (the paper's Figure 4): the
 * pronoun's importance of each candidate antecedent by layer, as drawn.
 *
 * Returns: (nullable) (array): `[(l - first_layer) * k + a]`, @method's
 *   importance of the a-th antecedent for node (l, focus); %NULL when the
 *   figure has no such panel
 */
const double *
attn_figure_get_antecedent_values (const AttnFigure *self,
                                   guint             input,
                                   AttnMethod        method,
                                   guint            *first_layer,
                                   guint            *n_layers,
                                   guint            *n_antecedents)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->antecedents->len; i++)
    {
      const AntecedentPanel *panel = &g_array_index (self->antecedents, AntecedentPanel, i);

      if (panel->example != input || panel->method != method)
        continue;
      if (first_layer != NULL)
        *first_layer = panel->first;
      if (n_layers != NULL)
        *n_layers = panel->n_layers;
      if (n_antecedents != NULL)
        *n_antecedents = panel->k;
      return panel->values;
    }
  return NULL;
}

/**
 * attn_figure_label_is_highlighted:
 * @index: a label, as attn_figure_get_label()
 *
 * Returns: whether the label is drawn in the style's highlight colour (the
 *   token label of a candidate antecedent)
 */
gboolean
attn_figure_label_is_highlighted (const AttnFigure *self,
                                  guint             index)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->highlighted->len; i++)
    if (g_array_index (self->highlighted, guint, i) == index)
      return TRUE;
  return FALSE;
}

/**
 * attn_figure_get_graph_scene:
 *
 * Returns: (transfer none): the scene of graph panel @index
 */
AttnGraphScene *
attn_figure_get_graph_scene (const AttnFigure *self,
                             guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->graphs->len, NULL);

  return g_array_index (self->graphs, GraphPanel, index).scene;
}

/* Drawing */

static const AttnColormap *
grid_map (const AttnFigure *self,
          gboolean          diverging)
{
  return diverging ? attn_colormap_get_diverging () : self->style.colormap;
}

/* The map position of @t, from 0 (weakest) to 1 (strongest) */
static double
map_t (const AttnFigure *self,
       gboolean          diverging,
       double            t)
{
  double weakest = 0., strongest = 1.;

  if (!diverging)
    attn_colormap_get_heatmap_range (self->style.colormap, self->style.dark, &weakest, &strongest);
  return weakest + (strongest - weakest) * t;
}

static double
grid_t (const AttnFigure *self,
        const HeatGrid   *grid,
        double            v)
{
  if (grid->diverging)
    return CLAMP (0.5 + 0.5 * v / grid->vmax, 0., 1.);

  return map_t (self, FALSE, CLAMP (v / grid->vmax, 0., 1.));
}

/* The colour that reads best over cell @r, @k of @grid (black or white:
 * _attn_ink_over()), or over the background where it is not computed yet */
const AttnRgba *
_attn_figure_cell_ink (const AttnFigure *self,
                       const HeatGrid   *grid,
                       guint             r,
                       guint             k)
{
  double v = grid->values[(gsize) r * grid->n + k];
  const AttnRgba *bg = &self->style.background;

  if (isnan (v))
    return _attn_ink_over (_attn_relative_luminance (bg->red, bg->green, bg->blue));
  return _attn_ink_over_map (grid_map (self, grid->diverging), grid_t (self, grid, v));
}

static gboolean
vector_target (cairo_t *cr)
{
  cairo_surface_type_t type = cairo_surface_get_type (cairo_get_target (cr));
  return type == CAIRO_SURFACE_TYPE_PDF || type == CAIRO_SURFACE_TYPE_SVG || type == CAIRO_SURFACE_TYPE_PS;
}

/* Row @r of @grid, its columns under a device pixel wide (on screen a logical
 * pixel: GTK records the drawing), a pixel at a time in the colour of the largest
 * value there (farthest from 0, diverging); a column at a time, a strong one faded */
static void
draw_row_by_pixel (const AttnFigure   *self,
                   const HeatGrid     *grid,
                   const AttnColormap *map,
                   guint               r,
                   double              py,
                   cairo_t            *cr)
{
  const double *row = grid->values + (gsize) r * grid->n;
  double right = grid->x + grid->n * grid->cw, dl = grid->x, dr = right, y = 0.;

  /* scaled and moved, never turned or mirrored; a part pixel at either end
   * goes with the whole one beside it, not shared with the outline */
  cairo_user_to_device (cr, &dl, &y);
  cairo_user_to_device (cr, &dr, &y);
  for (double d = ceil (dl), end = MAX (floor (dr), d + 1.); d < end; d += 1.)
    {
      double x0 = d == ceil (dl) ? dl : d, x1 = d + 2. > end ? dr : d + 1., best = NAN;
      guint k0, k1;

      cairo_device_to_user (cr, &x0, &y);
      cairo_device_to_user (cr, &x1, &y);
      x0 = MAX (x0, grid->x);
      x1 = MIN (x1, right);
      k0 = (guint) MIN (floor ((x0 - grid->x) / grid->cw), grid->n - 1.);
      k1 = (guint) MIN (ceil ((x1 - grid->x) / grid->cw), (double) grid->n);
      for (guint k = k0; k < MAX (k1, k0 + 1); k++)
        {
          double v = grid->diverging ? fabs (row[k]) : row[k];

          /* not computed yet: left out (the background where none is) */
          if (!isnan (v) && (isnan (best) || v > (grid->diverging ? fabs (best) : best)))
            best = row[k];
        }
      if (isnan (best))
        continue;
      cairo_rectangle (cr, x0, grid->y + r * grid->ch, x1 - x0, grid->ch + (r + 1 < grid->n_rows ? py : 0.));
      _attn_set_source_map (cr, map, grid_t (self, grid, best), 1.);
      cairo_fill (cr);
    }
}

static void
draw_grids (const AttnFigure *self,
            cairo_t          *cr)
{
  for (guint i = 0; i < self->grids->len; i++)
    {
      const HeatGrid *grid = &g_array_index (self->grids, HeatGrid, i);
      const AttnColormap *map = grid_map (self, grid->diverging);
      double px = 1., py = 1., frame;

      /* Cells reach a device pixel into the next ones, which are drawn
       * over them: where an edge falls inside a pixel (fractional widths,
       * a long input's; a figure shrunk to fit) the background does not
       * show through, no seams. */
      cairo_device_to_user_distance (cr, &px, &py);
      px = fabs (px);
      py = fabs (py);
      /* pixels of several columns: the outline around them, not over the first and last */
      frame = grid->cw < px && !vector_target (cr) ? 0.5 : 0.;
      cairo_save (cr);
      for (guint r = 0; r < grid->n_rows; r++)
        if (frame > 0.)
          draw_row_by_pixel (self, grid, map, r, py, cr);
        else
          for (guint k = 0; k < grid->n; k++)
            {
              /* not computed yet: the background */
              if (isnan (grid->values[(gsize) r * grid->n + k]))
                continue;
              cairo_rectangle (cr, grid->x + k * grid->cw, grid->y + r * grid->ch,
                               grid->cw + (k + 1 < grid->n ? px : 0.), grid->ch + (r + 1 < grid->n_rows ? py : 0.));
              _attn_set_source_map (cr, map, grid_t (self, grid, grid->values[(gsize) r * grid->n + k]), 1.);
              cairo_fill (cr);
            }
      cairo_rectangle (cr, grid->x - frame, grid->y - frame, grid->n * grid->cw + 2. * frame,
                       grid->n_rows * grid->ch + 2. * frame);
      _attn_set_source_rgba (cr, &self->style.foreground);
      cairo_set_line_width (cr, 1.);
      cairo_stroke (cr);
      _attn_figure_draw_marks (self, grid, cr);
      cairo_restore (cr);
    }
}

static void
draw_swatches_and_labels (const AttnFigure *self,
                          cairo_t          *cr,
                          guint             first_label)
{
  g_autofree const AttnRgba **colors = g_new0 (const AttnRgba *, self->labels->len);

  cairo_save (cr);
  for (guint i = 0; i < self->swatches->len; i++)
    {
      const Swatch *s = &g_array_index (self->swatches, Swatch, i);

      cairo_rectangle (cr, s->rect.x, s->rect.y, s->rect.width, s->rect.height);
      if (s->t >= 0.)
        {
          const AttnColormap *map = grid_map (self, s->diverging);
          double t = map_t (self, s->diverging, s->t);

          _attn_set_source_map (cr, map, t, 1.);
          if (s->label >= 0)
            colors[s->label] = _attn_ink_over_map (map, t);
        }
      else
        _attn_set_source_rgba (cr, s->accent ? &self->style.accent : &self->style.muted);
      cairo_fill (cr);
      if (s->highlight)
        {
          cairo_rectangle (cr, s->rect.x, s->rect.y + s->rect.height + 0.5, s->rect.width, 2.);
          _attn_set_source_rgba (cr, &self->style.highlight);
          cairo_fill (cr);
        }
    }
  cairo_restore (cr);
  for (guint i = 0; i < self->highlighted->len; i++)
    colors[g_array_index (self->highlighted, guint, i)] = &self->style.highlight;

  for (guint i = first_label; i < self->labels->len; i++)
    {
      const AttnLabel *label = &g_array_index (self->labels, AttnLabel, i);
      const AttnRgba *color = colors[i] ? colors[i] : &self->style.foreground;

      if (label->kind == ATTN_LABEL_CAPTION || label->kind == ATTN_LABEL_NOTE)
        color = &self->style.muted;
      else if (label->kind == ATTN_LABEL_VALUE)
        {
          const HeatGrid *grid = NULL;
          double cx = label->box.x + label->box.width / 2, cy = label->box.y + label->box.height / 2;

          for (guint g = 0; g < self->grids->len && grid == NULL; g++)
            {
              const HeatGrid *c = &g_array_index (self->grids, HeatGrid, g);

              if (cx >= c->x && cx < c->x + c->n * c->cw && cy >= c->y && cy < c->y + c->n_rows * c->ch)
                grid = c;
            }
          if (grid != NULL)
            {
              guint k = (guint) ((cx - grid->x) / grid->cw), r = (guint) ((cy - grid->y) / grid->ch);

              color = _attn_figure_cell_ink (self, grid, r, k);
            }
        }
      _attn_label_draw (cr, label, &self->style, color);
    }
}

static void
draw_colorbars (const AttnFigure *self,
                cairo_t          *cr)
{
  for (guint i = 0; i < self->colorbars->len; i++)
    {
      const Colorbar *bar = &g_array_index (self->colorbars, Colorbar, i);

      _attn_draw_colorbar (cr, &self->style, grid_map (self, bar->diverging), &bar->rect,
                           bar->min, bar->max, map_t (self, bar->diverging, 0.), map_t (self, bar->diverging, 1.),
                           bar->top_reach);
    }
}

static guint
first_own_label (const AttnFigure *self)
{
  /* For graph figures the panels draw their own labels; the figure's own
   * (title of a multi-panel figure, caption) come after them. */
  if (self->kind == ATTN_FIGURE_GRAPH)
    return self->n_panel_labels;

  return 0;
}

/* What the figure draws over its graph panels, the same on every path */
static void
draw_over_graphs (const AttnFigure *self,
                  cairo_t          *cr)
{
  draw_grids (self, cr);
  if (self->custom_draw != NULL)
    self->custom_draw (self, cr, self->custom_data);
  draw_swatches_and_labels (self, cr, first_own_label (self));
  draw_colorbars (self, cr);
}

/**
 * attn_figure_draw:
 * @cr: any cairo context (SVG, PDF, image) in figure coordinates (1x)
 *
 * Draws the figure with vector paths (the SVG and PDF path).
 */
void
attn_figure_draw (const AttnFigure *self,
                  cairo_t          *cr)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  _attn_fill_background (cr, &self->style.background, self->width, self->height);
  for (guint i = 0; i < self->graphs->len; i++)
    {
      const GraphPanel *panel = &g_array_index (self->graphs, GraphPanel, i);

      cairo_save (cr);
      cairo_translate (cr, panel->x, panel->y);
      attn_graph_render (panel->layout, panel->scene, &self->style, cr);
      cairo_restore (cr);
    }
  draw_over_graphs (self, cr);
}

/**
 * attn_figure_render_image:
 * @scale: device pixels per figure pixel (1, 2, 3…)
 * @cancellable: (nullable): a #GCancellable
 *
 * Draws the figure into a new image: graph edges through the fast raster
 * path, everything else with cairo. Safe on a worker thread.
 *
 * Returns: (transfer full) (nullable): an ARGB32 surface of the figure's size
 *   times @scale, or %NULL when cancelled
 *   (an error surface, see cairo_surface_status(), when that is larger than
 *   cairo's 32767 pixels on a side)
 */
cairo_surface_t *
attn_figure_render_image (const AttnFigure *self,
                          double            scale,
                          GCancellable     *cancellable)
{
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (scale > 0., NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  cr = _attn_image_context_new (self->width, self->height, scale, &surface);
  if (cr == NULL)
    return surface;
  _attn_fill_background (cr, &self->style.background, self->width, self->height);

  for (guint i = 0; i < self->graphs->len; i++)
    {
      const GraphPanel *panel = &g_array_index (self->graphs, GraphPanel, i);
      cairo_surface_t *image = attn_graph_render_image (panel->layout, panel->scene, &self->style,
                                                        scale, cancellable);

      if (image == NULL)
        {
          cairo_destroy (cr);
          cairo_surface_destroy (surface);
          return NULL;
        }
      cairo_save (cr);
      cairo_identity_matrix (cr);
      cairo_set_source_surface (cr, image, round (panel->x * scale), round (panel->y * scale));
      cairo_paint (cr);
      cairo_restore (cr);
      cairo_surface_destroy (image);
    }

  draw_over_graphs (self, cr);
  cairo_destroy (cr);

  return surface;
}
