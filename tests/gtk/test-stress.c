/* test-stress.c: the app under rapid clicking, long inputs, closing and quitting mid-computation
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Every check is on state, never on wall-clock time: which job runs, which
 * cancellable is cancelled, what is shown, that closed windows are finalized.
 * The suite also runs under ASan+LSan, which turns any leak into a failure. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "attn-application.h"
#include "attn-graph-view.h"
#include "attn-window-private.h"

#include "gtk-test-util.h"

#define LONG_TOKENS 512
#define LONG_LAYERS 6
#define LONG_HEADS 2

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static double
next_uniform (guint64 *state)
{
  *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double) (*state >> 11) / 9007199254740992.;
}

/* A long synthetic export: softmax rows with [CLS]/[SEP] sinks and a
 * diagonal, float32 base64. Returns its path in @dir. */
static char *
write_long_export (const char *dir)
{
  const guint n = LONG_TOKENS;
  gsize count = (gsize) LONG_LAYERS * LONG_HEADS * n * n;
  g_autofree float *a = g_new (float, count);
  g_autofree char *b64 = NULL;
  g_autoptr(GString) json = g_string_new ("{\"id\": \"long-512\", \"tokens\": [");
  g_autoptr(GError) error = NULL;
  g_autofree double *row = g_new (double, n);
  guint64 state = 512;
  char *path;

  g_assert (G_BYTE_ORDER == G_LITTLE_ENDIAN);
  for (gsize r = 0; r < count / n; r++)
    {
      guint q = r % n;
      double sum = 0.;

      for (guint k = 0; k < n; k++)
        {
          double logit = 2. * next_uniform (&state);

          if (k == 0 || k == n - 1)
            logit += 4.;
          if (k == q)
            logit += 2.;
          row[k] = exp (logit);
          sum += row[k];
        }
      for (guint k = 0; k < n; k++)
        a[r * n + k] = (float) (row[k] / sum);
    }
  b64 = g_base64_encode ((const guchar *) a, count * sizeof (float));

  for (guint i = 0; i < n; i++)
    {
      if (i == 0)
        g_string_append (json, "\"[CLS]\"");
      else if (i == n - 1)
        g_string_append (json, ", \"[SEP]\"");
      else
        g_string_append_printf (json, ", \"w%u\"", i);
    }
  g_string_append_printf (json, "], \"attention\": {\"dtype\": \"float32\", "
                          "\"shape\": [%u, %u, %u, %u], \"base64\": \"%s\"}}\n",
                          LONG_LAYERS, LONG_HEADS, n, n, b64);
  path = g_build_filename (dir, "long-512.json", NULL);
  g_assert_true (g_file_set_contents (path, json->str, json->len, &error));
  g_assert_no_error (error);
  return path;
}

static gboolean
example_has_tokens (gpointer data)
{
  AttnWindow *window = data;
  AttnExample *example = attn_window_get_example (window);

  return example != NULL && attn_example_get_n_tokens (example) == LONG_TOKENS &&
         attn_gtk_test_window_idle (window);
}

/* A window showing the long example, idle */
static AttnWindow *
open_long_window (const char *path)
{
  AttnWindow *window = attn_gtk_test_open_file (path);

  attn_gtk_test_wait_until (example_has_tokens, window);
  attn_gtk_test_wait_idle (window);
  return window;
}

static void
remove_long_export (char *dir,
                    char *path)
{
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_free (path);
  g_free (dir);
}

/* 1000 selections while the jobs run, switching views; then what is shown
 * is the last selection's, equal to the core's result. */
