/* attn-gtk-util.c: what the windows share: toasts, saving dialogs, a heatmap's
 * values copied or saved, labels, tooltips, focus rings, settings' choices
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "attn-export.h"
#include "attn-figure.h"
#include "attn-figure-style.h"
#include "attn-gtk-util.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

/* set on a GtkTooltip whose label attn_wrap_tooltips_between_words() has set */
#define TOOLTIP_WRAPPED "attn-tooltip-wrapped"

/**
 * attn_show_toast:
 * @last_message: (nullable): where the window keeps its last message (for
 *   the tests), or %NULL
 *
 * Shows @message, as plain text, in a toast for %ATTN_TOAST_SECONDS seconds.
 */
void
attn_show_toast (AdwToastOverlay  *overlay,
                 char            **last_message,
                 const char       *message)
{
  if (last_message != NULL)
    attn_set_string (last_message, message);
  attn_toast_show (overlay, attn_toast_new (message, ATTN_TOAST_SECONDS));
}

/* The most a copy puts on the clipboard. Larger, GTK hands it to an X11
 * client in increments (INCR); xclip gave up on 300 kB of values, and the
 * window hung for good in the close of GTK's clipboard stream */
#define CLIPBOARD_MAX_BYTES 250000

/**
 * attn_copy_figure_values:
 * @widget: the widget whose clipboard takes them
 * @figure: (nullable): the figure on screen
 * @overlay: the window's toasts
 * @last_message: (nullable): as for attn_show_toast()
 * @save_action: the action that saves them as a file instead
 *   (attn_save_figure_values()), the toast's button when they are too many
 *   for the clipboard
 *
 * Puts the values of @figure's heatmaps on the clipboard
 * (attn_figure_get_values_table()), tab-separated: pasted into a
 * spreadsheet or read by pandas.read_clipboard(); a toast says so.
 */
void
attn_copy_figure_values (GtkWidget        *widget,
                         const AttnFigure *figure,
                         AdwToastOverlay  *overlay,
                         char            **last_message,
                         const char       *save_action)
{
  g_autofree char *table = figure != NULL ? attn_figure_get_values_table (figure) : NULL;
  gsize length = table != NULL ? strlen (table) : 0;

  if (table == NULL)
    {
      attn_show_toast (overlay, last_message, _("No heatmap on screen to copy"));
      return;
    }
  if (length > CLIPBOARD_MAX_BYTES)
    {
      g_autofree char *size = g_format_size (length);
      /* translators: the size of the values, as “830.2 kB” */
      g_autofree char *message = g_strdup_printf (_("Too many values for the clipboard (%s)"), size);
      AdwToast *toast = attn_toast_new (message, ATTN_TOAST_DETAILS_SECONDS);

      adw_toast_set_button_label (toast, _("Save as File…"));
      adw_toast_set_action_name (toast, save_action);
      if (last_message != NULL)
        attn_set_string (last_message, message);
      attn_toast_show (overlay, toast);
      return;
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), table);
  /* a value not computed yet is the empty last field of its row */
  attn_show_toast (overlay, last_message,
                   strstr (table, "\t\n") != NULL
                   ? _("Values of the heatmap copied; the layers not computed yet are empty")
                   : _("Values of the heatmap copied"));
}

/**
 * attn_choose_values_file:
 * @parent: the window the dialog is modal to
 * @title: the dialog's title
 * @figure_name: the name Save suggests for the figure (“cat-mat-rollout-heatmap.png”)
 * @chosen: called with the file once the user accepts
 * @owner: passed to @chosen, kept alive while the dialog is open
 *
 * Asks where to save the values of a figure (attn_save_figure_values()),
 * suggesting the figure's name as a table's: “cat-mat-rollout-heatmap.tsv”.
 */
void
attn_choose_values_file (GtkWindow          *parent,
                         const char         *title,
                         const char         *figure_name,
                         AttnFileChosenFunc  chosen,
                         GObject            *owner)
{
  const char *dot = strrchr (figure_name, '.');
  g_autofree char *name = g_strdup_printf ("%.*s.tsv", dot != NULL ? (int) (dot - figure_name)
                                                                   : (int) strlen (figure_name),
                                           figure_name);

  attn_choose_save_file (parent, title, name, FALSE, chosen, owner);
}

static gboolean
write_table (GOutputStream  *stream,
             gpointer        table,
             GCancellable   *cancellable,
             GError        **error)
{
  return g_output_stream_write_all (stream, table, strlen (table), NULL, cancellable, error);
}

/**
 * attn_save_table:
 * @file: where to write
 * @table: a table's text (CSV, tab-separated values)
 * @overlay: the window's toasts
 * @last_message: (nullable): as for attn_show_toast()
 *
 * Writes @table to @file at once (a megabyte or two at the most) as figures
 * are saved (attn_file_save()): through a temporary file that replaces @file,
 * or what @file links to, when complete; a toast says where, or why not.
 */
