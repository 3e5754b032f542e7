/* test-statistics.c: Spearman's ρ against scipy.stats.spearmanr
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The expected values in tests/data/spearman.json come from
 * tests/generators/gen-spearman-fixtures.py (scipy 1.10); those in
 * tests/data/correlate-sst2.json (ρ per example and layer on the bundled SST-2
 * examples) from tests/generators/gen-correlate-fixtures.py (numpy + scipy, and the
 * golden flow values).
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "attn-core.h"

static JsonParser *fixtures;

static double *
read_vector (JsonObject *object,
             const char *member,
             guint      *n)
{
  JsonArray *array = json_object_get_array_member (object, member);
  double *values;

  *n = json_array_get_length (array);
  values = g_new (double, *n);
  for (guint i = 0; i < *n; i++)
    values[i] = json_array_get_double_element (array, i);
  return values;
}

static void
assert_rho (double      actual,
            JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (JSON_NODE_HOLDS_NULL (node))
    g_assert_true (isnan (actual));
  else
    g_assert_cmpfloat_with_epsilon (actual, json_node_get_double (node), 1e-12);
}

static void
test_scipy_case (gconstpointer data)
{
  JsonObject *c = (JsonObject *) data;
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  guint nx, ny;
  double rho;

  x = read_vector (c, "x", &nx);
  y = read_vector (c, "y", &ny);
  g_assert_cmpuint (nx, ==, ny);

  rho = attn_spearman (x, y, nx);
  assert_rho (rho, c, "rho");
  /* Symmetric in its arguments. */
  assert_rho (attn_spearman (y, x, nx), c, "rho");

  if (json_object_has_member (c, "x_snapped"))
    {
      g_autofree double *xs = NULL;
      g_autofree double *ys = NULL;
      g_autofree double *snapped = g_new (double, nx);
      JsonNode *unsnapped = json_object_get_member (c, "rho_without_snapping");

      xs = read_vector (c, "x_snapped", &nx);
      ys = read_vector (c, "y_snapped", &ny);
      attn_snap_ties (x, nx, ATTN_TIE_TOLERANCE, snapped);
      for (guint i = 0; i < nx; i++)
        g_assert_cmpfloat (snapped[i], ==, xs[i]);
      attn_snap_ties (y, ny, ATTN_TIE_TOLERANCE, snapped);
      for (guint i = 0; i < ny; i++)
        g_assert_cmpfloat (snapped[i], ==, ys[i]);

      /* The case is only a test of snapping if snapping changes the answer. */
      g_assert_false (JSON_NODE_HOLDS_NULL (unsnapped));
      g_assert_cmpfloat (fabs (rho - json_node_get_double (unsnapped)), >, 1e-3);
    }
}

static void
test_rank_average (void)
{
  const double values[] = { 3., 1., 4., 1., 5., 9., 2., 6., 5., 3., 5. };
  /* scipy.stats.rankdata(values) */
  const double expected[] = { 4.5, 1.5, 6., 1.5, 8., 11., 3., 10., 8., 4.5, 8. };
  double ranks[G_N_ELEMENTS (values)];

  attn_rank_average (values, G_N_ELEMENTS (values), ranks);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpfloat (ranks[i], ==, expected[i]);
}

static void
test_snap_in_place (void)
{
  double values[] = { 0.5, 0.5 + 1e-16, 0.5 - 1e-16, 0.25 };

  attn_snap_ties (values, G_N_ELEMENTS (values), ATTN_TIE_TOLERANCE, values);
  g_assert_cmpfloat (values[0], ==, 0.5 - 1e-16);
  g_assert_cmpfloat (values[1], ==, 0.5 - 1e-16);
  g_assert_cmpfloat (values[2], ==, 0.5 - 1e-16);
  g_assert_cmpfloat (values[3], ==, 0.25);
}

