/* attn-graph-view-labels.c: the graph view's text: the labels that stay in
 * sight when it is zoomed in, and what a node and the selection say
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "attn-graph-view-private.h"

/* Zoomed in, the figure's own token and layer labels scroll out of sight:
 * the view keeps the input tokens along its bottom edge and the layer names
 * along its left edge, at the positions of the nodes on screen. */

/* Token labels along the bottom: at least this far apart before their
 * widths are measured */
#define MIN_LABEL_SPACING 16.
/* Padding round the labels, in pixels */
#define STRIP_PAD 3
/* Least space between two token labels, in pixels */
#define LABEL_GAP 8

static char *
layer_name (guint layer)
{
  return layer == 0 ? g_strdup (_("Input")) : g_strdup_printf (_("Layer %u"), layer);
}

static int
layer_column_width (AttnGraphView *self,
                    PangoLayout   *text)
{
  guint top = attn_graph_layout_get_last_layer (self->layout);
  int text_w, left_w = 0;

  for (guint l = attn_graph_layout_get_first_layer (self->layout) - 1; l <= top; l++)
    {
      g_autofree char *name = layer_name (l);

      pango_layout_set_text (text, name, -1);
      pango_layout_get_pixel_size (text, &text_w, NULL);
      left_w = MAX (left_w, text_w + 4 * STRIP_PAD);
    }
  return left_w;
}

/* The height of the strip of input tokens along the bottom edge */
static int
strip_height (PangoLayout *text)
{
  int text_h;

  pango_layout_set_text (text, "Ag", -1);
  pango_layout_get_pixel_size (text, NULL, &text_h);
  return text_h + 2 * STRIP_PAD;
}

/* The input tokens in the strip, between @left_w and @width: every
 * stride-th (a multiple of it, so that panning keeps the same ones) and the
 * ones the figure always labels (the selected node's, the sink's, the
 * pronoun's and its antecedents'), laid out as the figure lays out its own */
static GArray *
strip_labels (AttnGraphView *self,
              PangoLayout   *text,
              int            left_w,
              int            width)
{
  GArray *labels = g_array_new (FALSE, FALSE, sizeof (AttnGraphViewLabel));
  guint bottom = attn_graph_layout_get_first_layer (self->layout) - 1;
  guint n = attn_graph_layout_get_n_tokens (self->layout);
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) center = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) text_w = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree double *left = NULL;
  double x0, x1, y, step;
  guint stride, first, last;

  attn_graph_view_node_to_widget (self, bottom, 0, &x0, &y);
  attn_graph_view_node_to_widget (self, bottom, MIN (1, n - 1), &x1, &y);
  step = n > 1 ? x1 - x0 : 1.;
  if (step <= 0.)
    return labels;
  stride = step < MIN_LABEL_SPACING ? (guint) ceil (MIN_LABEL_SPACING / step) : 1;
  /* the tokens in view: first to last - 1 */
  first = (guint) CLAMP (ceil ((left_w - x0) / step), 0., n);
  last = (guint) CLAMP (floor ((width - x0) / step) + 1., 0., n);

  for (guint j = first; j < last; j++)
    {
      double x = x0 + j * step, tw;
      int w;

      if (j % stride != 0 && !attn_graph_layout_is_marked (self->layout, j))
        continue;
      pango_layout_set_text (text, attn_graph_layout_get_token (self->layout, j), -1);
      pango_layout_get_pixel_size (text, &w, NULL);
      tw = w + LABEL_GAP;
      /* a label that would run under the layer names' column or off the
       * view moves into sight if it is one the figure always labels, and is
       * left out if not (or if the view is too narrow for it) */
      if (x - tw / 2. < left_w || x + tw / 2. > width)
        {
          if (!attn_graph_layout_is_marked (self->layout, j) || width - left_w < tw)
            continue;
          x = CLAMP (x, left_w + tw / 2., width - tw / 2.);
        }
      g_array_append_val (positions, j);
      g_array_append_val (center, x);
      g_array_append_val (text_w, tw);
    }

  left = g_new (double, MAX (positions->len, 1));
  attn_graph_layout_place_row_labels (self->layout, positions->len, (guint *) positions->data,
                                      (double *) center->data, (double *) text_w->data, left);
  for (guint k = 0; k < positions->len; k++)
    {
      AttnGraphViewLabel label = { g_array_index (positions, guint, k), left[k] + LABEL_GAP / 2.,
                                   g_array_index (text_w, double, k) - LABEL_GAP };

      if (!isnan (label.left) && label.left >= left_w && label.left + label.width <= width)
        g_array_append_val (labels, label);
    }
  return labels;
}

