/* attn-figure.c: the figure builder and the heatmap and compare figures
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "attn-figure.h"
#include "attn-graph-renderer.h"
#include "attn-render-private.h"

#define PAD 12.
#define GAP 24.
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
} HeatGrid;

typedef struct
{
  AttnRect  rect;
  double    t;            /* colour map position, or < 0 for a plain bar */
  gboolean  accent;       /* plain bar: accent or muted */
  gboolean  diverging;
  int       label;        /* index of the label drawn on it, or -1 */
} Swatch;

typedef struct
{
  AttnRect  rect;
  gboolean  diverging;
  double    min;
  double    max;
} Colorbar;

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
  char            *difference_note;
  GArray          *graphs;     /* GraphPanel */
  GArray          *grids;      /* HeatGrid */
  GArray          *swatches;   /* Swatch */
  GArray          *colorbars;  /* Colorbar */
  GArray          *labels;     /* AttnLabel */
  double           scale_max;
  double           diff_max;
  guint            n_panel_labels;  /* graph: labels drawn by the panels */
  AttnFigureDrawFunc custom_draw;   /* figures drawn elsewhere (evaluation plot) */
  gpointer         custom_data;
  GDestroyNotify   custom_destroy;
};

G_DEFINE_BOXED_TYPE (AttnFigure, attn_figure, attn_figure_ref, attn_figure_unref)

static void
label_clear_cb (gpointer data)
{
  _attn_label_clear (data);
}

static void
graph_panel_clear_cb (gpointer data)
{
  GraphPanel *panel = data;

  g_clear_pointer (&panel->layout, attn_graph_layout_unref);
  g_clear_pointer (&panel->scene, attn_graph_scene_unref);
}

static void
heat_grid_clear_cb (gpointer data)
{
  HeatGrid *grid = data;

  g_clear_pointer (&grid->values, g_free);
}