void
attn_save_table (GFile            *file,
                 const char       *table,
                 AdwToastOverlay  *overlay,
                 char            **last_message)
{
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  attn_file_save (file, write_table, (gpointer) table, NULL, NULL, &error);
  message = attn_toast_save_message (file, error);
  attn_show_toast (overlay, last_message, message);
}

/**
 * attn_save_figure_values:
 * @file: where to write
 * @figure: (nullable): the figure on screen
 * @overlay: the window's toasts
 * @last_message: (nullable): as for attn_show_toast()
 *
 * Writes the values of @figure's heatmaps to @file, as Copy Heatmap Values
 * puts them on the clipboard; a toast says where, or why not.
 */
void
attn_save_figure_values (GFile            *file,
                         const AttnFigure *figure,
                         AdwToastOverlay  *overlay,
                         char            **last_message)
{
  g_autofree char *table = figure != NULL ? attn_figure_get_values_table (figure) : NULL;

  if (table == NULL)
    attn_show_toast (overlay, last_message, _("No heatmap on screen to save"));
  else
    attn_save_table (file, table, overlay, last_message);
}

#define ERROR_TOAST_KEY "attn-error-toast"

static void
error_toast_dismissed_cb (AdwToast        *toast,
                          AdwToastOverlay *overlay)
{
  if (g_object_get_data (G_OBJECT (overlay), ERROR_TOAST_KEY) == toast)
    g_object_set_data (G_OBJECT (overlay), ERROR_TOAST_KEY, NULL);
}

/**
 * attn_show_error_toast:
 * @last_message: (nullable): as for attn_show_toast()
 * @details: (nullable): what its Details button shows (see
 *   attn_toast_new_with_details())
 *
 * Shows @message as attn_show_toast() does, before any other toast (of
 * high priority, attn_toast_show()), in place of the error toast shown
 * before it (that toast says it now): an error the user is still reading
 * does not hide the next one behind it, and a stale one does not come back.
 */
void
attn_show_error_toast (AdwToastOverlay  *overlay,
                       char            **last_message,
                       const char       *message,
                       const char       *details)
{
  AdwToast *previous = g_object_get_data (G_OBJECT (overlay), ERROR_TOAST_KEY);
  AdwToast *toast;

  if (last_message != NULL)
    attn_set_string (last_message, message);
  if (previous != NULL)
    {
      attn_toast_update (previous, message, details, ATTN_TOAST_SECONDS);
      /* shown again for as long */
      attn_toast_show (overlay, g_object_ref (previous));
      return;
    }
  toast = attn_toast_new_with_details (message, details, ATTN_TOAST_SECONDS);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (overlay), ERROR_TOAST_KEY, g_object_ref (toast), g_object_unref);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (error_toast_dismissed_cb), overlay, 0);
  attn_toast_show (overlay, toast);
}

/**
 * attn_get_error_toast:
 *
 * Returns: (nullable) (transfer none): the error toast @overlay shows or is
 *   about to show, from attn_show_error_toast()
 */
AdwToast *
attn_get_error_toast (AdwToastOverlay *overlay)
{
  return g_object_get_data (G_OBJECT (overlay), ERROR_TOAST_KEY);
}

/**
 * attn_cancel_and_clear:
 * @cancellable: where the caller keeps the cancellable of its latest job
 *
 * Cancels that job, if there is one, and clears @cancellable (the job is
 * replaced, or its owner goes).
 */
void
attn_cancel_and_clear (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
}

/**
 * attn_set_string:
 * @field: a string the caller owns
 * @value: (nullable): its new value, copied
 *
 * Sets @field to a copy of @value unless it already holds that text (as
 * GLib 2.76's g_set_str(), which Debian 12's GLib lacks).
 *
 * Returns: whether @field changed
 */
gboolean
attn_set_string (char       **field,
                 const char  *value)
{
  char *copy;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  copy = g_strdup (value);
  g_free (*field);
  *field = copy;
  return TRUE;
}

/**
 * attn_check_figure_file:
 * @file: where a figure is to be saved
 * @overlay: the window's toasts
 * @last_message: (nullable): as for attn_show_toast()
 *
 * Returns: whether @file's extension names a format figures are saved in
 *   (.png, .svg, .pdf); when not, a toast says so
 */
gboolean
attn_check_figure_file (GFile            *file,
                        AdwToastOverlay  *overlay,
                        char            **last_message)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  AttnExportFormat format;

  if (attn_export_format_from_path (name ? name : "", &format, &error))
    return TRUE;
  message = attn_toast_save_message (file, error);
  attn_show_toast (overlay, last_message, message);
  return FALSE;
}

