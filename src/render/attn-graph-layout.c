/* attn-graph-layout.c: geometry of the layered graph figure: where its nodes and labels go,
 * and which node or edge is at a point
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "attn-graph-layout.h"
#include "attn-refcount.h"
#include "attn-render-private.h"

#define PAD 12.
#define COLORBAR_WIDTH 14.
/* Between the token labels and their row of nodes: the largest node (6 px)
 * with its selection ring (3 px out, 2 px wide), a view's keyboard cursor
 * round that and a pixel to spare */
#define LABEL_GAP (6. + 4. + ATTN_GRAPH_CURSOR_ROOM + 1.)
/* Below this spacing of the rows, with the tokens above and below the plot
 * (a 12-layer graph at 900x600), the tokens go below it only */
#define MIN_ROW_BOTH_LABELS 14.
/* The least spacing of the rows at a given height: below it the caption
 * is left out, for them (and the labels round them) to fit */
#define MIN_ROW_SPACING 4.
/* the rows' spacing at the natural height */
#define NATURAL_ROW_SPACING(n_tokens) ((n_tokens) <= 32 ? 56. : 72.)

struct _AttnGraphLayout
{
  gatomicrefcount  ref_count;
  guint            n_tokens;
  guint            first_layer;
  guint            last_layer;
  double           width;
  double           height;
  double           x0;           /* x of position 0 */
  double           dx;           /* spacing between positions */
  double           y_bottom;     /* y of row first_layer - 1 */
  double           dy;           /* spacing between rows */
  double           radius;
  AttnRect         plot;
  AttnRect         colorbar;
  GArray          *labels;       /* AttnLabel */
  GPtrArray       *tokens;       /* as shown */
  gboolean        *marked;       /* labelled even where not all fit */
  gboolean         top_labels;   /* the tokens above the plot too */
  double           ticks_w;      /* room right of the colour bar for its ticks */
  double           left_w;       /* and left of it for the nodes' scale, 0 without */
};

G_DEFINE_BOXED_TYPE (AttnGraphLayout, attn_graph_layout, attn_graph_layout_ref, attn_graph_layout_unref)

/* Sizes of the text around the plot, measured before placing it */
typedef struct
{
  double     fs;          /* layer labels and the base size */
  double     token_fs;
  double     max_tw;      /* widest token */
  double     line_h;      /* height of a line of tokens */
  double     layer_w;     /* widest layer label */
  double     ticks_w;     /* colour bar's tick labels */
  double     left_w;      /* those of its nodes' scale on its left, 0 without */
  double     scale_w;     /* the colour bar's rotated label, 0 without one */
  GPtrArray *shown;       /* tokens as displayed */
  double    *token_w;     /* the width of each as shown (owns @token_h's block too) */
  double    *token_h;     /* the height of each, the width of its rotated label */
} Measures;

/* The name of the colour bar's scale of the nodes (on its left) or the
 * edges (on its right), where it has both */
static const char *
scale_name (gboolean nodes)
{
  /* translators: under the colour bar, the name of the scale of its ticks on the left (the
   * nodes' range) and on the right (the edges'); short, a tick label wide */
  return nodes ? _("nodes") : _("edges");
}

static void
measure_text (Measures                  *m,
              AttnPangoContext          *context,
              const AttnGraphLayoutSpec *spec)
{
  double tw, th;

  m->fs = spec->style->font_size > 0. ? spec->style->font_size : 13.;
  m->token_fs = m->fs * 0.9;
  m->max_tw = m->layer_w = m->scale_w = 0.;

  m->shown = g_ptr_array_new_with_free_func (g_free);
  /* one block: the widths, then the heights */
  m->token_w = g_new (double, 2 * (gsize) spec->n_tokens);
  m->token_h = m->token_w + spec->n_tokens;
  for (guint i = 0; i < spec->n_tokens; i++)
    {
      /* whole in a figure at its natural size, which makes room for them;
       * one fitted to a view keeps its rows' height, long tokens shortened
       * (and more where it is low: bound_token_labels()) */
      const char *token = spec->tokens[i] ? spec->tokens[i] : "";
      char *text = spec->height > 0. ? attn_token_display (token) : attn_token_display_whole (token);

      _attn_text_measure (context, spec->style, text, m->token_fs, FALSE, 0, &m->token_w[i], &m->token_h[i]);
      m->max_tw = MAX (m->max_tw, m->token_w[i]);
      g_ptr_array_add (m->shown, text);
    }
  _attn_text_measure (context, spec->style, "Ag", m->token_fs, FALSE, 0, &tw, &m->line_h);

  for (guint l = spec->first_layer - 1; l <= spec->last_layer; l++)
    {
      g_autofree char *text = l == 0 ? g_strdup (_("Input")) : g_strdup_printf (_("Layer %u"), l);

      _attn_text_measure (context, spec->style, text, m->fs * 0.9, FALSE, 0, &tw, &th);
      m->layer_w = MAX (m->layer_w, tw);
    }
  m->ticks_w = _attn_colorbar_ticks_width (context, spec->style);
  m->left_w = 0.;
  if (spec->node_ticks || spec->node_ticks_room)
    {
      /* the two scales' names under the bar fit over their ticks */
      _attn_text_measure (context, spec->style, scale_name (TRUE), m->fs * 0.85, FALSE, 0, &tw, &th);
      m->left_w = MAX (m->ticks_w, tw + 4.);
      _attn_text_measure (context, spec->style, scale_name (FALSE), m->fs * 0.85, FALSE, 0, &tw, &th);
      m->ticks_w = MAX (m->ticks_w, tw + 4.);
    }
  if (spec->scale_label != NULL)
    {
      _attn_text_measure (context, spec->style, spec->scale_label, m->fs * 0.9, FALSE, 0, &tw, &th);
      m->scale_w = th + 4.;
    }
}

