/* test-vector.c: every saved figure is vector: SVG and PDF hold no raster image
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "attn-core.h"
#include "attn-render.h"
#include "attn-test-util.h"

static AttnDocument *bert;
static AttnDocument *sst2;
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

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  if (path == NULL && g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_error ("%s is needed (librsvg2-bin, poppler-utils)", name);
  return path != NULL;
}

static GBytes *
save_to_bytes (const AttnFigure *figure,
               AttnExportFormat  format)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  GError *error = NULL;

  g_assert_true (attn_figure_save_to_stream (figure, stream, format, 1., NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
}

static guint
count (const char *haystack,
       gsize       length,
       const char *needle)
{
  gsize n_len = strlen (needle);
  guint n = 0;

  for (const char *p = haystack; (p = g_strstr_len (p, length - (p - haystack), needle)) != NULL;
       p += n_len)
    n++;
  return n;
}

/* The edges the renderer is documented to draw (attn-graph-renderer.h): value /
 * its layer's range is t (the layer's own maximum per layer, else the scene's
 * scale max); after a click in rollout or flow, an edge with 1% of its layer's
 * flow is drawn at opacity 0.3 at least; per layer without a click the
 * opacity is that of t³; drawn when t >= threshold and its opacity is at least
 * 1/255; no top-k here. Counted from the scene, not with the renderer's own code. */
static guint
count_visible_edges (AttnGraphLayout       *layout,
                     AttnGraphScene        *scene,
                     const AttnFigureStyle *style)
{
  guint n = attn_graph_scene_get_n_tokens (scene), visible = 0;
  double scale_max = attn_graph_scene_compute_scale_max (scene, style->exclude_special);
  gboolean per_layer = attn_graph_scene_get_color_scale (scene) == ATTN_COLOR_SCALE_PER_LAYER;
  gboolean shares = attn_graph_scene_get_shares (scene);
  AttnTrace *trace = attn_graph_scene_get_trace (scene);
  /* raw attention per layer: the steeper ramp; rollout and flow without a
   * click: the edges of an even share or more at opacity 0.3 */
  gboolean even = per_layer && !shares && trace != NULL && attn_trace_get_method (trace) != ATTN_METHOD_RAW;
  gboolean steep = per_layer && !shares && !even;

  g_assert_cmpuint (style->top_k, ==, 0);
  for (guint l = attn_graph_layout_get_first_layer (layout); l <= attn_graph_layout_get_last_layer (layout); l++)
    {
      double range = per_layer ? attn_graph_scene_get_edge_scale (scene, l) : scale_max;
      double total = 0.;

      if (!attn_graph_scene_has_layer (scene, l))
        continue;
      g_assert_cmpfloat (range, >, 0.);
      for (guint q = 0; q < n; q++)
        for (guint k = 0; k < n; k++)
          total += attn_graph_scene_get_edge (scene, l, q, k);
      for (guint q = 0; q < n; q++)
        for (guint k = 0; k < n; k++)
          {
            double v = attn_graph_scene_get_edge (scene, l, q, k);
            double t = MIN (1., v / range), alpha;

            if (!(t > 0.))
              continue;
            /* raised to the value whose opacity 0.9 t^1.3 is 0.3 */
            if (shares && v >= 0.01 * total)
              t = MAX (t, pow (0.3 / 0.9, 1. / 1.3));
            if (even && v >= total / (n * n))
              t = MAX (t, pow (0.3 / 0.9, 1. / 1.3));
            alpha = 0.9 * pow (steep ? t * t * t : t, 1.3);
            if (t >= style->threshold && alpha >= 1. / 255.)
              visible++;
          }
    }
  return visible;
}

static double
luminance (const guchar *row,
           int           x)
{
  guint32 p = ((const guint32 *) row)[x];
  double a = (p >> 24) / 255.;

  /* on white, as a viewer shows a transparent figure */
  return (0.2126 * ((p >> 16) & 0xff) + 0.7152 * ((p >> 8) & 0xff) + 0.0722 * (p & 0xff)) / 255.
         + (1. - a);
}

/* The SVG, drawn by another program (librsvg), looks like the figure drawn
 * with cairo into an image: mean |Δ luminance| of 4x4 blocks. (That the
 * drawing matches the PNG export is test-render's raster-matches-vector.) */