static void
test_degenerate (void)
{
  const double one[] = { 1. };
  const double with_nan[] = { 1., NAN, 3. };
  const double fine[] = { 1., 2., 3. };

  g_assert_true (isnan (attn_spearman (one, one, 1)));
  g_assert_true (isnan (attn_spearman (NULL, NULL, 0)));
  g_assert_true (isnan (attn_spearman (with_nan, fine, 3)));
  g_assert_cmpfloat (attn_spearman (fine, fine, 3), ==, 1.);
}

static void
test_mean_std (void)
{
  const double values[] = { 0.5, NAN, 0.25, 1.0, NAN };
  const double single[] = { 0.75, NAN };
  const double none[] = { NAN };
  double mean, std;
  guint n_nan;

  attn_mean_std (values, G_N_ELEMENTS (values), &mean, &std, &n_nan);
  g_assert_cmpfloat_with_epsilon (mean, 0.5833333333333334, 1e-15);
  /* numpy.std([0.5, 0.25, 1.0], ddof=1) */
  g_assert_cmpfloat_with_epsilon (std, 0.38188130791298663, 1e-15);
  g_assert_cmpuint (n_nan, ==, 2);

  attn_mean_std (single, G_N_ELEMENTS (single), &mean, &std, &n_nan);
  g_assert_cmpfloat (mean, ==, 0.75);
  g_assert_true (isnan (std));
  g_assert_cmpuint (n_nan, ==, 1);

  attn_mean_std (none, G_N_ELEMENTS (none), &mean, &std, &n_nan);
  g_assert_true (isnan (mean));
  g_assert_true (isnan (std));
  g_assert_cmpuint (n_nan, ==, 1);
}

static void
assert_rho_array (const double *actual,
                  JsonArray    *expected,
                  guint         L)
{
  g_assert_cmpuint (json_array_get_length (expected), ==, L);
  for (guint l = 0; l < L; l++)
    {
      JsonNode *node = json_array_get_element (expected, l);

      if (JSON_NODE_HOLDS_NULL (node))
        g_assert_true (isnan (actual[l]));
      else
        g_assert_cmpfloat_with_epsilon (actual[l], json_node_get_double (node), 1e-12);
    }
}

static void
check_correlate_fixture (const char *variant,
                         gboolean    exclude_special)
{
  g_autofree char *input = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                  "sst2-bert.json", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "correlate-sst2.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  const char * const names[] = { "raw", "rollout", "flow" };
  JsonArray *per_example;
  guint n_flow = 0;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  per_example = json_object_get_array_member (
      json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), variant),
      "per_example");

  document = attn_document_load (input, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attn_document_get_n_examples (document), ==, json_array_get_length (per_example));

  for (guint e = 0; e < attn_document_get_n_examples (document); e++)
    {
      AttnExample *example = attn_document_get_example (document, e);
      JsonObject *expected = json_array_get_object_element (per_example, e);
      g_autoptr(AttnGraph) graph = attn_graph_new (example, NULL, NULL, &error);
      guint L = attn_example_get_n_layers (example);
      g_autofree double *rho = g_new (double, ATTN_N_METHODS * L);
      gboolean with_flow = json_object_has_member (expected, "flow");

      g_assert_no_error (error);
      g_assert_cmpstr (attn_example_get_id (example), ==,
                       json_object_get_string_member (expected, "id"));

      /* Flow only where golden flow exists (it is the slow part). */
      attn_correlate_example (graph, "gradient",
                              ATTN_CORRELATION_RAW | ATTN_CORRELATION_ROLLOUT |
                              (with_flow ? ATTN_CORRELATION_FLOW : 0),
                              exclude_special, NULL, rho, NULL, &error);
      g_assert_no_error (error);

      for (guint m = 0; m < ATTN_N_METHODS; m++)
        {
          if (!json_object_has_member (expected, names[m]))
            {
              /* not asked for: NaN */
              for (guint l = 0; l < L; l++)
                g_assert_true (isnan (rho[m * L + l]));
              continue;
            }
          assert_rho_array (rho + m * L, json_object_get_array_member (expected, names[m]), L);
          n_flow += m == 2;
        }
    }
  g_assert_cmpuint (n_flow, ==, 2);
}

