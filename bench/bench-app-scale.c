/* bench-app-scale.c: the application window on a long input, medians
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-app-scale [--clicks N] [--flow-clicks N] [--rerenders N] FILE
 *
 * Opens FILE in an AttnWindow (1280x800, needs a display: bench/bench-scale.sh
 * and bench/bench-window.sh run it under xvfb-run) and measures, from the
 * action to the window being idle again with the new result drawn: opening
 * (load, graph, the rollout figure before a click, its image), re-renders of
 * that figure (a new colour map: the same values drawn again, graph and
 * heatmap panel), rollout clicks on the top layer, and flow clicks (every
 * layer at the clicked position and the node's edge flows). Prints the
 * process's resident memory after each step, so the growth of the per-view
 * caches shows, and its peak.
 */

#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <string.h>

#include "attn-graph-view.h"
#include "attn-window.h"
#include "bench-common.h"

/* A field of /proc/self/status (VmRSS, VmHWM) in MiB */
static double
status_mib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, field)) == NULL)
    return 0.;
  return g_ascii_strtod (line + strlen (field) + 1, NULL) / 1024.;
}

static double
rss_mib (void)
{
  return status_mib ("VmRSS");
}

static gboolean
window_idle (AttnWindow *window)
{
  return attn_window_get_example (window) != NULL && !attn_window_is_busy (window) &&
         attn_graph_view_get_layout (attn_window_get_graph_view (window)) != NULL;
}