/* What stands in for the figure's own labels where they are out of sight:
 * the strip of input tokens (@strip high, 0 for none) while the bottom row
 * is within a strip's height of the bottom edge or past it, as the tokens
 * hang under it; the layer names' column (@left_w wide, 0 for none, from
 * @column_top to @column_bottom, clear of the figure's title and caption)
 * while the first column of nodes is under it or past it */
typedef struct
{
  int     strip;
  int     left_w;
  double  column_top;
  double  column_bottom;
  GArray *labels;         /* AttnGraphViewLabel: the strip's */
} Sticky;

static void
sticky_init (Sticky        *sticky,
             AttnGraphView *self,
             PangoLayout   *text,
             int            width,
             int            height,
             gboolean       with_labels)
{
  int strip = strip_height (text), left_w = layer_column_width (self, text);
  double x, top_y, bottom_y;

  attn_graph_view_node_to_widget (self, attn_graph_layout_get_last_layer (self->layout), 0, &x, &top_y);
  attn_graph_view_node_to_widget (self, attn_graph_layout_get_first_layer (self->layout) - 1, 0, &x,
                                  &bottom_y);
  sticky->strip = bottom_y + strip > height ? strip : 0;
  sticky->left_w = x < left_w ? left_w : 0;
  /* the top and bottom rows' names whole, within the gap between a row
   * and the figure's token labels */
  sticky->column_top = MAX (top_y - strip / 2., 0.);
  sticky->column_bottom = MIN (bottom_y + strip / 2., height - sticky->strip);
  sticky->labels = sticky->strip > 0 && with_labels ? strip_labels (self, text, sticky->left_w, width)
                                                    : g_array_new (FALSE, FALSE, sizeof (AttnGraphViewLabel));
}

/**
 * _attn_graph_view_strip_labels:
 *
 * Returns: (transfer full) (element-type AttnGraphViewLabel): the input
 *   tokens labelled along the bottom edge, zoomed in as the view is now;
 *   empty when the view is not zoomed in, or the figure's own token labels
 *   are in sight
 */
GArray *
_attn_graph_view_strip_labels (AttnGraphView *self)
{
  g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  Sticky sticky;

  if (self->zoom <= ATTN_GRAPH_VIEW_STICKY_ZOOM || self->layout == NULL)
    return g_array_new (FALSE, FALSE, sizeof (AttnGraphViewLabel));
  sticky_init (&sticky, self, text, gtk_widget_get_width (GTK_WIDGET (self)),
               gtk_widget_get_height (GTK_WIDGET (self)), TRUE);
  return sticky.labels;
}

/**
 * _attn_graph_view_pinned_colorbar:
 * @rect: (out): where the colour bar's band is drawn, in widget coordinates
 * @bar_height: (out) (optional): the height of its bar, in pixels
 *
 * Zoomed in, the colour bar the figure lays out right of its plot scrolls
 * out of sight with it: the view keeps it, with its ticks and labels, at
 * its right edge, as high and as far down as the figure at the view's size
 * has it (the figure zoomed in is laid out taller, with a taller bar).
 *
 * Returns: whether the band is drawn (not when the view is not zoomed in)
 */
