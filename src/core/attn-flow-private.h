/* attn-flow-private.h: test hooks of the flow engine
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-flow.h"

G_BEGIN_DECLS

gsize _attn_flow_set_dense_limit (gsize bytes);

G_END_DECLS
