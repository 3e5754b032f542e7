/* test-method.c: the methods behind one interface, against the computations they stand for
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "attn-core.h"
#include "attn-test-util.h"

static AttnDocument *bert;

static AttnGraph *
cat_mat_graph (void)
{
  AttnExample *example = attn_document_find_example (bert, "cat-mat", NULL);
  g_autoptr(GError) error = NULL;
  AttnGraph *graph;

  g_assert_nonnull (example);
  graph = attn_graph_new (example, NULL, NULL, &error);
  g_assert_no_error (error);
  return graph;
}

/* R_l = Â_l · R_{l-1}, R_0 = I, straight from the definition: (L+1) n × n */
static double *
naive_rollout (AttnGraph *graph)
{
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  gsize nn = (gsize) n * n;
  double *r = g_new0 (double, (L + 1) * nn);

  for (guint k = 0; k < n; k++)
    r[k * n + k] = 1.;
  for (guint l = 1; l <= L; l++)
    {
      const double *a = attn_graph_get_augmented (graph, l);

      for (guint q = 0; q < n; q++)
        for (guint k = 0; k < n; k++)
          {
            double sum = 0.;

            for (guint j = 0; j < n; j++)
              sum += a[q * n + j] * r[(l - 1) * nn + j * n + k];
            r[l * nn + q * n + k] = sum;
          }
    }
  return r;
}

static void
assert_close (const double *a,
              const double *b,
              gsize         count,
              double        tolerance)
{
  for (gsize i = 0; i < count; i++)
    if (!(fabs (a[i] - b[i]) <= tolerance))
      g_error ("value %" G_GSIZE_FORMAT ": %.17g, expected %.17g (tolerance %g)", i, a[i], b[i],
               tolerance);
}

static void
test_names (void)
{
  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    {
      AttnMethod back = ATTN_N_METHODS;
      g_autofree char *upper = g_ascii_strup (attn_method_get_name (m), -1);

      g_assert_true (attn_method_from_name (attn_method_get_name (m), &back));
      g_assert_cmpint (back, ==, m);
      g_assert_true (attn_method_from_name (upper, NULL));
      g_assert_nonnull (attn_method_get_label (m));
    }
  g_assert_cmpstr (attn_method_get_name (ATTN_METHOD_FLOW), ==, "flow");
  g_assert_false (attn_method_from_name ("gradient", NULL));
}

/* Keywords in any case of their ASCII letters; other letters as they are */
static void
test_keywords (void)
{
  const char * const maps[] = { "viridis", "magma", NULL };
  const char * const mixes[] = { "mean", "max" };
  AttnHeadMix mix = ATTN_HEAD_MIX_MEAN;

  g_assert_true (attn_keyword_is ("ALL", "all"));
  g_assert_true (attn_keyword_is ("aLl", "all"));
  g_assert_false (attn_keyword_is ("al", "all"));
  g_assert_false (attn_keyword_is (NULL, "all"));
  g_assert_cmpint (attn_keyword_find ("Magma", maps, -1), ==, 1);
  g_assert_cmpint (attn_keyword_find ("MAX", mixes, G_N_ELEMENTS (mixes)), ==, 1);
  g_assert_cmpint (attn_keyword_find ("jet", maps, -1), ==, -1);
  /* U+0130 (İ) and U+0131 (ı) are not ASCII I and i */
  g_assert_cmpint (attn_keyword_find ("v\xc4\xb0ridis", maps, -1), ==, -1);
  g_assert_true (attn_head_mix_from_name ("Max", &mix));
  g_assert_cmpint (mix, ==, ATTN_HEAD_MIX_MAX);
  g_assert_cmpstr (attn_head_mix_get_name (mix), ==, "max");
}

/* The numbers options take: digits only; one too large for a guint is
 * G_MAXUINT, and messages name it as given, without leading zeros */
static void
test_numbers (void)
{
  guint value = 7;

  g_assert_true (attn_parse_number ("0", &value));
  g_assert_cmpuint (value, ==, 0);
  g_assert_true (attn_parse_number ("0012", &value));
  g_assert_cmpuint (value, ==, 12);
  g_assert_true (attn_parse_number ("99999999999999999999", &value));
  g_assert_cmpuint (value, ==, G_MAXUINT);
  value = 7;
  g_assert_false (attn_parse_number ("", &value));
  g_assert_false (attn_parse_number ("+1", &value));
  g_assert_false (attn_parse_number (" 1", &value));
  g_assert_false (attn_parse_number ("1 ", &value));
  g_assert_false (attn_parse_number ("-1", &value));
  g_assert_false (attn_parse_number ("0x1", &value));
  g_assert_cmpuint (value, ==, 7);
  g_assert_cmpstr (attn_number_digits ("000123"), ==, "123");
  g_assert_cmpstr (attn_number_digits ("000"), ==, "0");
  g_assert_cmpstr (attn_number_digits ("0099999999999999999999"), ==, "99999999999999999999");
}

