/* attn-figure-view.c: shows a finished figure (heatmap, comparison, evaluation plot) laid out at its size, zoomed and panned
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

/* The figure is laid out again at the widget's size (attn_figure_new_at_size():
 * cells that fill the panel, text at its own size), shown whole when it fits
 * at a scale that keeps its smallest text at min-text-size, else at that
 * scale and panned. Zoom (Ctrl+scroll, pinch, +/-, Ctrl+0) magnifies it,
 * down to the whole figure; a drag, scrolling or an arrow key pans it (over
 * heatmap cells the arrow keys move a cell cursor, attn-figure-view-keys.c).
 * After the size changes the figure is laid out again once the size settles. */

#define DEFAULT_MIN_TEXT_SIZE 9.
#define MAX_ZOOM 8.
#define SETTLE_MS 120
/* Labels kept in sight zoomed in are drawn at this scale at most (their
 * text 14 px high, not 88 at 8 times) */
#define PINNED_MAX_SCALE 1.25
#define PINNED_MAX_SHARE (1. / 3.)

static void attn_figure_view_zoomable_init (AttnZoomableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AttnFigureView, attn_figure_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (ATTN_TYPE_ZOOMABLE, attn_figure_view_zoomable_init))

enum {
  CELL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The scale that puts @figure's smallest text at min-text-size (1 at
 * most), or 0 for a figure without text */
static double
readable_scale (AttnFigureView   *self,
                const AttnFigure *figure)
{
  double text = attn_figure_get_text_size (figure);

  return text > 0. ? MIN (self->min_text_size / text, 1.) : 0.;
}

/* The scale at zoom 1: the whole figure, never enlarged, unless that puts
 * its smallest text under min-text-size: then that size (and a pan) */
static double
base_scale (AttnFigureView *self,
            double         *fit)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double fig_w, fig_h, whole;

  attn_figure_get_size (self->shown, &fig_w, &fig_h);
  whole = MIN (MIN (width / MAX (fig_w, 1.), height / MAX (fig_h, 1.)), 1.);
  if (fit != NULL)
    *fit = whole;
  return MAX (whole, readable_scale (self, self->shown));
}

/* Where the figure is drawn: its origin and scale; where it is smaller
 * than the widget, centred across and at the top (as a page: centred
 * down, a short heatmap sat under a blank band), else panned */
static gboolean
get_transform (AttnFigureView *self,
               double         *x0,
               double         *y0,
               double         *scale)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double fig_w, fig_h;

  if (self->shown == NULL || width <= 0 || height <= 0)
    return FALSE;
  attn_figure_get_size (self->shown, &fig_w, &fig_h);
  if (fig_w <= 0 || fig_h <= 0)
    return FALSE;
  *scale = base_scale (self, NULL) * self->zoom;
  fig_w *= *scale;
  fig_h *= *scale;
  *x0 = fig_w <= width ? (width - fig_w) / 2. : CLAMP (self->pan_x, width - fig_w, 0.);
  *y0 = fig_h <= height ? 0. : CLAMP (self->pan_y, height - fig_h, 0.);
  return TRUE;
}

/* The point of the figure, in figure pixels, drawn at the widget's point
 * (@x, @y); %FALSE when no figure is shown */
static gboolean
widget_to_figure (AttnFigureView *self,
                  double          x,
                  double          y,
                  double         *fx,
                  double         *fy)
{
  double x0, y0, scale;

  if (!get_transform (self, &x0, &y0, &scale))
    return FALSE;
  *fx = (x - x0) / scale;
  *fy = (y - y0) / scale;
  return TRUE;
}

/* Zoomed in, a heatmap block's row labels (left of its cells) and column
 * labels (under them) went out of sight with the pan, and the cells in
 * sight could no longer be told apart: while some of its cells are in
 * sight, a band of labels cut off by the left or the bottom edge is drawn
 * at that edge instead (over the cells), along its rows or columns, as a
 * spreadsheet's frozen headers, its text no larger than at
 * PINNED_MAX_SCALE; from the figure's at the zoom as the edge starts to
 * cut the band, not a jump in size, with the figure's labels (the rows
 * named stay named) till it is that small, then as many as fit (at each
 * size on the way, other rows came and went with a pixel of pan). Shown
 * whole, every band is in sight and nothing moves: the screen stays the
 * figure saved. */

/* The size of a band's text moved in sight (a share of the figure's), the
 * band @share of the view across at the figure's @scale: PINNED_MAX_SCALE
 * at most, and where the band would take more than PINNED_MAX_SHARE of the
 * view (the long tokens of a low panel), smaller, down to their size at
 * the opening zoom */
