/* bench-render-scale.c: drawing a long input's graph zoomed out, medians
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-render-scale [--repeats N] [--width W] [--height H] FILE
 *
 * Loads the first example of FILE and draws its whole graph into a W x H
 * figure (the window zoomed out to fit) with the renderer's image API
 * (attn_graph_render_image(), the screen's raster path; edges fainter than
 * 1/255 are culled), twice: the figure before a click (the rollout of every
 * node, the paper's convention) and after a click on the focus token's
 * top-layer node (rollout edge shares). Prints one "key value unit" line per
 * figure; bench/bench-scale.sh runs it on the n = 1024 input.
 */

#include "config.h"

#include <stdlib.h>

#include "attn-core.h"
#include "attn-render.h"
#include "bench-common.h"

/* Edges the renderer draws: value over the scale's maximum, at least 1/255 opaque. */
static gsize
count_drawn (const double *edges,
             gsize         count,
             double        scale_max)
{
  gsize drawn = 0;

  for (gsize i = 0; i < count; i++)
    if (attn_graph_render_edge_alpha (edges[i] / scale_max) >= 1. / 255.)
      drawn++;
  return drawn;
}

static void
bench_scene (const char            *label,
             AttnGraphLayout       *layout,
             AttnGraphScene        *scene,
             const AttnFigureStyle *style,
             const double          *edges,
             gsize                  n_edges,
             int                    repeats)
{
  g_autofree double *times = g_new (double, repeats);
  double scale_max = attn_graph_scene_compute_scale_max (scene, style->exclude_special);
  int width = 0, height = 0;

  for (int r = 0; r < repeats; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      cairo_surface_t *surface = attn_graph_render_image (layout, scene, style, 1., NULL);

      times[r] = bench_ms_since (t0);
      g_assert (surface != NULL);
      width = cairo_image_surface_get_width (surface);
      height = cairo_image_surface_get_height (surface);
      cairo_surface_destroy (surface);
    }
  g_print ("render-%s %.1f ms (median of %d, %dx%d px, %" G_GSIZE_FORMAT " of %"
           G_GSIZE_FORMAT " edges drawn)\n",
           label, bench_median (times, repeats), repeats, width, height,
           count_drawn (edges, n_edges, scale_max), n_edges);
}

int
main (int   argc,
      char *argv[])
{
  int repeats = 3, width = 1280, height = 800;
  GOptionEntry entries[] = {
    { "repeats", 0, 0, G_OPTION_ARG_INT, &repeats, "Runs per measurement", "N" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Figure width in pixels", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Figure height in pixels", "H" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE");
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(AttnGraph) graph = NULL;
  g_autoptr(AttnGraphLayout) layout = NULL;
  g_autoptr(AttnGraphScene) scene = NULL;
  g_autofree double *edges = NULL;
  AttnFigureStyle style;
  AttnExample *example;
  guint L, n, focus;
  gsize count;
  gint64 t0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error ? error->message : "usage: bench-render-scale [OPTION...] FILE");
      return 2;
    }
  repeats = MAX (repeats, 1);

  document = attn_document_load (argv[1], NULL, &error);
  if (document == NULL)
    g_error ("%s", error->message);
  example = attn_document_get_example (document, 0);
  graph = attn_graph_new (example, NULL, NULL, &error);
  if (graph == NULL)
    g_error ("%s", error->message);
  L = attn_graph_get_n_layers (graph);
  n = attn_graph_get_n_tokens (graph);
  focus = attn_example_get_focus (example);
  count = (gsize) L * n * n;
  edges = g_new (double, count);

  attn_figure_style_init (&style, FALSE);
  t0 = g_get_monotonic_time ();
  layout = attn_graph_layout_new (&(AttnGraphLayoutSpec) {
                                    .tokens = attn_example_get_tokens (example), .n_tokens = n,
                                    .first_layer = 1, .last_layer = L, .style = &style,
                                    .title = "Attention rollout", .scale_label = "rollout",
                                    .width = width, .height = height });
  g_print ("layout %.1f ms (%u tokens, %u layers)\n", bench_ms_since (t0), n, L);

  /* Before a click: R_l[q][k] on edge (l, q) -> (l-1, k). */
  if (!attn_rollout_matrices (graph, edges, NULL, &error))
    g_error ("%s", error->message);
  scene = attn_graph_scene_new (L, n);
  attn_graph_scene_set_edges (scene, edges);
  bench_scene ("convention", layout, scene, &style, edges, count, repeats);
  g_clear_pointer (&scene, attn_graph_scene_unref);

  /* After a click on the focus token's top-layer node. */
  if (!attn_rollout_edge_shares (graph, L, focus, edges, NULL, &error))
    g_error ("%s", error->message);
  scene = attn_graph_scene_new (L, n);
  attn_graph_scene_set_edges (scene, edges);
  attn_graph_scene_set_selection (scene, (int) L, (int) focus, -1);
  bench_scene ("click", layout, scene, &style, edges, count, repeats);

  g_print ("peak-rss %.1f MiB\n", bench_peak_rss_mib ());
  return 0;
}
