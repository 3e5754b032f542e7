/* attn-compare-window.c: 2 to 4 examples side by side, a row per method on its colour scale
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "attn-batch.h"
#include "attn-compare-window-private.h"
#include "attn-example-picker.h"
#include "attn-export.h"
#include "attn-figure-view-private.h"
#include "attn-gtk-util.h"

#define MAX_COMPARED 4
/* How long a comparison is computed before the view says so */
#define COMPARE_COMPUTING_MS 300

struct _AttnCompareWindow
{
  AdwWindow           parent_instance;

  GSettings          *settings;
  GListStore         *items;      /* AttnExampleItem: every example of every document */
  GHashTable         *offsets;    /* AttnDocument → the position of its first example */
  GtkBitset          *checked;    /* positions in @items */
  GArray             *order;      /* guint: the checked positions, in the order they were checked */
  GtkCustomFilter    *filter;
  GtkFilterListModel *shown;      /* the items the search matches, and the checked ones */
  char               *query;
  GPtrArray          *rows;       /* the rows' check buttons bound to an item */
  GtkWidget          *list_view;
  GtkDropDown        *method_dropdown;
  AttnFigureView     *figure_view;
  GtkWidget          *search_entry;
  GtkWidget          *no_match_label;
  AdwToastOverlay    *toast_overlay;

  GCancellable       *cancellable;
  gboolean            busy;
  guint               computing_id;
  guint               computing_ms;
  AttnFigure         *figure;
};

G_DEFINE_FINAL_TYPE (AttnCompareWindow, attn_compare_window, ADW_TYPE_WINDOW)

/* What the comparison shows: the checked examples, the method, the main
 * window's settings; @heads is owned (the settings point at it) */
typedef struct
{
  GArray             *inputs;     /* AttnFigureInput */
  AttnFigureSettings  settings;
  char               *heads;
  AttnFigureStyle     style;
} Comparison;