/* A value a message names: "%g", and not finite as JSON text spells it,
 * whatever its sign bit */
static void
test_message_values (void)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_assert_cmpstr (attn_message_value (buffer, -0.5), ==, "-0.5");
  g_assert_cmpstr (attn_message_value (buffer, 1e300), ==, "1e+300");
  g_assert_cmpstr (attn_message_value (buffer, NAN), ==, "NaN");
  g_assert_cmpstr (attn_message_value (buffer, -NAN), ==, "NaN");
  g_assert_cmpstr (attn_message_value (buffer, INFINITY), ==, "Infinity");
  g_assert_cmpstr (attn_message_value (buffer, -INFINITY), ==, "-Infinity");
}

/* Raw is row p of W_l, rollout row p of R_l, flow the separate max-flows;
 * one layer and every layer agree */
static void
test_importance (void)
{
  g_autoptr(AttnGraph) graph = cat_mat_graph ();
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  g_autofree double *r = naive_rollout (graph);
  g_autofree double *all = g_new (double, (gsize) L * n);
  g_autofree double *one = g_new (double, n);
  g_autoptr(GError) error = NULL;
  guint p = 3;

  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    {
      g_assert_true (attn_method_importance (m, graph, 0, p, NULL, all, NULL, &error));
      g_assert_no_error (error);
      for (guint l = 1; l <= L; l++)
        {
          const double *row = all + (gsize) (l - 1) * n;
          double sum = 0.;

          g_assert_true (attn_method_importance (m, graph, l, p, NULL, one, NULL, &error));
          g_assert_no_error (error);
          assert_close (one, row, n, 1e-15);
          if (m == ATTN_METHOD_RAW)
            {
              attn_graph_read_mixed_row (graph, l, p, one);
              assert_close (row, one, n, 0.);
            }
          else if (m == ATTN_METHOD_ROLLOUT)
            assert_close (row, r + (gsize) l * n * n + (gsize) p * n, n, 1e-12);
          else
            {
              /* node (1, p): its max-flow to input k is Â_1[p][k] itself */
              if (l == 1)
                assert_close (row, attn_graph_get_augmented (graph, 1) + (gsize) p * n, n, 1e-12);
            }
          for (guint k = 0; k < n; k++)
            sum += row[k];
          /* stored float32 softmax rows sum to 1 to about 1e-7 */
          g_assert_cmpfloat_with_epsilon (sum, 1., m == ATTN_METHOD_RAW ? 1e-6 : 1e-9);
        }
    }
}

typedef struct
{
  double last;
  guint  calls;
} Progress;

static void
progress_cb (guint         layer,
             guint         position,
             const double *values,
             double        fraction,
             gpointer      user_data)
{
  Progress *progress = user_data;

  g_assert_cmpfloat (fraction, >=, progress->last);
  g_assert_cmpfloat (fraction, <=, 1.);
  progress->last = fraction;
  progress->calls++;
}

/* Every node, layer by layer: raw W_l, rollout R_l, flow each node's
 * importance; a range of layers is the same numbers */
