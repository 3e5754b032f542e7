/* bench-render.c: re-rendering the graph figure with every visible edge, medians
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-render [--repeats N] [--width W] [--height H] [--scale S] [--raster-only]
 *                     [--panel WxH [--all-methods]] [N_TOKENS...]
 *
 * The target (BENCHMARKS.md): "a re-render with every visible edge (new data, colours or
 * scale), off the main thread, under 100 ms at n = 64 and 200 ms at n = 128"
 * (12 layers, ~1600 x 1000). For each n (default 64 and 128) it builds a
 * synthetic 12-layer softmax attention (fixed seed), and times, with
 * threshold 0 and no top-k (every edge that is at least 1/255 opaque):
 *   - raster: attn_graph_render_image(), the screen and PNG path (median);
 *   - vector: attn_graph_render() on an image surface, one cairo stroke per
 *     edge, the SVG/PDF path (median of fewer runs, for comparison);
 *   - layout: attn_graph_layout_new() (text measuring, median).
 * Raw attention (head-mixed W) and the un-clicked rollout are both timed;
 * "edges" counts those the figure draws (each layer to its own scale).
 *
 * --panel WxH times, instead, the main window's heatmap panel of W x H
 * logical pixels: attn_figure_new_at_size() of the rollout heatmap at the
 * middle position (on the main thread, once the panel's size settles);
 * with --all-methods, of raw attention, rollout and flow side by side.
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attn-core.h"
#include "attn-render.h"
#include "attn-render-private.h"
#include "bench-common.h"

/* Softmax rows of random logits with a few strong keys, like real heads. */
static AttnExample *
synthetic_example (guint n,
                   guint L)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *att = g_new (double, (gsize) L * n * n);
  GRand *rand = g_rand_new_with_seed (20201);
  GError *error = NULL;
  AttnExample *example;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (tokens, i == 0 ? g_strdup ("[CLS]") : g_strdup_printf ("tok%u", i));
  g_ptr_array_add (tokens, NULL);

  for (guint l = 0; l < L; l++)
    for (guint q = 0; q < n; q++)
      {
        double *row = att + ((gsize) l * n + q) * n, sum = 0.;

        for (guint k = 0; k < n; k++)
          {
            double logit = g_rand_double_range (rand, -2., 2.);

            if (k == 0 || k == q || g_rand_int_range (rand, 0, 16) == 0)
              logit += 3.;
            row[k] = exp (logit);
            sum += row[k];
          }
        for (guint k = 0; k < n; k++)
          row[k] /= sum;
      }
  g_rand_free (rand);

  example = attn_example_new_from_doubles ("synthetic", (const char * const *) tokens->pdata, L, 1,
                                           att, &error);
  g_assert_no_error (error);
  return example;
}

/* The heatmap panel's layout at @width x @height, median of @repeats */
static void
bench_panel (AttnExample *example,
             double       width,
             double       height,
             gboolean     all_methods,
             int          repeats)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureInput input = { example, NULL };
  g_autofree double *times = g_new (double, repeats);
  g_autoptr(AttnFigure) fig = NULL;
  AttnFigureStyle style;
  double w, h;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.position = (int) attn_example_get_n_tokens (example) / 2;
  settings.all_methods = all_methods;
  fig = attn_figure_build (&input, 1, &settings, &style, NULL, NULL);
  g_assert_nonnull (fig);
  for (int r = 0; r < repeats; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(AttnFigure) at = attn_figure_new_at_size (fig, width, height);

      times[r] = bench_ms_since (start);
      attn_figure_get_size (at, &w, &h);
    }
  g_print ("n=%u panel %gx%g: laid out at %gx%g in %.1f ms\n", attn_example_get_n_tokens (example),
           width, height, w, h, bench_median (times, repeats));
}

/* The edges the figure draws: those _attn_graph_visible_edges() keeps, with
 * each layer's own scale where the scene has one */
static gsize
count_drawn (AttnGraphScene        *scene,
             const AttnFigureStyle *style)
{
  double scale_max = attn_graph_scene_compute_scale_max (scene, style->exclude_special);
  guint L = attn_graph_scene_get_n_layers (scene), n = attn_graph_scene_get_n_tokens (scene);
  g_autofree float *visible = g_new (float, (gsize) n * n);
  gsize drawn = 0;

  for (guint l = 1; l <= L; l++)
    {
      _attn_graph_visible_edges (scene, style, l, scale_max, visible, NULL);
      for (gsize i = 0; i < (gsize) n * n; i++)
        drawn += visible[i] > 0.f;
    }
  return drawn;
}

