/* attn-session.h: the work behind the window for one open example
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "attn-core.h"
#include "attn-graph-scene.h"

G_BEGIN_DECLS

/* Above this many tokens the un-clicked flow view (L·n·n max-flows) is only
 * computed on request (attn_session_request_every_node()). */
#define ATTN_SESSION_EVERY_NODE_AUTO_MAX 128
/* From this many tokens on, the un-clicked rollout view (L products of n x n
 * matrices) fills in layer by layer as the flow view does, so that the first
 * layers are drawn at once rather than after all of them. */
#define ATTN_SESSION_PROGRESSIVE_MIN 1024

#define ATTN_TYPE_SESSION (attn_session_get_type ())

G_DECLARE_FINAL_TYPE (AttnSession, attn_session, ATTN, SESSION, GObject)

AttnSession       *attn_session_new                  (void);

void               attn_session_set_example          (AttnSession       *self,
                                                      AttnExample       *example,
                                                      AttnGraphSettings *settings);
AttnExample       *attn_session_get_example          (AttnSession       *self);
void               attn_session_set_settings         (AttnSession       *self,
                                                      AttnGraphSettings *settings);
AttnGraphSettings *attn_session_get_settings         (AttnSession       *self);
void               attn_session_set_method           (AttnSession       *self,
                                                      AttnMethod         method);
AttnMethod         attn_session_get_method           (AttnSession       *self);
void               attn_session_set_all_methods      (AttnSession       *self,
                                                      gboolean           all_methods);
gboolean           attn_session_get_all_methods      (AttnSession       *self);
void               attn_session_set_all_weights      (AttnSession       *self,
                                                      gboolean           all_weights);
gboolean           attn_session_get_all_weights      (AttnSession       *self);
void               attn_session_set_exclude_special  (AttnSession       *self,
                                                      gboolean           exclude_special);
gboolean           attn_session_get_exclude_special  (AttnSession       *self);
void               attn_session_set_color_scale      (AttnSession       *self,
                                                      AttnColorScale     color_scale);
AttnColorScale     attn_session_get_color_scale      (AttnSession       *self);
void               attn_session_set_layer_range      (AttnSession       *self,
                                                      guint              first,
                                                      guint              last);
void               attn_session_get_layer_range      (AttnSession       *self,
                                                      guint             *first,
                                                      guint             *last);
void               attn_session_get_shown_layers     (AttnSession       *self,
                                                      guint             *first,
                                                      guint             *last);

void               attn_session_select               (AttnSession       *self,
                                                      guint              layer,
                                                      guint              position,
                                                      int                sink);
gboolean           attn_session_activate_node        (AttnSession       *self,
                                                      guint              layer,
                                                      guint              position);
gboolean           attn_session_get_selection        (AttnSession       *self,
                                                      guint             *layer,
                                                      guint             *position,
                                                      int               *sink);
void               attn_session_clear_selection      (AttnSession       *self);
guint              attn_session_get_heat_position    (AttnSession       *self);

void               attn_session_request_every_node   (AttnSession       *self);
void               attn_session_stop_every_node      (AttnSession       *self);
guint              attn_session_get_every_node_done  (AttnSession       *self);
gboolean           attn_session_get_every_node_offered (AttnSession     *self);
double             attn_session_get_every_node_estimate (AttnSession    *self);
double             attn_session_get_every_node_time_left (AttnSession   *self);
gboolean           attn_session_get_every_node_behind (AttnSession      *self);
gboolean           attn_session_get_pending          (AttnSession       *self,
                                                      AttnTraceQuery    *query,
                                                      double            *elapsed,
                                                      double            *time_left);

gboolean           attn_session_get_busy             (AttnSession       *self);
double             attn_session_get_progress         (AttnSession       *self);
AttnGraph         *attn_session_get_graph            (AttnSession       *self);
AttnTrace         *attn_session_get_trace            (AttnSession       *self);
AttnGraphScene    *attn_session_get_scene            (AttnSession       *self);
const double      *attn_session_get_heatmap          (AttnSession       *self,
                                                      AttnMethod         method);
const double      *attn_session_get_heatmap_partial  (AttnSession       *self,
                                                      AttnMethod         method,
                                                      guint             *n_layers,
                                                      guint             *position);
guint              attn_session_get_heatmap_position (AttnSession       *self);
guint              attn_session_get_heatmap_weights  (AttnSession       *self);
const double      *attn_session_get_heatmap_for_weights (AttnSession    *self,
                                                      AttnWeightKind     weights);
const char        *attn_session_get_heatmap_error    (AttnSession       *self);
void               attn_session_cancel               (AttnSession       *self);

G_END_DECLS