static double
pinned_shrink (AttnFigureView *self,
               double          share,
               double          scale)
{
  double shrink = MIN (1., PINNED_MAX_SCALE / scale);

  if (shrink * share > PINNED_MAX_SHARE)
    shrink = MIN (shrink, MAX (PINNED_MAX_SHARE / share, base_scale (self, NULL) / scale));
  return shrink;
}

/* The band @band of grid @g moved in sight, if it is cut off (by the
 * bottom edge, or the left one) while cells of the grid are in sight
 * above or right of where it goes: its text as large as the part of the
 * band in sight holds, from the figure's at this zoom (the edge just
 * cutting it) down to pinned_shrink() (moved), at its place where that is
 * in sight, else at the edge; over the rest of the band cut off.
 * @bottom: the top of the grid's column band moved (or the height) */
static gboolean
pin_band (AttnFigureView *self,
          guint           g,
          AttnFigureBand  band,
          double          bottom,
          AttnPinnedBand *pinned)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double x0, y0, s, cap, shrink, cx, cy, cw, ch, bx, by, bw, bh, at, limit;
  AttnRect cells, natural, rect;

  if (!get_transform (self, &x0, &y0, &s) ||
      !attn_figure_get_label_band (self->shown, g, band, 1., &cells, &natural))
    return FALSE;
  /* the part in sight: under the cells to the bottom edge, or from the
   * left edge to the cells */
  if (band == ATTN_FIGURE_BAND_COLUMNS)
    {
      cap = pinned_shrink (self, natural.height * s / height, s);
      shrink = MAX (cap, MIN ((height - y0 - natural.y * s) / (natural.height * s), 1.));
    }
  else
    {
      cap = pinned_shrink (self, natural.width * s / width, s);
      shrink = MAX (cap, MIN ((x0 + (natural.x + natural.width) * s) / (natural.width * s), 1.));
    }
  attn_figure_get_label_band (self->shown, g, band, shrink, NULL, &rect);
  cx = x0 + cells.x * s;
  cy = y0 + cells.y * s;
  cw = cells.width * s;
  ch = cells.height * s;
  bx = x0 + rect.x * s;
  by = y0 + rect.y * s;
  bw = rect.width * s;
  bh = rect.height * s;
  if (cx >= width || cx + cw <= 0. || cy >= bottom || cy + ch <= 0.)
    return FALSE;
  /* the labels shown: while the text shrinks, the figure's, from the cap
   * on as many as fit there (not others at each pixel of the pan) */
  *pinned = (AttnPinnedBand) { g, band, shrink, shrink > cap ? 1. : shrink, 0., 0., GRAPHENE_RECT_INIT (0, 0, 0, 0),
                               GRAPHENE_RECT_INIT (0, 0, 0, 0), FALSE };
  if (band == ATTN_FIGURE_BAND_COLUMNS)
    {
      if (y0 + (natural.y + natural.height) * s <= height + 0.5)
        return FALSE;
      /* above the block under it, whose band it is, once that is in sight */
      limit = MIN (y0 + _attn_figure_view_band_limit (self->shown, g) * s, height);
      at = MIN (by, limit - bh);
      if (cy >= at)
        return FALSE;
      pinned->dy = at - by;
      bx = MAX (bx, 0.);
      pinned->clip = GRAPHENE_RECT_INIT (bx, at, MIN (x0 + (rect.x + rect.width) * s, width) - bx, limit - at);
    }
  else
    {
      if (x0 + natural.x * s >= -0.5)
        return FALSE;
      at = MAX (bx, 0.);
      if (cx + cw <= at + bw)
        return FALSE;
      pinned->dx = at - bx;
      by = MAX (by, 0.);
      pinned->clip = GRAPHENE_RECT_INIT (0, by, at + bw, MIN (y0 + (rect.y + rect.height) * s, bottom) - by);
    }
  return pinned->clip.size.width > 0. && pinned->clip.size.height > 0.;
}

/* The corner beside @pinned, grid @g's band moved in sight, where the
 * grid's other band is in sight unmoved: the part of that one beside it,
 * whose labels name the rows (columns) it covers, as a spreadsheet's
 * frozen headers hide those of the cells they cover: left of a column
 * band, from its top down; under a row band moved over cells, down to
 * the bottom of the column labels. Only where that band is the grid's
 * own, a pixel from its cells, not a neighbour's beside its own. */