static void
compare_with_png (const AttnFigure *figure,
                  GBytes           *svg,
                  const char       *name)
{
  g_autofree char *svg_path = g_build_filename (tmpdir, "figure.svg", NULL);
  g_autofree char *png_path = g_build_filename (tmpdir, "figure.svg.png", NULL);
  g_autofree char *command = g_strdup_printf ("rsvg-convert -o %s %s", png_path, svg_path);
  cairo_surface_t *raster, *drawn;
  int status = -1, w, h, sa, sb;
  const guchar *a, *b;
  double sum = 0.;
  guint blocks = 0, bad = 0;
  const int B = 4;

  if (!have_program ("rsvg-convert"))
    return;
  g_assert_true (g_file_set_contents (svg_path, g_bytes_get_data (svg, NULL), g_bytes_get_size (svg), NULL));
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  drawn = cairo_image_surface_create_from_png (png_path);
  {
    double fw, fh;
    cairo_t *cr;

    attn_figure_get_size (figure, &fw, &fh);
    raster = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (fw), (int) ceil (fh));
    cr = cairo_create (raster);
    attn_figure_draw (figure, cr);
    cairo_destroy (cr);
    cairo_surface_flush (raster);
  }
  g_assert_cmpint (cairo_surface_status (drawn), ==, CAIRO_STATUS_SUCCESS);
  w = cairo_image_surface_get_width (raster);
  h = cairo_image_surface_get_height (raster);
  g_assert_cmpint (cairo_image_surface_get_width (drawn), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (drawn), ==, h);
  a = cairo_image_surface_get_data (raster);
  b = cairo_image_surface_get_data (drawn);
  sa = cairo_image_surface_get_stride (raster);
  sb = cairo_image_surface_get_stride (drawn);
  for (int by = 0; by + B <= h; by += B)
    for (int bx = 0; bx + B <= w; bx += B)
      {
        double la = 0., lb = 0.;

        for (int y = by; y < by + B; y++)
          for (int x = bx; x < bx + B; x++)
            {
              la += luminance (a + (gsize) y * sa, x);
              lb += luminance (b + (gsize) y * sb, x);
            }
        sum += fabs (la - lb) / (B * B);
        bad += fabs (la - lb) / (B * B) > 0.12;
        blocks++;
      }
  g_test_message ("%s: SVG drawn by librsvg against the drawing: mean |Δluminance| per 4x4 block "
                  "%.4f, %u of %u blocks off by more than 0.12", name, sum / blocks, bad, blocks);
  g_assert_cmpfloat (sum / blocks, <, 0.015);
  g_assert_cmpfloat ((double) bad / blocks, <, 0.002);
  cairo_surface_destroy (raster);
  cairo_surface_destroy (drawn);
}

/* No raster anywhere in the PDF: no image XObject, and pdfimages finds none. */
static void
check_pdf (GBytes     *pdf,
           const char *name)
{
  gsize size;
  const char *data = g_bytes_get_data (pdf, &size);

  g_assert_true (size > 5 && memcmp (data, "%PDF-", 5) == 0);
  g_assert_cmpuint (count (data, size, "/Subtype /Image"), ==, 0);
  if (have_program ("pdfimages"))
    {
      g_autofree char *path = g_build_filename (tmpdir, "figure.pdf", NULL);
      g_autofree char *command = g_strdup_printf ("pdfimages -list %s", path);
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;
      int status = -1;

      g_assert_true (g_file_set_contents (path, data, size, NULL));
      g_assert_true (g_spawn_command_line_sync (command, &out, NULL, &status, NULL));
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      /* a header of two lines, then one line per image */
      lines = g_strsplit (g_strchomp (out), "\n", -1);
      if (g_strv_length (lines) != 2)
        g_error ("%s: pdfimages lists images:\n%s", name, out);
    }
}

/* SVG: no <image>, at least one path per node and visible edge, and drawn by
 * librsvg it looks like the PNG export. PDF: no image. */
