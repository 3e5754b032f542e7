/* attn-zoomable.h: a view that zooms and pans (the graph, a figure), and its keys and gestures
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ATTN_TYPE_ZOOMABLE (attn_zoomable_get_type ())

G_DECLARE_INTERFACE (AttnZoomable, attn_zoomable, ATTN, ZOOMABLE, GtkWidget)

/**
 * AttnZoomableInterface:
 * @get_zoom: the magnification (1: the view's opening scale)
 * @set_zoom: sets it, keeping the widget's point (@x, @y) in place; the
 *   view clamps it to its range
 * @get_pan: where the content's origin is drawn, in widget coordinates;
 *   %FALSE when there is nothing to pan
 * @set_pan: draws the content's origin at (@x, @y), as far as the view
 *   lets it go
 * @zoom_to_fit: back to the opening scale and pan
 * @get_zoom_anchor: (nullable): where the zoom keys zoom about, if not the
 *   centre: a point of the view (the selected node), or %FALSE for the centre
 */
struct _AttnZoomableInterface
{
  GTypeInterface parent_iface;

  double   (*get_zoom)    (AttnZoomable *self);
  void     (*set_zoom)    (AttnZoomable *self,
                           double        zoom,
                           double        x,
                           double        y);
  gboolean (*get_pan)     (AttnZoomable *self,
                           double       *x,
                           double       *y);
  void     (*set_pan)     (AttnZoomable *self,
                           double        x,
                           double        y);
  void     (*zoom_to_fit) (AttnZoomable *self);
  gboolean (*get_zoom_anchor) (AttnZoomable *self,
                               double       *x,
                               double       *y);
};

double   attn_zoomable_get_zoom        (AttnZoomable   *self);
void     attn_zoomable_set_zoom        (AttnZoomable   *self,
                                        double          zoom,
                                        double          x,
                                        double          y);
void     attn_zoomable_pan             (AttnZoomable   *self,
                                        double          dx,
                                        double          dy);
void     attn_zoomable_zoom_to_fit     (AttnZoomable   *self);

void     attn_zoomable_install_actions (GtkWidgetClass *widget_class);
void     attn_zoomable_add_controllers (AttnZoomable   *self);

G_END_DECLS
