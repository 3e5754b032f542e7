/* test-stale.c: the heatmap panel while the heatmap of the method, settings
 * or node now chosen is computed: the one before is marked out of date
 * (dimmed, with what is coming), and Save Heatmap saves the one coming
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "attn-figure-view.h"
#include "attn-window-private.h"

#include "attn-test-util.h"
#include "gtk-test-util.h"

static char *tmpdir;

static AttnWindow *
open_sst2 (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                 "sst2-bert.json", NULL);
  AttnWindow *window = attn_gtk_test_open_file (path);

  attn_gtk_test_wait_until (attn_gtk_test_example_open, window);
  return window;
}

/* The session idle and the heatmap of its values built */
static gboolean
heatmap_fresh (gpointer data)
{
  AttnWindow *window = data;

  return attn_gtk_test_window_idle (window) && window->heatmap_cancellable == NULL &&
         attn_window_get_heatmap (window) != NULL;
}

static gboolean
nothing_saving (gpointer data)
{
  return ((AttnWindow *) data)->n_saving == 0;
}

/* The panel marked out of date: dimmed (style.css), saying what comes */
static const char *
pending_text (AttnWindow *window)
{
  gboolean dimmed = gtk_widget_has_css_class (GTK_WIDGET (window->heatmap_view), "stale");
  gboolean said = gtk_widget_has_css_class (GTK_WIDGET (window->heatmap_pending), "stale");
  const char *text = gtk_label_get_text (window->heatmap_pending);

  g_assert_cmpint (dimmed, ==, said);
  g_assert_cmpint (said, ==, *text != '\0');
  return said ? text : NULL;
}

static const char *
caption (AttnWindow *window)
{
  return attn_figure_get_caption (attn_window_get_heatmap (window));
}

/* @caption_part: in the old heatmap's caption while the new one is
 * computed, @new_part in the new one's; @pending: the panel's words then */
static void
assert_stale_until_new (AttnWindow *window,
                        const char *old_part,
                        const char *new_part,
                        const char *pending)
{
  g_assert_nonnull (strstr (caption (window), old_part));
  g_assert_cmpstr (pending_text (window), ==, pending);
  attn_gtk_test_wait_until (heatmap_fresh, window);
  g_assert_null (pending_text (window));
  g_assert_nonnull (strstr (caption (window), new_part));
  g_assert_null (strstr (caption (window), old_part));
}

/* Rollout to flow (the audit's case: rollout's heatmap stood undimmed
 * under the flow graph), and back */
static void
test_method (void)
{
  AttnWindow *window = open_sst2 ();

  attn_gtk_test_wait_until (heatmap_fresh, window);
  g_assert_null (pending_text (window));
  g_object_set (window, "view", "flow", NULL);
  assert_stale_until_new (window, "Attention rollout", "Attention flow", "Computing the attention flow heatmap…");
  g_object_set (window, "view", "raw", NULL);
  assert_stale_until_new (window, "Attention flow", "Raw attention", "Computing the raw attention heatmap…");
  g_settings_set_boolean (window->settings, "heatmap-all-methods", TRUE);
  /* one method's heatmap until the three's come */
  g_assert_cmpstr (pending_text (window), ==, "Computing the heatmaps of the three methods…");
  attn_gtk_test_wait_until (heatmap_fresh, window);
  g_assert_null (pending_text (window));
  g_settings_reset (window->settings, "heatmap-all-methods");
  attn_gtk_test_close_window (window);
}

/* α, the heads, the layers shown and a click: the heatmap of the settings
 * before was drawn undimmed, its caption naming them, until the new one */
static void
test_settings (void)
{
  AttnWindow *window = open_sst2 ();
  AttnGraphView *view = attn_window_get_graph_view (window);

  g_object_set (window, "view", "flow", NULL);
  attn_gtk_test_wait_until (heatmap_fresh, window);
  g_settings_set_double (window->settings, "residual", 0.3);
  assert_stale_until_new (window, "α = 0.5", "α = 0.3", "Computing the attention flow heatmap…");
  g_settings_set_string (window->settings, "heads", "0,3");
  assert_stale_until_new (window, "heads: all", "heads: 0,3", "Computing the attention flow heatmap…");
  g_settings_set_uint (window->settings, "layer-max", 10);
  assert_stale_until_new (window, "layers 1–12", "layers 1–10", "Computing the attention flow heatmap…");
  gtk_widget_activate_action (GTK_WIDGET (view), "view.select-node", "(uu)", 10, 3);
  assert_stale_until_new (window, "position 0", "position 3", "Computing the attention flow heatmap…");
  g_settings_reset (window->settings, "residual");
  g_settings_reset (window->settings, "heads");
  g_settings_reset (window->settings, "layer-max");
  attn_gtk_test_close_window (window);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* Save Heatmap while a click's heatmap is computed saves that one, not the
 * one before on screen: the same file as saved once it is shown; Copy
 * Command says so too, and the values of the one before are not copied */
static void
test_save (void)
{
  AttnWindow *window = open_sst2 ();
  AttnGraphView *view = attn_window_get_graph_view (window);
  g_autofree char *early = g_build_filename (tmpdir, "early.png", NULL);
  g_autofree char *late = g_build_filename (tmpdir, "late.png", NULL);
  g_autoptr(GFile) early_file = g_file_new_for_path (early);
  g_autoptr(GFile) late_file = g_file_new_for_path (late);
  g_autoptr(GBytes) early_bytes = NULL;
  g_autoptr(GBytes) late_bytes = NULL;
  g_autofree char *command = NULL;
  guint n_windows;

  attn_gtk_test_wait_until (heatmap_fresh, window);
  gtk_widget_activate_action (GTK_WIDGET (view), "view.select-node", "(uu)", 12, 5);
  g_assert_nonnull (pending_text (window));
  g_assert_nonnull (strstr (caption (window), "position 0"));
  command = attn_window_get_command (window, ATTN_FIGURE_HEATMAP, "heatmap.png");
  g_assert_nonnull (strstr (command, " --position 5 "));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-values", NULL);
  g_assert_cmpstr (_attn_window_get_last_message (window), ==,
                   "The heatmap is still being computed: its values are ready once it is shown");
  /* Save Heatmap Values says so before asking where, not after */
  n_windows = g_list_model_get_n_items (gtk_window_get_toplevels ());
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-values", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, n_windows);
  attn_window_save_heatmap (window, early_file);
  attn_gtk_test_wait_until (nothing_saving, window);
  attn_gtk_test_wait_until (heatmap_fresh, window);
  g_assert_nonnull (strstr (caption (window), "position 5"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-values", NULL);
  g_assert_cmpstr (_attn_window_get_last_message (window), ==, "Values of the heatmap copied");
  attn_window_save_heatmap (window, late_file);
  attn_gtk_test_wait_until (nothing_saving, window);
  early_bytes = read_bytes (early);
  late_bytes = read_bytes (late);
  g_assert_true (g_bytes_equal (early_bytes, late_bytes));
  attn_gtk_test_close_window (window);
}

int
main (int    argc,
      char **argv)
{
  int status, result;

  if (!attn_gtk_test_init (&argc, &argv, &status))
    return status;
  tmpdir = g_dir_make_tmp ("attnflow-stale-XXXXXX", NULL);
  g_test_add_func ("/attn/gtk/stale/method", test_method);
  g_test_add_func ("/attn/gtk/stale/settings", test_settings);
  g_test_add_func ("/attn/gtk/stale/save", test_save);
  result = g_test_run ();
  attn_test_remove_tree (tmpdir);
  return result;
}