/* The room the colour bar's label needs wrapped by place_scale_label() to
 * @span, the height of the bar and the token labels beside it; 0 when it
 * fits on one line */
static double
scale_width_for_span (AttnPangoContext      *context,
                      const AttnFigureStyle *style,
                      const Measures        *m,
                      const char            *scale_label,
                      double                 span)
{
  double w, h;

  _attn_text_measure (context, style, scale_label, m->fs * 0.9, FALSE, 0, &w, &h);
  if (w <= span || span <= 4 * m->line_h)
    return 0.;
  _attn_text_measure (context, style, scale_label, m->fs * 0.9, FALSE, span, &w, &h);
  return h + 4.;
}

/* The room the colour bar's label needs when place_scale_label() wraps it
 * to the height beside the bar and the token labels: in a figure @height
 * high, at least what a title and a caption of two lines each leave */
static double
wrapped_scale_width (AttnPangoContext      *context,
                     const AttnFigureStyle *style,
                     const Measures        *m,
                     const char            *scale_label,
                     double                 height)
{
  return scale_width_for_span (context, style, m, scale_label,
                               height - 2 * PAD - 2 * (2 * m->line_h * 1.3 + 8.));
}

/* The room beside the colour bar for its label: at a figure's height,
 * wrapped along the bar and the token labels; at a view's size, enough for the largest label a
 * click may bring too (spec->scale_room), so that the nodes stay where they
 * were under the pointer, and for those of the other methods as well (so
 * that switching methods moves none either), as long as that takes at most
 * a fifth of the graph's width */
static double
scale_width (AttnPangoContext          *context,
             const AttnGraphLayoutSpec *spec,
             const Measures            *m)
{
  double w, h, needed = m->scale_w, own = 0., all = 0., plot;
  guint i = 0;

  if (spec->height > 0. && spec->scale_label != NULL)
    needed = MAX (needed, wrapped_scale_width (context, spec->style, m, spec->scale_label, spec->height));
  if (!(spec->width > 0.) || spec->scale_room == NULL)
    return needed;
  for (const char * const *label = spec->scale_room; *label != NULL; label++, i++)
    {
      _attn_text_measure (context, spec->style, *label, m->fs * 0.9, FALSE, 0, &w, &h);
      w = h + 4.;
      if (spec->height > 0.)
        w = MAX (w, wrapped_scale_width (context, spec->style, m, *label, spec->height));
      all = MAX (all, w);
      if (i < spec->scale_room_own)
        own = MAX (own, w);
    }
  /* at most a fifth of what the graph would have without a label */
  plot = spec->width - 2 * PAD - m->layer_w - 10. - 16. - m->left_w - COLORBAR_WIDTH - m->ticks_w;
  return MAX (needed, all <= plot / 5. ? all : own <= plot / 5. ? own : 0.);
}

/* At the natural size, the room for the colour bar's label wrapped along the
 * bar and the token labels (@labels_h, above and below): a range of two
 * layers made the bar shorter than its label, which was left out (the
 * colours said nothing); else m->scale_w */
static double
natural_scale_width (AttnPangoContext          *context,
                     const AttnGraphLayoutSpec *spec,
                     const Measures            *m,
                     double                     labels_h,
                     guint                      n_rows)
{
  if (spec->width > 0. || spec->height > 0. || spec->scale_label == NULL)
    return m->scale_w;
  return MAX (m->scale_w, scale_width_for_span (context, spec->style, m, spec->scale_label,
                                                labels_h + 2 * LABEL_GAP +
                                                NATURAL_ROW_SPACING (spec->n_tokens) * (n_rows - 1)));
}

/* The title's height, @title_h as laid out: at a view's size, that of the
 * highest title a click may bring (spec->title_room), for the same reason */
static double
title_height (AttnPangoContext          *context,
              const AttnGraphLayoutSpec *spec,
              const Measures            *m,
              double                     title_h)
{
  if (!(spec->width > 0.) || spec->title_room == NULL || spec->title == NULL)
    return title_h;
  for (const char * const *title = spec->title_room; *title != NULL; title++)
    {
      double w, h;

      _attn_text_measure (context, spec->style, *title, m->fs * 1.15, TRUE, spec->width - 2 * PAD, &w, &h);
      title_h = MAX (title_h, h + 6.);
    }
  return title_h;
}

/* The caption's height, @caption_h as laid out: at a view's size, that of
 * the longest caption a click may bring (spec->caption_room, "node: …
 * paths to input …"), for the same reason */
static double
caption_height (AttnPangoContext          *context,
                const AttnGraphLayoutSpec *spec,
                const Measures            *m,
                double                     width,
                double                     caption_h)
{
  if (!(spec->width > 0.) || !(spec->height > 0.) || spec->caption_room == NULL)
    return caption_h;
  for (const char * const *caption = spec->caption_room; *caption != NULL; caption++)
    {
      AttnLabel room;

      _attn_label_init (&room, context, spec->style, &(AttnLabelSpec) { .kind = ATTN_LABEL_CAPTION,
                        .text = *caption, .size = m->fs * 0.85, .wrap = width - 2 * PAD });
      caption_h = MAX (caption_h, room.box.height);
      _attn_label_clear (&room);
    }
  return caption_h;
}

