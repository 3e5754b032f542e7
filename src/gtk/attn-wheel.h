/* attn-wheel.h: a scrolled window that takes the wheel ahead of its children
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void attn_scrolled_window_take_wheel (GtkScrolledWindow *scrolled,
                                      const char        *name,
                                      gboolean           sideways);

G_END_DECLS
