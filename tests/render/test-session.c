/* test-session.c: the work behind the window, without a window
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "attn-render.h"
#include "attn-session-private.h"
#include "attn-trace-private.h"

static AttnDocument *bert;

static AttnExample *
cat_mat (void)
{
  AttnExample *example = attn_document_find_example (bert, "cat-mat", NULL);

  g_assert_nonnull (example);
  return example;
}

static void
wait_idle (AttnSession *session)
{
  while (attn_session_get_busy (session))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (attn_session_get_busy (session));
}

static AttnGraph *
graph_for (AttnExample *example,
           double       residual)
{
  g_autoptr(AttnGraphSettings) settings = attn_graph_settings_new (residual, ATTN_HEAD_MIX_MEAN,
                                                                   NULL, NULL);

  return attn_graph_new_from_settings (example, settings, NULL, NULL);
}

static void
assert_values (const double *values,
               AttnMethod    method,
               AttnGraph    *graph,
               guint         layer,
               guint         position)
{
  guint n = attn_graph_get_n_tokens (graph);
  gsize count = (layer > 0 ? 1 : attn_graph_get_n_layers (graph)) * (gsize) n;
  g_autofree double *expected = g_new (double, count);

  g_assert_nonnull (values);
  g_assert_true (attn_method_importance (method, graph, layer, position, NULL, expected, NULL, NULL));
  for (gsize i = 0; i < count; i++)
    g_assert_cmpfloat_with_epsilon (values[i], expected[i], 1e-12);
}

/* Opening: the graph, then the un-clicked view and the heatmap at the focus */
static void
test_open (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  AttnExample *example = cat_mat ();
  g_autoptr(AttnGraph) graph = graph_for (example, 0.5);
  AttnTrace *trace;

  g_assert_null (attn_session_get_trace (session));
  attn_session_set_example (session, example, NULL);
  g_assert_true (attn_session_get_busy (session));
  wait_idle (session);

  g_assert_nonnull (attn_session_get_graph (session));
  trace = attn_session_get_trace (session);
  g_assert_nonnull (trace);
  g_assert_cmpint (attn_trace_get_method (trace), ==, ATTN_METHOD_ROLLOUT);
  g_assert_false (attn_trace_get_selection (trace, NULL, NULL, NULL));
  g_assert_cmpuint (attn_session_get_heat_position (session), ==, attn_example_get_focus (example));
  assert_values (attn_session_get_heatmap (session, ATTN_METHOD_ROLLOUT), ATTN_METHOD_ROLLOUT, graph,
                 0, attn_example_get_focus (example));
  g_assert_null (attn_session_get_heatmap (session, ATTN_METHOD_FLOW));
  /* the heatmap took the trace's own values */
  g_assert_cmpuint (_attn_session_get_n_heatmap_values (session), ==, 0);
  g_assert_cmpfloat (attn_session_get_progress (session), ==, -1.);
}

/* A click: the job, cancel and replace, the cache */
static void
test_select (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  AttnExample *example = cat_mat ();
  g_autoptr(AttnGraph) graph = graph_for (example, 0.5);
  guint L = attn_example_get_n_layers (example);
  g_autoptr(GCancellable) first = NULL;
  AttnTrace *trace;
  guint layer, position;
  int sink;

  attn_session_set_example (session, example, NULL);
  wait_idle (session);

  attn_session_select (session, L, 2, -1);
  first = _attn_session_get_trace_cancellable (session);
  g_assert_nonnull (first);
  g_object_ref (first);
  attn_session_select (session, L, 0, -1);
  g_assert_true (g_cancellable_is_cancelled (first));
  g_assert_nonnull (_attn_session_get_trace_cancellable (session));
  g_assert_true (_attn_session_get_trace_cancellable (session) != first);
  wait_idle (session);

  trace = attn_session_get_trace (session);
  g_assert_true (attn_trace_get_selection (trace, &layer, &position, &sink));
  g_assert_cmpuint (layer, ==, L);
  g_assert_cmpuint (position, ==, 0);
  g_assert_cmpint (sink, ==, -1);
  assert_values (attn_trace_get_node_values (trace), ATTN_METHOD_ROLLOUT, graph, L, 0);
  assert_values (attn_session_get_heatmap (session, ATTN_METHOD_ROLLOUT), ATTN_METHOD_ROLLOUT,
                 graph, 0, 0);
  g_assert_cmpuint (_attn_session_get_n_heatmap_values (session), ==, 0);

  /* the un-clicked view again comes from the cache, at once (its scene follows) */
  attn_session_clear_selection (session);
  g_assert_null (_attn_session_get_trace_cancellable (session));
  g_assert_false (attn_trace_get_selection (attn_session_get_trace (session), NULL, NULL, NULL));
  wait_idle (session);
  /* and so does the click */
  attn_session_select (session, L, 0, -1);
  g_assert_true (attn_session_get_trace (session) == trace);
  g_assert_null (_attn_session_get_trace_cancellable (session));

  /* an input token: the paths to it, then all of them again */
  g_assert_true (attn_session_activate_node (session, 0, 3));
  wait_idle (session);
  g_assert_true (attn_trace_get_selection (attn_session_get_trace (session), NULL, NULL, &sink));
  g_assert_cmpint (sink, ==, 3);
  g_assert_true (attn_session_activate_node (session, 0, 3));
  g_assert_true (attn_session_get_trace (session) == trace);
  attn_session_clear_selection (session);
  g_assert_false (attn_session_activate_node (session, 0, 3));
  g_assert_false (attn_session_get_selection (session, NULL, NULL, NULL));
}

/* A range of layers: its bottom row (the layer under it, its input) holds
 * no selection, and a selection the range leaves below it goes: its graph
 * was empty, its status value from hidden layers, and render refused its
 * --layer below --layers */
static void
test_select_under_range (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  AttnExample *example = cat_mat ();
  guint layer, position;

  attn_session_set_example (session, example, NULL);
  wait_idle (session);
  attn_session_set_layer_range (session, 5, 6);
  wait_idle (session);
  g_assert_true (attn_session_activate_node (session, 6, 2));
  wait_idle (session);
  g_assert_false (attn_session_activate_node (session, 4, 3));
  g_assert_true (attn_session_get_selection (session, &layer, &position, NULL));
  g_assert_cmpuint (layer, ==, 6);
  g_assert_cmpuint (position, ==, 2);
  g_assert_true (attn_session_activate_node (session, 5, 3));
  wait_idle (session);
  g_assert_true (attn_session_get_selection (session, &layer, NULL, NULL));
  g_assert_cmpuint (layer, ==, 5);

  /* the range moved above the selection */
  attn_session_set_layer_range (session, 1, 0);
  attn_session_select (session, 4, 3, -1);
  wait_idle (session);
  attn_session_set_layer_range (session, 5, 6);
  g_assert_false (attn_session_get_selection (session, NULL, NULL, NULL));
  wait_idle (session);
  g_assert_false (attn_trace_get_selection (attn_session_get_trace (session), NULL, NULL, NULL));
  /* one above the range is kept: the graph shows its paths through it */
  attn_session_set_layer_range (session, 1, 0);
  attn_session_select (session, 8, 3, -1);
  attn_session_set_layer_range (session, 5, 6);
  g_assert_true (attn_session_get_selection (session, &layer, NULL, NULL));
  g_assert_cmpuint (layer, ==, 8);
  wait_idle (session);
  /* nor is one restored under it (back on an example, or its file reloaded) */
  attn_session_select (session, 3, 1, -1);
  g_assert_false (attn_session_get_selection (session, NULL, NULL, NULL));
  wait_idle (session);
  g_assert_false (attn_trace_get_selection (attn_session_get_trace (session), NULL, NULL, NULL));
}

typedef struct
{
  guint last_done;
  guint n_traces;
} Deliveries;

static void
trace_changed_cb (AttnSession *session,
                  GParamSpec  *pspec,
                  Deliveries  *d)
{
  AttnTrace *trace = attn_session_get_trace (session);

  if (attn_trace_get_method (trace) != ATTN_METHOD_FLOW)
    return;
  g_assert_cmpuint (attn_trace_get_n_layers_done (trace), >=, d->last_done);
  d->last_done = attn_trace_get_n_layers_done (trace);
  d->n_traces++;
}

