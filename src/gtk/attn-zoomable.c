/* attn-zoomable.c: a view that zooms and pans (the graph, a figure), and its keys and gestures
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A zoomable view says how far it is zoomed and where its content is drawn;
 * here is what the user does with it, the same in every view: + and − zoom
 * about the centre (or the view's anchor) and Ctrl+0 goes back, Ctrl+scroll zooms at the pointer,
 * a pinch at its centre, and a drag (any button) or scrolling pans.
 */

#include "config.h"

#include <math.h>

#include "attn-zoomable.h"

/* The zoom of one step of the zoom keys (and of the zoom buttons' actions) */
#define ZOOM_STEP 1.25
/* The zoom for a mouse wheel's notch and for a unit of smooth (touchpad)
 * scrolling */
#define WHEEL_ZOOM_STEP 1.2
#define SMOOTH_ZOOM_STEP 1.01
/* How far a mouse wheel's notch pans, in pixels */
#define WHEEL_PAN_STEP 60.

G_DEFINE_INTERFACE (AttnZoomable, attn_zoomable, GTK_TYPE_WIDGET)

static void
attn_zoomable_default_init (AttnZoomableInterface *iface)
{
}

double
attn_zoomable_get_zoom (AttnZoomable *self)
{
  g_return_val_if_fail (ATTN_IS_ZOOMABLE (self), 1.);

  return ATTN_ZOOMABLE_GET_IFACE (self)->get_zoom (self);
}

/**
 * attn_zoomable_set_zoom:
 * @zoom: the magnification over the view's opening scale (the view clamps it
 *   to its range)
 * @x: the point of the widget that stays in place
 * @y:
 */
void
attn_zoomable_set_zoom (AttnZoomable *self,
                        double        zoom,
                        double        x,
                        double        y)
{
  g_return_if_fail (ATTN_IS_ZOOMABLE (self));

  ATTN_ZOOMABLE_GET_IFACE (self)->set_zoom (self, zoom, x, y);
}

/**
 * attn_zoomable_pan:
 * @dx: how far to move the content, in pixels (not past its edges)
 * @dy:
 */
void
attn_zoomable_pan (AttnZoomable *self,
                   double        dx,
                   double        dy)
{
  AttnZoomableInterface *iface;
  double x, y;

  g_return_if_fail (ATTN_IS_ZOOMABLE (self));

  iface = ATTN_ZOOMABLE_GET_IFACE (self);
  if (iface->get_pan (self, &x, &y))
    iface->set_pan (self, x + dx, y + dy);
}

void
attn_zoomable_zoom_to_fit (AttnZoomable *self)
{
  g_return_if_fail (ATTN_IS_ZOOMABLE (self));

  ATTN_ZOOMABLE_GET_IFACE (self)->zoom_to_fit (self);
}

/* The centre of @widget, where a zoom without a point of its own zooms */
static void
get_centre (GtkWidget *widget,
            double    *x,
            double    *y)
{
  *x = gtk_widget_get_width (widget) / 2.;
  *y = gtk_widget_get_height (widget) / 2.;
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AttnZoomable *self = ATTN_ZOOMABLE (widget);
  AttnZoomableInterface *iface = ATTN_ZOOMABLE_GET_IFACE (self);
  double x, y;

  if (iface->get_zoom_anchor == NULL || !iface->get_zoom_anchor (self, &x, &y))
    get_centre (widget, &x, &y);

  if (g_str_equal (action_name, "view.zoom-in"))
    attn_zoomable_set_zoom (self, attn_zoomable_get_zoom (self) * ZOOM_STEP, x, y);
  else if (g_str_equal (action_name, "view.zoom-out"))
    attn_zoomable_set_zoom (self, attn_zoomable_get_zoom (self) / ZOOM_STEP, x, y);
  else
    attn_zoomable_zoom_to_fit (self);
}

/**
 * attn_zoomable_install_actions:
 * @widget_class: the class of a widget that implements #AttnZoomable
 *
 * Installs the actions view.zoom-in and view.zoom-out (%ZOOM_STEP times,
 * about the centre, or the view's zoom anchor) and view.zoom-fit, and binds
 * + and = (zoom in) and − (zoom out), with or without Ctrl and on the
 * keypad, and Ctrl+0 (fit).
 */
void
attn_zoomable_install_actions (GtkWidgetClass *widget_class)
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

  gtk_widget_class_install_action (widget_class, "view.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-fit", NULL, zoom_action);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      gtk_widget_class_add_binding_action (widget_class, keys[i].key, 0, keys[i].action, NULL);
      gtk_widget_class_add_binding_action (widget_class, keys[i].key, GDK_CONTROL_MASK, keys[i].action, NULL);
    }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "view.zoom-fit", NULL);
}

/* What the gestures of one view remember between their events */
typedef struct
{
  AttnZoomable *view;
  double        drag_pan_x;     /* the pan when the drag began */
  double        drag_pan_y;
  double        gesture_zoom;   /* the zoom when the pinch began */
  double        pointer_x;      /* where Ctrl+scroll zooms */
  double        pointer_y;
} Gestures;

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               Gestures       *gestures)
{
  AttnZoomable *self = gestures->view;

  if (!ATTN_ZOOMABLE_GET_IFACE (self)->get_pan (self, &gestures->drag_pan_x, &gestures->drag_pan_y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                Gestures       *gestures)
{
  AttnZoomable *self = gestures->view;

  ATTN_ZOOMABLE_GET_IFACE (self)->set_pan (self, gestures->drag_pan_x + dx, gestures->drag_pan_y + dy);
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               Gestures         *gestures)
{
  gestures->gesture_zoom = attn_zoomable_get_zoom (gestures->view);
}

/* The pinch zooms at the centre of its touches, or of the view when there
 * is none */
static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       Gestures       *gestures)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    get_centre (GTK_WIDGET (gestures->view), &x, &y);
  attn_zoomable_set_zoom (gestures->view, gestures->gesture_zoom * scale, x, y);
}

/* Ctrl+scroll zooms at the pointer; scrolling pans up and down,
 * Shift+scrolling sideways */
static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           Gestures                 *gestures)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;
  gboolean sideways = (state & GDK_SHIFT_MASK) != 0;
  double step = wheel ? WHEEL_PAN_STEP : 1.;
  AttnZoomable *self = gestures->view;

  if (state & GDK_CONTROL_MASK)
    {
      double factor = pow (wheel ? WHEEL_ZOOM_STEP : SMOOTH_ZOOM_STEP, -dy);

      attn_zoomable_set_zoom (self, attn_zoomable_get_zoom (self) * factor, gestures->pointer_x,
                              gestures->pointer_y);
    }
  else
    attn_zoomable_pan (self, -(sideways ? dy : dx) * step, -(sideways ? dx : dy) * step);
  return GDK_EVENT_STOP;
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           Gestures                 *gestures)
{
  gestures->pointer_x = x;
  gestures->pointer_y = y;
}

/**
 * attn_zoomable_add_controllers:
 *
 * Adds the view's drag (any button: pans), pinch (zooms), scroll (pans, and
 * zooms with Ctrl) and pointer controllers.
 */
void
attn_zoomable_add_controllers (AttnZoomable *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  Gestures *gestures = g_new0 (Gestures, 1);
  GtkEventController *controller;
  GtkGesture *gesture;

  gestures->view = self;
  g_object_set_data_full (G_OBJECT (self), "attn-zoomable-gestures", gestures, g_free);

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), gestures);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), gestures);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_begin_cb), gestures);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), gestures);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), gestures);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), gestures);
  gtk_widget_add_controller (widget, controller);
}
