/* test-hostile.c: the window with files that change under it, messages with
 * markup in them, and a user typing into the Heads entry
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "attn-evaluation-window.h"
#include "attn-graph-view.h"
#include "attn-graph-view-private.h"
#include "attn-gtk-util.h"
#include "attn-shortcuts.h"
#include "attn-install.h"
#include "attn-preferences-window.h"
#include "attn-toast.h"
#include "attn-window-private.h"

#include "attn-test-util.h"
#include "gtk-test-util.h"

#define N_TOKENS 4
#define N_LAYERS 2
#define N_HEADS  3

static char *folder;

/* A float32 .npy [L][H][n][n] (format 1.0) whose rows are @row_of (q, k) / sum. */
static void
write_npy (const char *path,
           double    (*row_of) (guint, guint))
{
  gsize count = (gsize) N_LAYERS * N_HEADS * N_TOKENS * N_TOKENS;
  g_autoptr(GString) npy = g_string_new ("\x93NUMPY\x01");
  g_autofree char *header = g_strdup_printf ("{'descr': '<f4', 'fortran_order': False, "
                                             "'shape': (%d, %d, %d, %d), }",
                                             N_LAYERS, N_HEADS, N_TOKENS, N_TOKENS);
  gsize header_length = strlen (header) + 1;
  g_autofree float *values = g_new (float, count);

  header_length += (64 - (10 + header_length) % 64) % 64;
  g_string_append_c (npy, '\0');
  g_string_append_c (npy, (char) header_length);
  g_string_append_c (npy, '\0');
  g_string_append (npy, header);
  while (npy->len < 9 + header_length)
    g_string_append_c (npy, ' ');
  g_string_append_c (npy, '\n');

  for (gsize r = 0; r < count / N_TOKENS; r++)
    {
      double sum = 0.;

      for (guint k = 0; k < N_TOKENS; k++)
        sum += row_of ((guint) (r % N_TOKENS), k);
      for (guint k = 0; k < N_TOKENS; k++)
        values[r * N_TOKENS + k] = (float) (row_of ((guint) (r % N_TOKENS), k) / sum);
    }
  g_string_append_len (npy, (const char *) values, (gssize) (count * sizeof (float)));

  /* in place, as np.save does: the same file, truncated and written */
  {
    int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (write (fd, npy->str, npy->len), ==, (gssize) npy->len);
    close (fd);
  }
}

static double
diagonal_rows (guint q,
               guint k)
{
  return q == k ? 4. : 1.;
}

static double
uniform_rows (guint q,
              guint k)
{
  return 1.;
}

static const double *
values_shown (AttnWindow *window)
{
  return attn_trace_get_node_values (attn_graph_view_get_trace (attn_window_get_graph_view (window)));
}

static gboolean
banner_shown (gpointer data)
{
  AttnWindow *window = data;

  return gtk_info_bar_get_revealed (window->reload_bar) &&
         gtk_widget_get_visible (GTK_WIDGET (window->reload_bar));
}

static gboolean
reloaded (gpointer data)
{
  AttnWindow *window = data;

  return attn_window_get_n_loading (window) == 0 && !banner_shown (window);
}

static gboolean
reload_offered (gpointer data)
{
  AttnWindow *window = data;

  return banner_shown (window) &&
         g_action_group_get_action_enabled (G_ACTION_GROUP (window), "reload");
}

/* Reload, once the window offers it, and what follows it done */
static void
reload_when_offered (AttnWindow *window)
{
  attn_gtk_test_wait_until (reload_offered, window);
  g_action_group_activate_action (G_ACTION_GROUP (window), "reload", NULL);
  attn_gtk_test_wait_until (reloaded, window);
  attn_gtk_test_wait_idle (window);
}

/* The trace shown is the rollout of (layer, position) of the example shown,
 * computed by the core from that example. */
static void
assert_rollout_shown (AttnWindow *window,
                      guint       layer,
                      guint       position)
{
  AttnGraphView *view = attn_window_get_graph_view (window);
  AttnExample *example = attn_window_get_example (window);
  AttnSession *session = attn_window_get_session (window);
  g_autoptr(AttnGraph) graph = attn_graph_new_from_settings (example,
                                                             attn_session_get_settings (session),
                                                             NULL, NULL);
  double expected[N_TOKENS];
  const double *values;
  guint sel_layer, sel_position;

  g_assert_nonnull (graph);
  g_assert_true (attn_rollout_node (graph, layer, position, expected, NULL, NULL));
  g_assert_true (attn_graph_view_get_selection (view, &sel_layer, &sel_position, NULL));
  g_assert_cmpuint (sel_layer, ==, layer);
  g_assert_cmpuint (sel_position, ==, position);
  values = attn_trace_get_node_values (attn_graph_view_get_trace (view));
  for (guint j = 0; j < N_TOKENS; j++)
    g_assert_cmpfloat_with_epsilon (values[j], expected[j], 1e-12);
}

/* A .npy truncated, then rewritten with other values, while the app shows
 * it: nothing changes and nothing crashes until Reload, which keeps the
 * example, the settings and the selection. */
static void
test_changed_files (void)
{
  g_autofree char *npy = g_build_filename (folder, "att.npy", NULL);
  g_autofree char *json = g_build_filename (folder, "pair.json", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  static const char text[] =
    "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
    "{\"id\": \"a\", \"tokens\": [\"[CLS]\", \"the\", \"cat\", \"sat\"], "
    "\"attention\": {\"npy\": \"att.npy\"}},"
    "{\"id\": \"b\", \"tokens\": [\"[CLS]\", \"a\", \"dog\", \"ran\"], "
    "\"attention\": {\"npy\": \"att.npy\"}}]}";
  AttnWindow *window;
  AttnSession *session;
  double before[N_TOKENS];

  write_npy (npy, diagonal_rows);
  g_assert_true (g_file_set_contents (json, text, -1, NULL));
  window = attn_gtk_test_open_file (json);
  attn_gtk_test_wait_idle (window);
  session = attn_window_get_session (window);
  g_assert_cmpuint (attn_window_get_n_examples (window), ==, 2);
  g_assert_false (banner_shown (window));

  /* the second example, node (2, 1) */
  _attn_window_show_example (window, 1);
  attn_session_select (session, 2, 1, -1);
  attn_gtk_test_wait_idle (window);
  assert_rollout_shown (window, 2, 1);
  memcpy (before, values_shown (window), sizeof before);

  /* truncated: the banner says so; a new residual rebuilds the graph from
   * what was loaded (it used to die with SIGBUS here) */
  g_assert_cmpint (truncate (npy, 0), ==, 0);
  attn_gtk_test_wait_until (banner_shown, window);
  g_assert_nonnull (strstr (gtk_label_get_text (window->reload_label),
                            "“att.npy”, read by “pair.json”, changed on disk"));
  g_settings_set_double (settings, "residual", 0.25);
  attn_gtk_test_wait_idle (window);
  assert_rollout_shown (window, 2, 1);
  g_settings_set_double (settings, "residual", 0.5);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpmem (before, sizeof before, values_shown (window), sizeof before);

  /* a reload that fails (the file is still empty) keeps the document and the offer */
  g_action_group_activate_action (G_ACTION_GROUP (window), "reload", NULL);
  attn_gtk_test_wait_until (banner_shown, window);
  while (attn_window_get_n_loading (window) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (strstr (_attn_window_get_last_message (window), "“pair.json”: "));
  g_assert_nonnull (strstr (_attn_window_get_last_message (window), "att.npy"));
  /* an error, as opening the file would give: its Details name the whole path */
  {
    AdwToast *error_toast = attn_get_error_toast (window->toast_overlay);

    g_assert_nonnull (error_toast);
    g_assert_nonnull (strstr (g_variant_get_string (adw_toast_get_action_target_value (error_toast), NULL), json));
  }
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "b");
  assert_rollout_shown (window, 2, 1);

  /* rewritten with other values: still what was loaded, until Reload */
  write_npy (npy, uniform_rows);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpmem (before, sizeof before, values_shown (window), sizeof before);
  g_action_group_activate_action (G_ACTION_GROUP (window), "reload", NULL);
  attn_gtk_test_wait_until (reloaded, window);
  attn_gtk_test_wait_idle (window);

  /* the same example, settings and node, on the new values */
  g_assert_cmpuint (attn_window_get_n_examples (window), ==, 2);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "b");
  {
    double row[N_TOKENS];

    attn_example_read_row (attn_window_get_example (window), 1, 0, 0, row);
    g_assert_cmpfloat (row[0], ==, 0.25);
  }
  assert_rollout_shown (window, 2, 1);
  g_assert_true (memcmp (before, values_shown (window), sizeof before) != 0);

  /* deleted: the banner says so (it said “changed”, found by QA), and Reload
   * waits for the file to come back */
  g_assert_cmpint (g_unlink (npy), ==, 0);
  attn_gtk_test_wait_until (banner_shown, window);
  assert_rollout_shown (window, 2, 1);
  g_assert_nonnull (strstr (gtk_label_get_text (window->reload_label),
                            "“att.npy”, read by “pair.json”, was deleted or moved on disk"));
  g_assert_null (strstr (gtk_label_get_text (window->reload_label), "changed"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "reload"));

  /* back: changed, and Reload reads it */
  write_npy (npy, diagonal_rows);
  attn_gtk_test_wait_until (reload_offered, window);
  g_assert_nonnull (strstr (gtk_label_get_text (window->reload_label),
                            "“att.npy”, read by “pair.json”, changed on disk"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "reload", NULL);
  attn_gtk_test_wait_until (reloaded, window);
  attn_gtk_test_wait_idle (window);

  /* the export itself deleted */
  g_assert_cmpint (g_unlink (json), ==, 0);
  attn_gtk_test_wait_until (banner_shown, window);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (window->reload_label),
                                   "“pair.json” was deleted or moved on disk."));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "reload"));
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "b");
  assert_rollout_shown (window, 2, 1);

  attn_gtk_test_close_window (window);
  g_settings_reset (settings, "residual");
}

