/* attn-graph-view-private.h: what the graph view's files share
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-graph-view.h"

G_BEGIN_DECLS

#define MIN_ZOOM 1.0
#define MAX_ZOOM 32.0
/* Above this zoom, the input tokens and layer names stay in sight along the
 * view's bottom and left edges */
#define ATTN_GRAPH_VIEW_STICKY_ZOOM 1.01

struct _AttnGraphView
{
  GtkWidget          parent_instance;

  AttnExample       *example;
  AttnGraphScene    *input;       /* what to show next (the session's scene) */
  AttnTrace         *trace;       /* its trace */
  char              *colormap;
  double             threshold;
  guint              top_k;
  gboolean           exclude_special;
  gboolean           busy;

  /* view transform: the figure's origin is at (pan_x, pan_y) in widget
   * coordinates, and it is drawn zoom times the widget's size */
  double             zoom;
  double             pan_x;
  double             pan_y;
  /* the widget point the last zoom was about, which a new layout keeps
   * over the same place of the graph (negative: the widget's centre) */
  double             anchor_x;
  double             anchor_y;

  /* what is on screen: the image of @scene laid out as @layout */
  AttnGraphLayout   *layout;
  AttnGraphScene    *scene;
  AttnFigureStyle    style;
  double             layout_zoom;
  double             layout_width;
  double             layout_height;
  GdkTexture        *texture;
  cairo_surface_t   *image;
  double             image_scale;
  /* zoomed in, the colour bar's band kept in sight: its image, with its
   * bar bar_height high at bar_scale (none until drawn, after each image) */
  GdkTexture        *bar_texture;
  double             bar_height;
  int                bar_scale;

  /* rendering */
  GCancellable      *render_cancellable;
  guint              render_generation;
  guint              render_timeout_id;
  gboolean           rendering;
  gboolean           render_again;
  int                rendered_width;
  int                rendered_height;

  /* interaction */
  guint              cursor_layer;
  guint              cursor_position;
  char              *hover_text;
  gboolean           hover_pointer;  /* @hover_text tells what is at the pointer */
  double             hover_x;        /* where the pointer was, in the widget */
  double             hover_y;
};

/* attn-graph-view.c */
guint    _attn_graph_view_n_layers             (AttnGraphView *self);
void     _attn_graph_view_layer_range          (AttnGraphView *self,
                                                guint         *first,
                                                guint         *last);
double   _attn_graph_view_figure_scale         (AttnGraphView *self);
GdkTexture *_attn_graph_view_texture_new       (cairo_surface_t *image);
void     _attn_graph_view_set_hover_text       (AttnGraphView *self,
                                                const char    *text);
void     _attn_graph_view_clamp_pan            (AttnGraphView *self);
void     _attn_graph_view_widget_to_layout     (AttnGraphView *self,
                                                double         x,
                                                double         y,
                                                double        *lx,
                                                double        *ly);
char    *_attn_graph_view_describe_edge        (AttnGraphView *self,
                                                guint          layer,
                                                guint          query,
                                                guint          key);
char    *_attn_graph_view_describe_node        (AttnGraphView *self,
                                                guint          layer,
                                                guint          position);
void     _attn_graph_view_emit_node_activated  (AttnGraphView *self,
                                                guint          layer,
                                                guint          position);

/* attn-graph-view-labels.c */
/* A token label along the bottom edge: the token's @position, the @left
 * edge of its label and its @width, in widget coordinates */
typedef struct
{
  guint  position;
  double left;
  double width;
} AttnGraphViewLabel;

GArray  *_attn_graph_view_strip_labels         (AttnGraphView  *self);
gboolean _attn_graph_view_pinned_colorbar      (AttnGraphView   *self,
                                                graphene_rect_t *rect,
                                                double          *bar_height);
gboolean _attn_graph_view_is_pinned            (AttnGraphView  *self,
                                                double          x,
                                                double          y);
void     _attn_graph_view_snapshot_labels      (AttnGraphView  *self,
                                                GtkSnapshot    *snapshot,
                                                int             width,
                                                int             height);

/* attn-graph-view-input.c */
void     _attn_graph_view_class_init_input     (GtkWidgetClass *widget_class);
gboolean _attn_graph_view_get_zoom_anchor      (AttnZoomable   *zoomable,
                                                double         *x,
                                                double         *y);
void     _attn_graph_view_init_input           (AttnGraphView  *self);
void     _attn_graph_view_update_hover         (AttnGraphView  *self,
                                                double          x,
                                                double          y);

G_END_DECLS
