/* test-flow-estimate.c: how long the flow of every node takes, measured
 * on the input (attn_flow_measure_every_node()) against the time it takes
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <time.h>

#include "attn-core.h"
#include "attn-flow-private.h"

/* A generated input of @L layers and @n tokens, one head: each row a
 * softmax of @beta N(0, 1) logits. At @beta = 3 a few keys take most of
 * each row, as in the heads of real models (MiniLM's attention and ALTI
 * contributions), and the shared bounds of the flow of every node settle
 * few of its max-flows; at 0 every row is uniform. */
static AttnGraph *
peaked_graph (guint   L,
              guint   n,
              double  beta,
              guint32 seed)
{
  g_autofree double *mixed = g_new (double, (gsize) L * n * n);
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (seed);
  AttnGraph *graph;

  for (gsize r = 0; r < (gsize) L * n; r++)
    {
      double *row = mixed + r * n, sum = 0.;

      for (guint k = 0; k < n; k++)
        {
          /* Box-Muller */
          double u = g_rand_double_range (rand, 1e-12, 1.), v = g_rand_double (rand);

          row[k] = exp (beta * sqrt (-2. * log (u)) * cos (2. * G_PI * v));
          sum += row[k];
        }
      for (guint k = 0; k < n; k++)
        row[k] /= sum;
    }
  g_rand_free (rand);
  graph = attn_graph_new_from_matrices (L, n, mixed, 0.5, &error);
  g_assert_no_error (error);
  return graph;
}

static double
thread_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A comparison of times, of the code as it is built to run: a sanitizer's
 * instrumentation weighs on the view and on the measure unequally, and made
 * this a minute of the sanitized suite (the measure's memory is checked
 * there by the other cases and test-session's offers) */
#ifndef __SANITIZE_ADDRESS__
static void
ignore_layer_cb (guint         layer,
                 const double *values,
                 gpointer      user_data)
{
}

/* The processor seconds of the flow of every node of @graph, on this
 * thread alone */
static double
time_every_node (AttnGraph *graph)
{
  AttnFlowOptions options = { FALSE, 1, NULL, NULL };
  g_autoptr(GError) error = NULL;
  double t0 = thread_seconds ();

  g_assert_true (attn_method_every_node (ATTN_METHOD_FLOW, graph, 1, 0, &options, ignore_layer_cb, NULL,
                                         NULL, &error));
  g_assert_no_error (error);
  return thread_seconds () - t0;
}

/* The measure is within 1.5 times of the time the flow of every node
 * takes, on peaked inputs and on a diffuse one, ten times faster: with 8
 * sinks of 64 (the app's 4 sinks, within 2 times on the diffuse input,
 * vary more between sinks at this size, and the bounds of the 4 sinks, which
 * it counts as much as every layer's of the view, weigh more). The model of attn_flow_estimate_every_node(), fitted on synthetic
 * inputs, gives them all the same time (it said 15 s for a real 378-token
 * input that took minutes): on this machine 3 times too little for the
 * peaked ones and over 2 times too much for the diffuse one. */
static void
test_measure_against_time (void)
{
  const double beta[] = { 3., 4., 0.3 };
  double taken[G_N_ELEMENTS (beta)], model[G_N_ELEMENTS (beta)];
  guint processors = CLAMP (g_get_num_processors (), 1, 64);

  for (guint i = 0; i < G_N_ELEMENTS (beta); i++)
    {
      g_autoptr(AttnGraph) graph = peaked_graph (6, 64, beta[i], i + 1);
      g_autoptr(GError) error = NULL;
      double sampled;

      /* the least of two runs each: a busy machine only adds to them */
      taken[i] = MIN (time_every_node (graph), time_every_node (graph));
      sampled = _attn_flow_sample_every_node (graph, 8, 60., NULL, &error);
      g_assert_no_error (error);
      sampled = MIN (sampled, _attn_flow_sample_every_node (graph, 8, 60., NULL, &error));
      g_assert_no_error (error);
      /* the model's seconds on two processors: half its processor seconds */
      model[i] = attn_flow_estimate_every_node (graph) * processors;
      g_test_message ("beta %g: took %.3f s of one processor, measured %.3f s, model %.3f s",
                      beta[i], taken[i], sampled, model[i]);
      g_assert_cmpfloat (sampled, >, taken[i] / 1.5);
      g_assert_cmpfloat (sampled, <, taken[i] * 1.5);
      if (i == G_N_ELEMENTS (beta) - 1)
        {
          /* the app's figure: the same on every processor */
          double app = attn_flow_measure_every_node (graph, 60., NULL, &error) * processors;

          g_assert_no_error (error);
          g_assert_cmpfloat (app, >, taken[i] / 2.);
          g_assert_cmpfloat (app, <, taken[i] * 2.);
        }
    }
  for (guint i = 0; i + 1 < G_N_ELEMENTS (beta); i++)
    {
      g_assert_cmpfloat (taken[i], >, 5. * taken[G_N_ELEMENTS (beta) - 1]);
      g_assert_cmpfloat (model[i], ==, model[G_N_ELEMENTS (beta) - 1]);
    }
}

#endif

/* Out of budget, the layer under way is scaled by its sources done and the
 * layers above are taken to cost as much: a figure, soon */
static void
test_measure_budget (void)
{
  g_autoptr(AttnGraph) graph = peaked_graph (6, 64, 3., 1);
  g_autoptr(GError) error = NULL;
  double t0 = thread_seconds ();
  double sampled = _attn_flow_sample_every_node (graph, 4, 0., NULL, &error);
  double spent = thread_seconds () - t0;

  g_assert_no_error (error);
  g_assert_cmpfloat (sampled, >, 0.);
  /* the first source of layer 3 only (and the sinks' bounds), where the
   * whole sample of every layer takes 4 / 64 of the view's time */
  g_assert_cmpfloat (spent, <, sampled / 64.);
}

/* Cancelled, no figure; without layers above 2 (no max-flow to search),
 * the model's */
static void
test_measure_cancel (void)
{
  g_autoptr(AttnGraph) graph = peaked_graph (6, 64, 3., 1);
  g_autoptr(AttnGraph) shallow = peaked_graph (2, 64, 3., 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_cmpfloat (attn_flow_measure_every_node (graph, 60., cancellable, &error), ==, -1.);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpfloat (attn_flow_measure_every_node (shallow, 60., NULL, &error), ==,
                     attn_flow_estimate_every_node (shallow));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#ifndef __SANITIZE_ADDRESS__
  g_test_add_func ("/attn/core/flow-estimate/measure-against-time", test_measure_against_time);
#endif
  g_test_add_func ("/attn/core/flow-estimate/measure-budget", test_measure_budget);
  g_test_add_func ("/attn/core/flow-estimate/measure-cancel", test_measure_cancel);
  return g_test_run ();
}
