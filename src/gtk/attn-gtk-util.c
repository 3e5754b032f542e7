/* attn-gtk-util.c: what the windows share: toasts, saving dialogs
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "attn-gtk-util.h"

/* The views' zoom for a mouse wheel's notch and for a unit of smooth
 * (touchpad) scrolling */
#define WHEEL_ZOOM_STEP 1.2
#define SMOOTH_ZOOM_STEP 1.01
/* How far a mouse wheel's notch pans a view, in pixels */
#define WHEEL_PAN_STEP 60.

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
    {
      g_free (*last_message);
      *last_message = g_strdup (message);
    }
  adw_toast_overlay_add_toast (overlay, attn_toast_new (message, ATTN_TOAST_SECONDS));
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

/* PNG, SVG or PDF: all three first, then each */
static void
add_figure_filters (GtkFileChooser *chooser)
{
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
  g_object_unref (filters);
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
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        chosen (file, owner);
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
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                        _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  if (figure)
    add_figure_filters (GTK_FILE_CHOOSER (dialog));
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

/**
 * attn_add_zoom_bindings:
 *
 * Binds + and = (zoom in), − (zoom out), with or without Ctrl and on the
 * keypad, and Ctrl+0 (back to fit) to the class's actions view.zoom-in,
 * view.zoom-out and view.zoom-fit: the graph and the figure views.
 */
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

void
attn_add_zoom_bindings (GtkWidgetClass *widget_class)
{
  static const struct
  {
    guint       key;
    const char *action;
  } keys[] = {
    { GDK_KEY_plus, "view.zoom-in" },
    { GDK_KEY_equal, "view.zoom-in" },
    { GDK_KEY_KP_Add, "view.zoom-in" },
    { GDK_KEY_minus, "view.zoom-out" },
    { GDK_KEY_KP_Subtract, "view.zoom-out" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      gtk_widget_class_add_binding_action (widget_class, keys[i].key, 0, keys[i].action, NULL);
      gtk_widget_class_add_binding_action (widget_class, keys[i].key, GDK_CONTROL_MASK, keys[i].action, NULL);
    }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "view.zoom-fit", NULL);
}

/**
 * attn_scroll_zoom_pan:
 * @dx: the scroll's horizontal delta
 * @dy: its vertical delta
 * @zoom_factor: (out): with Ctrl, what the zoom is multiplied by (at the
 *   pointer)
 * @pan_x: (out): else, how far to pan, in pixels: scrolling pans up and
 *   down, Shift+scrolling sideways
 * @pan_y: (out): the same, vertically
 *
 * What a scroll asks of a zoomable view: a zoom with Ctrl, else a pan.
 *
 * Returns: %TRUE for a zoom (@zoom_factor set), %FALSE for a pan
 */
gboolean
attn_scroll_zoom_pan (GtkEventControllerScroll *controller,
                      double                    dx,
                      double                    dy,
                      double                   *zoom_factor,
                      double                   *pan_x,
                      double                   *pan_y)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;
  gboolean sideways = (state & GDK_SHIFT_MASK) != 0;
  double step = wheel ? WHEEL_PAN_STEP : 1.;

  if (state & GDK_CONTROL_MASK)
    {
      *zoom_factor = pow (wheel ? WHEEL_ZOOM_STEP : SMOOTH_ZOOM_STEP, -dy);
      return TRUE;
    }
  *pan_x = -(sideways ? dy : dx) * step;
  *pan_y = -(sideways ? dx : dy) * step;
  return FALSE;
}

/**
 * attn_gesture_zoom_center:
 * @gesture: a view's #GtkGestureZoom
 * @widget: the view
 * @x: (out): where the pinch zooms at: the centre of its touches, or of the
 *   view when there is none
 * @y: (out): the same, vertically
 */
void
attn_gesture_zoom_center (GtkGesture *gesture,
                          GtkWidget  *widget,
                          double     *x,
                          double     *y)
{
  if (!gtk_gesture_get_bounding_box_center (gesture, x, y))
    {
      *x = gtk_widget_get_width (widget) / 2.;
      *y = gtk_widget_get_height (widget) / 2.;
    }
}

/**
 * attn_add_zoom_pan_gestures:
 * @drag_begin: #GtkGestureDrag::drag-begin (any button)
 * @drag_update: #GtkGestureDrag::drag-update
 * @zoom_begin: #GtkGesture::begin of the pinch
 * @zoom_scale_changed: #GtkGestureZoom::scale-changed
 * @scroll: #GtkEventControllerScroll::scroll (both axes)
 *
 * Adds a view's drag, pinch and scroll controllers, the callbacks called
 * with @widget.
 */
void
attn_add_zoom_pan_gestures (GtkWidget *widget,
                            GCallback  drag_begin,
                            GCallback  drag_update,
                            GCallback  zoom_begin,
                            GCallback  zoom_scale_changed,
                            GCallback  scroll)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  g_signal_connect (gesture, "drag-begin", drag_begin, widget);
  g_signal_connect (gesture, "drag-update", drag_update, widget);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", zoom_begin, widget);
  g_signal_connect (gesture, "scale-changed", zoom_scale_changed, widget);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", scroll, widget);
  gtk_widget_add_controller (widget, controller);
}
