/* attn-shortcuts.h: the Keyboard Shortcuts window, mended where GTK 4.8
 * shows it wrong
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void  attn_shortcuts_order_pages     (GtkWidget *widget);
void  attn_shortcuts_spell_key_names (GtkWidget *widget);
void  attn_shortcuts_take_keyboard   (GtkWindow *window);

G_END_DECLS
