/* test-flow.c: attention flow against the golden values and hand-known graphs
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "attn-core.h"
#include "attn-test-util.h"
#include "attn-flow-private.h"

#define GOLDEN_TOLERANCE 1e-9

/* ---- helpers ---- */

static AttnGraph *
graph_from_mixed (guint         L,
                  guint         n,
                  const double *mixed,
                  double        residual)
{
  g_autoptr(GError) error = NULL;
  AttnGraph *graph = attn_graph_new_from_matrices (L, n, mixed, residual, &error);

  g_assert_no_error (error);
  g_assert_nonnull (graph);
  return graph;
}

/* A small deterministic generator (tests must not depend on g_random). */
static double
next_uniform (guint64 *state)
{
  *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double) (*state >> 11) / 9007199254740992.;
}

/* Random row-stochastic matrices; with @causal, row q attends only to k <= q.
 * Some entries are exact zeros, some tiny (1e-17 relative). */
static double *
random_mixed (guint    L,
              guint    n,
              gboolean causal,
              guint64  seed)
{
  double *w = g_new0 (double, (gsize) L * n * n);
  guint64 state = seed;

  for (guint l = 0; l < L; l++)
    for (guint q = 0; q < n; q++)
      {
        double *row = w + ((gsize) l * n + q) * n;
        double sum = 0.;

        for (guint k = 0; k < n; k++)
          {
            double u = next_uniform (&state);

            if (causal && k > q)
              row[k] = 0.;
            else if (u < 0.2)
              row[k] = 0.;
            else if (u < 0.3)
              row[k] = 1e-17 * u;
            else
              row[k] = exp (4. * next_uniform (&state));
            sum += row[k];
          }
        if (sum == 0.)
          {
            row[causal ? q : 0] = 1.;
            sum = 1.;
          }
        for (guint k = 0; k < n; k++)
          row[k] /= sum;
      }
  return w;
}

/* Realistic synthetic attention: softmax rows with an attention sink on the
 * first and last tokens, diagonal and previous-token structure. */
static double *
synthetic_mixed (guint   L,
                 guint   n,
                 guint64 seed)
{
  double *w = g_new0 (double, (gsize) L * n * n);
  guint64 state = seed;

  for (guint l = 0; l < L; l++)
    for (guint q = 0; q < n; q++)
      {
        double *row = w + ((gsize) l * n + q) * n;
        double sum = 0.;

        for (guint k = 0; k < n; k++)
          {
            double logit = 2. * next_uniform (&state);

            if (k == 0 || k == n - 1)
              logit += 3.;
            if (k == q)
              logit += 1.5;
            if (k + 1 == q)
              logit += 1.;
            row[k] = exp (logit);
            sum += row[k];
          }
        for (guint k = 0; k < n; k++)
          row[k] /= sum;
      }
  return w;
}

/* ---- an independent reference: Edmonds-Karp on an explicit graph ---- */

static double
reference_max_flow (AttnGraph *graph,
                    guint      layer,
                    guint      position,
                    guint      sink)
{
  guint n = attn_graph_get_n_tokens (graph);
  guint V = (layer + 1) * n;
  g_autofree double *cap = g_new0 (double, (gsize) V * V);
  g_autofree int *prev = g_new (int, V);
  g_autofree guint *queue = g_new (guint, V);
  guint s = layer * n + position, t = sink;
  double value = 0.;

  for (guint l = 1; l <= layer; l++)
    {
      const double *a = attn_graph_get_augmented (graph, l);

      for (guint q = 0; q < n; q++)
        for (guint k = 0; k < n; k++)
          cap[(gsize) (l * n + q) * V + (l - 1) * n + k] = a[(gsize) q * n + k];
    }

  for (;;)
    {
      guint head = 0, tail = 0;
      double b = INFINITY;

      for (guint v = 0; v < V; v++)
        prev[v] = -1;
      prev[s] = (int) s;
      queue[tail++] = s;
      while (head < tail && prev[t] < 0)
        {
          guint u = queue[head++];

          for (guint v = 0; v < V; v++)
            if (prev[v] < 0 && cap[(gsize) u * V + v] > 0.)
              {
                prev[v] = (int) u;
                queue[tail++] = v;
              }
        }
      if (prev[t] < 0)
        break;
      for (guint v = t; v != s; v = (guint) prev[v])
        b = MIN (b, cap[(gsize) prev[v] * V + v]);
      for (guint v = t; v != s; v = (guint) prev[v])
        {
          cap[(gsize) prev[v] * V + v] -= b;
          cap[(gsize) v * V + prev[v]] += b;
        }
      value += b;
    }
  return value;
}

/* ---- golden files ---- */

typedef struct
{
  const char *expected;
  const char *input_dir; /* "data/examples" or "tests/data", from the source root */
  const char *input;
  const char *example;
} GoldenCase;

static const GoldenCase golden_cases[] = {
  { "bert-base-uncased.rabbit-turtle.json", "data/examples", "bert-base-uncased.json", "rabbit-turtle" },
  { "bert-base-uncased.cat-mat.json", "data/examples", "bert-base-uncased.json", "cat-mat" },
  { "distilbert-base-uncased.fox.json", "tests/data", "distilbert-base-uncased.json", "fox" },
  { "gpt2.fox.json", "tests/data", "gpt2.json", "fox" },
  { "sst2-bert.sst2-0551.json", "data/examples", "sst2-bert.json", "sst2-0551" },
  { "sst2-bert.sst2-1125.json", "data/examples", "sst2-bert.json", "sst2-1125" },
};

