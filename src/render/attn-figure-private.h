/* attn-figure-private.h: what the figure's files share
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * attn-figure.c holds the figure and draws it; attn-figure-text.c writes its
 * settings as a caption and as a command line; attn-figure-heatmap.c builds
 * the heatmap and compare figures of the blocks and colour bars that
 * attn-figure-block.c lays out, attn-figure-graph.c the graph figures;
 * attn-figure-fit.c lays a heatmap or compare figure out again at the size
 * it is shown at; attn-figure-bands.c, attn-figure-marks.c,
 * attn-figure-predictions.c and attn-figure-values.c hold a block's label
 * bands, its columns' marks, the prediction bars and the blocks' values;
 * attn-figure-antecedents.c the compare figure's antecedent section
 * (attn-figure-heatmap-private.h); attn-figure-async.c builds and saves
 * figures on a worker thread.
 */

#pragma once

#include "attn-figure.h"
#include "attn-render-private.h"

G_BEGIN_DECLS

#define PAD 12.
#define GAP 24.
/* A block's column labels keep this clear of the text left of the gap before it */
#define LABELS_CLEAR 6.
#define COLORBAR_WIDTH 14.
#define MAX_CANDIDATES 5

typedef struct
{
  AttnGraphLayout *layout;
  AttnGraphScene  *scene;
  double           x;
  double           y;
} GraphPanel;

typedef struct
{
  double    x;            /* top left of the cells */
  double    y;
  double    cw;
  double    ch;
  guint     n;
  guint     n_rows;       /* rows top to bottom: last layer first */
  double   *values;       /* n_rows * n, row 0 = the top (last) layer */
  gboolean  diverging;
  int       mark;         /* column outlined (the selected position), or -1 */
  double    vmax;         /* colour scale maximum (a difference's: of its magnitude) */
  guint    *highlight;    /* columns outlined dashed (the antecedents) */
  guint     n_highlight;
  guint     last_layer;   /* the layer of row 0 */
  char    **tokens;       /* n: each column's token */
  guint    *positions;    /* n: each column's input position, or NULL: the column's */
  char     *name;         /* its block's title */
  /* its row and column labels, every one (the figure draws some, where
   * they fit), or NULL: its rows or columns named by a neighbour's; each
   * in a band left of the cells and one under them (attn-figure-bands.c) */
  GArray   *row_labels;     /* AttnLabel: n_rows, centred on their rows */
  double    row_label_h;
  AttnRect  rows_band;
  GArray   *column_labels;  /* AttnLabel: n, centred on their columns */
  gboolean *column_kept;    /* n: labelled even where not all fit */
  AttnRect  columns_band;
  double    value_w;        /* the widest value printed in its cells, 0 for none */
  double    value_h;        /* and their height */
} HeatGrid;

typedef struct
{
  AttnRect  rect;
  double    t;            /* colour map position, or < 0 for a plain bar */
  gboolean  accent;       /* plain bar: accent or muted */
  gboolean  diverging;
  int       label;        /* index of the label drawn on it, or -1 */
  gboolean  highlight;    /* underlined: an antecedent */
} Swatch;

typedef struct
{
  AttnRect  rect;
  gboolean  diverging;
  double    min;
  double    max;
  double    top_reach;   /* how far over the bar its top tick's label may reach (under a title), 0: half its height */
} Colorbar;

/* Compare figures: the pronoun's importance of each candidate antecedent */
typedef struct
{
  guint       example;    /* index among the figure's inputs */
  AttnMethod  method;
  guint       first;      /* first layer of the rows */
  guint       n_layers;
  guint       k;          /* antecedents */
  double     *values;     /* n_layers * k, layer first first */
} AntecedentPanel;