static AttnFigure *
figure_new (AttnFigureKind         kind,
            const AttnFigureStyle *style)
{
  AttnFigure *self = g_new0 (AttnFigure, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->style = *style;
  self->font_family = g_strdup (style->font_family ? style->font_family : "Sans");
  self->style.font_family = self->font_family;
  if (self->style.colormap == NULL)
    self->style.colormap = attn_colormap_get_default ();
  if (!(self->style.font_size > 0.))
    self->style.font_size = 13.;
  self->graphs = g_array_new (FALSE, TRUE, sizeof (GraphPanel));
  g_array_set_clear_func (self->graphs, graph_panel_clear_cb);
  self->grids = g_array_new (FALSE, TRUE, sizeof (HeatGrid));
  g_array_set_clear_func (self->grids, heat_grid_clear_cb);
  self->swatches = g_array_new (FALSE, TRUE, sizeof (Swatch));
  self->colorbars = g_array_new (FALSE, TRUE, sizeof (Colorbar));
  self->labels = g_array_new (FALSE, TRUE, sizeof (AttnLabel));
  g_array_set_clear_func (self->labels, label_clear_cb);

  return self;
}

AttnFigure *
attn_figure_ref (AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
attn_figure_unref (AttnFigure *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_array_unref (self->graphs);
  g_array_unref (self->grids);
  g_array_unref (self->swatches);
  g_array_unref (self->colorbars);
  g_array_unref (self->labels);
  g_free (self->font_family);
  g_free (self->title);
  g_free (self->caption);
  g_free (self->difference_note);
  if (self->custom_destroy != NULL)
    self->custom_destroy (self->custom_data);
  g_free (self);
}

/* A figure of another kind, drawn by @draw (before the labels) and sized by
 * its builder; takes the labels out of @labels (AttnLabel). */
AttnFigure *
_attn_figure_new_custom (AttnFigureKind          kind,
                         const AttnFigureStyle  *style,
                         double                  width,
                         double                  height,
                         const char             *title,
                         const char             *caption,
                         GArray                 *labels,
                         AttnFigureDrawFunc      draw,
                         gpointer                data,
                         GDestroyNotify          destroy)
{
  AttnFigure *self = figure_new (kind, style);

  self->width = width;
  self->height = height;
  self->title = g_strdup (title);
  self->caption = g_strdup (caption);
  if (labels != NULL)
    {
      g_array_append_vals (self->labels, labels->data, labels->len);
      g_array_set_clear_func (labels, NULL);
      g_array_set_size (labels, 0);
    }
  self->custom_draw = draw;
  self->custom_data = data;
  self->custom_destroy = destroy;

  return self;
}

/* Texts */

static char *
example_name (AttnExample *example)
{
  const char *id = attn_example_get_id (example);

  if (id != NULL && *id != '\0')
    return g_strdup (id);

  return g_strdup_printf ("%u", attn_example_get_index (example));
}

static guint
resolve_position (const AttnFigureSettings *settings,
                  AttnExample              *example)
{
  if (settings->position >= 0)
    return (guint) settings->position;

  return attn_example_get_focus (example);
}

static void
resolve_layers (const AttnFigureSettings *settings,
                guint                     L,
                guint                    *first,
                guint                    *last)
{
  *first = settings->first_layer > 0 ? MIN (settings->first_layer, L) : 1;
  *last = settings->last_layer > 0 ? MIN (settings->last_layer, L) : L;
  if (*last < *first)
    *last = *first;
}

/**
 * attn_figure_describe_settings:
 * @settings: the settings
 * @example: (nullable): the example, for its name and the selected token
 *
 * Returns: (transfer full): one line with the settings of a figure, e.g.
 *   "Attention rollout · α = 0.5 · heads: all (mean) · layers 1–12 · node:
 *   layer 12, position 0 “[CLS]” · example cat-mat"; the caption of saved
 *   figures
 */
char *
attn_figure_describe_settings (const AttnFigureSettings *settings,
                               AttnExample              *example)
{
  GString *out = g_string_new (NULL);
  const char *heads;

  g_return_val_if_fail (settings != NULL, NULL);

  if (settings->all_methods)
    g_string_append (out, _("Raw attention, rollout and flow"));
  else
    g_string_append (out, attn_method_get_label (settings->method));

  g_string_append (out, " · ");
  g_string_append_printf (out, _("α = %g"), settings->residual);
  heads = settings->heads != NULL && *settings->heads != '\0' ? settings->heads : "all";
  g_string_append (out, " · ");
  if (g_strcmp0 (heads, "all") == 0)
    g_string_append_printf (out, _("heads: all (%s)"),
                            settings->head_mix == ATTN_HEAD_MIX_MAX ? _("max") : _("mean"));
  else
    g_string_append_printf (out, _("heads: %s (%s)"), heads,
                            settings->head_mix == ATTN_HEAD_MIX_MAX ? _("max") : _("mean"));

  if (example != NULL)
    {
      guint L = attn_example_get_n_layers (example);
      guint first, last;
      g_autofree char *name = example_name (example);

      resolve_layers (settings, L, &first, &last);
      g_string_append (out, " · ");
      g_string_append_printf (out, _("layers %u–%u"), first, last);

      if (settings->kind == ATTN_FIGURE_COMPARE)
        g_string_append_printf (out, " · %s", _("each example at its focus token"));
      else if (settings->kind == ATTN_FIGURE_GRAPH && settings->position == ATTN_POSITION_NONE)
        g_string_append_printf (out, " · %s", _("no node selected"));
      else
        {
          guint p = resolve_position (settings, example);
          guint layer = settings->kind == ATTN_FIGURE_GRAPH && settings->layer > 0
                        ? MIN (settings->layer, L) : last;
          g_autofree char *tok = _attn_token_display (p < attn_example_get_n_tokens (example)
                                                      ? attn_example_get_token (example, p) : "");

          g_string_append (out, " · ");
          if (settings->kind == ATTN_FIGURE_GRAPH)
            g_string_append_printf (out, _("node: layer %u, position %u “%s”"), layer, p, tok);
          else
            g_string_append_printf (out, _("position %u “%s”"), p, tok);
          if (settings->kind == ATTN_FIGURE_GRAPH && settings->sink >= 0
              && (guint) settings->sink < attn_example_get_n_tokens (example))
            {
              g_autofree char *sink = _attn_token_display (attn_example_get_token (example, settings->sink));

              g_string_append (out, " · ");
              g_string_append_printf (out, _("paths to input %d “%s”"), settings->sink, sink);
            }
        }

      if (settings->kind != ATTN_FIGURE_COMPARE)
        {
          g_string_append (out, " · ");
          g_string_append_printf (out, _("example %s"), name);
        }
    }

  return g_string_free (out, FALSE);
}

static void
append_arg (GString    *out,
            const char *arg)
{
  g_autofree char *quoted = g_shell_quote (arg);

  g_string_append_c (out, ' ');
  /* Plain words stay unquoted, for readability. */
  if (strspn (arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,/:=+@")
      == strlen (arg) && *arg != '\0')
    g_string_append (out, arg);
  else
    g_string_append (out, quoted);
}

/**
 * attn_figure_command_line:
 * @inputs: (array length=n_inputs): the examples shown, with their files
 * @settings: the settings
 * @style: (nullable): for --threshold, --top-k and --colormap
 * @output: (nullable): the output file; "figure.png" when %NULL
 * @scale: PNG scale (1 omits --scale)
 *
 * Returns: (transfer full): the `attnflow-cli render …` line that draws the
 *   same figure (the app's "Copy command")
 */
char *
attn_figure_command_line (const AttnFigureInput    *inputs,
                          guint                     n_inputs,
                          const AttnFigureSettings *settings,
                          const AttnFigureStyle    *style,
                          const char               *output,
                          double                    scale)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  GString *out = g_string_new ("attnflow-cli render");
  static const char * const kinds[] = { "graph", "heatmap", "compare" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (inputs != NULL && n_inputs > 0, NULL);
  g_return_val_if_fail (settings != NULL, NULL);

  for (guint i = 0; i < n_inputs; i++)
    {
      const char *path = inputs[i].path != NULL ? inputs[i].path : "FILE.json";
      gboolean seen = FALSE;

      for (guint j = 0; j < files->len; j++)
        seen |= g_strcmp0 (g_ptr_array_index (files, j), path) == 0;
      if (!seen)
        g_ptr_array_add (files, (gpointer) path);
    }
  for (guint j = 0; j < files->len; j++)
    append_arg (out, g_ptr_array_index (files, j));

  append_arg (out, "--view");
  append_arg (out, settings->all_methods ? "all" : attn_method_get_name (settings->method));
  append_arg (out, "--figure");
  append_arg (out, kinds[settings->kind]);

  for (guint i = 0; i < n_inputs; i++)
    {
      g_autofree char *name = example_name (inputs[i].example);
      g_autofree char *arg = NULL;

      if (settings->kind == ATTN_FIGURE_COMPARE && files->len > 1)
        arg = g_strdup_printf ("%s:%s", inputs[i].path != NULL ? inputs[i].path : "FILE.json", name);
      else
        arg = g_steal_pointer (&name);
      append_arg (out, "--example");
      append_arg (out, arg);
      if (settings->kind != ATTN_FIGURE_COMPARE)
        break;
    }

  if (settings->kind != ATTN_FIGURE_COMPARE)
    {
      append_arg (out, "--position");
      if (settings->position == ATTN_POSITION_NONE)
        append_arg (out, "none");
      else
        {
          g_autofree char *p = g_strdup_printf ("%u", resolve_position (settings, inputs[0].example));

          append_arg (out, p);
        }
    }

  append_arg (out, "--residual");
  append_arg (out, g_ascii_dtostr (buf, sizeof buf, settings->residual));
  append_arg (out, "--heads");
  append_arg (out, settings->heads != NULL && *settings->heads != '\0' ? settings->heads : "all");
  append_arg (out, "--head-mix");
  append_arg (out, settings->head_mix == ATTN_HEAD_MIX_MAX ? "max" : "mean");

  if (style != NULL)
    {
      if (style->threshold > 0.)
        {
          append_arg (out, "--threshold");
          append_arg (out, g_ascii_dtostr (buf, sizeof buf, style->threshold));
        }
      if (style->top_k > 0)
        {
          g_autofree char *k = g_strdup_printf ("%u", style->top_k);

          append_arg (out, "--top-k");
          append_arg (out, k);
        }
      if (style->colormap != NULL)
        {
          append_arg (out, "--colormap");
          append_arg (out, attn_colormap_get_name (style->colormap));
        }
    }

  if (settings->kind == ATTN_FIGURE_GRAPH && settings->sink >= 0 && settings->position != ATTN_POSITION_NONE
      && (settings->all_methods || settings->method == ATTN_METHOD_FLOW))
    {
      g_autofree char *j = g_strdup_printf ("%d", settings->sink);

      append_arg (out, "--sink");
      append_arg (out, j);
    }
  if (style != NULL && style->exclude_special)
    append_arg (out, "--exclude-special");
  if (style != NULL && style->show_values)
    append_arg (out, "--values");
  if (style != NULL && style->dark)
    append_arg (out, "--dark");

  if (scale != 1. && scale > 0.)
    {
      append_arg (out, "--scale");
      append_arg (out, g_ascii_dtostr (buf, sizeof buf, scale));
    }
  append_arg (out, "--output");
  append_arg (out, output != NULL ? output : "figure.png");

  return g_string_free (out, FALSE);
}

/* Computing */

static gboolean
is_excluded (AttnExample *example,
             guint        position,
             guint        selected)
{
  return position == selected || attn_token_is_special (attn_example_get_token (example, position));
}

/* The scene of @method on @graph: the selection (@layer, @position) and
 * its @sink, or none when @position < 0 */
static AttnGraphScene *
scene_for_method (AttnGraph                   *graph,
                  AttnMethod                   method,
                  guint                        layer,
                  int                          position,
                  int                          sink,
                  const AttnGraphSceneOptions *options,
                  GCancellable                *cancellable,
                  GError                     **error)
{
  AttnExample *example = attn_graph_get_example (graph);
  AttnTraceQuery query = { method, position < 0 ? 0 : layer, position < 0 ? 0 : (guint) position,
                           sink, position < 0 ? attn_example_get_focus (example) : (guint) position };
  g_autoptr(AttnTrace) trace = attn_trace_compute (graph, &query, NULL, NULL, cancellable, error);

  if (trace == NULL)
    return NULL;
  return attn_graph_scene_new_from_trace (trace, example, options);
}

/**
 * attn_graph_scene_new_for_method:
 * @graph: the attention graph of an example
 * @method: raw, rollout or flow
 * @layer: the clicked node's layer 1..L (0 = L); ignored without a click
 * @position: the clicked node's position, or -1 for none (the paper's
 *   convention: each edge (l, q) -> (l-1, k) carries the importance of input
 *   k for node (l, q))
 * @sink: with a click: one input token whose paths are shown, or -1
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Computes the trace of @method (attn_trace_compute()) and its scene
 * (attn_graph_scene_new_from_trace(), default options): what the
 * application shows for it.
 *
 * Returns: (transfer full) (nullable): the scene, or %NULL with @error set
 */
AttnGraphScene *
attn_graph_scene_new_for_method (AttnGraph     *graph,
                                 AttnMethod     method,
                                 int            layer,
                                 int            position,
                                 int            sink,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  guint L;

  g_return_val_if_fail (graph != NULL, NULL);
  g_return_val_if_fail (attn_graph_get_example (graph) != NULL, NULL);
  g_return_val_if_fail (method < ATTN_N_METHODS, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  L = attn_graph_get_n_layers (graph);
  return scene_for_method (graph, method, layer <= 0 || (guint) layer > L ? L : (guint) layer,
                           position, sink, NULL, cancellable, error);
}

/* L * n values: importance of every input token for (l, position), l = 1..L */
static double *
compute_position (AttnGraph     *graph,
                  AttnMethod     method,
                  guint          position,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree double *values = g_new (double, (gsize) attn_graph_get_n_layers (graph) *
                                             attn_graph_get_n_tokens (graph));

  if (!attn_method_importance (method, graph, 0, position, NULL, values, cancellable, error))
    return NULL;
  return g_steal_pointer (&values);
}

static AttnGraph *
graph_for (AttnExample              *example,
           const AttnFigureSettings *settings,
           GCancellable             *cancellable,
           GError                  **error)
{
  g_autoptr(AttnGraphSettings) graph_settings =
    attn_graph_settings_new (settings->residual, settings->head_mix, settings->heads, error);

  if (graph_settings == NULL)
    return NULL;
  return attn_graph_new_from_settings (example, graph_settings, cancellable, error);
}

/* The values of input @e's heatmap position under @method: the caller's, or
 * computed on its graph (the caller's, or built once into @graph) */
static double *
input_values (const AttnFigureInput    *input,
              const AttnFigureSettings *settings,
              AttnMethod                method,
              guint                     position,
              AttnGraph               **graph,
              GCancellable             *cancellable,
              GError                  **error)
{
  AttnExample *ex = input->example;

  if (input->values[method] != NULL)
    return g_memdup2 (input->values[method], (gsize) attn_example_get_n_layers (ex) *
                                             attn_example_get_n_tokens (ex) * sizeof (double));
  if (*graph == NULL)
    *graph = input->graph ? attn_graph_ref (input->graph) : graph_for (ex, settings, cancellable, error);
  if (*graph == NULL)
    return NULL;
  return compute_position (*graph, method, position, cancellable, error);
}

/* Layout helpers for the heatmap and compare figures */

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
  guint                  stride;
  double                 token_h;   /* height of the column labels */
  double                 layer_w;   /* width of the row labels */
} Builder;

static AttnLabel *
add_label (Builder       *b,
           AttnLabelKind  kind,
           guint          index,
           const char    *text,
           double         size,
           gboolean       bold,
           double         wrap,
           double         angle,
           double         x,
           double         y)
{
  AttnLabel label;

  _attn_label_init (&label, b->context, b->style, kind, index, text, size, bold, wrap, angle);
  _attn_label_place (&label, x, y);
  g_array_append_val (b->figure->labels, label);

  return &g_array_index (b->figure->labels, AttnLabel, b->figure->labels->len - 1);
}

static double
measure_width (Builder    *b,
               const char *text,
               double      size,
               gboolean    bold)
{
  double w, h;

  _attn_text_measure (b->context, b->style, text, size, bold, 0, &w, &h);
  return w;
}

static double
measure_height (Builder    *b,
                const char *text,
                double      size,
                gboolean    bold,
                double      wrap)
{
  double w, h;

  _attn_text_measure (b->context, b->style, text, size, bold, wrap, &w, &h);
  return h;
}

/* Chooses the cell size from the longest token of all examples. */
static void
builder_setup_cells (Builder                *b,
                     const AttnFigureInput  *inputs,
                     guint                   n_inputs,
                     guint                   n_rows)
{
  double max_tw = 0.;
  guint max_n = 0;

  for (guint e = 0; e < n_inputs; e++)
    {
      guint n = attn_example_get_n_tokens (inputs[e].example);

      max_n = MAX (max_n, n);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *text = _attn_token_display (attn_example_get_token (inputs[e].example, i));

          max_tw = MAX (max_tw, measure_width (b, text, b->fs * 0.85, FALSE));
        }
    }

  b->line_h = measure_height (b, "Ag", b->fs * 0.85, FALSE, 0);
  if (max_tw + 6. <= 48. && max_n * (max_tw + 6.) <= 1100.)
    {
      b->cw = MAX (22., max_tw + 6.);
      b->rotated = FALSE;
      b->stride = 1;
      b->token_h = b->line_h + 4.;
    }
  else
    {
      b->cw = CLAMP (460. / max_n, 12., 20.);
      b->rotated = TRUE;
      b->stride = MAX (1, (guint) ceil ((b->line_h + 1.) / b->cw));
      b->token_h = max_tw + 4.;
    }
  b->ch = n_rows > 24 ? 12. : 20.;

  b->layer_w = 0.;
  for (guint l = 1; l <= 99 && l <= n_rows + 1; l += 9)
    {
      g_autofree char *text = g_strdup_printf (_("Layer %u"), MAX (l, n_rows));

      b->layer_w = MAX (b->layer_w, measure_width (b, text, b->fs * 0.85, FALSE));
    }
}

/* A heatmap block: title, cells (rows = layers, top layer on top), row and
 * column labels, and the sentence coloured by the top row. Returns its height. */
static double
place_block (Builder      *b,
             double        x,
             double        y,
             const char   *title,
             AttnExample  *example,
             guint         first,
             guint         last,
             const double *values,    /* L * n, row l - 1 */
             double        vmin,
             double        vmax,
             gboolean      diverging,
             int           mark,
             gboolean      sentence)
{
  AttnFigure *fig = b->figure;
  guint n = attn_example_get_n_tokens (example);
  guint n_rows = last - first + 1;
  double grid_x = x + b->layer_w + 6.;
  double grid_w = n * b->cw;
  double cy, value_fs = b->fs * 0.62;
  HeatGrid grid = { 0 };
  AttnLabel *label;
  guint row_stride = b->ch < b->line_h ? (guint) ceil (b->line_h / b->ch) : 1;

  label = add_label (b, ATTN_LABEL_TITLE, 0, title, b->fs, TRUE, b->layer_w + 6. + grid_w, 0, x, y);
  cy = y + label->box.height + 4.;

  grid.x = grid_x;
  grid.y = cy;
  grid.cw = b->cw;
  grid.ch = b->ch;
  grid.n = n;
  grid.n_rows = n_rows;
  grid.values = g_new (double, (gsize) n_rows * n);
  grid.diverging = diverging;
  grid.mark = mark;
  for (guint r = 0; r < n_rows; r++)
    {
      guint l = last - r;

      memcpy (grid.values + (gsize) r * n, values + (gsize) (l - 1) * n, n * sizeof (double));
      if (r % row_stride == 0)
        {
          g_autofree char *text = g_strdup_printf (_("Layer %u"), l);
          double w = measure_width (b, text, b->fs * 0.85, FALSE);

          add_label (b, ATTN_LABEL_LAYER, l, text, b->fs * 0.85, FALSE, 0, 0,
                     grid_x - 6. - w, cy + r * b->ch + (b->ch - b->line_h) / 2);
        }
    }

  if (b->style->show_values)
    {
      double vh = measure_height (b, "0", value_fs, FALSE, 0);

      for (guint r = 0; r < n_rows && vh <= b->ch; r++)
        for (guint k = 0; k < n; k++)
          {
            double v = grid.values[(gsize) r * n + k];
            g_autofree char *text = fabs (v) < 0.995 ? g_strdup_printf ("%.2f", fabs (v)) : g_strdup_printf ("%.1f", fabs (v));
            g_autofree char *shown = NULL;
            double w;

            /* ".53" rather than "0.53": two digits fit narrow cells. */
            shown = g_strdup_printf ("%s%s", v < 0 ? "−" : "", text[0] == '0' ? text + 1 : text);
            w = measure_width (b, shown, value_fs, FALSE);
            if (w + 2. > b->cw)
              continue;
            add_label (b, ATTN_LABEL_VALUE, r * n + k, shown, value_fs, FALSE, 0, 0,
                       grid_x + k * b->cw + (b->cw - w) / 2, cy + r * b->ch + (b->ch - vh) / 2);
          }
    }
  g_array_append_val (fig->grids, grid);
  cy += n_rows * b->ch + 4.;

  for (guint k = 0; k < n; k += b->stride)
    {
      g_autofree char *text = _attn_token_display (attn_example_get_token (example, k));

      label = add_label (b, ATTN_LABEL_TOKEN_BOTTOM, k, text, b->fs * 0.85, FALSE, 0,
                         b->rotated ? -G_PI / 2 : 0, 0, cy);
      _attn_label_place (label, grid_x + (k + 0.5) * b->cw - label->box.width / 2, cy);
    }
  cy += b->token_h + 6.;

  if (sentence)
    {
      /* The sentence, each token on the colour of its top-layer value. */
      double sx = grid_x, sy = cy, box_h = b->line_h + 4.;
      const double *top = values + (gsize) (last - 1) * n;

      for (guint k = 0; k < n; k++)
        {
          g_autofree char *text = _attn_token_display (attn_example_get_token (example, k));
          double w = measure_width (b, text, b->fs * 0.85, FALSE) + 6.;
          Swatch swatch;

          if (sx + w > grid_x + grid_w && sx > grid_x)
            {
              sx = grid_x;
              sy += box_h + 3.;
            }
          w = MIN (w, grid_w);
          swatch.rect = (AttnRect) { sx, sy, w, box_h };
          swatch.t = diverging ? 0.5 + 0.5 * top[k] / vmax : (top[k] - vmin) / (vmax - vmin);
          swatch.t = CLAMP (swatch.t, 0., 1.);
          swatch.accent = FALSE;
          swatch.diverging = diverging;
          label = add_label (b, ATTN_LABEL_SENTENCE, k, text, b->fs * 0.85, FALSE, 0, 0, sx + 3., sy + 2.);
          swatch.label = (int) fig->labels->len - 1;
          g_array_append_val (fig->swatches, swatch);
          sx += w + 3.;
        }
      cy = sy + box_h + 6.;
    }

  return cy - y;
}

static double
block_width (Builder *b,
             guint    n)
{
  return b->layer_w + 6. + n * b->cw;
}

/* Prediction bars: candidate, bar, probability. Returns the height. */
static double
place_predictions (Builder     *b,
                   double       x,
                   double       y,
                   double       width,
                   AttnExample *example)
{
  guint n_cands = MIN (attn_example_get_n_candidates (example), MAX_CANDIDATES);
  const char *predicted = attn_example_get_prediction_label (example);
  double label_w = 0., pct_w, row_h = b->line_h + 4., bar_w;
  double cy = y;

  if (n_cands == 0)
    return 0.;

  for (guint i = 0; i < n_cands; i++)
    label_w = MAX (label_w, measure_width (b, attn_example_get_candidate (example, i)->label,
                                          b->fs * 0.85, TRUE));
  label_w = MIN (label_w, width * 0.35);
  pct_w = measure_width (b, "100.0%", b->fs * 0.85, FALSE);
  bar_w = MAX (40., width - label_w - pct_w - 16.);

  for (guint i = 0; i < n_cands; i++)
    {
      const AttnCandidate *c = attn_example_get_candidate (example, i);
      g_autofree char *name = g_utf8_substring (c->label, 0, MIN (g_utf8_strlen (c->label, -1), 24));
      g_autofree char *pct = g_strdup_printf ("%.1f%%", 100. * c->probability);
      double p = CLAMP (c->probability, 0., 1.);
      AttnLabel *label;
      Swatch swatch;

      label = add_label (b, ATTN_LABEL_PREDICTION, i, name, b->fs * 0.85,
                         g_strcmp0 (c->label, predicted) == 0, 0, 0, x, cy + 2.);
      if (label->box.width > label_w)
        {
          /* Keep long labels inside their column. */
          label->wrap_width = label_w;
        }
      swatch.rect = (AttnRect) { x + label_w + 6., cy + 3., MAX (1., bar_w * p), row_h - 6. };
      swatch.t = -1.;
      swatch.accent = g_strcmp0 (c->label, predicted) == 0;
      swatch.diverging = FALSE;
      swatch.label = -1;
      g_array_append_val (b->figure->swatches, swatch);
      add_label (b, ATTN_LABEL_PREDICTION, i, pct, b->fs * 0.85, FALSE, 0, 0,
                 x + label_w + 6. + bar_w + 6., cy + 2.);
      cy += row_h;
    }

  return cy - y + 6.;
}

static void
add_colorbar (Builder    *b,
              double      x,
              double      y,
              double      height,
              gboolean    diverging,
              double      min,
              double      max,
              const char *name)
{
  Colorbar bar = { { x, y, COLORBAR_WIDTH, height }, diverging, min, max };
  double ticks_w = _attn_colorbar_ticks_width (b->context, b->style);
  AttnLabel label;

  g_array_append_val (b->figure->colorbars, bar);
  _attn_label_init (&label, b->context, b->style, ATTN_LABEL_SCALE, G_MAXUINT, name, b->fs * 0.85,
                    FALSE, 0, -G_PI / 2);
  if (label.box.height <= height)
    {
      _attn_label_place (&label, x + COLORBAR_WIDTH + ticks_w, y + (height - label.box.height) / 2);
      g_array_append_val (b->figure->labels, label);
    }
  else
    _attn_label_clear (&label);
}

static double
colorbar_space (Builder *b)
{
  return GAP + COLORBAR_WIDTH + _attn_colorbar_ticks_width (b->context, b->style) + b->line_h + 6.;
}

static double
max_value (AttnExample  *example,
           const double *values,
           guint         first,
           guint         last,
           guint         selected,
           gboolean      exclude_special)
{
  guint n = attn_example_get_n_tokens (example);
  double max = 0.;

  for (guint l = first; l <= last; l++)
    for (guint k = 0; k < n; k++)
      if (!(exclude_special && is_excluded (example, k, selected)))
        max = MAX (max, fabs (values[(gsize) (l - 1) * n + k]));

  return max;
}

static void
finish_figure (Builder    *b,
               double      width,
               double      y,
               const char *caption)
{
  AttnFigure *fig = b->figure;

  if (fig->difference_note != NULL)
    {
      AttnLabel *note = add_label (b, ATTN_LABEL_NOTE, 0, fig->difference_note, b->fs * 0.85, FALSE,
                                   width - 2 * PAD, 0, PAD, y);

      y += note->box.height + 6.;
    }
  if (caption != NULL)
    {
      AttnLabel *label = add_label (b, ATTN_LABEL_CAPTION, 0, caption, b->fs * 0.8, FALSE,
                                    width - 2 * PAD, 0, PAD, y + 4.);

      y += label->box.height + 4.;
    }
  fig->width = ceil (width);
  fig->height = ceil (y + PAD);
}

static AttnFigure *
build_heatmap (const AttnFigureInput    *inputs,
               guint                     n_inputs,
               const AttnFigureSettings *settings,
               const AttnFigureStyle    *style,
               GCancellable             *cancellable,
               GError                  **error)
{
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(AttnPangoContext) context = _attn_text_context_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);  /* [example][method] */
  AttnMethod methods[ATTN_N_METHODS];
  guint n_methods = 0, first = 1, last = 1;
  gboolean compare = settings->kind == ATTN_FIGURE_COMPARE;
  gboolean have_predictions = FALSE, difference = FALSE;
  double vmax = 0., dmax = 0., width, x, y, top_y, max_h = 0., title_w;
  g_autofree char *caption = NULL;
  g_autofree char *title = NULL;
  Builder b = { 0 };

  if (settings->all_methods)
    for (guint m = 0; m < ATTN_N_METHODS; m++)
      methods[n_methods++] = m;
  else
    methods[n_methods++] = settings->method;

  /* Every example must have the same layers for one scale and aligned rows. */
  for (guint e = 0; e < n_inputs; e++)
    {
      AttnExample *ex = inputs[e].example;
      g_autoptr(AttnGraph) graph = NULL;
      guint pos = compare ? attn_example_get_focus (ex) : resolve_position (settings, ex);
      guint L = attn_example_get_n_layers (ex);

      if (e > 0 && L != attn_example_get_n_layers (inputs[0].example))
        {
          g_autofree char *a = example_name (inputs[0].example);
          g_autofree char *c = example_name (ex);

          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("Examples “%s” (%u layers) and “%s” (%u layers) cannot share one figure"),
                       a, attn_example_get_n_layers (inputs[0].example), c, L);
          return NULL;
        }
      if (pos >= attn_example_get_n_tokens (ex))
        {
          g_autofree char *name = example_name (ex);

          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("Example “%s”: position %u is out of range (%u tokens)"),
                       name, pos, attn_example_get_n_tokens (ex));
          return NULL;
        }
      resolve_layers (settings, L, &first, &last);
      for (guint m = 0; m < n_methods; m++)
        {
          double *v = input_values (&inputs[e], settings, methods[m], pos, &graph, cancellable, error);

          if (v == NULL)
            return NULL;
          vmax = MAX (vmax, max_value (ex, v, first, last, pos, style->exclude_special));
          g_ptr_array_add (values, v);
        }
      have_predictions |= attn_example_get_n_candidates (ex) > 0;
    }
  if (!(vmax > 0.))
    vmax = 1.;

  fig = figure_new (settings->kind, style);
  fig->scale_max = vmax;
  b.figure = fig;
  b.context = context;
  b.style = &fig->style;
  b.fs = fig->style.font_size;
  builder_setup_cells (&b, inputs, n_inputs, last - first + 1);

  if (compare && settings->difference && n_inputs >= 2)
    {
      guint n0 = attn_example_get_n_tokens (inputs[0].example);
      guint n1 = attn_example_get_n_tokens (inputs[1].example);

      if (n0 == n1)
        difference = TRUE;
      else
        fig->difference_note = g_strdup_printf (_("No difference heatmap: the first two examples have different lengths (%u and %u tokens); it needs minimal pairs of equal length."),
                                                n0, n1);
    }

  caption = attn_figure_describe_settings (settings, inputs[0].example);
  if (compare)
    {
      GString *names = g_string_new (NULL);

      for (guint e = 0; e < n_inputs; e++)
        {
          g_autofree char *name = example_name (inputs[e].example);

          g_string_append_printf (names, "%s%s", e > 0 ? ", " : "", name);
        }
      title = g_strdup_printf (_("Comparison of %s at each focus token"), names->str);
      g_string_free (names, TRUE);
    }
  else
    {
      AttnExample *ex = inputs[0].example;
      guint pos = resolve_position (settings, ex);
      g_autofree char *name = example_name (ex);
      g_autofree char *tok = _attn_token_display (attn_example_get_token (ex, pos));

      title = g_strdup_printf (_("Example %s: importance of the input tokens for “%s” (position %u) at each layer"),
                               name, tok, pos);
    }
  fig->title = g_strdup (title);
  fig->caption = g_strdup (caption);

  /* Width first: columns of blocks, then the colour bar(s). */
  if (compare)
    {
      width = PAD;
      for (guint e = 0; e < n_inputs; e++)
        width += block_width (&b, attn_example_get_n_tokens (inputs[e].example)) + (e > 0 ? GAP : 0.);
      width += colorbar_space (&b);
      if (difference)
        width += GAP + block_width (&b, attn_example_get_n_tokens (inputs[0].example)) + colorbar_space (&b);
      width += PAD;
    }
  else
    {
      guint n = attn_example_get_n_tokens (inputs[0].example);

      width = PAD + n_methods * block_width (&b, n) + (n_methods - 1) * GAP + colorbar_space (&b) + PAD;
    }
  title_w = measure_width (&b, title, b.fs * 1.15, TRUE);
  width = MAX (width, MIN (title_w + 2 * PAD, 900.));
  width = MAX (width, 420.);

  y = PAD;
  {
    AttnLabel *t = add_label (&b, ATTN_LABEL_TITLE, 0, title, b.fs * 1.15, TRUE, width - 2 * PAD, 0, PAD, y);

    y += t->box.height + 10.;
  }

  if (!compare)
    {
      AttnExample *ex = inputs[0].example;
      guint n = attn_example_get_n_tokens (ex);
      guint pos = resolve_position (settings, ex);

      if (have_predictions)
        y += place_predictions (&b, PAD + b.layer_w + 6., y, MIN (420., width - 2 * PAD - b.layer_w - 6.), ex);
      top_y = y;
      x = PAD;
      for (guint m = 0; m < n_methods; m++)
        {
          double h = place_block (&b, x, y, attn_method_get_label (methods[m]), ex, first, last,
                                  g_ptr_array_index (values, m), 0., vmax, FALSE, (int) pos, TRUE);

          max_h = MAX (max_h, h);
          x += block_width (&b, n) + GAP;
        }
      {
        HeatGrid *g0 = &g_array_index (fig->grids, HeatGrid, 0);

        add_colorbar (&b, x - GAP + GAP, g0->y, g0->n_rows * g0->ch, FALSE, 0., vmax, _("Importance"));
      }
      y = top_y + max_h;
    }
  else
    {
      double bars_h = 0.;

      /* Column heads: names, texts and prediction bars, aligned across columns. */
      x = PAD;
      for (guint e = 0; e < n_inputs; e++)
        {
          AttnExample *ex = inputs[e].example;
          double bw = block_width (&b, attn_example_get_n_tokens (ex));
          g_autofree char *name = example_name (ex);
          const char *text = attn_example_get_text (ex);
          g_autofree char *head = NULL;
          AttnLabel *label;
          double h;

          if (text != NULL && *text != '\0')
            {
              g_autofree char *shortened = NULL;

              if (g_utf8_strlen (text, -1) > 90)
                {
                  g_autofree char *start = g_utf8_substring (text, 0, 89);

                  shortened = g_strconcat (start, "…", NULL);
                }
              else
                shortened = g_strdup (text);

              head = g_strdup_printf ("%s: %s", name, shortened);
            }
          else
            head = g_strdup (name);
          label = add_label (&b, ATTN_LABEL_TITLE, e + 1, head, b.fs * 0.95, TRUE, bw, 0, x, y);
          h = label->box.height + 6.;
          bars_h = MAX (bars_h, h);
          x += bw + GAP;
        }
      y += bars_h;
      bars_h = 0.;
      x = PAD;
      for (guint e = 0; e < n_inputs; e++)
        {
          AttnExample *ex = inputs[e].example;
          double bw = block_width (&b, attn_example_get_n_tokens (ex));

          double h = place_predictions (&b, x, y, bw, ex);

          bars_h = MAX (bars_h, h);
          x += bw + GAP;
        }
      y += bars_h;
      top_y = y;

      x = PAD;
      for (guint e = 0; e < n_inputs; e++)
        {
          AttnExample *ex = inputs[e].example;
          double cy = top_y;

          for (guint m = 0; m < n_methods; m++)
            cy += place_block (&b, x, cy, attn_method_get_label (methods[m]), ex, first, last,
                               g_ptr_array_index (values, e * n_methods + m), 0., vmax, FALSE,
                               (int) attn_example_get_focus (ex), TRUE) + 8.;
          max_h = MAX (max_h, cy - top_y);
          x += block_width (&b, attn_example_get_n_tokens (ex)) + GAP;
        }
      {
        HeatGrid *g0 = &g_array_index (fig->grids, HeatGrid, 0);

        add_colorbar (&b, x, g0->y, g0->n_rows * g0->ch, FALSE, 0., vmax, _("Importance"));
      }

      if (difference)
        {
          AttnExample *ex0 = inputs[0].example;
          AttnExample *ex1 = inputs[1].example;
          guint n = attn_example_get_n_tokens (ex0), L = attn_example_get_n_layers (ex0);
          g_autofree char *a = example_name (ex0);
          g_autofree char *c = example_name (ex1);
          g_autoptr(GPtrArray) diffs = g_ptr_array_new_with_free_func (g_free);
          double dx0 = x + colorbar_space (&b) - GAP + GAP, cy = top_y;

          for (guint m = 0; m < n_methods; m++)
            {
              const double *v0 = g_ptr_array_index (values, m);
              const double *v1 = g_ptr_array_index (values, n_methods + m);
              double *d = g_new (double, (gsize) L * n);

              for (gsize i = 0; i < (gsize) L * n; i++)
                d[i] = v1[i] - v0[i];
              dmax = MAX (dmax, max_value (ex1, d, first, last, attn_example_get_focus (ex1),
                                           style->exclude_special));
              g_ptr_array_add (diffs, d);
            }
          if (!(dmax > 0.))
            dmax = 1.;
          fig->diff_max = dmax;
          for (guint m = 0; m < n_methods; m++)
            {
              g_autofree char *head = g_strdup_printf (_("%s: %s minus %s"),
                                                       attn_method_get_label (methods[m]), c, a);

              cy += place_block (&b, dx0, cy, head, ex1, first, last, g_ptr_array_index (diffs, m),
                                 -dmax, dmax, TRUE, -1, FALSE) + 8.;
            }
          max_h = MAX (max_h, cy - top_y);
          {
            HeatGrid *gd = &g_array_index (fig->grids, HeatGrid, fig->grids->len - n_methods);

            add_colorbar (&b, dx0 + block_width (&b, n) + GAP, gd->y, gd->n_rows * gd->ch, TRUE,
                          -dmax, dmax, _("Difference"));
          }
        }
      y = top_y + max_h;
    }

  finish_figure (&b, width, y, caption);

  return g_steal_pointer (&fig);
}

