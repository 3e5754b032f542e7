/* attn-window-settings.c: the side panel (method settings, layers, colours)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every setting lives in GSettings; the panel edits it, and a change reaches
 * the session (graph settings) or the views (colours, layers, decluttering).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "attn-choice-list.h"
#include "attn-field-error.h"
#include "attn-wheel.h"
#include "attn-window-private.h"

static void
set_heads_error (AttnWindow *self,
                 const char *message)
{
  GtkWidget *entry = GTK_WIDGET (self->heads_entry);

  attn_show_field_error (entry, self->heads_error, message);
  gtk_widget_set_tooltip_text (entry, message != NULL ? message
                                      : gtk_widget_get_sensitive (entry)
                                      ? _("The 0-based heads to mix, such as 0,3,5 or 0-5, or “all”")
                                      /* translators: the heads entry, greyed out */
                                      : _("These weights were given without heads: the graph takes them as they are, and the heads listed wait for weights with heads"));
}

/* The weights @example shows: the chosen kind when it carries it, else its
 * attention (the choice stays for the examples that carry it) */
static AttnWeightKind
weights_for (AttnWindow  *self,
             AttnExample *example)
{
  AttnWeightKind weights = g_settings_get_enum (self->settings, "weights");

  if (weights >= ATTN_N_WEIGHT_KINDS ||
      (example != NULL && !attn_example_has_weights (example, weights)))
    return ATTN_WEIGHT_KIND_ATTENTION;
  return weights;
}

/* Whether the weights @example shows were given without heads ([L][n][n]):
 * there are no heads to choose, and the heads chosen wait for weights with
 * heads */
static gboolean
shows_no_heads (AttnWindow  *self,
                AttnExample *example)
{
  return example != NULL && !attn_heads_apply_to (example, weights_for (self, example));
}

/* The graph settings of @heads for @example, or %NULL with @error set when
 * the heads are no list of the heads of @example's weights (@check) */
static AttnGraphSettings *
graph_settings_new (AttnWindow   *self,
                    AttnExample  *example,
                    const char   *heads,
                    gboolean      check,
                    GError      **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (heads));
  g_autoptr(AttnGraphSettings) settings =
    attn_graph_settings_new_for_weights (weights_for (self, example),
                                         g_settings_get_double (self->settings, "residual"),
                                         g_settings_get_enum (self->settings, "head-mix"), stripped,
                                         error);

  if (settings == NULL ||
      (check && example != NULL && !attn_graph_settings_check_example (settings, example, error)))
    return NULL;
  return g_steal_pointer (&settings);
}

/* The heads entry says "all" in the user's language ("전체"), as the
 * captions do, and takes that word, "all" or nothing for every head */
static const char *
heads_shown (const char *heads)
{
  return g_strcmp0 (heads, "all") == 0 ? C_("heads", "all") : heads;
}

/* @text, stripped: "all" for every head, else as typed */
static char *
heads_typed (const char *text)
{
  g_autofree char *typed = g_strstrip (g_strdup (text));
  g_autofree char *folded = g_utf8_casefold (typed, -1);
  g_autofree char *word = g_utf8_casefold (C_("heads", "all"), -1);

  if (*typed == '\0' || g_str_equal (folded, word) || g_ascii_strcasecmp (typed, "all") == 0)
    return g_strdup ("all");
  return g_steal_pointer (&typed);
}

/* The heads entry shows @heads, the heads in force, but not over what the
 * user is typing: a list that was refused is not left standing once another
 * example is shown */
static void
show_heads (AttnWindow *self,
            const char *heads)
{
  GtkWidget *entry = GTK_WIDGET (self->heads_entry);

  heads = heads_shown (heads);
  if (g_strcmp0 (heads, gtk_editable_get_text (GTK_EDITABLE (entry))) == 0 ||
      gtk_widget_has_focus (entry) || gtk_widget_is_focus (entry))
    return;
  self->updating_widgets = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (entry), heads);
  self->updating_widgets = FALSE;
}

/**
 * _attn_window_graph_settings_for:
 * @example: (nullable): the example they are for
 *
 * Returns: (transfer full): the graph settings of GSettings for @example;
 *   every head, and the heads entry marked, when the heads do not fit it
 */