struct _AttnFigure
{
  gatomicrefcount  ref_count;
  AttnFigureKind   kind;
  AttnFigureStyle  style;
  char            *font_family;
  double           width;
  double           height;
  char            *title;
  char            *caption;
  char            *source;     /* nullable: “model: … · file: …”, for the metadata */
  char            *files;      /* nullable: its “file: …” part, after the caption there */
  char            *note;
  GArray          *graphs;     /* GraphPanel */
  GArray          *grids;      /* HeatGrid */
  GArray          *swatches;   /* Swatch */
  GArray          *colorbars;  /* Colorbar */
  GArray          *labels;     /* AttnLabel */
  GArray          *highlighted;  /* guint: labels drawn in the highlight colour */
  GArray          *antecedents;  /* AntecedentPanel */
  guint            n_panel_labels;  /* graph: labels drawn by the panels */
  struct _HeatmapData *heatmap;     /* heatmap and compare: what to lay out again */
  AttnFigureDrawFunc custom_draw;   /* figures drawn elsewhere (evaluation plot) */
  gpointer         custom_data;
  GDestroyNotify   custom_destroy;
  /* lays a custom figure out again at a size (attn_figure_new_at_size()) */
  AttnFigure     *(*custom_at_size) (const AttnFigure *self,
                                     double            width,
                                     double            height);
};

/* Laying a figure out */
typedef struct
{
  AttnFigure            *figure;
  PangoContext          *context;
  const AttnFigureStyle *style;
  double                 fs;
  double                 line_h;
  double                 cw;
  double                 ch;
  gboolean               rotated;
  double                 token_h;   /* height of the column labels */
  double                 layer_w;   /* width of the row labels */
  gboolean               rows_unlabelled;  /* blocks placed now leave their rows to the labels left of them */
  gboolean               columns_unlabelled;  /* ...and their columns to the labels of the block under them */
  double                 fit_cw;    /* laid out at a size: the cells (0: natural) */
  double                 fit_ch;
  guint                  layers_done;  /* a heatmap filling in: the layers above are not computed yet (0: all are) */
  guint                  sentence_layer;  /* a heatmap's sentence is coloured by this layer's row (0: the top one) */
  double                 title_room;  /* a block's title may reach this far past its cells (over its colour bar) */
  double                 labels_reach;  /* ...and its column labels this far left of it (into the gap before it) */
  double                 bar_name_w;  /* laid out at a size, the width a colour bar's name may take (0: any) */
  double                 bar_top_reach;  /* ...and how far over it its top tick's label may reach (0: any) */
  double                 token_w;   /* the widest token's width (0: not measured yet) */
  double                 fitted_token_w;  /* ...as a layout at a size shows it, shortened */
  gboolean               whole_tokens;  /* at its natural size: the token labels whole (_attn_token_text()) */
  double                 token_room;  /* laid out at a size: the most the rotated column labels may take (0: any) */
  gboolean               marks_room;  /* laid out to be scrolled: the blocks' titles further from their cells' marks */
  AttnExample           *subtracted;  /* a difference block is placed: the example subtracted (NULL: none) */
} Builder;

/* A heatmap or compare figure's content, kept to lay it out again at
 * another size (attn_figure_new_at_size()): owned copies of the inputs and
 * settings (no graphs, no caller's values), the values of every example
 * and block, and what was chosen from them. Immutable once built. */
typedef struct _HeatmapData
{
  gatomicrefcount     ref_count;
  AttnFigureInput    *inputs;      /* examples referenced, paths owned */
  guint               n_inputs;
  AttnFigureSettings  settings;    /* heads owned */
  AttnFigureStyle     style;       /* its font family is @font_family */
  char               *font_family;
  AttnMethod          methods[ATTN_N_WEIGHT_KINDS];
  AttnWeightKind      kinds[ATTN_N_WEIGHT_KINDS];
  guint               n_methods;
  gboolean            by_kind;
  guint               first;
  guint               last;
  gboolean            have_predictions;
  GPtrArray          *values;      /* [example * n_methods + block], L * n each */
  /* each block's colour scale (a method's values differ in size from
   * another's: raw attention's dwarf rollout's), the same in every example */
  double              vmax[ATTN_N_WEIGHT_KINDS];
  gboolean            saturated[ATTN_N_WEIGHT_KINDS];  /* @vmax leaves the heatmaps' own positions out */
  /* laid out at a size, the room each block's colour bar keeps for its
   * tick labels (_attn_colorbar_ticks_range_width() of its scale) and the
   * widest token's width, shortened as such a layout shows it:
   * _attn_heatmap_data_measure() */
  double              ticks_w[ATTN_N_WEIGHT_KINDS];
  double              token_w;
} HeatmapData;

