/* bench-graph-view.c: the graph view's frames while panning and zooming, and its re-renders
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Needs a display (run it under xvfb-run). A synthetic 12-layer softmax attention of n tokens
 * (fixed seed) is shown in an AttnGraphView of 1200 x 700; then:
 *  - re-render: from a new trace (the rollout of every node, or a click's edge shares) to the
 *    new image on screen: layout and raster on the worker, texture upload on the main thread;
 *  - frame: one zoom or pan step (the cached texture transformed), snapshot of the view and
 *    rendering of that node by the window's GSK renderer into the window (with --readback:
 *    into a texture whose pixels are read back, an upper bound).
 * Prints medians.
 *
 *   bench-graph-view [--tokens N] [--frames F] [--repeats R] [--method raw|rollout]
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdlib.h>

#include "attn-graph-view.h"
#include "bench-common.h"

static AttnExample *
synthetic_example (guint n,
                   guint L)
{
  GRand *rand = g_rand_new_with_seed (42);
  double *attention = g_new (double, (gsize) L * n * n);
  char **tokens = g_new0 (char *, n + 1);
  AttnExample *example;
  g_autoptr(GError) error = NULL;

  for (guint j = 0; j < n; j++)
    tokens[j] = j == 0 ? g_strdup ("[CLS]") : j == n - 1 ? g_strdup ("[SEP]")
                                            : g_strdup_printf ("tok%u", j);
  for (guint l = 0; l < L; l++)
    for (guint q = 0; q < n; q++)
      {
        double *row = attention + ((gsize) l * n + q) * n;
        double sum = 0.;

        for (guint k = 0; k < n; k++)
          {
            double logit = g_rand_double_range (rand, -1.5, 1.5);

            if (k == 0 || k == q)
              logit += 3.;
            row[k] = exp (logit);
            sum += row[k];
          }
        for (guint k = 0; k < n; k++)
          row[k] /= sum;
      }
  example = attn_example_new_from_doubles ("synthetic", (const char * const *) tokens, L, 1,
                                           attention, &error);
  g_assert_no_error (error);
  g_strfreev (tokens);
  g_free (attention);
  g_rand_free (rand);
  return example;
}

static void
wait_rendered (AttnGraphView *view)
{
  while (attn_graph_view_is_rendering (view))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean readback;

static double
frame_ms (GtkWidget *window,
          GtkWidget *view)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int width = gtk_widget_get_width (view);
  int height = gtk_widget_get_height (view);
  gint64 start = g_get_monotonic_time ();
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  GTK_WIDGET_GET_CLASS (view)->snapshot (view, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  if (readback)
    texture = gsk_renderer_render_texture (renderer, node,
                                           &GRAPHENE_RECT_INIT (0, 0, width, height));
  else
    /* a real frame: drawn into the window's surface */
    gsk_renderer_render (renderer, node, NULL);
  return (g_get_monotonic_time () - start) / 1000.;
}

int
main (int   argc,
      char *argv[])
{
  int n = 128, frames = 60, repeats = 5;
  g_autofree char *method_name = NULL;
  AttnMethod method = ATTN_METHOD_ROLLOUT;
  GOptionEntry entries[] = {
    { "tokens", 0, 0, G_OPTION_ARG_INT, &n, "tokens (default 128)", "N" },
    { "frames", 0, 0, G_OPTION_ARG_INT, &frames, "zoom and pan frames (default 60)", "F" },
    { "repeats", 0, 0, G_OPTION_ARG_INT, &repeats, "re-renders (default 5)", "R" },
    { "readback", 0, 0, G_OPTION_ARG_NONE, &readback, "render frames into a texture and read it back", NULL },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method_name, "raw or rollout (default; its every-node view costs L·n³)", "M" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnExample) example = NULL;
  g_autoptr(AttnGraph) graph = NULL;
  g_autoptr(AttnTrace) convention = NULL;
  g_autoptr(AttnTrace) click = NULL;
  AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
  const guint L = 12;
  GtkWidget *window, *view;
  g_autofree double *renders = NULL;
  g_autofree double *zoom_frames = NULL;
  g_autofree double *pan_frames = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (method_name != NULL && !attn_method_from_name (method_name, &method))
    {
      g_printerr ("unknown method %s\n", method_name);
      return 1;
    }
  if (!gtk_init_check ())
    {
      g_printerr ("bench-graph-view needs a display (xvfb-run)\n");
      return 1;
    }
  adw_init ();

  example = synthetic_example (n, L);
  graph = attn_graph_new (example, &options, NULL, &error);
  g_assert_no_error (error);
  convention = attn_trace_compute (graph, &(AttnTraceQuery) { method, 0, 0, -1, 0 },
                                   NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  click = attn_trace_compute (graph, &(AttnTraceQuery) { method, L, 0, -1, 0 },
                              NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 700);
  view = attn_graph_view_new ();
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  attn_graph_view_set_example (ATTN_GRAPH_VIEW (view), example);
  g_object_set (view, "colormap", "viridis", "threshold", 0.02, "top-k", 8, NULL);
  {
    g_autoptr(AttnGraphScene) scene = attn_graph_scene_new_from_trace (convention, example, NULL);

    attn_graph_view_set_scene (ATTN_GRAPH_VIEW (view), scene);
  }
  wait_rendered (ATTN_GRAPH_VIEW (view));

  renders = g_new (double, repeats);
  for (int i = 0; i < repeats; i++)
    {
      gint64 start = g_get_monotonic_time ();
      /* the application builds the scene on a worker, before the view renders it */
      g_autoptr(AttnGraphScene) scene = attn_graph_scene_new_from_trace (i % 2 ? convention : click,
                                                                         example, NULL);

      attn_graph_view_set_scene (ATTN_GRAPH_VIEW (view), scene);
      wait_rendered (ATTN_GRAPH_VIEW (view));
      renders[i] = (g_get_monotonic_time () - start) / 1000.;
    }

  /* frames: the image cached at zoom 1 is transformed (the settle re-render is not waited for) */
  zoom_frames = g_new (double, frames);
  pan_frames = g_new (double, frames);
  for (int i = 0; i < frames; i++)
    {
      attn_zoomable_set_zoom (ATTN_ZOOMABLE (view), 1. + 3. * (i + 1) / frames, 600, 350);
      zoom_frames[i] = frame_ms (window, view);
    }
  for (int i = 0; i < frames; i++)
    {
      attn_zoomable_pan (ATTN_ZOOMABLE (view), i % 2 ? -7. : 5., i % 3 ? 3. : -4.);
      pan_frames[i] = frame_ms (window, view);
    }

  g_print ("n = %d, %u layers, %s, view %d x %d at scale %d, renderer %s\n", n, L,
           attn_method_get_name (method),
           gtk_widget_get_width (view), gtk_widget_get_height (view),
           gtk_widget_get_scale_factor (view),
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  g_print ("re-render (new trace to new image on screen), median of %d: %.1f ms\n",
           repeats, bench_median (renders, repeats));
  g_print ("zoom frame (snapshot + render of the transformed texture), median of %d: %.2f ms\n",
           frames, bench_median (zoom_frames, frames));
  g_print ("pan frame, median of %d: %.2f ms\n", frames, bench_median (pan_frames, frames));

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
