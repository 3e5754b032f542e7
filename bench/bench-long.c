/* bench-long.c: long inputs in one process, medians
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-long [--repeats N] [--cancels N] [--every-node [--estimate-only]] [--weights KIND] FILE
 *
 * Loads the first example of FILE and builds its graph (mean of all heads,
 * residual 0.5; --weights: one kind of the example's contributions, e.g.
 * alti, instead of the attention), then times, with the process start left out:
 *  - the rollout of the focus token's top-layer node (a click);
 *  - the flow of that node to every input (a flow click): wall and CPU time
 *    (CPU / wall shows how busy the cores are), the time to the first
 *    progress report and the number of reports; then the latency of a
 *    cancellation from another thread at random moments of the run;
 *  - with --every-node, the flow of every node of every layer (the un-clicked
 *    Flow figure, attn_method_every_node () as the app computes it) instead of
 *    the cancels, and the time of each of its layers (medians: the shape of
 *    attn_flow_estimate_every_node ()'s model), and before it the estimate
 *    attn_flow_measure_every_node () measures on the input, and its time.
 * Prints one "key value unit" line per figure; bench/bench-long.sh runs it.
 */

#include "config.h"

#include "attn-core.h"
#include "bench-common.h"

/* Each layer's time of one run of the flow of every node */
typedef struct
{
  gint64 last;
  double *ms;   /* [layer - 1] */
} LayerTimes;

static void
every_node_layer_cb (guint         layer,
                     const double *values,
                     gpointer      user_data)
{
  LayerTimes *times = user_data;
  gint64 now = g_get_monotonic_time ();

  times->ms[layer - 1] = (now - times->last) / 1000.;
  times->last = now;
}

