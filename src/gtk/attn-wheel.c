/* attn-wheel.c: a scrolled window that takes the wheel ahead of its children
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A panel of controls or of tables scrolls up and down with the wheel
 * wherever the pointer is over it: a spin button or slider under the
 * pointer took the wheel and changed its value (the main window's side
 * panel), a scrolled window that scrolls sideways only kept it and nothing
 * moved (the evaluation window's table).
 */

#include "config.h"

#include <math.h>

#include "attn-wheel.h"

static gboolean
wheel_cb (GtkEventControllerScroll *scroll,
          double                    dx,
          double                    dy,
          GtkScrolledWindow        *scrolled)
{
  GtkEventController *controller = GTK_EVENT_CONTROLLER (scroll);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  gboolean shift = (gtk_event_controller_get_current_event_state (controller) & GDK_SHIFT_MASK) != 0;
  double step = 1.;

  /* sideways (Shift and the wheel, as GTK reads it, or a swipe mostly
   * across): left to the children that scroll so */
  if ((gtk_event_controller_scroll_get_flags (scroll) & GTK_EVENT_CONTROLLER_SCROLL_HORIZONTAL) != 0 &&
      (shift || fabs (dx) > fabs (dy)))
    return GDK_EVENT_PROPAGATE;
  /* GTK's own step for a notch of the wheel */
  if (gtk_event_controller_scroll_get_unit (scroll) == GDK_SCROLL_UNIT_WHEEL)
    step = pow (gtk_adjustment_get_page_size (adjustment), 2. / 3.);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + dy * step);
  return GDK_EVENT_STOP;
}

/**
 * attn_scrolled_window_take_wheel:
 * @scrolled: a scrolled window that scrolls up and down
 * @name: the name of its wheel's controller
 * @sideways: whether a sideways scroll goes on to the children under the
 *   pointer (a table that scrolls sideways), else @scrolled takes it too
 *
 * The wheel anywhere over @scrolled scrolls it up and down, ahead of the
 * children under the pointer (a controller in the capture phase).
 */
void
attn_scrolled_window_take_wheel (GtkScrolledWindow *scrolled,
                                 const char        *name,
                                 gboolean           sideways)
{
  GtkEventController *scroll;

  g_return_if_fail (GTK_IS_SCROLLED_WINDOW (scrolled));

  scroll = gtk_event_controller_scroll_new (sideways ? GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES
                                                     : GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (scroll, name);
  g_signal_connect (scroll, "scroll", G_CALLBACK (wheel_cb), scrolled);
  gtk_widget_add_controller (GTK_WIDGET (scrolled), scroll);
}