/* The colour bar's label, rotated beside it, centred on it; a longer one
 * may reach along the token labels above and below (@top to @bottom) */
static void
place_scale_label (AttnGraphLayout       *self,
                   AttnPangoContext      *context,
                   const AttnFigureStyle *style,
                   const Measures        *m,
                   const char            *scale_label,
                   double                 top,
                   double                 bottom)
{
  AttnLabel label;
  double span = bottom - top;

  _attn_label_init (&label, context, style, &(AttnLabelSpec) { .kind = ATTN_LABEL_SCALE, .index = G_MAXUINT,
                    .text = scale_label, .size = m->fs * 0.9, .angle = -G_PI / 2 });
  if (label.box.height > span && span > 4 * m->line_h)
    {
      /* longer than that: its lines wrapped to it */
      _attn_label_clear (&label);
      _attn_label_init (&label, context, style, &(AttnLabelSpec) { .kind = ATTN_LABEL_SCALE,
                        .index = G_MAXUINT, .text = scale_label, .size = m->fs * 0.9,
                        .wrap = span, .angle = -G_PI / 2 });
    }
  /* the space between its lines out of the gap after the ticks */
  _attn_label_place (&label, self->colorbar.x + COLORBAR_WIDTH + m->ticks_w - label.line_spacing,
                     CLAMP (self->plot.y + (self->plot.height - label.box.height) / 2, top,
                            MAX (top, bottom - label.box.height)));
  if (label.box.height > span || label.box.x + label.box.width > self->width)
    {
      /* Too long to stand beside the bar: leave it out rather than clip it. */
      _attn_label_clear (&label);
    }
  else
    g_array_append_val (self->labels, label);
}

/* Where the colour bar has two scales (spec->node_ticks), their names
 * under it: the nodes' under the ticks on its left, the edges' under those
 * on its right, below the labels of their 0 */
static void
place_scale_names (AttnGraphLayout           *self,
                   AttnPangoContext          *context,
                   const AttnGraphLayoutSpec *spec,
                   const Measures            *m)
{
  for (guint side = 0; spec->node_ticks && side < 2; side++)
    {
      AttnLabel label;
      double y;

      _attn_label_init (&label, context, spec->style, &(AttnLabelSpec) { .kind = ATTN_LABEL_SCALE,
                        .index = G_MAXUINT - 1 - side, .text = scale_name (side == 0), .size = m->fs * 0.85 });
      y = self->colorbar.y + self->colorbar.height + label.box.height / 2 + 3.;
      _attn_label_place (&label, side == 0 ? self->colorbar.x - 2. - label.box.width
                                           : self->colorbar.x + self->colorbar.width + 2., y);
      g_array_append_val (self->labels, label);
    }
}

/* “Input”, “Layer 1”…, skipping rows when they are closer than a line:
 * every few from that of @marked (the selected node's layer), where it is
 * drawn (at 180 px high, "Layer 4" was, not the selected layer 6) */
static void
place_layer_labels (AttnGraphLayout       *self,
                    AttnPangoContext      *context,
                    const AttnFigureStyle *style,
                    const Measures        *m,
                    guint                  marked)
{
  guint bottom = self->first_layer - 1;
  guint from = marked >= bottom && marked <= self->last_layer ? marked - bottom : 0;
  AttnLabel label;

  for (guint l = bottom; l <= self->last_layer; l++)
    {
      g_autofree char *text = l == 0 ? g_strdup (_("Input")) : g_strdup_printf (_("Layer %u"), l);
      double y = self->y_bottom - (l - bottom) * self->dy;
      guint stride = self->dy < m->line_h ? (guint) ceil (m->line_h / self->dy) : 1;

      if ((l - bottom + stride - from % stride) % stride != 0)
        continue;
      _attn_label_init (&label, context, style, &(AttnLabelSpec) { .kind = ATTN_LABEL_LAYER, .index = l,
                        .text = text, .size = m->fs * 0.9 });
      _attn_label_place (&label, PAD + m->layer_w - label.box.width, y - label.box.height / 2);
      g_array_append_val (self->labels, label);
    }
}

/* The tokens below and above the plot (below only where the rows are
 * cramped): all of them, horizontal, when they fit side by side; else
 * rotated, the @marked ones always and the others where they touch none
 * kept (every stride-th one, where rotated labels are wider than the
 * spacing). */
static void
place_token_labels (AttnGraphLayout       *self,
                    AttnPangoContext      *context,
                    const AttnFigureStyle *style,
                    const Measures        *m,
                    const gboolean        *marked,
                    gboolean               rotated)
{
  guint n = self->n_tokens;
  g_autofree double *left = g_new (double, n);
  AttnLabel label;

  if (rotated)
    {
      g_autofree double *center = g_new (double, n);

      for (guint i = 0; i < n; i++)
        center[i] = self->x0 + i * self->dx;
      _attn_place_column_labels (n, center, m->token_h, marked, left);
    }

  for (guint i = 0; i < n; i++)
    {
      const char *text = g_ptr_array_index (m->shown, i);

      if (rotated && isnan (left[i]))
        continue;
      _attn_label_init (&label, context, style, &(AttnLabelSpec) { .kind = ATTN_LABEL_TOKEN_BOTTOM,
                        .index = i, .text = text, .size = m->token_fs, .angle = rotated ? -G_PI / 2 : 0 });
      if (!rotated)
        left[i] = self->x0 + i * self->dx - label.box.width / 2;
      /* Rotated labels read upwards and hang from the row, right-aligned to it. */
      _attn_label_place (&label, left[i], self->y_bottom + LABEL_GAP);
      g_array_append_val (self->labels, label);
      if (!self->top_labels)
        continue;

      _attn_label_init (&label, context, style, &(AttnLabelSpec) { .kind = ATTN_LABEL_TOKEN_TOP,
                        .index = i, .text = text, .size = m->token_fs, .angle = rotated ? -G_PI / 2 : 0 });
      _attn_label_place (&label, left[i], self->plot.y - LABEL_GAP - label.box.height);
      g_array_append_val (self->labels, label);
    }
}