/* Where a heatmap laid out at a size puts its title and caption: across
 * the figure, in the side column, or nowhere (a panel too small for them;
 * the window says the same around it) */
typedef enum
{
  FIT_TEXT_ACROSS,
  FIT_TEXT_BESIDE,
  FIT_TEXT_NONE,
} FitText;

/* How a heatmap is laid out: its natural cells, or cells chosen to fill
 * @width x @height (@side: the predictions and sentences in a column to
 * the right of the blocks, for a wide and low panel, @side_w wide;
 * @text: where the title and caption go;
 * @no_sentence: no sentence, and a side column only for predictions;
 * @inline_predictions: without the side column, the predictions in a line
 * beside the line over the blocks (see _attn_figure_place_predictions_inline());
 * @columns: an example's blocks in rows of this many, or 0 for
 * MAX_COLUMNS; @per_line: a comparison's examples in lines of this many,
 * or 0 for all on one; @difference_below: its difference heatmap on a
 * line of its own under the first, not beside its colour bar;
 * @min_ch: the rows' least height, or 0 for the default; @scrolled: laid
 * out to be scrolled, each block over its own column labels; @token_room:
 * the most the rotated column labels may take, longer ones shortened, or 0
 * for any) */
typedef struct
{
  double    width;
  double    height;
  double    cw;
  double    ch;
  gboolean  side;
  double    side_w;
  FitText   text;
  gboolean  no_sentence;
  gboolean  inline_predictions;
  guint     columns;
  guint     per_line;
  gboolean  difference_below;
  double    min_ch;
  gboolean  scrolled;
  double    token_room;
} HeatmapFit;

/* What a layout measured: the width its content needs (with the side
 * column and the gap before it, @side_width, or 0), how many cell
 * columns (across) and rows (down) it stacks, the widest token's width as
 * a layout at a size shows it (shortened past ATTN_TOKEN_MAX_CHARS), the
 * height of a line of labels */
typedef struct
{
  double needed_width;
  double side_width;
  double n_cell_columns;
  double n_cell_rows;
  double cw;
  double ch;
  double token_w;
  double line_h;
} HeatmapMetrics;

/* One example's blocks go in rows of at most this many (six weight kinds
 * would make a figure too wide for a page) */
#define MAX_COLUMNS 3

/* The values printed in cells, as a share of the font size (9 px at 13) */
#define VALUE_FONT 0.7

/* Which columns of an example a heatmap block shows: all of them
 * (@columns NULL), or @n_columns picked ones */
typedef struct
{
  const guint *columns;
  guint        n_columns;
} Columns;

#define ALL_COLUMNS ((Columns) { NULL, 0 })

/* What a column's head placed from: its first label and swatch, and how
 * high it came out */
typedef struct
{
  guint  label;
  guint  swatch;
  double height;
} PlacedColumn;

/* attn-figure.c */
AttnFigure *_attn_figure_new              (AttnFigureKind            kind,
                                           const AttnFigureStyle    *style);
AttnLabel  *_attn_figure_add_label        (Builder                  *b,
                                           const AttnLabelSpec      *spec,
                                           double                    x,
                                           double                    y);
AttnLabel  *_attn_figure_add_title        (Builder                  *b,
                                           const char               *text,
                                           double                    wrap,
                                           double                    x,
                                           double                    y);
double      _attn_figure_measure_width    (Builder                  *b,
                                           const char               *text,
                                           double                    size,
                                           gboolean                  bold);
void        _attn_figure_align_heads      (Builder                  *b,
                                           const PlacedColumn       *columns,
                                           guint                     n,
                                           double                    height);