static void
check_figure (const AttnFigure *figure,
              const char       *name,
              guint             min_paths,
              gboolean          pixels)
{
  g_autoptr(GBytes) svg = save_to_bytes (figure, ATTN_EXPORT_SVG);
  g_autoptr(GBytes) pdf = save_to_bytes (figure, ATTN_EXPORT_PDF);
  gsize size;
  const char *data = g_bytes_get_data (svg, &size);
  guint paths = count (data, size, "<path"), expected = min_paths;

  g_assert_cmpuint (count (data, size, "<image"), ==, 0);
  for (guint i = 0; i < attn_figure_get_n_graphs (figure); i++)
    {
      AttnGraphLayout *layout = attn_figure_get_graph_layout (figure, i, NULL, NULL);
      AttnGraphScene *scene = attn_figure_get_graph_scene (figure, i);
      guint n = attn_graph_layout_get_n_tokens (layout);
      guint layers = attn_graph_layout_get_last_layer (layout) - attn_graph_layout_get_first_layer (layout) + 2;

      expected += layers * n + count_visible_edges (layout, scene, attn_figure_get_style (figure));
    }
  g_test_message ("%s: %u paths for %u nodes and visible edges, %zu bytes", name, paths, expected, size);
  g_assert_cmpuint (paths, >=, expected);
  g_assert_cmpuint (paths, >, 0);
  if (pixels)
    compare_with_png (figure, svg, name);
  check_pdf (pdf, name);
}

static AttnFigure *
build (AttnDocument             *doc,
       const char               *id,
       const AttnFigureSettings *settings,
       const AttnFigureStyle    *style)
{
  GError *error = NULL;
  AttnFigureInput input = { attn_document_find_example (doc, id, &error), "doc.json" };
  AttnFigure *figure;

  g_assert_no_error (error);
  figure = attn_figure_build (&input, 1, settings, style, NULL, &error);
  g_assert_no_error (error);
  return figure;
}

/* Every graph view, clicked and not, light and dark */
static void
test_graph_views (void)
{
  static const char * const views[] = { "raw", "rollout", "flow", "all" };

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    for (guint clicked = 0; clicked <= 1; clicked++)
      for (guint dark = 0; dark <= 1; dark++)
        {
          AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
          AttnFigureStyle style;
          g_autoptr(AttnFigure) figure = NULL;
          g_autofree char *name = g_strdup_printf ("graph %s, %s, %s", views[v],
                                                   clicked ? "clicked" : "not clicked",
                                                   dark ? "dark" : "light");

          attn_figure_style_init (&style, dark);
          settings.all_methods = v == ATTN_N_METHODS;
          settings.method = v < ATTN_N_METHODS ? v : ATTN_METHOD_RAW;
          settings.position = clicked ? ATTN_POSITION_FOCUS : ATTN_POSITION_NONE;
          figure = build (sst2, "sst2-0551", &settings, &style);
          g_assert_cmpuint (attn_figure_get_n_graphs (figure), ==, settings.all_methods ? 3 : 1);
          /* librsvg is slow on thousands of paths: the dark ones by their paths only */
          check_figure (figure, name, 0, !dark || v == ATTN_METHOD_RAW);
        }
}

/* Heatmap, compare and the evaluation plot, light and dark */
static void
test_other_figures (void)
{
  for (guint dark = 0; dark <= 1; dark++)
    {
      AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
      AttnFigureStyle style;
      g_autoptr(AttnFigure) heatmap = NULL;
      g_autoptr(AttnFigure) compare = NULL;
      g_autoptr(AttnFigure) evaluation = NULL;
      AttnFigureInput inputs[2] = {
        { attn_document_find_example (bert, "cat-mat", NULL), "bert.json" },
        { attn_document_find_example (bert, "rabbit-turtle", NULL), "bert.json" },
      };
      double mean[ATTN_N_METHODS * 12], std[ATTN_N_METHODS * 12];
      AttnEvaluationPlotData data = { "gradient", 12, 5, ATTN_CORRELATION_ALL, mean, std, NULL, NULL,
                                      "caption" };
      GError *error = NULL;

      attn_figure_style_init (&style, dark);
      settings.kind = ATTN_FIGURE_HEATMAP;
      settings.all_methods = TRUE;
      heatmap = build (sst2, "sst2-1125", &settings, &style);
      /* a path per cell at least: 3 methods, 12 layers, 23 tokens */
      check_figure (heatmap, dark ? "heatmap, dark" : "heatmap, light", 3 * 12 * 23, TRUE);

      settings.kind = ATTN_FIGURE_COMPARE;
      compare = attn_figure_build (inputs, 2, &settings, &style, NULL, &error);
      g_assert_no_error (error);
      /* a path per cell at least: 3 methods, 12 layers, the tokens of both */
      check_figure (compare, dark ? "compare, dark" : "compare, light",
                    3 * 12 * (attn_example_get_n_tokens (inputs[0].example)
                              + attn_example_get_n_tokens (inputs[1].example)), TRUE);

      for (guint i = 0; i < G_N_ELEMENTS (mean); i++)
        {
          mean[i] = sin (i * 0.7) * 0.6;
          std[i] = 0.1 + 0.05 * cos (i);
        }
      evaluation = attn_figure_new_evaluation (&data, &style);
      check_figure (evaluation, dark ? "evaluation, dark" : "evaluation, light", 3, FALSE);
    }
}

