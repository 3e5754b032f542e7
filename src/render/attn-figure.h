/* attn-figure.h: figures (graph, heatmap, compare) and the builder that computes them
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "attn-core.h"
#include "attn-figure-style.h"
#include "attn-graph-layout.h"
#include "attn-graph-scene.h"

G_BEGIN_DECLS

typedef enum
{
  ATTN_FIGURE_GRAPH,
  ATTN_FIGURE_HEATMAP,
  ATTN_FIGURE_COMPARE,
  ATTN_FIGURE_EVALUATION,
} AttnFigureKind;

/**
 * AttnFigureBand:
 * @ATTN_FIGURE_BAND_ROWS: the layer names left of a heatmap block's cells
 * @ATTN_FIGURE_BAND_COLUMNS: the token labels under them
 */
typedef enum
{
  ATTN_FIGURE_BAND_ROWS,
  ATTN_FIGURE_BAND_COLUMNS,
} AttnFigureBand;

#define ATTN_POSITION_NONE  (-1)
#define ATTN_POSITION_FOCUS (-2)

/**
 * AttnFigureSettings:
 * @kind: graph, heatmap or compare
 * @all_methods: raw, rollout and flow side by side (`--view all`); else @method
 * @method: the one method shown when @all_methods is FALSE
 * @residual: α, as AttnGraphOptions
 * @head_mix: mean or max
 * @heads: (nullable): head subset as text ("0,3,5" or "0-5"), NULL or "all" for all
 * @position: the selected node's position: ≥ 0, %ATTN_POSITION_FOCUS (the
 *   example's focus) or %ATTN_POSITION_NONE (graph only: the un-clicked figure)
 * @layer: the selected node's layer (0 = the top layer of the range)
 * @sink: graph + flow only: one input token whose max-flow paths are shown,
 *   or -1
 * @first_layer: first layer of the range (0 = 1)
 * @last_layer: last layer of the range (0 = L)
 * @difference: compare only: add a difference heatmap (second minus first)
 *   when the first two examples are a minimal pair
 *   (attn_examples_are_minimal_pair())
 * @weights: what the graph's edges weigh (the attention, or a kind of the
 *   examples' contributions)
 * @weight_kinds: heatmap and compare only: several kinds side by side, one
 *   block each, for @method (1 << kind each; 0 or one bit: @weights alone);
 *   not with @all_methods
 * @all_weights: @weight_kinds are every kind the examples carry ("all"
 *   weights, not a list of them); only file names tell them apart
 * @layers_done: heatmap only: the values given are complete up to this
 *   layer (flow's heatmap while it is computed, bottom up): the rows above
 *   it are left out and the caption says how far it has got; 0: complete
 *
 * What to compute. Plain data; the strings are not owned.
 */
typedef struct
{
  AttnFigureKind  kind;
  gboolean        all_methods;
  AttnMethod      method;
  double          residual;
  AttnHeadMix     head_mix;
  const char     *heads;
  int             position;
  guint           layer;
  int             sink;
  guint           first_layer;
  guint           last_layer;
  gboolean        difference;
  AttnWeightKind  weights;
  guint           weight_kinds;
  gboolean        all_weights;
  guint           layers_done;
} AttnFigureSettings;

/* The least size of the application's views, in pixels: a graph's view and
 * the panel of a heatmap, a comparison or the evaluation plot. No figure is
 * laid out at a size under theirs (`attnflow-cli render --size 10x10` drew
 * the graph 10 px square, unreadable). */
#define ATTN_GRAPH_VIEW_MIN_WIDTH   240
#define ATTN_GRAPH_VIEW_MIN_HEIGHT  180
#define ATTN_FIGURE_VIEW_MIN_WIDTH  120
#define ATTN_FIGURE_VIEW_MIN_HEIGHT 80