double      _attn_figure_measure_height   (Builder                  *b,
                                           const char               *text,
                                           double                    size,
                                           gboolean                  bold,
                                           double                    wrap);
void        _attn_figure_finish           (Builder                  *b,
                                           double                    width,
                                           double                    y,
                                           const char               *caption);

const AttnRgba *_attn_figure_cell_ink    (const AttnFigure         *self,
                                           const HeatGrid           *grid,
                                           guint                     r,
                                           guint                     k);

/* attn-figure-bands.c */
void        _attn_rows_to_label           (guint                     first,
                                           guint                     last,
                                           double                    cy,
                                           double                    ch,
                                           double                    line_h,
                                           double                   *y);
void        _attn_figure_band_rows        (Builder                  *b,
                                           HeatGrid                 *grid);
void        _attn_figure_band_columns     (Builder                  *b,
                                           HeatGrid                 *grid,
                                           const AttnLabel          *labels,
                                           const gboolean           *kept);

/* attn-figure-marks.c */
gboolean    _attn_figure_grid_outlined         (const HeatGrid   *grid);
gboolean    _attn_figure_grid_selection_inside (const HeatGrid   *grid);
void        _attn_figure_draw_marks            (const AttnFigure *self,
                                                const HeatGrid   *grid,
                                                cairo_t          *cr);

/* attn-figure-text.c */
guint       _attn_figure_resolve_position (const AttnFigureSettings *settings,
                                           AttnExample              *example);
void        _attn_figure_resolve_layers   (const AttnFigureSettings *settings,
                                           guint                     L,
                                           guint                    *first,
                                           guint                    *last);
/* a gradient target standing for “each example's own” (compared examples
 * whose targets differ) */
extern const char _attn_figure_target_each[];
#define TARGET_EACH _attn_figure_target_each
const char *_attn_figure_common_target    (const AttnFigureInput    *inputs,
                                           guint                     n_inputs);
char       *_attn_figure_left_out_kinds   (const AttnFigureSettings *settings,
                                           const AttnFigureInput    *inputs,
                                           guint                     n_inputs);
void        _attn_figure_append_models    (GString                  *out,
                                           AttnExample * const      *examples,
                                           guint                     n_examples);
void        _attn_figure_set_source       (AttnFigure               *fig,
                                           const AttnFigureInput    *inputs,
                                           guint                     n_inputs);
char       *_attn_figure_describe_settings_for (const AttnFigureSettings *settings,
                                                AttnExample              *example,
                                                const char               *target);
char       *_attn_figure_add_filling      (const AttnFigureSettings *settings,
                                           guint                     first,
                                           guint                     last,
                                           char                     *line);

/* attn-figure-values.c */
AttnFigureInput *_attn_figure_placeholder_inputs (const AttnFigureInput    *inputs,
                                                 guint                     n_inputs,
                                                 const AttnFigureSettings *settings,
                                                 GPtrArray                *values);
AttnGraph  *_attn_figure_graph_for        (AttnExample              *example,
                                           const AttnFigureSettings *settings,
                                           AttnWeightKind            weights,
                                           GCancellable             *cancellable,
                                           GError                  **error);
double     *_attn_heatmap_input_values    (const AttnFigureInput    *input,
                                           const AttnFigureSettings *settings,
                                           AttnMethod                method,
                                           AttnWeightKind            weights,
                                           guint                     position,
                                           AttnGraph               **graphs,
                                           GCancellable             *cancellable,
                                           GError                  **error);
double      _attn_heatmap_max_value       (AttnExample              *example,
                                           const double             *values,
                                           guint                     first,
                                           guint                     last,
                                           const guint              *own,
                                           guint                     n_own,
                                           gboolean                  exclude_special,
                                           double                   *left_max);

/* attn-figure-heatmap.c */
AttnFigure *_attn_figure_build_heatmap    (const AttnFigureInput    *inputs,
                                           guint                     n_inputs,
                                           const AttnFigureSettings *settings,
                                           const AttnFigureStyle    *style,
                                           GCancellable             *cancellable,
                                           GError                  **error);

