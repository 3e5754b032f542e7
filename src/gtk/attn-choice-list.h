/* attn-choice-list.h: the items of a list of choices shown whole, checked
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkListItemFactory *attn_choice_factory_new    (gpointer     list);
void                attn_choice_drop_down_init (GtkDropDown *dropdown);

G_END_DECLS
