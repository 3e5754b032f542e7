/* test-save.c: the names Save suggests, and the saves refused before the
 * work
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "attn-render.h"
#include "attn-test-util.h"
#include "attn-figure-private.h"
#include "attn-trace-private.h"

static char *tmpdir;

/* A document of the source tree, @path relative to tests/ */
static AttnDocument *
load (const char *path)
{
  g_autofree char *full = g_test_build_filename (G_TEST_DIST, path, NULL);
  g_autoptr(GError) error = NULL;
  AttnDocument *document = attn_document_load (full, NULL, &error);

  g_assert_no_error (error);
  return document;
}

/* A model label as a file name says it: its first word, without the
 * organisation, safe and short */
static void
test_model_name (void)
{
  const char *cases[][2] = {
    { "bert-base-uncased", "bert-base-uncased" },
    { "sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2" },
    { "bert-base-uncased fine-tuned on SST-2 (Dodrio)", "bert-base-uncased" },
    { "  gpt2\tsmall", "gpt2" },
    { "../../etc/passwd", "passwd" },
    { "org/.hidden", "_hidden" },
    { "org/-rf", "_rf" },
    { "a:b*c", "a_b_c" },
    { "모델/한국어-버트", "한국어-버트" },
    { "x/very-long-model-name-that-goes-on-and-on-and-on-and-on", "very-long-model-name-that-goes-on-and-on" },
    /* a character across the cut is left out whole */
    { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa한", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
  };
  const char *none[] = { NULL, "", "   ", "org/", "org/ name" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = attn_batch_model_name (cases[i][0]);

      g_assert_cmpstr (name, ==, cases[i][1]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (none); i++)
    {
      g_autofree char *name = attn_batch_model_name (none[i]);

      g_assert_null (name);
    }
}

/* The same sentence from two models (the test files' “fox”, from GPT-2 and
 * from DistilBERT) took one name in Save's dialogs, “fox-rollout-heatmap.png”,
 * and the second save replaced the first: the model follows the id, in the
 * names of one example's figures, of comparisons, and of correlations.
 * The batch's names (`--output-dir`, ID-VIEW.FORMAT) stay as they were. */
static void
test_save_names (void)
{
  g_autoptr(AttnDocument) gpt2 = load ("data/gpt2.json");
  g_autoptr(AttnDocument) distil = load ("data/distilbert-base-uncased.json");
  g_autoptr(AttnDocument) bert = load ("../data/examples/bert-base-uncased.json");
  g_autoptr(AttnDocument) sst2 = load ("../data/examples/sst2-bert.json");
  g_autoptr(AttnDocument) pronouns = load ("../data/examples/pronouns-minilm.json");
  AttnExample *fox_gpt2 = attn_document_find_example (gpt2, "fox", NULL);
  AttnExample *fox_distil = attn_document_find_example (distil, "fox", NULL);
  AttnExample *cat_mat = attn_document_find_example (bert, "cat-mat", NULL);
  AttnExample *rabbit = attn_document_find_example (bert, "rabbit-turtle", NULL);
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  g_autoptr(GPtrArray) batch = NULL;
  char *name;

  g_assert_nonnull (fox_gpt2);
  g_assert_nonnull (fox_distil);
  settings.kind = ATTN_FIGURE_HEATMAP;
  name = attn_batch_save_name (fox_gpt2, &settings, ATTN_EXPORT_PNG);
  g_assert_cmpstr (name, ==, "fox-gpt2-rollout-heatmap.png");
  g_free (name);
  name = attn_batch_save_name (fox_distil, &settings, ATTN_EXPORT_PNG);
  g_assert_cmpstr (name, ==, "fox-distilbert-base-uncased-rollout-heatmap.png");
  g_free (name);
  name = attn_batch_save_name (cat_mat, &settings, ATTN_EXPORT_PNG);
  g_assert_cmpstr (name, ==, "cat-mat-bert-base-uncased-rollout-heatmap.png");
  g_free (name);
  settings.kind = ATTN_FIGURE_GRAPH;
  settings.method = ATTN_METHOD_FLOW;
  settings.weights = ATTN_WEIGHT_KIND_ALTI;
  name = attn_batch_save_name (attn_document_get_example (pronouns, 0), &settings, ATTN_EXPORT_SVG);
  g_assert_cmpstr (name, ==, "author-his-all-MiniLM-L6-v2-flow-alti.svg");
  g_free (name);
  /* a free-text model label gives its first word */
  name = attn_batch_save_name (attn_document_get_example (sst2, 0), &settings, ATTN_EXPORT_PNG);
  g_assert_cmpstr (name, ==, "sst2-0551-bert-base-uncased-flow-alti.png");
  g_free (name);

  /* the batch's names are the CLI's, without the model */
  batch = attn_batch_file_names (&fox_gpt2, 1, &settings, ATTN_EXPORT_PNG);
  g_assert_cmpstr (g_ptr_array_index (batch, 0), ==, "fox-flow-alti.png");

  /* a comparison of one model names it once, of two each example's */
  settings.kind = ATTN_FIGURE_COMPARE;
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.weights = ATTN_WEIGHT_KIND_ATTENTION;
  {
    AttnExample *same[] = { cat_mat, rabbit };
    AttnExample *two[] = { fox_gpt2, fox_distil };

    name = attn_batch_compare_file_name (same, 2, &settings, ATTN_EXPORT_PNG);
    g_assert_cmpstr (name, ==, "cat-mat-vs-rabbit-turtle-bert-base-uncased-rollout.png");
    g_free (name);
    name = attn_batch_compare_file_name (two, 2, &settings, ATTN_EXPORT_PNG);
    g_assert_cmpstr (name, ==, "fox-gpt2-vs-fox-distilbert-base-uncased-rollout.png");
    g_free (name);
  }

  /* a correlation's: after the file's name, unless it says the model */
  name = attn_batch_correlation_file_name ("/data/sst2-bert.json", attn_document_get_model (sst2), "gradient",
                                           ATTN_WEIGHT_KIND_ALTI, "csv");
  g_assert_cmpstr (name, ==, "sst2-bert-bert-base-uncased-correlate-gradient-alti.csv");
  g_free (name);
  name = attn_batch_correlation_file_name ("/data/gpt2.json", attn_document_get_model (gpt2), "gold",
                                           ATTN_WEIGHT_KIND_ATTENTION, "png");
  g_assert_cmpstr (name, ==, "gpt2-correlate-gold.png");
  g_free (name);
  name = attn_batch_correlation_file_name ("/data/results.json", NULL, "gold", ATTN_WEIGHT_KIND_ATTENTION, "png");
  g_assert_cmpstr (name, ==, "results-correlate-gold.png");
  g_free (name);
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The error of the app's Save (Save Heatmap, Save Comparison: the figure
 * built at the size of its view, then saved on a worker thread) */
static GError *
build_and_save (const AttnFigureInput    *inputs,
                guint                     n_inputs,
                const AttnFigureSettings *settings,
                const AttnFigureStyle    *style,
                GFile                    *file,
                double                    scale)
{
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;

  attn_figure_build_and_save_async (inputs, n_inputs, settings, style, 0., 0., file, scale, NULL, got_result_cb,
                                    &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (attn_figure_save_finish (result, NULL, &error));
  return error;
}

/* The app's Save of a heatmap or a comparison too large for a PNG, and a
 * batch's, were refused once the values were computed; a graph at its
 * natural size too. They are refused before: a head the model does not
 * have (which fails the compute) is not what they say, and no trace is
 * computed. The message is the save's; a PNG that fits, an SVG, and a
 * figure that cannot be built (said by its build) pass the check. A named
 * pipe under the name is refused before the compute too. */
static void
test_refused_before_compute (void)
{
  g_autofree char *json = attn_test_write_long_export (tmpdir, 400);
  g_autoptr(AttnDocument) document = attn_document_load (json, NULL, NULL);
  AttnFigureInput inputs[2] = { { 0 } };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autofree char *path = g_build_filename (tmpdir, "large.png", NULL);
  g_autofree char *fifo = g_build_filename (tmpdir, "pipe.png", NULL);
  g_autofree char *folder_path = g_build_filename (tmpdir, "batch", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) fifo_file = g_file_new_for_path (fifo);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autofree char *prefix = g_strdup_printf ("Could not save the figure to “%s”: At scale 8 the figure would be ",
                                             path);
  const AttnFigureKind kinds[] = { ATTN_FIGURE_HEATMAP, ATTN_FIGURE_COMPARE, ATTN_FIGURE_GRAPH };
  g_autofree char *expected_fifo = g_strdup_printf ("Could not save the figure to “%s”: It is a named pipe (FIFO), "
                                                    "not a regular file", fifo);

  g_assert_nonnull (document);
  inputs[0].example = attn_document_find_example (document, "a", NULL);
  inputs[1].example = attn_document_find_example (document, "b", NULL);
  attn_figure_style_init (&style, FALSE);
  settings.method = ATTN_METHOD_FLOW;
  settings.heads = "0,99";
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      guint n_inputs = kinds[i] == ATTN_FIGURE_COMPARE ? 2 : 1;
      guint computed = _attn_trace_get_n_computed ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) saved = NULL;
      g_autoptr(GError) built = NULL;
      g_autoptr(AttnFigure) figure = NULL;

      settings.kind = kinds[i];
      g_assert_false (attn_figure_check_save (inputs, n_inputs, &settings, &style, 0., 0., file, NULL,
                                              ATTN_EXPORT_PNG, 8., &error));
      g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      g_assert_true (g_str_has_suffix (error->message, ", or save it as SVG or PDF"));
      /* the app's Save says it, not the compute's error */
      saved = build_and_save (inputs, n_inputs, &settings, &style, file, 8.);
      g_assert_cmpstr (saved->message, ==, error->message);
      g_clear_error (&saved);
      saved = build_and_save (inputs, n_inputs, &settings, &style, fifo_file, 1.);
      g_assert_cmpstr (saved->message, ==, expected_fifo);
      g_assert_cmpuint (_attn_trace_get_n_computed (), ==, computed);

      /* what passes: a PNG that fits, an SVG; the build then fails */
      g_assert_true (attn_figure_check_save (inputs, n_inputs, &settings, &style, 0., 0., file, NULL,
                                             ATTN_EXPORT_PNG, 1., NULL));
      g_assert_true (attn_figure_check_save (inputs, n_inputs, &settings, &style, 0., 0., file, NULL,
                                             ATTN_EXPORT_SVG, 8., NULL));
      figure = attn_figure_build (inputs, n_inputs, &settings, &style, NULL, &built);
      g_assert_null (figure);
      g_assert_nonnull (strstr (built->message, "head 99 does not exist"));
    }

  /* a batch (Save Figures of All Examples, --output-dir) */
  {
    g_autoptr(GError) error = NULL;

    settings.kind = ATTN_FIGURE_HEATMAP;
    g_assert_false (attn_figure_save_batch (&(AttnBatchRequest) { .inputs = inputs, .n_inputs = 2,
                                            .settings = &settings, .style = &style, .folder = folder,
                                            .format = ATTN_EXPORT_PNG, .scale = 8. },
                                            NULL, NULL, NULL, NULL, &error));
    g_assert_true (g_str_has_prefix (error->message, "Example “a” (1 of 2): Could not save the figure to "));
    g_assert_nonnull (strstr (error->message, "a-flow-heatmap.png”: At scale 8 the figure would be "));
  }
  /* a sink out of range: the compute says so, not the check */
  {
    g_autoptr(GError) error = NULL;

    settings.kind = ATTN_FIGURE_GRAPH;
    settings.heads = NULL;
    settings.sink = 400;
    g_assert_true (attn_figure_check_save (inputs, 1, &settings, &style, 0., 0., file, NULL, ATTN_EXPORT_PNG, 1.,
                                           &error));
    g_assert_no_error (error);
    g_assert_null (attn_figure_build (inputs, 1, &settings, &style, NULL, &error));
    g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  }
  g_assert_cmpint (g_rmdir (folder_path), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_unlink (fifo), ==, 0);
}

/* The figures of @inputs (two examples) laid out before the work
 * (_attn_figure_build_full()) and computed, of every kind, one method and
 * all three, at their natural size and at a view's: the same size, where
 * @exact the heatmaps' and comparisons' exactly; else within 64 pixels */
static void
assert_layout_sizes (const AttnFigureInput *inputs,
                     gboolean               exact)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  const AttnFigureKind kinds[] = { ATTN_FIGURE_HEATMAP, ATTN_FIGURE_COMPARE, ATTN_FIGURE_GRAPH };
  const double sizes[][2] = { { 0., 0. }, { 900., 600. }, { 1600., 400. } };

  attn_figure_style_init (&style, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    for (guint all = 0; all < 2; all++)
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          guint n_inputs = kinds[i] == ATTN_FIGURE_COMPARE ? 2 : 1;
          g_autoptr(AttnFigure) laid_out = NULL;
          g_autoptr(AttnFigure) at_size = NULL;
          g_autoptr(AttnFigure) computed = NULL;
          double w, h, cw, ch;

          settings.kind = kinds[i];
          settings.all_methods = all;
          settings.method = ATTN_METHOD_FLOW;
          laid_out = _attn_figure_build_full (inputs, n_inputs, &settings, &style, TRUE, NULL, NULL);
          g_assert_nonnull (laid_out);
          at_size = attn_figure_new_at_size (laid_out, sizes[s][0], sizes[s][1]);
          computed = attn_figure_build_at_size (inputs, n_inputs, &settings, &style, sizes[s][0], sizes[s][1],
                                                NULL, NULL);
          g_assert_nonnull (computed);
          attn_figure_get_size (at_size, &w, &h);
          attn_figure_get_size (computed, &cw, &ch);
          g_test_message ("figure %u, all %u, at %g x %g: %g x %g laid out, %g x %g computed", kinds[i], all,
                          sizes[s][0], sizes[s][1], w, h, cw, ch);
          if (exact && kinds[i] != ATTN_FIGURE_GRAPH)
            {
              g_assert_cmpfloat (w, ==, cw);
              g_assert_cmpfloat (h, ==, ch);
            }
          else
            {
              /* the check's margin, 2 % of 32767 pixels, is 81 at 1x at
               * the largest scale, 8 (the colour bars' ticks of a graph:
               * 14 pixels each) */
              g_assert_cmpfloat (fabs (w - cw), <=, 64.);
              g_assert_cmpfloat (fabs (h - ch), <=, 64.);
            }
        }
}

