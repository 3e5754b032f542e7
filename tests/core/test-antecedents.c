/* test-antecedents.c: how often a method prefers the antecedent the meaning picks
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "attn-core.h"

/* Two layers, head-mixed, rows of the identity except the focus row, so that
 * raw attention, rollout and flow can be worked out by hand (below).
 * "a": n = 3, focus 2, candidates [0, 1].
 * "b": n = 4, focus 3, candidates [1, 0, 2]; at layer 1 the first ties with
 * token 0 (0.3 each).
 * "c" names one candidate only; "d" none. The references: blankout wins in
 * "a" and ties in "b", gradient (only in "b") wins. */
static const char document_json[] =
  "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
  "{\"id\": \"a\", \"tokens\": [\"x\", \"y\", \"it\"], \"focus\": 2, \"antecedents\": [0, 1],"
  " \"references\": {\"blankout\": [0.5, 0.1, 0.9]},"
  " \"attention\": [[[1, 0, 0], [0, 1, 0], [0.2, 0.6, 0.2]],"
  "                 [[1, 0, 0], [0, 1, 0], [0.7, 0.1, 0.2]]]},"
  "{\"id\": \"b\", \"tokens\": [\"p\", \"q\", \"r\", \"it\"], \"focus\": 3, \"antecedents\": [1, 0, 2],"
  " \"references\": {\"blankout\": [0.2, 0.2, 0, 0.9], \"gradient\": [0, 1, 0, 0]},"
  " \"attention\": [[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0.3, 0.3, 0.1, 0.3]],"
  "                 [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0.1, 0.5, 0.1, 0.3]]]},"
  "{\"id\": \"c\", \"tokens\": [\"x\", \"it\"], \"focus\": 1, \"antecedents\": [0],"
  " \"attention\": [[[1, 0], [0.5, 0.5]], [[1, 0], [0.5, 0.5]]]},"
  "{\"id\": \"d\", \"tokens\": [\"x\", \"it\"], \"focus\": 1,"
  " \"attention\": [[[1, 0], [0.5, 0.5]], [[1, 0], [0.5, 0.5]]]}"
  "]}";

/* By hand, α = 0.5. Per example and method, L x k values.
 * a, raw: the focus rows. Rollout: Â1[2] = [.1, .3, .6]; Â2[2] = [.35, .05, .6],
 *   R2[2] = .35 e0 + .05 e1 + .6 [.1, .3, .6] = [.41, .23, .36].
 *   Flow at layer 2: sink 0: .35 + min (.6, .1) = .45; sink 1: .05 + .3 = .35;
 *   sink 2: .6; over the sum 1.4.
 * b, raw: [.3, .3, .1] then [.5, .1, .1]. Rollout: Â1[3] = [.15, .15, .05, .65];
 *   Â2[3] = [.05, .25, .05, .65], R2[3] = [.1475, .3475, .0825, .4225].
 *   Flow at layer 2: sink 0: .05 + .15; sink 1: .25 + .15; sink 2: .05 + .05;
 *   sink 3: .65; over the sum 1.35. */
static const double expected_a[ATTN_N_METHODS][4] = {
  { 0.2, 0.6, 0.7, 0.1 },
  { 0.1, 0.3, 0.41, 0.23 },
  { 0.1, 0.3, 0.45 / 1.4, 0.35 / 1.4 },
};
static const double expected_b[ATTN_N_METHODS][6] = {
  { 0.3, 0.3, 0.1, 0.5, 0.1, 0.1 },
  { 0.15, 0.15, 0.05, 0.3475, 0.1475, 0.0825 },
  { 0.15, 0.15, 0.05, 0.4 / 1.35, 0.2 / 1.35, 0.1 / 1.35 },
};

static AttnDocument *
load (const char *json)
{
  g_autoptr(GError) error = NULL;
  AttnDocument *document = attn_document_load_from_data (json, strlen (json), NULL, NULL, &error);

  g_assert_no_error (error);
  return document;
}

static void
test_outcome (void)
{
  const double win[] = { 0.5, 0.2, 0.3 };
  const double miss[] = { 0.3, 0.2, 0.5 };
  const double tie[] = { 0.3, 0.3 + 1e-12, 0.1 };
  const double near[] = { 0.3 + 2e-9, 0.3, 0.1 };

  g_assert_cmpint (attn_antecedent_outcome (win, 3), ==, ATTN_ANTECEDENT_WIN);
  g_assert_cmpint (attn_antecedent_outcome (miss, 3), ==, ATTN_ANTECEDENT_MISS);
  g_assert_cmpint (attn_antecedent_outcome (miss, 2), ==, ATTN_ANTECEDENT_WIN);
  g_assert_cmpint (attn_antecedent_outcome (tie, 3), ==, ATTN_ANTECEDENT_TIE);
  g_assert_cmpint (attn_antecedent_outcome (tie + 1, 2), ==, ATTN_ANTECEDENT_WIN);
  g_assert_cmpint (attn_antecedent_outcome (near, 3), ==, ATTN_ANTECEDENT_WIN);
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  GArray *seen = user_data;

  g_array_append_val (seen, fraction);
}

