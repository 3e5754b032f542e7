/* attn-colormap.h: perceptually uniform, colour-blind safe colour maps
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * AttnColormap:
 *
 * A static, immutable colour map: 256 entries, looked up with linear
 * interpolation. Never freed. The maps:
 *
 * - `viridis`, `cividis`, `magma`: matplotlib's perceptually uniform maps
 *   (cividis is designed for colour-vision deficiency);
 * - `ink`: ColorBrewer Blues, from paper white to deep blue: edges on a light
 *   background (heavier = darker); on a dark background it runs the other
 *   way, from deep blue to white (attn_colormap_get_heatmap_range(),
 *   attn_colormap_get_graph_range());
 * - `diverging`: ColorBrewer RdBu reversed (blue < 0.5 < red), for
 *   difference heatmaps; t = 0.5 is neutral.
 */
typedef struct _AttnColormap AttnColormap;

const AttnColormap  *attn_colormap_from_name     (const char         *name);
const AttnColormap  *attn_colormap_get_default   (void);
const AttnColormap  *attn_colormap_get_diverging (void);
const char          *attn_colormap_get_name      (const AttnColormap *map);
const char * const  *attn_colormap_list_names    (void);
gboolean             attn_colormap_is_diverging  (const AttnColormap *map);
void                 attn_colormap_lookup        (const AttnColormap *map,
                                                  double              t,
                                                  double             *red,
                                                  double             *green,
                                                  double             *blue);
guint32              attn_colormap_lookup_rgb24  (const AttnColormap *map,
                                                  double              t);
double               attn_colormap_lightness     (const AttnColormap *map,
                                                  double              t);
void                 attn_colormap_get_heatmap_range (const AttnColormap *map,
                                                      gboolean            dark,
                                                      double             *weakest,
                                                      double             *strongest);
void                 attn_colormap_get_graph_range (const AttnColormap *map,
                                                    gboolean            dark,
                                                    double             *weakest,
                                                    double             *strongest);

G_END_DECLS
