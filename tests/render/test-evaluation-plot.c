/* test-evaluation-plot.c: the evaluation plot (Spearman's ρ per layer, one line per method)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "attn-core.h"
#include "attn-render.h"
#include "attn-test-util.h"

static char *tmpdir;

#define N_METHODS ATTN_N_METHODS

typedef struct
{
  guint   n_examples;
  guint   n_layers;
  double *rho;
  double *mean;
  double *std;
  guint  *nan_count;
} Evaluation;

static void
evaluation_clear (Evaluation *e)
{
  g_free (e->rho);
  g_free (e->mean);
  g_free (e->std);
  g_free (e->nan_count);
}

/* sst2-bert.json against references.gradient, straight from the core */
static void
evaluate_sst2 (Evaluation *e)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                 "sst2-bert.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = attn_document_load (path, NULL, &error);
  guint L;

  g_assert_no_error (error);
  e->n_examples = attn_document_get_n_examples (document);
  g_assert_cmpuint (e->n_examples, ==, 5);
  L = e->n_layers = attn_example_get_n_layers (attn_document_get_example (document, 0));
  e->rho = g_new (double, (gsize) e->n_examples * N_METHODS * L);
  for (guint i = 0; i < e->n_examples; i++)
    {
      AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
      g_autoptr(AttnGraph) graph = attn_graph_new (attn_document_get_example (document, i), &options,
                                                   NULL, &error);

      g_assert_no_error (error);
      g_assert_true (attn_correlate_example (graph, "gradient", ATTN_CORRELATION_ALL, FALSE, NULL,
                                             e->rho + (gsize) i * N_METHODS * L, NULL, &error));
      g_assert_no_error (error);
    }
  e->mean = g_new (double, N_METHODS * L);
  e->std = g_new (double, N_METHODS * L);
  e->nan_count = g_new (guint, N_METHODS * L);
  attn_correlation_summarize (e->rho, e->n_examples, L, e->mean, e->std, e->nan_count);
}

static AttnFigure *
build (const Evaluation       *e,
       AttnCorrelationMethods  methods,
       gboolean                with_example,
       gboolean                dark)
{
  AttnEvaluationPlotData data = { 0 };
  AttnFigureStyle style;
  g_autoptr(AttnGraphSettings) settings = attn_graph_settings_new_default ();
  g_autofree char *caption = attn_correlation_describe_settings ("sst2-bert.json", e->n_examples,
                                                                 settings, TRUE, FALSE);

  attn_figure_style_init (&style, dark);
  data.reference = "gradient";
  data.n_layers = e->n_layers;
  data.n_examples = e->n_examples;
  data.methods = methods;
  data.mean = e->mean;
  data.std = e->std;
  data.example_rho = with_example ? e->rho : NULL;
  data.example_label = with_example ? "sst2-0551 (dashed)" : NULL;
  data.caption = caption;

  return attn_figure_new_evaluation (&data, &style);
}

static gboolean
boxes_overlap (const AttnRect *a,
               const AttnRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width &&
         a->y < b->y + b->height && b->y < a->y + a->height;
}

/* Every label inside the figure, none on another */
static void
assert_labels_fit (AttnFigure *fig)
{
  double w, h;
  guint n = attn_figure_get_n_labels (fig);

  attn_figure_get_size (fig, &w, &h);
  g_assert_cmpuint (n, >, 10);
  for (guint i = 0; i < n; i++)
    {
      const AttnLabel *a = attn_figure_get_label (fig, i);

      g_assert_cmpfloat (a->box.x, >=, 0.);
      g_assert_cmpfloat (a->box.y, >=, 0.);
      g_assert_cmpfloat (a->box.x + a->box.width, <=, w + 1e-9);
      g_assert_cmpfloat (a->box.y + a->box.height, <=, h + 1e-9);
      for (guint j = i + 1; j < n; j++)
        {
          const AttnLabel *b = attn_figure_get_label (fig, j);

          if (boxes_overlap (&a->box, &b->box))
            g_error ("labels “%s” and “%s” overlap", a->text, b->text);
        }
    }
}