/* An export of one example, @n_layers layers of one head over 4 tokens,
 * whose rows sum to @row_sum */
static void
write_export (const char *path,
              guint       n_layers,
              double      row_sum)
{
  g_autoptr(GString) text = g_string_new ("{\"format\": \"attnflow\", \"version\": 1, \"examples\": "
                                          "[{\"id\": \"a\", \"tokens\": [\"[CLS]\", \"the\", \"cat\", "
                                          "\"[SEP]\"], \"attention\": [");

  for (guint l = 0; l < n_layers; l++)
    {
      g_string_append (text, l > 0 ? ", [[" : "[[");
      for (guint q = 0; q < N_TOKENS; q++)
        {
          g_string_append (text, q > 0 ? ", [" : "[");
          for (guint k = 0; k < N_TOKENS; k++)
            g_string_append_printf (text, "%s%.17g", k > 0 ? ", " : "",
                                    row_sum * diagonal_rows (q, k) / (N_TOKENS + 3));
          g_string_append (text, "]");
        }
      g_string_append (text, "]]");
    }
  g_string_append (text, "]}]}");
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
}

/* A file whose rows do not sum to 1, rewritten with others that do not
 * either: Reload says they were renormalised, as opening the file does (it
 * said nothing, found by QA) */
static void
test_reload_warnings (void)
{
  g_autofree char *path = g_build_filename (folder, "rows.json", NULL);
  AttnWindow *window;

  write_export (path, 2, 0.8);
  window = attn_gtk_test_open_file (path);
  attn_gtk_test_wait_idle (window);
  g_assert_true (g_str_has_prefix (_attn_window_get_last_message (window),
                                   "“rows.json”: Example “a”: 8 attention rows did not sum to 1 "
                                   "(the worst: layer 1, head 0, row "));
  g_assert_true (g_str_has_suffix (_attn_window_get_last_message (window),
                                   ", off by 0.2) and were renormalised"));

  write_export (path, 2, 3.);
  reload_when_offered (window);
  g_assert_true (g_str_has_prefix (_attn_window_get_last_message (window),
                                   "“rows.json”: Example “a”: 8 attention rows did not sum to 1 "
                                   "(the worst: layer 1, head 0, row "));
  g_assert_true (g_str_has_suffix (_attn_window_get_last_message (window),
                                   ", off by 2) and were renormalised"));
  {
    double row[N_TOKENS];

    attn_example_read_row (attn_window_get_example (window), 1, 0, 0, row);
    g_assert_cmpfloat_with_epsilon (row[0], 4. / 7., 1e-12);
  }

  attn_gtk_test_close_window (window);
  g_unlink (path);
}

/* A 3-layer file showing layer 3 alone, rewritten with 2 layers and
 * reloaded: the graph, the heatmap and the command show layer 2 alone (the
 * heatmap and the command showed both layers, found by QA) */
static void
test_reload_fewer_layers (void)
{
  g_autofree char *path = g_build_filename (folder, "layers.json", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AttnWindow *window;
  AttnGraphLayout *layout;
  g_autofree char *command = NULL;
  AttnRect rect;

  write_export (path, 3, 1.);
  window = attn_gtk_test_open_file (path);
  g_settings_set_uint (settings, "layer-min", 3);
  attn_gtk_test_wait_idle (window);

  write_export (path, 2, 1.);
  reload_when_offered (window);
  while (attn_window_get_heatmap (window) == NULL ||
         strstr (attn_figure_get_caption (attn_window_get_heatmap (window)), "layer 3") != NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (attn_example_get_n_layers (attn_window_get_example (window)), ==, 2);
  layout = attn_graph_view_get_layout (attn_window_get_graph_view (window));
  g_assert_cmpuint (attn_graph_layout_get_first_layer (layout), ==, 2);
  g_assert_cmpuint (attn_graph_layout_get_last_layer (layout), ==, 2);
  command = attn_window_get_command (window, ATTN_FIGURE_GRAPH, "out.png");
  g_assert_nonnull (strstr (command, " --layers 2-2 "));
  g_assert_nonnull (strstr (attn_figure_get_caption (attn_window_get_heatmap (window)), "· layer 2 ·"));
  g_assert_false (attn_figure_get_cell (attn_window_get_heatmap (window), 0, 1, 0, &rect));
  g_assert_true (attn_figure_get_cell (attn_window_get_heatmap (window), 0, 2, 0, &rect));

  attn_gtk_test_close_window (window);
  g_settings_reset (settings, "layer-min");
  g_unlink (path);
}

/* A window with @path_a and @path_b opened together: an export of one
 * example each, 3 layers, written anew */
static AttnWindow *
open_two_exports (const char *path_a,
                  const char *path_b)
{
  GFile *files[2];
  AttnWindow *window = attn_window_new (NULL);

  write_export (path_a, 3, 1.);
  write_export (path_b, 3, 1.);
  files[0] = g_file_new_for_path (path_a);
  files[1] = g_file_new_for_path (path_b);
  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_files (window, files, 2);
  attn_gtk_test_wait_until (attn_gtk_test_example_open, window);
  while (attn_window_get_n_loading (window) > 0)
    g_main_context_iteration (NULL, TRUE);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpuint (attn_window_get_n_examples (window), ==, 2);
  g_object_unref (files[0]);
  g_object_unref (files[1]);
  return window;
}

/* The node selected in an example stays with it through a reload of its
 * file while another example is shown, and comes back with it (a reload
 * forgot it; found by review) */
static void
test_reload_keeps_selections (void)
{
  g_autofree char *path_a = g_build_filename (folder, "keep-a.json", NULL);
  g_autofree char *path_b = g_build_filename (folder, "keep-b.json", NULL);
  AttnWindow *window = open_two_exports (path_a, path_b);
  AttnSession *session = attn_window_get_session (window);
  guint layer = 0, position = 0;
  int sink = 0;

  attn_window_set_example (window, 0);
  attn_gtk_test_wait_idle (window);
  attn_session_select (session, 2, 1, -1);
  attn_gtk_test_wait_idle (window);
  attn_window_set_example (window, 1);
  attn_gtk_test_wait_idle (window);

  write_export (path_a, 4, 1.);
  reload_when_offered (window);
  g_assert_false (attn_session_get_selection (session, NULL, NULL, NULL));

  attn_window_set_example (window, 0);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpuint (attn_example_get_n_layers (attn_window_get_example (window)), ==, 4);
  g_assert_true (attn_session_get_selection (session, &layer, &position, &sink));
  g_assert_cmpuint (layer, ==, 2);
  g_assert_cmpuint (position, ==, 1);
  g_assert_cmpint (sink, ==, -1);

  attn_gtk_test_close_window (window);
  g_unlink (path_a);
  g_unlink (path_b);
}

static gboolean
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
banner_says_gone (gpointer data)
{
  AttnWindow *window = data;

  return banner_shown (window) &&
         strstr (gtk_label_get_text (window->reload_label), "was deleted or moved") != NULL;
}

/* A file rewritten, then deleted while the banner offers to reload it: the
 * banner says it is gone and Reload waits for it, as when no banner showed
 * (it kept saying “changed”, and Reload failed with “No such file”). */
static void
test_changed_then_deleted (void)
{
  g_autofree char *npy = g_build_filename (folder, "att.npy", NULL);
  g_autofree char *json = g_build_filename (folder, "gone.json", NULL);
  static const char text[] =
    "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
    "{\"id\": \"a\", \"tokens\": [\"[CLS]\", \"the\", \"cat\", \"sat\"], "
    "\"attention\": {\"npy\": \"att.npy\"}}]}";
  AttnWindow *window;
  guint timeout;
  gboolean timed_out = FALSE;

  write_npy (npy, diagonal_rows);
  g_assert_true (g_file_set_contents (json, text, -1, NULL));
  window = attn_gtk_test_open_file (json);
  attn_gtk_test_wait_idle (window);
  g_assert_false (banner_shown (window));

  /* rewritten (longer, so it differs however coarse the clock): changed */
  g_assert_true (g_file_set_contents (json, "{\"format\": \"attnflow\",  \"version\": 1, "
                                      "\"examples\": [{\"id\": \"a\", \"tokens\": [\"[CLS]\", "
                                      "\"the\", \"cat\", \"sat\"], \"attention\": "
                                      "{\"npy\": \"att.npy\"}}]}", -1, NULL));
  attn_gtk_test_wait_until (reload_offered, window);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (window->reload_label),
                                   "“gone.json” changed on disk."));

  /* then deleted: gone, and nothing to reload */
  g_assert_cmpint (g_unlink (json), ==, 0);
  timeout = g_timeout_add_seconds (10, set_true_cb, &timed_out);
  while (!banner_says_gone (window) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (window->reload_label),
                                   "“gone.json” was deleted or moved on disk."));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "reload"));

  /* back: changed, and Reload reads it */
  g_assert_true (g_file_set_contents (json, text, -1, NULL));
  attn_gtk_test_wait_until (reload_offered, window);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (window->reload_label),
                                   "“gone.json” changed on disk."));
  g_action_group_activate_action (G_ACTION_GROUP (window), "reload", NULL);
  attn_gtk_test_wait_until (reloaded, window);

  /* moved away, then back (as editors save): gone, then as it was read,
   * no banner (it stayed on “deleted or moved”, Reload greyed out) */
  {
    g_autofree char *away = g_build_filename (folder, "away.json", NULL);

    g_assert_cmpint (g_rename (json, away), ==, 0);
    timeout = g_timeout_add_seconds (10, set_true_cb, &timed_out);
    while (!banner_says_gone (window) && !timed_out)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (timed_out);
    g_assert_cmpint (g_rename (away, json), ==, 0);
    while (banner_shown (window) && !timed_out)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (timed_out);
    g_source_remove (timeout);
  }

  attn_gtk_test_close_window (window);
  g_unlink (json);
}

