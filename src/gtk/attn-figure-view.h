/* attn-figure-view.h: shows a finished figure (heatmap, comparison, evaluation plot) laid out at its size, zoomed and panned
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "attn-figure.h"
#include "attn-zoomable.h"

G_BEGIN_DECLS

#define ATTN_TYPE_FIGURE_VIEW (attn_figure_view_get_type ())

G_DECLARE_FINAL_TYPE (AttnFigureView, attn_figure_view, ATTN, FIGURE_VIEW, GtkWidget)

GtkWidget  *attn_figure_view_new         (void);
void        attn_figure_view_set_figure  (AttnFigureView *self,
                                          AttnFigure     *figure);
AttnFigure *attn_figure_view_get_figure  (AttnFigureView *self);
void        attn_figure_view_set_message (AttnFigureView *self,
                                          const char     *message);
void        attn_figure_view_build_async (AttnFigureView           *self,
                                          const AttnFigureInput    *inputs,
                                          guint                     n_inputs,
                                          const AttnFigureSettings *settings,
                                          const AttnFigureStyle    *style,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data);
gboolean    attn_figure_view_finish_build (AttnFigureView  *self,
                                           GAsyncResult    *result,
                                           GCancellable    *latest,
                                           AttnFigure     **figure);
gboolean    attn_figure_view_figure_to_widget (AttnFigureView *self,
                                               double          fx,
                                               double          fy,
                                               double         *x,
                                               double         *y);
gboolean    attn_figure_view_cell_at     (AttnFigureView *self,
                                          double          x,
                                          double          y,
                                          guint          *layer,
                                          guint          *position,
                                          double         *value);
char       *attn_figure_view_describe_at (AttnFigureView *self,
                                          double          x,
                                          double          y);
gboolean    attn_figure_view_activate_at (AttnFigureView *self,
                                          double          x,
                                          double          y);

gboolean    attn_figure_view_is_laid_out (AttnFigureView *self);
guint       attn_figure_view_get_hidden_sides (AttnFigureView *self);
double      attn_figure_view_get_scale   (AttnFigureView *self);
int         attn_figure_view_get_readable_width (AttnFigureView *self);
double      attn_figure_view_get_text_size (AttnFigureView *self);
void        attn_figure_view_set_min_text_size (AttnFigureView *self,
                                                double          size);

G_END_DECLS
