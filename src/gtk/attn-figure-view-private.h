/* attn-figure-view-private.h: what the figure view's files share, and the tests read
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-figure-view.h"

G_BEGIN_DECLS

struct _AttnFigureView
{
  GtkWidget   parent_instance;

  AttnFigure *figure;       /* as given */
  AttnFigure *shown;        /* laid out at (laid_width, laid_height) */
  int         laid_width;
  int         laid_height;
  guint       layout_id;
  guint       n_layouts;    /* laid out here, on the main thread */
  GtkWidget  *label;

  double      min_text_size;
  double      zoom;
  double      pan_x;        /* the figure's origin, when larger than the widget */
  double      pan_y;
  gboolean    hovered;      /* the pointer is at (hover_x, hover_y) */
  double      hover_x;
  double      hover_y;

  /* the keyboard's cell cursor (attn-figure-view-keys.c): on the cell of
   * grid @cursor_grid at @cursor_layer, column @cursor_column, shown from
   * an arrow key to Escape or the focus leaving; its cell told in
   * @readout, as the pointer's tooltip tells a cell, until the pointer
   * moves (@pointer_moved) */
  gboolean    cursor_shown;
  guint       cursor_grid;
  guint       cursor_layer;
  guint       cursor_column;
  gboolean    pointer_moved;
  GtkWidget  *readout;
};

/* A heatmap block's band of row or column labels kept in sight, zoomed
 * in: its text at @shrink, those labels shown that fit at @chosen, drawn
 * moved by (@dx, @dy) from where the figure has it, within @clip (widget
 * coordinates); @corner, covered with the bands' background: for a row
 * band whose block's column band is kept in sight too, the corner under
 * it, beside that one; for a column band whose block's own row labels are
 * in sight whole, the part of them beside it; for a row band whose
 * block's own column labels are in sight whole, the part of them under
 * it; else empty; @corner_top_rule: whether the corner is ruled on top
 * (along a column band kept in sight) */
typedef struct
{
  guint           grid;
  AttnFigureBand  band;
  double          shrink;
  double          chosen;
  double          dx;
  double          dy;
  graphene_rect_t clip;
  graphene_rect_t corner;
  gboolean        corner_top_rule;
} AttnPinnedBand;

GArray     *_attn_figure_view_get_pinned_bands (AttnFigureView *self);
double      _attn_figure_view_band_limit       (const AttnFigure *figure,
                                                guint             grid);
void        _attn_figure_view_snapshot_hidden_sides (AttnFigureView *self,
                                                     GtkSnapshot    *snapshot,
                                                     GArray         *bands,
                                                     int             width,
                                                     int             height);
guint       _attn_figure_view_get_n_layouts (AttnFigureView *self);
const char *_attn_figure_view_get_message   (AttnFigureView *self);
gboolean    _attn_figure_view_point_to_figure (AttnFigureView *self,
                                               double          x,
                                               double          y,
                                               double         *fx,
                                               double         *fy);

char       *_attn_figure_view_describe_point (AttnFigureView *self,
                                             double          fx,
                                             double          fy);

/* attn-figure-view-keys.c */
void        _attn_figure_view_class_init_keys (GtkWidgetClass *widget_class);
void        _attn_figure_view_init_keys       (AttnFigureView *self);
void        _attn_figure_view_dispose_keys    (AttnFigureView *self);
void        _attn_figure_view_refresh_cursor  (AttnFigureView *self);
void        _attn_figure_view_allocate_readout (AttnFigureView *self,
                                                int             width,
                                                int             height);
void        _attn_figure_view_snapshot_cursor (AttnFigureView *self,
                                               GtkSnapshot    *snapshot);
void        _attn_figure_view_place_cursor    (AttnFigureView *self,
                                               double          x,
                                               double          y);
gboolean    _attn_figure_view_pointer_moved   (AttnFigureView *self,
                                               double          x,
                                               double          y);
gboolean    _attn_figure_view_get_cursor      (AttnFigureView *self,
                                               guint          *grid,
                                               guint          *layer,
                                               guint          *position,
                                               double         *value);
const char *_attn_figure_view_get_readout     (AttnFigureView *self);
gboolean    _attn_figure_view_get_cursor_rect (AttnFigureView  *self,
                                               graphene_rect_t *rect);

G_END_DECLS
