/* test-trace.c: traces of clicks and of the un-clicked view, against the methods they call
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "attn-core.h"
#include "attn-sparse-edges.h"
#include "attn-trace-private.h"

static AttnDocument *bert;

static AttnGraph *
graph_of (const char *id)
{
  AttnExample *example = attn_document_find_example (bert, id, NULL);
  g_autoptr(GError) error = NULL;
  AttnGraph *graph;

  g_assert_nonnull (example);
  graph = attn_graph_new (example, NULL, NULL, &error);
  g_assert_no_error (error);
  return graph;
}

static void
assert_equal (const double *a,
              const double *b,
              gsize         count)
{
  g_assert_true (memcmp (a, b, count * sizeof (double)) == 0);
}

/* Every-node flow (attn_flow_layers()) settles max-flows by a lower bound
 * from the layer below when there is one: the first layer of a job, and
 * attn_flow_layer(), search them, and may differ in the last digits. */
static void
assert_flow_close (const double *a,
                   const double *b,
                   gsize         count)
{
  for (gsize i = 0; i < count; i++)
    g_assert_cmpfloat_with_epsilon (a[i], b[i], 1e-12);
}

typedef struct
{
  double last;
  guint  calls;
} Progress;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_assert_cmpfloat (fraction, >=, progress->last);
  g_assert_cmpfloat (fraction, <=, 1.);
  progress->last = fraction;
  progress->calls++;
}

/* A click: its query, its edges and heatmap are the methods' own numbers,
 * and its layers are shared rather than copied */