/* Flow: the un-clicked view layer by layer, a click's heatmap computed apart */
static void
test_flow (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  AttnExample *example = attn_document_find_example (bert, "rabbit-turtle", NULL);
  g_autoptr(AttnGraph) graph = graph_for (example, 0.5);
  guint L = attn_example_get_n_layers (example), n = attn_example_get_n_tokens (example);
  Deliveries d = { 0, 0 };
  g_autofree double *layer = g_new (double, (gsize) n * n);
  AttnTrace *trace;
  guint computed;

  attn_session_set_example (session, example, NULL);
  wait_idle (session);
  g_signal_connect (session, "notify::trace", G_CALLBACK (trace_changed_cb), &d);
  attn_session_set_method (session, ATTN_METHOD_FLOW);
  g_assert_false (attn_session_get_every_node_offered (session));
  wait_idle (session);
  g_assert_cmpuint (d.last_done, ==, L);
  g_assert_cmpuint (d.n_traces, >, 2);
  trace = attn_session_get_trace (session);
  g_assert_true (attn_trace_is_complete (trace));
  for (guint l = 1; l <= L; l += 4)
    {
      g_assert_true (attn_flow_layer (graph, l, NULL, layer, NULL, NULL));
      for (gsize i = 0; i < (gsize) n * n; i++)
        g_assert_cmpfloat_with_epsilon (attn_trace_get_layer_edges (trace, l)[i], layer[i], 1e-12);
    }
  assert_values (attn_session_get_heatmap (session, ATTN_METHOD_FLOW), ATTN_METHOD_FLOW, graph, 0,
                 attn_example_get_focus (example));

  /* a click computes the node's own flow; the heatmap's job every layer's */
  computed = _attn_session_get_n_heatmap_values (session);
  attn_session_select (session, L, 4, -1);
  wait_idle (session);
  assert_values (attn_trace_get_node_values (attn_session_get_trace (session)), ATTN_METHOD_FLOW,
                 graph, L, 4);
  g_assert_null (attn_trace_get_heatmap (attn_session_get_trace (session)));
  g_assert_cmpuint (attn_session_get_heatmap_position (session), ==, 4);
  assert_values (attn_session_get_heatmap (session, ATTN_METHOD_FLOW), ATTN_METHOD_FLOW, graph, 0, 4);
  g_assert_cmpuint (_attn_session_get_n_heatmap_values (session), ==, computed + 1);

  /* all three methods in the heatmap */
  attn_session_set_all_methods (session, TRUE);
  wait_idle (session);
  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    assert_values (attn_session_get_heatmap (session, m), m, graph, 0, 4);
  g_signal_handlers_disconnect_by_data (session, &d);
}

static void
failed_cb (AttnSession  *session,
           const char   *message,
           char        **out)
{
  g_free (*out);
  *out = g_strdup (message);
}

/* New settings build a new graph; an example of more than 128 tokens waits
 * for a request before its every-node flow view */
static void
test_settings (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  AttnExample *example = cat_mat ();
  g_autoptr(AttnGraph) graph = graph_for (example, 0.2);
  g_autoptr(AttnGraphSettings) settings = attn_graph_settings_new (0.2, ATTN_HEAD_MIX_MEAN, NULL, NULL);
  g_autoptr(AttnGraphSettings) bad = attn_graph_settings_new (0.5, ATTN_HEAD_MIX_MEAN, "40", NULL);
  guint L = attn_example_get_n_layers (example);
  g_autofree char *message = NULL;

  attn_session_set_example (session, example, NULL);
  attn_session_select (session, L, 1, -1);
  attn_session_set_settings (session, settings);
  wait_idle (session);
  g_assert_true (attn_session_get_settings (session) == settings);
  assert_values (attn_trace_get_node_values (attn_session_get_trace (session)), ATTN_METHOD_ROLLOUT,
                 graph, L, 1);

  /* a head the model lacks: the failure is reported, nothing crashes */
  g_signal_connect (session, "failed", G_CALLBACK (failed_cb), &message);
  attn_session_set_settings (session, bad);
  wait_idle (session);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "40"));
  g_assert_null (attn_session_get_graph (session));
}

/* An example of @L layers and @n tokens (one head) of the rows of
 * @attention (L·n of n positive values), each divided by its sum */
static AttnExample *
example_of_rows (const char *id,
                 guint       L,
                 guint       n,
                 double     *attention)
{
  g_auto(GStrv) tokens = g_new0 (char *, n + 1);
  g_autoptr(GError) error = NULL;
  AttnExample *example;

  for (guint j = 0; j < n; j++)
    tokens[j] = g_strdup_printf ("t%u", j);
  for (gsize r = 0; r < (gsize) L * n; r++)
    {
      double sum = 0.;

      for (guint k = 0; k < n; k++)
        sum += attention[r * n + k];
      for (guint k = 0; k < n; k++)
        attention[r * n + k] /= sum;
    }
  example = attn_example_new_from_doubles (id, (const char * const *) tokens, L, 1, attention,
                                           &error);
  g_assert_no_error (error);
  return example;
}

/* A random example of @L layers and @n tokens (one head, rows summing to
 * 1); @causal: row q attends to tokens 0 to q only */
static AttnExample *
random_example_of (const char *id,
                   guint       L,
                   guint       n,
                   guint32     seed,
                   gboolean    causal)
{
  g_autofree double *attention = g_new (double, (gsize) L * n * n);
  GRand *rand = g_rand_new_with_seed (seed);

  for (gsize i = 0; i < (gsize) L * n * n; i++)
    attention[i] = causal && i % n > i / n % n ? 0. : g_rand_double_range (rand, 0.1, 1.);
  g_rand_free (rand);
  return example_of_rows (id, L, n, attention);
}

/* A dense random example (random_example_of()) */
static AttnExample *
random_example (const char *id,
                guint       L,
                guint       n,
                guint32     seed)
{
  return random_example_of (id, L, n, seed, FALSE);
}

/* An example of @L layers and @n tokens (one head) whose rows are each a
 * softmax of 3 N(0, 1) logits: a few keys take most, as in real models'
 * heads, and the flow of every node costs several times what it does on a
 * random_example() of its size */
static AttnExample *
peaked_example (const char *id,
                guint       L,
                guint       n,
                guint32     seed)
{
  g_autofree double *attention = g_new (double, (gsize) L * n * n);
  GRand *rand = g_rand_new_with_seed (seed);

  for (gsize i = 0; i < (gsize) L * n * n; i++)
    {
      /* Box-Muller */
      double u = g_rand_double_range (rand, 1e-12, 1.), v = g_rand_double (rand);

      attention[i] = exp (3. * sqrt (-2. * log (u)) * cos (2. * G_PI * v));
    }
  g_rand_free (rand);
  return example_of_rows (id, L, n, attention);
}

/* The seconds of the whole un-clicked flow view the session measured on
 * its graph (attn_flow_measure_every_node()) */
static double
measured (AttnSession *session)
{
  const double *seconds = g_hash_table_lookup (session->every_node_measured, session->graph_key);

  g_assert_nonnull (seconds);
  return *seconds;
}

/* Another example of another shape (fewer layers, then more): until its own
 * graph is there, the session offers no trace or heatmap values of the one
 * before (they have the old shape), and what the views ask for meanwhile
 * (a scene, the heatmap of every method) reads nothing of the old results */
static void
test_other_shape (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  AttnExample *big = cat_mat ();
  guint n = attn_example_get_n_tokens (big);
  g_autoptr(AttnExample) small = random_example ("small", 2, n, 11);
  g_autoptr(AttnGraph) small_graph = graph_for (small, 0.5);
  g_autoptr(AttnGraph) big_graph = graph_for (big, 0.5);
  AttnExample *order[] = { big, small, big };
  AttnGraph *graphs[] = { big_graph, small_graph, big_graph };

  attn_session_set_all_methods (session, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      AttnExample *example = order[i];
      guint L = attn_example_get_n_layers (example);

      attn_session_set_example (session, example, NULL);
      attn_session_select (session, L, 3, -1);
      /* asked for before the graph is there */
      g_assert_null (attn_session_get_graph (session));
      g_assert_null (attn_session_get_trace (session));
      for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
        g_assert_null (attn_session_get_heatmap (session, m));
      attn_session_set_layer_range (session, 1, L);
      attn_session_set_exclude_special (session, i % 2 == 0);
      attn_session_set_all_methods (session, FALSE);
      attn_session_set_all_methods (session, TRUE);
      wait_idle (session);

      g_assert_cmpuint (attn_trace_get_n_layers (attn_session_get_trace (session)), ==, L);
      assert_values (attn_trace_get_node_values (attn_session_get_trace (session)),
                     ATTN_METHOD_ROLLOUT, graphs[i], L, 3);
      for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
        assert_values (attn_session_get_heatmap (session, m), m, graphs[i], 0, 3);
    }
}

/* More than 128 tokens: the every-node flow view waits for a request */
static void
test_long (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  g_autoptr(AttnExample) example = random_example ("long", 2, ATTN_SESSION_EVERY_NODE_AUTO_MAX + 2, 7);

  attn_session_set_method (session, ATTN_METHOD_FLOW);
  attn_session_set_example (session, example, NULL);
  wait_idle (session);
  g_assert_true (attn_session_get_every_node_offered (session));
  g_assert_cmpuint (attn_trace_get_n_layers_done (attn_session_get_trace (session)), ==, 0);
  attn_session_request_every_node (session);
  g_assert_false (attn_session_get_every_node_offered (session));
  g_assert_true (attn_session_get_busy (session));
  wait_idle (session);
  g_assert_true (attn_trace_is_complete (attn_session_get_trace (session)));
}

/* Waits until the un-clicked view being computed has its first layer, at
 * most 60 s */