int
main (int   argc,
      char *argv[])
{
  int repeats = 3, cancels = 5;
  gboolean every_node = FALSE, estimate_only = FALSE;
  g_autofree char *weights_name = NULL;
  AttnWeightKind weights = ATTN_WEIGHT_KIND_ATTENTION;
  GOptionEntry entries[] = {
    { "repeats", 0, 0, G_OPTION_ARG_INT, &repeats, "Runs per measurement", "N" },
    { "cancels", 0, 0, G_OPTION_ARG_INT, &cancels, "Cancellations to time (0: none)", "N" },
    { "every-node", 0, 0, G_OPTION_ARG_NONE, &every_node, "Time the flow of every node", NULL },
    { "estimate-only", 0, 0, G_OPTION_ARG_NONE, &estimate_only, "With --every-node, only its estimates", NULL },
    { "weights", 0, 0, G_OPTION_ARG_STRING, &weights_name, "What the edges weigh (attention, alti, ...)", "KIND" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE");
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(AttnGraph) graph = NULL;
  g_autofree double *times = NULL;
  g_autofree double *cpu = NULL;
  g_autofree double *out = NULL;
  AttnFlowOptions options = { FALSE, 0, NULL, NULL };
  AttnExample *example;
  guint L, n, focus;
  double flow_ms;
  gint64 t0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error ? error->message : "usage: bench-long [OPTION...] FILE");
      return 2;
    }
  if (weights_name != NULL && !attn_weight_kind_from_name (weights_name, &weights))
    {
      g_printerr ("unknown weights: %s\n", weights_name);
      return 2;
    }
  repeats = MAX (repeats, 1);
  cancels = MAX (cancels, 0);
  times = g_new (double, MAX (repeats, cancels) + 1);
  cpu = g_new (double, repeats);

  graph = bench_load_graph_weights (argv[1], weights, &document);
  example = attn_graph_get_example (graph);
  L = attn_example_get_n_layers (example);
  n = attn_example_get_n_tokens (example);
  focus = attn_example_get_focus (example);
  g_print ("peak-rss-after-graph %.1f MiB\n", bench_peak_rss_mib ());

  out = g_new (double, (gsize) n * n);
  for (int r = 0; r < repeats; r++)
    {
      t0 = g_get_monotonic_time ();
      if (!attn_rollout_node (graph, L, focus, out, NULL, &error))
        g_error ("%s", error->message);
      times[r] = bench_ms_since (t0);
    }
  g_print ("rollout-node %.2f ms (median of %d)\n", bench_median (times, repeats), repeats);

  if (every_node)
    {
      g_autofree double *layer_ms = g_new (double, (gsize) L * repeats);
      g_autofree double *one_layer = g_new (double, repeats);
      double estimate = attn_flow_estimate_every_node (graph);
      double measured, measure_cpu;

      t0 = g_get_monotonic_time ();
      measure_cpu = bench_cpu_ms ();
      measured = attn_flow_measure_every_node (graph, ATTN_FLOW_MEASURE_BUDGET, NULL, &error);
      if (measured < 0.)
        g_error ("%s", error->message);
      g_print ("flow-every-node-measured %.1f ms, in %.1f ms (cpu %.1f ms)\n", measured * 1000.,
               bench_ms_since (t0), bench_cpu_ms () - measure_cpu);
      if (estimate_only)
        {
          g_print ("flow-every-node-estimate %.1f ms\n", estimate * 1000.);
          return 0;
        }

      for (int r = 0; r < repeats; r++)
        {
          double c0 = bench_cpu_ms ();
          LayerTimes layers = { 0, layer_ms + (gsize) L * r };

          layers.last = t0 = g_get_monotonic_time ();
          if (!attn_method_every_node (ATTN_METHOD_FLOW, graph, 1, L, &options, every_node_layer_cb,
                                       &layers, NULL, &error))
            g_error ("%s", error->message);
          times[r] = bench_ms_since (t0);
          cpu[r] = bench_cpu_ms () - c0;
        }
      g_print ("flow-every-node %.1f ms (median of %d), cpu %.1f ms\n",
               bench_median (times, repeats), repeats, bench_median (cpu, repeats));
      g_print ("flow-every-node-estimate %.1f ms\n", estimate * 1000.);
      for (guint l = 0; l < L; l++)
        {
          for (int r = 0; r < repeats; r++)
            one_layer[r] = layer_ms[(gsize) L * r + l];
          g_print ("flow-every-node-layer-%u %.1f ms (median of %d)\n", l + 1,
                   bench_median (one_layer, repeats), repeats);
        }
      g_print ("peak-rss %.1f MiB\n", bench_peak_rss_mib ());
      return 0;
    }

  {
    BenchProgress progress = { 0 };
    guint n_reports = 0;
    double first = 0.;

    for (int r = 0; r < repeats; r++)
      {
        double c0 = bench_cpu_ms ();

        progress = (BenchProgress) { 0 };
        options.partial = bench_progress_cb;
        options.user_data = &progress;
        progress.start = t0 = g_get_monotonic_time ();
        if (!attn_flow_node (graph, L, focus, &options, out, NULL, &error))
          g_error ("%s", error->message);
        times[r] = bench_ms_since (t0);
        cpu[r] = bench_cpu_ms () - c0;
        if (r == 0)
          {
            first = (progress.first_report - progress.start) / 1000.;
            n_reports = progress.n_reports;
          }
      }
    flow_ms = bench_median (times, repeats);
    g_print ("flow-node %.1f ms (median of %d), cpu %.1f ms, cpu/wall %.2f\n",
             flow_ms, repeats, bench_median (cpu, repeats), bench_median (cpu, repeats) / flow_ms);
    g_print ("flow-node-first-progress %.1f ms, reports %u\n", first, n_reports);
    g_print ("peak-rss %.1f MiB\n", bench_peak_rss_mib ());
  }

  /* Cancel at random moments of the run (a second click in the app). */
  if (cancels > 0)
    {
      guint64 state = 7;

      options.partial = NULL;
      for (int r = 0; r < cancels; r++)
        {
          g_autoptr(GCancellable) cancellable = g_cancellable_new ();
          BenchCanceller c = { cancellable, 0, 0 };
          GThread *thread;
          gboolean ok;
          gint64 t1;

          state = state * 6364136223846793005ULL + 1442695040888963407ULL;
          c.delay_us = (gulong) (1000. * flow_ms * (0.05 + 0.85 * ((state >> 33) % 1000) / 1000.));
          thread = g_thread_new ("cancel", bench_cancel_later, &c);
          ok = attn_flow_node (graph, L, focus, &options, out, cancellable, &error);
          t1 = g_get_monotonic_time ();
          g_thread_join (thread);
          if (ok)
            {
              /* Finished first (a run faster than the median): no latency to measure. */
              r--;
              cancels--;
              continue;
            }
          g_clear_error (&error);
          times[r] = (t1 - c.cancelled_at) / 1000.;
        }
      if (cancels > 0)
        {
          double m = bench_median (times, cancels); /* sorts: the last is the largest */

          g_print ("flow-node-cancel-latency %.2f ms (median of %d, max %.2f)\n",
                   m, cancels, times[cancels - 1]);
        }
    }
  return 0;
}
