/* attn-graph-renderer.h: draws the graph figure
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "attn-figure-style.h"
#include "attn-graph-layout.h"
#include "attn-graph-scene.h"

G_BEGIN_DECLS

/*
 * Edge encoding (both paths): an edge's value v is divided by its layer's
 * range (attn_graph_scene_get_edge_scale() in a per-layer scene, else the
 * scene's scale max, attn_graph_scene_get_scale_max(), or computed from the
 * scene when that is 0) and clamped to t ∈ [0, 1]; its colour is the style's
 * colour map at t (on a dark style, from 0.3 of the map on) and its opacity
 * grows with t (alpha = 0.9 t^1.3); after a click in rollout or flow an edge
 * that carries at least 1% of its layer's flow has an opacity of at least
 * 0.3; edges with t below style->threshold, outside their source node's
 * style->top_k, or with alpha below 1/255 are not drawn. An edge with v above
 * the range (saturated, t = 1) is drawn under the others, at half the line
 * width and an opacity of at most 0.6.
 */

void             attn_graph_render                (const AttnGraphLayout *layout,
                                                   const AttnGraphScene  *scene,
                                                   const AttnFigureStyle *style,
                                                   cairo_t               *cr);
void             attn_graph_render_colorbar_band  (const AttnGraphLayout *layout,
                                                   const AttnGraphScene  *scene,
                                                   const AttnFigureStyle *style,
                                                   double                 bar_height,
                                                   cairo_t               *cr);
cairo_surface_t *attn_graph_render_image          (const AttnGraphLayout *layout,
                                                   const AttnGraphScene  *scene,
                                                   const AttnFigureStyle *style,
                                                   double                 scale,
                                                   GCancellable          *cancellable);
void             attn_graph_render_image_async    (AttnGraphScene        *scene,
                                                   const AttnFigureStyle *style,
                                                   double                 width,
                                                   double                 height,
                                                   double                 scale,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
cairo_surface_t *attn_graph_render_image_finish   (GAsyncResult          *result,
                                                   AttnGraphLayout      **layout,
                                                   GError               **error);
double           attn_graph_render_edge_alpha     (double                 t);

G_END_DECLS