/**
 * attn_show_figure_saved:
 * @result: the result of attn_figure_save_async() or
 *   attn_figure_build_and_save_async()
 * @overlay: the window's toasts
 * @last_message: (nullable): as for attn_show_toast()
 *
 * Finishes the save and says in a toast where the figure went, or why not;
 * in the dark style, that the file is the light figure, for print (it
 * differed from the screen without a word).
 *
 * Returns: (transfer none) (nullable): the file saved, or %NULL when it
 *   was not
 */
GFile *
attn_show_figure_saved (GAsyncResult     *result,
                        AdwToastOverlay  *overlay,
                        char            **last_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GFile *file = NULL;
  gboolean saved = attn_figure_save_finish (result, &file, &error);

  if (saved && adw_style_manager_get_dark (adw_style_manager_get_default ()))
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *display = attn_error_display_path (name);

      /* translators: a file name; the app is in its dark style, and the
       * figure it saved has a white background */
      message = g_strdup_printf (_("Saved “%s” in the light style, for print"), display);
    }
  else
    message = attn_toast_save_message (file, error);
  attn_show_toast (overlay, last_message, message);
  return saved ? file : NULL;
}

void
attn_file_chooser_add_filter (GtkFileChooser *chooser,
                              const char     *name,
                              const char     *mime,
                              const char     *pattern)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  if (mime)
    gtk_file_filter_add_mime_type (filter, mime);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
  g_object_unref (filter);
}

/* PNG, SVG or PDF: all three first (the format follows the name), then
 * each (the format chosen: attn_figure_file_for_format()) */
static void
add_figure_filters (GtkFileChooser *chooser)
{
  static const char *extensions[] = { NULL, "png", "svg", "pdf" };
  GListModel *filters;
  g_autoptr(GtkFileFilter) all = NULL;

  attn_file_chooser_add_filter (chooser, _("PNG, SVG or PDF"), NULL, "*.png");
  attn_file_chooser_add_filter (chooser, _("PNG image"), "image/png", "*.png");
  attn_file_chooser_add_filter (chooser, _("SVG image"), "image/svg+xml", "*.svg");
  attn_file_chooser_add_filter (chooser, _("PDF document"), "application/pdf", "*.pdf");

  filters = gtk_file_chooser_get_filters (chooser);
  all = g_list_model_get_item (filters, 0);
  gtk_file_filter_add_pattern (all, "*.svg");
  gtk_file_filter_add_pattern (all, "*.pdf");
  for (guint i = 1; i < G_N_ELEMENTS (extensions); i++)
    {
      g_autoptr(GObject) filter = g_list_model_get_item (filters, i);

      g_object_set_data (filter, "extension", (gpointer) extensions[i]);
    }
  g_object_unref (filters);
}

/**
 * attn_figure_file_for_format:
 * @file: the file a save dialog gave
 * @extension: (nullable): "png", "svg" or "pdf": the file type chosen in
 *   the dialog, or %NULL for any of them (“PNG, SVG or PDF”)
 *
 * Returns: (transfer full): @file, or where @extension asks for another
 *   format than its name's, @file with that extension added (a name
 *   without one of a figure) or put in place of the other format's; with
 *   any type, a name without an extension ("figure", "v1.2") is a PNG's
 *   (the dialog closed on an error toast, and the user started over)
 */
/* Whether @text, after a name's last dot, is an extension such as "jpg"
 * or "tiff" (two to four letters or digits, a letter first), not part of
 * the name ("v1.2", "sst2.001-flow") */
static gboolean
looks_like_extension (const char *text)
{
  gsize length = strlen (text);

  if (length < 2 || length > 4 || !g_ascii_isalpha (text[0]))
    return FALSE;
  for (gsize i = 1; i < length; i++)
    if (!g_ascii_isalnum (text[i]))
      return FALSE;
  return TRUE;
}

GFile *
attn_figure_file_for_format (GFile      *file,
                             const char *extension)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *renamed = NULL;
  g_autoptr(GFile) parent = g_file_get_parent (file);
  AttnExportFormat format;
  char *dot;

  if (name == NULL || parent == NULL)
    return g_object_ref (file);
  dot = strrchr (name, '.');
  /* any of the three: a figure's extension, or another one (refused when
   * saved, naming the three), stays; a name without one is a PNG's */
  if (extension == NULL && dot != NULL &&
      (attn_export_format_from_path (name, &format, NULL) || looks_like_extension (dot + 1)))
    return g_object_ref (file);
  if (extension == NULL)
    extension = "png";
  if (dot != NULL && g_ascii_strcasecmp (dot + 1, extension) == 0)
    return g_object_ref (file);
  if (dot != NULL && attn_export_format_from_path (name, &format, NULL))
    *dot = '\0';
  renamed = g_strconcat (name, ".", extension, NULL);
  return g_file_get_child (parent, renamed);
}

