/* attn-graph-view-input.c: the graph view's gestures, keys and actions
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Clicks select nodes, the arrow keys move a keyboard cursor over the nodes
 * and Enter selects it; the pointer's node or edge is described (hover
 * text). Panning and zooming (drags, scrolling, Ctrl+scroll, pinches, +/-)
 * are attn-zoomable.c's, added here; the zoom keys zoom about the selected
 * node while it is in view (_attn_graph_view_get_zoom_anchor()).
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "attn-graph-view-private.h"
#include "attn-gtk-util.h"

/* How far from an edge the pointer still hovers it, in screen pixels */
#define HOVER_TOLERANCE 4.
/* Edges are hovered when the nodes are at least this far apart on screen */
#define MIN_EDGE_HOVER_SPACING 3.
/* Home and End: past the first and the last position */
#define TO_THE_END 100000

/* The zoom keys zoom about the selected node while it is in view, so that
 * it stays there (about the centre, it went out of view in a long input) */
gboolean
_attn_graph_view_get_zoom_anchor (AttnZoomable *zoomable,
                                  double       *x,
                                  double       *y)
{
  AttnGraphView *self = ATTN_GRAPH_VIEW (zoomable);
  guint layer, position;
  int sink;

  return self->scene != NULL && attn_graph_scene_get_selection (self->scene, &layer, &position, &sink) &&
         attn_graph_view_node_to_widget (self, layer, position, x, y) &&
         *x >= 0. && *x <= gtk_widget_get_width (GTK_WIDGET (self)) &&
         *y >= 0. && *y <= gtk_widget_get_height (GTK_WIDGET (self));
}

/* The distance between two neighbouring nodes on screen, in pixels */
static double
node_spacing (AttnGraphView *self)
{
  guint top = attn_graph_layout_get_last_layer (self->layout);
  double x0, y0, x1, y1;

  if (attn_graph_layout_get_n_tokens (self->layout) < 2)
    return G_MAXDOUBLE;
  attn_graph_layout_get_node (self->layout, top, 0, &x0, &y0);
  attn_graph_layout_get_node (self->layout, top, 1, &x1, &y1);
  return (x1 - x0) * _attn_graph_view_figure_scale (self);
}

void
_attn_graph_view_update_hover (AttnGraphView *self,
                               double         x,
                               double         y)
{
  guint layer, position, query, key;
  double lx, ly;

  if (self->layout == NULL || self->scene == NULL || self->example == NULL)
    {
      _attn_graph_view_set_hover_text (self, NULL);
      return;
    }

  _attn_graph_view_widget_to_layout (self, x, y, &lx, &ly);
  if (_attn_graph_view_is_pinned (self, x, y))
    _attn_graph_view_set_hover_text (self, NULL);
  else if (attn_graph_layout_hit_node (self->layout, lx, ly, &layer, &position))
    {
      g_autofree char *text = _attn_graph_view_describe_node (self, layer, position);
      _attn_graph_view_set_hover_text (self, text);
    }
  /* level of detail: where the nodes are closer than a few pixels on screen,
   * edges cannot be told apart (and finding one costs the layer's n² edges
   * on every move of the pointer) */
  else if (node_spacing (self) >= MIN_EDGE_HOVER_SPACING &&
           attn_graph_layout_hit_edge (self->layout, self->scene, &self->style, lx, ly,
                                       HOVER_TOLERANCE / _attn_graph_view_figure_scale (self), &layer,
                                       &query, &key))
    {
      g_autofree char *text = _attn_graph_view_describe_edge (self, layer, query, key);

      _attn_graph_view_set_hover_text (self, text);
    }
  else
    _attn_graph_view_set_hover_text (self, NULL);
  self->hover_pointer = TRUE;
  self->hover_x = x;
  self->hover_y = y;
}

/* The keys of the keyboard cursor: Enter and Space select its node, the
 * others move it */
static const struct
{
  guint            key;
  GdkModifierType  mods;
  const char      *action;
  int              layer_step;
  int              position_step;
} cursor_keys[] = {
  { GDK_KEY_Return, 0, "view.activate-cursor", 0, 0 },
  { GDK_KEY_KP_Enter, 0, "view.activate-cursor", 0, 0 },
  { GDK_KEY_space, 0, "view.activate-cursor", 0, 0 },
  { GDK_KEY_KP_Space, 0, "view.activate-cursor", 0, 0 },
  { GDK_KEY_Up, 0, "view.move-cursor", 1, 0 },
  { GDK_KEY_KP_Up, 0, "view.move-cursor", 1, 0 },
  { GDK_KEY_Down, 0, "view.move-cursor", -1, 0 },
  { GDK_KEY_KP_Down, 0, "view.move-cursor", -1, 0 },
  { GDK_KEY_Left, 0, "view.move-cursor", 0, -1 },
  { GDK_KEY_KP_Left, 0, "view.move-cursor", 0, -1 },
  { GDK_KEY_Right, 0, "view.move-cursor", 0, 1 },
  { GDK_KEY_KP_Right, 0, "view.move-cursor", 0, 1 },
  { GDK_KEY_Home, 0, "view.move-cursor", 0, -TO_THE_END },
  { GDK_KEY_KP_Home, 0, "view.move-cursor", 0, -TO_THE_END },
  { GDK_KEY_End, 0, "view.move-cursor", 0, TO_THE_END },
  { GDK_KEY_KP_End, 0, "view.move-cursor", 0, TO_THE_END },
};