static AttnFigure *
build_graph (const AttnFigureInput    *input,
             const AttnFigureSettings *settings,
             const AttnFigureStyle    *style,
             GCancellable             *cancellable,
             GError                  **error)
{
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(AttnGraph) graph = NULL;
  g_autoptr(AttnPangoContext) context = _attn_text_context_new ();
  AttnExample *ex = input->example;
  guint L = attn_example_get_n_layers (ex), n = attn_example_get_n_tokens (ex);
  guint first, last, layer;
  int position;
  double x, y, width = 0., height = 0.;
  g_autofree char *caption = NULL;
  g_autofree char *name = example_name (ex);
  AttnMethod methods[ATTN_N_METHODS];
  guint n_methods = 0;
  Builder b = { 0 };
  AttnGraphSceneOptions options = ATTN_GRAPH_SCENE_OPTIONS_INIT;

  if (settings->all_methods)
    for (guint m = 0; m < ATTN_N_METHODS; m++)
      methods[n_methods++] = m;
  else
    methods[n_methods++] = settings->method;

  resolve_layers (settings, L, &first, &last);
  options.exclude_special = style->exclude_special;
  options.first_layer = first;
  options.last_layer = last;
  position = settings->position == ATTN_POSITION_NONE ? -1 : (int) resolve_position (settings, ex);
  layer = settings->layer > 0 ? MIN (settings->layer, L) : last;
  if (position >= (int) n)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Example “%s”: position %d is out of range (%u tokens)"), name, position, n);
      return NULL;
    }
  if (layer < first)
    layer = last;

  graph = input->graph ? attn_graph_ref (input->graph) : graph_for (ex, settings, cancellable, error);
  if (graph == NULL)
    return NULL;

  fig = figure_new (ATTN_FIGURE_GRAPH, style);
  b.figure = fig;
  b.context = context;
  b.style = &fig->style;
  b.fs = fig->style.font_size;
  caption = attn_figure_describe_settings (settings, ex);
  fig->caption = g_strdup (caption);
  if (n_methods == 1)
    fig->title = g_strdup_printf ("%s: %s", attn_method_get_label (methods[0]), name);
  else
    fig->title = g_strdup_printf (_("Raw attention, rollout and flow: %s"), name);

  y = PAD;
  if (n_methods > 1)
    {
      AttnLabel *t = add_label (&b, ATTN_LABEL_TITLE, 0, fig->title, b.fs * 1.15, TRUE, 0, 0, PAD, y);

      y += t->box.height + 4.;
    }

  x = 0.;
  for (guint m = 0; m < n_methods; m++)
    {
      g_autoptr(AttnGraphScene) scene = NULL;
      GraphPanel panel = { 0 };
      g_autofree char *panel_title = NULL;
      double w, h;

      scene = scene_for_method (graph, methods[m], layer, position,
                                methods[m] == ATTN_METHOD_FLOW ? settings->sink : -1, &options,
                                cancellable, error);
      if (scene == NULL)
        return NULL;
      if (n_methods > 1)
        panel_title = g_strdup_printf ("(%c) %s", 'a' + m, attn_method_get_label (methods[m]));
      else
        panel_title = g_strdup (fig->title);
      attn_graph_scene_set_texts (scene, panel_title, attn_graph_scene_get_scale_label (scene), NULL);
      panel.layout = attn_graph_layout_new_for_scene (scene, &fig->style, FALSE, 0, 0);
      panel.scene = g_steal_pointer (&scene);
      panel.x = x;
      panel.y = y;
      attn_graph_layout_get_size (panel.layout, &w, &h);
      g_array_append_val (fig->graphs, panel);
      x += w;
      width = x;
      height = MAX (height, h);

      for (guint i = 0; i < attn_graph_layout_get_n_labels (panel.layout); i++)
        {
          const AttnLabel *src = attn_graph_layout_get_label (panel.layout, i);
          AttnLabel copy = *src;

          copy.text = g_strdup (src->text);
          copy.box.x += panel.x;
          copy.box.y += panel.y;
          copy.x += panel.x;
          copy.y += panel.y;
          /* Marked as drawn by the panel: only listed, not drawn again. */
          copy.index = src->index;
          g_array_append_val (fig->labels, copy);
        }
    }
  /* Panel labels are drawn by the graph renderer; the figure draws from here. */
  fig->n_panel_labels = fig->labels->len;

  finish_figure (&b, width, y + height - PAD, caption);

  return g_steal_pointer (&fig);
}