static void
wait_first_layer (AttnSession *session)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (attn_trace_get_n_layers_done (attn_session_get_trace (session)) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_assert_true (attn_session_get_busy (session));
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Layers of the long examples whose every-node flow the tests below run to
 * its end: 12, as in BERT-base; 6 under the sanitizers, which multiply a
 * layer's time by about 15 (at 12 the two tests took 140 s of the sanitized
 * suite). The work grows with the square of the layers (each layer's nodes
 * reach down through all below), so 6 does a quarter of it, and still stops
 * and resumes between layers. */
#ifdef __SANITIZE_ADDRESS__
#define LONG_LAYERS 6
#else
#define LONG_LAYERS 12
#endif

/* Shows the flow of @example, asks for its every-node view and waits for
 * its first layer */
static void
start_every_node (AttnSession *session,
                  AttnExample *example)
{
  attn_session_set_method (session, ATTN_METHOD_FLOW);
  attn_session_set_example (session, example, NULL);
  wait_idle (session);
  attn_session_request_every_node (session);
  wait_first_layer (session);
}

/* A requested every-node flow view that got a layer or more done goes on
 * when its example is shown again: it was offered again from the start
 * (on a long input, minutes of work out of the view) */
static void
test_long_resume (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  g_autoptr(AttnExample) example = random_example ("long", LONG_LAYERS, ATTN_SESSION_EVERY_NODE_AUTO_MAX + 2, 7);

  start_every_node (session, example);
  g_assert_false (attn_trace_is_complete (attn_session_get_trace (session)));
  attn_session_set_example (session, cat_mat (), NULL);
  wait_idle (session);
  attn_session_set_example (session, example, NULL);
  wait_idle (session);
  g_assert_false (attn_session_get_every_node_offered (session));
  g_assert_true (attn_trace_is_complete (attn_session_get_trace (session)));

  /* another example of that length, never asked for: offered */
  {
    g_autoptr(AttnExample) other = random_example ("other", LONG_LAYERS, ATTN_SESSION_EVERY_NODE_AUTO_MAX + 2, 8);

    attn_session_set_example (session, other, NULL);
    wait_idle (session);
    g_assert_true (attn_session_get_every_node_offered (session));
  }
}

/* Stopped (Escape), the every-node flow view keeps its layers done and is
 * offered again, also after another example; asked for again, it goes on
 * from them */
static void
test_long_stop (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  g_autoptr(AttnExample) example = random_example ("long", LONG_LAYERS, ATTN_SESSION_EVERY_NODE_AUTO_MAX + 2, 7);
  AttnGraph *graph;
  double left, offer, spent, spent_share;
  guint done;

  start_every_node (session, example);
  graph = attn_session_get_graph (session);
  left = attn_session_get_every_node_time_left (session);
  g_assert_cmpfloat (left, >, 0.);
  attn_session_stop_every_node (session);
  wait_idle (session);
  done = attn_trace_get_n_layers_done (attn_session_get_trace (session));
  g_test_message ("stopped after %u of %u layers", done, LONG_LAYERS);
  g_assert_cmpuint (done, >=, 1);
  g_assert_cmpuint (done, <, LONG_LAYERS);
  g_assert_cmpuint (attn_session_get_every_node_done (session), ==, done);
  g_assert_true (attn_session_get_every_node_offered (session));
  /* the offer's estimate is of its layers left, at the time per unit of
   * work measured until the stop, the layer then under way included (it
   * offered the model's estimate less the time since: 9 s of 150) */
  g_assert_cmpfloat (session->every_node_spent, >, 0.);
  g_assert_cmpfloat (session->every_node_spent_share, >=, attn_flow_every_node_share (graph, done));
  g_assert_cmpfloat (session->every_node_spent_share, <=, attn_flow_every_node_share (graph, done + 1));
  offer = attn_session_get_every_node_estimate (session);
  g_assert_cmpfloat (offer, >, 0.);
  g_assert_cmpfloat (offer, ==,
                     _attn_every_node_time_left (measured (session), session->every_node_spent,
                                                 session->every_node_spent_share,
                                                 attn_flow_every_node_share (graph, done)));

  attn_session_set_example (session, cat_mat (), NULL);
  wait_idle (session);
  attn_session_set_example (session, example, NULL);
  wait_idle (session);
  g_assert_true (attn_session_get_every_node_offered (session));
  g_assert_cmpuint (attn_trace_get_n_layers_done (attn_session_get_trace (session)), ==, done);
  /* what it measured stays with it (on a graph built again) */
  graph = attn_session_get_graph (session);
  g_assert_cmpfloat (attn_session_get_every_node_estimate (session), ==, offer);
  spent = session->every_node_spent;
  spent_share = session->every_node_spent_share;

  /* asked for again, the time spent before counts on */
  attn_session_request_every_node (session);
  g_assert_false (attn_session_get_every_node_offered (session));
  g_assert_nonnull (session->jobs[ATTN_SESSION_JOB_EVERY_NODE]);
  g_assert_cmpfloat (session->jobs[ATTN_SESSION_JOB_EVERY_NODE]->spent, ==, spent);
  g_assert_cmpfloat (session->jobs[ATTN_SESSION_JOB_EVERY_NODE]->spent_share, ==, spent_share);
  g_assert_cmpfloat (session->jobs[ATTN_SESSION_JOB_EVERY_NODE]->estimate, ==, measured (session));
  g_assert_cmpfloat (attn_session_get_every_node_time_left (session), >, 0.);
  wait_idle (session);
  g_assert_true (attn_trace_is_complete (attn_session_get_trace (session)));

  /* complete, it stays so: nothing to stop, nothing offered (it offered to
   * go on from layer 12 of 12) */
  attn_session_stop_every_node (session);
  wait_idle (session);
  g_assert_false (attn_session_get_every_node_offered (session));
  g_assert_true (attn_trace_is_complete (attn_session_get_trace (session)));
}

/* The every-node offer's estimate: measured on the graph on a worker
 * (attn_flow_measure_every_node()), there once measured while offered,
 * gone once requested. It follows what the view costs: a peaked input
 * (peaked_example()) costs several times a diffuse one of its size, where
 * attn_flow_estimate_every_node()'s model, which offered them, gives both
 * the same (it said 15 s for a real 378-token input that took minutes);
 * twice the tokens cost more. The model itself, still behind the time left
 * of a view stopped before it was measured: at 12 layers and 128 tokens,
 * dense, the 0.89 s it gives on two processors */
static void
test_estimate (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  guint n = ATTN_SESSION_EVERY_NODE_AUTO_MAX + 2;
  g_autoptr(AttnExample) example = random_example ("long", 4, n, 7);
  g_autoptr(AttnExample) peaked = peaked_example ("peaked", 4, n, 7);
  g_autoptr(AttnExample) longer = random_example ("longer", 4, 2 * n, 7);
  g_autoptr(AttnExample) small = random_example ("small", 3, 40, 7);
  double seconds, peaked_seconds, longer_seconds;

  attn_session_set_method (session, ATTN_METHOD_FLOW);
  attn_session_set_example (session, small, NULL);
  wait_idle (session);
  g_assert_false (attn_session_get_every_node_offered (session));
  g_assert_cmpfloat (attn_session_get_every_node_estimate (session), ==, 0.);
  g_assert_null (session->jobs[ATTN_SESSION_JOB_ESTIMATE]);

  attn_session_set_example (session, example, NULL);
  wait_idle (session);
  g_assert_true (attn_session_get_every_node_offered (session));
  seconds = attn_session_get_every_node_estimate (session);
  g_assert_cmpfloat (seconds, >, 0.);
  g_assert_cmpfloat (seconds, ==, measured (session));

  attn_session_set_example (session, peaked, NULL);
  wait_idle (session);
  peaked_seconds = attn_session_get_every_node_estimate (session);
  g_test_message ("offered %.3f s for the diffuse input, %.3f s for the peaked one (the model: %.3f s for both)",
                  seconds, peaked_seconds, attn_flow_estimate_every_node (attn_session_get_graph (session)));
  g_assert_cmpfloat (peaked_seconds, >, 3. * seconds);

  attn_session_set_example (session, longer, NULL);
  wait_idle (session);
  longer_seconds = attn_session_get_every_node_estimate (session);
  g_assert_cmpfloat (longer_seconds, >, 2. * seconds);

  /* measured once per graph: back on an example, at once */
  attn_session_set_example (session, example, NULL);
  wait_idle (session);
  g_assert_cmpfloat (attn_session_get_every_node_estimate (session), ==, seconds);

  attn_session_request_every_node (session);
  g_assert_cmpfloat (attn_session_get_every_node_estimate (session), ==, 0.);
  g_assert_cmpfloat (session->jobs[ATTN_SESSION_JOB_EVERY_NODE]->estimate, ==, seconds);
  attn_session_cancel (session);

  {
    g_autoptr(AttnExample) bert_like = random_example ("bert-like", 12, 128, 7);
    g_autoptr(AttnGraph) graph = graph_for (bert_like, 0.5);

    g_assert_cmpfloat_with_epsilon (attn_flow_estimate_every_node (graph) *
                                     CLAMP (g_get_num_processors (), 1, 64) / 2., 0.89, 0.01);
  }
}