/**
 * attn_png_scale:
 * @settings: the application's settings
 *
 * Returns: the pixels per figure pixel of a saved PNG (the Preferences'
 *   PNG resolution; SVG and PDF are vectors)
 */
double
attn_png_scale (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), 1.);

  return g_settings_get_uint (settings, "png-scale");
}

/* Where the save dialogs open: the folder saved in last (in this run), at
 * first the Pictures folder, else home (not the folder the app was started
 * in) */
static GFile *save_folder;

/**
 * attn_save_dialog_new:
 * @parent: the window the dialog is modal to
 * @title: the dialog's title
 * @action: %GTK_FILE_CHOOSER_ACTION_SAVE (a file) or
 *   %GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
 *
 * Returns: (transfer full): a modal native save dialog (Save, Cancel), open
 *   where the user saved last
 */
GtkFileChooserNative *
attn_save_dialog_new (GtkWindow            *parent,
                      const char           *title,
                      GtkFileChooserAction  action)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (title, parent, action, _("_Save"),
                                                              _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  attn_native_dialog_refocus_on_response (GTK_NATIVE_DIALOG (dialog));
  if (save_folder == NULL)
    {
      const char *pictures = g_get_user_special_dir (G_USER_DIRECTORY_PICTURES);

      save_folder = g_file_new_for_path (pictures != NULL && g_file_test (pictures, G_FILE_TEST_IS_DIR)
                                         ? pictures : g_get_home_dir ());
    }
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), save_folder, NULL);
  return dialog;
}

/**
 * attn_save_dialog_remember_folder:
 * @folder: where the user saved
 *
 * The next save dialog opens there.
 */
void
attn_save_dialog_remember_folder (GFile *folder)
{
  if (folder != NULL)
    g_set_object (&save_folder, folder);
}

/* Whether nothing gives a window the keyboard back when a dialog over it
 * closes: X11 without a window manager (one that activates windows) */
static gboolean
no_window_manager (GtkWidget *widget)
{
#ifdef GDK_WINDOWING_X11
  GdkDisplay *display = gtk_widget_get_display (widget);

  if (GDK_IS_X11_DISPLAY (display))
    return !gdk_x11_screen_supports_net_wm_hint (gdk_x11_display_get_screen (display), "_NET_ACTIVE_WINDOW");
#endif
  return FALSE;
}

/* Gives @parent, the window a dialog that just closed was over, the
 * keyboard back. A window manager does that when a dialog closes; under X11
 * without one the focus fell to the root window, and keys (Escape, Ctrl+W)
 * went to whichever window was under the pointer, or none. */
static void
dialog_closed_refocus (GtkWindow *parent)
{
  if (parent != NULL && gtk_widget_get_mapped (GTK_WIDGET (parent)) && no_window_manager (GTK_WIDGET (parent)))
    gtk_window_present (parent);
}

static void
dialog_unmapped_cb (GtkWindow *dialog)
{
  dialog_closed_refocus (gtk_window_get_transient_for (dialog));
}

static void
native_response_cb (GtkNativeDialog *dialog)
{
  dialog_closed_refocus (gtk_native_dialog_get_transient_for (dialog));
}

/**
 * attn_native_dialog_refocus_on_response:
 * @dialog: a file dialog over a window (its transient parent)
 *
 * When @dialog answers, before the handlers connected after this, its
 * parent gets the keyboard back (see attn_dialog_refocus_on_hide()).
 */
void
attn_native_dialog_refocus_on_response (GtkNativeDialog *dialog)
{
  g_signal_connect (dialog, "response", G_CALLBACK (native_response_cb), NULL);
}

/**
 * attn_dialog_refocus_on_hide:
 * @dialog: a window over another (its transient parent)
 *
 * When @dialog is hidden or destroyed (closed), its parent gets the keyboard
 * back (only under X11 without a window manager, where nothing else does).
 */
void
attn_dialog_refocus_on_hide (GtkWindow *dialog)
{
  g_signal_connect (dialog, "unmap", G_CALLBACK (dialog_unmapped_cb), NULL);
}

static void
parent_destroyed_cb (GtkWindow *parent,
                     GtkWindow *window)
{
  gtk_window_set_transient_for (window, NULL);
  gtk_window_destroy (window);
}

/**
 * attn_window_join_parent:
 * @window: a window over a main window, transient for @parent
 *
 * Makes @window one of the application's windows, as @parent is: Ctrl+Q
 * quits and Ctrl+W closes in it too. It goes with @parent, letting go of it
 * first (GTK's destroy-with-parent keeps the parent set, freed when @window
 * outlives it: a figure it builds, a key event of it that quits). Closed,
 * it gives @parent the keyboard back (attn_dialog_refocus_on_hide()).
 */
