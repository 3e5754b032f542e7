/* attn-graph-view.h: the layered attention graph (Figure 1) as a widget
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "attn-graph-layout.h"
#include "attn-graph-renderer.h"
#include "attn-graph-scene.h"
#include "attn-zoomable.h"
#include "attn-render.h"
#include "attn-core.h"

G_BEGIN_DECLS

#define ATTN_TYPE_GRAPH_VIEW (attn_graph_view_get_type ())

G_DECLARE_FINAL_TYPE (AttnGraphView, attn_graph_view, ATTN, GRAPH_VIEW, GtkWidget)

GtkWidget       *attn_graph_view_new               (void);

void             attn_graph_view_set_example       (AttnGraphView   *self,
                                                    AttnExample     *example);
AttnExample     *attn_graph_view_get_example       (AttnGraphView   *self);
void             attn_graph_view_set_scene         (AttnGraphView   *self,
                                                    AttnGraphScene  *scene);
AttnGraphScene  *attn_graph_view_get_scene         (AttnGraphView   *self);
AttnTrace       *attn_graph_view_get_trace         (AttnGraphView   *self);
void             attn_graph_view_set_colormap      (AttnGraphView   *self,
                                                    const char      *colormap);
void             attn_graph_view_set_threshold     (AttnGraphView   *self,
                                                    double           threshold);
void             attn_graph_view_set_top_k         (AttnGraphView   *self,
                                                    guint            top_k);
void             attn_graph_view_get_style         (AttnGraphView   *self,
                                                    AttnFigureStyle *style);
void             attn_graph_view_set_busy          (AttnGraphView   *self,
                                                    gboolean         busy);

gboolean         attn_graph_view_get_selection     (AttnGraphView   *self,
                                                    guint           *layer,
                                                    guint           *position,
                                                    int             *sink);
void             attn_graph_view_set_cursor        (AttnGraphView   *self,
                                                    guint            layer,
                                                    guint            position);
void             attn_graph_view_get_cursor        (AttnGraphView   *self,
                                                    guint           *layer,
                                                    guint           *position);

gboolean         attn_graph_view_hit_node          (AttnGraphView   *self,
                                                    double           x,
                                                    double           y,
                                                    guint           *layer,
                                                    guint           *position);
gboolean         attn_graph_view_node_to_widget    (AttnGraphView   *self,
                                                    guint            layer,
                                                    guint            position,
                                                    double          *x,
                                                    double          *y);
gboolean         attn_graph_view_layout_to_widget  (AttnGraphView   *self,
                                                    double           layout_x,
                                                    double           layout_y,
                                                    double          *x,
                                                    double          *y);
gboolean         attn_graph_view_is_rendering      (AttnGraphView   *self);
cairo_surface_t *attn_graph_view_get_image         (AttnGraphView   *self,
                                                    double          *image_scale);
AttnGraphLayout *attn_graph_view_get_layout        (AttnGraphView   *self);
const char      *attn_graph_view_get_hover_text    (AttnGraphView   *self);
char            *attn_graph_view_describe_selection (AttnGraphView  *self);

G_END_DECLS