static void
corner_beside (AttnFigureView *self,
               guint           g,
               AttnPinnedBand *pinned)
{
  AttnFigureBand other = pinned->band == ATTN_FIGURE_BAND_COLUMNS ? ATTN_FIGURE_BAND_ROWS : ATTN_FIGURE_BAND_COLUMNS;
  const graphene_rect_t *clip = &pinned->clip;
  double x0, y0, s, from, to;
  AttnRect cells, band;

  if (!get_transform (self, &x0, &y0, &s) || !attn_figure_get_label_band (self->shown, g, other, 1., &cells, &band))
    return;
  if (pinned->band == ATTN_FIGURE_BAND_COLUMNS)
    {
      /* the column band may start left of the cells (the first column's
       * label, centred on a narrow column), over the row band's end */
      from = MAX (x0 + band.x * s, 0.);
      to = clip->origin.x;
      if (to > from && x0 + (band.x + band.width) * s > from && fabs (band.x + band.width - cells.x) <= 2.)
        {
          pinned->corner = GRAPHENE_RECT_INIT (from, clip->origin.y, to - from, clip->size.height);
          pinned->corner_top_rule = TRUE;
        }
    }
  else
    {
      /* once it covers cells (moved past the pixel between them and its
       * place), not at its place, over the first column's label there;
       * from the band's last row of pixels, the cells' edge under it, cut
       * by the band in the middle of a pixel, not a line there */
      from = floor (clip->origin.y + clip->size.height);
      to = MIN (y0 + (band.y + band.height) * s, gtk_widget_get_height (GTK_WIDGET (self)));
      if (to > from && pinned->dx > s && fabs (band.y - (cells.y + cells.height)) <= 2.)
        pinned->corner = GRAPHENE_RECT_INIT (clip->origin.x, from, clip->size.width, to - from);
    }
}

/* The bands of labels moved in sight (AttnPinnedBand), column bands first;
 * a band two blocks share once */
static GArray *
pinned_bands (AttnFigureView *self)
{
  GArray *bands = g_array_new (FALSE, FALSE, sizeof (AttnPinnedBand));
  guint n = self->shown != NULL ? attn_figure_get_n_grids (self->shown) : 0;
  double bottom = gtk_widget_get_height (GTK_WIDGET (self));
  AttnPinnedBand pinned;

  for (guint g = 0; g < n; g++)
    if (pin_band (self, g, ATTN_FIGURE_BAND_COLUMNS, bottom, &pinned))
      g_array_append_val (bands, pinned);
  for (guint g = 0; g < n; g++)
    {
      double above = bottom, below = bottom;
      guint columns = G_MAXUINT;

      /* over the rows of a grid, the bands stop at its column band moved;
       * the corner left of that, under the row band, is theirs (the
       * figure's label of a row there, cut off, is not seen beside them) */
      for (guint i = 0; i < bands->len; i++)
        if (g_array_index (bands, AttnPinnedBand, i).grid == g)
          {
            columns = i;
            above = g_array_index (bands, AttnPinnedBand, i).clip.origin.y;
            below = above + g_array_index (bands, AttnPinnedBand, i).clip.size.height;
          }
      if (pin_band (self, g, ATTN_FIGURE_BAND_ROWS, above, &pinned))
        {
          if (columns != G_MAXUINT)
            {
              pinned.corner = GRAPHENE_RECT_INIT (pinned.clip.origin.x, above, pinned.clip.size.width, below - above);
              pinned.corner_top_rule = TRUE;
            }
          else
            corner_beside (self, g, &pinned);
          g_array_append_val (bands, pinned);
        }
      else if (columns != G_MAXUINT)
        corner_beside (self, g, &g_array_index (bands, AttnPinnedBand, columns));
    }
  /* one band for the blocks that share it */
  for (guint i = bands->len; i-- > 1;)
    for (guint j = 0; j < i; j++)
      {
        AttnPinnedBand *a = &g_array_index (bands, AttnPinnedBand, i), *b = &g_array_index (bands, AttnPinnedBand, j);

        if (a->band == b->band && graphene_rect_equal (&a->clip, &b->clip))
          {
            g_array_remove_index (bands, i);
            break;
          }
      }
  return bands;
}

/* Whether the widget's point (@x, @y) is on a band of labels moved in
 * sight (no cell there, though one is drawn under it) */
static gboolean
on_pinned_band (AttnFigureView *self,
                double          x,
                double          y)
{
  g_autoptr(GArray) bands = pinned_bands (self);

  for (guint i = 0; i < bands->len; i++)
    if (graphene_rect_contains_point (&g_array_index (bands, AttnPinnedBand, i).clip,
                                      &GRAPHENE_POINT_INIT (x, y)))
      return TRUE;
  return FALSE;
}