static const char *
banner_text (AttnWindow *window)
{
  return gtk_label_get_text (window->reload_label);
}

/* Two files open, one changes while an example of the other is shown: the
 * banner names the file that changed and says the example shown is from
 * another file; it says that what you see is what was loaded only while an
 * example of that file is shown (it said so over the other file's example,
 * found by a user test). Reload reads the file changed, and the example
 * shown stays. */
static void
test_banner_other_file (void)
{
  g_autofree char *path_a = g_build_filename (folder, "changes.json", NULL);
  g_autofree char *path_b = g_build_filename (folder, "stays.json", NULL);
  AttnWindow *window = open_two_exports (path_a, path_b);

  attn_window_set_example (window, 1);
  attn_gtk_test_wait_idle (window);
  g_assert_false (banner_shown (window));

  /* changed, the other file's example shown */
  write_export (path_a, 4, 1.);
  attn_gtk_test_wait_until (reload_offered, window);
  g_assert_cmpstr (banner_text (window), ==,
                   "“changes.json” changed on disk. The example shown is from another file.");

  /* its example shown, then the other's again */
  attn_window_set_example (window, 0);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (banner_text (window), ==,
                   "“changes.json” changed on disk. What you see is what was loaded.");
  attn_window_set_example (window, 1);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (banner_text (window), ==,
                   "“changes.json” changed on disk. The example shown is from another file.");

  /* Reload reads it, the example shown stays */
  g_action_group_activate_action (G_ACTION_GROUP (window), "reload", NULL);
  attn_gtk_test_wait_until (reloaded, window);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpuint (attn_window_get_n_examples (window), ==, 2);
  g_assert_cmpuint (attn_example_get_n_layers (attn_document_get_example (
                      g_ptr_array_index (window->documents, 0), 0)), ==, 4);
  g_assert_true (attn_window_get_example (window) ==
                 attn_document_get_example (g_ptr_array_index (window->documents, 1), 0));

  /* deleted, the other file's example shown; then its own */
  g_assert_cmpint (g_unlink (path_a), ==, 0);
  attn_gtk_test_wait_until (banner_says_gone, window);
  g_assert_cmpstr (banner_text (window), ==,
                   "“changes.json” was deleted or moved on disk; it stays open as it was "
                   "loaded. The example shown is from another file.");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "reload"));
  attn_window_set_example (window, 0);
  attn_gtk_test_wait_idle (window);
  g_assert_true (g_str_has_prefix (banner_text (window),
                                   "“changes.json” was deleted or moved on disk. What you see "
                                   "is what was loaded"));

  /* the other one changed: counted apart, not both “changed” (found by a
   * user test), and the example shown is of one of them; Reload reads the
   * one still there */
  write_export (path_b, 4, 1.);
  attn_gtk_test_wait_until (reload_offered, window);
  g_assert_cmpstr (banner_text (window), ==,
                   "2 open files changed or were deleted on disk (1 changed, 1 deleted or moved). "
                   "What you see is what was loaded.");
  attn_window_set_example (window, 1);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (banner_text (window), ==,
                   "2 open files changed or were deleted on disk (1 changed, 1 deleted or moved). "
                   "What you see is what was loaded.");

  attn_gtk_test_close_window (window);
  g_unlink (path_b);
}

static gboolean
no_error_toast (gpointer data)
{
  AttnWindow *window = data;

  return attn_get_error_toast (window->toast_overlay) == NULL;
}

/* A window on an export of 3 layers at @path, which is then cut short (not
 * valid JSON) and reloaded: the reload has failed */
static AttnWindow *
open_then_reload_broken (const char *path)
{
  AttnWindow *window;

  write_export (path, 3, 1.);
  window = attn_gtk_test_open_file (path);
  attn_gtk_test_wait_idle (window);
  g_assert_true (g_file_set_contents (path, "{\"format\": \"attnflow\", \"version\": 1, \"exa", -1,
                                      NULL));
  attn_gtk_test_wait_until (reload_offered, window);
  g_action_group_activate_action (G_ACTION_GROUP (window), "reload", NULL);
  while (attn_window_get_n_loading (window) > 0)
    g_main_context_iteration (NULL, TRUE);
  return window;
}

/* A reload that fails (the file is not valid JSON), then the file deleted:
 * the error toast goes, the banner says why the file cannot be read (the
 * toast said “not valid JSON” under “deleted”, found by a user test) */