void
attn_window_join_parent (GtkWindow *window,
                         GtkWindow *parent)
{
  gtk_window_set_application (window, gtk_window_get_application (parent));
  g_signal_connect_object (parent, "destroy", G_CALLBACK (parent_destroyed_cb), window, 0);
  attn_dialog_refocus_on_hide (window);
}

static void
replace_response_cb (AdwMessageDialog *alert,
                     const char       *response,
                     gpointer          user_data)
{
  AttnFileChosenFunc chosen = (AttnFileChosenFunc) user_data;

  if (g_str_equal (response, "replace"))
    chosen (g_object_get_data (G_OBJECT (alert), "file"), g_object_get_data (G_OBJECT (alert), "owner"));
}

/**
 * attn_replace_dialog_new:
 * @parent: the window it is modal to
 * @heading: (nullable): the question
 * @body: why it is asked
 *
 * Returns: (transfer none): a question whether to replace files, not shown
 *   yet: Cancel ("cancel", also what Escape or closing it answers) and the
 *   destructive Replace ("replace")
 */
GtkWidget *
attn_replace_dialog_new (GtkWindow  *parent,
                         const char *heading,
                         const char *body)
{
  GtkWidget *alert = adw_message_dialog_new (parent, heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (alert), "cancel", _("_Cancel"), "replace", _("_Replace"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (alert), "replace",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (alert), "cancel");
  attn_dialog_refocus_on_hide (GTK_WINDOW (alert));
  return alert;
}

/* Asks whether to replace @file, which exists, saying why (@body: the
 * dialog asked about the name given, not this one), then calls @chosen */
static void
confirm_replace (GtkNativeDialog    *dialog,
                 GFile              *file,
                 const char         *body,
                 AttnFileChosenFunc  chosen,
                 GObject            *owner)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *name = attn_error_display_path (basename);
  GtkWidget *alert;

  alert = attn_replace_dialog_new (gtk_native_dialog_get_transient_for (dialog), NULL, body);
  /* translators: %s is a file name */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (alert), _("Replace “%s”?"), name);
  g_object_set_data_full (G_OBJECT (alert), "file", g_object_ref (file), g_object_unref);
  g_object_set_data_full (G_OBJECT (alert), "owner", g_object_ref (owner), g_object_unref);
  g_signal_connect (alert, "response", G_CALLBACK (replace_response_cb), chosen);
  gtk_window_present (GTK_WINDOW (alert));
}

static void
chosen_cb (GtkNativeDialog *dialog,
           int              response,
           gpointer         user_data)
{
  AttnFileChosenFunc chosen = (AttnFileChosenFunc) user_data;
  g_autoptr(GObject) owner = g_object_steal_data (G_OBJECT (dialog), "owner");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) given = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));
      const char *extension = filter != NULL ? g_object_get_data (G_OBJECT (filter), "extension") : NULL;
      g_autoptr(GFile) file = NULL;

      if (given != NULL)
        {
          g_autoptr(GFile) folder = g_file_get_parent (given);

          /* a figure's name takes the format's extension; other files' are theirs */
          if (g_object_get_data (G_OBJECT (dialog), "figure") != NULL)
            file = attn_figure_file_for_format (given, extension);
          else
            file = g_object_ref (given);
          attn_save_dialog_remember_folder (folder);
          /* the dialog asked about replacing the name given, not this one */
          if (!g_file_equal (file, given) && g_file_query_exists (file, NULL))
            confirm_replace (dialog, file,
                             extension != NULL
                             ? _("The figure takes the extension of the file type chosen, and a file of "
                                 "that name already exists.")
                             : _("A figure named without an extension is saved as PNG, and a file of that "
                                 "name already exists."),
                             chosen, owner);
          else
            chosen (file, owner);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/**
 * attn_choose_save_file:
 * @parent: the window the dialog is modal to
 * @title: the dialog's title
 * @name: the suggested file name
 * @figure: whether to offer the figure formats as filters
 * @chosen: called with the file once the user accepts
 * @owner: passed to @chosen, kept alive while the dialog is open
 *
 * Asks where to save, in a native file dialog.
 */
void
attn_choose_save_file (GtkWindow          *parent,
                       const char         *title,
                       const char         *name,
                       gboolean            figure,
                       AttnFileChosenFunc  chosen,
                       GObject            *owner)
{
  GtkFileChooserNative *dialog = attn_save_dialog_new (parent, title, GTK_FILE_CHOOSER_ACTION_SAVE);

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  if (figure)
    {
      add_figure_filters (GTK_FILE_CHOOSER (dialog));
      g_object_set_data (G_OBJECT (dialog), "figure", GINT_TO_POINTER (TRUE));
    }
  g_object_set_data_full (G_OBJECT (dialog), "owner", g_object_ref (owner), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (chosen_cb), chosen);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/**
 * attn_format_duration:
 * @seconds: a time to come, estimated
 *
 * Returns: (transfer full): "12 seconds", "4 minutes" or "3 hours", rounded
 *   up to whole units, translated
 */
char *
attn_format_duration (double seconds)
{
  guint count;

  if (seconds < 90.)
    {
      count = (guint) MAX (1., ceil (seconds));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", count), count);
    }
  if (seconds < 90. * 60.)
    {
      count = (guint) ceil (seconds / 60.);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", count), count);
    }
  count = (guint) MIN (ceil (seconds / 3600.), G_MAXUINT);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", count), count);
}

/*
 * attn_window_detach_tooltip:
 * Removes a tooltip that is still attached to @window; call it from the
 * dispose of a window whose class installs actions, before chaining up.
 *
 * GTK 4.18 keeps the tooltip shown last attached to its window (as a child) and
 * takes it off only when GObject's dispose notifies the window's weak
 * references, after GtkWidget's dispose has dropped the window's action muxer:
 * taking the child off then makes a new muxer for the class's actions that
 * nothing frees (LeakSanitizer: 120 bytes per window closed that way). Here the
 * window is still whole. A tooltip is the only native child of a window
 * (popovers belong to the widgets that show them).
 */
void
attn_window_detach_tooltip (GtkWindow *window)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (window));

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (GTK_IS_NATIVE (child) && !GTK_IS_POPOVER (child))
        gtk_widget_unparent (child);
      child = next;
    }
}