/**
 * attn_figure_build:
 * @inputs: (array length=n_inputs): the examples: 1 for graph and heatmap,
 *   2 to 4 for compare
 * @settings: what to compute and show
 * @style: colours, fonts, decluttering (copied)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Computes the values through src/core (raw, rollout, flow) and lays the
 * figure out. The screen and saved files use the same figure, so they match.
 *
 * Returns: (transfer full) (nullable): the figure, or %NULL with @error set
 */
AttnFigure *
attn_figure_build (const AttnFigureInput    *inputs,
                   guint                     n_inputs,
                   const AttnFigureSettings *settings,
                   const AttnFigureStyle    *style,
                   GCancellable             *cancellable,
                   GError                  **error)
{
  g_return_val_if_fail (inputs != NULL || n_inputs == 0, NULL);
  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (style != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (settings->kind == ATTN_FIGURE_EVALUATION)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                           _("An evaluation plot is made from correlations, not from examples"));
      return NULL;
    }

  if (settings->kind == ATTN_FIGURE_COMPARE)
    {
      if (n_inputs < 2 || n_inputs > 4)
        {
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("A comparison needs 2 to 4 examples, not %u"), n_inputs);
          return NULL;
        }
      return build_heatmap (inputs, n_inputs, settings, style, cancellable, error);
    }

  if (n_inputs != 1)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("A graph or heatmap figure shows one example, not %u"), n_inputs);
      return NULL;
    }

  if (settings->kind == ATTN_FIGURE_HEATMAP)
    {
      if (settings->position == ATTN_POSITION_NONE)
        {
          g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                               _("A heatmap needs a position: --position none only applies to the graph"));
          return NULL;
        }
      return build_heatmap (inputs, n_inputs, settings, style, cancellable, error);
    }

  return build_graph (&inputs[0], settings, style, cancellable, error);
}