/* Keeps the pan within the figure */
static void
clamp_pan (AttnFigureView *self)
{
  double x0, y0, scale;

  if (get_transform (self, &x0, &y0, &scale))
    {
      self->pan_x = x0;
      self->pan_y = y0;
    }
  /* the cursor's readout goes with its cell */
  _attn_figure_view_allocate_readout (self, gtk_widget_get_width (GTK_WIDGET (self)),
                                      gtk_widget_get_height (GTK_WIDGET (self)));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Lays the figure out at the widget's size */
static void
lay_out (AttnFigureView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  g_clear_handle_id (&self->layout_id, g_source_remove);
  if (self->figure == NULL || width <= 0 || height <= 0)
    return;
  g_clear_pointer (&self->shown, attn_figure_unref);
  self->shown = attn_figure_new_at_size (self->figure, width, height);
  self->n_layouts++;
  self->laid_width = width;
  self->laid_height = height;
  clamp_pan (self);
}

/* Drops the figure, its layout and one waiting to be made */
static void
drop_figure (AttnFigureView *self)
{
  g_clear_handle_id (&self->layout_id, g_source_remove);
  g_clear_pointer (&self->figure, attn_figure_unref);
  g_clear_pointer (&self->shown, attn_figure_unref);
}

static gboolean
lay_out_cb (gpointer data)
{
  AttnFigureView *self = data;

  self->layout_id = 0;
  lay_out (self);
  return G_SOURCE_REMOVE;
}

/**
 * attn_figure_view_is_laid_out:
 *
 * Returns: whether the figure shown is laid out at the widget's size (it is
 *   laid out again when the size settles)
 */
gboolean
attn_figure_view_is_laid_out (AttnFigureView *self)
{
  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), FALSE);

  return self->shown != NULL && self->layout_id == 0 &&
         self->laid_width == gtk_widget_get_width (GTK_WIDGET (self)) &&
         self->laid_height == gtk_widget_get_height (GTK_WIDGET (self));
}

/**
 * attn_figure_view_get_scale:
 *
 * Returns: screen pixels per pixel of the figure shown (the zoom included),
 *   or 0 without a figure
 */
double
attn_figure_view_get_scale (AttnFigureView *self)
{
  double x0, y0, scale;

  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), 0.);

  return get_transform (self, &x0, &y0, &scale) ? scale : 0.;
}

/**
 * attn_figure_view_get_text_size:
 *
 * Returns: the size of the smallest text on screen in pixels (the figure's
 *   smallest text as laid out, times the scale), or 0 without a figure
 */
double
attn_figure_view_get_text_size (AttnFigureView *self)
{
  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), 0.);

  if (self->shown == NULL)
    return 0.;
  return attn_figure_get_text_size (self->shown) * attn_figure_view_get_scale (self);
}

/**
 * attn_figure_view_get_readable_width:
 *
 * Returns: how wide the view must be to show the whole figure with its
 *   smallest text at min-text-size or larger (at most the figure's natural
 *   width), or 0 without a figure
 */
int
attn_figure_view_get_readable_width (AttnFigureView *self)
{
  double fig_w, readable;

  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), 0);

  if (self->figure == NULL)
    return 0;
  /* the figure as given: a figure laid out at the view's size is as wide */
  attn_figure_get_size (self->figure, &fig_w, NULL);
  readable = readable_scale (self, self->figure);
  return (int) ceil (fig_w * (readable > 0. ? readable : 1.));
}

/**
 * attn_figure_view_set_min_text_size:
 * @size: the smallest text the view opens a figure with, in pixels (it
 *   pans rather than shrink the text further; zooming out goes below)
 */
void
attn_figure_view_set_min_text_size (AttnFigureView *self,
                                    double          size)
{
  g_return_if_fail (ATTN_IS_FIGURE_VIEW (self));

  self->min_text_size = size;
  clamp_pan (self);
}

static double
attn_figure_view_get_zoom (AttnZoomable *zoomable)
{
  return ATTN_FIGURE_VIEW (zoomable)->zoom;
}

/* From the zoom that shows the whole figure to MAX_ZOOM */
static void
attn_figure_view_set_zoom (AttnZoomable *zoomable,
                           double        zoom,
                           double        x,
                           double        y)
{
  AttnFigureView *self = ATTN_FIGURE_VIEW (zoomable);
  double fit, base, fx, fy;

  if (!widget_to_figure (self, x, y, &fx, &fy))
    return;
  base = base_scale (self, &fit);
  zoom = CLAMP (zoom, MIN (fit / base, 1.), MAX_ZOOM);
  self->zoom = zoom;
  self->pan_x = x - fx * base * zoom;
  self->pan_y = y - fy * base * zoom;
  clamp_pan (self);
}

/* The figure's origin: centred along an axis where it is smaller than the
 * widget, else panned */
static gboolean
attn_figure_view_get_pan (AttnZoomable *zoomable,
                          double       *x,
                          double       *y)
{
  double scale;

  return get_transform (ATTN_FIGURE_VIEW (zoomable), x, y, &scale);
}