/* The height of the rotated token labels at a given height (@avail, less
 * the title and caption's @texts_h: that of the labels and @n_rows rows):
 * where the rows would be closer than MIN_ROW_BOTH_LABELS even with the
 * tokens below the plot only, at most _attn_token_labels_room() of
 * @avail, the tokens longer than that shortened with an ellipsis
 * (_attn_text_shorten_to_width(); the view's hover line names them in
 * full, and a figure at its natural size has the room) */
static double
bound_token_labels (Measures                  *m,
                    AttnPangoContext          *context,
                    const AttnGraphLayoutSpec *spec,
                    double                     texts_h,
                    guint                      n_rows)
{
  double avail = spec->height - 2 * PAD - texts_h - 2 * LABEL_GAP;
  double room = _attn_token_labels_room (avail, m->line_h);

  if (m->max_tw <= room || (avail - m->max_tw - 4.) / MAX (1, n_rows - 1) >= MIN_ROW_BOTH_LABELS)
    return m->max_tw + 4.;
  m->max_tw = 0.;
  for (guint i = 0; i < m->shown->len; i++)
    {
      char *token = g_ptr_array_index (m->shown, i);
      double tw = m->token_w[i];

      if (tw > room)
        {
          g_ptr_array_index (m->shown, i) = _attn_text_shorten_to_width (context, spec->style, token, m->token_fs,
                                                                        room, &tw);
          g_free (token);
        }
      m->max_tw = MAX (m->max_tw, tw);
    }
  return m->max_tw + 4.;
}

/* The spacing of @n_rows rows in @avail pixels of height, less the tokens
 * above the plot (@top_labels_h); where the rows would be cramped, the
 * tokens go below the plot only and @top_labels_h becomes 0 */
static double
fit_rows (AttnGraphLayout *self,
          double           avail,
          guint            n_rows,
          double          *top_labels_h)
{
  guint gaps = MAX (1, n_rows - 1);

  if ((avail - *top_labels_h) / gaps < MIN_ROW_BOTH_LABELS)
    {
      *top_labels_h = 0.;
      self->top_labels = FALSE;
    }
  return MAX (MIN_ROW_SPACING, (avail - *top_labels_h) / gaps);
}

static gpointer
copy_string (gconstpointer text,
             gpointer      user_data)
{
  return g_strdup (text);
}

/* The rows' spacing and, at a given height, the token labels' height above
 * and below the plot (@top_h, @bottom_h, the rotated ones shortened where
 * need be: bound_token_labels()); where the rows would be closer than
 * MIN_ROW_SPACING with the caption (@caption_h), and the layout higher
 * than the height, without it, @caption_h set to 0 (in a graph 180 px
 * high, its rotated token labels and the colour bar's name ran over it) */
static void
fit_height (AttnGraphLayout           *self,
            Measures                  *m,
            AttnPangoContext          *context,
            const AttnGraphLayoutSpec *spec,
            double                     title_h,
            guint                      n_rows,
            gboolean                   rotated,
            double                    *caption_h,
            double                    *top_h,
            double                    *bottom_h)
{
  double max_tw = m->max_tw, natural_h = *bottom_h;
  g_autoptr(GPtrArray) shown = NULL;

  self->top_labels = TRUE;
  if (!(spec->height > 0.))
    {
      self->dy = NATURAL_ROW_SPACING (spec->n_tokens);
      return;
    }
  shown = g_ptr_array_copy (m->shown, copy_string, NULL);
  for (;;)
    {
      double avail;

      *top_h = *bottom_h = natural_h;
      if (rotated)
        *top_h = *bottom_h = bound_token_labels (m, context, spec, title_h + *caption_h, n_rows);
      self->top_labels = TRUE;
      avail = spec->height - 2 * PAD - title_h - *caption_h - *bottom_h - 2 * LABEL_GAP;
      self->dy = fit_rows (self, avail, n_rows, top_h);
      if (*caption_h <= 0. || avail / MAX (1, n_rows - 1) >= MIN_ROW_SPACING)
        return;
      /* again without the caption, the tokens as they were */
      g_ptr_array_unref (m->shown);
      m->shown = g_steal_pointer (&shown);
      m->max_tw = max_tw;
      *caption_h = 0.;
    }
}

/**
 * attn_graph_layout_new:
 * @spec: the tokens, the layers, the texts and the size to lay out
 *
 * Returns: (transfer full): the layout
 */
