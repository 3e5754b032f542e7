/* attn-figure-bands.c: which rows of a heatmap block are labelled, and
 * the block's bands of row and column labels, which a view zoomed in
 * keeps at its edge while the cells they name are in sight
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "attn-figure-private.h"

/* Room round the labels in a band, and between it and the cells */
#define BAND_PAD 3.

/* Rows too low for a label each are labelled every @least rows at the
 * least, at whole multiples of a step, as an axis's ticks: evenly, and
 * the top layer too where a step up to twice @least divides it (12 layers
 * three rows apart: 3, 6, 9 and 12) */
static guint
label_step (guint least,
            guint last)
{
  for (guint s = least; s <= 2 * least; s++)
    if (last % s == 0)
      return s;
  return least;
}

/* Where row @r's label goes: centred on the row, within the grid's @n_rows
 * rows from @cy */
static double
row_label_y (double cy,
             double ch,
             double line_h,
             guint  r,
             guint  n_rows)
{
  return CLAMP (cy + r * ch + (ch - line_h) / 2, cy, MAX (cy, cy + n_rows * ch - line_h));
}

/* Which rows of a grid at @cy, rows @ch high (top layer, @last, on top),
 * get their label, @line_h high, and where: each row, centred on it
 * within the grid, far enough apart though the top and bottom ones are
 * moved into the grid; rows lower than a label one every few layers
 * (label_step) and the first layer where there is room (of layers 3 to
 * 12, “Layer 4” was the lowest), or the top one if no multiple is. Sets
 * @y[r] to the top of row r's label, or NAN for none. */
void
_attn_rows_to_label (guint   first,
                     guint   last,
                     double  cy,
                     double  ch,
                     double  line_h,
                     double *y)
{
  guint n_rows = last - first + 1;
  guint least = (guint) MAX (1., ceil ((line_h + 1. + MAX (0., (line_h - ch) / 2)) / ch));
  guint step = label_step (least, last);
  gboolean top_only = last / step * step < first;
  /* the first layer's label, off the step: the multiples give it room */
  gboolean label_first = !top_only && first % step != 0 && n_rows > 1;
  double free_y = -G_MAXDOUBLE;
  double first_y = label_first ? row_label_y (cy, ch, line_h, n_rows - 1, n_rows) : G_MAXDOUBLE;

  for (guint r = 0; r < n_rows; r++)
    {
      guint l = last - r;
      double label_y = row_label_y (cy, ch, line_h, r, n_rows);

      y[r] = NAN;
      if (top_only ? l != last : l % step != 0 && !(label_first && l == first))
        continue;
      if (label_y < free_y || (l != first && l != last && label_y + line_h + 1. > first_y))
        continue;
      y[r] = label_y;
      free_y = label_y + line_h + 1.;
    }
}

/* @rect grown to hold the boxes of @labels */
static void
band_hold_labels (GArray   *labels,
                  AttnRect *rect)
{
  for (guint i = 0; i < labels->len; i++)
    {
      const AttnRect *box = &g_array_index (labels, AttnLabel, i).box;
      double x1 = MAX (rect->x + rect->width, box->x + box->width);
      double y1 = MAX (rect->y + rect->height, box->y + box->height);

      rect->x = MIN (rect->x, box->x);
      rect->y = MIN (rect->y, box->y);
      rect->width = x1 - rect->x;
      rect->height = y1 - rect->y;
    }
}

/* Gives @grid the label of each of its rows (“Layer l”, right of the band,
 * 6 px from the cells, at the top of its row's place) and the band from
 * BAND_PAD left of the widest to a pixel short of the cells, down them;
 * and the figure copies of those _attn_rows_to_label() chooses (where
 * they are: it puts a row's label at its place) */