AttnGraphSettings *
_attn_window_graph_settings_for (AttnWindow  *self,
                                 AttnExample *example)
{
  g_autofree char *heads = g_settings_get_string (self->settings, "heads");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  AttnGraphSettings *settings;

  if (example != NULL)
    g_ptr_array_add (shown, example);
  settings = graph_settings_new (self, example,
                                 attn_heads_for_examples (heads, weights_for (self, example), shown),
                                 TRUE, &error);

  show_heads (self, heads);
  set_heads_error (self, settings ? NULL : error->message);
  if (settings == NULL)
    settings = graph_settings_new (self, example, "all", FALSE, NULL);
  return settings;
}

/* The Weights selector offers the kinds the example carries; α's control
 * says when the weights shown contain the residual */
static void
update_weights_widgets (AttnWindow *self)
{
  AttnExample *example = attn_session_get_example (self->session);
  AttnWeightKind shown = attn_graph_settings_get_weights (attn_session_get_settings (self->session));
  AttnWeightKind offered[ATTN_N_WEIGHT_KINDS];
  guint n_offered = 0, selected = 0;

  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    if (k == ATTN_WEIGHT_KIND_ATTENTION || (example != NULL && attn_example_has_weights (example, k)))
      {
        if (k == shown)
          selected = n_offered;
        offered[n_offered++] = k;
      }

  self->updating_widgets = TRUE;
  /* a new list only for other kinds: this may run while the list's
   * selection changes (a choice in the list applies at once) */
  if (n_offered != self->n_offered_weights ||
      memcmp (offered, self->offered_weights, n_offered * sizeof *offered) != 0 ||
      gtk_drop_down_get_model (self->weights_dropdown) == NULL)
    {
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

      for (guint i = 0; i < n_offered; i++)
        gtk_string_list_append (labels, attn_weight_kind_get_label (offered[i]));
      memcpy (self->offered_weights, offered, n_offered * sizeof *offered);
      self->n_offered_weights = n_offered;
      gtk_drop_down_set_model (self->weights_dropdown, G_LIST_MODEL (labels));
    }
  if (gtk_drop_down_get_selected (self->weights_dropdown) != selected)
    gtk_drop_down_set_selected (self->weights_dropdown, selected);
  self->updating_widgets = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->weights_dropdown), self->n_offered_weights > 1);
  /* greyed out, it says why */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->weights_dropdown),
                               self->n_offered_weights > 1
                               ? _("Weights: what the graph’s edges weigh, the attention or one of the example’s contributions (Ctrl+Shift+Page Down, Ctrl+Shift+Page Up)")
                               : _("This example carries attention weights only"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.weights-step", self->n_offered_weights > 1);

  gtk_widget_set_sensitive (GTK_WIDGET (self->all_weights_check), self->n_offered_weights > 1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->all_weights_check),
                               self->n_offered_weights > 1
                               ? _("Show the method under every weight kind the example carries side by side in the heatmap")
                               : _("This example carries attention weights only"));

  _attn_window_update_residual (self);
}

static void
apply_settings (AttnWindow *self)
{
  AttnExample *example = attn_session_get_example (self->session);
  g_autoptr(AttnGraphSettings) settings = _attn_window_graph_settings_for (self, example);

  attn_session_set_settings (self->session, settings);
}

static void apply_heads_entry (AttnWindow *self);

/**
 * _attn_window_set_weights:
 * @weights: what the graph's edges are to weigh
 *
 * Chooses @weights (kept in GSettings): the example shows them when it
 * carries them, else its attention.
 */
void
_attn_window_set_weights (AttnWindow     *self,
                          AttnWeightKind  weights)
{
  GtkEditable *entry = GTK_EDITABLE (self->heads_entry);
  /* a list of heads refused for the weights shown is tried again for the
   * new ones, not replaced by the heads in force; weights without heads
   * show the heads in force, greyed out */
  g_autofree char *refused = gtk_widget_has_css_class (GTK_WIDGET (entry), "error")
                             ? g_strdup (gtk_editable_get_text (entry)) : NULL;

  g_settings_set_enum (self->settings, "weights", weights);
  if (refused == NULL || shows_no_heads (self, attn_session_get_example (self->session)))
    return;
  self->updating_widgets = TRUE;
  gtk_editable_set_text (entry, refused);
  self->updating_widgets = FALSE;
  apply_heads_entry (self);
}

