/* bench-flow.c: attention flow timings (BENCHMARKS.md), medians
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* bench-flow [--sizes 32,128,512] [--repeats N] [--threads T] [--export-n N --export FILE]
 *            [FILE:EXAMPLE ...]
 *
 * Synthetic attention, 12 layers x 12 heads mean-mixed, at each size: one
 * top-layer node to all inputs, every layer at one position (the heatmap;
 * position 0 for synthetic data, the example's focus for real examples),
 * and at the largest size the latency of a cancellation from another thread.
 * Then the same on each real example given. Prints medians in milliseconds:
 * wall-clock time, and CPU time of the process (all threads; on a machine
 * shared with other work, wall-clock time includes waiting for a core).
 * --export writes a synthetic n = N example as a base64 float32 export (for
 * the whole-process comparison with the reference implementation). */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attn-core.h"
#include "bench-common.h"

#define BENCH_LAYERS 12
#define BENCH_HEADS 12

static double
next_uniform (guint64 *state)
{
  *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double) (*state >> 11) / 9007199254740992.;
}

/* One attention head's row: a softmax over logits shaped by the head's kind. */
static void
head_row (guint    kind,
          guint    n,
          guint    q,
          guint64 *state,
          double  *row)
{
  double sum = 0.;

  for (guint k = 0; k < n; k++)
    {
      double logit = 1.5 * next_uniform (state);

      switch (kind)
        {
        case 0: /* attention sink: [CLS] and [SEP] */
          if (k == 0 || k == n - 1)
            logit += 6.;
          break;
        case 1: /* diagonal */
          if (k == q)
            logit += 5.;
          break;
        case 2: /* previous token */
          if (k + 1 == q || (q == 0 && k == 0))
            logit += 5.;
          break;
        case 3: /* next token */
          if (k == q + 1 || (q == n - 1 && k == q))
            logit += 5.;
          break;
        default: /* broad, with a mild sink */
          if (k == n - 1)
            logit += 2.;
          break;
        }
      row[k] = exp (logit);
      sum += row[k];
    }
  for (guint k = 0; k < n; k++)
    row[k] /= sum;
}

/* L x H heads of realistic attention, mean over the heads: W_1 .. W_L. */
static double *
synthetic_attention (guint   n,
                     guint64 seed,
                     float  *heads_out)
{
  double *w = g_new0 (double, (gsize) BENCH_LAYERS * n * n);
  g_autofree double *row = g_new (double, n);
  guint64 state = seed;

  for (guint l = 0; l < BENCH_LAYERS; l++)
    for (guint h = 0; h < BENCH_HEADS; h++)
      {
        /* Upper layers lean towards sink heads, as in BERT. */
        guint kind = (h + l) % 6;

        if (l >= 6 && h % 2 == 0)
          kind = 0;
        for (guint q = 0; q < n; q++)
          {
            head_row (kind, n, q, &state, row);
            for (guint k = 0; k < n; k++)
              {
                w[((gsize) l * n + q) * n + k] += row[k] / BENCH_HEADS;
                if (heads_out != NULL)
                  heads_out[(((gsize) l * BENCH_HEADS + h) * n + q) * n + k] = (float) row[k];
              }
          }
      }
  return w;
}

static void
bench_graph (AttnGraph  *graph,
             const char *label,
             guint       position,
             guint       repeats,
             guint       n_threads,
             gboolean    with_cancel)
{
  guint L = attn_graph_get_n_layers (graph);
  guint n = attn_graph_get_n_tokens (graph);
  g_autofree double *out = g_new (double, (gsize) L * n);
  g_autofree double *times = g_new (double, repeats);
  g_autofree double *cpu = g_new (double, repeats);
  AttnFlowOptions options = { FALSE, n_threads, NULL, NULL };
  g_autoptr(GError) error = NULL;

  for (guint r = 0; r < repeats; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      double c0 = bench_cpu_ms ();

      if (!attn_flow_node (graph, L, position, &options, out, NULL, &error))
        g_error ("%s", error->message);
      times[r] = (g_get_monotonic_time () - t0) / 1000.;
      cpu[r] = bench_cpu_ms () - c0;
    }
  g_print ("%-32s n=%-4u L=%-2u top node (%2u):    median %9.2f ms, cpu %9.2f ms (%u runs)\n",
           label, n, L, position, bench_median (times, repeats), bench_median (cpu, repeats), repeats);

  for (guint r = 0; r < repeats; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      double c0 = bench_cpu_ms ();

      if (!attn_flow_position (graph, position, &options, out, NULL, &error))
        g_error ("%s", error->message);
      times[r] = (g_get_monotonic_time () - t0) / 1000.;
      cpu[r] = bench_cpu_ms () - c0;
    }
  g_print ("%-32s n=%-4u L=%-2u every layer (%2u): median %9.2f ms, cpu %9.2f ms (%u runs)\n",
           label, n, L, position, bench_median (times, repeats), bench_median (cpu, repeats), repeats);

  if (with_cancel)
    {
      guint cancelled = 0;

      for (guint r = 0; r < repeats; r++)
        {
          g_autoptr(GCancellable) cancellable = g_cancellable_new ();
          BenchCanceller c = { cancellable, 1000 * (40 + 37 * r), 0 };
          GThread *thread = g_thread_new ("cancel", bench_cancel_later, &c);
          gboolean ok = attn_flow_position (graph, position, &options, out, cancellable, &error);
          gint64 t1 = g_get_monotonic_time ();

          g_thread_join (thread);
          if (ok)
            continue; /* finished before the cancellation */
          g_clear_error (&error);
          times[cancelled++] = (t1 - c.cancelled_at) / 1000.;
        }
      if (cancelled > 0)
        g_print ("%-32s n=%-4u L=%-2u cancel latency:    median %9.2f ms (%u runs)\n",
                 label, n, L, bench_median (times, cancelled), cancelled);
    }
}