static void
attn_figure_view_set_pan (AttnZoomable *zoomable,
                          double        x,
                          double        y)
{
  AttnFigureView *self = ATTN_FIGURE_VIEW (zoomable);

  self->pan_x = x;
  self->pan_y = y;
  clamp_pan (self);
}

/* Back to the view the figure opened with (its text at min-text-size at
 * least, panned where it is larger); from there, the whole figure, however
 * small its text (a comparison's difference heatmaps were past the edge,
 * and Ctrl+0 kept them there) */
static void
attn_figure_view_zoom_to_fit (AttnZoomable *zoomable)
{
  AttnFigureView *self = ATTN_FIGURE_VIEW (zoomable);
  double fit = 1., base = 1., x0, y0, scale, fig_w, fig_h;
  gboolean opening = FALSE;

  if (self->shown != NULL)
    base = base_scale (self, &fit);
  /* at the opening view: zoom 1, at the top, at the left or centred across */
  if (fabs (self->zoom - 1.) < 1e-9 && get_transform (self, &x0, &y0, &scale))
    {
      attn_figure_get_size (self->shown, &fig_w, &fig_h);
      /* within half a pixel: the pan comes from arithmetic on the zoom */
      opening = fabs (y0) < 0.5 && (fabs (x0) < 0.5 || fig_w * scale <= gtk_widget_get_width (GTK_WIDGET (self)));
    }
  self->zoom = opening && fit < base ? fit / base : 1.;
  self->pan_x = self->pan_y = 0.;
  clamp_pan (self);
}

static void
attn_figure_view_zoomable_init (AttnZoomableInterface *iface)
{
  iface->get_zoom = attn_figure_view_get_zoom;
  iface->set_zoom = attn_figure_view_set_zoom;
  iface->get_pan = attn_figure_view_get_pan;
  iface->set_pan = attn_figure_view_set_pan;
  iface->zoom_to_fit = attn_figure_view_zoom_to_fit;
}

/**
 * attn_figure_view_figure_to_widget:
 * @fx: a point of the figure, in figure pixels
 * @fy:
 * @x: (out): where it is drawn in the widget
 * @y: (out):
 *
 * Returns: whether a figure is shown
 */
gboolean
attn_figure_view_figure_to_widget (AttnFigureView *self,
                                   double          fx,
                                   double          fy,
                                   double         *x,
                                   double         *y)
{
  double x0, y0, scale;

  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), FALSE);

  if (!get_transform (self, &x0, &y0, &scale))
    return FALSE;
  *x = x0 + fx * scale;
  *y = y0 + fy * scale;
  return TRUE;
}

/* For attn-figure-view-cells.c: the point of the figure shown, in figure
 * pixels, drawn at the widget's point (@x, @y); %FALSE where no figure is
 * shown, and on a band of labels moved in sight (a cell drawn under it is
 * not the one there) */
gboolean
_attn_figure_view_point_to_figure (AttnFigureView *self,
                                   double          x,
                                   double          y,
                                   double         *fx,
                                   double         *fy)
{
  return widget_to_figure (self, x, y, fx, fy) && !on_pinned_band (self, x, y);
}

/* The tooltip: the cell under the pointer, of the figure on screen. Also
 * when the figure changes under a still pointer: a click on a cell showed
 * the clicked token's values, the tooltip the old value until it moved. */
static void
update_tooltip (AttnFigureView *self)
{
  g_autofree char *text = NULL;

  /* not over the keyboard cursor's readout, which tells a cell */
  if (self->hovered && !gtk_widget_get_visible (self->readout))
    text = attn_figure_view_describe_at (self, self->hover_x, self->hover_y);
  if (g_strcmp0 (text, gtk_widget_get_tooltip_text (GTK_WIDGET (self))) == 0)
    return;
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), text);
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           AttnFigureView           *self)
{
  if (_attn_figure_view_pointer_moved (self, x, y))
    return;
  self->hovered = TRUE;
  self->hover_x = x;
  self->hover_y = y;
  update_tooltip (self);
}

static void
leave_cb (GtkEventControllerMotion *controller,
          AttnFigureView           *self)
{
  self->hovered = FALSE;
}

static void
released_cb (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             AttnFigureView  *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  _attn_figure_view_place_cursor (self, x, y);
  attn_figure_view_activate_at (self, x, y);
}

static void
attn_figure_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  AttnFigureView *self = ATTN_FIGURE_VIEW (widget);

  gtk_widget_measure (self->label, orientation, for_size, minimum, natural, NULL, NULL);
}

/* A new size: the figure is laid out again, at once the first time, else
 * once the size settles (until then the layout before is scaled) */