static void
comparison_clear (Comparison *c)
{
  g_clear_pointer (&c->inputs, g_array_unref);
  g_clear_pointer (&c->heads, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Comparison, comparison_clear)

/* The main window's weights when every example compared carries them, else
 * the attention; every head for weights given without heads, as the main
 * window takes them (the heads chosen, greyed out there, were refused here);
 * with "All Weights" (one method), every kind they all carry with the heads
 * (the figure names those left out) */
static void
choose_weights (Comparison        *c,
                AttnCompareWindow *self)
{
  AttnWeightKind chosen = g_settings_get_enum (self->settings, "weights");
  guint carried = (1u << ATTN_N_WEIGHT_KINDS) - 1, with_heads = carried;
  g_autoptr(GPtrArray) examples = g_ptr_array_new ();
  char *heads;

  for (guint i = 0; i < c->inputs->len; i++)
    {
      AttnExample *example = g_array_index (c->inputs, AttnFigureInput, i).example;

      carried &= attn_example_get_weight_kinds (example);
      g_ptr_array_add (examples, example);
    }
  c->settings.weights = chosen < ATTN_N_WEIGHT_KINDS && (carried & (1u << chosen)) ? chosen
                                                                                   : ATTN_WEIGHT_KIND_ATTENTION;
  heads = g_strdup (attn_heads_for_examples (c->heads, c->settings.weights, examples));
  g_free (c->heads);
  c->settings.heads = c->heads = heads;
  for (guint i = 0; i < examples->len; i++)
    with_heads &= attn_heads_get_weight_kinds (c->heads, g_ptr_array_index (examples, i));
  if (!c->settings.all_methods && g_settings_get_boolean (self->settings, "heatmap-all-weights"))
    {
      c->settings.weight_kinds = with_heads;
      c->settings.all_weights = TRUE;
    }
}

/* The main window's layer range, clamped to the examples' layers as it
 * clamps it to its example's (examples of different depths cannot share a
 * figure: the figure says so) */
static void
choose_layers (Comparison        *c,
               AttnCompareWindow *self)
{
  guint L = G_MAXUINT;

  for (guint i = 0; i < c->inputs->len; i++)
    L = MIN (L, attn_example_get_n_layers (g_array_index (c->inputs, AttnFigureInput, i).example));
  attn_layer_range_resolve (g_settings_get_uint (self->settings, "layer-min"),
                            g_settings_get_uint (self->settings, "layer-max"),
                            c->inputs->len > 0 ? L : 1,
                            &c->settings.first_layer, &c->settings.last_layer);
}

static void
comparison_init (Comparison        *c,
                 AttnCompareWindow *self,
                 gboolean           for_paper)
{
  guint selected = gtk_drop_down_get_selected (self->method_dropdown);

  /* in the order they were checked; the store keeps the items, and they their documents */
  c->inputs = g_array_new (FALSE, TRUE, sizeof (AttnFigureInput));
  for (guint i = 0; i < self->order->len; i++)
    {
      g_autoptr(AttnExampleItem) item = g_list_model_get_item (G_LIST_MODEL (self->items),
                                                               g_array_index (self->order, guint, i));
      AttnDocument *document = attn_example_item_get_document (item);
      AttnFigureInput input = { attn_document_get_example (document, attn_example_item_get_index (item)),
                                attn_document_get_path (document), NULL, { NULL, }, { NULL, } };

      g_array_append_val (c->inputs, input);
    }

  c->settings = (AttnFigureSettings) ATTN_FIGURE_SETTINGS_INIT;
  c->settings.kind = ATTN_FIGURE_COMPARE;
  c->settings.all_methods = selected >= ATTN_N_METHODS;
  c->settings.method = selected < ATTN_N_METHODS ? selected : ATTN_METHOD_ROLLOUT;
  c->settings.residual = g_settings_get_double (self->settings, "residual");
  c->settings.head_mix = g_settings_get_enum (self->settings, "head-mix");
  c->heads = g_settings_get_string (self->settings, "heads");
  c->settings.heads = c->heads;
  c->settings.position = ATTN_POSITION_FOCUS;
  c->settings.difference = TRUE;
  choose_layers (c, self);
  choose_weights (c, self);

  /* figures for paper: the light style */
  attn_figure_style_init (&c->style, !for_paper &&
                          adw_style_manager_get_dark (adw_style_manager_get_default ()));
  {
    g_autofree char *name = g_settings_get_string (self->settings, "colormap");
    const AttnColormap *map = attn_colormap_from_name (name);

    if (map != NULL)
      c->style.colormap = map;
  }
  c->style.exclude_special = g_settings_get_boolean (self->settings, "exclude-special");
}

static gboolean
show_computing_cb (gpointer data)
{
  AttnCompareWindow *self = data;

  self->computing_id = 0;
  attn_figure_view_set_message (self->figure_view, _("Computing the comparison…"));
  return G_SOURCE_REMOVE;
}

/* A comparison computed for longer than COMPARE_COMPUTING_MS says so in
 * place of the one it replaces (four long inputs' flow took seconds, the
 * figure of the method before shown meanwhile; found by QA) */
static void
set_busy (AttnCompareWindow *self,
          gboolean           busy)
{
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.save", !busy && self->figure != NULL);
  g_clear_handle_id (&self->computing_id, g_source_remove);
  if (busy && self->computing_ms == 0)
    show_computing_cb (self);
  else if (busy)
    self->computing_id = g_timeout_add (self->computing_ms, show_computing_cb, self);
}

static void
figure_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AttnCompareWindow) self = user_data;
  AttnFigure *figure = NULL;

  /* a build is cancelled only as it is replaced or the window goes: the latest
   * one built its figure or failed */
  if (!attn_figure_view_finish_build (self->figure_view, result, self->cancellable, &figure))
    return;
  g_clear_pointer (&self->figure, attn_figure_unref);
  self->figure = figure;
  set_busy (self, FALSE);
}

/* The position of @item among every example: its document's first one's, and
 * its index there */
static guint
item_position (AttnCompareWindow *self,
               AttnExampleItem   *item)
{
  gpointer offset = g_hash_table_lookup (self->offsets, attn_example_item_get_document (item));

  return GPOINTER_TO_UINT (offset) + attn_example_item_get_index (item);
}

static gboolean
item_checked (AttnCompareWindow *self,
              AttnExampleItem   *item)
{
  return gtk_bitset_contains (self->checked, item_position (self, item));
}

static void toggled_cb (GtkCheckButton    *check,
                        AttnCompareWindow *self);

/* A row's check as the item's state; never more than 4 checked: the other
 * rows are disabled */
static void
show_row_state (AttnCompareWindow *self,
                GtkWidget         *check)
{
  GtkListItem *list_item = g_object_get_data (G_OBJECT (check), "list-item");
  gboolean checked = item_checked (self, gtk_list_item_get_item (list_item));

  g_signal_handlers_block_by_func (check, toggled_cb, self);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), checked);
  g_signal_handlers_unblock_by_func (check, toggled_cb, self);
  gtk_widget_set_sensitive (check, checked || attn_compare_window_get_n_checked (self) < MAX_COMPARED);
}

