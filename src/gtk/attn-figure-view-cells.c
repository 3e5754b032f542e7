/* attn-figure-view-cells.c: what the figure view tells of the heatmap cell under a point,
 * how far down a block's token labels kept in sight may go, and the shades of the sides
 * the figure goes on past
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include <math.h>

#include "attn-figure-view-private.h"
#include "attn-gtk-util.h"

/* How far the shade along a side the figure goes on past reaches in */
#define HIDDEN_SIDE_SHADE 24.

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

/* The heatmap cell at the figure's point (@fx, @fy): its layer, token,
 * position and value, and its block where there are several; %NULL where
 * there is none. The pointer's tooltip, and the keyboard cursor's. */
char *
_attn_figure_view_describe_point (AttnFigureView *self,
                                  double          fx,
                                  double          fy)
{
  AttnFigure *shown = attn_figure_view_get_figure (self);
  guint layer, position;
  double value;
  g_autofree char *text = NULL;
  g_autofree char *cell = NULL;
  const char *token, *block;

  if (shown == NULL || !attn_figure_hit_cell (shown, fx, fy, &layer, &position, &value, &token))
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
  double fx, fy;

  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), NULL);

  if (!_attn_figure_view_point_to_figure (self, x, y, &fx, &fy))
    return NULL;
  return _attn_figure_view_describe_point (self, fx, fy);
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

/* The shade of a hidden side over @rect: darkest at @from, a point of the
 * side that the figure goes on past, gone at @to, on the other side */
static void
append_shade (GtkSnapshot            *snapshot,
              const graphene_rect_t  *rect,
              const graphene_point_t *from,
              const graphene_point_t *to)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA shade = dark ? (GdkRGBA) { 1., 1., 1., 0.16 } : (GdkRGBA) { 0., 0., 0., 0.2 };
  GskColorStop stops[2] = { { 0., shade }, { 1., shade } };

  stops[1].color.alpha = 0.;
  gtk_snapshot_append_linear_gradient (snapshot, rect, from, to, stops, G_N_ELEMENTS (stops));
}

/**
 * _attn_figure_view_snapshot_hidden_sides:
 * @bands: the bands of labels kept in sight
 *   (_attn_figure_view_get_pinned_bands()), drawn over it after it
 *
 * A shade along each side past which the figure goes on, as a scrolled
 * window's undershoot: there is more to pan to; and along each band of
 * labels kept in sight (@bands), on the cells that go on under it (at
 * 900 x 600 cat-mat's heatmap opens a pan away from its three bottom rows,
 * hidden under its token labels kept at the bottom edge, with no sign of
 * them: the shade of the bottom edge was under those labels) */
void
_attn_figure_view_snapshot_hidden_sides (AttnFigureView *self,
                                         GtkSnapshot    *snapshot,
                                         GArray         *bands,
                                         int             width,
                                         int             height)
{
  guint sides = attn_figure_view_get_hidden_sides (self);
  const double d = HIDDEN_SIDE_SHADE;
  const struct { GtkPositionType side; graphene_rect_t rect; graphene_point_t from, to; } shades[] = {
    { GTK_POS_LEFT, GRAPHENE_RECT_INIT (0, 0, d, height), { 0, 0 }, { d, 0 } },
    { GTK_POS_RIGHT, GRAPHENE_RECT_INIT (width - d, 0, d, height), { width, 0 }, { width - d, 0 } },
    { GTK_POS_TOP, GRAPHENE_RECT_INIT (0, 0, width, d), { 0, 0 }, { 0, d } },
    { GTK_POS_BOTTOM, GRAPHENE_RECT_INIT (0, height - d, width, d), { 0, height }, { 0, height - d } },
  };

  for (guint k = 0; k < G_N_ELEMENTS (shades); k++)
    if (sides & (1 << shades[k].side))
      append_shade (snapshot, &shades[k].rect, &shades[k].from, &shades[k].to);
  for (guint i = 0; i < bands->len; i++)
    {
      const graphene_rect_t *clip = &g_array_index (bands, AttnPinnedBand, i).clip;
      double x = clip->origin.x, y = clip->origin.y, w = clip->size.width, h = clip->size.height;

      /* above a band of token labels, right of one of layer names */
      if (g_array_index (bands, AttnPinnedBand, i).band == ATTN_FIGURE_BAND_COLUMNS)
        append_shade (snapshot, &GRAPHENE_RECT_INIT (x, y - d, w, d), &GRAPHENE_POINT_INIT (0, y),
                      &GRAPHENE_POINT_INIT (0, y - d));
      else
        append_shade (snapshot, &GRAPHENE_RECT_INIT (x + w, y, d, h), &GRAPHENE_POINT_INIT (x + w, 0),
                      &GRAPHENE_POINT_INIT (x + w + d, 0));
    }
}