static JsonParser *
load_expected (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "expected", name, NULL);
  g_autoptr(GError) error = NULL;
  JsonParser *parser = json_parser_new ();

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return parser;
}

/* Reads member @key, an [L][n][n] array, into a flat array. */
static double *
read_cube (JsonObject *root,
           const char *key,
           guint       L,
           guint       n)
{
  JsonArray *layers = json_object_get_array_member (root, key);
  double *out = g_new (double, (gsize) L * n * n);

  g_assert_nonnull (layers);
  g_assert_cmpuint (json_array_get_length (layers), ==, L);
  for (guint l = 0; l < L; l++)
    {
      JsonArray *rows = json_array_get_array_element (layers, l);

      g_assert_cmpuint (json_array_get_length (rows), ==, n);
      for (guint q = 0; q < n; q++)
        {
          JsonArray *row = json_array_get_array_element (rows, q);

          g_assert_cmpuint (json_array_get_length (row), ==, n);
          for (guint k = 0; k < n; k++)
            out[((gsize) l * n + q) * n + k] = json_array_get_double_element (row, k);
        }
    }
  return out;
}

static void
assert_close (const double *got,
              const double *want,
              gsize         count,
              double        tolerance,
              const char   *what)
{
  for (gsize i = 0; i < count; i++)
    if (!(fabs (got[i] - want[i]) <= tolerance))
      g_error ("%s: entry %" G_GSIZE_FORMAT ": got %.17g, want %.17g", what, i, got[i], want[i]);
}

/* Every node of every layer: attn_flow_layer (normalised and raw) and
 * attn_flow_position (normalised) against the golden cubes. */
