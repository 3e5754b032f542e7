/* test-layer-range.c: the side panel's layer range across models of
 * different depths: one range in the graph, the heatmap, the spins and the
 * command line
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "attn-window-private.h"

#include "gtk-test-util.h"

/* The first example of @n_layers layers among the window's */
static guint
find_example (AttnWindow *window,
              guint       n_layers)
{
  for (guint i = 0; i < attn_window_get_n_examples (window); i++)
    {
      attn_window_set_example (window, i);
      if (attn_example_get_n_layers (attn_window_get_example (window)) == n_layers)
        return i;
    }
  g_assert_not_reached ();
}

static gboolean
heatmap_built (gpointer window)
{
  return attn_window_get_heatmap (window) != NULL;
}

static void
show (AttnWindow *window,
      guint       index)
{
  attn_window_set_example (window, index);
  attn_gtk_test_wait_idle (window);
  /* the heatmap is built after the graph */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The graph, its title, the heatmap's rows and caption, the spins and the
 * command line all show layers @first to @last */
static void
assert_layers_shown (AttnWindow *window,
                     guint       first,
                     guint       last)
{
  AttnGraphLayout *layout = attn_graph_view_get_layout (attn_window_get_graph_view (window));
  AttnGraphScene *scene = attn_session_get_scene (attn_window_get_session (window));
  guint L = attn_example_get_n_layers (attn_window_get_example (window));
  g_autofree char *command = attn_window_get_command (window, ATTN_FIGURE_GRAPH, "out.png");
  g_autofree char *range = g_strdup_printf ("--layers %u-%u ", first, last);
  g_autofree char *title_range = first == last ? g_strdup_printf ("· layer %u shown", first)
                                               : g_strdup_printf ("· layers %u–%u shown", first, last);
  g_autofree char *caption_range = first == last ? g_strdup_printf ("· layer %u ·", first)
                                                 : g_strdup_printf ("· layers %u–%u ·", first, last);
  AttnFigure *heatmap;
  AttnRect rect;

  g_assert_cmpuint (attn_graph_layout_get_first_layer (layout), ==, first);
  g_assert_cmpuint (attn_graph_layout_get_last_layer (layout), ==, last);
  g_assert_nonnull (strstr (attn_graph_scene_get_title (scene), title_range));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (window->first_layer_spin), ==, (int) first);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (window->last_layer_spin), ==, (int) last);
  g_assert_nonnull (strstr (command, range));

  attn_gtk_test_wait_until (heatmap_built, window);
  heatmap = attn_window_get_heatmap (window);
  g_assert_nonnull (strstr (attn_figure_get_caption (heatmap), caption_range));
  for (guint l = 1; l <= L; l++)
    g_assert_cmpint (attn_figure_get_cell (heatmap, 0, l, 0, &rect), ==, l >= first && l <= last);
}

/* A range chosen on a 12-layer model, then a 6-layer model shown: the graph
 * drew 6–6, the heatmap and Copy Command every layer (found by QA). The
 * range is clamped to each model and the choice is kept for the next. */
static void
test_model_change (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AttnWindow *window = attn_window_new (NULL);
  guint bert, minilm;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_bundled (window);
  attn_gtk_test_wait_idle (window);
  minilm = find_example (window, 6);
  bert = find_example (window, 12);

  /* the top layer of BERT alone */
  show (window, bert);
  g_settings_set_uint (settings, "layer-min", 12);
  show (window, bert);
  assert_layers_shown (window, 12, 12);
  /* MiniLM has 6 layers: its last alone, everywhere */
  show (window, minilm);
  assert_layers_shown (window, 6, 6);
  /* the choice is kept: BERT shows 12–12 again */
  g_assert_cmpuint (g_settings_get_uint (settings, "layer-min"), ==, 12);
  show (window, bert);
  assert_layers_shown (window, 12, 12);

  /* a range that reaches past 6 layers keeps its bottom */
  g_settings_set_uint (settings, "layer-min", 3);
  g_settings_set_uint (settings, "layer-max", 9);
  show (window, minilm);
  assert_layers_shown (window, 3, 6);
  show (window, bert);
  assert_layers_shown (window, 3, 9);

  /* on MiniLM the user nudges the range to its last layer: that layer
   * stays one layer under BERT (it became 6–12) */
  show (window, minilm);
  gtk_spin_button_set_value (window->first_layer_spin, 6);
  show (window, minilm);
  assert_layers_shown (window, 6, 6);
  show (window, bert);
  assert_layers_shown (window, 6, 6);
  /* and up to the last layer of MiniLM follows the model */
  show (window, minilm);
  gtk_spin_button_set_value (window->first_layer_spin, 4);
  show (window, bert);
  assert_layers_shown (window, 4, 12);

  g_settings_reset (settings, "layer-min");
  g_settings_reset (settings, "layer-max");
  attn_gtk_test_close_window (window);
}

/* With layers 5–6 shown, the bottom row is layer 4, their input: a click
 * there selects nothing and says why (its graph was empty, its status
 * value from hidden layers); a selection the range leaves below it goes,
 * said so, and Copy Command names no --layer below --layers */
static void
test_under_range (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AttnWindow *window = attn_window_new (NULL);
  AttnSession *session;
  g_autofree char *command = NULL;
  guint layer, minilm;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_bundled (window);
  attn_gtk_test_wait_idle (window);
  minilm = find_example (window, 6);
  show (window, minilm);
  session = attn_window_get_session (window);

  g_settings_set_uint (settings, "layer-min", 5);
  show (window, minilm);
  g_signal_emit_by_name (attn_window_get_graph_view (window), "node-activated", 6, 2);
  attn_gtk_test_wait_idle (window);
  g_signal_emit_by_name (attn_window_get_graph_view (window), "node-activated", 4, 3);
  attn_gtk_test_wait_idle (window);
  g_assert_true (attn_session_get_selection (session, &layer, NULL, NULL));
  g_assert_cmpuint (layer, ==, 6);
  g_assert_true (g_str_has_prefix (_attn_window_get_last_message (window), "Layer 4 is the input of the layers shown"));

  g_settings_set_uint (settings, "layer-min", 1);
  attn_gtk_test_wait_idle (window);
  g_signal_emit_by_name (attn_window_get_graph_view (window), "node-activated", 4, 3);
  attn_gtk_test_wait_idle (window);
  g_assert_true (attn_session_get_selection (session, &layer, NULL, NULL));
  g_assert_cmpuint (layer, ==, 4);
  g_settings_set_uint (settings, "layer-min", 5);
  attn_gtk_test_wait_idle (window);
  g_assert_false (attn_session_get_selection (session, NULL, NULL, NULL));
  g_assert_cmpstr (_attn_window_get_last_message (window), ==,
                   "The selected node, at layer 4, is under the layers shown: no node is selected");
  command = attn_window_get_command (window, ATTN_FIGURE_GRAPH, "out.png");
  g_assert_null (strstr (command, "--layer "));
  g_assert_nonnull (strstr (command, "--layers 5-6 "));

  g_settings_reset (settings, "layer-min");
  g_settings_reset (settings, "layer-max");
  attn_gtk_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!attn_gtk_test_init (&argc, &argv, &status))
    return status;

  g_test_add_func ("/attn/gtk/layer-range/model-change", test_model_change);
  g_test_add_func ("/attn/gtk/layer-range/under-range", test_under_range);

  return g_test_run ();
}
