/* attn-graph-scene.h: what the graph figure shows
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "attn-core.h"
#include "attn-figure-style.h"

G_BEGIN_DECLS

/**
 * AttnGraphScene:
 *
 * The values a graph figure draws, independent of size and colours:
 *
 * - edge values, L·n·n doubles laid out as attn_rollout_edge_shares() and
 *   attn_flow_edges(): edge (l, q) -> (l-1, k) at `[(l-1)*n*n + q*n + k]`;
 *   layers are filled one by one (flow fills in progressively): a layer that
 *   was never set is drawn as pending (muted, no edges);
 * - optional node values per layer 0..L (colours the nodes);
 * - the selected node and sink, the colour scale maximum.
 *
 * Refcounted. Build it on one thread, then treat it as immutable: the
 * renderer only reads it, so a finished scene may be drawn from any thread.
 */
typedef struct _AttnGraphScene AttnGraphScene;

/**
 * AttnGraphSceneOptions:
 * @exclude_special: leave special tokens and the selected one out of the
 *   colour range (they saturate); without it they are left out only when
 *   they hold most of the mass (the scale label says so)
 * @first_layer: the lowest layer drawn (0 = 1)
 * @last_layer: the highest layer drawn (0 = L)
 * @caption: (nullable): the settings printed under a saved figure
 * @weights: what the trace's graph weighs (named in the title unless it is
 *   the attention)
 * @color_scale: per layer or global
 * @caption_room: (nullable) (array zero-terminated=1): the longest captions
 *   a click may bring, one for each method, which a view keeps room for
 *   (attn_graph_scene_get_room())
 *
 * How attn_graph_scene_new_from_trace() shows a trace. Plain data.
 */
typedef struct
{
  gboolean        exclude_special;
  guint           first_layer;
  guint           last_layer;
  const char     *caption;
  AttnWeightKind  weights;
  AttnColorScale  color_scale;
  const char * const *caption_room;
} AttnGraphSceneOptions;

#define ATTN_GRAPH_SCENE_OPTIONS_INIT { FALSE, 0, 0, NULL, ATTN_WEIGHT_KIND_ATTENTION, \
                                        ATTN_COLOR_SCALE_PER_LAYER, NULL }

const char     *attn_color_scale_get_name          (AttnColorScale        scale);
gboolean        attn_color_scale_from_name         (const char           *name,
                                                    AttnColorScale       *scale);
void            attn_layer_range_resolve           (guint                 first,
                                                    guint                 last,
                                                    guint                 n_layers,
                                                    guint                *shown_first,
                                                    guint                *shown_last);

#define ATTN_TYPE_GRAPH_SCENE (attn_graph_scene_get_type ())

GType           attn_graph_scene_get_type          (void) G_GNUC_CONST;
AttnGraphScene *attn_graph_scene_new               (guint                 n_layers,
                                                    guint                 n_tokens);
AttnGraphScene *attn_graph_scene_ref               (AttnGraphScene       *self);
void            attn_graph_scene_unref             (AttnGraphScene       *self);
AttnGraphScene *attn_graph_scene_new_from_trace    (AttnTrace            *trace,
                                                    AttnExample          *example,
                                                    const AttnGraphSceneOptions *options);

guint           attn_graph_scene_get_n_layers      (const AttnGraphScene *self);
guint           attn_graph_scene_get_n_tokens      (const AttnGraphScene *self);

void            attn_graph_scene_set_edges         (AttnGraphScene       *self,
                                                    const double         *values);
void            attn_graph_scene_set_layer_edges   (AttnGraphScene       *self,
                                                    guint                 layer,
                                                    const double         *values);
void            attn_graph_scene_set_layer_bytes   (AttnGraphScene       *self,
                                                    guint                 layer,
                                                    GBytes               *bytes);
gboolean        attn_graph_scene_has_layer         (const AttnGraphScene *self,
                                                    guint                 layer);
const double   *attn_graph_scene_get_layer_edges   (const AttnGraphScene *self,
                                                    guint                 layer);
const double   *attn_graph_scene_get_edge_row     (const AttnGraphScene *self,
                                                    guint                 layer,
                                                    guint                 query,
                                                    double               *buffer);
double          attn_graph_scene_get_edge          (const AttnGraphScene *self,
                                                    guint                 layer,
                                                    guint                 query,
                                                    guint                 key);

void            attn_graph_scene_set_node_values   (AttnGraphScene       *self,
                                                    guint                 layer,
                                                    const double         *values);
const double   *attn_graph_scene_get_node_values   (const AttnGraphScene *self,
                                                    guint                 layer);
gboolean        attn_graph_scene_has_hollow_nodes  (const AttnGraphScene *self);

void            attn_graph_scene_set_selection     (AttnGraphScene       *self,
                                                    int                   layer,
                                                    int                   position,
                                                    int                   sink);
gboolean        attn_graph_scene_get_selection     (const AttnGraphScene *self,
                                                    guint                *layer,
                                                    guint                *position,
                                                    int                  *sink);

void            attn_graph_scene_set_scale_max     (AttnGraphScene       *self,
                                                    double                scale_max);
double          attn_graph_scene_get_scale_max     (const AttnGraphScene *self);
double          attn_graph_scene_compute_scale_max (const AttnGraphScene *self,
                                                    gboolean              exclude_special);
AttnColorScale  attn_graph_scene_get_color_scale   (const AttnGraphScene *self);
double          attn_graph_scene_get_edge_scale    (const AttnGraphScene *self,
                                                    guint                 layer);
double          attn_graph_scene_get_node_scale    (const AttnGraphScene *self,
                                                    guint                 layer);
gboolean        attn_graph_scene_get_auto_excluded (const AttnGraphScene *self);
gboolean        attn_graph_scene_get_shares        (const AttnGraphScene *self);
AttnWeightKind  attn_graph_scene_get_weights       (const AttnGraphScene *self);

AttnTrace      *attn_graph_scene_get_trace         (const AttnGraphScene *self);
AttnExample    *attn_graph_scene_get_example       (const AttnGraphScene *self);
void            attn_graph_scene_get_layer_range   (const AttnGraphScene *self,
                                                    guint                *first,
                                                    guint                *last);
void            attn_graph_scene_set_texts         (AttnGraphScene       *self,
                                                    const char           *title,
                                                    const char           *scale_label,
                                                    const char           *caption);
const char     *attn_graph_scene_get_title         (const AttnGraphScene *self);
const char     *attn_graph_scene_get_scale_label   (const AttnGraphScene *self);
void            attn_graph_scene_get_room          (const AttnGraphScene  *self,
                                                    const char * const   **title,
                                                    const char * const   **scale_label,
                                                    guint                 *n_own_scale_labels,
                                                    const char * const   **caption);
const char     *attn_graph_scene_get_caption       (const AttnGraphScene *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnGraphScene, attn_graph_scene_unref)

G_END_DECLS
