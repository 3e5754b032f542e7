/* attn-graph-private.h: the graph's checks of a selection, and its rows' spans
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-graph.h"

G_BEGIN_DECLS

const guint *attn_graph_get_row_spans (const AttnGraph  *graph,
                                       guint             layer);
gboolean     attn_graph_check_weights (AttnExample      *example,
                                       AttnWeightKind    weights,
                                       GError          **error);
gboolean     attn_graph_check_node    (const AttnGraph  *graph,
                                       guint             layer,
                                       guint             position,
                                       GError          **error);
gboolean     attn_graph_check_node_call (const AttnGraph *graph,
                                         guint            layer,
                                         guint            position,
                                         const double    *out,
                                         GCancellable    *cancellable,
                                         GError         **error);
gboolean     attn_graph_check_layers  (const AttnGraph  *graph,
                                       guint             first,
                                       guint             last,
                                       GError          **error);
gboolean     attn_graph_check_node_sink (const AttnGraph *graph,
                                         guint            layer,
                                         guint            position,
                                         int              sink,
                                         GError         **error);
void         _attn_row_span           (const double     *row,
                                       guint             n,
                                       guint            *span);
gboolean     _attn_parse_heads_full   (const char       *text,
                                       guint             n_heads,
                                       gboolean          prefixed,
                                       GArray          **heads,
                                       GError          **error);
gboolean     _attn_graph_check_headless (AttnExample    *example,
                                         AttnWeightKind  kind,
                                         const guint    *heads,
                                         guint           n_heads,
                                         GError        **error);

G_END_DECLS