/**
 * attn_figure_new_from_scene:
 * @scene: what the screen shows (attn_graph_scene_new_from_trace())
 * @style: colours (copied)
 *
 * The graph figure of @scene at its natural size, with its title and its
 * caption: the figure that saves what the screen shows.
 *
 * Returns: (transfer full): the figure
 */
AttnFigure *
attn_figure_new_from_scene (AttnGraphScene        *scene,
                            const AttnFigureStyle *style)
{
  AttnFigure *fig;
  GraphPanel panel = { 0 };

  g_return_val_if_fail (scene != NULL, NULL);
  g_return_val_if_fail (style != NULL, NULL);

  fig = figure_new (ATTN_FIGURE_GRAPH, style);
  panel.layout = attn_graph_layout_new_for_scene (scene, &fig->style, TRUE, 0, 0);
  panel.scene = attn_graph_scene_ref (scene);
  g_array_append_val (fig->graphs, panel);
  attn_graph_layout_get_size (panel.layout, &fig->width, &fig->height);
  fig->title = g_strdup (attn_graph_scene_get_title (scene));
  fig->caption = g_strdup (attn_graph_scene_get_caption (scene));
  for (guint i = 0; i < attn_graph_layout_get_n_labels (panel.layout); i++)
    {
      const AttnLabel *src = attn_graph_layout_get_label (panel.layout, i);
      AttnLabel copy = *src;

      copy.text = g_strdup (src->text);
      g_array_append_val (fig->labels, copy);
    }
  fig->n_panel_labels = fig->labels->len;

  return fig;
}