void
_attn_figure_band_rows (Builder  *b,
                        HeatGrid *grid)
{
  g_autofree double *y = g_new (double, grid->n_rows);

  grid->row_labels = _attn_labels_new ();
  grid->row_label_h = b->line_h;
  for (guint r = 0; r < grid->n_rows; r++)
    {
      g_autofree char *text = g_strdup_printf (_("Layer %u"), grid->last_layer - r);
      AttnLabel label;

      _attn_label_init (&label, b->context, b->style, &(AttnLabelSpec) { .kind = ATTN_LABEL_LAYER,
                        .index = grid->last_layer - r, .text = text, .size = b->fs * 0.85 });
      _attn_label_place (&label, grid->x - 6. - label.box.width, row_label_y (grid->y, grid->ch, b->line_h, r,
                                                                               grid->n_rows));
      g_array_append_val (grid->row_labels, label);
    }
  grid->rows_band = (AttnRect) { grid->x - 6. - b->layer_w - BAND_PAD, grid->y, b->layer_w + 5. + BAND_PAD,
                                 grid->n_rows * grid->ch };
  band_hold_labels (grid->row_labels, &grid->rows_band);

  _attn_rows_to_label (grid->last_layer - grid->n_rows + 1, grid->last_layer, grid->y, grid->ch, b->line_h, y);
  for (guint r = 0; r < grid->n_rows; r++)
    if (!isnan (y[r]))
      {
        AttnLabel label = g_array_index (grid->row_labels, AttnLabel, r);

        label.text = g_strdup (label.text);
        g_array_append_val (b->figure->labels, label);
      }
}

/* Gives @grid copies of @labels, the label of each of its columns, centred
 * on it (those @kept are there even where not all fit), and the band from
 * a pixel under the cells to BAND_PAD under the labels, across the cells */
void
_attn_figure_band_columns (Builder         *b,
                           HeatGrid        *grid,
                           const AttnLabel *labels,
                           const gboolean  *kept)
{
  double bottom = grid->y + grid->n_rows * grid->ch;

  grid->column_labels = _attn_labels_new ();
  for (guint k = 0; k < grid->n; k++)
    {
      AttnLabel label = labels[k];

      label.text = g_strdup (label.text);
      _attn_label_place (&label, grid->x + (k + 0.5) * grid->cw - label.box.width / 2, bottom + 4.);
      g_array_append_val (grid->column_labels, label);
    }
  grid->column_kept = g_memdup2 (kept, grid->n * sizeof (gboolean));
  grid->columns_band = (AttnRect) { grid->x, bottom + 1., grid->n * grid->cw, 3. + b->token_h };
  band_hold_labels (grid->column_labels, &grid->columns_band);
  grid->columns_band.height += BAND_PAD;
}

static gboolean
near (double a,
      double b)
{
  return fabs (a - b) < 0.5;
}

/* The grid whose band names @g's rows or columns: @g, or where it left
 * them to a neighbour, the nearest block left of it with the same rows or
 * under it with the same columns; NULL for none */
static const HeatGrid *
band_owner (const AttnFigure *self,
            const HeatGrid   *g,
            AttnFigureBand    band)
{
  const HeatGrid *owner = NULL;

  if ((band == ATTN_FIGURE_BAND_ROWS ? g->row_labels : g->column_labels) != NULL)
    return g;
  for (guint i = 0; i < self->grids->len; i++)
    {
      const HeatGrid *o = &g_array_index (self->grids, HeatGrid, i);

      if (band == ATTN_FIGURE_BAND_ROWS)
        {
          if (o->row_labels != NULL && near (o->y, g->y) && o->n_rows == g->n_rows && near (o->ch, g->ch) &&
              o->x < g->x && (owner == NULL || o->x > owner->x))
            owner = o;
        }
      else if (o->column_labels != NULL && near (o->x, g->x) && o->n == g->n && near (o->cw, g->cw) &&
               o->y > g->y && (owner == NULL || o->y < owner->y))
        owner = o;
    }
  return owner;
}

/* @rect at @shrink, towards the cells: a column band's height, a row
 * band's width */
static AttnRect
shrink_band (const AttnRect *rect,
             AttnFigureBand  band,
             double          shrink)
{
  AttnRect r = *rect;

  if (band == ATTN_FIGURE_BAND_COLUMNS)
    r.height *= shrink;
  else
    {
      r.x += r.width * (1. - shrink);
      r.width *= shrink;
    }
  return r;
}

