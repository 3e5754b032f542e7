/* test-render.c: figures, layout, raster path and export
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <cairo-svg.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "attn-core.h"
#include "attn-export-private.h"
#include "attn-figure-private.h"
#include "attn-render-private.h"
#include "attn-render.h"
#include "attn-test-util.h"
#include "attn-trace-private.h"

#if defined(__SANITIZE_ADDRESS__)
#define TEST_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_LSAN 1
#endif
#endif
#ifdef TEST_LSAN
#include <sanitizer/lsan_interface.h>
#endif

static AttnDocument *bert;
static AttnDocument *sst2;
static AttnDocument *pronouns;
static char *tmpdir;

static AttnDocument *
load (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", name, NULL);
  GError *error = NULL;
  AttnDocument *doc = attn_document_load (path, NULL, &error);

  g_assert_no_error (error);
  return doc;
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

static gboolean
in_ci (void)
{
  return g_strcmp0 (g_getenv ("CI"), "true") == 0;
}

static double
luminance_at (cairo_surface_t *s,
              double           x,
              double           y)
{
  int stride = cairo_image_surface_get_stride (s);
  const guchar *data = cairo_image_surface_get_data (s);
  guint32 p;

  g_assert_cmpint ((int) x, >=, 0);
  g_assert_cmpint ((int) y, >=, 0);
  g_assert_cmpint ((int) x, <, cairo_image_surface_get_width (s));
  g_assert_cmpint ((int) y, <, cairo_image_surface_get_height (s));
  p = *(const guint32 *) (data + (gsize) (int) y * stride + (gsize) (int) x * 4);

  return (0.2126 * ((p >> 16) & 0xff) + 0.7152 * ((p >> 8) & 0xff) + 0.0722 * (p & 0xff)) / 255.;
}

static guint32
pixel_at (cairo_surface_t *s,
          int              x,
          int              y)
{
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (s));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (s));
  return *(const guint32 *) (cairo_image_surface_get_data (s) + (gsize) y * cairo_image_surface_get_stride (s)
                             + (gsize) x * 4) & 0xffffff;
}

static gboolean
rects_overlap (const AttnRect *a,
               const AttnRect *b)
{
  const double eps = 0.5;

  return a->x + a->width > b->x + eps && b->x + b->width > a->x + eps
         && a->y + a->height > b->y + eps && b->y + b->height > a->y + eps;
}

static void
assert_labels_fit (guint            n_labels,
                   const AttnLabel *(*get) (gconstpointer, guint),
                   gconstpointer    owner,
                   double           width,
                   double           height)
{
  for (guint i = 0; i < n_labels; i++)
    {
      const AttnLabel *a = get (owner, i);

      g_assert_cmpfloat (a->box.width, >, 0.);
      g_assert_cmpfloat (a->box.x, >=, -0.01);
      g_assert_cmpfloat (a->box.y, >=, -0.01);
      if (a->box.x + a->box.width > width + 0.01 || a->box.y + a->box.height > height + 0.01)
        g_error ("label %u “%s” (kind %d) at %g,%g %gx%g leaves the %gx%g figure", i, a->text,
                 a->kind, a->box.x, a->box.y, a->box.width, a->box.height, width, height);
      for (guint j = i + 1; j < n_labels; j++)
        {
          const AttnLabel *b = get (owner, j);

          if (rects_overlap (&a->box, &b->box))
            g_error ("labels “%s” (kind %d, %g,%g %gx%g) and “%s” (kind %d, %g,%g %gx%g) overlap",
                     a->text, a->kind, a->box.x, a->box.y, a->box.width, a->box.height,
                     b->text, b->kind, b->box.x, b->box.y, b->box.width, b->box.height);
        }
    }
}

static const AttnLabel *
layout_label (gconstpointer owner,
              guint         i)
{
  return attn_graph_layout_get_label (owner, i);
}

static const AttnLabel *
figure_label (gconstpointer owner,
              guint         i)
{
  return attn_figure_get_label (owner, i);
}

/* A stream that passes its first @limit bytes on and then fails: a disk
 * filling up half way through a save */
typedef struct
{
  GFilterOutputStream parent_instance;
  gsize               limit;
  gsize               written;
} FailingStream;

typedef GFilterOutputStreamClass FailingStreamClass;

static GType failing_stream_get_type (void);
G_DEFINE_TYPE (FailingStream, failing_stream, G_TYPE_FILTER_OUTPUT_STREAM)

static gssize
failing_stream_write (GOutputStream  *stream,
                      const void     *buffer,
                      gsize           count,
                      GCancellable   *cancellable,
                      GError        **error)
{
  FailingStream *self = (FailingStream *) stream;
  GOutputStream *base = g_filter_output_stream_get_base_stream (G_FILTER_OUTPUT_STREAM (stream));
  gssize n;

  if (self->written + count > self->limit)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "No space left on device");
      return -1;
    }
  n = g_output_stream_write (base, buffer, count, cancellable, error);
  if (n > 0)
    self->written += n;
  return n;
}

static void
failing_stream_class_init (FailingStreamClass *klass)
{
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = failing_stream_write;
}

static void
failing_stream_init (FailingStream *self)
{
}

static GOutputStream *
failing_stream_new (GOutputStream *base,
                    gpointer       limit)
{
  FailingStream *self = g_object_new (failing_stream_get_type (), "base-stream", base, NULL);

  self->limit = GPOINTER_TO_SIZE (limit);
  return G_OUTPUT_STREAM (self);
}

static AttnFigure *
build (AttnDocument       *doc,
       const char         *id,
       AttnFigureSettings *settings,
       AttnFigureStyle    *style)
{
  GError *error = NULL;
  AttnFigureInput input = { attn_document_find_example (doc, id, &error), "doc.json" };
  AttnFigure *fig;

  g_assert_no_error (error);
  fig = attn_figure_build (&input, 1, settings, style, NULL, &error);
  g_assert_no_error (error);
  return fig;
}

/* A 12-layer graph in the panel of a 900x600 window: its tokens go below
 * the plot only, so that the rows get the height (4 px apart with the tokens
 * above too; 8 with the model's name, “bert-base-uncased fine-tuned on
 * SST-2 (Dodrio)”, a line of the caption); in a larger panel, above and below */
static void
test_graph_cramped_rows (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_GRAPH;
  settings.position = -1;
  fig = build (sst2, "sst2-0123", &settings, &style);
  for (guint large = 0; large < 2; large++)
    {
      g_autoptr(AttnFigure) at = attn_figure_new_from_scene_at_size (attn_figure_get_graph_scene (fig, 0), &style,
                                                                      large ? 900. : 610., large ? 700. : 320.);
      AttnGraphLayout *layout = attn_figure_get_graph_layout (at, 0, NULL, NULL);
      guint above = 0, below = 0;
      double x, y12, y11, w, h;

      for (guint i = 0; i < attn_graph_layout_get_n_labels (layout); i++)
        {
          const AttnLabel *label = attn_graph_layout_get_label (layout, i);

          above += label->kind == ATTN_LABEL_TOKEN_TOP;
          below += label->kind == ATTN_LABEL_TOKEN_BOTTOM;
        }
      g_assert_cmpuint (below, >, 0);
      g_assert_cmpuint (above, ==, large ? below : 0);
      attn_graph_layout_get_node (layout, 12, 0, &x, &y12);
      attn_graph_layout_get_node (layout, 11, 0, &x, &y11);
      g_assert_cmpfloat (y11 - y12, >=, 8.);
      attn_figure_get_size (at, &w, &h);
      assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
    }
}

/* The flow graph of example @id of @doc from @position (at @layer, 0 the
 * top), in @style */
static AttnFigure *
flow_graph (AttnDocument    *doc,
            const char      *id,
            int              position,
            guint            layer,
            AttnFigureStyle *style)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;

  attn_figure_style_init (style, FALSE);
  settings.kind = ATTN_FIGURE_GRAPH;
  settings.method = ATTN_METHOD_FLOW;
  settings.position = position;
  settings.layer = layer;
  return build (doc, id, &settings, style);
}

/* The layout of the graph of @fig in a view @width x @height (0: natural),
 * its labels within it, none over another; @row: its top two rows' spacing */
static AttnGraphLayout *
view_layout (AttnFigure            *fig,
             const AttnFigureStyle *style,
             double                 width,
             double                 height,
             double                *row)
{
  AttnGraphLayout *layout = attn_graph_layout_new_for_scene (attn_figure_get_graph_scene (fig, 0), style, TRUE,
                                                             width, height);
  guint last = attn_graph_layout_get_last_layer (layout);
  double w, h, x, y_top, y_under;

  attn_graph_layout_get_size (layout, &w, &h);
  assert_labels_fit (attn_graph_layout_get_n_labels (layout), layout_label, layout, w, h);
  attn_graph_layout_get_node (layout, last, 0, &x, &y_top);
  attn_graph_layout_get_node (layout, last - 1, 0, &x, &y_under);
  *row = y_under - y_top;
  return layout;
}

/* The flow from [CLS] at layer 12 of sst2-0123 in the main window's graph
 * at 900 x 600 (620 x 326): its long tokens ("unfortunately", "##ness") took
 * 89 px under the plot and left the rows 9.5 px apart; shortened with an
 * ellipsis, the labels take at most a quarter of the height and the rows get
 * 12 px. At 1280 x 800 (990 x 440), in a larger view and at the natural size
 * the tokens are whole. */
static void
test_graph_short_token_labels (void)
{
  static const double sizes[][2] = { { 620., 326. }, { 990., 440. }, { 900., 700. }, { 0., 0. } };
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = flow_graph (sst2, "sst2-0123", 0, 0, &style);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      double row, w, h, bottom = 0.;
      g_autoptr(AttnGraphLayout) layout = view_layout (fig, &style, sizes[s][0], sizes[s][1], &row);
      const char *token;

      attn_graph_layout_get_size (layout, &w, &h);
      for (guint i = 0; i < attn_graph_layout_get_n_labels (layout); i++)
        {
          const AttnLabel *label = attn_graph_layout_get_label (layout, i);

          if (label->kind == ATTN_LABEL_TOKEN_BOTTOM)
            bottom = MAX (bottom, label->box.height);
        }
      token = attn_graph_layout_get_token (layout, 8);
      g_test_message ("%gx%g: rows %.1f px apart, token labels %.1f px high, \"%s\"", w, h, row, bottom, token);
      if (s == 0)
        {
          g_assert_cmpfloat (row, >=, 12.);
          g_assert_cmpfloat (bottom, <=, h / 4.);
          g_assert_true (g_str_has_prefix (token, "unf") && g_str_has_suffix (token, "…"));
        }
      else
        {
          g_assert_cmpfloat (row, >=, 14.);
          g_assert_cmpstr (token, ==, "unfortunately");
        }
    }
}

/* The flow from "it" of trophy-big (layer 6, position 11) in a graph pane
 * dragged short (621 x 180 at 900 x 600), in its view and saved at that
 * size: its rotated token labels and the colour bar's name ran over the
 * caption, and of the rows only "Layer 4" was labelled. No label overlaps
 * another or leaves the figure; the caption is left out where it leaves the
 * rows too little room, kept where there is room; the selected layer's row
 * is labelled. */
static void
test_graph_short_pane (void)
{
  /* the pane 621 px wide: short, shorter, a little taller, tall */
  static const double heights[] = { 180., 150., 210., 400. };
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = flow_graph (pronouns, "trophy-big", 11, 6, &style);
  AttnGraphScene *scene = attn_figure_get_graph_scene (fig, 0);

  for (guint s = 0; s < G_N_ELEMENTS (heights); s++)
    {
      guint captions = 0, layer_labels = 0;
      gboolean selected_labelled = FALSE;
      g_autoptr(AttnFigure) at = attn_figure_new_from_scene_at_size (scene, &style, 621., heights[s]);
      g_autoptr(AttnGraphLayout) layout = NULL;
      double row, w, h;

      layout = view_layout (fig, &style, 621., heights[s], &row);
      attn_graph_layout_get_size (layout, &w, &h);
      g_assert_cmpfloat (h, <=, heights[s]);
      for (guint i = 0; i < attn_graph_layout_get_n_labels (layout); i++)
        {
          const AttnLabel *label = attn_graph_layout_get_label (layout, i);

          captions += label->kind == ATTN_LABEL_CAPTION;
          layer_labels += label->kind == ATTN_LABEL_LAYER;
          selected_labelled |= label->kind == ATTN_LABEL_LAYER && label->index == 6;
        }
      g_test_message ("%gx%g: rows %.1f px apart, %u layer labels, %u caption", w, h, row, layer_labels, captions);
      g_assert_true (selected_labelled);
      g_assert_cmpfloat (row, >=, 4.);
      /* short: no caption, which left the rows no room; tall: the caption */
      if (s < 2)
        g_assert_cmpuint (captions, ==, 0);
      else if (s == 3)
        g_assert_cmpuint (captions, ==, 1);
      attn_figure_get_size (at, &w, &h);
      g_assert_cmpfloat (h, <=, heights[s]);
      assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
    }
}

/* A 2-layer example of 4 tokens, the first @first_token */
static AttnExample *
four_tokens (const char *first_token)
{
  const char *tokens[] = { first_token, "the", "cat", "[SEP]", NULL };
  double att[2 * 4 * 4];
  GError *error = NULL;
  AttnExample *ex;

  for (guint i = 0; i < G_N_ELEMENTS (att); i++)
    att[i] = (1. + (i * 7 % 5)) / 4.;
  for (guint r = 0; r < 2 * 4; r++)
    {
      double sum = att[4 * r] + att[4 * r + 1] + att[4 * r + 2] + att[4 * r + 3];

      for (guint c = 0; c < 4; c++)
        att[4 * r + c] /= sum;
    }
  ex = attn_example_new_from_doubles ("tok-long", tokens, 2, 1, att, &error);
  g_assert_no_error (error);
  return ex;
}

/* The graph of @ex (flow, @position selected or none): the saved figure,
 * and the layout of its scene in a view @width x @height (the main
 * window's graph at 1280 x 800); the distance between its rows and the
 * colour bar's height */
static AttnFigure *
long_token_graph (AttnExample *ex,
                  int          position,
                  double       width,
                  double       height,
                  double      *row,
                  double      *bar)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureInput input = { ex, NULL };
  AttnFigureStyle style;
  AttnFigure *fig;
  g_autoptr(AttnGraphLayout) layout = NULL;
  GError *error = NULL;
  AttnRect colorbar;
  double x, y1, y2;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_GRAPH;
  settings.method = ATTN_METHOD_FLOW;
  settings.position = position;
  fig = attn_figure_build (&input, 1, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  layout = attn_graph_layout_new_for_scene (attn_figure_get_graph_scene (fig, 0), &style, TRUE, width, height);
  assert_labels_fit (attn_graph_layout_get_n_labels (layout), layout_label, layout, width, height);
  attn_graph_layout_get_node (layout, 1, 0, &x, &y1);
  attn_graph_layout_get_node (layout, 2, 0, &x, &y2);
  attn_graph_layout_get_colorbar (layout, &colorbar);
  *row = y1 - y2;
  *bar = colorbar.height;
  return fig;
}

/* The shown text of @fig's token label of @kind at @index */
static const char *
token_label_text (AttnFigure    *fig,
                  AttnLabelKind  kind,
                  guint          index)
{
  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    if (attn_figure_get_label (fig, i)->kind == kind && attn_figure_get_label (fig, i)->index == index)
      return attn_figure_get_label (fig, i)->text;
  g_error ("no token label %u", index);
  return NULL;
}

/* A figure at its natural size shows a long token whole, as the README
 * says (every token was cut at 16 characters, “supercalifragili…”); one
 * fitted to a view too low for it shortens it to fit, and a token of 5000
 * characters is cut at ATTN_TOKEN_WHOLE_MAX_CHARS even so */
static void
test_graph_whole_tokens (void)
{
  const char *word = "supercalifragilisticexpialidocious";
  g_autofree char *huge = g_strnfill (5000, 'x');
  g_autofree char *cut = g_strnfill (ATTN_TOKEN_WHOLE_MAX_CHARS, 'x');
  g_autofree char *cut_shown = g_strconcat (cut, "…", NULL);
  g_autoptr(AttnExample) ex = four_tokens (word);
  g_autoptr(AttnExample) huge_ex = four_tokens (huge);
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(AttnFigure) huge_fig = NULL;
  g_autoptr(AttnGraphLayout) low = NULL;
  AttnFigureStyle style;
  double row, bar;
  const char *shown;

  attn_figure_style_init (&style, FALSE);
  fig = long_token_graph (ex, 0, 909., 400., &row, &bar);
  g_assert_cmpstr (token_label_text (fig, ATTN_LABEL_TOKEN_BOTTOM, 0), ==, word);
  g_assert_cmpstr (token_label_text (fig, ATTN_LABEL_TOKEN_TOP, 0), ==, word);
  huge_fig = long_token_graph (huge_ex, ATTN_POSITION_NONE, 909., 400., &row, &bar);
  g_assert_cmpstr (token_label_text (huge_fig, ATTN_LABEL_TOKEN_BOTTOM, 0), ==, cut_shown);

  /* a view 120 pixels high has no room for it: shortened, an ellipsis after */
  low = attn_graph_layout_new_for_scene (attn_figure_get_graph_scene (fig, 0), &style, TRUE, 909., 120.);
  shown = attn_graph_layout_get_token (low, 0);
  g_assert_true (g_str_has_suffix (shown, "…"));
  g_assert_true (strncmp (shown, word, strlen (shown) - strlen ("…")) == 0);
  g_assert_cmpuint (g_utf8_strlen (shown, -1), <, strlen (word));
}

/* The flow heatmap of @ex (position 0), or the comparison of @ex and
 * @other, at its natural size (@width 0) or laid out at @width x @height */
static AttnFigure *
long_token_heatmap (AttnExample *ex,
                    AttnExample *other,
                    double       width,
                    double       height)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureInput inputs[] = { { ex, NULL }, { other, NULL } };
  AttnFigureStyle style;
  AttnFigure *fig;
  GError *error = NULL;

  attn_figure_style_init (&style, FALSE);
  settings.kind = other != NULL ? ATTN_FIGURE_COMPARE : ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_FLOW;
  settings.position = 0;
  fig = attn_figure_build_at_size (inputs, other != NULL ? 2 : 1, &settings, &style, width, height, NULL, &error);
  g_assert_no_error (error);
  return fig;
}

/* The swatch of @fig's sentence token @index */
static const Swatch *
sentence_swatch (AttnFigure *fig,
                 guint       index)
{
  for (guint k = 0; k < fig->swatches->len; k++)
    {
      const Swatch *swatch = &g_array_index (fig->swatches, Swatch, k);

      if (swatch->label >= 0 && attn_figure_get_label (fig, swatch->label)->kind == ATTN_LABEL_SENTENCE &&
          attn_figure_get_label (fig, swatch->label)->index == index)
        return swatch;
    }
  g_error ("no sentence token %u", index);
  return NULL;
}

/* A heatmap and a comparison at their natural size (attnflow-cli render
 * without --size, a saved heatmap whose panel is hidden) show a token
 * whole, up to ATTN_TOKEN_WHOLE_MAX_CHARS, in their column labels and
 * their sentence, as the graph does: they were cut at 16 characters
 * (“pneumonoultramic…”, the sentence's swatch at the block's width,
 * “pneumonoultr”). The rotated labels make the figure higher, the
 * sentence's swatch the cells wider. Laid out at a size (the app's panel,
 * --size), a heatmap shortens it as before: the same layout as that of a
 * token of its first 16 characters and an ellipsis. */
static void
test_heatmap_whole_tokens (void)
{
  const char *word = "pneumonoultramicroscopicsilicovolcanoconiosis";
  g_autofree char *cut = g_strndup (word, ATTN_TOKEN_MAX_CHARS);
  g_autofree char *cut_shown = g_strconcat (cut, "…", NULL);
  g_autoptr(AttnExample) ex = four_tokens (word);
  g_autoptr(AttnExample) cut_ex = four_tokens (cut_shown);
  g_autoptr(AttnFigure) fig = long_token_heatmap (ex, NULL, 0., 0.);
  g_autoptr(AttnFigure) cut_fig = long_token_heatmap (cut_ex, NULL, 0., 0.);
  g_autoptr(AttnFigure) compare = long_token_heatmap (ex, ex, 0., 0.);
  const AttnLabel *label = NULL;
  const Swatch *swatch;
  double w, h, cut_w, cut_h;

  g_assert_cmpuint (strlen (word), ==, 45);
  attn_figure_get_size (fig, &w, &h);
  attn_figure_get_size (cut_fig, &cut_w, &cut_h);
  g_test_message ("natural: %g x %g whole, %g x %g cut", w, h, cut_w, cut_h);
  g_assert_cmpstr (token_label_text (fig, ATTN_LABEL_TOKEN_BOTTOM, 0), ==, word);
  g_assert_cmpstr (token_label_text (fig, ATTN_LABEL_SENTENCE, 0), ==, word);
  g_assert_cmpstr (token_label_text (cut_fig, ATTN_LABEL_TOKEN_BOTTOM, 0), ==, cut_shown);
  for (guint i = 0; i < attn_figure_get_n_labels (fig) && label == NULL; i++)
    if (attn_figure_get_label (fig, i)->kind == ATTN_LABEL_TOKEN_BOTTOM && attn_figure_get_label (fig, i)->index == 0)
      label = attn_figure_get_label (fig, i);
  /* the rotated label is as high as the token is long: 29 characters more */
  g_assert_cmpfloat (label->box.height, >, label->box.width * 10.);
  g_assert_cmpfloat (h, >, cut_h + 29 * 5.);
  /* the sentence's swatch holds the whole token */
  swatch = sentence_swatch (fig, 0);
  label = attn_figure_get_label (fig, swatch->label);
  g_assert_cmpfloat (swatch->rect.width, >=, label->box.width);
  assert_labels_fit (attn_figure_get_n_labels (fig), figure_label, fig, w, h);

  /* a comparison's blocks and sentences too */
  g_assert_cmpstr (token_label_text (compare, ATTN_LABEL_TOKEN_BOTTOM, 0), ==, word);
  g_assert_cmpstr (token_label_text (compare, ATTN_LABEL_SENTENCE, 0), ==, word);

  /* laid out at a size: shortened, laid out as the token cut at 16 */
  {
    g_autoptr(AttnFigure) fitted = long_token_heatmap (ex, NULL, 900., 300.);
    g_autoptr(AttnFigure) cut_fitted = long_token_heatmap (cut_ex, NULL, 900., 300.);
    double fw, fh, cw, ch;

    attn_figure_get_size (fitted, &fw, &fh);
    attn_figure_get_size (cut_fitted, &cw, &ch);
    g_test_message ("at 900 x 300: %g x %g whole, %g x %g cut", fw, fh, cw, ch);
    g_assert_cmpstr (token_label_text (fitted, ATTN_LABEL_TOKEN_BOTTOM, 0), ==, cut_shown);
    g_assert_cmpfloat (fw, ==, cw);
    g_assert_cmpfloat (fh, ==, ch);
    g_assert_cmpfloat (fh, <=, 300.);
    g_assert_cmpfloat (g_array_index (fitted->grids, HeatGrid, 0).ch, ==,
                       g_array_index (cut_fitted->grids, HeatGrid, 0).ch);
  }
}

/* A 3-layer example of 8 tokens (one head), the fifth @token */
static AttnExample *
eight_tokens (const char *token)
{
  const char *tokens[] = { "[CLS]", "hello", "lead", "new", token, "evil", "tab", "[SEP]", NULL };
  double att[3 * 8 * 8];
  GError *error = NULL;
  AttnExample *ex;

  for (guint r = 0; r < 3 * 8; r++)
    {
      double sum = 0.;

      for (guint c = 0; c < 8; c++)
        sum += att[8 * r + c] = 1. + ((r + 3) * (c + 1) * 7 % 11);
      for (guint c = 0; c < 8; c++)
        att[8 * r + c] /= sum;
    }
  ex = attn_example_new_from_doubles ("eight", tokens, 3, 1, att, &error);
  g_assert_no_error (error);
  return ex;
}

/* author-his, in boxes its width shrinks (the main window's heatmap at
 * 900 x 600): its rows are cramped, but shortening the column labels gives
 * them no height, so “author” stays whole (it read “aut…”, the graph
 * above “author”) */
static void
test_heatmap_labels_cut_for_rows (void)
{
  const double sizes[][2] = { { 400., 150. }, { 450., 140. }, { 475., 170. } };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureInput input = { attn_document_get_example (pronouns, 0), NULL };
  AttnFigureStyle style;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.position = 7;
  g_assert_cmpstr (attn_example_get_token (input.example, 2), ==, "author");
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(AttnFigure) fig = NULL;
      GError *error = NULL;

      fig = attn_figure_build_at_size (&input, 1, &settings, &style, sizes[s][0], sizes[s][1], NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (token_label_text (fig, ATTN_LABEL_TOKEN_BOTTOM, 2), ==, "author");
    }
}

/* A token of 120 characters, selected, in a heatmap laid out at a size (the
 * panel of the main window at 1280 x 800, the CLI's --size): its rotated
 * column label took most of the height (three layers 22 px high in all,
 * “Layer 3” alone named, the colour bar's name 130 px past the bar). Its
 * label is shortened as the graph's, to the graph's share of the height;
 * the rows are high enough for each layer's label, each named, and the
 * colour bar's name (which quotes the token as the label shows it) ends
 * within the figure, beside the cells and their column labels.
 * A heatmap with room for the label keeps it (16 characters and “…”). */
static void
test_heatmap_long_token_rows (void)
{
  const double sizes[][2] = { { 980., 210. }, { 980., 190. }, { 900., 190. } };
  g_autofree char *huge = g_strnfill (120, 'x');
  g_autoptr(AttnExample) ex = eight_tokens (huge);
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureInput input = { ex, NULL };
  AttnFigureStyle style;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.position = 4;
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(AttnFigure) fig = NULL;
      GError *error = NULL;
      const HeatGrid *grid;
      const AttnLabel *token = NULL, *bar = NULL;
      gboolean named[4] = { FALSE };
      double w, h;

      fig = attn_figure_build_at_size (&input, 1, &settings, &style, sizes[s][0], sizes[s][1], NULL, &error);
      g_assert_no_error (error);
      attn_figure_get_size (fig, &w, &h);
      grid = &g_array_index (fig->grids, HeatGrid, 0);
      for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
        {
          const AttnLabel *label = attn_figure_get_label (fig, i);

          if (label->kind == ATTN_LABEL_LAYER && label->index >= 1 && label->index <= 3)
            named[label->index] = TRUE;
          else if (label->kind == ATTN_LABEL_TOKEN_BOTTOM && label->index == 4)
            token = label;
          else if (label->kind == ATTN_LABEL_SCALE)
            bar = label;
        }
      g_test_message ("at %g x %g: %g x %g, rows %g, token label “%s” %g high, bar's name to %g, band to %g",
                      sizes[s][0], sizes[s][1], w, h, grid->ch, token->text, token->box.height,
                      bar->box.y + bar->box.height, grid->columns_band.y + grid->columns_band.height);
      g_assert_true (g_str_has_suffix (token->text, "…"));
      g_assert_cmpfloat (token->box.height, <=, MAX (sizes[s][1] * 0.22, 3 * grid->row_label_h));
      g_assert_cmpfloat (grid->ch, >=, grid->row_label_h + 1.);
      g_assert_true (named[1] && named[2] && named[3]);
      g_assert_cmpfloat (bar->box.y + bar->box.height, <=, h + 0.01);
      /* beside the cells and their column labels (a line past them at most) */
      g_assert_cmpfloat (bar->box.y + bar->box.height, <=,
                         grid->columns_band.y + grid->columns_band.height + grid->row_label_h);
      assert_labels_fit (attn_figure_get_n_labels (fig), figure_label, fig, w, h);
    }

  /* with room, the label is the token's first 16 characters and “…” */
  {
    g_autofree char *cut = g_strnfill (ATTN_TOKEN_MAX_CHARS, 'x');
    g_autofree char *cut_shown = g_strconcat (cut, "…", NULL);
    g_autoptr(AttnFigure) tall = NULL;
    GError *error = NULL;

    tall = attn_figure_build_at_size (&input, 1, &settings, &style, 980., 500., NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (token_label_text (tall, ATTN_LABEL_TOKEN_BOTTOM, 4), ==, cut_shown);
  }
}

/* The flow heatmap of councilmen-advocated in the panel of a 900 x 600
 * window with the side panel open, laid out to be scrolled: the column
 * labels' band was as high as “demonstrators” and the view, which pins it
 * at its bottom edge, hid layers 1 to 3 under it. Its labels are shortened
 * to the graph's share of the panel's height (“de…” as in the graph), the
 * band no higher than that, the rows of every layer above it. */
static void
test_heatmap_scrolled_label_band (void)
{
  AttnExample *ex = attn_document_find_example (pronouns, "councilmen-advocated", NULL);
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureInput input = { ex, NULL };
  const double width = 608., height = 120.;
  g_autoptr(AttnFigure) fig = NULL;
  AttnFigureStyle style;
  GError *error = NULL;
  const HeatGrid *grid;
  const char *shown;
  double room;

  g_assert_nonnull (ex);
  g_assert_cmpstr (attn_example_get_token (ex, 7), ==, "demonstrators");
  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_FLOW;
  fig = attn_figure_build_at_size (&input, 1, &settings, &style, width, height, NULL, &error);
  g_assert_no_error (error);
  grid = &g_array_index (fig->grids, HeatGrid, 0);
  room = MAX (height * 0.22, 3 * grid->row_label_h);
  shown = token_label_text (fig, ATTN_LABEL_TOKEN_BOTTOM, 7);
  g_test_message ("rows %g x %u, band %g high, “%s”", grid->ch, grid->n_rows, grid->columns_band.height, shown);
  g_assert_true (g_str_has_suffix (shown, "…"));
  g_assert_true (strncmp (shown, "demonstrators", strlen (shown) - strlen ("…")) == 0);
  for (guint k = 0; k < grid->n; k++)
    g_assert_cmpfloat (g_array_index (grid->column_labels, AttnLabel, k).box.height, <=, room);
  /* the band (with its padding) is less than the rows are high */
  g_assert_cmpfloat (grid->columns_band.height, <=, room + 12.);
  g_assert_cmpfloat (grid->columns_band.height, <, grid->n_rows * grid->ch);
}

/* cat-mat's three heatmaps at 609 x 131, laid out to be scrolled (as all
 * weights in a 900 x 600 window are): the marks above the cells (the
 * selected column's outline turning above low rows, 3.5 px up) touched
 * the blocks' titles 4 px above them. Each title ends 2 px clear of them. */
static void
test_heatmap_title_clear_of_marks (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureInput input = { attn_document_find_example (bert, "cat-mat", NULL), NULL };
  g_autoptr(AttnFigure) fig = NULL;
  AttnFigureStyle style;
  GError *error = NULL;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.all_methods = TRUE;
  fig = attn_figure_build_at_size (&input, 1, &settings, &style, 609., 131., NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fig->grids->len, ==, 3);
  for (guint g = 0; g < fig->grids->len; g++)
    {
      const HeatGrid *grid = &g_array_index (fig->grids, HeatGrid, g);
      const AttnLabel *title = NULL;

      for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
        if (attn_figure_get_label (fig, i)->kind == ATTN_LABEL_TITLE &&
            g_strcmp0 (attn_figure_get_label (fig, i)->text, grid->name) == 0)
          title = attn_figure_get_label (fig, i);
      g_assert_nonnull (title);
      g_test_message ("“%s” ends at %g, its cells start at %g", title->text, title->box.y + title->box.height, grid->y);
      g_assert_cmpfloat (title->box.y + title->box.height, <=, grid->y - 3.5 - 2.);
    }
}

/* A token of 80, 300 or 5000 characters is shortened in the graph's title
 * as in its labels and the heatmap's title: the title a click on it may
 * bring took the whole view's height (the graph was empty at 5000
 * characters, its rows squeezed into a strip at 80 and 300) and the saved
 * figure was 2388 px high. The view's rows and colour bar are as high as
 * with a short token, the figure's title no higher than a few lines (its
 * token labels show the token whole, up to ATTN_TOKEN_WHOLE_MAX_CHARS). */
static void
test_graph_long_token (void)
{
  const guint lengths[] = { 80, 300, 5000 };
  g_autoptr(AttnExample) ref = four_tokens ("[CLS]");
  double ref_row, ref_bar, ref_w, ref_h;
  g_autoptr(AttnFigure) ref_fig = long_token_graph (ref, ATTN_POSITION_NONE, 909., 400., &ref_row, &ref_bar);

  attn_figure_get_size (ref_fig, &ref_w, &ref_h);
  g_assert_cmpfloat (ref_row, >, 100.);
  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    for (int position = ATTN_POSITION_NONE; position <= 0; position++)
      {
        g_autofree char *token = g_strnfill (lengths[i], 'x');
        g_autoptr(AttnExample) ex = four_tokens (token);
        g_autoptr(AttnFigure) fig = NULL;
        double row, bar, w, h;

        fig = long_token_graph (ex, position, 909., 400., &row, &bar);
        attn_figure_get_size (fig, &w, &h);
        g_test_message ("%u characters, position %d: rows %g apart (%g), bar %g high (%g); figure %gx%g",
                        lengths[i], position, row, ref_row, bar, ref_bar, w, h);
        g_assert_cmpfloat (row, >=, ref_row * 0.95);
        g_assert_cmpfloat (bar, >=, ref_bar * 0.95);
        assert_labels_fit (attn_figure_get_n_labels (fig), figure_label, fig, w, h);
        /* the saved figure shows the token whole, up to ATTN_TOKEN_WHOLE_MAX_CHARS
         * characters above and below the graph (some 7 pixels each) */
        g_assert_cmpfloat (h, <, 2 * ref_h + 2 * 7. * ATTN_TOKEN_WHOLE_MAX_CHARS);
        if (lengths[i] > ATTN_TOKEN_WHOLE_MAX_CHARS)
          g_assert_cmpfloat (h, >, ref_h + 2 * 5. * ATTN_TOKEN_WHOLE_MAX_CHARS);
        if (position == 0)
          g_assert_cmpstr (attn_figure_get_title (fig), ==,
                           "Attention flow from “xxxxxxxxxxxxxxxx…” (layer 2, position 0)");
        else
          g_assert_cmpstr (attn_figure_get_title (fig), ==, "Attention flow");
      }
}

/* Colour maps */

static void
test_colormap (void)
{
  const char * const *names = attn_colormap_list_names ();
  double r, g, b;

  g_assert_cmpuint (g_strv_length ((char **) names), ==, 5);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const AttnColormap *map = attn_colormap_from_name (names[i]);

      g_assert_nonnull (map);
      g_assert_cmpstr (attn_colormap_get_name (map), ==, names[i]);
    }
  g_assert_null (attn_colormap_from_name ("jet"));
  g_assert_true (attn_colormap_from_name ("VIRIDIS") == attn_colormap_get_default ());
  g_assert_true (attn_colormap_is_diverging (attn_colormap_get_diverging ()));

  /* viridis endpoints (matplotlib) */
  attn_colormap_lookup (attn_colormap_get_default (), 0., &r, &g, &b);
  g_assert_cmpfloat_with_epsilon (r, 0.26700, 1e-5);
  g_assert_cmpfloat_with_epsilon (g, 0.00487, 1e-5);
  g_assert_cmpfloat_with_epsilon (b, 0.32942, 1e-5);
  attn_colormap_lookup (attn_colormap_get_default (), 1., &r, &g, &b);
  g_assert_cmpfloat_with_epsilon (r, 0.99325, 1e-5);
  g_assert_cmpuint (attn_colormap_lookup_rgb24 (attn_colormap_get_default (), 2.), ==,
                    attn_colormap_lookup_rgb24 (attn_colormap_get_default (), 1.));

  /* Sequential maps are monotone in lightness: viridis, cividis and magma
   * get lighter, ink darker. */
  for (guint i = 0; i < 4; i++)
    {
      const AttnColormap *map = attn_colormap_from_name (names[i]);
      double prev = attn_colormap_lightness (map, 0.);

      for (guint k = 1; k <= 32; k++)
        {
          double cur = attn_colormap_lightness (map, k / 32.);

          if (g_str_equal (names[i], "ink"))
            g_assert_cmpfloat (cur, <, prev + 1e-9);
          else
            g_assert_cmpfloat (cur, >, prev - 1e-9);
          prev = cur;
        }
    }
}

/* Layout */

static void
check_layout (guint  n,
              double width,
              double height)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AttnGraphLayout) layout = NULL;
  AttnFigureStyle style;
  double w, h;

  attn_figure_style_init (&style, FALSE);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (tokens, i % 7 == 3 ? g_strdup_printf ("##extraordinarily%u", i)
                                        : g_strdup_printf ("t%u", i));
  layout = attn_graph_layout_new (&(AttnGraphLayoutSpec) {
                                    .tokens = (const char * const *) tokens->pdata, .n_tokens = n,
                                    .first_layer = 1, .last_layer = 12, .style = &style, .title = "Title",
                                    .scale_label = "Scale name",
                                    .caption = "A caption that is long enough to wrap at small sizes, "
                                               "with settings and more settings",
                                    .width = width, .height = height });
  attn_graph_layout_get_size (layout, &w, &h);
  if (width > 0)
    g_assert_cmpfloat (w, ==, ceil (width));
  if (height > 0)
    g_assert_cmpfloat (h, ==, ceil (height));
  assert_labels_fit (attn_graph_layout_get_n_labels (layout), layout_label, layout, w, h);

  /* every node hit-tests to itself */
  for (guint l = 0; l <= 12; l++)
    for (guint p = 0; p < n; p += MAX (1, n / 16))
      {
        double x, y;
        guint hl = 99, hp = 999;

        attn_graph_layout_get_node (layout, l, p, &x, &y);
        g_assert_cmpfloat (x, >, 0);
        g_assert_cmpfloat (x, <, w);
        g_assert_true (attn_graph_layout_hit_node (layout, x + 0.4, y - 0.4, &hl, &hp));
        g_assert_cmpuint (hl, ==, l);
        g_assert_cmpuint (hp, ==, p);
      }
  g_assert_false (attn_graph_layout_hit_node (layout, 1, 1, NULL, NULL));
}

static void
test_layout_labels (void)
{
  check_layout (15, 0, 0);
  check_layout (23, 0, 0);
  check_layout (64, 0, 0);
  check_layout (128, 0, 0);
  check_layout (128, 1600, 1000);
  check_layout (64, 700, 500);
  check_layout (5, 1600, 1000);
}

/* A long input's nodes are closer than a pixel: the first and the last can
 * still be pointed at on their discs, past the half spacing of the others */
static void
test_hit_end_nodes (void)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AttnGraphLayout) layout = NULL;
  AttnFigureStyle style;
  guint n = 2048, hl = 99, hp = 9999;
  double x, y, x_first, y_first, r, w, h;

  attn_figure_style_init (&style, FALSE);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (tokens, g_strdup_printf ("w%u", i));
  layout = attn_graph_layout_new (&(AttnGraphLayoutSpec) {
                                    .tokens = (const char * const *) tokens->pdata, .n_tokens = n,
                                    .first_layer = 1, .last_layer = 12, .style = &style,
                                    .width = 900, .height = 400 });
  attn_graph_layout_get_size (layout, &w, &h);
  r = attn_graph_layout_get_node_radius (layout);
  attn_graph_layout_get_node (layout, 12, n - 1, &x, &y);
  attn_graph_layout_get_node (layout, 12, 0, &x_first, &y_first);
  /* the spacing is under a pixel, the disc wider than half of it */
  g_assert_cmpfloat ((x - x_first) / (n - 1), <, 0.5);
  g_assert_cmpfloat (r, >=, 1.5);

  g_assert_true (attn_graph_layout_hit_node (layout, x + 0.9 * r, y, &hl, &hp));
  g_assert_cmpuint (hl, ==, 12);
  g_assert_cmpuint (hp, ==, n - 1);
  g_assert_true (attn_graph_layout_hit_node (layout, x_first - 0.9 * r, y_first, &hl, &hp));
  g_assert_cmpuint (hl, ==, 12);
  g_assert_cmpuint (hp, ==, 0);
  /* the inner nodes keep half the spacing: the one next to the last */
  g_assert_true (attn_graph_layout_hit_node (layout, x - (x - x_first) / (n - 1), y, &hl, &hp));
  g_assert_cmpuint (hp, ==, n - 2);
  /* past the disc, nothing */
  g_assert_false (attn_graph_layout_hit_node (layout, x + 1.1 * r, y, NULL, NULL));
  g_assert_false (attn_graph_layout_hit_node (layout, x_first - 1.1 * r, y_first, NULL, NULL));
}

static void
test_hit_edge (void)
{
  AttnExample *ex = attn_document_get_example (bert, 0);
  AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
  g_autoptr(AttnGraph) graph = attn_graph_new (ex, &options, NULL, NULL);
  g_autoptr(AttnGraphScene) scene = NULL;
  g_autoptr(AttnGraphLayout) layout = NULL;
  guint n = attn_example_get_n_tokens (ex), bl = 0, bq = 0, bk = 0, hl, hq, hk;
  double best = -1., x0, y0, x1, y1;
  AttnFigureStyle style;

  attn_figure_style_init (&style, FALSE);
  scene = attn_graph_scene_new_for_method (graph, ATTN_METHOD_RAW, 0, -1, -1, NULL, NULL);
  layout = attn_graph_layout_new (&(AttnGraphLayoutSpec) { .tokens = attn_example_get_tokens (ex), .n_tokens = n,
                                  .first_layer = 1, .last_layer = 12, .style = &style });
  for (guint l = 1; l <= 12; l++)
    for (guint q = 0; q < n; q++)
      for (guint k = 0; k < n; k++)
        if (attn_graph_scene_get_edge (scene, l, q, k) > best)
          {
            best = attn_graph_scene_get_edge (scene, l, q, k);
            bl = l;
            bq = q;
            bk = k;
          }
  attn_graph_layout_get_node (layout, bl, bq, &x0, &y0);
  attn_graph_layout_get_node (layout, bl - 1, bk, &x1, &y1);
  g_assert_true (attn_graph_layout_hit_edge (layout, scene, &style, (x0 + x1) / 2, (y0 + y1) / 2, 3.,
                                             &hl, &hq, &hk));
  g_assert_cmpuint (hl, ==, bl);
  /* the nearest edge at the midpoint of the strongest one is that edge or
   * one crossing exactly there; the value must be the strongest's when it
   * is unique there */
  g_assert_cmpfloat (attn_graph_scene_get_edge (scene, hl, hq, hk), <=, best);
  if (hq == bq && hk == bk)
    g_assert_cmpfloat (attn_graph_scene_get_edge (scene, hl, hq, hk), ==, best);

  /* with top-k 1 and a threshold, only visible edges are hit */
  style.threshold = 0.999;
  g_assert_true (attn_graph_layout_hit_edge (layout, scene, &style, (x0 + x1) / 2, (y0 + y1) / 2, 3.,
                                             &hl, &hq, &hk));
  g_assert_cmpuint (hq, ==, bq);
  g_assert_cmpuint (hk, ==, bk);
  g_assert_false (attn_graph_layout_hit_edge (layout, scene, &style, x0 + 200, (y0 + y1) / 2 + 1, 2.,
                                              NULL, NULL, NULL));
}

/* Top-k keeps a node's strongest edges by their values (and those tied
 * with the k-th), not by how they are drawn: edges under the floor that
 * keeps them visible are drawn alike, and the lowest positions among them
 * were kept instead of the strongest */
static void
test_top_k_strongest (void)
{
  const char *tokens[] = { "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", NULL };
  const guint n = 10;
  double att[10 * 10] = { 0 };
  g_autoptr(AttnExample) ex = NULL;
  g_autoptr(AttnGraph) graph = NULL;
  g_autoptr(AttnTrace) trace = NULL;
  g_autoptr(AttnGraphScene) scene = NULL;
  g_autofree float *visible = g_new (float, n * n);
  AttnTraceQuery query = ATTN_TRACE_QUERY_INIT;
  AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
  AttnFigureStyle style;
  GError *error = NULL;

  for (guint q = 0; q + 1 < n; q++)
    att[q * n + q] = 1.;
  att[9 * n + 0] = 0.2;
  att[9 * n + 1] = 0.2;
  att[9 * n + 7] = 0.25;
  att[9 * n + 8] = 0.35;
  ex = attn_example_new_from_doubles ("topk", tokens, 1, 1, att, &error);
  g_assert_no_error (error);
  graph = attn_graph_new (ex, &options, NULL, &error);
  g_assert_no_error (error);
  query.layer = 0;      /* no node selected: each node's own edges */
  trace = attn_trace_compute (graph, &query, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  scene = attn_graph_scene_new_from_trace (trace, ex, NULL);

  attn_figure_style_init (&style, FALSE);
  style.threshold = 0.;
  for (guint top_k = 1; top_k <= 3; top_k++)
    {
      /* t9's edges, strongest first: itself (0.5), t8, t7, then t0 and t1 */
      const guint strongest[] = { 9, 8, 7 };
      guint kept = 0;

      style.top_k = top_k;
      _attn_graph_visible_edges (scene, &style, 1, attn_graph_scene_compute_scale_max (scene, FALSE), visible, NULL);
      for (guint k = 0; k < n; k++)
        kept += visible[9 * n + k] > 0.f;
      g_assert_cmpuint (kept, ==, top_k);
      for (guint i = 0; i < top_k; i++)
        g_assert_cmpfloat (visible[9 * n + strongest[i]], >, 0.f);
    }
  /* the fourth strongest are t0 and t1, tied: both stay */
  style.top_k = 4;
  _attn_graph_visible_edges (scene, &style, 1, attn_graph_scene_compute_scale_max (scene, FALSE), visible, NULL);
  g_assert_cmpfloat (visible[9 * n + 0], >, 0.f);
  g_assert_cmpfloat (visible[9 * n + 1], >, 0.f);
}

/* The edge threshold hides the edges below that fraction of the colour
 * scale, as the caption says ("edges ≥ 0.3 × max"), also those the floor
 * keeps visible (1% of a layer's flow after a click, an even share without
 * one): un-clicked, flow's upper layers spread evenly below a range of 8
 * times their mean edge, and a threshold up to 0.43 hid none of them */
static void
test_threshold_of_scale (void)
{
  AttnExample *ex = attn_document_find_example (bert, "cat-mat", NULL);
  g_autoptr(AttnGraphSettings) settings = attn_graph_settings_new (0.5, ATTN_HEAD_MIX_MEAN, NULL, NULL);
  g_autoptr(AttnGraph) graph = NULL;
  guint n = attn_example_get_n_tokens (ex), L = attn_example_get_n_layers (ex);
  g_autofree float *visible = g_new (float, n * n);
  g_autofree double *row = g_new (double, n);
  GError *error = NULL;

  graph = attn_graph_new_from_settings (ex, settings, NULL, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < 3; c++)
    {
      AttnTraceQuery query = ATTN_TRACE_QUERY_INIT;
      g_autoptr(AttnTrace) trace = NULL;
      g_autoptr(AttnGraphScene) scene = NULL;
      AttnFigureStyle style;
      guint hidden = 0, shown = 0;
      double scale_max;

      query.method = c == 0 ? ATTN_METHOD_FLOW : ATTN_METHOD_ROLLOUT;
      query.layer = c == 2 ? L : 0;
      trace = attn_trace_compute (graph, &query, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      scene = attn_graph_scene_new_from_trace (trace, ex, NULL);
      scale_max = attn_graph_scene_compute_scale_max (scene, FALSE);
      attn_figure_style_init (&style, FALSE);
      style.top_k = 0;
      style.threshold = 0.3;
      for (guint l = 1; l <= L; l++)
        {
          double range = _attn_graph_layer_scale (scene, l, FALSE, scale_max);

          _attn_graph_visible_edges (scene, &style, l, scale_max, visible, NULL);
          for (guint q = 0; q < n; q++)
            {
              const double *e = attn_graph_scene_get_edge_row (scene, l, q, row);

              for (guint k = 0; k < n; k++)
                {
                  if (visible[q * n + k] > 0.f)
                    g_assert_cmpfloat (e[k], >=, 0.3 * range);
                  shown += visible[q * n + k] > 0.f;
                  hidden += visible[q * n + k] == 0.f && e[k] > 0.;
                }
            }
        }
      g_test_message ("%s, layer %u: %u edges shown, %u hidden", attn_method_get_name (query.method),
                      query.layer, shown, hidden);
      g_assert_cmpuint (shown, >, 0);
      g_assert_cmpuint (hidden, >, 0);
    }
}

/* The raster path agrees with the vector path. */
static void
test_raster_matches_vector (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  cairo_surface_t *raster, *vector;
  cairo_t *cr;
  double w, h, sum = 0.;
  guint blocks = 0, bad = 0;
  const int B = 4;

  attn_figure_style_init (&style, FALSE);
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    {
      settings.method = m;
      settings.position = m == ATTN_METHOD_RAW ? ATTN_POSITION_NONE : ATTN_POSITION_FOCUS;
      fig = build (bert, "cat-mat", &settings, &style);
      attn_figure_get_size (fig, &w, &h);
      raster = attn_figure_render_image (fig, 1., NULL);
      vector = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) w, (int) h);
      cr = cairo_create (vector);
      attn_figure_draw (fig, cr);
      cairo_destroy (cr);
      cairo_surface_flush (vector);

      for (int by = 0; by + B <= (int) h; by += B)
        for (int bx = 0; bx + B <= (int) w; bx += B)
          {
            double a = 0., b = 0.;

            for (int y = by; y < by + B; y++)
              for (int x = bx; x < bx + B; x++)
                {
                  a += luminance_at (raster, x, y);
                  b += luminance_at (vector, x, y);
                }
            a /= B * B;
            b /= B * B;
            sum += fabs (a - b);
            blocks++;
            if (fabs (a - b) > 0.12)
              bad++;
          }
      cairo_surface_destroy (raster);
      cairo_surface_destroy (vector);
      g_clear_pointer (&fig, attn_figure_unref);
    }

  g_test_message ("mean |Δluminance| per 4x4 block %.4f, %u of %u blocks off by > 0.12",
                  sum / blocks, bad, blocks);
  g_assert_cmpfloat (sum / blocks, <, 0.01);
  g_assert_cmpfloat ((double) bad / blocks, <, 0.005);
}

/* The stronger the edge, the more intense: vertical edges that cross
 * nothing, then the strongest edge of a real example. */
static void
test_strongest_edge (void)
{
  const char *tokens[] = { "a", "b", "c", "d", "e", "f" };
  g_autoptr(AttnGraphScene) scene = attn_graph_scene_new (2, 6);
  g_autoptr(AttnGraphLayout) layout = NULL;
  g_autofree double *edges = g_new0 (double, 2 * 36);
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  g_autoptr(AttnFigure) fig = NULL;
  AttnFigureStyle style;
  cairo_surface_t *image;
  double prev = 1.1, x0, y0, x1, y1, ox, oy, best = -1., lum;
  guint bl = 0, bq = 0, bk = 0;

  attn_figure_style_init (&style, FALSE);
  for (guint q = 0; q < 6; q++)
    edges[q * 6 + q] = (q + 1) / 6.;
  attn_graph_scene_set_edges (scene, edges);
  layout = attn_graph_layout_new (&(AttnGraphLayoutSpec) { .tokens = tokens, .n_tokens = 6, .first_layer = 1,
                                  .last_layer = 2, .style = &style });
  image = attn_graph_render_image (layout, scene, &style, 1., NULL);
  for (guint q = 0; q < 6; q++)
    {
      attn_graph_layout_get_node (layout, 1, q, &x0, &y0);
      attn_graph_layout_get_node (layout, 0, q, &x1, &y1);
      lum = luminance_at (image, x0, (y0 + y1) / 2);
      g_test_message ("edge value %.3f: luminance %.3f", (q + 1) / 6., lum);
      g_assert_cmpfloat (lum, <, prev - 0.02);
      prev = lum;
      /* nothing between the edges */
      g_assert_cmpfloat (luminance_at (image, x0 + 8, (y0 + y1) / 2), >, 0.99);
    }
  g_assert_cmpfloat (prev, <, 0.5);
  cairo_surface_destroy (image);

  settings.method = ATTN_METHOD_ROLLOUT;
  settings.position = ATTN_POSITION_NONE;
  fig = build (bert, "cat-mat", &settings, &style);
  {
    AttnGraphLayout *l = attn_figure_get_graph_layout (fig, 0, &ox, &oy);
    AttnGraphScene *s = attn_figure_get_graph_scene (fig, 0);
    guint n = attn_graph_scene_get_n_tokens (s);

    for (guint l1 = 1; l1 <= 12; l1++)
      for (guint q = 0; q < n; q++)
        for (guint k = 0; k < n; k++)
          if (attn_graph_scene_get_edge (s, l1, q, k) > best)
            best = attn_graph_scene_get_edge (s, l1, q, k), bl = l1, bq = q, bk = k;
    image = attn_figure_render_image (fig, 1., NULL);
    attn_graph_layout_get_node (l, bl, bq, &x0, &y0);
    attn_graph_layout_get_node (l, bl - 1, bk, &x1, &y1);
    lum = luminance_at (image, ox + (x0 + x1) / 2, oy + (y0 + y1) / 2);
    g_test_message ("strongest rollout edge %.3f: luminance %.3f", best, lum);
    g_assert_cmpfloat (lum, <, 0.35);
    cairo_surface_destroy (image);
  }
}

static cairo_status_t
append_svg (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  g_string_append_len (closure, (const char *) data, length);
  return CAIRO_STATUS_SUCCESS;
}

typedef struct
{
  double x0, y0, x1, y1;
  int    index;     /* among the SVG's stroked paths, -1 until found */
  double width;
  double alpha;
  char  *color;
} Stroke;

/* The stroked paths of @svg (cairo's SVG: a style attribute, then d) that
 * are the lines of @strokes, in the order drawn */
static void
find_strokes (const char *svg,
              Stroke     *strokes,
              guint       n_strokes)
{
  g_autoptr(GRegex) re = g_regex_new ("<path style=\"[^\"]*stroke-width:([0-9.]+);[^\"]*"
                                      "stroke:(rgb\\([^)]*\\));stroke-opacity:([0-9.]+);[^\"]*\" "
                                      "d=\"M ([-0-9.]+) ([-0-9.]+) L ([-0-9.]+) ([-0-9.]+) \"",
                                      0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  int index = 0;

  for (g_regex_match (re, svg, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL), index++)
    {
      double c[4];

      for (guint i = 0; i < 4; i++)
        {
          g_autofree char *v = g_match_info_fetch (match, 4 + i);

          c[i] = g_ascii_strtod (v, NULL);
        }
      for (guint s = 0; s < n_strokes; s++)
        if (fabs (c[0] - strokes[s].x0) < 0.01 && fabs (c[1] - strokes[s].y0) < 0.01 &&
            fabs (c[2] - strokes[s].x1) < 0.01 && fabs (c[3] - strokes[s].y1) < 0.01)
          {
            g_autofree char *w = g_match_info_fetch (match, 1);
            g_autofree char *a = g_match_info_fetch (match, 3);

            g_assert_cmpint (strokes[s].index, ==, -1);
            strokes[s].index = index;
            strokes[s].width = g_ascii_strtod (w, NULL);
            strokes[s].alpha = g_ascii_strtod (a, NULL);
            strokes[s].color = g_match_info_fetch (match, 2);
          }
    }
}

/* One layer of four tokens: c -> a above the range (0 to 0.5), b -> b at its
 * maximum, a -> d at three quarters (crossing c -> a) and d -> b at the
 * maximum, as steep as c -> a */
static AttnGraphScene *
saturated_scene (AttnFigureStyle  *style,
                 AttnGraphLayout **layout)
{
  static const char *tokens[] = { "a", "b", "c", "d" };
  AttnGraphScene *scene = attn_graph_scene_new (1, 4);
  double edges[16] = { 0. };

  attn_figure_style_init (style, FALSE);
  edges[2 * 4 + 0] = 0.9;
  edges[1 * 4 + 1] = 0.5;
  edges[0 * 4 + 3] = 0.375;
  edges[3 * 4 + 1] = 0.5;
  attn_graph_scene_set_edges (scene, edges);
  attn_graph_scene_set_scale_max (scene, 0.5);
  *layout = attn_graph_layout_new (&(AttnGraphLayoutSpec) { .tokens = tokens, .n_tokens = 4, .first_layer = 1,
                                   .last_layer = 1, .style = style });
  return scene;
}

/* An edge above the range (saturated) keeps the strongest colour but is
 * drawn before the edges in the range, half as wide and at most 0.6 opaque:
 * the many long edges into [SEP] and [CLS] covered the rest */
static void
test_saturated_under (void)
{
  g_autoptr(AttnGraphLayout) layout = NULL;
  g_autoptr(GString) svg = g_string_new (NULL);
  double w, h, yq, yk, xq, xk;
  const guint ends[3][2] = { { 2, 0 }, { 1, 1 }, { 0, 3 } };
  Stroke strokes[3];
  AttnFigureStyle style;
  g_autoptr(AttnGraphScene) scene = saturated_scene (&style, &layout);
  cairo_surface_t *surface;
  cairo_t *cr;

  attn_graph_layout_get_size (layout, &w, &h);
  surface = cairo_svg_surface_create_for_stream (append_svg, svg, w, h);
  cr = cairo_create (surface);
  attn_graph_render (layout, scene, &style, cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);

  for (guint s = 0; s < 3; s++)
    {
      attn_graph_layout_get_node (layout, 1, ends[s][0], &xq, &yq);
      attn_graph_layout_get_node (layout, 0, ends[s][1], &xk, &yk);
      strokes[s] = (Stroke) { xq, yq, xk, yk, -1, 0., 0., NULL };
    }
  find_strokes (svg->str, strokes, 3);
  for (guint s = 0; s < 3; s++)
    {
      g_test_message ("edge %u -> %u: path %d, width %.3f, opacity %.3f, %s", ends[s][0], ends[s][1],
                      strokes[s].index, strokes[s].width, strokes[s].alpha, strokes[s].color);
      g_assert_cmpint (strokes[s].index, >=, 0);
    }
  /* under the edges in the range, the weak one too */
  g_assert_cmpint (strokes[0].index, <, strokes[2].index);
  g_assert_cmpint (strokes[2].index, <, strokes[1].index);
  /* the colour of the range's maximum, half its width, less opaque */
  g_assert_cmpstr (strokes[0].color, ==, strokes[1].color);
  g_assert_cmpfloat_with_epsilon (strokes[0].width, strokes[1].width / 2., 1e-3);
  g_assert_cmpfloat (strokes[2].width, ==, strokes[1].width);
  g_assert_cmpfloat (strokes[1].alpha, >, 0.85);
  g_assert_cmpfloat_with_epsilon (strokes[0].alpha, 0.6, 1e-3);
  for (guint s = 0; s < 3; s++)
    g_free (strokes[s].color);
}

/* The point at @s of the way down the edge from @q (layer 1) to @k (layer
 * 0) of @layout, in the pixels of an image drawn at @scale */
static void
edge_point (AttnGraphLayout *layout,
            guint            q,
            guint            k,
            double           s,
            double           scale,
            double          *x,
            double          *y)
{
  double xq, yq, xk, yk;

  attn_graph_layout_get_node (layout, 1, q, &xq, &yq);
  attn_graph_layout_get_node (layout, 0, k, &xk, &yk);
  *x = (xq + s * (xk - xq)) * scale;
  *y = (yq + s * (yk - yq)) * scale;
}

/* How much darker than white the row at @y of @image is from @x0 to @x1,
 * in luminance × pixels: an edge's width across the row times its
 * opacity times how much darker than white its colour is */
static double
row_ink (cairo_surface_t *image,
         double           x0,
         double           x1,
         double           y)
{
  double ink = 0.;

  for (int x = (int) x0; x <= (int) x1; x++)
    ink += 1. - luminance_at (image, x, y);
  return ink;
}

/* The same on the screen (the raster path, drawn in two passes): where the
 * edge above the range crosses one in the range, the pixel is the latter
 * composited over the former, not the other way round; and across a row
 * it is half as wide as an edge in the range at the same slope and colour */
static void
test_saturated_under_raster (void)
{
  g_autoptr(AttnGraphLayout) layout = NULL;
  AttnFigureStyle style;
  g_autoptr(AttnGraphScene) scene = saturated_scene (&style, &layout);
  const double scale = 4.;
  /* the stroke opacities of c -> a (above the range) and a -> d */
  double a_s = _attn_graph_stroke_alpha (scene, 1., TRUE);
  double a_d = _attn_graph_stroke_alpha (scene, 0.75, FALSE);
  double a_max = _attn_graph_stroke_alpha (scene, 1., FALSE);
  double x, y, xc, yc, dx, ink_s, ink_in, width_ratio, off_over = 0., off_under = 0.;
  guint32 sat, in, cross;
  cairo_surface_t *image = attn_graph_render_image (layout, scene, &style, scale, NULL);

  /* c -> a and a -> d cross at 0.4 of the way down: alone at 0.2 and 0.8 */
  edge_point (layout, 2, 0, 0.4, scale, &xc, &yc);
  cross = pixel_at (image, (int) xc, (int) yc);
  edge_point (layout, 2, 0, 0.2, scale, &x, &y);
  sat = pixel_at (image, (int) x, (int) y);
  edge_point (layout, 0, 3, 0.8, scale, &x, &y);
  in = pixel_at (image, (int) x, (int) y);
  g_test_message ("alone %06x (above the range, %.3f), %06x (in it, %.3f); crossing %06x",
                  sat, a_s, in, a_d, cross);
  for (guint c = 0; c < 24; c += 8)
    {
      double ps = (sat >> c) & 0xff, pd = (in >> c) & 0xff, pc = (cross >> c) & 0xff;
      /* over white: p = a·colour + (1 - a)·255 */
      double in_over = pd + (1. - a_d) * (ps - 255.), sat_over = ps + (1. - a_s) * (pd - 255.);

      g_test_message ("channel %u: %.0f, %.1f with the edge in the range over, %.1f under", c / 8, pc,
                      in_over, sat_over);
      off_over = MAX (off_over, fabs (pc - in_over));
      off_under = MAX (off_under, fabs (pc - sat_over));
    }
  g_assert_cmpfloat (off_over, <=, 3.);
  g_assert_cmpfloat (off_under, >, 15.);

  /* c -> a and d -> b, both of the maximum's colour, a column apart: the
   * row at 0.75 of the way down, half a column either side */
  edge_point (layout, 2, 0, 0.75, scale, &x, &y);
  edge_point (layout, 3, 1, 0.75, scale, &xc, &yc);
  dx = (xc - x) / 2.;
  g_assert_cmpfloat (dx, >, 10.);
  ink_s = row_ink (image, x - dx / 2., x + dx / 2., y);
  ink_in = row_ink (image, xc - dx / 2., xc + dx / 2., y);
  width_ratio = (ink_s / a_s) / (ink_in / a_max);
  g_test_message ("ink across a row: %.2f above the range, %.2f in it: width ratio %.3f", ink_s, ink_in,
                  width_ratio);
  g_assert_cmpfloat_with_epsilon (width_ratio, ATTN_SATURATED_WIDTH, 0.05);
  cairo_surface_destroy (image);
}

/* Hovering where an edge above the range crosses one in it picks the one
 * drawn on top, the latter, though the former is stronger (t = 1); the
 * former alone is still found */
static void
test_hit_edge_saturated (void)
{
  g_autoptr(AttnGraphLayout) layout = NULL;
  AttnFigureStyle style;
  g_autoptr(AttnGraphScene) scene = saturated_scene (&style, &layout);
  guint l = 0, q = 0, k = 0;
  double x, y;

  /* c -> a and a -> d cross at 0.4 of the way down, at the same distance */
  edge_point (layout, 2, 0, 0.4, 1., &x, &y);
  g_assert_true (attn_graph_layout_hit_edge (layout, scene, &style, x, y, 3., &l, &q, &k));
  g_assert_cmpuint (l, ==, 1);
  g_assert_cmpuint (q, ==, 0);
  g_assert_cmpuint (k, ==, 3);
  edge_point (layout, 2, 0, 0.2, 1., &x, &y);
  g_assert_true (attn_graph_layout_hit_edge (layout, scene, &style, x, y, 3., &l, &q, &k));
  g_assert_cmpuint (q, ==, 2);
  g_assert_cmpuint (k, ==, 0);
}

/* CIE L*a*b* of the pixel at (@x, @y) of @s (sRGB, D65) */
static void
lab_at (cairo_surface_t *s,
        double           x,
        double           y,
        double           lab[3])
{
  const guchar *data = cairo_image_surface_get_data (s);
  guint32 p = *(const guint32 *) (data + (gsize) (int) y * cairo_image_surface_get_stride (s)
                                  + (gsize) (int) x * 4);
  double c[3], xyz[3], f[3];
  const double white[3] = { 0.95047, 1., 1.08883 };

  for (guint i = 0; i < 3; i++)
    {
      c[i] = ((p >> (16 - 8 * i)) & 0xff) / 255.;
      c[i] = c[i] <= 0.04045 ? c[i] / 12.92 : pow ((c[i] + 0.055) / 1.055, 2.4);
    }
  xyz[0] = 0.4124 * c[0] + 0.3576 * c[1] + 0.1805 * c[2];
  xyz[1] = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  xyz[2] = 0.0193 * c[0] + 0.1192 * c[1] + 0.9505 * c[2];
  for (guint i = 0; i < 3; i++)
    {
      double t = xyz[i] / white[i];

      f[i] = t > 0.008856 ? cbrt (t) : 7.787 * t + 16. / 116.;
    }
  lab[0] = 116. * f[1] - 16.;
  lab[1] = 500. * (f[0] - f[1]);
  lab[2] = 200. * (f[1] - f[2]);
}

/* With every colour map, on white and on the dark background, the graph's
 * strongest edge stands out from the background (a colour difference ΔE of
 * 40 or more): magma's strongest edges were cream on white (ΔE 24), ink's
 * deep blue on the dark background (ΔE 31). */
static double
delta_e (const double a[3],
         const double b[3])
{
  return sqrt ((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

/* A heatmap under @style: its strongest cell stands out from the
 * background more than its weakest (ink on dark ran from white: its zeros
 * were the brightest cells, a white block, and the graph's nodes of no
 * importance the brightest marks) */
static void
assert_heatmap_strong_stands_out (const AttnFigureStyle *style)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle heat_style = *style;
  g_autoptr(AttnFigure) fig = NULL;
  cairo_surface_t *image;
  const HeatGrid *grid;
  double weak[3], strong[3], background[3];
  gsize weakest = 0, strongest = 0;
  AttnRect cell;

  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_ROLLOUT;
  fig = build (bert, "cat-mat", &settings, &heat_style);
  grid = &g_array_index (fig->grids, HeatGrid, 0);
  for (gsize i = 0; i < (gsize) grid->n_rows * grid->n; i++)
    {
      if (grid->values[i] < grid->values[weakest])
        weakest = i;
      if (grid->values[i] <= grid->vmax && grid->values[i] > grid->values[strongest])
        strongest = i;
    }
  image = attn_figure_render_image (fig, 1., NULL);
  lab_at (image, 1, 1, background);
  g_assert_true (attn_figure_get_cell (fig, 0, grid->last_layer - weakest / grid->n, weakest % grid->n, &cell));
  lab_at (image, cell.x + cell.width / 2, cell.y + cell.height / 2, weak);
  g_assert_true (attn_figure_get_cell (fig, 0, grid->last_layer - strongest / grid->n, strongest % grid->n, &cell));
  lab_at (image, cell.x + cell.width / 2, cell.y + cell.height / 2, strong);
  g_test_message ("  heatmap: weakest dE %.1f, strongest dE %.1f", delta_e (weak, background),
                  delta_e (strong, background));
  g_assert_cmpfloat (delta_e (strong, background), >, delta_e (weak, background) + 20.);
  cairo_surface_destroy (image);
}

static void
test_strongest_stands_out (void)
{
  const char *tokens[] = { "a", "b", "c", "d", "e", "f" };
  const char * const *names = attn_colormap_list_names ();
  g_autoptr(AttnGraphScene) scene = attn_graph_scene_new (1, 6);
  double edges[36] = { 0 };

  for (guint q = 0; q < 6; q++)
    edges[q * 6 + q] = (q + 1) / 6.;
  attn_graph_scene_set_edges (scene, edges);
  for (guint i = 0; names[i] != NULL; i++)
    for (guint dark = 0; dark <= 1; dark++)
      {
        g_autoptr(AttnGraphLayout) layout = NULL;
        AttnFigureStyle style;
        cairo_surface_t *image;
        double x0, y0, x1, y1, edge[3], background[3], delta;

        if (attn_colormap_is_diverging (attn_colormap_from_name (names[i])))
          continue;
        attn_figure_style_init (&style, dark);
        style.colormap = attn_colormap_from_name (names[i]);
        layout = attn_graph_layout_new (&(AttnGraphLayoutSpec) { .tokens = tokens, .n_tokens = 6,
                                        .first_layer = 1, .last_layer = 1, .style = &style });
        image = attn_graph_render_image (layout, scene, &style, 1., NULL);
        attn_graph_layout_get_node (layout, 1, 5, &x0, &y0);
        attn_graph_layout_get_node (layout, 0, 5, &x1, &y1);
        lab_at (image, x0, (y0 + y1) / 2, edge);
        lab_at (image, x0 - 8, (y0 + y1) / 2, background);
        delta = delta_e (edge, background);
        g_test_message ("%s on %s: dE %.1f", names[i], dark ? "dark" : "white", delta);
        g_assert_cmpfloat (delta, >=, 40.);
        cairo_surface_destroy (image);
        /* the default maps: ink on white, every map on dark (viridis,
         * cividis and magma on white run from dark to light: what is
         * weak stands out as much, their design) */
        if (dark || g_str_equal (names[i], "ink"))
          assert_heatmap_strong_stands_out (&style);
      }
}

/* Flow fills in layer by layer: missing layers are drawn pending, without
 * edges, and a cancelled render returns nothing. */
static void
test_pending_layers (void)
{
  const char *tokens[] = { "a", "b", "c", "d" };
  g_autoptr(AttnGraphScene) scene = attn_graph_scene_new (3, 4);
  g_autoptr(AttnGraphLayout) layout = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  double full[16], x0, y0, x1, y1;
  AttnFigureStyle style;
  cairo_surface_t *image;

  for (guint i = 0; i < 16; i++)
    full[i] = 0.25;
  attn_figure_style_init (&style, FALSE);
  attn_graph_scene_set_layer_edges (scene, 1, full);
  g_assert_true (attn_graph_scene_has_layer (scene, 1));
  g_assert_false (attn_graph_scene_has_layer (scene, 2));
  g_assert_null (attn_graph_scene_get_layer_edges (scene, 3));
  g_assert_true (isnan (attn_graph_scene_get_edge (scene, 2, 0, 0)));
  layout = attn_graph_layout_new (&(AttnGraphLayoutSpec) { .tokens = tokens, .n_tokens = 4, .first_layer = 1,
                                  .last_layer = 3, .style = &style });
  image = attn_graph_render_image (layout, scene, &style, 1., NULL);

  /* layer 1: an edge between a and a is drawn; layer 2: a pale, edgeless band */
  attn_graph_layout_get_node (layout, 1, 0, &x0, &y0);
  attn_graph_layout_get_node (layout, 0, 0, &x1, &y1);
  g_assert_cmpfloat (luminance_at (image, x0, (y0 + y1) / 2), <, 0.9);
  attn_graph_layout_get_node (layout, 2, 0, &x0, &y0);
  attn_graph_layout_get_node (layout, 1, 0, &x1, &y1);
  {
    double pending = luminance_at (image, x0, (y0 + y1) / 2);

    g_assert_cmpfloat (pending, <, 0.99);
    g_assert_cmpfloat (pending, >, 0.9);
    g_assert_cmpfloat (fabs (pending - luminance_at (image, x0 + 9, (y0 + y1) / 2)), <, 0.01);
  }
  cairo_surface_destroy (image);

  g_cancellable_cancel (cancellable);
  g_assert_null (attn_graph_render_image (layout, scene, &style, 1., cancellable));
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* @a and @b are the same image, pixel for pixel */
static void
assert_same_pixels (cairo_surface_t *a,
                    cairo_surface_t *b)
{
  int stride = cairo_image_surface_get_stride (b);

  cairo_surface_flush (a);
  cairo_surface_flush (b);
  g_assert_cmpint (cairo_image_surface_get_width (a), ==, cairo_image_surface_get_width (b));
  g_assert_cmpint (cairo_image_surface_get_height (a), ==, cairo_image_surface_get_height (b));
  g_assert_cmpint (cairo_image_surface_get_stride (a), ==, stride);
  g_assert_cmpmem (cairo_image_surface_get_data (a), stride * cairo_image_surface_get_height (a),
                   cairo_image_surface_get_data (b), stride * cairo_image_surface_get_height (b));
}

/* The screen's image, laid out and drawn on a worker thread, is the image
 * laid out and drawn in the caller, pixel for pixel; cancelled, it is an
 * error and no layout. */
static void
test_image_async (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(AttnGraphLayout) layout = NULL;
  g_autoptr(AttnGraphLayout) async_layout = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cancelled_result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  AttnGraphLayout *no_layout = (AttnGraphLayout *) &settings;
  cairo_surface_t *image, *async_image;
  AttnGraphScene *scene;
  AttnFigureStyle style;
  double w, h, aw, ah;

  attn_figure_style_init (&style, TRUE);
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.position = ATTN_POSITION_NONE;
  fig = build (bert, "cat-mat", &settings, &style);
  scene = attn_figure_get_graph_scene (fig, 0);
  layout = attn_graph_layout_new_for_scene (scene, &style, TRUE, 900., 600.);
  image = attn_graph_render_image (layout, scene, &style, 2., NULL);

  attn_graph_render_image_async (scene, &style, 900., 600., 2., NULL, got_result_cb, &result);
  async_image = attn_graph_render_image_finish (wait_for_result (&result), &async_layout, &error);
  g_assert_no_error (error);
  g_assert_nonnull (async_layout);
  attn_graph_layout_get_size (layout, &w, &h);
  attn_graph_layout_get_size (async_layout, &aw, &ah);
  g_assert_cmpfloat (w, ==, aw);
  g_assert_cmpfloat (h, ==, ah);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, (int) ceil (w * 2.));
  assert_same_pixels (async_image, image);
  cairo_surface_destroy (async_image);
  cairo_surface_destroy (image);

  g_cancellable_cancel (cancellable);
  attn_graph_render_image_async (scene, &style, 900., 600., 1., cancellable, got_result_cb,
                                 &cancelled_result);
  g_assert_null (attn_graph_render_image_finish (wait_for_result (&cancelled_result), &no_layout,
                                                 &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (no_layout);
}

/* A graph figure laid out at a size (attn_figure_new_at_size()) has that
 * size and is, saved as PNG at 1x and 2x, the image the graph view draws
 * of its scene at that size (attn_graph_render_image_async(), at zoom to
 * fit) pixel for pixel: the window's 910 x 400 graph of cat-mat, whose
 * natural figure is 810 x 800, and an un-clicked 25-token graph in 900 x
 * 500, whose natural figure is 1732 x 800 */
static void
test_graph_at_size (void)
{
  static const struct { const char *id; int position; double width, height; } cases[] = {
    { "cat-mat", ATTN_POSITION_FOCUS, 910., 400. },
    { "sst2-0825", ATTN_POSITION_NONE, 900., 500. },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    for (double scale = 1.; scale <= 2.; scale++)
      {
        AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
        g_autoptr(AttnFigure) fig = NULL;
        g_autoptr(AttnFigure) at = NULL;
        g_autoptr(AttnFigure) again = NULL;
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(GFile) file = NULL;
        g_autofree char *path = tmp_path ("graph-at-size.png");
        cairo_surface_t *view, *png;
        AttnFigureStyle style;
        double w, h, natural_w, natural_h;

        attn_figure_style_init (&style, FALSE);
        settings.position = cases[c].position;
        fig = build (c == 0 ? bert : sst2, cases[c].id, &settings, &style);
        attn_figure_get_size (fig, &natural_w, &natural_h);
        at = attn_figure_new_at_size (fig, cases[c].width, cases[c].height);
        attn_figure_get_size (at, &w, &h);
        g_test_message ("%s: natural %g x %g, at %g x %g: %g x %g", cases[c].id, natural_w, natural_h,
                        cases[c].width, cases[c].height, w, h);
        g_assert_cmpfloat (natural_w, !=, cases[c].width);
        g_assert_cmpfloat (w, ==, cases[c].width);
        g_assert_cmpfloat (h, ==, cases[c].height);
        g_assert_cmpstr (attn_figure_get_caption (at), ==, attn_figure_get_caption (fig));
        g_assert_cmpstr (attn_figure_get_title (at), ==, attn_figure_get_title (fig));
        /* laid out again, at its natural size */
        again = attn_figure_new_at_size (at, natural_w, natural_h);
        attn_figure_get_size (again, &w, &h);
        g_assert_cmpfloat (w, ==, natural_w);
        g_assert_cmpfloat (h, ==, natural_h);

        file = g_file_new_for_path (path);
        g_assert_true (attn_figure_save (at, file, ATTN_EXPORT_PNG, scale, NULL, &error));
        g_assert_no_error (error);
        png = cairo_image_surface_create_from_png (path);
        g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);

        attn_graph_render_image_async (attn_figure_get_graph_scene (fig, 0), &style, cases[c].width,
                                       cases[c].height, scale, NULL, got_result_cb, &result);
        view = attn_graph_render_image_finish (wait_for_result (&result), NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpint (cairo_image_surface_get_width (png), ==, (int) (cases[c].width * scale));
        g_assert_cmpint (cairo_image_surface_get_height (png), ==, (int) (cases[c].height * scale));
        assert_same_pixels (view, png);
        cairo_surface_destroy (view);
        cairo_surface_destroy (png);
      }
}

/* The screen's level of detail: with more tokens than pixels, the edges
 * that fall on one pixel are drawn as one and the rows of nodes as strips;
 * the image is the exact raster's to within a few levels of grey per 4x4
 * block, and the layout fits the width asked for */
static void
test_level_of_detail (void)
{
  const guint L = 3, n = 1500;
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *att = g_new (double, (gsize) L * n * n);
  g_autoptr(AttnExample) ex = NULL;
  g_autoptr(AttnGraph) graph = NULL;
  g_autoptr(AttnTrace) trace = NULL;
  g_autoptr(AttnGraphScene) scene = NULL;
  g_autoptr(AttnGraphLayout) layout = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  AttnTraceQuery query = { ATTN_METHOD_RAW, 0, 0, -1, 0 };
  AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
  AttnFigureStyle style;
  cairo_surface_t *exact, *lod;
  GError *error = NULL;
  GRand *rand = g_rand_new_with_seed (9);
  double w, h, sum = 0.;
  guint blocks = 0;
  gint64 t0;
  double exact_ms, lod_ms;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (tokens, g_strdup_printf ("w%u", i));
  g_ptr_array_add (tokens, NULL);
  /* causal, a local window and a sink, as a decoder's heads */
  for (gsize r = 0; r < (gsize) L * n; r++)
    {
      guint q = r % n;
      double total = 0.;

      for (guint k = 0; k < n; k++)
        {
          double v = k > q ? 0. : g_rand_double (rand) * (k == 0 ? 40. : q - k < 8 ? 20. : 1.);

          att[r * n + k] = v;
          total += v;
        }
      for (guint k = 0; k <= q; k++)
        att[r * n + k] /= total;
    }
  g_rand_free (rand);
  ex = attn_example_new_from_doubles ("long", (const char * const *) tokens->pdata, L, 1, att, &error);
  g_assert_no_error (error);
  graph = attn_graph_new (ex, &options, NULL, &error);
  g_assert_no_error (error);
  trace = attn_trace_compute (graph, &query, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  scene = attn_graph_scene_new_from_trace (trace, ex, NULL);
  attn_figure_style_init (&style, FALSE);

  layout = attn_graph_layout_new_for_scene (scene, &style, TRUE, 900., 500.);
  attn_graph_layout_get_size (layout, &w, &h);
  g_assert_cmpfloat (w, ==, 900.);
  {
    AttnRect plot;

    attn_graph_layout_get_plot_area (layout, &plot);
    g_assert_cmpfloat (plot.x + plot.width, <, w);
  }
  t0 = g_get_monotonic_time ();
  exact = attn_graph_render_image (layout, scene, &style, 1., NULL);
  exact_ms = (g_get_monotonic_time () - t0) / 1000.;
  t0 = g_get_monotonic_time ();
  attn_graph_render_image_async (scene, &style, 900., 500., 1., NULL, got_result_cb, &result);
  lod = attn_graph_render_image_finish (wait_for_result (&result), NULL, &error);
  lod_ms = (g_get_monotonic_time () - t0) / 1000.;
  g_assert_no_error (error);

  for (int by = 0; by + 4 <= (int) h; by += 4)
    for (int bx = 0; bx + 4 <= (int) w; bx += 4)
      {
        double a = 0., b = 0.;

        for (int y = by; y < by + 4; y++)
          for (int x = bx; x < bx + 4; x++)
            {
              a += luminance_at (exact, x, y);
              b += luminance_at (lod, x, y);
            }
        sum += fabs (a - b) / 16.;
        blocks++;
      }
  g_test_message ("n = %u at 900 px: exact %.0f ms, level of detail %.0f ms (with the layout), "
                  "mean |Δluminance| per 4x4 block %.4f", n, exact_ms, lod_ms, sum / blocks);
  /* the rows of nodes, closer than a pixel, are strips rather than rows of
   * circles: most of the difference (0.003 with the circles) */
  g_assert_cmpfloat (sum / blocks, <, 0.02);
  cairo_surface_destroy (exact);
  cairo_surface_destroy (lod);
}

#define RING_SAMPLES 48

/* The pixel at (@x, @y) as red, green and blue in [0, 1] */
static void
rgb_at (cairo_surface_t *s,
        double           x,
        double           y,
        double           rgb[3])
{
  int px = (int) floor (x), py = (int) floor (y);
  guint32 p;

  g_assert_cmpint (px, >=, 0);
  g_assert_cmpint (py, >=, 0);
  g_assert_cmpint (px, <, cairo_image_surface_get_width (s));
  g_assert_cmpint (py, <, cairo_image_surface_get_height (s));
  p = *(const guint32 *) (cairo_image_surface_get_data (s) + (gsize) py * cairo_image_surface_get_stride (s)
                          + (gsize) px * 4);
  rgb[0] = ((p >> 16) & 0xff) / 255.;
  rgb[1] = ((p >> 8) & 0xff) / 255.;
  rgb[2] = (p & 0xff) / 255.;
}

static double
distance_to (const double   rgb[3],
             const AttnRgba *color)
{
  return MAX (MAX (fabs (rgb[0] - color->red), fabs (rgb[1] - color->green)), fabs (rgb[2] - color->blue));
}

/* How many of RING_SAMPLES points on the outline of node (@layer,
 * @position) show the background (a gap in the outline) */
static guint
ring_gaps (cairo_surface_t       *image,
           const AttnGraphLayout *layout,
           const AttnFigureStyle *style,
           guint                  layer,
           guint                  position)
{
  double x, y, r = attn_graph_layout_get_node_radius (layout), rgb[3];
  guint gaps = 0;

  attn_graph_layout_get_node (layout, layer, position, &x, &y);
  for (guint i = 0; i < RING_SAMPLES; i++)
    {
      double a = 2 * G_PI * (i + 0.5) / RING_SAMPLES;

      rgb_at (image, x + r * cos (a), y + r * sin (a), rgb);
      gaps += distance_to (rgb, &style->background) < 0.06;
    }
  return gaps;
}

/* @method from [CLS] at @layer of cat-mat (0: no click): after a rollout
 * click at layer 6, the other nodes of layer 6 carry 0, the nodes above it
 * no value */
static AttnGraphScene *
method_scene (AttnMethod method,
              guint      layer)
{
  AttnExample *ex = attn_document_find_example (bert, "cat-mat", NULL);
  AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
  AttnTraceQuery query = { method, layer, 0, -1, 0 };
  g_autoptr(AttnGraph) graph = NULL;
  g_autoptr(AttnTrace) trace = NULL;
  GError *error = NULL;

  graph = attn_graph_new (ex, &options, NULL, &error);
  g_assert_no_error (error);
  trace = attn_trace_compute (graph, &query, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return attn_graph_scene_new_from_trace (trace, ex, NULL);
}

static AttnGraphScene *
clicked_scene (guint layer)
{
  return method_scene (ATTN_METHOD_ROLLOUT, layer);
}

/* In every colour map, light and dark, on screen (the raster) and saved
 * (cairo's vector path, as SVG and PDF draw it): a node of value 0 has a
 * solid outline and a node without a value a dashed one over the background,
 * so that the two read apart where the map's low end is near the background
 * (ink on white was drawn as the hollow nodes were) */
static void
test_hollow_nodes (void)
{
  g_autoptr(AttnGraphScene) scene = clicked_scene (6);
  const char * const *names = attn_colormap_list_names ();
  const guint hollow_layer = 12, zero_position = 7;

  g_assert_nonnull (attn_graph_scene_get_node_values (scene, 6));
  g_assert_cmpfloat (attn_graph_scene_get_node_values (scene, 6)[zero_position], ==, 0.);
  g_assert_null (attn_graph_scene_get_node_values (scene, hollow_layer));

  for (guint m = 0; names[m] != NULL; m++)
    for (int dark = 0; dark <= 1; dark++)
      for (int vector = 0; vector <= 1; vector++)
        {
          AttnFigureStyle style;
          g_autoptr(AttnGraphLayout) layout = NULL;
          cairo_surface_t *image;
          double x, y, w, h, rgb[3];
          guint hollow_gaps, zero_gaps;

          attn_figure_style_init (&style, dark);
          style.colormap = attn_colormap_from_name (names[m]);
          layout = attn_graph_layout_new_for_scene (scene, &style, TRUE, 900., 700.);
          if (vector)
            {
              cairo_t *cr;

              attn_graph_layout_get_size (layout, &w, &h);
              image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (w), (int) ceil (h));
              cr = cairo_create (image);
              attn_graph_render (layout, scene, &style, cr);
              cairo_destroy (cr);
            }
          else
            image = attn_graph_render_image (layout, scene, &style, 1., NULL);
          cairo_surface_flush (image);

          /* hollow: the background inside, an outline in dashes */
          attn_graph_layout_get_node (layout, hollow_layer, zero_position, &x, &y);
          rgb_at (image, x, y, rgb);
          g_assert_cmpfloat (distance_to (rgb, &style.background), <, 1.5 / 255.);
          hollow_gaps = ring_gaps (image, layout, &style, hollow_layer, zero_position);
          /* 0: the map's low end inside, an outline all round */
          zero_gaps = ring_gaps (image, layout, &style, 6, zero_position);
          g_test_message ("%s, %s, %s: %u and %u of %u points of the outlines are gaps", names[m],
                          dark ? "dark" : "light", vector ? "vector" : "raster", hollow_gaps, zero_gaps,
                          RING_SAMPLES);
          g_assert_cmpuint (hollow_gaps, >=, RING_SAMPLES / 6);
          g_assert_cmpuint (hollow_gaps, <=, RING_SAMPLES - RING_SAMPLES / 6);
          g_assert_cmpuint (zero_gaps, ==, 0);
          cairo_surface_destroy (image);
        }
}

/* The colour bar's label names the dashed nodes when some are drawn beside
 * nodes with a value: not after a click at the top layer, where every node
 * has a value, nor where no node has one (raw attention, no click), whose
 * nodes are drawn plain */
static void
test_hollow_legend (void)
{
  g_autoptr(AttnGraphScene) middle = clicked_scene (6);
  g_autoptr(AttnGraphScene) top = clicked_scene (12);
  const char * const *room;

  g_assert_nonnull (strstr (attn_graph_scene_get_scale_label (middle), "dashed nodes: no value"));
  g_assert_null (strstr (attn_graph_scene_get_scale_label (top), "dashed nodes"));
  for (AttnMethod m = ATTN_METHOD_RAW; m <= ATTN_METHOD_FLOW; m++)
    {
      g_autoptr(AttnGraphScene) plain = method_scene (m, m == ATTN_METHOD_RAW ? 6 : 0);
      AttnFigureStyle style;
      g_autoptr(AttnGraphLayout) layout = NULL;
      cairo_surface_t *image;

      g_assert_null (strstr (attn_graph_scene_get_scale_label (plain), "dashed nodes"));
      attn_figure_style_init (&style, FALSE);
      layout = attn_graph_layout_new_for_scene (plain, &style, TRUE, 900., 700.);
      image = attn_graph_render_image (layout, plain, &style, 1., NULL);
      cairo_surface_flush (image);
      g_assert_cmpuint (ring_gaps (image, layout, &style, 12, 3), ==, 0);
      cairo_surface_destroy (image);
    }
  for (guint l = 0; l <= 12; l++)
    g_assert_nonnull (attn_graph_scene_get_node_values (top, l));
  /* the room kept for the label holds the line */
  attn_graph_scene_get_room (top, NULL, &room, NULL, NULL);
  g_assert_nonnull (room[0]);
  g_assert_nonnull (strstr (room[0], "dashed nodes: no value"));
}

/* An example compared with itself (from two files): the note says the
 * difference is 0 everywhere, and the difference is on the scale of the
 * importance compared, not ±1 */
static void
test_compare_identical (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnExample *ex = attn_document_find_example (sst2, "sst2-0551", NULL);
  AttnFigureInput inputs[2] = { { ex, "sst2.json" }, { ex, "copy.json" } };
  g_autoptr(AttnFigure) fig = NULL;
  const Colorbar *importance = NULL, *difference = NULL;
  GError *error = NULL;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_COMPARE;
  settings.method = ATTN_METHOD_FLOW;
  fig = attn_figure_build (inputs, 2, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (attn_figure_get_note (fig));
  g_assert_nonnull (strstr (attn_figure_get_note (fig), "The difference is 0 everywhere"));
  g_assert_nonnull (strstr (attn_figure_get_note (fig), "sst2.json — sst2-0551 and copy.json — sst2-0551"));
  for (guint i = 0; i < fig->colorbars->len; i++)
    {
      const Colorbar *bar = &g_array_index (fig->colorbars, Colorbar, i);

      if (bar->diverging)
        difference = bar;
      else
        importance = bar;
    }
  g_assert_nonnull (importance);
  g_assert_nonnull (difference);
  g_assert_cmpfloat (importance->max, <, 0.5);
  g_assert_cmpfloat (difference->max, ==, importance->max);
  g_assert_cmpfloat (difference->min, ==, -importance->max);

  /* two examples that differ say nothing of the kind */
  {
    AttnFigureInput pair[2] = { { ex, "sst2.json" }, { ex, "copy.json" } };
    g_autoptr(AttnFigure) other = NULL;

    pair[0].example = attn_document_find_example (pronouns, "author-his", NULL);
    pair[1].example = attn_document_find_example (pronouns, "author-her", NULL);
    pair[0].path = pair[1].path = "pronouns.json";
    other = attn_figure_build (pair, 2, &settings, &style, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (attn_figure_get_note (other));
  }
}

/* The heatmap's darkest cells are the largest rollout values of the [CLS]
 * node, the ones above the colour range ([CLS]'s own, left out of it)
 * saturating, and darker always means larger up to the range's top. */
static void
test_heatmap_pixels (void)
{
  AttnExample *ex = attn_document_find_example (bert, "cat-mat", NULL);
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
  g_autoptr(AttnGraph) graph = attn_graph_new (ex, &options, NULL, NULL);
  guint n = attn_example_get_n_tokens (ex);
  g_autofree double *rollout = g_new (double, 12 * n);
  g_autofree double *lum = g_new (double, 12 * n);
  double col_x[64], row_y[13];
  g_autoptr(AttnFigure) fig = NULL;
  cairo_surface_t *image;
  AttnFigureStyle style;
  guint darkest = 0;
  double top;

  g_assert_true (attn_rollout_position (graph, 0, rollout, NULL, NULL));
  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.position = 0;
  fig = build (bert, "cat-mat", &settings, &style);
  image = attn_figure_render_image (fig, 2., NULL);
  {
    double w, h;

    attn_figure_get_size (fig, &w, &h);
    g_assert_cmpint (cairo_image_surface_get_width (image), ==, (int) ceil (2 * w));
  }

  memset (col_x, 0, sizeof col_x);
  memset (row_y, 0, sizeof row_y);
  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *label = attn_figure_get_label (fig, i);

      if (label->kind == ATTN_LABEL_TOKEN_BOTTOM)
        col_x[label->index] = label->box.x + label->box.width / 2;
      else if (label->kind == ATTN_LABEL_LAYER)
        row_y[label->index] = label->box.y + label->box.height / 2;
    }

  for (guint l = 1; l <= 12; l++)
    for (guint k = 0; k < n; k++)
      {
        gsize i = (gsize) (l - 1) * n + k;

        g_assert_cmpfloat (col_x[k], >, 0);
        g_assert_cmpfloat (row_y[l], >, 0);
        lum[i] = luminance_at (image, 2 * col_x[k], 2 * row_y[l]);
        if (lum[i] < lum[darkest])
          darkest = i;
      }
  /* [CLS]'s importance of itself at layer 1 is above the range */
  top = g_array_index (fig->grids, HeatGrid, 0).vmax;
  g_assert_cmpfloat (rollout[0], >, top);
  for (gsize i = 0; i < 12 * n; i++)
    rollout[i] = MIN (rollout[i], top);
  g_assert_cmpfloat (rollout[darkest], ==, top);
  for (gsize i = 0; i < 12 * n; i++)
    for (gsize j = 0; j < 12 * n; j++)
      if (rollout[i] > rollout[j] + 0.02 * top)
        g_assert_cmpfloat (lum[i], <, lum[j]);
  cairo_surface_destroy (image);
}

/* Every figure kind in every format */

static gboolean
run (const char *command_line,
     char      **out)
{
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (!g_spawn_command_line_sync (command_line, out, NULL, &status, &error))
    {
      g_test_message ("%s: %s", command_line, error->message);
      return FALSE;
    }
  return g_spawn_check_wait_status (status, NULL);
}

static void
check_saved (AttnFigure *fig,
             const char *stem)
{
  g_autofree char *png = NULL;
  g_autofree char *svg = NULL;
  g_autofree char *pdf = NULL;
  GError *error = NULL;
  double w, h;

  attn_figure_get_size (fig, &w, &h);
  assert_labels_fit (attn_figure_get_n_labels (fig), figure_label, fig, w, h);

  for (guint scale = 1; scale <= 3; scale++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%ux.png", stem, scale);
      g_autofree char *path = tmp_path (name);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      cairo_surface_t *s;

      g_assert_true (attn_figure_save (fig, file, ATTN_EXPORT_PNG, scale, NULL, &error));
      g_assert_no_error (error);
      s = cairo_image_surface_create_from_png (path);
      g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (cairo_image_surface_get_width (s), ==, (int) ceil (w * scale));
      g_assert_cmpint (cairo_image_surface_get_height (s), ==, (int) ceil (h * scale));
      cairo_surface_destroy (s);
      if (scale == 1)
        png = g_steal_pointer (&path);
    }

  {
    g_autofree char *name = g_strconcat (stem, ".svg", NULL);
    g_autoptr(GFile) file = NULL;
    g_autofree char *contents = NULL;

    svg = tmp_path (name);
    file = g_file_new_for_path (svg);
    g_assert_true (attn_figure_save (fig, file, ATTN_EXPORT_SVG, 1, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "<title>"));
    g_assert_nonnull (strstr (contents, "<desc>"));
  }
  {
    g_autofree char *name = g_strconcat (stem, ".pdf", NULL);
    g_autoptr(GFile) file = NULL;

    pdf = tmp_path (name);
    file = g_file_new_for_path (pdf);
    g_assert_true (attn_figure_save (fig, file, ATTN_EXPORT_PDF, 1, NULL, &error));
    g_assert_no_error (error);
  }

  if (!have_program ("rsvg-convert") || !have_program ("pdfinfo"))
    {
      if (in_ci ())
        g_error ("rsvg-convert and pdfinfo are needed (librsvg2-bin, poppler-utils)");
      g_test_message ("rsvg-convert or pdfinfo missing: SVG and PDF only written");
      return;
    }

  {
    g_autofree char *out_png = g_strconcat (svg, ".png", NULL);
    g_autofree char *cmd = g_strdup_printf ("rsvg-convert -o %s %s", out_png, svg);
    cairo_surface_t *s;

    g_assert_true (run (cmd, NULL));
    s = cairo_image_surface_create_from_png (out_png);
    g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (cairo_image_surface_get_width (s), ==, (int) ceil (w));
    g_assert_cmpint (cairo_image_surface_get_height (s), ==, (int) ceil (h));
    cairo_surface_destroy (s);
  }
  {
    g_autofree char *cmd = g_strdup_printf ("pdfinfo %s", pdf);
    g_autofree char *out = NULL;
    g_autofree char *size = NULL;

    g_assert_true (run (cmd, &out));
    g_assert_nonnull (strstr (out, "\nPages:           1\n"));
    size = g_strdup_printf (" %g x %g pts", ceil (w), ceil (h));
    g_assert_nonnull (strstr (out, "Page size:"));
    g_assert_nonnull (strstr (out, size));
    g_assert_nonnull (strstr (out, "Title:"));
  }
  (void) png;
}

static void
test_figures_graph (void)
{
  AttnFigureStyle style;

  attn_figure_style_init (&style, FALSE);
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    {
      AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
      g_autoptr(AttnFigure) fig = NULL;
      g_autofree char *stem = g_strdup_printf ("graph-%s", attn_method_get_name (m));

      settings.method = m;
      settings.position = m == ATTN_METHOD_FLOW ? ATTN_POSITION_NONE : ATTN_POSITION_FOCUS;
      fig = build (bert, "rabbit-turtle", &settings, &style);
      g_assert_cmpuint (attn_figure_get_n_graphs (fig), ==, 1);
      /* raw attention has no residual step: no α in its caption */
      if (m == ATTN_METHOD_RAW)
        g_assert_null (strstr (attn_figure_get_caption (fig), "α"));
      else
        g_assert_nonnull (strstr (attn_figure_get_caption (fig), "α = 0.5"));
      check_saved (fig, stem);
    }

  {
    AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
    g_autoptr(AttnFigure) fig = NULL;

    settings.all_methods = TRUE;
    settings.position = 0;
    settings.sink = 2;
    style.top_k = 3;
    fig = build (bert, "rabbit-turtle", &settings, &style);
    g_assert_cmpuint (attn_figure_get_n_graphs (fig), ==, 3);
    check_saved (fig, "graph-all");
  }
}

static void
test_figures_heatmap (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  guint sentence = 0, prediction = 0, values = 0;

  attn_figure_style_init (&style, TRUE);
  style.show_values = TRUE;
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.all_methods = TRUE;
  fig = build (sst2, "sst2-1125", &settings, &style);
  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      AttnLabelKind kind = attn_figure_get_label (fig, i)->kind;

      sentence += kind == ATTN_LABEL_SENTENCE;
      prediction += kind == ATTN_LABEL_PREDICTION;
      values += kind == ATTN_LABEL_VALUE;
    }
  g_assert_cmpuint (sentence, ==, 3 * 23);
  g_assert_cmpuint (prediction, ==, 2 * 2);
  g_test_message ("%u value labels fit their cells", values);
  check_saved (fig, "heatmap-all");

  /* --position none is only for graphs */
  {
    GError *error = NULL;
    AttnFigureInput input = { attn_document_get_example (sst2, 0), NULL };

    settings.position = ATTN_POSITION_NONE;
    g_assert_null (attn_figure_build (&input, 1, &settings, &style, NULL, &error));
    g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
    g_clear_error (&error);
  }
}

/* Counts @fig's labels of @kind */
static guint
count_labels (AttnFigure    *fig,
              AttnLabelKind  kind)
{
  guint count = 0;

  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    count += attn_figure_get_label (fig, i)->kind == kind;
  return count;
}

/* Whether @at, a heatmap laid out at @width x @height, was laid out to be
 * scrolled there (attn_figure_new_at_size(): its text or rows too small
 * shrunk to show whole): then it is wider than the box, and as wide as it
 * shown with its smallest text at 9 px, as the heatmap panel shows it */
static gboolean
laid_out_to_scroll (AttnFigure *at,
                    double      width,
                    double      height)
{
  double w, h, s = 9. / attn_figure_get_text_size (at);

  attn_figure_get_size (at, &w, &h);
  if (w <= width + 0.5)
    return FALSE;
  g_test_message ("%gx%g: laid out to be scrolled, %gx%g shown at %.3f", width, height, w, h, s);
  g_assert_cmpfloat (w * s, <=, width + 0.5);
  g_assert_cmpfloat (w * s, >=, width - 2.);
  return TRUE;
}

/* A heatmap or comparison laid out again at the size of a panel: it fills
 * the width (cells, not a scale), its text stays at its own size, nothing
 * overlaps or leaves it, every sentence token and prediction is there, and
 * a cell's centre hits that cell with its value */
/* Rows too low for a label each are labelled evenly, as an axis's ticks:
 * every multiple of a step, the top layer (@L) among them (in each block) */
static void
assert_layer_labels_even (AttnFigure *fig,
                          guint       L)
{
  guint n_layers = 0, highest = 0, step = G_MAXUINT;
  guint64 labelled = 0;

  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *label = attn_figure_get_label (fig, i);

      /* the first layer is labelled too where there is room, off the step */
      if (label->kind != ATTN_LABEL_LAYER || label->index == 1)
        continue;
      labelled |= G_GUINT64_CONSTANT (1) << label->index;
      highest = MAX (highest, label->index);
      if (label->index < L)
        step = MIN (step, L - label->index);
    }
  for (guint l = 1; l <= L; l++)
    n_layers += (labelled >> l) & 1;
  g_assert_cmpuint (highest, ==, L);
  if (n_layers == 1)
    return;
  /* layer 1 is a multiple of a step of 1; labelled off the step, the
   * lowest multiple may give way to it */
  if (step == 1)
    g_assert_cmpuint (n_layers, ==, L - 1);
  else
    g_assert_cmpuint (n_layers, >=, L / step - 1);
  g_assert_cmpuint (n_layers, <=, L / step);
  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *label = attn_figure_get_label (fig, i);

      if (label->kind == ATTN_LABEL_LAYER && label->index != 1)
        g_assert_cmpuint (label->index % step, ==, 0);
    }
}

static void
test_figures_at_size (void)
{
  static const double sizes[][2] = { { 1000, 260 }, { 620, 180 }, { 800, 600 }, { 1500, 900 } };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput inputs[2] = {
    { attn_document_find_example (sst2, "sst2-0551", NULL), "sst2.json" },
    { attn_document_find_example (sst2, "sst2-1125", NULL), "sst2.json" },
  };
  guint n = attn_example_get_n_tokens (inputs[1].example);

  attn_figure_style_init (&style, FALSE);
  for (guint kind = 0; kind < 3; kind++)
    {
      g_autoptr(AttnFigure) fig = NULL;
      GError *error = NULL;
      double natural_w, natural_h;

      settings.kind = kind == 2 ? ATTN_FIGURE_COMPARE : ATTN_FIGURE_HEATMAP;
      settings.all_methods = kind >= 1;
      fig = attn_figure_build (kind == 2 ? inputs : inputs + 1, kind == 2 ? 2 : 1, &settings, &style,
                               NULL, &error);
      g_assert_no_error (error);
      attn_figure_get_size (fig, &natural_w, &natural_h);
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          g_autoptr(AttnFigure) at = attn_figure_new_at_size (fig, sizes[s][0], sizes[s][1]);
          double w, h, value;
          guint layer, position;
          const char *token;
          AttnRect cell;

          attn_figure_get_size (at, &w, &h);
          g_test_message ("%s at %gx%g: %gx%g (natural %gx%g), smallest text %.2f px",
                          kind == 0 ? "heatmap" : kind == 1 ? "all methods" : "compare",
                          sizes[s][0], sizes[s][1], w, h, natural_w, natural_h,
                          attn_figure_get_text_size (at));
          assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
          /* the text at its size (the caption, the smallest, may be left
           * out of a small box) */
          g_assert_cmpfloat (attn_figure_get_text_size (at), >=, attn_figure_get_text_size (fig));
          g_assert_cmpfloat (attn_figure_get_text_size (at), >=, 9.);
          g_assert_cmpuint (attn_figure_get_n_grids (at), ==, attn_figure_get_n_grids (fig));
          /* the sentence under each block, or (beside the blocks) once, or
           * (a wide box too low for it, or blocks that need the room) not
           * at all */
          g_assert_true (count_labels (at, ATTN_LABEL_SENTENCE) == count_labels (fig, ATTN_LABEL_SENTENCE) ||
                         ((kind == 1 || sizes[s][0] >= 1.8 * sizes[s][1]) &&
                          (count_labels (at, ATTN_LABEL_SENTENCE) == n || count_labels (at, ATTN_LABEL_SENTENCE) == 0)));
          g_assert_cmpuint (count_labels (at, ATTN_LABEL_PREDICTION), ==, count_labels (fig, ATTN_LABEL_PREDICTION));
          assert_layer_labels_even (at, 12);
          /* the heatmaps fill the panel where their text leaves room (three
           * blocks of 23 tokens in 620 x 180 do not: the view shrinks that
           * figure a little), a wide one's at most 5 % higher than it; a
           * comparison's blocks stay 160 px wide or more, its rows 10 px
           * high (the view shrinks or pans it), its sentences set a few
           * words a line */
          g_assert_cmpfloat (w, >=, sizes[s][0] - 1.);
          if (sizes[s][0] >= 800. && kind < 2)
            g_assert_cmpfloat (w, <=, sizes[s][0] + 1.);
          if ((kind < 2 && sizes[s][1] >= 260.) || (kind == 0 && sizes[s][0] >= 1.8 * sizes[s][1]))
            g_assert_true (h <= sizes[s][1] / 0.95 + 1. || laid_out_to_scroll (at, sizes[s][0], sizes[s][1]));

          g_assert_true (attn_figure_get_cell (at, 0, 5, 3, &cell));
          /* the blocks' titles take the width of their colour bars too:
           * one line each ("Raw attention" took two over narrow cells) */
          for (guint i = 0; kind == 1 && i < attn_figure_get_n_labels (at); i++)
            {
              const AttnLabel *label = attn_figure_get_label (at, i);

              if (label->kind == ATTN_LABEL_TITLE && g_str_has_prefix (label->text, "Raw attention"))
                g_assert_cmpfloat (label->box.height, <, 1.5 * label->font_size * 1.2);
            }
          /* all methods in a panel 800 px wide or wider: cells of 6 px
           * or more each way (side by side with a side column, or the
           * sentences under each, they were 3 px wide) */
          if (kind == 1 && sizes[s][0] >= 800.)
            g_assert_cmpfloat (MIN (cell.width, cell.height), >=, 6.);
          if (kind == 2)
            {
              g_assert_cmpfloat (cell.width * n, >=, 160.);
              g_assert_cmpfloat (cell.height, >=, 10.);
            }
          g_assert_true (attn_figure_hit_cell (at, cell.x + cell.width / 2, cell.y + cell.height / 2,
                                               &layer, &position, &value, &token));
          g_assert_cmpuint (layer, ==, 5);
          g_assert_cmpuint (position, ==, 3);
          g_assert_cmpstr (token, ==, attn_example_get_token (inputs[kind == 2 ? 0 : 1].example, 3));
          g_assert_true (attn_figure_get_cell (fig, 0, 5, 3, &cell));
          g_assert_true (attn_figure_hit_cell (fig, cell.x + cell.width / 2, cell.y + cell.height / 2,
                                               NULL, NULL, &natural_w, NULL));
          g_assert_cmpfloat (value, ==, natural_w);
          attn_figure_get_size (fig, &natural_w, &natural_h);
        }
    }
  g_assert_cmpuint (n, ==, 23);
}

/* The colour bar labels of @fig that say the tokens left out saturate, in @words */
static guint
count_saturate_notes (AttnFigure *fig,
                      const char *words)
{
  guint n = 0;

  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *label = attn_figure_get_label (fig, i);

      n += label->kind == ATTN_LABEL_SCALE && strstr (label->text, words) != NULL;
    }
  return n;
}

static void
test_figures_compare (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput inputs[3] = {
    { attn_document_find_example (sst2, "sst2-0551", NULL), "sst2.json" },
    { attn_document_find_example (sst2, "sst2-1125", NULL), "sst2.json" },
    { attn_document_find_example (sst2, "sst2-0689", NULL), "sst2.json" },
  };
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(AttnFigure) unequal = NULL;
  GError *error = NULL;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_COMPARE;
  settings.all_methods = TRUE;
  /* two sentences of 23 tokens, not one sentence but for a few words: no
   * difference, position by position, of unrelated tokens */
  {
    g_autoptr(AttnFigure) unrelated = attn_figure_build (inputs, 2, &settings, &style, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (strstr (attn_figure_get_note (unrelated), "differ at 21 of their 23 tokens"));
  }
  /* a minimal pair: the difference heatmap */
  inputs[0].example = attn_document_find_example (pronouns, "author-his", NULL);
  inputs[1].example = attn_document_find_example (pronouns, "author-her", NULL);
  fig = attn_figure_build (inputs, 2, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (attn_figure_get_note (fig));
  check_saved (fig, "compare-equal");
  g_assert_cmpuint (count_saturate_notes (fig, "special"), ==, 0);
  /* printed, the differences within ±0.02 have their digits, and none
   * that rounds to 0 has a sign (“−.00” filled the rollout row) */
  {
    AttnFigureStyle values_style = style;
    g_autoptr(AttnFigure) printed = NULL;
    guint thousandths = 0;

    values_style.show_values = TRUE;
    printed = attn_figure_build (inputs, 2, &settings, &values_style, NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < attn_figure_get_n_labels (printed); i++)
      {
        const AttnLabel *label = attn_figure_get_label (printed, i);

        if (label->kind != ATTN_LABEL_VALUE)
          continue;
        g_assert_false (g_str_has_prefix (label->text, "−") && strspn (label->text + strlen ("−"), ".0") ==
                        strlen (label->text + strlen ("−")));
        thousandths += g_str_has_prefix (label->text, "−.00") && strlen (label->text) == strlen ("−.001");
      }
    g_assert_cmpuint (thousandths, >, 0);
  }
  /* a row per method, each on its own scale: its bar says that the focus
   * tokens saturate where they rise above that scale, as the method's
   * comparison alone says (never where they do not: drawn below the top
   * colour). Under flow the foci's own importance does; six layers: at
   * the figure's own size, what is saved, the bar is made long enough to
   * say so (the English note was left out). The differences at the foci
   * stay within the difference bars' ranges. */
  {
    guint notes = 0;

    for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
      {
        AttnFigureSettings alone = settings;
        g_autoptr(AttnFigure) alone_fig = NULL;

        alone.all_methods = FALSE;
        alone.method = m;
        alone_fig = attn_figure_build (inputs, 2, &alone, &style, NULL, &error);
        g_assert_no_error (error);
        notes += count_saturate_notes (alone_fig, "Importance\nfocus tokens saturate");
        g_assert_cmpuint (count_saturate_notes (alone_fig, "saturate"), ==, m == ATTN_METHOD_FLOW ? 1 : 0);
      }
    g_assert_cmpuint (notes, ==, 1);
    g_assert_cmpuint (count_saturate_notes (fig, "Importance\nfocus tokens saturate"), ==, notes);
  }

  /* each example's focus token (its own importance) is left out of the
   * range, and with them the special tokens: the importance colour bar
   * says they saturate (bars of 12 layers, long enough to say it: an
   * SST-2 sentence beside itself); the difference bar does not, its
   * differences all 0 */
  {
    AttnFigureInput twice[2] = { inputs[2], inputs[2] };
    g_autoptr(AttnFigure) focus = NULL;
    g_autoptr(AttnFigure) excluded = NULL;

    focus = attn_figure_build (twice, 2, &settings, &style, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (count_saturate_notes (focus, "saturate"), ==, ATTN_N_METHODS);
    g_assert_cmpuint (count_saturate_notes (focus, "focus tokens saturate"), ==, ATTN_N_METHODS);
    style.exclude_special = TRUE;
    excluded = attn_figure_build (twice, 2, &settings, &style, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (count_saturate_notes (excluded, "saturate"), ==, ATTN_N_METHODS);
    g_assert_cmpuint (count_saturate_notes (excluded, "special and focus tokens saturate"), ==, ATTN_N_METHODS);
    style.exclude_special = FALSE;
  }

  settings.method = ATTN_METHOD_FLOW;
  settings.all_methods = FALSE;
  inputs[0].example = attn_document_find_example (sst2, "sst2-0551", NULL);
  inputs[1] = inputs[2];
  unequal = attn_figure_build (inputs, 2, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (attn_figure_get_note (unequal));
  g_assert_nonnull (strstr (attn_figure_get_note (unequal), "23 and 24"));
  check_saved (unequal, "compare-unequal");

  g_assert_null (attn_figure_build (inputs, 1, &settings, &style, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_clear_error (&error);
}

/* The cell (layer 1, position 0) of the block of @fig named @name */
static gboolean
find_block_cell (AttnFigure *fig,
                 const char *name,
                 AttnRect   *cell)
{
  for (guint g = 0; g < attn_figure_get_n_grids (fig); g++)
    if (attn_figure_get_cell (fig, g, 1, 0, cell) &&
        g_str_has_prefix (attn_figure_get_block_at (fig, cell->x + 1., cell->y + 1.), name))
      return TRUE;
  return FALSE;
}

/* Four examples compared in the compare window's panel on a 1280 x 800
 * screen (945 x 708) and at 900 x 600 (645 x 548): on one line the fourth
 * example, the colour bar and the difference were past the panel's edge;
 * in two lines of two, the difference of the first two under them where
 * it does not fit beside them, every block is within the width, its cells
 * as wide as on one line or wider; at the figure's own size (what the
 * command line saves without --size) they stay on one line */
static void
test_compare_lines (void)
{
  static const char *ids[4] = { "author-his", "author-her", "sara-his", "sara-her" };
  static const double sizes[][2] = { { 945, 708 }, { 645, 548 } };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput inputs[4];
  g_autoptr(AttnFigure) fig = NULL;
  GError *error = NULL;
  AttnRect first, third;
  double natural_w, natural_h;

  for (guint e = 0; e < 4; e++)
    inputs[e] = (AttnFigureInput) { attn_document_find_example (pronouns, ids[e], NULL), "pronouns-minilm.json" };
  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_COMPARE;
  settings.method = ATTN_METHOD_ROLLOUT;
  fig = attn_figure_build (inputs, 4, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  /* author-his and author-her: a minimal pair, and a difference heatmap */
  g_assert_null (attn_figure_get_note (fig));
  attn_figure_get_size (fig, &natural_w, &natural_h);
  g_assert_true (find_block_cell (fig, "author-his", &first));
  g_assert_true (find_block_cell (fig, "sara-his", &third));
  g_assert_cmpfloat (third.y, ==, first.y);
  g_assert_cmpfloat (third.x, >, first.x);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(AttnFigure) at = attn_figure_new_at_size (fig, sizes[s][0], sizes[s][1]);
      guint n = attn_example_get_n_tokens (inputs[0].example), blocks = 0;
      double w, h;

      attn_figure_get_size (at, &w, &h);
      g_test_message ("four examples at %gx%g: %gx%g (natural %gx%g)", sizes[s][0], sizes[s][1], w, h,
                      natural_w, natural_h);
      g_assert_cmpuint (attn_figure_get_n_grids (at), ==, attn_figure_get_n_grids (fig));
      assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
      g_assert_cmpfloat (attn_figure_get_text_size (at), >=, 9.);
      g_assert_true (find_block_cell (at, "author-his", &first));
      g_assert_true (find_block_cell (at, "sara-his", &third));
      g_assert_cmpfloat (third.y, >, first.y);
      g_assert_cmpfloat (third.x, ==, first.x);
      g_assert_cmpfloat (first.width * n, >=, 160.);
      /* the examples' blocks and the difference, to their last column
       * (the antecedent panels, of the candidates' columns only, four in a
       * row, are wider than 645 px) */
      for (guint g = 0; g < attn_figure_get_n_grids (at); g++)
        {
          AttnRect cell;

          if (!attn_figure_get_cell (at, g, 1, n - 1, &cell))
            continue;
          g_test_message ("%s: to %g", attn_figure_get_block_at (at, cell.x + 1., cell.y + 1.), cell.x + cell.width);
          g_assert_cmpfloat (cell.x + cell.width, <=, sizes[s][0]);
          blocks++;
        }
      g_assert_cmpuint (blocks, ==, 5);
      if (s == 0)
        g_assert_cmpfloat (w, <=, sizes[s][0] + 1.);
    }
  /* candidates of long names (demonstrators): the antecedent panels of
   * four, on one line, were 1,140 px wide; in two lines they fit too */
  {
    static const char *long_ids[4] = { "trophy-big", "trophy-small", "councilmen-feared", "councilmen-advocated" };
    g_autoptr(AttnFigure) wide = NULL;
    g_autoptr(AttnFigure) at = NULL;
    double w, h;

    for (guint e = 0; e < 4; e++)
      inputs[e].example = attn_document_find_example (pronouns, long_ids[e], NULL);
    wide = attn_figure_build (inputs, 4, &settings, &style, NULL, &error);
    g_assert_no_error (error);
    at = attn_figure_new_at_size (wide, sizes[0][0], sizes[0][1]);
    attn_figure_get_size (at, &w, &h);
    g_test_message ("long candidates at %gx%g: %gx%g", sizes[0][0], sizes[0][1], w, h);
    g_assert_cmpfloat (w, <=, sizes[0][0] + 1.);
    g_assert_cmpuint (attn_figure_get_n_grids (at), ==, attn_figure_get_n_grids (wide));
    assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
  }
}

/* Two examples of pronouns compared (flow) */
static AttnFigure *
build_pair (const char *first,
            const char *second)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput inputs[2] = {
    { attn_document_find_example (pronouns, first, NULL), NULL },
    { attn_document_find_example (pronouns, second, NULL), NULL },
  };
  GError *error = NULL;
  AttnFigure *fig;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_COMPARE;
  settings.method = ATTN_METHOD_FLOW;
  fig = attn_figure_build (inputs, 2, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  return fig;
}

/* author-his and author-her compared (flow): a minimal pair */
static AttnFigure *
build_his_her (void)
{
  return build_pair ("author-his", "author-her");
}

/* His and her compared in the compare window's panel at 900 x 600 (645 x
 * 548): their difference heatmap goes under them, every block within the
 * width (beside them it was past the panel's edge, to be panned to); on a
 * 1280 x 800 screen (945 x 708), where the line is about as wide as the
 * panel, it stays beside them */
static void
test_compare_pair_difference_below (void)
{
  static const double sizes[][2] = { { 645, 548 }, { 945, 708 } };
  g_autoptr(AttnFigure) fig = build_his_her ();
  guint n = attn_example_get_n_tokens (attn_document_find_example (pronouns, "author-his", NULL));

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(AttnFigure) at = attn_figure_new_at_size (fig, sizes[s][0], sizes[s][1]);
      AttnRect his_cell, her, diff;
      guint blocks = 0;
      double w, h;

      attn_figure_get_size (at, &w, &h);
      g_test_message ("his and her at %gx%g: %gx%g", sizes[s][0], sizes[s][1], w, h);
      assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
      g_assert_cmpfloat (attn_figure_get_text_size (at), >=, 9.);
      g_assert_true (find_block_cell (at, "author-his", &his_cell));
      g_assert_true (find_block_cell (at, "author-her", &her));
      g_assert_true (find_block_cell (at, "Attention flow: author-her minus author-his", &diff));
      g_assert_cmpfloat (her.y, ==, his_cell.y);
      g_assert_cmpfloat (her.x, >, his_cell.x);
      if (s == 0)
        {
          /* under them (the cells are layer 1's, the lowest row), from
           * the left edge */
          g_assert_cmpfloat (diff.y, >, his_cell.y + his_cell.height);
          g_assert_cmpfloat (diff.x, ==, his_cell.x);
          g_assert_cmpfloat (w, <=, sizes[s][0] + 1.);
        }
      else
        {
          g_assert_cmpfloat (diff.x, >, her.x);
          g_assert_cmpfloat (diff.y, <, his_cell.y + 2 * his_cell.height);
        }
      for (guint g = 0; g < attn_figure_get_n_grids (at); g++)
        {
          AttnRect cell;

          if (!attn_figure_get_cell (at, g, 1, n - 1, &cell))
            continue;
          if (s == 0)
            g_assert_cmpfloat (cell.x + cell.width, <=, sizes[s][0]);
          blocks++;
        }
      g_assert_cmpuint (blocks, ==, 3);
    }
}

/* The column labels of the block of @fig whose lowest row is @cell's, @n
 * columns: how many there are, and the text of that of position @index
 * (NULL where it has none) */
static guint
block_column_labels (AttnFigure     *fig,
                     const AttnRect *cell,
                     guint           n,
                     guint           index,
                     const char    **text)
{
  double bottom = cell->y + cell->height;
  guint count = 0;

  *text = NULL;
  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *label = attn_figure_get_label (fig, i);
      double center = label->box.x + label->box.width / 2;

      if (label->kind != ATTN_LABEL_TOKEN_BOTTOM || label->box.y < bottom || label->box.y > bottom + 10. ||
          center < cell->x || center > cell->x + n * cell->width)
        continue;
      count++;
      if (label->index == index)
        *text = label->text;
    }
  return count;
}

/* The difference heatmap's column labels name both tokens where the two
 * examples' differ, in the order of the subtraction (the pronoun's column
 * read "her" though it is her minus his); the others, and the examples'
 * own blocks, as they are. At the figure's size (upright), in the compare
 * window's panel at 900 x 600 (rotated, the difference under them) and on
 * a 1280 x 800 screen, apart from every other label. */
static void
test_compare_difference_labels (void)
{
  static const double sizes[][2] = { { 0, 0 }, { 645, 548 }, { 945, 708 } };
  AttnExample *his = attn_document_find_example (pronouns, "author-his", NULL);
  AttnExample *her = attn_document_find_example (pronouns, "author-her", NULL);
  g_autoptr(AttnFigure) fig = build_his_her ();
  guint n = attn_example_get_n_tokens (her), focus = attn_example_get_focus (her);
  guint author = 2;   /* [CLS] the author talked … */

  g_assert_cmpstr (attn_example_get_token (her, focus), ==, "her");
  g_assert_cmpstr (attn_example_get_token (his, focus), ==, "his");
  g_assert_cmpstr (attn_example_get_token (her, author), ==, "author");
  g_assert_cmpstr (attn_example_get_token (his, author), ==, "author");
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(AttnFigure) at = sizes[s][0] > 0. ? attn_figure_new_at_size (fig, sizes[s][0], sizes[s][1])
                                                  : attn_figure_ref (fig);
      AttnRect diff, own;
      const char *text;
      double w, h;

      attn_figure_get_size (at, &w, &h);
      g_test_message ("his and her at %gx%g: %gx%g", sizes[s][0], sizes[s][1], w, h);
      assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
      g_assert_true (find_block_cell (at, "Attention flow: author-her minus author-his", &diff));
      g_assert_cmpuint (block_column_labels (at, &diff, n, focus, &text), >=, 3);
      g_assert_cmpstr (text, ==, "her/his");
      block_column_labels (at, &diff, n, author, &text);
      g_assert_cmpstr (text, ==, "author");
      g_assert_true (find_block_cell (at, "author-her", &own));
      block_column_labels (at, &own, n, focus, &text);
      g_assert_cmpstr (text, ==, "her");
    }
}

/* The difference block of @fig named @name labels, first, the columns
 * where the tokens of @subtracted and @ex differ ("small/big") and the
 * column of its strongest cell (the difference of trophy-small and
 * trophy-big at 900 x 600 labelled "," and "fit", not big/small, where the
 * strongest cell was) */
static void
assert_difference_labelled (AttnFigure  *fig,
                            const char  *name,
                            AttnExample *subtracted,
                            AttnExample *ex)
{
  guint n = attn_example_get_n_tokens (ex), L = attn_example_get_n_layers (ex);
  guint strongest = G_MAXUINT, differing = 0;
  double max = 0.;
  const char *text;
  AttnRect diff;

  g_assert_true (find_block_cell (fig, name, &diff));
  for (guint l = 1; l <= L; l++)
    for (guint k = 0; k < n; k++)
      {
        double x = diff.x + (k + 0.5) * diff.width, y = diff.y - (l - 1 - 0.5) * diff.height, v;
        guint layer, position;

        g_assert_true (attn_figure_hit_cell (fig, x, y, &layer, &position, &v, NULL));
        g_assert_cmpuint (layer, ==, l);
        g_assert_cmpuint (position, ==, k);
        if (fabs (v) > max)
          {
            max = fabs (v);
            strongest = k;
          }
      }
  g_assert_cmpuint (strongest, <, n);
  block_column_labels (fig, &diff, n, strongest, &text);
  g_test_message ("%s: strongest at %u (%g), labelled %s", name, strongest, max, text);
  g_assert_nonnull (text);
  for (guint k = 0; k < n; k++)
    {
      const char *own = attn_example_get_token (ex, k), *other = attn_example_get_token (subtracted, k);
      g_autofree char *both = g_strdup_printf ("%s/%s", own, other);

      if (g_strcmp0 (own, other) == 0)
        continue;
      differing++;
      block_column_labels (fig, &diff, n, k, &text);
      g_assert_cmpstr (text, ==, both);
    }
  g_assert_cmpuint (differing, >, 0);
}

/* trophy-small and trophy-big compared (flow) in the compare window at
 * 900 x 600 (its panel 645 x 548, or the figure 645 x 695 tall with its
 * antecedent section), on a 1280 x 800 screen and at the figure's size; so
 * are author-her and author-his */
static void
test_compare_difference_labels_first (void)
{
  static const double sizes[][2] = { { 0, 0 }, { 645, 548 }, { 645, 695 }, { 945, 708 } };
  AttnExample *big = attn_document_find_example (pronouns, "trophy-big", NULL);
  AttnExample *small = attn_document_find_example (pronouns, "trophy-small", NULL);
  g_autoptr(AttnFigure) fig = build_pair ("trophy-big", "trophy-small");
  g_autoptr(AttnFigure) his_her = build_his_her ();

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(AttnFigure) at = sizes[s][0] > 0. ? attn_figure_new_at_size (fig, sizes[s][0], sizes[s][1])
                                                  : attn_figure_ref (fig);
      g_autoptr(AttnFigure) at_his = sizes[s][0] > 0. ? attn_figure_new_at_size (his_her, sizes[s][0], sizes[s][1])
                                                      : attn_figure_ref (his_her);
      double w, h;

      attn_figure_get_size (at, &w, &h);
      g_test_message ("trophies at %gx%g: %gx%g", sizes[s][0], sizes[s][1], w, h);
      assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
      assert_difference_labelled (at, "Attention flow: trophy-small minus trophy-big", big, small);
      assert_difference_labelled (at_his, "Attention flow: author-her minus author-his",
                                  attn_document_find_example (pronouns, "author-his", NULL),
                                  attn_document_find_example (pronouns, "author-her", NULL));
    }
}

/* The lowest edge of the first title label of @fig with @index (an
 * example's column head: its index is the example's, from 1) */
static double
head_bottom (AttnFigure *fig,
             guint       index,
             double     *height)
{
  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *label = attn_figure_get_label (fig, i);

      if (label->kind == ATTN_LABEL_TITLE && label->index == index)
        {
          *height = label->box.height;
          return label->box.y + label->box.height;
        }
    }
  g_assert_not_reached ();
}

/* Compared examples of different lengths, whose heads wrap to different
 * numbers of lines (cat-mat's, over 15 columns, on one line; rabbit-turtle's,
 * over 11, on two): each head sits on its example's block, as far from it
 * as the other (the shorter head, hung from the top, left a line's blank
 * band between it and its block), the blocks' rows still level with each
 * other; in a panel and at the figure's own size, and the antecedent
 * section's heads (ball-styrofoam's, longer, on two lines) on their panels */
static void
test_compare_heads (void)
{
  static const char *pairs[][2] = { { "cat-mat", "rabbit-turtle" }, { "ball-steel", "ball-styrofoam" } };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  guint uneven = 0;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_COMPARE;
  settings.method = ATTN_METHOD_ROLLOUT;
  for (guint p = 0; p < G_N_ELEMENTS (pairs); p++)
    {
      AttnDocument *doc = p == 0 ? bert : pronouns;
      AttnFigureInput inputs[2] = {
        { attn_document_find_example (doc, pairs[p][0], NULL), "a.json" },
        { attn_document_find_example (doc, pairs[p][1], NULL), "a.json" },
      };
      GError *error = NULL;
      g_autoptr(AttnFigure) fig = attn_figure_build (inputs, 2, &settings, &style, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (attn_example_get_n_tokens (inputs[0].example), !=,
                        attn_example_get_n_tokens (inputs[1].example));
      for (guint s = 0; s < 3; s++)
        {
          g_autoptr(AttnFigure) at = s == 0 ? attn_figure_ref (fig) : attn_figure_new_at_size (fig, s == 1 ? 1000. : 700.,
                                                                                                600.);
          double h0, h1, bottom0 = head_bottom (at, 1, &h0), bottom1 = head_bottom (at, 2, &h1);
          AttnRect cell0, cell1;

          guint top = attn_example_get_n_layers (inputs[0].example);

          g_assert_true (attn_figure_get_cell (at, 0, top, 0, &cell0));
          g_assert_true (attn_figure_get_cell (at, 1, top, 0, &cell1));
          g_test_message ("%s, %s (%u): heads %g and %g high, their blocks' rows %g and %g under them", pairs[p][0],
                          pairs[p][1], s, h0, h1, cell0.y - bottom0, cell1.y - bottom1);
          uneven += fabs (h0 - h1) > 1.;
          g_assert_cmpfloat (cell0.y, ==, cell1.y);
          g_assert_cmpfloat_with_epsilon (cell0.y - bottom0, cell1.y - bottom1, 0.01);
        }
      /* the antecedent section: its heads are the examples' second
       * titles of their index */
      if (p == 1)
        {
          double h0 = 0., h1 = 0., bottom[2] = { 0., 0. };
          guint seen[2] = { 0, 0 };

          for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
            {
              const AttnLabel *label = attn_figure_get_label (fig, i);

              if (label->kind == ATTN_LABEL_TITLE && (label->index == 1 || label->index == 2) &&
                  seen[label->index - 1]++ == 1)
                {
                  bottom[label->index - 1] = label->box.y + label->box.height;
                  *(label->index == 1 ? &h0 : &h1) = label->box.height;
                }
            }
          g_test_message ("antecedent heads %g and %g high, ending at %g and %g", h0, h1, bottom[0], bottom[1]);
          g_assert_cmpfloat (h1, >, h0 + 1.);
          g_assert_cmpfloat_with_epsilon (bottom[0], bottom[1], 0.01);
        }
    }
  /* the case this is about came up */
  g_assert_cmpuint (uneven, >, 0);
}

/* Pronoun resolution: the antecedents highlighted, and the compare figure's
 * antecedent panels (the paper's Figure 4) */

/* Pixels of @s in a box whose colour passes @test */
static guint
count_pixels (cairo_surface_t *s,
              double           x0,
              double           y0,
              double           x1,
              double           y1,
              gboolean       (*test) (int r, int g, int b))
{
  int stride = cairo_image_surface_get_stride (s);
  const guchar *data = cairo_image_surface_get_data (s);
  guint count = 0;

  cairo_surface_flush (s);
  for (int y = MAX (0, (int) y0); y <= (int) y1 && y < cairo_image_surface_get_height (s); y++)
    for (int x = MAX (0, (int) x0); x <= (int) x1 && x < cairo_image_surface_get_width (s); x++)
      {
        guint32 p = *(const guint32 *) (data + (gsize) y * stride + (gsize) x * 4);

        count += test ((p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff);
      }
  return count;
}

/* The light style's highlight colour (0.78, 0.08, 0.52) */
static gboolean
is_highlight (int r, int g, int b)
{
  return r > 150 && g < 90 && b > 80 && r - g > 100;
}

/* The light style's accent colour (0.85, 0.37, 0.01) */
static gboolean
is_accent (int r, int g, int b)
{
  return r > 170 && g > 60 && g < 130 && b < 60;
}

/* The accent, anti-aliased over white down to a third of it */
static gboolean
is_orange (int r, int g, int b)
{
  return r > 150 && r - b > 30;
}

/* The light style's foreground, text's ink (anti-aliased over white: a
 * third of the way to it at the most) */
static gboolean
is_dark (int r, int g, int b)
{
  return MIN (r, MIN (g, b)) < 235 && abs (r - b) < 30;
}

static guint
count_highlight (cairo_surface_t *s,
                 double           x0,
                 double           y0,
                 double           x1,
                 double           y1)
{
  return count_pixels (s, x0, y0, x1, y1, is_highlight);
}

/* In a panel whose columns are a few pixels wide, the selected and the
 * candidate columns are marked above and below their cells, which stay in
 * sight: their outlines covered them (found by QA) */
static void
test_narrow_marks (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) whole = NULL;
  g_autoptr(AttnFigure) at = NULL;
  const HeatGrid *grid;
  cairo_surface_t *image;
  const guint columns[] = { 2, 5, 7 };   /* author, sara; his, the one selected */

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.all_methods = TRUE;
  whole = build (pronouns, "author-his", &settings, &style);
  at = attn_figure_new_at_size (whole, 900, 190);
  grid = &g_array_index (at->grids, HeatGrid, 0);
  g_test_message ("columns %.1f px wide", grid->cw);
  g_assert_cmpfloat (grid->cw, <, 16.);
  g_assert_cmpint (grid->mark, ==, 7);
  image = attn_figure_render_image (at, 1., NULL);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      double x0 = grid->x + columns[i] * grid->cw, x1 = x0 + grid->cw - 1.;
      double y1 = grid->y + grid->n_rows * grid->ch;
      gboolean (*marked) (int, int, int) = columns[i] == 7 ? is_accent : is_highlight;
      guint cells = count_pixels (image, x0, grid->y + 1., x1, y1 - 2., marked);
      guint above = count_pixels (image, x0, grid->y - 4., x1, grid->y - 1., marked);
      guint below = count_pixels (image, x0, y1 + 1., x1, y1 + 4., marked);

      g_test_message ("column %u: %u marked pixels on its cells, %u above, %u below", columns[i], cells, above,
                      below);
      g_assert_cmpuint (cells, ==, 0);
      g_assert_cmpuint (above, >, 0);
      g_assert_cmpuint (below, >, 0);
    }
  cairo_surface_destroy (image);

  /* a candidate selected: its candidate's mark above, the selection's
   * below (the selection's hid the other) */
  {
    g_autoptr(AttnFigure) selected = NULL;
    g_autoptr(AttnFigure) low = NULL;
    double x0, x1, y1;

    settings.position = 5;
    selected = build (pronouns, "author-his", &settings, &style);
    low = attn_figure_new_at_size (selected, 900, 190);
    grid = &g_array_index (low->grids, HeatGrid, 0);
    g_assert_cmpint (grid->mark, ==, 5);
    g_assert_cmpfloat (grid->cw, <, 16.);
    image = attn_figure_render_image (low, 1., NULL);
    x0 = grid->x + 5 * grid->cw;
    x1 = x0 + grid->cw - 1.;
    y1 = grid->y + grid->n_rows * grid->ch;
    g_assert_cmpuint (count_pixels (image, x0, grid->y - 4., x1, grid->y - 1., is_highlight), >, 0);
    g_assert_cmpuint (count_pixels (image, x0, y1 + 1., x1, y1 + 4., is_accent), >, 0);
    cairo_surface_destroy (image);
  }
}

/* The rows of @s from @y0 to @y1 (device pixels) in columns @x0 to @x1:
 * the last holding a pixel that passes @test before a row that holds
 * one of the foreground's (dark) ink, and that first row of ink; -1 where
 * there is none */
static void
mark_and_ink_rows (cairo_surface_t *s,
                   int              x0,
                   int              x1,
                   int              y0,
                   int              y1,
                   gboolean       (*test) (int r, int g, int b),
                   int             *mark,
                   int             *ink)
{
  *mark = *ink = -1;
  for (int y = y0; y <= y1 && *ink < 0; y++)
    {
      if (count_pixels (s, x0, y, x1, y, test) > 0)
        *mark = y;
      if (count_pixels (s, x0, y, x1, y, is_dark) > 0)
        *ink = y;
    }
}

/* In columns narrower than the outlines' (a panel's all three methods),
 * the selected column's mark under its cells stays a pixel clear of its
 * rotated token label: 2.5 px high, it touched the top of [CLS]'s bracket
 * (a pixel apart, their anti-aliased edges met in one row). Measured at
 * 4x: the rows between the mark's last and the label's first ink, 1.5
 * figure pixels or more */
static void
test_narrow_mark_clear (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) whole = NULL;
  const double scale = 4.;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.all_methods = TRUE;
  whole = build (bert, "cat-mat", &settings, &style);
  for (guint size = 0; size < 2; size++)
    {
      g_autoptr(AttnFigure) at = attn_figure_new_at_size (whole, size == 0 ? 609 : 900, size == 0 ? 165 : 190);
      cairo_surface_t *image = attn_figure_render_image (at, scale, NULL);

      for (guint g = 0; g < at->grids->len; g++)
        {
          const HeatGrid *grid = &g_array_index (at->grids, HeatGrid, g);
          double bottom = grid->y + grid->n_rows * grid->ch, label_end = 0.;
          int mark, ink;

          g_assert_cmpint (grid->mark, ==, 0);
          g_assert_cmpfloat (grid->cw, <, 16.);
          for (guint i = 0; i < attn_figure_get_n_labels (at); i++)
            {
              const AttnLabel *label = attn_figure_get_label (at, i);

              if (label->kind == ATTN_LABEL_TOKEN_BOTTOM && label->index == 0 && label->box.x >= grid->x - 16. &&
                  label->box.x < grid->x + grid->cw && label->box.y >= bottom)
                label_end = label->box.y + label->box.height;
            }
          g_assert_cmpfloat (label_end, >, bottom);
          /* the column's middle, clear of its neighbours' edges */
          mark_and_ink_rows (image, (int) ceil (grid->x * scale) + 1, (int) floor ((grid->x + grid->cw) * scale) - 2,
                             (int) ceil ((bottom + 0.5) * scale) + 1, (int) (label_end * scale), is_orange, &mark, &ink);
          g_test_message ("%gx%g, block %u: cells down to %g, mark to %g, [CLS] from %g: %g px clear", at->width,
                          at->height, g, bottom, (mark + 1) / scale, ink / scale, (ink - mark - 1) / scale);
          g_assert_cmpint (mark, >, 0);
          g_assert_cmpint (ink, >, mark);
          g_assert_cmpfloat ((ink - mark - 1) / scale, >=, 1.5);
        }
      cairo_surface_destroy (image);
    }
}

/* A graph of a layer or two at its natural size (render's default) keeps
 * its colour bar's label, wrapped along the short bar, clear of the rest:
 * it was left out, and the colours meant nothing */
static void
test_short_range_scale_label (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;

  attn_figure_style_init (&style, FALSE);
  settings.last_layer = 6;
  for (guint first = 5; first <= 6; first++)
    for (guint method = 0; method < ATTN_N_METHODS; method++)
      for (guint exclude = 0; exclude <= 1; exclude++)
        {
          g_autoptr(AttnFigure) fig = NULL;
          double w, h;

          settings.first_layer = first;
          settings.method = method;
          style.exclude_special = exclude;
          fig = build (pronouns, "author-his", &settings, &style);
          attn_figure_get_size (fig, &w, &h);
          g_test_message ("layers %u-6, %s%s: %gx%g", first, attn_method_get_name (method),
                          exclude ? ", special tokens left out" : "", w, h);
          g_assert_cmpuint (count_labels (fig, ATTN_LABEL_SCALE), ==, 1);
          assert_labels_fit (attn_figure_get_n_labels (fig), figure_label, fig, w, h);
        }
}

/* A candidate selected in columns wide enough to be outlined: the
 * selection's solid outline shows down both its sides, the candidate's
 * dashes above and below it (the dashed outline hid the selection's sides) */
static void
test_selected_candidate_outline (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  const HeatGrid *grid;
  cairo_surface_t *image;
  double left, right, top, bottom;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.position = 5;   /* sara, a candidate */
  fig = build (pronouns, "author-his", &settings, &style);
  grid = &g_array_index (fig->grids, HeatGrid, 0);
  g_assert_cmpint (grid->mark, ==, 5);
  g_assert_cmpuint (grid->n_highlight, ==, 2);
  g_assert_cmpfloat (grid->cw, >=, 16.);
  image = attn_figure_render_image (fig, 1., NULL);
  left = grid->x + 5 * grid->cw;
  right = left + grid->cw;
  top = grid->y;
  bottom = grid->y + grid->n_rows * grid->ch;
  {
    guint l = count_pixels (image, left + 1., top + 4., left + 4., bottom - 4., is_accent);
    guint r = count_pixels (image, right - 4., top + 4., right - 1., bottom - 4., is_accent);
    guint dashes = count_pixels (image, left, top - 4., right, top - 1., is_highlight) +
                   count_pixels (image, left, bottom + 1., right, bottom + 4., is_highlight);

    g_test_message ("selection's sides: %u and %u accent pixels; %u dashed above and below", l, r, dashes);
    g_assert_cmpfloat (l, >=, bottom - top - 8.);
    g_assert_cmpfloat (r, >=, bottom - top - 8.);
    g_assert_cmpuint (dashes, >, 10);
  }
  cairo_surface_destroy (image);
}

/* A dashed ring in the highlight colour round author-his's antecedents'
 * nodes (author, 2, and sara, 5) on the row of @layer, round no other */
static void
assert_antecedent_rings (AttnFigure *graph,
                         guint       layer)
{
  cairo_surface_t *image = attn_figure_render_image (graph, 2., NULL);
  double xo, yo;
  AttnGraphLayout *layout = attn_figure_get_graph_layout (graph, 0, &xo, &yo);
  double r = attn_graph_layout_get_node_radius (layout);

  for (guint p = 0; p < 11; p++)
    {
      double x, y;
      guint count;

      attn_graph_layout_get_node (layout, layer, p, &x, &y);
      x += xo;
      y += yo;
      count = count_highlight (image, 2 * (x - r - 5), 2 * (y - r - 5), 2 * (x + r + 5), 2 * (y + r + 5));
      if (p == 2 || p == 5)
        g_assert_cmpuint (count, >, 10);
      else
        g_assert_cmpuint (count, ==, 0);
    }
  cairo_surface_destroy (image);
}

static void
test_antecedents_highlighted (void)
{
  AttnExample *ex = attn_document_find_example (pronouns, "author-his", NULL);
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) heatmap = NULL;
  g_autoptr(AttnFigure) graph = NULL;
  cairo_surface_t *image;
  double col_x[11] = { 0 }, row_top = G_MAXDOUBLE, row_bottom = 0., cw;
  guint highlighted = 0;

  /* author (2) and sara (5) */
  g_assert_cmpuint (attn_example_get_n_antecedents (ex), ==, 2);
  attn_figure_style_init (&style, FALSE);

  /* heatmap: their token labels in the highlight colour, their columns outlined */
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.position = ATTN_POSITION_FOCUS;
  heatmap = build (pronouns, "author-his", &settings, &style);
  /* the caption says what the dashed outlines are (nothing did); an
   * example without antecedents does not */
  g_assert_true (g_str_has_suffix (attn_figure_get_caption (heatmap), " · example author-his · dashed: the candidate antecedents"
                                   " · model: sentence-transformers/all-MiniLM-L6-v2"));
  {
    g_autoptr(AttnFigure) plain = build (bert, "cat-mat", &settings, &style);

    g_assert_null (strstr (attn_figure_get_caption (plain), "dashed"));
  }
  for (guint i = 0; i < attn_figure_get_n_labels (heatmap); i++)
    {
      const AttnLabel *label = attn_figure_get_label (heatmap, i);
      gboolean antecedent = label->kind == ATTN_LABEL_TOKEN_BOTTOM && (label->index == 2 || label->index == 5);

      g_assert_cmpint (attn_figure_label_is_highlighted (heatmap, i), ==, antecedent);
      highlighted += antecedent;
      if (label->kind == ATTN_LABEL_TOKEN_BOTTOM)
        col_x[label->index] = label->box.x + label->box.width / 2;
      else if (label->kind == ATTN_LABEL_LAYER)
        {
          row_top = MIN (row_top, label->box.y);
          row_bottom = MAX (row_bottom, label->box.y + label->box.height);
        }
    }
  g_assert_cmpuint (highlighted, ==, 2);
  cw = col_x[1] - col_x[0];
  g_assert_cmpfloat (cw, >, 10.);
  image = attn_figure_render_image (heatmap, 2., NULL);
  for (guint k = 0; k < 11; k++)
    {
      /* the left edge of column k, at 2x */
      double left = 2 * (col_x[k] - cw / 2);
      guint count = count_highlight (image, left - 2, 2 * row_top, left + 5, 2 * row_bottom);

      if (k == 2 || k == 5 || k == 3 || k == 6)
        continue;  /* the antecedents, and the columns right of them (their right edges) */
      g_assert_cmpuint (count, ==, 0);
    }
  g_assert_cmpuint (count_highlight (image, 2 * (col_x[2] - cw / 2) - 2, 2 * row_top,
                                     2 * (col_x[2] - cw / 2) + 5, 2 * row_bottom), >, 20);
  g_assert_cmpuint (count_highlight (image, 2 * (col_x[5] - cw / 2) - 2, 2 * row_top,
                                     2 * (col_x[5] - cw / 2) + 5, 2 * row_bottom), >, 20);
  cairo_surface_destroy (image);

  /* graph, un-clicked: a dashed ring round the antecedents' input nodes only */
  settings.kind = ATTN_FIGURE_GRAPH;
  settings.method = ATTN_METHOD_RAW;
  settings.position = ATTN_POSITION_NONE;
  graph = build (pronouns, "author-his", &settings, &style);
  assert_antecedent_rings (graph, 0);
  check_saved (graph, "graph-antecedents");

  /* layers 5-6 shown: the rings go round the bottom row, layer 4's nodes,
   * as the caption's “dashed: the candidate antecedents” says */
  settings.first_layer = 5;
  settings.last_layer = 6;
  g_clear_pointer (&graph, attn_figure_unref);
  graph = build (pronouns, "author-his", &settings, &style);
  g_assert_nonnull (strstr (attn_figure_get_caption (graph), "dashed: the candidate antecedents"));
  assert_antecedent_rings (graph, 4);
}

/* author-his and author-her with a masked-LM-like prediction each */
static AttnDocument *
pronouns_with_predictions (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                 "pronouns-minilm.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonArray *examples, *kept = json_array_new ();
  JsonNode *root;
  AttnDocument *doc;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  root = json_parser_get_root (parser);
  examples = json_object_get_array_member (json_node_get_object (root), "examples");
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *example = json_array_get_object_element (examples, i);
      JsonBuilder *b = json_builder_new ();
      double his = i == 0 ? 0.71 : 0.22;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, i == 0 ? "his" : "her");
      json_builder_set_member_name (b, "candidates");
      json_builder_begin_array (b);
      for (guint c = 0; c < 2; c++)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "label");
          json_builder_add_string_value (b, c == 0 ? "his" : "her");
          json_builder_set_member_name (b, "probability");
          json_builder_add_double_value (b, c == 0 ? his : 1. - his);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      json_object_set_member (example, "prediction", json_builder_get_root (b));
      g_object_unref (b);
      json_array_add_element (kept, json_node_copy (json_array_get_element (examples, i)));
    }
  json_object_set_array_member (json_node_get_object (root), "examples", kept);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  doc = attn_document_load_from_data (text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  return doc;
}

/* @value is printed in @fig to three significant digits (".0285", not
 * ".03": the candidates of a pronoun often differ in the third) */
static void
assert_value_printed (AttnFigure *fig,
                      double      value)
{
  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *label = attn_figure_get_label (fig, i);
      g_autofree char *number = NULL;

      if (label->kind != ATTN_LABEL_VALUE)
        continue;
      number = g_strconcat ("0", label->text, NULL);
      if (fabs (g_ascii_strtod (number, NULL) - value) <= 0.005 * value)
        return;
    }
  g_error ("%g is not printed to three significant digits", value);
}

static void
test_compare_antecedents (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput inputs[2] = {
    { attn_document_find_example (pronouns, "author-his", NULL), "pronouns-minilm.json" },
    { attn_document_find_example (pronouns, "author-her", NULL), "pronouns-minilm.json" },
  };
  g_autoptr(AttnGraphSettings) graph_settings = attn_graph_settings_new (0.5, ATTN_HEAD_MIX_MEAN, NULL, NULL);
  g_autoptr(AttnAntecedents) core = NULL;
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(AttnFigure) bars = NULL;
  g_autoptr(AttnFigure) none = NULL;
  g_autoptr(AttnFigure) kinds = NULL;
  g_autoptr(AttnDocument) predicted = NULL;
  GError *error = NULL;
  double section_y = 0., fig_w, fig_h, panel_y = 0.;
  guint n_bars = 0, n_panels = 0, n_rows = 0;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_COMPARE;
  settings.all_methods = TRUE;
  fig = attn_figure_build (inputs, 2, &settings, &style, NULL, &error);
  g_assert_no_error (error);

  /* the panel's values are the core's antecedent values, example by example */
  core = attn_antecedents_run (pronouns, graph_settings, ATTN_CORRELATION_ALL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint e = 0; e < 2; e++)
    {
      g_assert_true (attn_antecedents_get_example (core, e) == inputs[e].example);
      for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
        {
          guint first = 0, n_layers = 0, k = 0;
          const double *panel = attn_figure_get_antecedent_values (fig, e, m, &first, &n_layers, &k);
          const double *want = attn_antecedents_get_values (core, e, m);

          g_assert_nonnull (panel);
          g_assert_cmpuint (first, ==, 1);
          g_assert_cmpuint (n_layers, ==, 6);
          g_assert_cmpuint (k, ==, 2);
          for (guint i = 0; i < n_layers * k; i++)
            {
              g_assert_cmpfloat_with_epsilon (panel[i], want[i], 1e-12);
              assert_value_printed (fig, want[i]);
            }
        }
    }
  attn_figure_get_size (fig, &fig_w, &fig_h);
  assert_labels_fit (attn_figure_get_n_labels (fig), figure_label, fig, fig_w, fig_h);
  check_saved (fig, "compare-antecedents");
  /* a cell of a comparison names its example and method (its tooltip
   * said the method alone) */
  {
    AttnRect cell;

    g_assert_true (attn_figure_get_cell (fig, 1, 6, 0, &cell));
    g_assert_cmpstr (attn_figure_get_block_at (fig, cell.x + 1., cell.y + 1.), ==, "author-her — Raw attention");
  }
  /* a panel's cell is of its candidate's input position (“author” 2, “sara”
   * 5), not of its column (the tooltip said “author” (position 0)) */
  for (guint g = 0; g < attn_figure_get_n_grids (fig); g++)
    {
      AttnRect cell;

      if (!attn_figure_get_cell (fig, g, 6, 1, &cell) || attn_figure_get_cell (fig, g, 6, 2, &cell))
        continue;
      for (guint column = 0; column < 2; column++)
        {
          guint layer, position;
          const char *token;

          g_assert_true (attn_figure_get_cell (fig, g, 6, column, &cell));
          g_assert_true (attn_figure_hit_cell (fig, cell.x + cell.width / 2, cell.y + cell.height / 2, &layer,
                                               &position, NULL, &token));
          g_assert_cmpuint (layer, ==, 6);
          g_assert_cmpstr (token, ==, position == 2 ? "author" : position == 5 ? "sara" : "?");
          n_panels++;
        }
    }
  g_assert_cmpuint (n_panels, ==, 2 * 2 * ATTN_N_METHODS);
  n_panels = 0;
  /* laid out in a box: its rows of panels, one per method, fit in it too */
  {
    g_autoptr(AttnFigure) at = attn_figure_new_at_size (fig, 1600, 1000);
    double w, h;

    attn_figure_get_size (at, &w, &h);
    g_test_message ("in 1600 x 1000: %g x %g", w, h);
    g_assert_cmpfloat (h, <=, 1001.);
    assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
  }

  /* with predictions: the bars beside the panels, as in Figure 4 */
  predicted = pronouns_with_predictions ();
  inputs[0].example = attn_document_get_example (predicted, 0);
  inputs[1].example = attn_document_get_example (predicted, 1);
  settings.all_methods = FALSE;
  settings.method = ATTN_METHOD_FLOW;
  bars = attn_figure_build (inputs, 2, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (attn_figure_get_antecedent_values (bars, 1, ATTN_METHOD_FLOW, NULL, NULL, NULL));
  g_assert_null (attn_figure_get_antecedent_values (bars, 1, ATTN_METHOD_RAW, NULL, NULL, NULL));
  for (guint i = 0; i < attn_figure_get_n_labels (bars); i++)
    {
      const AttnLabel *label = attn_figure_get_label (bars, i);

      if (label->kind == ATTN_LABEL_TITLE && g_str_has_prefix (label->text, "The pronoun’s importance"))
        section_y = label->box.y;
      else if (label->kind == ATTN_LABEL_PREDICTION && section_y > 0. && label->box.y > section_y)
        n_bars++;
    }
  /* his, her and their probabilities, for each of the two examples */
  g_assert_cmpfloat (section_y, >, 0.);
  g_assert_cmpuint (n_bars, ==, 8);
  attn_figure_get_size (bars, &fig_w, &fig_h);
  assert_labels_fit (attn_figure_get_n_labels (bars), figure_label, bars, fig_w, fig_h);

  /* under every weight kind: a row of panels each, the examples' panels
   * in it lined up */
  inputs[0].example = attn_document_find_example (pronouns, "author-his", NULL);
  inputs[1].example = attn_document_find_example (pronouns, "author-her", NULL);
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.weight_kinds = (1u << ATTN_N_WEIGHT_KINDS) - 1;
  kinds = attn_figure_build (inputs, 2, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  for (guint g = 0; g < attn_figure_get_n_grids (kinds); g++)
    {
      AttnRect cell;

      /* the panels' grids: a column per candidate */
      if (!attn_figure_get_cell (kinds, g, 6, 1, &cell) || attn_figure_get_cell (kinds, g, 6, 2, &cell))
        continue;
      n_panels++;
      if (n_panels == 1 || fabs (cell.y - panel_y) > 0.5)
        n_rows++;
      panel_y = cell.y;
    }
  g_assert_cmpuint (n_panels, ==, 2 * ATTN_N_WEIGHT_KINDS);
  g_assert_cmpuint (n_rows, ==, ATTN_N_WEIGHT_KINDS);
  settings.weight_kinds = 0;

  /* examples without antecedents: no panel */
  inputs[0].example = attn_document_find_example (sst2, "sst2-0551", NULL);
  inputs[1].example = attn_document_find_example (sst2, "sst2-1125", NULL);
  none = attn_figure_build (inputs, 2, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (attn_figure_get_antecedent_values (none, 0, ATTN_METHOD_FLOW, NULL, NULL, NULL));
}

/* Long inputs: rotated, thinned labels still fit and never overlap. */
static void
test_long_input_labels (void)
{
  const guint L = 4;

  for (guint n = 40; n <= 160; n += 60)
    {
      g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
      g_autofree double *att = g_new (double, (gsize) L * n * n);
      g_autoptr(AttnExample) ex = NULL;
      AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
      AttnFigureStyle style;
      GError *error = NULL;

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (tokens, g_strdup_printf (i % 5 ? "w%u" : "Ġsupercalifragilistic%u", i));
      g_ptr_array_add (tokens, NULL);
      for (gsize i = 0; i < (gsize) L * n * n; i++)
        att[i] = 1. / n;
      ex = attn_example_new_from_doubles ("long", (const char * const *) tokens->pdata, L, 1, att, &error);
      g_assert_no_error (error);
      attn_figure_style_init (&style, FALSE);
      style.show_values = TRUE;

      for (guint kind = 0; kind < 3; kind++)
        {
          AttnFigureInput inputs[2] = { { ex, NULL }, { ex, NULL } };
          g_autoptr(AttnFigure) fig = NULL;
          double w, h;

          settings.kind = kind;
          settings.all_methods = kind != ATTN_FIGURE_GRAPH;
          settings.method = ATTN_METHOD_ROLLOUT;
          fig = attn_figure_build (inputs, kind == ATTN_FIGURE_COMPARE ? 2 : 1, &settings, &style, NULL, &error);
          g_assert_no_error (error);
          attn_figure_get_size (fig, &w, &h);
          g_test_message ("n = %u, kind %u: %gx%g, %u labels", n, kind, w, h, attn_figure_get_n_labels (fig));
          assert_labels_fit (attn_figure_get_n_labels (fig), figure_label, fig, w, h);
        }
    }
}

/* The grids of @fig that show every column of @ex, each with a label at
 * its focus and antecedent columns, and its first and last (as the graph:
 * the last went where the labels were thinned); returns how many of them
 * label fewer columns than they have */
static guint
assert_marked_labels (AttnFigure  *fig,
                      AttnExample *ex,
                      guint        n_grids)
{
  guint n = attn_example_get_n_tokens (ex), L = attn_example_get_n_layers (ex);
  guint marked[10], n_marked = 0, full = 0, thinned = 0;
  AttnRect cell;

  marked[n_marked++] = 0;
  marked[n_marked++] = n - 1;
  marked[n_marked++] = attn_example_get_focus (ex);
  for (guint a = 0; a < attn_example_get_n_antecedents (ex); a++)
    marked[n_marked++] = attn_example_get_antecedents (ex)[a];
  for (guint g = 0; g < attn_figure_get_n_grids (fig); g++)
    {
      AttnRect first, last;
      guint shown = 0;

      if (!attn_figure_get_cell (fig, g, L, n - 1, &last) || attn_figure_get_cell (fig, g, L, n, &cell))
        continue;
      g_assert_true (attn_figure_get_cell (fig, g, L, 0, &first));
      full++;
      for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
        {
          const AttnLabel *label = attn_figure_get_label (fig, i);
          double cx = label->box.x + label->box.width / 2;

          shown += label->kind == ATTN_LABEL_TOKEN_BOTTOM && cx > first.x && cx < last.x + last.width
                   && label->box.y > first.y;
        }
      thinned += shown < n;
      for (guint m = 0; m < n_marked; m++)
        {
          gboolean found = FALSE;

          g_assert_true (attn_figure_get_cell (fig, g, L, marked[m], &cell));
          for (guint i = 0; i < attn_figure_get_n_labels (fig) && !found; i++)
            {
              const AttnLabel *label = attn_figure_get_label (fig, i);
              double cx = label->box.x + label->box.width / 2;

              /* on its column, or pushed aside by its neighbours' labels */
              found = label->kind == ATTN_LABEL_TOKEN_BOTTOM && label->index == marked[m]
                      && fabs (cx - (cell.x + cell.width / 2)) <= n_marked * label->box.width
                      && label->box.y > cell.y;
            }
          if (!found)
            g_error ("grid %u: no label under column %u “%s”", g, marked[m],
                     attn_example_get_token (ex, marked[m]));
        }
    }
  g_assert_cmpuint (full, ==, n_grids);
  return thinned;
}

/* Narrow heatmap and compare figures leave column labels out, but never
 * those of the pronoun and its candidate antecedents */
static void
test_marked_labels (void)
{
  static const double sizes[][2] = { { 260, 420 }, { 330, 300 }, { 420, 500 } };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput inputs[2] = {
    { attn_document_find_example (pronouns, "trophy-big", NULL), "pronouns-minilm.json" },
    { attn_document_find_example (pronouns, "trophy-small", NULL), "pronouns-minilm.json" },
  };
  guint thinned = 0;

  attn_figure_style_init (&style, FALSE);
  /* the pronoun “it” (11), “trophy” (2) and “suitcase” (9) */
  g_assert_cmpuint (attn_example_get_focus (inputs[0].example), ==, 11);
  g_assert_cmpuint (attn_example_get_n_antecedents (inputs[0].example), ==, 2);
  for (guint kind = 0; kind < 2; kind++)
    {
      g_autoptr(AttnFigure) fig = NULL;
      GError *error = NULL;

      settings.kind = kind == 0 ? ATTN_FIGURE_HEATMAP : ATTN_FIGURE_COMPARE;
      settings.all_methods = TRUE;
      settings.position = ATTN_POSITION_FOCUS;
      fig = attn_figure_build (inputs, kind + 1, &settings, &style, NULL, &error);
      g_assert_no_error (error);
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          g_autoptr(AttnFigure) at = attn_figure_new_at_size (fig, sizes[s][0], sizes[s][1]);
          double w, h;

          attn_figure_get_size (at, &w, &h);
          assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
          /* three methods; compare: three for each example, and three differences */
          thinned += assert_marked_labels (at, inputs[kind].example, kind == 0 ? 3 : 9);
          if (kind == 1)
            assert_marked_labels (at, inputs[0].example, 9);
        }
    }
  /* the sizes are narrow enough to leave labels out */
  g_assert_cmpuint (thinned, >=, 6);
}

/* An input of @n tokens and @n_layers layers of one head, a word a token,
 * each token attending to itself and evenly to all */
static AttnExample *
long_example (guint n,
              guint n_layers)
{
  static const char * const words[] = { "the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog" };
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *att = g_new (double, (gsize) n_layers * n * n);
  GError *error = NULL;
  AttnExample *ex;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (tokens, g_strdup (words[i % G_N_ELEMENTS (words)]));
  g_ptr_array_add (tokens, NULL);
  for (gsize i = 0; i < (gsize) n_layers * n * n; i++)
    att[i] = (i % n == i / n % n ? 0.5 : 0.) + 0.5 / n;
  ex = attn_example_new_from_doubles ("long", (const char * const *) tokens->pdata, n_layers, 1, att, &error);
  g_assert_no_error (error);
  return ex;
}

/* The rollout heatmap of long_example (@n, @n_layers) at position 45, laid
 * out at @width x @height */
static AttnFigure *
long_heatmap_at (guint  n,
                 guint  n_layers,
                 double width,
                 double height)
{
  g_autoptr(AttnExample) ex = long_example (n, n_layers);
  g_autoptr(AttnFigure) fig = NULL;
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput input = { ex, NULL };
  GError *error = NULL;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.position = 45;
  fig = attn_figure_build (&input, 1, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  return attn_figure_new_at_size (fig, width, height);
}

/* long_heatmap_at () in the heatmap panel of a 1280 x 800 window (909 x 229) */
static AttnFigure *
long_heatmap_in_panel (guint n,
                       guint n_layers)
{
  return long_heatmap_at (n, n_layers, 909, 229);
}

/* How many of @n stretches of @image (@step pixels each, along x or down
 * y) hold ink: a dark pixel */
static guint
stretches_inked (cairo_surface_t *image,
                 guint            n,
                 double           step,
                 gboolean         down)
{
  int width = cairo_image_surface_get_width (image), height = cairo_image_surface_get_height (image);
  int stride = cairo_image_surface_get_stride (image);
  const guchar *data = cairo_image_surface_get_data (image);
  guint inked = 0;

  cairo_surface_flush (image);
  for (guint k = 0; k < n; k++)
    {
      gboolean ink = FALSE;
      int from = (int) ceil (k * step) + 1, to = (int) floor ((k + 1) * step) - 1;

      for (int a = from; a < to && !ink; a++)
        for (int b = 0; b < (down ? width : height) && !ink; b++)
          {
            guint32 p = *(const guint32 *) (data + (gsize) (down ? a : b) * stride + 4 * (down ? b : a));

            ink = ((p >> 8) & 0xff) < 128;
          }
      inked += ink;
    }
  return inked;
}

/* Band @band of @fig's first block, its text at @shrink, as long as @cells
 * are wide or high, in whole pixels */
static AttnRect
band_rect (AttnFigure     *fig,
           AttnFigureBand  band,
           double          shrink,
           const AttnRect *cells)
{
  AttnRect rect;
  double x, y;

  g_assert_true (attn_figure_get_label_band (fig, 0, band, shrink, NULL, &rect));
  if (band == ATTN_FIGURE_BAND_COLUMNS)
    rect = (AttnRect) { cells->x, rect.y, cells->width, rect.height };
  else
    rect = (AttnRect) { rect.x, cells->y, rect.width, cells->height };
  x = ceil (rect.x);
  y = ceil (rect.y);
  return (AttnRect) { x, y, floor (rect.x + rect.width) - x, floor (rect.y + rect.height) - y };
}

/* Draws band @band of @fig's first block, its text at @shrink, the labels
 * that fit at @chosen, at @zoom times, the part @visible in sight: an
 * image of the band, as long as @cells are wide or high */
static cairo_surface_t *
draw_band_chosen (AttnFigure     *fig,
                  AttnFigureBand  band,
                  double          shrink,
                  double          chosen,
                  double          zoom,
                  const AttnRect *cells,
                  const AttnRect *visible)
{
  AttnRect rect = band_rect (fig, band, shrink, cells);
  cairo_surface_t *image;
  cairo_t *cr;

  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (rect.width * zoom),
                                      (int) ceil (rect.height * zoom));
  cr = cairo_create (image);
  cairo_scale (cr, zoom, zoom);
  cairo_translate (cr, -rect.x, -rect.y);
  cairo_rectangle (cr, rect.x, rect.y, rect.width, rect.height);
  cairo_clip (cr);
  attn_figure_draw_label_band (fig, 0, band, shrink, chosen, visible, cr);
  cairo_destroy (cr);
  return image;
}

/* draw_band_chosen() with as many labels as fit at @shrink */
static cairo_surface_t *
draw_band (AttnFigure     *fig,
           AttnFigureBand  band,
           double          shrink,
           double          zoom,
           const AttnRect *cells,
           const AttnRect *visible)
{
  return draw_band_chosen (fig, band, shrink, shrink, zoom, cells, visible);
}

/* @image, band @band of @fig's first block drawn alone at 1 (draw_band ()),
 * is the figure where the band lies, pixel for pixel: under the cells,
 * from the band's third row (the two over them are a candidate
 * antecedent's mark, which the band covers) */
static void
assert_band_is_figure (AttnFigure      *fig,
                       AttnFigureBand   band,
                       const AttnRect  *cells,
                       cairo_surface_t *image)
{
  int width = cairo_image_surface_get_width (image), height = cairo_image_surface_get_height (image);
  int stride = cairo_image_surface_get_stride (image);
  int from = band == ATTN_FIGURE_BAND_COLUMNS ? 2 : 0;
  AttnRect rect = band_rect (fig, band, 1., cells);
  cairo_surface_t *figure = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (figure);
  guint differ = 0;

  cairo_translate (cr, -rect.x, -rect.y);
  cairo_rectangle (cr, rect.x, rect.y, rect.width, rect.height);
  cairo_clip (cr);
  attn_figure_draw (fig, cr);
  cairo_destroy (cr);
  cairo_surface_flush (image);
  cairo_surface_flush (figure);
  for (int y = from; y < height; y++)
    differ += memcmp (cairo_image_surface_get_data (image) + (gsize) y * stride,
                      cairo_image_surface_get_data (figure) + (gsize) y * stride, (gsize) width * 4) != 0;
  g_test_message ("band %d alone: %u of its %d rows unlike the figure's", band, differ, height - from);
  g_assert_cmpuint (differ, ==, 0);
  cairo_surface_destroy (figure);
}

/* A long input's heatmap in a panel labels some of its columns and rows;
 * the bands of its labels lie under its cells and left of them, and
 * drawn with their text at 1/8 (a view zoomed in 8 times keeps their text
 * at its size) they label every column and every row, each along its
 * own; at 1, the columns the figure labels */
/* A band's text at 1/8 with the labels chosen at 1 (a view's while the
 * text shrinks): the figure's labels, no more, where at 1/8 all fit */
static void
test_heatmap_label_bands_chosen (void)
{
  g_autoptr(AttnFigure) fig = long_heatmap_in_panel (200, 12);
  guint columns = 0, rows = 0;
  cairo_surface_t *image;
  AttnRect cells;

  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      columns += attn_figure_get_label (fig, i)->kind == ATTN_LABEL_TOKEN_BOTTOM;
      rows += attn_figure_get_label (fig, i)->kind == ATTN_LABEL_LAYER;
    }
  g_test_message ("the figure labels %u of 200 columns, %u of 12 rows", columns, rows);
  g_assert_cmpuint (rows, <, 12);
  g_assert_true (attn_figure_get_label_band (fig, 0, ATTN_FIGURE_BAND_COLUMNS, 1., &cells, NULL));
  image = draw_band_chosen (fig, ATTN_FIGURE_BAND_COLUMNS, 0.125, 1., 8., &cells, NULL);
  g_assert_cmpuint (stretches_inked (image, 200, cells.width / 200 * 8., FALSE), ==, columns);
  cairo_surface_destroy (image);
  image = draw_band_chosen (fig, ATTN_FIGURE_BAND_ROWS, 0.125, 1., 8., &cells, NULL);
  g_assert_cmpuint (stretches_inked (image, 12, cells.height / 12 * 8., TRUE), ==, rows);
  cairo_surface_destroy (image);
}

static void
test_heatmap_label_bands (void)
{
  g_autoptr(AttnFigure) fig = long_heatmap_in_panel (200, 12);
  AttnRect cells, rect, small;
  guint columns = 0, rows = 0;
  cairo_surface_t *image;

  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      columns += attn_figure_get_label (fig, i)->kind == ATTN_LABEL_TOKEN_BOTTOM;
      rows += attn_figure_get_label (fig, i)->kind == ATTN_LABEL_LAYER;
    }
  g_test_message ("the figure labels %u of 200 columns, %u of 12 rows", columns, rows);
  g_assert_cmpuint (columns, <, 100);
  g_assert_cmpuint (rows, <, 12);

  /* under the cells, across them; left of them, down them */
  g_assert_true (attn_figure_get_label_band (fig, 0, ATTN_FIGURE_BAND_COLUMNS, 1., &cells, &rect));
  g_assert_cmpfloat (rect.y, >, cells.y + cells.height);
  g_assert_cmpfloat (rect.y, <=, cells.y + cells.height + 2.);
  g_assert_cmpfloat (rect.x, <=, cells.x);
  g_assert_cmpfloat (rect.x + rect.width, >=, cells.x + cells.width);
  g_assert_true (attn_figure_get_label_band (fig, 0, ATTN_FIGURE_BAND_COLUMNS, 0.125, NULL, &small));
  g_assert_cmpfloat (small.y, ==, rect.y);
  g_assert_cmpfloat (fabs (small.height - rect.height / 8), <, 1e-9);
  g_assert_true (attn_figure_get_label_band (fig, 0, ATTN_FIGURE_BAND_ROWS, 1., NULL, &rect));
  g_assert_cmpfloat (rect.x + rect.width, <=, cells.x);
  g_assert_cmpfloat (rect.x + rect.width, >=, cells.x - 2.);
  g_assert_cmpfloat (rect.y, ==, cells.y);
  g_assert_false (attn_figure_get_label_band (fig, 1, ATTN_FIGURE_BAND_ROWS, 1., NULL, &rect));

  image = draw_band (fig, ATTN_FIGURE_BAND_COLUMNS, 0.125, 8., &cells, NULL);
  g_assert_cmpuint (stretches_inked (image, 200, cells.width / 200 * 8., FALSE), ==, 200);
  cairo_surface_destroy (image);
  image = draw_band (fig, ATTN_FIGURE_BAND_ROWS, 0.125, 8., &cells, NULL);
  g_assert_cmpuint (stretches_inked (image, 12, cells.height / 12 * 8., TRUE), ==, 12);
  cairo_surface_destroy (image);
  /* at 1, the labels of the figure's columns, where it draws them */
  image = draw_band (fig, ATTN_FIGURE_BAND_COLUMNS, 1., 1., &cells, NULL);
  g_assert_cmpuint (stretches_inked (image, 200, cells.width / 200, FALSE), <, 200);
  assert_band_is_figure (fig, ATTN_FIGURE_BAND_COLUMNS, &cells, image);
  cairo_surface_destroy (image);
  image = draw_band (fig, ATTN_FIGURE_BAND_ROWS, 1., 1., &cells, NULL);
  assert_band_is_figure (fig, ATTN_FIGURE_BAND_ROWS, &cells, image);
  cairo_surface_destroy (image);
}

/* Where only the end of a column (row) past its middle is in sight, a
 * wide column's label (a high row's, zoomed in) is drawn in that end, not
 * at the middle, out of sight: on an input of 60 tokens and 2 layers,
 * band text at 1/8, column 30's right 2/5 or row 0's bottom 1/5 */
static void
test_heatmap_label_bands_cut (void)
{
  g_autoptr(AttnFigure) fig = long_heatmap_in_panel (60, 2);
  const HeatGrid *g = &g_array_index (fig->grids, HeatGrid, 0);
  AttnRect cells, rect;

  g_assert_true (attn_figure_get_label_band (fig, 0, ATTN_FIGURE_BAND_COLUMNS, 1., &cells, NULL));
  for (AttnFigureBand band = ATTN_FIGURE_BAND_ROWS; band <= ATTN_FIGURE_BAND_COLUMNS; band++)
    {
      gboolean columns = band == ATTN_FIGURE_BAND_COLUMNS;
      double start = columns ? g->x + 30 * g->cw : g->y, length = columns ? g->cw : g->ch;
      double from = start + length * (columns ? 0.6 : 0.8);
      AttnRect visible;
      cairo_surface_t *image;
      guint inside = 0, outside = 0;
      int stride, width, height;
      const guchar *data;

      rect = band_rect (fig, band, 0.125, &cells);
      visible = columns ? (AttnRect) { from, rect.y, start + length - from, rect.height }
                        : (AttnRect) { rect.x, from, rect.width, start + length - from };
      image = draw_band (fig, band, 0.125, 8., &cells, &visible);
      cairo_surface_flush (image);
      data = cairo_image_surface_get_data (image);
      stride = cairo_image_surface_get_stride (image);
      width = cairo_image_surface_get_width (image);
      height = cairo_image_surface_get_height (image);
      /* the ink along the column (row), in the end in sight or not */
      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          {
            double at = columns ? rect.x + (x + 0.5) / 8 : rect.y + (y + 0.5) / 8;
            guint32 p = *(const guint32 *) (data + (gsize) y * stride + 4 * x);

            if (((p >> 8) & 0xff) >= 128 || at < start || at >= start + length)
              continue;
            inside += at >= from;
            outside += at < from;
          }
      g_test_message ("%s cut: %u pixels of ink in the end in sight, %u before it", columns ? "column" : "row",
                      inside, outside);
      g_assert_cmpuint (inside, >, 0);
      g_assert_cmpuint (outside, ==, 0);
      cairo_surface_destroy (image);
    }
}

/* Whether the pointer at (@x, @y) of @fig finds the cell (@layer, @position) */
static gboolean
hits (AttnFigure *fig,
      double      x,
      double      y,
      guint       layer,
      guint       position)
{
  guint l, p;

  return attn_figure_hit_cell (fig, x, y, &l, &p, NULL, NULL) && l == layer && p == position;
}

/* A long input's columns fill the panel's width (in whole pixels they left
 * a third of it empty at n = 512): a panel 50 px wider gives them 50 px
 * (all but what rounding to 1/128 px leaves); contiguous, each where the
 * pointer finds it, no seams between them (its columns but the selected
 * one are of one value); a short input's columns stay whole pixels */
static void
test_heatmap_fills_width (void)
{
  static const struct
  {
    guint  n;
    double width;
    double height;
  } cases[] = { { 512, 909, 229 }, { 512, 780, 229 }, { 300, 909, 229 }, { 200, 909, 400 } };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      guint n = cases[c].n;
      g_autoptr(AttnFigure) at = long_heatmap_at (n, 12, cases[c].width, cases[c].height);
      g_autoptr(AttnFigure) wider = long_heatmap_at (n, 12, cases[c].width + 50., cases[c].height);
      AttnRect first, last, mark, cell, wider_first;
      double right, w, h, ref = -1.;
      cairo_surface_t *image;

      attn_figure_get_size (at, &w, &h);
      g_assert_true (attn_figure_get_cell (at, 0, 12, 0, &first));
      g_assert_true (attn_figure_get_cell (at, 0, 12, n - 1, &last));
      g_assert_true (attn_figure_get_cell (at, 0, 6, 45, &mark));
      g_assert_true (attn_figure_get_cell (wider, 0, 12, 0, &wider_first));
      right = last.x + last.width;
      g_test_message ("n = %u in %gx%g: %gx%g, cells %g px (%g px 50 px wider)", n, cases[c].width,
                      cases[c].height, w, h, first.width, wider_first.width);
      g_assert_cmpfloat (w, <=, cases[c].width + 0.01);
      g_assert_cmpfloat (n * (wider_first.width - first.width), >, 50. - n / 128. - 0.01);
      for (guint k = 0; k < n; k++)
        {
          g_assert_true (attn_figure_get_cell (at, 0, 12, k, &cell));
          g_assert_cmpfloat (fabs (cell.x - (first.x + k * first.width)), <, 1e-6);
          g_assert_true (hits (at, cell.x + 0.01, cell.y + cell.height / 2, 12, k));
          g_assert_true (hits (at, cell.x + cell.width - 0.01, cell.y + cell.height / 2, 12, k));
        }
      image = attn_figure_render_image (at, 1., NULL);
      for (double x = floor (first.x) + 3.5; x < right - 3.; x += 1.)
        {
          double lum;

          if (x > mark.x - 4. && x < mark.x + mark.width + 4.)
            continue;
          lum = luminance_at (image, x, mark.y + mark.height / 2);
          if (ref < 0.)
            ref = lum;
          if (fabs (lum - ref) > 2. / 255.)
            g_error ("n = %u in %gx%g: a seam at x = %g (luminance %g, not %g)", n, cases[c].width,
                     cases[c].height, x, lum, ref);
        }
      cairo_surface_destroy (image);
    }

  /* the bundled examples: whole pixels */
  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(AttnFigure) fig = build (bert, "cat-mat", &settings, &style);
      g_autoptr(AttnFigure) at = attn_figure_new_at_size (fig, cases[c].width, cases[c].height);
      AttnRect cell;

      g_assert_true (attn_figure_get_cell (at, 0, 12, 0, &cell));
      g_assert_cmpfloat (cell.width, ==, floor (cell.width));
    }
}

/* 2,048 tokens show whole in the heatmap panel, their columns under a
 * pixel: at a pixel a column the figure was wider than the panel, and the
 * view (which keeps the text readable) left the colour bar and the last
 * columns past its edge. */
static void
test_heatmap_longest_fits (void)
{
  const guint n = 2048;
  g_autoptr(AttnFigure) at = long_heatmap_at (n, 2, 909, 229);
  AttnRect first, last;
  double w, h;
  guint named = 0;

  attn_figure_get_size (at, &w, &h);
  g_assert_true (attn_figure_get_cell (at, 0, 2, 0, &first));
  g_assert_true (attn_figure_get_cell (at, 0, 2, n - 1, &last));
  g_test_message ("n = %u in 909x229: %gx%g, cells %g px", n, w, h, first.width);
  g_assert_cmpfloat (w, <=, 909.01);
  g_assert_cmpfloat (h, <=, 229.01);
  g_assert_cmpfloat (first.width, <, 1.);
  g_assert_cmpfloat (first.width, >=, 0.25);
  g_assert_cmpfloat (last.x + last.width, <=, w);

  /* in a panel too low for its title, the block names the token instead:
   * only the focus column's outline told which token it is of */
  g_clear_pointer (&at, attn_figure_unref);
  at = long_heatmap_at (n, 2, 909, 90);
  for (guint i = 0; i < attn_figure_get_n_labels (at); i++)
    {
      const AttnLabel *label = attn_figure_get_label (at, i);

      g_assert_cmpstr (label->text, !=, attn_figure_get_title (at));
      if (label->kind == ATTN_LABEL_TITLE)
        named += g_str_has_prefix (label->text, "Attention rollout for “") &&
                 g_str_has_suffix (label->text, "” (position 45)");
    }
  g_assert_cmpuint (named, ==, 1);
}

/* Columns under a pixel wide show each pixel's largest value: a 2,048-token
 * heatmap in the panel has three columns a pixel, each drawn over the one
 * before, and a single strong token (the attention sink of a decoder's last
 * token, 0.54 at the top layer while the rest are under 0.012) faded into
 * its weak neighbours, the first column under the outline too: every cell
 * looked dark. Raw attention of position 45 in viridis, one column 100
 * times stronger than the others every 101 tokens from the first; drawn at
 * scale 1 and shrunk to 0.83 between pixels, as a view shows it. */
static void
test_heatmap_narrow_columns_peak (void)
{
  const guint n = 2048, L = 2, every = 101;
  const double scales[] = { 1., 0.83 };
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *att = g_new (double, (gsize) L * n * n);
  g_autoptr(AttnExample) ex = NULL;
  g_autoptr(AttnFigure) fig = NULL, at = NULL;
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput input = { NULL, NULL };
  GError *error = NULL;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (tokens, g_strdup_printf ("w%u", i));
  g_ptr_array_add (tokens, NULL);
  /* rows summing to one: 21 peaks of 1 and 2,027 values of 0.01 */
  for (gsize i = 0; i < (gsize) L * n * n; i++)
    att[i] = (i % n % every == 0 ? 1. : 0.01) / (21. + 0.01 * 2027.);
  ex = attn_example_new_from_doubles ("peaks", (const char * const *) tokens->pdata, L, 1, att, &error);
  g_assert_no_error (error);
  input.example = ex;
  attn_figure_style_init (&style, FALSE);
  style.colormap = attn_colormap_from_name ("viridis");
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_RAW;
  settings.position = 45;
  fig = attn_figure_build (&input, 1, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  at = attn_figure_new_at_size (fig, 909, 229);
  /* as saved, and as a view shows it shrunk, its edges between pixels */
  for (guint t = 0; t < G_N_ELEMENTS (scales); t++)
    {
      double s = scales[t], shift = t > 0 ? 0.87 : 0.;
      cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 920, 240);
      cairo_t *cr = cairo_create (image);
      guint n_peaks = 0;

      cairo_translate (cr, shift, shift);
      cairo_scale (cr, s, s);
      attn_figure_draw (at, cr);
      cairo_destroy (cr);
      cairo_surface_flush (image);
      for (guint k = 0; k < n; k += every)
        for (guint l = 1; l <= L; l++)
          {
            AttnRect cell;
            double x0, x1, y;
            gboolean shown = FALSE;

            g_assert_true (attn_figure_get_cell (at, 0, l, k, &cell));
            g_assert_cmpfloat (cell.width, <, 0.5);
            x0 = shift + s * cell.x;
            x1 = shift + s * (cell.x + cell.width);
            y = shift + s * (cell.y + cell.height / 2);
            /* a whole pixel of viridis' yellow (luminance 0.87; its dark
             * end, where the peaks were lost, 0.07), not a pixel shared
             * with the outline or the background */
            for (double x = floor (x0) - 1.; x <= x1 + 1.; x += 1.)
              shown |= fabs (luminance_at (image, x, y) - 0.8698) < 0.005;
            if (!shown)
              g_test_message ("scale %g: layer %u, column %u at x = %g not shown", s, l, k, x0);
            n_peaks += shown;
          }
      cairo_surface_destroy (image);
      g_assert_cmpuint (n_peaks, ==, L * ((n - 1) / every + 1));
    }
}

/* In a wide, low panel a long sentence beside the blocks does not make the
 * figure taller than the panel: in a column a quarter of the width its 90
 * tokens wrap into a column taller than the panel, and the whole figure,
 * shrunk to fit, had rows of 2.6 px. A wider column leaves the cells 3 px
 * wide; the sentence is left out for cells of 6 px and more. A sentence of
 * 300 tokens is left out whatever the panel, and the heatmap shows whole. */
static void
test_heatmap_long_sentence (void)
{
  const guint L = 4;

  for (guint n = 90; n <= 300; n += 210)
    {
      g_autoptr(AttnFigure) at = long_heatmap_in_panel (n, L);
      AttnRect cell;
      double w, h;

      attn_figure_get_size (at, &w, &h);
      g_assert_true (attn_figure_get_cell (at, 0, L, 0, &cell));
      g_test_message ("n = %u in 909x229: %gx%g, cells %gx%g", n, w, h, cell.width, cell.height);
      assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
      /* shown at most 5 % smaller, with rows of 12 px at least, the 90
       * tokens' columns 6 px wide, the 300 tokens' 2 */
      g_assert_cmpfloat (MIN (909 / w, 229 / h), >=, 0.95);
      g_assert_cmpfloat (cell.height, >=, 12.);
      g_assert_cmpfloat (cell.width, >=, n == 90 ? 6. : 2.);
      if (n == 300)
        g_assert_cmpuint (count_labels (at, ATTN_LABEL_SENTENCE), ==, 0);
    }
}

/* In a wide, low panel a short sentence's figure has its title and caption
 * in the side column, and the blocks the whole height */
static void
test_heatmap_side_title (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput input = { attn_document_find_example (bert, "cat-mat", NULL), NULL };
  guint L = attn_example_get_n_layers (input.example), n = attn_example_get_n_tokens (input.example);
  g_autoptr(AttnFigure) fig = NULL, at = NULL;
  GError *error = NULL;
  AttnRect top, right;
  double w, h;
  guint titles = 0, captions = 0;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_ROLLOUT;
  fig = attn_figure_build (&input, 1, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  at = attn_figure_new_at_size (fig, 909, 229);
  attn_figure_get_size (at, &w, &h);
  assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
  g_assert_cmpfloat (w, <=, 910.);
  g_assert_cmpfloat (h, <=, 230.);
  g_assert_true (attn_figure_get_cell (at, 0, L, n - 1, &right));
  g_assert_true (attn_figure_get_cell (at, 0, L, 0, &top));
  g_test_message ("909x229: %gx%g, cells %gx%g, top row at %g", w, h, top.width, top.height, top.y);
  for (guint i = 0; i < attn_figure_get_n_labels (at); i++)
    {
      const AttnLabel *label = attn_figure_get_label (at, i);

      if ((label->kind == ATTN_LABEL_TITLE && g_strcmp0 (label->text, attn_figure_get_title (at)) == 0) ||
          label->kind == ATTN_LABEL_CAPTION)
        {
          g_assert_cmpfloat (label->box.x, >, right.x + right.width);
          titles += label->kind == ATTN_LABEL_TITLE;
          captions += label->kind == ATTN_LABEL_CAPTION;
        }
    }
  g_assert_cmpuint (titles, ==, 1);
  g_assert_cmpuint (captions, ==, 1);
  /* the top row right under the block's name */
  g_assert_cmpfloat (top.y, <, 40.);
  g_assert_cmpfloat (top.height, >=, 10.);

  /* a panel too low for them (a 900 x 600 window) leaves the title and the
   * caption out: the figure shows whole at its size, its rows 5 px high
   * (shrunk to fit with them, 3 px) */
  g_clear_pointer (&at, attn_figure_unref);
  at = attn_figure_new_at_size (fig, 609, 165);
  attn_figure_get_size (at, &w, &h);
  g_assert_true (attn_figure_get_cell (at, 0, L, 0, &top));
  g_test_message ("609x165: %gx%g, cells %gx%g", w, h, top.width, top.height);
  assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
  g_assert_cmpfloat (w, <=, 610.);
  g_assert_cmpfloat (h, <=, 166.);
  g_assert_cmpfloat (top.height, >=, 5.);
  for (guint i = 0; i < attn_figure_get_n_labels (at); i++)
    {
      const AttnLabel *label = attn_figure_get_label (at, i);

      g_assert_false (label->kind == ATTN_LABEL_CAPTION);
      g_assert_false (label->kind == ATTN_LABEL_TITLE && g_strcmp0 (label->text, attn_figure_get_title (at)) == 0);
    }
  g_assert_cmpuint (count_labels (at, ATTN_LABEL_SENTENCE), ==, n);
}

/* A long input (no predictions) in the heatmap panel of a 1280 x 800
 * window keeps its title and caption across the figure: its columns, a
 * pixel or two, are as wide as that panel gives them whatever is beside
 * them, so they are no reason to try the arrangement without the title and
 * the caption, whose rows are higher. The 180 tokens are tried with their
 * sentence beside the blocks first, the 512 without. */
static void
test_heatmap_long_title (void)
{
  const guint sizes[] = { 180, 512 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(AttnFigure) at = long_heatmap_in_panel (sizes[s], 12);
      AttnRect cell;
      double w, h;
      guint titles = 0;

      attn_figure_get_size (at, &w, &h);
      g_assert_true (attn_figure_get_cell (at, 0, 12, 0, &cell));
      g_test_message ("n = %u in 909x229: %gx%g, cells %gx%g", sizes[s], w, h, cell.width, cell.height);
      assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
      g_assert_cmpfloat (MIN (909 / w, 229 / h), >=, 0.95);
      g_assert_cmpfloat (cell.height, >, 4.);
      g_assert_cmpuint (count_labels (at, ATTN_LABEL_CAPTION), ==, 1);
      g_assert_true (attn_figure_get_title (at) != NULL);
      for (guint i = 0; i < attn_figure_get_n_labels (at); i++)
        {
          const AttnLabel *label = attn_figure_get_label (at, i);

          titles += label->kind == ATTN_LABEL_TITLE && g_strcmp0 (label->text, attn_figure_get_title (at)) == 0;
        }
      g_assert_cmpuint (titles, ==, 1);
    }
}

/* The largest value of @fig's first heatmap in position @k's column
 * (@own) or elsewhere, read back from its cells */
static void
heatmap_maxima (AttnFigure *fig,
                guint       k,
                double     *own,
                double     *others)
{
  AttnRect cell;

  *own = *others = 0.;
  for (guint l = 1; attn_figure_get_cell (fig, 0, l, 0, &cell); l++)
    for (guint p = 0; attn_figure_get_cell (fig, 0, l, p, &cell); p++)
      {
        double value = 0.;

        g_assert_true (attn_figure_hit_cell (fig, cell.x + cell.width / 2, cell.y + cell.height / 2,
                                             NULL, NULL, &value, NULL));
        if (p == k)
          *own = MAX (*own, value);
        else
          *others = MAX (*others, value);
      }
}

/* The first label of @kind in @fig, and how many there are */
static const AttnLabel *
first_label_of (AttnFigure    *fig,
                AttnLabelKind  kind,
                guint         *count)
{
  const AttnLabel *first = NULL;

  *count = 0;
  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *label = attn_figure_get_label (fig, i);

      if (label->kind != kind)
        continue;
      if (first == NULL)
        first = label;
      (*count)++;
    }
  return first;
}

/* The coloured sentence names the layer whose row colours it, beside its
 * first line (under the layer names) or, in a panel's side column, above
 * it; filling in, the highest layer computed. Nothing said which row it
 * was: the top one, by the README alone. */
static void
test_sentence_layer (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  const guint done[] = { 0, 5 };

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_FLOW;
  for (guint d = 0; d < G_N_ELEMENTS (done); d++)
    {
      g_autoptr(AttnFigure) fig = NULL;
      g_autoptr(AttnFigure) at = NULL;
      g_autofree char *expected = g_strdup_printf ("Layer %u", done[d] ? done[d] : 12);
      const AttnLabel *note, *word;
      guint n_notes, n_words;

      settings.layers_done = done[d];
      fig = build (bert, "cat-mat", &settings, &style);
      note = first_label_of (fig, ATTN_LABEL_NOTE, &n_notes);
      word = first_label_of (fig, ATTN_LABEL_SENTENCE, &n_words);
      g_assert_cmpuint (n_notes, ==, 1);
      g_assert_cmpuint (n_words, ==, 15);
      g_assert_cmpstr (note->text, ==, expected);
      g_assert_cmpfloat (note->box.x + note->box.width, <, word->box.x);
      g_assert_cmpfloat (fabs (note->box.y - word->box.y), <, 1.);

      at = attn_figure_new_at_size (fig, 609, 165);
      note = first_label_of (at, ATTN_LABEL_NOTE, &n_notes);
      word = first_label_of (at, ATTN_LABEL_SENTENCE, &n_words);
      g_assert_cmpuint (n_notes, ==, 1);
      g_assert_cmpuint (n_words, ==, 15);
      g_assert_cmpstr (note->text, ==, expected);
      g_assert_cmpfloat (note->box.y + note->box.height, <=, word->box.y);
      g_assert_cmpfloat (fabs (note->box.x - (word->box.x - 3.)), <, 1.);
    }
}

/* The values of a heatmap as a table to paste: a row per cell, each block's
 * layers from the first up, the numbers the golden values to 1e-9 (read
 * back from their 17 digits) */
static void
test_heatmap_values_table (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;
  const char *blocks[] = { "Raw attention", "Attention rollout", "Attention flow" };
  const char *members[] = { "raw", "rollout", "flow" };
  JsonObject *golden;
  guint row = 1;

  golden = attn_test_load_golden (parser, "bert-base-uncased.cat-mat.json");
  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.all_methods = TRUE;
  settings.position = 3;
  fig = build (bert, "cat-mat", &settings, &style);
  table = attn_figure_get_values_table (fig);
  lines = g_strsplit (table, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "block\tlayer\tindex\ttoken\tvalue");
  /* three blocks of 12 layers of 15 tokens, and the empty string after the last line break */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3 * 12 * 15 + 1);
  for (guint m = 0; m < G_N_ELEMENTS (blocks); m++)
    for (guint l = 1; l <= 12; l++)
      for (guint j = 0; j < 15; j++, row++)
        {
          g_auto(GStrv) fields = g_strsplit (lines[row], "\t", -1);
          double expected = attn_test_golden (golden, members[m], l, 3, j);

          g_assert_cmpuint (g_strv_length (fields), ==, 5);
          g_assert_cmpstr (fields[0], ==, blocks[m]);
          g_assert_cmpuint (atoi (fields[1]), ==, l);
          g_assert_cmpuint (atoi (fields[2]), ==, j);
          g_assert_cmpstr (fields[3], ==, attn_example_get_token (attn_document_find_example (bert, "cat-mat", NULL), j));
          g_assert_cmpfloat_with_epsilon (g_ascii_strtod (fields[4], NULL), expected, 1e-9);
        }
  g_assert_cmpstr (lines[row], ==, "");

  /* a graph has no values table */
  settings.kind = ATTN_FIGURE_GRAPH;
  settings.all_methods = FALSE;
  g_clear_pointer (&fig, attn_figure_unref);
  fig = build (bert, "cat-mat", &settings, &style);
  g_assert_null (attn_figure_get_values_table (fig));
}

/* The CRC-32 of @data, as a gzip stream's trailer gives it (GIO's zlib) */
static guint32
gzip_crc32 (const guint8 *data,
            gsize         length)
{
  g_autoptr(GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 0);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (gzip));
  const guint8 *bytes;
  gsize size;
  guint32 crc;

  g_assert_true (g_output_stream_write_all (out, data, length, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  bytes = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory));
  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory));
  g_assert_cmpuint (size, >=, 8);
  memcpy (&crc, bytes + size - 8, sizeof crc);   /* not 4-byte aligned */
  return GUINT32_FROM_LE (crc);
}

/* A PNG chunk's big-endian field (chunks are not 4-byte aligned) */
static guint32
png_be32 (const guint8 *at)
{
  guint32 v;

  memcpy (&v, at, sizeof v);
  return GUINT32_FROM_BE (v);
}

/* The text of the PNG @data's iTXt chunk @keyword (uncompressed, no
 * language), or %NULL; the chunks' CRCs are checked on the way */
static char *
png_text (const guint8 *data,
          gsize         length,
          const char   *keyword)
{
  gsize i = 8;

  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  while (i + 12 <= length)
    {
      guint32 n = png_be32 (data + i);
      const guint8 *type = data + i + 4, *body = type + 4;
      gsize key_len = strlen (keyword);
      guint32 crc;

      g_assert_cmpuint (i + 12 + n, <=, length);
      crc = gzip_crc32 (type, n + 4);
      g_assert_cmpuint (png_be32 (body + n), ==, crc);
      if (memcmp (type, "iTXt", 4) == 0 && n > key_len + 5 && memcmp (body, keyword, key_len) == 0 &&
          memcmp (body + key_len, "\0\0\0\0\0", 5) == 0)
        return g_strndup ((const char *) body + key_len + 5, n - key_len - 5);
      i += 12 + n;
    }
  return NULL;
}

/* author-his's flow heatmap under every weight kind, as All Weights shows it */
static AttnFigure *
build_flow_kinds (AttnFigureSettings *settings,
                  AttnFigureStyle    *style)
{
  attn_figure_style_init (style, FALSE);
  settings->kind = ATTN_FIGURE_HEATMAP;
  settings->method = ATTN_METHOD_FLOW;
  settings->position = ATTN_POSITION_FOCUS;
  settings->weight_kinds = (1u << ATTN_N_WEIGHT_KINDS) - 1;
  return build (pronouns, "author-his", settings, style);
}

/* A PNG carries the figure's title and caption as metadata, as SVG and PDF
 * do: a heatmap in a panel too low for them (All Weights in a 1280 x 800
 * window, any heatmap in a 900 x 600 one) draws neither, and its saved PNG
 * said nothing of its settings */
static void
test_png_metadata (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(AttnFigure) low = NULL;
  g_autofree char *path = tmp_path ("low-heatmap.png");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  GError *error = NULL;
  gsize length;

  fig = build_flow_kinds (&settings, &style);
  low = attn_figure_new_at_size (fig, 909., 229.);
  for (guint i = 0; i < attn_figure_get_n_labels (low); i++)
    g_assert_cmpstr (attn_figure_get_label (low, i)->text, !=, attn_figure_get_caption (low));

  g_assert_true (attn_figure_save (low, file, ATTN_EXPORT_PNG, 2, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  title = png_text ((const guint8 *) contents, length, "Title");
  description = png_text ((const guint8 *) contents, length, "Description");
  g_assert_cmpstr (title, ==, "Example author-his: importance of the input tokens for “his” (position 7) at each layer (Attention flow)");
  g_assert_true (g_str_has_prefix (description, attn_figure_get_caption (low)));
  g_assert_cmpstr (description + strlen (attn_figure_get_caption (low)), ==, " · file: pronouns-minilm.json");
  g_assert_true (g_str_has_prefix (description, "Attention flow · weights: Attention, Norm-based"));
  g_assert_nonnull (strstr (description, "example author-his"));
  /* and it is still a PNG of the figure at twice its size */
  {
    cairo_surface_t *s = cairo_image_surface_create_from_png (path);
    double w, h;

    attn_figure_get_size (low, &w, &h);
    g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (cairo_image_surface_get_width (s), ==, (int) ceil (2 * w));
    cairo_surface_destroy (s);
  }
}

/* A copy of sst2-bert.json in @folder (under the temporary folder) whose
 * top-level model is @model (NULL: none) */
static AttnDocument *
load_copy_of_sst2 (const char *folder,
                   const char *model)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "sst2-bert.json", NULL);
  g_autofree char *dir = tmp_path (folder);
  g_autofree char *path = g_build_filename (dir, "sst2-bert.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *copy = NULL;
  const char *field = "\"model\": \"bert-base-uncased fine-tuned on SST-2 (Dodrio)\", ";
  g_auto(GStrv) parts = NULL;
  GError *error = NULL;
  AttnDocument *doc;

  g_assert_true (g_file_get_contents (source, &text, NULL, NULL));
  parts = g_strsplit (text, field, 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  if (model != NULL)
    {
      g_autofree char *mine = g_strdup_printf ("\"model\": \"%s\", ", model);

      copy = g_strconcat (parts[0], mine, parts[1], NULL);
    }
  else
    copy = g_strconcat (parts[0], parts[1], NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, copy, -1, NULL));
  doc = attn_document_load (path, NULL, &error);
  g_assert_no_error (error);
  return doc;
}

/* The text of @fig's caption label (what is printed), or NULL */
static const char *
drawn_caption (const AttnFigure *fig)
{
  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    if (attn_figure_get_label (fig, i)->kind == ATTN_LABEL_CAPTION)
      return attn_figure_get_label (fig, i)->text;
  return NULL;
}

/* @fig saved as SVG, PDF and PNG: the text its metadata gives under the
 * title in each (SVG <desc>, PDF Subject and Keywords, PNG Description) */
static void
check_saved_source (const AttnFigure *fig,
                    const char       *stem,
                    const char       *model,
                    const char       *files)
{
  g_autofree char *svg = g_strconcat (stem, ".svg", NULL);
  g_autofree char *pdf = g_strconcat (stem, ".pdf", NULL);
  g_autofree char *png = g_strconcat (stem, ".png", NULL);
  g_autofree char *description = attn_figure_dup_description (fig);
  g_autofree char *contents = NULL;
  g_autofree char *desc = NULL;
  GError *error = NULL;
  gsize length;

  g_assert_true (g_str_has_suffix (description, files));
  g_assert_true (g_str_has_prefix (description, attn_figure_get_caption (fig)));
  if (model != NULL)
    g_assert_nonnull (strstr (description, model));

  {
    g_autofree char *path = tmp_path (svg);
    g_autoptr(GFile) out = g_file_new_for_path (path);
    g_autofree char *escaped = g_markup_escape_text (description, -1);

    g_assert_true (attn_figure_save (fig, out, ATTN_EXPORT_SVG, 1, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    desc = g_strdup_printf ("<desc>%s</desc>", escaped);
    g_assert_nonnull (strstr (contents, desc));
    g_clear_pointer (&contents, g_free);
  }
  {
    g_autofree char *path = tmp_path (png);
    g_autoptr(GFile) out = g_file_new_for_path (path);
    g_autofree char *text = NULL;

    g_assert_true (attn_figure_save (fig, out, ATTN_EXPORT_PNG, 1, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    text = png_text ((const guint8 *) contents, length, "Description");
    g_assert_cmpstr (text, ==, description);
  }
  if (have_program ("pdfinfo"))
    {
      g_autofree char *path = tmp_path (pdf);
      g_autoptr(GFile) out = g_file_new_for_path (path);
      g_autofree char *cmd = g_strdup_printf ("pdfinfo %s", path);
      g_autofree char *info = NULL;
      g_autofree char *subject = g_strdup_printf ("Subject:         %s\n", description);
      g_autofree char *keywords = g_strdup_printf ("Keywords:        %s\n", attn_figure_get_source (fig));

      g_assert_true (attn_figure_save (fig, out, ATTN_EXPORT_PDF, 1, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (run (cmd, &info));
      g_assert_nonnull (strstr (info, subject));
      g_assert_nonnull (strstr (info, keywords));
    }
  else if (in_ci ())
    g_error ("pdfinfo is needed (poppler-utils)");
}

/* Figures of one example from two exports of two models name the model in
 * their caption (drawn, under the graph or heatmap) and the model and file
 * in the saved file's metadata; an export without a model names its file
 * only: two models' figures of sst2-0551 were told apart by nothing */
static void
test_figure_names_model (void)
{
  const char *dodrio = "bert-base-uncased fine-tuned on SST-2 (Dodrio)";
  const char *roberta = "roberta-large fine-tuned on SST-2, run 2";
  g_autoptr(AttnDocument) other = load_copy_of_sst2 ("roberta", roberta);
  g_autoptr(AttnDocument) none = load_copy_of_sst2 ("unnamed", NULL);
  g_autofree char *dodrio_path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "sst2-bert.json", NULL);
  g_autofree char *other_path = tmp_path ("roberta/sst2-bert.json");
  AttnFigureInput inputs[3] = {
    { attn_document_find_example (sst2, "sst2-0551", NULL), dodrio_path },
    { attn_document_find_example (other, "sst2-0551", NULL), other_path },
    { attn_document_find_example (none, "sst2-0551", NULL), NULL },
  };
  const char *models[3] = { dodrio, roberta, NULL };
  AttnFigureStyle style;
  GError *error = NULL;

  attn_figure_style_init (&style, FALSE);
  g_assert_cmpstr (attn_example_get_model (inputs[0].example), ==, dodrio);
  g_assert_cmpstr (attn_example_get_file_name (inputs[1].example), ==, "sst2-bert.json");
  for (guint i = 0; i < 3; i++)
    for (AttnFigureKind kind = ATTN_FIGURE_GRAPH; kind <= ATTN_FIGURE_HEATMAP; kind++)
      {
        AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
        g_autoptr(AttnFigure) fig = NULL;
        g_autoptr(AttnFigure) small = NULL;
        g_autofree char *model_line = models[i] ? g_strdup_printf (" · model: %s", models[i]) : NULL;
        g_autofree char *source = models[i] ? g_strdup_printf ("model: %s · file: sst2-bert.json", models[i])
                                            : g_strdup ("file: sst2-bert.json");
        g_autofree char *stem = g_strdup_printf ("model-%u-%d", i, kind);
        double w, h;

        settings.kind = kind;
        settings.method = ATTN_METHOD_FLOW;
        fig = attn_figure_build (&inputs[i], 1, &settings, &style, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (attn_figure_get_source (fig), ==, source);
        if (models[i] != NULL)
          {
            g_assert_nonnull (strstr (attn_figure_get_caption (fig), model_line));
            g_assert_nonnull (strstr (drawn_caption (fig), model_line));
          }
        else
          g_assert_null (strstr (attn_figure_get_caption (fig), "model"));
        check_saved_source (fig, stem, models[i], " · file: sst2-bert.json");

        /* laid out small, the long caption wraps inside the figure */
        small = attn_figure_new_at_size (fig, 900., 600.);
        attn_figure_get_size (small, &w, &h);
        g_assert_cmpstr (attn_figure_get_source (small), ==, source);
        if (drawn_caption (small) != NULL)
          for (guint l = 0; l < attn_figure_get_n_labels (small); l++)
            if (attn_figure_get_label (small, l)->kind == ATTN_LABEL_CAPTION)
              {
                const AttnRect *box = &attn_figure_get_label (small, l)->box;

                g_assert_cmpfloat (box->x + box->width, <=, w);
                g_assert_cmpfloat (box->y + box->height, <=, h);
              }
      }

  /* the comparison of the two exports: both models, the files by folder */
  {
    AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
    g_autoptr(AttnFigure) fig = NULL;
    g_autofree char *models_line = g_strdup_printf (" · models: %s, %s", dodrio, roberta);
    g_autofree char *source = NULL;

    settings.kind = ATTN_FIGURE_COMPARE;
    settings.method = ATTN_METHOD_FLOW;
    fig = attn_figure_build (inputs, 2, &settings, &style, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_str_has_suffix (attn_figure_get_caption (fig), models_line));
    g_assert_nonnull (strstr (drawn_caption (fig), models_line));
    source = g_strdup_printf ("models: %s, %s · files: examples/sst2-bert.json, roberta/sst2-bert.json",
                              dodrio, roberta);
    g_assert_cmpstr (attn_figure_get_source (fig), ==, source);
    check_saved_source (fig, "model-compare", dodrio, " · files: examples/sst2-bert.json, roberta/sst2-bert.json");
  }

  /* what the screen shows: the figure of a scene of the session's kind */
  {
    AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
    g_autoptr(AttnGraph) graph = NULL;
    g_autoptr(AttnGraphScene) scene = NULL;
    g_autoptr(AttnFigure) fig = NULL;

    graph = attn_graph_new (inputs[1].example, &options, NULL, &error);
    g_assert_no_error (error);
    scene = attn_graph_scene_new_for_method (graph, ATTN_METHOD_ROLLOUT, 0, 0, -1, NULL, &error);
    g_assert_no_error (error);
    fig = attn_figure_new_from_scene (scene, &style);
    g_assert_cmpstr (attn_figure_get_source (fig), ==,
                     "model: roberta-large fine-tuned on SST-2, run 2 · file: sst2-bert.json");
  }
}

/* Each block of one method under several weight kinds is named by its
 * method and kind wherever its values go (copied, a cell's tooltip), though
 * its title names the kind alone: All Weights' flow was copied as
 * "Attention", "Norm-based", ..., as if it were the weights themselves; a
 * lone block in a low panel, whose title names its token too, is named
 * the same */
static void
test_heatmap_kinds_named (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput inputs[2] = {
    { attn_document_find_example (pronouns, "author-his", NULL), "pronouns-minilm.json" },
    { attn_document_find_example (pronouns, "author-her", NULL), "pronouns-minilm.json" },
  };
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(AttnFigure) low = NULL;
  g_autoptr(AttnFigure) compare = NULL;
  g_autofree char *table = NULL;
  g_autofree char *low_table = NULL;
  g_auto(GStrv) lines = NULL;
  GError *error = NULL;
  guint row = 1;

  fig = build_flow_kinds (&settings, &style);
  table = attn_figure_get_values_table (fig);
  lines = g_strsplit (table, "\n", -1);
  /* six kinds of 6 layers of 11 tokens */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + ATTN_N_WEIGHT_KINDS * 6 * 11 + 1);
  for (AttnWeightKind k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    {
      g_autofree char *name = attn_method_dup_label (ATTN_METHOD_FLOW, k);
      g_autofree char *prefix = g_strconcat (name, "\t", NULL);

      for (guint i = 0; i < 6 * 11; i++, row++)
        g_assert_true (g_str_has_prefix (lines[row], prefix));
    }
  {
    g_autofree char *alti = attn_method_dup_label (ATTN_METHOD_FLOW, ATTN_WEIGHT_KIND_ALTI);

    g_assert_cmpstr (alti, ==, "Attention flow (ALTI)");
  }
  /* in the panel of a 1280 x 800 window, too low for the title, the line
   * above the blocks names the method too ("Importance for" said nothing
   * of flow over kinds that read as weights) */
  {
    g_autoptr(AttnFigure) panel = attn_figure_new_at_size (fig, 909., 229.);
    guint named = 0, titled = 0, vague = 0;

    for (guint i = 0; i < attn_figure_get_n_labels (panel); i++)
      {
        const char *text = attn_figure_get_label (panel, i)->text;

        titled += g_str_equal (text, attn_figure_get_title (fig));
        named += g_str_equal (text, "Attention flow for “his” (position 7)");
        vague += g_str_has_prefix (text, "Importance for");
      }
    g_assert_cmpuint (titled, ==, 0);
    g_assert_cmpuint (named, ==, 1);
    g_assert_cmpuint (vague, ==, 0);
  }
  /* a panel wide enough for the title: it names the method, which the
   * blocks ("Attention", "ALTI") do not */
  g_assert_cmpstr (attn_figure_get_title (fig), ==,
                   "Example author-his: importance of the input tokens for “his” (position 7) at each layer (Attention flow)");

  /* one method alone, in a panel too low for the title */
  settings.weight_kinds = 0;
  g_clear_pointer (&fig, attn_figure_unref);
  fig = build (pronouns, "author-his", &settings, &style);
  low = attn_figure_new_at_size (fig, 610., 160.);
  low_table = attn_figure_get_values_table (low);
  g_assert_true (g_str_has_prefix (low_table, "block\tlayer\tindex\ttoken\tvalue\nAttention flow\t1\t0\t"));

  /* a comparison's blocks, the difference's too */
  settings.kind = ATTN_FIGURE_COMPARE;
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.weight_kinds = (1u << ATTN_N_WEIGHT_KINDS) - 1;
  compare = attn_figure_build (inputs, 2, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (attn_figure_get_title (compare), ==,
                   "Comparison of author-his, author-her at each focus token (Attention rollout)");
  g_assert_cmpuint (attn_figure_get_n_grids (compare), >=, 3 * ATTN_N_WEIGHT_KINDS);
  for (guint g = 0; g < attn_figure_get_n_grids (compare); g++)
    {
      AttnRect cell;

      g_assert_true (attn_figure_get_cell (compare, g, 6, 0, &cell));
      g_assert_nonnull (strstr (attn_figure_get_block_at (compare, cell.x + 1., cell.y + 1.), "Attention rollout"));
    }
}

/* A panel's heatmap in a 1280 x 800 and in a 900 x 600 window */
static const struct
{
  const char *id;
  double      width;
  double      height;
} panel_cases[] = {
  { "cat-mat", 909, 229 }, { "cat-mat", 609, 165 }, { "sst2-0551", 909, 229 }, { "sst2-0551", 609, 165 },
};

/* The heatmap of @settings (light) for panel_cases[@c], laid out at its size */
static AttnFigure *
panel_heatmap (guint               c,
               AttnFigureSettings *settings)
{
  g_autoptr(AttnFigure) fig = NULL;
  AttnFigureStyle style;

  attn_figure_style_init (&style, FALSE);
  settings->kind = ATTN_FIGURE_HEATMAP;
  fig = build (c < 2 ? bert : sst2, panel_cases[c].id, settings, &style);
  return attn_figure_new_at_size (fig, panel_cases[c].width, panel_cases[c].height);
}

/* The right edge of the name of colour bar @bar of @fig (the rotated label
 * right of it), or of the bar where it has none */
static double
bar_name_end (AttnFigure     *fig,
              const Colorbar *bar)
{
  double end = bar->rect.x + bar->rect.width;

  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *label = attn_figure_get_label (fig, i);

      if (label->kind == ATTN_LABEL_SCALE && label->box.x >= bar->rect.x && label->box.x < bar->rect.x + 100.)
        end = MAX (end, label->box.x + label->box.width);
    }
  return end;
}

/* All three methods in the heatmap panel of a 900 x 600 window (609 x 165)
 * and of a 1280 x 800 one (909 x 229): each colour bar keeps the room its
 * tick labels take, not that of any scale's ("−0.0e−00", three times a
 * fifth of the narrow panel, which left blocks of 15 columns 40 px wide):
 * in a row as wide as the widest, what is blank past the gaps after the
 * bars' names (and the margin after the last) is no more than the cells'
 * whole pixels leave (under a pixel a column) and the tick room each bar
 * keeps for its labels at any height (8 px: "0.073" of two ticks, where
 * five say "0.02"); the cells of the three blocks take more than a quarter
 * of the narrow panel's width; in boxes that set them in rows of one or
 * two, every bar and its name within the figure */
static void
test_panel_bars_room (void)
{
  static const double sizes[][2] = { { 609, 165 }, { 909, 229 }, { 480, 700 }, { 700, 600 } };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.all_methods = TRUE;
  fig = build (bert, "cat-mat", &settings, &style);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(AttnFigure) at = attn_figure_new_at_size (fig, sizes[s][0], sizes[s][1]);
      double cells_w = 0., w, h, blank = 0., row_columns = 0.;
      guint row_bars = 0, widest_bars = 0;

      attn_figure_get_size (at, &w, &h);
      assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
      g_assert_cmpuint (at->grids->len, ==, ATTN_N_METHODS);
      g_assert_cmpuint (at->colorbars->len, ==, ATTN_N_METHODS);
      for (guint m = 0; m < ATTN_N_METHODS; m++)
        widest_bars += g_array_index (at->grids, HeatGrid, m).y == g_array_index (at->grids, HeatGrid, 0).y;
      for (guint m = 0; m < ATTN_N_METHODS; m++)
        {
          const HeatGrid *grid = &g_array_index (at->grids, HeatGrid, m);
          double name_end = bar_name_end (at, &g_array_index (at->colorbars, Colorbar, m));

          cells_w += grid->n * grid->cw;
          row_columns += grid->n;
          row_bars++;
          /* the next block beside it (blocks in rows of one or two in a higher box) */
          if (m + 1 < ATTN_N_METHODS && g_array_index (at->grids, HeatGrid, m + 1).y == grid->y)
            {
              double room = g_array_index (at->grids, HeatGrid, m + 1).x - name_end;

              g_test_message ("%gx%g: bar %u to %g, next block at %g", w, h, m, name_end, name_end + room);
              g_assert_cmpfloat (room, >=, GAP - 0.01);
              blank += room - GAP;
              continue;
            }
          g_assert_cmpfloat (w - name_end, >=, PAD - 0.01);
          blank += w - name_end - PAD;
          g_test_message ("%gx%g: a row of %u bars, %g columns, %g px blank past the gaps and margin", w, h,
                          row_bars, row_columns, blank);
          if (row_bars == widest_bars)
            g_assert_cmpfloat (blank, <=, row_columns + 8. * row_bars);
          blank = row_columns = 0.;
          row_bars = 0;
        }
      g_test_message ("%gx%g: cells %g wide", w, h, cells_w);
      if (s == 0)
        g_assert_cmpfloat (cells_w, >, sizes[0][0] / 4);
    }
}

/* All three methods in the heatmap panels of a 1280 x 800 window (909 x
 * 229) and a 900 x 600 one (609 x 165), cat-mat and SST-2 (whose token
 * saturates each bar: its name, rotated, takes two lines, "Importance"
 * over "“[CLS]” saturates"): each bar's name ends a whole gap left of the
 * next block (it ran 7 px into that gap, 17 px from the next block's
 * cells), the last one within the margin, the figure exactly as wide as
 * the panel where its cells fit it, and the width the cells' whole pixels
 * leave spread between the blocks, not left blank at the right (up to
 * 32 px, where each name took its own width) */
static void
test_panel_bar_names (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;

  settings.all_methods = TRUE;
  for (guint c = 0; c < G_N_ELEMENTS (panel_cases); c++)
    {
      g_autoptr(AttnFigure) at = panel_heatmap (c, &settings);
      double w, h, last_end = 0.;
      guint two_lines = 0;

      attn_figure_get_size (at, &w, &h);
      g_assert_cmpuint (at->grids->len, ==, ATTN_N_METHODS);
      g_assert_cmpuint (at->colorbars->len, ==, ATTN_N_METHODS);
      for (guint m = 0; m < ATTN_N_METHODS; m++)
        {
          const HeatGrid *grid = &g_array_index (at->grids, HeatGrid, m);
          const Colorbar *bar = &g_array_index (at->colorbars, Colorbar, m);
          double end = bar_name_end (at, bar);

          /* saturated: the name and its line, side by side rotated */
          two_lines += end - (bar->rect.x + bar->rect.width) > 40.;
          g_assert_cmpfloat (bar->rect.x, >, grid->x + grid->n * grid->cw);
          /* (SST-2's blocks of 69 columns at 609 px, laid out to be
           * scrolled, are in rows of fewer) */
          if (m + 1 < ATTN_N_METHODS && c == 3 && g_array_index (at->grids, HeatGrid, m + 1).y != grid->y)
            g_assert_cmpfloat (g_array_index (at->grids, HeatGrid, m + 1).y, >, grid->y);
          else if (m + 1 < ATTN_N_METHODS)
            {
              const HeatGrid *next = &g_array_index (at->grids, HeatGrid, m + 1);

              g_test_message ("%s %gx%g: bar %u's name ends at %g, the next block starts at %g (%g px)",
                              panel_cases[c].id, w, h, m, end, next->x, next->x - end);
              g_assert_cmpfloat (next->y, ==, grid->y);
              g_assert_cmpfloat (next->x - end, >=, GAP - 0.01);
            }
          last_end = end;
        }
      g_test_message ("%s at %gx%g: %gx%g, the last name %g px from the right edge", panel_cases[c].id,
                      panel_cases[c].width, panel_cases[c].height, w, h, w - last_end);
      g_assert_cmpuint (two_lines, ==, ATTN_N_METHODS);
      g_assert_cmpfloat (w - last_end, >=, PAD - 0.01);
      /* SST-2's 69 columns at 609 px were a pixel each, the narrowest:
       * wider than the panel, shrunk; they are scrolled */
      if (c == 3)
        {
          g_assert_true (laid_out_to_scroll (at, panel_cases[c].width, panel_cases[c].height));
          continue;
        }
      g_assert_cmpfloat (w, ==, panel_cases[c].width);
      g_assert_cmpfloat (w - last_end, <=, PAD + 8.);
    }
}

/* Which device columns [@x0, @x1) of @image hold ink (a pixel darker than
 * 0xe0 in a channel: the antialiasing's faintest edge is not ink) in rows
 * [@y0, @y1): @ink[x - @x0] */
static void
ink_columns (cairo_surface_t *image,
             int              x0,
             int              x1,
             int              y0,
             int              y1,
             gboolean        *ink)
{
  const guint8 *data = cairo_image_surface_get_data (image);
  int stride = cairo_image_surface_get_stride (image);

  cairo_surface_flush (image);
  for (int x = x0; x < x1; x++)
    {
      ink[x - x0] = FALSE;
      for (int y = MAX (y0, 0); y < MIN (y1, cairo_image_surface_get_height (image)); y++)
        {
          guint32 p = ((const guint32 *) (data + y * stride))[x];

          ink[x - x0] |= ((p >> 16) & 0xff) < 0xe0 || ((p >> 8) & 0xff) < 0xe0 || (p & 0xff) < 0xe0;
        }
    }
}

/* The lines of the rotated names of @fig's colour bars, drawn at @scale:
 * each name's ink, column by column, falls in as many runs as the name has
 * lines, at least @min_gap device pixels apart, all inside the name's box
 * (the room the bar keeps for it). Returns how many names had two lines or
 * more. */
static guint
assert_bar_name_lines (AttnFigure *fig,
                       double      scale,
                       int         min_gap)
{
  g_autoptr(AttnPangoContext) context = _attn_text_context_new ();
  cairo_surface_t *image = attn_figure_render_image (fig, scale, NULL);
  AttnFigureStyle style = *attn_figure_get_style (fig);
  guint several = 0;

  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *label = attn_figure_get_label (fig, i);
      g_autoptr(PangoLayout) layout = NULL;
      int x0, x1, lines, runs = 0, gap = -1, narrowest = G_MAXINT;
      g_autofree gboolean *ink = NULL;

      if (label->kind != ATTN_LABEL_SCALE || label->angle == 0.)
        continue;
      layout = _attn_text_layout_new (context, &style, label->text, label->font_size, label->bold,
                                      label->wrap_width);
      lines = pango_layout_get_line_count (layout);
      /* the box and two pixels past it */
      x0 = (int) floor (label->box.x * scale);
      x1 = (int) ceil ((label->box.x + label->box.width) * scale) + 2;
      ink = g_new (gboolean, x1 - x0);
      ink_columns (image, x0, x1, (int) floor (label->box.y * scale),
                   (int) ceil ((label->box.y + label->box.height) * scale), ink);
      for (int x = x0; x < x1; x++)
        {
          if (ink[x - x0] && (x == x0 || !ink[x - x0 - 1]))
            {
              runs++;
              if (gap >= 0)
                narrowest = MIN (narrowest, gap);
            }
          gap = ink[x - x0] ? 0 : gap >= 0 ? gap + 1 : -1;
          /* nothing drawn past the box */
          if (x >= (int) ceil ((label->box.x + label->box.width) * scale))
            g_assert_false (ink[x - x0]);
        }
      g_test_message ("at %g: “%s”, %d lines, %d runs of ink, the narrowest gap %d px", scale, label->text,
                      lines, runs, narrowest);
      g_assert_cmpint (runs, ==, lines);
      if (lines > 1)
        g_assert_cmpint (narrowest, >=, min_gap);
      several += lines > 1;
    }
  cairo_surface_destroy (image);
  return several;
}

/* The All Weights heatmap of example @id of pronouns under @method, in
 * @style: a block per weight kind */
static AttnFigure *
all_weights_heatmap (const char      *id,
                     AttnMethod       method,
                     AttnFigureStyle *style)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnExample *ex = attn_document_find_example (pronouns, id, NULL);
  AttnFigure *fig;

  attn_figure_style_init (style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = method;
  settings.weight_kinds = attn_example_get_weight_kinds (ex);
  settings.all_weights = TRUE;
  fig = build (pronouns, id, &settings, style);
  g_assert_cmpuint (attn_figure_get_n_grids (fig), ==, ATTN_N_WEIGHT_KINDS);
  return fig;
}

/* Runs the test in a subprocess in Korean (LANGUAGE=ko under
 * ko_KR.UTF-8, the build's translations) and asserts that it passed:
 * TRUE in the parent, which is done; FALSE in the subprocess, in Korean */
static gboolean
ran_in_korean (void)
{
  g_autofree char *localedir = NULL;
  g_autofree char *lc_all = NULL;
  g_autofree char *locpath = NULL;

  if (g_test_subprocess ())
    {
      attn_install_init_i18n ();
      return FALSE;
    }
  localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  lc_all = g_strdup (g_getenv ("LC_ALL"));
  locpath = attn_test_korean_locpath ();
  if (locpath != NULL)
    g_setenv ("LOCPATH", locpath, TRUE);
  g_setenv ("ATTNFLOW_LOCALEDIR", localedir, TRUE);
  g_setenv ("LANGUAGE", "ko", TRUE);
  g_setenv ("LC_ALL", "ko_KR.UTF-8", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (lc_all != NULL)
    g_setenv ("LC_ALL", lc_all, TRUE);
  else
    g_unsetenv ("LC_ALL");
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("ATTNFLOW_LOCALEDIR");
  if (locpath != NULL)
    {
      g_unsetenv ("LOCPATH");
      attn_test_remove_tree (locpath);
    }
  g_test_trap_assert_passed ();
  return TRUE;
}

/* In Korean (LANGUAGE=ko under ko_KR.UTF-8, the build's translations), the
 * SST-2 heatmap panels of a 1280 x 800 and a 900 x 600 window, all three
 * methods, each bar named "중요도" over "“[CLS]”은(는) 최대 색": drawn as
 * saved (1x) and as the panel shows it (its smallest text at 9 px), the
 * two lines of each name stand apart, 3 px of blank between their ink or
 * more (2 px drawn smaller), nothing drawn past the name's box. Pango set
 * them the font's height apart, and Hangul, which fills the em, kept
 * 0.15 em of it between them: 1 or 2 px at 1x, which the panel's
 * antialiasing filled. */
static void
test_panel_bar_name_lines (void)
{
  if (ran_in_korean ())
    return;
  /* the fonts a Korean user gets: NanumGothic for “[CLS]” too */
  g_assert_cmpstr (pango_language_to_string (pango_language_get_default ()), ==, "ko-kr");
  for (guint c = 2; c < G_N_ELEMENTS (panel_cases); c++)
    {
      AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
      g_autoptr(AttnFigure) at = NULL;

      settings.all_methods = TRUE;
      at = panel_heatmap (c, &settings);
      g_assert_nonnull (strstr (attn_figure_get_title (at), "중요도"));
      g_assert_cmpuint (assert_bar_name_lines (at, 1., 3), ==, ATTN_N_METHODS);
      g_assert_cmpuint (assert_bar_name_lines (at, 9. / attn_figure_get_text_size (at), 2), ==, ATTN_N_METHODS);
    }
}

/* The heatmap panel of a 900 x 600 window (609 x 131, under the graph
 * and beside the side panel) and of a 1280 x 800 one (989 x 245), in
 * Korean: all three methods of cat-mat and the All Weights heatmap of
 * author-his, the first bundled example. At 609 x 131 each showed whole
 * only shrunk, its token labels at 7 px, author-his' blocks 18 px high
 * (rows under 3 px), and the lower blocks right of the first left out
 * their [CLS] and [SEP] labels; now, shown as the panel shows it (whole,
 * or its smallest text at 9 px and panned), the text is 9 px high or
 * more, the figure no wider than the panel, the rows 5 px high or more,
 * and each block of the row that labels the columns names [CLS] and
 * [SEP]. At 989 x 245 they show whole at their text's size. No colour
 * bar's name, rotated and wrapped, breaks a line inside a particle's two
 * forms (at 989 x 245 the names of the bars of 노름 기반 and GlobEnc
 * ended a line with "“his”은(는", the next starting with ")"), and there
 * each of the four bars whose scale leaves "his" out says so. */
static void
test_panel_legible (void)
{
  static const double sizes[][2] = { { 989., 245. }, { 609., 131. }, { 609., 100. } };

  if (ran_in_korean ())
    return;
  for (guint c = 0; c < 2; c++)
    {
      AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
      AttnFigureStyle style;
      g_autoptr(AttnFigure) fig = NULL;

      if (c == 0)
        {
          attn_figure_style_init (&style, FALSE);
          settings.kind = ATTN_FIGURE_HEATMAP;
          settings.all_methods = TRUE;
          fig = build (bert, "cat-mat", &settings, &style);
        }
      else
        fig = all_weights_heatmap ("author-his", ATTN_METHOD_ROLLOUT, &style);
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          g_autoptr(AttnFigure) at = attn_figure_new_at_size (fig, sizes[s][0], sizes[s][1]);
          const HeatGrid *grid = &g_array_index (at->grids, HeatGrid, 0);
          double w, h, text = attn_figure_get_text_size (at), scale;
          guint first_row = 0, cls = 0, sep = 0, notes = 0;
          g_autoptr(AttnPangoContext) context = _attn_text_context_new ();

          attn_figure_get_size (at, &w, &h);
          /* as the panel's view shows it at first */
          scale = MAX (MIN (MIN (sizes[s][0] / w, sizes[s][1] / h), 1.), MIN (9. / text, 1.));
          for (guint i = 0; i < attn_figure_get_n_labels (at); i++)
            {
              const AttnLabel *label = attn_figure_get_label (at, i);

              cls += label->kind == ATTN_LABEL_TOKEN_BOTTOM && g_str_equal (label->text, "[CLS]");
              sep += label->kind == ATTN_LABEL_TOKEN_BOTTOM && g_str_equal (label->text, "[SEP]");
              if (label->kind == ATTN_LABEL_SCALE && strstr (label->text, "은(는)") != NULL)
                {
                  g_autoptr(PangoLayout) layout = _attn_text_layout_new (context, &at->style, label->text,
                                                                         label->font_size, label->bold,
                                                                         label->wrap_width);
                  const char *laid = pango_layout_get_text (layout);
                  const char *pair = strstr (laid, "은(는)");

                  notes++;
                  for (int l = 1; l < pango_layout_get_line_count (layout); l++)
                    {
                      const char *at_line = laid + pango_layout_get_line_readonly (layout, l)->start_index;

                      g_assert_false (at_line > pair && at_line < pair + strlen ("은(는)"));
                    }
                }
            }
          if (c == 1 && sizes[s][0] > 900.)
            g_assert_cmpuint (notes, ==, 4);
          for (guint m = 0; m < at->grids->len; m++)
            first_row += g_array_index (at->grids, HeatGrid, m).y == grid->y;
          g_test_message ("%u at %gx%g: %gx%g shown at %.3f, text %.1f px, rows %.1f px, %u blocks a row, "
                          "%u [CLS], %u [SEP]", c, sizes[s][0], sizes[s][1], w, h, scale, text * scale,
                          grid->ch * scale, first_row, cls, sep);
          g_assert_cmpfloat (text * scale, >=, 9. - 0.01);
          g_assert_cmpfloat (w * scale, <=, sizes[s][0] + 0.5);
          g_assert_cmpfloat (grid->ch * scale, >=, 5.);
          g_assert_cmpuint (cls, >=, first_row);
          g_assert_cmpuint (sep, >=, first_row);
          if (sizes[s][0] > 900.)
            {
              g_assert_cmpfloat (scale, ==, 1.);
              g_assert_cmpfloat (h, <=, sizes[s][1] + 0.5);
            }
        }
    }
}

/* In Korean, author-her's All Weights heatmap in the panel of a 900 x 600
 * window and of a 1280 x 800 one: a block's title that reaches over its
 * colour bar keeps clear of the label of a tick at the bar's top, which
 * stood half a line over the cells, 4 px under the title ("어텐션 ×
 * 그래디언트" touched its "0.11") */
static void
test_panel_titles_clear_ticks (void)
{
  static const double sizes[][2] = { { 609., 260. }, { 609., 165. }, { 909., 229. }, { 900., 230. } };
  g_autoptr(AttnPangoContext) context = NULL;
  g_autoptr(AttnFigure) fig = NULL;
  AttnFigureStyle style;
  guint reaching = 0;

  if (ran_in_korean ())
    return;
  context = _attn_text_context_new ();
  fig = all_weights_heatmap ("author-her", ATTN_METHOD_FLOW, &style);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(AttnFigure) at = attn_figure_new_at_size (fig, sizes[s][0], sizes[s][1]);

      g_assert_cmpuint (at->colorbars->len, ==, ATTN_N_WEIGHT_KINDS);
      for (guint c = 0; c < at->colorbars->len; c++)
        {
          const Colorbar *bar = &g_array_index (at->colorbars, Colorbar, c);
          double tick_w, tick_h;
          AttnRect tick;

          /* the label of a tick at the bar's top, right of it, as drawn */
          _attn_text_measure (context, &at->style, "0.00", attn_figure_get_text_size (at) * 0.85, FALSE, 0,
                              &tick_w, &tick_h);
          tick = (AttnRect) { bar->rect.x + bar->rect.width,
                              _attn_colorbar_tick_top (&bar->rect, bar->rect.y, tick_h, bar->top_reach),
                              tick_w + 5., tick_h };
          for (guint i = 0; i < attn_figure_get_n_labels (at); i++)
            {
              const AttnLabel *label = attn_figure_get_label (at, i);

              if (label->kind != ATTN_LABEL_TITLE || label->box.x + label->box.width <= tick.x ||
                  label->box.x >= tick.x + tick.width || label->box.y > bar->rect.y)
                continue;
              g_test_message ("%gx%g: “%s” bottom %g, tick top %g", sizes[s][0], sizes[s][1], label->text,
                              label->box.y + label->box.height, tick.y);
              reaching++;
              g_assert_cmpfloat (label->box.y + label->box.height, <=, tick.y + 0.01);
            }
        }
    }
  g_assert_cmpuint (reaching, >, 0);
}

/* Counts @fig's colour bar names that say what saturates, in Korean */
static guint
count_saturated_notes (AttnFigure *fig)
{
  guint n = 0;

  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    n += attn_figure_get_label (fig, i)->kind == ATTN_LABEL_SCALE &&
         strstr (attn_figure_get_label (fig, i)->text, "최대 색") != NULL;
  return n;
}

/* In Korean, the All Weights heatmaps of author-his in panels 900 to 1000
 * px wide, 229 to 259 high (a 1200 x 760 or 1280 x 800 window's): every
 * colour bar whose scale leaves "his" out says so, as at the figure's own
 * size. The note, “his”은(는) 최대 색, is not broken inside the particle's
 * two forms, and where its lines wrapped at the bar's room were longer
 * than the room still, it was left out; it is wrapped narrower, a line
 * more, instead */
static void
test_panel_saturated_notes (void)
{
  g_autoptr(AttnFigure) fig = NULL;
  AttnFigureStyle style;
  guint expected;

  if (ran_in_korean ())
    return;
  fig = all_weights_heatmap ("author-his", ATTN_METHOD_ROLLOUT, &style);
  expected = count_saturated_notes (fig);
  g_assert_cmpuint (expected, >=, 4);
  for (double width = 900.; width <= 1000.; width += 10.)
    for (double height = 229.; height < 260.; height += 6.)
      {
        g_autoptr(AttnFigure) at = attn_figure_new_at_size (fig, width, height);

        g_test_message ("%gx%g: %u notes of %u", width, height, count_saturated_notes (at), expected);
        g_assert_cmpuint (count_saturated_notes (at), ==, expected);
      }
}

/* All three methods side by side: each block on its own colour scale, the
 * one the method gets alone, with its own colour bar beside it. Raw
 * attention's largest values are several times rollout's and flow's: on one
 * scale, their blocks were nearly flat. Laid out in a panel too. */
static void
test_heatmap_own_scales (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(AttnFigure) at = NULL;
  double w, h;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.all_methods = TRUE;
  fig = build (bert, "cat-mat", &settings, &style);
  g_assert_cmpuint (fig->grids->len, ==, ATTN_N_METHODS);
  g_assert_cmpuint (fig->colorbars->len, ==, ATTN_N_METHODS);
  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    {
      AttnFigureSettings alone = settings;
      g_autoptr(AttnFigure) alone_fig = NULL;
      const HeatGrid *grid = &g_array_index (fig->grids, HeatGrid, m);
      const Colorbar *bar = &g_array_index (fig->colorbars, Colorbar, m);

      alone.all_methods = FALSE;
      alone.method = m;
      alone_fig = build (bert, "cat-mat", &alone, &style);
      g_test_message ("method %d: scale %g", m, grid->vmax);
      g_assert_cmpfloat (grid->vmax, ==, g_array_index (alone_fig->grids, HeatGrid, 0).vmax);
      g_assert_cmpfloat (bar->max, ==, grid->vmax);
      /* the bar beside its block, before the next one */
      g_assert_cmpfloat (bar->rect.x, >, grid->x + grid->n * grid->cw);
      if (m + 1 < ATTN_N_METHODS)
        g_assert_cmpfloat (bar->rect.x + bar->rect.width, <, g_array_index (fig->grids, HeatGrid, m + 1).x);
    }
  g_assert_cmpfloat (g_array_index (fig->grids, HeatGrid, ATTN_METHOD_ROLLOUT).vmax, <,
                     g_array_index (fig->grids, HeatGrid, ATTN_METHOD_RAW).vmax / 2);
  g_assert_cmpfloat (g_array_index (fig->grids, HeatGrid, ATTN_METHOD_FLOW).vmax, <,
                     g_array_index (fig->grids, HeatGrid, ATTN_METHOD_RAW).vmax / 2);
  attn_figure_get_size (fig, &w, &h);
  assert_labels_fit (attn_figure_get_n_labels (fig), figure_label, fig, w, h);

  /* its printed values have the digits of its scale: flow's, up to 0.07,
   * to a thousandth (all were “.06” or “.07”), raw attention's to a
   * hundredth */
  {
    AttnFigureStyle values_style = style;
    g_autoptr(AttnFigure) printed = NULL;
    guint thousandths = 0, hundredths = 0;

    values_style.show_values = TRUE;
    printed = build (bert, "cat-mat", &settings, &values_style);
    for (guint i = 0; i < attn_figure_get_n_labels (printed); i++)
      {
        const AttnLabel *label = attn_figure_get_label (printed, i);
        const char *point = strchr (label->text, '.');

        if (label->kind != ATTN_LABEL_VALUE || point == NULL)
          continue;
        thousandths += strlen (point) == 4;
        hundredths += strlen (point) == 3;
      }
    /* all but the cells of [CLS]'s own column above the scale, which have their own digits */
    g_assert_cmpuint (thousandths, >=, 12 * 14);
    g_assert_cmpuint (hundredths, >=, 2 * 12 * 15 - 2);
  }

  /* in the panel of a 1280 x 800 window: every bar, nothing overlaps */
  at = attn_figure_new_at_size (fig, 909, 229);
  attn_figure_get_size (at, &w, &h);
  assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
  g_assert_cmpfloat (w, <=, 910.);
  g_assert_cmpuint (at->colorbars->len, ==, ATTN_N_METHODS);
  g_assert_cmpuint (count_saturate_notes (at, "Importance"), ==, ATTN_N_METHODS);

  /* in that of a 900 x 600 window, too low for the title: the token is
   * named above the blocks */
  {
    g_autoptr(AttnFigure) low = attn_figure_new_at_size (fig, 609, 165);
    guint titled = 0, named = 0;

    attn_figure_get_size (low, &w, &h);
    assert_labels_fit (attn_figure_get_n_labels (low), figure_label, low, w, h);
    /* its rows at their smallest: the view shrinks it by 2 % at the most */
    g_assert_cmpfloat (h, <=, 165. * 1.02);
    for (guint i = 0; i < attn_figure_get_n_labels (low); i++)
      {
        const AttnLabel *label = attn_figure_get_label (low, i);

        titled += g_str_equal (label->text, attn_figure_get_title (fig));
        named += g_str_equal (label->text, "Importance for “[CLS]” (position 0)");
      }
    g_assert_cmpuint (titled, ==, 0);
    g_assert_cmpuint (named, ==, 1);
  }
}

/* A heatmap's colours leave out its own position, as the graph leaves out
 * the selected node: the token's importance of itself (through the
 * residual, the largest at layer 1) would leave every other cell near 0 in
 * colour; it saturates and the colour bar says so. Where nothing else has
 * a value (a causal model's first token) the range keeps it. */
static void
test_heatmap_selected_saturates (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "gpt2.json", NULL);
  g_autoptr(AttnDocument) gpt2 = NULL;
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(AttnFigure) first = NULL;
  GError *error = NULL;
  double own, others;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.position = 3;
  fig = build (bert, "cat-mat", &settings, &style);
  heatmap_maxima (fig, 3, &own, &others);
  g_test_message ("\"sat\": its own importance up to %g, the others' up to %g", own, others);
  g_assert_cmpfloat (own, >, others);
  g_assert_cmpfloat_with_epsilon (g_array_index (fig->grids, HeatGrid, 0).vmax, others, 1e-12);
  /* named: the token may be the focus, not a selection */
  g_assert_cmpuint (count_saturate_notes (fig, "“sat” saturates"), ==, 1);
  /* in the panel of a 900 x 600 window too, beside the token labels (it
   * used to be left out there); the longer note with the special tokens
   * left out is wrapped to fit there (it gave way) */
  for (guint special = 0; special < 2; special++)
    {
      g_autoptr(AttnFigure) whole = NULL;
      g_autoptr(AttnFigure) at = NULL;
      double w, h;

      style.exclude_special = special;
      whole = build (bert, "cat-mat", &settings, &style);
      at = attn_figure_new_at_size (whole, 609, 165);
      attn_figure_get_size (at, &w, &h);
      assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
      g_assert_cmpfloat (h, <=, 166.);
      g_assert_cmpuint (count_saturate_notes (at, special ? "special tokens and “sat”" : "“sat” saturates"), ==, 1);
      g_assert_cmpuint (count_saturate_notes (at, "Importance"), ==, 1);
    }
  style.exclude_special = FALSE;
  /* two layers in the panel of a 1280 x 800 window: the bar reaches down
   * beside the side column, long enough for the note (it was left out, found
   * by QA) */
  {
    g_autoptr(AttnFigure) whole = NULL;
    g_autoptr(AttnFigure) at = NULL;
    double w, h;

    settings.first_layer = 11;
    settings.last_layer = 12;
    settings.position = 0;
    whole = build (bert, "cat-mat", &settings, &style);
    at = attn_figure_new_at_size (whole, 909, 229);
    attn_figure_get_size (at, &w, &h);

    assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
    g_assert_cmpfloat (h, <=, 230.);
    g_assert_cmpuint (count_saturate_notes (whole, "“[CLS]” saturates"), ==, 1);
    g_assert_cmpuint (count_saturate_notes (at, "“[CLS]” saturates"), ==, 1);
    settings.first_layer = settings.last_layer = 0;
  }

  gpt2 = attn_document_load (path, NULL, &error);
  g_assert_no_error (error);
  settings.position = 0;
  first = build (gpt2, "fox", &settings, &style);
  heatmap_maxima (first, 0, &own, &others);
  g_assert_cmpfloat (own, >, 0.);
  g_assert_cmpfloat (others, ==, 0.);
  g_assert_cmpfloat_with_epsilon (g_array_index (first->grids, HeatGrid, 0).vmax, own, 1e-12);
  g_assert_cmpuint (count_saturate_notes (first, "saturate"), ==, 0);
}

/* The sentences' layer names ("Layer 12") end clear of the sentences'
 * first tokens beside them (the name was measured as "Layer 2" for layers
 * 11 and 12, and touched the token) */
static void
assert_sentence_names_clear (const AttnFigure *fig)
{
  guint checked = 0;

  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *name = attn_figure_get_label (fig, i);

      if (name->kind != ATTN_LABEL_NOTE || !g_str_has_prefix (name->text, "Layer "))
        continue;
      for (guint k = 0; k < fig->swatches->len; k++)
        {
          const Swatch *chip = &g_array_index (fig->swatches, Swatch, k);

          if (chip->rect.x < name->box.x || chip->rect.y > name->box.y + name->box.height ||
              chip->rect.y + chip->rect.height < name->box.y)
            continue;
          g_assert_cmpfloat (name->box.x + name->box.width + 3., <=, chip->rect.x);
          checked++;
        }
    }
  g_assert_cmpuint (checked, >, 0);
}

/* In a heatmap panel (that of a 900 x 600 window, 609 x 165, and of a
 * 1280 x 800 one, 909 x 229), each colour bar is no taller than its block
 * of cells and still named: one method's bar, as long as its name
 * ("Importance" over "“cat” saturates"), ran down beside the token labels,
 * twice as tall as the 12 rows of the narrow panel */
static void
test_panel_bar_height (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;

  settings.method = ATTN_METHOD_FLOW;
  for (guint c = 0; c < G_N_ELEMENTS (panel_cases); c++)
    for (guint all = 0; all <= 1; all++)
      {
        g_autoptr(AttnFigure) at = NULL;

        settings.all_methods = all;
        at = panel_heatmap (c, &settings);
        g_assert_cmpuint (at->colorbars->len, ==, at->grids->len);
        g_assert_cmpuint (count_labels (at, ATTN_LABEL_SCALE), ==, at->colorbars->len);
        for (guint m = 0; m < at->grids->len; m++)
          {
            const HeatGrid *grid = &g_array_index (at->grids, HeatGrid, m);
            const Colorbar *bar = &g_array_index (at->colorbars, Colorbar, m);
            double bottom = grid->y + grid->n_rows * grid->ch;

            g_test_message ("%s %gx%g, %s: block %u from %g to %g, its bar from %g to %g", panel_cases[c].id,
                            panel_cases[c].width, panel_cases[c].height, all ? "all methods" : "flow", m, grid->y, bottom,
                            bar->rect.y, bar->rect.y + bar->rect.height);
            g_assert_cmpfloat (grid->n_rows * grid->ch, >, 20.);
            g_assert_cmpfloat (bar->rect.y, >=, grid->y - 0.01);
            g_assert_cmpfloat (bar->rect.y + bar->rect.height, <=, bottom + 0.01);
          }
      }
}

/* A heatmap of one layer (or two) is as complete as one of many: its
 * colour bar is named (the bar as long as its name), the title names the
 * layer and the caption says "layer 12", not "layers 12–12"; nothing
 * overlaps or leaves the figure, at its natural size and in a panel */
static void
test_heatmap_one_layer (void)
{
  static const struct
  {
    guint       first;
    guint       last;
    const char *title;
    const char *caption;
  } ranges[] = {
    { 12, 12, "at layer 12", " · layer 12 · " },
    { 5, 5, "at layer 5", " · layer 5 · " },
    { 11, 12, "at each layer", " · layers 11–12 · " },
  };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;

  attn_figure_style_init (&style, TRUE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    for (guint view = 0; view < 3; view++)
      {
        g_autoptr(AttnFigure) fig = NULL;
        g_autoptr(AttnFigure) at = NULL;
        double w, h;

        settings.first_layer = ranges[r].first;
        settings.last_layer = ranges[r].last;
        settings.all_methods = view == 2;
        settings.method = view == 0 ? ATTN_METHOD_ROLLOUT : ATTN_METHOD_FLOW;
        fig = build (bert, "cat-mat", &settings, &style);
        g_assert_nonnull (strstr (attn_figure_get_title (fig), ranges[r].title));
        g_assert_nonnull (strstr (attn_figure_get_caption (fig), ranges[r].caption));
        assert_sentence_names_clear (fig);
        /* a bar a block: all three have their own */
        g_assert_cmpuint (count_labels (fig, ATTN_LABEL_SCALE), ==, view == 2 ? ATTN_N_METHODS : 1);
        attn_figure_get_size (fig, &w, &h);
        assert_labels_fit (attn_figure_get_n_labels (fig), figure_label, fig, w, h);
        at = attn_figure_new_at_size (fig, 900, 300);
        g_assert_cmpuint (count_labels (at, ATTN_LABEL_SCALE), ==, view == 2 ? ATTN_N_METHODS : 1);
        attn_figure_get_size (at, &w, &h);
        assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
      }

  /* layers 2 to 12 in a low panel, their labels thinned: the range's
   * first is labelled (“Layer 4” was the lowest) */
  {
    g_autoptr(AttnFigure) fig = NULL;
    g_autoptr(AttnFigure) at = NULL;
    gboolean first = FALSE, last = FALSE;

    settings.first_layer = 2;
    settings.last_layer = 12;
    settings.all_methods = FALSE;
    settings.method = ATTN_METHOD_ROLLOUT;
    fig = build (bert, "cat-mat", &settings, &style);
    at = attn_figure_new_at_size (fig, 600, 150);
    g_assert_cmpuint (count_labels (at, ATTN_LABEL_LAYER), <, 10);
    for (guint i = 0; i < attn_figure_get_n_labels (at); i++)
      {
        const AttnLabel *label = attn_figure_get_label (at, i);

        first |= label->kind == ATTN_LABEL_LAYER && label->index == 2;
        last |= label->kind == ATTN_LABEL_LAYER && label->index == 12;
      }
    g_assert_true (first && last);
  }
}

/* A heatmap filling in, @fig, against the complete one, @full, at the same
 * size: its cells in the same places, the same layer labels, and above
 * layer @top the background of the figure, no cell drawn */
static void
assert_rows_empty_above (AttnFigure *fig,
                         AttnFigure *full,
                         guint       first,
                         guint       L,
                         guint       top)
{
  cairo_surface_t *image = attn_figure_render_image (fig, 1., NULL);
  double background = luminance_at (image, 1, 1);

  g_assert_cmpuint (count_labels (fig, ATTN_LABEL_LAYER), ==, count_labels (full, ATTN_LABEL_LAYER));
  for (guint l = first; l <= L; l++)
    {
      AttnRect cell, full_cell;

      g_assert_true (attn_figure_get_cell (fig, 0, l, 1, &cell));
      g_assert_true (attn_figure_get_cell (full, 0, l, 1, &full_cell));
      g_assert_cmpfloat (cell.y, ==, full_cell.y);
      g_assert_cmpfloat (cell.x, ==, full_cell.x);
      if (l > top)
        g_assert_cmpfloat (luminance_at (image, cell.x + cell.width / 2, cell.y + cell.height / 2), ==, background);
      else
        g_assert_cmpfloat (luminance_at (image, cell.x + cell.width / 2, cell.y + cell.height / 2), !=, background);
    }
  cairo_surface_destroy (image);
}

/* One example under every weight kind: the grids of a row of blocks line
 * up, though a title takes two lines ("Attention × gradient" sat a line
 * lower), at its own size and at a panel's */
static void
test_heatmap_kinds_aligned (void)
{
  static const double sizes[][2] = { { 0, 0 }, { 900, 300 }, { 640, 260 }, { 1200, 400 } };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.position = ATTN_POSITION_FOCUS;
  settings.weight_kinds = (1u << ATTN_N_WEIGHT_KINDS) - 1;
  fig = build (pronouns, "author-his", &settings, &style);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(AttnFigure) at = sizes[s][0] > 0 ? attn_figure_new_at_size (fig, sizes[s][0], sizes[s][1]) : NULL;
      AttnFigure *shown = at != NULL ? at : fig;
      guint n = attn_figure_get_n_grids (shown);

      g_assert_cmpuint (n, ==, ATTN_N_WEIGHT_KINDS);
      for (guint a = 0; a < n; a++)
        for (guint b = a + 1; b < n; b++)
          {
            AttnRect ca, cb;

            g_assert_true (attn_figure_get_cell (shown, a, 1, 0, &ca));
            g_assert_true (attn_figure_get_cell (shown, b, 1, 0, &cb));
            /* the same row, or rows apart */
            if (fabs (ca.y - cb.y) > 0.5)
              g_assert_cmpfloat (fabs (ca.y - cb.y), >, 6 * ca.height);
          }
    }
}

/* Flow's heatmap while it is computed (the values complete up to a layer):
 * every layer's row, those done filled, the title of the whole, a caption
 * that says how far it has got; complete, the usual caption */
static void
test_heatmap_filling (void)
{
  static const struct
  {
    guint       first;
    guint       done;
    const char *caption;
    guint       top;
  } cases[] = {
    { 0, 1, " · layer 1 of 12 so far · ", 1 },
    { 0, 3, " · layers 1–3 of 12 so far · ", 3 },
    { 5, 5, " · layer 5 of 5–12 so far · ", 5 },
    { 5, 7, " · layers 5–7 of 5–12 so far · ", 7 },
    { 0, 12, " · layers 1–12 · ", 12 },
    { 0, 0, " · layers 1–12 · ", 12 },
  };
  AttnExample *ex = attn_document_find_example (bert, "cat-mat", NULL);
  guint L = attn_example_get_n_layers (ex), n = attn_example_get_n_tokens (ex);
  AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
  g_autoptr(AttnGraph) graph = attn_graph_new (ex, &options, NULL, NULL);
  g_autofree double *values = g_new0 (double, (gsize) L * n);
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;

  g_assert_true (attn_method_importance (ATTN_METHOD_FLOW, graph, 0, 0, NULL, values, NULL, NULL));
  attn_figure_style_init (&style, TRUE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_FLOW;
  settings.position = 0;
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      AttnFigureInput input = { ex, "doc.json", graph, { NULL, NULL, values } };
      g_autoptr(AttnFigure) full = NULL;
      g_autoptr(AttnFigure) fig = NULL;
      g_autoptr(AttnFigure) at = NULL;
      AttnRect cell;

      settings.first_layer = cases[c].first;
      settings.layers_done = 0;
      fig = attn_figure_build (&input, 1, &settings, &style, NULL, NULL);
      full = attn_figure_new_at_size (fig, 900, 300);
      g_clear_pointer (&fig, attn_figure_unref);
      settings.layers_done = cases[c].done;
      fig = attn_figure_build (&input, 1, &settings, &style, NULL, NULL);
      g_assert_nonnull (strstr (attn_figure_get_caption (fig), cases[c].caption));
      g_assert_nonnull (strstr (attn_figure_get_title (fig), "at each layer"));
      at = attn_figure_new_at_size (fig, 900, 300);
      g_assert_cmpstr (attn_figure_get_caption (at), ==, attn_figure_get_caption (fig));
      /* every layer has its row from the start, so that nothing moves as
       * it fills in; those not computed yet are empty, without a value */
      for (guint l = MAX (cases[c].first, 1); l <= L; l++)
        {
          double value;

          g_assert_true (attn_figure_get_cell (at, 0, l, 0, &cell));
          g_assert_true (attn_figure_hit_cell (at, cell.x + cell.width / 2, cell.y + cell.height / 2,
                                               NULL, NULL, &value, NULL));
          if (l <= cases[c].top)
            g_assert_cmpfloat (value, ==, values[(gsize) (l - 1) * n]);
          else
            g_assert_true (isnan (value));
        }
      assert_rows_empty_above (at, full, MAX (cases[c].first, 1), L, cases[c].top);
    }
}

/* All Methods while flow's heatmap fills in: raw attention's and rollout's
 * rows are whole from the first (they stood empty above flow's, half a
 * minute at n = 2048), and so are their colour scales and the sentence of
 * the method shown; flow's rows above the layers done are empty, and the
 * caption says how far flow has got */
static void
test_heatmap_filling_all_methods (void)
{
  AttnExample *ex = attn_document_find_example (bert, "cat-mat", NULL);
  guint L = attn_example_get_n_layers (ex), n = attn_example_get_n_tokens (ex), done = 3;
  AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
  g_autoptr(AttnGraph) graph = attn_graph_new (ex, &options, NULL, NULL);
  double *values[ATTN_N_METHODS];
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput input = { ex, "doc.json", graph, { NULL, } };
  g_autoptr(AttnFigure) whole = NULL;
  g_autoptr(AttnFigure) filling = NULL;
  guint n_notes;

  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    {
      values[m] = g_new0 (double, (gsize) L * n);
      g_assert_true (attn_method_importance (m, graph, 0, 0, NULL, values[m], NULL, NULL));
      input.values[m] = values[m];
    }
  /* flow above the layers done is not computed yet */
  for (gsize i = (gsize) done * n; i < (gsize) L * n; i++)
    values[ATTN_METHOD_FLOW][i] = 0.;
  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.all_methods = TRUE;
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.position = 0;
  whole = attn_figure_build (&input, 1, &settings, &style, NULL, NULL);
  settings.layers_done = done;
  filling = attn_figure_build (&input, 1, &settings, &style, NULL, NULL);
  g_test_message ("%s", attn_figure_get_caption (filling));
  g_assert_nonnull (strstr (attn_figure_get_caption (filling), " · layers 1–12, flow’s layers 1–3 so far · "));
  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    for (guint l = 1; l <= L; l++)
      for (guint k = 0; k < n; k++)
        {
          AttnRect cell;
          double value;

          g_assert_true (attn_figure_get_cell (filling, m, l, k, &cell));
          g_assert_true (attn_figure_hit_cell (filling, cell.x + cell.width / 2, cell.y + cell.height / 2,
                                               NULL, NULL, &value, NULL));
          if (m != ATTN_METHOD_FLOW || l <= done)
            g_assert_cmpfloat (value, ==, values[m][(gsize) (l - 1) * n + k]);
          else
            g_assert_true (isnan (value));
        }
  /* raw attention's and rollout's colour bars as when flow is whole */
  for (guint i = 0; i < attn_figure_get_n_labels (whole); i++)
    if (attn_figure_get_label (whole, i)->kind == ATTN_LABEL_SCALE)
      g_assert_cmpstr (attn_figure_get_label (filling, i)->text, ==, attn_figure_get_label (whole, i)->text);
  /* each block's sentence is of its top row computed */
  first_label_of (filling, ATTN_LABEL_NOTE, &n_notes);
  g_assert_cmpuint (n_notes, ==, ATTN_N_METHODS);
  for (guint i = 0, m = 0; i < attn_figure_get_n_labels (filling); i++)
    if (attn_figure_get_label (filling, i)->kind == ATTN_LABEL_NOTE)
      g_assert_cmpstr (attn_figure_get_label (filling, i)->text, ==, m++ == ATTN_METHOD_FLOW ? "Layer 3" : "Layer 12");
  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    g_free (values[m]);
}

/* A value as the views print it: four decimals from 0.001 up (and 0),
 * three significant digits and an exponent below, a real minus sign */
static void
test_format_value (void)
{
  static const struct
  {
    double      value;
    const char *text;
  } cases[] = {
    { 0., "0.0000" }, { -0., "0.0000" }, { 0.5, "0.5000" }, { 0.0730, "0.0730" }, { 1., "1.0000" },
    { 0.001, "0.0010" }, { -0.5, "−0.5000" }, { 0.00065, "6.50e−04" }, { -0.00065, "−6.50e−04" },
    { 1e-9, "1.00e−09" }, { 0.000999996, "1.00e−03" }, { 1.234e-123, "1.23e−123" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = attn_format_value (cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* A graph too narrow for every token label keeps those of the selected
 * node, the sink, the pronoun and its antecedents, on their columns, and
 * thins the others around them */
static void
test_graph_marked_labels (void)
{
  AttnExample *ex = attn_document_find_example (pronouns, "trophy-big", NULL);
  guint n = attn_example_get_n_tokens (ex);
  /* the pronoun “it” (11), “trophy” (2) and “suitcase” (9), a selected
   * node and a sink beside them, the first and the last token */
  static const guint marked[] = { 11, 2, 9, 5, 10, 0, 16 };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput input = { ex, NULL };
  g_autoptr(AttnFigure) fig = NULL;
  GError *error = NULL;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_GRAPH;
  settings.method = ATTN_METHOD_FLOW;
  settings.position = 5;
  settings.layer = attn_example_get_n_layers (ex);
  settings.sink = 10;
  fig = attn_figure_build (&input, 1, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  /* 470 px high: the scene keeps the window's room for the captions of
   * every method and weight kind (with the model's name, a line or two
   * more: 450 px was enough without), and the labels room for a view's
   * cursor ring (at 440 px, without the model, the rows took the labels above) */
  for (double width = 240; width <= 330; width += 30)
    {
      g_autoptr(AttnFigure) at = attn_figure_new_from_scene_at_size (attn_figure_get_graph_scene (fig, 0),
                                                                      &style, width, 470);
      AttnGraphLayout *layout = attn_figure_get_graph_layout (at, 0, NULL, NULL);
      guint n_labels = attn_graph_layout_get_n_labels (layout);
      guint shown[2] = { 0, 0 };
      double w, h;

      attn_figure_get_size (at, &w, &h);
      assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
      for (guint i = 0; i < n_labels; i++)
        {
          const AttnLabel *label = attn_graph_layout_get_label (layout, i);

          if (label->kind == ATTN_LABEL_TOKEN_BOTTOM || label->kind == ATTN_LABEL_TOKEN_TOP)
            shown[label->kind == ATTN_LABEL_TOKEN_TOP]++;
        }
      g_test_message ("%g px: %u of %u token labels below, %u above", width, shown[0], n, shown[1]);
      g_assert_cmpuint (shown[0], <, n);
      g_assert_cmpuint (shown[0], ==, shown[1]);

      for (guint m = 0; m < G_N_ELEMENTS (marked); m++)
        for (guint kind = ATTN_LABEL_TOKEN_BOTTOM; kind <= ATTN_LABEL_TOKEN_TOP; kind++)
          {
            double x, y;
            gboolean found = FALSE;

            attn_graph_layout_get_node (layout, 0, marked[m], &x, &y);
            for (guint i = 0; i < n_labels && !found; i++)
              {
                const AttnLabel *label = attn_graph_layout_get_label (layout, i);

                /* on its column, or pushed aside by its neighbours' labels */
                found = label->kind == kind && label->index == marked[m]
                        && fabs (label->box.x + label->box.width / 2 - x) <= 3 * label->box.width;
              }
            if (!found)
              g_error ("%g px: no label %s column %u “%s”", width,
                       kind == ATTN_LABEL_TOKEN_TOP ? "above" : "under", marked[m],
                       attn_example_get_token (ex, marked[m]));
          }

      /* the selected node's token above and the sink's below in the accent
       * colour, the others not */
      {
        cairo_surface_t *image = attn_figure_render_image (at, 2., NULL);

        for (guint i = 0; i < n_labels; i++)
          {
            const AttnLabel *label = attn_graph_layout_get_label (layout, i);
            guint accent = count_pixels (image, 2 * label->box.x, 2 * label->box.y, 2 * (label->box.x + label->box.width),
                                         2 * (label->box.y + label->box.height), is_accent);

            if ((label->kind == ATTN_LABEL_TOKEN_TOP && label->index == 5) ||
                (label->kind == ATTN_LABEL_TOKEN_BOTTOM && label->index == 10))
              g_assert_cmpuint (accent, >, 10);
            else if (label->kind == ATTN_LABEL_TOKEN_TOP || label->kind == ATTN_LABEL_TOKEN_BOTTOM)
              g_assert_cmpuint (accent, ==, 0);
          }
        cairo_surface_destroy (image);
      }
    }
}

/* sst2-0551 and sst2-1125 predicting @labels[1] over @labels[0] */
static AttnDocument *
sst2_with_labels (const char * const labels[2])
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "sst2-bert.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonArray *examples;
  AttnDocument *doc;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  examples = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "examples");
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *prediction = json_object_get_object_member (json_array_get_object_element (examples, i),
                                                              "prediction");
      JsonArray *candidates = json_object_get_array_member (prediction, "candidates");

      json_object_set_string_member (prediction, "label", labels[1]);
      for (guint c = 0; c < 2; c++)
        json_object_set_string_member (json_array_get_object_element (candidates, c), "label", labels[c]);
    }
  json_generator_set_root (generator, json_parser_get_root (parser));
  text = json_generator_to_data (generator, NULL);
  doc = attn_document_load_from_data (text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  return doc;
}

/* Each prediction label's box holds its text as drawn (wrapped at its wrap
 * width); returns how many wrap */
static guint
assert_boxes_hold_text (AttnFigure            *fig,
                        const AttnFigureStyle *style)
{
  g_autoptr(AttnPangoContext) context = _attn_text_context_new ();
  guint wrapped = 0;

  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *label = attn_figure_get_label (fig, i);
      double w, h;

      if (label->kind != ATTN_LABEL_PREDICTION)
        continue;
      _attn_text_measure (context, style, label->text, label->font_size, label->bold, label->wrap_width, &w, &h);
      if (h > label->box.height + 0.5 || w > label->box.width + 0.5)
        g_error ("“%s” is drawn %gx%g in a box of %gx%g", label->text, w, h, label->box.width,
                 label->box.height);
      wrapped += label->wrap_width > 0.;
    }
  return wrapped;
}

/* The heatmap (@kind 0) of all methods of @doc's first example, or
 * (@kind 1) their comparison with its second, at its natural size */
static AttnFigure *
build_predicted (AttnDocument          *doc,
                 guint                  kind,
                 const AttnFigureStyle *style)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureInput inputs[2] = {
    { attn_document_get_example (doc, 0), "sst2.json" },
    { attn_document_get_example (doc, 1), "sst2.json" },
  };
  GError *error = NULL;
  AttnFigure *fig;

  settings.kind = kind == 0 ? ATTN_FIGURE_HEATMAP : ATTN_FIGURE_COMPARE;
  settings.all_methods = TRUE;
  fig = attn_figure_build (inputs, kind + 1, &settings, style, NULL, &error);
  g_assert_no_error (error);
  return fig;
}

/* Long candidate labels wrap: their rows as high as their lines, no label
 * over another, in the heatmap (at its size and fitted) and the comparison */
static void
test_long_prediction_labels (void)
{
  static const char * const short_labels[2] = { "strongly negative review", "strongly positive review" };
  static const char * const long_labels[2] = {
    "negative",
    "a label of eighty characters that wraps over several lines in the prediction bars",
  };
  AttnFigureStyle style;
  guint wrapped[2] = { 0, 0 };

  attn_figure_style_init (&style, FALSE);
  g_assert_cmpuint (strlen (long_labels[1]), >=, 80);
  for (guint l = 0; l < 2; l++)
    {
      g_autoptr(AttnDocument) doc = sst2_with_labels (l == 0 ? short_labels : long_labels);

      for (guint kind = 0; kind < 2; kind++)
        {
          g_autoptr(AttnFigure) fig = build_predicted (doc, kind, &style);
          g_autoptr(AttnFigure) at = NULL;
          double w, h;

          g_assert_cmpuint (count_labels (fig, ATTN_LABEL_PREDICTION), ==, 4 * (kind + 1));
          attn_figure_get_size (fig, &w, &h);
          assert_labels_fit (attn_figure_get_n_labels (fig), figure_label, fig, w, h);
          wrapped[l] += assert_boxes_hold_text (fig, &style);
          at = attn_figure_new_at_size (fig, 900, 500);
          attn_figure_get_size (at, &w, &h);
          assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
          wrapped[l] += assert_boxes_hold_text (at, &style);
        }
    }
  /* the 80 characters wrap in every figure, “strongly positive review” in some */
  g_test_message ("wrapped: %u, %u", wrapped[0], wrapped[1]);
  g_assert_cmpuint (wrapped[0], >=, 1);
  g_assert_cmpuint (wrapped[1], >=, 6);
}

/* The bar in the row of candidate label @label of @fig: the swatch right
 * of it whose top is its top's (2 px under the row's, the bar 3 px) */
static const Swatch *
candidate_bar (AttnFigure      *fig,
               const AttnLabel *label)
{
  const Swatch *bar = NULL;

  for (guint k = 0; k < fig->swatches->len; k++)
    {
      const Swatch *swatch = &g_array_index (fig->swatches, Swatch, k);

      if (fabs (swatch->rect.y - (label->box.y + 1.)) < 0.01 && swatch->rect.x > label->box.x &&
          (bar == NULL || swatch->rect.x < bar->rect.x))
        bar = swatch;
    }
  g_assert_nonnull (bar);
  return bar;
}

/* Candidate labels with invisible characters, drawn as escapes
 * (“ye\u200bs”), are measured so: each fits left of its
 * bar (6 px from it in a row each, 4 px in a line). Their room was
 * measured from the text before escaping, narrower: a label of invisible
 * characters alone had none, and was drawn over its bar; the others
 * wrapped where they had room whole. */
static void
test_escaped_prediction_labels (void)
{
  static const char * const invisible[2] = { "\u200b\u200b", "\u2060\ufeff\u200b" };
  static const char * const within[2] = { "no\u200b", "ye\u200bs" };
  AttnFigureStyle style;

  attn_figure_style_init (&style, FALSE);
  for (guint l = 0; l < 2; l++)
    {
      g_autoptr(AttnDocument) doc = sst2_with_labels (l == 0 ? invisible : within);

      for (guint kind = 0; kind < 2; kind++)
        {
          g_autoptr(AttnFigure) fig = build_predicted (doc, kind, &style);
          g_autoptr(AttnFigure) at = attn_figure_new_at_size (fig, 900, 500);
          guint names = 0;

          for (guint f = 0; f < 2; f++)
            {
              AttnFigure *one = f == 0 ? fig : at;

              for (guint i = 0; i < attn_figure_get_n_labels (one); i++)
                {
                  const AttnLabel *label = attn_figure_get_label (one, i);
                  const Swatch *bar;

                  if (label->kind != ATTN_LABEL_PREDICTION || g_str_has_suffix (label->text, "%"))
                    continue;
                  g_assert_nonnull (strstr (label->text, "\\u200b"));
                  bar = candidate_bar (one, label);
                  if (label->box.x + label->box.width > bar->rect.x - 4. + 0.01)
                    g_error ("“%s” at %g, %g wide, reaches past %g, 4 px left of its bar", label->text,
                             label->box.x, label->box.width, bar->rect.x - 4.);
                  /* at its natural size, each in a line */
                  if (f == 0)
                    g_assert_cmpfloat (label->wrap_width, ==, 0.);
                  names++;
                }
            }
          g_assert_cmpuint (names, ==, 2 * 2 * (kind + 1));
        }
    }
}

#define PREDICTION_HEADING "Model’s prediction"

/* A word of a PDF's text and its box (pdftotext -bbox), in points: the
 * figure's pixels (a page under 14,400 pt) */
typedef struct
{
  char     *text;
  AttnRect  box;
} PdfWord;

static void
pdf_word_clear (gpointer data)
{
  g_free (((PdfWord *) data)->text);
}

/* The words @fig, saved as PDF, is drawn with, and their boxes */
static GArray *
pdf_words (AttnFigure *fig)
{
  g_autofree char *pdf = tmp_path ("prediction-heading.pdf");
  g_autoptr(GFile) file = g_file_new_for_path (pdf);
  g_autofree char *command = g_strdup_printf ("pdftotext -bbox %s -", pdf);
  g_autofree char *out = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" "
                                         "yMax=\"([0-9.]+)\">([^<]*)</word>", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GArray *words = g_array_new (FALSE, TRUE, sizeof (PdfWord));
  GError *error = NULL;
  int status;

  g_array_set_clear_func (words, pdf_word_clear);
  g_assert_true (attn_figure_save (fig, file, ATTN_EXPORT_PDF, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_command_line_sync (command, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  for (g_regex_match (regex, out, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      PdfWord word;
      double v[4];

      for (guint i = 0; i < 4; i++)
        {
          g_autofree char *n = g_match_info_fetch (match, i + 1);

          v[i] = g_ascii_strtod (n, NULL);
        }
      word.text = g_match_info_fetch (match, 5);
      word.box = (AttnRect) { v[0], v[1], v[2] - v[0], v[3] - v[1] };
      g_array_append_val (words, word);
    }
  return words;
}

/* Whether @text, a value as a cell prints it (".0285", "−.12", "1.0"),
 * is @value to three significant digits */
static gboolean
prints_value (const char *text,
              double      value)
{
  g_autofree char *number = NULL;

  if (g_str_has_prefix (text, "−"))
    text += strlen ("−");
  number = g_strconcat ("0", text, NULL);
  return fabs (g_ascii_strtod (number, NULL) - fabs (value)) <= 0.005 * fabs (value) + 1e-12;
}

/* Whether a box centred in @cell is in @cell */
static gboolean
centred_in (const AttnRect *box,
            const AttnRect *cell)
{
  double x = box->x + box->width / 2, y = box->y + box->height / 2;

  return x > cell->x && x < cell->x + cell->width && y > cell->y && y < cell->y + cell->height;
}

/* His and her compared in the compare window's panel at 900 x 600 (645 x
 * 548) and on a 1280 x 800 screen (945 x 708): every cell of each
 * antecedent panel prints its value, as a label in the cell and as a word
 * of the saved PDF (at 900 x 600 the panels' rows followed the heatmaps'
 * down to 9 px, too low for a value: none was printed, only the tooltip
 * told the candidates apart); the values fit their cells, no label
 * overlaps another or leaves the figure, and its smallest text is the
 * view's least (9 px), so the view pans the figure, not shrinks it */
static void
test_compare_antecedent_values (void)
{
  static const double sizes[][2] = { { 645, 548 }, { 945, 708 } };
  AttnFigureInput inputs[2] = {
    { attn_document_find_example (pronouns, "author-his", NULL), NULL },
    { attn_document_find_example (pronouns, "author-her", NULL), NULL },
  };
  gboolean pdf = have_program ("pdftotext");

  g_assert_true (pdf || !in_ci ());
  for (guint all = 0; all < 2; all++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
        AttnFigureStyle style;
        g_autoptr(AttnFigure) built = NULL;
        g_autoptr(AttnFigure) at = NULL;
        g_autoptr(GArray) words = NULL;
        GError *error = NULL;
        guint n_cells = 0;
        double w, h;

        attn_figure_style_init (&style, FALSE);
        settings.kind = ATTN_FIGURE_COMPARE;
        settings.method = ATTN_METHOD_ROLLOUT;
        settings.all_methods = all;
        built = attn_figure_build (inputs, 2, &settings, &style, NULL, &error);
        g_assert_no_error (error);
        at = attn_figure_new_at_size (built, sizes[s][0], sizes[s][1]);
        attn_figure_get_size (at, &w, &h);
        g_test_message ("%s at %gx%g: %gx%g", all ? "all methods" : "rollout", sizes[s][0], sizes[s][1], w, h);
        assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
        g_assert_cmpfloat (attn_figure_get_text_size (at), >=, 9.);
        if (pdf)
          words = pdf_words (at);
        for (guint g = 0; g < attn_figure_get_n_grids (at); g++)
          {
            AttnRect cell;

            /* the panels' grids: a column per candidate (author, sara) */
            if (!attn_figure_get_cell (at, g, 6, 1, &cell) || attn_figure_get_cell (at, g, 6, 2, &cell))
              continue;
            for (guint layer = 1; layer <= 6; layer++)
              for (guint column = 0; column < 2; column++)
                {
                  gboolean labelled = FALSE, drawn = !pdf;
                  double value;

                  g_assert_true (attn_figure_get_cell (at, g, layer, column, &cell));
                  g_assert_true (attn_figure_hit_cell (at, cell.x + cell.width / 2, cell.y + cell.height / 2, NULL,
                                                       NULL, &value, NULL));
                  for (guint i = 0; i < attn_figure_get_n_labels (at); i++)
                    {
                      const AttnLabel *label = attn_figure_get_label (at, i);

                      if (label->kind == ATTN_LABEL_VALUE && centred_in (&label->box, &cell))
                        {
                          g_assert_true (prints_value (label->text, value));
                          g_assert_cmpfloat (label->box.x, >=, cell.x);
                          g_assert_cmpfloat (label->box.x + label->box.width, <=, cell.x + cell.width);
                          g_assert_cmpfloat (label->box.height, <=, cell.height);
                          labelled = TRUE;
                        }
                    }
                  for (guint i = 0; words != NULL && i < words->len; i++)
                    {
                      const PdfWord *word = &g_array_index (words, PdfWord, i);

                      drawn |= centred_in (&word->box, &cell) && prints_value (word->text, value);
                    }
                  if (!labelled || !drawn)
                    g_error ("grid %u, layer %u, candidate %u (%g, a %gx%g cell): its value is not %s", g, layer,
                             column, value, cell.width, cell.height, labelled ? "in the PDF" : "printed");
                  n_cells++;
                }
          }
        /* two examples' panels, a row of them per method */
        g_assert_cmpuint (n_cells, ==, 2 * 6 * 2 * (all ? ATTN_N_METHODS : 1));
      }
}

/* Whether @word is one of the words of PREDICTION_HEADING */
static gboolean
heading_word (const char *word)
{
  g_auto(GStrv) parts = g_strsplit (PREDICTION_HEADING, " ", -1);

  return g_strv_contains ((const char * const *) parts, word);
}

/* The first of the labels of the bars under or beside @heading (the label
 * after it): under it at its left edge, or on its first line past it.
 * Returns whether it is beside it. */
static gboolean
bars_follow (const AttnFigure *fig,
             const AttnLabel  *heading)
{
  const AttnLabel *first = heading + 1;
  double bottom = heading->box.y + heading->box.height, right = heading->box.x + heading->box.width;

  g_assert_cmpint (first->kind, ==, ATTN_LABEL_PREDICTION);
  if (fabs (first->box.x - heading->box.x) < 0.01)
    {
      g_assert_cmpfloat (first->box.y, >=, bottom);
      g_assert_cmpfloat (first->box.y, <, bottom + 10.);
      return FALSE;
    }
  g_assert_cmpfloat (fabs (first->box.y - heading->box.y), <, 1.);
  g_assert_cmpfloat (first->box.x, >=, right + 6.);
  return TRUE;
}

/* In the PDF of @fig, its @n headings drawn where its labels say, and
 * the first label of the bars (@first) where their labels say, under or
 * past the heading's words; no word of a heading over another word or a
 * bar */
static void
assert_pdf_headings (AttnFigure *fig,
                     guint       n,
                     const char *first)
{
  g_autoptr(GArray) words = pdf_words (fig);
  guint found = 0;

  for (guint i = 0; i < words->len; i++)
    {
      const PdfWord *w = &g_array_index (words, PdfWord, i);
      const AttnLabel *heading = NULL;
      gboolean beside;

      if (!heading_word (w->text))
        continue;
      for (guint j = 0; j < words->len; j++)
        {
          const PdfWord *o = &g_array_index (words, PdfWord, j);

          if (!heading_word (o->text) && rects_overlap (&w->box, &o->box))
            g_error ("“%s” over “%s” at %g,%g", w->text, o->text, o->box.x, o->box.y);
        }
      for (guint s = 0; s < fig->swatches->len; s++)
        g_assert_false (rects_overlap (&w->box, &g_array_index (fig->swatches, Swatch, s).rect));
      if (strcmp (w->text, "Model’s") != 0)
        continue;
      for (guint l = 0; l < attn_figure_get_n_labels (fig) && heading == NULL; l++)
        {
          const AttnLabel *label = attn_figure_get_label (fig, l);

          if (g_strcmp0 (label->text, PREDICTION_HEADING) == 0 && fabs (label->box.x - w->box.x) < 1.
              && w->box.y >= label->box.y - 1. && w->box.y < label->box.y + label->box.height)
            heading = label;
        }
      g_assert_nonnull (heading);
      beside = bars_follow (fig, heading);
      /* the bars' first word, drawn where its label is */
      for (guint j = 0; j < words->len; j++)
        {
          const PdfWord *o = &g_array_index (words, PdfWord, j);

          if (strcmp (o->text, first) != 0 || fabs (o->box.x - heading[1].box.x) >= 1.
              || fabs (o->box.y - heading[1].box.y) >= 2.)
            continue;
          if (beside)
            g_assert_cmpfloat (o->box.x, >=, w->box.x + w->box.width);
          else
            g_assert_cmpfloat (o->box.y, >=, w->box.y + w->box.height - 0.5);
          found++;
        }
    }
  g_assert_cmpuint (found, ==, n);
}

/* In @fig, @n prediction headings, each styled as the sentence's layer
 * (small, muted), followed by its bars' labels, all under it or past it;
 * no bar under a heading; no label over another or past the figure's
 * edges. Returns the figure's size in @w and @h. */
static void
assert_prediction_headings (AttnFigure *fig,
                            guint       n,
                            double     *w,
                            double     *h)
{
  const AttnLabel *layer = NULL;
  guint found = 0, bars = 0;

  for (guint i = 0; i < attn_figure_get_n_labels (fig) && layer == NULL; i++)
    if (attn_figure_get_label (fig, i)->kind == ATTN_LABEL_NOTE
        && g_str_has_prefix (attn_figure_get_label (fig, i)->text, "Layer "))
      layer = attn_figure_get_label (fig, i);
  attn_figure_get_size (fig, w, h);
  assert_labels_fit (attn_figure_get_n_labels (fig), figure_label, fig, *w, *h);
  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *heading = attn_figure_get_label (fig, i);
      double bottom = heading->box.y + heading->box.height, right = heading->box.x + heading->box.width;

      if (g_strcmp0 (heading->text, PREDICTION_HEADING) != 0)
        continue;
      /* as the sentence's “Layer 12” (drawn muted as a note), where there is one */
      g_assert_cmpint (heading->kind, ==, ATTN_LABEL_NOTE);
      g_assert_false (heading->bold);
      if (layer != NULL)
        g_assert_cmpfloat (heading->font_size, ==, layer->font_size);
      found++;
      bars_follow (fig, heading);
      /* two candidates: a label and a probability each */
      for (guint j = i + 1; j < i + 5; j++)
        {
          const AttnLabel *bar = attn_figure_get_label (fig, j);

          g_assert_cmpint (bar->kind, ==, ATTN_LABEL_PREDICTION);
          g_assert_true (bar->box.y >= bottom || bar->box.x >= right);
        }
      for (guint s = 0; s < fig->swatches->len; s++)
        {
          const Swatch *swatch = &g_array_index (fig->swatches, Swatch, s);

          g_assert_false (rects_overlap (&heading->box, &swatch->rect));
          bars += swatch->t < 0. && swatch->rect.y >= heading->box.y && swatch->rect.y < bottom + 40.
                  && swatch->rect.x > heading->box.x && swatch->rect.x < heading->box.x + 600.;
        }
    }
  g_assert_cmpuint (found, ==, n);
  g_assert_cmpuint (bars, >=, 2 * n);
}

/* The prediction bars under or beside a heading that says what they are,
 * the model's prediction (a reader took “negative 0.0% / positive 100.0%”
 * without one for part of the heatmap): in the heatmap (one method or
 * all), the comparison and its candidates' section, at their natural size
 * and in the heatmap panels of a 1280 x 800 and a 900 x 600 window, drawn
 * in the PDF where the figure's labels say, clear of every other word and
 * bar; a heatmap of one method laid out at a panel's size fits in it */
static void
test_prediction_heading (void)
{
  g_autoptr(AttnDocument) pronouns_predicted = pronouns_with_predictions ();
  const int sizes[][2] = { { 0, 0 }, { 989, 235 }, { 609, 163 } };
  const struct
  {
    AttnDocument   *doc;
    const char     *ids[2];
    AttnFigureKind  kind;
    gboolean        all_methods;
    guint           n_headings;
    const char     *first;
    gboolean        fits;
  } cases[] = {
    { sst2, { "sst2-0551" }, ATTN_FIGURE_HEATMAP, FALSE, 1, "negative", TRUE },
    { sst2, { "sst2-1125" }, ATTN_FIGURE_HEATMAP, TRUE, 1, "negative", FALSE },
    { sst2, { "sst2-0551", "sst2-1125" }, ATTN_FIGURE_COMPARE, FALSE, 2, "negative", FALSE },
    { pronouns_predicted, { "author-his" }, ATTN_FIGURE_HEATMAP, FALSE, 1, "his", TRUE },
    /* the comparison's heads and its candidates' section, a heading each */
    { pronouns_predicted, { "author-his", "author-her" }, ATTN_FIGURE_COMPARE, FALSE, 4, "his", FALSE },
  };
  AttnFigureStyle style;

  g_assert_true (have_program ("pdftotext") || !in_ci ());
  attn_figure_style_init (&style, FALSE);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
      AttnFigureInput inputs[2];
      guint n_inputs = cases[c].ids[1] != NULL ? 2 : 1;
      g_autoptr(AttnFigure) fig = NULL;
      GError *error = NULL;

      for (guint e = 0; e < n_inputs; e++)
        inputs[e] = (AttnFigureInput) { attn_document_find_example (cases[c].doc, cases[c].ids[e], NULL), "x.json" };
      settings.kind = cases[c].kind;
      settings.all_methods = cases[c].all_methods;
      fig = attn_figure_build (inputs, n_inputs, &settings, &style, NULL, &error);
      g_assert_no_error (error);
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          g_autoptr(AttnFigure) at = sizes[s][0] > 0 ? attn_figure_new_at_size (fig, sizes[s][0], sizes[s][1])
                                                     : attn_figure_ref (fig);
          double w, h;

          assert_prediction_headings (at, cases[c].n_headings, &w, &h);
          g_test_message ("case %u at %dx%d: %gx%g", c, sizes[s][0], sizes[s][1], w, h);
          /* (sst2-1125's sentence, a line longer, and all methods' blocks
           * are shrunk to fit a 900 x 600 window's panel, heading or not;
           * rows too low to read there are scrolled) */
          if (sizes[s][0] > 0 && cases[c].fits && !laid_out_to_scroll (at, sizes[s][0], sizes[s][1]))
            {
              g_assert_cmpfloat (w, <=, sizes[s][0] + 0.5);
              g_assert_cmpfloat (h, <=, sizes[s][1] + 0.5);
            }
          if (have_program ("pdftotext"))
            assert_pdf_headings (at, cases[c].n_headings, cases[c].first);
        }
    }
}

/* Saving never damages what was there */

/* cairo 1.18 (Debian 13) leaks a PDF page's buffers when a write fails
 * inside cairo_show_page(): LeakSanitizer ignores what is allocated while a
 * save that is made to fail runs there. With cairo 1.16 (Debian 12) it checks
 * those saves too, ours and cairo's allocations alike. */
static void
failing_save_begin (void)
{
#if defined(TEST_LSAN) && CAIRO_VERSION >= CAIRO_VERSION_ENCODE (1, 17, 0)
  __lsan_disable ();
#endif
}

static void
failing_save_end (void)
{
#if defined(TEST_LSAN) && CAIRO_VERSION >= CAIRO_VERSION_ENCODE (1, 17, 0)
  __lsan_enable ();
#endif
}

static void
test_save_atomic (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  g_autofree char *dir = tmp_path ("a-directory.png");
  g_autofree char *sub = g_build_filename (tmpdir, "atomic", NULL);
  g_autofree char *existing = g_build_filename (sub, "old.svg", NULL);
  g_autofree char *fresh = g_build_filename (sub, "new.pdf", NULL);
  g_autoptr(GFile) dir_file = g_file_new_for_path (dir);
  g_autoptr(GFile) existing_file = g_file_new_for_path (existing);
  g_autoptr(GFile) fresh_file = g_file_new_for_path (fresh);
  g_autofree char *contents = NULL;
  GError *error = NULL;
  GDir *listing;
  guint n_entries = 0;
  AttnExportFormat format;

  attn_figure_style_init (&style, FALSE);
  settings.method = ATTN_METHOD_RAW;
  fig = build (bert, "cat-mat", &settings, &style);

  /* format from the name */
  g_assert_true (attn_export_format_from_path ("x/Figure.PDF", &format, NULL));
  g_assert_cmpint (format, ==, ATTN_EXPORT_PDF);
  g_assert_false (attn_export_format_from_path ("figure.jpg", &format, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (attn_export_format_from_path ("dir.png/figure", &format, &error));
  g_clear_error (&error);

  /* the target is a directory */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_false (attn_figure_save (fig, dir_file, ATTN_EXPORT_PNG, 1, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "a-directory.png"));
  g_clear_error (&error);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));

  /* a write fails half way: the old file stays as it was, no temporary is left */
  g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);
  g_assert_true (g_file_set_contents (existing, "old contents", -1, NULL));
  for (guint f = 0; f < 3; f++)
    {
      gpointer limit = GSIZE_TO_POINTER (f == 0 ? 0 : 1000);

      failing_save_begin ();
      g_assert_false (_attn_figure_save_through (fig, existing_file, NULL, f, 1, failing_stream_new, limit,
                                                 NULL, &error));
      failing_save_end ();
      g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
      g_assert_nonnull (strstr (error->message, "No space left on device"));
      g_clear_error (&error);
      g_assert_true (g_file_get_contents (existing, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "old contents");
      g_clear_pointer (&contents, g_free);

      failing_save_begin ();
      g_assert_false (_attn_figure_save_through (fig, fresh_file, NULL, f, 1, failing_stream_new, limit,
                                                 NULL, &error));
      failing_save_end ();
      g_clear_error (&error);
      g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
    }

  listing = g_dir_open (sub, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n_entries++;
  g_dir_close (listing);
  g_assert_cmpuint (n_entries, ==, 1);

  /* and a good save replaces it */
  g_assert_true (attn_figure_save (fig, existing_file, ATTN_EXPORT_SVG, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (existing, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "<?xml"));

  /* too large for a PNG: a clear error, nothing written */
  {
    AttnFigureSettings all = ATTN_FIGURE_SETTINGS_INIT;
    g_autoptr(AttnFigure) wide = NULL;
    double w, h;

    all.all_methods = TRUE;
    all.method = ATTN_METHOD_RAW;
    wide = build (sst2, "sst2-0551", &all, &style);
    attn_figure_get_size (wide, &w, &h);
    g_assert_cmpfloat (w * 8, >, 32767);
    g_assert_false (attn_figure_save (wide, fresh_file, ATTN_EXPORT_PNG, 8, NULL, &error));
    g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
    g_assert_nonnull (strstr (error->message, "32767"));
    /* it names the largest scale that fits */
    {
      const char *at_most = strstr (error->message, "at most ");
      double fits;

      g_assert_nonnull (at_most);
      fits = g_ascii_strtod (at_most + strlen ("at most "), NULL);
      g_assert_cmpfloat (ceil (MAX (w, h) * fits), <=, 32767);
      g_assert_cmpfloat (ceil (MAX (w, h) * (fits + 0.01)), >, 32767);
      g_clear_error (&error);
    }
    g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
  }

  /* a cancelled save reports it */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_false (attn_figure_save (fig, fresh_file, ATTN_EXPORT_PNG, 1, cancellable, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
  }
}

/* The stream of a save, passed on as it is, noting whether the target
 * already exists under its name while the figure is written */
typedef struct
{
  GFile    *target;
  gboolean  seen;
} TargetProbe;

static GOutputStream *
probe_target_stream (GOutputStream *base,
                     gpointer       user_data)
{
  TargetProbe *probe = user_data;

  probe->seen = g_file_query_exists (probe->target, NULL);
  return g_object_ref (base);
}

/* A figure saved under a name that does not exist yet is written beside it
 * and moved there whole: a run killed half way (Ctrl+C during a batch)
 * leaves no truncated figure under that name. So does a name too long to
 * take a temporary file's suffix. */
static void
test_save_new_file (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  g_autofree char *sub = g_build_filename (tmpdir, "new-file", NULL);
  g_autofree char *long_name = g_strnfill (250, 'x');
  const char *names[] = { "figure.svg", NULL };
  GError *error = NULL;

  names[1] = long_name;
  attn_figure_style_init (&style, FALSE);
  settings.method = ATTN_METHOD_RAW;
  fig = build (bert, "cat-mat", &settings, &style);
  g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (sub, names[i], NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      TargetProbe probe = { file, TRUE };
      g_autofree char *contents = NULL;
      GDir *listing;
      const char *entry;
      guint n_entries = 0;

      g_assert_true (_attn_figure_save_through (fig, file, NULL, ATTN_EXPORT_SVG, 1, probe_target_stream,
                                                &probe, NULL, &error));
      g_assert_no_error (error);
      g_assert_false (probe.seen);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_true (g_str_has_prefix (contents, "<?xml"));
      g_assert_nonnull (strstr (contents, "</svg>"));

      /* the temporary file became the figure: nothing else is left */
      listing = g_dir_open (sub, 0, NULL);
      while ((entry = g_dir_read_name (listing)) != NULL)
        {
          g_assert_cmpstr (entry, ==, names[i]);
          n_entries++;
        }
      g_dir_close (listing);
      g_assert_cmpuint (n_entries, ==, 1);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
}

/* A PNG too large at the size asked for (a graph of one method laid out at
 * 5000 x 5000, at scale 8: 40000 pixels a side) is refused before anything
 * is computed, with the message its save gives once it is (flow at n = 2048
 * took 7 s to be refused): the window's build and save, and a batch's */
static void
test_png_refused_before_compute (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureInput input = { attn_document_find_example (bert, "cat-mat", NULL), "bert.json" };
  AttnFigureStyle style;
  g_autofree char *path = tmp_path ("too-large.png");
  g_autofree char *folder_path = tmp_path ("too-large");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) batch_error = NULL;
  g_autoptr(GError) computed_error = NULL;
  g_autoptr(AttnFigure) fig = NULL;
  g_autofree char *expected = NULL;
  guint computed;

  attn_figure_style_init (&style, FALSE);
  settings.method = ATTN_METHOD_FLOW;
  computed = _attn_trace_get_n_computed ();
  attn_figure_build_and_save_async (&input, 1, &settings, &style, 5000., 5000., file, 8., NULL, got_result_cb,
                                    &result);
  g_assert_false (attn_figure_save_finish (wait_for_result (&result), NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
  g_assert_cmpuint (_attn_trace_get_n_computed (), ==, computed);
  g_assert_false (attn_figure_save_batch (&(AttnBatchRequest) { .inputs = &input, .n_inputs = 1,
                                          .settings = &settings, .style = &style, .folder = folder,
                                          .format = ATTN_EXPORT_PNG, .scale = 8., .width = 5000.,
                                          .height = 5000. },
                                          NULL, NULL, NULL, NULL, &batch_error));
  g_assert_cmpuint (_attn_trace_get_n_computed (), ==, computed);

  /* the message of the save once computed (the counter counts) */
  fig = attn_figure_build_at_size (&input, 1, &settings, &style, 5000., 5000., NULL, &computed_error);
  g_assert_no_error (computed_error);
  g_assert_cmpuint (_attn_trace_get_n_computed (), >, computed);
  g_assert_false (attn_figure_save (fig, file, ATTN_EXPORT_PNG, 8., NULL, &computed_error));
  g_assert_cmpstr (error->message, ==, computed_error->message);
  expected = g_strdup_printf ("Could not save the figure to “%s”: At scale 8 the figure would be 40000 × 40000 "
                              "pixels, more than the 32767 a PNG image can have on a side: use a scale of at "
                              "most 6.55, or save it as SVG or PDF", path);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_true (g_str_has_prefix (batch_error->message, "Example “cat-mat” (1 of 1): Could not save the figure "));
  g_assert_true (g_str_has_suffix (batch_error->message, "cat-mat-flow.png”: At scale 8 the figure would be "
                                   "40000 × 40000 pixels, more than the 32767 a PNG image can have on a side: "
                                   "use a scale of at most 6.55, or save it as SVG or PDF"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rmdir (folder_path), ==, 0);
}

/* A figure saved to a symbolic link (a paper's figures folder linking to
 * the results) goes into what it points to, through a chain of links too;
 * the links stay links, and the file keeps its permissions. A dangling link
 * (not written through, as `cp` does not: it could be another user's link
 * in /tmp), a link into a folder that does not exist, or a loop of links,
 * is refused, saying so, and stays as it was (a dangling one was replaced
 * by the figure). */
static void
test_save_through_link (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  g_autofree char *sub = g_build_filename (tmpdir, "links", NULL);
  g_autofree char *real_dir = g_build_filename (sub, "results", NULL);
  g_autofree char *real = g_build_filename (real_dir, "flow.svg", NULL);
  g_autofree char *link = g_build_filename (sub, "paper.svg", NULL);
  g_autofree char *link2 = g_build_filename (sub, "paper-2.svg", NULL);
  g_autofree char *dangling = g_build_filename (sub, "dangling.svg", NULL);
  const char *links[] = { link, link2 };
  g_autofree char *contents = NULL;
  GError *error = NULL;

  attn_figure_style_init (&style, FALSE);
  settings.method = ATTN_METHOD_RAW;
  fig = build (bert, "cat-mat", &settings, &style);
  g_assert_cmpint (g_mkdir_with_parents (real_dir, 0755), ==, 0);
  g_assert_cmpint (symlink ("results/flow.svg", link), ==, 0);
  g_assert_cmpint (symlink ("paper.svg", link2), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (links[i]);

      GStatBuf st;

      g_assert_true (g_file_set_contents (real, "old", -1, NULL));
      g_assert_cmpint (g_chmod (real, i == 0 ? 0640 : 0604), ==, 0);
      g_assert_true (attn_figure_save (fig, file, ATTN_EXPORT_SVG, 1, NULL, &error));
      g_assert_no_error (error);
      /* the file replaced keeps its permissions (it got a new file's, 0644) */
      g_assert_cmpint (g_stat (real, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 07777, ==, i == 0 ? 0640 : 0604);
      g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
      g_assert_true (g_file_test (link2, G_FILE_TEST_IS_SYMLINK));
      g_clear_pointer (&contents, g_free);
      g_assert_true (g_file_get_contents (real, &contents, NULL, NULL));
      g_assert_true (g_str_has_prefix (contents, "<?xml"));
    }

  {
    g_autoptr(GFile) file = g_file_new_for_path (dangling);
    g_autofree char *made = g_build_filename (real_dir, "new.svg", NULL);
    g_autofree char *missing = g_strdup_printf ("Could not save the figure to “%s”: It is a symbolic link to "
                                                "“results/new.svg”, which does not exist: a save does not make "
                                                "the file a link points to; save to that file’s own name",
                                                dangling);
    g_autofree char *nowhere = g_strdup_printf ("Could not save the figure to “%s”: It is a symbolic link to "
                                                "“nowhere/figure.svg”, whose folder does not exist", dangling);
    g_autofree char *loop = g_strdup_printf ("Could not save the figure to “%s”: It is a symbolic link that "
                                             "leads back to itself (a loop of links)", dangling);
    g_autofree char *points = NULL;

    g_assert_cmpint (symlink ("results/new.svg", dangling), ==, 0);
    g_assert_false (attn_figure_save (fig, file, ATTN_EXPORT_SVG, 1, NULL, &error));
    g_assert_cmpstr (error->message, ==, missing);
    g_clear_error (&error);
    g_assert_true (g_file_test (dangling, G_FILE_TEST_IS_SYMLINK));
    g_assert_false (g_file_test (made, G_FILE_TEST_EXISTS));
    g_assert_cmpint (g_remove (dangling), ==, 0);

    g_assert_cmpint (symlink ("nowhere/figure.svg", dangling), ==, 0);
    g_assert_false (attn_figure_save (fig, file, ATTN_EXPORT_SVG, 1, NULL, &error));
    g_assert_cmpstr (error->message, ==, nowhere);
    g_clear_error (&error);
    points = g_file_read_link (dangling, NULL);
    g_assert_cmpstr (points, ==, "nowhere/figure.svg");
    g_assert_cmpint (g_remove (dangling), ==, 0);

    g_assert_cmpint (symlink ("dangling.svg", dangling), ==, 0);
    g_assert_false (attn_figure_save (fig, file, ATTN_EXPORT_SVG, 1, NULL, &error));
    g_assert_cmpstr (error->message, ==, loop);
    g_clear_error (&error);
    g_assert_true (g_file_test (dangling, G_FILE_TEST_IS_SYMLINK));
  }
  g_assert_cmpint (g_remove (dangling), ==, 0);
  g_assert_cmpint (g_remove (link2), ==, 0);
  g_assert_cmpint (g_remove (link), ==, 0);
  g_assert_cmpint (g_remove (real), ==, 0);
  g_assert_cmpint (g_rmdir (real_dir), ==, 0);
  g_assert_cmpint (g_rmdir (sub), ==, 0);
}

static void
test_command_line (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput inputs[2] = {
    { attn_document_find_example (sst2, "sst2-0551", NULL), "data/sst2 bert.json" },
    { attn_document_find_example (bert, "cat-mat", NULL), "bert.json" },
  };
  g_autofree char *graph = NULL;
  g_autofree char *compare = NULL;
  g_autofree char *caption = NULL;

  attn_figure_style_init (&style, FALSE);
  style.top_k = 4;
  settings.method = ATTN_METHOD_FLOW;
  settings.position = ATTN_POSITION_NONE;
  settings.residual = 0.25;
  /* the heads named in order, one by one, as the caption names them (the
   * command said 3, 0 and the caption 0,3) */
  settings.heads = "3, 0";
  settings.head_mix = ATTN_HEAD_MIX_MAX;
  graph = attn_figure_command_line (inputs, 1, &settings, &style, "out.svg", 1., 0, 0);
  g_assert_cmpstr (graph, ==,
                   "attnflow-cli render 'data/sst2 bert.json' --view flow --figure graph --example sst2-0551 "
                   "--position none --residual 0.25 --heads 0,3 --head-mix max --top-k 4 "
                   "--colormap ink --output out.svg");
  caption = attn_figure_describe_settings (&settings, inputs[0].example);
  g_assert_nonnull (strstr (caption, " · heads: 0,3 (max) · "));
  g_clear_pointer (&caption, g_free);

  settings.kind = ATTN_FIGURE_COMPARE;
  settings.all_methods = TRUE;
  settings.heads = NULL;
  settings.head_mix = ATTN_HEAD_MIX_MEAN;
  style.top_k = 0;
  compare = attn_figure_command_line (inputs, 2, &settings, &style, "c.png", 2., 0, 0);
  g_assert_cmpstr (compare, ==,
                   "attnflow-cli render 'data/sst2 bert.json' bert.json --view all --figure compare "
                   "--example 'data/sst2 bert.json:sst2-0551' --example bert.json:cat-mat "
                   "--residual 0.25 --heads all --head-mix mean --colormap ink --scale 2 --output c.png");

  settings.kind = ATTN_FIGURE_GRAPH;
  settings.all_methods = FALSE;
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.position = 4;
  caption = attn_figure_describe_settings (&settings, inputs[1].example);
  g_assert_cmpstr (caption, ==,
                   "Attention rollout · α = 0.25 · heads: all (mean) · layers 1–12 · "
                   "node: layer 12, position 4 “on” · example cat-mat · model: bert-base-uncased");
}

/* The caption of the figure of the pronoun examples @ids (1 or 2: a
 * comparison) under @settings, of @kind */
static char *
pronoun_caption (const char * const *ids,
                 guint               n_ids,
                 AttnFigureSettings *settings,
                 AttnFigureKind      kind)
{
  AttnFigureInput inputs[2] = { { NULL } };
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  GError *error = NULL;

  for (guint i = 0; i < n_ids; i++)
    inputs[i] = (AttnFigureInput) { attn_document_find_example (pronouns, ids[i], NULL),
                                    "pronouns.json" };
  attn_figure_style_init (&style, FALSE);
  settings->kind = kind;
  fig = attn_figure_build (inputs, n_ids, settings, &style, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (attn_figure_get_caption (fig));
}

/* “Attention × gradient” names what the gradient was taken for (the
 * example's contributions_target) in the caption of every figure, the
 * screen's included (one describer); compared examples whose targets
 * differ say each has its own; other weights name none */
static void
test_gradient_target (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  const char *his = "weights: Attention × gradient (of norm of the top-layer state of “his” (token 7)) · "
                    "α = 0.5 · ";
  const char *differ[] = { "author-his", "author-her" };
  const char *same[] = { "author-his", "sara-his" };
  AttnExample *author_his = attn_document_find_example (pronouns, "author-his", NULL);
  g_autofree char *screen = NULL;
  g_autofree char *graph = NULL;
  g_autofree char *heatmap = NULL;
  g_autofree char *compare_differ = NULL;
  g_autofree char *compare_same = NULL;
  g_autofree char *norm = NULL;

  g_assert_cmpstr (attn_example_get_contributions_target (author_his), ==,
                   "norm of the top-layer state of “his” (token 7)");
  settings.weights = ATTN_WEIGHT_KIND_ATTN_GRAD;
  screen = attn_figure_describe_settings (&settings, author_his);
  graph = pronoun_caption (differ, 1, &settings, ATTN_FIGURE_GRAPH);
  heatmap = pronoun_caption (differ, 1, &settings, ATTN_FIGURE_HEATMAP);
  compare_differ = pronoun_caption (differ, 2, &settings, ATTN_FIGURE_COMPARE);
  compare_same = pronoun_caption (same, 2, &settings, ATTN_FIGURE_COMPARE);
  g_assert_nonnull (strstr (screen, his));
  g_assert_nonnull (strstr (graph, his));
  g_assert_nonnull (strstr (heatmap, his));
  g_assert_nonnull (strstr (compare_same, his));
  g_assert_nonnull (strstr (compare_differ,
                            "weights: Attention × gradient (of each example’s own target) · "));

  settings.kind = ATTN_FIGURE_GRAPH;
  settings.weights = ATTN_WEIGHT_KIND_NORM;
  norm = attn_figure_describe_settings (&settings, author_his);
  g_assert_nonnull (strstr (norm, "weights: Norm-based · α = 0.5 · "));
  g_assert_null (strstr (norm, "top-layer"));
}

/* A folder that refuses writes. CI runs as root, where permission bits refuse
 * nothing, so the save runs in a subprocess that first drops to "nobody". */
/* A figure saved into a folder that does not exist: the message names the
 * file once and says why (it said “Could not save the figure to “…/x.png”:
 * Error opening file “…/x.png”: No such file or directory”); GIO's own
 * messages, cut to their cause */
static void
test_save_missing_folder (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "missing", "x.png", NULL);
  g_autofree char *expected = g_strdup_printf ("Could not save the figure to “%s”: its folder does not exist", path);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) gio = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autofree char *cause = NULL;

  attn_figure_style_init (&style, FALSE);
  fig = build (bert, "cat-mat", &settings, &style);
  g_assert_false (attn_figure_save (fig, file, ATTN_EXPORT_PNG, 1, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
  g_assert_cmpstr (error->message, ==, expected);

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &gio);
  g_assert_null (stream);
  g_assert_error (gio, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  cause = attn_export_error_cause (file, gio);
  g_assert_cmpstr (cause, ==, "its folder does not exist");
  /* a message that does not name the file is the cause as it is */
  g_clear_pointer (&cause, g_free);
  g_clear_error (&gio);
  gio = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NO_SPACE, "Error writing to file: No space left on device");
  cause = attn_export_error_cause (file, gio);
  g_assert_cmpstr (cause, ==, "Error writing to file: No space left on device");
  /* GIO's Korean message names the file first (it was kept whole) */
  g_clear_pointer (&cause, g_free);
  g_clear_error (&gio);
  gio = g_error_new (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "“%s” 파일을 여는 중 오류: 허가 거부", path);
  cause = attn_export_error_cause (file, gio);
  g_assert_cmpstr (cause, ==, "허가 거부");
}

/* A figure saved in /proc, a folder that makes no new files (“No such file
 * or directory”, said of a file whose folder is there): the message says
 * what happened */
static void
test_save_refusing_folder (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(GFile) file = g_file_new_for_path ("/proc/attnflow-x.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) gio = NULL;
  g_autoptr(GFileOutputStream) stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &gio);

  if (!g_error_matches (gio, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_test_skip ("/proc makes no new files only on Linux");
      return;
    }
  attn_figure_style_init (&style, FALSE);
  fig = build (bert, "cat-mat", &settings, &style);
  g_assert_false (attn_figure_save (fig, file, ATTN_EXPORT_PNG, 1, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
  g_assert_cmpstr (error->message, ==, "Could not save the figure to “/proc/attnflow-x.png”: its folder does "
                   "not accept new files");
}

/* A file's name holding U+202E is named escaped, as messages quote a file's
 * text (attn_error_escape_text()): it reversed the rest of the message; ESC
 * as attnflow-cli writes it (GIO's parse name made it a URI's %1B) */
static void
test_save_escaped_name (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  g_autofree char *folder = g_build_filename (tmpdir, "missing", NULL);
  g_autofree char *path = g_build_filename (folder, "a\u202egnp\033.png", NULL);
  g_autofree char *expected = g_strdup_printf ("Could not save the figure to “%s/a\\u202egnp\\x1b.png”: "
                                               "its folder does not exist", folder);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  attn_figure_style_init (&style, FALSE);
  fig = build (bert, "cat-mat", &settings, &style);
  g_assert_false (attn_figure_save (fig, file, ATTN_EXPORT_PNG, 1, NULL, &error));
  g_assert_cmpstr (error->message, ==, expected);
}

/* The messages name the file or folder as the caller shows it (the CLI:
 * as given, relative stays relative), else by its path, escaped (a byte that
 * is not UTF-8 as \xff, as attnflow-cli names it); GIO's message is cut to
 * its cause also for such a path (GIO names it by its display name, U+FFFD) */
static void
test_save_named (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "missing", "x.png", NULL);
  g_autofree char *odd = g_build_filename (tmpdir, "missing", "x\xff.png", NULL);
  g_autofree char *plain = g_build_filename (tmpdir, "named-file", NULL);
  g_autofree char *inside = g_build_filename (plain, "figures", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) odd_file = g_file_new_for_path (odd);
  g_autoptr(GFile) plain_file = g_file_new_for_path (plain);
  g_autoptr(GFile) inside_file = g_file_new_for_path (inside);
  g_autofree char *expected = g_strdup_printf ("Could not save the figure to “%s/missing/x\\xff.png”: its "
                                               "folder does not exist", tmpdir);
  g_autofree char *not_folder = g_strdup_printf ("“%s” is not a folder", plain);
  g_autoptr(GError) error = NULL;
  AttnBatchRequest request = { 0 };

  attn_figure_style_init (&style, FALSE);
  fig = build (bert, "cat-mat", &settings, &style);
  g_assert_false (attn_figure_save_named (fig, file, "given/x.png", ATTN_EXPORT_PNG, 1, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
  g_assert_cmpstr (error->message, ==, "Could not save the figure to “given/x.png”: its folder does not exist");
  g_clear_error (&error);
  g_assert_false (attn_figure_save (fig, odd_file, ATTN_EXPORT_PNG, 1, NULL, &error));
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* a batch's folder */
  g_assert_true (g_file_set_contents (plain, "", 0, NULL));
  request.settings = &settings;
  request.style = &style;
  request.folder = plain_file;
  request.folder_name = "given";
  g_assert_false (attn_figure_save_batch (&request, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
  g_assert_cmpstr (error->message, ==, "“given” is not a folder");
  g_clear_error (&error);
  request.folder = inside_file;
  request.folder_name = "given/figures";
  g_assert_false (attn_figure_save_batch (&request, NULL, NULL, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Could not make the folder “given/figures”: Not a directory");
  g_clear_error (&error);
  /* without a name: its path */
  request.folder = plain_file;
  request.folder_name = NULL;
  g_assert_false (attn_figure_save_batch (&request, NULL, NULL, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, not_folder);
  g_unlink (plain);
}

static void
test_save_refused_folder (void)
{
  g_autofree char *folder = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *child_tmp = NULL;
  g_autofree char *old_tmp = NULL;
  GDir *listing;
  guint n_entries = 0;

  if (g_test_subprocess ())
    {
      AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
      AttnFigureStyle style;
      g_autoptr(AttnFigure) fig = NULL;
      g_autoptr(GFile) existing_file = NULL;
      g_autoptr(GFile) fresh_file = NULL;
      GError *error = NULL;

      folder = g_strdup (g_getenv ("ATTN_TEST_REFUSING_FOLDER"));
      g_assert_nonnull (folder);
      if (geteuid () == 0)
        {
          g_assert_cmpint (setgid (65534), ==, 0);
          g_assert_cmpint (setuid (65534), ==, 0);
#ifdef __linux__
          /* the change of user made the process non-dumpable, and LeakSanitizer,
           * which stops the process through ptrace and /proc/self/task to look
           * for leaks at exit, could then not */
          g_assert_cmpint (prctl (PR_SET_DUMPABLE, 1, 0, 0, 0), ==, 0);
#endif
        }

      attn_figure_style_init (&style, FALSE);
      settings.method = ATTN_METHOD_ROLLOUT;
      fig = build (bert, "cat-mat", &settings, &style);
      existing_file = g_file_new_build_filename (folder, "old.png", NULL);
      fresh_file = g_file_new_build_filename (folder, "new.svg", NULL);

      g_assert_false (attn_figure_save (fig, existing_file, ATTN_EXPORT_PNG, 1, NULL, &error));
      g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
      g_clear_error (&error);
      g_assert_false (attn_figure_save (fig, fresh_file, ATTN_EXPORT_SVG, 1, NULL, &error));
      g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
      g_clear_error (&error);
      return;
    }

  folder = g_build_filename (tmpdir, "refusing", NULL);
  existing = g_build_filename (folder, "old.png", NULL);
  fresh = g_build_filename (folder, "new.svg", NULL);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_assert_true (g_file_set_contents (existing, "old contents", -1, NULL));
  g_assert_cmpint (g_chmod (existing, 0644), ==, 0);
  g_assert_cmpint (g_chmod (folder, 0555), ==, 0);
  /* "nobody" must be able to reach the folder */
  g_assert_cmpint (g_chmod (tmpdir, 0755), ==, 0);

  /* the child leaves no temporary folder behind: its own, made as root, was
   * left in /tmp when it could not remove it as "nobody" */
  child_tmp = g_build_filename (tmpdir, "child-tmp", NULL);
  g_assert_cmpint (g_mkdir (child_tmp, 0755), ==, 0);
  old_tmp = g_strdup (g_getenv ("TMPDIR"));
  g_setenv ("TMPDIR", child_tmp, TRUE);
  g_setenv ("ATTN_TEST_REFUSING_FOLDER", folder, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (old_tmp != NULL)
    g_setenv ("TMPDIR", old_tmp, TRUE);
  else
    g_unsetenv ("TMPDIR");
  g_test_trap_assert_passed ();
  listing = g_dir_open (child_tmp, 0, NULL);
  g_assert_nonnull (listing);
  g_assert_null (g_dir_read_name (listing));
  g_dir_close (listing);

  g_assert_true (g_file_get_contents (existing, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old contents");
  g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
  listing = g_dir_open (folder, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n_entries++;
  g_dir_close (listing);
  g_assert_cmpuint (n_entries, ==, 1);
  g_assert_cmpint (g_chmod (folder, 0755), ==, 0);
}

/* A colour bar's tick labels never overlap: a short bar (a heatmap of a few
 * rows in a low panel) keeps 3 ticks or only its ends */
static void
test_colorbar_ticks (void)
{
  const double label_h = 10.;
  const double heights[] = { 300., 60., 44., 30., 22., 12., 4. };
  const guint expected[] = { 5, 5, 5, 3, 3, 2, 2 };

  for (guint i = 0; i < G_N_ELEMENTS (heights); i++)
    {
      guint n = _attn_colorbar_n_ticks (heights[i], label_h);

      g_assert_cmpuint (n, ==, expected[i]);
      if (n > 2)
        g_assert_cmpfloat (heights[i] / (n - 1), >=, label_h);
    }

  /* the ticks are round values, each labelled with what it is, with as
   * many decimals; a bar too short for three keeps its two ends */
  {
    const struct { double min, max; guint room; const char *ticks[6]; } bars[] = {
      { 0., 1., 5, { "0", "0.25", "0.50", "0.75", "1.00" } },
      { 0., 0.70, 5, { "0", "0.2", "0.4", "0.6" } },
      { 0., 0.138, 5, { "0", "0.05", "0.10" } },
      { 0., 0.0052, 5, { "0", "0.002", "0.004" } },
      { 0., 0.002, 5, { "0", "5.0e−04", "1.0e−03", "1.5e−03", "2.0e−03" } },
      { -0.3, 0.3, 5, { "−0.2", "0", "0.2" } },
      { 0., 3.7, 5, { "0", "1", "2", "3" } },
      { 0., 0.70, 3, { "0", "0.7" } },
      { 0., 0.372, 3, { "0", "0.37" } },
      { 0., 0.6134, 2, { "0", "0.61" } },
    };

    for (guint b = 0; b < G_N_ELEMENTS (bars); b++)
      {
        double ticks[5], step;
        guint n = _attn_colorbar_ticks (bars[b].min, bars[b].max, bars[b].room, ticks, &step);

        g_assert_cmpuint (n, ==, g_strv_length ((char **) bars[b].ticks));
        for (guint t = 0; t < n; t++)
          {
            g_autofree char *text = _attn_format_tick (ticks[t], step);

            g_assert_cmpfloat (ticks[t], >=, bars[b].min - 1e-12);
            g_assert_cmpfloat (ticks[t], <=, bars[b].max + 1e-12);
            g_assert_cmpstr (text, ==, bars[b].ticks[t]);
          }
      }
  }
}

/* The room a colour bar keeps for its tick labels whatever its height is
 * that of the widest labels it draws at some height, no more: up to 0.07,
 * 5 ticks are 0.02 apart, 3 leave its ends, "0.07"; 4, which no bar
 * draws, would be 0.025 apart ("0.025", wider) */
static void
test_colorbar_ticks_room (void)
{
  g_autoptr(GObject) context = G_OBJECT (_attn_text_context_new ());
  const double maxima[] = { 0.07, 0.7, 1., 0.0732408, 0.439535, 7.2 };
  AttnFigureStyle style;

  attn_figure_style_init (&style, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (maxima); i++)
    {
      double room = _attn_colorbar_ticks_range_width (PANGO_CONTEXT (context), &style, 0., maxima[i]), widest = 0.;

      for (double height = 1.; height <= 400.; height += 1.)
        widest = MAX (widest, _attn_colorbar_ticks_used_width (PANGO_CONTEXT (context), &style, 0., maxima[i],
                                                                   height));
      g_test_message ("a bar up to %g: room %g for its tick labels, the widest %g", maxima[i], room, widest);
      g_assert_cmpfloat (room, ==, widest);
    }
}

/* Examples without ids, from two files, are all "0": a comparison names
 * their files, and only then; files of the same name (the same sentences
 * exported by two models, each "sst2.json" in its model's folder) with
 * their folders, as the example picker does (both were "sst2.json —
 * sst2-0551", in the title, the blocks and the difference alike) */
static gboolean
figure_has_label (const AttnFigure *fig,
                  const char       *text)
{
  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    if (g_strcmp0 (attn_figure_get_label (fig, i)->text, text) == 0)
      return TRUE;
  return FALSE;
}

static void
test_compare_same_names (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnExample *ex = attn_document_find_example (sst2, "sst2-0551", NULL);
  AttnFigureInput clash[2] = { { ex, "first/one.json" }, { ex, "second/two.json" } };
  AttnFigureInput apart[2] = {
    { ex, "first/one.json" }, { attn_document_find_example (sst2, "sst2-1125", NULL), "second/two.json" },
  };
  AttnFigureInput folders[2] = { { ex, "runs/bert/sst2.json" }, { ex, "runs/distilbert/sst2.json" } };
  g_autoptr(AttnFigure) named = NULL;
  g_autoptr(AttnFigure) plain = NULL;
  g_autoptr(AttnFigure) folded = NULL;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_COMPARE;
  named = attn_figure_build (clash, 2, &settings, &style, NULL, NULL);
  g_assert_cmpstr (attn_figure_get_title (named), ==,
                   "Comparison of one.json — sst2-0551, two.json — sst2-0551 at each focus token");
  g_assert_true (figure_has_label (named, "Attention rollout: two.json — sst2-0551 minus one.json — sst2-0551"));
  plain = attn_figure_build (apart, 2, &settings, &style, NULL, NULL);
  g_assert_cmpstr (attn_figure_get_title (plain), ==, "Comparison of sst2-0551, sst2-1125 at each focus token");
  folded = attn_figure_build (folders, 2, &settings, &style, NULL, NULL);
  g_assert_cmpstr (attn_figure_get_title (folded), ==,
                   "Comparison of bert/sst2.json — sst2-0551, distilbert/sst2.json — sst2-0551 at each focus token");
  g_assert_true (figure_has_label (folded, "Attention rollout: distilbert/sst2.json — sst2-0551 minus "
                                           "bert/sst2.json — sst2-0551"));
}

/* A name or id for a title or caption: any bytes (a file's name need not be
 * UTF-8, and one ending in a lead byte made the shortening read past its
 * end), escaped and shortened as a message quotes it */
static void
test_caption_text (void)
{
  g_autofree char *long_id = g_strnfill (100, 'i');
  g_autofree char *shortened = g_strconcat ("", long_id + 36, "…", NULL);
  const char *cases[][2] = {
    { "caf\xe9.json", "caf\\xe9.json" },
    { "x\xf0", "x\\xf0" },
    { "a\nb\x07", "a\\nb\\x07" },
    { "z\u200bw", "z\\u200bw" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = _attn_caption_text (cases[i][0]);

      g_assert_cmpstr (shown, ==, cases[i][1]);
    }
  {
    g_autofree char *shown = _attn_caption_text (long_id);

    g_assert_cmpstr (shown, ==, shortened);
  }
}

/* An example's id of 100,000 characters is shortened in the figures'
 * titles and captions as in messages (the CLI took 39 s and wrote a PNG
 * 11,860 px high, found by QA) */
static void
test_long_id (void)
{
  g_autofree char *id = g_strnfill (100000, 'i');
  g_autofree char *json = g_strdup_printf ("{\"id\": \"%s\", \"tokens\": [\"[CLS]\", \"cat\", \"[SEP]\"], "
                                           "\"attention\": [[[[0.5, 0.25, 0.25], [0.25, 0.5, 0.25], "
                                           "[0.25, 0.25, 0.5]]]]}", id);
  g_autoptr(AttnDocument) doc = attn_document_load_from_data (json, strlen (json), NULL, NULL, NULL);
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;

  g_assert_nonnull (doc);
  attn_figure_style_init (&style, FALSE);
  settings.method = ATTN_METHOD_FLOW;
  settings.position = 0;
  /* the graph, the heatmap, the three methods' graphs */
  for (guint k = 0; k < 3; k++)
    {
      AttnFigureInput input = { attn_document_get_example (doc, 0), "doc.json" };
      g_autoptr(AttnFigure) fig = NULL;
      double w, h;

      settings.kind = k == 1 ? ATTN_FIGURE_HEATMAP : ATTN_FIGURE_GRAPH;
      settings.all_methods = k == 2;
      fig = attn_figure_build (&input, 1, &settings, &style, NULL, NULL);
      g_assert_nonnull (fig);
      attn_figure_get_size (fig, &w, &h);
      g_assert_cmpuint (strlen (attn_figure_get_caption (fig)), <, 400);
      g_assert_cmpuint (strlen (attn_figure_get_title (fig)), <, 400);
      g_assert_cmpfloat (h, <, 800.);
    }
}

/* All methods of an SST-2 example (with its prediction bars) in a wide,
 * low panel: the bars go in the line that names the token over the blocks,
 * whose rows get the height (8 px, where the bars in two lines of their
 * own above the blocks left 4 px while the colour bars beside them stood
 * 100 px high); the figure whole in the box, nothing over anything else */
static void
test_panel_predictions_inline (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(AttnFigure) at = NULL;
  const AttnLabel *heading = NULL;
  double w, h;
  guint n_bars = 0;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.all_methods = TRUE;
  fig = build (sst2, "sst2-0551", &settings, &style);
  at = attn_figure_new_at_size (fig, 909., 229.);
  attn_figure_get_size (at, &w, &h);
  g_assert_cmpfloat (w, <=, 909.);
  g_assert_cmpfloat (h, <=, 229.);
  assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
  g_assert_cmpuint (attn_figure_get_n_grids (at), ==, ATTN_N_METHODS);
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    {
      const HeatGrid *grid = &g_array_index (at->grids, HeatGrid, m);
      AttnRect top, bottom;

      g_assert_cmpuint (grid->n_rows, ==, 12);
      g_assert_true (attn_figure_get_cell (at, m, grid->last_layer, 0, &top));
      g_assert_true (attn_figure_get_cell (at, m, grid->last_layer - 11, grid->n - 1, &bottom));
      g_test_message ("block %u: cells %g x %g", m, top.width, top.height);
      g_assert_cmpfloat (top.height, >=, 8.);
      g_assert_cmpfloat (top.width, >=, 6.);
      g_assert_cmpfloat (bottom.x + bottom.width, <=, w);
      g_assert_cmpfloat (bottom.y + bottom.height, <=, h);
    }
  for (guint i = 0; i < attn_figure_get_n_labels (at); i++)
    if (attn_figure_get_label (at, i)->kind == ATTN_LABEL_TITLE && heading == NULL)
      heading = attn_figure_get_label (at, i);
  g_assert_nonnull (heading);
  g_assert_true (g_str_has_prefix (heading->text, "Importance for"));
  /* every candidate's label and probability, in the heading's line */
  g_assert_cmpuint (count_labels (at, ATTN_LABEL_PREDICTION), ==,
                    2 * attn_example_get_n_candidates (attn_document_find_example (sst2, "sst2-0551", NULL)));
  for (guint i = 0; i < attn_figure_get_n_labels (at); i++)
    {
      const AttnLabel *label = attn_figure_get_label (at, i);

      if (label->kind != ATTN_LABEL_PREDICTION)
        continue;
      g_assert_cmpfloat (label->box.y, <, heading->box.y + heading->box.height);
      g_assert_cmpfloat (label->box.x, >, heading->box.x + heading->box.width);
    }
  /* the bars inside the figure, over no label and no block */
  for (guint i = 0; i < at->swatches->len; i++)
    {
      const Swatch *bar = &g_array_index (at->swatches, Swatch, i);

      if (bar->t >= 0.)
        continue;
      n_bars++;
      g_assert_cmpfloat (bar->rect.x + bar->rect.width, <=, w);
      for (guint j = 0; j < attn_figure_get_n_labels (at); j++)
        g_assert_false (rects_overlap (&bar->rect, &attn_figure_get_label (at, j)->box));
      for (guint m = 0; m < at->grids->len; m++)
        g_assert_cmpfloat (bar->rect.y + bar->rect.height, <, g_array_index (at->grids, HeatGrid, m).y);
    }
  g_assert_cmpuint (n_bars, ==, 2);
}

/* The extent of @fig's prediction line: the left of its "Model's
 * prediction" heading (@left) to the right of its last prediction label;
 * @rows: how many different tops its prediction labels have */
static double
prediction_line (AttnFigure *fig,
                 double     *left,
                 guint      *rows)
{
  double right = 0., tops[2 * MAX_CANDIDATES];
  guint n_tops = 0;

  *left = G_MAXDOUBLE;
  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *label = attn_figure_get_label (fig, i);
      gboolean seen = FALSE;

      if (label->kind == ATTN_LABEL_NOTE && g_str_equal (label->text, "Model’s prediction"))
        *left = MIN (*left, label->box.x);
      if (label->kind != ATTN_LABEL_PREDICTION)
        continue;
      right = MAX (right, label->box.x + label->box.width);
      for (guint t = 0; t < n_tops; t++)
        seen |= fabs (tops[t] - label->box.y) < 0.5;
      if (!seen && n_tops < G_N_ELEMENTS (tops))
        tops[n_tops++] = label->box.y;
    }
  *rows = n_tops;
  return right - *left;
}

/* The prediction bars of all methods in the line over the blocks, a
 * little too long for it at their longest (five candidates of a 3-token
 * example): the bars are shortened (down to a third) to keep them in one
 * line, not put in a row each, which takes the blocks' rows five lines of
 * height; the line within the figure */
static void
test_panel_predictions_inline_shorter (void)
{
  static const char json[] =
    "{\"id\": \"five\", \"tokens\": [\"a\", \"b\", \"c\"], \"focus\": 0,"
    " \"attention\": [[[0.5, 0.25, 0.25], [0.25, 0.5, 0.25], [0.25, 0.25, 0.5]],"
    "                [[0.6, 0.2, 0.2], [0.2, 0.6, 0.2], [0.2, 0.2, 0.6]]],"
    " \"prediction\": {\"label\": \"positive\", \"candidates\": [{\"label\": \"positive\", \"probability\": 0.4},"
    "   {\"label\": \"negative\", \"probability\": 0.3}, {\"label\": \"neutral\", \"probability\": 0.15},"
    "   {\"label\": \"mixed\", \"probability\": 0.1}, {\"label\": \"other\", \"probability\": 0.05}]}}";
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnDocument) doc = NULL;
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(AttnFigure) wide = NULL;
  g_autoptr(GError) error = NULL;
  HeatmapFit fit = { .height = 200., .text = FIT_TEXT_NONE, .no_sentence = TRUE, .inline_predictions = TRUE,
                     .cw = 8., .ch = 8. };
  double left, line_w, fig_w, fig_h;
  guint rows;

  doc = attn_document_load_from_data (json, strlen (json), NULL, NULL, &error);
  g_assert_no_error (error);
  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.all_methods = TRUE;
  fig = build (doc, "five", &settings, &style);
  fit.width = 2000.;
  wide = _attn_figure_heatmap_layout (fig->heatmap, &fit, NULL);
  line_w = prediction_line (wide, &left, &rows);
  g_test_message ("at 2000 px: the line %g px wide, %u rows", line_w, rows);
  g_assert_cmpuint (rows, ==, 1);
  /* 5 to 20 px too long, where the bars of 60 px at most that make it
   * (probabilities adding up to 1) may lose 40 */
  for (double less = 5.; less <= 20.; less += 5.)
    {
      g_autoptr(AttnFigure) at = NULL;
      double at_w;

      fit.width = line_w + 2 * PAD - less;
      at = _attn_figure_heatmap_layout (fig->heatmap, &fit, NULL);
      attn_figure_get_size (at, &fig_w, &fig_h);
      at_w = prediction_line (at, &left, &rows);
      g_test_message ("at %g px (the figure %g x %g): the line %g px wide from %g, %u rows", fit.width, fig_w, fig_h,
                      at_w, left, rows);
      g_assert_cmpfloat (fig_w, ==, fit.width);
      g_assert_cmpuint (rows, ==, 1);
      g_assert_cmpfloat (left, >=, PAD);
      g_assert_cmpfloat (left + at_w, <=, fig_w - PAD + 0.5);
    }
}

/* A wide, low panel gets the arrangement whose cells read best: rows of
 * 8 px or more where one with as much text gives them (bert's example at
 * 960 x 200 had rows of 7 px with its title over the blocks, 9 px with it
 * beside them), else wider columns (SST-2's all methods at 609 x 155, the
 * panel of a window of 900 x 600, had columns of 0.9 px beside the
 * prediction bars, 2 px with the bars over them and each colour bar's
 * name in its own width) */
static void
test_panel_readable_rows (void)
{
  static const struct
  {
    gboolean     sst2;
    gboolean     all_methods;
    double       width;
    double       height;
    double       least_cw;
    double       least_ch;
  } cases[] = {
    { FALSE, FALSE, 960., 200., 6., 8. },
    { TRUE, TRUE, 609., 155., 1.8, 3. },
  };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(AttnFigure) fig = NULL;
      g_autoptr(AttnFigure) at = NULL;
      double w, h, scale;

      settings.all_methods = cases[c].all_methods;
      fig = cases[c].sst2 ? build (sst2, "sst2-0551", &settings, &style) : build (bert, "cat-mat", &settings, &style);
      at = attn_figure_new_at_size (fig, cases[c].width, cases[c].height);
      attn_figure_get_size (at, &w, &h);
      scale = MIN (MIN (cases[c].width / w, cases[c].height / h), 1.);
      assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
      for (guint m = 0; m < attn_figure_get_n_grids (at); m++)
        {
          const HeatGrid *grid = &g_array_index (at->grids, HeatGrid, m);

          g_test_message ("%gx%g: %gx%g shown at %g, cells %g x %g", cases[c].width, cases[c].height, w, h, scale,
                          grid->cw, grid->ch);
          g_assert_cmpfloat (grid->cw * scale, >=, cases[c].least_cw);
          g_assert_cmpfloat (grid->ch * scale, >=, cases[c].least_ch);
        }
      if (cases[c].least_ch >= 8.)
        {
          g_assert_cmpfloat (w, <=, cases[c].width);
          g_assert_cmpfloat (h, <=, cases[c].height);
        }
    }
}

/* Every weight kind side by side in a panel (All Weights): two rows of
 * three blocks under one row of token labels, which the blocks over them
 * leave to them, cells wide enough to see and no label over another (each
 * block over its own labels had cells 2 px wide, whose labels spread past
 * them over the colour bar's name left of them) */
/* The blocks of a heatmap stacked in a column share their token columns'
 * x (only the lowest has token labels; Norm-based sat 13 px right of Value
 * Zeroing under it, GlobEnc 30 px right of Attention × gradient) */
static void
assert_block_columns_aligned (const AttnFigure *fig)
{
  guint n = attn_figure_get_n_grids (fig), cols = 0, stacked = 0;
  AttnRect first;

  g_assert_true (attn_figure_get_cell (fig, 0, 1, 0, &first));
  for (guint g = 0; g < n; g++)
    {
      AttnRect cell;

      g_assert_true (attn_figure_get_cell (fig, g, 1, 0, &cell));
      if (fabs (cell.y - first.y) < 0.5)
        cols++;
    }
  g_assert_cmpuint (cols, <, n);
  for (guint g = cols; g < n; g++)
    {
      AttnRect above, cell, last_above, last;

      g_assert_true (attn_figure_get_cell (fig, g - cols, 1, 0, &above));
      g_assert_true (attn_figure_get_cell (fig, g, 1, 0, &cell));
      g_assert_cmpfloat (cell.y, >, above.y + above.height);
      g_assert_cmpfloat_with_epsilon (cell.x, above.x, 0.01);
      g_assert_cmpfloat_with_epsilon (cell.width, above.width, 0.01);
      g_assert_true (attn_figure_get_cell (fig, g - cols, 1, 5, &last_above));
      g_assert_true (attn_figure_get_cell (fig, g, 1, 5, &last));
      g_assert_cmpfloat_with_epsilon (last.x, last_above.x, 0.01);
      stacked++;
    }
  g_assert_cmpuint (stacked, >, 0);
}

static void
test_all_weights_panel (void)
{
  static const double sizes[][2] = { { 910., 225. }, { 900., 230. }, { 1150., 250. }, { 700., 240. },
                                     { 880., 420. } };
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = all_weights_heatmap ("author-his", ATTN_METHOD_ROLLOUT, &style);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(AttnFigure) at = attn_figure_new_at_size (fig, sizes[s][0], sizes[s][1]);
      guint n_token_labels = 0;
      double w, h;
      AttnRect cell;

      attn_figure_get_size (at, &w, &h);
      g_assert_true (attn_figure_get_cell (at, 0, 6, 0, &cell));
      g_test_message ("in %gx%g: %gx%g, cells %gx%g", sizes[s][0], sizes[s][1], w, h, cell.width, cell.height);
      g_assert_cmpfloat (w, <=, sizes[s][0] + 0.5);
      g_assert_cmpfloat (h, <=, sizes[s][1] * 1.05);
      g_assert_cmpfloat (cell.width, >=, 6.);
      g_assert_cmpfloat (cell.height, >=, 5.);
      assert_labels_fit (attn_figure_get_n_labels (at), figure_label, at, w, h);
      for (guint i = 0; i < attn_figure_get_n_labels (at); i++)
        n_token_labels += attn_figure_get_label (at, i)->kind == ATTN_LABEL_TOKEN_BOTTOM &&
                          attn_figure_get_label (at, i)->index == 0;
      /* "[CLS]" under each column of blocks, once */
      g_assert_cmpuint (n_token_labels, ==, 3);
      assert_block_columns_aligned (at);
    }
}

/* The caption claims a head mix only for weights with heads: pronouns'
 * ALTI and the other contributions were given without heads ([L][n][n]),
 * whose heads controls are greyed out; side by side with the attention,
 * the heads apply where they can, as α does */
static void
test_caption_heads (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnExample *ex = attn_document_find_example (pronouns, "author-his", NULL);

  attn_figure_style_init (&style, FALSE);
  settings.method = ATTN_METHOD_ROLLOUT;
  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    {
      g_autoptr(AttnFigure) fig = NULL;
      const char *caption;

      settings.weights = k;
      fig = build (pronouns, "author-his", &settings, &style);
      caption = attn_figure_get_caption (fig);
      g_test_message ("%s: %s", attn_weight_kind_get_name (k), caption);
      if (attn_example_get_weights_head_mixed (ex, k))
        {
          g_assert_nonnull (strstr (caption, " · heads do not apply (weights without heads) · "));
          g_assert_null (strstr (caption, "heads:"));
        }
      else
        g_assert_nonnull (strstr (caption, " · heads: all (mean) · "));
    }
  g_assert_true (attn_example_get_weights_head_mixed (ex, ATTN_WEIGHT_KIND_ALTI));
  g_assert_false (attn_example_get_weights_head_mixed (ex, ATTN_WEIGHT_KIND_ATTENTION));

  {
    g_autoptr(AttnFigure) all = NULL;

    settings.kind = ATTN_FIGURE_HEATMAP;
    settings.weights = ATTN_WEIGHT_KIND_ATTENTION;
    settings.weight_kinds = attn_example_get_weight_kinds (ex);
    settings.all_weights = TRUE;
    all = build (pronouns, "author-his", &settings, &style);
    g_assert_nonnull (strstr (attn_figure_get_caption (all), " · heads: all (mean) where they apply · "));
  }
}

/* No line of a caption starts with the "·" between its parts (Korean
 * captions' lines did), nor breaks a range of layers after its en dash
 * (Korean captions did: "레이어 1–" / "12"), at any width, in Korean and in
 * English */
static void
test_caption_separators (void)
{
  static const char *captions[] = {
    "어텐션 롤아웃 · α = 0.5 · 헤드: 전체 (평균) · 레이어 1–6 · 위치 7 “his” · 예제 author-his",
    "Attention rollout · α = 0.5 · heads: all (mean) · layers 1–6 · position 7 “his” · example author-his",
    "어텐션 플로우 · α = 0.5 · 헤드: 전체 (평균) · 레이어 1–12 · 예제 sst2-0551 · 모델: bert-base-uncased fine-tuned on SST-2 (Dodrio)",
    "Attention flow · α = 0.5 · heads: all (mean) · layers 1–12 · example sst2-0551 · model: bert-base-uncased fine-tuned on SST-2 (Dodrio)",
    "어텐션 플로우 · α = 0.5 · 헤드: 전체 (평균) · 레이어 1–12 · 노드: 레이어 12, 위치 0 “[CLS]” · 예제 cat-mat",
    "Attention × gradient: author-her minus author-his",
  };
  g_autoptr(AttnPangoContext) context = _attn_text_context_new ();
  AttnFigureStyle style;
  guint lines = 0;

  attn_figure_style_init (&style, FALSE);
  for (guint c = 0; c < G_N_ELEMENTS (captions); c++)
    for (double wrap = 60.; wrap <= 500.; wrap += 3.)
      {
        g_autoptr(PangoLayout) layout = _attn_text_layout_new (context, &style, captions[c], 10., FALSE, wrap);

        const char *text = pango_layout_get_text (layout);

        for (int i = 1; i < pango_layout_get_line_count (layout); i++, lines++)
          {
            const char *at = text + pango_layout_get_line_readonly (layout, i)->start_index;
            const char *before = g_utf8_prev_char (at);

            g_assert_false (g_str_has_prefix (at, "·"));
            /* nor with the end of a range of layers ("1–" / "12"; the
             * layout's text may have a word joiner after the dash) */
            if (g_utf8_get_char (before) == 0x2060)
              before = g_utf8_prev_char (before);
            g_assert_cmpuint (g_utf8_get_char (before), !=, 0x2013);
            /* nor inside an id where it fits (“author-” / “his”) */
            if (wrap >= 100.)
              g_assert_cmpuint (g_utf8_get_char (before), !=, '-');
          }
      }
  g_assert_cmpuint (lines, >, 200);
}

/* A caption's “model:” keeps the start of the model's name on its line, at
 * any width: the graph of cat-mat from [CLS] at its natural 810 pixels
 * ended a line with “model:”, its name alone on the next; so does
 * “models:” (a comparison of two models) */
static void
test_caption_model_label (void)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  g_autoptr(AttnPangoContext) context = _attn_text_context_new ();
  g_autofree char *graph = NULL;
  const char *captions[2];
  const char *labels[] = { "model: ", "models: " };
  AttnFigureStyle style;
  guint later_lines = 0;

  attn_figure_style_init (&style, FALSE);
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.position = 0;
  graph = attn_figure_describe_settings (&settings, attn_document_find_example (bert, "cat-mat", NULL));
  g_assert_true (g_str_has_suffix (graph, " · example cat-mat · model: bert-base-uncased"));
  captions[0] = graph;
  captions[1] = "Attention flow · α = 0.5 · heads: all (mean) · layers 1–12 · examples sst2-0551, cat-mat · "
                "models: bert-base-uncased fine-tuned on SST-2 (Dodrio), bert-base-uncased";
  for (guint c = 0; c < G_N_ELEMENTS (captions); c++)
    for (guint s = 0; s < 2; s++)
      for (double wrap = 60.; wrap <= 900.; wrap += 1.)
        {
          /* a figure's caption, and the size of its other text */
          double size = s == 0 ? style.font_size * 0.8 : style.font_size;
          g_autoptr(PangoLayout) layout = _attn_text_layout_new (context, &style, captions[c], size, FALSE, wrap);
          const char *text = pango_layout_get_text (layout);
          int name = (int) (strstr (text, labels[c]) - text + strlen (labels[c]));

          for (int i = 1; i < pango_layout_get_line_count (layout); i++)
            {
              int start = pango_layout_get_line_readonly (layout, i)->start_index;

              g_assert_cmpint (start, !=, name);
              later_lines += start < name;
            }
        }
  /* the label was on a line after the first (it wrapped before it) */
  g_assert_cmpuint (later_lines, >, 100);
}

/* A colour bar's note in Korean, “his”은(는) 최대 색, wrapped at any width
 * from 16 px (less than a syllable and a half) to its whole length: no
 * line starts inside a particle's two forms, 은(는) (at 40 to 52 px it
 * broke as "“his”은(는" / ")"), nor with a space; where “his”은(는) fits
 * on a line, no line starts at the particle either (it was left alone
 * on its line, “his” at the end of the one before, at 28 to 36 px) */
static void
test_korean_particles (void)
{
  static const char *texts[] = {
    "중요도\n“his”은(는) 최대 색", "중요도\n특수 토큰과 “[CLS]”은(는) 최대 색", "“ko.json”이(가) 읽은 파일(으)로 저장",
  };
  g_autoptr(AttnPangoContext) context = _attn_text_context_new ();
  AttnFigureStyle style;
  guint lines = 0;

  attn_figure_style_init (&style, FALSE);
  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      const char *word = strstr (texts[t], "“");
      const char *pair = strstr (texts[t], "(") - strlen ("은");
      const char *pair_end = strstr (texts[t], ")") + 1;
      g_autofree char *unit = g_strndup (word, pair_end - word);
      double word_w, word_h;

      _attn_text_measure (context, &style, unit, 13. * 0.85, FALSE, 0, &word_w, &word_h);
      for (double wrap = 16.; wrap <= 200.; wrap += 1.)
        {
          g_autoptr(PangoLayout) layout = _attn_text_layout_new (context, &style, texts[t], 13. * 0.85, FALSE, wrap);

          g_assert_cmpstr (pango_layout_get_text (layout), ==, texts[t]);
          for (int i = 1; i < pango_layout_get_line_count (layout); i++)
            {
              const char *at = texts[t] + pango_layout_get_line_readonly (layout, i)->start_index;

              lines++;
              g_assert_false (at > pair && at < pair_end);
              g_assert_cmpint (*at, !=, ' ');
              if (word_w <= wrap)
                g_assert_false (at == pair);
            }
        }
    }
  g_assert_cmpuint (lines, >, 500);
}

/* Korean wraps between words, not inside one (중요/도); a word wider than
 * the wrap width alone still wraps between its syllables */
static void
test_korean_words (void)
{
  static const char *text = "예제 long: 각 층에서 “[CLS]”(위치 0)에 대한 입력 토큰의 중요도";
  g_autoptr(AttnPangoContext) context = _attn_text_context_new ();
  AttnFigureStyle style;
  guint breaks = 0;

  attn_figure_style_init (&style, FALSE);
  for (double wrap = 100.; wrap <= 420.; wrap += 20.)
    {
      g_autoptr(PangoLayout) layout = _attn_text_layout_new (context, &style, text, 13., FALSE, wrap);

      breaks += pango_layout_get_line_count (layout) - 1;
      for (int i = 1; i < pango_layout_get_line_count (layout); i++)
        {
          const char *at = text + pango_layout_get_line_readonly (layout, i)->start_index;
          const char *before = g_utf8_prev_char (at);

          /* a line starts after a space, or where a word meets one of
           * another script */
          if (g_unichar_get_script (g_utf8_get_char (at)) == G_UNICODE_SCRIPT_HANGUL)
            g_assert_cmpint (g_unichar_get_script (g_utf8_get_char (before)), !=, G_UNICODE_SCRIPT_HANGUL);
        }
    }
  g_assert_cmpuint (breaks, >=, 10);

  {
    static const char *word = "가나다라마바사아자차카타파하가나다라마바사";
    g_autoptr(PangoLayout) layout = _attn_text_layout_new (context, &style, word, 13., FALSE, 80.);
    PangoRectangle logical;

    g_assert_cmpint (pango_layout_get_line_count (layout), >, 1);
    pango_layout_get_extents (layout, NULL, &logical);
    g_assert_cmpint (logical.x + logical.width, <=, 80 * PANGO_SCALE);
  }

  /* a label's attributes: one no-break range a run of Hangul, none for
   * other scripts */
  {
    static const char *mixed = "입력 “on”(위치 11): 선택한 노드";
    g_autoptr(PangoAttrList) attrs = attn_text_word_breaks_new (mixed, NULL, 0.);
    g_autoptr(PangoAttrList) none = attn_text_word_breaks_new ("Input “on” (position 11)", NULL, 0.);
    g_autoptr(PangoAttrIterator) it = NULL;
    guint runs = 0;

    g_assert_null (none);
    g_assert_nonnull (attrs);
    it = pango_attr_list_get_iterator (attrs);
    do
      runs += pango_attr_iterator_get (it, PANGO_ATTR_ALLOW_BREAKS) != NULL;
    while (pango_attr_iterator_next (it));
    g_assert_cmpuint (runs, ==, 4);   /* 입력, 위치, 선택한, 노드 */
  }

  /* a particle's two forms after a quoted name are one word with it:
   * "이(가)" is not broken before its "(", nor before its ")", nor
   * parted from the name */
  {
    static const char *particle = "“ko.json”이(가) 읽은";
    g_autoptr(PangoAttrList) attrs = attn_text_word_breaks_new (particle, NULL, 0.);
    g_autoptr(PangoAttrIterator) it = pango_attr_list_get_iterator (attrs);
    PangoAttribute *run;

    while ((run = pango_attr_iterator_get (it, PANGO_ATTR_ALLOW_BREAKS)) == NULL)
      g_assert_true (pango_attr_iterator_next (it));
    g_assert_cmpuint (run->start_index, ==, 0);
    g_assert_cmpuint (run->end_index, ==, strstr (particle, ")") + 1 - particle);
  }

  /* so is a Latin word a particle follows: "JSON이" is not broken (Pango
   * broke it as "JSON-" / "이"); a long run of letters is left as it was */
  {
    static const char *latin = "올바른 JSON이 아닙니다";
    static const char *long_run = "abcdefghijklmnopqrstuvwxyz이";
    g_autoptr(PangoAttrList) attrs = attn_text_word_breaks_new (latin, NULL, 0.);
    g_autoptr(PangoAttrList) long_attrs = attn_text_word_breaks_new (long_run, NULL, 0.);
    g_autoptr(PangoAttrIterator) it = pango_attr_list_get_iterator (attrs);
    g_autoptr(PangoAttrIterator) long_it = pango_attr_list_get_iterator (long_attrs);
    PangoAttribute *run;
    gboolean seen = FALSE;

    do
      if ((run = pango_attr_iterator_get (it, PANGO_ATTR_ALLOW_BREAKS)) != NULL &&
          run->end_index == (guint) (strstr (latin, " 아닙") - latin))
        {
          g_assert_cmpuint (run->start_index, ==, strstr (latin, "JSON") - latin);
          seen = TRUE;
        }
    while (pango_attr_iterator_next (it));
    g_assert_true (seen);
    while ((run = pango_attr_iterator_get (long_it, PANGO_ATTR_ALLOW_BREAKS)) == NULL)
      g_assert_true (pango_attr_iterator_next (long_it));
    g_assert_cmpuint (run->start_index, ==, strstr (long_run, "이") - long_run);
  }

  /* and the words after it still wrap between words */
  {
    static const char *words = "가나다라마바사아자차카타파하가나다라마바사 입력 토큰의 중요도 각 레이어에서";
    g_autoptr(PangoLayout) layout = _attn_text_layout_new (context, &style, words, 13., FALSE, 80.);
    const char *end_of_long = strchr (words, ' ');

    for (int i = 1; i < pango_layout_get_line_count (layout); i++)
      {
        const char *at = words + pango_layout_get_line_readonly (layout, i)->start_index;

        if (at > end_of_long)
          g_assert_cmpint (g_unichar_get_script (g_utf8_get_char (g_utf8_prev_char (at))), !=,
                           G_UNICODE_SCRIPT_HANGUL);
      }
  }
}

/* One range for all layers after a click in flow: the nodes have a range of
 * their own, which the colour bar gives on its left, named “nodes” under
 * it, the edges' on its right, named “edges”; its label no longer carries
 * the nodes' range in words. At a view's size the room for the nodes'
 * ticks is kept before the click too: the nodes stay where they were. */
static void
test_node_range_label (void)
{
  const int positions[] = { -1, 3, 0, 10 };
  double right0 = 0., bar0 = 0.;

  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
      AttnFigureStyle style;
      g_autoptr(AttnFigure) fig = NULL;
      g_autoptr(AttnGraphLayout) layout = NULL;
      const AttnGraphScene *scene;
      const char *label;
      const AttnLabel *names[2] = { NULL, NULL };
      AttnRect bar;
      double x, y;

      attn_figure_style_init (&style, FALSE);
      style.color_scale = ATTN_COLOR_SCALE_GLOBAL;
      settings.method = ATTN_METHOD_FLOW;
      settings.position = positions[i];
      fig = build (pronouns, "author-his", &settings, &style);
      scene = attn_figure_get_graph_scene (fig, 0);
      label = attn_graph_scene_get_scale_label (scene);
      layout = attn_graph_layout_new_for_scene (scene, &style, TRUE, 990., 430.);
      assert_labels_fit (attn_graph_layout_get_n_labels (layout), layout_label, layout, 990., 430.);
      attn_graph_layout_get_node (layout, 1, attn_example_get_n_tokens (attn_graph_scene_get_example (scene)) - 1,
                                  &x, &y);
      attn_graph_layout_get_colorbar (layout, &bar);
      g_test_message ("position %d: “%s”; nodes up to %g; last node at x %g, bar at %g", positions[i], label,
                      attn_graph_scene_get_node_scale (scene, 0), x, bar.x);
      g_assert_null (strstr (label, "own range"));
      g_assert_null (strpbrk (label, "0123456789"));
      g_assert_true (attn_graph_layout_has_node_ticks (layout));
      for (guint j = 0; j < attn_graph_layout_get_n_labels (layout); j++)
        {
          const AttnLabel *l = attn_graph_layout_get_label (layout, j);

          if (l->kind == ATTN_LABEL_SCALE && (g_str_equal (l->text, "nodes") || g_str_equal (l->text, "edges")))
            names[g_str_equal (l->text, "edges")] = l;
        }
      if (positions[i] < 0)
        {
          /* no click: one scale, unnamed, but its room kept */
          g_assert_cmpfloat (attn_graph_scene_get_node_scale (scene, 0), ==, 0.);
          g_assert_null (names[0]);
          g_assert_null (names[1]);
          g_assert_cmpfloat (bar.x - x, >, 16. + 30.);
          right0 = x;
          bar0 = bar.x;
          continue;
        }
      g_assert_cmpfloat (attn_graph_scene_get_node_scale (scene, 0), >=, 0.1);
      g_assert_cmpfloat (attn_graph_scene_get_node_scale (scene, 0), <, 1.);
      /* the names under the bar, the nodes' left of it, the edges' right */
      g_assert_nonnull (names[0]);
      g_assert_nonnull (names[1]);
      g_assert_cmpfloat (names[0]->box.x + names[0]->box.width, <=, bar.x);
      g_assert_cmpfloat (names[0]->box.x, >, x);
      g_assert_cmpfloat (names[1]->box.x, >=, bar.x + bar.width);
      for (guint side = 0; side < 2; side++)
        g_assert_cmpfloat (names[side]->box.y, >=, bar.y + bar.height);
      g_assert_cmpfloat (x, ==, right0);
      g_assert_cmpfloat (bar.x, ==, bar0);
    }
}

/* The tick labels a colour bar @bar (in figure coordinates) draws on its
 * left or its right, as the PDF's words (@words), read as numbers, and
 * their heights, top to bottom: returns how many */
static guint
bar_side_ticks (GArray         *words,
                const AttnRect *bar,
                gboolean        left,
                double          values[8],
                double          ys[8])
{
  guint n = 0;

  for (guint i = 0; i < words->len; i++)
    {
      const PdfWord *word = &g_array_index (words, PdfWord, i);
      double cy = word->box.y + word->box.height / 2;
      gboolean beside = left ? word->box.x + word->box.width <= bar->x && word->box.x > bar->x - 60.
                             : word->box.x >= bar->x + bar->width && word->box.x < bar->x + bar->width + 20.;
      char *end = NULL;
      double v = g_ascii_strtod (word->text, &end);

      if (!beside || cy < bar->y - 8. || cy > bar->y + bar->height + 8. || end == word->text || *end != '\0')
        continue;
      g_assert_cmpuint (n, <, 8);
      values[n] = v;
      ys[n++] = cy;
    }
  return n;
}

/* Checks that the ticks (@values at @ys) of a colour bar @bar whose colours
 * run from 0 to @max give that range: from 0 at its bottom, each at its
 * height, the last at least its steps' reach of @max */
static void
assert_bar_ticks (const double   *values,
                  const double   *ys,
                  guint           n,
                  const AttnRect *bar,
                  double          max)
{
  double last = 0.;

  g_assert_cmpuint (n, >=, 2);
  for (guint t = 0; t < n; t++)
    {
      /* within the rounding of a two-digit label */
      g_assert_cmpfloat (values[t], <=, max * 1.05);
      g_assert_cmpfloat (fabs (ys[t] - (bar->y + bar->height * (1. - values[t] / max))), <, 0.05 * bar->height + 3.);
      last = MAX (last, values[t]);
      if (values[t] == 0.)
        g_assert_cmpfloat (fabs (ys[t] - (bar->y + bar->height)), <, 3.);
    }
  g_assert_cmpfloat (last, >=, 0.375 * max);
}

/* bert's cat-mat, flow from “cat” at layer 12 on one range for all layers
 * (a user's figure): the nodes are coloured up to 0.072, the edges up to
 * 0.024; the bar's ticks gave the edges' alone, and a node's colour read
 * against them a third of its value. Now its left ticks span the nodes'
 * range, its right ones the edges', in the saved figure's text, at the
 * natural size and at a window's; per layer, the bar has one scale. */
static void
test_node_range_ticks (void)
{
  const int sizes[][2] = { { 0, 0 }, { 1000, 620 }, { 640, 420 } };

  g_assert_true (have_program ("pdftotext") || !in_ci ());
  if (!have_program ("pdftotext"))
    {
      g_test_skip ("pdftotext is needed");
      return;
    }
  for (guint scale = 0; scale < 2; scale++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
        AttnFigureStyle style;
        g_autoptr(AttnFigure) built = NULL;
        g_autoptr(AttnFigure) fig = NULL;
        g_autoptr(GArray) words = NULL;
        const AttnGraphScene *scene;
        double left[8], left_y[8], right[8], right_y[8], node_max, edge_max, x, y;
        guint n_left, n_right;
        AttnRect bar;

        attn_figure_style_init (&style, FALSE);
        style.color_scale = scale == 0 ? ATTN_COLOR_SCALE_GLOBAL : ATTN_COLOR_SCALE_PER_LAYER;
        settings.method = ATTN_METHOD_FLOW;
        settings.position = 2;
        built = build (bert, "cat-mat", &settings, &style);
        fig = sizes[s][0] > 0 ? attn_figure_new_at_size (built, sizes[s][0], sizes[s][1]) : attn_figure_ref (built);
        scene = attn_figure_get_graph_scene (fig, 0);
        node_max = attn_graph_scene_get_node_scale (scene, 0);
        edge_max = attn_graph_scene_compute_scale_max (scene, style.exclude_special);
        attn_graph_layout_get_colorbar (attn_figure_get_graph_layout (fig, 0, &x, &y), &bar);
        bar.x += x;
        bar.y += y;
        words = pdf_words (fig);
        n_left = bar_side_ticks (words, &bar, TRUE, left, left_y);
        n_right = bar_side_ticks (words, &bar, FALSE, right, right_y);
        g_test_message ("%s at %dx%d: nodes up to %g, %u ticks left of the bar; edges up to %g, %u right",
                        attn_color_scale_get_name (style.color_scale), sizes[s][0], sizes[s][1], node_max,
                        n_left, edge_max, n_right);
        if (scale == 1)
          {
            /* per layer: one scale, 0 to 1 */
            g_assert_cmpuint (n_left, ==, 0);
            assert_bar_ticks (right, right_y, n_right, &bar, 1.);
            continue;
          }
        g_assert_cmpfloat (node_max, >, 2.5 * edge_max);
        assert_bar_ticks (left, left_y, n_left, &bar, node_max);
        assert_bar_ticks (right, right_y, n_right, &bar, edge_max);
      }
}

/* What the figures draw over coloured cells reads on every colour map: the
 * text on cells and swatches, the selected column's outline. Colours are
 * read from the rendered pixels and compared by WCAG 2's contrast ratio,
 * computed here, not by the renderer. */

/* WCAG 2's relative luminance of a pixel, computed here, not by the renderer */
static double
luminance_of (guint32 p)
{
  double c[3] = { ((p >> 16) & 0xff) / 255., ((p >> 8) & 0xff) / 255., (p & 0xff) / 255. };

  for (guint i = 0; i < 3; i++)
    c[i] = c[i] <= 0.04045 ? c[i] / 12.92 : pow ((c[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

static double
ratio (double a,
       double b)
{
  return (MAX (a, b) + 0.05) / (MIN (a, b) + 0.05);
}

/* The commonest pixel in device pixels [x0, x1) x [y0, y1): a cell's fill */
static guint32
fill_of (cairo_surface_t *s,
         int              x0,
         int              y0,
         int              x1,
         int              y1)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  guint32 best = 0;
  guint most = 0;

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        guint32 p = pixel_at (s, x, y);
        guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (p))) + 1;

        g_hash_table_insert (counts, GUINT_TO_POINTER (p), GUINT_TO_POINTER (n));
        if (n > most)
          {
            most = n;
            best = p;
          }
      }
  g_assert_cmpuint (most, >, 0);
  return best;
}

/* The best contrast ratio with @fill of a pixel in [x0, x1) x [y0, y1) */
static double
best_ratio (cairo_surface_t *s,
            guint32          fill,
            int              x0,
            int              y0,
            int              x1,
            int              y1)
{
  double best = 1., l = luminance_of (fill);

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      best = MAX (best, ratio (l, luminance_of (pixel_at (s, x, y))));
  return best;
}

/* pronouns-minilm's author-his in a heatmap of flow from “talked”, as the audit saw it */
static AttnFigure *
contrast_heatmap_of (const char *map,
                     gboolean    dark,
                     gboolean    values,
                     const char *id,
                     guint       position)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;

  attn_figure_style_init (&style, dark);
  style.colormap = attn_colormap_from_name (map);
  style.show_values = values;
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_FLOW;
  settings.position = position;
  return build (pronouns, id, &settings, &style);
}

/* @fig laid out lower, until its rows leave its printed values less than
 * twice the outline's 4 px reach; NULL if they are not printed then */
static AttnFigure *
squeezed_heatmap (const AttnFigure *fig)
{
  double width, height;

  attn_figure_get_size (fig, &width, &height);
  for (double h = height; h > height / 2; h -= 2.)
    {
      g_autoptr(AttnFigure) at = attn_figure_new_at_size (fig, width, h);
      const HeatGrid *grid = &g_array_index (at->grids, HeatGrid, 0);

      if (grid->value_h > 0. && grid->ch - grid->value_h < 8.)
        return g_steal_pointer (&at);
    }
  return NULL;
}

static AttnFigure *
contrast_heatmap (const char *map,
                  gboolean    dark,
                  gboolean    values)
{
  return contrast_heatmap_of (map, dark, values, "author-his", 3);
}

/* The grid cell under a label, or FALSE */
static gboolean
cell_of (const AttnFigure *fig,
         const AttnLabel  *label,
         const HeatGrid  **grid,
         guint            *r,
         guint            *k)
{
  double cx = label->box.x + label->box.width / 2, cy = label->box.y + label->box.height / 2;

  for (guint g = 0; g < fig->grids->len; g++)
    {
      const HeatGrid *c = &g_array_index (fig->grids, HeatGrid, g);

      if (cx >= c->x && cx < c->x + c->n * c->cw && cy >= c->y && cy < c->y + c->n_rows * c->ch)
        {
          *grid = c;
          *k = (guint) ((cx - c->x) / c->cw);
          *r = (guint) ((cy - c->y) / c->ch);
          return TRUE;
        }
    }
  return FALSE;
}

/* Checks the text over @rect (a swatch or a cell) against its fill; counts
 * the mid-tone fills, where black reads better though white was used */
static void
assert_text_reads (cairo_surface_t *image,
                   double           scale,
                   const AttnRect  *rect,
                   const AttnLabel *label,
                   guint           *mid_tones)
{
  guint32 fill = fill_of (image, (int) ceil (rect->x * scale), (int) ceil (rect->y * scale),
                          (int) floor ((rect->x + rect->width) * scale),
                          (int) floor ((rect->y + rect->height) * scale));
  double l = luminance_of (fill);
  double best = best_ratio (image, fill, (int) floor (MAX (label->box.x, rect->x) * scale),
                            (int) floor (MAX (label->box.y, rect->y) * scale),
                            (int) ceil (MIN (label->box.x + label->box.width, rect->x + rect->width) * scale),
                            (int) ceil (MIN (label->box.y + label->box.height, rect->y + rect->height) * scale));

  g_test_message ("“%s” on #%06x (luminance %.3f): %.2f:1", label->text, fill, l, best);
  /* the better of black and white is 4.58:1 or more on any fill */
  g_assert_cmpfloat (best, >=, 4.5);
  *mid_tones += l > 0.179 && l < 0.36;
}

/* Every text on a swatch or a cell of @fig against the fill under it; counts them */
static void
assert_figure_text_reads (AttnFigure *fig,
                          guint      *swatches,
                          guint      *values,
                          guint      *marked_values,
                          guint      *mid_tones)
{
  double scale = 2.;
  cairo_surface_t *image = attn_figure_render_image (fig, scale, NULL);

  cairo_surface_flush (image);
  for (guint i = 0; i < fig->swatches->len; i++)
    {
      const Swatch *s = &g_array_index (fig->swatches, Swatch, i);

      if (s->label < 0 || s->t < 0.)
        continue;
      assert_text_reads (image, scale, &s->rect, &g_array_index (fig->labels, AttnLabel, s->label), mid_tones);
      (*swatches)++;
    }
  for (guint i = 0; i < fig->labels->len; i++)
    {
      const AttnLabel *label = &g_array_index (fig->labels, AttnLabel, i);
      const HeatGrid *grid;
      gboolean marked = FALSE;
      guint r, k;

      if (label->kind != ATTN_LABEL_VALUE || !cell_of (fig, label, &grid, &r, &k))
        continue;
      /* the outlined columns' cells hold their outlines too, clear of
       * their values (they hid the point and last digit of “.06”) */
      marked = (int) k == grid->mark;
      for (guint a = 0; a < grid->n_highlight; a++)
        marked |= grid->highlight[a] == k;
      if (marked && _attn_figure_grid_outlined (grid))
        {
          g_assert_cmpfloat (label->box.x, >=, grid->x + k * grid->cw + 4.);
          g_assert_cmpfloat (label->box.x + label->box.width, <=, grid->x + (k + 1) * grid->cw - 4.);
          /* the selection's turns inside the top and bottom cells where
           * their values leave it room, else above and below them */
          if ((int) k == grid->mark && r == 0 && _attn_figure_grid_selection_inside (grid))
            g_assert_cmpfloat (label->box.y, >=, grid->y + 4.);
          if ((int) k == grid->mark && r + 1 == grid->n_rows && _attn_figure_grid_selection_inside (grid))
            g_assert_cmpfloat (label->box.y + label->box.height, <=, grid->y + grid->n_rows * grid->ch - 4.);
          continue;
        }
      (*marked_values) += marked;
      assert_text_reads (image, scale, &(AttnRect) { grid->x + k * grid->cw, grid->y + r * grid->ch, grid->cw, grid->ch },
                         label, mid_tones);
      (*values)++;
    }
  cairo_surface_destroy (image);
}

/* The token strip's words and the cells' values (a heatmap's, and a
 * comparison's candidate cells) in black or white, whichever contrasts
 * more with the fill (WCAG 2), on every map: white on the ink map's middle
 * blues (91, 164, 208) read at 2.7:1, black at 7.6:1 */
static void
test_cell_text (void)
{
  const char * const *maps = attn_colormap_list_names ();
  AttnFigureInput inputs[2] = {
    { attn_document_find_example (pronouns, "author-his", NULL), "pronouns-minilm.json" },
    { attn_document_find_example (pronouns, "author-her", NULL), "pronouns-minilm.json" },
  };
  guint mid_tones = 0, swatches = 0, values = 0, compared = 0, marked = 0;

  for (guint m = 0; maps[m] != NULL; m++)
    for (int dark = 0; dark <= 1; dark++)
      {
        AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
        AttnFigureStyle style;
        g_autoptr(AttnFigure) fig = contrast_heatmap (maps[m], dark, TRUE);
        /* 18 tokens: columns about 20 px wide, their values (“.06”) 15 px */
        g_autoptr(AttnFigure) narrow = contrast_heatmap_of (maps[m], dark, TRUE, "truck-fast", 11);
        /* rows too low for the selection's outline to clear their values */
        g_autoptr(AttnFigure) low = squeezed_heatmap (fig);
        g_autoptr(AttnFigure) compare = NULL;
        GError *error = NULL;
        guint before;

        g_test_message ("%s%s", maps[m], dark ? ", dark" : "");
        assert_figure_text_reads (fig, &swatches, &values, &marked, &mid_tones);
        assert_figure_text_reads (narrow, &swatches, &values, &marked, &mid_tones);
        g_assert_nonnull (low);
        assert_figure_text_reads (low, &swatches, &values, &marked, &mid_tones);
        attn_figure_style_init (&style, dark);
        style.colormap = attn_colormap_from_name (maps[m]);
        settings.kind = ATTN_FIGURE_COMPARE;
        settings.all_methods = TRUE;
        compare = attn_figure_build (inputs, 2, &settings, &style, NULL, &error);
        g_assert_no_error (error);
        before = values;
        assert_figure_text_reads (compare, &swatches, &values, &marked, &mid_tones);
        compared += values - before;
      }
  g_test_message ("%u swatches, %u values (%u compared, %u in marked columns); %u on fills of luminance "
                  "0.179 to 0.36", swatches, values, compared, marked, mid_tones);
  g_assert_cmpuint (swatches, >, 0);
  /* the selected and candidate columns' values, read as the others (their
   * columns too narrow for an outline clear of them are marked above and below) */
  g_assert_cmpuint (marked, >, 0);
  g_assert_cmpuint (compared, >, 0);
  g_assert_cmpuint (values, >, compared);
  g_assert_cmpuint (mid_tones, >, 0);
}

static gboolean
near_color (guint32         p,
            const AttnRgba *c)
{
  return ABS ((int) ((p >> 16) & 0xff) - (int) lround (c->red * 255.)) <= 40
         && ABS ((int) ((p >> 8) & 0xff) - (int) lround (c->green * 255.)) <= 40
         && ABS ((int) (p & 0xff) - (int) lround (c->blue * 255.)) <= 40;
}

/* Checks the outline of @grid's column @column (in @color, dashed or not)
 * in @image at @scale: along each side, in every pixel row of every cell
 * where the outline's colour is, a pixel within its 4 px contrasts 4.5:1
 * or more with the cell; every row holds the colour unless @dashed, and a
 * dashed outline's in 4 rows of 10 or more (its dashes 4 px of 7). Returns
 * the least contrast. */
static double
assert_outline_reads (const AttnFigure *fig,
                      cairo_surface_t  *image,
                      double            scale,
                      const HeatGrid   *grid,
                      guint             column,
                      const AttnRgba   *color,
                      gboolean          dashed,
                      const char       *what)
{
  double left = grid->x + column * grid->cw, right = left + grid->cw, worst = G_MAXDOUBLE;
  /* the selection's outline turns inside the cells; the candidates' above and below them */
  double inset = dashed ? 1. : 4.;
  guint rows = 0, colored = 0;

  for (guint r = 0; r < grid->n_rows; r++)
    {
      double top = grid->y + r * grid->ch;
      /* the cell's colour, inside the outline */
      guint32 fill = fill_of (image, (int) ceil ((left + 6.) * scale), (int) ceil ((top + 6.) * scale),
                              (int) floor ((right - 6.) * scale), (int) floor ((top + grid->ch - 6.) * scale));

      for (int y = (int) ceil ((top + (r == 0 ? inset : 1.)) * scale);
           y < (int) floor ((top + grid->ch - (r + 1 == grid->n_rows ? inset : 1.)) * scale); y++)
        for (int side = 0; side < 2; side++)
          {
            int x0 = (int) floor ((side ? right - 4. : left) * scale);
            int x1 = (int) ceil ((side ? right : left + 4.) * scale);
            double best = best_ratio (image, fill, x0, y, x1, y + 1);
            gboolean seen = FALSE;

            for (int x = x0; x < x1; x++)
              seen |= near_color (pixel_at (image, x, y), color);
            rows++;
            colored += seen;
            if ((!seen && !dashed) || (seen && best < 4.5))
              g_error ("%s at %gx, column %u: layer row %u, y %d, %s side: best %.2f:1 with #%06x, outline %s", what,
                       scale, column, r, y, side ? "right" : "left", best, fill, seen ? "seen" : "missing");
            if (seen)
              worst = MIN (worst, best);
          }
    }
  g_assert_cmpuint (10 * colored, >=, 4 * rows);
  return worst;
}

/* The selected column's outline (@candidates FALSE) or the candidate
 * antecedents' dashed outlines show on every cell of every map, light and
 * dark, at 1x and 2x (assert_outline_reads()) */
static void
check_outlines (gboolean candidates)
{
  const char * const *maps = attn_colormap_list_names ();
  double worst = G_MAXDOUBLE;

  for (guint m = 0; maps[m] != NULL; m++)
    for (int dark = 0; dark <= 1; dark++)
      for (double scale = 1.; scale <= 2.; scale++)
        {
          g_autoptr(AttnFigure) fig = contrast_heatmap (maps[m], dark, FALSE);
          const HeatGrid *grid = &g_array_index (fig->grids, HeatGrid, 0);
          cairo_surface_t *image = attn_figure_render_image (fig, scale, NULL);
          g_autofree char *what = g_strdup_printf ("%s%s", maps[m], dark ? " (dark)" : "");

          g_assert_cmpint (grid->mark, ==, 3);
          g_assert_cmpfloat (grid->cw, >=, 16.);
          /* “author” and “sara” */
          g_assert_cmpuint (grid->n_highlight, ==, 2);
          g_assert_cmpuint (grid->highlight[0], ==, 2);
          g_assert_cmpuint (grid->highlight[1], ==, 5);
          cairo_surface_flush (image);
          if (!candidates)
            worst = MIN (worst, assert_outline_reads (fig, image, scale, grid, 3, &fig->style.accent, FALSE, what));
          for (guint a = 0; candidates && a < grid->n_highlight; a++)
            worst = MIN (worst, assert_outline_reads (fig, image, scale, grid, grid->highlight[a],
                                                      &fig->style.highlight, TRUE, what));
          cairo_surface_destroy (image);
        }
  g_test_message ("the %s least contrast with its cell: %.2f:1", candidates ? "dashed outlines'" : "outline's", worst);
}

/* The selected column's outline: along each side, every pixel row holds
 * the accent and a pixel that contrasts 4.5:1 or more with the cell (the
 * accent alone, or over the white background colour, was lost on
 * viridis's yellow and teal) */
static void
test_selection_outline (void)
{
  check_outlines (FALSE);
}

/* The candidate antecedents' dashed outlines: along each side, every pixel
 * row that holds the highlight (a dash) holds a pixel that contrasts 4.5:1
 * or more with the cell (over the background colour alone the magenta
 * read at 1.7:1 on viridis's teal) */
static void
test_candidate_outlines (void)
{
  check_outlines (TRUE);
}

/* Whether a pixel of @image in [@x0, @x1) x [@y0, @y1) is near @color */
static gboolean
color_in (cairo_surface_t *image,
          int              x0,
          int              y0,
          int              x1,
          int              y1,
          const AttnRgba  *color)
{
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (near_color (pixel_at (image, x, y), color))
        return TRUE;
  return FALSE;
}

/* Checks that @fig's selected column (@column, of its first grid) is
 * outlined as a whole box in @image (at 1x): the accent along both sides in
 * every pixel row of the column and across its top and bottom, and, where
 * @candidate, the highlight's dashes above and below. Returns whether the
 * outline turns inside the top and bottom cells. */
static gboolean
assert_selection_box (const AttnFigure *fig,
                      cairo_surface_t  *image,
                      int               column,
                      gboolean          candidate,
                      const char       *what)
{
  const HeatGrid *grid = &g_array_index (fig->grids, HeatGrid, 0);
  double left = grid->x + column * grid->cw, right = left + grid->cw, bottom = grid->y + grid->n_rows * grid->ch;
  int middle = (int) floor (left + grid->cw / 2.);

  g_test_message ("%s: rows of %g px", what, grid->ch);
  g_assert_cmpint (grid->mark, ==, column);
  /* columns wide enough to be outlined, rather than marked above and below */
  g_assert_cmpfloat (grid->cw, >=, 16.);
  for (int y = (int) ceil (grid->y + 1.); y < (int) floor (bottom - 1.); y++)
    {
      if (!color_in (image, (int) floor (left), y, (int) ceil (left + 4.), y + 1, &fig->style.accent))
        g_error ("%s: no outline on the left side at y %d", what, y);
      if (!color_in (image, (int) floor (right - 4.), y, (int) ceil (right), y + 1, &fig->style.accent))
        g_error ("%s: no outline on the right side at y %d", what, y);
    }
  g_assert_true (color_in (image, middle - 3, (int) floor (grid->y - 4.), middle + 4, (int) ceil (grid->y + 4.),
                           &fig->style.accent));
  g_assert_true (color_in (image, middle - 3, (int) floor (bottom - 4.), middle + 4, (int) ceil (bottom + 4.),
                           &fig->style.accent));
  if (candidate)
    {
      g_assert_true (color_in (image, (int) left, (int) floor (grid->y - 4.), (int) right, (int) grid->y,
                               &fig->style.highlight));
      g_assert_true (color_in (image, (int) left, (int) ceil (bottom), (int) right, (int) ceil (bottom + 4.),
                               &fig->style.highlight));
    }
  return _attn_figure_grid_selection_inside (grid);
}

/* The selected column's outline is a whole box however low the rows:
 * cat-mat's [CLS] laid out 878 px wide and 130 to 400 px high (rows of 5
 * to 26 px) has the accent along both sides in every pixel row of its
 * column and across its top and bottom, inside the top and bottom cells
 * or, in rows under 8 px, above and below them (at 878 x 160 it was only
 * bars above and below, no sides); a selected candidate (author-his's
 * sara, rows of 5 to 10 px) keeps its dashes above and below, over the
 * selection's turns there */
static void
test_selection_outline_low (void)
{
  const struct { gboolean candidate; double height; } sizes[] = {
    { FALSE, 130. }, { FALSE, 160. }, { FALSE, 180. }, { FALSE, 200. }, { FALSE, 400. },
    { TRUE, 115. }, { TRUE, 125. }, { TRUE, 155. },
  };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigure *figs[2];
  guint low[2] = { 0, 0 }, inside[2] = { 0, 0 };

  attn_figure_style_init (&style, FALSE);
  style.colormap = attn_colormap_from_name ("viridis");
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_FLOW;
  settings.position = 0;
  figs[0] = build (bert, "cat-mat", &settings, &style);
  settings.position = 5;
  figs[1] = build (pronouns, "author-his", &settings, &style);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint c = sizes[i].candidate;
      g_autoptr(AttnFigure) at = attn_figure_new_at_size (figs[c], 878., sizes[i].height);
      cairo_surface_t *image = attn_figure_render_image (at, 1., NULL);
      g_autofree char *what = g_strdup_printf ("%s at 878 x %g", c ? "author-his" : "cat-mat", sizes[i].height);

      cairo_surface_flush (image);
      if (assert_selection_box (at, image, c ? 5 : 0, c, what))
        inside[c]++;
      else
        low[c]++;
      cairo_surface_destroy (image);
    }
  /* both ways of turning were drawn */
  for (guint c = 0; c < 2; c++)
    {
      g_assert_cmpuint (low[c], >, 0);
      g_assert_cmpuint (inside[c], >, 0);
      attn_figure_unref (figs[c]);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  bert = load ("bert-base-uncased.json");
  sst2 = load ("sst2-bert.json");
  pronouns = load ("pronouns-minilm.json");
  /* a test's subprocess writes where its parent's test says: a folder of
   * its own, made as root, stayed behind when it had dropped to "nobody" */
  if (!g_test_subprocess ())
    tmpdir = attn_test_make_folder ("render");

  g_test_add_func ("/attn/render/graph/top-k-strongest", test_top_k_strongest);
  g_test_add_func ("/attn/render/graph/cramped-rows", test_graph_cramped_rows);
  g_test_add_func ("/attn/render/graph/long-token", test_graph_long_token);
  g_test_add_func ("/attn/render/graph/whole-tokens", test_graph_whole_tokens);
  g_test_add_func ("/attn/render/heatmap/whole-tokens", test_heatmap_whole_tokens);
  g_test_add_func ("/attn/render/heatmap/labels-cut-for-rows", test_heatmap_labels_cut_for_rows);
  g_test_add_func ("/attn/render/heatmap/long-token-rows", test_heatmap_long_token_rows);
  g_test_add_func ("/attn/render/heatmap/scrolled-label-band", test_heatmap_scrolled_label_band);
  g_test_add_func ("/attn/render/heatmap/title-clear-of-marks", test_heatmap_title_clear_of_marks);
  g_test_add_func ("/attn/render/layout/short-token-labels", test_graph_short_token_labels);
  g_test_add_func ("/attn/render/layout/short-pane", test_graph_short_pane);
  g_test_add_func ("/attn/render/colormap/tables", test_colormap);
  g_test_add_func ("/attn/render/colorbar/ticks", test_colorbar_ticks);
  g_test_add_func ("/attn/render/colorbar/ticks-room", test_colorbar_ticks_room);
  g_test_add_func ("/attn/render/layout/labels", test_layout_labels);
  g_test_add_func ("/attn/render/layout/hit-end-nodes", test_hit_end_nodes);
  g_test_add_func ("/attn/render/layout/hit-edge", test_hit_edge);
  g_test_add_func ("/attn/render/layout/hit-edge-saturated", test_hit_edge_saturated);
  g_test_add_func ("/attn/render/renderer/raster-matches-vector", test_raster_matches_vector);
  g_test_add_func ("/attn/render/renderer/strongest-edge", test_strongest_edge);
  g_test_add_func ("/attn/render/renderer/saturated-under", test_saturated_under);
  g_test_add_func ("/attn/render/renderer/saturated-under-raster", test_saturated_under_raster);
  g_test_add_func ("/attn/render/renderer/strongest-stands-out", test_strongest_stands_out);
  g_test_add_func ("/attn/render/figure/heatmap-pixels", test_heatmap_pixels);
  g_test_add_func ("/attn/render/renderer/pending-layers", test_pending_layers);
  g_test_add_func ("/attn/render/renderer/image-async", test_image_async);
  g_test_add_func ("/attn/render/figure/graph-at-size", test_graph_at_size);
  g_test_add_func ("/attn/render/renderer/level-of-detail", test_level_of_detail);
  g_test_add_func ("/attn/render/graph/hollow-nodes", test_hollow_nodes);
  g_test_add_func ("/attn/render/graph/hollow-legend", test_hollow_legend);
  g_test_add_func ("/attn/render/figure/graph", test_figures_graph);
  g_test_add_func ("/attn/render/figure/heatmap", test_figures_heatmap);
  g_test_add_func ("/attn/render/figure/compare", test_figures_compare);
  g_test_add_func ("/attn/render/figure/compare-lines", test_compare_lines);
  g_test_add_func ("/attn/render/figure/compare-pair-difference-below", test_compare_pair_difference_below);
  g_test_add_func ("/attn/render/figure/compare-difference-labels", test_compare_difference_labels);
  g_test_add_func ("/attn/render/figure/compare-difference-labels-first", test_compare_difference_labels_first);
  g_test_add_func ("/attn/render/figure/compare-heads", test_compare_heads);
  g_test_add_func ("/attn/render/figure/panel-bars-room", test_panel_bars_room);
  g_test_add_func ("/attn/render/figure/panel-predictions-inline", test_panel_predictions_inline);
  g_test_add_func ("/attn/render/figure/panel-readable-rows", test_panel_readable_rows);
  g_test_add_func ("/attn/render/figure/panel-predictions-inline-shorter", test_panel_predictions_inline_shorter);
  g_test_add_func ("/attn/render/figure/panel-bar-names", test_panel_bar_names);
  g_test_add_func ("/attn/render/figure/panel-bar-height", test_panel_bar_height);
  g_test_add_func ("/attn/render/figure/panel-bar-name-lines", test_panel_bar_name_lines);
  g_test_add_func ("/attn/render/figure/at-size", test_figures_at_size);
  g_test_add_func ("/attn/render/figure/antecedents-highlighted", test_antecedents_highlighted);
  g_test_add_func ("/attn/render/figure/selected-candidate-outline", test_selected_candidate_outline);
  g_test_add_func ("/attn/render/figure/caption-heads", test_caption_heads);
  g_test_add_func ("/attn/render/fit/all-weights-panel", test_all_weights_panel);
  g_test_add_func ("/attn/render/fit/panel-titles-clear-ticks", test_panel_titles_clear_ticks);
  g_test_add_func ("/attn/render/figure/short-range-scale-label", test_short_range_scale_label);
  g_test_add_func ("/attn/render/figure/narrow-marks", test_narrow_marks);
  g_test_add_func ("/attn/render/figure/narrow-mark-clear", test_narrow_mark_clear);
  g_test_add_func ("/attn/render/figure/compare-antecedents", test_compare_antecedents);
  g_test_add_func ("/attn/render/figure/compare-antecedent-values", test_compare_antecedent_values);
  g_test_add_func ("/attn/render/figure/compare-same-names", test_compare_same_names);
  g_test_add_func ("/attn/render/figure/compare-identical", test_compare_identical);
  g_test_add_func ("/attn/render/layout/long-input-labels", test_long_input_labels);
  g_test_add_func ("/attn/render/figure/marked-labels", test_marked_labels);
  g_test_add_func ("/attn/render/figure/graph-marked-labels", test_graph_marked_labels);
  g_test_add_func ("/attn/render/figure/heatmap-longest-fits", test_heatmap_longest_fits);
  g_test_add_func ("/attn/render/figure/heatmap-long-sentence", test_heatmap_long_sentence);
  g_test_add_func ("/attn/render/figure/heatmap-narrow-columns-peak", test_heatmap_narrow_columns_peak);
  g_test_add_func ("/attn/render/figure/heatmap-side-title", test_heatmap_side_title);
  g_test_add_func ("/attn/render/figure/heatmap-long-title", test_heatmap_long_title);
  g_test_add_func ("/attn/render/figure/heatmap-one-layer", test_heatmap_one_layer);
  g_test_add_func ("/attn/render/figure/heatmap-selected-saturates", test_heatmap_selected_saturates);
  g_test_add_func ("/attn/render/figure/heatmap-own-scales", test_heatmap_own_scales);
  g_test_add_func ("/attn/render/figure/heatmap-values-table", test_heatmap_values_table);
  g_test_add_func ("/attn/render/graph/threshold-of-scale", test_threshold_of_scale);
  g_test_add_func ("/attn/render/figure/png-metadata", test_png_metadata);
  g_test_add_func ("/attn/render/figure/names-model", test_figure_names_model);
  g_test_add_func ("/attn/render/figure/heatmap-kinds-named", test_heatmap_kinds_named);
  g_test_add_func ("/attn/render/figure/sentence-layer", test_sentence_layer);
  g_test_add_func ("/attn/render/figure/heatmap-filling", test_heatmap_filling);
  g_test_add_func ("/attn/render/figure/heatmap-filling-all-methods", test_heatmap_filling_all_methods);
  g_test_add_func ("/attn/render/figure/heatmap-kinds-aligned", test_heatmap_kinds_aligned);
  g_test_add_func ("/attn/render/figure/heatmap-fills-width", test_heatmap_fills_width);
  g_test_add_func ("/attn/render/figure/heatmap-label-bands", test_heatmap_label_bands);
  g_test_add_func ("/attn/render/figure/heatmap-label-bands-cut", test_heatmap_label_bands_cut);
  g_test_add_func ("/attn/render/figure/heatmap-label-bands-chosen", test_heatmap_label_bands_chosen);
  g_test_add_func ("/attn/render/figure/long-prediction-labels", test_long_prediction_labels);
  g_test_add_func ("/attn/render/figure/escaped-prediction-labels", test_escaped_prediction_labels);
  g_test_add_func ("/attn/render/figure/prediction-heading", test_prediction_heading);
  g_test_add_func ("/attn/render/export/atomic", test_save_atomic);
  g_test_add_func ("/attn/render/export/new-file", test_save_new_file);
  g_test_add_func ("/attn/render/export/through-link", test_save_through_link);
  g_test_add_func ("/attn/render/export/png-refused-before-compute", test_png_refused_before_compute);
  g_test_add_func ("/attn/render/export/refused-folder", test_save_refused_folder);
  g_test_add_func ("/attn/render/export/missing-folder", test_save_missing_folder);
  g_test_add_func ("/attn/render/export/refusing-folder", test_save_refusing_folder);
  g_test_add_func ("/attn/render/export/escaped-name", test_save_escaped_name);
  g_test_add_func ("/attn/render/export/named", test_save_named);
  g_test_add_func ("/attn/render/figure/command-line", test_command_line);
  g_test_add_func ("/attn/render/figure/gradient-target", test_gradient_target);
  g_test_add_func ("/attn/render/text/korean-words", test_korean_words);
  g_test_add_func ("/attn/render/text/korean-particles", test_korean_particles);
  g_test_add_func ("/attn/render/figure/panel-legible", test_panel_legible);
  g_test_add_func ("/attn/render/figure/panel-saturated-notes", test_panel_saturated_notes);
  g_test_add_func ("/attn/render/text/caption-separators", test_caption_separators);
  g_test_add_func ("/attn/render/text/caption-model-label", test_caption_model_label);
  g_test_add_func ("/attn/render/text/long-id", test_long_id);
  g_test_add_func ("/attn/render/text/caption-text", test_caption_text);
  g_test_add_func ("/attn/render/text/format-value", test_format_value);
  g_test_add_func ("/attn/render/graph/node-range-label", test_node_range_label);
  g_test_add_func ("/attn/render/graph/node-range-ticks", test_node_range_ticks);
  g_test_add_func ("/attn/render/contrast/cell-text", test_cell_text);
  g_test_add_func ("/attn/render/contrast/selection-outline", test_selection_outline);
  g_test_add_func ("/attn/render/contrast/candidate-outlines", test_candidate_outlines);
  g_test_add_func ("/attn/render/contrast/selection-outline-low", test_selection_outline_low);

  status = g_test_run ();

  attn_test_drop_folder (tmpdir);
  attn_document_unref (bert);
  attn_document_unref (sst2);
  attn_document_unref (pronouns);

  return status;
}