/**
 * attn_label_set_user_text:
 * @label: a label
 * @text: (nullable): text from a file, shown as the figures show it
 *   (attn_text_from_file()): its bidi controls cannot reverse the label's other text
 */
void
attn_label_set_user_text (GtkLabel   *label,
                          const char *text)
{
  g_autofree char *isolated = text != NULL && *text != '\0' ? attn_text_from_file (text) : NULL;

  gtk_label_set_text (label, isolated != NULL ? isolated : "");
}

/* @label's breaks follow its new text */
static void
label_text_cb (GtkLabel   *label,
               GParamSpec *pspec,
               gpointer    data)
{
  g_autoptr(PangoAttrList) words = attn_text_word_breaks_new (gtk_label_get_text (label), NULL, 0.);

  gtk_label_set_attributes (label, words);
}

/**
 * attn_label_wrap_between_words:
 * @label: a label of messages, which may be long and translated
 *
 * @label wraps, and its Korean between words, whatever text it is given
 * later: Pango's own breaking allows a break between any two Hangul syllables,
 * and a long Korean banner came out with a word cut at the end of a line
 * ("옮겨졌 / 습니다"); here a line breaks only where a word ends
 * (attn_text_word_breaks_new()). Other scripts wrap as before.
 */
void
attn_label_wrap_between_words (GtkLabel *label)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_wrap (label, TRUE);
  g_signal_connect (label, "notify::label", G_CALLBACK (label_text_cb), NULL);
  label_text_cb (label, NULL, NULL);
}

static void
list_shown_cb (GtkWidget *popover,
               GtkWidget *owner)
{
  if (!gtk_widget_get_has_tooltip (owner))
    return;
  g_object_set_data (G_OBJECT (owner), "attn-tooltip-off", GINT_TO_POINTER (TRUE));
  gtk_widget_set_has_tooltip (owner, FALSE);
  /* hides the tooltip shown */
  gtk_widget_trigger_tooltip_query (owner);
}

static void
list_hidden_cb (GtkWidget *popover,
                GtkWidget *owner)
{
  if (g_object_steal_data (G_OBJECT (owner), "attn-tooltip-off") != NULL)
    gtk_widget_set_has_tooltip (owner, TRUE);
}

static GtkWidget *
find_popover (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *popover = GTK_IS_POPOVER (child) ? child : find_popover (child);

      if (popover != NULL)
        return popover;
    }
  return NULL;
}

/**
 * attn_hide_tooltips_of_open_lists:
 * @widget: a window, or any widget
 *
 * Every drop-down, combo row, menu button and split button in @widget
 * shows no tooltip while its list (its popover) is open: GTK leaves the tooltip of the button
 * drawn over the first items of the list. Call it once the widgets are
 * built; the tooltip comes back when the list closes.
 */