static void
assert_values (const double *values,
               const double *expected,
               gsize         n)
{
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (values[i], expected[i], 1e-12);
}

static void
test_run (void)
{
  g_autoptr(AttnDocument) document = load (document_json);
  g_autoptr(AttnGraphSettings) settings = attn_graph_settings_new_default ();
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnAntecedents) result = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *line = NULL;
  const guint *wins, *ties;
  guint won, tied, n;

  result = attn_antecedents_run (document, settings, ATTN_CORRELATION_ALL, progress_cb, seen,
                                 NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attn_antecedents_get_n_layers (result), ==, 2);
  g_assert_cmpuint (attn_antecedents_get_n_examples (result), ==, 2);
  g_assert_cmpuint (attn_antecedents_get_n_left_out (result), ==, 1);
  g_assert_cmpstr (attn_example_get_id (attn_antecedents_get_example (result, 0)), ==, "a");
  g_assert_cmpstr (attn_example_get_id (attn_antecedents_get_example (result, 1)), ==, "b");

  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    {
      assert_values (attn_antecedents_get_values (result, 0, m), expected_a[m], 4);
      assert_values (attn_antecedents_get_values (result, 1, m), expected_b[m], 6);
      /* layer 1: a misses, b ties; layer 2: both win */
      g_assert_cmpint (attn_antecedents_get_outcome (result, 0, m, 1), ==, ATTN_ANTECEDENT_MISS);
      g_assert_cmpint (attn_antecedents_get_outcome (result, 1, m, 1), ==, ATTN_ANTECEDENT_TIE);
      g_assert_cmpint (attn_antecedents_get_outcome (result, 0, m, 2), ==, ATTN_ANTECEDENT_WIN);
      g_assert_cmpint (attn_antecedents_get_outcome (result, 1, m, 2), ==, ATTN_ANTECEDENT_WIN);
      g_assert_cmpfloat (attn_antecedents_get_share (result, m, 1), ==, 0.);
      g_assert_cmpfloat (attn_antecedents_get_share (result, m, 2), ==, 1.);
    }
  wins = attn_antecedents_get_wins (result);
  ties = attn_antecedents_get_ties (result);
  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    {
      g_assert_cmpuint (wins[m * 2], ==, 0);
      g_assert_cmpuint (ties[m * 2], ==, 1);
      g_assert_cmpuint (wins[m * 2 + 1], ==, 2);
      g_assert_cmpuint (ties[m * 2 + 1], ==, 0);
    }

  /* progress: from 0 to 1, never back */
  g_assert_cmpuint (seen->len, >=, 3);
  g_assert_cmpfloat (g_array_index (seen, double, 0), ==, 0.);
  g_assert_cmpfloat (g_array_index (seen, double, seen->len - 1), ==, 1.);
  for (guint i = 1; i < seen->len; i++)
    g_assert_cmpfloat (g_array_index (seen, double, i), >=, g_array_index (seen, double, i - 1));

  g_assert_cmpuint (attn_antecedents_get_n_references (result), ==, 2);
  g_assert_cmpstr (attn_antecedents_get_reference (result, 0, &won, &tied, &n), ==, "blankout");
  g_assert_cmpuint (won, ==, 1);
  g_assert_cmpuint (tied, ==, 1);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (attn_antecedents_get_reference (result, 1, &won, &tied, &n), ==, "gradient");
  g_assert_cmpuint (won, ==, 1);
  g_assert_cmpuint (tied, ==, 0);
  g_assert_cmpuint (n, ==, 1);

  csv = attn_antecedents_to_csv (result);
  g_assert_cmpstr (csv, ==,
                   "method,layer,share,wins,ties,examples,weights,residual,heads,head_mix\n"
                   "raw,1,0,0,1,2,attention,0.5,all,mean\nraw,2,1,2,0,2,attention,0.5,all,mean\n"
                   "rollout,1,0,0,1,2,attention,0.5,all,mean\nrollout,2,1,2,0,2,attention,0.5,all,mean\n"
                   "flow,1,0,0,1,2,attention,0.5,all,mean\nflow,2,1,2,0,2,attention,0.5,all,mean\n"
                   "blankout,,0.5,1,1,2,attention,0.5,all,mean\n"
                   "gradient,,1,1,0,1,attention,0.5,all,mean\n");
  /* the attention given without heads ([L][n][n]): none to choose or mix */
  line = attn_antecedents_describe (result, "t.json", FALSE);
  g_assert_cmpstr (line, ==, "t.json: 2 examples; residual 0.5, heads do not apply (weights without heads); "
                             "1 example with one candidate left out");
}