static void
test_stress_selections (void)
{
  AttnWindow *window = attn_window_new (NULL);
  AttnGraphView *view;
  AttnExample *example;
  AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
  g_autoptr(AttnGraph) graph = NULL;
  g_autofree double *expected = NULL;
  static const char * const views[] = { "rollout", "flow", "raw", "flow" };
  const double *values;
  guint L, n, layer = 1, position = 0, sel_layer, sel_position;
  guint64 state = 1000;
  guint n_started = 0;
  int sink;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_bundled (window);
  attn_gtk_test_wait_idle (window);
  view = attn_window_get_graph_view (window);
  example = attn_window_get_example (window);
  L = attn_example_get_n_layers (example);
  n = attn_example_get_n_tokens (example);

  for (guint i = 0; i < 1000; i++)
    {
      double u = next_uniform (&state);

      if (i % 100 == 0)
        gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", views[(i / 100) % 4]);

      if (u < 0.05)
        {
          /* an input token: the paths to it */
          gtk_widget_activate_action (GTK_WIDGET (view), "view.select-node", "(uu)",
                                      0, (guint) (next_uniform (&state) * n));
        }
      else
        {
          layer = 1 + (guint) (next_uniform (&state) * L);
          position = (guint) (next_uniform (&state) * n);
          gtk_widget_activate_action (GTK_WIDGET (view), "view.select-node", "(uu)",
                                      layer, position);
        }
      if (_attn_window_get_job_cancellable (window) != NULL)
        n_started++;

      /* let some jobs finish, others not */
      if (u > 0.7)
        while (g_main_context_iteration (NULL, FALSE))
          ;
    }
  /* end on a node, in the flow view */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "flow");
  layer = L;
  position = 3;
  gtk_widget_activate_action (GTK_WIDGET (view), "view.select-node", "(uu)", layer, position);
  attn_gtk_test_wait_idle (window);
  g_test_message ("%u of 1000 selections had a job running after them", n_started);
  g_assert_cmpuint (n_started, >, 0);

  g_assert_true (attn_graph_view_get_selection (view, &sel_layer, &sel_position, &sink));
  g_assert_cmpuint (sel_layer, ==, layer);
  g_assert_cmpuint (sel_position, ==, position);
  g_assert_cmpint (sink, ==, -1);
  g_assert_cmpint (attn_trace_get_method (attn_graph_view_get_trace (view)), ==, ATTN_METHOD_FLOW);

  graph = attn_graph_new (example, &options, NULL, NULL);
  expected = g_new (double, n);
  g_assert_true (attn_flow_node (graph, layer, position, NULL, expected, NULL, NULL));
  values = attn_trace_get_node_values (attn_graph_view_get_trace (view));
  g_assert_nonnull (values);
  for (guint j = 0; j < n; j++)
    g_assert_cmpfloat_with_epsilon (values[j], expected[j], 1e-12);

  attn_gtk_test_close_window (window);
}

/* n = 512: the un-clicked flow view waits for a request; a click starts a
 * flow job with the progress bar shown while the main loop keeps running; a
 * second click cancels it and starts another; closing the window then
 * cancels that one, and the window is finalized. */