void
attn_hide_tooltips_of_open_lists (GtkWidget *widget)
{
  GtkWidget *popover = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_DROP_DOWN (widget) || ADW_IS_COMBO_ROW (widget))
    popover = find_popover (widget);
  else if (GTK_IS_MENU_BUTTON (widget))
    popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget)));
  if (popover != NULL)
    {
      /* the arrow of a split button: the split button's tooltip too */
      GtkWidget *split = gtk_widget_get_ancestor (widget, ADW_TYPE_SPLIT_BUTTON);

      g_signal_connect_object (popover, "map", G_CALLBACK (list_shown_cb), widget, 0);
      g_signal_connect_object (popover, "unmap", G_CALLBACK (list_hidden_cb), widget, 0);
      if (split != NULL)
        {
          g_signal_connect_object (popover, "map", G_CALLBACK (list_shown_cb), split, 0);
          g_signal_connect_object (popover, "unmap", G_CALLBACK (list_hidden_cb), split, 0);
        }
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    attn_hide_tooltips_of_open_lists (child);
}

#define TOOLTIP_WIDTH_CHARS 50

/* GTK sets its tooltip label's width to the number of characters of the text,
 * too narrow for Korean syllables (about twice as wide as a Latin letter) */
static void
tooltip_width_cb (GtkLabel   *label,
                  GParamSpec *pspec,
                  gpointer    data)
{
  if (gtk_label_get_max_width_chars (label) != TOOLTIP_WIDTH_CHARS)
    gtk_label_set_max_width_chars (label, TOOLTIP_WIDTH_CHARS);
}

/* Finds the wrapping label of @tooltip's window, through a custom widget put
 * in it for a moment, once for each tooltip window (a display has one) */
static gboolean
query_tooltip_hook (GSignalInvocationHint *hint,
                    guint                  n_values,
                    const GValue          *values,
                    gpointer               data)
{
  GtkTooltip *tooltip = g_value_get_object (&values[4]);
  g_autoptr(GtkWidget) probe = NULL;
  GtkWidget *box;

  if (g_object_get_data (G_OBJECT (tooltip), TOOLTIP_WRAPPED) != NULL)
    return TRUE;
  g_object_set_data (G_OBJECT (tooltip), TOOLTIP_WRAPPED, GINT_TO_POINTER (TRUE));
  probe = g_object_ref_sink (gtk_label_new (NULL));
  gtk_tooltip_set_custom (tooltip, probe);
  box = gtk_widget_get_parent (probe);
  for (GtkWidget *child = box ? gtk_widget_get_first_child (box) : NULL; child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child) && child != probe && gtk_label_get_wrap (GTK_LABEL (child)))
      {
        g_signal_connect (child, "notify::max-width-chars", G_CALLBACK (tooltip_width_cb), NULL);
        tooltip_width_cb (GTK_LABEL (child), NULL, NULL);
        attn_label_wrap_between_words (GTK_LABEL (child));
      }
  gtk_tooltip_set_custom (tooltip, NULL);
  return TRUE;
}

/**
 * attn_wrap_tooltips_between_words:
 *
 * Every tooltip of the application is up to 50 characters wide, wrapping
 * between words. GTK 4.8 makes a tooltip as many characters wide as its text
 * has, measured in Latin letters: a short Korean tooltip came out half as wide
 * as its text, a word cut in two ("방법 설 / 정 (F9)"); and a long one broke
 * between any two syllables (attn_label_wrap_between_words()). English ones
 * are laid out as before. Call it once, at startup.
 */
void
attn_wrap_tooltips_between_words (void)
{
  static gsize hooked = 0;

  if (g_once_init_enter (&hooked))
    {
      gpointer widget_class = g_type_class_ref (GTK_TYPE_WIDGET); /* makes its signals */
      guint id = g_signal_lookup ("query-tooltip", GTK_TYPE_WIDGET);

      g_type_class_unref (widget_class);
      g_signal_add_emission_hook (id, 0, query_tooltip_hook, NULL, NULL);
      g_once_init_leave (&hooked, 1);
    }
}

/**
 * attn_sentence_label_new:
 * @lines: the most lines it shows (then it is ellipsized)
 *
 * Returns: (transfer floating): the label of an example's sentence under
 *   its name in a list's row: dim, small, at the start, wrapping between
 *   words (a file's sentences may be Korean)
 */
GtkWidget *
attn_sentence_label_new (int lines)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.);
  attn_label_wrap_between_words (GTK_LABEL (label));
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (label), lines);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  return label;
}

/**
 * attn_get_accent_color:
 * @color: (out): the theme's accent colour, as @widget's style sees it
 *   (libadwaita's blue by default, the colour of its focus rings), opaque
 *
 * The colour of the keyboard's marks (a focus ring, the graph's cursor),
 * which the figures' orange selection does not use.
 */