static void
test_reload_error_then_deleted (void)
{
  g_autofree char *path = g_build_filename (folder, "broken.json", NULL);
  AttnWindow *window;
  AdwToast *toast;
  guint timeout;
  gboolean timed_out = FALSE;

  window = open_then_reload_broken (path);
  toast = attn_get_error_toast (window->toast_overlay);
  g_assert_nonnull (toast);
  g_assert_true (g_str_has_prefix (adw_toast_get_title (toast), "“broken.json”: "));
  g_assert_true (reload_offered (window));

  /* gone at once, not when it times out */
  g_assert_cmpuint (adw_toast_get_timeout (toast), >=, 10);
  g_assert_cmpint (g_unlink (path), ==, 0);
  timeout = g_timeout_add_seconds (5, set_true_cb, &timed_out);
  while (!(banner_says_gone (window) && no_error_toast (window)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);
  g_assert_true (g_str_has_prefix (banner_text (window), "“broken.json” was deleted or moved on disk."));

  attn_gtk_test_close_window (window);
}

/* A reload that failed, then one that reads the file: the first's error
 * goes with the second (it stayed over the document just read) */
static void
test_reload_error_then_fixed (void)
{
  g_autofree char *path = g_build_filename (folder, "fixed.json", NULL);
  AttnWindow *window;
  guint timeout;
  gboolean timed_out = FALSE;

  window = open_then_reload_broken (path);
  g_assert_nonnull (attn_get_error_toast (window->toast_overlay));

  write_export (path, 2, 1.);
  attn_gtk_test_wait_until (reload_offered, window);
  g_action_group_activate_action (G_ACTION_GROUP (window), "reload", NULL);
  timeout = g_timeout_add_seconds (5, set_true_cb, &timed_out);
  while (!(attn_window_get_n_loading (window) == 0 && no_error_toast (window)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);
  g_assert_cmpuint (attn_example_get_n_layers (attn_window_get_example (window)), ==, 2);

  attn_gtk_test_close_window (window);
}

/* The label of the Details dialog @dialog, in its scrolled window */
static GtkLabel *
details_label (GtkWindow *dialog)
{
  GtkWidget *scrolled = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  GtkWidget *child;

  g_assert_true (GTK_IS_SCROLLED_WINDOW (scrolled));
  child = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  if (GTK_IS_VIEWPORT (child))
    child = gtk_viewport_get_child (GTK_VIEWPORT (child));
  g_assert_true (GTK_IS_LABEL (child));
  return GTK_LABEL (child);
}

/* libadwaita 1.2 reads a toast's title as markup: a message quoting json-glib
 * (“<data>:1:40: …”) or a file name with “&” must show as it is, and a
 * loader's message must name the file. */
static void
test_toast_markup (void)
{
  g_autofree char *path = g_build_filename (folder, "a&b <data>.json", NULL);
  g_autofree char *parsed = NULL;
  g_autoptr(AdwToast) toast = NULL;
  AttnWindow *window;
  const char *message;

  g_assert_true (g_file_set_contents (path, "{\"tokens\": [\"a\"], \"attention\": [[[", -1, NULL));
  window = attn_gtk_test_open_file (path);
  while (attn_window_get_n_loading (window) > 0)
    g_main_context_iteration (NULL, TRUE);

  message = _attn_window_get_last_message (window);
  g_assert_nonnull (message);
  g_test_message ("toast: %s", message);
  g_assert_true (g_str_has_prefix (message, "“a&b <data>.json”: "));
  g_assert_nonnull (strstr (message, "<data>"));

  /* what the toast shows is the message, character for character */
  toast = g_object_ref_sink (attn_toast_new (message, 1));
  g_assert_true (pango_parse_markup (adw_toast_get_title (toast), -1, 0, NULL, &parsed, NULL,
                                     NULL));
  g_assert_cmpstr (parsed, ==, message);

  /* the toast's one line cuts a long message: Details shows it whole */
  g_assert_cmpint (g_utf8_strlen (message, -1), >, ATTN_TOAST_DETAILS_CHARS);
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "toast.details");
  g_assert_cmpstr (g_variant_get_string (adw_toast_get_action_target_value (toast), NULL), ==, message);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "toast.details", "s", message));
  {
    g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());
    GtkWindow *dialog = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (w))
          dialog = w;
      }
    g_assert_nonnull (dialog);
    g_assert_cmpstr (gtk_label_get_text (details_label (dialog)), ==, message);
    gtk_window_destroy (dialog);
  }
  g_clear_object (&toast);
  /* a short one has no button */
  toast = g_object_ref_sink (attn_toast_new ("Command copied", 1));
  g_assert_null (adw_toast_get_button_label (toast));

  attn_gtk_test_close_window (window);
  g_assert_cmpint (g_unlink (path), ==, 0);
}

/* The Details of a message naming an example by an id of 10,000
 * characters with spaces, or 100,000 without: the dialog was 2559 px high
 * with its Close button off the screen, or opened after 15 s (10,000
 * characters without a space) to minutes. Its text is cut in its middle
 * to ATTN_TOAST_DETAILS_MAX_CHARS, keeping what is wrong at its end, and
 * scrolls in a dialog that fits the screen. */
static void
test_details_long (void)
{
  const char *words[] = { "word ", "i" };
  const guint repeats[] = { 2000, 100000 };
  const char *cause = "”, field “attention”: layer 2, head 2, row 3, column 3 holds -0.1; "
                      "values must be finite and not negative";
  AttnWindow *window = attn_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  attn_gtk_test_wait_until (attn_gtk_test_is_mapped, window);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      g_autoptr(GString) message = g_string_new ("“long-id.json”: Example “");
      g_autofree char *shown = NULL;
      GtkWindow *dialog;
      GtkLabel *label;
      gint64 start;
      double elapsed;
      int height;

      for (guint r = 0; r < repeats[i]; r++)
        g_string_append (message, words[i]);
      g_string_append (message, cause);
      start = g_get_monotonic_time ();
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "toast.details", "s", message->str));
      dialog = attn_gtk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
      g_assert_nonnull (dialog);
      label = details_label (dialog);
      attn_gtk_test_wait_until (attn_gtk_test_is_mapped, dialog);
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      elapsed = (g_get_monotonic_time () - start) / 1e6;
      /* its size after a few frames */
      attn_gtk_test_run_for (250);
      height = gtk_widget_get_height (GTK_WIDGET (dialog));
      g_test_message ("%zu bytes: shown after %.2f s, %d px high, label %ld characters", message->len,
                      elapsed, height, g_utf8_strlen (gtk_label_get_text (label), -1));
      g_assert_cmpfloat (elapsed, <, 3.);
      g_assert_cmpint (height, >, 0);
      g_assert_cmpint (height, <=, 600);
      g_assert_cmpint (g_utf8_strlen (gtk_label_get_text (label), -1), ==, ATTN_TOAST_DETAILS_MAX_CHARS);
      g_assert_true (g_str_has_prefix (gtk_label_get_text (label), "“long-id.json”: Example “"));
      g_assert_true (g_str_has_suffix (gtk_label_get_text (label), cause));
      g_assert_nonnull (strstr (gtk_label_get_text (label), "…"));
      shown = attn_toast_details_text (message->str);
      g_assert_cmpstr (gtk_label_get_text (label), ==, shown);
      gtk_window_destroy (dialog);
    }
  attn_gtk_test_close_window (window);
}

/* The Details show the whole message, scrolling only beyond
 * ATTN_TOAST_DETAILS_MAX_HEIGHT: its scrolled window was about 50 px high,
 * as high as the label at its natural width, not at the narrower width the
 * dialog gave it, and cut the reason off mid-line. */
typedef struct
{
  GtkWidget *label;
  GtkWidget *scrolled;
} DetailsDialog;

/* The label's height at the width it is shown at */
static int
details_needed (DetailsDialog *d)
{
  int needed;

  gtk_widget_measure (d->label, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (d->label), NULL, &needed, NULL,
                      NULL);
  return needed;
}

/* For attn_gtk_test_wait_until(): the dialog has been laid out at its
 * final size (under load it takes a few frames) */
static gboolean
details_laid_out (gpointer data)
{
  DetailsDialog *d = data;
  int wanted = MIN (details_needed (d), ATTN_TOAST_DETAILS_MAX_HEIGHT);
  int height = gtk_widget_get_height (d->scrolled);

  return gtk_widget_get_width (d->label) > 0 && height >= wanted && height <= wanted + 4;
}

static void
test_details_whole (void)
{
  const char *cause = "“/tmp/some/folder/of/the/user/broken-export.json”: Example 0 (no id), line 1, column 50: "
                      "the file is not valid JSON: it ends inside a string, an array or an object (it was "
                      "cut short while it was written or copied)";
  AttnWindow *window = attn_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  attn_gtk_test_wait_until (attn_gtk_test_is_mapped, window);
  for (guint repeats = 1; repeats <= 8; repeats *= 8)
    {
      g_autoptr(GString) message = g_string_new (NULL);
      GtkWindow *dialog;
      DetailsDialog d;
      int height, needed, wanted;

      for (guint r = 0; r < repeats; r++)
        g_string_append (message, cause);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "toast.details", "s", message->str));
      dialog = attn_gtk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
      g_assert_nonnull (dialog);
      d.label = GTK_WIDGET (details_label (dialog));
      d.scrolled = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
      attn_gtk_test_wait_until (attn_gtk_test_is_mapped, dialog);
      attn_gtk_test_wait_until (details_laid_out, &d);
      needed = details_needed (&d);
      height = gtk_widget_get_height (d.scrolled);
      wanted = MIN (needed, ATTN_TOAST_DETAILS_MAX_HEIGHT);
      g_test_message ("%zu bytes: label %d px wide needs %d px, shown in %d px", message->len,
                      gtk_widget_get_width (d.label), needed, height);
      g_assert_cmpint (height, >=, wanted);
      g_assert_cmpint (height, <=, wanted + 4);
      if (repeats == 1)
        g_assert_cmpint (needed, <, ATTN_TOAST_DETAILS_MAX_HEIGHT);
      else
        g_assert_cmpint (needed, >, ATTN_TOAST_DETAILS_MAX_HEIGHT);
      gtk_window_destroy (dialog);
    }
  attn_gtk_test_close_window (window);
}

