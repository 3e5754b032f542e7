/* bench-common.c: the statistics and clocks every benchmark shares
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "bench-common.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The median of the @count values of @v (sorts @v in place). */
double
bench_median (double *v,
              guint   count)
{
  qsort (v, count, sizeof (double), compare_doubles);
  return count % 2 ? v[count / 2] : 0.5 * (v[count / 2 - 1] + v[count / 2]);
}

/* Wall-clock milliseconds since @start (a g_get_monotonic_time () value). */
double
bench_ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.;
}

/* CPU time of the whole process (every thread), in ms. */
double
bench_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Peak resident memory of the process, in MiB. */
double
bench_peak_rss_mib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.;
}

gpointer
bench_cancel_later (gpointer data)
{
  BenchCanceller *c = data;

  g_usleep (c->delay_us);
  c->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (c->cancellable);
  return NULL;
}

void
bench_progress_cb (guint         layer,
                   guint         position,
                   const double *values,
                   double        fraction,
                   gpointer      user_data)
{
  BenchProgress *p = user_data;

  if (p->n_reports++ == 0)
    p->first_report = g_get_monotonic_time ();
  if (values != NULL)
    p->n_values++;
  p->last_fraction = fraction;
}

/* Loads @path and builds the graph of its first example with the default
 * settings (mean of all heads, residual 0.5), printing "load", "shape ...
 * focus" and "graph" lines; exits on an error. */
AttnGraph *
bench_load_graph (const char    *path,
                  AttnDocument **document)
{
  return bench_load_graph_weights (path, ATTN_WEIGHT_KIND_ATTENTION, document);
}

/* bench_load_graph() with the edges weighing @weights (the attention or
 * one kind of the example's contributions, as the app's Weights menu) */
AttnGraph *
bench_load_graph_weights (const char     *path,
                          AttnWeightKind  weights,
                          AttnDocument  **document)
{
  AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;
  AttnExample *example;
  AttnGraph *graph;
  guint n;
  gint64 t0;

  t0 = g_get_monotonic_time ();
  *document = attn_document_load (path, NULL, &error);
  if (*document == NULL)
    g_error ("%s", error->message);
  g_print ("load %.1f ms\n", bench_ms_since (t0));
  example = attn_document_get_example (*document, 0);
  n = attn_example_get_n_tokens (example);
  g_print ("shape %ux%ux%ux%u focus %u\n", attn_example_get_n_layers (example),
           attn_example_get_n_heads (example), n, n, attn_example_get_focus (example));

  t0 = g_get_monotonic_time ();
  options.weights = weights;
  graph = attn_graph_new (example, &options, NULL, &error);
  if (graph == NULL)
    g_error ("%s", error->message);
  g_print ("graph %.1f ms\n", bench_ms_since (t0));
  return graph;
}