static void
record_layers_cb (AttnSession *session,
                  GParamSpec  *pspec,
                  GArray      *layers)
{
  AttnTrace *trace = attn_session_get_trace (session);
  guint done = trace ? attn_trace_get_n_layers_done (trace) : 0;

  g_array_append_val (layers, done);
}

/* Stops the session at the first trace of a view filling in */
static void
stop_when_partial_cb (AttnSession *session,
                      GParamSpec  *pspec,
                      gpointer     user_data)
{
  AttnTrace *trace = attn_session_get_trace (session);

  if (trace != NULL && attn_trace_get_n_layers_done (trace) > 0 &&
      attn_trace_get_n_layers_done (trace) < attn_trace_get_n_layers (trace))
    {
      g_signal_handlers_disconnect_by_func (session, stop_when_partial_cb, user_data);
      attn_session_cancel (session);
    }
}

/* The scene of a view filling in says in its caption how far it has got
 * (a figure saved while flow of every node was computed said "layers
 * 1–12" of 3 drawn); once whole, it does not */
static void
test_partial_caption (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  guint L = 5, n = 90, done;
  g_autoptr(AttnExample) example = random_example ("progressive", L, n, 3);
  g_autofree char *expected = NULL;
  const char *caption;

  _attn_session_set_progressive_min (session, n);
  g_signal_connect (session, "notify::trace", G_CALLBACK (stop_when_partial_cb), NULL);
  attn_session_set_example (session, example, NULL);
  wait_idle (session);
  done = attn_trace_get_n_layers_done (attn_session_get_trace (session));
  g_assert_cmpuint (done, >, 0);
  g_assert_cmpuint (done, <, L);

  _attn_session_update_scene (session);
  wait_idle (session);
  g_assert_true (attn_graph_scene_get_trace (attn_session_get_scene (session)) == attn_session_get_trace (session));
  caption = attn_graph_scene_get_caption (attn_session_get_scene (session));
  expected = done == 1 ? g_strdup_printf ("layer 1 of %u so far", L) : g_strdup_printf ("layers 1–%u of %u so far", done, L);
  g_test_message ("%s", caption);
  g_assert_nonnull (strstr (caption, expected));

  /* whole: "layers 1–5" */
  attn_session_set_method (session, ATTN_METHOD_RAW);
  wait_idle (session);
  attn_session_set_method (session, ATTN_METHOD_ROLLOUT);
  wait_idle (session);
  g_assert_true (attn_trace_is_complete (attn_session_get_trace (session)));
  caption = attn_graph_scene_get_caption (attn_session_get_scene (session));
  g_assert_null (strstr (caption, "so far"));
  g_assert_nonnull (strstr (caption, "layers 1–5"));
}

/* A long input's un-clicked rollout view fills in layer by layer (the
 * threshold lowered for the test), with the numbers of the whole view
 * computed at once */
static void
test_progressive (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  guint L = 5, n = 90;
  g_autoptr(AttnExample) example = random_example ("progressive", L, n, 3);
  g_autoptr(AttnGraph) graph = graph_for (example, 0.5);
  g_autoptr(GArray) layers = g_array_new (FALSE, FALSE, sizeof (guint));
  AttnTraceQuery query = { ATTN_METHOD_ROLLOUT, 0, 0, -1, attn_example_get_focus (example) };
  g_autoptr(AttnTrace) whole = attn_trace_compute (graph, &query, NULL, NULL, NULL, NULL);
  AttnTrace *trace;
  gboolean partial = FALSE;

  _attn_session_set_progressive_min (session, n);
  g_signal_connect (session, "notify::trace", G_CALLBACK (record_layers_cb), layers);
  attn_session_set_example (session, example, NULL);
  wait_idle (session);

  trace = attn_session_get_trace (session);
  g_assert_true (attn_trace_is_complete (trace));
  for (guint l = 1; l <= L; l++)
    g_assert_cmpmem (attn_trace_get_layer_edges (trace, l), (gsize) n * n * sizeof (double),
                     attn_trace_get_layer_edges (whole, l), (gsize) n * n * sizeof (double));
  assert_values (attn_session_get_heatmap (session, ATTN_METHOD_ROLLOUT), ATTN_METHOD_ROLLOUT,
                 graph, 0, attn_example_get_focus (example));
  /* the layers came one by one, bottom first */
  for (guint i = 0; i < layers->len; i++)
    {
      guint done = g_array_index (layers, guint, i);

      partial |= done >= 1 && done < L;
      if (i > 0)
        g_assert_cmpuint (done, >=, g_array_index (layers, guint, i - 1));
    }
  g_assert_true (partial);
  g_assert_cmpuint (g_array_index (layers, guint, layers->len - 1), ==, L);

  /* the numbers of the rollout matrices */
  {
    g_autofree double *matrices = g_new (double, (gsize) L * n * n);

    g_assert_true (attn_rollout_matrices (graph, matrices, NULL, NULL));
    for (guint l = 1; l <= L; l++)
      g_assert_cmpmem (attn_trace_get_layer_edges (trace, l), (gsize) n * n * sizeof (double),
                       matrices + (gsize) (l - 1) * n * n, (gsize) n * n * sizeof (double));
  }
}

typedef struct
{
  guint   n_partial;
  guint   max_layers;
  double *values;       /* the last partial values */
  double *others[ATTN_N_METHODS];  /* the other methods', the first time */
  guint   layers;
  guint   position;     /* the selected one, which they are of */
} Partials;

static void
record_partial_cb (AttnSession *session,
                   Partials    *p)
{
  guint layers, L = attn_example_get_n_layers (attn_session_get_example (session));
  guint n = attn_example_get_n_tokens (attn_session_get_example (session));
  guint position;
  const double *values = attn_session_get_heatmap_partial (session, ATTN_METHOD_FLOW, &layers, &position);

  if (values == NULL)
    return;
  g_assert_cmpuint (layers, >=, 1);
  g_assert_cmpuint (layers, <, L);
  g_assert_cmpuint (layers, >, p->layers);
  g_assert_cmpuint (position, ==, p->position);
  p->n_partial++;
  p->layers = layers;
  g_free (p->values);
  p->values = g_memdup2 (values, (gsize) L * n * sizeof (double));
  for (AttnMethod m = 0; m < ATTN_METHOD_FLOW; m++)
    {
      const double *other = attn_session_get_heatmap_partial (session, m, &layers, NULL);

      g_assert_cmpuint (layers, ==, p->layers);
      if (p->others[m] == NULL && other != NULL)
        p->others[m] = g_memdup2 (other, (gsize) L * n * sizeof (double));
    }
}

/* A flow click's heatmap (every layer's flow at the position) comes layer
 * by layer, bottom first, each with its final values; the heatmap of all
 * methods has raw attention's and rollout's whole from the first */
static void
test_flow_partial (void)
{
  for (int all_methods = FALSE; all_methods <= TRUE; all_methods++)
    {
      g_autoptr(AttnSession) session = attn_session_new ();
      guint L = 6, n = 40;
      g_autoptr(AttnExample) example = random_example ("partial", L, n, 5);
      g_autoptr(AttnGraph) graph = graph_for (example, 0.5);
      Partials p = { 0, 0, NULL, { NULL, }, 0, 5 };
      const double *heatmap;
      guint layers;

      attn_session_set_method (session, ATTN_METHOD_FLOW);
      attn_session_set_all_methods (session, all_methods);
      attn_session_set_example (session, example, NULL);
      wait_idle (session);
      g_signal_connect (session, "results-changed", G_CALLBACK (record_partial_cb), &p);
      attn_session_select (session, L, 5, -1);
      wait_idle (session);

      heatmap = attn_session_get_heatmap (session, ATTN_METHOD_FLOW);
      assert_values (heatmap, ATTN_METHOD_FLOW, graph, 0, 5);
      g_assert_null (attn_session_get_heatmap_partial (session, ATTN_METHOD_FLOW, &layers, NULL));
      g_assert_cmpuint (layers, ==, 0);
      g_assert_cmpuint (p.n_partial, >=, 1);
      g_assert_nonnull (p.values);
      g_assert_cmpmem (p.values, (gsize) p.layers * n * sizeof (double), heatmap,
                       (gsize) p.layers * n * sizeof (double));
      for (AttnMethod m = 0; m < ATTN_METHOD_FLOW; m++)
        {
          g_assert_true ((p.others[m] != NULL) == all_methods);
          if (all_methods)
            g_assert_cmpmem (p.others[m], (gsize) L * n * sizeof (double),
                             attn_session_get_heatmap (session, m), (gsize) L * n * sizeof (double));
          g_free (p.others[m]);
        }
      g_free (p.values);
    }
}

/* While a click's trace is computed, the session says which (the status
 * line names it), and no more once it is there */
