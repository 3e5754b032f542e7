/* test-long.c: the window on long inputs: the every-node flow offered with
 * its time, started only on request
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "attn-figure-view-private.h"
#include "attn-graph-view-private.h"
#include "attn-session-private.h"
#include "attn-gtk-util.h"
#include "attn-window-private.h"

#include "attn-test-util.h"
#include "gtk-test-util.h"

static char *tmpdir;

/* A file of one example of @L layers, @n tokens and one head (fixed seed) */
static char *
write_example (guint L,
               guint n)
{
  g_autoptr(GString) json = g_string_new ("{\"format\":\"attnflow\",\"version\":1,\"examples\":[{\"id\":\"long\",\"tokens\":[");
  g_autofree char *name = g_strdup_printf ("long-%u.json", n);
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (n);

  for (guint j = 0; j < n; j++)
    g_string_append_printf (json, "%s\"t%u\"", j ? "," : "", j);
  g_string_append (json, "],\"attention\":[");
  for (guint l = 0; l < L; l++)
    {
      g_string_append (json, l ? ",[[" : "[[");
      attn_test_append_rows (json, rand, n, 17);
      g_string_append (json, "]]");
    }
  g_string_append (json, "]}]}");
  g_rand_free (rand);
  g_file_set_contents (path, json->str, json->len, &error);
  g_assert_no_error (error);
  return path;
}

/* A file of one example of @L layers, @n tokens and one head, its attention
 * in a .npy file beside it (fixed seed) */
static char *
write_npy_example (guint L,
                   guint n)
{
  g_autoptr(GString) json = g_string_new ("{\"format\":\"attnflow\",\"version\":1,\"examples\":[{\"id\":\"long\",\"tokens\":[");
  g_autoptr(GString) npy = attn_test_npy_new_float32 (L, 1, n);
  g_autofree char *npy_path = g_build_filename (tmpdir, "long.npy", NULL);
  g_autofree float *row = g_new (float, n);
  char *path = g_build_filename (tmpdir, "long-npy.json", NULL);
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (n);

  for (guint r = 0; r < L * n; r++)
    {
      double sum = 0.;

      for (guint k = 0; k < n; k++)
        sum += row[k] = (float) g_rand_double_range (rand, 0.1, 1.);
      for (guint k = 0; k < n; k++)
        row[k] = (float) (row[k] / sum);
      g_string_append_len (npy, (const char *) row, n * sizeof (float));
    }
  g_rand_free (rand);
  for (guint j = 0; j < n; j++)
    g_string_append_printf (json, "%s\"t%u\"", j ? "," : "", j);
  g_string_append (json, "],\"attention\":{\"npy\":\"long.npy\"}}]}");
  g_file_set_contents (npy_path, npy->str, npy->len, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, json->str, json->len, &error);
  g_assert_no_error (error);
  return path;
}

static gboolean
heatmap_of (gpointer data)
{
  AttnWindow *window = data;
  AttnFigure *heatmap = attn_window_get_heatmap (window);

  return heatmap != NULL && attn_figure_get_n_grids (heatmap) > 0 && window->heatmap_cancellable == NULL;
}

/* The values of a long input's heatmap, too many for the clipboard (GTK
 * handed 300 kB to xclip in increments, and the window hung for good when
 * it gave up): said, with a button that saves them as a file instead */
static void
test_values_too_many (void)
{
  const guint L = 12, n = 512;
  g_autofree char *path = write_npy_example (L, n);
  g_autofree char *saved = g_build_filename (tmpdir, "values.tsv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (saved);
  AttnWindow *window = attn_gtk_test_open_file (path);
  g_autofree char *table = NULL;
  g_autofree char *written = NULL;
  g_autofree char *before = NULL;

  attn_gtk_test_wait_until (attn_gtk_test_example_open, window);
  g_object_set (window, "view", "raw", NULL);
  attn_gtk_test_wait_idle (window);
  attn_gtk_test_wait_until (heatmap_of, window);
  table = attn_figure_get_values_table (attn_window_get_heatmap (window));
  g_test_message ("the values: %zu bytes", strlen (table));
  g_assert_cmpuint (strlen (table), >, 250000);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (window)), "before");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-values", NULL);
  g_assert_true (g_str_has_prefix (_attn_window_get_last_message (window), "Too many values for the clipboard ("));
  /* the clipboard keeps what it had */
  before = attn_gtk_test_get_clipboard_text (GTK_WIDGET (window));
  g_assert_cmpstr (before, ==, "before");
  /* the toast's button (win.save-values, which asks where) saves them: the
   * same table */
  attn_save_figure_values (file, attn_window_get_heatmap (window), window->toast_overlay, &window->last_message);
  g_assert_cmpstr (_attn_window_get_last_message (window), ==, "Saved “values.tsv”");
  g_assert_true (g_file_get_contents (saved, &written, NULL, NULL));
  g_assert_cmpstr (written, ==, table);
  attn_gtk_test_close_window (window);
}