/* Softmax attention shaped like a BERT's (a sink, the diagonal, the previous
 * and next token, a broad head), as bench/gen-attention.py makes it. */
static AttnExample *
make_bert_like (guint n,
                guint L,
                guint H)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *attention = g_new (double, (gsize) L * H * n * n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (128);
  g_autoptr(GError) error = NULL;
  AttnExample *example;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (tokens, i == 0 ? g_strdup ("[CLS]") : i == n - 1 ? g_strdup ("[SEP]")
                                    : g_strdup_printf ("w%u", i));
  g_ptr_array_add (tokens, NULL);
  for (guint l = 0; l < L; l++)
    for (guint h = 0; h < H; h++)
      for (guint q = 0; q < n; q++)
        {
          double *row = attention + (((gsize) l * H + h) * n + q) * n, max = -G_MAXDOUBLE, sum = 0.;
          guint kind = (l * H + h) % 5;

          for (guint k = 0; k < n; k++)
            {
              /* a normal deviate (Box-Muller) */
              double u = g_rand_double_range (rand, 1e-12, 1.), w = g_rand_double (rand);
              double x = sqrt (-2. * log (u)) * cos (2. * G_PI * w);

              if (kind == 0)
                x += (k == 0 ? 7. : 0.) + (k == n - 1 ? 6. : 0.);
              else if (kind == 1)
                x += k == q ? 6. : 0.;
              else if (kind == 2)
                x += k + 1 == q ? 6. : 0.;
              else if (kind == 3)
                x += k == q + 1 ? 6. : 0.;
              else
                x *= 0.3;
              row[k] = x;
              max = MAX (max, x);
            }
          for (guint k = 0; k < n; k++)
            sum += row[k] = exp (row[k] - max);
          for (guint k = 0; k < n; k++)
            row[k] /= sum;
        }

  example = attn_example_new_from_doubles ("bert-like-128", (const char * const *) tokens->pdata, L, H,
                                           attention, &error);
  g_assert_no_error (error);
  return example;
}

