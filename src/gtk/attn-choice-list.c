/* attn-choice-list.c: the items of a list of choices shown whole, checked
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A drop-down's or a combo row's list of strings, each shown whole (a combo
 * row of libadwaita cuts them at 20 characters: “Each layer to its maxi…”),
 * the chosen one checked, as GTK's and libadwaita's own lists do; a long
 * one wraps, between words where it can.
 */

#include "config.h"

#include "attn-choice-list.h"

/* between an item's label and its check */
#define CHECK_SPACING 6

/*
 * An item's row (its label, then its check) is at least as wide as its
 * label's text on one line, up to the label's max-width-chars, past which
 * the label wraps: GTK 4.8's drop-down gives its list the least width of
 * its items (its popover's scrolled window propagates no natural width),
 * and a wrapping label's least width is one character's, so the list took
 * its button's width and the labels broke inside their words (“Attent-ion”;
 * in Korean a syllable a line), rows taller than the popover had measured
 * them and the last ones out of view (found by QA).
 */
static GtkSizeRequestMode
choice_request_mode (GtkWidget *row)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* The label's width in a row @width wide (-1: its natural width) */
static int
choice_label_width (GtkWidget *label,
                    GtkWidget *check,
                    int        width)
{
  int natural, check_width;

  if (width < 0)
    {
      gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      return natural;
    }
  gtk_widget_measure (check, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &check_width, NULL, NULL);
  return MAX (width - CHECK_SPACING - check_width, 0);
}

static void
choice_measure (GtkWidget      *row,
                GtkOrientation  orientation,
                int             for_size,
                int            *minimum,
                int            *natural,
                int            *minimum_baseline,
                int            *natural_baseline)
{
  GtkWidget *label = gtk_widget_get_first_child (row);
  GtkWidget *check = gtk_widget_get_last_child (row);
  int label_size, check_size;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      label_size = choice_label_width (label, check, -1);
      gtk_widget_measure (check, orientation, -1, NULL, &check_size, NULL, NULL);
      *minimum = *natural = label_size + CHECK_SPACING + check_size;
      return;
    }
  gtk_widget_measure (label, orientation, choice_label_width (label, check, for_size),
                      NULL, &label_size, NULL, NULL);
  gtk_widget_measure (check, orientation, -1, NULL, &check_size, NULL, NULL);
  *minimum = *natural = MAX (label_size, check_size);
}

static void
choice_allocate (GtkWidget *row,
                 int        width,
                 int        height,
                 int        baseline)
{
  GtkWidget *label = gtk_widget_get_first_child (row);
  GtkWidget *check = gtk_widget_get_last_child (row);
  int label_width = choice_label_width (label, check, width);
  int check_width = MAX (width - label_width - CHECK_SPACING, 0);
  gboolean rtl = gtk_widget_get_direction (row) == GTK_TEXT_DIR_RTL;

  gtk_widget_size_allocate (label, &(GtkAllocation) { rtl ? width - label_width : 0, 0, label_width, height }, -1);
  gtk_widget_size_allocate (check, &(GtkAllocation) { rtl ? 0 : width - check_width, 0, check_width, height }, -1);
}

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
  /* a box laid out by choice_measure() and choice_allocate() */
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_layout_manager (box, gtk_custom_layout_new (choice_request_mode, choice_measure,
                                                             choice_allocate));
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
