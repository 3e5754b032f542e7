/* test-save.c: the names Save suggests, and the saves refused before the
 * work
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "attn-render.h"
#include "attn-test-util.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attn/render/save/model-name", test_model_name);
  g_test_add_func ("/attn/render/save/names", test_save_names);

  return g_test_run ();
}
