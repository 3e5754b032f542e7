/* attn-figure-view-private.h: what the tests read of the figure view
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-figure-view.h"

G_BEGIN_DECLS

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

G_END_DECLS
