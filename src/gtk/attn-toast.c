/* attn-toast.c: toasts that show what they say, and name the file
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
#include "attn-gtk-util.h"
#include "attn-toast.h"

/* the message, on a toast whose Details would only repeat it */
#define REPEATED_KEY "attn-toast-repeated"

/**
 * attn_toast_new_with_details:
 * @message: plain text, such as an error message quoting a file
 * @details: (nullable): what the Details button shows instead of @message,
 *   such as the same message with the file's whole path
 * @seconds: how long it stays
 *
 * libadwaita 1.2 reads a toast's title as Pango markup: a message holding
 * `<data>` (json-glib's name for the text it parsed) or a file name with `&`
 * would show an empty toast. The message is escaped, so it shows as it is.
 *
 * A toast shows one line, cut to the window's width: a longer message (an
 * error naming the example, field, layer, head and row) gets a Details
 * button that shows it whole (`toast.details`, which the window installs
 * with attn_toast_install_details_action()), while the toast cuts it
 * (attn_toast_fit_details()); so does a message with @details that say
 * more, always.
 *
 * Returns: (transfer full): the toast
 */
AdwToast *
attn_toast_new_with_details (const char *message,
                             const char *details,
                             guint       seconds)
{
  AdwToast *toast = adw_toast_new ("");

  attn_toast_update (toast, message, details, seconds);
  return toast;
}

/**
 * attn_toast_update:
 *
 * Sets @toast's message and details as attn_toast_new_with_details() does:
 * a toast shown says something else, rather than give way to another (four
 * error toasts replaced in a row crashed libadwaita 1.2).
 */
void
attn_toast_update (AdwToast   *toast,
                   const char *message,
                   const char *details,
                   guint       seconds)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  gboolean say_more = details != NULL && !g_str_equal (details, message);
  gboolean more = g_utf8_strlen (message, -1) > ATTN_TOAST_DETAILS_CHARS || say_more;

  adw_toast_set_title (toast, escaped);
  adw_toast_set_timeout (toast, more ? MAX (seconds, ATTN_TOAST_DETAILS_SECONDS) : seconds);
  adw_toast_set_button_label (toast, more ? _("_Details") : NULL);
  /* a toast shown has its button: never an action with a target of
   * another type (“Cancel”, without one, becoming “Details”) */
  adw_toast_set_action_name (toast, NULL);
  adw_toast_set_action_target_value (toast, more ? g_variant_new_string (details != NULL ? details : message)
                                                 : NULL);
  adw_toast_set_action_name (toast, more ? "toast.details" : NULL);
  /* Details that would only repeat it go once the toast shows it whole
   * (attn_toast_fit_details()) */
  g_object_set_data_full (G_OBJECT (toast), REPEATED_KEY, more && !say_more ? g_strdup (message) : NULL, g_free);
}

/* The title label and the action button of @toast_widget (libadwaita's
 * AdwToastWidget: a bin holding the label, then the action button, then
 * the close button with an icon) */
static void
toast_widget_parts (GtkWidget  *toast_widget,
                    GtkLabel  **label,
                    GtkWidget **button)
{
  *label = NULL;
  *button = NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (toast_widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child) && gtk_button_get_icon_name (GTK_BUTTON (child)) == NULL)
      *button = child;
    else if (*label == NULL && GTK_IS_LABEL (child))
      *label = GTK_LABEL (child);
    else if (*label == NULL && GTK_IS_LABEL (gtk_widget_get_first_child (child)))
      *label = GTK_LABEL (gtk_widget_get_first_child (child));
}

/**
 * attn_toast_repeats_details:
 *
 * Returns: whether the Details of @toast would only repeat its message, so
 *   that they are offered only while it is cut (attn_toast_fit_details())
 */
gboolean
attn_toast_repeats_details (AdwToast *toast)
{
  return g_object_get_data (G_OBJECT (toast), REPEATED_KEY) != NULL;
}

/**
 * attn_toast_fit_details:
 * @toast: a toast on show
 * @overlay: its overlay
 *
 * A toast whose Details would only repeat its message (no more to say than
 * that it is long) offers them only while it shows the message cut: a
 * message of 84 characters shown whole at 1200 pixels had a Details
 * dialog saying it again (found by a tester). Called at each frame of the
 * show: the window may be narrowed or widened meanwhile. Once the button
 * is there, it stays unless the message fits without it too, so the
 * toast does not flicker between the two.
 */
