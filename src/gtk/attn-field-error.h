/* attn-field-error.h: a field that says why it refuses what is typed, and
 * the residual weight α's field, in the side panel and in Preferences
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * AttnTooltipFunc:
 * @user_data: the data given with the function
 *
 * Returns: (nullable): the tooltip of a field that refuses nothing
 */
typedef const char *(*AttnTooltipFunc) (gpointer user_data);

void  attn_show_field_error     (GtkWidget       *field,
                                 GtkLabel        *label,
                                 const char      *message);
void  attn_residual_field_init  (GtkSpinButton   *spin,
                                 GtkLabel        *error,
                                 AttnTooltipFunc  tooltip,
                                 gpointer         user_data);

G_END_DECLS
