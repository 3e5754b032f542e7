/* attn-compare-window-private.h: what the tests set and read of the comparison window
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-compare-window.h"

G_BEGIN_DECLS

void        _attn_compare_window_set_computing_delay (AttnCompareWindow *self,
                                                      guint              ms);
const char *_attn_compare_window_get_message         (AttnCompareWindow *self);

G_END_DECLS
