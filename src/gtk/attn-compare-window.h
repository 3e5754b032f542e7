/* attn-compare-window.h: 2 to 4 examples side by side, a row per method on its colour scale
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "attn-figure.h"

G_BEGIN_DECLS

#define ATTN_TYPE_COMPARE_WINDOW (attn_compare_window_get_type ())

G_DECLARE_FINAL_TYPE (AttnCompareWindow, attn_compare_window, ATTN, COMPARE_WINDOW, AdwWindow)

GtkWindow  *attn_compare_window_new           (GtkWindow  *parent,
                                               GPtrArray  *documents,
                                               guint       current,
                                               AttnMethod  method);
void        attn_compare_window_set_checked   (AttnCompareWindow *self,
                                               guint              index,
                                               gboolean           checked);
gboolean    attn_compare_window_get_checked   (AttnCompareWindow *self,
                                               guint              index);
guint       attn_compare_window_get_n_checked (AttnCompareWindow *self);
GListModel *attn_compare_window_get_shown     (AttnCompareWindow *self);
AttnFigure *attn_compare_window_get_figure    (AttnCompareWindow *self);
gboolean    attn_compare_window_is_busy       (AttnCompareWindow *self);
char       *attn_compare_window_get_file_name (AttnCompareWindow *self);
void        attn_compare_window_save          (AttnCompareWindow *self,
                                               GFile             *file);

G_END_DECLS