static void
write_export (guint       n,
              const char *path)
{
  gsize count = (gsize) BENCH_LAYERS * BENCH_HEADS * n * n;
  g_autofree float *heads = g_new (float, count);
  g_autofree double *w = synthetic_attention (n, 42, heads);
  g_autofree char *b64 = g_base64_encode ((const guchar *) heads, count * sizeof (float));
  GString *s = g_string_new ("{\"format\": \"attnflow\", \"version\": 1, \"model\": \"synthetic\", "
                             "\"examples\": [{\"id\": \"synthetic\", \"tokens\": [");
  g_autoptr(GError) error = NULL;

  g_assert (G_BYTE_ORDER == G_LITTLE_ENDIAN);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s\"t%u\"", i ? ", " : "", i);
  g_string_append_printf (s, "], \"attention\": {\"dtype\": \"float32\", \"shape\": [%u, %u, %u, %u], "
                          "\"base64\": \"%s\"}}]}\n", BENCH_LAYERS, BENCH_HEADS, n, n, b64);
  if (!g_file_set_contents (path, s->str, s->len, &error))
    g_error ("%s", error->message);
  g_string_free (s, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *sizes = NULL;
  g_autofree char *export_path = NULL;
  int repeats = 5, threads = 0, export_n = 32;
  g_auto(GStrv) size_list = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes, "Synthetic sizes (comma-separated)", "N,..." },
    { "repeats", 0, 0, G_OPTION_ARG_INT, &repeats, "Runs per measurement", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Worker threads (0: all processors)", "T" },
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &export_path, "Write a synthetic export and exit", "FILE" },
    { "export-n", 0, 0, G_OPTION_ARG_INT, &export_n, "Tokens of the export", "N" },
    { NULL }
  };

  context = g_option_context_new ("[FILE:EXAMPLE...]");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (export_path != NULL)
    {
      write_export ((guint) export_n, export_path);
      return 0;
    }
  repeats = MAX (repeats, 1);

  g_print ("threads: %d (0 = all %u processors)\n", threads, g_get_num_processors ());
  size_list = g_strsplit (sizes ? sizes : "32,128,512", ",", -1);
  for (guint i = 0; size_list[i] != NULL; i++)
    {
      guint n = (guint) g_ascii_strtoull (size_list[i], NULL, 10);
      g_autofree double *w = NULL;
      g_autoptr(AttnGraph) graph = NULL;

      if (n == 0)
        continue;
      w = synthetic_attention (n, 42 + n, NULL);
      graph = attn_graph_new_from_matrices (BENCH_LAYERS, n, w, 0.5, &error);
      if (graph == NULL)
        g_error ("%s", error->message);
      bench_graph (graph, "synthetic", 0, (guint) repeats, (guint) threads, size_list[i + 1] == NULL);
    }

  for (int a = 1; a < argc; a++)
    {
      g_auto(GStrv) parts = g_strsplit (argv[a], ":", 2);
      g_autoptr(AttnDocument) document = NULL;
      g_autoptr(AttnGraph) graph = NULL;
      AttnExample *example;

      document = attn_document_load (parts[0], NULL, &error);
      if (document == NULL)
        g_error ("%s", error->message);
      example = parts[1] ? attn_document_find_example (document, parts[1], &error)
                         : attn_document_get_example (document, 0);
      if (example == NULL)
        g_error ("%s", error->message);
      graph = attn_graph_new (example, NULL, NULL, &error);
      if (graph == NULL)
        g_error ("%s", error->message);
      {
        g_autofree char *base = g_path_get_basename (parts[0]);
        g_autofree char *label = NULL;

        if (g_str_has_suffix (base, ".json"))
          base[strlen (base) - 5] = '\0';
        label = g_strdup_printf ("%s:%s", base, attn_example_get_id (example));
        bench_graph (graph, label, attn_example_get_focus (example), (guint) repeats,
                     (guint) threads, FALSE);
      }
    }

  return 0;
}
