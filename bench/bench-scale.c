/* bench-scale.c: what one click costs on a long input, medians
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-scale [--repeats N] [--flow] [--cancels N] FILE
 *
 * Loads the first example of FILE, builds its graph (mean of all heads,
 * residual 0.5) and measures, in one process so that process start does not
 * count: the rollout of the focus token's top-layer node (one click), of
 * every layer at that position (the heatmap) and of every node (the figure
 * before a click); with --flow, the flow of every layer at that position
 * with its progress reports (time to the first report, number of reports,
 * total), the top node's edge flows (the rest of a flow click in the app),
 * and the latency of a cancellation from another thread at random moments
 * while the flow runs. bench/bench-scale.sh runs it.
 * Prints one "key value unit" line per figure.
 */

#include "config.h"

#include <stdlib.h>
#include "attn-core.h"
#include "bench-common.h"

int
main (int   argc,
      char *argv[])
{
  int repeats = 51, cancels = 7;
  gboolean flow = FALSE;
  GOptionEntry entries[] = {
    { "repeats", 0, 0, G_OPTION_ARG_INT, &repeats, "Runs per rollout measurement", "N" },
    { "flow", 0, 0, G_OPTION_ARG_NONE, &flow, "Also time flow and its cancellation", NULL },
    { "cancels", 0, 0, G_OPTION_ARG_INT, &cancels, "Cancellations to time", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE");
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(AttnGraph) graph = NULL;
  g_autofree double *times = NULL;
  g_autofree double *out = NULL;
  AttnExample *example;
  guint L, n, focus;
  gint64 t0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error ? error->message : "usage: bench-scale [OPTION...] FILE");
      return 2;
    }
  repeats = MAX (repeats, 1);
  cancels = MAX (cancels, 1);

  graph = bench_load_graph (argv[1], &document);
  example = attn_graph_get_example (graph);
  L = attn_example_get_n_layers (example);
  n = attn_example_get_n_tokens (example);
  focus = attn_example_get_focus (example);

  times = g_new (double, MAX (repeats, cancels));
  out = g_new (double, (gsize) L * n);

  /* One click: the rollout of the top-layer node. */
  for (int r = 0; r < repeats; r++)
    {
      t0 = g_get_monotonic_time ();
      if (!attn_rollout_node (graph, L, focus, out, NULL, &error))
        g_error ("%s", error->message);
      times[r] = bench_ms_since (t0);
    }
  g_print ("rollout-top-node %.3f ms (median of %d)\n", bench_median (times, repeats), repeats);

  for (int r = 0; r < repeats; r++)
    {
      t0 = g_get_monotonic_time ();
      if (!attn_rollout_position (graph, focus, out, NULL, &error))
        g_error ("%s", error->message);
      times[r] = bench_ms_since (t0);
    }
  g_print ("rollout-every-layer %.3f ms (median of %d)\n", bench_median (times, repeats), repeats);

  /* The figure before any click: every node of every layer (the paper's
   * convention), L products of n x n matrices. */
  {
    g_autofree double *matrices = g_new (double, (gsize) L * n * n);
    int runs = MIN (repeats, 3);

    for (int r = 0; r < runs; r++)
      {
        t0 = g_get_monotonic_time ();
        if (!attn_rollout_matrices (graph, matrices, NULL, &error))
          g_error ("%s", error->message);
        times[r] = bench_ms_since (t0);
      }
    g_print ("rollout-every-node %.1f ms (median of %d)\n", bench_median (times, runs), runs);
  }

  if (flow)
    {
      AttnFlowOptions options = { FALSE, 0, bench_progress_cb, NULL };
      BenchProgress progress = { 0 };
      guint64 state = 7;

      options.user_data = &progress;
      progress.start = t0 = g_get_monotonic_time ();
      if (!attn_flow_position (graph, focus, &options, out, NULL, &error))
        g_error ("%s", error->message);
      g_print ("flow-every-layer %.1f ms (1 run)\n", bench_ms_since (t0));
      g_print ("flow-first-progress %.1f ms\n",
               (progress.first_report - progress.start) / 1000.);
      g_print ("flow-progress-reports %u (%u with a layer's values, last fraction %.2f)\n",
               progress.n_reports, progress.n_values, progress.last_fraction);

      /* The rest of a click in the app: the node's edge flows (all sinks). */
      {
        g_autofree double *edges = g_new (double, (gsize) L * n * n);

        options.partial = NULL;
        t0 = g_get_monotonic_time ();
        if (!attn_flow_edges (graph, L, focus, -1, &options, edges, NULL, &error))
          g_error ("%s", error->message);
        g_print ("flow-edges-top-node %.1f ms (1 run)\n", bench_ms_since (t0));
      }

      /* Cancel at random moments while it runs (the app's second click). */
      for (int r = 0; r < cancels; r++)
        {
          g_autoptr(GCancellable) cancellable = g_cancellable_new ();
          BenchCanceller c = { cancellable, 0, 0 };
          GThread *thread;
          gboolean ok;
          gint64 t1;

          state = state * 6364136223846793005ULL + 1442695040888963407ULL;
          c.delay_us = 20000 + (state >> 33) % 1000000;
          options.partial = NULL;
          thread = g_thread_new ("cancel", bench_cancel_later, &c);
          ok = attn_flow_position (graph, focus, &options, out, cancellable, &error);
          t1 = g_get_monotonic_time ();
          g_thread_join (thread);
          if (ok)
            g_error ("flow finished before it was cancelled");
          g_clear_error (&error);
          times[r] = (t1 - c.cancelled_at) / 1000.;
        }
      {
        double m = bench_median (times, cancels); /* sorts: then the last is the largest */

        g_print ("flow-cancel-latency %.2f ms (median of %d, max %.2f)\n",
                 m, cancels, times[cancels - 1]);
      }
    }

  g_print ("peak-rss %.1f MiB\n", bench_peak_rss_mib ());
  return 0;
}