AttnGraphLayout *
attn_graph_layout_new (const AttnGraphLayoutSpec *spec)
{
  g_autoptr(AttnPangoContext) context = NULL;
  AttnGraphLayout *self;
  Measures m;
  double title_h = 0., caption_h = 0.;
  double top_labels_h, bottom_labels_h, plot_w, plot_h;
  guint n_rows;
  gboolean rotated;
  AttnLabel label;

  g_return_val_if_fail (spec != NULL && spec->tokens != NULL, NULL);
  g_return_val_if_fail (spec->n_tokens > 0, NULL);
  g_return_val_if_fail (spec->first_layer >= 1 && spec->last_layer >= spec->first_layer, NULL);
  g_return_val_if_fail (spec->style != NULL, NULL);

  context = _attn_text_context_new ();
  self = g_new0 (AttnGraphLayout, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->n_tokens = spec->n_tokens;
  self->first_layer = spec->first_layer;
  self->last_layer = spec->last_layer;
  self->labels = _attn_labels_new ();

  n_rows = spec->last_layer - spec->first_layer + 2;
  measure_text (&m, context, spec);
  m.scale_w = scale_width (context, spec, &m);

  /* Horizontal spacing of the positions. */
  if (spec->width > 0.)
    {
      double avail = spec->width - 2 * PAD - m.layer_w - 10. - 16. - m.left_w - COLORBAR_WIDTH - m.ticks_w -
                     m.scale_w;

      /* below a pixel per token for long inputs: the screen's raster
       * aggregates the edges that fall on one pixel */
      self->dx = MAX (0.05, avail / spec->n_tokens);
    }
  else if (spec->n_tokens <= 32)
    self->dx = CLAMP (m.max_tw + 8., 22., 72.);
  else
    self->dx = MAX (11., 1400. / spec->n_tokens);

  rotated = m.max_tw + 4. > self->dx;
  if (rotated)
    top_labels_h = bottom_labels_h = m.max_tw + 4.;
  else
    top_labels_h = bottom_labels_h = m.line_h + 4.;
  m.scale_w = natural_scale_width (context, spec, &m, top_labels_h + bottom_labels_h, n_rows);

  plot_w = self->dx * spec->n_tokens;
  if (spec->width > 0.)
    self->width = ceil (spec->width);
  else
    self->width = ceil (2 * PAD + m.layer_w + 10. + plot_w + 16. + m.left_w + COLORBAR_WIDTH + m.ticks_w +
                        m.scale_w);

  if (spec->title != NULL)
    {
      _attn_label_init (&label, context, spec->style, &(AttnLabelSpec) { .kind = ATTN_LABEL_TITLE,
                        .text = spec->title, .size = m.fs * 1.15, .bold = TRUE, .wrap = self->width - 2 * PAD });
      title_h = title_height (context, spec, &m, label.box.height + 6.);
      _attn_label_place (&label, PAD, PAD);
      g_array_append_val (self->labels, label);
    }
  if (spec->caption != NULL)
    {
      _attn_label_init (&label, context, spec->style, &(AttnLabelSpec) { .kind = ATTN_LABEL_CAPTION,
                        .text = spec->caption, .size = m.fs * 0.85, .wrap = self->width - 2 * PAD });
      caption_h = caption_height (context, spec, &m, self->width, label.box.height) + 8.;
    }

  fit_height (self, &m, context, spec, title_h, n_rows, rotated, &caption_h, &top_labels_h, &bottom_labels_h);

  plot_h = self->dy * (n_rows - 1);
  if (spec->height > 0.)
    self->height = ceil (spec->height);
  else
    self->height = ceil (2 * PAD + title_h + caption_h + top_labels_h + bottom_labels_h + 2 * LABEL_GAP +
                         plot_h);

  self->radius = CLAMP (MIN (self->dx, self->dy) * 0.22, 1.5, 6.);
  self->x0 = PAD + m.layer_w + 10. + self->dx / 2.;
  self->plot.x = PAD + m.layer_w + 10.;
  self->plot.y = PAD + title_h + top_labels_h + LABEL_GAP;
  self->plot.width = plot_w;
  self->plot.height = plot_h;
  self->y_bottom = self->plot.y + plot_h;

  self->colorbar = (AttnRect) { self->plot.x + plot_w + 16. + m.left_w, self->plot.y, COLORBAR_WIDTH, plot_h };
  self->ticks_w = m.ticks_w;
  self->left_w = m.left_w;

  /* Caption below everything, where it has the room (fit_height()) */
  if (spec->caption != NULL && caption_h > 0.)
    {
      _attn_label_place (&label, PAD, self->height - PAD - label.box.height);
      g_array_append_val (self->labels, label);
    }
  else if (spec->caption != NULL)
    _attn_label_clear (&label);
  if (spec->scale_label != NULL)
    place_scale_label (self, context, spec->style, &m, spec->scale_label,
                       self->plot.y - top_labels_h - LABEL_GAP,
                       self->plot.y + self->plot.height + LABEL_GAP + bottom_labels_h);
  place_scale_names (self, context, spec, &m);
  place_layer_labels (self, context, spec->style, &m, spec->marked_layer);
  self->marked = spec->marked != NULL ? g_memdup2 (spec->marked, spec->n_tokens * sizeof (gboolean))
                                      : g_new0 (gboolean, spec->n_tokens);
  place_token_labels (self, context, spec->style, &m, self->marked, rotated);
  self->tokens = m.shown;
  g_free (m.token_w);

  return self;
}

/**
 * attn_graph_layout_new_for_scene:
 * @scene: a scene with its example (attn_graph_scene_new_from_trace())
 * @style: fonts
 * @with_caption: lay the scene's caption out under the graph, with the
 *   threshold and top-k of @style (_attn_graph_caption())
 * @width: target width in pixels, or 0 for the natural width
 * @height: target height in pixels, or 0 for the natural height
 *
 * The layout of what @scene shows: its example's tokens, its layers, title
 * and scale label.
 *
 * Returns: (transfer full): the layout
 */
AttnGraphLayout *
attn_graph_layout_new_for_scene (const AttnGraphScene  *scene,
                                 const AttnFigureStyle *style,
                                 gboolean               with_caption,
                                 double                 width,
                                 double                 height)
{
  AttnExample *example;
  g_autofree gboolean *marked = NULL;
  g_autofree char *caption = NULL;
  g_auto(GStrv) caption_room = NULL;
  const char * const *title_room, * const *scale_room, * const *room;
  guint n_own_scale;
  guint first, last, n, position, layer = 0;
  int selected, sink;
  gboolean global, node_ticks;

  g_return_val_if_fail (scene != NULL, NULL);
  g_return_val_if_fail (style != NULL, NULL);

  example = attn_graph_scene_get_example (scene);
  g_return_val_if_fail (example != NULL, NULL);
  attn_graph_scene_get_layer_range (scene, &first, &last);
  attn_graph_scene_get_room (scene, &title_room, &scale_room, &n_own_scale, &room);
  /* one range for all layers after a click in rollout or flow: the nodes'
   * own range on the bar's left; at a view's size, room kept for it */
  global = attn_graph_scene_get_color_scale (scene) == ATTN_COLOR_SCALE_GLOBAL;
  node_ticks = global && attn_graph_scene_get_node_scale (scene, 0) > 0.;

  /* the tokens that keep their labels where not all fit: the selected
   * node's and the sink's, the pronoun and its antecedents, the first and
   * the last */
  n = attn_example_get_n_tokens (example);
  selected = attn_graph_scene_get_selection (scene, &layer, &position, &sink) ? (int) position : -1;
  marked = _attn_marked_tokens (example, selected, sink);
  if (with_caption)
    {
      caption = _attn_graph_caption (scene, style);
      caption_room = g_new0 (char *, g_strv_length ((char **) room) + 1);
      for (guint i = 0; room[i] != NULL; i++)
        caption_room[i] = _attn_graph_caption_of (scene, room[i], style);
    }

  return attn_graph_layout_new (&(AttnGraphLayoutSpec) {
                                  .tokens = attn_example_get_tokens (example), .n_tokens = n,
                                  .first_layer = first, .last_layer = last, .style = style,
                                  .title = attn_graph_scene_get_title (scene),
                                  .scale_label = attn_graph_scene_get_scale_label (scene),
                                  .title_room = title_room, .scale_room = scale_room,
                                  .scale_room_own = n_own_scale,
                                  .caption = caption, .caption_room = (const char * const *) caption_room,
                                  .marked = marked, .marked_layer = selected >= 0 ? layer : 0,
                                  .width = width, .height = height,
                                  .node_ticks = node_ticks,
                                  .node_ticks_room = width > 0. && global });
}

static void
layout_free (AttnGraphLayout *self)
{
  g_array_unref (self->labels);
  g_ptr_array_unref (self->tokens);
  g_free (self->marked);
  g_free (self);
}

ATTN_DEFINE_REFS (AttnGraphLayout, attn_graph_layout, layout_free)

/**
 * attn_graph_layout_get_size:
 * @width: (out) (optional): width in pixels at 1x
 * @height: (out) (optional): height in pixels at 1x
 */
void
attn_graph_layout_get_size (const AttnGraphLayout *self,
                            double                *width,
                            double                *height)
{
  g_return_if_fail (self != NULL);

  if (width)
    *width = self->width;
  if (height)
    *height = self->height;
}

guint
attn_graph_layout_get_n_tokens (const AttnGraphLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_tokens;
}

guint
attn_graph_layout_get_first_layer (const AttnGraphLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->first_layer;
}

guint
attn_graph_layout_get_last_layer (const AttnGraphLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->last_layer;
}

/**
 * attn_graph_layout_get_node:
 * @layer: first_layer - 1 .. last_layer
 * @position: 0..n-1
 * @x: (out): centre
 * @y: (out): centre
 */
void
attn_graph_layout_get_node (const AttnGraphLayout *self,
                            guint                  layer,
                            guint                  position,
                            double                *x,
                            double                *y)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (layer + 1 >= self->first_layer && layer <= self->last_layer);

  *x = self->x0 + position * self->dx;
  *y = self->y_bottom - (double) (layer + 1 - self->first_layer) * self->dy;
}

