/* attn-graph-layout.h: geometry of the layered graph figure
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "attn-figure-style.h"
#include "attn-graph-scene.h"

G_BEGIN_DECLS

typedef struct
{
  double x;
  double y;
  double width;
  double height;
} AttnRect;

/**
 * AttnLabelKind:
 * @ATTN_LABEL_TOKEN_BOTTOM: an input token, under layer 0
 * @ATTN_LABEL_TOKEN_TOP: a token above the top layer
 * @ATTN_LABEL_LAYER: a layer name on the left
 * @ATTN_LABEL_TITLE: the figure title
 * @ATTN_LABEL_SCALE: colour bar ticks and name
 * @ATTN_LABEL_CAPTION: the settings line under the figure
 * @ATTN_LABEL_SENTENCE: a token of the sentence coloured by importance
 * @ATTN_LABEL_PREDICTION: a prediction candidate or its probability
 * @ATTN_LABEL_VALUE: a value printed in a heatmap cell
 * @ATTN_LABEL_NOTE: a remark (e.g. why there is no difference heatmap)
 */
typedef enum
{
  ATTN_LABEL_TOKEN_BOTTOM,
  ATTN_LABEL_TOKEN_TOP,
  ATTN_LABEL_LAYER,
  ATTN_LABEL_TITLE,
  ATTN_LABEL_SCALE,
  ATTN_LABEL_CAPTION,
  ATTN_LABEL_SENTENCE,
  ATTN_LABEL_PREDICTION,
  ATTN_LABEL_VALUE,
  ATTN_LABEL_NOTE,
} AttnLabelKind;

/**
 * AttnLabel:
 * @kind: what the label names
 * @index: token position, layer, or tick index
 * @text: the text drawn
 * @box: its bounding box in layout coordinates (after rotation)
 * @x, @y: where the text's origin is (layout coordinates)
 * @angle: rotation in radians (0 or -π/2)
 * @font_size: pixels at 1x
 * @bold: drawn in bold
 * @wrap_width: the width the text wraps at (0: one line)
 * @line_spacing: the space between its lines in all, which its box takes
 *   across them: 0 but for a rotated label of several lines (a colour
 *   bar's name takes it from the gap after the bar's tick labels)
 */
typedef struct
{
  AttnLabelKind  kind;
  guint          index;
  char          *text;
  AttnRect       box;
  double         x;
  double         y;
  double         angle;
  double         font_size;
  gboolean       bold;
  double         wrap_width;
  double         line_spacing;
} AttnLabel;

/**
 * AttnGraphLayout:
 *
 * Node positions, label boxes, the plot area and the colour bar of a graph
 * figure: one row of nodes per layer, layer @first_layer - 1 (the inputs when
 * @first_layer is 1) at the bottom, @last_layer at the top; input tokens
 * labelled along the bottom and the top layer's tokens along the top
 * (rotated and thinned so that they never overlap), layer names on the left,
 * the colour bar and its scale on the right, the title above and the
 * caption below. Coordinates are in pixels at 1x, origin top left; the app
 * applies its own zoom and pan transform before hit-testing.
 *
 * Immutable and refcounted; built with Pango (pangocairo's per-thread
 * font map), so it may be built on a worker thread.
 */
typedef struct _AttnGraphLayout AttnGraphLayout;

/**
 * AttnGraphLayoutSpec:
 * @tokens: (array length=n_tokens): the tokens
 * @n_tokens: how many there are (at least one)
 * @first_layer: first layer drawn (1..L): row @first_layer - 1 is the bottom
 * @last_layer: last layer drawn (≥ @first_layer): the top row
 * @style: fonts (colours are not used)
 * @title: (nullable): title above the graph
 * @scale_label: (nullable): name of the colour bar
 * @title_room: (nullable) (array zero-terminated=1): at a @width, titles
 *   the layout keeps room for, so that another title moves no node
 * @scale_room: (nullable) (array zero-terminated=1): at a @width, colour
 *   bar names it keeps room for, likewise: the first @scale_room_own
 *   always, the others when they take little more
 * @scale_room_own: how many of @scale_room are the shown method's
 * @caption_room: (nullable) (array zero-terminated=1): at a @width and
 *   @height, captions it keeps room for, likewise
 * @caption: (nullable): settings line(s) under the graph
 * @marked: (nullable) (array length=n_tokens): the tokens labelled even
 *   where not all fit (the others are thinned around them)
 * @marked_layer: the layer (0: the input, the default) whose row is
 *   labelled even where not every row's label fits (the selected node's;
 *   the others are thinned around it)
 * @node_ticks: the colour bar has a second scale on its left, the nodes'
 *   own range (one range for all layers after a click), and its two
 *   scales are named under it
 * @node_ticks_room: keep the room for that scale even without it, so that
 *   a click that brings it moves no node
 * @width: target width in pixels, or 0 for the natural width
 * @height: target height in pixels, or 0 for the natural height
 *
 * What attn_graph_layout_new() lays out; the texts and sizes left at 0
 * (%NULL) are left out or natural.
 */