/* Above 128 tokens the flow of every node is a button with its time; at or
 * below, it is computed at once and no button shows */
static void
test_every_node_offer (void)
{
  guint n = ATTN_SESSION_EVERY_NODE_AUTO_MAX + 12;
  g_autofree char *long_path = write_example (3, n);
  g_autofree char *short_path = write_example (3, 40);
  AttnWindow *window = attn_gtk_test_open_file (long_path);
  AttnSession *session = attn_window_get_session (window);
  GtkButton *button;
  g_autofree char *duration = NULL;
  g_autofree char *label = NULL;
  double seconds;

  attn_gtk_test_wait_until (attn_gtk_test_example_open, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "flow");
  attn_gtk_test_wait_idle (window);
  button = GTK_BUTTON (window->compute_flow_button);

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
  seconds = attn_session_get_every_node_estimate (session);
  g_assert_cmpfloat (seconds, >, 0.);
  /* measured on the graph (attn_flow_measure_every_node()), not the model */
  g_assert_cmpfloat (seconds, !=, attn_flow_estimate_every_node (attn_session_get_graph (session)));
  duration = attn_format_duration (seconds);
  label = g_strdup_printf ("Compute Flow for Every _Node (about %s)", duration);
  g_assert_cmpstr (gtk_label_get_label (window->compute_flow_label), ==, label);
  /* the offer stands on the graph, in view in a 900x600 window (at the
   * foot of the side panel, it was out of view there) */
  {
    GtkWidget *graph = GTK_WIDGET (attn_window_get_graph_view (window));
    graphene_rect_t bounds;

    attn_gtk_test_resize (GTK_WINDOW (window), 900, 600);
    attn_gtk_test_wait_idle (window);
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (button)));
    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (button), graph, &bounds));
    g_assert_cmpfloat (bounds.origin.x, >=, 0.);
    g_assert_cmpfloat (bounds.origin.y, >=, 0.);
    g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (graph));
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (graph));
  }
  /* the status line says why the graph is empty, whole in two lines at
   * that width (it was cut off mid-sentence) */
  g_assert_cmpstr (gtk_label_get_text (window->selection_label), ==,
                   "Long input: click a node, or compute the flow of every node above");
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (window->selection_label)));
  /* not started: nothing computed, nothing running */
  g_assert_cmpuint (attn_trace_get_n_layers_done (attn_session_get_trace (session)), ==, 0);
  g_assert_false (attn_window_is_busy (window));

  /* Escape with no node selected stops it: offered again */
  g_signal_emit_by_name (button, "clicked");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (button)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-selection", NULL);
  attn_gtk_test_wait_idle (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
  g_assert_false (attn_window_is_busy (window));

  /* on request: computed, and the offer goes */
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (attn_window_is_busy (window));
  attn_gtk_test_wait_idle (window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (button)));
  g_assert_true (attn_trace_is_complete (attn_session_get_trace (session)));
  g_assert_null (strstr (gtk_label_get_text (window->selection_label), "Long input"));
  attn_gtk_test_close_window (window);

  window = attn_gtk_test_open_file (short_path);
  attn_gtk_test_wait_until (attn_gtk_test_example_open, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "flow");
  attn_gtk_test_wait_idle (window);
  g_assert_false (gtk_widget_get_visible (window->compute_flow_button));
  g_assert_cmpfloat (attn_session_get_every_node_estimate (attn_window_get_session (window)), ==, 0.);
  g_assert_true (attn_trace_is_complete (attn_session_get_trace (attn_window_get_session (window))));
  attn_gtk_test_close_window (window);
}