static void
attn_figure_view_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  AttnFigureView *self = ATTN_FIGURE_VIEW (widget);

  gtk_widget_allocate (self->label, width, height, baseline, NULL);
  _attn_figure_view_allocate_readout (self, width, height);
  if (self->figure == NULL || (width == self->laid_width && height == self->laid_height))
    return;
  if (self->shown == NULL)
    lay_out (self);
  else
    {
      g_clear_handle_id (&self->layout_id, g_source_remove);
      self->layout_id = g_timeout_add (SETTLE_MS, lay_out_cb, self);
    }
}

/**
 * attn_figure_view_get_hidden_sides:
 *
 * Returns: the sides past which part of the figure is out of view (panned
 *   away), as bits 1 << GTK_POS_LEFT, GTK_POS_RIGHT, GTK_POS_TOP and
 *   GTK_POS_BOTTOM; 0 when it is shown whole
 */
guint
attn_figure_view_get_hidden_sides (AttnFigureView *self)
{
  double x0, y0, scale, fig_w, fig_h;
  guint sides = 0;

  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), 0);

  if (!get_transform (self, &x0, &y0, &scale))
    return 0;
  attn_figure_get_size (self->shown, &fig_w, &fig_h);
  if (x0 < -0.5)
    sides |= 1 << GTK_POS_LEFT;
  if (x0 + fig_w * scale > gtk_widget_get_width (GTK_WIDGET (self)) + 0.5)
    sides |= 1 << GTK_POS_RIGHT;
  if (y0 < -0.5)
    sides |= 1 << GTK_POS_TOP;
  if (y0 + fig_h * scale > gtk_widget_get_height (GTK_WIDGET (self)) + 0.5)
    sides |= 1 << GTK_POS_BOTTOM;
  return sides;
}

/* The corner of @p (AttnPinnedBand), the spreadsheet's top left cell
 * (here at the bottom): the bands' background over the labels it covers,
 * a column band's rule on its top, along one, a row band's on its right */
static void
snapshot_pinned_corner (cairo_t               *cr,
                        const AttnPinnedBand  *p,
                        const AttnFigureStyle *style)
{
  const graphene_rect_t *corner = &p->corner;
  double x = corner->origin.x, y = corner->origin.y, w = corner->size.width, h = corner->size.height;

  if (w <= 0. || h <= 0.)
    return;
  cairo_rectangle (cr, x, y, w, h);
  cairo_set_source_rgba (cr, style->background.red, style->background.green, style->background.blue,
                         style->background.alpha);
  cairo_fill (cr);
  if (p->corner_top_rule)
    cairo_rectangle (cr, x, y, w, 1.);
  if (p->band == ATTN_FIGURE_BAND_ROWS)
    cairo_rectangle (cr, x + w - 1., y, 1., h);
  cairo_set_source_rgba (cr, style->muted.red, style->muted.green, style->muted.blue, style->muted.alpha);
  cairo_fill (cr);
}

/* The bands of labels moved in sight (pinned_bands()), as the figure draws
 * them, each with a rule on its side of the cells; over the shade of the
 * hidden sides, which would dim their outer pixels (the layer names at the
 * left edge, the ends of the tokens at the bottom) */
static void
snapshot_pinned_bands (AttnFigureView *self,
                       GtkSnapshot    *snapshot,
                       GArray         *bands,
                       double          x0,
                       double          y0,
                       double          scale)
{
  const AttnFigureStyle *style = attn_figure_get_style (self->shown);
  cairo_t *cr;

  if (bands->len == 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (GTK_WIDGET (self)),
                                                                 gtk_widget_get_height (GTK_WIDGET (self))));
  for (guint i = 0; i < bands->len; i++)
    {
      const AttnPinnedBand *p = &g_array_index (bands, AttnPinnedBand, i);
      const graphene_rect_t *clip = &p->clip;
      /* the band's part in sight, in figure coordinates: its labels there */
      AttnRect visible = { (clip->origin.x - x0 - p->dx) / scale, (clip->origin.y - y0 - p->dy) / scale,
                           clip->size.width / scale, clip->size.height / scale };

      cairo_save (cr);
      cairo_rectangle (cr, clip->origin.x, clip->origin.y, clip->size.width, clip->size.height);
      cairo_clip (cr);
      cairo_translate (cr, x0 + p->dx, y0 + p->dy);
      cairo_scale (cr, scale, scale);
      attn_figure_draw_label_band (self->shown, p->grid, p->band, p->shrink, p->chosen, &visible, cr);
      cairo_restore (cr);
      if (p->band == ATTN_FIGURE_BAND_COLUMNS)
        cairo_rectangle (cr, clip->origin.x, clip->origin.y, clip->size.width, 1.);
      else
        cairo_rectangle (cr, clip->origin.x + clip->size.width - 1., clip->origin.y, 1., clip->size.height);
      cairo_set_source_rgba (cr, style->muted.red, style->muted.green, style->muted.blue, style->muted.alpha);
      cairo_fill (cr);
    }
  for (guint i = 0; i < bands->len; i++)
    snapshot_pinned_corner (cr, &g_array_index (bands, AttnPinnedBand, i), style);
  cairo_destroy (cr);
}