/* How many pixels of @surface are within @tolerance (per channel, 0-255) of @color */
static guint
count_color (cairo_surface_t *surface,
             const AttnRgba  *color,
             int              tolerance)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data;
  int r = (int) round (color->red * 255), g = (int) round (color->green * 255),
      b = (int) round (color->blue * 255);
  guint count = 0;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 p = *(const guint32 *) (data + (gsize) y * stride + x * 4);

        if (abs ((int) ((p >> 16) & 0xff) - r) <= tolerance &&
            abs ((int) ((p >> 8) & 0xff) - g) <= tolerance &&
            abs ((int) (p & 0xff) - b) <= tolerance &&
            ((p >> 24) & 0xff) == 0xff)
          count++;
      }
  return count;
}

static gboolean
run (const char  *command_line,
     char       **out)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_command_line_sync (command_line, out, NULL, &status, &error))
    {
      g_test_message ("%s: %s", command_line, error->message);
      return FALSE;
    }
  return g_spawn_check_wait_status (status, NULL);
}

/* A reference's name is a key of the file: the title quotes it escaped,
 * as the figures quote a file's text (its U+202E reversed the title) */
static void
test_plot_reference_escaped (void)
{
  const double mean[ATTN_N_METHODS * 2] = { 0.5, 0.1, NAN, NAN, NAN, NAN };
  AttnEvaluationPlotData data = { "g\u202eevil\n", 2, 1, ATTN_CORRELATION_RAW, mean, NULL, NULL, NULL, NULL };
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;

  attn_figure_style_init (&style, FALSE);
  fig = attn_figure_new_evaluation (&data, &style);
  g_assert_cmpstr (attn_figure_get_title (fig), ==,
                   "Spearman’s ρ with the reference “g\\u202eevil\\n” per layer");
}