/* Zoomed in on a long input, the strip of input tokens along the view's
 * bottom edge keeps the labels the figure keeps, the selected node's token
 * and the sink's, though they fall between the every-stride-th ones it
 * shows; no two labels overlap */
static void
test_zoomed_labels (void)
{
  const guint L = 3, n = 300, position = 137, sink = 151;
  g_autofree char *path = write_example (L, n);
  AttnWindow *window = attn_gtk_test_open_file (path);
  AttnGraphView *view;
  g_autoptr(GArray) labels = NULL;
  gboolean seen_position = FALSE, seen_sink = FALSE;
  double x, y;

  attn_gtk_test_wait_until (attn_gtk_test_example_open, window);
  view = attn_window_get_graph_view (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "rollout");
  attn_gtk_test_wait_idle (window);
  gtk_widget_activate_action (GTK_WIDGET (view), "view.select-node", "(uu)", L, position);
  attn_gtk_test_wait_idle (window);
  gtk_widget_activate_action (GTK_WIDGET (view), "view.select-node", "(uu)", 0, sink);
  attn_gtk_test_wait_idle (window);

  labels = _attn_graph_view_strip_labels (view);
  g_assert_cmpuint (labels->len, ==, 0);

  /* zoomed in about the top row, the bottom row goes past the bottom edge */
  g_assert_true (attn_graph_view_node_to_widget (view, L, position, &x, &y));
  attn_zoomable_set_zoom (ATTN_ZOOMABLE (view), 2., x, y);
  attn_gtk_test_wait_idle (window);
  g_assert_true (attn_graph_view_node_to_widget (view, 0, position, &x, &y));
  g_assert_cmpfloat (y, >, gtk_widget_get_height (GTK_WIDGET (view)));
  g_clear_pointer (&labels, g_array_unref);
  labels = _attn_graph_view_strip_labels (view);
  g_assert_cmpuint (labels->len, >, 4);

  for (guint k = 0; k < labels->len; k++)
    {
      const AttnGraphViewLabel *label = &g_array_index (labels, AttnGraphViewLabel, k);

      seen_position |= label->position == position;
      seen_sink |= label->position == sink;
      g_assert_cmpfloat (label->left, >=, 0.);
      g_assert_cmpfloat (label->left + label->width, <=, gtk_widget_get_width (GTK_WIDGET (view)));
      if (k > 0)
        {
          const AttnGraphViewLabel *prev = &g_array_index (labels, AttnGraphViewLabel, k - 1);

          g_assert_cmpuint (label->position, >, prev->position);
          g_assert_cmpfloat (label->left, >=, prev->left + prev->width);
        }
    }
  /* the others are thinned out: not one in two of the tokens in view */
  g_assert_cmpuint (g_array_index (labels, AttnGraphViewLabel, labels->len - 1).position
                    - g_array_index (labels, AttnGraphViewLabel, 0).position + 1, >=, 2 * labels->len);

  /* panned to the bottom, the figure's own labels are in sight: no strip */
  attn_zoomable_pan (ATTN_ZOOMABLE (view), 0., -1e6);
  g_clear_pointer (&labels, g_array_unref);
  labels = _attn_graph_view_strip_labels (view);
  g_assert_cmpuint (labels->len, ==, 0);
  g_assert_true (seen_position);
  g_assert_true (seen_sink);
  attn_gtk_test_close_window (window);
}

/* The heatmap shows all three methods, laid out at the view's size */
static gboolean
all_methods_laid_out (gpointer data)
{
  AttnWindow *window = data;
  AttnFigure *shown = attn_figure_view_get_figure (window->heatmap_view);

  return heatmap_of (window) && shown != NULL && attn_figure_get_n_grids (shown) == 3 &&
         attn_figure_view_is_laid_out (window->heatmap_view);
}