gboolean
_attn_graph_view_pinned_colorbar (AttnGraphView   *self,
                                  graphene_rect_t *rect,
                                  double          *bar_height)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  AttnRect bar, band;
  double h;

  if (self->zoom <= ATTN_GRAPH_VIEW_STICKY_ZOOM || self->layout == NULL || self->scene == NULL)
    return FALSE;
  /* the figure at the view's size is as high as the view: all but its bar
   * the same height as in the one laid out zoomed in */
  attn_graph_layout_get_colorbar (self->layout, &bar);
  h = CLAMP (height - (self->layout_height - bar.height), MIN (24., bar.height), bar.height);
  attn_graph_layout_get_colorbar_band (self->layout, h, &band);
  if (band.width > width)
    return FALSE;
  /* on whole pixels, its image sharp */
  *rect = GRAPHENE_RECT_INIT (width - ceil (band.width), round (CLAMP (band.y, 0., MAX (height - band.height, 0.))),
                              ceil (band.width), ceil (band.height));
  if (bar_height != NULL)
    *bar_height = h;
  return TRUE;
}

/**
 * _attn_graph_view_is_pinned:
 * @x, @y: widget coordinates
 *
 * Returns: whether the point is on what the view keeps in sight zoomed in
 *   (the strip of input tokens, the layer names' column, the colour bar):
 *   the nodes and edges under it are hidden, and are neither hovered nor
 *   clicked there (a click on the colour bar selected the node under it)
 */
gboolean
_attn_graph_view_is_pinned (AttnGraphView *self,
                            double         x,
                            double         y)
{
  g_autoptr(PangoLayout) text = NULL;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  graphene_rect_t bar;
  Sticky sticky;

  if (self->zoom <= ATTN_GRAPH_VIEW_STICKY_ZOOM || self->layout == NULL)
    return FALSE;
  if (_attn_graph_view_pinned_colorbar (self, &bar, NULL) &&
      graphene_rect_contains_point (&bar, &GRAPHENE_POINT_INIT (x, y)))
    return TRUE;
  text = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  sticky_init (&sticky, self, text, width, height, FALSE);
  g_array_unref (sticky.labels);
  return (sticky.strip > 0 && y >= height - sticky.strip) ||
         (sticky.left_w > 0 && x < sticky.left_w && y >= sticky.column_top && y <= sticky.column_bottom);
}

/* The band of _attn_graph_view_pinned_colorbar(), drawn by the renderer as
 * the figure draws its colour bar (an image of it kept until the next image
 * of the graph), with a rule on its left; the figure's own, where part of
 * it is in sight (panned to the right end), hidden: one bar, not two */
static void
snapshot_colorbar (AttnGraphView *self,
                   GtkSnapshot   *snapshot)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  GdkRGBA muted = { self->style.muted.red, self->style.muted.green, self->style.muted.blue, self->style.muted.alpha };
  GdkRGBA bg = { self->style.background.red, self->style.background.green, self->style.background.blue, 1. };
  double s = _attn_graph_view_figure_scale (self), h;
  graphene_rect_t rect;
  AttnRect own;

  if (!_attn_graph_view_pinned_colorbar (self, &rect, &h))
    return;
  attn_graph_layout_get_colorbar_band (self->layout, 0., &own);
  gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (self->pan_x + own.x * s, self->pan_y + own.y * s,
                                                                 own.width * s, own.height * s));
  if (self->bar_texture == NULL || self->bar_height != h || self->bar_scale != scale)
    {
      cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, rect.size.width * scale,
                                                           rect.size.height * scale);
      cairo_t *cr = cairo_create (image);
      AttnRect band;

      attn_graph_layout_get_colorbar_band (self->layout, h, &band);
      cairo_scale (cr, scale, scale);
      cairo_translate (cr, -band.x, -band.y);
      attn_graph_render_colorbar_band (self->layout, self->scene, &self->style, h, cr);
      cairo_destroy (cr);
      g_clear_object (&self->bar_texture);
      self->bar_texture = _attn_graph_view_texture_new (image);
      cairo_surface_destroy (image);
      self->bar_height = h;
      self->bar_scale = scale;
    }
  gtk_snapshot_append_texture (snapshot, self->bar_texture, &rect);
  gtk_snapshot_append_color (snapshot, &muted, &GRAPHENE_RECT_INIT (rect.origin.x, rect.origin.y, 1,
                                                                    rect.size.height));
}

