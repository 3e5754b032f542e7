/* attn-figure-marks.c: the marks of a heatmap's selected column (the
 * accent's outline) and of its candidate antecedents' columns (dashed in
 * the highlight colour), over its cells
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "attn-figure-private.h"

/* Columns narrower than this are marked above and below, not outlined:
 * an outline of a few pixels' column hid its cells (a candidate's 0.233,
 * the largest value past [CLS], was a 1 px sliver) */
#define NARROW_MARK_CW 16.
/* ...by marks this high, hung from the frame's edge (half a pixel past the cells) */
#define NARROW_MARK_H 2.
/* How far into a column its outline and halo reach, each side */
#define OUTLINE_REACH 4.

/* The dashes of a candidate column's marks */
static const double candidate_dash[] = { 4., 3. };

/* @outline stroked @width wide in @color (with the dash @cr has) */
static void
stroke_outline (cairo_t        *cr,
                const AttnRect *outline,
                const AttnRgba *color,
                double          width)
{
  cairo_rectangle (cr, outline->x, outline->y, outline->width, outline->height);
  _attn_set_source_rgba (cr, color);
  cairo_set_line_width (cr, width);
  cairo_stroke (cr);
}

/* Strokes @outline (a rectangle in column @column of @grid) @width px wide
 * in black or white, whichever reads better over each cell under it
 * (_attn_figure_cell_ink()), clipped to the column's cells: the halo of the
 * marks drawn over it, which were lost on cells near their own luminance
 * (viridis's teal) with only the background colour under them */
static void
stroke_halo (const AttnFigure *self,
             const HeatGrid   *grid,
             cairo_t          *cr,
             guint             column,
             const AttnRect   *outline,
             double            width)
{
  double left = grid->x + column * grid->cw;

  cairo_save (cr);
  cairo_set_line_width (cr, width);
  for (guint r = 0; r < grid->n_rows; r++)
    {
      /* each row's halo a pixel into the next row's, drawn over it: no seam */
      cairo_save (cr);
      cairo_rectangle (cr, left, grid->y + r * grid->ch, grid->cw, grid->ch + (r + 1 < grid->n_rows ? 1. : 0.));
      cairo_clip (cr);
      cairo_rectangle (cr, outline->x, outline->y, outline->width, outline->height);
      _attn_set_source_rgba (cr, _attn_figure_cell_ink (self, grid, r, column));
      cairo_stroke (cr);
      cairo_restore (cr);
    }
  cairo_restore (cr);
}

/* The marks of @grid's selected column (accent) and candidate columns
 * (highlight, dashed as their outlines are): bars NARROW_MARK_H high above
 * and below the cells, in the 4 px between them and the title above and
 * the labels under them, on the frame's edge and clear of the labels by
 * 1.5 px or more (2.5 px high, a pixel past the frame, they touched the
 * top of a rotated label, the bracket of [CLS]) */