static void
type_text (GtkEditable *entry,
           const char  *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      int position = gtk_editable_get_position (entry);

      gtk_editable_insert_text (entry, p, 1, &position);
      gtk_editable_set_position (entry, position);
    }
}

static void
select_all_and_delete (GtkEditable *entry)
{
  gtk_editable_select_region (entry, 0, -1);
  gtk_editable_delete_selection (entry);
}

/* The focus leaves @widget. (Under Xvfb with no window manager the window may
 * never be active, and GTK then moves no focus: the entry's focus controller
 * is told directly.) */
static void
leave_focus (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_FOCUS (controller))
        {
          g_signal_emit_by_name (controller, "leave");
          n++;
        }
    }
  g_assert_cmpuint (n, ==, 1);
}

static const char *
session_heads (AttnWindow *window)
{
  AttnSession *session = attn_window_get_session (window);

  return attn_graph_settings_get_heads (attn_session_get_settings (session));
}

/* @text typed in @spin, then Enter (or Tab: both update the spin button) */
static void
enter_text (GtkSpinButton *spin,
            const char    *text)
{
  gtk_widget_grab_focus (GTK_WIDGET (spin));
  select_all_and_delete (GTK_EDITABLE (spin));
  type_text (GTK_EDITABLE (spin), text);
  gtk_spin_button_update (spin);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* @text typed in α's field of the side panel, then Enter */
static void
enter_alpha (AttnWindow *window,
             const char *text)
{
  enter_text (window->residual_spin, text);
  attn_gtk_test_wait_idle (window);
}

/* α's field says why it refuses what is typed, as the Heads entry does
 * (under it, in red, in its tooltip): it put 0.50 back and said nothing
 * (found by a tester). What was typed stays to be fixed; α in force stays. */
static void
test_alpha_entry (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *spin = GTK_WIDGET (window->residual_spin);
  AttnSession *session = attn_window_get_session (window);

  g_settings_set_double (settings, "residual", 0.5);
  attn_gtk_test_wait_idle (window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->residual_error)));

  enter_alpha (window, "1.5");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "1.5");
  g_assert_true (gtk_widget_has_css_class (spin, "error"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->residual_error)));
  g_assert_cmpstr (gtk_label_get_text (window->residual_error), ==, "“1.5” is not taken: α is a number from 0 to 1");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (spin), ==, gtk_label_get_text (window->residual_error));
  g_assert_cmpfloat (g_settings_get_double (settings, "residual"), ==, 0.5);
  g_assert_cmpfloat (attn_graph_settings_get_residual (attn_session_get_settings (session)), ==, 0.5);

  /* a decimal comma, where the locale (C) writes a point: the point is asked for */
  enter_alpha (window, "0,3");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "0,3");
  g_assert_cmpstr (gtk_label_get_text (window->residual_error), ==,
                   "α is a number from 0 to 1, written with a decimal point (0.3, not “0,3”)");
  g_assert_cmpfloat (g_settings_get_double (settings, "residual"), ==, 0.5);
  enter_alpha (window, "abc");
  g_assert_cmpstr (gtk_label_get_text (window->residual_error), ==, "“abc” is not taken: α is a number from 0 to 1");
  enter_alpha (window, "");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->residual_error)));
  g_assert_cmpfloat (g_settings_get_double (settings, "residual"), ==, 0.5);

  /* fixed while typing: the refusal goes; applied on Enter */
  select_all_and_delete (GTK_EDITABLE (spin));
  type_text (GTK_EDITABLE (spin), "0.3");
  g_assert_false (gtk_widget_has_css_class (spin, "error"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->residual_error)));
  gtk_spin_button_update (window->residual_spin);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "0.30");
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "residual"), 0.3, 1e-12);
  g_assert_cmpfloat_with_epsilon (attn_graph_settings_get_residual (attn_session_get_settings (session)), 0.3,
                                  1e-12);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (spin), ==,
                   "0.5 reproduces the paper; 0 leaves the residual connection out");

  /* refused, then the value changes elsewhere (the + button, another
   * window): the field shows it, the refusal gone */
  enter_alpha (window, "2");
  g_assert_true (gtk_widget_has_css_class (spin, "error"));
  g_settings_set_double (settings, "residual", 0.5);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "0.50");
  g_assert_false (gtk_widget_has_css_class (spin, "error"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->residual_error)));

  attn_gtk_test_close_window (window);
}

static gboolean
is_error_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error");
}

/* Preferences' α field says why it refuses what is typed, as the side
 * panel's does: it put 0.50 back and said nothing */
static void
test_preferences_alpha_entry (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWindow *preferences = attn_preferences_window_new (NULL);
  GtkWidget *spin;
  GtkWidget *error;

  g_settings_set_double (settings, "residual", 0.5);
  gtk_window_present (preferences);
  attn_gtk_test_wait_until (attn_gtk_test_is_mapped, preferences);
  /* α's field is the first spin button, from 0 to 1 */
  spin = attn_gtk_test_find_descendant (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON, FALSE);
  g_assert_nonnull (spin);
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (spin))), ==, 1.);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "0.50");
  error = attn_gtk_test_find_widget (GTK_WIDGET (preferences), is_error_label, NULL);
  g_assert_nonnull (error);
  g_assert_false (gtk_widget_get_visible (error));

  enter_text (GTK_SPIN_BUTTON (spin), "1.5");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "1.5");
  g_assert_true (gtk_widget_has_css_class (spin, "error"));
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error)), ==, "“1.5” is not taken: α is a number from 0 to 1");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (spin), ==, gtk_label_get_text (GTK_LABEL (error)));
  g_assert_cmpfloat (g_settings_get_double (settings, "residual"), ==, 0.5);

  /* a decimal comma, where the locale (C) writes a point */
  enter_text (GTK_SPIN_BUTTON (spin), "0,3");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "0,3");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error)), ==,
                   "α is a number from 0 to 1, written with a decimal point (0.3, not “0,3”)");
  g_assert_cmpfloat (g_settings_get_double (settings, "residual"), ==, 0.5);

  /* fixed while typing: the refusal goes; applied on Enter */
  select_all_and_delete (GTK_EDITABLE (spin));
  type_text (GTK_EDITABLE (spin), "0.3");
  g_assert_false (gtk_widget_has_css_class (spin, "error"));
  g_assert_false (gtk_widget_get_visible (error));
  g_assert_null (gtk_widget_get_tooltip_text (spin));
  gtk_spin_button_update (GTK_SPIN_BUTTON (spin));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "0.30");
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "residual"), 0.3, 1e-12);

  /* refused, then changed elsewhere (the side panel): the refusal goes */
  enter_text (GTK_SPIN_BUTTON (spin), "2");
  g_assert_true (gtk_widget_get_visible (error));
  g_settings_set_double (settings, "residual", 0.5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "0.50");
  g_assert_false (gtk_widget_has_css_class (spin, "error"));
  g_assert_false (gtk_widget_get_visible (error));

  attn_gtk_test_close_window (preferences);
}

/* The Heads entry applies on Enter or when it loses the focus; an invalid list
 * is shown as an error and not applied; what is typed is never merged with
 * what the setting held. */