static void
test_every_node (void)
{
  g_autoptr(AttnGraph) graph = cat_mat_graph ();
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  gsize nn = (gsize) n * n;
  g_autofree double *r = naive_rollout (graph);
  g_autofree double *node = g_new (double, n);
  AttnTestCollected all = { n, 1, g_new0 (double, L * nn) };
  AttnTestCollected part = { n, 5, g_new0 (double, L * nn) };
  g_autoptr(GError) error = NULL;

  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    {
      Progress progress = { 0., 0 };
      AttnFlowOptions options = { FALSE, 0, progress_cb, &progress };

      all.next = 1;
      g_assert_true (attn_method_every_node (m, graph, 1, 0, &options, attn_test_collect_layer_cb, &all, NULL,
                                             &error));
      g_assert_no_error (error);
      g_assert_cmpuint (all.next, ==, L + 1);
      part.next = 5;
      g_assert_true (attn_method_every_node (m, graph, 5, 7, NULL, attn_test_collect_layer_cb, &part, NULL,
                                             &error));
      g_assert_no_error (error);
      g_assert_cmpuint (part.next, ==, 8);
      /* Flow's first layer of a job searches the max-flows that the layers
       * below settle by a lower bound in a whole job (attn_flow_layers()):
       * the last digits may differ. */
      assert_close (part.values + 4 * nn, all.values + 4 * nn, 3 * nn, m == ATTN_METHOD_FLOW ? 1e-12 : 0.);

      for (guint l = 1; l <= L; l++)
        {
          if (m == ATTN_METHOD_RAW)
            {
              g_autofree double *w = g_new (double, nn);

              attn_graph_read_mixed (graph, l, w);
              assert_close (all.values + (l - 1) * nn, w, nn, 0.);
            }
          else if (m == ATTN_METHOD_ROLLOUT)
            assert_close (all.values + (l - 1) * nn, r + l * nn, nn, 1e-12);
          for (guint q = 0; q < n; q += 4)
            {
              g_assert_true (attn_method_importance (m, graph, l, q, NULL, node, NULL, NULL));
              assert_close (all.values + (l - 1) * nn + (gsize) q * n, node, n, 1e-12);
            }
        }
      if (m == ATTN_METHOD_FLOW)
        {
          g_assert_cmpuint (progress.calls, >, 0);
          g_assert_cmpfloat (progress.last, >, 0.99);
        }
    }

  g_assert_false (attn_method_every_node (ATTN_METHOD_FLOW, graph, L + 1, 0, NULL, attn_test_collect_layer_cb,
                                          &all, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_free (all.values);
  g_free (part.values);
}

/* A rollout click restricted to one input: each edge's share of the path
 * weight from the node into that input, from the definition */
static void
test_rollout_sink (void)
{
  g_autoptr(AttnGraph) graph = cat_mat_graph ();
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  gsize nn = (gsize) n * n;
  g_autofree double *r = naive_rollout (graph);
  g_autofree double *edges = g_new (double, L * nn);
  g_autofree double *p = g_new0 (double, n);
  g_autofree double *next = g_new (double, n);
  guint layer = 9, position = 0, sink = 2;
  double through = r[layer * nn + position * n + sink];
  g_autoptr(GError) error = NULL;

  g_assert_true (attn_method_edges (ATTN_METHOD_ROLLOUT, graph, layer, position, sink, NULL,
                                    edges, NULL, &error));
  g_assert_no_error (error);

  p[position] = 1.;
  for (guint l = L; l >= 1; l--)
    {
      const double *a = attn_graph_get_augmented (graph, l);
      double sum = 0.;

      memset (next, 0, n * sizeof (double));
      for (guint q = 0; q < n; q++)
        for (guint k = 0; k < n; k++)
          {
            double got = edges[(l - 1) * nn + q * n + k];
            double want = l > layer ? 0. : p[q] * a[q * n + k] * r[(l - 1) * nn + k * n + sink] / through;

            g_assert_cmpfloat_with_epsilon (got, want, 1e-12);
            sum += got;
            if (l <= layer)
              next[k] += p[q] * a[q * n + k];
          }
      if (l <= layer)
        {
          g_assert_cmpfloat_with_epsilon (sum, 1., 1e-12);
          memcpy (p, next, n * sizeof (double));
        }
    }
}

/* Raw with a selection: row p of W_l on the edges out of (l, p), up to the layer */
static void
test_raw_edges (void)
{
  g_autoptr(AttnGraph) graph = cat_mat_graph ();
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  gsize nn = (gsize) n * n;
  g_autofree double *edges = g_new (double, L * nn);
  g_autofree double *w = g_new (double, nn);
  guint layer = 6, position = 4;

  g_assert_true (attn_method_edges (ATTN_METHOD_RAW, graph, layer, position, -1, NULL, edges, NULL,
                                    NULL));
  for (guint l = 1; l <= L; l++)
    {
      attn_graph_read_mixed (graph, l, w);
      for (guint q = 0; q < n; q++)
        for (guint k = 0; k < n; k++)
          g_assert_cmpfloat (edges[(l - 1) * nn + q * n + k], ==,
                             l <= layer && q == position ? w[q * n + k] : 0.);
    }
}

static void
test_errors (void)
{
  g_autoptr(AttnGraph) graph = cat_mat_graph ();
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  g_autofree double *out = g_new (double, (gsize) L * n * n);

  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    {
      GError *error = NULL;

      g_assert_false (attn_method_importance (m, graph, L + 1, 0, NULL, out, NULL, &error));
      g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
      g_clear_error (&error);
      g_assert_false (attn_method_importance (m, graph, 0, n, NULL, out, NULL, &error));
      g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
      g_clear_error (&error);
      g_assert_false (attn_method_edges (m, graph, 0, 0, -1, NULL, out, NULL, &error));
      g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
      g_clear_error (&error);
      g_assert_false (attn_method_edges (m, graph, L, 0, (int) n, NULL, out, NULL, &error));
      g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
      g_clear_error (&error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "bert-base-uncased.json",
                                NULL);
  bert = attn_document_load (path, NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/attn/core/method/names", test_names);
  g_test_add_func ("/attn/core/method/keywords", test_keywords);
  g_test_add_func ("/attn/core/method/numbers", test_numbers);
  g_test_add_func ("/attn/core/method/message-values", test_message_values);
  g_test_add_func ("/attn/core/method/importance", test_importance);
  g_test_add_func ("/attn/core/method/every-node", test_every_node);
  g_test_add_func ("/attn/core/method/rollout-sink", test_rollout_sink);
  g_test_add_func ("/attn/core/method/raw-edges", test_raw_edges);
  g_test_add_func ("/attn/core/method/errors", test_errors);

  status = g_test_run ();
  attn_document_unref (bert);
  return status;
}