static void
draw_narrow_marks (const AttnFigure *self,
                   const HeatGrid   *grid,
                   cairo_t          *cr)
{
  double bottom = grid->y + grid->n_rows * grid->ch;
  gboolean mark_highlighted = FALSE;

  for (guint a = 0; a < grid->n_highlight; a++)
    mark_highlighted |= (int) grid->highlight[a] == grid->mark;
  cairo_save (cr);
  cairo_set_line_width (cr, NARROW_MARK_H);
  for (guint a = 0; a <= grid->n_highlight; a++)
    {
      gboolean candidate = a < grid->n_highlight;
      int column = candidate ? (int) grid->highlight[a] : grid->mark;
      double x = grid->x + column * grid->cw;

      if (column < 0)
        continue;
      /* a selected candidate: its candidate's mark above, the selection's below */
      if (!mark_highlighted || candidate || column != grid->mark)
        {
          cairo_move_to (cr, x, grid->y - 0.5 - NARROW_MARK_H / 2);
          cairo_rel_line_to (cr, grid->cw, 0.);
        }
      if (!mark_highlighted || !candidate || column != grid->mark)
        {
          cairo_move_to (cr, x, bottom + 0.5 + NARROW_MARK_H / 2);
          cairo_rel_line_to (cr, grid->cw, 0.);
        }
      _attn_set_source_rgba (cr, candidate ? &self->style.highlight : &self->style.accent);
      cairo_set_dash (cr, candidate_dash, candidate ? G_N_ELEMENTS (candidate_dash) : 0, 0.);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

/* The selected column's outline: the accent, 2 px wide a pixel inside the
 * column, over a halo a pixel wider on either side (stroke_halo()). The
 * accent alone was lost on cells near its own luminance (viridis's teal)
 * and faint on viridis's yellow (3:1), where the background colour under
 * it, white, added nothing. It turns inside the top and bottom cells where
 * they leave its reach clear of their values and of half their height
 * (_attn_figure_grid_selection_inside()); in lower rows it turns above and
 * below them, as a candidate's does, over the background colour there
 * (rows under 8 px had only bars above and below, no sides: at 878 x 160
 * the outline of cat-mat's [CLS] was two bars); a selected candidate's
 * dashes then go over its top and bottom, as they show above and below
 * the cells over an outline inside them */
static void
stroke_selection (const AttnFigure *self,
                  const HeatGrid   *grid,
                  cairo_t          *cr)
{
  gboolean inside = _attn_figure_grid_selection_inside (grid), candidate = FALSE;
  double inset = inside ? 2. : -2.;
  AttnRect outline = { grid->x + grid->mark * grid->cw + 2., grid->y + inset, grid->cw - 4.,
                       grid->n_rows * grid->ch - 2. * inset };

  for (guint a = 0; a < grid->n_highlight; a++)
    candidate |= (int) grid->highlight[a] == grid->mark;
  cairo_save (cr);
  if (!inside)
    stroke_outline (cr, &outline, &self->style.background, 3.);
  stroke_halo (self, grid, cr, (guint) grid->mark, &outline, 4.);
  stroke_outline (cr, &outline, &self->style.accent, 2.);
  if (!inside && candidate)
    {
      cairo_move_to (cr, outline.x, outline.y);
      cairo_rel_line_to (cr, outline.width, 0.);
      cairo_move_to (cr, outline.x, outline.y + outline.height);
      cairo_rel_line_to (cr, outline.width, 0.);
      _attn_set_source_rgba (cr, &self->style.highlight);
      cairo_set_dash (cr, candidate_dash, G_N_ELEMENTS (candidate_dash), 0.);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

/* A candidate column's outline: the highlight, 2 px wide and dashed a
 * pixel inside the column (as the selection's, which covers it), from 2 px
 * above the cells to 2 px below them (clear of the column labels 4 px
 * under them), over 3 px of the background colour where it runs past the
 * cells and, over them, a halo a pixel wider on either side (stroke_halo()):
 * with the background colour alone under it the magenta read at 1.7:1 on
 * viridis's teal */
static void
stroke_candidate (const AttnFigure *self,
                  const HeatGrid   *grid,
                  cairo_t          *cr,
                  guint             column)
{
  AttnRect outline = { grid->x + column * grid->cw + 2., grid->y - 2., grid->cw - 4., grid->n_rows * grid->ch + 4. };

  cairo_save (cr);
  stroke_outline (cr, &outline, &self->style.background, 3.);
  stroke_halo (self, grid, cr, column, &outline, 4.);
  cairo_set_dash (cr, candidate_dash, G_N_ELEMENTS (candidate_dash), 0.);
  stroke_outline (cr, &outline, &self->style.highlight, 2.);
  cairo_restore (cr);
}

/**
 * _attn_figure_grid_outlined:
 *
 * Returns: whether @grid's selected and candidate columns are outlined:
 *   in columns NARROW_MARK_CW wide or more, where the outline's reach
 *   leaves the values printed in the cells clear, beside them (it hid the
 *   point and last digit of “.06” in 20 px columns); else they are marked
 *   above and below. However low the rows, the outlines are whole boxes:
 *   the selection's turns above and below the cells where it would not
 *   clear the top and bottom cells' values
 *   (_attn_figure_grid_selection_inside()).
 */
gboolean
_attn_figure_grid_outlined (const HeatGrid *grid)
{
  return grid->cw >= NARROW_MARK_CW && grid->cw - grid->value_w >= 2 * OUTLINE_REACH;
}

/**
 * _attn_figure_grid_selection_inside:
 *
 * Returns: whether the selection's outline of @grid turns inside its top
 *   and bottom cells: where their rows leave its reach clear of the values
 *   printed in them, above and below (and leave at least half of an
 *   unprinted cell, 8 px or more); else it turns above and below the cells
 */
gboolean
_attn_figure_grid_selection_inside (const HeatGrid *grid)
{
  return grid->ch - grid->value_h >= 2 * OUTLINE_REACH;
}

/* The marks of @grid's selected and candidate columns
 * (_attn_figure_grid_outlined()) */
void
_attn_figure_draw_marks (const AttnFigure *self,
                         const HeatGrid   *grid,
                         cairo_t          *cr)
{
  if (!_attn_figure_grid_outlined (grid))
    {
      draw_narrow_marks (self, grid, cr);
      return;
    }
  for (guint a = 0; a < grid->n_highlight; a++)
    stroke_candidate (self, grid, cr, grid->highlight[a]);
  /* the selection over a candidate's dashed outline, which hid its sides */
  if (grid->mark >= 0)
    stroke_selection (self, grid, cr);
}