static void
append_label (GtkSnapshot    *snapshot,
              PangoLayout    *text,
              const AttnRgba *color,
              double          x,
              double          y)
{
  GdkRGBA rgba = { color->red, color->green, color->blue, 1. };

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, text, &rgba);
  gtk_snapshot_restore (snapshot);
}

/* The colours are the figure's: the background, the sink's token and the
 * selected layer in the accent colour, the candidate antecedents' tokens
 * highlighted */
void
_attn_graph_view_snapshot_labels (AttnGraphView *self,
                                  GtkSnapshot   *snapshot,
                                  int            width,
                                  int            height)
{
  g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  GdkRGBA bg = { self->style.background.red, self->style.background.green, self->style.background.blue, 0.88 };
  guint top = attn_graph_layout_get_last_layer (self->layout);
  guint sel_layer = 0, sel_position;
  int sink = -1;
  gboolean selected = attn_graph_scene_get_selection (self->scene, &sel_layer, &sel_position, &sink);
  Sticky sticky;

  sticky_init (&sticky, self, text, width, height, TRUE);
  if (sticky.strip > 0)
    gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, height - sticky.strip, width, sticky.strip));
  if (sticky.left_w > 0 && sticky.column_bottom > sticky.column_top)
    gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, sticky.column_top, sticky.left_w,
                                                                  sticky.column_bottom - sticky.column_top));

  for (guint k = 0; k < sticky.labels->len; k++)
    {
      const AttnGraphViewLabel *label = &g_array_index (sticky.labels, AttnGraphViewLabel, k);
      const AttnRgba *color = &self->style.foreground;

      if (selected && (int) label->position == sink)
        color = &self->style.accent;
      else if (self->example != NULL && attn_example_is_antecedent (self->example, label->position))
        color = &self->style.highlight;
      pango_layout_set_text (text, attn_graph_layout_get_token (self->layout, label->position), -1);
      append_label (snapshot, text, color, label->left, height - sticky.strip + STRIP_PAD);
    }
  g_array_unref (sticky.labels);

  for (guint l = attn_graph_layout_get_first_layer (self->layout) - 1; sticky.left_w > 0 && l <= top; l++)
    {
      g_autofree char *name = layer_name (l);
      double x, y;
      int text_h;

      if (!attn_graph_view_node_to_widget (self, l, 0, &x, &y) || y < 0 || y > height - sticky.strip)
        continue;
      pango_layout_set_text (text, name, -1);
      pango_layout_get_pixel_size (text, NULL, &text_h);
      append_label (snapshot, text, selected && l == sel_layer ? &self->style.accent : &self->style.foreground,
                    2 * STRIP_PAD, y - text_h / 2.);
    }
  snapshot_colorbar (self, snapshot);
}

/* The edge from (@layer, @query) down to (@layer − 1, @key) as the status
 * line tells it: its nodes as the hover of a node names them (its foot
 * an input token at layer 1), its weight as the views print it */
char *
_attn_graph_view_describe_edge (AttnGraphView *self,
                                guint          layer,
                                guint          query,
                                guint          key)
{
  g_autofree char *from = attn_token_display_whole (attn_example_get_token (self->example, query));
  g_autofree char *to = attn_token_display_whole (attn_example_get_token (self->example, key));
  g_autofree char *value = attn_format_value (attn_graph_scene_get_edge (self->scene, layer, query, key));

  if (layer == 1)
    /* translators: token, layer, position → input token, position: the edge's weight (0.0730, 6.50e−04) */
    return g_strdup_printf (_("“%s” at layer %u, position %u → input “%s” (position %u): %s"), from, layer,
                            query, to, key, value);
  /* translators: token, layer, position → token, layer, position: the edge's weight (0.0730, 6.50e−04) */
  return g_strdup_printf (_("“%s” at layer %u, position %u → “%s” at layer %u, position %u: %s"), from, layer,
                          query, to, layer - 1, key, value);
}