#define ATTN_FIGURE_SETTINGS_INIT \
  { ATTN_FIGURE_GRAPH, FALSE, ATTN_METHOD_ROLLOUT, 0.5, ATTN_HEAD_MIX_MEAN, NULL, \
    ATTN_POSITION_FOCUS, 0, -1, 0, 0, TRUE, ATTN_WEIGHT_KIND_ATTENTION, 0, FALSE, 0 }

/**
 * AttnFigureInput:
 * @example: the example
 * @path: (nullable): the file it was loaded from (captions, command line)
 * @graph: (nullable): its graph under the figure's settings, when the caller
 *   has it (else it is built when needed)
 * @values: (nullable): per method, the L·n values at the figure's position
 *   under the settings' weights that the caller already computed (heatmap
 *   and compare figures); the missing ones are computed
 * @weight_values: (nullable): with several weight kinds, per kind, the L·n
 *   values of the settings' method the caller already computed
 *
 * One example of a figure. Plain data: nothing is owned.
 */
typedef struct
{
  AttnExample  *example;
  const char   *path;
  AttnGraph    *graph;
  const double *values[ATTN_N_METHODS];
  const double *weight_values[ATTN_N_WEIGHT_KINDS];
} AttnFigureInput;

/**
 * AttnFigure:
 *
 * A finished figure: its natural (1x) size in pixels, its vector drawing
 * (SVG, PDF) and its fast raster image (screen, PNG), a title and a caption
 * with the settings. Immutable and refcounted; may be drawn from any thread.
 */
typedef struct _AttnFigure AttnFigure;

#define ATTN_TYPE_FIGURE (attn_figure_get_type ())

GType            attn_figure_get_type            (void) G_GNUC_CONST;
AttnFigure      *attn_figure_ref                 (AttnFigure               *self);
void             attn_figure_unref               (AttnFigure               *self);

gboolean         attn_figure_check_depths        (const AttnFigureInput    *inputs,
                                                  guint                     n_inputs,
                                                  GError                  **error);
AttnFigure      *attn_figure_build               (const AttnFigureInput    *inputs,
                                                  guint                     n_inputs,
                                                  const AttnFigureSettings *settings,
                                                  const AttnFigureStyle    *style,
                                                  GCancellable             *cancellable,
                                                  GError                  **error);
void             attn_figure_build_at_size_async (const AttnFigureInput    *inputs,
                                                  guint                     n_inputs,
                                                  const AttnFigureSettings *settings,
                                                  const AttnFigureStyle    *style,
                                                  double                    width,
                                                  double                    height,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data);
AttnFigure      *attn_figure_build_finish        (GAsyncResult             *result,
                                                  GError                  **error);
AttnFigure      *attn_figure_build_get_at_size   (GAsyncResult             *result,
                                                  double                   *width,
                                                  double                   *height);
AttnFigure      *attn_figure_new_from_scene      (AttnGraphScene           *scene,
                                                  const AttnFigureStyle    *style);
AttnFigure      *attn_figure_new_from_scene_at_size (AttnGraphScene        *scene,
                                                  const AttnFigureStyle    *style,
                                                  double                    width,
                                                  double                    height);

AttnFigureKind   attn_figure_get_kind            (const AttnFigure         *self);
void             attn_figure_get_size            (const AttnFigure         *self,
                                                  double                   *width,
                                                  double                   *height);
const char      *attn_figure_get_title           (const AttnFigure         *self);
const char      *attn_figure_get_caption         (const AttnFigure         *self);
const char      *attn_figure_get_source          (const AttnFigure         *self);
char            *attn_figure_dup_description     (const AttnFigure         *self);
const AttnFigureStyle *attn_figure_get_style     (const AttnFigure         *self);
guint            attn_figure_get_n_labels        (const AttnFigure         *self);
const AttnLabel *attn_figure_get_label           (const AttnFigure         *self,
                                                  guint                     index);