double
attn_graph_layout_get_node_radius (const AttnGraphLayout *self)
{
  g_return_val_if_fail (self != NULL, 0.);

  return self->radius;
}

/**
 * attn_graph_layout_get_plot_area:
 * @rect: (out): the rectangle spanned by the node rows
 */
void
attn_graph_layout_get_plot_area (const AttnGraphLayout *self,
                                 AttnRect              *rect)
{
  g_return_if_fail (self != NULL);

  *rect = self->plot;
}

/**
 * attn_graph_layout_has_node_ticks:
 *
 * Returns: whether the layout keeps room left of its colour bar for a
 *   second scale, the nodes' own range (#AttnGraphLayoutSpec.node_ticks)
 */
gboolean
attn_graph_layout_has_node_ticks (const AttnGraphLayout *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->left_w > 0.;
}

/**
 * attn_graph_layout_get_colorbar:
 * @rect: (out): the colour bar (ticks are drawn to its right)
 */
void
attn_graph_layout_get_colorbar (const AttnGraphLayout *self,
                                AttnRect              *rect)
{
  g_return_if_fail (self != NULL);

  *rect = self->colorbar;
}

/* Room round a colour bar band's contents */
#define BAR_BAND_PAD 8.

/* Whether @label is part of the colour bar (its rotated name, or the names
 * of its two scales under it) and stays with the bar @bar_height high (the
 * name beside it only if it fits); if so, in @moved (if not NULL), the
 * label where it goes then */