/* Accessors */

AttnFigureKind
attn_figure_get_kind (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, ATTN_FIGURE_GRAPH);

  return self->kind;
}

/**
 * attn_figure_get_size:
 * @width: (out) (optional): natural (1x) width in pixels
 * @height: (out) (optional): natural height in pixels
 */
void
attn_figure_get_size (const AttnFigure *self,
                      double           *width,
                      double           *height)
{
  g_return_if_fail (self != NULL);

  if (width)
    *width = self->width;
  if (height)
    *height = self->height;
}

const char *
attn_figure_get_title (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->title;
}

const char *
attn_figure_get_caption (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->caption;
}

/**
 * attn_figure_get_difference_note:
 *
 * Returns: (nullable): why a comparison has no difference heatmap, or %NULL
 */
const char *
attn_figure_get_difference_note (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->difference_note;
}

const AttnFigureStyle *
attn_figure_get_style (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->style;
}

/**
 * attn_figure_get_n_labels:
 *
 * Returns: the number of text labels of the figure (every text it draws
 *   except colour bar ticks), in figure coordinates
 */
guint
attn_figure_get_n_labels (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->labels->len;
}

const AttnLabel *
attn_figure_get_label (const AttnFigure *self,
                       guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->labels->len, NULL);

  return &g_array_index (self->labels, AttnLabel, index);
}