static void
weights_selected_cb (GtkDropDown *dropdown,
                     GParamSpec  *pspec,
                     AttnWindow  *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->updating_widgets || selected >= self->n_offered_weights)
    return;
  _attn_window_set_weights (self, self->offered_weights[selected]);
}

static void
session_settings_changed_cb (AttnSession *session,
                             GParamSpec  *pspec,
                             AttnWindow  *self)
{
  update_weights_widgets (self);
}


/* The heads entry applies what it holds on Enter or when it loses the focus,
 * never half-typed text: a list that does not fit the example is shown as an
 * error and not applied. */
static void
apply_heads_entry (AttnWindow *self)
{
  GtkEditable *entry = GTK_EDITABLE (self->heads_entry);
  g_autoptr(AttnGraphSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *current = NULL;

  if (self->session == NULL || entry == NULL)
    return; /* the window is going */
  if (shows_no_heads (self, attn_session_get_example (self->session)))
    return; /* greyed out: the heads wait for weights with heads */
  text = heads_typed (gtk_editable_get_text (entry));
  current = g_settings_get_string (self->settings, "heads");
  settings = graph_settings_new (self, attn_session_get_example (self->session), text, TRUE, &error);
  set_heads_error (self, settings ? NULL : error->message);
  if (settings == NULL)
    return;

  if (g_strcmp0 (gtk_editable_get_text (entry), heads_shown (text)) != 0)
    {
      self->updating_widgets = TRUE;
      gtk_editable_set_text (entry, heads_shown (text));
      self->updating_widgets = FALSE;
    }
  if (g_strcmp0 (current, text) != 0)
    g_settings_set_string (self->settings, "heads", text);
  else
    attn_session_set_settings (self->session, settings);
}

static void
heads_activate_cb (GtkEntry   *entry,
                   AttnWindow *self)
{
  apply_heads_entry (self);
}

static void
heads_focus_leave_cb (GtkEventControllerFocus *controller,
                      AttnWindow              *self)
{
  apply_heads_entry (self);
}

/* While typing: an error shown earlier goes as soon as the text is a valid
 * list; nothing is applied. */
static void
heads_changed_cb (GtkEditable *editable,
                  AttnWindow  *self)
{
  g_autofree char *text = NULL;
  g_autoptr(AttnGraphSettings) settings = NULL;

  if (self->updating_widgets || self->session == NULL ||
      !gtk_widget_has_css_class (GTK_WIDGET (editable), "error"))
    return;
  text = heads_typed (gtk_editable_get_text (editable));
  settings = graph_settings_new (self, attn_session_get_example (self->session), text, TRUE, NULL);
  if (settings != NULL)
    set_heads_error (self, NULL);
}

/* @widget, about to be greyed out, gives the keyboard focus to the graph
 * (greyed with it, GTK warned that its text "did not receive a focus-out
 * event") */
static void
give_up_focus (AttnWindow *self,
               GtkWidget  *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget)))
    gtk_widget_grab_focus (GTK_WIDGET (self->graph_view));
}

/* α's tooltip: what it does, or why it is greyed out; none while the
 * window is going */
static const char *
residual_tooltip (gpointer data)
{
  AttnWindow *self = data;

  if (self->session == NULL)
    return NULL;
  return attn_session_get_method (self->session) != ATTN_METHOD_RAW || attn_session_get_all_methods (self->session)
         ? _("0.5 reproduces the paper; 0 leaves the residual connection out")
         : _("Raw attention has no residual step: α applies to rollout and flow");
}

/* α is the residual step of rollout and flow: raw attention has none, so
 * it is greyed out while only raw attention is shown. Head mixing and the
 * heads are greyed out for weights given without heads ([L][n][n]): nothing
 * to mix or choose. */