gboolean
_attn_graph_layout_bar_label (const AttnGraphLayout *self,
                              const AttnLabel       *label,
                              double                 bar_height,
                              AttnLabel             *moved)
{
  double dy;

  if (label->kind != ATTN_LABEL_SCALE)
    return FALSE;
  /* the name beside the bar, centred on it where it fits; the scales'
   * names under its foot */
  if (label->index == G_MAXUINT)
    {
      if (label->box.height > bar_height + 1e-6)
        return FALSE;
      dy = self->colorbar.y + (bar_height - label->box.height) / 2 - label->box.y;
    }
  else
    dy = bar_height - self->colorbar.height;
  if (moved != NULL)
    {
      *moved = *label;
      moved->box.y += dy;
      moved->y += dy;
    }
  return TRUE;
}

/**
 * attn_graph_layout_get_colorbar_band:
 * @bar_height: the height of the bar (at most its own; 0 or less: its own)
 * @rect: (out): the band that holds the colour bar with its ticks on both
 *   sides and its labels (attn_graph_render_colorbar_band()), with the bar
 *   @bar_height high at its own top, in layout coordinates
 */
void
attn_graph_layout_get_colorbar_band (const AttnGraphLayout *self,
                                     double                 bar_height,
                                     AttnRect              *rect)
{
  double x0, x1, y1;

  g_return_if_fail (self != NULL);

  if (bar_height <= 0. || bar_height > self->colorbar.height)
    bar_height = self->colorbar.height;
  x0 = self->colorbar.x - self->left_w;
  x1 = self->colorbar.x + self->colorbar.width + self->ticks_w;
  y1 = self->colorbar.y + bar_height;
  for (guint i = 0; i < self->labels->len; i++)
    {
      AttnLabel moved;

      if (!_attn_graph_layout_bar_label (self, &g_array_index (self->labels, AttnLabel, i), bar_height, &moved))
        continue;
      x0 = MIN (x0, moved.box.x);
      x1 = MAX (x1, moved.box.x + moved.box.width);
      y1 = MAX (y1, moved.box.y + moved.box.height);
    }
  *rect = (AttnRect) { x0 - BAR_BAND_PAD, self->colorbar.y - BAR_BAND_PAD, x1 - x0 + 2 * BAR_BAND_PAD,
                       y1 - self->colorbar.y + 2 * BAR_BAND_PAD };
}

guint
attn_graph_layout_get_n_labels (const AttnGraphLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->labels->len;
}

/**
 * attn_graph_layout_get_label:
 *
 * Returns: (transfer none): label @index (titles, tokens, layer names,
 *   scale name, caption; the colour bar's tick values are drawn in the space
 *   reserved right of the bar and are not listed)
 */
const AttnLabel *
attn_graph_layout_get_label (const AttnGraphLayout *self,
                             guint                  index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->labels->len, NULL);

  return &g_array_index (self->labels, AttnLabel, index);
}

/**
 * attn_graph_layout_get_token:
 *
 * Returns: (transfer none): the token at @position as the figure shows it
 *   (white space and control characters made visible, long ones shortened)
 */
const char *
attn_graph_layout_get_token (const AttnGraphLayout *self,
                             guint                  position)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (position < self->n_tokens, NULL);

  return g_ptr_array_index (self->tokens, position);
}

/**
 * attn_graph_layout_is_marked:
 *
 * Returns: whether the token at @position is labelled even where not all
 *   fit (the selected node's, the sink's, the pronoun's, its antecedents',
 *   the first and the last)
 */
gboolean
attn_graph_layout_is_marked (const AttnGraphLayout *self,
                             guint                  position)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (position < self->n_tokens, FALSE);

  return self->marked[position];
}

/**
 * attn_graph_layout_place_row_labels:
 * @n: how many labels
 * @positions: (array length=n): their positions, ascending
 * @center: (array length=n): where each is centred, ascending
 * @width: (array length=n): the width of each
 * @left: (out caller-allocates) (array length=n): the left edge of each
 *   label kept, NAN for one left out
 *
 * Lays out labels of some of the tokens in a row as the figure lays out its
 * own (the selected node's token, the sink's, the pronoun's and its
 * antecedents', the first and the last always; the others where they touch
 * none kept), for a row
 * drawn at another scale, such as the screen's, zoomed in.
 */
void
attn_graph_layout_place_row_labels (const AttnGraphLayout *self,
                                    guint                  n,
                                    const guint           *positions,
                                    const double          *center,
                                    const double          *width,
                                    double                *left)
{
  g_autofree gboolean *marked = NULL;

  g_return_if_fail (self != NULL);
  for (guint k = 0; k < n; k++)
    g_return_if_fail (positions[k] < self->n_tokens);

  marked = g_new (gboolean, MAX (n, 1));
  for (guint k = 0; k < n; k++)
    marked[k] = self->marked[positions[k]];
  _attn_place_column_labels (n, center, width, marked, left);
}

