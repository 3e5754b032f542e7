/* test-golden.c: raw attention and rollout against the golden values
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/data/expected/ holds raw, rollout and flow for every node of six real
 * examples, computed by an independent numpy/networkx reference (see its
 * README). Here raw and rollout are checked for every node of every layer.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "attn-core.h"
#include "attn-test-util.h"

#define TOLERANCE 1e-9

typedef struct
{
  const char *golden;
  const char *input_dir;  /* relative to tests/ */
  guint       n_layers;
  guint       n;
} GoldenCase;

static const GoldenCase cases[] = {
  { "bert-base-uncased.rabbit-turtle.json", "../data/examples", 12, 11 },
  { "bert-base-uncased.cat-mat.json", "../data/examples", 12, 15 },
  { "distilbert-base-uncased.fox.json", "data", 6, 11 },
  { "gpt2.fox.json", "data", 12, 10 },
  { "sst2-bert.sst2-0551.json", "../data/examples", 12, 23 },
  { "sst2-bert.sst2-1125.json", "../data/examples", 12, 23 },
};

/* Compares X[l-1][p][*] of the golden array @member with @values. */
static void
assert_row (JsonObject   *golden,
            const char   *member,
            guint         layer,
            guint         position,
            const double *values,
            guint         n)
{
  JsonArray *layers = json_object_get_array_member (golden, member);
  JsonArray *rows = json_array_get_array_element (layers, layer - 1);
  JsonArray *row = json_array_get_array_element (rows, position);

  g_assert_cmpuint (json_array_get_length (row), ==, n);
  for (guint j = 0; j < n; j++)
    {
      double expected = json_array_get_double_element (row, j);

      if (fabs (values[j] - expected) > TOLERANCE)
        g_error ("%s[%u][%u][%u]: expected %.17g, got %.17g", member, layer - 1, position, j,
                 expected, values[j]);
    }
}

static void
test_golden (gconstpointer data)
{
  const GoldenCase *c = data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(AttnGraph) graph = NULL;
  g_autofree char *input = NULL;
  g_autofree double *matrices = NULL;
  g_autofree double *position_rows = NULL;
  g_autofree double *node = NULL;
  JsonObject *golden;
  AttnExample *example;
  JsonArray *tokens;
  guint L, n;

  golden = attn_test_load_golden (parser, c->golden);
  input = g_test_build_filename (G_TEST_DIST, c->input_dir,
                                 json_object_get_string_member (golden, "file"), NULL);
  document = attn_document_load (input, NULL, &error);
  g_assert_no_error (error);

  example = attn_document_find_example (document, json_object_get_string_member (golden, "example"),
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpstr (attn_example_get_id (example), ==,
                   json_object_get_string_member (golden, "example"));

  L = attn_example_get_n_layers (example);
  n = attn_example_get_n_tokens (example);
  g_assert_cmpuint (L, ==, c->n_layers);
  g_assert_cmpuint (n, ==, c->n);
  g_assert_cmpuint (L, ==, json_object_get_int_member (golden, "n_layers"));
  g_assert_cmpuint (n, ==, json_object_get_int_member (golden, "n"));
  tokens = json_object_get_array_member (golden, "tokens");
  for (guint j = 0; j < n; j++)
    g_assert_cmpstr (attn_example_get_token (example, j), ==,
                     json_array_get_string_element (tokens, j));

  /* The golden settings: all heads, mean, residual 0.5 (the defaults). */
  graph = attn_graph_new (example, NULL, NULL, &error);
  g_assert_no_error (error);

  matrices = g_new (double, (gsize) L * n * n);
  attn_rollout_matrices (graph, matrices, NULL, &error);
  g_assert_no_error (error);
  position_rows = g_new (double, (gsize) L * n);
  node = g_new (double, n);

  for (guint p = 0; p < n; p++)
    {
      attn_rollout_position (graph, p, position_rows, NULL, &error);
      g_assert_no_error (error);

      for (guint l = 1; l <= L; l++)
        {
          attn_graph_read_mixed_row (graph, l, p, node);
          assert_row (golden, "raw", l, p, node, n);
          assert_row (golden, "rollout", l, p, matrices + ((gsize) (l - 1) * n + p) * n, n);
          assert_row (golden, "rollout", l, p, position_rows + (gsize) (l - 1) * n, n);

          attn_rollout_node (graph, l, p, node, NULL, &error);
          g_assert_no_error (error);
          assert_row (golden, "rollout", l, p, node, n);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/attn/core/golden/%s", cases[i].golden);
      g_test_add_data_func (name, &cases[i], test_golden);
    }

  return g_test_run ();
}
