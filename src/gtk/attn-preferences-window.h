/* attn-preferences-window.h: the default settings
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ATTN_TYPE_PREFERENCES_WINDOW (attn_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (AttnPreferencesWindow, attn_preferences_window, ATTN, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWindow *attn_preferences_window_new (GtkWindow *parent);

G_END_DECLS