/* Only the rows in view exist: the bound ones */
static void
update_rows (AttnCompareWindow *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    show_row_state (self, g_ptr_array_index (self->rows, i));
}

/* Why the examples checked cannot share a figure, and what to do (the
 * figure's message said only that they cannot, a dead end); %NULL when
 * they can */
static char *
why_no_figure (Comparison *c)
{
  g_autoptr(GError) error = NULL;

  if (attn_figure_check_depths ((const AttnFigureInput *) c->inputs->data, c->inputs->len, &error))
    return NULL;
  /* translators: why examples checked cannot share one figure (“Examples “cat-mat” (12 layers)
   * and “author-his” (6 layers) cannot share one figure”): they come from two models, and the
   * comparison shows one model's examples only */
  return g_strdup_printf (_("%s: untick the examples of one of the two models"), error->message);
}

static void
update_figure (AttnCompareWindow *self)
{
  g_auto(Comparison) comparison = { NULL, };
  g_autofree char *why = NULL;
  guint checked = attn_compare_window_get_n_checked (self);

  update_rows (self);
  attn_cancel_and_clear (&self->cancellable);

  if (checked >= 2)
    {
      comparison_init (&comparison, self, FALSE);
      why = why_no_figure (&comparison);
    }
  if (checked < 2 || why != NULL)
    {
      g_clear_pointer (&self->figure, attn_figure_unref);
      attn_figure_view_set_message (self->figure_view,
                                    why != NULL ? why : _("Choose two to four examples to compare"));
      set_busy (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  attn_figure_view_build_async (self->figure_view, (AttnFigureInput *) comparison.inputs->data,
                                comparison.inputs->len, &comparison.settings, &comparison.style,
                                self->cancellable, figure_done_cb, g_object_ref (self));
}

/* Checks or unchecks the example at @position. The comparison shows the
 * examples in the order they were checked: an example added to a minimal
 * pair comes after it (in the list's order, one above the pair came
 * first, and the pair's difference heatmap was gone) */
static void
set_checked (AttnCompareWindow *self,
             guint              position,
             gboolean           checked)
{
  if (checked && !gtk_bitset_contains (self->checked, position))
    g_array_append_val (self->order, position);
  for (guint i = 0; !checked && i < self->order->len; i++)
    if (g_array_index (self->order, guint, i) == position)
      g_array_remove_index (self->order, i--);
  if (checked)
    gtk_bitset_add (self->checked, position);
  else
    gtk_bitset_remove (self->checked, position);
}

static void
toggled_cb (GtkCheckButton    *check,
            AttnCompareWindow *self)
{
  GtkListItem *list_item = g_object_get_data (G_OBJECT (check), "list-item");
  guint position = item_position (self, gtk_list_item_get_item (list_item));

  set_checked (self, position, gtk_check_button_get_active (check));
  update_figure (self);
}

static gboolean
filter_cb (gpointer item,
           gpointer user_data)
{
  AttnCompareWindow *self = user_data;

  return attn_example_item_matches (item, self->query) || item_checked (self, item);
}

/* Space ticks the focused row (the window activates the focus), and its
 * release shows the focus there as an arrow key would: GTK shows the focus
 * for a key only when the key moves it, so once it had hidden the ring (a
 * few seconds after the last arrow key) the row ticked showed none */
static void
row_key_released_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     gpointer               user_data)
{
  if (keyval == GDK_KEY_space || keyval == GDK_KEY_KP_Space)
    attn_show_keyboard_focus (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));
}

/* Tab and Shift+Tab in the list of examples leave it for the widget after
 * or before it, as they leave any other control: GTK 4.8 moves them from
 * row to row, and a file of 40 examples took 40 presses of Tab to reach the
 * comparison */
static gboolean
list_tab_cb (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             gpointer               user_data)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkDirectionType direction;

  if ((keyval != GDK_KEY_Tab && keyval != GDK_KEY_KP_Tab && keyval != GDK_KEY_ISO_Left_Tab)
      || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  direction = keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK) != 0 ?
              GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD;
  for (GtkWidget *widget = list; widget != NULL && !GTK_IS_ROOT (widget);
       widget = gtk_widget_get_parent (widget))
    for (GtkWidget *other = direction == GTK_DIR_TAB_FORWARD ? gtk_widget_get_next_sibling (widget) :
                                                               gtk_widget_get_prev_sibling (widget);
         other != NULL;
         other = direction == GTK_DIR_TAB_FORWARD ? gtk_widget_get_next_sibling (other) :
                                                    gtk_widget_get_prev_sibling (other))
      if (gtk_widget_get_mapped (other) && gtk_widget_child_focus (other, direction))
        return GDK_EVENT_STOP;
  return GDK_EVENT_PROPAGATE;
}

