/* attn-shortcuts.c: the Keyboard Shortcuts window, mended where GTK 4.8
 * shows it wrong
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "attn-shortcuts.h"

/**
 * attn_shortcuts_order_pages:
 * @widget: a shortcuts window, or a part of one
 *
 * Lays its sections' pages out once more, allowing a row more per column
 * (which moves none of their groups). GTK 4.8 lays a section out again on
 * every group the builder adds, and each time takes the groups of its pages
 * last page first: the main window's second page came first (Graph and
 * General before Files and Methods). Laid out once more, the pages are back
 * in order; a GTK that keeps them in order keeps them so.
 */
void
attn_shortcuts_order_pages (GtkWidget *widget)
{
  if (GTK_IS_SHORTCUTS_SECTION (widget))
    {
      guint max_height;

      g_object_get (widget, "max-height", &max_height, NULL);
      g_object_set (widget, "max-height", max_height + 1, NULL);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    attn_shortcuts_order_pages (child);
}

/**
 * attn_shortcuts_spell_key_names:
 * @widget: a shortcuts window, or a part of one
 *
 * Writes the keys its key caps name with a space where GTK leaves an
 * underscore: GTK takes a key's name from its own translations, and where a
 * translation keeps the name as it is (Korean's "Page_Up") it shows it with
 * the underscore, which it takes out where there is none.
 */
void
attn_shortcuts_spell_key_names (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "keycap")
      && strchr (gtk_label_get_label (GTK_LABEL (widget)), '_') != NULL)
    {
      g_autofree char *spelt = g_strdelimit (g_strdup (gtk_label_get_label (GTK_LABEL (widget))), "_", ' ');

      gtk_label_set_label (GTK_LABEL (widget), spelt);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    attn_shortcuts_spell_key_names (child);
}

static void
shortcuts_mapped_cb (GtkWindow *window)
{
  gtk_window_present (window);
}

/**
 * attn_shortcuts_take_keyboard:
 * @window: the shortcuts window
 *
 * The shortcuts window takes the keyboard when shown: GTK shows it without
 * asking for it, and under X11 without a window manager Escape then went to
 * the main window under it rather than closing it.
 */
void
attn_shortcuts_take_keyboard (GtkWindow *window)
{
  g_signal_connect_after (window, "map", G_CALLBACK (shortcuts_mapped_cb), NULL);
}