static void
test_pending (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  guint L = 6, n = 40;
  g_autoptr(AttnExample) example = random_example ("pending", L, n, 9);
  AttnTraceQuery query = ATTN_TRACE_QUERY_INIT;
  double elapsed = -1., left = 0.;

  attn_session_set_method (session, ATTN_METHOD_FLOW);
  attn_session_set_example (session, example, NULL);
  wait_idle (session);
  g_assert_false (attn_session_get_pending (session, NULL, NULL, NULL));

  attn_session_select (session, L, 5, -1);
  g_assert_true (attn_session_get_pending (session, &query, &elapsed, &left));
  g_assert_cmpint (query.method, ==, ATTN_METHOD_FLOW);
  g_assert_cmpuint (query.layer, ==, L);
  g_assert_cmpuint (query.position, ==, 5);
  g_assert_cmpfloat (elapsed, >=, 0.);
  /* too soon to say how long is left */
  g_assert_cmpfloat (left, ==, -1.);
  wait_idle (session);
  g_assert_false (attn_session_get_pending (session, &query, &elapsed, &left));
}

/* Dropped while it works: the jobs are cancelled and let go */
static void
test_dispose (void)
{
  AttnSession *session = attn_session_new ();
  g_autoptr(GCancellable) job = NULL;
  gpointer weak = session;

  attn_session_set_example (session, cat_mat (), NULL);
  wait_idle (session);
  attn_session_set_method (session, ATTN_METHOD_FLOW);
  attn_session_select (session, 12, 0, -1);
  job = g_object_ref (_attn_session_get_trace_cancellable (session));
  g_object_add_weak_pointer (G_OBJECT (session), &weak);
  g_object_unref (session);
  g_assert_null (weak);
  g_assert_true (g_cancellable_is_cancelled (job));
  /* the worker finishes on its own; its result goes nowhere */
  while (g_main_context_iteration (NULL, FALSE) || !g_cancellable_is_cancelled (job))
    ;
}

/* Is column @k left out of the colour range: a special token or the selected one */
static gboolean
left_out (AttnExample *example,
          guint        k,
          guint        selected)
{
  return k == selected || attn_token_is_special (attn_example_get_token (example, k));
}

static void
sort_doubles (double *v,
              guint   count)
{
  for (guint i = 0; i < count; i++)
    for (guint j = i + 1; j < count; j++)
      if (v[j] < v[i])
        {
          double t = v[i];

          v[i] = v[j];
          v[j] = t;
        }
}

/* The scene of a trace: its edges shared, the node fills, the colour range,
 * the texts; the figure that saves it */
static void
test_scene (void)
{
  AttnExample *example = cat_mat ();
  g_autoptr(AttnGraph) graph = graph_for (example, 0.5);
  guint L = attn_example_get_n_layers (example), n = attn_example_get_n_tokens (example);
  AttnTraceQuery query = { ATTN_METHOD_ROLLOUT, L, 2, -1, 2 };
  g_autoptr(AttnTrace) trace = attn_trace_compute (graph, &query, NULL, NULL, NULL, NULL);
  AttnGraphSceneOptions options = { FALSE, 3, 0, "the caption", ATTN_WEIGHT_KIND_ATTENTION,
                                    ATTN_COLOR_SCALE_GLOBAL };
  g_autoptr(AttnGraphScene) scene = attn_graph_scene_new_from_trace (trace, example, &options);
  g_autoptr(AttnGraphScene) excluded = NULL;
  g_autoptr(AttnGraphScene) per_layer = NULL;
  g_autoptr(AttnFigure) figure = NULL;
  g_autofree double *maxima = g_new (double, L);
  g_autofree double *kept_maxima = g_new (double, L);
  AttnFigureStyle style;
  guint first, last, layer, position;
  double mass = 0., mass_left_out = 0.;

  g_assert_true (attn_graph_scene_get_trace (scene) == trace);
  for (guint l = 1; l <= L; l++)
    {
      const double *edges = attn_graph_scene_get_layer_edges (scene, l);
      const double *through = attn_graph_scene_get_node_values (scene, l);

      /* shared, not copied */
      g_assert_true (edges == attn_trace_get_layer_edges (trace, l));
      maxima[l - 1] = kept_maxima[l - 1] = 0.;
      for (guint q = 0; q < n; q++)
        {
          double sum = 0.;

          for (guint k = 0; k < n; k++)
            {
              sum += edges[q * n + k];
              maxima[l - 1] = MAX (maxima[l - 1], edges[q * n + k]);
              mass += edges[q * n + k];
              if (left_out (example, k, 2))
                mass_left_out += edges[q * n + k];
              else
                kept_maxima[l - 1] = MAX (kept_maxima[l - 1], edges[q * n + k]);
            }
          g_assert_cmpfloat_with_epsilon (through[q], sum, 1e-12);
        }
    }
  g_assert_true (attn_graph_scene_get_node_values (scene, 0) == NULL ||
                 memcmp (attn_graph_scene_get_node_values (scene, 0),
                         attn_trace_get_node_values (trace), n * sizeof (double)) == 0);
  g_assert_true (attn_graph_scene_get_selection (scene, &layer, &position, NULL));
  g_assert_cmpuint (layer, ==, L);
  g_assert_cmpuint (position, ==, 2);
  g_assert_true (attn_graph_scene_get_shares (scene));
  /* the special tokens and “cat” itself take most of the mass here: they
   * are left out of the range though the options did not ask */
  g_assert_cmpfloat (mass_left_out, >, 0.5 * mass);
  g_assert_true (attn_graph_scene_get_auto_excluded (scene));
  g_assert_nonnull (strstr (attn_graph_scene_get_scale_label (scene), "saturate"));
  /* after a click: the median of the layers' strongest edges (of the tokens kept) */
  sort_doubles (kept_maxima, L);
  g_assert_cmpfloat (attn_graph_scene_get_scale_max (scene), ==, kept_maxima[L / 2]);
  g_assert_cmpfloat (attn_graph_scene_get_edge_scale (scene, 1), ==, 0.);
  /* and the nodes to their own largest value below the selected layer (of
   * the tokens kept): on the edges' range nearly every node saturated */
  {
    double node_max = 0.;
    guint saturated = 0, drawn = 0;

    for (guint l = 0; l < L; l++)
      for (guint q = 0; attn_graph_scene_get_node_values (scene, l) != NULL && q < n; q++)
        if (!left_out (example, q, 2))
          node_max = MAX (node_max, attn_graph_scene_get_node_values (scene, l)[q]);
    for (guint l = 0; l <= L; l++)
      {
        g_assert_cmpfloat (attn_graph_scene_get_node_scale (scene, l), ==, node_max);
        for (guint q = 0; l >= 3 && l < L && q < n; q++, drawn++)
          if (!left_out (example, q, 2))
            saturated += attn_graph_scene_get_node_values (scene, l)[q] >= attn_graph_scene_get_scale_max (scene);
      }
    g_test_message ("one range: %u of %u nodes drawn at or above the edges' range", saturated, drawn);
    g_assert_cmpfloat (node_max, >, attn_graph_scene_get_scale_max (scene));
    /* the colour bar gives the nodes' range on its left (attn-graph-renderer.c),
     * its label only what the values are */
    g_assert_cmpfloat (node_max, >=, 0.01);
    g_assert_cmpfloat (node_max, <, 0.1);
    g_test_message ("nodes up to %g: “%s”", node_max, attn_graph_scene_get_scale_label (scene));
    g_assert_true (g_str_has_prefix (attn_graph_scene_get_scale_label (scene), "Share of path weight\n"));
  }
  attn_graph_scene_get_layer_range (scene, &first, &last);
  g_assert_cmpuint (first, ==, 3);
  g_assert_cmpuint (last, ==, L);
  g_assert_nonnull (strstr (attn_graph_scene_get_title (scene), "“cat”"));
  /* layers 3 to L drawn: the title says so */
  {
    g_autofree char *range = g_strdup_printf ("layers 3–%u", L);

    g_assert_nonnull (strstr (attn_graph_scene_get_title (scene), range));
  }
  g_assert_cmpstr (attn_graph_scene_get_caption (scene), ==, "the caption");

  /* asked for: the same range, and the label says so too (a reader of the
   * figure did not see the option) */
  options.exclude_special = TRUE;
  excluded = attn_graph_scene_new_from_trace (trace, example, &options);
  g_assert_cmpfloat (attn_graph_scene_get_scale_max (excluded), ==, attn_graph_scene_get_scale_max (scene));
  g_assert_false (attn_graph_scene_get_auto_excluded (excluded));
  g_assert_nonnull (strstr (attn_graph_scene_get_scale_label (excluded), "special and selected tokens saturate"));
  g_assert_true (attn_graph_scene_get_layer_edges (excluded, 1) == attn_graph_scene_get_layer_edges (scene, 1));

  /* per layer: each layer's edges and nodes to their own maximum (of the tokens kept) */
  options.exclude_special = FALSE;
  options.color_scale = ATTN_COLOR_SCALE_PER_LAYER;
  per_layer = attn_graph_scene_new_from_trace (trace, example, &options);
  g_assert_nonnull (strstr (attn_graph_scene_get_scale_label (per_layer), "(per layer)"));
  for (guint l = 1; l <= L; l++)
    {
      const double *edges = attn_graph_scene_get_layer_edges (per_layer, l);
      const double *through = attn_graph_scene_get_node_values (per_layer, l);
      double edge_max = 0., node_max = 0.;

      for (guint q = 0; q < n; q++)
        for (guint k = 0; k < n; k++)
          if (!left_out (example, k, 2))
            edge_max = MAX (edge_max, edges[q * n + k]);
      for (guint q = 0; q < n; q++)
        if (!left_out (example, q, 2))
          node_max = MAX (node_max, through[q]);
      /* (the selected node's own layer: nothing but it, so its own value) */
      if (node_max == 0.)
        for (guint q = 0; q < n; q++)
          node_max = MAX (node_max, through[q]);
      g_assert_cmpfloat (attn_graph_scene_get_edge_scale (per_layer, l), ==, edge_max);
      g_assert_cmpfloat (attn_graph_scene_get_node_scale (per_layer, l), ==, node_max);
    }

  /* the saved figure: the scene at its natural size, with its title and caption */
  attn_figure_style_init (&style, FALSE);
  figure = attn_figure_new_from_scene (scene, &style);
  g_assert_true (attn_figure_get_graph_scene (figure, 0) == scene);
  g_assert_cmpstr (attn_figure_get_title (figure), ==, attn_graph_scene_get_title (scene));
  /* one range for all layers (not the default): the caption says so */
  g_assert_cmpstr (attn_figure_get_caption (figure), ==, "the caption · one colour range for all layers");
  g_clear_pointer (&figure, attn_figure_unref);

  /* per layer: the colour bar says so; edges left out: the caption says which */
  style.threshold = 0.25;
  style.top_k = 2;
  figure = attn_figure_new_from_scene (per_layer, &style);
  g_assert_cmpstr (attn_figure_get_caption (figure), ==, "the caption · edges ≥ 0.25 × max, top 2 per node");
  g_clear_pointer (&figure, attn_figure_unref);
  style.threshold = 0.;
  figure = attn_figure_new_from_scene (per_layer, &style);
  g_assert_cmpstr (attn_figure_get_caption (figure), ==, "the caption · top 2 edges per node");
  g_clear_pointer (&figure, attn_figure_unref);
  /* no fewer edges than tokens: none left out */
  style.top_k = n;
  figure = attn_figure_new_from_scene (per_layer, &style);
  g_assert_cmpstr (attn_figure_get_caption (figure), ==, "the caption");
}