/* Band @band of grid @g where the view draws it in the figure (not moved) */
static graphene_rect_t
band_on_screen (AttnFigureView *view,
                guint           g,
                AttnFigureBand  band)
{
  double x, y, x2, y2;
  AttnRect rect;

  g_assert_true (attn_figure_get_label_band (attn_figure_view_get_figure (view), g, band, 1., NULL, &rect));
  g_assert_true (attn_figure_view_figure_to_widget (view, rect.x, rect.y, &x, &y));
  g_assert_true (attn_figure_view_figure_to_widget (view, rect.x + rect.width, rect.y + rect.height, &x2, &y2));
  return GRAPHENE_RECT_INIT (x, y, x2 - x, y2 - y);
}

/* All methods of a 512-token input in a 900 x 600 window, zoomed in 2
 * times, the first block's layer names in sight whole, its token labels
 * cut off by the bottom edge and kept at it: the corner left of them is
 * blanked over all the layer names beside them, from the band's top down
 * (the names of the rows under the band showed beside it: the band starts
 * left of the cells, the first token's label centred on a column a pixel
 * wide, and the corner was not recognised as the block's own); the next
 * block's band, beside the first block's colour bar, has none. Panned
 * till the layer names, moved, cover the first columns, the token labels
 * in sight whole: the corner under the names is blanked down to the
 * bottom of the token labels (those of the columns covered showed there) */
