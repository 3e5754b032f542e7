/* attn-method.h: raw attention, attention rollout and attention flow behind one interface
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "attn-flow.h"
#include "attn-graph.h"

G_BEGIN_DECLS

/**
 * AttnMethod:
 * @ATTN_METHOD_RAW: raw attention: the head-mixed W_l, no residual
 * @ATTN_METHOD_ROLLOUT: attention rollout
 * @ATTN_METHOD_FLOW: attention flow (normalised unless the flow options say otherwise)
 * @ATTN_N_METHODS: the number of methods
 *
 * What the importance of an input token for a node is (docs/METHODS.md).
 */
typedef enum
{
  ATTN_METHOD_RAW,
  ATTN_METHOD_ROLLOUT,
  ATTN_METHOD_FLOW,
  ATTN_N_METHODS,
} AttnMethod;

#define ATTN_TYPE_METHOD (attn_method_get_type ())

GType attn_method_get_type (void) G_GNUC_CONST;

/**
 * AttnMethodLayerFunc:
 * @layer: the layer just completed, 1..L, bottom first
 * @values: n * n values: `values[q * n + k]` is the importance of input k
 *   for node (@layer, q); only valid during the call
 * @user_data: the closure
 *
 * Receives the layers of attn_method_every_node(), on the calling thread.
 */
typedef void (*AttnMethodLayerFunc) (guint         layer,
                                     const double *values,
                                     gpointer      user_data);

const char *attn_method_get_name    (AttnMethod              method);
const char *attn_method_get_label   (AttnMethod              method);
char       *attn_method_dup_label   (AttnMethod              method,
                                     AttnWeightKind          weights);
gboolean    attn_method_from_name   (const char             *name,
                                     AttnMethod             *method);

gboolean    attn_method_importance  (AttnMethod              method,
                                     AttnGraph              *graph,
                                     guint                   layer,
                                     guint                   position,
                                     const AttnFlowOptions  *flow_options,
                                     double                 *out,
                                     GCancellable           *cancellable,
                                     GError                **error);
gboolean    attn_method_edges       (AttnMethod              method,
                                     AttnGraph              *graph,
                                     guint                   layer,
                                     guint                   position,
                                     int                     sink,
                                     const AttnFlowOptions  *flow_options,
                                     double                 *out,
                                     GCancellable           *cancellable,
                                     GError                **error);
gboolean    attn_method_every_node  (AttnMethod              method,
                                     AttnGraph              *graph,
                                     guint                   first_layer,
                                     guint                   last_layer,
                                     const AttnFlowOptions  *flow_options,
                                     AttnMethodLayerFunc     layer_done,
                                     gpointer                user_data,
                                     GCancellable           *cancellable,
                                     GError                **error);

G_END_DECLS