/* Without a click, per layer: rollout's and flow's upper layers spread each
 * node's importance evenly (the tokens have mixed); each layer's scale is
 * its maximum but at least 8 times its mean edge, so that such a layer is
 * drawn as mixing (no edge near full colour, the edges still visible), not
 * as one bright block, while a layer with a strong edge keeps its maximum */
static void
test_scene_even_spread (void)
{
  AttnExample *example = cat_mat ();
  g_autoptr(AttnGraph) graph = graph_for (example, 0.5);
  guint L = attn_example_get_n_layers (example), n = attn_example_get_n_tokens (example);
  AttnGraphSceneOptions options = { FALSE, 1, 0, NULL, ATTN_WEIGHT_KIND_ATTENTION,
                                    ATTN_COLOR_SCALE_PER_LAYER };
  static const AttnMethod methods[] = { ATTN_METHOD_RAW, ATTN_METHOD_ROLLOUT, ATTN_METHOD_FLOW };

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      AttnTraceQuery query = { methods[m], 0, 0, -1, 0 };
      g_autoptr(AttnTrace) trace = attn_trace_compute (graph, &query, NULL, NULL, NULL, NULL);
      g_autoptr(AttnGraphScene) scene = attn_graph_scene_new_from_trace (trace, example, &options);
      double scale_max = attn_graph_scene_get_scale_max (scene);

      g_assert_false (attn_graph_scene_get_shares (scene));
      for (guint l = 1; l <= L; l++)
        {
          const double *edges = attn_graph_scene_get_layer_edges (scene, l);
          double scale = attn_graph_scene_get_edge_scale (scene, l), sum = 0., max = 0., top_max = 0.;
          guint bright = 0;

          for (guint i = 0; i < n * n; i++)
            {
              sum += edges[i];
              max = MAX (max, edges[i]);
              if (!attn_token_is_special (attn_example_get_token (example, i % n)))
                top_max = MAX (top_max, edges[i]);
              bright += edges[i] >= 0.8 * scale;
            }
          /* rows of importance: each sums to one */
          g_assert_cmpfloat_with_epsilon (sum, n, 1e-5);
          /* raw attention keeps each layer's own maximum */
          if (methods[m] == ATTN_METHOD_RAW)
            {
              g_assert_cmpfloat (scale, <=, max);
              continue;
            }
          g_assert_cmpfloat (scale, >=, MIN (8. / n, scale_max) - 1e-12);
          g_assert_cmpfloat (scale, <=, MAX (MIN (8. / n, scale_max), max) + 1e-12);
          if (l == L)
            g_test_message ("%s layer %u: max %.3f, scale %.3f, %u of %u edges at 0.8 of it or more",
                            attn_method_get_name (methods[m]), l, max, scale, bright, n * n);
          /* the upper layers: nothing near full colour; every edge at
           * 1/8 of the scale at least (flow) or the [CLS] column (rollout) */
          if (l >= L - 3)
            {
              g_assert_cmpuint (bright, ==, 0);
              g_assert_cmpfloat (max / scale, >=, methods[m] == ATTN_METHOD_FLOW ? 0.125 : 0.5);
            }
          /* layer 1 keeps its own maximum (the residual's diagonal) */
          if (l == 1)
            g_assert_cmpfloat (scale, ==, max);
        }
    }
}

/* With a sink, the flow ends there: the inputs' fills are what each receives
 * (the sink all the flow through the selected node, the others nothing) */
static void
test_scene_sink (void)
{
  AttnExample *example = cat_mat ();
  g_autoptr(AttnGraph) graph = graph_for (example, 0.5);
  guint L = attn_example_get_n_layers (example), n = attn_example_get_n_tokens (example);
  AttnTraceQuery query = { ATTN_METHOD_FLOW, L, 0, 3, 0 };
  g_autoptr(AttnTrace) trace = attn_trace_compute (graph, &query, NULL, NULL, NULL, NULL);
  g_autoptr(AttnGraphScene) scene = attn_graph_scene_new_from_trace (trace, example, NULL);
  const double *inputs = attn_graph_scene_get_node_values (scene, 0);
  const double *top = attn_graph_scene_get_node_values (scene, L);
  const double *first = attn_graph_scene_get_layer_edges (scene, 1);
  double into_sink = 0.;

  g_assert_nonnull (inputs);
  for (guint q = 0; q < n; q++)
    into_sink += first[q * n + 3];
  g_assert_cmpfloat (into_sink, >, 0.);
  for (guint k = 0; k < n; k++)
    if (k == 3)
      g_assert_cmpfloat_with_epsilon (inputs[k], into_sink, 1e-12);
    else
      g_assert_cmpfloat_with_epsilon (inputs[k], 0., 1e-12);
  /* all that leaves the selected node arrives at the sink */
  g_assert_cmpfloat_with_epsilon (inputs[3], top[0], 1e-9);
  /* and it is drawn at full colour: its layer's range is its own value */
  g_assert_cmpfloat (inputs[3], >=, attn_graph_scene_get_node_scale (scene, 0));
  g_assert_nonnull (strstr (attn_graph_scene_get_title (scene), "to “sat”"));
}

/* One layer range for models of 12 and 6 layers: kept as set, clamped to
 * the example's model by attn_layer_range_resolve() in the shown layers, the
 * scene and its title and caption (the window's heatmap and command read
 * the shown layers) */
static void
test_layer_range (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  g_autoptr(AttnExample) six = random_example ("six", 6, 5, 7);
  static const struct { guint first, last, shown_first, shown_last; } cases[] = {
    { 12, 0, 6, 6 }, { 9, 12, 6, 6 }, { 3, 9, 3, 6 }, { 0, 0, 1, 6 }, { 2, 4, 2, 4 }, { 5, 3, 3, 3 },
  };

  attn_session_set_example (session, six, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint first, last;
      AttnGraphScene *scene;
      g_autofree char *title = NULL;
      g_autofree char *caption = NULL;

      attn_session_set_layer_range (session, cases[i].first, cases[i].last);
      wait_idle (session);
      attn_session_get_layer_range (session, &first, &last);
      g_assert_cmpuint (first, ==, cases[i].first);
      g_assert_cmpuint (last, ==, cases[i].last);
      attn_session_get_shown_layers (session, &first, &last);
      g_assert_cmpuint (first, ==, cases[i].shown_first);
      g_assert_cmpuint (last, ==, cases[i].shown_last);
      scene = attn_session_get_scene (session);
      attn_graph_scene_get_layer_range (scene, &first, &last);
      g_assert_cmpuint (first, ==, cases[i].shown_first);
      g_assert_cmpuint (last, ==, cases[i].shown_last);
      if (first == 1 && last == 6)
        title = g_strdup ("Attention rollout");
      else if (first == last)
        title = g_strdup_printf ("Attention rollout · layer %u shown", first);
      else
        title = g_strdup_printf ("Attention rollout · layers %u–%u shown", first, last);
      g_assert_cmpstr (attn_graph_scene_get_title (scene), ==, title);
      caption = first == last ? g_strdup_printf (" · layer %u · ", first)
                              : g_strdup_printf (" · layers %u–%u · ", first, last);
      g_assert_nonnull (strstr (attn_graph_scene_get_caption (scene), caption));
    }
}