static void
test_pinned_corners (void)
{
  g_autofree char *path = write_npy_example (12, 512);
  AttnWindow *window = attn_gtk_test_open_file (path);
  AttnFigureView *view = window->heatmap_view;
  g_autoptr(GArray) bands = NULL;
  const AttnPinnedBand *rows, *columns, *next;
  graphene_rect_t names, tokens;
  double x, y, height;
  AttnRect cell;

  attn_gtk_test_wait_until (attn_gtk_test_example_open, window);
  attn_gtk_test_resize (GTK_WINDOW (window), 900, 600);
  g_settings_set_boolean (window->settings, "heatmap-all-methods", TRUE);
  attn_gtk_test_wait_idle (window);
  attn_gtk_test_wait_until (all_methods_laid_out, window);
  height = gtk_widget_get_height (GTK_WIDGET (view));

  g_assert_true (attn_figure_get_cell (attn_figure_view_get_figure (view), 0, 6, 0, &cell));
  g_assert_true (attn_figure_view_figure_to_widget (view, cell.x, cell.y, &x, &y));
  attn_zoomable_set_zoom (ATTN_ZOOMABLE (view), 2., x, y);
  /* the layer names 4 px from the left edge, the bottom edge through layer 6 */
  names = band_on_screen (view, 0, ATTN_FIGURE_BAND_ROWS);
  g_assert_true (attn_figure_view_figure_to_widget (view, cell.x, cell.y + cell.height / 2, &x, &y));
  attn_zoomable_pan (ATTN_ZOOMABLE (view), 4. - names.origin.x, height - y);
  names = band_on_screen (view, 0, ATTN_FIGURE_BAND_ROWS);
  bands = _attn_figure_view_get_pinned_bands (view);
  columns = attn_gtk_test_find_pinned (bands, 0, ATTN_FIGURE_BAND_COLUMNS);
  g_assert_null (attn_gtk_test_find_pinned (bands, 0, ATTN_FIGURE_BAND_ROWS));
  g_assert_nonnull (columns);
  g_test_message ("names from x %.1f to %.1f; tokens kept from (%.1f, %.1f); corner (%.1f, %.1f) %.1f x %.1f",
                  names.origin.x, names.origin.x + names.size.width, columns->clip.origin.x,
                  columns->clip.origin.y, columns->corner.origin.x, columns->corner.origin.y,
                  columns->corner.size.width, columns->corner.size.height);
  /* (the panel shows the figure, laid out to be scrolled, at 9 px / 11.05 px) */
  g_assert_cmpfloat (fabs (names.origin.x - 4.), <, 1e-4);
  /* the case: the tokens' band starts left of the names' end */
  g_assert_cmpfloat (columns->clip.origin.x, <, names.origin.x + names.size.width);
  g_assert_cmpfloat (columns->clip.origin.y, <, height - 20.);
  g_assert_cmpfloat (columns->corner.origin.x, <=, names.origin.x);
  g_assert_cmpfloat (columns->corner.origin.x + columns->corner.size.width, >=, columns->clip.origin.x - 1e-6);
  g_assert_cmpfloat (columns->corner.origin.y, <=, columns->clip.origin.y);
  g_assert_cmpfloat (columns->corner.origin.y + columns->corner.size.height, >=, height - 1e-6);
  g_assert_true (columns->corner_top_rule);
  next = attn_gtk_test_find_pinned (bands, 1, ATTN_FIGURE_BAND_COLUMNS);
  if (next != NULL)
    g_assert_cmpfloat (next->corner.size.width * next->corner.size.height, ==, 0.);

  /* the cells' left 40 px past the left edge, the token labels' bottom 4 px
   * over the bottom edge */
  tokens = band_on_screen (view, 0, ATTN_FIGURE_BAND_COLUMNS);
  g_assert_true (attn_figure_view_figure_to_widget (view, cell.x, cell.y, &x, &y));
  attn_zoomable_pan (ATTN_ZOOMABLE (view), -40. - x, height - 4. - (tokens.origin.y + tokens.size.height));
  tokens = band_on_screen (view, 0, ATTN_FIGURE_BAND_COLUMNS);
  g_clear_pointer (&bands, g_array_unref);
  bands = _attn_figure_view_get_pinned_bands (view);
  rows = attn_gtk_test_find_pinned (bands, 0, ATTN_FIGURE_BAND_ROWS);
  g_assert_null (attn_gtk_test_find_pinned (bands, 0, ATTN_FIGURE_BAND_COLUMNS));
  g_assert_nonnull (rows);
  g_test_message ("names kept to x %.1f, y %.1f; tokens from y %.1f to %.1f; corner (%.1f, %.1f) %.1f x %.1f",
                  rows->clip.origin.x + rows->clip.size.width, rows->clip.origin.y + rows->clip.size.height,
                  tokens.origin.y, tokens.origin.y + tokens.size.height, rows->corner.origin.x,
                  rows->corner.origin.y, rows->corner.size.width, rows->corner.size.height);
  /* (graphene's floats: a few hundred pixels hold 1e-5 px) */
  g_assert_cmpfloat (fabs (tokens.origin.y + tokens.size.height - (height - 4.)), <, 1e-3);
  g_assert_cmpfloat (rows->clip.origin.x, ==, 0.);
  g_assert_cmpfloat (rows->clip.size.width, >, 40.);
  g_assert_cmpfloat (tokens.origin.x, <, 0.);
  g_assert_cmpfloat (rows->corner.origin.x, <=, 0.);
  g_assert_cmpfloat (rows->corner.size.width, >=, rows->clip.size.width);
  g_assert_cmpfloat (rows->corner.origin.y, <=, rows->clip.origin.y + rows->clip.size.height);
  g_assert_cmpfloat (rows->corner.origin.y, <=, tokens.origin.y);
  g_assert_cmpfloat (rows->corner.origin.y + rows->corner.size.height, >=, tokens.origin.y + tokens.size.height - 1e-6);
  g_assert_false (rows->corner_top_rule);

  g_settings_reset (window->settings, "heatmap-all-methods");
  attn_gtk_test_close_window (window);
}

static void
record_label (GtkLabel   *label,
              GParamSpec *pspec,
              GPtrArray  *texts)
{
  g_ptr_array_add (texts, g_strdup (gtk_label_get_text (label)));
}

static int
find_text (GPtrArray  *texts,
           const char *prefix)
{
  for (guint i = 0; i < texts->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (texts, i), prefix))
      return (int) i;
  return -1;
}

/* A result that comes after a long wait is described once it is drawn:
 * the status line goes from the computation to "Drawing the graph…" to
 * the result, not to the result while the graph still shows the one
 * before (a 2,048-token graph took seconds more) */