static void
test_heads_entry (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AttnWindow *window = attn_window_new (NULL);
  GtkEditable *entry = GTK_EDITABLE (window->heads_entry);
  g_autofree char *heads = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_bundled (window);
  attn_gtk_test_wait_idle (window);
  g_settings_set_string (settings, "heads", "0,3");
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "0,3");
  g_assert_cmpstr (session_heads (window), ==, "0,3");

  /* Ctrl+A, then 5: "5", not "5all", and nothing applied before Enter */
  gtk_widget_grab_focus (GTK_WIDGET (entry));
  select_all_and_delete (entry);
  type_text (entry, "5");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "5");
  heads = g_settings_get_string (settings, "heads");
  g_assert_cmpstr (heads, ==, "0,3");
  g_assert_cmpstr (session_heads (window), ==, "0,3");
  g_signal_emit_by_name (entry, "activate");
  attn_gtk_test_wait_idle (window);
  g_clear_pointer (&heads, g_free);
  heads = g_settings_get_string (settings, "heads");
  g_assert_cmpstr (heads, ==, "5");
  g_assert_cmpstr (session_heads (window), ==, "5");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));

  /* 99: BERT-base has 12 heads. Typing 9 first applies nothing; Enter shows
   * the error and keeps head 5 */
  select_all_and_delete (entry);
  type_text (entry, "99");
  g_signal_emit_by_name (entry, "activate");
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "99");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (entry)), "99"));
  /* and said under the entry, for those who do not hover */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->heads_error)));
  g_assert_cmpstr (gtk_label_get_text (window->heads_error), ==, gtk_widget_get_tooltip_text (GTK_WIDGET (entry)));
  g_clear_pointer (&heads, g_free);
  heads = g_settings_get_string (settings, "heads");
  g_assert_cmpstr (heads, ==, "5");
  g_assert_cmpstr (session_heads (window), ==, "5");
  {
    g_autofree char *command = attn_window_get_command (window, ATTN_FIGURE_GRAPH, NULL);

    g_assert_nonnull (strstr (command, "--heads 5"));
  }

  /* the refused list does not stay in the entry once another example is
   * shown: it shows the heads in force, not marked */
  gtk_widget_grab_focus (GTK_WIDGET (window->top_k_spin));
  attn_window_set_example (window, 1);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "5");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->heads_error)));
  g_assert_cmpstr (session_heads (window), ==, "5");
  gtk_widget_grab_focus (GTK_WIDGET (entry));

  /* fixed, then the focus moves on: applied, the error gone */
  select_all_and_delete (entry);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  type_text (entry, "7,1");
  leave_focus (GTK_WIDGET (entry));
  attn_gtk_test_wait_idle (window);
  g_clear_pointer (&heads, g_free);
  heads = g_settings_get_string (settings, "heads");
  g_assert_cmpstr (heads, ==, "7,1");
  g_assert_cmpstr (session_heads (window), ==, "1,7");

  /* emptied and applied: every head */
  gtk_widget_grab_focus (GTK_WIDGET (entry));
  select_all_and_delete (entry);
  g_signal_emit_by_name (entry, "activate");
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "all");
  g_assert_cmpstr (session_heads (window), ==, "all");

  attn_gtk_test_close_window (window);
  g_settings_reset (settings, "heads");
}

/* The status line names a token whole (it was cut at 16 characters, as
 * “supercalifragili…”), and a file's bidi controls as escapes that do not
 * reverse the rest of the line */
static void
test_status_token_whole (void)
{
  g_autofree char *json = g_build_filename (folder, "long-token.json", NULL);
  g_autoptr(GString) text = g_string_new ("{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
                                          "{\"id\": \"a\", \"tokens\": [\"[CLS]\", "
                                          "\"supercalifragilisticexpialidocious\", \"abc\\u202edef\", "
                                          "\"[SEP]\"], \"attention\": [[[");
  AttnWindow *window;
  AttnGraphView *view;
  char *shown;

  for (guint r = 0; r < 4; r++)
    g_string_append_printf (text, "%s[0.25, 0.25, 0.25, 0.25]", r > 0 ? ", " : "");
  g_string_append (text, "]]]}]}");
  g_assert_true (g_file_set_contents (json, text->str, -1, NULL));
  window = attn_gtk_test_open_file (json);
  attn_gtk_test_wait_idle (window);
  view = attn_window_get_graph_view (window);
  attn_session_select (attn_window_get_session (window), 1, 1, -1);
  attn_gtk_test_wait_idle (window);

  shown = _attn_graph_view_describe_node (view, 1, 1);
  g_assert_nonnull (strstr (shown, "“supercalifragilisticexpialidocious” at layer 1, position 1"));
  g_free (shown);
  g_assert_nonnull (strstr (gtk_label_get_text (window->selection_label), "“supercalifragilisticexpialidocious”"));
  {
    g_autofree char *value = attn_format_value (attn_graph_scene_get_edge (view->scene, 1, 2, 1));
    g_autofree char *expected = g_strdup_printf ("“abc\\u202edef” at layer 1, position 2 → input "
                                                 "“supercalifragilisticexpialidocious” (position 1): %s", value);
    g_autofree char *edge = _attn_graph_view_describe_edge (view, 1, 2, 1);

    g_assert_cmpstr (edge, ==, expected);
  }
  attn_gtk_test_close_window (window);
}

/* Whether @text holds a bidi override, a newline, a BEL or a ZERO WIDTH SPACE */
static gboolean
has_raw_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x202e || c == '\n' || c == '\a' || c == 0x200b)
        return TRUE;
    }
  return FALSE;
}

/* A file whose name holds a right-to-left override and an example whose id
 * holds a BEL, a ZERO WIDTH SPACE, an override and a newline: the picker's
 * button and rows show both as attnflow-cli prints them (it read
 * “oknosj.live”, and the id's newline split the button over three lines,
 * taller than the header bar's Open button) */
static void
test_picker_escapes (void)
{
  g_autofree char *json = g_build_filename (folder, "ok\u202eevil.json", NULL);
  const char *title = "ok\\u202eevil.json — a\\x07\\u200b\\u202eXYZ\\nbad";
  GString *text = g_string_new ("{\"format\": \"attnflow\", \"version\": 1, \"examples\": [");
  AttnWindow *window;
  GtkWidget *button, *box, *popover, *list, *row_title;
  int height, other_height;

  for (guint e = 0; e < 2; e++)
    g_string_append_printf (text, "%s{\"id\": \"%s\", \"tokens\": [\"x\", \"y\"], "
                            "\"attention\": [[[[0.5, 0.5], [0.5, 0.5]]]]}", e > 0 ? ", " : "",
                            e == 0 ? "a\\u0007\\u200b\\u202eXYZ\\nbad" : "plain");
  g_string_append (text, "]}");
  g_assert_true (g_file_set_contents (json, text->str, -1, NULL));
  g_string_free (text, TRUE);
  window = attn_gtk_test_open_file (json);
  attn_gtk_test_wait_idle (window);
  attn_gtk_test_resize (GTK_WINDOW (window), 900, 600);

  g_assert_cmpstr (attn_example_item_get_title (attn_example_picker_get_item (window->example_picker, 0)), ==, title);
  g_assert_cmpstr (attn_example_item_get_title (attn_example_picker_get_item (window->example_picker, 1)), ==,
                   "ok\\u202eevil.json — plain");
  /* the button: the id over the file's name, each one line */
  button = gtk_widget_get_first_child (GTK_WIDGET (window->example_picker));
  box = gtk_menu_button_get_child (GTK_MENU_BUTTON (button));
  g_assert_nonnull (attn_gtk_test_find_widget (box, attn_gtk_test_is_label_reading, "a\\x07\\u200b\\u202eXYZ\\nbad"));
  g_assert_nonnull (attn_gtk_test_find_widget (box, attn_gtk_test_is_label_reading, "ok\\u202eevil.json"));
  g_assert_false (has_raw_control (gtk_widget_get_tooltip_text (button)));
  gtk_widget_measure (gtk_widget_get_first_child (button), GTK_ORIENTATION_VERTICAL, -1, &height, NULL, NULL, NULL);
  gtk_widget_measure (attn_gtk_test_find_descendant (GTK_WIDGET (window->open_button), GTK_TYPE_BUTTON, FALSE),
                      GTK_ORIENTATION_VERTICAL, -1, &other_height, NULL, NULL, NULL);
  g_assert_cmpint (height, <=, other_height);

  /* the list's row */
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
  attn_example_picker_popup (window->example_picker);
  attn_gtk_test_wait_until (attn_gtk_test_is_mapped, popover);
  list = attn_gtk_test_find_descendant (popover, GTK_TYPE_LIST_VIEW, TRUE);
  g_assert_nonnull (list);
  row_title = attn_gtk_test_find_descendant (gtk_widget_get_first_child (list), GTK_TYPE_LABEL, TRUE);
  g_assert_nonnull (row_title);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (row_title)), ==, title);
  gtk_popover_popdown (GTK_POPOVER (popover));

  attn_gtk_test_close_window (window);
  g_unlink (json);
}

/* A sentence with an unterminated right-to-left override (U+202E) must not
 * reverse the text after it: isolated, "[SEP]" still reads left to right */
static void
test_bidi_isolate (void)
{
  const char *sentence = "the film\u202E was fine";
  g_autofree char *isolated = attn_text_from_file (sentence);
  const char *variants[] = { sentence, isolated };
  gboolean reversed[2];

  for (guint v = 0; v < 2; v++)
    {
      g_autofree char *text = g_strconcat (variants[v], " [SEP]", NULL);
      GtkWidget *label = g_object_ref_sink (gtk_label_new (text));
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (label));
      const char *open = strstr (text, "[SEP]"), *close = strstr (text, "]");
      PangoRectangle a, b;

      pango_layout_index_to_pos (layout, (int) (open - text), &a);
      pango_layout_index_to_pos (layout, (int) (close - text), &b);
      reversed[v] = a.x > b.x;
      g_object_unref (label);
    }
  /* the override does reverse a plain string, and not the isolated one */
  g_assert_true (reversed[0]);
  g_assert_false (reversed[1]);
}

