/* attn-graph-scene-private.h: inside the graph scene
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-graph-scene.h"

G_BEGIN_DECLS

/* attn-graph-scene-text.c */
char  *_attn_scene_title       (AttnTrace      *trace,
                                AttnExample    *example,
                                AttnWeightKind  weights,
                                guint           first,
                                guint           last);
char  *_attn_scene_scale_label (AttnTrace      *trace,
                                AttnWeightKind  weights,
                                AttnColorScale  scale,
                                gboolean        excluded,
                                gboolean        hollow);
char **_attn_scene_title_room  (AttnWeightKind  weights,
                                AttnExample    *example,
                                guint           first,
                                guint           last);
/* How many of _attn_scene_scale_room()'s labels, first, are its method's */
#define _ATTN_SCENE_SCALE_ROOM_OWN 3

char **_attn_scene_scale_room  (AttnMethod      method,
                                AttnWeightKind  weights,
                                AttnColorScale  scale);

G_END_DECLS