void
attn_toast_fit_details (AdwToast        *toast,
                        AdwToastOverlay *overlay)
{
  const char *message = g_object_get_data (G_OBJECT (toast), REPEATED_KEY);
  GtkLabel *label = NULL;
  GtkWidget *button = NULL;
  gboolean offered;
  int natural, room;

  if (message == NULL)
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (overlay)); child != NULL && label == NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_str_equal (gtk_widget_get_css_name (child), "toast"))
      {
        toast_widget_parts (child, &label, &button);
        /* a toast hiding before it, saying something else */
        if (label != NULL && g_strcmp0 (gtk_label_get_text (label), message) != 0)
          label = NULL;
      }
  if (label == NULL || button == NULL || gtk_widget_get_width (GTK_WIDGET (label)) <= 0)
    return;
  offered = adw_toast_get_button_label (toast) != NULL;
  gtk_widget_measure (GTK_WIDGET (label), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  room = gtk_widget_get_width (GTK_WIDGET (label));
  if (offered)
    {
      GtkLayoutManager *layout = gtk_widget_get_layout_manager (gtk_widget_get_parent (button));

      room += gtk_widget_get_width (button) + (GTK_IS_BOX_LAYOUT (layout)
                                               ? gtk_box_layout_get_spacing (GTK_BOX_LAYOUT (layout)) : 0);
    }
  if (offered == (natural > room))
    return;
  adw_toast_set_action_name (toast, NULL);
  adw_toast_set_button_label (toast, offered ? NULL : _("_Details"));
  adw_toast_set_action_target_value (toast, offered ? NULL : g_variant_new_string (message));
  adw_toast_set_action_name (toast, offered ? NULL : "toast.details");
}

/**
 * attn_toast_new:
 * @message: plain text
 * @seconds: how long it stays
 *
 * Returns: (transfer full): attn_toast_new_with_details() without details
 */
AdwToast *
attn_toast_new (const char *message,
                guint       seconds)
{
  return attn_toast_new_with_details (message, NULL, seconds);
}

/**
 * attn_toast_details_text:
 * @message: a message
 *
 * Returns: (transfer full): @message as the Details dialog shows it: whole
 *   up to %ATTN_TOAST_DETAILS_MAX_CHARS characters, else its beginning and
 *   its end (where a loader's message says what is wrong) with “…” between,
 *   cut between whole escapes (attn_error_escaped_cut(): a file's text it
 *   quotes), in all at most %ATTN_TOAST_DETAILS_MAX_CHARS characters
 */
char *
attn_toast_details_text (const char *message)
{
  glong length = g_utf8_strlen (message, -1);
  glong head = ATTN_TOAST_DETAILS_MAX_CHARS * 3 / 4;
  glong tail = ATTN_TOAST_DETAILS_MAX_CHARS - head - 1;
  const char *head_end, *tail_start;

  if (length <= ATTN_TOAST_DETAILS_MAX_CHARS)
    return g_strdup (message);
  head_end = attn_error_escaped_cut (message, head, FALSE);
  tail_start = attn_error_escaped_cut (message, length - tail, TRUE);
  return g_strdup_printf ("%.*s…%s", (int) (head_end - message), message, tail_start);
}

/* The Details' label laid out at the width the dialog gave it: the scrolled
 * window is at least as high as it, up to ATTN_TOAST_DETAILS_MAX_HEIGHT.
 * The dialog asked for the label's height at its natural width, wider than
 * the dialog, so that a message of a few lines showed two and a half in a
 * scrolled window of 50 px. Only ever higher, so it settles. */
static void
details_fit_cb (GtkAdjustment     *adjustment,
                GtkScrolledWindow *scrolled)
{
  int needed = (int) ceil (MIN (gtk_adjustment_get_upper (adjustment), ATTN_TOAST_DETAILS_MAX_HEIGHT));

  if (gtk_adjustment_get_page_size (adjustment) + 0.5 < needed &&
      gtk_scrolled_window_get_min_content_height (scrolled) < needed)
    gtk_scrolled_window_set_min_content_height (scrolled, needed);
}