static void
test_drawn_then_described (void)
{
  const guint L = 3, n = 300, position = 137;
  g_autofree char *path = write_example (L, n);
  AttnWindow *window = attn_gtk_test_open_file (path);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  int computing, drawing, described;

  attn_gtk_test_wait_until (attn_gtk_test_example_open, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "flow");
  attn_gtk_test_wait_idle (window);
  g_signal_connect (window->selection_label, "notify::label", G_CALLBACK (record_label), texts);

  gtk_widget_activate_action (GTK_WIDGET (attn_window_get_graph_view (window)), "view.select-node", "(uu)",
                              L, position);
  /* the main loop held past the time after which a computation is named:
   * the window names it before it takes the result */
  g_usleep ((gulong) (1.5 * ATTN_WINDOW_PENDING_S * G_USEC_PER_SEC));
  attn_gtk_test_wait_idle (window);
  g_signal_handlers_disconnect_by_data (window->selection_label, texts);

  for (guint i = 0; i < texts->len; i++)
    g_test_message ("status line %u: %s", i, (char *) g_ptr_array_index (texts, i));
  computing = find_text (texts, "Computing: ");
  drawing = find_text (texts, "Drawing the graph…");
  described = find_text (texts, "Strongest input");
  /* nothing before it: the line said "Attention flow of every node" of the
   * view never computed, for a moment after the click */
  g_assert_cmpint (computing, ==, 0);
  g_assert_cmpint (drawing, >, computing);
  g_assert_cmpint (described, >, drawing);
  g_assert_cmpstr (gtk_label_get_text (window->selection_label), ==, g_ptr_array_index (texts, texts->len - 1));
  g_assert_nonnull (strstr (gtk_label_get_text (window->selection_label), "at layer 3, position 137"));
  attn_gtk_test_close_window (window);
}

/* The selection at layer 2, position 0, drawn: described, not computing */
static gboolean
click_drawn (gpointer data)
{
  AttnWindow *window = data;
  const char *text = gtk_label_get_text (window->selection_label);

  return strstr (text, "at layer 2, position 0") != NULL && !g_str_has_prefix (text, "Computing") &&
         !attn_graph_view_is_rendering (attn_window_get_graph_view (window));
}

/* A click while the flow of every node asked for is computed: that goes on
 * behind the click's result, and the status line says so (it described the
 * selection alone, as if the click were still computing, found by a user
 * test); once it is stopped, the selection alone. A click low in a graph
 * of four layers: its result comes long before the top layers' flows. */
static void
test_every_node_behind (void)
{
  g_autofree char *path = write_example (4, 300);
  AttnWindow *window = attn_gtk_test_open_file (path);
  AttnSession *session = attn_window_get_session (window);
  const char *text;

  attn_gtk_test_wait_until (attn_gtk_test_example_open, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "flow");
  attn_gtk_test_wait_idle (window);
  g_signal_emit_by_name (window->compute_flow_button, "clicked");
  attn_session_select (session, 2, 0, -1);
  attn_gtk_test_wait_until (click_drawn, window);
  text = gtk_label_get_text (window->selection_label);
  g_test_message ("%s", text);
  g_assert_true (attn_session_get_every_node_behind (session));
  g_assert_true (g_str_has_suffix (text, " · the flow of every node goes on"));

  attn_session_stop_every_node (session);
  attn_gtk_test_wait_idle (window);
  text = gtk_label_get_text (window->selection_label);
  g_test_message ("%s", text);
  g_assert_false (attn_session_get_every_node_behind (session));
  g_assert_null (strstr (text, "every node goes on"));
  g_assert_nonnull (strstr (text, "at layer 2, position 0"));
  attn_gtk_test_close_window (window);
}

static void
set_true_once_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
}

/* The heatmap's top, in the window */
static double
heatmap_top (AttnWindow *window)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window->heatmap_view), GTK_WIDGET (window), &bounds));
  return bounds.origin.y;
}

/* At 900 x 600 the status line of a selection with the note that the flow
 * of every node goes on is read whole, in two lines at most, and the
 * heatmap under it stays where it was with the one-line text before (it
 * had a third of the pane's width beside the checks, and was cut off after
 * “Attention…”; found by a user test) */