static void
test_stress_flow_512 (void)
{
  char *dir = g_dir_make_tmp ("attnflow-stress-XXXXXX", NULL);
  char *path = write_long_export (dir);
  AttnWindow *window = open_long_window (path);
  AttnGraphView *view = attn_window_get_graph_view (window);
  guint L = attn_example_get_n_layers (attn_window_get_example (window));
  GtkWidget *progress = attn_gtk_test_find_descendant (GTK_WIDGET (window), GTK_TYPE_PROGRESS_BAR, FALSE);
  g_autoptr(GCancellable) first = NULL;
  g_autoptr(GCancellable) second = NULL;
  gpointer weak = window;
  gboolean ticked = FALSE;
  AttnTrace *trace;

  g_assert_cmpuint (L, ==, LONG_LAYERS);
  g_assert_nonnull (progress);

  /* above n = 128 the flow of every node is not started by itself */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "flow");
  attn_gtk_test_wait_idle (window);
  trace = attn_graph_view_get_trace (view);
  g_assert_nonnull (trace);
  g_assert_false (attn_trace_get_selection (trace, NULL, NULL, NULL));
  g_assert_cmpuint (attn_trace_get_n_layers_done (trace), ==, 0);
  g_assert_null (_attn_window_get_job_cancellable (window));

  /* a click: flow for every layer at [CLS] and the top node's edges */
  gtk_widget_activate_action (GTK_WIDGET (view), "view.select-node", "(uu)", L, 0);
  first = _attn_window_get_job_cancellable (window);
  g_assert_nonnull (first);
  g_object_ref (first);
  g_assert_true (attn_window_is_busy (window));
  g_assert_true (gtk_widget_get_visible (progress));

  /* the main loop keeps turning while it runs (a 20 ms timer fires) */
  g_timeout_add (20, set_flag_cb, &ticked);
  attn_gtk_test_wait_until (flag_set, &ticked);
  g_assert_true (_attn_window_get_job_cancellable (window) == first);
  g_assert_false (g_cancellable_is_cancelled (first));
  g_assert_true (gtk_widget_get_visible (progress));

  /* a second click cancels it and starts the next one */
  gtk_widget_activate_action (GTK_WIDGET (view), "view.select-node", "(uu)", L, 7);
  g_assert_true (g_cancellable_is_cancelled (first));
  second = _attn_window_get_job_cancellable (window);
  g_assert_nonnull (second);
  g_object_ref (second);
  g_assert_true (second != first);
  g_assert_false (g_cancellable_is_cancelled (second));
  g_assert_true (attn_window_is_busy (window));

  /* close the window mid-computation: the job is cancelled and lets go */
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (g_cancellable_is_cancelled (second));
  attn_gtk_test_wait_until (attn_gtk_test_is_null, &weak);

  remove_long_export (dir, path);
}

/* Quitting the application while a flow job runs */
typedef struct
{
  GApplication *app;
  AttnWindow   *window;   /* weak */
  GCancellable *job;
  guint         source_id;
} QuitData;

static gboolean
quit_step_cb (gpointer user_data)
{
  QuitData *data = user_data;
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (data->app));
  AttnWindow *window;

  if (active == NULL || !ATTN_IS_WINDOW (active))
    return G_SOURCE_CONTINUE;
  window = ATTN_WINDOW (active);
  if (!example_has_tokens (window))
    return G_SOURCE_CONTINUE;

  if (data->window == NULL)
    {
      data->window = window;
      g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &data->window);
    }

  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "flow");
  gtk_widget_activate_action (GTK_WIDGET (attn_window_get_graph_view (window)),
                              "view.select-node", "(uu)", LONG_LAYERS, 0);
  data->job = _attn_window_get_job_cancellable (window);
  g_assert_nonnull (data->job);
  g_object_ref (data->job);

  /* Ctrl+Q */
  g_action_group_activate_action (G_ACTION_GROUP (data->app), "quit", NULL);
  data->source_id = 0;
  return G_SOURCE_REMOVE;
}

static void
test_stress_quit (void)
{
  char *dir = g_dir_make_tmp ("attnflow-stress-XXXXXX", NULL);
  char *path = write_long_export (dir);
  g_autoptr(AttnApplication) app = attn_application_new ();
  QuitData data = { G_APPLICATION (app), NULL, NULL, 0 };
  char *argv[] = { (char *) "attnflow", path, NULL };
  int status;

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  data.source_id = g_timeout_add (10, quit_step_cb, &data);
  status = g_application_run (G_APPLICATION (app), 2, argv);
  g_clear_handle_id (&data.source_id, g_source_remove);
  g_assert_cmpint (status, ==, 0);

  /* the window was closed, its job cancelled; once the job has let go the
   * window is finalized (nothing else keeps it) */
  g_assert_nonnull (data.job);
  g_assert_true (g_cancellable_is_cancelled (data.job));
  g_clear_object (&data.job);
  attn_gtk_test_wait_until (attn_gtk_test_is_null, &data.window);

  g_clear_object (&app);
  remove_long_export (dir, path);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!attn_gtk_test_init (&argc, &argv, &status))
    return status;

  g_test_add_func ("/attn/gtk/stress/selections", test_stress_selections);
  g_test_add_func ("/attn/gtk/stress/flow-512", test_stress_flow_512);
  g_test_add_func ("/attn/gtk/stress/quit", test_stress_quit);

  return g_test_run ();
}
