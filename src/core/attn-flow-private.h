/* attn-flow-private.h: test hooks of the flow engine
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-flow.h"

G_BEGIN_DECLS

gsize  _attn_flow_set_dense_limit   (gsize          bytes);
double _attn_flow_sample_every_node (AttnGraph     *graph,
                                     guint          n_sinks,
                                     double         budget,
                                     GCancellable  *cancellable,
                                     GError       **error);

G_END_DECLS