/* The session's scene follows the trace and its options, without computing again */
static void
test_session_scene (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  AttnExample *example = cat_mat ();
  guint L = attn_example_get_n_layers (example);
  AttnGraphScene *scene;
  AttnTrace *trace;
  guint first, last;

  attn_session_set_example (session, example, NULL);
  attn_session_select (session, L, 0, -1);
  wait_idle (session);
  scene = attn_session_get_scene (session);
  trace = attn_session_get_trace (session);
  g_assert_nonnull (scene);
  g_assert_true (attn_graph_scene_get_trace (scene) == trace);
  g_assert_nonnull (strstr (attn_graph_scene_get_caption (scene), "example cat-mat"));

  attn_session_set_layer_range (session, 4, 9);
  g_assert_true (attn_session_get_busy (session));
  wait_idle (session);
  g_assert_true (attn_session_get_trace (session) == trace);
  g_assert_true (attn_session_get_scene (session) != scene);
  scene = attn_session_get_scene (session);
  attn_graph_scene_get_layer_range (scene, &first, &last);
  g_assert_cmpuint (first, ==, 4);
  g_assert_cmpuint (last, ==, 9);
  g_assert_nonnull (strstr (attn_graph_scene_get_caption (scene), "layers 4–9"));

  attn_session_set_exclude_special (session, TRUE);
  wait_idle (session);
  g_assert_true (attn_session_get_trace (session) == trace);
  g_assert_true (attn_session_get_scene (session) != scene);
}

/* @a and @b draw the same: colour ranges, node fills and every edge, within
 * @tolerance (0: the same bits) */
static void
assert_same_scene (const AttnGraphScene *a,
                   const AttnGraphScene *b,
                   double                tolerance)
{
  guint L = attn_graph_scene_get_n_layers (a), n = attn_graph_scene_get_n_tokens (a);
  g_autofree double *ra = g_new (double, n);
  g_autofree double *rb = g_new (double, n);

  g_assert_cmpfloat_with_epsilon (attn_graph_scene_get_scale_max (a), attn_graph_scene_get_scale_max (b),
                                  tolerance);
  for (guint l = 0; l <= L; l++)
    {
      const double *va = attn_graph_scene_get_node_values (a, l);
      const double *vb = attn_graph_scene_get_node_values (b, l);

      g_assert_cmpfloat_with_epsilon (attn_graph_scene_get_edge_scale (a, l),
                                      attn_graph_scene_get_edge_scale (b, l), tolerance);
      g_assert_cmpfloat (attn_graph_scene_get_node_scale (a, l), ==, attn_graph_scene_get_node_scale (b, l));
      g_assert_true ((va == NULL) == (vb == NULL));
      g_assert_true (va == NULL || memcmp (va, vb, n * sizeof (double)) == 0);
      for (guint q = 0; l > 0 && q < n; q++)
        {
          const double *ea = attn_graph_scene_get_edge_row (a, l, q, ra);
          const double *eb = attn_graph_scene_get_edge_row (b, l, q, rb);

          for (guint k = 0; k < n; k++)
            {
              if (tolerance == 0.)
                g_assert_cmpfloat (ea[k], ==, eb[k]);
              else
                g_assert_cmpfloat_with_epsilon (ea[k], eb[k], tolerance);
            }
          /* a number shown (a hover): the double computed */
          g_assert_cmpfloat_with_epsilon (attn_graph_scene_get_edge (a, l, q, q / 2),
                                          attn_graph_scene_get_edge (b, l, q, q / 2), 1e-14);
        }
    }
}

/* @a is the complete un-clicked view @b, its layers shared (not computed again) */
static void
assert_same_layers (AttnTrace *a,
                    AttnTrace *b)
{
  g_assert_false (attn_trace_get_selection (a, NULL, NULL, NULL));
  g_assert_true (attn_trace_is_complete (a));
  for (guint l = 1; l <= attn_trace_get_n_layers (b); l++)
    g_assert_true (attn_trace_get_layer_bytes (a, l) == attn_trace_get_layer_bytes (b, l));
}

/* The scenes of @trace (compact) and of @query kept as doubles, globally and per layer */
static void
assert_scenes_as_doubles (AttnTrace            *trace,
                          AttnGraph            *graph,
                          AttnExample          *example,
                          const AttnTraceQuery *query,
                          double                tolerance)
{
  g_autoptr(AttnTrace) doubles = NULL;
  guint n = attn_example_get_n_tokens (example);

  _attn_trace_set_compact_min (ATTN_TRACE_COMPACT_MIN_TOKENS);
  doubles = attn_trace_compute (graph, query, NULL, NULL, NULL, NULL);
  _attn_trace_set_compact_min (n);
  g_assert_false (attn_trace_is_compact (doubles));
  for (AttnColorScale c = ATTN_COLOR_SCALE_GLOBAL; c <= ATTN_COLOR_SCALE_PER_LAYER; c++)
    {
      AttnGraphSceneOptions options = { FALSE, 1, 0, NULL, ATTN_WEIGHT_KIND_ATTENTION, c };
      g_autoptr(AttnGraphScene) a = attn_graph_scene_new_from_trace (trace, example, &options);
      g_autoptr(AttnGraphScene) b = attn_graph_scene_new_from_trace (doubles, example, &options);

      assert_same_scene (a, b, tolerance);
    }
}

/* A long input (the thresholds lowered here): the un-clicked rollout view
 * and the rollout clicks are compact traces, drawn as their doubles would be
 * (the view's floats within 1e-6, the clicks' edges the same bits); making
 * room, the cache lets the clicks go and keeps the un-clicked view, which
 * comes back at once, not computed again */
static void
test_compact (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  guint L = 4, n = 60;
  g_autoptr(AttnExample) example = random_example ("compact", L, n, 7);
  g_autoptr(AttnGraph) graph = graph_for (example, 0.5);
  AttnTraceQuery unclicked = { ATTN_METHOD_ROLLOUT, 0, 0, -1, attn_example_get_focus (example) };
  g_autoptr(AttnTrace) view = NULL;

  _attn_trace_set_compact_min (n);
  _attn_session_set_progressive_min (session, n);
  attn_session_set_example (session, example, NULL);
  wait_idle (session);
  view = attn_trace_ref (attn_session_get_trace (session));
  g_assert_true (attn_trace_is_compact (view));
  g_assert_true (attn_trace_is_complete (view));
  assert_scenes_as_doubles (view, graph, example, &unclicked, 1e-6);
  /* room for the un-clicked view, not for a click beside it */
  _attn_session_set_cache_bytes (session, attn_trace_get_size (view));

  for (guint i = 0; i < 3; i++)
    {
      AttnTraceQuery query = { ATTN_METHOD_ROLLOUT, L - i % 2, 5 * i, -1, 5 * i };
      AttnTrace *trace;

      attn_session_select (session, query.layer, query.position, -1);
      wait_idle (session);
      trace = attn_session_get_trace (session);
      g_assert_true (attn_trace_is_compact (trace));
      g_assert_true (attn_trace_get_selection (trace, NULL, NULL, NULL));
      g_assert_true (attn_graph_scene_get_trace (attn_session_get_scene (session)) == trace);
      assert_scenes_as_doubles (trace, graph, example, &query, 0.);

      attn_session_clear_selection (session);
      assert_same_layers (attn_session_get_trace (session), view);
      g_assert_null (session->jobs[ATTN_SESSION_JOB_EVERY_NODE]);
      wait_idle (session);
      assert_same_layers (attn_session_get_trace (session), view);
    }
  /* the first click was let go: computed again */
  attn_session_select (session, L, 0, -1);
  g_assert_nonnull (_attn_session_get_trace_cancellable (session));
  wait_idle (session);
  _attn_trace_set_compact_min (ATTN_TRACE_COMPACT_MIN_TOKENS);
}

/* A click's time left, at the rate so far once a tenth of it is done: from
 * its first per cent (its tables, the slowest part) a flow click at
 * n = 2048 was said to take about 10 minutes, not 15 seconds */