static void
attn_figure_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  AttnFigureView *self = ATTN_FIGURE_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double x0, y0, scale;
  cairo_t *cr;

  if (get_transform (self, &x0, &y0, &scale))
    {
      g_autoptr(GArray) bands = pinned_bands (self);

      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      cairo_save (cr);
      cairo_translate (cr, x0, y0);
      cairo_scale (cr, scale, scale);
      attn_figure_draw (self->shown, cr);
      cairo_restore (cr);
      cairo_destroy (cr);
      _attn_figure_view_snapshot_hidden_sides (self, snapshot, bands, width, height);
      snapshot_pinned_bands (self, snapshot, bands, x0, y0, scale);
      _attn_figure_view_snapshot_cursor (self, snapshot);
    }

  gtk_widget_snapshot_child (widget, self->label, snapshot);
  gtk_widget_snapshot_child (widget, self->readout, snapshot);
  attn_snapshot_focus_ring (widget, snapshot);
}

/* The focus ring comes and goes with the visible focus */
static void
attn_figure_view_state_flags_changed (GtkWidget     *widget,
                                      GtkStateFlags  previous)
{
  GtkStateFlags changed = previous ^ gtk_widget_get_state_flags (widget);

  GTK_WIDGET_CLASS (attn_figure_view_parent_class)->state_flags_changed (widget, previous);
  if (changed & (GTK_STATE_FLAG_FOCUSED | GTK_STATE_FLAG_FOCUS_VISIBLE))
    gtk_widget_queue_draw (widget);
}

static void
attn_figure_view_dispose (GObject *object)
{
  AttnFigureView *self = ATTN_FIGURE_VIEW (object);

  drop_figure (self);
  g_clear_pointer (&self->label, gtk_widget_unparent);
  _attn_figure_view_dispose_keys (self);

  G_OBJECT_CLASS (attn_figure_view_parent_class)->dispose (object);
}