static void
check_graph_against_golden (AttnGraph  *graph,
                            JsonObject *root,
                            const char *label)
{
  guint L = attn_graph_get_n_layers (graph);
  guint n = attn_graph_get_n_tokens (graph);
  g_autofree double *flow = read_cube (root, "flow", L, n);
  g_autofree double *raw = read_cube (root, "flow_unnormalized", L, n);
  g_autofree double *got = g_new (double, (gsize) n * n);
  g_autofree double *pos = g_new (double, (gsize) L * n);
  AttnFlowOptions unnormalized = { TRUE, 0, NULL, NULL };
  g_autoptr(GError) error = NULL;

  for (guint l = 1; l <= L; l++)
    {
      g_autofree char *what = g_strdup_printf ("%s layer %u", label, l);
      g_autofree char *what_raw = g_strdup_printf ("%s layer %u unnormalized", label, l);

      g_assert_true (attn_flow_layer (graph, l, NULL, got, NULL, &error));
      g_assert_no_error (error);
      assert_close (got, flow + (gsize) (l - 1) * n * n, (gsize) n * n, GOLDEN_TOLERANCE, what);

      g_assert_true (attn_flow_layer (graph, l, &unnormalized, got, NULL, &error));
      g_assert_no_error (error);
      assert_close (got, raw + (gsize) (l - 1) * n * n, (gsize) n * n, GOLDEN_TOLERANCE, what_raw);
    }

  for (guint p = 0; p < n; p++)
    {
      g_autofree char *what = g_strdup_printf ("%s position %u", label, p);

      g_assert_true (attn_flow_position (graph, p, NULL, pos, NULL, &error));
      g_assert_no_error (error);
      for (guint l = 1; l <= L; l++)
        assert_close (pos + (gsize) (l - 1) * n, flow + ((gsize) (l - 1) * n + p) * n, n,
                      GOLDEN_TOLERANCE, what);
    }

  /* The every-node path (max-flows settled by their lower bound). */
  {
    AttnTestCollected all = { n, 1, g_new (double, (gsize) L * n * n) };

    g_assert_true (attn_flow_layers (graph, 1, L, &unnormalized, attn_test_collect_layer_cb, &all, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (all.next, ==, L + 1);
    assert_close (all.values, raw, (gsize) L * n * n, GOLDEN_TOLERANCE, label);
    g_free (all.values);
  }

  /* attn_flow_node for the top layer, both ways. */
  for (guint p = 0; p < n; p++)
    {
      g_assert_true (attn_flow_node (graph, L, p, &unnormalized, got, NULL, &error));
      g_assert_no_error (error);
      assert_close (got, raw + ((gsize) (L - 1) * n + p) * n, n, GOLDEN_TOLERANCE, label);
    }
}

/* The real input file, through the loader, against the golden values. */
static void
test_flow_golden (gconstpointer data)
{
  const GoldenCase *c = data;
  g_autoptr(JsonParser) parser = load_expected (c->expected);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  g_autofree char *path = NULL;
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(AttnGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  AttnExample *example;

  if (g_str_equal (c->input_dir, "data/examples"))
    path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", c->input, NULL);
  else
    path = g_test_build_filename (G_TEST_DIST, "data", c->input, NULL);

  document = attn_document_load (path, NULL, &error);
  g_assert_no_error (error);
  example = attn_document_find_example (document, c->example, &error);
  g_assert_no_error (error);
  graph = attn_graph_new (example, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attn_graph_get_n_layers (graph), ==,
                    json_object_get_int_member (root, "n_layers"));
  g_assert_cmpuint (attn_graph_get_n_tokens (graph), ==, json_object_get_int_member (root, "n"));

  check_graph_against_golden (graph, root, c->expected);
}

/* The golden file's own head-mixed matrices (`raw`), residual 0.5: checks
 * the engine independently of the loader. */
static void
test_flow_golden_from_raw (gconstpointer data)
{
  const GoldenCase *c = data;
  g_autoptr(JsonParser) parser = load_expected (c->expected);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  guint L = json_object_get_int_member (root, "n_layers");
  guint n = json_object_get_int_member (root, "n");
  g_autofree double *mixed = read_cube (root, "raw", L, n);
  g_autoptr(AttnGraph) graph = graph_from_mixed (L, n, mixed, 0.5);

  check_graph_against_golden (graph, root, c->expected);
}

/* ---- hand-known graphs ---- */

static void
flow_node_raw (AttnGraph *graph,
               guint      layer,
               guint      position,
               double    *out)
{
  AttnFlowOptions unnormalized = { TRUE, 0, NULL, NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (attn_flow_node (graph, layer, position, &unnormalized, out, NULL, &error));
  g_assert_no_error (error);
}

/* n = 1: a chain of L nodes with capacity 1 everywhere. */
static void
test_flow_chain (void)
{
  static const double one[4] = { 1., 1., 1., 1. };
  g_autoptr(AttnGraph) graph = graph_from_mixed (4, 1, one, 0.5);
  double out[1];
  g_autoptr(GError) error = NULL;

  for (guint l = 1; l <= 4; l++)
    {
      flow_node_raw (graph, l, 0, out);
      g_assert_cmpfloat (out[0], ==, 1.);
      g_assert_true (attn_flow_node (graph, l, 0, NULL, out, NULL, &error));
      g_assert_cmpfloat (out[0], ==, 1.);
    }
}

/* L = 1: the flow is the row of Â_1 itself. */
static void
test_flow_single_layer (void)
{
  static const double w[9] = { 0.2, 0.3, 0.5, 0., 1., 0., 0.6, 0.4, 0. };
  g_autoptr(AttnGraph) graph = graph_from_mixed (1, 3, w, 0.5);
  const double *a = attn_graph_get_augmented (graph, 1);
  double out[3];

  for (guint p = 0; p < 3; p++)
    {
      flow_node_raw (graph, 1, p, out);
      for (guint j = 0; j < 3; j++)
        g_assert_cmpfloat (out[j], ==, a[p * 3 + j]);
    }
}

/* α = 0 everywhere. Layer 3: node 0 splits into nodes 1 and 2; layer 2 maps
 * them straight down; layer 1 feeds input 0 from both with 0.3 and 0.4. */
static void
test_flow_disjoint_paths (void)
{
  static const double w[3 * 9] = {
    /* layer 1 */
    1., 0., 0.,
    0.3, 0.7, 0.,
    0.4, 0., 0.6,
    /* layer 2 */
    1., 0., 0.,
    0., 1., 0.,
    0., 0., 1.,
    /* layer 3 */
    0., 0.5, 0.5,
    0., 1., 0.,
    0., 0., 1.,
  };
  g_autoptr(AttnGraph) graph = graph_from_mixed (3, 3, w, 0.);
  double out[3];
  g_autoptr(GError) error = NULL;

  flow_node_raw (graph, 3, 0, out);
  g_assert_cmpfloat_with_epsilon (out[0], 0.7, 1e-15);
  g_assert_cmpfloat_with_epsilon (out[1], 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (out[2], 0.5, 1e-15);
  g_assert_true (attn_flow_node (graph, 3, 0, NULL, out, NULL, &error));
  g_assert_cmpfloat_with_epsilon (out[0], 0.7 / 1.7, 1e-15);
  g_assert_cmpfloat_with_epsilon (out[1], 0.5 / 1.7, 1e-15);
}

/* α = 0. Everything from (3, 0) passes through node (1, 2), which sends
 * 0.25, 0.25, 0.5 to the inputs: a bottleneck of the in-capacities. The
 * inputs 0 and 1 are also reachable only through (1, 2). */
static void
test_flow_bottleneck (void)
{
  static const double w[3 * 9] = {
    /* layer 1 */
    0., 0., 1.,
    0., 0., 1.,
    0.25, 0.25, 0.5,
    /* layer 2 */
    0., 0., 1.,
    0., 0., 1.,
    0., 0., 1.,
    /* layer 3 */
    0.5, 0.5, 0.,
    0., 1., 0.,
    0., 0., 1.,
  };
  g_autoptr(AttnGraph) graph = graph_from_mixed (3, 3, w, 0.);
  double out[3];

  flow_node_raw (graph, 3, 0, out);
  g_assert_cmpfloat (out[0], ==, 0.25);
  g_assert_cmpfloat (out[1], ==, 0.25);
  /* Two unit paths meet in (1, 2), which passes at most 1 on, 0.5 to input 2 */
  g_assert_cmpfloat (out[2], ==, 0.5);
}

/* Zero capacities: inputs 1 and 2 receive nothing at all. */
static void
test_flow_zero_capacity (void)
{
  static const double w[2 * 9] = {
    1., 0., 0.,
    1., 0., 0.,
    1., 0., 0.,
    0.2, 0.3, 0.5,
    0., 1., 0.,
    0.5, 0., 0.5,
  };
  g_autoptr(AttnGraph) graph = graph_from_mixed (2, 3, w, 0.);
  double out[3];
  g_autoptr(GError) error = NULL;

  for (guint p = 0; p < 3; p++)
    {
      flow_node_raw (graph, 2, p, out);
      g_assert_cmpfloat (out[0], ==, 1.);
      g_assert_cmpfloat (out[1], ==, 0.);
      g_assert_cmpfloat (out[2], ==, 0.);
      g_assert_true (attn_flow_node (graph, 2, p, NULL, out, NULL, &error));
      g_assert_cmpfloat (out[0], ==, 1.);
    }
}

/* Random graphs (with exact zeros and 1e-17 capacities), causal or not,
 * against the independent Edmonds-Karp; flows never exceed the source's
 * out-capacity nor the sink's in-capacity; causal masks give exact zeros. */
static void
test_flow_random_reference (void)
{
  for (guint trial = 0; trial < 24; trial++)
    {
      gboolean causal = trial % 2 == 1;
      guint L = 1 + trial % 5, n = 1 + (trial * 7) % 9;
      double alpha = trial % 3 == 0 ? 0. : 0.5;
      g_autofree double *w = random_mixed (L, n, causal, 1000 + trial);
      g_autoptr(AttnGraph) graph = graph_from_mixed (L, n, w, alpha);
      g_autofree double *out = g_new (double, n);

      for (guint l = 1; l <= L; l++)
        for (guint p = 0; p < n; p++)
          {
            const double *src_row = attn_graph_get_augmented (graph, l) + (gsize) p * n;
            double src_cap = 0.;

            for (guint k = 0; k < n; k++)
              src_cap += src_row[k];

            flow_node_raw (graph, l, p, out);
            for (guint j = 0; j < n; j++)
              {
                double want = reference_max_flow (graph, l, p, j);
                double sink_cap = 0.;

                for (guint q = 0; q < n; q++)
                  sink_cap += attn_graph_get_augmented (graph, 1)[(gsize) q * n + j];
                if (fabs (out[j] - want) > 1e-13)
                  g_error ("trial %u layer %u position %u sink %u: got %.17g want %.17g",
                           trial, l, p, j, out[j], want);
                g_assert_cmpfloat (out[j], <=, src_cap * (1. + 1e-14));
                g_assert_cmpfloat (out[j], <=, sink_cap * (1. + 1e-14));
                g_assert_cmpfloat (out[j], >=, 0.);
                if (causal && j > p)
                  g_assert_cmpfloat (out[j], ==, 0.);
              }
          }
    }
}

/* Larger random graphs, where a node has many upper neighbours and the
 * search sends flow back and forth: top layer only. */
static void
test_flow_random_reference_large (void)
{
  for (guint trial = 0; trial < 4; trial++)
    {
      guint L = 5 + trial % 2, n = 20 + 3 * trial;
      g_autofree double *w = trial % 2 ? random_mixed (L, n, trial == 3, 500 + trial)
                                       : synthetic_mixed (L, n, 500 + trial);
      g_autoptr(AttnGraph) graph = graph_from_mixed (L, n, w, trial == 2 ? 0. : 0.5);
      g_autofree double *out = g_new (double, n);

      for (guint p = 0; p < n; p += n / 3)
        {
          flow_node_raw (graph, L, p, out);
          for (guint j = 0; j < n; j++)
            {
              double want = reference_max_flow (graph, L, p, j);

              if (fabs (out[j] - want) > 1e-13)
                g_error ("trial %u position %u sink %u: got %.17g want %.17g",
                         trial, p, j, out[j], want);
            }
        }
    }
}

/* Inputs long enough for the bound pass's column blocks (64 columns: two
 * full blocks and a partial one), causal or not, with the realistic
 * synthetic attention or random rows (exact zeros, 1e-17 entries): the top
 * node and a middle one against the independent Edmonds-Karp. */
static void
test_flow_reference_blocks (void)
{
  for (guint trial = 0; trial < 3; trial++)
    {
      guint L = 4, n = 131;
      gboolean causal = trial != 1;
      g_autofree double *w = trial == 0 ? synthetic_mixed (L, n, 900)
                                        : random_mixed (L, n, causal, 900 + trial);
      g_autoptr(AttnGraph) graph = NULL;
      g_autofree double *out = g_new (double, n);
      static const guint sinks[] = { 0, 63, 64, 65, 128, 130 };
      static const guint positions[] = { 130, 70 };

      if (trial == 0)
        {
          /* synthetic_mixed is not causal: mask it and renormalise. */
          for (guint l = 0; l < L; l++)
            for (guint q = 0; q < n; q++)
              {
                double *row = w + ((gsize) l * n + q) * n, sum = 0.;

                for (guint k = 0; k < n; k++)
                  sum += k <= q ? row[k] : (row[k] = 0.);
                for (guint k = 0; k <= q; k++)
                  row[k] /= sum;
              }
        }
      graph = graph_from_mixed (L, n, w, 0.5);
      for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
        {
          flow_node_raw (graph, L, positions[i], out);
          for (guint s = 0; s < G_N_ELEMENTS (sinks); s++)
            {
              guint j = sinks[s];
              double want = reference_max_flow (graph, L, positions[i], j);

              if (fabs (out[j] - want) > 1e-13)
                g_error ("trial %u position %u sink %u: got %.17g want %.17g",
                         trial, positions[i], j, out[j], want);
              if (causal && j > positions[i])
                g_assert_cmpfloat (out[j], ==, 0.);
            }
        }
    }
}

/* The flow kept in a hash table (as for long inputs) rather than a dense
 * array: the same algorithm, so the same bits, for every entry point. */
static void
test_flow_hash_storage (void)
{
  for (guint trial = 0; trial < 4; trial++)
    {
      guint L = 5 + trial % 2, n = 24 + 9 * trial;
      g_autofree double *w = trial % 2 ? random_mixed (L, n, trial == 3, 40 + trial)
                                       : synthetic_mixed (L, n, 40 + trial);
      g_autoptr(AttnGraph) graph = graph_from_mixed (L, n, w, trial == 2 ? 0. : 0.5);
      gsize nn = (gsize) n * n;
      g_autofree double *dense_layer = g_new (double, nn);
      g_autofree double *hash_layer = g_new (double, nn);
      g_autofree double *dense_pos = g_new (double, (gsize) L * n);
      g_autofree double *hash_pos = g_new (double, (gsize) L * n);
      g_autofree double *dense_edges = g_new (double, (gsize) L * nn);
      g_autofree double *hash_edges = g_new (double, (gsize) L * nn);
      AttnFlowOptions options = { TRUE, 2, NULL, NULL };
      g_autoptr(GError) error = NULL;

      for (guint pass = 0; pass < 2; pass++)
        {
          gsize old = _attn_flow_set_dense_limit (pass == 0 ? G_MAXSIZE : 0);

          g_assert_true (attn_flow_layer (graph, L, &options, pass ? hash_layer : dense_layer,
                                          NULL, &error));
          g_assert_true (attn_flow_position (graph, n / 2, &options, pass ? hash_pos : dense_pos,
                                             NULL, &error));
          g_assert_true (attn_flow_edges (graph, L, n - 1, -1, &options,
                                          pass ? hash_edges : dense_edges, NULL, &error));
          g_assert_no_error (error);
          _attn_flow_set_dense_limit (old);
        }
      g_assert_cmpmem (hash_layer, nn * sizeof (double), dense_layer, nn * sizeof (double));
      g_assert_cmpmem (hash_pos, (gsize) L * n * sizeof (double), dense_pos, (gsize) L * n * sizeof (double));
      g_assert_cmpmem (hash_edges, (gsize) L * nn * sizeof (double), dense_edges, (gsize) L * nn * sizeof (double));
    }
}

/* ---- edge flows ---- */

/* Conservation at every inner node, 0 <= f <= capacity, zero outside the
 * source's part of the graph, and the value entering the sink. */
static void
check_edge_flows (AttnGraph    *graph,
                  guint         layer,
                  guint         position,
                  guint         sink,
                  const double *f,
                  double        value)
{
  guint L = attn_graph_get_n_layers (graph);
  guint n = attn_graph_get_n_tokens (graph);
  gsize nn = (gsize) n * n;
  double into_sink = 0., out_of_source = 0.;

  for (guint l = 1; l <= L; l++)
    {
      const double *a = attn_graph_get_augmented (graph, l);
      const double *fl = f + (l - 1) * nn;

      for (guint q = 0; q < n; q++)
        for (guint k = 0; k < n; k++)
          {
            double x = fl[(gsize) q * n + k];

            g_assert_cmpfloat (x, >=, 0.);
            g_assert_cmpfloat (x, <=, a[(gsize) q * n + k]);
            if (l > layer || (l == layer && q != position) || (l == 1 && k != sink))
              g_assert_cmpfloat (x, ==, 0.);
          }
    }

  for (guint k = 0; k < n; k++)
    out_of_source += f[(layer - 1) * nn + (gsize) position * n + k];
  for (guint q = 0; q < n; q++)
    into_sink += f[(gsize) q * n + sink];
  g_assert_cmpfloat_with_epsilon (out_of_source, value, 1e-12);
  g_assert_cmpfloat_with_epsilon (into_sink, value, 1e-12);

  /* Inner nodes (l, q), 1 <= l < layer: in = out. */
  for (guint l = 1; l < layer; l++)
    for (guint q = 0; q < n; q++)
      {
        double in = 0., out = 0.;

        for (guint r = 0; r < n; r++)
          in += f[l * nn + (gsize) r * n + q];
        for (guint k = 0; k < n; k++)
          out += f[(l - 1) * nn + (gsize) q * n + k];
        g_assert_cmpfloat_with_epsilon (in, out, 1e-12);
      }
}

static void
test_flow_edges_properties (void)
{
  for (guint trial = 0; trial < 6; trial++)
    {
      guint L = 2 + trial, n = 3 + 2 * trial;
      g_autofree double *w = trial % 2 ? random_mixed (L, n, trial == 3, 77 + trial)
                                       : synthetic_mixed (L, n, 77 + trial);
      g_autoptr(AttnGraph) graph = graph_from_mixed (L, n, w, 0.5);
      g_autofree double *f = g_new (double, (gsize) L * n * n);
      g_autofree double *values = g_new (double, n);
      g_autoptr(GError) error = NULL;
      guint layer = L - trial % 2, position = trial % n;

      flow_node_raw (graph, layer, position, values);
      for (guint j = 0; j < n; j++)
        {
          g_assert_true (attn_flow_edges (graph, layer, position, (int) j, NULL, f, NULL, &error));
          g_assert_no_error (error);
          check_edge_flows (graph, layer, position, j, f, values[j]);
        }

      /* All sinks: per layer of edges used, the shares sum to 1. */
      g_assert_true (attn_flow_edges (graph, layer, position, -1, NULL, f, NULL, &error));
      g_assert_no_error (error);
      for (guint l = 1; l <= L; l++)
        {
          double sum = 0.;

          for (gsize i = 0; i < (gsize) n * n; i++)
            sum += f[(l - 1) * (gsize) n * n + i];
          g_assert_cmpfloat_with_epsilon (sum, l <= layer ? 1. : 0., 1e-12);
        }
    }
}

static void
test_flow_edges_layer_one (void)
{
  static const double w[9] = { 0.2, 0.3, 0.5, 0., 1., 0., 0.6, 0.4, 0. };
  g_autoptr(AttnGraph) graph = graph_from_mixed (1, 3, w, 0.5);
  const double *a = attn_graph_get_augmented (graph, 1);
  double f[9];
  g_autoptr(GError) error = NULL;

  g_assert_true (attn_flow_edges (graph, 1, 2, 1, NULL, f, NULL, &error));
  for (guint i = 0; i < 9; i++)
    g_assert_cmpfloat (f[i], ==, i == 7 ? a[7] : 0.);
  g_assert_true (attn_flow_edges (graph, 1, 2, -1, NULL, f, NULL, &error));
  for (guint i = 0; i < 9; i++)
    g_assert_cmpfloat_with_epsilon (f[i], i >= 6 ? a[i] : 0., 1e-15);
  g_assert_false (attn_flow_edges (graph, 1, 2, 3, NULL, f, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
}

/* attn_flow_layers() settles most max-flows above the first layers by a
 * lower bound from the layer below, where attn_flow_layer() searches each
 * one: the values agree to 2e-13 relative (they are the same upper bound
 * whenever the search reaches it, the lower bound meets it to a few ulps),
 * whatever the first layer, and the same bits whatever the thread count;
 * checked on a real example, realistic synthetic attention (where the bound
 * settles nearly every max-flow of the upper layers), and random graphs,
 * causal or not, with zeros and tiny capacities. */
static void
check_layers_against_pairs (AttnGraph  *graph,
                            const char *label)
{
  guint L = attn_graph_get_n_layers (graph);
  guint n = attn_graph_get_n_tokens (graph);
  gsize nn = (gsize) n * n;
  g_autofree double *pairs = g_new (double, L * nn);
  g_autofree double *normalized = g_new (double, L * nn);
  g_autofree double *one_thread = g_new (double, L * nn);
  g_autoptr(GError) error = NULL;

  for (guint pass = 0; pass < 2; pass++)
    {
      AttnFlowOptions options = { pass == 0, 0, NULL, NULL };

      for (guint l = 1; l <= L; l++)
        {
          g_assert_true (attn_flow_layer (graph, l, &options, (pass == 0 ? pairs : normalized) + (l - 1) * nn,
                                          NULL, &error));
          g_assert_no_error (error);
        }
    }
  for (guint threads = 1; threads <= 2; threads++)
    {
      AttnFlowOptions raw_options = { TRUE, threads, NULL, NULL };
      AttnFlowOptions options = { FALSE, threads, NULL, NULL };
      AttnTestCollected all = { n, 1, g_new (double, L * nn) };
      AttnTestCollected part = { n, L / 2, g_new (double, L * nn) };
      AttnTestCollected norm = { n, 1, g_new (double, L * nn) };
      g_autofree char *what = g_strdup_printf ("%s, %u threads", label, threads);

      g_assert_true (attn_flow_layers (graph, 1, L, &raw_options, attn_test_collect_layer_cb, &all, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (all.next, ==, L + 1);
      /* the same bits on any number of threads */
      if (threads == 1)
        memcpy (one_thread, all.values, L * nn * sizeof (double));
      else
        g_assert_cmpmem (all.values, L * nn * sizeof (double), one_thread, L * nn * sizeof (double));
      for (gsize i = 0; i < L * nn; i++)
        if (!(fabs (all.values[i] - pairs[i]) <= 2e-13 * pairs[i]))
          g_error ("%s: entry %" G_GSIZE_FORMAT ": got %.17g, want %.17g", what, i, all.values[i], pairs[i]);

      g_assert_true (attn_flow_layers (graph, L / 2, L, &raw_options, attn_test_collect_layer_cb, &part, NULL, &error));
      g_assert_no_error (error);
      assert_close (part.values + (L / 2 - 1) * nn, pairs + (L / 2 - 1) * nn, (L - L / 2 + 1) * nn, 1e-12,
                    what);

      g_assert_true (attn_flow_layers (graph, 1, L, &options, attn_test_collect_layer_cb, &norm, NULL, &error));
      g_assert_no_error (error);
      assert_close (norm.values, normalized, L * nn, 1e-12, what);
      g_free (all.values);
      g_free (part.values);
      g_free (norm.values);
    }
}

/* Tokens of the synthetic and random graphs below: under the sanitizers,
 * where the every-pair searches they are checked against took 80 s (42 s
 * of them for the synthetic graph), fewer, the same layers and kinds of
 * graph. */
#ifdef __SANITIZE_ADDRESS__
#define LOWER_BOUND_SYNTHETIC_N 32
#define LOWER_BOUND_RANDOM_N 24
#else
#define LOWER_BOUND_SYNTHETIC_N 48
#define LOWER_BOUND_RANDOM_N 36
#endif

static void
test_flow_layers_lower_bound (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                 "bert-base-uncased.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = attn_document_load (path, NULL, &error);
  g_autoptr(AttnGraph) real = NULL;
  g_autofree double *w = synthetic_mixed (12, LOWER_BOUND_SYNTHETIC_N, 11);
  g_autoptr(AttnGraph) synthetic = graph_from_mixed (12, LOWER_BOUND_SYNTHETIC_N, w, 0.5);

  g_assert_no_error (error);
  real = attn_graph_new (attn_document_find_example (document, "rabbit-turtle", NULL), NULL, NULL, &error);
  g_assert_no_error (error);
  check_layers_against_pairs (real, "rabbit-turtle");
  check_layers_against_pairs (synthetic, "synthetic");
  for (guint causal = 0; causal < 2; causal++)
    {
      g_autofree double *r = random_mixed (10, LOWER_BOUND_RANDOM_N, causal, 40 + causal);
      g_autoptr(AttnGraph) graph = graph_from_mixed (10, LOWER_BOUND_RANDOM_N, r, 0.5);
      g_autoptr(AttnGraph) no_residual = graph_from_mixed (10, LOWER_BOUND_RANDOM_N, r, 0.);

      check_layers_against_pairs (graph, causal ? "random causal" : "random");
      check_layers_against_pairs (no_residual, causal ? "random causal, no residual" : "random, no residual");
    }
}

/* ---- threads, callbacks, cancellation, errors ---- */

static void
test_flow_thread_determinism (void)
{
  guint L = 6, n = 40;
  g_autofree double *w = synthetic_mixed (L, n, 5);
  g_autoptr(AttnGraph) graph = graph_from_mixed (L, n, w, 0.5);
  g_autofree double *ref_pos = g_new (double, (gsize) L * n);
  g_autofree double *pos = g_new (double, (gsize) L * n);
  g_autofree double *ref_edges = g_new (double, (gsize) L * n * n);
  g_autofree double *edges = g_new (double, (gsize) L * n * n);
  g_autoptr(GError) error = NULL;
  static const guint thread_counts[] = { 1, 2, 3, 4 };

  for (guint i = 0; i < G_N_ELEMENTS (thread_counts); i++)
    {
      AttnFlowOptions options = { FALSE, thread_counts[i], NULL, NULL };
      double *dst_pos = i == 0 ? ref_pos : pos;
      double *dst_edges = i == 0 ? ref_edges : edges;

      g_assert_true (attn_flow_position (graph, 3, &options, dst_pos, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (attn_flow_edges (graph, L, 3, -1, &options, dst_edges, NULL, &error));
      g_assert_no_error (error);
      if (i > 0)
        {
          g_assert_cmpmem (pos, (gsize) L * n * sizeof (double),
                           ref_pos, (gsize) L * n * sizeof (double));
          g_assert_cmpmem (edges, (gsize) L * n * n * sizeof (double),
                           ref_edges, (gsize) L * n * n * sizeof (double));
        }
    }
}

typedef struct
{
  guint   n;
  guint   n_calls;
  guint   n_progress;
  guint  *seen;      /* per position */
  double *values;    /* n * n */
  double  last_fraction;
  GThread *caller;
  gboolean other_thread;
} PartialData;

static void
partial_cb (guint         layer,
            guint         position,
            const double *values,
            double        fraction,
            gpointer      user_data)
{
  PartialData *d = user_data;

  g_assert_cmpfloat (fraction, >=, d->last_fraction);
  g_assert_cmpfloat (fraction, <=, 1.);
  d->last_fraction = fraction;
  if (g_thread_self () != d->caller)
    d->other_thread = TRUE;
  if (values == NULL)
    {
      d->n_progress++;
      return;
    }
  g_assert_cmpuint (layer, ==, 4);
  g_assert_cmpuint (position, <, d->n);
  d->seen[position]++;
  d->n_calls++;
  memcpy (d->values + (gsize) position * d->n, values, d->n * sizeof (double));
}

static void
test_flow_partial (void)
{
  guint L = 4, n = 24;
  g_autofree double *w = synthetic_mixed (L, n, 9);
  g_autoptr(AttnGraph) graph = graph_from_mixed (L, n, w, 0.5);
  g_autofree double *out = g_new (double, (gsize) n * n);
  g_autofree guint *seen = g_new0 (guint, n);
  g_autofree double *values = g_new0 (double, (gsize) n * n);
  PartialData d = { n, 0, 0, seen, values, 0., g_thread_self (), FALSE };
  AttnFlowOptions options = { FALSE, 2, partial_cb, &d };
  g_autoptr(GError) error = NULL;

  g_assert_true (attn_flow_layer (graph, 4, &options, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (d.n_calls, ==, n);
  for (guint q = 0; q < n; q++)
    g_assert_cmpuint (seen[q], ==, 1);
  g_assert_cmpmem (values, (gsize) n * n * sizeof (double), out, (gsize) n * n * sizeof (double));
  g_assert_cmpfloat (d.last_fraction, ==, 1.);
  g_assert_cmpuint (d.n_progress, >, 0);
}

typedef struct
{
  GCancellable *cancellable;
  guint         delay_ms;
} CancelData;

static gpointer
cancel_later (gpointer data)
{
  CancelData *c = data;

  g_usleep (c->delay_ms * 1000);
  g_cancellable_cancel (c->cancellable);
  return NULL;
}

/* Cancelled from another thread in the middle of a long job (n = 128, a
 * whole layer: 16384 max-flows): returns FALSE, out untouched. */
static void
test_flow_cancel (void)
{
  guint L = 12, n = 128;
  g_autofree double *w = synthetic_mixed (L, n, 3);
  g_autoptr(AttnGraph) graph = graph_from_mixed (L, n, w, 0.5);
  g_autofree double *out = g_new (double, (gsize) L * n * n);
  g_autofree double *sentinel = g_new (double, (gsize) L * n * n);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CancelData c = { cancellable, 20 };
  AttnFlowOptions options = { FALSE, 2, NULL, NULL };
  GThread *thread;

  for (gsize i = 0; i < (gsize) L * n * n; i++)
    sentinel[i] = out[i] = -1. - (double) i;

  thread = g_thread_new ("cancel", cancel_later, &c);
  g_assert_false (attn_flow_layer (graph, L, &options, out, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_thread_join (thread);
  g_assert_cmpmem (out, (gsize) n * n * sizeof (double), sentinel, (gsize) n * n * sizeof (double));
  g_clear_error (&error);

  /* Already cancelled: every entry point refuses at once. */
  g_assert_false (attn_flow_node (graph, L, 0, NULL, out, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (attn_flow_position (graph, 0, NULL, out, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (attn_flow_edges (graph, L, 0, -1, NULL, out, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpmem (out, (gsize) L * n * n * sizeof (double),
                   sentinel, (gsize) L * n * n * sizeof (double));

  /* The same graph still computes after a cancelled run. */
  g_assert_true (attn_flow_node (graph, 3, 0, NULL, out, NULL, &error));
  g_assert_no_error (error);
}

static void
test_flow_bad_arguments (void)
{
  static const double one[2] = { 1., 1. };
  g_autoptr(AttnGraph) graph = graph_from_mixed (2, 1, one, 0.5);
  double out[2];
  g_autoptr(GError) error = NULL;

  g_assert_false (attn_flow_node (graph, 3, 0, NULL, out, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (attn_flow_node (graph, 0, 0, NULL, out, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (attn_flow_position (graph, 1, NULL, out, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (attn_flow_layer (graph, 5, NULL, out, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (golden_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/attn/core/flow-golden/%s", golden_cases[i].expected);
      g_autofree char *name_raw = g_strdup_printf ("/attn/core/flow-golden-from-raw/%s",
                                                   golden_cases[i].expected);

      g_test_add_data_func (name, &golden_cases[i], test_flow_golden);
      g_test_add_data_func (name_raw, &golden_cases[i], test_flow_golden_from_raw);
    }
  g_test_add_func ("/attn/core/flow/chain", test_flow_chain);
  g_test_add_func ("/attn/core/flow/single-layer", test_flow_single_layer);
  g_test_add_func ("/attn/core/flow/disjoint-paths", test_flow_disjoint_paths);
  g_test_add_func ("/attn/core/flow/bottleneck", test_flow_bottleneck);
  g_test_add_func ("/attn/core/flow/zero-capacity", test_flow_zero_capacity);
  g_test_add_func ("/attn/core/flow/random-reference", test_flow_random_reference);
  g_test_add_func ("/attn/core/flow/random-reference-large", test_flow_random_reference_large);
  g_test_add_func ("/attn/core/flow/reference-blocks", test_flow_reference_blocks);
  g_test_add_func ("/attn/core/flow/hash-storage", test_flow_hash_storage);
  g_test_add_func ("/attn/core/flow/edges-properties", test_flow_edges_properties);
  g_test_add_func ("/attn/core/flow/edges-layer-one", test_flow_edges_layer_one);
  g_test_add_func ("/attn/core/flow/layers-lower-bound", test_flow_layers_lower_bound);
  g_test_add_func ("/attn/core/flow/thread-determinism", test_flow_thread_determinism);
  g_test_add_func ("/attn/core/flow/partial", test_flow_partial);
  g_test_add_func ("/attn/core/flow/cancel", test_flow_cancel);
  g_test_add_func ("/attn/core/flow/bad-arguments", test_flow_bad_arguments);

  return g_test_run ();
}