static void
test_every_node_behind_narrow (void)
{
  g_autofree char *path = write_example (4, 300);
  AttnWindow *window = attn_gtk_test_open_file (path);
  AttnSession *session = attn_window_get_session (window);
  const char *text;
  double top;
  int lines;

  attn_gtk_test_resize (GTK_WINDOW (window), 900, 600);
  attn_gtk_test_wait_until (attn_gtk_test_example_open, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "flow");
  attn_gtk_test_wait_idle (window);
  text = gtk_label_get_text (window->selection_label);
  g_assert_cmpstr (text, ==, "Long input: click a node, or compute the flow of every node above");
  lines = pango_layout_get_line_count (gtk_label_get_layout (window->selection_label));
  top = heatmap_top (window);

  g_signal_emit_by_name (window->compute_flow_button, "clicked");
  attn_session_select (session, 2, 0, -1);
  attn_gtk_test_wait_until (click_drawn, window);
  text = gtk_label_get_text (window->selection_label);
  /* laid out with it */
  {
    gboolean waited = FALSE;

    g_timeout_add_once (300, set_true_once_cb, &waited);
    while (!waited)
      g_main_context_iteration (NULL, TRUE);
  }
  g_test_message ("%d px wide: %s", gtk_widget_get_width (GTK_WIDGET (window->selection_label)), text);
  g_assert_true (g_str_has_suffix (text, " · the flow of every node goes on"));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 900);
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (window->selection_label)));
  /* one line, then two, the heatmap where it was */
  g_assert_cmpint (lines, ==, 1);
  g_assert_cmpint (pango_layout_get_line_count (gtk_label_get_layout (window->selection_label)), ==, 2);
  g_assert_cmpfloat_with_epsilon (heatmap_top (window), top, 0.5);
  attn_session_stop_every_node (session);
  attn_gtk_test_close_window (window);
}

/* The un-clicked view computed layer by layer says how far it got: a
 * 2,048-token rollout filled in for 25 s while the status line described
 * the view as done */
static void
test_every_node_progress (void)
{
  const guint L = 3, n = 300;
  g_autofree char *path = write_example (L, n);
  AttnWindow *window = attn_gtk_test_open_file (path);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  int computing;

  /* the rollout of every node, layer by layer from this size (1,024 tokens
   * in the app); the file loads on a thread, after this */
  _attn_session_set_progressive_min (attn_window_get_session (window), n);
  g_signal_connect (window->selection_label, "notify::label", G_CALLBACK (record_label), texts);
  attn_gtk_test_wait_until (attn_gtk_test_example_open, window);
  attn_gtk_test_wait_idle (window);
  g_signal_handlers_disconnect_by_data (window->selection_label, texts);

  for (guint i = 0; i < texts->len; i++)
    g_test_message ("status line %u: %s", i, (char *) g_ptr_array_index (texts, i));
  computing = find_text (texts, "Computing: ");
  g_assert_cmpint (computing, >=, 0);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (texts, computing), "% done · Attention rollout of every node"));
  g_assert_cmpstr (gtk_label_get_text (window->selection_label), ==, "Attention rollout of every node; no node is selected");
  attn_gtk_test_close_window (window);
}

/* The estimate's words */
static void
test_durations (void)
{
  static const struct { double seconds; const char *text; } cases[] = {
    { 0.2, "1 second" }, { 1., "1 second" }, { 41.3, "42 seconds" }, { 89.9, "90 seconds" },
    { 90., "2 minutes" }, { 61.5 * 60., "62 minutes" }, { 90. * 60., "2 hours" },
    { 3. * 3600. + 1., "4 hours" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = attn_format_duration (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status, result;

  if (!attn_gtk_test_init (&argc, &argv, &status))
    return status;
  tmpdir = g_dir_make_tmp ("attnflow-test-long-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/attn/gtk/long/every-node-offer", test_every_node_offer);
  g_test_add_func ("/attn/gtk/long/durations", test_durations);
  g_test_add_func ("/attn/gtk/long/zoomed-labels", test_zoomed_labels);
  g_test_add_func ("/attn/gtk/long/drawn-then-described", test_drawn_then_described);
  g_test_add_func ("/attn/gtk/long/every-node-progress", test_every_node_progress);
  g_test_add_func ("/attn/gtk/long/every-node-behind", test_every_node_behind);
  g_test_add_func ("/attn/gtk/long/every-node-behind-narrow", test_every_node_behind_narrow);
  g_test_add_func ("/attn/gtk/long/values-too-many", test_values_too_many);
  g_test_add_func ("/attn/gtk/long/pinned-corners", test_pinned_corners);

  result = g_test_run ();
  attn_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return result;
}