static gboolean
before_byte (PangoAttribute *attr,
             gpointer        data)
{
  return attr->start_index < GPOINTER_TO_UINT (data);
}

/* How a row's title wraps: never with a hyphen of Pango's own (a file's
 * name broke as "pronouns-masked-minilm.js-" / "on — author-mask"), at
 * " — " where it can; the file's name of a title "file — id" inside only
 * after a hyphen, an underscore or a slash of its own (not within
 * "minilm.json"), the example's name, a Korean one too, between words
 * (attn_text_word_breaks_new()) */
static PangoAttrList *
title_attributes (const char *title)
{
  const char *dash = strstr (title, " — ");
  PangoAttrList *attrs = attn_text_word_breaks_new (title, NULL, 0.);
  PangoAttrList *file = NULL;

  if (attrs == NULL)
    attrs = pango_attr_list_new ();
  /* the file's name as it breaks here, not as a word */
  if (dash != NULL)
    file = pango_attr_list_filter (attrs, before_byte, GUINT_TO_POINTER (dash - title));
  g_clear_pointer (&file, pango_attr_list_unref);
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  for (const char *p = title; dash != NULL && p < dash;)
    {
      const char *q = p;

      while (q < dash && strchr ("-_/ ", *q) == NULL)
        q = g_utf8_next_char (q);
      if (q > p)
        attrs = attn_text_keep_together (attrs, p - title, q - title);
      p = q < dash ? q + 1 : dash;
    }
  return attrs;
}

/* A row: a check whose label is the example's title over its sentence (dim,
 * at most three lines, the whole of it in the tooltip) */
static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              AttnCompareWindow        *self)
{
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 1);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *sentence = attn_sentence_label_new (3);
  GtkEventController *keys = gtk_event_controller_key_new ();

  /* an example's name may be Korean too: it wraps between words (title_attributes()) */
  gtk_label_set_xalign (GTK_LABEL (title), 0.);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), sentence);
  /* the row's whole width: a wrapping label asks for less than its line
   * (sentences of one length wrapped at different widths) */
  gtk_widget_set_hexpand (box, TRUE);
  gtk_check_button_set_child (GTK_CHECK_BUTTON (check), box);
  g_object_set_data (G_OBJECT (check), "list-item", list_item);
  g_signal_connect (check, "toggled", G_CALLBACK (toggled_cb), self);
  g_signal_connect (keys, "key-released", G_CALLBACK (row_key_released_cb), NULL);
  gtk_widget_add_controller (check, keys);
  gtk_list_item_set_child (list_item, check);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             AttnCompareWindow        *self)
{
  AttnExampleItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *check = gtk_list_item_get_child (list_item);
  GtkWidget *title = gtk_widget_get_first_child (gtk_check_button_get_child (GTK_CHECK_BUTTON (check)));
  GtkWidget *sentence = gtk_widget_get_next_sibling (title);
  const char *text = attn_example_item_get_text (item);
  gboolean has_text = text != NULL && *text != '\0';
  g_autoptr(PangoAttrList) breaks = title_attributes (attn_example_item_get_title (item));

  gtk_label_set_text (GTK_LABEL (title), attn_example_item_get_title (item));
  gtk_label_set_attributes (GTK_LABEL (title), breaks);
  attn_label_set_user_text (GTK_LABEL (sentence), text);
  gtk_widget_set_tooltip_text (sentence, has_text ? gtk_label_get_text (GTK_LABEL (sentence)) : NULL);
  gtk_widget_set_visible (sentence, has_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  attn_example_item_get_title (item), -1);
  show_row_state (self, check);
  g_ptr_array_add (self->rows, check);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               AttnCompareWindow        *self)
{
  g_ptr_array_remove_fast (self->rows, gtk_list_item_get_child (list_item));
}

/* The search above the list hides the examples it does not match (checked
 * ones stay, so what is compared stays in view; unchecking one the search does
 * not match leaves it in view until the search changes) */
static void
search_changed_cb (GtkSearchEntry    *entry,
                   AttnCompareWindow *self)
{
  g_free (self->query);
  self->query = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_widget_set_visible (self->no_match_label,
                          g_list_model_get_n_items (G_LIST_MODEL (self->shown)) == 0);
}