guint            attn_figure_get_n_graphs        (const AttnFigure         *self);
AttnGraphLayout *attn_figure_get_graph_layout    (const AttnFigure         *self,
                                                  guint                     index,
                                                  double                   *x_offset,
                                                  double                   *y_offset);
AttnGraphScene  *attn_figure_get_graph_scene     (const AttnFigure         *self,
                                                  guint                     index);
const double    *attn_figure_get_antecedent_values (const AttnFigure       *self,
                                                  guint                     input,
                                                  AttnMethod                method,
                                                  guint                    *first_layer,
                                                  guint                    *n_layers,
                                                  guint                    *n_antecedents);
gboolean         attn_figure_label_is_highlighted (const AttnFigure        *self,
                                                  guint                     index);

void             attn_figure_draw                (const AttnFigure         *self,
                                                  cairo_t                  *cr);
cairo_surface_t *attn_figure_render_image        (const AttnFigure         *self,
                                                  double                    scale,
                                                  GCancellable             *cancellable);

AttnGraphScene  *attn_graph_scene_new_for_method (AttnGraph                *graph,
                                                  AttnMethod                method,
                                                  int                       layer,
                                                  int                       position,
                                                  int                       sink,
                                                  GCancellable             *cancellable,
                                                  GError                  **error);

char            *attn_figure_describe_settings   (const AttnFigureSettings *settings,
                                                  AttnExample              *example);
char            *attn_format_value               (double                    value);
guint            attn_figure_settings_get_weight_kinds (const AttnFigureSettings *settings);
char            *attn_figure_command_line        (const AttnFigureInput    *inputs,
                                                  guint                     n_inputs,
                                                  const AttnFigureSettings *settings,
                                                  const AttnFigureStyle    *style,
                                                  const char               *output,
                                                  double                    scale,
                                                  int                       width,
                                                  int                       height);
const char      *attn_figure_get_note            (const AttnFigure         *self);
guint            attn_figure_get_n_grids         (const AttnFigure         *self);
gboolean         attn_figure_get_grid_extent     (const AttnFigure         *self,
                                                  guint                     grid,
                                                  guint                    *last_layer,
                                                  guint                    *n_rows,
                                                  guint                    *n_columns);
gboolean         attn_figure_get_cell            (const AttnFigure         *self,
                                                  guint                     grid,
                                                  guint                     layer,
                                                  guint                     position,
                                                  AttnRect                 *rect);
gboolean         attn_figure_hit_cell            (const AttnFigure         *self,
                                                  double                    x,
                                                  double                    y,
                                                  guint                    *layer,
                                                  guint                    *position,
                                                  double                   *value,
                                                  const char              **token);
gboolean         attn_figure_get_label_band      (const AttnFigure         *self,
                                                  guint                     grid,
                                                  AttnFigureBand            band,
                                                  double                    shrink,
                                                  AttnRect                 *cells,
                                                  AttnRect                 *rect);
void             attn_figure_draw_label_band     (const AttnFigure         *self,
                                                  guint                     grid,
                                                  AttnFigureBand            band,
                                                  double                    shrink,
                                                  double                    chosen,
                                                  const AttnRect           *visible,
                                                  cairo_t                  *cr);
const char      *attn_figure_get_block_at        (const AttnFigure         *self,
                                                  double                    x,
                                                  double                    y);
char            *attn_figure_get_values_table    (const AttnFigure         *self);

AttnFigure      *attn_figure_new_at_size         (const AttnFigure         *self,
                                                  double                    width,
                                                  double                    height);
AttnFigure      *attn_figure_build_at_size       (const AttnFigureInput    *inputs,
                                                  guint                     n_inputs,
                                                  const AttnFigureSettings *settings,
                                                  const AttnFigureStyle    *style,
                                                  double                    width,
                                                  double                    height,
                                                  GCancellable             *cancellable,
                                                  GError                  **error);
double           attn_figure_get_text_size       (const AttnFigure         *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnFigure, attn_figure_unref)

G_END_DECLS