int
main (int   argc,
      char *argv[])
{
  int repeats = 9;
  double width = 1600., height = 1000., scale = 1.;
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  const guint L = 12;
  gboolean vector = TRUE;
  double panel_w = 0., panel_h = 0.;
  gboolean all_methods = FALSE;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--repeats") && i + 1 < argc)
        {
          repeats = atoi (argv[++i]);
          repeats = MAX (1, repeats);
        }
      else if (g_str_equal (argv[i], "--width") && i + 1 < argc)
        width = g_ascii_strtod (argv[++i], NULL);
      else if (g_str_equal (argv[i], "--height") && i + 1 < argc)
        height = g_ascii_strtod (argv[++i], NULL);
      else if (g_str_equal (argv[i], "--all-methods"))
        all_methods = TRUE;
      else if (g_str_equal (argv[i], "--raster-only"))
        vector = FALSE;
      else if (g_str_equal (argv[i], "--scale") && i + 1 < argc)
        scale = g_ascii_strtod (argv[++i], NULL);
      else if (g_str_equal (argv[i], "--panel") && i + 1 < argc &&
               sscanf (argv[i + 1], "%lfx%lf", &panel_w, &panel_h) == 2)
        i++;
      else
        {
          guint n = (guint) atoi (argv[i]);

          if (n == 0)
            {
              g_printerr ("usage: bench-render [--repeats N] [--width W] [--height H] [--scale S] "
                          "[--raster-only] [--panel WxH [--all-methods]] [N...]\n");
              return 2;
            }
          g_array_append_val (sizes, n);
        }
    }
  if (sizes->len == 0)
    {
      guint defaults[] = { 64, 128 };

      g_array_append_vals (sizes, defaults, 2);
    }

  if (panel_w > 0. && panel_h > 0.)
    {
      g_print ("# bench-render: the heatmap panel, 12 layers, %d repeats\n", repeats);
      for (guint s = 0; s < sizes->len; s++)
        {
          g_autoptr(AttnExample) example = synthetic_example (g_array_index (sizes, guint, s), L);

          bench_panel (example, panel_w, panel_h, all_methods, repeats);
        }
      return 0;
    }

  g_print ("# bench-render: %gx%g figure, scale %g, 12 layers, threshold 0, top-k 0, %d repeats\n",
           width, height, scale, repeats);

  for (guint s = 0; s < sizes->len; s++)
    {
      guint n = g_array_index (sizes, guint, s);
      g_autoptr(AttnExample) example = synthetic_example (n, L);
      AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
      g_autoptr(AttnGraph) graph = attn_graph_new (example, &options, NULL, NULL);
      AttnFigureStyle style;
      g_autofree double *times = g_new (double, repeats);
      g_autofree double *cpu = g_new (double, repeats);
      g_autoptr(AttnGraphLayout) layout = NULL;
      AttnGraphLayoutSpec spec = { .tokens = attn_example_get_tokens (example), .n_tokens = n,
                                   .first_layer = 1, .last_layer = L, .style = &style, .title = "Title",
                                   .scale_label = "Scale", .caption = "caption", .width = width,
                                   .height = height };

      attn_figure_style_init (&style, FALSE);
      for (int r = 0; r < repeats; r++)
        {
          gint64 start = g_get_monotonic_time ();
          AttnGraphLayout *lay = attn_graph_layout_new (&spec);

          times[r] = bench_ms_since (start);
          attn_graph_layout_unref (lay);
        }
      g_print ("n=%u layout %.2f ms\n", n, bench_median (times, repeats));
      layout = attn_graph_layout_new (&spec);

      for (guint m = 0; m < 2; m++)
        {
          AttnMethod method = m == 0 ? ATTN_METHOD_RAW : ATTN_METHOD_ROLLOUT;
          g_autoptr(AttnGraphScene) scene = attn_graph_scene_new_for_method (graph, method, 0, -1, -1,
                                                                             NULL, NULL);
          int vector_repeats = MAX (1, repeats / 3);
          double w, h;

          for (int r = 0; r < repeats; r++)
            {
              gint64 start = g_get_monotonic_time ();
              double cpu_start = bench_cpu_ms ();
              cairo_surface_t *image = attn_graph_render_image (layout, scene, &style, scale, NULL);

              times[r] = bench_ms_since (start);
              cpu[r] = bench_cpu_ms () - cpu_start;
              cairo_surface_destroy (image);
            }
          g_print ("n=%u %s edges %zu of %zu raster %.1f ms (cpu %.1f ms, all threads)\n", n,
                   attn_method_get_name (method), count_drawn (scene, &style), (gsize) L * n * n,
                   bench_median (times, repeats), bench_median (cpu, repeats));

          if (!vector)
            continue;
          attn_graph_layout_get_size (layout, &w, &h);
          for (int r = 0; r < vector_repeats; r++)
            {
              cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                                   (int) ceil (w * scale),
                                                                   (int) ceil (h * scale));
              cairo_t *cr = cairo_create (image);
              gint64 start;

              cairo_scale (cr, scale, scale);
              start = g_get_monotonic_time ();
              attn_graph_render (layout, scene, &style, cr);
              cairo_surface_flush (image);
              times[r] = bench_ms_since (start);
              cairo_destroy (cr);
              cairo_surface_destroy (image);
            }
          g_print ("n=%u %s vector (cairo strokes) %.1f ms\n", n, attn_method_get_name (method),
                   bench_median (times, vector_repeats));
        }
    }

  return 0;
}