void
_attn_window_update_residual (AttnWindow *self)
{
  AttnWeightKind shown = attn_graph_settings_get_weights (attn_session_get_settings (self->session));
  AttnExample *example = attn_session_get_example (self->session);
  /* an example without the kind chosen shows its attention (attn_heads_apply_to()) */
  gboolean mixed = example != NULL && !attn_heads_apply_to (example, shown);
  gboolean applies = !attn_weight_kind_includes_residual (shown);
  gboolean used = attn_session_get_method (self->session) != ATTN_METHOD_RAW ||
                  attn_session_get_all_methods (self->session);

  /* one place decides: the method and the weights may each leave α unused;
   * its field gives up the keyboard focus first */
  if (!(used && applies))
    give_up_focus (self, GTK_WIDGET (self->residual_spin));
  if (mixed)
    give_up_focus (self, GTK_WIDGET (self->heads_entry));
  gtk_widget_set_sensitive (GTK_WIDGET (self->residual_spin), used && applies);
  gtk_widget_set_sensitive (self->residual_label, used && applies);
  if (!gtk_widget_has_css_class (GTK_WIDGET (self->residual_spin), "error"))
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->residual_spin), residual_tooltip (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->head_mix_dropdown), !mixed);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->head_mix_dropdown),
                               /* translators: the head mixing control, greyed out */
                               mixed ? _("These weights were given without heads: there is nothing to mix") : NULL);
  /* and so is the heads entry: the graph takes every head, and the heads
   * listed (GSettings' "heads", untouched) apply again to weights with heads */
  gtk_widget_set_sensitive (GTK_WIDGET (self->heads_entry), !mixed);
  if (!gtk_widget_has_css_class (GTK_WIDGET (self->heads_entry), "error"))
    set_heads_error (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->residual_note), !applies);
  if (!applies)
    {
      /* translators: %s is a weight kind such as "ALTI" */
      g_autofree char *note = g_strdup_printf (_("%s already contains the residual connection: α does not apply."),
                                               attn_weight_kind_get_label (shown));

      gtk_label_set_text (self->residual_note, note);
    }
}

void
_attn_window_update_layer_spins (AttnWindow *self)
{
  AttnExample *example = attn_session_get_example (self->session);
  guint L = MAX (example ? attn_example_get_n_layers (example) : 0, 1);
  guint first, last, sel_layer = 0;
  gboolean selected = attn_session_get_selection (self->session, &sel_layer, NULL, NULL);

  /* the range as chosen: the session clamps it to each model, and the
   * spins show what it shows */
  attn_session_set_layer_range (self->session, g_settings_get_uint (self->settings, "layer-min"),
                                g_settings_get_uint (self->settings, "layer-max"));
  attn_session_get_shown_layers (self->session, &first, &last);
  /* a selected node the range left below it was let go: said so, not only
   * gone from the graph */
  if (selected && !attn_session_get_selection (self->session, NULL, NULL, NULL))
    {
      /* translators: the selected node's layer, under the layers now shown */
      g_autofree char *text = g_strdup_printf (_("The selected node, at layer %u, is under the layers shown: no node is selected"),
                                               sel_layer);

      _attn_window_show_toast (self, text);
    }
  self->updating_widgets = TRUE;
  gtk_spin_button_set_range (self->first_layer_spin, 1, L);
  gtk_spin_button_set_range (self->last_layer_spin, 1, L);
  gtk_spin_button_set_value (self->first_layer_spin, first);
  gtk_spin_button_set_value (self->last_layer_spin, last);
  self->updating_widgets = FALSE;
}

static void
layer_spin_changed_cb (GtkSpinButton *spin,
                       AttnWindow    *self)
{
  AttnExample *example = attn_session_get_example (self->session);
  guint L = example ? attn_example_get_n_layers (example) : 0;
  guint first, last;

  if (self->updating_widgets)
    return;
  first = gtk_spin_button_get_value_as_int (self->first_layer_spin);
  last = gtk_spin_button_get_value_as_int (self->last_layer_spin);
  if (spin == self->first_layer_spin && last < first)
    last = first;
  if (spin == self->last_layer_spin && first > last)
    first = last;
  g_settings_set_uint (self->settings, "layer-min", first);
  /* a range up to the model's last layer is stored up to 0, so it follows
   * other models; not the last layer alone, which would grow into the layers
   * above it (6–6 of 6 layers became 6–12 of 12) */
  g_settings_set_uint (self->settings, "layer-max", last >= L && (first < last || L == 1) ? 0 : last);
}

static void
head_mix_selected_cb (GtkDropDown *dropdown,
                      GParamSpec  *pspec,
                      AttnWindow  *self)
{
  if (!self->updating_widgets)
    g_settings_set_enum (self->settings, "head-mix", gtk_drop_down_get_selected (dropdown));
}

/* The label under @widget that shows @text: the drop-down button's */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *label = find_label (child, text);

      if (label != NULL)
        return label;
    }
  return NULL;
}

