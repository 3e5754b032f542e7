/* attn-application.c: the application
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-application.h"
#include "attn-core.h"
#include "attn-gtk-util.h"
#include "attn-shortcuts.h"
#include "attn-preferences-window.h"
#include "attn-window.h"

struct _AttnApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (AttnApplication, attn_application, ADW_TYPE_APPLICATION)

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (app));

  /* close the windows, so they remember their size; one that asks first
   * (it is saving figures) stays, and the application with it. A
   * comparison or evaluation may have gone with its main window already */
  for (GList *l = windows; l != NULL; l = l->next)
    g_object_ref (l->data);
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);
  if (gtk_application_get_windows (app) == NULL)
    g_application_quit (G_APPLICATION (app));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *window = gtk_application_get_active_window (app);
  GtkWidget *about;
  const char *developers[] = { _("The attnflow authors"), NULL };
  g_autofree char *copyright = g_strdup_printf ("© 2026 %s", _("The attnflow authors"));

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "application-icon", APP_ID,
                        "application-name", _("Attention Flow"),
                        "developer-name", _("The attnflow authors"),
                        "version", PACKAGE_VERSION,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", copyright,
                        "comments", _("See where a transformer’s embeddings get their information: raw attention, attention rollout and attention flow on the layered attention graph."),
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        NULL);
  adw_about_window_add_acknowledgement_section (ADW_ABOUT_WINDOW (about),
    _("Method"),
    (const char *[]) {
      "Samira Abnar and Willem Zuidema, “Quantifying Attention Flow in Transformers”, ACL 2020 https://arxiv.org/abs/2005.00928",
      NULL });
  adw_about_window_add_link (ADW_ABOUT_WINDOW (about),
                             _("Quantifying Attention Flow in Transformers (arXiv:2005.00928)"),
                             "https://arxiv.org/abs/2005.00928");
  attn_dialog_refocus_on_hide (GTK_WINDOW (about));
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *window = gtk_application_get_active_window (app);

  /* Ctrl+, in the preferences: they are open */
  if (ATTN_IS_PREFERENCES_WINDOW (window))
    gtk_window_present (window);
  else
    gtk_window_present (attn_preferences_window_new (window));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
};

static AttnWindow *
new_window (AttnApplication *self)
{
  AttnWindow *window = attn_window_new (GTK_APPLICATION (self));
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));

  if (overlay != NULL)
    {
      attn_shortcuts_order_pages (GTK_WIDGET (overlay));
      attn_shortcuts_spell_key_names (GTK_WIDGET (overlay));
      attn_dialog_refocus_on_hide (GTK_WINDOW (overlay));
      attn_shortcuts_take_keyboard (GTK_WINDOW (overlay));
    }
  return window;
}

static void
attn_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      AttnWindow *new = new_window (ATTN_APPLICATION (app));

      attn_window_open_bundled (new);
      window = GTK_WINDOW (new);
    }
  gtk_window_present (window);
}

/* The main window used last: the comparisons, evaluations and preferences
 * are the application's windows too */
static GtkWindow *
get_main_window (GtkApplication *app)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (ATTN_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
attn_application_open (GApplication  *app,
                       GFile        **files,
                       int            n_files,
                       const char    *hint)
{
  GtkWindow *window = get_main_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (new_window (ATTN_APPLICATION (app)));
  /* one after the other: the examples in the order given, the first file's shown */
  attn_window_open_files (ATTN_WINDOW (window), files, (guint) n_files);
  gtk_window_present (window);
}

/* The app's icons from the data directory: data/icons in the source tree
 * (meson devenv), share/icons beside share/attnflow where installed */
static void
add_icon_paths (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_autofree char *datadir = attn_install_get_data_dir ();
  g_autofree char *share = g_path_get_dirname (datadir);
  g_autofree char *source_icons = g_build_filename (datadir, "icons", NULL);
  g_autofree char *installed_icons = g_build_filename (share, "icons", NULL);

  gtk_icon_theme_add_search_path (theme, source_icons);
  gtk_icon_theme_add_search_path (theme, installed_icons);
}

static void
attn_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *settings_accels[] = { "F9", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (attn_application_parent_class)->startup (app);

  add_icon_paths ();
  attn_wrap_tooltips_between_words ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-settings", settings_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay", help_accels);
}

static void
attn_application_class_init (AttnApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = attn_application_activate;
  app_class->open = attn_application_open;
  app_class->startup = attn_application_startup;
}

static void
attn_application_init (AttnApplication *self)
{
  /* translators: what follows the options in "Usage: attnflow [OPTION…] [FILE…]" */
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Open attention exports (.json); without a file, the bundled examples."));
}

AttnApplication *
attn_application_new (void)
{
  return g_object_new (ATTN_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/attnflow/AttnFlow",
                       NULL);
}

/**
 * attn_application_check_schema:
 *
 * Checks that the application's GSettings schema is installed, without
 * which GSettings would abort the program.
 *
 * Returns: %TRUE if it is; else %FALSE with @error saying what is missing
 *   and how to run the application
 */
gboolean
attn_application_check_schema (GError **error)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    return TRUE;

  /* translators: %s is the schema's id; keep the commands as they are */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("The settings schema “%s” is not installed. Install the application "
                 "(“meson install -C _build”), or run it from the build tree with "
                 "“meson devenv -C _build attnflow”."),
               APP_ID);
  return FALSE;
}