static void
test_correlate_example (void)
{
  check_correlate_fixture ("all_tokens", FALSE);
  check_correlate_fixture ("exclude_special", TRUE);
}

static void
test_correlate_errors (void)
{
  static const char * const tokens[] = { "[CLS]", "a", "[SEP]", NULL };
  const double attention[] = { 0.5, 0.25, 0.25, 0.25, 0.5, 0.25, 0.25, 0.25, 0.5 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnExample) example = attn_example_new_from_doubles ("plain", tokens, 1, 1,
                                                                  attention, &error);
  g_autoptr(AttnGraph) graph = NULL;
  double rho[ATTN_N_METHODS];

  g_assert_no_error (error);
  graph = attn_graph_new (example, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_false (attn_correlate_example (graph, "gradient", ATTN_CORRELATION_ALL, FALSE, NULL,
                                          rho, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "plain"));
  g_assert_nonnull (strstr (error->message, "gradient"));
}

/* Two examples, L = 2: summary per method and layer, NaN left out and
 * counted; the CSV of `attnflow-cli correlate --format csv`. */
static void
test_correlation_summary (void)
{
  const double rho[2 * ATTN_N_METHODS * 2] = {
    /* example 0: raw l1, l2, rollout l1, l2, flow l1, l2 */
    0.5, -0.25, NAN, 1., 0.125, NAN,
    /* example 1 */
    0.25, 0.75, NAN, 0.5, NAN, NAN,
  };
  double mean[ATTN_N_METHODS * 2], std[ATTN_N_METHODS * 2];
  guint nan_count[ATTN_N_METHODS * 2];
  g_autoptr(GString) csv = g_string_new (NULL);

  attn_correlation_summarize (rho, 2, 2, mean, std, nan_count);
  g_assert_cmpfloat (mean[0], ==, 0.375);
  g_assert_cmpfloat_with_epsilon (std[0], sqrt (0.03125), 1e-15);
  g_assert_cmpfloat (mean[1], ==, 0.25);
  g_assert_cmpfloat_with_epsilon (std[1], sqrt (0.5), 1e-15);
  g_assert_true (isnan (mean[2]) && isnan (std[2]));
  g_assert_cmpuint (nan_count[2], ==, 2);
  g_assert_cmpfloat (mean[3], ==, 0.75);
  g_assert_cmpuint (nan_count[3], ==, 0);
  g_assert_cmpfloat (mean[4], ==, 0.125);
  g_assert_true (isnan (std[4]));
  g_assert_cmpuint (nan_count[4], ==, 1);
  g_assert_true (isnan (mean[5]));
  g_assert_cmpuint (nan_count[5], ==, 2);

  attn_correlation_append_csv (csv, ATTN_CORRELATION_RAW | ATTN_CORRELATION_FLOW, 2, 2,
                               mean, std, nan_count, NULL);
  g_assert_cmpstr (csv->str, ==,
                   "method,layer,mean,std,examples,nan_count\n"
                   "raw,1,0.375,0.17677669529663689,2,0\n"
                   "raw,2,0.25,0.70710678118654757,2,0\n"
                   "flow,1,0.125,,1,1\n"
                   "flow,2,,,0,2\n");
}

/* The settings as a table's shared columns: after its own, as the JSON
 * names them, α with 17 digits, the heads quoted; the weights first
 * instead when asked, and no header for a table that continues another */
static void
test_csv_columns (void)
{
  g_autoptr(AttnGraphSettings) settings = attn_graph_settings_new_for_weights (ATTN_WEIGHT_KIND_GLOBENC, 0.1,
                                                                             ATTN_HEAD_MIX_MAX, "3,1", NULL);
  const double mean[2] = { 0.5, NAN }, std[2] = { 0.25, NAN };
  const guint nan_count[2] = { 0, 2 };
  g_autoptr(GString) csv = g_string_new (NULL);

  {
    g_auto(AttnCsvColumns) columns = { 0 };

    attn_csv_columns_init (&columns, "say \"hi\"", settings, ATTN_CSV_DEFAULT);
    attn_csv_columns_add (&columns, "exclude_special", "true");
    attn_correlation_append_csv (csv, ATTN_CORRELATION_RAW, 2, 2, mean, std, nan_count, &columns);
  }
  g_assert_cmpstr (csv->str, ==,
                   "method,layer,mean,std,examples,nan_count,"
                   "reference,weights,residual,heads,head_mix,exclude_special\n"
                   "raw,1,0.5,0.25,2,0,\"say \"\"hi\"\"\",globenc,0.1,\"1,3\",max,true\n"
                   "raw,2,,,0,2,\"say \"\"hi\"\"\",globenc,0.1,\"1,3\",max,true\n");
  g_string_truncate (csv, 0);
  {
    g_auto(AttnCsvColumns) columns = { 0 };

    attn_csv_columns_init (&columns, NULL, settings, ATTN_CSV_WEIGHTS_FIRST | ATTN_CSV_NO_HEADER);
    attn_correlation_append_csv (csv, ATTN_CORRELATION_RAW, 1, 2, mean, std, nan_count, &columns);
  }
  g_assert_cmpstr (csv->str, ==, "globenc,raw,1,0.5,0.25,2,0,0.1,\"1,3\",max\n");
}

/* A table's fields: quoted (RFC 4180) where they hold the separator, a
 * quote, a line break or an outer space; a comma is plain in a tab-separated
 * table and a tab in a CSV */
static void
test_table_field (void)
{
  const struct
  {
    const char *text;
    char        separator;
    const char *written;
  } cases[] = {
    { "sat", ',', "sat" },
    { "a,b", ',', "\"a,b\"" },
    { "a,b", '\t', "a,b" },
    { "a\tb", '\t', "\"a\tb\"" },
    { "a\tb", ',', "a\tb" },
    { "say \"hi\"", '\t', "\"say \"\"hi\"\"\"" },
    { "two\nlines", ',', "\"two\nlines\"" },
    { " the", '\t', "\" the\"" },
    { "", ',', "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      attn_append_table_field (out, cases[i].text, cases[i].separator);
      g_assert_cmpstr (out->str, ==, cases[i].written);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *cases;
  int status;

  g_test_init (&argc, &argv, NULL);

  path = g_test_build_filename (G_TEST_DIST, "data", "spearman.json", NULL);
  fixtures = json_parser_new ();
  json_parser_load_from_file (fixtures, path, &error);
  g_assert_no_error (error);

  cases = json_object_get_array_member (json_node_get_object (json_parser_get_root (fixtures)),
                                        "cases");
  g_assert_cmpuint (json_array_get_length (cases), >=, 15);
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      g_autofree char *name = g_strdup_printf ("/attn/core/statistics-scipy/%s",
                                               json_object_get_string_member (c, "name"));
      g_test_add_data_func (name, c, test_scipy_case);
    }
  g_test_add_func ("/attn/core/statistics/rank-average", test_rank_average);
  g_test_add_func ("/attn/core/statistics/snap-in-place", test_snap_in_place);
  g_test_add_func ("/attn/core/statistics/degenerate", test_degenerate);
  g_test_add_func ("/attn/core/statistics/mean-std", test_mean_std);
  g_test_add_func ("/attn/core/statistics/correlate-example", test_correlate_example);
  g_test_add_func ("/attn/core/statistics/correlate-errors", test_correlate_errors);
  g_test_add_func ("/attn/core/statistics/correlation-summary", test_correlation_summary);
  g_test_add_func ("/attn/core/statistics/csv-columns", test_csv_columns);
  g_test_add_func ("/attn/core/statistics/table-field", test_table_field);

  status = g_test_run ();
  g_object_unref (fixtures);
  return status;
}
