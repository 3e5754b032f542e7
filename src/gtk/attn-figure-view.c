/* attn-figure-view.c: shows a finished figure (the heatmap, the comparison) scaled to fit
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-figure-view.h"

struct _AttnFigureView
{
  GtkWidget   parent_instance;

  AttnFigure *figure;
  GtkWidget  *label;
};

G_DEFINE_FINAL_TYPE (AttnFigureView, attn_figure_view, GTK_TYPE_WIDGET)

enum {
  CELL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Where the figure is drawn: scaled to fit (never above 1.5x), centred */
static gboolean
get_transform (AttnFigureView *self,
               double         *x0,
               double         *y0,
               double         *scale)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double fig_w, fig_h;

  if (self->figure == NULL || width <= 0 || height <= 0)
    return FALSE;
  attn_figure_get_size (self->figure, &fig_w, &fig_h);
  if (fig_w <= 0 || fig_h <= 0)
    return FALSE;
  *scale = MIN (MIN (width / fig_w, height / fig_h), 1.5);
  *x0 = (width - fig_w * *scale) / 2.;
  *y0 = (height - fig_h * *scale) / 2.;
  return TRUE;
}

/**
 * attn_figure_view_figure_to_widget:
 * @fx: a point of the figure, in figure pixels
 * @fy:
 * @x: (out): where it is drawn in the widget
 * @y: (out):
 *
 * Returns: whether a figure is shown
 */
gboolean
attn_figure_view_figure_to_widget (AttnFigureView *self,
                                   double          fx,
                                   double          fy,
                                   double         *x,
                                   double         *y)
{
  double x0, y0, scale;

  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), FALSE);

  if (!get_transform (self, &x0, &y0, &scale))
    return FALSE;
  *x = x0 + fx * scale;
  *y = y0 + fy * scale;
  return TRUE;
}

/**
 * attn_figure_view_cell_at:
 * @x: a point of the widget
 * @y:
 * @layer: (out) (optional): the layer of the heatmap cell there
 * @position: (out) (optional): its input position
 * @value: (out) (optional): its value
 *
 * Returns: whether a heatmap cell is drawn there
 */
gboolean
attn_figure_view_cell_at (AttnFigureView *self,
                          double          x,
                          double          y,
                          guint          *layer,
                          guint          *position,
                          double         *value)
{
  double x0, y0, scale;

  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), FALSE);

  if (!get_transform (self, &x0, &y0, &scale))
    return FALSE;
  return attn_figure_hit_cell (self->figure, (x - x0) / scale, (y - y0) / scale, layer, position,
                               value);
}

/**
 * attn_figure_view_describe_at:
 * @x: a point of the widget
 * @y:
 *
 * Returns: (transfer full) (nullable): the layer, position and value of the
 *   heatmap cell there (the tooltip), or %NULL
 */
char *
attn_figure_view_describe_at (AttnFigureView *self,
                              double          x,
                              double          y)
{
  guint layer, position;
  double value;

  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), NULL);

  if (!attn_figure_view_cell_at (self, x, y, &layer, &position, &value))
    return NULL;
  /* translators: a heatmap cell: layer, input position, value */
  return g_strdup_printf (_("Layer %u, position %u: %.4f"), layer, position, value);
}

/**
 * attn_figure_view_activate_at:
 * @x: a point of the widget
 * @y:
 *
 * Emits #AttnFigureView::cell-activated for the heatmap cell there (a click).
 *
 * Returns: whether there was one
 */
gboolean
attn_figure_view_activate_at (AttnFigureView *self,
                              double          x,
                              double          y)
{
  guint layer, position;

  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), FALSE);

  if (!attn_figure_view_cell_at (self, x, y, &layer, &position, NULL))
    return FALSE;
  g_signal_emit (self, signals[CELL_ACTIVATED], 0, layer, position);
  return TRUE;
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           AttnFigureView           *self)
{
  g_autofree char *text = attn_figure_view_describe_at (self, x, y);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self), text);
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            AttnFigureView  *self)
{
  attn_figure_view_activate_at (self, x, y);
}

static void
attn_figure_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  AttnFigureView *self = ATTN_FIGURE_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double x0, y0, scale;
  cairo_t *cr;

  /* fit, never enlarge beyond 1.5x: text stays at a sane size */
  if (get_transform (self, &x0, &y0, &scale))
    {
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      cairo_translate (cr, x0, y0);
      cairo_scale (cr, scale, scale);
      attn_figure_draw (self->figure, cr);
      cairo_destroy (cr);
    }

  gtk_widget_snapshot_child (widget, self->label, snapshot);
}

static void
attn_figure_view_dispose (GObject *object)
{
  AttnFigureView *self = ATTN_FIGURE_VIEW (object);

  g_clear_pointer (&self->label, gtk_widget_unparent);
  g_clear_pointer (&self->figure, attn_figure_unref);

  G_OBJECT_CLASS (attn_figure_view_parent_class)->dispose (object);
}

static void
attn_figure_view_class_init (AttnFigureViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_figure_view_dispose;
  widget_class->snapshot = attn_figure_view_snapshot;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "attnfigureview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  /**
   * AttnFigureView::cell-activated:
   * @layer: the layer of the heatmap cell clicked
   * @position: its input position
   */
  signals[CELL_ACTIVATED] =
    g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
attn_figure_view_init (AttnFigureView *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->label), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->label), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (self->label, "dim-label");
  gtk_widget_set_visible (self->label, FALSE);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
  gtk_widget_set_size_request (GTK_WIDGET (self), 120, 80);
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
attn_figure_view_new (void)
{
  return g_object_new (ATTN_TYPE_FIGURE_VIEW, NULL);
}

/**
 * attn_figure_view_set_figure:
 * @figure: (nullable): the figure to show
 */
void
attn_figure_view_set_figure (AttnFigureView *self,
                             AttnFigure     *figure)
{
  g_return_if_fail (ATTN_IS_FIGURE_VIEW (self));

  if (self->figure == figure)
    return;
  if (figure != NULL)
    attn_figure_ref (figure);
  g_clear_pointer (&self->figure, attn_figure_unref);
  self->figure = figure;
  if (figure != NULL)
    {
      gtk_widget_set_visible (self->label, FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      attn_figure_get_caption (figure) ?
                                        attn_figure_get_caption (figure) : "",
                                      -1);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

AttnFigure *
attn_figure_view_get_figure (AttnFigureView *self)
{
  g_return_val_if_fail (ATTN_IS_FIGURE_VIEW (self), NULL);

  return self->figure;
}

/**
 * attn_figure_view_set_message:
 * @message: (nullable): text shown instead of the figure (an error, or why
 *   there is nothing to show)
 */
void
attn_figure_view_set_message (AttnFigureView *self,
                              const char     *message)
{
  g_return_if_fail (ATTN_IS_FIGURE_VIEW (self));

  if (message != NULL)
    g_clear_pointer (&self->figure, attn_figure_unref);
  gtk_label_set_text (GTK_LABEL (self->label), message ? message : "");
  gtk_widget_set_visible (self->label, message != NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