static int
text_width (GtkWidget  *label,
            const char *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (label, text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

/* A drop-down of strings is as wide as its selected item; this makes it as
 * wide as its widest, so that choosing another item does not resize the
 * side panel and re-lay out the graph */
static void
fit_widest_item_cb (GtkWidget *widget)
{
  GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (widget));
  gpointer selected = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (widget));
  GtkWidget *label;
  int widest = 0, min;

  if (!GTK_IS_STRING_OBJECT (selected) ||
      !(label = find_label (widget, gtk_string_object_get_string (selected))))
    return;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      widest = MAX (widest, text_width (label, gtk_string_object_get_string (item)));
    }
  gtk_widget_set_size_request (widget, -1, -1);
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  gtk_widget_set_size_request (widget, min - text_width (label, gtk_label_get_text (GTK_LABEL (label))) + widest, -1);
}

static void
color_scale_selected_cb (GtkDropDown *dropdown,
                         GParamSpec  *pspec,
                         AttnWindow  *self)
{
  if (!self->updating_widgets && gtk_drop_down_get_selected (dropdown) <= ATTN_COLOR_SCALE_GLOBAL)
    g_settings_set_enum (self->settings, "color-scale", gtk_drop_down_get_selected (dropdown));
}

static void
settings_changed_cb (GSettings  *settings,
                     const char *key,
                     AttnWindow *self)
{
  if (g_str_equal (key, "colormap") || g_str_equal (key, "edge-threshold") ||
      g_str_equal (key, "top-k") || g_str_equal (key, "exclude-special"))
    {
      _attn_window_update_heatmap (self);
    }
  else if (g_str_equal (key, "heatmap-all-weights") || g_str_equal (key, "heatmap-all-methods"))
    {
      /* one or the other side by side */
      if (g_settings_get_boolean (settings, key))
        g_settings_set_boolean (settings, g_str_equal (key, "heatmap-all-weights")
                                          ? "heatmap-all-methods" : "heatmap-all-weights", FALSE);
    }
  else if (g_str_equal (key, "color-scale"))
    {
      self->updating_widgets = TRUE;
      gtk_drop_down_set_selected (self->color_scale_dropdown, g_settings_get_enum (settings, key));
      self->updating_widgets = FALSE;
    }
  else if (g_str_equal (key, "residual") || g_str_equal (key, "head-mix") ||
           g_str_equal (key, "weights"))
    {
      if (g_str_equal (key, "head-mix"))
        {
          self->updating_widgets = TRUE;
          gtk_drop_down_set_selected (self->head_mix_dropdown, g_settings_get_enum (settings, key));
          self->updating_widgets = FALSE;
        }
      apply_settings (self);
    }
  else if (g_str_equal (key, "heads"))
    {
      g_autofree char *text = g_settings_get_string (settings, key);

      show_heads (self, text);
      apply_settings (self);
    }
  else if (g_str_equal (key, "layer-min") || g_str_equal (key, "layer-max"))
    {
      _attn_window_update_layer_spins (self);
      _attn_window_update_heatmap (self);
    }
}

/* The panel shown or hidden: the key, which the panel follows */
static void
show_settings_change_state_cb (GSimpleAction *action,
                               GVariant      *state,
                               AttnWindow    *self)
{
  g_settings_set_value (self->settings, "show-settings", state);
}

/* The key changed (here, or in another window): the action says so */
static void
show_settings_changed_cb (GSettings     *settings,
                          const char    *key,
                          GSimpleAction *action)
{
  g_autoptr(GVariant) state = g_settings_get_value (settings, key);

  g_simple_action_set_state (action, state);
}

/* The side panel's toggle (win.show-settings, F9): the key "show-settings",
 * as g_settings_create_action() would make it, but an action that can be
 * disabled (_attn_window_update_actions(): there is no panel to show
 * without an example) */
static GAction *
show_settings_action_new (AttnWindow *self)
{
  g_autoptr(GVariant) state = g_settings_get_value (self->settings, "show-settings");
  GSimpleAction *action = g_simple_action_new_stateful ("show-settings", NULL, state);

  g_signal_connect_object (action, "change-state", G_CALLBACK (show_settings_change_state_cb), self, 0);
  g_signal_connect_object (self->settings, "changed::show-settings", G_CALLBACK (show_settings_changed_cb),
                           action, 0);
  return G_ACTION (action);
}