typedef struct
{
  const char * const    *tokens;
  guint                  n_tokens;
  guint                  first_layer;
  guint                  last_layer;
  const AttnFigureStyle *style;
  const char            *title;
  const char            *scale_label;
  const char * const    *title_room;
  const char * const    *scale_room;
  guint                  scale_room_own;
  const char * const    *caption_room;
  const char            *caption;
  const gboolean        *marked;
  guint                  marked_layer;
  gboolean               node_ticks;
  gboolean               node_ticks_room;
  double                 width;
  double                 height;
} AttnGraphLayoutSpec;

/* The room an interactive view's keyboard cursor takes round a node,
 * outside the selection's ring (radius r + 3, 2 px wide): a 2 px gap and
 * a 2 px ring, in the view's pixels; the token labels keep clear of it */
#define ATTN_GRAPH_CURSOR_ROOM 4.

#define ATTN_TYPE_GRAPH_LAYOUT (attn_graph_layout_get_type ())

GType            attn_graph_layout_get_type        (void) G_GNUC_CONST;
AttnGraphLayout *attn_graph_layout_new             (const AttnGraphLayoutSpec *spec);
AttnGraphLayout *attn_graph_layout_new_for_scene   (const AttnGraphScene  *scene,
                                                    const AttnFigureStyle *style,
                                                    gboolean               with_caption,
                                                    double                 width,
                                                    double                 height);
AttnGraphLayout *attn_graph_layout_ref             (AttnGraphLayout       *self);
void             attn_graph_layout_unref           (AttnGraphLayout       *self);

void             attn_graph_layout_get_size        (const AttnGraphLayout *self,
                                                    double                *width,
                                                    double                *height);
guint            attn_graph_layout_get_n_tokens    (const AttnGraphLayout *self);
guint            attn_graph_layout_get_first_layer (const AttnGraphLayout *self);
guint            attn_graph_layout_get_last_layer  (const AttnGraphLayout *self);
void             attn_graph_layout_get_node        (const AttnGraphLayout *self,
                                                    guint                  layer,
                                                    guint                  position,
                                                    double                *x,
                                                    double                *y);
double           attn_graph_layout_get_node_radius (const AttnGraphLayout *self);
void             attn_graph_layout_get_plot_area   (const AttnGraphLayout *self,
                                                    AttnRect              *rect);
gboolean         attn_graph_layout_has_node_ticks  (const AttnGraphLayout *self);
void             attn_graph_layout_get_colorbar    (const AttnGraphLayout *self,
                                                    AttnRect              *rect);
void             attn_graph_layout_get_colorbar_band (const AttnGraphLayout *self,
                                                      double                 bar_height,
                                                      AttnRect              *rect);
guint            attn_graph_layout_get_n_labels    (const AttnGraphLayout *self);
const AttnLabel *attn_graph_layout_get_label       (const AttnGraphLayout *self,
                                                    guint                  index);
const char      *attn_graph_layout_get_token       (const AttnGraphLayout *self,
                                                    guint                  position);
gboolean         attn_graph_layout_is_marked       (const AttnGraphLayout *self,
                                                    guint                  position);
void             attn_graph_layout_place_row_labels (const AttnGraphLayout *self,
                                                     guint                  n,
                                                     const guint           *positions,
                                                     const double          *center,
                                                     const double          *width,
                                                     double                *left);

gboolean         attn_graph_layout_hit_node        (const AttnGraphLayout *self,
                                                    double                 x,
                                                    double                 y,
                                                    guint                 *layer,
                                                    guint                 *position);
gboolean         attn_graph_layout_hit_edge        (const AttnGraphLayout *self,
                                                    const AttnGraphScene  *scene,
                                                    const AttnFigureStyle *style,
                                                    double                 x,
                                                    double                 y,
                                                    double                 tolerance,
                                                    guint                 *layer,
                                                    guint                 *query,
                                                    guint                 *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnGraphLayout, attn_graph_layout_unref)

G_END_DECLS
