/* attn-window.h: the main window
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "attn-export.h"
#include "attn-graph-view.h"

G_BEGIN_DECLS

#define ATTN_TYPE_WINDOW (attn_window_get_type ())

G_DECLARE_FINAL_TYPE (AttnWindow, attn_window, ATTN, WINDOW, AdwApplicationWindow)

AttnWindow    *attn_window_new                (GtkApplication *application);
AttnSession   *attn_window_get_session        (AttnWindow     *self);
void           attn_window_open_file          (AttnWindow     *self,
                                               GFile          *file);
void           attn_window_open_files         (AttnWindow     *self,
                                               GFile         **files,
                                               guint           n_files);
void           attn_window_open_bundled       (AttnWindow     *self);
AttnGraphView *attn_window_get_graph_view     (AttnWindow     *self);
AttnExample   *attn_window_get_example        (AttnWindow     *self);
guint          attn_window_get_n_examples     (AttnWindow     *self);
void           attn_window_set_example        (AttnWindow     *self,
                                               guint           index);
AttnMethod     attn_window_get_method         (AttnWindow     *self);
gboolean       attn_window_is_busy            (AttnWindow     *self);
guint          attn_window_get_n_loading      (AttnWindow     *self);
void           attn_window_save_heatmap       (AttnWindow     *self,
                                               GFile          *file);
char          *attn_window_get_command        (AttnWindow     *self,
                                               AttnFigureKind  kind,
                                               const char     *output);
void           attn_window_save_all_figures   (AttnWindow     *self,
                                               GFile          *folder,
                                               AttnExportFormat format);
void           attn_window_save_figure        (AttnWindow     *self,
                                               GFile          *file);
AttnFigure    *attn_window_get_heatmap        (AttnWindow     *self);

G_END_DECLS