static void
test_plot_saved (void)
{
  Evaluation e = { 0 };
  g_autoptr(AttnFigure) fig = NULL;
  g_autofree char *png = g_build_filename (tmpdir, "evaluation.png", NULL);
  g_autofree char *png2 = g_build_filename (tmpdir, "evaluation-2x.png", NULL);
  g_autofree char *svg = g_build_filename (tmpdir, "evaluation.svg", NULL);
  g_autofree char *pdf = g_build_filename (tmpdir, "evaluation.pdf", NULL);
  g_autofree char *rsvg = NULL;
  g_autofree char *pdfinfo = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *s;
  double w, h;

  evaluate_sst2 (&e);
  fig = build (&e, ATTN_CORRELATION_ALL, TRUE, FALSE);
  g_assert_cmpint (attn_figure_get_kind (fig), ==, ATTN_FIGURE_EVALUATION);
  attn_figure_get_size (fig, &w, &h);
  /* 12 layers at 40 px, the axes and a legend; the plot 280 px high */
  g_assert_cmpfloat (w, >=, 560.);
  g_assert_cmpfloat (w, <=, 1000.);
  g_assert_cmpfloat (h, >=, 360.);
  g_assert_cmpfloat (h, <=, 620.);
  /* the reference by its name for people, not the file's key */
  g_assert_cmpstr (attn_figure_get_title (fig), ==, "Spearman’s ρ with the reference “Input gradient” per layer");
  g_assert_nonnull (strstr (attn_figure_get_caption (fig), "sst2-bert.json: 5 examples; residual 0.5"));
  assert_labels_fit (fig);

  {
    g_autoptr(GFile) file = g_file_new_for_path (png);
    g_autoptr(GFile) file2 = g_file_new_for_path (png2);

    g_assert_true (attn_figure_save (fig, file, ATTN_EXPORT_PNG, 1., NULL, &error));
    g_assert_no_error (error);
    g_assert_true (attn_figure_save (fig, file2, ATTN_EXPORT_PNG, 2., NULL, &error));
    g_assert_no_error (error);
  }
  s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, (int) ceil (w));
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, (int) ceil (h));
  cairo_surface_destroy (s);
  s = cairo_image_surface_create_from_png (png2);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, (int) ceil (2 * w));
  cairo_surface_destroy (s);

  {
    g_autoptr(GFile) file = g_file_new_for_path (svg);
    g_autofree char *contents = NULL;

    g_assert_true (attn_figure_save (fig, file, ATTN_EXPORT_SVG, 1., NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "<svg"));
    g_assert_cmpuint (strlen (contents), >, 5000);
  }
  {
    g_autoptr(GFile) file = g_file_new_for_path (pdf);
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (attn_figure_save (fig, file, ATTN_EXPORT_PDF, 1., NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
    g_assert_cmpuint (length, >, 2000);
    g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  }

  rsvg = g_find_program_in_path ("rsvg-convert");
  pdfinfo = g_find_program_in_path ("pdfinfo");
  if (rsvg != NULL && pdfinfo != NULL)
    {
      g_autofree char *out_png = g_strconcat (svg, ".png", NULL);
      g_autofree char *cmd = g_strdup_printf ("rsvg-convert -o %s %s", out_png, svg);
      g_autofree char *cmd2 = g_strdup_printf ("pdfinfo %s", pdf);
      g_autofree char *out = NULL;
      g_autofree char *size = g_strdup_printf (" %g x %g pts", ceil (w), ceil (h));
      AttnRgba flow;

      g_assert_true (run (cmd, NULL));
      s = cairo_image_surface_create_from_png (out_png);
      g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (cairo_image_surface_get_width (s), ==, (int) ceil (w));
      g_assert_cmpint (cairo_image_surface_get_height (s), ==, (int) ceil (h));
      /* the SVG draws the same lines */
      attn_evaluation_get_method_color (ATTN_METHOD_FLOW, FALSE, &flow);
      g_assert_cmpuint (count_color (s, &flow, 3), >, 150);
      cairo_surface_destroy (s);

      g_assert_true (run (cmd2, &out));
      g_assert_nonnull (strstr (out, "\nPages:           1\n"));
      g_assert_nonnull (strstr (out, size));
    }
  else if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_error ("rsvg-convert and pdfinfo are needed (librsvg2-bin, poppler-utils)");

  evaluation_clear (&e);
}

/* Dashes mean the example's own values: the zero line is solid, so that
 * no dashed line but the example's is taken for it (the legend's dashed
 * sample named it; the zero line, dashed in the same colour, looked like it) */
static guint
count_dashed (AttnFigure *fig,
              const char *name)
{
  g_autofree char *svg = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (svg);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  guint n = 0;

  g_assert_true (attn_figure_save (fig, file, ATTN_EXPORT_SVG, 1., NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
  for (const char *p = strstr (contents, "stroke-dasharray"); p != NULL; p = strstr (p + 1, "stroke-dasharray"))
    n++;
  return n;
}

static void
test_plot_dashes (void)
{
  Evaluation e = { 0 };
  g_autoptr(AttnFigure) without = NULL;
  g_autoptr(AttnFigure) with = NULL;

  evaluate_sst2 (&e);
  without = build (&e, ATTN_CORRELATION_ALL, FALSE, FALSE);
  with = build (&e, ATTN_CORRELATION_ALL, TRUE, FALSE);
  g_assert_cmpuint (count_dashed (without, "no-example.svg"), ==, 0);
  /* the example's three lines and the legend's sample */
  g_assert_cmpuint (count_dashed (with, "example.svg"), ==, N_METHODS + 1);
  evaluation_clear (&e);
}

/* The lines are where the numbers say, in their method's colour */
static void
test_plot_pixels (void)
{
  Evaluation e = { 0 };
  AttnRgba colors[N_METHODS];

  evaluate_sst2 (&e);
  for (guint m = 0; m < N_METHODS; m++)
    attn_evaluation_get_method_color (m, FALSE, &colors[m]);

  for (guint dark = 0; dark <= 1; dark++)
    {
      g_autoptr(AttnFigure) all = build (&e, ATTN_CORRELATION_ALL, FALSE, dark);
      g_autoptr(AttnFigure) no_flow = build (&e, ATTN_CORRELATION_RAW | ATTN_CORRELATION_ROLLOUT,
                                             FALSE, dark);
      cairo_surface_t *image = attn_figure_render_image (all, 1., NULL);
      cairo_surface_t *image2 = attn_figure_render_image (no_flow, 1., NULL);
      AttnRgba flow;

      attn_evaluation_get_method_color (ATTN_METHOD_FLOW, dark, &flow);
      /* 12 markers of radius 3.5, the line, the legend sample */
      g_assert_cmpuint (count_color (image, &flow, 2), >, 150);
      /* without flow, its colour is nowhere */
      g_assert_cmpuint (count_color (image2, &flow, 2), ==, 0);
      if (!dark)
        {
          g_assert_cmpuint (count_color (image, &colors[ATTN_METHOD_RAW], 2), >, 150);
          g_assert_cmpuint (count_color (image, &colors[ATTN_METHOD_ROLLOUT], 2), >, 150);
        }
      cairo_surface_destroy (image);
      cairo_surface_destroy (image2);
    }

  evaluation_clear (&e);
}

/* Laid out at a larger size (a view's), the plot fills it: wider panels,
 * a taller plot area, the same texts at the same size; never taller than
 * wide, never smaller than natural */
static void
test_plot_at_size (void)
{
  Evaluation e = { 0 };
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(AttnFigure) big = NULL;
  g_autoptr(AttnFigure) again = NULL;
  g_autoptr(AttnFigure) small = NULL;
  g_autoptr(AttnFigure) tall = NULL;
  cairo_surface_t *image, *big_image;
  double w, h, bw, bh;
  AttnRgba flow;

  evaluate_sst2 (&e);
  fig = build (&e, ATTN_CORRELATION_ALL, TRUE, FALSE);
  attn_figure_get_size (fig, &w, &h);

  big = attn_figure_new_at_size (fig, w + 240., h + 160.);
  attn_figure_get_size (big, &bw, &bh);
  g_assert_cmpfloat_with_epsilon (bw, w + 240., 1.);
  g_assert_cmpfloat_with_epsilon (bh, h + 160., 1.);
  assert_labels_fit (big);
  g_assert_cmpfloat (attn_figure_get_text_size (big), ==, attn_figure_get_text_size (fig));
  g_assert_cmpstr (attn_figure_get_title (big), ==, attn_figure_get_title (fig));
  g_assert_cmpstr (attn_figure_get_caption (big), ==, attn_figure_get_caption (fig));
  /* the longer lines and larger markers' rings: more of the flow colour */
  attn_evaluation_get_method_color (ATTN_METHOD_FLOW, FALSE, &flow);
  image = attn_figure_render_image (fig, 1., NULL);
  big_image = attn_figure_render_image (big, 1., NULL);
  g_assert_cmpuint (count_color (big_image, &flow, 2), >, count_color (image, &flow, 2));
  cairo_surface_destroy (image);
  cairo_surface_destroy (big_image);

  /* from a plot laid out at a size, as from the natural one */
  again = attn_figure_new_at_size (big, w + 240., h + 160.);
  attn_figure_get_size (again, &bw, &bh);
  g_assert_cmpfloat_with_epsilon (bw, w + 240., 1.);
  g_assert_cmpfloat_with_epsilon (bh, h + 160., 1.);

  small = attn_figure_new_at_size (fig, w / 2., h / 2.);
  attn_figure_get_size (small, &bw, &bh);
  g_assert_cmpfloat (bw, ==, w);
  g_assert_cmpfloat (bh, ==, h);

  /* a tall box: the plot area grows to a square at most (its height from
   * the top to the bottom tick, its width from layer 1 to layer L's) */
  tall = attn_figure_new_at_size (fig, w, 4. * h);
  attn_figure_get_size (tall, &bw, &bh);
  g_assert_cmpfloat (bh, >, h);
  assert_labels_fit (tall);
  {
    double top = G_MAXDOUBLE, bottom = -G_MAXDOUBLE, left = G_MAXDOUBLE, right = -G_MAXDOUBLE;

    for (guint i = 0; i < attn_figure_get_n_labels (tall); i++)
      {
        const AttnLabel *label = attn_figure_get_label (tall, i);
        double cx = label->box.x + label->box.width / 2, cy = label->box.y + label->box.height / 2;

        /* the ticks, numbers only (the legend names an example with digits) */
        if (label->kind == ATTN_LABEL_SCALE && strspn (label->text, "0123456789.−") == strlen (label->text))
          {
            top = MIN (top, cy);
            bottom = MAX (bottom, cy);
          }
        else if (label->kind == ATTN_LABEL_LAYER)
          {
            left = MIN (left, cx);
            right = MAX (right, cx);
          }
      }
    /* layer 1 to L: (L − 1) / L of the panel's width */
    g_assert_cmpfloat (bottom - top, >, 280.);
    g_assert_cmpfloat (bottom - top, <=, (right - left) * e.n_layers / (e.n_layers - 1.) + 1.);
  }
  evaluation_clear (&e);
}

/* The y axis covers every mean ± std with room for a marker (0.02), on a
 * 0.2 grid within [-1, 1] */
static void
test_plot_range (void)
{
  Evaluation e = { 0 };
  g_autoptr(AttnFigure) fig = NULL;
  double lo = 0., hi = 0.;
  guint n_ticks = 0;
  gboolean has_zero = FALSE;

  evaluate_sst2 (&e);
  fig = build (&e, ATTN_CORRELATION_ALL, FALSE, FALSE);
  for (guint i = 0; i < N_METHODS * e.n_layers; i++)
    {
      lo = MIN (lo, e.mean[i] - e.std[i]);
      hi = MAX (hi, e.mean[i] + e.std[i]);
    }
  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *label = attn_figure_get_label (fig, i);

      /* the y tick labels: numbers (the legend and axis titles are words) */
      if (label->kind == ATTN_LABEL_SCALE && strpbrk (label->text, "0123456789") != NULL)
        {
          n_ticks++;
          if (g_str_equal (label->text, "0"))
            has_zero = TRUE;
        }
    }
  g_assert_true (has_zero);
  /* a mean on a tick (0.8) gets the next one above it: its marker is not
   * cut in half by the frame */
  {
    const double mean[ATTN_N_METHODS * 2] = { 0.8, 0.1, NAN, NAN, NAN, NAN };
    AttnEvaluationPlotData data = { "gradient", 2, 1, ATTN_CORRELATION_RAW, mean, NULL, NULL, NULL, NULL };
    AttnFigureStyle style;
    g_autoptr(AttnFigure) on_tick = NULL;
    double top = -1.;

    attn_figure_style_init (&style, FALSE);
    on_tick = attn_figure_new_evaluation (&data, &style);
    for (guint i = 0; i < attn_figure_get_n_labels (on_tick); i++)
      {
        const AttnLabel *label = attn_figure_get_label (on_tick, i);

        if (label->kind == ATTN_LABEL_SCALE && g_ascii_isdigit (label->text[0]))
          top = MAX (top, g_ascii_strtod (label->text, NULL));
      }
    g_assert_cmpfloat_with_epsilon (top, 1.0, 1e-9);
  }
  /* sst2: about −0.55 … 0.9 → −0.6 … 1.0 in steps of 0.2 */
  g_assert_cmpuint (n_ticks, ==, (guint) (round ((MIN (ceil ((hi + 0.02) / 0.2 - 1e-9), 5.) -
                                                  MAX (floor ((lo - 0.02) / 0.2 + 1e-9), -5.)))) + 1);
  evaluation_clear (&e);
}

/* Over weight kinds: a panel per method, a line per kind in the kind's
 * colour, the labels inside and apart; a kind left out is nowhere */
static void
test_plot_kinds (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                 "pronouns-minilm.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = attn_document_load (path, NULL, &error);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) attn_correlation_unref);
  AttnWeightKind kinds[ATTN_N_WEIGHT_KINDS];
  const double *means[ATTN_N_WEIGHT_KINDS];
  guint L = 0;

  g_assert_no_error (error);
  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    {
      g_autoptr(AttnGraphSettings) settings =
        attn_graph_settings_new_for_weights (k, 0.5, ATTN_HEAD_MIX_MEAN, NULL, NULL);
      AttnCorrelation *result = attn_correlation_run (document, "gradient", settings,
                                                      ATTN_CORRELATION_ALL, FALSE, NULL, NULL,
                                                      NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (attn_correlation_get_n_examples (result), ==, 44);
      kinds[k] = k;
      means[k] = attn_correlation_get_mean (result);
      L = attn_correlation_get_n_layers (result);
      g_ptr_array_add (results, result);
    }

  for (guint dark = 0; dark <= 1; dark++)
    {
      AttnEvaluationKindsPlotData data = { 0 };
      AttnFigureStyle style;
      g_autoptr(AttnFigure) all = NULL;
      g_autoptr(AttnFigure) some = NULL;
      cairo_surface_t *image, *image2;
      guint n_panel_titles = 0;
      double w, h;

      attn_figure_style_init (&style, dark);
      data.reference = "gradient";
      data.n_layers = L;
      data.n_examples = 44;
      data.methods = ATTN_CORRELATION_ALL;
      data.n_kinds = ATTN_N_WEIGHT_KINDS;
      data.kinds = kinds;
      data.mean = means;
      data.caption = "pronouns-minilm.json: 44 examples";
      all = attn_figure_new_evaluation_kinds (&data, &style);
      g_assert_cmpint (attn_figure_get_kind (all), ==, ATTN_FIGURE_EVALUATION);
      g_assert_cmpstr (attn_figure_get_title (all), ==,
                       "Spearman’s ρ with the reference “Input gradient” per layer, by weight kind");
      g_assert_nonnull (strstr (attn_figure_get_caption (all), "mean over 44 examples"));
      assert_labels_fit (all);
      attn_figure_get_size (all, &w, &h);
      /* three panels of 240 px side by side */
      g_assert_cmpfloat (w, >=, 3 * 240.);
      g_assert_cmpfloat (w, <=, 1000.);
      for (guint i = 0; i < attn_figure_get_n_labels (all); i++)
        {
          const AttnLabel *label = attn_figure_get_label (all, i);

          if (label->kind == ATTN_LABEL_TITLE && label->index > 0)
            {
              g_assert_cmpstr (label->text, ==, attn_method_get_label (label->index - 1));
              n_panel_titles++;
            }
        }
      g_assert_cmpuint (n_panel_titles, ==, 3);

      /* without norm, flow panel only */
      kinds[1] = ATTN_WEIGHT_KIND_ATTENTION;
      means[1] = means[0];
      data.methods = ATTN_CORRELATION_FLOW;
      some = attn_figure_new_evaluation_kinds (&data, &style);
      kinds[1] = ATTN_WEIGHT_KIND_NORM;
      means[1] = attn_correlation_get_mean (g_ptr_array_index (results, 1));
      assert_labels_fit (some);

      image = attn_figure_render_image (all, 1., NULL);
      image2 = attn_figure_render_image (some, 1., NULL);
      for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
        {
          AttnRgba color;

          attn_evaluation_get_kind_color (k, dark, &color);
          /* 18 markers of radius 3.5, the lines, the legend sample */
          g_assert_cmpuint (count_color (image, &color, 2), >, 150);
          if (k == ATTN_WEIGHT_KIND_NORM)
            g_assert_cmpuint (count_color (image2, &color, 2), ==, 0);
        }
      cairo_surface_destroy (image);
      cairo_surface_destroy (image2);
    }
}

/* How many labels of @fig are of @kind and (when @text is not NULL) hold
 * @text (or, @exact, say just it) */
static guint
count_kind (AttnFigure    *fig,
            AttnLabelKind  kind,
            const char    *text,
            gboolean       exact)
{
  guint n = 0;

  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *label = attn_figure_get_label (fig, i);

      n += label->kind == kind && (text == NULL || (exact ? g_str_equal (label->text, text)
                                                           : strstr (label->text, text) != NULL));
    }
  return n;
}

/* Every ρ NaN (every example's reference constant): no legend, the whole ρ
 * range, and a note that says why the plot is empty */
static void
test_plot_no_finite (void)
{
  const guint L = 6;
  double mean[N_METHODS * 6], std[N_METHODS * 6];
  const double *kind_means[2] = { mean, mean };
  static const AttnWeightKind kinds[2] = { ATTN_WEIGHT_KIND_ATTENTION, ATTN_WEIGHT_KIND_ALTI };
  AttnFigureStyle style;

  attn_figure_style_init (&style, FALSE);
  for (guint finite = 0; finite < 2; finite++)
    {
      AttnEvaluationPlotData data = { "gradient", L, 4, ATTN_CORRELATION_ALL, mean, std, NULL, NULL, NULL };
      AttnEvaluationKindsPlotData kinds_data = { "gradient", L, 4, ATTN_CORRELATION_ALL, 2, kinds, kind_means,
                                                 NULL };
      g_autoptr(AttnFigure) fig = NULL;
      g_autoptr(AttnFigure) by_kind = NULL;
      double w, h;

      for (guint i = 0; i < N_METHODS * L; i++)
        {
          mean[i] = finite && i == 3 ? 0.3 : NAN;
          std[i] = finite && i == 3 ? 0.1 : NAN;
        }
      fig = attn_figure_new_evaluation (&data, &style);
      by_kind = attn_figure_new_evaluation_kinds (&kinds_data, &style);
      g_assert_cmpuint (count_kind (fig, ATTN_LABEL_NOTE, "No finite ρ", FALSE), ==, !finite);
      g_assert_cmpuint (count_kind (by_kind, ATTN_LABEL_NOTE, "No finite ρ", FALSE), ==, !finite);
      g_assert_cmpuint (count_kind (fig, ATTN_LABEL_NOTE, NULL, FALSE), ==, !finite);
      /* the legend names the methods (the kinds) only with a line to name */
      for (guint m = 0; m < N_METHODS; m++)
        g_assert_cmpuint (count_kind (fig, ATTN_LABEL_SCALE, attn_method_get_label (m), FALSE), ==, finite);
      g_assert_cmpuint (count_kind (by_kind, ATTN_LABEL_SCALE, attn_weight_kind_get_label (ATTN_WEIGHT_KIND_ALTI),
                                    FALSE),
                        ==, finite);
      /* ticks: −1 … 1 without a value; 0 … 0.4 around 0.3 ± 0.1 */
      g_assert_cmpuint (count_kind (fig, ATTN_LABEL_SCALE, "−1.0", TRUE), ==, !finite);
      g_assert_cmpuint (count_kind (fig, ATTN_LABEL_SCALE, "1.0", TRUE), ==, !finite);
      g_assert_cmpuint (count_kind (fig, ATTN_LABEL_SCALE, "0.4", TRUE), ==, 1);
      attn_figure_get_size (fig, &w, &h);
      for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
        {
          const AttnLabel *a = attn_figure_get_label (fig, i);

          g_assert_cmpfloat (a->box.x + a->box.width, <=, w + 0.01);
          g_assert_cmpfloat (a->box.y + a->box.height, <=, h + 0.01);
          for (guint j = i + 1; j < attn_figure_get_n_labels (fig); j++)
            {
              const AttnLabel *b = attn_figure_get_label (fig, j);

              g_assert_false (a->box.x + a->box.width > b->box.x + 0.5 && b->box.x + b->box.width > a->box.x + 0.5 &&
                              a->box.y + a->box.height > b->box.y + 0.5 && b->box.y + b->box.height > a->box.y + 0.5);
            }
        }
    }
}

/* Over other weights than the attention, the legend names them with each
 * method, as the graph's title does: "Attention rollout (ALTI)" */
static void
test_plot_weights (void)
{
  double mean[N_METHODS * 2] = { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 };
  AttnEvaluationPlotData data = { "gradient", 2, 3, ATTN_CORRELATION_ALL, mean, NULL, NULL, NULL, NULL,
                                  ATTN_WEIGHT_KIND_ALTI };
  AttnFigureStyle style;

  attn_figure_style_init (&style, FALSE);
  for (guint with_weights = 0; with_weights < 2; with_weights++)
    {
      g_autoptr(AttnFigure) fig = NULL;

      data.weights = with_weights ? ATTN_WEIGHT_KIND_ALTI : ATTN_WEIGHT_KIND_ATTENTION;
      fig = attn_figure_new_evaluation (&data, &style);
      for (guint m = 0; m < N_METHODS; m++)
        {
          g_autofree char *label = g_strdup_printf ("%s (%s)", attn_method_get_label (m),
                                                    attn_weight_kind_get_label (ATTN_WEIGHT_KIND_ALTI));

          g_assert_cmpuint (count_kind (fig, ATTN_LABEL_SCALE, label, TRUE), ==, with_weights);
          g_assert_cmpuint (count_kind (fig, ATTN_LABEL_SCALE, attn_method_get_label (m), TRUE), ==,
                            !with_weights);
        }
    }
}

/* The caption counts the examples the means are over as the table's heading
 * does, NaN left out: “over 4 of 5”, or the range where that differs
 * between the points (it said “over 5 examples” either way) */
static void
test_plot_nan_count (void)
{
  double mean[N_METHODS * 2] = { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 };
  guint same[N_METHODS * 2] = { 1, 1, 1, 1, 1, 1 };
  guint differing[N_METHODS * 2] = { 1, 2, 1, 1, 0, 1 };
  const double *means[2] = { mean, mean };
  const guint *counts[2] = { same, differing };
  AttnWeightKind kinds[2] = { ATTN_WEIGHT_KIND_ATTENTION, ATTN_WEIGHT_KIND_ALTI };
  AttnEvaluationPlotData data = { "gradient", 2, 5, ATTN_CORRELATION_ALL, mean, mean };
  AttnEvaluationKindsPlotData kinds_data = { "gradient", 2, 5, ATTN_CORRELATION_ALL, 2, kinds,
                                             means };
  AttnFigureStyle style;

  attn_figure_style_init (&style, FALSE);
  {
    g_autoptr(AttnFigure) fig = NULL;

    data.nan_count = same;
    fig = attn_figure_new_evaluation (&data, &style);
    g_assert_cmpstr (attn_figure_get_caption (fig), ==,
                     "Lines: mean over 4 of 5 examples (1 NaN, a constant side, left out); "
                     "bands: ± 1 sample std.");
  }
  {
    g_autoptr(AttnFigure) fig = NULL;

    data.nan_count = differing;
    data.std = NULL;
    fig = attn_figure_new_evaluation (&data, &style);
    g_assert_cmpstr (attn_figure_get_caption (fig), ==,
                     "Lines: mean over 3–5 of 5 examples (NaN, a constant side, left out, "
                     "counted per point).");
  }
  {
    g_autoptr(AttnFigure) fig = NULL;

    /* only rollout drawn: its points count 1 and 1 NaN */
    data.methods = ATTN_CORRELATION_ROLLOUT;
    fig = attn_figure_new_evaluation (&data, &style);
    g_assert_cmpstr (attn_figure_get_caption (fig), ==,
                     "Lines: mean over 4 of 5 examples (1 NaN, a constant side, left out).");
  }
  {
    g_autoptr(AttnFigure) fig = NULL;

    data.nan_count = NULL;
    fig = attn_figure_new_evaluation (&data, &style);
    g_assert_cmpstr (attn_figure_get_caption (fig), ==,
                     "Lines: mean over 5 examples; NaN (a constant side) left out.");
  }
  {
    g_autoptr(AttnFigure) fig = NULL;

    /* over the kinds: the range over every kind's points */
    kinds_data.nan_count = counts;
    fig = attn_figure_new_evaluation_kinds (&kinds_data, &style);
    g_assert_cmpstr (attn_figure_get_caption (fig), ==,
                     "Lines: mean over 3–5 of 5 examples (NaN, a constant side, left out, "
                     "counted per point).");
    g_clear_pointer (&fig, attn_figure_unref);
    counts[1] = same;
    fig = attn_figure_new_evaluation_kinds (&kinds_data, &style);
    g_assert_cmpstr (attn_figure_get_caption (fig), ==,
                     "Lines: mean over 4 of 5 examples (1 NaN, a constant side, left out).");
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  tmpdir = attn_test_make_folder ("evaluation");

  g_test_add_func ("/attn/render/evaluation/saved", test_plot_saved);
  g_test_add_func ("/attn/render/evaluation/reference-escaped", test_plot_reference_escaped);
  g_test_add_func ("/attn/render/evaluation/pixels", test_plot_pixels);
  g_test_add_func ("/attn/render/evaluation/dashes", test_plot_dashes);
  g_test_add_func ("/attn/render/evaluation/range", test_plot_range);
  g_test_add_func ("/attn/render/evaluation/at-size", test_plot_at_size);
  g_test_add_func ("/attn/render/evaluation/kinds", test_plot_kinds);
  g_test_add_func ("/attn/render/evaluation/no-finite", test_plot_no_finite);
  g_test_add_func ("/attn/render/evaluation/weights", test_plot_weights);
  g_test_add_func ("/attn/render/evaluation/nan-count", test_plot_nan_count);

  status = g_test_run ();

  attn_test_drop_folder (tmpdir);
  return status;
}