static void
test_click_time_left (void)
{
  g_assert_cmpfloat (_attn_click_time_left (0.5, 0.5), ==, -1.);
  g_assert_cmpfloat (_attn_click_time_left (1., 0.001), ==, -1.);
  g_assert_cmpfloat (_attn_click_time_left (2., 0.05), ==, -1.);
  g_assert_cmpfloat (_attn_click_time_left (2., -1.), ==, -1.);
  g_assert_cmpfloat_with_epsilon (_attn_click_time_left (2., 0.1), 18., 1e-9);
  g_assert_cmpfloat_with_epsilon (_attn_click_time_left (6., 0.5), 6., 1e-9);
}

/* The time left of the flow of every node: the model's cost of the
 * layers left (attn_flow_every_node_share()) at the seconds per unit of
 * work measured on the example, the model's own estimate counting as if a
 * twentieth of the work had been measured at its pace. It offered the
 * model's estimate less the time since: a 512-token diffuse input stopped
 * in layer 3 was offered its last 10 layers at 9 s, which took 150 s on a
 * loaded machine. What was left
 * follows the model's cost of each layer: front-loaded, layers 3 to 5 most
 * of a dense input's (it counted layer l as l: after five of twelve
 * layers, 81 % left where 7 % was measured), less of a causal one's,
 * whose upper layers the bounds settle less */
static void
test_every_node_time_left (void)
{
  const double cases[][5] = {
    /* model estimate, seconds spent, share of the work they did, share done, expected left */
    { 36., 0., 0., 0., 36. },                          /* nothing measured: the model */
    { 36., 0., 0., 0.5, 18. },
    { 36., 18., 0.5, 0.5, 18. },                       /* measured at the model's pace */
    { 36., 0.03, 0.006, 0.006, 1.83 / 0.056 * 0.994 }, /* layers 1 and 2 alone: 32.5 s */
    { 36., 27., 0.127, 0.006, 28.8 / 0.177 * 0.994 }, /* stopped in layer 3: 162 s, not 9 */
    { 36., 27., 0.127, 0.127, 28.8 / 0.177 * 0.873 }, /* going on in it: 142 s */
    { 36., 100., 0.95, 0.95, 101.8 * 0.05 },           /* the measure nearly alone: 5.1 s */
    { 36., 50., 1., 1., 0. },                          /* all done */
    { 0., 10., 0.5, 0.5, 0. },                         /* no estimate (rollout) */
  };
  g_autoptr(AttnExample) dense = random_example ("dense", 12, 64, 7);
  g_autoptr(AttnExample) causal = random_example_of ("causal", 12, 64, 7, TRUE);
  g_autoptr(AttnGraph) dense_graph = graph_for (dense, 0.5);
  g_autoptr(AttnGraph) causal_graph = graph_for (causal, 0.5);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpfloat_with_epsilon (_attn_every_node_time_left (cases[i][0], cases[i][1], cases[i][2], cases[i][3]),
                                    cases[i][4], 1e-9);

  g_assert_cmpfloat (attn_flow_every_node_share (dense_graph, 0), ==, 0.);
  g_assert_cmpfloat (attn_flow_every_node_share (dense_graph, 2), <, 0.01);
  g_assert_cmpfloat (attn_flow_every_node_share (dense_graph, 5), >, 0.9);
  g_assert_cmpfloat (attn_flow_every_node_share (dense_graph, 12), ==, 1.);
  g_assert_cmpfloat (attn_flow_every_node_share (causal_graph, 2), <, 0.01);
  g_assert_cmpfloat (attn_flow_every_node_share (causal_graph, 5), <, 0.4);
  g_assert_cmpfloat (attn_flow_every_node_share (causal_graph, 12), ==, 1.);
  for (guint l = 1; l <= 12; l++)
    g_assert_cmpfloat (attn_flow_every_node_share (causal_graph, l), >, attn_flow_every_node_share (causal_graph, l - 1));
}

/* The share of the flow of every node done: the model's cost of the layers
 * done, and of the layer under way as far as the job's progress went in
 * it. The progress is of the whole view by the count of its layers, also
 * for a job resumed after some (read as a fraction of its own layers, a
 * job resumed after layer 2 of 12 showed layer 3 done as it began, 31 %,
 * and a layer ahead after each: 61 % and 95 % after layer 3) */
static void
test_every_node_share_done (void)
{
  g_autoptr(AttnExample) dense = random_example ("dense", 12, 64, 7);
  g_autoptr(AttnGraph) graph = graph_for (dense, 0.5);
  double share[13];

  for (guint l = 0; l <= 12; l++)
    share[l] = attn_flow_every_node_share (graph, l);
  g_assert_cmpfloat (_attn_every_node_share_done (graph, 0, -1.), ==, 0.);
  g_assert_cmpfloat (_attn_every_node_share_done (graph, 2, -1.), ==, share[2]);
  /* half way through layer 3, whether the job began at layer 1 or 3 */
  g_assert_cmpfloat_with_epsilon (_attn_every_node_share_done (graph, 2, 2.5 / 12.),
                                  share[2] + 0.5 * (share[3] - share[2]), 1e-12);
  g_assert_cmpfloat_with_epsilon (_attn_every_node_share_done (graph, 3, 3.25 / 12.),
                                  share[3] + 0.25 * (share[4] - share[3]), 1e-12);
  /* the progress of the next layer before the layer done is delivered */
  g_assert_cmpfloat (_attn_every_node_share_done (graph, 3, 5. / 12.), ==, share[4]);
  g_assert_cmpfloat (_attn_every_node_share_done (graph, 12, 1.), ==, 1.);
}

/* The first progress shown once five layers were, while the last is not
 * (the heatmap's own progress follows), or -1 */
static void
every_node_progress_cb (AttnSession *session,
                        GParamSpec  *pspec,
                        double      *after_five)
{
  double progress = attn_session_get_progress (session);
  AttnTrace *trace = attn_session_get_trace (session);
  guint done = trace != NULL ? attn_trace_get_n_layers_done (trace) : 0;

  if (*after_five < 0. && progress >= 0. && done >= 5 && done < attn_trace_get_n_layers (trace))
    *after_five = progress;
}

/* The flow of every node shows its progress by the cost of its layers, not
 * their count: five layers of twelve are over 90 % of a dense input's work
 * (the status line said so of the time left, and the bar showed 42 %) */
static void
test_every_node_progress (void)
{
  g_autoptr(AttnSession) session = attn_session_new ();
  g_autoptr(AttnExample) example = random_example ("dense", 12, 64, 5);
  g_autoptr(AttnGraph) graph = graph_for (example, 0.5);
  double after_five = -1.;

  g_assert_cmpfloat (attn_flow_every_node_share (graph, 5), >, 0.9);
  attn_session_set_example (session, example, NULL);
  wait_idle (session);
  g_signal_connect (session, "notify::progress", G_CALLBACK (every_node_progress_cb), &after_five);
  attn_session_set_method (session, ATTN_METHOD_FLOW);
  wait_idle (session);
  g_assert_true (attn_trace_is_complete (attn_session_get_trace (session)));
  g_test_message ("progress once five layers were shown: %.3f", after_five);
  g_assert_cmpfloat (after_five, >, 0.85);
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

  g_test_add_func ("/attn/render/session/open", test_open);
  g_test_add_func ("/attn/render/session/select", test_select);
  g_test_add_func ("/attn/render/session/select-under-range", test_select_under_range);
  g_test_add_func ("/attn/render/session/flow", test_flow);
  g_test_add_func ("/attn/render/session/every-node-time-left", test_every_node_time_left);
  g_test_add_func ("/attn/render/session/every-node-share-done", test_every_node_share_done);
  g_test_add_func ("/attn/render/session/every-node-progress", test_every_node_progress);
  g_test_add_func ("/attn/render/session/click-time-left", test_click_time_left);
  g_test_add_func ("/attn/render/session/long-resume", test_long_resume);
  g_test_add_func ("/attn/render/session/long-stop", test_long_stop);
  g_test_add_func ("/attn/render/session/settings", test_settings);
  g_test_add_func ("/attn/render/session/long", test_long);
  g_test_add_func ("/attn/render/session/estimate", test_estimate);
  g_test_add_func ("/attn/render/session/progressive", test_progressive);
  g_test_add_func ("/attn/render/session/partial-caption", test_partial_caption);
  g_test_add_func ("/attn/render/session/flow-partial", test_flow_partial);
  g_test_add_func ("/attn/render/session/pending", test_pending);
  g_test_add_func ("/attn/render/session/other-shape", test_other_shape);
  g_test_add_func ("/attn/render/session/dispose", test_dispose);
  g_test_add_func ("/attn/render/session/compact", test_compact);
  g_test_add_func ("/attn/render/session/scene", test_session_scene);
  g_test_add_func ("/attn/render/session/layer-range", test_layer_range);
  g_test_add_func ("/attn/render/scene/from-trace", test_scene);
  g_test_add_func ("/attn/render/scene/sink", test_scene_sink);
  g_test_add_func ("/attn/render/scene/even-spread", test_scene_even_spread);

  status = g_test_run ();
  attn_document_unref (bert);
  return status;
}