/**
 * attn_figure_get_label_band:
 * @grid: a heatmap block, as attn_figure_get_cell()
 * @band: its row labels or its column labels
 * @shrink: the size of its text, as a share of the figure's (in (0, 1])
 * @cells: (out) (optional): where its cells are
 * @rect: (out) (optional): the band of labels that names its rows (left of
 *   them) or columns (under them): its own, or the neighbour's it shares
 *   them with (a block on its left, one under it), with its text at
 *   @shrink: as high (columns) or wide (rows) times @shrink, on the side
 *   of the cells
 *
 * Returns: whether the block's rows or columns are labelled
 */
gboolean
attn_figure_get_label_band (const AttnFigure *self,
                            guint             grid,
                            AttnFigureBand    band,
                            double            shrink,
                            AttnRect         *cells,
                            AttnRect         *rect)
{
  const HeatGrid *g, *owner;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (shrink > 0. && shrink <= 1., FALSE);

  if (grid >= self->grids->len)
    return FALSE;
  g = &g_array_index (self->grids, HeatGrid, grid);
  owner = band_owner (self, g, band);
  if (owner == NULL)
    return FALSE;
  if (cells != NULL)
    *cells = (AttnRect) { g->x, g->y, g->n * g->cw, g->n_rows * g->ch };
  if (rect != NULL)
    *rect = shrink_band (band == ATTN_FIGURE_BAND_ROWS ? &owner->rows_band : &owner->columns_band, band, shrink);
  return TRUE;
}

/* Draws @label at @shrink, its box's point (@ax, @ay) at (@x, @y) */
static void
draw_shrunk (const AttnFigure *self,
             const AttnLabel  *label,
             const AttnRgba   *color,
             double            shrink,
             double            ax,
             double            ay,
             double            x,
             double            y,
             cairo_t          *cr)
{
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, shrink, shrink);
  cairo_translate (cr, -ax, -ay);
  _attn_label_draw (cr, label, &self->style, color);
  cairo_restore (cr);
}

/* Where a label @size long at @at along a row or column from @start,
 * @length long, goes where only @from to @to of it is in sight: in the
 * part in sight where it fits there, else over that part (or, the part
 * at an end of it shorter than the label, at that end), in its row or
 * column; where it does not fit that, at @at */
static double
into_sight (double at,
            double size,
            double start,
            double length,
            double from,
            double to)
{
  double lo = MAX (start, MIN (from, to - size)), hi = MIN (start + length - size, MAX (to - size, from));

  if (size > length)
    return at;
  if (lo <= hi)
    return CLAMP (at, lo, hi);
  return start < from ? start + length - size : start;
}

/* The labels of @g's rows at @shrink that fit at @chosen, at their rows,
 * their right ends at @right (shrunk towards it); as the figure chooses
 * them at 1, those of rows @visible cuts moved into the part in sight */
static void
draw_row_labels (const AttnFigure *self,
                 const HeatGrid   *g,
                 double            shrink,
                 double            chosen,
                 double            right,
                 const AttnRect   *visible,
                 cairo_t          *cr)
{
  g_autofree double *y = g_new (double, g->n_rows);
  double x1, y1, x2, y2, h = g->row_label_h * shrink;

  cairo_clip_extents (cr, &x1, &y1, &x2, &y2);
  _attn_rows_to_label (g->last_layer - g->n_rows + 1, g->last_layer, g->y, g->ch, g->row_label_h * chosen, y);
  for (guint r = 0; r < g->n_rows; r++)
    {
      const AttnLabel *label = &g_array_index (g->row_labels, AttnLabel, r);

      /* on its row, as high as it is drawn */
      if (!isnan (y[r]))
        y[r] = row_label_y (g->y, g->ch, h, r, g->n_rows);
      if (!isnan (y[r]) && visible != NULL)
        y[r] = into_sight (y[r], h, g->y + r * g->ch, g->ch, visible->y, visible->y + visible->height);
      /* those in the clip (a long input's, zoomed in: a few) */
      if (!isnan (y[r]) && y[r] < y2 && y[r] + label->box.height * shrink > y1)
        draw_shrunk (self, label, &self->style.foreground, shrink, right, label->box.y, right, y[r], cr);
    }
}

/* The labels of @g's columns at @shrink that fit at @chosen, under their
 * columns from @top (shrunk towards it); as the figure chooses them at 1,
 * those of columns @visible cuts moved into the part in sight */
