/* attn-render-private.h: helpers shared inside src/render
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "attn-figure.h"
#include "attn-figure-style.h"
#include "attn-graph-layout.h"
#include "attn-graph-scene.h"

G_BEGIN_DECLS

#define ATTN_TOKEN_MAX_CHARS 16
/* At a given height too low for them, the most of it (less the title and
 * caption) that the rotated token labels of a figure may take: long words
 * ("unfortunately") left a 12-layer graph at 900x600 rows 9 px apart, and
 * a token of 120 characters left a heatmap's three layers 22 px in all */
#define ATTN_TOKEN_LABELS_SHARE 0.22

/* pango 1.50 has no autoptr for PangoContext; an alias avoids clashing with later versions. */
typedef PangoContext AttnPangoContext;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnPangoContext, g_object_unref)

PangoContext *_attn_text_context_new     (void);
void          _attn_text_setup_cairo     (cairo_t               *cr);
cairo_t      *_attn_image_context_new    (double                 width,
                                          double                 height,
                                          double                 scale,
                                          cairo_surface_t      **image);
PangoLayout  *_attn_text_layout_new      (PangoContext          *context,
                                          const AttnFigureStyle *style,
                                          const char            *text,
                                          double                 font_size,
                                          gboolean               bold,
                                          double                 wrap_width);
void          _attn_text_measure         (PangoContext          *context,
                                          const AttnFigureStyle *style,
                                          const char            *text,
                                          double                 font_size,
                                          gboolean               bold,
                                          double                 wrap_width,
                                          double                *width,
                                          double                *height);
const char   *_attn_models_format        (gboolean               several);
gboolean     *_attn_marked_tokens        (AttnExample           *example,
                                          int                    position,
                                          int                    sink);
char         *_attn_caption_text         (const char            *text);
char         *_attn_shorten_text         (const char            *text,
                                          glong                  max_chars);
double        _attn_token_labels_room    (double                 avail,
                                          double                 line_h);
char         *_attn_text_shorten_to_width (PangoContext         *context,
                                          const AttnFigureStyle *style,
                                          const char            *text,
                                          double                 font_size,
                                          double                 room,
                                          double                *width);
void          _attn_place_column_labels  (guint                  n,
                                          const double          *center,
                                          const double          *width,
                                          const gboolean        *marked,
                                          double                *left);
/* What a label says and how it is set: @size in pixels at 1x, @wrap the width
 * the text wraps at (0: one line), @angle 0 or -π/2. Meant for designated
 * initialisers, so that fields left at 0 need not be written. */
typedef struct
{
  AttnLabelKind  kind;
  guint          index;
  const char    *text;
  double         size;
  gboolean       bold;
  double         wrap;
  double         angle;
} AttnLabelSpec;

void          _attn_label_init           (AttnLabel             *label,
                                          PangoContext          *context,
                                          const AttnFigureStyle *style,
                                          const AttnLabelSpec   *spec);
void          _attn_label_place          (AttnLabel             *label,
                                          double                 x,
                                          double                 y);
void          _attn_label_clear          (AttnLabel             *label);
GArray       *_attn_labels_new           (void);
void          _attn_label_draw           (cairo_t               *cr,
                                          const AttnLabel       *label,
                                          const AttnFigureStyle *style,
                                          const AttnRgba        *color);
void          _attn_set_source_rgba      (cairo_t               *cr,
                                          const AttnRgba        *color);
void          _attn_fill_background      (cairo_t               *cr,
                                          const AttnRgba        *color,
                                          double                 width,
                                          double                 height);
void          _attn_set_source_map       (cairo_t               *cr,
                                          const AttnColormap    *map,
                                          double                 t,
                                          double                 alpha);
double        _attn_relative_luminance   (double                 r,
                                          double                 g,
                                          double                 b);
double        _attn_contrast_ratio       (double                 a,
                                          double                 b);
const AttnRgba *_attn_ink_over           (double                 luminance);
const AttnRgba *_attn_ink_over_map       (const AttnColormap    *map,
                                          double                 t);
char         *_attn_format_exponent      (double                 value,
                                          int                    digits);
char         *_attn_format_tick          (double                 value,
                                          double                 step);
double        _attn_colorbar_tick_top    (const AttnRect        *bar,
                                          double                 y,
                                          double                 height,
                                          double                 top_reach);
void          _attn_draw_colorbar        (cairo_t               *cr,
                                          const AttnFigureStyle *style,
                                          const AttnColormap    *map,
                                          const AttnRect        *bar,
                                          double                 min,
                                          double                 max,
                                          double                 t0,
                                          double                 t1,
                                          double                 top_reach);
void          _attn_draw_colorbar_left_ticks (cairo_t               *cr,
                                              const AttnFigureStyle *style,
                                              const AttnRect        *bar,
                                              double                 min,
                                              double                 max);

/* An edge that carries at least this share of its layer's flow (after a
 * click in rollout or flow) is drawn at least at ATTN_EDGE_MIN_ALPHA */
