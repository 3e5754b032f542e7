/* attn-preferences-window.c: the default settings
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-preferences-window.h"
#include "attn-choice-list.h"
#include "attn-field-error.h"
#include "attn-gtk-util.h"

struct _AttnPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwComboRow          *method_row;
  GtkSpinButton        *residual_spin;
  GtkLabel             *residual_error;       /* why the α typed is refused */
  AdwComboRow          *head_mix_row;
  AdwComboRow          *colormap_row;
  AdwComboRow          *color_scale_row;
  GtkSpinButton        *threshold_spin;
  GtkSpinButton        *top_k_spin;
  GtkSwitch            *exclude_special_switch;
  GtkSpinButton        *png_scale_spin;
};

G_DEFINE_FINAL_TYPE (AttnPreferencesWindow, attn_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char *method_nicks[] = { "raw", "rollout", "flow", NULL };
static const char *head_mix_nicks[] = { "mean", "max", NULL };
static const char *color_scale_nicks[] = { "per-layer", "global", NULL };

/* The keys the window shows, one a row: Reset to Defaults resets these
 * alone. The main window's own choices (the weights, All Methods, the heads
 * and layers), the evaluation's and the windows' sizes are not shown here,
 * and a reset from here left them changed without a word. */
static const char *shown_keys[] = {
  "default-method", "residual", "head-mix", "colormap", "color-scale",
  "edge-threshold", "top-k", "exclude-special", "png-scale", NULL,
};

static void
reset_clicked_cb (GtkButton             *button,
                  AttnPreferencesWindow *self)
{
  for (guint i = 0; shown_keys[i] != NULL; i++)
    g_settings_reset (self->settings, shown_keys[i]);
}

static void
attn_preferences_window_dispose (GObject *object)
{
  AttnPreferencesWindow *self = ATTN_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ATTN_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (attn_preferences_window_parent_class)->dispose (object);
}

static void
attn_preferences_window_class_init (AttnPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/attnflow/AttnFlow/ui/attn-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AttnPreferencesWindow, method_row);
  gtk_widget_class_bind_template_child (widget_class, AttnPreferencesWindow, residual_spin);
  gtk_widget_class_bind_template_child (widget_class, AttnPreferencesWindow, residual_error);
  gtk_widget_class_bind_template_child (widget_class, AttnPreferencesWindow, head_mix_row);
  gtk_widget_class_bind_template_child (widget_class, AttnPreferencesWindow, colormap_row);
  gtk_widget_class_bind_template_child (widget_class, AttnPreferencesWindow, color_scale_row);
  gtk_widget_class_bind_template_child (widget_class, AttnPreferencesWindow, threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, AttnPreferencesWindow, top_k_spin);
  gtk_widget_class_bind_template_child (widget_class, AttnPreferencesWindow, exclude_special_switch);
  gtk_widget_class_bind_template_child (widget_class, AttnPreferencesWindow, png_scale_spin);
  gtk_widget_class_bind_template_callback (widget_class, reset_clicked_cb);
}

static void
attn_preferences_window_init (AttnPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);

  attn_settings_bind_choice (self->settings, "default-method", self->method_row, "selected", method_nicks);
  attn_settings_bind_choice (self->settings, "head-mix", self->head_mix_row, "selected", head_mix_nicks);
  attn_settings_bind_choice (self->settings, "color-scale", self->color_scale_row, "selected",
                             color_scale_nicks);
  /* its choices whole, chosen or in the list: libadwaita's combo row cuts
   * them at 20 characters (“Each layer to its maxi…”) */
  {
    g_autoptr(GtkListItemFactory) factory = attn_choice_factory_new (NULL);
    g_autoptr(GtkListItemFactory) list_factory = attn_choice_factory_new (self->color_scale_row);

    adw_combo_row_set_factory (self->color_scale_row, factory);
    adw_combo_row_set_list_factory (self->color_scale_row, list_factory);
  }
  /* the colour maps as the schema lists them, as in the side panel */
  {
    g_auto(GStrv) colormaps = attn_settings_list_choices (self->settings, "colormap");
    g_autoptr(GtkStringList) list = gtk_string_list_new ((const char * const *) colormaps);

    adw_combo_row_set_model (self->colormap_row, G_LIST_MODEL (list));
    attn_settings_bind_choice (self->settings, "colormap", self->colormap_row, "selected",
                               (const char * const *) colormaps);
  }
  g_settings_bind (self->settings, "residual",
                   gtk_spin_button_get_adjustment (self->residual_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  /* what is typed and refused says why, as in the side panel */
  attn_residual_field_init (self->residual_spin, self->residual_error, NULL, NULL);
  attn_label_wrap_between_words (self->residual_error);
  g_settings_bind (self->settings, "edge-threshold",
                   gtk_spin_button_get_adjustment (self->threshold_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "top-k",
                   gtk_spin_button_get_adjustment (self->top_k_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "exclude-special", self->exclude_special_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "png-scale",
                   gtk_spin_button_get_adjustment (self->png_scale_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  attn_hide_tooltips_of_open_lists (GTK_WIDGET (self));
}

/**
 * attn_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 *
 * Returns: (transfer none): a new preferences window
 */
GtkWindow *
attn_preferences_window_new (GtkWindow *parent)
{
  GtkWindow *self = g_object_new (ATTN_TYPE_PREFERENCES_WINDOW,
                                  "transient-for", parent,
                                  "modal", parent != NULL,
                                  NULL);

  if (parent != NULL)
    attn_window_join_parent (self, parent);
  return self;
}
