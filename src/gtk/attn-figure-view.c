/* attn-figure-view.c: shows a finished figure (the heatmap, the comparison) scaled to fit
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "attn-figure-view.h"

struct _AttnFigureView
{
  GtkWidget   parent_instance;

  AttnFigure *figure;
  GtkWidget  *label;
};

G_DEFINE_FINAL_TYPE (AttnFigureView, attn_figure_view, GTK_TYPE_WIDGET)

static void
attn_figure_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  AttnFigureView *self = ATTN_FIGURE_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double fig_w, fig_h, scale;
  cairo_t *cr;

  if (self->figure != NULL && width > 0 && height > 0)
    {
      attn_figure_get_size (self->figure, &fig_w, &fig_h);
      if (fig_w > 0 && fig_h > 0)
        {
          /* fit, never enlarge beyond 1.5x: text stays at a sane size */
          scale = MIN (MIN (width / fig_w, height / fig_h), 1.5);
          cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
          cairo_translate (cr, (width - fig_w * scale) / 2., (height - fig_h * scale) / 2.);
          cairo_scale (cr, scale, scale);
          attn_figure_draw (self->figure, cr);
          cairo_destroy (cr);
        }
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
}

static void
attn_figure_view_init (AttnFigureView *self)
{
  self->label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->label), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->label), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (self->label, "dim-label");
  gtk_widget_set_visible (self->label, FALSE);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
  gtk_widget_set_size_request (GTK_WIDGET (self), 120, 80);
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