static double
wait_idle (AttnWindow *window,
           gint64      start)
{
  do
    {
      while (!window_idle (window))
        g_main_context_iteration (NULL, TRUE);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  while (!window_idle (window));
  return (g_get_monotonic_time () - start) / 1000.;
}

/* The clicked node's result drawn: the graph view shows its trace, rendered,
 * and the heatmap panel has a new figure (for the clicked position) */
static gboolean
click_drawn (AttnWindow *window,
             guint       layer,
             guint       position,
             AttnFigure *old_heatmap)
{
  AttnGraphView *view = attn_window_get_graph_view (window);
  guint shown_layer, shown_position;

  return attn_graph_view_get_selection (view, &shown_layer, &shown_position, NULL) &&
         shown_layer == layer && shown_position == position &&
         !attn_graph_view_is_rendering (view) &&
         attn_window_get_heatmap (window) != old_heatmap;
}

/* Clicks on top-layer nodes: the time from the action to the click's result
 * drawn (graph and heatmap panel), and to the window idle (with flow at
 * n <= 128 the un-clicked view for the new position goes on in the background
 * afterwards), which the next click waits for */
static void
clicks (AttnWindow *window,
        const char *method,
        int         count)
{
  AttnGraphView *view = attn_window_get_graph_view (window);
  AttnSession *session = attn_window_get_session (window);
  AttnExample *example = attn_window_get_example (window);
  guint L = attn_example_get_n_layers (example);
  guint n = attn_example_get_n_tokens (example);
  g_autofree double *drawn = g_new (double, MAX (count, 1));
  g_autofree double *idle = g_new (double, MAX (count, 1));

  if (count <= 0)
    return;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", method);
  wait_idle (window, g_get_monotonic_time ());
  for (int i = 0; i < count; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      /* the last token first (a causal model's fullest row), then others */
      guint position = (n - 1 - 37 * (guint) i) % n;
      g_autoptr(AttnFigure) heatmap = NULL;

      double progress = -1., partial = -1.;
      guint partial_layers = 0;

      if (attn_window_get_heatmap (window) != NULL)
        heatmap = attn_figure_ref (attn_window_get_heatmap (window));
      gtk_widget_activate_action (GTK_WIDGET (view), "view.select-node", "(uu)", L, position);
      while (!click_drawn (window, L, position, heatmap))
        {
          g_main_context_iteration (NULL, TRUE);
          if (progress < 0. && attn_session_get_progress (session) > 0.)
            progress = bench_ms_since (t0);
        }
      drawn[i] = bench_ms_since (t0);
      /* flow: the heatmap (every layer's flow at the position) comes layer by layer */
      while (!window_idle (window))
        {
          g_main_context_iteration (NULL, TRUE);
          if (partial < 0. &&
              attn_session_get_heatmap_partial (session, ATTN_METHOD_FLOW, &partial_layers, NULL) != NULL)
            partial = bench_ms_since (t0);
        }
      idle[i] = wait_idle (window, t0);
      g_print ("%s-click-%d drawn %.0f ms, idle %.0f ms, rss %.0f MiB", method, i, drawn[i],
               idle[i], rss_mib ());
      if (progress >= 0.)
        g_print ("; first progress %.0f ms", progress);
      if (partial >= 0.)
        g_print ("; heatmap's first %u layer(s) %.0f ms", partial_layers, partial);
      g_print ("\n");
    }
  g_print ("%s-click drawn %.0f ms, idle %.0f ms (medians of %d)\n", method,
           bench_median (drawn, count), bench_median (idle, count), count);
}

/* The rollout figure before a click drawn again in another colour map */
static void
rerenders (AttnWindow *window,
           int         count)
{
  static const char * const maps[] = { "magma", "viridis" };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree double *times = g_new (double, MAX (count, 1));

  if (count <= 0)
    return;
  for (int i = 0; i < count; i++)
    {
      gint64 t0 = g_get_monotonic_time ();

      g_settings_set_string (settings, "colormap", maps[i % G_N_ELEMENTS (maps)]);
      times[i] = wait_idle (window, t0);
      g_print ("rerender-%d %.0f ms, rss %.0f MiB\n", i, times[i], rss_mib ());
    }
  g_print ("rerender %.0f ms (median of %d)\n", bench_median (times, count), count);
}

/* The layers of the figure on screen that have their values */
static guint
layers_drawn (AttnGraphView *view)
{
  AttnGraphScene *scene = attn_graph_view_get_scene (view);
  guint count = 0;

  for (guint l = 1; scene != NULL && l <= attn_graph_scene_get_n_layers (scene); l++)
    count += attn_graph_scene_has_layer (scene, l);
  return count;
}

/* Opening: to the first figure drawn with values (a long input's rollout
 * view fills in layer by layer: its first layers), then to the whole figure drawn and the
 * window idle */
static void
open_file (AttnWindow *window,
           gint64      t0)
{
  AttnGraphView *view = attn_window_get_graph_view (window);
  double first, idle;
  guint shown;

  AttnSession *session = attn_window_get_session (window);
  double loaded = -1., graph = -1., layer = -1., scene = -1.;

  while (attn_window_get_example (window) == NULL || attn_graph_view_get_layout (view) == NULL ||
         attn_graph_view_is_rendering (view) || layers_drawn (view) == 0)
    {
      AttnTrace *trace = attn_session_get_trace (session);

      g_main_context_iteration (NULL, TRUE);
      if (loaded < 0. && attn_window_get_example (window) != NULL)
        loaded = bench_ms_since (t0);
      if (graph < 0. && attn_session_get_graph (session) != NULL)
        graph = bench_ms_since (t0);
      if (layer < 0. && trace != NULL && attn_trace_get_n_layers_done (trace) > 0)
        layer = bench_ms_since (t0);
      if (scene < 0. && layers_drawn (view) > 0)
        scene = bench_ms_since (t0);
    }
  first = bench_ms_since (t0);
  g_print ("open: loaded %.0f ms, graph %.0f ms, first layer's values %.0f ms, its scene %.0f ms\n",
           loaded, graph, layer, scene);
  shown = layers_drawn (view);
  idle = wait_idle (window, t0);
  g_print ("open: first figure drawn %.0f ms (%u of %u layers), whole figure drawn and idle %.0f ms, "
           "rss %.0f MiB\n", first, shown,
           attn_example_get_n_layers (attn_window_get_example (window)), idle, rss_mib ());
}

int
main (int   argc,
      char *argv[])
{
  int n_clicks = 8, n_flow_clicks = 0, n_rerenders = 0;
  GOptionEntry entries[] = {
    { "rerenders", 0, 0, G_OPTION_ARG_INT, &n_rerenders, "Re-renders (new colour map)", "N" },
    { "clicks", 0, 0, G_OPTION_ARG_INT, &n_clicks, "Rollout clicks", "N" },
    { "flow-clicks", 0, 0, G_OPTION_ARG_INT, &n_flow_clicks, "Flow clicks", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  AttnWindow *window;
  gint64 t0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error ? error->message : "usage: bench-app-scale [OPTION...] FILE");
      return 2;
    }
  if (!gtk_init_check ())
    {
      g_printerr ("bench-app-scale: no display (run it under xvfb-run)\n");
      return 2;
    }
  adw_init ();
  g_set_application_name ("attnflow bench");

  file = g_file_new_for_path (argv[1]);
  window = attn_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  t0 = g_get_monotonic_time ();
  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_file (window, file);
  open_file (window, t0);

  rerenders (window, n_rerenders);
  clicks (window, "rollout", n_clicks);
  clicks (window, "flow", n_flow_clicks);
  g_print ("peak rss %.0f MiB\n", status_mib ("VmHWM"));

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
