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
 * in: its text at @shrink, drawn moved by (@dx, @dy) from where the
 * figure has it, within @clip (widget coordinates) */
typedef struct
{
  guint           grid;
  AttnFigureBand  band;
  double          shrink;
  double          dx;
  double          dy;
  graphene_rect_t clip;
} AttnPinnedBand;

GArray     *_attn_figure_view_get_pinned_bands (AttnFigureView *self);
guint       _attn_figure_view_get_n_layouts (AttnFigureView *self);
const char *_attn_figure_view_get_message   (AttnFigureView *self);

G_END_DECLS