/* Node (@layer, @position) of a rollout or flow click as the status line
 * tells it: @through, the values of its layer in the scene shown, says how
 * much of the selected node's mass passes through each node
 * (set_mass_through() in attn-graph-scene.c); with an input picked as well
 * (the scene's sink) only the paths that end there count: rollout's are
 * shares of them (each layer sums to 1), flow's the one max-flow to the
 * input, in the selected node's mass (each layer sums to that flow's value) */
static char *
describe_mass_through (AttnGraphView *self,
                       const char    *token,
                       guint          layer,
                       guint          position,
                       const double  *through)
{
  AttnTrace *shown = attn_graph_scene_get_trace (self->scene);
  g_autofree char *value = attn_format_value (through[position]);
  g_autofree char *input = NULL;
  g_autofree char *total = NULL;
  double sum = 0.;
  int sink = -1;

  if (!attn_graph_scene_get_selection (self->scene, NULL, NULL, &sink) || sink < 0)
    /* translators: token, layer, position, value (0.0730, 6.50e−04) */
    return g_strdup_printf (_("“%s” at layer %u, position %u: %s of the selected node’s mass passes here"),
                            token, layer, position, value);

  input = attn_token_display_whole (attn_example_get_token (self->example, sink));
  if (attn_trace_get_method (shown != NULL ? shown : self->trace) == ATTN_METHOD_ROLLOUT)
    /* translators: token, layer, position, value (0.0730, 6.50e−04), input token: the
     * value is this node's share of the paths from the selected node that end at the input */
    return g_strdup_printf (_("“%s” at layer %u, position %u: %s of what reaches input “%s” from the selected "
                              "node passes here"), token, layer, position, value, input);

  for (guint q = 0; q < attn_example_get_n_tokens (self->example); q++)
    sum += through[q];
  total = attn_format_value (sum);
  /* translators: token, layer, position, value (0.0108), total (0.3000), input token: of the
   * max-flow from the selected node to the input (its value, in the selected node's mass, is
   * the total), the value passes through this node */
  return g_strdup_printf (_("“%s” at layer %u, position %u: %s of the %s that flows from the selected node "
                            "to input “%s” passes here"), token, layer, position, value, total, input);
}

char *
_attn_graph_view_describe_node (AttnGraphView *self,
                                guint          layer,
                                guint          position)
{
  g_autofree char *token = attn_token_display_whole (attn_example_get_token (self->example, position));
  AttnTrace *trace = self->trace;
  guint selected;

  if (layer == 0)
    {
      const double *values = trace ? attn_trace_get_node_values (trace) : NULL;

      if (values != NULL)
        {
          g_autofree char *value = attn_format_value (values[position]);

          /* translators: input token, position, method, value (0.0730, 6.50e−04) */
          return g_strdup_printf (_("Input “%s” (position %u): %s %s for the selected node"),
                                  token, position, attn_method_get_label (attn_trace_get_method (trace)), value);
        }
      /* translators: input token, position */
      return g_strdup_printf (_("Input “%s” (position %u)"), token, position);
    }

  if (trace != NULL && attn_trace_get_selection (trace, &selected, NULL, NULL) &&
      attn_trace_get_method (trace) != ATTN_METHOD_RAW && layer <= selected && self->scene != NULL)
    {
      const double *through = attn_graph_scene_get_node_values (self->scene, layer);

      if (through != NULL)
        return describe_mass_through (self, token, layer, position, through);
    }
  /* translators: token, layer, position */
  return g_strdup_printf (_("“%s” at layer %u, position %u"), token, layer, position);
}