void
attn_get_accent_color (GtkWidget *widget,
                       GdkRGBA   *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (context, "accent_color", color))
    {
      /* libadwaita's accent colours, should the theme not name one */
      if (adw_style_manager_get_dark (adw_style_manager_get_default ()))
        *color = (GdkRGBA) { 0x78 / 255., 0xae / 255., 0xed / 255., 1. };
      else
        *color = (GdkRGBA) { 0x1c / 255., 0x71 / 255., 0xd8 / 255., 1. };
    }
  color->alpha = 1.;
}

/**
 * attn_snapshot_focus_ring:
 *
 * Draws a focus ring, 2 px wide and rounded, inset along @widget's edges,
 * in the accent colour, when @widget has the visible focus (the keyboard
 * moved it there).
 */
void
attn_snapshot_focus_ring (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  float widths[4] = { 2, 2, 2, 2 };
  GdkRGBA colors[4];
  GskRoundedRect ring;

  if (!gtk_widget_has_visible_focus (widget) || width <= 2 || height <= 2)
    return;
  attn_get_accent_color (widget, &colors[0]);
  colors[1] = colors[2] = colors[3] = colors[0];
  gsk_rounded_rect_init_from_rect (&ring, &GRAPHENE_RECT_INIT (1, 1, width - 2, height - 2), 6);
  gtk_snapshot_append_border (snapshot, &ring, widths, colors);
}

/**
 * attn_show_keyboard_focus:
 *
 * A key that @widget handles itself (an arrow that moves the graph's cursor
 * or pans a figure) shows the focus, as Tab does: GTK hides it a few seconds
 * after the last key it handled, and never sees these.
 */
void
attn_show_keyboard_focus (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (GTK_IS_WINDOW (root))
    gtk_window_set_focus_visible (GTK_WINDOW (root), TRUE);
}

/* a choice key's value <-> the index of a list ("selected") */
static gboolean
choice_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_str_equal (nicks[i], nick))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
choice_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **) nicks))
    return NULL;
  return g_variant_new_string (nicks[index]);
}

/**
 * attn_settings_bind_choice:
 * @key: an enum key, or a string key with choices
 * @property: a #guint property such as a drop-down's "selected"
 * @nicks: the key's values, in the order of the list @property indexes
 *
 * Binds @key both ways to the index of its value in @nicks.
 */
void
attn_settings_bind_choice (GSettings          *settings,
                           const char         *key,
                           gpointer            object,
                           const char         *property,
                           const char * const *nicks)
{
  g_settings_bind_with_mapping (settings, key, object, property, G_SETTINGS_BIND_DEFAULT,
                                choice_get_mapping, choice_set_mapping,
                                g_strdupv ((char **) nicks), (GDestroyNotify) g_strfreev);
}

/**
 * attn_settings_list_choices:
 * @key: an enum key, or a string key with choices
 *
 * Returns: (transfer full): the values @key takes, in the schema's order
 */
char **
attn_settings_list_choices (GSettings  *settings,
                            const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) values = NULL;
  const char *type;

  g_object_get (settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, key);
  range = g_settings_schema_key_get_range (schema_key);
  g_variant_get (range, "(&sv)", &type, &values);
  g_return_val_if_fail (g_str_equal (type, "enum"), g_new0 (char *, 1));
  return g_variant_dup_strv (values, NULL);
}

typedef struct
{
  GCallback released;
  gpointer  user_data;
  double    x;            /* where the button went down */
  double    y;
} Click;

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  Click           *click)
{
  click->x = x;
  click->y = y;
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   Click           *click)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  int threshold = 8;

  g_object_get (gtk_widget_get_settings (widget), "gtk-dnd-drag-threshold", &threshold, NULL);
  /* the end of a drag (a pan), not a click */
  if (hypot (x - click->x, y - click->y) > threshold)
    return;
  ((void (*) (GtkGestureClick *, int, double, double, gpointer)) click->released) (gesture, n_press, x, y,
                                                                                   click->user_data);
}

/**
 * attn_click_gesture_new:
 * @released: a #GtkGestureClick::released handler
 * @user_data: its data
 *
 * Returns: (transfer full): a gesture of the primary button that calls
 *   @released for a click: a release farther than the drag threshold from
 *   the press ends a drag, which pans the views (a long input's graph is
 *   panned a lot, and each pan's release selected the node under it,
 *   starting its flow)
 */
GtkGesture *
attn_click_gesture_new (GCallback released,
                        gpointer  user_data)
{
  GtkGesture *gesture = gtk_gesture_click_new ();
  Click *click = g_new0 (Click, 1);

  click->released = released;
  click->user_data = user_data;
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_object_set_data_full (G_OBJECT (gesture), "attn-click", click, g_free);
  g_signal_connect (gesture, "pressed", G_CALLBACK (click_pressed_cb), click);
  g_signal_connect (gesture, "released", G_CALLBACK (click_released_cb), click);
  return gesture;
}