/* The n = 128 raw graph: every visible edge a path, and still under 10 MB */
static void
test_long_input_size (void)
{
  g_autoptr(AttnExample) example = make_bert_like (128, 12, 12);
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput input = { example, "bert-like-128.json" };
  g_autoptr(AttnFigure) figure = NULL;
  g_autoptr(GBytes) svg = NULL;
  GError *error = NULL;
  gsize size;
  const char *data;
  guint paths, edges;

  attn_figure_style_init (&style, FALSE);
  settings.method = ATTN_METHOD_RAW;
  settings.position = ATTN_POSITION_NONE;
  figure = attn_figure_build (&input, 1, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  svg = save_to_bytes (figure, ATTN_EXPORT_SVG);
  data = g_bytes_get_data (svg, &size);
  paths = count (data, size, "<path");
  edges = count_visible_edges (attn_figure_get_graph_layout (figure, 0, NULL, NULL),
                               attn_figure_get_graph_scene (figure, 0), &style);
  g_test_message ("n = 128 raw graph: %u of %u edges visible, %u paths, SVG %.2f MB", edges,
                  12 * 128 * 128, paths, size / 1e6);
  g_assert_cmpuint (count (data, size, "<image"), ==, 0);
  g_assert_cmpuint (paths, >=, edges + 13 * 128);
  /* the cut-off leaves most of the 196 608 edges out */
  g_assert_cmpuint (edges, <, 12 * 128 * 128 / 2);
  g_assert_cmpuint (size, <, 10 * 1000 * 1000);
}

/* A heatmap of 1,400 tokens, over 14,400 pixels wide: its PDF page is
 * scaled down to the 14,400 pt a PDF reader is bound to open, keeping its
 * proportions (it was 1 pt per pixel, a page PDF readers may refuse) */
static void
test_pdf_page_limit (void)
{
  g_autoptr(AttnExample) example = make_bert_like (1400, 1, 1);
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput input = { example, "long.json" };
  g_autoptr(AttnFigure) figure = NULL;
  g_autoptr(GBytes) pdf = NULL;
  GError *error = NULL;
  double w, h, box[4] = { 0 };
  g_autoptr(GByteArray) text = NULL;
  gsize size;
  const char *data;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_ROLLOUT;
  figure = attn_figure_build (&input, 1, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  attn_figure_get_size (figure, &w, &h);
  g_assert_cmpfloat (w, >, 14400.);
  pdf = save_to_bytes (figure, ATTN_EXPORT_PDF);
  data = g_bytes_get_data (pdf, &size);
  /* the page's size, wherever and however the writer put it */
  text = attn_test_pdf_text (data, size);
  g_assert_true (attn_test_pdf_numbers (text, "/MediaBox", box, 4));
  g_assert_cmpfloat (box[0], ==, 0.);
  g_assert_cmpfloat (box[1], ==, 0.);
  g_test_message ("%gx%g px figure: %gx%g pt page", w, h, box[2], box[3]);
  g_assert_cmpfloat_with_epsilon (box[2], 14400., 1.);
  g_assert_cmpfloat_with_epsilon (box[3], h * 14400. / w, 1.);
}

/* Whether @data holds only what XML 1.0 allows: no C0 control byte but tab,
 * newline and carriage return, no character reference to one, no U+FFFE or
 * U+FFFF; then parsed as markup */
static void
assert_xml_chars (const char *data,
                  gsize       len)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  static const GMarkupParser parser = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (g_utf8_validate (data, len, NULL));
  for (gsize i = 0; i < len; i++)
    {
      guchar c = data[i];

      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        g_error ("byte %" G_GSIZE_FORMAT " is the control character %u", i, c);
      if (c == 0xEF && i + 2 < len && (guchar) data[i + 1] == 0xBF && ((guchar) data[i + 2] & 0xFE) == 0xBE)
        g_error ("byte %" G_GSIZE_FORMAT " starts U+FFFE or U+FFFF", i);
      if (c == '&' && i + 2 < len && data[i + 1] == '#')
        {
          gboolean hex = data[i + 2] == 'x';
          guint64 ref = g_ascii_strtoull (data + i + 2 + hex, NULL, hex ? 16 : 10);

          if ((ref < 0x20 && ref != 9 && ref != 10 && ref != 13) || ref == 0xFFFE || ref == 0xFFFF)
            g_error ("byte %" G_GSIZE_FORMAT ": a reference to U+%04" G_GINT64_MODIFIER "X", i, ref);
        }
    }
  context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  g_assert_true (g_markup_parse_context_parse (context, data, len, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
}

/* An id and tokens with control characters (and U+FFFE): the caption, the
 * SVG's description (and the comparison's title) escape them as
 * attnflow-cli prints them (\x07), the graph's title shows the token as its
 * labels do (“h·is”), and the file is XML */
static void
test_control_characters (void)
{
  static const char * const tokens[] = { "[CLS]", "h\001is", "tab\there", "no\xef\xbf\xbe", "[SEP]", NULL };
  double attention[2 * 5 * 5];
  g_autoptr(AttnExample) example = NULL;
  g_autoptr(GError) error = NULL;
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;

  for (guint i = 0; i < G_N_ELEMENTS (attention); i++)
    attention[i] = 0.2;
  example = attn_example_new_from_doubles ("bell\007id\037", tokens, 2, 1, attention, &error);
  g_assert_no_error (error);
  attn_figure_style_init (&style, FALSE);
  settings.position = 1;
  for (guint kind = 0; kind < 3; kind++)
    {
      AttnFigureInput inputs[2] = { { example, NULL }, { example, NULL } };
      g_autoptr(AttnFigure) fig = NULL;
      g_autoptr(GBytes) svg = NULL;
      g_autoptr(GBytes) pdf = NULL;
      const char *data, *desc;
      gsize len;

      settings.kind = kind;
      fig = attn_figure_build (inputs, kind == ATTN_FIGURE_COMPARE ? 2 : 1, &settings, &style, NULL, &error);
      g_assert_no_error (error);
      svg = save_to_bytes (fig, ATTN_EXPORT_SVG);
      data = g_bytes_get_data (svg, &len);
      assert_xml_chars (data, len);
      /* the id in the graph's and heatmap's descriptions (the comparison's
       * title), the token as the labels show it in the graph's title */
      desc = g_strstr_len (data, len, "<desc>");
      g_assert_nonnull (desc);
      if (kind == ATTN_FIGURE_COMPARE)
        g_assert_nonnull (g_strstr_len (data, desc - data, "bell\\x07id\\x1f, bell"));
      else
        {
          g_assert_nonnull (strstr (attn_figure_get_caption (fig), " · example bell\\x07id\\x1f"));
          g_assert_null (strchr (attn_figure_get_caption (fig), '\007'));
          g_assert_nonnull (g_strstr_len (desc, len - (desc - data), "bell\\x07id\\x1f</desc>"));
        }
      if (kind == ATTN_FIGURE_GRAPH)
        g_assert_nonnull (g_strstr_len (data, desc - data, " from “h·is” (layer 2, position 1)</title>"));
      pdf = save_to_bytes (fig, ATTN_EXPORT_PDF);
      g_assert_true (g_str_has_prefix (g_bytes_get_data (pdf, NULL), "%PDF-"));
    }
}

/* A file whose id, model and token hold a right-to-left override (U+202E)
 * and whose tokens are Hebrew */
static AttnExample *
load_bidi_example (AttnDocument **document)
{
  GString *json = g_string_new ("{\"format\": \"attnflow\", \"version\": 1, \"model\": \"toy\\u202emodel\", "
                                "\"examples\": [{\"id\": \"weird\\u202eid\", \"tokens\": [\"[CLS]\", "
                                "\"abc\\u202edef\", \"\\u05e9\\u05dc\\u05d5\\u05dd\", \"x\\u2069\\u2067y\", "
                                "\"[SEP]\"], \"attention\": [[[");
  g_autoptr(GError) error = NULL;

  for (guint r = 0; r < 5; r++)
    g_string_append_printf (json, "%s[0.2, 0.2, 0.2, 0.2, 0.2]", r > 0 ? ", " : "");
  g_string_append (json, "]]]}]}");
  *document = attn_document_load_from_data (json->str, json->len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_string_free (json, TRUE);
  return attn_document_get_example (*document, 0);
}

/* Whether @text holds a bidi control; with @ours, the mark and isolate
 * (U+200E U+2068 … U+2069) that set a file's right-to-left text apart too */
static gboolean
has_bidi_control (const char *text,
                  gssize      length,
                  gboolean    ours)
{
  const char *end = length < 0 ? text + strlen (text) : text + length;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x061c || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2067))
        return TRUE;
      if (ours && (c == 0x200e || c == 0x2068 || c == 0x2069))
        return TRUE;
    }
  return FALSE;
}

/* The x of the byte @index of @text as Pango lays it out on its own (the
 * line's direction from its first letter, as the figures' labels) */
static int
x_of (const char *text,
      const char *needle)
{
  PangoContext *context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  PangoLayout *layout = pango_layout_new (context);
  const char *at = strstr (text, needle);
  PangoRectangle pos;

  g_assert_nonnull (at);
  pango_layout_set_text (layout, text, -1);
  pango_layout_index_to_pos (layout, (int) (at - text), &pos);
  g_object_unref (layout);
  g_object_unref (context);
  return MIN (pos.x, pos.x + pos.width);
}

/* The text of @fig's label that holds @needle */
static const char *
label_with (AttnFigure *fig,
            const char *needle)
{
  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    if (strstr (attn_figure_get_label (fig, i)->text, needle) != NULL)
      return attn_figure_get_label (fig, i)->text;
  g_error ("no label holds “%s”", needle);
  return NULL;
}

/* A file's text cannot reorder the figure's own: its bidi controls are
 * drawn as attnflow-cli prints them (\u202e), Hebrew is set in an isolate
 * after a left-to-right mark, and the saved file's metadata carries neither
 * (the title read "Attention rollout from “abc(1 noitisop ,1 reyal) ”fed") */
static void
test_bidi_controls (void)
{
  g_autoptr(AttnDocument) document = NULL;
  AttnExample *example = load_bidi_example (&document);
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  const char *hebrew = "\u200e\u2068\u05e9\u05dc\u05d5\u05dd\u2069";

  attn_figure_style_init (&style, FALSE);
  for (guint kind = ATTN_FIGURE_GRAPH; kind <= ATTN_FIGURE_HEATMAP; kind++)
    for (guint position = 1; position <= 3; position++)
      {
        AttnFigureInput input = { example, NULL };
        g_autoptr(AttnFigure) fig = NULL;
        g_autoptr(GBytes) svg = NULL;
        g_autoptr(GError) error = NULL;
        const char *data, *meta, *caption;
        gsize len;

        settings.kind = kind;
        settings.position = position;
        fig = attn_figure_build (&input, 1, &settings, &style, NULL, &error);
        g_assert_no_error (error);
        caption = attn_figure_get_caption (fig);
        g_assert_nonnull (strstr (caption, " · example weird\\u202eid · model: toy\\u202emodel"));
        for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
          g_assert_false (has_bidi_control (attn_figure_get_label (fig, i)->text, -1, FALSE));
        if (position == 1)
          {
            const char *title = kind == ATTN_FIGURE_GRAPH ? attn_figure_get_title (fig) : label_with (fig, "Example ");

            const char *before = kind == ATTN_FIGURE_GRAPH ? "(layer" : "(position";
            const char *after = kind == ATTN_FIGURE_GRAPH ? "position 1)" : "at layer";

            g_assert_nonnull (strstr (title, "“abc\\u202edef” ("));
            /* the words after the token keep their order */
            g_assert_cmpint (x_of (title, after), >, x_of (title, before));
          }
        else if (position == 2)
          {
            g_assert_nonnull (strstr (caption, hebrew));
            if (kind == ATTN_FIGURE_HEATMAP)
              {
                /* the colour bar's note starts with the token, and reads left to right */
                const char *line = label_with (fig, "saturates");

                g_assert_nonnull (strstr (line, "\n“\u200e\u2068"));
                g_assert_cmpint (x_of (line, "saturates"), >, x_of (line, "\u05e9"));
              }
          }
        else
          /* the file's own isolate controls: shown, never closing the figure's */
          g_assert_nonnull (strstr (caption, "“x\\u2069\\u2067y”"));
        svg = save_to_bytes (fig, ATTN_EXPORT_SVG);
        data = g_bytes_get_data (svg, &len);
        meta = g_strstr_len (data, len, "<title>");
        g_assert_nonnull (meta);
        g_assert_nonnull (g_strstr_len (meta, len - (meta - data), "weird\\u202eid"));
        g_assert_false (has_bidi_control (meta, strstr (meta, "</desc>") - meta, TRUE));
      }
}

/* Whether @text, up to @end (nullable: its end), holds a bidi override,
 * a newline, a BEL or a ZERO WIDTH SPACE */
static gboolean
has_raw_control (const char *text,
                 const char *end)
{
  for (const char *p = text; *p != '\0' && (end == NULL || p < end); p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x202e || c == 0x202c || c == '\n' || c == '\a' || c == 0x200b)
        return TRUE;
    }
  return FALSE;
}

