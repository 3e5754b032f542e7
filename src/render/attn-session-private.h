/* attn-session-private.h: test hooks of AttnSession
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-session.h"

G_BEGIN_DECLS

/* the cancellable of the selection's job while it runs (what the next selection cancels) */
GCancellable *_attn_session_get_trace_cancellable (AttnSession *self);
/* the value sets (method × heat position) the heatmap's jobs computed themselves, summed */
guint         _attn_session_get_n_heatmap_values  (AttnSession *self);

G_END_DECLS