/* @label laid out @width px wide: each line starts after a space (none
 * inside a word); returns how many lines it has */
static int
label_lines (GtkLabel *label,
             int       width)
{
  int height;

  gtk_widget_measure (GTK_WIDGET (label), GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
  gtk_widget_allocate (GTK_WIDGET (label), width, height, -1, NULL);
  return attn_gtk_test_assert_lines_start_after_spaces (gtk_label_get_layout (label), width);
}

/* What enter_korean() changed, for leave_korean() */
typedef struct
{
  char *language;  /* LANGUAGE before, or NULL */
  char *messages;  /* the LC_MESSAGES locale before */
  char *locpath;   /* the folder of a ko_KR.UTF-8 made for the test, or NULL */
} Korean;

/* The interface in Korean (from the build's translations) until
 * leave_korean(): LANGUAGE=ko under a Korean LC_MESSAGES, as a user has it
 * (glibc 2.41, Debian 13, reads LANGUAGE under no C locale, C.UTF-8
 * included, where 2.36 read it under C.UTF-8) */
static void
enter_korean (Korean *saved)
{
  g_assert_nonnull (g_getenv ("ATTNFLOW_LOCALEDIR"));
  saved->language = g_strdup (g_getenv ("LANGUAGE"));
  saved->locpath = attn_test_korean_locpath ();
  if (saved->locpath != NULL)
    g_setenv ("LOCPATH", saved->locpath, TRUE);
  g_setenv ("LANGUAGE", "ko", TRUE);
  attn_install_init_i18n ();
  saved->messages = g_strdup (setlocale (LC_MESSAGES, NULL));
  g_assert_nonnull (setlocale (LC_MESSAGES, "ko_KR.UTF-8"));
}

static void
leave_korean (Korean *saved)
{
  if (saved->language != NULL)
    g_setenv ("LANGUAGE", saved->language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  setlocale (LC_MESSAGES, saved->messages);
  if (saved->locpath != NULL)
    {
      g_unsetenv ("LOCPATH");
      attn_test_remove_tree (saved->locpath);
    }
  g_free (saved->language);
  g_free (saved->messages);
  g_free (saved->locpath);
  /* gettext forgets the Korean it found */
  textdomain (GETTEXT_PACKAGE);
}

/* In Korean, the Heads entry says "전체" for every head, as the captions
 * do, and takes it (it said the English "all"; found by QA) */
static void
test_korean_heads (void)
{
  Korean korean;

  enter_korean (&korean);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AttnWindow *window;
  GtkEditable *entry;
  g_autofree char *heads = NULL;

  g_settings_set_string (settings, "heads", "all");
  window = attn_gtk_test_open_bundled ();
  entry = GTK_EDITABLE (window->heads_entry);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "전체");
  g_assert_cmpstr (session_heads (window), ==, "all");

  gtk_editable_set_text (entry, "0-2");
  g_signal_emit_by_name (entry, "activate");
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (session_heads (window), ==, "0,1,2");
  /* the word, typed: every head; so is "all" */
  gtk_editable_set_text (entry, " 전체 ");
  g_signal_emit_by_name (entry, "activate");
  attn_gtk_test_wait_idle (window);
  heads = g_settings_get_string (settings, "heads");
  g_assert_cmpstr (heads, ==, "all");
  g_assert_cmpstr (session_heads (window), ==, "all");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "전체");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  gtk_editable_set_text (entry, "3");
  g_signal_emit_by_name (entry, "activate");
  gtk_editable_set_text (entry, "all");
  g_signal_emit_by_name (entry, "activate");
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (session_heads (window), ==, "all");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "전체");

  attn_gtk_test_close_window (window);
  leave_korean (&korean);
}

/* In Korean, at 900 x 600, the example picker shows the names of the
 * files whole too: its file's name was cut to "pro…" (the header bar's
 * Korean labels are wider), and "author-mask" to "auth…ask" (found by QA) */
static void
test_korean_picker (void)
{
  Korean korean;
  AttnWindow *window;

  enter_korean (&korean);
  window = attn_gtk_test_open_bundled ();
  attn_gtk_test_assert_picker_reads_whole (window, 16);
  attn_gtk_test_close_window (window);
  leave_korean (&korean);
}

/* In Korean, at 1280 x 800 and 900 x 600, the lists of the Weights
 * selector and of every other drop-down show their items whole: the
 * Weights list showed a syllable a line (found by QA) */
static void
test_korean_lists_whole (void)
{
  Korean korean;
  AttnWindow *window;

  enter_korean (&korean);
  window = attn_gtk_test_open_bundled ();
  attn_window_set_example (window, 4);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "author-his");
  attn_gtk_test_assert_lists_whole (window);
  attn_gtk_test_close_window (window);
  leave_korean (&korean);
}

/* In Korean, the Evaluation window of pronouns-masked-minilm.json fits a
 * 900 px screen: it was 938 px wide at least, its close button off the
 * screen and its check's label cut (found by QA) */
static void
test_korean_evaluation_width (void)
{
  Korean korean;
  AttnWindow *window;
  AttnEvaluationWindow *eval;
  int minimum, natural;

  enter_korean (&korean);
  window = attn_gtk_test_open_bundled ();
  attn_window_set_example (window, 2);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "author-mask");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = attn_gtk_test_find_toplevel (ATTN_TYPE_EVALUATION_WINDOW);
  g_assert_nonnull (eval);
  gtk_widget_measure (GTK_WIDGET (eval), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_test_message ("the Evaluation window: at least %d px wide, %d px natural", minimum, natural);
  g_assert_cmpint (minimum, <=, 900);
  gtk_window_destroy (GTK_WINDOW (eval));
  attn_gtk_test_close_window (window);
  leave_korean (&korean);
}

/* In Korean (enter_korean()), the heatmap of every weight kind side by side,
 * of @method for example @id of the pronouns, laid out at @width x @height:
 * asserts that no label is over another, and returns it */
static AttnFigure *
korean_all_weights (const char *id,
                    AttnMethod  method,
                    double      width,
                    double      height)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "pronouns-minilm.json",
                                                 NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) doc = attn_document_load (path, NULL, &error);
  g_autoptr(AttnFigure) fig = NULL;
  AttnFigure *at;
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnFigureInput input = { NULL, path };

  g_assert_no_error (error);
  input.example = attn_document_find_example (doc, id, &error);
  g_assert_no_error (error);
  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_HEATMAP;
  settings.method = method;
  settings.weight_kinds = attn_example_get_weight_kinds (input.example);
  settings.all_weights = TRUE;
  fig = attn_figure_build (&input, 1, &settings, &style, NULL, &error);
  g_assert_no_error (error);
  at = attn_figure_new_at_size (fig, width, height);
  for (guint i = 0; i < attn_figure_get_n_labels (at); i++)
    {
      const AttnLabel *a = attn_figure_get_label (at, i);

      for (guint j = i + 1; j < attn_figure_get_n_labels (at); j++)
        {
          const AttnLabel *b = attn_figure_get_label (at, j);

          if (a->box.x + a->box.width > b->box.x + 0.5 && b->box.x + b->box.width > a->box.x + 0.5 &&
              a->box.y + a->box.height > b->box.y + 0.5 && b->box.y + b->box.height > a->box.y + 0.5)
            g_error ("%s in %gx%g: “%s” (%g,%g %gx%g) and “%s” (%g,%g %gx%g) overlap", id, width, height,
                     a->text, a->box.x, a->box.y, a->box.width, a->box.height,
                     b->text, b->box.x, b->box.y, b->box.width, b->box.height);
        }
    }
  return at;
}

/* The number of @fig's labels that say @text */
static guint
count_labels (AttnFigure *fig,
              const char *text)
{
  guint n = 0;

  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    n += g_strcmp0 (attn_figure_get_label (fig, i)->text, text) == 0;
  return n;
}

/* In Korean, every weight kind side by side in the heatmap panel of a
 * 900 x 600 and a 1280 x 800 window: no label over another. A block right of
 * another (whose rows that one names) wrapped its title as wide as a block
 * with row labels, and "값 제로화(Value Zeroing)" ran over the title of the
 * block right of it, "어텐션 × 그래디언트" (found by QA) */