AttnFigure *_attn_figure_heatmap_layout   (const HeatmapData        *data,
                                           const HeatmapFit         *fit,
                                           HeatmapMetrics           *metrics);

/* attn-figure-block.c */
char       *_attn_token_text              (Builder                  *b,
                                           const char               *token);
void        _attn_setup_cells             (Builder                  *b,
                                           const AttnFigureInput    *inputs,
                                           guint                     n_inputs,
                                           guint                     first,
                                           guint                     last);
double      _attn_place_sentence          (Builder                  *b,
                                           AttnExample              *example,
                                           double                    label_x,
                                           double                    x,
                                           double                    width,
                                           double                    y,
                                           guint                     layer,
                                           const double             *top,
                                           double                    vmin,
                                           double                    vmax,
                                           gboolean                  diverging);
double      _attn_place_block             (Builder                  *b,
                                           double                    x,
                                           double                    y,
                                           const char               *title,
                                           AttnExample              *example,
                                           Columns                   columns,
                                           guint                     first,
                                           guint                     last,
                                           const double             *values,
                                           double                    vmin,
                                           double                    vmax,
                                           gboolean                  diverging,
                                           int                       mark,
                                           gboolean                  sentence);
double      _attn_block_width             (Builder                  *b,
                                           guint                     n);
char       *_attn_cell_text               (double                    v,
                                           double                    vmax,
                                           gboolean                  precise);
double      _attn_add_colorbar            (Builder                  *b,
                                           double                    x,
                                           double                    y,
                                           double                    height,
                                           double                    room,
                                           gboolean                  diverging,
                                           double                    min,
                                           double                    max,
                                           const char               *name,
                                           const char               *saturated);
double      _attn_colorbar_space          (Builder                  *b,
                                           double                    ticks_w,
                                           double                    name_w);
double      _attn_colorbar_name_width     (Builder                  *b,
                                           double                    room,
                                           const char               *name,
                                           const char               *saturated);
void        _attn_restore_cells           (Builder                  *b,
                                           const Builder            *saved);
AttnLabel  *_attn_add_column_head         (Builder                  *b,
                                           guint                     e,
                                           const char               *text,
                                           double                    width,
                                           double                    x,
                                           double                    y);

/* attn-figure-predictions.c */
double      _attn_figure_place_predictions (Builder                 *b,
                                            double                   x,
                                            double                   y,
                                            double                   width,
                                            AttnExample             *example);
double      _attn_figure_place_predictions_beside (Builder          *b,
                                                   double            x,
                                                   double            y,
                                                   double            width,
                                                   double            indent,
                                                   double            bars_w,
                                                   AttnExample      *example);
double      _attn_figure_place_predictions_inline (Builder          *b,
                                                   const AttnRect   *heading,
                                                   double            right,
                                                   AttnExample      *example);

/* attn-figure-fit.c */
HeatmapData *_attn_heatmap_data_new       (const AttnFigureInput    *inputs,
                                           guint                     n_inputs,
                                           const AttnFigureSettings *settings,
                                           const AttnFigureStyle    *style);
void         _attn_heatmap_data_measure   (HeatmapData              *data,
                                           const AttnFigureStyle    *style,
                                           double                    token_w);
HeatmapData *_attn_heatmap_data_ref       (HeatmapData              *data);
void        _attn_heatmap_data_unref      (HeatmapData              *data);

/* attn-figure-graph.c */
AttnFigure *_attn_figure_build_graph      (const AttnFigureInput    *input,
                                           const AttnFigureSettings *settings,
                                           const AttnFigureStyle    *style,
                                           gboolean                  dry,
                                           GCancellable             *cancellable,
                                           GError                  **error);

/* attn-figure.c */
AttnFigure *_attn_figure_build_full       (const AttnFigureInput    *inputs,
                                           guint                     n_inputs,
                                           const AttnFigureSettings *settings,
                                           const AttnFigureStyle    *style,
                                           gboolean                  dry,
                                           GCancellable             *cancellable,
                                           GError                  **error);

G_END_DECLS