/* An example's id with control and invisible characters and a gradient
 * target with a right-to-left override are shown as attnflow-cli info
 * prints them, in the title, the caption and the saved file's metadata
 * (“(of logit of live)” read backwards; a newline in the id broke the
 * heatmap's title and the caption in two) */
static void
test_escaped_file_text (void)
{
  static const char json[] =
    "{\"format\": \"attnflow\", \"version\": 1, \"examples\": [{\"id\": \"a\\u0007\\u200b\\u202eXYZ\\nbad\", "
    "\"tokens\": [\"a\", \"b\", \"c\"], \"attention\": [[[[0.4, 0.3, 0.3], [0.3, 0.4, 0.3], [0.3, 0.3, 0.4]]]], "
    "\"contributions\": {\"attn-grad\": [[[1, 1, 1], [1, 1, 1], [1, 1, 1]]]}, "
    "\"contributions_target\": \"logit of \\u202eevil\\u202c\\nx\"}]}";
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnExample *example;

  document = attn_document_load_from_data (json, sizeof json - 1, NULL, NULL, &error);
  g_assert_no_error (error);
  example = attn_document_get_example (document, 0);
  attn_figure_style_init (&style, FALSE);
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.weights = ATTN_WEIGHT_KIND_ATTN_GRAD;
  for (guint kind = ATTN_FIGURE_GRAPH; kind <= ATTN_FIGURE_HEATMAP; kind++)
    {
      AttnFigureInput input = { example, NULL };
      g_autoptr(AttnFigure) fig = NULL;
      g_autoptr(GBytes) svg = NULL;
      const char *data, *meta, *end, *caption, *title;
      gsize len;

      settings.kind = kind;
      fig = attn_figure_build (&input, 1, &settings, &style, NULL, &error);
      g_assert_no_error (error);
      caption = attn_figure_get_caption (fig);
      g_assert_nonnull (strstr (caption, "Attention × gradient (of logit of \\u202eevil\\u202c\\nx) · "));
      g_assert_nonnull (strstr (caption, " · example a\\x07\\u200b\\u202eXYZ\\nbad"));
      g_assert_false (has_raw_control (caption, NULL));
      if (kind == ATTN_FIGURE_HEATMAP)
        {
          title = label_with (fig, "Example ");
          g_assert_true (g_str_has_prefix (title, "Example a\\x07\\u200b\\u202eXYZ\\nbad: "));
          g_assert_false (has_raw_control (title, NULL));
        }
      svg = save_to_bytes (fig, ATTN_EXPORT_SVG);
      data = g_bytes_get_data (svg, &len);
      assert_xml_chars (data, len);
      /* the title, and the description, each one line */
      meta = g_strstr_len (data, len, "<title>");
      g_assert_nonnull (meta);
      end = g_strstr_len (meta, len - (meta - data), "</title>");
      g_assert_nonnull (end);
      g_assert_false (has_raw_control (meta, end));
      meta = g_strstr_len (data, len, "<desc>");
      g_assert_nonnull (meta);
      end = g_strstr_len (meta, len - (meta - data), "</desc>");
      g_assert_nonnull (end);
      g_assert_nonnull (g_strstr_len (meta, end - meta, "(of logit of \\u202eevil\\u202c\\nx)"));
      g_assert_nonnull (g_strstr_len (meta, end - meta, "example a\\x07\\u200b\\u202eXYZ\\nbad"));
      g_assert_false (has_raw_control (meta, end));
    }
}