#define ATTN_EDGE_MIN_SHARE 0.01
#define ATTN_EDGE_MIN_ALPHA 0.3
/* Without a click (rollout, flow, per layer), an edge that carries an even
 * share of its node's importance or more is drawn at least at this opacity */
#define ATTN_EVEN_MIN_ALPHA 0.3
/* Raw attention per layer: the opacity of t is that of t^this */
#define ATTN_UNCLICKED_GAMMA 3.

double        _attn_graph_map_position   (const AttnFigureStyle *style,
                                          double                 t);
double        _attn_graph_edge_alpha     (const AttnGraphScene  *scene,
                                          double                 t);
double        _attn_graph_stroke_alpha   (const AttnGraphScene  *scene,
                                          double                 t,
                                          gboolean               saturated);
double        _attn_graph_layer_scale    (const AttnGraphScene  *scene,
                                          guint                  layer,
                                          gboolean               nodes,
                                          double                 scale_max);
guint         _attn_colorbar_n_ticks     (double                 bar_height,
                                          double                 tick_height);
guint         _attn_colorbar_ticks       (double                 min,
                                          double                 max,
                                          guint                  room,
                                          double                 ticks[5],
                                          double                *step);
double        _attn_colorbar_ticks_width (PangoContext          *context,
                                          const AttnFigureStyle *style);
double        _attn_colorbar_ticks_used_width (PangoContext          *context,
                                               const AttnFigureStyle *style,
                                               double                 min,
                                               double                 max,
                                               double                 height);
double        _attn_colorbar_ticks_range_width (PangoContext          *context,
                                                const AttnFigureStyle *style,
                                                double                 min,
                                                double                 max);

/* attn-figure-text.c: the scene's caption with the threshold, top-k and
 * colour scale it is drawn with */
guint         _attn_longest_token        (AttnExample           *example);
char        **_attn_caption_room         (const AttnFigureSettings *settings,
                                          AttnExample           *example);
char         *_attn_graph_caption_of     (const AttnGraphScene  *scene,
                                          const char            *caption,
                                          const AttnFigureStyle *style);
char         *_attn_graph_caption        (const AttnGraphScene  *scene,
                                          const AttnFigureStyle *style);

/* Visibility of the edges of one layer: fills @visible (n·n) with the
 * normalised value t ∈ (0, 1] of every drawn edge and 0 for the others;
 * @scale_max is the graph's range, for a scene without per-layer ranges.
 * With the style's top-k, a node keeps its k strongest edges by value, and
 * those tied with the k-th. @saturated (nullable, n·n) is set to 1 for the
 * drawn edges above the range (drawn at t = 1), 0 for the others. */
void          _attn_graph_visible_edges  (const AttnGraphScene  *scene,
                                          const AttnFigureStyle *style,
                                          guint                  layer,
                                          double                 scale_max,
                                          float                 *visible,
                                          guint8                *saturated);

/* An edge above the range (saturated) keeps the map's strongest colour but
 * is drawn under the edges in the range, at this fraction of the line width
 * and at most this opacity, so that the many long edges into the special
 * tokens do not cover the structure between the others */
#define ATTN_SATURATED_WIDTH 0.5
#define ATTN_SATURATED_ALPHA 0.6

/* The graph renderer's two files: attn-graph-renderer.c (the figure, the
 * vector path) and attn-graph-raster.c (the edges of the raster path) */
#define ATTN_GRAPH_MAX_ALPHA 0.995

/* What every step of drawing one graph reads: the geometry, the values, the
 * colours, the layout's tokens and layers, the graph's range and whether to
 * draw the screen's level of detail */
typedef struct
{
  const AttnGraphLayout *layout;
  const AttnGraphScene  *scene;
  const AttnFigureStyle *style;
  guint                  n;
  guint                  first;
  guint                  last;
  double                 scale_max;
  gboolean               lod;
} AttnGraphPaint;

double        _attn_graph_line_width     (const AttnGraphLayout *layout);
gboolean      _attn_graph_layout_bar_label (const AttnGraphLayout *self,
                                            const AttnLabel       *label,
                                            double                 bar_height,
                                            AttnLabel             *moved);
void          _attn_graph_raster_edges   (const AttnGraphPaint  *paint,
                                          double                 scale,
                                          cairo_surface_t       *surface,
                                          GCancellable          *cancellable);

/* Figures drawn outside attn-figure.c (the evaluation plot) */
typedef void (*AttnFigureDrawFunc) (const AttnFigure *figure,
                                    cairo_t          *cr,
                                    gpointer          data);

AttnFigure   *_attn_figure_new_custom    (AttnFigureKind         kind,
                                          const AttnFigureStyle *style,
                                          double                 width,
                                          double                 height,
                                          const char            *title,
                                          const char            *caption,
                                          GArray                *labels,
                                          AttnFigureDrawFunc     draw,
                                          gpointer               data,
                                          GDestroyNotify         destroy);

G_END_DECLS