/* Enter in the search ticks the example it matches, as Space on its row
 * would (or unticks it), and it alone: the first whose names hold the
 * words, else the first whose text does, as Enter in the picker chooses
 * (Enter did nothing: "trophy big" showed trophy-big, and left it
 * unticked). What was typed is searched first: Enter may come within the
 * entry's delay. */
static void
search_activate_cb (GtkSearchEntry    *entry,
                    AttnCompareWindow *self)
{
  g_autoptr(AttnExampleItem) item = NULL;
  guint row, position;
  gboolean checked;

  if (g_strcmp0 (self->query, gtk_editable_get_text (GTK_EDITABLE (entry))) != 0)
    search_changed_cb (entry, self);
  row = attn_example_items_find_match (G_LIST_MODEL (self->shown), self->query);
  if (row == GTK_INVALID_LIST_POSITION)
    return;
  item = g_list_model_get_item (G_LIST_MODEL (self->shown), row);
  position = item_position (self, item);
  checked = !gtk_bitset_contains (self->checked, position);
  /* a fifth is refused, as its row is */
  if (checked && attn_compare_window_get_n_checked (self) >= MAX_COMPARED)
    {
      gtk_widget_error_bell (GTK_WIDGET (entry));
      return;
    }
  set_checked (self, position, checked);
  update_figure (self);
  gtk_widget_activate_action (self->list_view, "list.scroll-to-item", "u", row);
}

/* Escape in the search clears it */
static void
stop_search_cb (GtkSearchEntry    *entry,
                AttnCompareWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
method_selected_cb (GtkDropDown       *dropdown,
                    GParamSpec        *pspec,
                    AttnCompareWindow *self)
{
  update_figure (self);
}

static void
settings_changed_cb (GSettings         *settings,
                     const char        *key,
                     AttnCompareWindow *self)
{
  static const char * const keys[] = {
    "weights", "residual", "head-mix", "heads", "heatmap-all-weights",
    "layer-min", "layer-max", "colormap", "exclude-special",
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (key, keys[i]))
      {
        update_figure (self);
        return;
      }
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AttnCompareWindow) self = user_data;

  attn_show_figure_saved (result, self->toast_overlay, NULL);
}

/**
 * attn_compare_window_save:
 * @file: where to save; PNG, SVG or PDF by its extension
 *
 * Saves the comparison, laid out at the view's size as on screen, in the
 * background (Save); the result is a toast.
 */
void
attn_compare_window_save (AttnCompareWindow *self,
                          GFile             *file)
{
  g_auto(Comparison) comparison = { NULL, };

  g_return_if_fail (ATTN_IS_COMPARE_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!attn_check_figure_file (file, self->toast_overlay, NULL))
    return;
  comparison_init (&comparison, self, TRUE);
  attn_figure_build_and_save_async ((AttnFigureInput *) comparison.inputs->data,
                                    comparison.inputs->len, &comparison.settings, &comparison.style,
                                    gtk_widget_get_width (GTK_WIDGET (self->figure_view)),
                                    gtk_widget_get_height (GTK_WIDGET (self->figure_view)), file,
                                    attn_png_scale (self->settings), NULL, saved_cb, g_object_ref (self));
}

static void
save_chosen_cb (GFile   *file,
                GObject *owner)
{
  attn_compare_window_save (ATTN_COMPARE_WINDOW (owner), file);
}

/**
 * attn_compare_window_get_file_name:
 *
 * Returns: (transfer full): the name Save suggests for the comparison as
 *   PNG: the ids compared, their model, the method and the weights
 *   (attn_batch_compare_file_name())
 */
char *
attn_compare_window_get_file_name (AttnCompareWindow *self)
{
  g_auto(Comparison) comparison = { NULL, };
  g_autofree AttnExample **examples = NULL;

  g_return_val_if_fail (ATTN_IS_COMPARE_WINDOW (self), NULL);

  comparison_init (&comparison, self, TRUE);
  examples = g_new (AttnExample *, MAX (comparison.inputs->len, 1));
  for (guint i = 0; i < comparison.inputs->len; i++)
    examples[i] = g_array_index (comparison.inputs, AttnFigureInput, i).example;
  return attn_batch_compare_file_name (examples, comparison.inputs->len, &comparison.settings,
                                       ATTN_EXPORT_PNG);
}

/* Save… and Ctrl+S */
static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AttnCompareWindow *self = ATTN_COMPARE_WINDOW (widget);
  g_autofree char *name = attn_compare_window_get_file_name (self);

  attn_choose_save_file (GTK_WINDOW (self), _("Save Comparison"), name, TRUE,
                         save_chosen_cb, G_OBJECT (self));
}