static void
details_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (widget), _("Details"), NULL);
  g_autofree char *text = attn_toast_details_text (g_variant_get_string (parameter, NULL));
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  attn_label_wrap_between_words (GTK_LABEL (label));
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* the dialog is as wide as the label's least width (25 characters: about
   * libadwaita's narrowest dialog), not its natural one: when the scrolled
   * window passed that on, libadwaita 1.7's message dialog measured its
   * heading, and the label, narrower than their least width (which GTK 4.18
   * warns of) */
  gtk_label_set_width_chars (GTK_LABEL (label), 25);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.);
  gtk_label_set_yalign (GTK_LABEL (label), 0.);
  /* a long message scrolls in a dialog that keeps its Close button on screen */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), ATTN_TOAST_DETAILS_MAX_HEIGHT);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)), "changed",
                           G_CALLBACK (details_fit_cb), scrolled, 0);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  attn_dialog_refocus_on_hide (GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * attn_toast_install_details_action:
 * @window_class: the class of a window whose toasts may carry a Details button
 *
 * Installs `toast.details` (a string: the message), which shows the whole
 * message in a dialog (attn_toast_details_text(): a very long one cut short
 * in its middle), its text selectable so that it can be copied and
 * scrolling beyond %ATTN_TOAST_DETAILS_MAX_HEIGHT.
 */
void
attn_toast_install_details_action (GtkWidgetClass *window_class)
{
  gtk_widget_class_install_action (window_class, "toast.details", "s", details_action);
}

/* "“file”: @message", the file by its name or (@whole) its whole path */
static char *
file_message (const char *path,
              const char *message,
              gboolean    whole)
{
  g_autofree char *display = NULL;

  if (path == NULL)
    return g_strdup (message);

  /* as the loader's messages name it (attn_error_display_path()) */
  if (whole)
    display = attn_error_display_path (path);
  else
    {
      g_autofree char *name = g_path_get_basename (path);

      display = attn_error_display_path (name);
    }
  /* the loader's messages about the file itself (“Cannot read “/…/x.json”:
   * No such file or directory”) name it as it was given: named there, as
   * here, rather than twice */
  {
    g_autofree char *given = attn_error_display_path (path);
    g_autofree char *quoted = g_strdup_printf ("“%s”", given);
    const char *at = strstr (message, quoted);

    if (at != NULL)
      return g_strdup_printf ("%.*s“%s”%s", (int) (at - message), message, display, at + strlen (quoted));
  }
  /* translators: a file name, then what happened to or in it */
  return g_strdup_printf (_("“%s”: %s"), display, message);
}

/**
 * attn_toast_file_message:
 * @path: (nullable): the file @message is about
 * @message: what happened (the loader's messages name the example and the
 *   field, not the file)
 *
 * Returns: (transfer full): "“file.json”: @message", or @message without a file
 */
char *
attn_toast_file_message (const char *path,
                         const char *message)
{
  return file_message (path, message, FALSE);
}

/**
 * attn_toast_file_details:
 * @path: (nullable): the file @message is about
 * @message: what happened
 *
 * Returns: (transfer full): as attn_toast_file_message(), with the file's
 *   whole path (as g_file_get_parse_name() shows it) rather than its name,
 *   for the Details dialog: "“/home/me/data/file.json”: @message"
 */
char *
attn_toast_file_details (const char *path,
                         const char *message)
{
  return file_message (path, message, TRUE);
}

/**
 * attn_toast_save_message:
 * @file: the file saved
 * @error: (nullable): why it was not
 *
 * The messages of attnflow's own errors that name the file (“Could not save
 * the figure to “/proc/x.png”: No such file or directory”, “Cannot tell the
 * figure format of “x.txt”: …”) are shown as they are; others after the
 * file's name, GIO's without the file's name they hold
 * (attn_export_error_cause()): the file was named two or three times.
 *
 * Returns: (transfer full): "Saved “name”", or why it could not be saved,
 *   naming the file once: "Could not save “name”: ..."
 */
char *
attn_toast_save_message (GFile        *file,
                         const GError *error)
{
  g_autofree char *name = file != NULL ? g_file_get_basename (file) : NULL;
  g_autofree char *display = name != NULL ? attn_error_display_path (name) : g_strdup ("");

  if (error != NULL)
    {
      g_autofree char *cause = NULL;

      if (error->domain != G_IO_ERROR && *display != '\0' && strstr (error->message, display) != NULL)
        return g_strdup (error->message);
      cause = file != NULL ? attn_export_error_cause (file, error) : g_strdup (error->message);
      /* translators: file name, error message */
      return g_strdup_printf (_("Could not save “%s”: %s"), display, cause);
    }
  /* translators: file name */
  return g_strdup_printf (_("Saved “%s”"), display);
}