static void
attn_figure_view_class_init (AttnFigureViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_figure_view_dispose;
  widget_class->snapshot = attn_figure_view_snapshot;
  widget_class->measure = attn_figure_view_measure;
  widget_class->size_allocate = attn_figure_view_size_allocate;
  widget_class->state_flags_changed = attn_figure_view_state_flags_changed;

  gtk_widget_class_set_css_name (widget_class, "attnfigureview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  attn_zoomable_install_actions (widget_class);
  _attn_figure_view_class_init_keys (widget_class);

  /**
   * AttnFigureView::cell-activated:
   * @layer: the layer of the heatmap cell clicked
   * @position: its input position
   */
  signals[CELL_ACTIVATED] =
    g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
attn_figure_view_init (AttnFigureView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->zoom = 1.;
  self->min_text_size = DEFAULT_MIN_TEXT_SIZE;
  self->label = gtk_label_new (NULL);
  attn_label_wrap_between_words (GTK_LABEL (self->label));
  gtk_label_set_justify (GTK_LABEL (self->label), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (self->label, "dim-label");
  gtk_widget_set_visible (self->label, FALSE);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
  gtk_widget_set_size_request (GTK_WIDGET (self), ATTN_FIGURE_VIEW_MIN_WIDTH, ATTN_FIGURE_VIEW_MIN_HEIGHT);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  _attn_figure_view_init_keys (self);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = attn_click_gesture_new (G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  attn_zoomable_add_controllers (ATTN_ZOOMABLE (self));
}

GtkWidget *
attn_figure_view_new (void)
{
  return g_object_new (ATTN_TYPE_FIGURE_VIEW, NULL);
}

/* Shows @figure, laid out at the view's size: @at_size where it was laid
 * out already (at @width x @height: again if the view's size has changed
 * since), else here */
static void
show_figure (AttnFigureView *self,
             AttnFigure     *figure,
             AttnFigure     *at_size,
             int             width,
             int             height)
{
  if (self->figure == figure)
    return;
  if (figure != NULL)
    attn_figure_ref (figure);
  drop_figure (self);
  self->laid_width = self->laid_height = 0;
  self->figure = figure;
  if (figure != NULL)
    {
      gtk_widget_set_visible (self->label, FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      attn_figure_get_caption (figure) ?
                                        attn_figure_get_caption (figure) : "",
                                      -1);
      if (at_size != NULL && width == gtk_widget_get_width (GTK_WIDGET (self)) &&
          height == gtk_widget_get_height (GTK_WIDGET (self)))
        {
          self->shown = attn_figure_ref (at_size);
          self->laid_width = width;
          self->laid_height = height;
          clamp_pan (self);
        }
      else
        lay_out (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  update_tooltip (self);
  _attn_figure_view_refresh_cursor (self);
}

/**
 * attn_figure_view_set_figure:
 * @figure: (nullable): the figure to show; it is laid out again at the
 *   view's size, keeping the zoom
 */
void
attn_figure_view_set_figure (AttnFigureView *self,
                             AttnFigure     *figure)
{
  g_return_if_fail (ATTN_IS_FIGURE_VIEW (self));

  show_figure (self, figure, NULL, 0, 0);
}

/**
 * attn_figure_view_get_figure:
 *
 * Returns: (transfer none) (nullable): the figure as laid out on screen
 *   (its cells are where attn_figure_view_figure_to_widget() puts them), or
 *   as given until the view has a size
 */
AttnFigure *
attn_figure_view_get_figure (AttnFigureView *self)
{
  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), NULL);

  return self->shown != NULL ? self->shown : self->figure;
}

/**
 * attn_figure_view_build_async:
 * @inputs: (array length=n_inputs): the examples (copied)
 * @settings: what to compute and show (copied)
 * @style: colours, fonts, decluttering (copied)
 *
 * Builds a figure for the view on a worker thread and lays it out there at
 * the view's size (attn_figure_build_at_size_async()); finish with
 * attn_figure_view_finish_build().
 */
void
attn_figure_view_build_async (AttnFigureView           *self,
                              const AttnFigureInput    *inputs,
                              guint                     n_inputs,
                              const AttnFigureSettings *settings,
                              const AttnFigureStyle    *style,
                              GCancellable             *cancellable,
                              GAsyncReadyCallback       callback,
                              gpointer                  user_data)
{
  g_return_if_fail (ATTN_IS_FIGURE_VIEW (self));

  attn_figure_build_at_size_async (inputs, n_inputs, settings, style,
                                   gtk_widget_get_width (GTK_WIDGET (self)),
                                   gtk_widget_get_height (GTK_WIDGET (self)),
                                   cancellable, callback, user_data);
}

/**
 * attn_figure_view_finish_build:
 * @result: the result of attn_figure_view_build_async() or
 *   attn_figure_build_at_size_async()
 * @latest: (nullable): the cancellable of the latest build for the view
 * @figure: (out) (optional) (transfer full) (nullable): the figure built, or
 *   %NULL when the build failed
 *
 * Shows what a build for the view came to: the figure, or why it failed (a
 * cancelled build shows nothing). A build replaced since (one run with
 * another cancellable than @latest) is dropped and shows nothing.
 *
 * Returns: %FALSE for a replaced build
 */
gboolean
attn_figure_view_finish_build (AttnFigureView  *self,
                               GAsyncResult    *result,
                               GCancellable    *latest,
                               AttnFigure     **figure)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnFigure) built = attn_figure_build_finish (result, &error);

  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), FALSE);

  if (g_task_get_cancellable (G_TASK (result)) != latest)
    return FALSE;
  if (built != NULL)
    {
      double width, height;
      AttnFigure *at_size = attn_figure_build_get_at_size (result, &width, &height);

      show_figure (self, built, at_size, (int) width, (int) height);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    attn_figure_view_set_message (self, error->message);
  if (figure != NULL)
    *figure = g_steal_pointer (&built);
  return TRUE;
}

/**
 * attn_figure_view_set_message:
 * @message: (nullable): text shown instead of the figure (an error, or why
 *   there is nothing to show)
 */
void
attn_figure_view_set_message (AttnFigureView *self,
                              const char     *message)
{
  g_return_if_fail (ATTN_IS_FIGURE_VIEW (self));

  if (message != NULL)
    drop_figure (self);
  gtk_label_set_text (GTK_LABEL (self->label), message ? message : "");
  gtk_widget_set_visible (self->label, message != NULL);
  if (message != NULL)
    _attn_figure_view_refresh_cursor (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Test hooks (attn-figure-view-private.h) */

/* how many times the view has laid its figure out itself, on the main
 * thread (after a resize, or a figure built without its size) */
guint
_attn_figure_view_get_n_layouts (AttnFigureView *self)
{
  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), 0);

  return self->n_layouts;
}

/* the text shown instead of the figure, or NULL */
const char *
_attn_figure_view_get_message (AttnFigureView *self)
{
  return gtk_widget_get_visible (self->label) ? gtk_label_get_text (GTK_LABEL (self->label)) : NULL;
}

/* the bands of labels moved in sight (AttnPinnedBand), zoomed in */
GArray *
_attn_figure_view_get_pinned_bands (AttnFigureView *self)
{
  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), NULL);

  return pinned_bands (self);
}