void
_attn_window_init_settings (AttnWindow *self)
{
  /* the maps of figures, as the schema lists them (not the difference heatmaps' diverging one) */
  g_auto(GStrv) colormaps = attn_settings_list_choices (self->settings, "colormap");
  g_autoptr(GtkStringList) colormap_list = gtk_string_list_new ((const char * const *) colormaps);
  g_autoptr(GAction) show_settings = show_settings_action_new (self);
  g_autofree char *heads = g_settings_get_string (self->settings, "heads");
  GtkEventController *focus;

  g_settings_bind (self->settings, "residual",
                   gtk_spin_button_get_adjustment (self->residual_spin), "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "edge-threshold",
                   gtk_range_get_adjustment (GTK_RANGE (self->threshold_scale)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "top-k",
                   gtk_spin_button_get_adjustment (self->top_k_spin), "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "exclude-special", self->exclude_special_check, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "heatmap-all-methods", self->all_methods_check, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "heatmap-all-methods", self->session, "all-methods",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "heatmap-all-weights", self->all_weights_check, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "heatmap-all-weights", self->session, "all-weights",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "exclude-special", self->session, "exclude-special",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "color-scale", self->session, "color-scale", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "colormap", self->graph_view, "colormap", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "edge-threshold", self->graph_view, "threshold",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "top-k", self->graph_view, "top-k", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "exclude-special", self->graph_view, "exclude-special",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "show-settings", self->side_panel, "visible", G_SETTINGS_BIND_GET);
  /* the wheel over the side panel scrolls the panel, as GtkScrolledWindow
   * would: it never changes the spin button or slider that passes under the
   * pointer, which would recompute the figure with an α or threshold nobody
   * chose */
  attn_scrolled_window_take_wheel (GTK_SCROLLED_WINDOW (self->side_panel), "attn-side-panel-wheel", FALSE);
  g_action_map_add_action (G_ACTION_MAP (self), show_settings);

  gtk_drop_down_set_selected (self->head_mix_dropdown, g_settings_get_enum (self->settings, "head-mix"));
  g_signal_connect (self->head_mix_dropdown, "notify::selected", G_CALLBACK (head_mix_selected_cb), self);
  gtk_drop_down_set_selected (self->color_scale_dropdown, g_settings_get_enum (self->settings, "color-scale"));
  g_signal_connect (self->color_scale_dropdown, "notify::selected", G_CALLBACK (color_scale_selected_cb), self);

  gtk_drop_down_set_model (self->colormap_dropdown, G_LIST_MODEL (colormap_list));
  attn_settings_bind_choice (self->settings, "colormap", self->colormap_dropdown, "selected",
                             (const char * const *) colormaps);
  g_signal_connect (self->head_mix_dropdown, "map", G_CALLBACK (fit_widest_item_cb), NULL);
  g_signal_connect (self->color_scale_dropdown, "map", G_CALLBACK (fit_widest_item_cb), NULL);
  g_signal_connect (self->colormap_dropdown, "map", G_CALLBACK (fit_widest_item_cb), NULL);

  self->updating_widgets = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->heads_entry), heads_shown (heads));
  self->updating_widgets = FALSE;
  g_signal_connect (self->heads_entry, "changed", G_CALLBACK (heads_changed_cb), self);
  g_signal_connect (self->heads_entry, "activate", G_CALLBACK (heads_activate_cb), self);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (heads_focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->heads_entry), focus);

  attn_residual_field_init (self->residual_spin, self->residual_error, residual_tooltip, self);

  g_signal_connect (self->first_layer_spin, "value-changed", G_CALLBACK (layer_spin_changed_cb), self);
  g_signal_connect (self->last_layer_spin, "value-changed", G_CALLBACK (layer_spin_changed_cb), self);

  /* the Weights selector's label in the header bar may shorten (the header
   * fits a 900-pixel window); its list shows them whole */
  attn_choice_drop_down_init (self->weights_dropdown);
  g_signal_connect (self->weights_dropdown, "notify::selected", G_CALLBACK (weights_selected_cb), self);
  g_signal_connect (self->session, "notify::settings", G_CALLBACK (session_settings_changed_cb), self);
  g_signal_connect (self->session, "notify::example", G_CALLBACK (session_settings_changed_cb), self);
  g_signal_connect (self->settings, "changed", G_CALLBACK (settings_changed_cb), self);
  apply_settings (self);
  update_weights_widgets (self);
}