/**
 * attn_graph_view_describe_selection:
 *
 * Returns: (transfer full): a sentence naming the method, the selected node
 *   and its strongest input, for assistive technologies and the status line
 */
char *
attn_graph_view_describe_selection (AttnGraphView *self)
{
  AttnTrace *trace;
  const double *values;
  g_autofree char *method = NULL;
  g_autofree char *value = NULL;
  g_autofree char *token = NULL;
  g_autofree char *best_token = NULL;
  guint best = 0, tied = 0, layer, position;
  int sink = -1;

  g_return_val_if_fail (ATTN_IS_GRAPH_VIEW (self), NULL);

  trace = self->trace;
  if (self->example == NULL)
    return g_strdup (_("No example is open"));
  if (trace == NULL)
    return g_strdup (_("No node is selected"));
  /* the weights of the scene of @trace, not of the one drawn until it is rendered */
  method = attn_method_dup_label (attn_trace_get_method (trace), self->input != NULL
                                  ? attn_graph_scene_get_weights (self->input) : ATTN_WEIGHT_KIND_ATTENTION);
  if (!attn_trace_get_selection (trace, &layer, &position, &sink))
    /* translators: method name */
    return g_strdup_printf (_("%s of every node; no node is selected"), method);

  values = attn_trace_get_node_values (trace);
  token = attn_token_display_whole (attn_example_get_token (self->example, position));
  if (values == NULL)
    return g_strdup_printf (_("%s: “%s” at layer %u, position %u is selected"), method, token, layer, position);
  if (sink >= 0)
    {
      g_autofree char *sink_token = attn_token_display_whole (attn_example_get_token (self->example, sink));

      value = attn_format_value (values[sink]);
      /* translators: the status line with a sink, its result first: the input token, its
       * position, the value (0.0730, 6.50e−04), method, selected token, layer, position */
      return g_strdup_printf (_("Into “%s” (position %d): %s · %s from “%s” at layer %u, position %u"),
                              sink_token, sink, value, method, token, layer, position);
    }
  for (guint j = 1; j < attn_trace_get_n_tokens (trace); j++)
    if (values[j] > values[best])
      best = j;
  for (guint j = 0; j < attn_trace_get_n_tokens (trace); j++)
    tied += j != best && values[j] >= values[best] * (1. - 1e-9);
  value = attn_format_value (values[best]);
  best_token = attn_token_display_whole (attn_example_get_token (self->example, best));
  if (tied == 1)
    {
      guint other = 0;
      g_autofree char *other_token = NULL;

      while (other == best || values[other] < values[best] * (1. - 1e-9))
        other++;
      other_token = attn_token_display_whole (attn_example_get_token (self->example, other));
      /* translators: the status line, its result first: strongest input token, its position,
       * the one other input of the same value and its position, value (0.0730, 6.50e−04),
       * method, selected token, layer, position */
      return g_strdup_printf (_("Strongest input “%s” (position %u), tied with “%s” (position %u): %s · %s from "
                                "“%s” at layer %u, position %u"),
                              best_token, best, other_token, other, value, method, token, layer, position);
    }
  if (tied > 0)
    /* translators: the status line, its result first: strongest input token, its position, how
     * many other inputs have the same value, value (0.0730, 6.50e−04), method, selected token,
     * layer, position */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Strongest input “%s” (position %u), tied with %u other: %s · %s from “%s” at layer %u, position %u",
                                         "Strongest input “%s” (position %u), tied with %u others: %s · %s from “%s” at layer %u, position %u",
                                         tied),
                            best_token, best, tied, value, method, token, layer, position);
  /* translators: the status line, its result first (a narrow window cuts its end): strongest
   * input token, its position, value (0.0730, 6.50e−04), method, selected token, layer, position */
  return g_strdup_printf (_("Strongest input “%s” (position %u): %s · %s from “%s” at layer %u, position %u"),
                          best_token, best, value, method, token, layer, position);
}