static void
activate_node (AttnGraphView *self,
               guint          layer,
               guint          position)
{
  if (self->example == NULL ||
      layer > _attn_graph_view_n_layers (self) ||
      position >= attn_example_get_n_tokens (self->example))
    return;
  self->cursor_layer = layer;
  self->cursor_position = position;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  _attn_graph_view_emit_node_activated (self, layer, position);
}

/* view.select-node activates the node it names, view.activate-cursor the
 * keyboard cursor's */
static void
activate_node_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  AttnGraphView *self = ATTN_GRAPH_VIEW (widget);
  guint layer = self->cursor_layer, position = self->cursor_position;

  if (parameter != NULL)
    g_variant_get (parameter, "(uu)", &layer, &position);
  else
    attn_show_keyboard_focus (widget); /* Enter or Space: the node selected is ringed */
  activate_node (self, layer, position);
}

static void
move_cursor_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AttnGraphView *self = ATTN_GRAPH_VIEW (widget);
  int dl, dp;
  int layer, position;
  guint n, first, last;

  if (self->example == NULL)
    return;
  n = attn_example_get_n_tokens (self->example);
  g_variant_get (parameter, "(ii)", &dl, &dp);
  layer = (int) self->cursor_layer + dl;
  position = (int) self->cursor_position + dp;
  _attn_graph_view_layer_range (self, &first, &last);
  layer = CLAMP (layer, (int) first - 1, (int) last);
  position = CLAMP (position, 0, (int) n - 1);
  attn_graph_view_set_cursor (self, layer, position);
  attn_show_keyboard_focus (widget);
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   AttnGraphView   *self)
{
  guint layer, position;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (attn_graph_view_hit_node (self, x, y, &layer, &position))
    activate_node (self, layer, position);
}

/* A key of the cursor shows the focus, and so the cursor's ring, until GTK
 * hides it a few seconds after the last key. On the press (in the
 * actions) and again on the release: GTK shows the focus for a key only
 * when the key moves the focus, so when the focus was hidden at the press
 * (after a click, or once faded) the window hides it on the release, after
 * the cursor moved or its node was selected. The window sees the release
 * first, then the view. */
static void
key_released_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 AttnGraphView         *self)
{
  state &= gtk_accelerator_get_default_mod_mask ();
  for (guint i = 0; i < G_N_ELEMENTS (cursor_keys); i++)
    if (keyval == cursor_keys[i].key && state == cursor_keys[i].mods)
      {
        attn_show_keyboard_focus (GTK_WIDGET (self));
        return;
      }
}

/* The pointer moved, or GTK tells again where it is (after a change of
 * layout, such as the status line's new text): the keyboard cursor's node,
 * told since, stays told until the pointer moves (the text of a node
 * reached with the arrow keys gave way at once to what was under a pointer
 * left resting on the graph) */
static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           AttnGraphView            *self)
{
  if (!self->hover_pointer && self->hover_text != NULL && x == self->hover_x && y == self->hover_y)
    return;
  _attn_graph_view_update_hover (self, x, y);
}

static void
leave_cb (GtkEventControllerMotion *controller,
          AttnGraphView            *self)
{
  _attn_graph_view_set_hover_text (self, NULL);
}


void
_attn_graph_view_class_init_input (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "view.select-node", "(uu)", activate_node_action);
  gtk_widget_class_install_action (widget_class, "view.activate-cursor", NULL, activate_node_action);
  gtk_widget_class_install_action (widget_class, "view.move-cursor", "(ii)", move_cursor_action);

  attn_zoomable_install_actions (widget_class);
  for (guint i = 0; i < G_N_ELEMENTS (cursor_keys); i++)
    if (g_str_equal (cursor_keys[i].action, "view.move-cursor"))
      gtk_widget_class_add_binding_action (widget_class, cursor_keys[i].key, cursor_keys[i].mods,
                                           cursor_keys[i].action, "(ii)", cursor_keys[i].layer_step,
                                           cursor_keys[i].position_step);
    else
      gtk_widget_class_add_binding_action (widget_class, cursor_keys[i].key, cursor_keys[i].mods,
                                           cursor_keys[i].action, NULL);
}

void
_attn_graph_view_init_input (AttnGraphView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  gesture = attn_click_gesture_new (G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  attn_zoomable_add_controllers (ATTN_ZOOMABLE (self));

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-released", G_CALLBACK (key_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