static void
attn_compare_window_dispose (GObject *object)
{
  AttnCompareWindow *self = ATTN_COMPARE_WINDOW (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  attn_cancel_and_clear (&self->cancellable);
  g_clear_handle_id (&self->computing_id, g_source_remove);
  attn_window_detach_tooltip (GTK_WINDOW (self));

  G_OBJECT_CLASS (attn_compare_window_parent_class)->dispose (object);
  /* the rows went with the list */
  g_ptr_array_set_size (self->rows, 0);
}

static void
attn_compare_window_finalize (GObject *object)
{
  AttnCompareWindow *self = ATTN_COMPARE_WINDOW (object);

  g_ptr_array_unref (self->rows);
  g_clear_object (&self->shown);
  g_clear_object (&self->filter);
  g_clear_object (&self->items);
  g_clear_pointer (&self->offsets, g_hash_table_unref);
  gtk_bitset_unref (self->checked);
  g_array_unref (self->order);
  g_free (self->query);
  g_clear_pointer (&self->figure, attn_figure_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (attn_compare_window_parent_class)->finalize (object);
}

/* Ctrl+1 to 4: the methods of the menu, as Ctrl+1 to 3 in the main window */
static void
method_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_drop_down_set_selected (ATTN_COMPARE_WINDOW (widget)->method_dropdown, (guint) g_variant_get_int32 (parameter));
}

/* While a comparison is computed, the values of the one before are not
 * copied or saved (the figure may still be on screen, or gone under
 * “Computing the comparison…”): TRUE then, and a toast says so */
static gboolean
values_pending (AttnCompareWindow *self)
{
  if (!self->busy)
    return FALSE;
  attn_show_toast (self->toast_overlay, NULL,
                   _("The comparison is still being computed: its values are ready once it is shown"));
  return TRUE;
}

/* The comparison's values, a row per cell */
static void
copy_values_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AttnCompareWindow *self = ATTN_COMPARE_WINDOW (widget);

  if (!values_pending (self))
    attn_copy_figure_values (widget, self->figure, self->toast_overlay, NULL, "compare.save-values");
}

static void
save_values_chosen_cb (GFile   *file,
                       GObject *owner)
{
  AttnCompareWindow *self = ATTN_COMPARE_WINDOW (owner);

  if (!values_pending (self))
    attn_save_figure_values (file, self->figure, self->toast_overlay, NULL);
}

/* Escape: clears a search typed while the focus was elsewhere (the window
 * closed with it), else closes the window */
static void
escape_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AttnCompareWindow *self = ATTN_COMPARE_WINDOW (widget);
  GtkEditable *search = GTK_EDITABLE (self->search_entry);

  if (gtk_editable_get_text (search)[0] != '\0')
    gtk_editable_set_text (search, "");
  else
    gtk_window_close (GTK_WINDOW (self));
}

/* Ctrl+F: to the search (typing anywhere else in the window starts one too) */
static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_widget_grab_focus (ATTN_COMPARE_WINDOW (widget)->search_entry);
}

/* The comparison's values as a file: too many for the clipboard */
static void
save_values_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AttnCompareWindow *self = ATTN_COMPARE_WINDOW (widget);
  g_autofree char *figure_name = NULL;

  if (values_pending (self))
    return;
  figure_name = attn_compare_window_get_file_name (self);
  attn_choose_values_file (GTK_WINDOW (self), _("Save Comparison Values"), figure_name, save_values_chosen_cb,
                           G_OBJECT (self));
}

