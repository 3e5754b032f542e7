/* test-correlation.c: a file's correlation tables and the graph settings they are built with
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "attn-core.h"

static AttnDocument *sst2;

static void
assert_same (double actual,
             double expected)
{
  if (isnan (expected))
    g_assert_true (isnan (actual));
  else
    g_assert_cmpfloat (actual, ==, expected);
}

static void
test_settings (void)
{
  AttnExample *example = attn_document_get_example (sst2, 0);
  g_autoptr(AttnGraphSettings) a = attn_graph_settings_new (0.3, ATTN_HEAD_MIX_MAX, " 5, 1", NULL);
  g_autoptr(AttnGraphSettings) b = attn_graph_settings_new (0.3, ATTN_HEAD_MIX_MAX, "1,5", NULL);
  g_autoptr(AttnGraphSettings) c = attn_graph_settings_new_default ();
  g_autoptr(AttnGraphSettings) d = attn_graph_settings_new (0.5, ATTN_HEAD_MIX_MEAN, "", NULL);
  g_autoptr(AttnGraphSettings) e = attn_graph_settings_new (0.5, ATTN_HEAD_MIX_MEAN, "12", NULL);
  g_autoptr(AttnGraph) graph = NULL;
  g_autoptr(AttnGraph) direct = NULL;
  AttnGraphOptions options = { 0.3, ATTN_HEAD_MIX_MAX, 2, (const guint[]) { 1, 5 } };
  const guint *heads;
  guint n_heads;
  GError *error = NULL;

  g_assert_nonnull (a);
  /* one spelling of a list (a caption and its command named "0-3" and
   * "0,1,2,3" apart) */
  g_assert_cmpstr (attn_graph_settings_get_heads (a), ==, "1,5");
  {
    g_autoptr(AttnGraphSettings) range = attn_graph_settings_new (0.3, ATTN_HEAD_MIX_MAX, "5, 0-2", NULL);

    g_assert_cmpstr (attn_graph_settings_get_heads (range), ==, "0,1,2,5");
  }
  heads = attn_graph_settings_get_head_list (a, &n_heads);
  g_assert_cmpuint (n_heads, ==, 2);
  g_assert_cmpuint (heads[0], ==, 1);
  g_assert_cmpuint (heads[1], ==, 5);
  g_assert_true (attn_graph_settings_equal (a, b));
  g_assert_false (attn_graph_settings_equal (a, c));
  g_assert_true (attn_graph_settings_equal (c, d));
  g_assert_cmpstr (attn_graph_settings_get_heads (d), ==, "all");
  g_assert_null (attn_graph_settings_get_head_list (d, &n_heads));
  g_assert_cmpuint (n_heads, ==, 0);

  /* the same graph as attn_graph_new() */
  graph = attn_graph_new_from_settings (example, a, NULL, &error);
  g_assert_no_error (error);
  direct = attn_graph_new (example, &options, NULL, &error);
  g_assert_no_error (error);
  for (guint l = 1; l <= attn_graph_get_n_layers (graph); l++)
    g_assert_true (memcmp (attn_graph_get_augmented (graph, l), attn_graph_get_augmented (direct, l),
                           (gsize) attn_graph_get_n_tokens (graph) * attn_graph_get_n_tokens (graph) *
                           sizeof (double)) == 0);

  /* a head the model lacks: the error names the example and the head */
  g_assert_nonnull (e);
  g_assert_false (attn_graph_settings_check_example (e, example, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_assert_nonnull (strstr (error->message, attn_example_get_label (example)));
  g_assert_nonnull (strstr (error->message, "12"));
  g_clear_error (&error);
  g_assert_null (attn_graph_new_from_settings (example, e, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_clear_error (&error);

  g_assert_null (attn_graph_settings_new (0.5, ATTN_HEAD_MIX_MEAN, "1,1", &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (attn_graph_settings_new (0.5, ATTN_HEAD_MIX_MEAN, "two", &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (attn_graph_settings_new (1.5, ATTN_HEAD_MIX_MEAN, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_clear_error (&error);

  g_assert_cmpstr (attn_head_mix_get_name (ATTN_HEAD_MIX_MAX), ==, "max");
  {
    AttnHeadMix mix = ATTN_HEAD_MIX_MAX;

    g_assert_true (attn_head_mix_from_name ("mean", &mix));
    g_assert_cmpint (mix, ==, ATTN_HEAD_MIX_MEAN);
    g_assert_false (attn_head_mix_from_name ("median", &mix));
  }
}

typedef struct
{
  double last;
  guint  calls;
} Progress;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_assert_cmpfloat (fraction, >=, progress->last);
  g_assert_cmpfloat (fraction, <=, 1.);
  progress->last = fraction;
  progress->calls++;
}

/* Every example's row is attn_correlate_example()'s, the summary
 * attn_correlation_summarize()'s, the CSV attn_correlation_append_csv()'s */
static void
test_run (void)
{
  g_autoptr(AttnGraphSettings) settings = attn_graph_settings_new (0.4, ATTN_HEAD_MIX_MEAN, NULL, NULL);
  g_autoptr(AttnCorrelation) result = NULL;
  g_autoptr(GError) error = NULL;
  AttnCorrelationMethods methods = ATTN_CORRELATION_RAW | ATTN_CORRELATION_FLOW;
  guint n = attn_document_get_n_examples (sst2), L;
  g_autofree double *rho = NULL;
  g_autofree double *mean = NULL;
  g_autofree double *std = NULL;
  g_autofree guint *nan_count = NULL;
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autofree char *got = NULL;
  Progress progress = { 0., 0 };

  result = attn_correlation_run (sst2, "gradient", settings, methods, TRUE, progress_cb, &progress,
                                 NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (progress.last, ==, 1.);
  g_assert_cmpuint (progress.calls, >, n);
  g_assert_cmpstr (attn_correlation_get_reference (result), ==, "gradient");
  g_assert_true (attn_correlation_get_settings (result) == settings);
  g_assert_cmpint (attn_correlation_get_methods (result), ==, methods);
  g_assert_true (attn_correlation_get_exclude_special (result));
  g_assert_cmpuint (attn_correlation_get_n_examples (result), ==, n);
  L = attn_correlation_get_n_layers (result);
  g_assert_cmpuint (L, ==, 12);

  rho = g_new (double, (gsize) n * ATTN_N_METHODS * L);
  for (guint e = 0; e < n; e++)
    {
      AttnExample *example = attn_document_get_example (sst2, e);
      g_autoptr(AttnGraph) graph = attn_graph_new_from_settings (example, settings, NULL, NULL);
      const double *got_rho = attn_correlation_get_rho (result, e);

      g_assert_true (attn_correlation_get_example (result, e) == example);
      g_assert_true (attn_correlate_example (graph, "gradient", methods, TRUE, NULL,
                                             rho + (gsize) e * ATTN_N_METHODS * L, NULL, NULL));
      for (guint i = 0; i < ATTN_N_METHODS * L; i++)
        assert_same (got_rho[i], rho[(gsize) e * ATTN_N_METHODS * L + i]);
      for (guint l = 0; l < L; l++)
        g_assert_true (isnan (got_rho[ATTN_METHOD_ROLLOUT * L + l]));
    }
  mean = g_new (double, ATTN_N_METHODS * L);
  std = g_new (double, ATTN_N_METHODS * L);
  nan_count = g_new (guint, ATTN_N_METHODS * L);
  attn_correlation_summarize (rho, n, L, mean, std, nan_count);
  for (guint i = 0; i < ATTN_N_METHODS * L; i++)
    {
      assert_same (attn_correlation_get_mean (result)[i], mean[i]);
      assert_same (attn_correlation_get_std (result)[i], std[i]);
      g_assert_cmpuint (attn_correlation_get_nan_count (result)[i], ==, nan_count[i]);
    }
  /* the numbers as attn_correlation_append_csv() writes them, each row
   * ending with the settings that made them, as the JSON names them */
  {
    g_autoptr(GString) rows = g_string_new (NULL);
    g_auto(GStrv) lines = NULL;

    attn_correlation_append_csv (csv, methods, L, n, mean, std, nan_count, NULL);
    lines = g_strsplit (csv->str, "\n", -1);
    for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
      g_string_append_printf (rows, "%s,gradient,attention,0.4,all,mean,true\n",
                              lines[i]);
    got = attn_correlation_to_csv (result);
    g_assert_true (g_str_has_prefix (got, "method,layer,mean,std,examples,nan_count,"
                                          "reference,weights,residual,heads,head_mix,exclude_special\n"
                                          "raw,1,"));
    g_assert_cmpstr (strchr (got, '\n') + 1, ==, rows->str);
    g_assert_null (strstr (got, "rollout"));
  }
}

/* The CSV names the settings: the heads one by one (quoted, as they hold
 * commas), the residual as given, the reference */
static void
test_csv_settings (void)
{
  g_autoptr(AttnGraphSettings) settings = attn_graph_settings_new (0.25, ATTN_HEAD_MIX_MEAN, "0-2", NULL);
  g_autoptr(AttnCorrelation) result = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;

  result = attn_correlation_run (sst2, "gradient", settings, ATTN_CORRELATION_RAW, FALSE, NULL, NULL,
                                 NULL, NULL);
  g_assert_nonnull (result);
  csv = attn_correlation_to_csv (result);
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 12 + 1);
  g_assert_cmpstr (lines[0], ==, "method,layer,mean,std,examples,nan_count,"
                                 "reference,weights,residual,heads,head_mix,exclude_special");
  for (guint l = 1; l <= 12; l++)
    {
      g_autofree char *start = g_strdup_printf ("raw,%u,", l);

      g_assert_true (g_str_has_prefix (lines[l], start));
      g_assert_true (g_str_has_suffix (lines[l], ",5,0,gradient,attention,0.25,\"0,1,2\",mean,false"));
    }
}

/* Several weight kinds: each kind's table with the weights leading, once
 * (not again among the settings), the header only over the first */
static void
test_csv_kinds (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                 "pronouns-minilm.json", NULL);
  g_autoptr(AttnDocument) pronouns = attn_document_load (path, NULL, NULL);
  g_autoptr(GString) csv = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  const AttnWeightKind kinds[] = { ATTN_WEIGHT_KIND_NORM, ATTN_WEIGHT_KIND_ALTI };

  g_assert_nonnull (pronouns);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(AttnGraphSettings) settings = attn_graph_settings_new_for_weights (kinds[k], 0.5, ATTN_HEAD_MIX_MEAN,
                                                                                 NULL, NULL);
      g_autoptr(AttnCorrelation) result = attn_correlation_run (pronouns, "blankout", settings,
                                                                ATTN_CORRELATION_RAW, TRUE, NULL, NULL,
                                                                NULL, NULL);

      g_assert_nonnull (result);
      attn_correlation_append_csv_table (result, csv, ATTN_CSV_WEIGHTS_FIRST |
                                                      (k > 0 ? ATTN_CSV_NO_HEADER : ATTN_CSV_DEFAULT));
    }
  lines = g_strsplit (csv->str, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 2 * 6 + 1);
  g_assert_cmpstr (lines[0], ==, "weights,method,layer,mean,std,examples,nan_count,"
                                 "reference,residual,heads,head_mix,exclude_special");
  for (guint l = 1; l <= 12; l++)
    {
      g_autofree char *start = g_strdup_printf ("%s,raw,%u,", l <= 6 ? "norm" : "alti", (l - 1) % 6 + 1);

      g_assert_true (g_str_has_prefix (lines[l], start));
      g_assert_true (g_str_has_suffix (lines[l], ",blankout,0.5,all,mean,true"));
    }
}

static void
test_errors (void)
{
  g_autoptr(AttnGraphSettings) settings = attn_graph_settings_new_default ();
  g_autoptr(AttnGraphSettings) bad_heads = attn_graph_settings_new (0.5, ATTN_HEAD_MIX_MEAN, "40", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;

  g_assert_null (attn_correlation_run (sst2, "no-such", settings, ATTN_CORRELATION_ALL, FALSE, NULL,
                                       NULL, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "references.no-such"));
  g_assert_nonnull (strstr (error->message, "sst2-bert.json"));
  g_clear_error (&error);

  g_assert_null (attn_correlation_run (sst2, "gradient", bad_heads, ATTN_CORRELATION_ALL, FALSE,
                                       NULL, NULL, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "40"));
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_null (attn_correlation_run (sst2, "gradient", settings, ATTN_CORRELATION_ALL, FALSE,
                                       NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
}

/* The texts of the CLI's table and the evaluation window */
static void
test_format (void)
{
  g_autoptr(AttnGraphSettings) a = attn_graph_settings_new (0.25, ATTN_HEAD_MIX_MAX, "0,3", NULL);
  g_autoptr(AttnGraphSettings) b = attn_graph_settings_new_default ();
  g_autofree char *da = attn_correlation_describe_settings ("f.json", 1, a, TRUE, TRUE);
  g_autofree char *db = attn_correlation_describe_settings ("f.json", 5, b, TRUE, FALSE);
  g_autofree char *dc = attn_correlation_describe_settings ("f.json", 5, b, FALSE, FALSE);
  g_autofree char *ca = attn_correlation_command_line ("my file.json", "gradient", a, TRUE);
  g_autofree char *cb = attn_correlation_command_line (NULL, "blankout", b, FALSE);
  g_autofree char *m1 = attn_correlation_format_mean (0.41249, 0.09251, 0);
  g_autofree char *m2 = attn_correlation_format_mean (-0.5, NAN, 2);
  g_autofree char *m3 = attn_correlation_format_mean (NAN, NAN, 5);
  g_autofree char *v1 = attn_correlation_format_value (0.0004);
  g_autofree char *v2 = attn_correlation_format_value (NAN);

  g_assert_cmpstr (da, ==, "f.json: 1 example; residual 0.25, heads 0,3, head mix max; "
                           "special tokens and the focus token left out");
  g_assert_cmpstr (db, ==, "f.json: 5 examples; residual 0.5, heads all, head mix mean; all tokens ranked");
  /* weights without heads: no heads nor mix claimed */
  g_assert_cmpstr (dc, ==, "f.json: 5 examples; residual 0.5, heads do not apply (weights without heads); "
                           "all tokens ranked");
  g_assert_cmpstr (ca, ==, "attnflow-cli correlate 'my file.json' --reference 'gradient' "
                           "--residual 0.25 --heads '0,3' --head-mix max --exclude-special");
  g_assert_cmpstr (cb, ==, "attnflow-cli correlate 'FILE' --reference 'blankout'");
  g_assert_cmpstr (m1, ==, "+0.412 ± 0.093");
  g_assert_cmpstr (m2, ==, "-0.500 (2 NaN)");
  g_assert_cmpstr (m3, ==, "NaN (5 NaN)");
  g_assert_cmpstr (v1, ==, "+0.000");
  g_assert_cmpstr (v2, ==, "NaN");
}

/* The heading of the means says how many examples they are over: not "over
 * 5 examples" where some of the 5 gave NaN. Counts [method][layer], L = 2;
 * flow is not run in the last two (its cells, all NaN, are not shown). */
static void
test_format_heading (void)
{
  static const guint none[] = { 0, 0, 0, 0, 0, 0 };
  static const guint one[] = { 1, 1, 1, 1, 5, 5 };
  static const guint some[] = { 0, 2, 1, 0, 5, 5 };
  static const guint all[] = { 5, 5, 5, 5, 5, 5 };
  AttnCorrelationMethods two = ATTN_CORRELATION_RAW | ATTN_CORRELATION_ROLLOUT;
  g_autofree char *h1 = attn_correlation_format_heading (ATTN_CORRELATION_ALL, 2, 5, none);
  g_autofree char *h2 = attn_correlation_format_heading (ATTN_CORRELATION_ALL, 2, 1, none);
  g_autofree char *h3 = attn_correlation_format_heading (two, 2, 5, one);
  g_autofree char *h4 = attn_correlation_format_heading (two, 2, 5, some);
  g_autofree char *h5 = attn_correlation_format_heading (ATTN_CORRELATION_ALL, 2, 5, all);

  g_assert_cmpstr (h1, ==, "Mean ± std over 5 examples");
  g_assert_cmpstr (h2, ==, "Mean ± std over 1 example");
  g_assert_cmpstr (h3, ==, "Mean ± std over 4 of 5 examples (1 NaN left out)");
  g_assert_cmpstr (h4, ==, "Mean ± std over 3–5 of 5 examples (NaN left out, counted per cell)");
  g_assert_cmpstr (h5, ==, "No mean: every example’s ρ is NaN (a constant side)");
}

/* The references by their names for people: the two the exporter writes,
 * and any other by the file's own name (the format allows any) */
static void
test_reference_label (void)
{
  g_assert_cmpstr (attn_reference_get_label ("blankout"), ==, "Blank-out");
  g_assert_cmpstr (attn_reference_get_label ("gradient"), ==, "Input gradient");
  g_assert_cmpstr (attn_reference_get_label ("saliency"), ==, "saliency");
  g_assert_cmpstr (attn_reference_get_label ("Gradient"), ==, "Gradient");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "sst2-bert.json", NULL);
  sst2 = attn_document_load (path, NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/attn/core/correlation/settings", test_settings);
  g_test_add_func ("/attn/core/correlation/run", test_run);
  g_test_add_func ("/attn/core/correlation/csv-settings", test_csv_settings);
  g_test_add_func ("/attn/core/correlation/csv-kinds", test_csv_kinds);
  g_test_add_func ("/attn/core/correlation/errors", test_errors);
  g_test_add_func ("/attn/core/correlation/format", test_format);
  g_test_add_func ("/attn/core/correlation/format-heading", test_format_heading);
  g_test_add_func ("/attn/core/correlation/reference-label", test_reference_label);

  status = g_test_run ();
  attn_document_unref (sst2);
  return status;
}
