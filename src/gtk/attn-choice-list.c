/* attn-choice-list.c: the items of a list of choices shown whole, checked
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A drop-down's or a combo row's list of strings, each shown whole (a combo
 * row of libadwaita cuts them at 20 characters: “Each layer to its maxi…”),
 * the chosen one checked, as GTK's and libadwaita's own lists do; a long
 * one wraps.
 */

#include "config.h"

#include "attn-choice-list.h"

static void
choice_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 GObject                  *list)
{
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *box;

  gtk_label_set_xalign (GTK_LABEL (label), 0.);
  if (list == NULL)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 5);
      gtk_list_item_set_child (item, label);
      return;
    }
  /* a long one (an example's id of 150 characters) on several lines */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 50);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), g_object_new (GTK_TYPE_IMAGE,
                                               "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                               "icon-name", "object-select-symbolic",
                                               NULL));
  gtk_list_item_set_child (item, box);
}

static void
update_check_cb (GObject     *list,
                 GParamSpec  *pspec,
                 GtkListItem *item)
{
  GtkWidget *check = gtk_widget_get_last_child (gtk_list_item_get_child (item));
  guint selected;

  g_object_get (list, "selected", &selected, NULL);
  gtk_widget_set_opacity (check, gtk_list_item_get_position (item) == selected);
}

static void
choice_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                GObject                  *list)
{
  GtkStringObject *string = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  if (list != NULL)
    {
      label = gtk_widget_get_first_child (label);
      g_signal_connect (list, "notify::selected", G_CALLBACK (update_check_cb), item);
      update_check_cb (list, NULL, item);
    }
  gtk_label_set_text (GTK_LABEL (label), gtk_string_object_get_string (string));
}

static void
choice_unbind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  GObject                  *list)
{
  if (list != NULL)
    g_signal_handlers_disconnect_by_func (list, update_check_cb, item);
}

/**
 * attn_choice_factory_new:
 * @list: (nullable): the drop-down or combo row (a "selected" property)
 *   whose list it is, or %NULL for a drop-down's button, whose label may
 *   shorten
 *
 * Returns: (transfer full): a factory of items of #GtkStringObject
 */
GtkListItemFactory *
attn_choice_factory_new (gpointer list)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (choice_setup_cb), list);
  g_signal_connect (factory, "bind", G_CALLBACK (choice_bind_cb), list);
  g_signal_connect (factory, "unbind", G_CALLBACK (choice_unbind_cb), list);
  return factory;
}

/**
 * attn_choice_drop_down_init:
 * @dropdown: a drop-down of #GtkStringObject
 *
 * Gives @dropdown a button whose label shortens (“…”) and a list that shows
 * its choices whole, the chosen one checked.
 */
void
attn_choice_drop_down_init (GtkDropDown *dropdown)
{
  g_autoptr(GtkListItemFactory) button = attn_choice_factory_new (NULL);
  g_autoptr(GtkListItemFactory) list = attn_choice_factory_new (dropdown);

  gtk_drop_down_set_factory (dropdown, button);
  gtk_drop_down_set_list_factory (dropdown, list);
}