/* An emoji in a token (🍕, U+1F355) has a glyph in the figures' font, as
 * build-aux/install-deps.sh installs it (fonts-symbola: outlines), not the box
 * with its hex code; and the SVG draws it as paths, with no <image> (a colour
 * bitmap font would embed one) */
static void
test_emoji_glyph (void)
{
  static const char * const tokens[] = { "[CLS]", "\xf0\x9f\x8d\x95", "pizza", "[SEP]", NULL };
  double attention[1 * 4 * 4];
  g_autoptr(AttnExample) example = NULL;
  g_autoptr(GError) error = NULL;
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput input = { NULL, NULL };
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(GBytes) svg = NULL;
  PangoContext *context;
  PangoLayout *layout;
  PangoFontDescription *font;
  int unknown;
  const char *data;
  gsize len;

  attn_figure_style_init (&style, FALSE);
  context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  layout = pango_layout_new (context);
  font = pango_font_description_from_string (style.font_family);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, tokens[1], -1);
  unknown = pango_layout_get_unknown_glyphs_count (layout);
  g_object_unref (layout);
  g_object_unref (context);
  if (unknown != 0)
    g_error ("no font has a glyph for U+1F355: is fonts-symbola installed (build-aux/install-deps.sh)?");

  for (guint i = 0; i < G_N_ELEMENTS (attention); i++)
    attention[i] = 0.25;
  example = attn_example_new_from_doubles ("emoji", tokens, 1, 1, attention, &error);
  g_assert_no_error (error);
  input.example = example;
  settings.kind = ATTN_FIGURE_HEATMAP;
  fig = attn_figure_build (&input, 1, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  svg = save_to_bytes (fig, ATTN_EXPORT_SVG);
  data = g_bytes_get_data (svg, &len);
  g_assert_null (g_strstr_len (data, len, "<image"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  bert = load ("bert-base-uncased.json");
  sst2 = load ("sst2-bert.json");
  tmpdir = attn_test_make_folder ("vector");

  g_test_add_func ("/attn/render/vector/graph-views", test_graph_views);
  g_test_add_func ("/attn/render/vector/other-figures", test_other_figures);
  g_test_add_func ("/attn/render/vector/long-input-size", test_long_input_size);
  g_test_add_func ("/attn/render/vector/pdf-page-limit", test_pdf_page_limit);
  g_test_add_func ("/attn/render/vector/control-characters", test_control_characters);
  g_test_add_func ("/attn/render/vector/bidi-controls", test_bidi_controls);
  g_test_add_func ("/attn/render/vector/escaped-file-text", test_escaped_file_text);
  g_test_add_func ("/attn/render/vector/emoji-glyph", test_emoji_glyph);

  status = g_test_run ();

  attn_test_drop_folder (tmpdir);
  attn_document_unref (bert);
  attn_document_unref (sst2);

  return status;
}