guint
attn_figure_get_n_graphs (const AttnFigure *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->graphs->len;
}

/**
 * attn_figure_get_graph_layout:
 * @x_offset: (out) (optional): where the panel sits in the figure
 * @y_offset: (out) (optional)
 *
 * Returns: (transfer none): the layout of graph panel @index
 */
AttnGraphLayout *
attn_figure_get_graph_layout (const AttnFigure *self,
                              guint             index,
                              double           *x_offset,
                              double           *y_offset)
{
  const GraphPanel *panel;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->graphs->len, NULL);

  panel = &g_array_index (self->graphs, GraphPanel, index);
  if (x_offset)
    *x_offset = panel->x;
  if (y_offset)
    *y_offset = panel->y;

  return panel->layout;
}

/**
 * attn_figure_get_graph_scene:
 *
 * Returns: (transfer none): the scene of graph panel @index
 */
AttnGraphScene *
attn_figure_get_graph_scene (const AttnFigure *self,
                             guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->graphs->len, NULL);

  return g_array_index (self->graphs, GraphPanel, index).scene;
}

/* Drawing */

static const AttnColormap *
grid_map (const AttnFigure *self,
          gboolean          diverging)
{
  return diverging ? attn_colormap_get_diverging () : self->style.colormap;
}

static double
grid_t (const AttnFigure *self,
        const HeatGrid   *grid,
        double            v)
{
  if (grid->diverging)
    return CLAMP (0.5 + 0.5 * v / self->diff_max, 0., 1.);

  return CLAMP (v / self->scale_max, 0., 1.);
}

