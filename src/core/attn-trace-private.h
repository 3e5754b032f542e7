/* attn-trace-private.h: the traces' test hooks
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-trace.h"

G_BEGIN_DECLS

/* Traces of this many tokens and more are compact (ATTN_TRACE_COMPACT_MIN_TOKENS but in
 * tests); set it before computing any trace */
void  _attn_trace_set_compact_min (guint n_tokens);
/* How many traces attn_trace_compute() was asked for, from the start */
guint _attn_trace_get_n_computed  (void);

G_END_DECLS