static void
test_selection (void)
{
  g_autoptr(AttnGraph) graph = graph_of ("cat-mat");
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  gsize nn = (gsize) n * n;
  AttnTraceQuery query = { ATTN_METHOD_ROLLOUT, L - 2, 3, -1, 3 }, got;
  g_autofree double *edges = g_new (double, L * nn);
  g_autofree double *heat = g_new (double, (gsize) L * n);
  g_autoptr(AttnTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  guint layer, position;
  int sink;

  trace = attn_trace_compute (graph, &query, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  attn_trace_get_query (trace, &got);
  g_assert_true (memcmp (&got, &query, sizeof query) == 0);
  g_assert_true (attn_trace_get_selection (trace, &layer, &position, &sink));
  g_assert_cmpuint (layer, ==, L - 2);
  g_assert_cmpuint (position, ==, 3);
  g_assert_cmpint (sink, ==, -1);
  g_assert_cmpuint (attn_trace_get_n_layers (trace), ==, L);
  g_assert_cmpuint (attn_trace_get_n_tokens (trace), ==, n);
  g_assert_true (attn_trace_is_complete (trace));
  g_assert_cmpuint (attn_trace_get_size (trace), ==, L * n * (n + 1) * sizeof (double));

  g_assert_true (attn_method_edges (ATTN_METHOD_ROLLOUT, graph, L - 2, 3, -1, NULL, edges, NULL, NULL));
  g_assert_true (attn_method_importance (ATTN_METHOD_ROLLOUT, graph, 0, 3, NULL, heat, NULL, NULL));
  for (guint l = 1; l <= L; l++)
    {
      GBytes *bytes = attn_trace_get_layer_bytes (trace, l);

      assert_equal (attn_trace_get_layer_edges (trace, l), edges + (l - 1) * nn, nn);
      g_assert_true (g_bytes_get_data (bytes, NULL) == (gconstpointer) attn_trace_get_layer_edges (trace, l));
      g_assert_cmpuint (g_bytes_get_size (bytes), ==, nn * sizeof (double));
    }
  g_assert_cmpfloat (attn_trace_get_edge (trace, L - 2, 3, 4), ==, edges[(L - 3) * nn + 3 * n + 4]);
  assert_equal (attn_trace_get_heatmap (trace), heat, (gsize) L * n);
  assert_equal (attn_trace_get_node_values (trace), heat + (gsize) (L - 3) * n, n);

  /* the heatmap elsewhere: no node values */
  query.heat_position = 0;
  g_clear_pointer (&trace, attn_trace_unref);
  trace = attn_trace_compute (graph, &query, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (attn_trace_get_node_values (trace));
  g_assert_cmpuint (attn_trace_get_heat_position (trace), ==, 0);
}

/* A flow click computes only its node's own layer of the heatmap, and
 * reports its progress to the end */
static void
test_flow_click (void)
{
  g_autoptr(AttnGraph) graph = graph_of ("rabbit-turtle");
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  AttnTraceQuery query = { ATTN_METHOD_FLOW, L, 0, 2, 0 };
  g_autofree double *node = g_new (double, n);
  g_autofree double *edges = g_new (double, (gsize) L * n * n);
  g_autoptr(AttnTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { 0., 0 };

  trace = attn_trace_compute (graph, &query, progress_cb, &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (progress.calls, >, 1);
  g_assert_cmpfloat (progress.last, ==, 1.);
  g_assert_null (attn_trace_get_heatmap (trace));
  g_assert_true (attn_method_importance (ATTN_METHOD_FLOW, graph, L, 0, NULL, node, NULL, NULL));
  assert_equal (attn_trace_get_node_values (trace), node, n);
  g_assert_true (attn_method_edges (ATTN_METHOD_FLOW, graph, L, 0, 2, NULL, edges, NULL, NULL));
  for (guint l = 1; l <= L; l++)
    assert_equal (attn_trace_get_layer_edges (trace, l), edges + (gsize) (l - 1) * n * n, (gsize) n * n);
}

/* Without a selection: every node's importance on its edges, the heatmap
 * the row of the heat position */
static void
test_every_node (void)
{
  g_autoptr(AttnGraph) graph = graph_of ("cat-mat");
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  g_autofree double *heat = g_new (double, (gsize) L * n);

  for (AttnMethod m = ATTN_METHOD_RAW; m <= ATTN_METHOD_ROLLOUT; m++)
    {
      AttnTraceQuery query = { m, 0, 7, 3, 5 };
      g_autoptr(AttnTrace) trace = NULL;
      g_autoptr(GError) error = NULL;
      AttnTraceQuery got;

      trace = attn_trace_compute (graph, &query, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      attn_trace_get_query (trace, &got);
      g_assert_cmpuint (got.position, ==, 0);
      g_assert_cmpint (got.sink, ==, -1);
      g_assert_false (attn_trace_get_selection (trace, NULL, NULL, NULL));
      g_assert_null (attn_trace_get_node_values (trace));
      g_assert_true (attn_trace_is_complete (trace));
      g_assert_true (attn_method_importance (m, graph, 0, 5, NULL, heat, NULL, NULL));
      for (guint l = 1; l <= L; l++)
        for (guint j = 0; j < n; j++)
          {
            g_assert_cmpfloat_with_epsilon (attn_trace_get_heatmap (trace)[(l - 1) * n + j],
                                            heat[(l - 1) * n + j], 1e-12);
            g_assert_cmpfloat (attn_trace_get_edge (trace, l, 5, j), ==,
                               attn_trace_get_heatmap (trace)[(l - 1) * n + j]);
          }
    }
}

typedef struct
{
  Progress      progress;  /* first: progress_cb() reads it */
  GPtrArray    *delivered;
  guint         cancel_at;
  GCancellable *cancellable;
} Deliveries;

static void
layer_done_cb (AttnTrace *trace,
               gpointer   user_data)
{
  Deliveries *d = user_data;

  g_ptr_array_add (d->delivered, attn_trace_ref (trace));
  if (attn_trace_get_n_layers_done (trace) == d->cancel_at)
    g_cancellable_cancel (d->cancellable);
}

/* The un-clicked flow view, layer by layer: each delivered trace stays as
 * it was, later ones share its layers; cancelled, it resumes from the last
 * delivered one to the same numbers (to 1e-12: assert_flow_close()) */
static void
test_progressive (void)
{
  g_autoptr(AttnGraph) graph = graph_of ("rabbit-turtle");
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  gsize nn = (gsize) n * n;
  g_autoptr(AttnTrace) pending = attn_trace_new_pending (ATTN_METHOD_FLOW, 4, L, n);
  g_autoptr(AttnTrace) whole = NULL;
  g_autoptr(AttnTrace) resumed = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Deliveries d = { { 0., 0 }, g_ptr_array_new_with_free_func ((GDestroyNotify) attn_trace_unref),
                   0, NULL };
  GError *error = NULL;
  AttnTrace *last;

  g_assert_cmpuint (attn_trace_get_n_layers_done (pending), ==, 0);
  g_assert_null (attn_trace_get_layer_edges (pending, 1));
  g_assert_true (isnan (attn_trace_get_edge (pending, 1, 0, 0)));
  g_assert_null (attn_trace_get_heatmap (pending));

  whole = attn_trace_continue (graph, pending, layer_done_cb, progress_cb, &d, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (d.progress.last, ==, 1.);
  g_assert_cmpuint (d.delivered->len, ==, L);
  g_assert_cmpuint (attn_trace_get_n_layers_done (pending), ==, 0);
  for (guint i = 0; i < L; i++)
    {
      AttnTrace *t = g_ptr_array_index (d.delivered, i);

      g_assert_cmpuint (attn_trace_get_n_layers_done (t), ==, i + 1);
      g_assert_true (i + 1 == L ? attn_trace_get_heatmap (t) != NULL : attn_trace_get_heatmap (t) == NULL);
      for (guint l = 1; l <= L; l++)
        if (l <= i + 1)
          g_assert_true (attn_trace_get_layer_bytes (t, l) == attn_trace_get_layer_bytes (whole, l));
        else
          g_assert_null (attn_trace_get_layer_edges (t, l));
    }
  for (guint l = 1; l <= L; l++)
    {
      g_autofree double *values = g_new (double, nn);

      g_assert_true (attn_flow_layer (graph, l, NULL, values, NULL, NULL));
      assert_flow_close (attn_trace_get_layer_edges (whole, l), values, nn);
      assert_flow_close (attn_trace_get_heatmap (whole) + (gsize) (l - 1) * n, values + 4 * n, n);
    }
  /* complete: continuing is a no-op */
  resumed = attn_trace_continue (graph, whole, NULL, NULL, NULL, NULL, &error);
  g_assert_true (resumed == whole);
  g_clear_pointer (&resumed, attn_trace_unref);

  /* cancelled after 3 layers, then resumed */
  g_ptr_array_set_size (d.delivered, 0);
  d.cancel_at = 3;
  d.cancellable = cancellable;
  g_assert_null (attn_trace_continue (graph, pending, layer_done_cb, NULL, &d, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (d.delivered->len, ==, 3);
  last = g_ptr_array_index (d.delivered, 2);
  resumed = attn_trace_continue (graph, last, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attn_trace_get_n_layers_done (last), ==, 3);
  for (guint l = 1; l <= L; l++)
    {
      assert_flow_close (attn_trace_get_layer_edges (resumed, l), attn_trace_get_layer_edges (whole, l), nn);
      if (l <= 3)
        g_assert_true (attn_trace_get_layer_bytes (resumed, l) == attn_trace_get_layer_bytes (last, l));
    }
  assert_flow_close (attn_trace_get_heatmap (resumed), attn_trace_get_heatmap (whole), (gsize) L * n);
  g_ptr_array_unref (d.delivered);
}

/* Row q of @layer of @trace equals @expected (n values, bit for bit) */
static void
assert_rows_equal (const AttnTrace *trace,
                   guint            layer,
                   const double    *expected)
{
  guint n = attn_trace_get_n_tokens (trace);
  g_autofree double *buffer = g_new (double, n);

  for (guint q = 0; q < n; q++)
    assert_equal (attn_trace_get_edge_row (trace, layer, q, buffer), expected + (gsize) q * n, n);
}

/* Long inputs' traces (the threshold lowered here) keep less than L·n·n
 * doubles: a rollout click its path shares, which give the edges of
 * attn_method_edges() bit for bit; the un-clicked rollout view floats for
 * drawing, within 1e-6 of the doubles, while its heatmap and any one edge
 * asked for stay the doubles; cancelled, it resumes to the same floats. A
 * click with a sink keeps its doubles. */
static void
test_compact (void)
{
  g_autoptr(AttnGraph) graph = graph_of ("rabbit-turtle");
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  gsize nn = (gsize) n * n;
  AttnTraceQuery click = { ATTN_METHOD_ROLLOUT, L - 1, 3, -1, 3 };
  AttnTraceQuery with_sink = { ATTN_METHOD_ROLLOUT, L, 3, 1, 3 };
  g_autofree double *edges = g_new (double, L * nn);
  g_autofree double *node = g_new (double, n);
  g_autofree double *row = g_new (double, n);
  g_autoptr(AttnTrace) trace = NULL;
  g_autoptr(AttnTrace) sink = NULL;
  g_autoptr(AttnTrace) whole = NULL;
  g_autoptr(AttnTrace) pending = NULL;
  g_autoptr(AttnTrace) resumed = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Deliveries d = { { 0., 0 }, g_ptr_array_new_with_free_func ((GDestroyNotify) attn_trace_unref),
                   2, cancellable };
  GError *error = NULL;

  _attn_trace_set_compact_min (n);

  trace = attn_trace_compute (graph, &click, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (attn_trace_is_compact (trace));
  g_assert_true (attn_trace_get_graph (trace) == graph);
  g_assert_cmpuint (attn_trace_get_size (trace), ==, (gsize) (2 * L - 1) * n * sizeof (double));
  g_assert_true (attn_method_edges (ATTN_METHOD_ROLLOUT, graph, L - 1, 3, -1, NULL, edges, NULL, NULL));
  g_assert_true (attn_method_importance (ATTN_METHOD_ROLLOUT, graph, L - 1, 3, NULL, node, NULL, NULL));
  assert_equal (attn_trace_get_node_values (trace), node, n);
  for (guint l = 1; l <= L; l++)
    {
      g_assert_true (attn_trace_has_layer (trace, l));
      g_assert_null (attn_trace_get_layer_edges (trace, l));
      g_assert_null (attn_trace_get_layer_bytes (trace, l));
      assert_rows_equal (trace, l, edges + (l - 1) * nn);
      g_assert_cmpfloat (attn_trace_get_edge (trace, l, 3, 5), ==, edges[(l - 1) * nn + 3 * n + 5]);
    }

  sink = attn_trace_compute (graph, &with_sink, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (attn_trace_is_compact (sink));
  g_assert_nonnull (attn_trace_get_layer_edges (sink, 1));

  /* the un-clicked view */
  pending = attn_trace_new_pending (ATTN_METHOD_ROLLOUT, 4, L, n);
  whole = attn_trace_continue (graph, pending, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (attn_trace_is_compact (whole));
  g_assert_cmpuint (attn_trace_get_size (whole), ==, L * nn * sizeof (float) + (gsize) L * n * sizeof (double));
  g_assert_true (attn_rollout_matrices (graph, edges, NULL, NULL));
  for (guint l = 1; l <= L; l++)
    {
      const double *m = edges + (l - 1) * nn;

      g_assert_null (attn_trace_get_layer_edges (whole, l));
      g_assert_cmpuint (g_bytes_get_size (attn_trace_get_layer_bytes (whole, l)), ==, nn * sizeof (float));
      for (guint q = 0; q < n; q++)
        {
          const double *r = attn_trace_get_edge_row (whole, l, q, row);

          for (guint k = 0; k < n; k++)
            {
              g_assert_cmpfloat (r[k], ==, (double) (float) m[q * n + k]);
              g_assert_cmpfloat (fabs (r[k] - m[q * n + k]), <=, 1e-6);
              g_assert_cmpfloat_with_epsilon (attn_trace_get_edge (whole, l, q, k), m[q * n + k], 1e-14);
            }
        }
      assert_equal (attn_trace_get_heatmap (whole) + (l - 1) * n, m + 4 * n, n);
    }

  /* cancelled after 2 layers, resumed: the same floats */
  g_assert_null (attn_trace_continue (graph, pending, layer_done_cb, NULL, &d, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  resumed = attn_trace_continue (graph, g_ptr_array_index (d.delivered, 1), NULL, NULL, NULL, NULL,
                                 &error);
  g_assert_no_error (error);
  for (guint l = 1; l <= L; l++)
    g_assert_true (g_bytes_equal (attn_trace_get_layer_bytes (resumed, l),
                                  attn_trace_get_layer_bytes (whole, l)));
  assert_equal (attn_trace_get_heatmap (resumed), attn_trace_get_heatmap (whole), (gsize) L * n);

  g_ptr_array_unref (d.delivered);
  _attn_trace_set_compact_min (ATTN_TRACE_COMPACT_MIN_TOKENS);
}

/* The un-clicked raw view of a long input keeps its layers as floats, as
 * rollout's does (at n = 2048 the doubles took 384 MiB): each edge drawn
 * within float rounding of the head-mixed attention, each one asked for the
 * double itself */
static void
test_compact_raw_view (void)
{
  g_autoptr(AttnGraph) graph = graph_of ("rabbit-turtle");
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  gsize nn = (gsize) n * n;
  g_autofree double *mixed = g_new (double, n);
  g_autofree double *row = g_new (double, n);
  g_autoptr(AttnTrace) pending = NULL;
  g_autoptr(AttnTrace) whole = NULL;
  GError *error = NULL;

  _attn_trace_set_compact_min (n);
  pending = attn_trace_new_pending (ATTN_METHOD_RAW, 4, L, n);
  whole = attn_trace_continue (graph, pending, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (attn_trace_is_compact (whole));
  g_assert_cmpuint (attn_trace_get_size (whole), ==, L * nn * sizeof (float) + (gsize) L * n * sizeof (double));
  for (guint l = 1; l <= L; l++)
    {
      g_assert_null (attn_trace_get_layer_edges (whole, l));
      for (guint q = 0; q < n; q++)
        {
          const double *r = attn_trace_get_edge_row (whole, l, q, row);

          attn_graph_read_mixed_row (graph, l, q, mixed);
          for (guint k = 0; k < n; k++)
            {
              g_assert_cmpfloat (r[k], ==, (double) (float) mixed[k]);
              g_assert_cmpfloat (attn_trace_get_edge (whole, l, q, k), ==, mixed[k]);
            }
          if (q == 4)
            assert_equal (attn_trace_get_heatmap (whole) + (l - 1) * n, mixed, n);
        }
    }
  _attn_trace_set_compact_min (ATTN_TRACE_COMPACT_MIN_TOKENS);
}

/* Computes @click on a long input's terms (compact) and checks each of its
 * edges against attn_method_edges() bit for bit: those are left in @edges;
 * returns the trace and, in @nonzero, how many edges are not 0 */
static AttnTrace *
compact_click (AttnGraph            *graph,
               const AttnTraceQuery *click,
               double               *edges,
               gsize                *nonzero)
{
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  gsize nn = (gsize) n * n;
  AttnTrace *trace;
  GError *error = NULL;

  trace = attn_trace_compute (graph, click, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (attn_trace_is_compact (trace));
  g_assert_null (attn_trace_get_graph (trace));
  g_assert_true (attn_method_edges (click->method, graph, click->layer, click->position, click->sink,
                                    NULL, edges, NULL, NULL));
  *nonzero = 0;
  for (gsize i = 0; i < L * nn; i++)
    *nonzero += edges[i] != 0.;
  for (guint l = 1; l <= L; l++)
    {
      g_assert_true (attn_trace_has_layer (trace, l));
      g_assert_null (attn_trace_get_layer_edges (trace, l));
      g_assert_null (attn_trace_get_layer_bytes (trace, l));
      assert_rows_equal (trace, l, edges + (l - 1) * nn);
      for (guint q = 0; q < n; q++)
        for (guint k = 0; k < n; k++)
          g_assert_cmpfloat (attn_trace_get_edge (trace, l, q, k), ==, edges[(l - 1) * nn + q * n + k]);
    }
  return trace;
}

/* A long input's flow click keeps only the edges that carry flow, a raw
 * click only its position's rows (all but L rows of its L·n·n doubles are
 * 0): each row as attn_method_edges() computes it, bit for bit, in a
 * fraction of the L·n·n doubles; with a sink too */
static void
test_compact_sparse (gconstpointer data)
{
  AttnMethod method = GPOINTER_TO_UINT (data);
  g_autoptr(AttnGraph) graph = graph_of ("rabbit-turtle");
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  gsize nn = (gsize) n * n;
  const AttnTraceQuery clicks[] = { { method, L, 3, -1, 3 }, { method, L - 2, 2, 1, 2 } };
  g_autofree double *edges = g_new (double, L * nn);

  _attn_trace_set_compact_min (n);
  for (guint c = 0; c < G_N_ELEMENTS (clicks); c++)
    {
      gsize kept, size = 0;
      g_autoptr(AttnTrace) trace = compact_click (graph, &clicks[c], edges, &kept);

      for (guint l = 1; l <= L; l++)
        size += ((n + 1) * sizeof (guint32) + 7) / 8 * 8;
      g_test_message ("sink %d: %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " edges are not 0",
                      clicks[c].sink, kept, L * nn);
      g_assert_cmpuint (kept, >, 0);
      if (method == ATTN_METHOD_RAW)
        g_assert_cmpuint (kept, <=, (gsize) clicks[c].layer * n);
      else
        g_assert_cmpuint (kept, <, L * nn / 2);
      size += (gsize) L * n * sizeof (double) + kept * (sizeof (double) + sizeof (guint32));
      g_assert_cmpuint (attn_trace_get_size (trace), ==, size);
    }
  _attn_trace_set_compact_min (ATTN_TRACE_COMPACT_MIN_TOKENS);
}

/* Sums of edge values, as a flow click makes them: each the bits of
 * `out[index] += value` in the order added, the first layer's in place,
 * the others' through their tables' growth (77,000 edges of 80,000 summed),
 * divided, then read as sparse layers */
static void
test_edge_sums (void)
{
  const guint L = 3, n = 200;
  gsize size = (gsize) L * n * n;
  g_autofree double *dense = g_new0 (double, size);
  g_autofree double *row = g_new (double, n);
  g_autoptr(AttnEdgeSums) sums = _attn_edge_sums_new (L, n, 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  GBytes **layers;
  gsize kept = 0, carrying = 0;

  for (guint i = 0; i < 400000; i++)
    {
      guint32 index = g_rand_int_range (rand, 0, size);
      double value = g_rand_double (rand) * 1e-3;

      dense[index] += value;
      _attn_edge_sums_add (sums, index, value);
    }
  for (gsize i = 0; i < size; i++)
    {
      dense[i] /= 7.3;
      carrying += dense[i] != 0.;
    }
  _attn_edge_sums_divide (sums, 7.3);
  layers = _attn_edge_sums_to_layers (sums);
  for (guint l = 0; l < L; l++)
    {
      for (guint q = 0; q < n; q++)
        {
          _attn_sparse_layer_read_row (layers[l], n, q, row);
          assert_equal (row, dense + (gsize) l * n * n + (gsize) q * n, n);
        }
      kept += (g_bytes_get_size (layers[l]) - ((n + 1) * sizeof (guint32) + 7) / 8 * 8) /
              (sizeof (double) + sizeof (guint32));
      g_bytes_unref (layers[l]);
    }
  g_free (layers);
  g_assert_cmpuint (carrying, >, 110000);
  g_assert_cmpuint (kept, ==, carrying);
}

static void
test_errors (void)
{
  g_autoptr(AttnGraph) graph = graph_of ("cat-mat");
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  const AttnTraceQuery bad[] = {
    { ATTN_METHOD_ROLLOUT, L + 1, 0, -1, 0 },
    { ATTN_METHOD_ROLLOUT, L, n, -1, 0 },
    { ATTN_METHOD_FLOW, L, 0, (int) n, 0 },
    { ATTN_METHOD_RAW, 0, 0, -1, n },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      GError *error = NULL;

      g_assert_null (attn_trace_compute (graph, &bad[i], NULL, NULL, NULL, &error));
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

  g_test_add_func ("/attn/core/trace/selection", test_selection);
  g_test_add_func ("/attn/core/trace/flow-click", test_flow_click);
  g_test_add_func ("/attn/core/trace/every-node", test_every_node);
  g_test_add_func ("/attn/core/trace/progressive", test_progressive);
  g_test_add_func ("/attn/core/trace/compact", test_compact);
  g_test_add_func ("/attn/core/trace/compact-raw-view", test_compact_raw_view);
  g_test_add_data_func ("/attn/core/trace/compact-flow", GUINT_TO_POINTER (ATTN_METHOD_FLOW),
                        test_compact_sparse);
  g_test_add_data_func ("/attn/core/trace/compact-raw", GUINT_TO_POINTER (ATTN_METHOD_RAW),
                        test_compact_sparse);
  g_test_add_func ("/attn/core/trace/edge-sums", test_edge_sums);
  g_test_add_func ("/attn/core/trace/errors", test_errors);

  status = g_test_run ();
  attn_document_unref (bert);
  return status;
}