static void
test_share_text (void)
{
  g_autofree char *plain = attn_antecedents_format_share (23, 0, 44);
  g_autofree char *tied = attn_antecedents_format_share (20, 4, 44);

  g_assert_cmpstr (plain, ==, "52.3% (23/44)");
  g_assert_cmpstr (tied, ==, "45.5% (20/44, 4 tied)");
}

/* Pick: the antecedents' columns, in their order */
static void
test_pick (void)
{
  g_autoptr(AttnDocument) document = load (document_json);
  AttnExample *b = attn_document_find_example (document, "b", NULL);
  const double values[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  double out[6];
  const double expected[6] = { 2, 1, 3, 6, 5, 7 };

  attn_antecedent_pick (b, values, out);
  assert_values (out, expected, 6);
}

/* Other settings and one method: the others are not computed */
static void
test_settings (void)
{
  g_autoptr(AttnDocument) document = load (document_json);
  g_autoptr(AttnGraphSettings) settings = attn_graph_settings_new (0., ATTN_HEAD_MIX_MEAN, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnAntecedents) result = NULL;
  g_autofree char *csv = NULL;
  const double *values;

  result = attn_antecedents_run (document, settings, ATTN_CORRELATION_ROLLOUT, NULL, NULL, NULL,
                                 &error);
  g_assert_no_error (error);
  g_assert_true (attn_antecedents_get_settings (result) == settings);
  g_assert_cmpint (attn_antecedents_get_methods (result), ==, ATTN_CORRELATION_ROLLOUT);
  /* α = 0: rollout is the product of the raw matrices: for a at layer 2,
   * .7 e0 + .1 e1 + .2 [.2, .6, .2] = [.74, .22, .04] */
  values = attn_antecedents_get_values (result, 0, ATTN_METHOD_ROLLOUT);
  assert_values (values, (const double[]) { 0.2, 0.6, 0.74, 0.22 }, 4);
  g_assert_true (isnan (attn_antecedents_get_values (result, 0, ATTN_METHOD_FLOW)[0]));
  g_assert_true (isnan (attn_antecedents_get_share (result, ATTN_METHOD_RAW, 1)));
  g_assert_cmpint (attn_antecedents_get_outcome (result, 0, ATTN_METHOD_FLOW, 2), ==,
                   ATTN_ANTECEDENT_MISS);
  csv = attn_antecedents_to_csv (result);
  g_assert_cmpstr (csv, ==, "method,layer,share,wins,ties,examples,weights,residual,heads,head_mix\n"
                            "rollout,1,0,0,1,2,attention,0,all,mean\nrollout,2,1,2,0,2,attention,0,all,mean\n"
                            "blankout,,0.5,1,1,2,attention,0,all,mean\ngradient,,1,1,0,1,attention,0,all,mean\n");
  /* a table of several kinds: the weights lead, the settings follow */
  {
    g_autoptr(GString) rows = g_string_new (NULL);

    attn_antecedents_append_csv_table (result, rows, ATTN_CSV_WEIGHTS_FIRST | ATTN_CSV_NO_HEADER);
    g_assert_cmpstr (rows->str, ==, "attention,rollout,1,0,0,1,2,0,all,mean\n"
                                    "attention,rollout,2,1,2,0,2,0,all,mean\n"
                                    "attention,blankout,,0.5,1,1,2,0,all,mean\n"
                                    "attention,gradient,,1,1,0,1,0,all,mean\n");
  }
}

static void
test_errors (void)
{
  g_autoptr(AttnDocument) none = load ("{\"tokens\": [\"x\", \"it\"], \"focus\": 1,"
                                       " \"attention\": [[[1, 0], [0.5, 0.5]]]}");
  g_autoptr(AttnDocument) single = load ("{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
                                         "{\"id\": \"s\", \"tokens\": [\"x\", \"it\"], \"focus\": 1,"
                                         " \"antecedents\": [0], \"attention\": [[[1, 0], [0.5, 0.5]]]}]}");
  g_autoptr(AttnDocument) models = load ("{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
                                         "{\"id\": \"two\", \"tokens\": [\"x\", \"y\", \"it\"], \"focus\": 2,"
                                         " \"antecedents\": [0, 1], \"attention\": [[[1, 0, 0], [0, 1, 0], [0.2, 0.6, 0.2]],"
                                         " [[1, 0, 0], [0, 1, 0], [0.2, 0.6, 0.2]]]},"
                                         "{\"id\": \"one\", \"tokens\": [\"x\", \"y\", \"it\"], \"focus\": 2,"
                                         " \"antecedents\": [0, 1], \"attention\": [[[1, 0, 0], [0, 1, 0], [0.2, 0.6, 0.2]]]}]}");
  g_autoptr(AttnDocument) document = load (document_json);
  g_autoptr(AttnGraphSettings) settings = attn_graph_settings_new_default ();
  g_autoptr(AttnGraphSettings) bad_head = attn_graph_settings_new (0.5, ATTN_HEAD_MIX_MEAN, "3", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;

  g_assert_null (attn_antecedents_run (none, settings, ATTN_CORRELATION_ALL, NULL, NULL, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "No example carries antecedents"));
  g_clear_error (&error);

  g_assert_null (attn_antecedents_run (single, settings, ATTN_CORRELATION_ALL, NULL, NULL, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "one candidate only"));
  g_clear_error (&error);

  g_assert_null (attn_antecedents_run (models, settings, ATTN_CORRELATION_ALL, NULL, NULL, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“one” has 1 layer, "));
  g_clear_error (&error);

  g_assert_null (attn_antecedents_run (document, bad_head, ATTN_CORRELATION_ALL, NULL, NULL, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“a”"));
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_null (attn_antecedents_run (document, settings, ATTN_CORRELATION_ALL, NULL, NULL,
                                       cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
}

/* The example a comparison starts with: the other sentence of a minimal
 * pair, else the nearest of as many layers */
static void
test_partner (void)
{
#define ONE_LAYER(tokens) "\"tokens\": " tokens ", \"attention\": [[[1, 0, 0], [0, 1, 0], [0, 0, 1]]]}"
  static const char json[] =
    "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
    "{\"id\": \"x-his\", " ONE_LAYER ("[\"the\", \"x\", \"his\"]") ","
    "{\"id\": \"x-her\", " ONE_LAYER ("[\"the\", \"x\", \"her\"]") ","
    "{\"id\": \"y-his\", " ONE_LAYER ("[\"a\", \"y\", \"his\"]") ","
    "{\"id\": \"y-her\", " ONE_LAYER ("[\"a\", \"y\", \"her\"]") ","
    "{\"id\": \"z\", \"tokens\": [\"the\", \"z\"], \"attention\": [[[1, 0], [0, 1]]]},"
    "{\"id\": \"w\", \"tokens\": [\"the\", \"x\", \"his\"],"
    " \"attention\": [[[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]]}"
    "]}";
#undef ONE_LAYER
  g_autoptr(AttnDocument) document = load (json);
  AttnExample *examples[6];

  for (guint i = 0; i < 6; i++)
    examples[i] = attn_document_get_example (document, i);
  g_assert_cmpuint (attn_examples_count_differences (examples[0], examples[1]), ==, 1);
  g_assert_cmpuint (attn_examples_count_differences (examples[1], examples[2]), ==, 3);
  g_assert_cmpuint (attn_examples_count_differences (examples[0], examples[4]), ==, G_MAXUINT);
  g_assert_true (attn_examples_are_minimal_pair (examples[0], examples[1]));
  g_assert_false (attn_examples_are_minimal_pair (examples[1], examples[2]));
  g_assert_false (attn_examples_are_minimal_pair (examples[0], examples[4]));

  /* x-her: x-his before it, not the next one, y-his */
  g_assert_cmpint (attn_examples_find_partner (examples, 6, 0), ==, 1);
  g_assert_cmpint (attn_examples_find_partner (examples, 6, 1), ==, 0);
  g_assert_cmpint (attn_examples_find_partner (examples, 6, 2), ==, 3);
  g_assert_cmpint (attn_examples_find_partner (examples, 6, 3), ==, 2);
  /* no pair: the nearest of as many layers (w has two) */
  g_assert_cmpint (attn_examples_find_partner (examples, 6, 4), ==, 3);
  g_assert_cmpint (attn_examples_find_partner (examples, 6, 5), ==, -1);
  g_assert_cmpint (attn_examples_find_partner (examples, 5, 4), ==, 3);
  g_assert_cmpint (attn_examples_find_partner (examples, 4, 2), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attn/core/antecedents/outcome", test_outcome);
  g_test_add_func ("/attn/core/antecedents/run", test_run);
  g_test_add_func ("/attn/core/antecedents/share-text", test_share_text);
  g_test_add_func ("/attn/core/antecedents/pick", test_pick);
  g_test_add_func ("/attn/core/antecedents/settings", test_settings);
  g_test_add_func ("/attn/core/antecedents/errors", test_errors);
  g_test_add_func ("/attn/core/antecedents/partner", test_partner);

  return g_test_run ();
}