/* A figure laid out before the work is the size of the computed one: the
 * heatmaps and comparisons of uniform attention exactly, at their natural
 * size and at a view's; a graph (its colour bar's ticks), and the figures
 * of a real model's attention, within 64 pixels (BERT's cat-mat: its
 * heatmaps exactly, its graph 14 pixels narrower); those of a token of 45
 * characters, which a heatmap at its natural size shows whole, too (the
 * check of a PNG's size lays the figure out as its save does) */
static void
test_layout_size (void)
{
  g_autofree char *json = attn_test_write_long_export (tmpdir, 60);
  g_autoptr(AttnDocument) uniform = attn_document_load (json, NULL, NULL);
  g_autoptr(AttnDocument) bert = load ("../data/examples/bert-base-uncased.json");
  g_autoptr(AttnDocument) long_token = load ("data/loader/long-token.json");
  AttnFigureInput inputs[2] = { { 0 } };

  g_assert_nonnull (uniform);
  inputs[0].example = attn_document_find_example (uniform, "a", NULL);
  inputs[1].example = attn_document_find_example (uniform, "b", NULL);
  assert_layout_sizes (inputs, TRUE);
  inputs[0].example = attn_document_find_example (bert, "cat-mat", NULL);
  inputs[1].example = attn_document_find_example (bert, "rabbit-turtle", NULL);
  assert_layout_sizes (inputs, FALSE);
  inputs[0].example = inputs[1].example = attn_document_get_example (long_token, 0);
  assert_layout_sizes (inputs, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = attn_test_make_folder ("render-save");

  g_test_add_func ("/attn/render/save/model-name", test_model_name);
  g_test_add_func ("/attn/render/save/names", test_save_names);
  g_test_add_func ("/attn/render/save/refused-before-compute", test_refused_before_compute);
  g_test_add_func ("/attn/render/save/layout-size", test_layout_size);

  status = g_test_run ();
  attn_test_drop_folder (tmpdir);
  return status;
}