static void
attn_compare_window_class_init (AttnCompareWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_compare_window_dispose;
  object_class->finalize = attn_compare_window_finalize;

  gtk_widget_class_install_action (widget_class, "compare.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "compare.save", NULL);
  gtk_widget_class_install_action (widget_class, "compare.copy-values", NULL, copy_values_action);
  gtk_widget_class_install_action (widget_class, "compare.save-values", NULL, save_values_action);
  gtk_widget_class_install_action (widget_class, "compare.method", "i", method_action);
  for (int m = 0; m <= ATTN_N_METHODS; m++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + m, GDK_CONTROL_MASK, "compare.method", "i", m);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "compare.copy-values", NULL);
  gtk_widget_class_install_action (widget_class, "compare.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "compare.search", NULL);
  gtk_widget_class_install_action (widget_class, "compare.escape", NULL, escape_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "compare.escape", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

/* The side: the search over the list of examples. The comparison's note (no
 * difference heatmap, and why) is the figure's, under it and in the files
 * saved: a copy of it here said it twice. */
static GtkWidget *
side_new (AttnCompareWindow *self)
{
  GtkWidget *side, *label, *scrolled;
  GtkEventController *controller;
  GtkListItemFactory *factory;

  side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (side, 12);
  gtk_widget_set_margin_end (side, 12);
  gtk_widget_set_margin_top (side, 12);
  gtk_widget_set_margin_bottom (side, 12);
  label = gtk_label_new (_("Examples (two to four)"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (side), label);
  self->search_entry = attn_example_search_entry_new ();
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect (self->search_entry, "activate", G_CALLBACK (search_activate_cb), self);
  g_signal_connect (self->search_entry, "stop-search", G_CALLBACK (stop_search_cb), self);
  gtk_search_entry_set_key_capture_widget (GTK_SEARCH_ENTRY (self->search_entry), GTK_WIDGET (self));
  gtk_box_append (GTK_BOX (side), self->search_entry);
  self->no_match_label = gtk_label_new (_("No example matches the search"));
  gtk_widget_add_css_class (self->no_match_label, "dim-label");
  gtk_widget_set_visible (self->no_match_label, FALSE);
  gtk_box_append (GTK_BOX (side), self->no_match_label);

  /* rows are made for the examples in view only: a file may hold thousands */
  self->filter = gtk_custom_filter_new (filter_cb, self, NULL);
  self->shown = gtk_filter_list_model_new (NULL, GTK_FILTER (g_object_ref (self->filter)));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (unbind_row_cb), self);
  self->list_view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (
                                         G_LIST_MODEL (g_object_ref (self->shown)))), factory);
  gtk_widget_set_name (self->list_view, "examples");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Examples"), -1);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (list_tab_cb), NULL);
  gtk_widget_add_controller (self->list_view, controller);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_widget_set_size_request (scrolled, 220, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->list_view);
  gtk_box_append (GTK_BOX (side), scrolled);
  return side;
}

static void
attn_compare_window_init (AttnCompareWindow *self)
{
  GtkWidget *box, *header, *paned, *side, *content, *save_button;
  g_autoptr(GtkStringList) methods = NULL;

  self->computing_ms = COMPARE_COMPUTING_MS;
  self->settings = g_settings_new (APP_ID);
  self->checked = gtk_bitset_new_empty ();
  self->order = g_array_new (FALSE, FALSE, sizeof (guint));
  self->rows = g_ptr_array_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Compare Examples"));
  gtk_window_set_default_size (GTK_WINDOW (self), 1200, 760);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);

  /* the methods as the rest of the app names them, in sentence case */
  methods = gtk_string_list_new ((const char *[]) {
    attn_method_get_label (ATTN_METHOD_RAW), attn_method_get_label (ATTN_METHOD_ROLLOUT),
    attn_method_get_label (ATTN_METHOD_FLOW), _("All three methods"), NULL });
  self->method_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (methods)), NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->method_dropdown), _("Method (Ctrl+1 to 4)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->method_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Method"), -1);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), GTK_WIDGET (self->method_dropdown));

  save_button = gtk_button_new_with_mnemonic (_("_Save…"));
  gtk_widget_set_tooltip_text (save_button, _("Save the comparison as PNG, SVG or PDF"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (save_button), "compare.save");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save_button);

  self->toast_overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->toast_overlay), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->toast_overlay));

  paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_resize_start_child (GTK_PANED (paned), FALSE);
  adw_toast_overlay_set_child (self->toast_overlay, paned);

  side = side_new (self);
  gtk_paned_set_start_child (GTK_PANED (paned), side);

  content = attn_figure_view_new ();
  self->figure_view = ATTN_FIGURE_VIEW (content);
  gtk_widget_set_hexpand (content, TRUE);
  gtk_widget_set_vexpand (content, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (content),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Comparison"), -1);
  gtk_paned_set_end_child (GTK_PANED (paned), content);

  adw_window_set_content (ADW_WINDOW (self), box);
  attn_hide_tooltips_of_open_lists (GTK_WIDGET (self));
}

/**
 * attn_compare_window_new:
 * @documents: (element-type AttnDocument): the open documents
 * @current: the index of the example shown in the main window, over all
 *   documents' examples; it and its partner start checked (the other
 *   sentence of its minimal pair: attn_examples_find_partner())
 *
 * Returns: (transfer none): the new window
 */
