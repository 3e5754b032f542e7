/* attn-flow.c: attention flow (DESIGN.md §2)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "attn-error.h"
#include "attn-flow.h"

/* Placeholder until the flow engine lands. */
static gboolean
not_yet (GError **error)
{
  g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_UNSUPPORTED, "flow not written yet");
  return FALSE;
}

gboolean
attn_flow_node (AttnGraph *graph, guint layer, guint position, const AttnFlowOptions *options,
                double *out, GCancellable *cancellable, GError **error)
{
  return not_yet (error);
}

gboolean
attn_flow_position (AttnGraph *graph, guint position, const AttnFlowOptions *options,
                    double *out, GCancellable *cancellable, GError **error)
{
  return not_yet (error);
}

gboolean
attn_flow_layer (AttnGraph *graph, guint layer, const AttnFlowOptions *options,
                 double *out, GCancellable *cancellable, GError **error)
{
  return not_yet (error);
}

gboolean
attn_flow_edges (AttnGraph *graph, guint layer, guint position, int sink,
                 const AttnFlowOptions *options, double *out, GCancellable *cancellable,
                 GError **error)
{
  return not_yet (error);
}