static void
test_korean_block_titles (void)
{
  static const double sizes[][2] = { { 610., 160. }, { 990., 240. } };
  Korean korean;

  enter_korean (&korean);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(AttnFigure) at = korean_all_weights ("author-his", ATTN_METHOD_ROLLOUT, sizes[s][0], sizes[s][1]);

      /* the blocks' titles are the Korean ones */
      g_assert_cmpuint (count_labels (at, "값 제로화(Value Zeroing)") + count_labels (at, "어텐션 × 그래디언트"), ==, 2);
    }
  leave_korean (&korean);
}

/* In Korean, a colour bar of the top row of blocks in the heatmap panel of a
 * 1280 x 800 window reaches down beside the blocks under it only where no
 * title of theirs is in its way: the rows' blocks need not line up, and the
 * name of Norm-based's bar ran into the title "어텐션 × 그래디언트" of the
 * block under and right of Norm-based's, in flow (found by QA) */
static void
test_korean_bar_names (void)
{
  static const char *ids[] = { "anna-better", "anna-worse", "author-his", "trophy-big" };
  Korean korean;

  enter_korean (&korean);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
      {
        g_autoptr(AttnFigure) at = korean_all_weights (ids[i], m, 990., 240.);

        g_assert_cmpuint (count_labels (at, "어텐션 × 그래디언트"), ==, 1);
        /* every bar is named */
        g_assert_cmpuint (count_labels (at, "중요도") + count_labels (at, "중요도\n“she”은(는) 최대 색") +
                          count_labels (at, "중요도\n“his”은(는) 최대 색") +
                          count_labels (at, "중요도\n“it”은(는) 최대 색"), ==, 6);
      }
  leave_korean (&korean);
}

/* In Korean, every weight kind in the heatmap panel of a 900 x 600 window
 * (617 x 165): no label over another, and the pronoun named under each of
 * the six blocks, which the panel scrolls, each over its own token labels
 * (side by side, three of them had labels, their cells 2 px wide). The labels
 * kept under a block right of another, its cells 2 px wide, were pushed
 * apart to the left, over the name of the colour bar left of them ("[CLS]"
 * over ALTI's "중요도 “she”은(는) 최대 색"; found by QA) */
static void
test_korean_token_labels (void)
{
  static const char *ids[][2] = { { "anna-better", "she" }, { "anna-worse", "she" }, { "author-his", "his" },
                                  { "trophy-big", "it" } };
  Korean korean;

  enter_korean (&korean);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
      {
        g_autoptr(AttnFigure) at = korean_all_weights (ids[i][0], m, 617., 165.);

        g_assert_cmpuint (count_labels (at, "어텐션 × 그래디언트"), ==, 1);
        /* (no sentence in the panel: the token labels alone say it) */
        g_assert_cmpuint (count_labels (at, ids[i][1]), ==, 6);
      }
  leave_korean (&korean);
}

/* The text of every key cap under @widget, one after the other */
static void
collect_keycaps (GtkWidget *widget,
                 GString   *caps)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "keycap"))
    g_string_append_printf (caps, "[%s]", gtk_label_get_label (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_keycaps (child, caps);
}

/* In Korean, the shortcuts window names Page Up and Page Down as in English:
 * GTK's Korean translation keeps the key names as they are, and GTK then
 * showed "Page_Up" with its underscore (found by QA) */
static void
test_korean_key_names (void)
{
  Korean korean;

  enter_korean (&korean);
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/attnflow/AttnFlow/gtk/help-overlay.ui");
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_autoptr(GString) before = g_string_new (NULL);
  g_autoptr(GString) after = g_string_new (NULL);

  g_assert_nonnull (overlay);
  collect_keycaps (overlay, before);
  if (strstr (before->str, "[Page_Up]") == NULL)
    g_test_skip ("GTK's Korean translation is not installed, or names the keys itself");
  else
    {
      attn_shortcuts_spell_key_names (overlay);
      collect_keycaps (overlay, after);
      g_assert_nonnull (strstr (after->str, "[Page Up]"));
      g_assert_nonnull (strstr (after->str, "[Page Down]"));
      g_assert_null (strchr (after->str, '_'));
    }
  gtk_window_destroy (GTK_WINDOW (overlay));
  leave_korean (&korean);
}

/* In Korean, the banner of a file deleted under the window wraps between
 * words: Pango's own breaking put a line break between any two syllables
 * ("옮겨졌 / 습니다", and "“ko.npy”이 / (가)"). */
static void
test_korean_banner (void)
{
  g_autofree char *npy = g_build_filename (folder, "ko.npy", NULL);
  g_autofree char *json = g_build_filename (folder, "ko.json", NULL);
  Korean korean;

  enter_korean (&korean);
  static const char text[] =
    "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
    "{\"id\": \"a\", \"tokens\": [\"[CLS]\", \"the\", \"cat\", \"sat\"], "
    "\"attention\": {\"npy\": \"ko.npy\"}}]}";
  AttnWindow *window;
  int lines = 0;

  write_npy (npy, diagonal_rows);
  g_assert_true (g_file_set_contents (json, text, -1, NULL));
  window = attn_gtk_test_open_file (json);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpint (g_unlink (npy), ==, 0);
  attn_gtk_test_wait_until (banner_shown, window);
  g_assert_nonnull (strstr (gtk_label_get_text (window->reload_label),
                            "“ko.json”이(가) 읽은 디스크의 “ko.npy”이(가) 삭제되었거나"));

  /* as narrow as a phone's banner, and wider */
  for (int width = 200; width <= 420; width += 20)
    lines += label_lines (window->reload_label, width);
  g_assert_cmpint (lines, >, 12 * 2);

  attn_gtk_test_close_window (window);
  g_unlink (json);
  leave_korean (&korean);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!attn_gtk_test_init (&argc, &argv, &status))
    return status;

  folder = attn_test_make_folder ("gtk-hostile");

  g_test_add_func ("/attn/gtk/hostile/changed-files", test_changed_files);
  g_test_add_func ("/attn/gtk/hostile/changed-then-deleted", test_changed_then_deleted);
  g_test_add_func ("/attn/gtk/hostile/banner-other-file", test_banner_other_file);
  g_test_add_func ("/attn/gtk/hostile/reload-error-then-deleted", test_reload_error_then_deleted);
  g_test_add_func ("/attn/gtk/hostile/reload-error-then-fixed", test_reload_error_then_fixed);
  g_test_add_func ("/attn/gtk/hostile/reload-warnings", test_reload_warnings);
  g_test_add_func ("/attn/gtk/hostile/reload-fewer-layers", test_reload_fewer_layers);
  g_test_add_func ("/attn/gtk/hostile/reload-keeps-selections", test_reload_keeps_selections);
  g_test_add_func ("/attn/gtk/hostile/toast-markup", test_toast_markup);
  g_test_add_func ("/attn/gtk/hostile/details-long", test_details_long);
  g_test_add_func ("/attn/gtk/hostile/details-whole", test_details_whole);
  g_test_add_func ("/attn/gtk/hostile/bidi-isolate", test_bidi_isolate);
  g_test_add_func ("/attn/gtk/hostile/picker-escapes", test_picker_escapes);
  g_test_add_func ("/attn/gtk/hostile/status-token-whole", test_status_token_whole);
  g_test_add_func ("/attn/gtk/hostile/heads-entry", test_heads_entry);
  g_test_add_func ("/attn/gtk/hostile/alpha-entry", test_alpha_entry);
  g_test_add_func ("/attn/gtk/hostile/preferences-alpha-entry", test_preferences_alpha_entry);
  /* last: they read the Korean translations */
  g_test_add_func ("/attn/gtk/hostile/korean-heads", test_korean_heads);
  g_test_add_func ("/attn/gtk/hostile/korean-picker", test_korean_picker);
  g_test_add_func ("/attn/gtk/hostile/korean-evaluation-width", test_korean_evaluation_width);
  g_test_add_func ("/attn/gtk/hostile/korean-lists-whole", test_korean_lists_whole);
  g_test_add_func ("/attn/gtk/hostile/korean-banner", test_korean_banner);
  g_test_add_func ("/attn/gtk/hostile/korean-key-names", test_korean_key_names);
  g_test_add_func ("/attn/gtk/hostile/korean-block-titles", test_korean_block_titles);
  g_test_add_func ("/attn/gtk/hostile/korean-bar-names", test_korean_bar_names);
  g_test_add_func ("/attn/gtk/hostile/korean-token-labels", test_korean_token_labels);

  status = g_test_run ();
  attn_test_drop_folder (folder);
  return status;
}
