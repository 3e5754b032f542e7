/* attn-figure-view-cells.c: what the figure view tells of the heatmap cell under a point, and
 * how far down a block's token labels kept in sight may go
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include "attn-figure-view-private.h"
#include "attn-gtk-util.h"

/**
 * attn_figure_view_cell_at:
 * @x: a point of the widget
 * @y:
 * @layer: (out) (optional): the layer of the heatmap cell there
 * @position: (out) (optional): its input position
 * @value: (out) (optional): its value
 *
 * Returns: whether a heatmap cell is drawn there
 */
gboolean
attn_figure_view_cell_at (AttnFigureView *self,
                          double          x,
                          double          y,
                          guint          *layer,
                          guint          *position,
                          double         *value)
{
  double fx, fy;

  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), FALSE);

  if (!_attn_figure_view_point_to_figure (self, x, y, &fx, &fy))
    return FALSE;
  return attn_figure_hit_cell (attn_figure_view_get_figure (self), fx, fy, layer, position, value, NULL);
}

/**
 * attn_figure_view_describe_at:
 * @x: a point of the widget
 * @y:
 *
 * Returns: (transfer full) (nullable): the layer, position and value of the
 *   heatmap cell there (the tooltip), or %NULL
 */
char *
attn_figure_view_describe_at (AttnFigureView *self,
                              double          x,
                              double          y)
{
  AttnFigure *shown;
  guint layer, position;
  double value, fx, fy;
  g_autofree char *text = NULL;
  g_autofree char *cell = NULL;
  const char *token, *block;

  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), NULL);

  shown = attn_figure_view_get_figure (self);
  if (!_attn_figure_view_point_to_figure (self, x, y, &fx, &fy) ||
      !attn_figure_hit_cell (shown, fx, fy, &layer, &position, &value, &token))
    return NULL;
  block = attn_figure_get_block_at (shown, fx, fy);
  if (isnan (value))
    /* translators: a heatmap cell of a layer flow has not reached yet: layer, input token, its position */
    cell = g_strdup_printf (_("Layer %u, “%s” (position %u): not computed yet"), layer, token, position);
  else
    {
      text = attn_format_value (value);
      /* translators: a heatmap cell: layer, input token, its position, value (0.0730, 6.50e−04) */
      cell = g_strdup_printf (_("Layer %u, “%s” (position %u): %s"), layer, token, position, text);
    }
  /* which block, where there are several (methods, weights, a difference) */
  if (block == NULL || attn_figure_get_n_grids (shown) < 2)
    return g_steal_pointer (&cell);
  /* translators: a heatmap cell's tooltip: its block's title (“Attention flow”, “Attention
   * rollout: author-her minus author-his”), then the cell (layer, token, position, value) */
  return g_strdup_printf (_("%s · %s"), block, cell);
}

/**
 * attn_figure_view_activate_at:
 * @x: a point of the widget
 * @y:
 *
 * Emits #AttnFigureView::cell-activated for the heatmap cell there (a click).
 *
 * Returns: whether there was one
 */
gboolean
attn_figure_view_activate_at (AttnFigureView *self,
                              double          x,
                              double          y)
{
  guint layer, position;

  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), FALSE);

  if (!attn_figure_view_cell_at (self, x, y, &layer, &position, NULL))
    return FALSE;
  g_signal_emit_by_name (self, "cell-activated", layer, position);
  return TRUE;
}

/* Whether @a reaches across into @left to @right */
static gboolean
overlap_across (const AttnRect *a,
                double          left,
                double          right)
{
  return a->x < right && a->x + a->width > left;
}

/**
 * _attn_figure_view_band_limit:
 * @figure: a heatmap figure
 * @grid: one of its blocks
 *
 * How far down the band of @grid's column labels may be kept in sight,
 * in the figure's coordinates: where the block's columns are named by the
 * block under it (All Weights' upper row by the lower row's token labels),
 * above that block's title and cells, the first of the figure's in the
 * way, under @grid's cells and across its row and column labels (kept in
 * sight at the view's bottom edge, that band and the corner beside it
 * covered the title of the block under it)
 *
 * Returns: that height, or %G_MAXDOUBLE where nothing is in the way
 */
double
_attn_figure_view_band_limit (const AttnFigure *figure,
                              guint             grid)
{
  AttnRect cells, band, rows, other;
  double limit = G_MAXDOUBLE, left, right, top;

  if (!attn_figure_get_label_band (figure, grid, ATTN_FIGURE_BAND_COLUMNS, 1., &cells, &band))
    return limit;
  left = attn_figure_get_label_band (figure, grid, ATTN_FIGURE_BAND_ROWS, 1., NULL, &rows)
         ? MIN (rows.x, band.x) : band.x;
  right = band.x + band.width;
  top = cells.y + cells.height;
  for (guint i = 0; i < attn_figure_get_n_labels (figure); i++)
    {
      const AttnLabel *label = attn_figure_get_label (figure, i);

      if (label->kind == ATTN_LABEL_TITLE && label->box.y >= top && label->box.y < band.y &&
          overlap_across (&label->box, left, right))
        limit = MIN (limit, label->box.y);
    }
  for (guint g = 0; g < attn_figure_get_n_grids (figure); g++)
    if (g != grid && attn_figure_get_label_band (figure, g, ATTN_FIGURE_BAND_COLUMNS, 1., &other, NULL) &&
        other.y >= top && other.y < band.y && overlap_across (&other, left, right))
      limit = MIN (limit, other.y);
  return limit;
}