static void
draw_column_labels (const AttnFigure *self,
                    const HeatGrid   *g,
                    double            shrink,
                    double            chosen,
                    double            top,
                    const AttnRect   *visible,
                    cairo_t          *cr)
{
  g_autofree double *center = g_new (double, g->n), *width = g_new (double, g->n), *left = g_new (double, g->n);
  g_autofree gboolean *shown = g_new (gboolean, g->n);
  double x1, y1, x2, y2;

  cairo_clip_extents (cr, &x1, &y1, &x2, &y2);
  for (guint k = 0; k < g->n; k++)
    {
      const AttnRect *box = &g_array_index (g->column_labels, AttnLabel, k).box;

      center[k] = box->x + box->width / 2;
      width[k] = box->width * chosen;
    }
  _attn_place_column_labels (g->n, center, width, g->column_kept, left);
  if (chosen != shrink)
    {
      /* those chosen, as wide as they are drawn (no other) */
      for (guint k = 0; k < g->n; k++)
        {
          shown[k] = !isnan (left[k]);
          width[k] *= shrink / chosen;
        }
      _attn_place_column_labels (g->n, center, width, shown, left);
      for (guint k = 0; k < g->n; k++)
        if (!shown[k])
          left[k] = NAN;
    }
  for (guint k = 0; k < g->n; k++)
    {
      const AttnLabel *label = &g_array_index (g->column_labels, AttnLabel, k);
      gboolean highlighted = FALSE;

      for (guint a = 0; a < g->n_highlight; a++)
        highlighted |= g->highlight[a] == k;
      if (!isnan (left[k]) && visible != NULL)
        left[k] = into_sight (left[k], width[k], g->x + k * g->cw, g->cw, visible->x, visible->x + visible->width);
      if (!isnan (left[k]) && left[k] < x2 && left[k] + width[k] > x1)
        draw_shrunk (self, label, highlighted ? &self->style.highlight : &self->style.foreground, shrink,
                     label->box.x, label->box.y, left[k], top + (label->box.y - top) * shrink, cr);
    }
}

/**
 * attn_figure_draw_label_band:
 * @grid: a heatmap block
 * @band: its row labels or its column labels
 * @shrink: the size of its text, as a share of the figure's (in (0, 1])
 * @chosen: the size its labels are chosen at (in [@shrink, 1]): @shrink
 *   for as many as fit, larger for fewer (those that fit at @chosen, at
 *   @shrink: the figure's own at 1, whatever @shrink)
 * @visible: (nullable): the part of the rows or columns in sight, in the
 *   coordinates of @cr, or %NULL for all of them
 * @cr: a cairo context in figure coordinates
 *
 * Draws the band of attn_figure_get_label_band() on its own: the
 * background over all of @cr's clip (the caller's, round the band and
 * what it covers), and its labels at @shrink, along the rows or columns they
 * name, as the figure draws them (a candidate antecedent's token in the
 * highlight colour), and as many as fit at @chosen, as the figure
 * chooses them (smaller, a label for more of them). The label of a row or
 * column that @visible cuts (zoomed in, a row higher than the view) is
 * in the part of it in sight, where the figure's, at its middle, may not be.
 */
void
attn_figure_draw_label_band (const AttnFigure *self,
                             guint             grid,
                             AttnFigureBand    band,
                             double            shrink,
                             double            chosen,
                             const AttnRect   *visible,
                             cairo_t          *cr)
{
  const HeatGrid *owner;
  AttnRect rect;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (shrink > 0. && shrink <= 1.);
  g_return_if_fail (chosen >= shrink && chosen <= 1.);

  if (grid >= self->grids->len)
    return;
  owner = band_owner (self, &g_array_index (self->grids, HeatGrid, grid), band);
  if (owner == NULL)
    return;
  rect = shrink_band (band == ATTN_FIGURE_BAND_ROWS ? &owner->rows_band : &owner->columns_band, band, shrink);

  cairo_save (cr);
  _attn_set_source_rgba (cr, &self->style.background);
  cairo_paint (cr);
  cairo_restore (cr);
  if (band == ATTN_FIGURE_BAND_ROWS)
    draw_row_labels (self, owner, shrink, chosen, rect.x + rect.width, visible, cr);
  else
    draw_column_labels (self, owner, shrink, chosen, rect.y, visible, cr);
}