GtkWindow *
attn_compare_window_new (GtkWindow  *parent,
                         GPtrArray  *documents,
                         guint       current,
                         AttnMethod  method)
{
  AttnCompareWindow *self = g_object_new (ATTN_TYPE_COMPARE_WINDOW,
                                          "transient-for", parent,
                                          NULL);
  guint n, offset = 0;

  if (parent != NULL)
    attn_window_join_parent (GTK_WINDOW (self), parent);
  self->items = attn_example_items_new (documents);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  self->offsets = g_hash_table_new (NULL, NULL);
  for (guint d = 0; d < documents->len; d++)
    {
      AttnDocument *document = g_ptr_array_index (documents, d);

      g_hash_table_insert (self->offsets, document, GUINT_TO_POINTER (offset));
      offset += attn_document_get_n_examples (document);
    }
  if (current < n)
    {
      g_autoptr(GPtrArray) examples = g_ptr_array_new ();
      int partner;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(AttnExampleItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

          g_ptr_array_add (examples, attn_document_get_example (attn_example_item_get_document (item),
                                                                attn_example_item_get_index (item)));
        }
      partner = attn_examples_find_partner ((AttnExample * const *) examples->pdata, n, current);
      /* no example of as many layers: the next one, whose figure says why it cannot be */
      if (partner < 0 && n >= 2)
        partner = current + 1 < n ? (int) current + 1 : (int) current - 1;
      /* the two in the list's order */
      if (partner >= 0 && (guint) partner < current)
        set_checked (self, partner, TRUE);
      set_checked (self, current, TRUE);
      if (partner >= 0)
        set_checked (self, partner, TRUE);
    }
  gtk_filter_list_model_set_model (self->shown, G_LIST_MODEL (self->items));
  if (current < n)
    gtk_widget_activate_action (self->list_view, "list.scroll-to-item", "u", current);

  gtk_drop_down_set_selected (self->method_dropdown, method);
  g_signal_connect (self->method_dropdown, "notify::selected", G_CALLBACK (method_selected_cb), self);
  g_signal_connect (self->settings, "changed", G_CALLBACK (settings_changed_cb), self);
  update_figure (self);
  return GTK_WINDOW (self);
}

/**
 * attn_compare_window_set_checked:
 * @index: an example's position over all documents' examples
 *
 * As toggling its row (in view or not)
 */
void
attn_compare_window_set_checked (AttnCompareWindow *self,
                                 guint              index,
                                 gboolean           checked)
{
  g_return_if_fail (ATTN_IS_COMPARE_WINDOW (self));
  g_return_if_fail (index < g_list_model_get_n_items (G_LIST_MODEL (self->items)));

  if (gtk_bitset_contains (self->checked, index) == checked)
    return;
  set_checked (self, index, checked);
  update_figure (self);
}

gboolean
attn_compare_window_get_checked (AttnCompareWindow *self,
                                 guint              index)
{
  g_return_val_if_fail (ATTN_IS_COMPARE_WINDOW (self), FALSE);

  return gtk_bitset_contains (self->checked, index);
}

guint
attn_compare_window_get_n_checked (AttnCompareWindow *self)
{
  g_return_val_if_fail (ATTN_IS_COMPARE_WINDOW (self), 0);

  return gtk_bitset_get_size (self->checked);
}

/**
 * attn_compare_window_get_shown:
 *
 * Returns: (transfer none): the #AttnExampleItem the list shows: those the
 *   search matches, and the checked ones
 */
GListModel *
attn_compare_window_get_shown (AttnCompareWindow *self)
{
  g_return_val_if_fail (ATTN_IS_COMPARE_WINDOW (self), NULL);

  return G_LIST_MODEL (self->shown);
}

/**
 * attn_compare_window_get_figure:
 *
 * Returns: (transfer none) (nullable): the figure shown
 */
AttnFigure *
attn_compare_window_get_figure (AttnCompareWindow *self)
{
  g_return_val_if_fail (ATTN_IS_COMPARE_WINDOW (self), NULL);

  return self->figure;
}

gboolean
attn_compare_window_is_busy (AttnCompareWindow *self)
{
  g_return_val_if_fail (ATTN_IS_COMPARE_WINDOW (self), FALSE);

  return self->busy;
}

/* Test hooks (attn-compare-window-private.h) */

/* how long a comparison is computed before the view says so, in ms */
void
_attn_compare_window_set_computing_delay (AttnCompareWindow *self,
                                          guint              ms)
{
  self->computing_ms = ms;
}

/* the text the view shows instead of the figure, or NULL */
const char *
_attn_compare_window_get_message (AttnCompareWindow *self)
{
  return _attn_figure_view_get_message (self->figure_view);
}