static void
draw_grids (const AttnFigure *self,
            cairo_t          *cr)
{
  for (guint i = 0; i < self->grids->len; i++)
    {
      const HeatGrid *grid = &g_array_index (self->grids, HeatGrid, i);
      const AttnColormap *map = grid_map (self, grid->diverging);

      cairo_save (cr);
      for (guint r = 0; r < grid->n_rows; r++)
        for (guint k = 0; k < grid->n; k++)
          {
            /* Cells overlap their neighbours by a hair: no seams in viewers. */
            cairo_rectangle (cr, grid->x + k * grid->cw, grid->y + r * grid->ch,
                             grid->cw + (k + 1 < grid->n ? 0.3 : 0.), grid->ch + (r + 1 < grid->n_rows ? 0.3 : 0.));
            _attn_set_source_map (cr, map, grid_t (self, grid, grid->values[(gsize) r * grid->n + k]), 1.);
            cairo_fill (cr);
          }
      cairo_rectangle (cr, grid->x, grid->y, grid->n * grid->cw, grid->n_rows * grid->ch);
      _attn_set_source_rgba (cr, &self->style.foreground);
      cairo_set_line_width (cr, 1.);
      cairo_stroke (cr);
      if (grid->mark >= 0)
        {
          cairo_rectangle (cr, grid->x + grid->mark * grid->cw + 1., grid->y + 1.,
                           grid->cw - 2., grid->n_rows * grid->ch - 2.);
          _attn_set_source_rgba (cr, &self->style.accent);
          cairo_set_line_width (cr, 2.);
          cairo_stroke (cr);
        }
      cairo_restore (cr);
    }
}

static void
draw_swatches_and_labels (const AttnFigure *self,
                          cairo_t          *cr,
                          guint             first_label)
{
  static const AttnRgba black = { 0.f, 0.f, 0.f, 1.f }, white = { 1.f, 1.f, 1.f, 1.f };
  g_autofree const AttnRgba **colors = g_new0 (const AttnRgba *, self->labels->len);

  cairo_save (cr);
  for (guint i = 0; i < self->swatches->len; i++)
    {
      const Swatch *s = &g_array_index (self->swatches, Swatch, i);

      cairo_rectangle (cr, s->rect.x, s->rect.y, s->rect.width, s->rect.height);
      if (s->t >= 0.)
        {
          const AttnColormap *map = grid_map (self, s->diverging);

          _attn_set_source_map (cr, map, s->t, 1.);
          if (s->label >= 0)
            colors[s->label] = attn_colormap_lightness (map, s->t) > 0.36 ? &black : &white;
        }
      else
        _attn_set_source_rgba (cr, s->accent ? &self->style.accent : &self->style.muted);
      cairo_fill (cr);
    }
  cairo_restore (cr);

  for (guint i = first_label; i < self->labels->len; i++)
    {
      const AttnLabel *label = &g_array_index (self->labels, AttnLabel, i);
      const AttnRgba *color = colors[i] ? colors[i] : &self->style.foreground;

      if (label->kind == ATTN_LABEL_CAPTION || label->kind == ATTN_LABEL_NOTE)
        color = &self->style.muted;
      else if (label->kind == ATTN_LABEL_VALUE)
        {
          const HeatGrid *grid = NULL;
          double cx = label->box.x + label->box.width / 2, cy = label->box.y + label->box.height / 2;

          for (guint g = 0; g < self->grids->len && grid == NULL; g++)
            {
              const HeatGrid *c = &g_array_index (self->grids, HeatGrid, g);

              if (cx >= c->x && cx < c->x + c->n * c->cw && cy >= c->y && cy < c->y + c->n_rows * c->ch)
                grid = c;
            }
          if (grid != NULL)
            {
              guint k = (guint) ((cx - grid->x) / grid->cw), r = (guint) ((cy - grid->y) / grid->ch);
              double t = grid_t (self, grid, grid->values[(gsize) r * grid->n + k]);

              color = attn_colormap_lightness (grid_map (self, grid->diverging), t) > 0.36 ? &black : &white;
            }
        }
      _attn_label_draw (cr, label, &self->style, color);
    }
}

static void
draw_colorbars (const AttnFigure *self,
                cairo_t          *cr)
{
  for (guint i = 0; i < self->colorbars->len; i++)
    {
      const Colorbar *bar = &g_array_index (self->colorbars, Colorbar, i);

      _attn_draw_colorbar (cr, &self->style, grid_map (self, bar->diverging), &bar->rect,
                           bar->min, bar->max);
    }
}

static void
draw_background (const AttnFigure *self,
                 cairo_t          *cr)
{
  cairo_save (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_rectangle (cr, 0, 0, self->width, self->height);
  _attn_set_source_rgba (cr, &self->style.background);
  cairo_fill (cr);
  cairo_restore (cr);
}

static guint
first_own_label (const AttnFigure *self)
{
  /* For graph figures the panels draw their own labels; the figure's own
   * (title of a multi-panel figure, caption) come after them. */
  if (self->kind == ATTN_FIGURE_GRAPH)
    return self->n_panel_labels;

  return 0;
}

/**
 * attn_figure_draw:
 * @cr: any cairo context (SVG, PDF, image) in figure coordinates (1x)
 *
 * Draws the figure with vector paths (the SVG and PDF path).
 */
void
attn_figure_draw (const AttnFigure *self,
                  cairo_t          *cr)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  draw_background (self, cr);
  for (guint i = 0; i < self->graphs->len; i++)
    {
      const GraphPanel *panel = &g_array_index (self->graphs, GraphPanel, i);

      cairo_save (cr);
      cairo_translate (cr, panel->x, panel->y);
      attn_graph_render (panel->layout, panel->scene, &self->style, cr);
      cairo_restore (cr);
    }
  draw_grids (self, cr);
  if (self->custom_draw != NULL)
    self->custom_draw (self, cr, self->custom_data);
  draw_swatches_and_labels (self, cr, first_own_label (self));
  draw_colorbars (self, cr);
}

/**
 * attn_figure_render_image:
 * @scale: device pixels per figure pixel (1, 2, 3…)
 * @cancellable: (nullable): a #GCancellable
 *
 * Draws the figure into a new image: graph edges through the fast raster
 * path, everything else with cairo. Safe on a worker thread.
 *
 * Returns: (transfer full) (nullable): an ARGB32 surface of the figure's size
 *   times @scale, or %NULL when cancelled
 *   (an error surface, see cairo_surface_status(), when that is larger than
 *   cairo's 32767 pixels on a side)
 */
cairo_surface_t *
attn_figure_render_image (const AttnFigure *self,
                          double            scale,
                          GCancellable     *cancellable)
{
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (scale > 0., NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (self->width * scale),
                                        (int) ceil (self->height * scale));
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return surface;   /* too large: an error surface, as cairo reports it */
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  draw_background (self, cr);

  for (guint i = 0; i < self->graphs->len; i++)
    {
      const GraphPanel *panel = &g_array_index (self->graphs, GraphPanel, i);
      cairo_surface_t *image = attn_graph_render_image (panel->layout, panel->scene, &self->style,
                                                        scale, cancellable);

      if (image == NULL)
        {
          cairo_destroy (cr);
          cairo_surface_destroy (surface);
          return NULL;
        }
      cairo_save (cr);
      cairo_identity_matrix (cr);
      cairo_set_source_surface (cr, image, round (panel->x * scale), round (panel->y * scale));
      cairo_paint (cr);
      cairo_restore (cr);
      cairo_surface_destroy (image);
    }

  draw_grids (self, cr);
  if (self->custom_draw != NULL)
    self->custom_draw (self, cr, self->custom_data);
  draw_swatches_and_labels (self, cr, first_own_label (self));
  draw_colorbars (self, cr);
  cairo_destroy (cr);

  return surface;
}