/**
 * attn_graph_layout_hit_node:
 * @x: layout coordinate (1x pixels)
 * @y: layout coordinate
 * @layer: (out) (optional)
 * @position: (out) (optional)
 *
 * Returns: whether (@x, @y) is on a node: within half the spacing
 *   horizontally (the first and the last node: within their radius too, so
 *   that they can be pointed at where the nodes are closer than a pixel)
 *   and within max(2·radius, 6) px vertically of its centre, at most half
 *   the spacing of the rows
 */
gboolean
attn_graph_layout_hit_node (const AttnGraphLayout *self,
                            double                 x,
                            double                 y,
                            guint                 *layer,
                            guint                 *position)
{
  double fcol, frow, ry, rx;
  long col, row;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->n_tokens == 0)
    return FALSE;
  fcol = (x - self->x0) / self->dx;
  frow = (self->y_bottom - y) / self->dy;
  col = CLAMP (lround (fcol), 0, (long) self->n_tokens - 1);
  row = lround (frow);
  if (row < 0 || row > (long) (self->last_layer - self->first_layer + 1))
    return FALSE;
  /* past either end the nearest node is the end node: its disc counts */
  rx = col == 0 || col == (long) self->n_tokens - 1 ? MAX (self->dx / 2, self->radius) : self->dx / 2;
  if (fabs (x - (self->x0 + col * self->dx)) > rx)
    return FALSE;
  ry = MIN (self->dy / 2, MAX (2 * self->radius, 6.));
  if (fabs (y - (self->y_bottom - row * self->dy)) > ry)
    return FALSE;

  if (layer)
    *layer = (guint) row + self->first_layer - 1;
  if (position)
    *position = (guint) col;

  return TRUE;
}

/**
 * attn_graph_layout_hit_edge:
 * @scene: the values drawn (edge visibility depends on them and @style)
 * @style: threshold and top-k, as drawn
 * @x: layout coordinate
 * @y: layout coordinate
 * @tolerance: largest distance in layout pixels (e.g. 4 / zoom)
 * @layer: (out) (optional): the edge's upper layer l (edge (l, q) -> (l-1, k))
 * @query: (out) (optional): q
 * @key: (out) (optional): k
 *
 * Finds the visible edge nearest to (@x, @y) within @tolerance; among edges
 * at the same distance the one drawn on top wins: one in the colour range
 * over one above it (drawn under the others), then the stronger.
 *
 * Returns: whether an edge was found
 */
gboolean
attn_graph_layout_hit_edge (const AttnGraphLayout *self,
                            const AttnGraphScene  *scene,
                            const AttnFigureStyle *style,
                            double                 x,
                            double                 y,
                            double                 tolerance,
                            guint                 *layer,
                            guint                 *query,
                            guint                 *key)
{
  g_autofree float *visible = NULL;
  g_autofree guint8 *saturated = NULL;
  double frow, y_low, y_high, best = G_MAXDOUBLE;
  float best_rank = 0.f;
  guint l, n, best_q = 0, best_k = 0;
  gboolean found = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (scene != NULL, FALSE);
  g_return_val_if_fail (style != NULL, FALSE);
  g_return_val_if_fail (attn_graph_scene_get_n_tokens (scene) == self->n_tokens, FALSE);

  frow = (self->y_bottom - y) / self->dy;
  if (frow < 0. || frow >= self->last_layer - self->first_layer + 1)
    return FALSE;
  l = (guint) floor (frow) + self->first_layer;
  if (l > attn_graph_scene_get_n_layers (scene) || !attn_graph_scene_has_layer (scene, l))
    return FALSE;

  n = self->n_tokens;
  visible = g_new (float, (gsize) n * n);
  saturated = g_new (guint8, (gsize) n * n);
  _attn_graph_visible_edges (scene, style, l,
                             attn_graph_scene_compute_scale_max (scene, style->exclude_special),
                             visible, saturated);

  y_high = self->y_bottom - (double) (l + 1 - self->first_layer) * self->dy;
  y_low = y_high + self->dy;
  for (guint q = 0; q < n; q++)
    for (guint k = 0; k < n; k++)
      {
        float t = visible[(gsize) q * n + k];
        /* the order drawn in: the saturated edges (t = 1) first */
        float rank = saturated[(gsize) q * n + k] ? 0.f : t;
        double ax, bx, vx, vy, wx, wy, s, d;

        if (t <= 0.f)
          continue;
        ax = self->x0 + q * self->dx;
        bx = self->x0 + k * self->dx;
        vx = bx - ax;
        vy = y_low - y_high;
        wx = x - ax;
        wy = y - y_high;
        s = CLAMP ((wx * vx + wy * vy) / (vx * vx + vy * vy), 0., 1.);
        d = hypot (wx - s * vx, wy - s * vy);
        if (d <= tolerance && (d < best - 1e-9 || (fabs (d - best) <= 1e-9 && rank > best_rank)))
          {
            best = d;
            best_rank = rank;
            best_q = q;
            best_k = k;
            found = TRUE;
          }
      }

  if (found)
    {
      if (layer)
        *layer = l;
      if (query)
        *query = best_q;
      if (key)
        *key = best_k;
    }

  return found;
}
