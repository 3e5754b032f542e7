/* attn-figure-view-private.h: what the tests read of the figure view
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-figure-view.h"

G_BEGIN_DECLS

guint       _attn_figure_view_get_n_layouts (AttnFigureView *self);
const char *_attn_figure_view_get_message   (AttnFigureView *self);

G_END_DECLS
