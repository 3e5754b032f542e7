/* test-zoom-focus.c: the keyboard and the zoom in the main window: which view the zoom
 * buttons act on, the figure view's focus ring and arrow keys, the graph's cursor ring
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "attn-compare-window.h"
#include "attn-figure-view-private.h"
#include "attn-graph-view-private.h"
#include "attn-window-private.h"

#include "gtk-test-util.h"

static gboolean
heatmap_laid_out (gpointer data)
{
  AttnWindow *window = data;
  AttnGraphView *view = attn_window_get_graph_view (window);

  return !attn_window_is_busy (window) && !attn_graph_view_is_rendering (view) &&
         view->scene != NULL && view->scene == attn_session_get_scene (attn_window_get_session (window)) &&
         window->heatmap_cancellable == NULL && attn_window_get_heatmap (window) != NULL &&
         attn_figure_view_is_laid_out (window->heatmap_view);
}

/* The window, @width x @height, with the top layer's first node selected
 * (rollout): the heatmap shows its figure */
static AttnWindow *
open_window_at (int width,
                int height)
{
  AttnWindow *window = attn_window_new (NULL);
  AttnGraphView *view;
  guint L;

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_bundled (window);
  attn_gtk_test_wait_idle (window);
  view = attn_window_get_graph_view (window);
  L = attn_example_get_n_layers (attn_window_get_example (window));
  g_object_set (window, "view", "rollout", NULL);
  gtk_widget_activate_action (GTK_WIDGET (view), "view.select-node", "(uu)", L, 0);
  attn_gtk_test_wait_until (heatmap_laid_out, window);
  return window;
}

static AttnWindow *
open_window (void)
{
  return open_window_at (1280, 800);
}

/* The pointer comes into @widget: its motion controllers' "enter" */
static void
pointer_enters (GtkWidget *widget)
{
  GListModel *controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        g_signal_emit_by_name (controller, "enter", 10., 10.);
    }
  g_object_unref (controllers);
}

static double
graph_zoom (AttnWindow *window)
{
  return attn_zoomable_get_zoom (ATTN_ZOOMABLE (attn_window_get_graph_view (window)));
}

static double
heatmap_zoom (AttnWindow *window)
{
  return attn_zoomable_get_zoom (ATTN_ZOOMABLE (window->heatmap_view));
}

/* The zoom buttons (win.zoom-in, -out, -fit) and Ctrl+0 act on the graph
 * or the heatmap, whichever last had the pointer or the keyboard focus; the
 * graph at first */
static void
test_buttons_follow_view (void)
{
  AttnWindow *window = open_window ();
  GtkWidget *graph = GTK_WIDGET (attn_window_get_graph_view (window));
  GtkWidget *heatmap = GTK_WIDGET (window->heatmap_view);

  /* at first the graph, and the buttons (in the heatmap's bar) say so (the
   * pointer put on it: where the display's pointer was decided it) */
  pointer_enters (graph);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (gtk_widget_get_first_child (window->zoom_box)), ==,
                   "Zoom the graph out (−)");
  gtk_test_accessible_assert_property (gtk_widget_get_first_child (window->zoom_box),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Zoom the Graph Out");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL);
  g_assert_cmpfloat_with_epsilon (graph_zoom (window), 1.25, 1e-9);
  g_assert_cmpfloat (heatmap_zoom (window), ==, 1.);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-fit", NULL);
  g_assert_cmpfloat (graph_zoom (window), ==, 1.);

  /* the pointer on the heatmap: the buttons zoom the heatmap */
  pointer_enters (heatmap);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (gtk_widget_get_last_child (window->zoom_box)), ==,
                   "Zoom the heatmap in (+)");
  gtk_test_accessible_assert_property (gtk_widget_get_last_child (window->zoom_box),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Zoom the Heatmap In");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL);
  g_assert_cmpfloat_with_epsilon (heatmap_zoom (window), 1.25 * 1.25, 1e-9);
  g_assert_cmpfloat (graph_zoom (window), ==, 1.);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-out", NULL);
  g_assert_cmpfloat_with_epsilon (heatmap_zoom (window), 1.25, 1e-9);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-fit", NULL);
  g_assert_cmpfloat (heatmap_zoom (window), ==, 1.);

  /* the keyboard focus in the graph: the graph again */
  g_assert_true (gtk_widget_grab_focus (graph));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL);
  g_assert_cmpfloat_with_epsilon (graph_zoom (window), 1.25, 1e-9);
  g_assert_cmpfloat (heatmap_zoom (window), ==, 1.);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-fit", NULL);

  /* the focus in the heatmap, then on a zoom button (a click moves it
   * there): Ctrl+0 on the window fits the heatmap, not the graph */
  g_assert_true (gtk_widget_grab_focus (heatmap));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL);
  attn_zoomable_set_zoom (ATTN_ZOOMABLE (graph), 2., 10., 10.);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (window->all_methods_check)));
  g_assert_cmpfloat_with_epsilon (heatmap_zoom (window), 1.25, 1e-9);
  g_assert_true (attn_gtk_test_press_key (GTK_WIDGET (window), GDK_KEY_0, GDK_CONTROL_MASK));
  g_assert_cmpfloat (heatmap_zoom (window), ==, 1.);
  g_assert_cmpfloat (graph_zoom (window), ==, 2.);

  /* and the pointer back on the graph */
  pointer_enters (graph);
  g_assert_true (attn_gtk_test_press_key (GTK_WIDGET (window), GDK_KEY_0, GDK_CONTROL_MASK));
  g_assert_cmpfloat (graph_zoom (window), ==, 1.);

  attn_gtk_test_close_window (window);
}

/* + and − zoom the graph about its selected node, which stays where it is
 * (about the centre, a node near the edge went out of view) */
static void
test_keys_keep_selection (void)
{
  AttnWindow *window = open_window ();
  AttnGraphView *view = attn_window_get_graph_view (window);
  AttnExample *example = attn_window_get_example (window);
  guint L = attn_example_get_n_layers (example), n = attn_example_get_n_tokens (example);
  double x0, y0, x, y;

  gtk_widget_activate_action (GTK_WIDGET (view), "view.select-node", "(uu)", L, n - 1);
  attn_gtk_test_wait_until (heatmap_laid_out, window);
  g_assert_true (attn_graph_view_node_to_widget (view, L, n - 1, &x0, &y0));
  g_assert_cmpfloat (x0, >, 0.75 * gtk_widget_get_width (GTK_WIDGET (view)));
  for (guint step = 0; step < 3; step++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL);
      g_assert_true (attn_graph_view_node_to_widget (view, L, n - 1, &x, &y));
      g_assert_cmpfloat_with_epsilon (x, x0, 1.);
      g_assert_cmpfloat_with_epsilon (y, y0, 1.);
    }
  /* and once the graph is laid out again at that zoom */
  attn_gtk_test_wait_until (heatmap_laid_out, window);
  g_assert_true (attn_graph_view_node_to_widget (view, L, n - 1, &x, &y));
  g_assert_cmpfloat_with_epsilon (x, x0, 1.);
  g_assert_cmpfloat_with_epsilon (y, y0, 1.);
  attn_gtk_test_close_window (window);
}

/* The origin of the heatmap's figure on screen */
static void
figure_origin (AttnFigureView *view,
               double         *x,
               double         *y)
{
  g_assert_true (attn_figure_view_figure_to_widget (view, 0., 0., x, y));
}

static gboolean
render_started (gpointer data)
{
  AttnGraphView *view = data;

  return view->render_cancellable != NULL && view->layout == NULL;
}

/* A graph whose example is replaced while its image is rendered: that
 * image is not shown, nor is its layout kept, which the pointer then hit
 * with the next example (a node of the 15-token example asked the 11-token
 * one for its token 14: a critical warning, now and then in the tests) */
static void
test_render_of_replaced_example (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "bert-base-uncased.json",
                                                 NULL);
  g_autoptr(AttnDocument) document = attn_document_load (path, NULL, NULL);
  AttnExample *first = attn_document_get_example (document, 0);
  AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
  g_autoptr(AttnGraph) graph = attn_graph_new (first, &options, NULL, NULL);
  g_autoptr(AttnGraphScene) scene = attn_graph_scene_new_for_method (graph, ATTN_METHOD_RAW, 0, -1, -1, NULL, NULL);
  GtkWidget *window = gtk_window_new ();
  AttnGraphView *view = ATTN_GRAPH_VIEW (attn_graph_view_new ());

  g_assert_nonnull (document);
  g_assert_cmpuint (attn_example_get_n_tokens (attn_document_get_example (document, 1)), <,
                    attn_example_get_n_tokens (first));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 500);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  attn_graph_view_set_example (view, first);
  attn_graph_view_set_scene (view, scene);
  attn_gtk_test_wait_until (render_started, view);
  attn_graph_view_set_example (view, attn_document_get_example (document, 1));
  /* what the render would have delivered */
  attn_gtk_test_run_for (500);
  g_assert_null (view->layout);
  g_assert_null (attn_graph_view_get_scene (view));
  /* and it is not drawing: no scene came for the example (the window said
   * “Drawing…” for good) */
  g_assert_false (attn_graph_view_is_rendering (view));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
compare_laid_out (gpointer data)
{
  GtkWidget *view = attn_gtk_test_find_descendant (data, ATTN_TYPE_FIGURE_VIEW, TRUE);

  return view != NULL && !attn_compare_window_is_busy (data) &&
         attn_figure_view_is_laid_out (ATTN_FIGURE_VIEW (view));
}

/* Ctrl+0 on a figure larger than its view at its opening zoom (a
 * comparison's blocks keep their width, its text readable, and the view
 * pans): back to that view, then the whole figure, then back (the
 * difference heatmaps were past the edge, and Ctrl+0 kept them there);
 * also where the figure is as tall as the view but narrower, centred across */
static void
test_figure_fit_toggles (void)
{
  AttnWindow *window = open_window ();
  const struct { int width, height; guint hidden; } sizes[] = {
    { 700, 500, 1 << GTK_POS_RIGHT | 1 << GTK_POS_BOTTOM },
    { 1250, 330, 1 << GTK_POS_BOTTOM },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      GtkWindow *compare = attn_compare_window_new (GTK_WINDOW (window), window->documents, 0,
                                                    ATTN_METHOD_ROLLOUT);
      AttnFigureView *view;

      gtk_window_set_default_size (compare, sizes[i].width, sizes[i].height);
      gtk_window_present (compare);
      attn_gtk_test_wait_until (compare_laid_out, compare);
      view = ATTN_FIGURE_VIEW (attn_gtk_test_find_descendant (GTK_WIDGET (compare), ATTN_TYPE_FIGURE_VIEW,
                                                              TRUE));
      g_test_message ("%d x %d: hidden sides %u", sizes[i].width, sizes[i].height,
                      attn_figure_view_get_hidden_sides (view));
      g_assert_cmpuint (attn_figure_view_get_hidden_sides (view), ==, sizes[i].hidden);
      attn_zoomable_set_zoom (ATTN_ZOOMABLE (view), 3., 10., 10.);
      for (guint round = 0; round < 2; round++)
        {
          attn_zoomable_zoom_to_fit (ATTN_ZOOMABLE (view));
          g_assert_cmpfloat (attn_zoomable_get_zoom (ATTN_ZOOMABLE (view)), ==, 1.);
          g_assert_cmpuint (attn_figure_view_get_hidden_sides (view), ==, sizes[i].hidden);
          attn_zoomable_zoom_to_fit (ATTN_ZOOMABLE (view));
          g_assert_cmpfloat (attn_zoomable_get_zoom (ATTN_ZOOMABLE (view)), <, 1.);
          g_assert_cmpuint (attn_figure_view_get_hidden_sides (view), ==, 0);
        }
      gtk_window_destroy (compare);
    }
  attn_gtk_test_close_window (window);
}

/* The arrow keys pan a figure without heatmap cells (over cells they move
 * the cell cursor) larger than its view by 40 px, each towards its side
 * (not past the edges), and leave one shown whole alone (the key goes on,
 * to move the focus) */
static void
test_figure_arrow_keys (void)
{
  AttnWindow *window = open_window ();
  AttnFigureView *view = window->heatmap_view;
  GtkWidget *widget = GTK_WIDGET (view);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  AttnGraphView *graph_view = attn_window_get_graph_view (window);
  g_autoptr(AttnFigure) graph_figure = attn_figure_new_from_scene (graph_view->scene, &graph_view->style);
  double x, y, x2, y2;

  attn_figure_view_set_figure (view, graph_figure);
  g_assert_true (attn_figure_view_is_laid_out (view));
  g_assert_cmpuint (attn_figure_get_n_grids (attn_figure_view_get_figure (view)), ==, 0);

  /* shown whole: nothing to pan; at the top (it was centred down: a short
   * heatmap sat under a blank band) */
  attn_zoomable_set_zoom (ATTN_ZOOMABLE (view), 0.01, width / 2., height / 2.);
  g_assert_cmpuint (attn_figure_view_get_hidden_sides (view), ==, 0);
  figure_origin (view, &x, &y);
  g_assert_cmpfloat (y, ==, 0.);
  g_assert_false (attn_gtk_test_press_key (widget, GDK_KEY_Right, 0));
  g_assert_false (attn_gtk_test_press_key (widget, GDK_KEY_Down, 0));
  figure_origin (view, &x2, &y2);
  g_assert_cmpfloat (x2, ==, x);
  g_assert_cmpfloat (y2, ==, y);

  /* zoomed in about the centre: more of it on every side */
  attn_zoomable_set_zoom (ATTN_ZOOMABLE (view), 8., width / 2., height / 2.);
  g_assert_cmpuint (attn_figure_view_get_hidden_sides (view), ==,
                    1 << GTK_POS_LEFT | 1 << GTK_POS_RIGHT | 1 << GTK_POS_TOP | 1 << GTK_POS_BOTTOM);
  {
    const struct { guint key; double dx, dy; } keys[] = {
      { GDK_KEY_Right, -40., 0. }, { GDK_KEY_Left, 40., 0. }, { GDK_KEY_Down, 0., -40. },
      { GDK_KEY_Up, 0., 40. }, { GDK_KEY_KP_Right, -40., 0. }, { GDK_KEY_KP_Down, 0., -40. },
    };

    /* an arrow key shows the focus, as Tab does (after a click on the
     * heatmap it is hidden) */
    gtk_window_set_focus_visible (GTK_WINDOW (window), FALSE);
    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        figure_origin (view, &x, &y);
        g_assert_true (attn_gtk_test_press_key (widget, keys[i].key, 0));
        g_assert_true (gtk_window_get_focus_visible (GTK_WINDOW (window)));
        figure_origin (view, &x2, &y2);
        g_assert_cmpfloat_with_epsilon (x2, x + keys[i].dx, 1e-6);
        g_assert_cmpfloat_with_epsilon (y2, y + keys[i].dy, 1e-6);
      }
  }
  /* up to the top left corner, and no further */
  for (int i = 0; i < 200 && attn_figure_view_get_hidden_sides (view) & (1 << GTK_POS_LEFT); i++)
    attn_gtk_test_press_key (widget, GDK_KEY_Left, 0);
  figure_origin (view, &x, &y);
  g_assert_cmpfloat (x, ==, 0.);
  g_assert_true (attn_gtk_test_press_key (widget, GDK_KEY_Left, 0));
  figure_origin (view, &x, &y);
  g_assert_cmpfloat (x, ==, 0.);

  /* the graph's arrows move its cursor, not the view */
  {
    AttnGraphView *graph = attn_window_get_graph_view (window);
    guint layer, position, layer2, position2;
    double pan_x = graph->pan_x, pan_y = graph->pan_y;

    attn_graph_view_get_cursor (graph, &layer, &position);
    g_assert_true (attn_gtk_test_press_key (GTK_WIDGET (graph), GDK_KEY_Right, 0));
    attn_graph_view_get_cursor (graph, &layer2, &position2);
    g_assert_cmpuint (layer2, ==, layer);
    g_assert_cmpuint (position2, ==, position + 1);
    g_assert_cmpfloat (graph->pan_x, ==, pan_x);
    g_assert_cmpfloat (graph->pan_y, ==, pan_y);
  }

  attn_gtk_test_close_window (window);
}

/* The nodes of @type in @node (rings: border nodes), in drawing order */
static void
collect_nodes (GskRenderNode     *node,
               GskRenderNodeType  type,
               GPtrArray         *found)
{
  if (gsk_render_node_get_node_type (node) == type)
    {
      g_ptr_array_add (found, node);
      return;
    }
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        collect_nodes (gsk_container_node_get_child (node, i), type, found);
      break;
    case GSK_CLIP_NODE:
      collect_nodes (gsk_clip_node_get_child (node), type, found);
      break;
    case GSK_ROUNDED_CLIP_NODE:
      collect_nodes (gsk_rounded_clip_node_get_child (node), type, found);
      break;
    case GSK_TRANSFORM_NODE:
      collect_nodes (gsk_transform_node_get_child (node), type, found);
      break;
    case GSK_OPACITY_NODE:
      collect_nodes (gsk_opacity_node_get_child (node), type, found);
      break;
    default:
      break;
    }
}

/* The rings @widget draws itself (its own snapshot, not its CSS's) */
static GPtrArray *
widget_borders (GtkWidget      *widget,
                GskRenderNode **node)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GPtrArray *borders = g_ptr_array_new ();

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  *node = gtk_snapshot_free_to_node (snapshot);
  if (*node != NULL)
    collect_nodes (*node, GSK_BORDER_NODE, borders);
  return borders;
}

/* The theme's accent colour, which libadwaita's focus rings take: blue */
static void
theme_accent (GtkWidget *widget,
              GdkRGBA   *accent)
{
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "accent_color", accent));
  g_assert_cmpfloat (accent->blue, >, accent->red + 0.3);
}

/* Gives @widget the visible focus. Under Xvfb without a window manager
 * the window is active only while no other window (another test's, run
 * beside this one on the display) has taken the input focus: it is shown
 * again until it has it, then nothing runs the main loop before the
 * snapshot */
static gboolean
focus_shown (gpointer data)
{
  GtkWidget *widget = data;
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (widget));

  if (!gtk_widget_has_visible_focus (widget))
    {
      gtk_window_present (window);
      gtk_widget_grab_focus (widget);
      gtk_window_set_focus_visible (window, TRUE);
    }
  return gtk_widget_has_visible_focus (widget);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
show_focus (GtkWidget *widget)
{
  guint tick = g_timeout_add (20, tick_cb, NULL);

  attn_gtk_test_wait_until (focus_shown, widget);
  g_source_remove (tick);
}

static void
assert_color (const GdkRGBA *color,
              const GdkRGBA *expected)
{
  g_assert_cmpfloat_with_epsilon (color->red, expected->red, 1e-3);
  g_assert_cmpfloat_with_epsilon (color->green, expected->green, 1e-3);
  g_assert_cmpfloat_with_epsilon (color->blue, expected->blue, 1e-3);
  g_assert_cmpfloat (color->alpha, ==, 1.);
}

/* The heatmap draws a 2 px focus ring, rounded and inset along its edges,
 * in the theme's accent colour, while it has the visible focus (and none
 * otherwise), in the light and the dark style */
static void
test_figure_focus_ring (void)
{
  AttnWindow *window = open_window ();
  GtkWidget *widget = GTK_WIDGET (window->heatmap_view);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  AdwStyleManager *manager = adw_style_manager_get_default ();

  for (int dark = 0; dark < 2; dark++)
    {
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GskRenderNode) node2 = NULL;
      g_autoptr(GPtrArray) borders = NULL;
      g_autoptr(GPtrArray) unfocused = NULL;
      const GskRoundedRect *outline;
      GdkRGBA accent;

      adw_style_manager_set_color_scheme (manager, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                        : ADW_COLOR_SCHEME_FORCE_LIGHT);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      theme_accent (widget, &accent);

      show_focus (widget);
      borders = widget_borders (widget, &node);
      g_assert_cmpuint (borders->len, ==, 1);
      outline = gsk_border_node_get_outline (borders->pdata[0]);
      g_assert_cmpfloat (outline->bounds.origin.x, >=, 0.);
      g_assert_cmpfloat (outline->bounds.origin.y, >=, 0.);
      g_assert_cmpfloat (outline->bounds.origin.x, <=, 2.);
      g_assert_cmpfloat (outline->bounds.origin.x + outline->bounds.size.width, <=, width);
      g_assert_cmpfloat (outline->bounds.origin.x + outline->bounds.size.width, >=, width - 2);
      g_assert_cmpfloat (outline->bounds.origin.y + outline->bounds.size.height, <=, height);
      g_assert_cmpfloat (outline->bounds.origin.y + outline->bounds.size.height, >=, height - 2);
      g_assert_cmpfloat (outline->corner[0].width, >, 0.);
      for (guint side = 0; side < 4; side++)
        {
          g_assert_cmpfloat (gsk_border_node_get_widths (borders->pdata[0])[side], ==, 2.);
          assert_color (&gsk_border_node_get_colors (borders->pdata[0])[side], &accent);
        }

      gtk_window_set_focus_visible (GTK_WINDOW (window), FALSE);
      unfocused = widget_borders (widget, &node2);
      g_assert_cmpuint (unfocused->len, ==, 0);
    }
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);

  attn_gtk_test_close_window (window);
}

/* The graph's keyboard cursor, on the selected node, is a ring in the
 * theme's accent colour (blue), not the selection's orange, and just
 * outside the selection's ring, in the light and the dark style */
static void
test_cursor_ring (void)
{
  AttnWindow *window = open_window ();
  AttnGraphView *view = attn_window_get_graph_view (window);
  GtkWidget *widget = GTK_WIDGET (view);
  AdwStyleManager *manager = adw_style_manager_get_default ();
  guint L = attn_example_get_n_layers (attn_window_get_example (window));

  /* the cursor on the selected node */
  attn_graph_view_set_cursor (view, L, 0);
  g_assert_true (gtk_widget_grab_focus (widget));
  gtk_window_set_focus_visible (GTK_WINDOW (window), TRUE);

  for (int dark = 0; dark < 2; dark++)
    {
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GPtrArray) borders = NULL;
      const GskRoundedRect *outline;
      GdkRGBA accent, selection;
      double x, y, s, r, ring;

      adw_style_manager_set_color_scheme (manager, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                        : ADW_COLOR_SCHEME_FORCE_LIGHT);
      attn_gtk_test_wait_until (heatmap_laid_out, window);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      attn_gtk_test_wait_until (heatmap_laid_out, window);
      g_assert_cmpint (view->style.dark, ==, dark);
      theme_accent (widget, &accent);
      selection = (GdkRGBA) { view->style.accent.red, view->style.accent.green, view->style.accent.blue, 1. };

      show_focus (widget);
      borders = widget_borders (widget, &node);
      g_assert_cmpuint (borders->len, ==, 1);
      for (guint side = 0; side < 4; side++)
        assert_color (&gsk_border_node_get_colors (borders->pdata[0])[side], &accent);
      /* far from the selection's colour */
      g_assert_cmpfloat (fabs (accent.red - selection.red) + fabs (accent.blue - selection.blue), >, 0.5);

      /* round about the node, its inner edge outside the selection's ring
       * (radius r + 3, 2 wide, both scaled) */
      g_assert_true (attn_graph_view_node_to_widget (view, L, 0, &x, &y));
      outline = gsk_border_node_get_outline (borders->pdata[0]);
      ring = outline->bounds.size.width / 2.;
      g_assert_cmpfloat_with_epsilon (outline->bounds.origin.x + ring, x, 1e-3);
      g_assert_cmpfloat_with_epsilon (outline->bounds.origin.y + outline->bounds.size.height / 2., y, 1e-3);
      s = _attn_graph_view_figure_scale (view);
      r = attn_graph_layout_get_node_radius (view->layout);
      g_assert_cmpfloat (ring - gsk_border_node_get_widths (borders->pdata[0])[0], >, (r + 4.) * s);
      g_assert_cmpfloat (ring, <, (r + 4.) * s + 8.);
    }
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);

  /* the ring hidden (GTK hides the focus a few seconds after the last key),
   * an arrow key moves the cursor and shows it again */
  show_focus (widget);
  gtk_window_set_focus_visible (GTK_WINDOW (window), FALSE);
  g_assert_false (gtk_widget_has_visible_focus (widget));
  gtk_widget_activate_action (widget, "view.move-cursor", "(ii)", 0, 1);
  g_assert_true (gtk_widget_has_visible_focus (widget));

  attn_gtk_test_close_window (window);
}

/* The outer bounds of the graph's keyboard cursor ring, in the widget, with
 * the cursor on node (@layer, @position) */
static graphene_rect_t
cursor_ring_bounds (AttnGraphView *view,
                    guint          layer,
                    guint          position)
{
  GtkWidget *widget = GTK_WIDGET (view);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GPtrArray) borders = NULL;

  attn_graph_view_set_cursor (view, layer, position);
  show_focus (widget);
  borders = widget_borders (widget, &node);
  g_assert_cmpuint (borders->len, ==, 1);
  return gsk_border_node_get_outline (borders->pdata[0])->bounds;
}

/* The keyboard cursor's ring on a node of the top row or of the input row
 * stays clear of every token label, above and below the graph, at
 * 1280 x 800 and at 900 x 600 (author-his, 6 layers): it overlapped the
 * label over (or under) its node by 2 px, touching its letters */
static void
test_cursor_ring_clear_of_labels (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "pronouns-minilm.json",
                                                 NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  const int sizes[][2] = { { 1280, 800 }, { 900, 600 } };

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      AttnWindow *window = attn_window_new (NULL);
      AttnGraphView *view = attn_window_get_graph_view (window);
      guint first, last, n, checked = 0, top = 0;
      double s;

      gtk_window_set_default_size (GTK_WINDOW (window), sizes[k][0], sizes[k][1]);
      gtk_window_present (GTK_WINDOW (window));
      attn_window_open_file (window, file);
      attn_gtk_test_wait_until (heatmap_laid_out, window);
      g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "author-his");
      /* (the default size holds the client-side decorations' shadows too) */
      g_assert_cmpint (ABS (gtk_widget_get_width (GTK_WIDGET (window)) - sizes[k][0]), <=, 30);
      s = _attn_graph_view_figure_scale (view);
      _attn_graph_view_layer_range (view, &first, &last);
      n = attn_example_get_n_tokens (attn_window_get_example (window));
      for (guint row = 0; row < 2; row++)
        for (guint p = 0; p < n; p++)
          {
            graphene_rect_t ring = cursor_ring_bounds (view, row ? last : first - 1, p);

            for (guint i = 0; i < attn_graph_layout_get_n_labels (view->layout); i++)
              {
                const AttnLabel *label = attn_graph_layout_get_label (view->layout, i);
                graphene_rect_t box;

                if (label->kind != ATTN_LABEL_TOKEN_TOP && label->kind != ATTN_LABEL_TOKEN_BOTTOM)
                  continue;
                top += label->kind == ATTN_LABEL_TOKEN_TOP;
                graphene_rect_init (&box, view->pan_x + s * label->box.x, view->pan_y + s * label->box.y,
                                    s * label->box.width, s * label->box.height);
                if (graphene_rect_intersection (&ring, &box, NULL))
                  g_error ("at %dx%d, the cursor ring of node (%u, %u) (%g..%g) overlaps the label “%s” (%g..%g)",
                           sizes[k][0], sizes[k][1], row ? last : first - 1, p, ring.origin.y,
                           ring.origin.y + ring.size.height, label->text, box.origin.y,
                           box.origin.y + box.size.height);
                checked++;
              }
          }
      /* the labels above the graph were there to overlap */
      g_assert_cmpuint (top, >, 0);
      g_assert_cmpuint (checked, >=, 2 * n * n);
      attn_gtk_test_close_window (window);
    }
}

/* The pointer moves to (@x, @y) in @widget, or GTK tells again that it is
 * there: its motion controllers' "motion" */
static void
pointer_at (GtkWidget *widget,
            double     x,
            double     y)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        g_signal_emit_by_name (controller, "motion", x, y);
    }
}

/* The node the keyboard cursor reached is told in the status line until
 * the pointer moves: GTK tells the graph again where a resting pointer is
 * whenever the window's layout changes (the status line's new text), and
 * the line went back at once to what was under the pointer */
static void
test_cursor_text_beats_still_pointer (void)
{
  AttnWindow *window = open_window ();
  AttnGraphView *view = attn_window_get_graph_view (window);
  GtkWidget *widget = GTK_WIDGET (view);
  guint L = attn_example_get_n_layers (attn_window_get_example (window));
  g_autofree char *under_pointer = _attn_graph_view_describe_node (view, L - 1, 0);
  g_autofree char *at_cursor = _attn_graph_view_describe_node (view, L, 1);
  double x, y;

  g_assert_true (attn_graph_view_node_to_widget (view, L - 1, 0, &x, &y));
  pointer_at (widget, x, y);
  g_assert_cmpstr (attn_graph_view_get_hover_text (view), ==, under_pointer);
  g_assert_cmpstr (gtk_label_get_text (window->selection_label), ==, under_pointer);

  /* the cursor, on the selected node (L, 0), one to the right */
  g_assert_true (gtk_widget_activate_action (widget, "view.move-cursor", "(ii)", 0, 1));
  g_assert_cmpstr (attn_graph_view_get_hover_text (view), ==, at_cursor);
  pointer_at (widget, x, y);
  g_assert_cmpstr (attn_graph_view_get_hover_text (view), ==, at_cursor);
  g_assert_cmpstr (gtk_label_get_text (window->selection_label), ==, at_cursor);

  /* the pointer moves: what is under it again */
  pointer_at (widget, x + 1., y);
  g_assert_cmpstr (attn_graph_view_get_hover_text (view), ==, under_pointer);
  g_assert_cmpstr (gtk_label_get_text (window->selection_label), ==, under_pointer);
  attn_gtk_test_close_window (window);
}

/* Every key of the graph's cursor shows its ring, and the ring stays once
 * the key is let go: after a click on a node the focus was hidden, an arrow
 * key showed it and GTK hid it again on the release (the focus had not
 * moved), so the cursor moved unseen; Space and Enter select the cursor's
 * node, ringed even when the ring had faded (found by QA) */
static void
test_cursor_keys_show_ring (void)
{
  AttnWindow *window = open_window ();
  AttnGraphView *view = attn_window_get_graph_view (window);
  GtkWidget *widget = GTK_WIDGET (view);
  AttnExample *example = attn_window_get_example (window);
  guint L = attn_example_get_n_layers (example), n = attn_example_get_n_tokens (example);
  const struct { guint key; guint layer, position; gboolean selects; } keys[] = {
    { GDK_KEY_Right, L, 3 }, { GDK_KEY_Right, L, 4 }, { GDK_KEY_Down, L - 1, 4 },
    { GDK_KEY_KP_Up, L, 4 }, { GDK_KEY_Home, L, 0 }, { GDK_KEY_End, L, n - 1 },
    { GDK_KEY_KP_Left, L, n - 2 }, { GDK_KEY_space, L, n - 2, TRUE }, { GDK_KEY_Left, L, n - 3 },
    { GDK_KEY_Return, L, n - 3, TRUE },
  };

  /* a click on "cat" at the top layer: the graph has the focus, not shown */
  g_assert_cmpstr (attn_example_get_token (example, 2), ==, "cat");
  gtk_widget_activate_action (widget, "view.select-node", "(uu)", L, 2);
  g_assert_true (gtk_widget_grab_focus (widget));
  attn_gtk_test_wait_idle (window);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GPtrArray) borders = NULL;
      const GskRoundedRect *outline;
      guint layer, position, selected_layer, selected_position;
      double x, y;

      /* the keys go to the focus of the window: it has the input focus
       * (another test's window beside this one may have taken it) */
      show_focus (widget);
      gtk_window_set_focus_visible (GTK_WINDOW (window), FALSE);
      g_assert_true (attn_gtk_test_press_key (widget, keys[i].key, 0));
      /* the window sees the release first: the focus stayed where it was,
       * so it hides the focus */
      gtk_window_set_focus_visible (GTK_WINDOW (window), FALSE);
      attn_gtk_test_release_key (widget, keys[i].key);
      g_assert_true (gtk_widget_is_focus (widget));
      g_assert_true (gtk_window_get_focus_visible (GTK_WINDOW (window)));
      attn_gtk_test_wait_idle (window);
      /* GTK hides the focus 3 s after a key shows it, by a timer of each
       * key here: in a slow run (the sanitizers') one of the keys before
       * may hide it while the node's trace is computed, and another
       * window may take the input focus meanwhile. Where the ring is
       * drawn is what follows. */
      show_focus (widget);

      attn_graph_view_get_cursor (view, &layer, &position);
      g_assert_cmpuint (layer, ==, keys[i].layer);
      g_assert_cmpuint (position, ==, keys[i].position);
      g_assert_true (attn_graph_view_get_selection (view, &selected_layer, &selected_position, NULL));
      g_assert_cmpuint (selected_layer, ==, L);
      if (keys[i].selects)
        g_assert_cmpuint (selected_position, ==, keys[i].position);
      /* the ring is drawn, about the cursor's node */
      borders = widget_borders (widget, &node);
      g_assert_cmpuint (borders->len, ==, 1);
      g_assert_true (attn_graph_view_node_to_widget (view, layer, position, &x, &y));
      outline = gsk_border_node_get_outline (borders->pdata[0]);
      g_assert_cmpfloat_with_epsilon (outline->bounds.origin.x + outline->bounds.size.width / 2., x, 1e-3);
      g_assert_cmpfloat_with_epsilon (outline->bounds.origin.y + outline->bounds.size.height / 2., y, 1e-3);
    }
  attn_gtk_test_close_window (window);
}

/* The value of the heatmap cell of block @block at (@layer, @position), as
 * the figure's table of values has it (Copy Values) */
static double
table_value (AttnFigure *figure,
             const char *block,
             guint       layer,
             guint       position)
{
  g_autofree char *table = attn_figure_get_values_table (figure);
  g_auto(GStrv) lines = g_strsplit (table, "\n", -1);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", 5);

      if (g_strv_length (fields) == 5 && g_str_equal (fields[0], block) &&
          g_ascii_strtoull (fields[1], NULL, 10) == layer && g_ascii_strtoull (fields[2], NULL, 10) == position)
        return fields[4][0] != '\0' ? g_ascii_strtod (fields[4], NULL) : NAN;
    }
  g_error ("no cell (%u, %u) of “%s” in the table of values", layer, position, block);
  return NAN;
}

/* The heatmap's cell cursor is on (@layer, @position) of its grid @grid:
 * its value is the table's; the readout, by the cell, and the view's
 * accessible description tell it in the pointer's tooltip's words (the
 * layer, the token, its position, the value, and the block where there
 * are several); it is outlined in the accent colour, round the cell, and
 * in sight. Returns its rectangle in the view. */
static graphene_rect_t
assert_cell_cursor (AttnWindow *window,
                    guint       grid,
                    guint       layer,
                    guint       position)
{
  AttnFigureView *view = window->heatmap_view;
  GtkWidget *widget = GTK_WIDGET (view);
  AttnFigure *figure = attn_figure_view_get_figure (view);
  AttnExample *example = attn_window_get_example (window);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GPtrArray) borders = NULL;
  g_autofree char *value_text = NULL;
  g_autofree char *cell_text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *hovered = NULL;
  guint g, l, p, outlined = 0;
  double value, fx, fy;
  const char *block;
  graphene_rect_t rect;
  GdkRGBA accent;

  g_assert_true (_attn_figure_view_get_cursor (view, &g, &l, &p, &value));
  g_assert_cmpuint (g, ==, grid);
  g_assert_cmpuint (l, ==, layer);
  g_assert_cmpuint (p, ==, position);
  g_assert_true (_attn_figure_view_get_cursor_rect (view, &rect));
  g_assert_true (_attn_figure_view_point_to_figure (view, rect.origin.x + rect.size.width / 2.,
                                                    rect.origin.y + rect.size.height / 2., &fx, &fy));
  block = attn_figure_get_block_at (figure, fx, fy);
  g_assert_nonnull (block);
  g_assert_cmpfloat (value, ==, table_value (figure, block, layer, position));

  value_text = attn_format_value (value);
  cell_text = g_strdup_printf ("Layer %u, “%s” (position %u): %s", layer, attn_example_get_token (example, position),
                               position, value_text);
  expected = attn_figure_get_n_grids (figure) > 1 ? g_strdup_printf ("%s · %s", block, cell_text)
                                                  : g_strdup (cell_text);
  g_assert_cmpstr (_attn_figure_view_get_readout (view), ==, expected);
  hovered = attn_figure_view_describe_at (view, rect.origin.x + rect.size.width / 2.,
                                          rect.origin.y + rect.size.height / 2.);
  g_assert_cmpstr (hovered, ==, expected);
  gtk_test_accessible_assert_property (widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);
  g_assert_null (gtk_widget_get_tooltip_text (widget));

  /* in sight, its middle not under labels kept in sight */
  g_assert_cmpfloat (rect.origin.x, >=, 0.);
  g_assert_cmpfloat (rect.origin.y, >=, 0.);
  g_assert_cmpfloat (rect.origin.x + rect.size.width, <=, gtk_widget_get_width (widget));
  g_assert_cmpfloat (rect.origin.y + rect.size.height, <=, gtk_widget_get_height (widget));

  /* the readout by the cell, off it, within the view */
  {
    graphene_rect_t bubble;

    g_assert_true (gtk_widget_compute_bounds (view->readout, widget, &bubble));
    g_assert_false (graphene_rect_intersection (&bubble, &rect, NULL));
    g_assert_cmpfloat (bubble.origin.x, >=, 0.);
    g_assert_cmpfloat (bubble.origin.y, >=, 0.);
    g_assert_cmpfloat (bubble.origin.x + bubble.size.width, <=, gtk_widget_get_width (widget));
    g_assert_cmpfloat (bubble.origin.y + bubble.size.height, <=, gtk_widget_get_height (widget));
    g_assert_cmpfloat (bubble.origin.x, <, rect.origin.x + rect.size.width);
    g_assert_cmpfloat (bubble.origin.x + bubble.size.width, >, rect.origin.x);
  }

  /* outlined: 2 px of accent round a pixel of the figure's background */
  theme_accent (widget, &accent);
  borders = widget_borders (widget, &node);
  for (guint i = 0; i < borders->len; i++)
    {
      const graphene_rect_t *b = &gsk_border_node_get_outline (borders->pdata[i])->bounds;
      const GdkRGBA *color = gsk_border_node_get_colors (borders->pdata[i]);

      if (gsk_border_node_get_widths (borders->pdata[i])[0] == 2. && fabs (color->red - accent.red) < 1e-3 &&
          fabs (color->blue - accent.blue) < 1e-3 && rect.size.width >= 6. && rect.size.height >= 6. &&
          fabs (b->origin.x - (rect.origin.x - 3.)) < 1e-3 && fabs (b->origin.y - (rect.origin.y - 3.)) < 1e-3 &&
          fabs (b->size.width - (rect.size.width + 6.)) < 1e-3 && fabs (b->size.height - (rect.size.height + 6.)) < 1e-3)
        outlined++;
    }
  g_assert_cmpuint (outlined, ==, rect.size.width >= 6. && rect.size.height >= 6. ? 1 : 0);
  return rect;
}

/* The cell cursor is hidden: no cursor, readout or outline round a cell, and
 * the view's description is the figure's caption again */
static void
assert_no_cell_cursor (AttnFigureView *view)
{
  graphene_rect_t rect;

  g_assert_false (_attn_figure_view_get_cursor (view, NULL, NULL, NULL, NULL));
  g_assert_false (_attn_figure_view_get_cursor_rect (view, &rect));
  g_assert_null (_attn_figure_view_get_readout (view));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       attn_figure_get_caption (attn_figure_view_get_figure (view)));
}

static guint wanted_position;

/* The heatmap shown is of the node at wanted_position */
static gboolean
heatmap_of_position (gpointer data)
{
  AttnWindow *window = data;
  g_autofree char *suffix = g_strdup_printf ("|%u", wanted_position);
  guint layer, position;

  return heatmap_laid_out (window) &&
         attn_graph_view_get_selection (attn_window_get_graph_view (window), &layer, &position, NULL) &&
         position == wanted_position && g_str_has_suffix (window->heatmap_key, suffix);
}

/* With the keyboard focus on the heatmap, the arrow keys move a cell
 * cursor over its cells (the first shows it on the top layer's first
 * token), Home and End go to the first and last token, Enter selects the
 * cell's node as a click does (the cursor stays, telling the new heatmap's
 * value), Escape hides it (then goes on to the window's), and so does the
 * focus leaving */
static void
test_heatmap_cell_cursor (void)
{
  AttnWindow *window = open_window ();
  AttnFigureView *view = window->heatmap_view;
  GtkWidget *widget = GTK_WIDGET (view);
  AttnGraphView *graph = attn_window_get_graph_view (window);
  AttnExample *example = attn_window_get_example (window);
  guint L = attn_example_get_n_layers (example), n = attn_example_get_n_tokens (example);
  const struct { guint key; guint layer, position; } keys[] = {
    { GDK_KEY_Right, L, 0 }, { GDK_KEY_Right, L, 1 }, { GDK_KEY_KP_Right, L, 2 }, { GDK_KEY_Down, L - 1, 2 },
    { GDK_KEY_Down, L - 2, 2 }, { GDK_KEY_KP_Up, L - 1, 2 }, { GDK_KEY_End, L - 1, n - 1 },
    { GDK_KEY_Right, L - 1, n - 1 }, { GDK_KEY_Home, L - 1, 0 }, { GDK_KEY_Left, L - 1, 0 },
    { GDK_KEY_Up, L, 0 }, { GDK_KEY_Up, L, 0 }, { GDK_KEY_Right, L, 1 }, { GDK_KEY_Right, L, 2 },
  };
  guint layer, position;

  g_assert_cmpuint (attn_figure_get_n_grids (attn_figure_view_get_figure (view)), ==, 1);
  g_assert_true (gtk_widget_grab_focus (widget));
  assert_no_cell_cursor (view);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_assert_true (attn_gtk_test_press_key (widget, keys[i].key, 0));
      assert_cell_cursor (window, 0, keys[i].layer, keys[i].position);
    }

  /* Enter: the node of the cursor's cell is selected; the heatmap, of its
   * position now, is told at the same cell */
  g_assert_true (attn_graph_view_get_selection (graph, &layer, &position, NULL));
  g_assert_cmpuint (position, ==, 0);
  g_assert_true (attn_gtk_test_press_key (widget, GDK_KEY_Return, 0));
  wanted_position = 2;
  attn_gtk_test_wait_until (heatmap_of_position, window);
  g_assert_true (attn_graph_view_get_selection (graph, &layer, &position, NULL));
  g_assert_cmpuint (layer, ==, L);
  g_assert_cmpuint (position, ==, 2);
  assert_cell_cursor (window, 0, L, 2);

  /* Escape hides it, and the selection stays; a second goes on to the window */
  g_assert_true (attn_gtk_test_press_key (widget, GDK_KEY_Escape, 0));
  assert_no_cell_cursor (view);
  g_assert_true (attn_graph_view_get_selection (graph, &layer, &position, NULL));
  g_assert_false (attn_gtk_test_press_key (widget, GDK_KEY_Escape, 0));
  g_assert_false (attn_gtk_test_press_key (widget, GDK_KEY_Return, 0));

  /* shown again where it was; gone when the focus leaves */
  g_assert_true (attn_gtk_test_press_key (widget, GDK_KEY_Left, 0));
  assert_cell_cursor (window, 0, L, 2);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (graph)));
  assert_no_cell_cursor (view);

  /* a click on a cell puts it there, as on the graph: the next key shows it
   * on that cell */
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
    GObject *click = NULL;
    AttnRect cell;
    double x, y;

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && click == NULL; i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_GESTURE_CLICK (controller))
          click = controller;
      }
    g_assert_nonnull (click);
    g_assert_true (attn_figure_get_cell (attn_figure_view_get_figure (view), 0, L - 3, 4, &cell));
    g_assert_true (attn_figure_view_figure_to_widget (view, cell.x + cell.width / 2., cell.y + cell.height / 2.,
                                                      &x, &y));
    g_signal_emit_by_name (click, "pressed", 1, x, y);
    g_signal_emit_by_name (click, "released", 1, x, y);
    wanted_position = 4;
    attn_gtk_test_wait_until (heatmap_of_position, window);
    assert_no_cell_cursor (view);
    g_assert_true (attn_gtk_test_press_key (widget, GDK_KEY_Down, 0));
    assert_cell_cursor (window, 0, L - 3, 4);
  }

  attn_gtk_test_close_window (window);
}

/* In a 900 x 600 window, the three methods' heatmaps (larger than their
 * panel, scrolled), and one zoomed in: the cursor's cell stays in sight,
 * off the labels kept in sight, the view panning with it, and goes on into
 * the block beside at a block's edge */
static void
test_heatmap_cell_cursor_pans (void)
{
  AttnWindow *window;
  AttnFigureView *view;
  GtkWidget *widget;
  AttnFigure *figure;
  guint L, n, pans = 0, grid, layer, position, last_grid = 0;
  double x0, y0, x, y;

  window = open_window_at (900, 600);
  g_settings_set_boolean (window->settings, "heatmap-all-methods", TRUE);
  attn_gtk_test_wait_until (heatmap_laid_out, window);
  view = window->heatmap_view;
  widget = GTK_WIDGET (view);
  figure = attn_figure_view_get_figure (view);
  L = attn_example_get_n_layers (attn_window_get_example (window));
  n = attn_example_get_n_tokens (attn_window_get_example (window));
  g_assert_cmpuint (attn_figure_get_n_grids (figure), ==, 3);
  g_test_message ("heatmap %d x %d, hidden sides %u", gtk_widget_get_width (widget), gtk_widget_get_height (widget),
                  attn_figure_view_get_hidden_sides (view));
  g_assert_cmpuint (attn_figure_view_get_hidden_sides (view), !=, 0);
  g_assert_true (gtk_widget_grab_focus (widget));

  for (guint zoomed = 0; zoomed < 2; zoomed++)
    {
      const guint steps[] = { GDK_KEY_Down, GDK_KEY_Right, GDK_KEY_Up, GDK_KEY_Left };

      /* every cell of the first block's bottom row, then on (or under) it
       * into the others, and back: each in sight */
      g_assert_true (attn_gtk_test_press_key (widget, GDK_KEY_Right, 0));
      for (guint k = 0; k < G_N_ELEMENTS (steps); k++)
        for (guint i = 0; i < (steps[k] == GDK_KEY_Down || steps[k] == GDK_KEY_Up ? L + 1 : 3 * n + 2); i++)
          {
            figure_origin (view, &x0, &y0);
            g_assert_true (attn_gtk_test_press_key (widget, steps[k], 0));
            g_assert_true (_attn_figure_view_get_cursor (view, &grid, &layer, &position, NULL));
            assert_cell_cursor (window, grid, layer, position);
            figure_origin (view, &x, &y);
            pans += x != x0 || y != y0;
            last_grid = MAX (last_grid, grid);
            {
              g_autoptr(GArray) bands = _attn_figure_view_get_pinned_bands (view);
              graphene_rect_t rect;

              g_assert_true (_attn_figure_view_get_cursor_rect (view, &rect));
              for (guint b = 0; b < bands->len; b++)
                g_assert_false (graphene_rect_contains_point (&g_array_index (bands, AttnPinnedBand, b).clip,
                                                              &GRAPHENE_POINT_INIT (rect.origin.x + rect.size.width / 2.,
                                                                                    rect.origin.y + rect.size.height / 2.)));
            }
          }
      g_test_message ("zoom %g: %u pans, to grid %u", attn_zoomable_get_zoom (ATTN_ZOOMABLE (view)), pans, last_grid);
      g_assert_cmpuint (pans, >, 0);
      g_assert_cmpuint (last_grid, ==, 2);
      pans = last_grid = 0;
      attn_zoomable_set_zoom (ATTN_ZOOMABLE (view), 6., 10., 10.);
    }
  g_settings_reset (window->settings, "heatmap-all-methods");
  attn_gtk_test_close_window (window);
}

/* The cursor's cell is told until the pointer moves: a pointer resting on
 * the heatmap (GTK tells it again where it is after a change of layout)
 * neither hides the readout nor brings its tooltip over it; moved, the
 * tooltip tells the pointer's cell and the readout goes */
static void
test_heatmap_cursor_beats_still_pointer (void)
{
  AttnWindow *window = open_window ();
  AttnFigureView *view = window->heatmap_view;
  GtkWidget *widget = GTK_WIDGET (view);
  guint L = attn_example_get_n_layers (attn_window_get_example (window));
  g_autofree char *under_pointer = NULL;
  graphene_rect_t rect;
  double x, y;

  g_assert_true (gtk_widget_grab_focus (widget));
  g_assert_true (attn_gtk_test_press_key (widget, GDK_KEY_Down, 0));
  rect = assert_cell_cursor (window, 0, L, 0);
  x = rect.origin.x + rect.size.width * 1.5;
  y = rect.origin.y + rect.size.height * 1.5;
  g_assert_true (attn_gtk_test_press_key (widget, GDK_KEY_Escape, 0));
  pointer_at (widget, x, y);
  under_pointer = attn_figure_view_describe_at (view, x, y);
  g_assert_nonnull (under_pointer);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (widget), ==, under_pointer);

  g_assert_true (attn_gtk_test_press_key (widget, GDK_KEY_Right, 0));
  assert_cell_cursor (window, 0, L, 0);
  pointer_at (widget, x, y);
  assert_cell_cursor (window, 0, L, 0);

  /* the pointer moves: its cell in the tooltip, the cursor's readout gone */
  pointer_at (widget, x + 1., y);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (widget), ==, under_pointer);
  g_assert_null (_attn_figure_view_get_readout (view));
  /* a key tells the cursor's cell again */
  g_assert_true (attn_gtk_test_press_key (widget, GDK_KEY_Right, 0));
  assert_cell_cursor (window, 0, L, 1);
  attn_gtk_test_close_window (window);
}

static gboolean
one_range_shown (gpointer data)
{
  AttnWindow *window = data;

  return heatmap_laid_out (window) &&
         attn_graph_scene_get_color_scale (attn_window_get_graph_view (window)->scene) == ATTN_COLOR_SCALE_GLOBAL;
}

static gboolean
graph_zoomed (gpointer data)
{
  AttnWindow *window = data;
  AttnGraphView *view = attn_window_get_graph_view (window);

  return heatmap_laid_out (window) && view->layout_zoom == view->zoom;
}

/* The colour of @texture at (@x, @y) */
static void
texture_pixel (GdkTexture *texture,
               int         x,
               int         y,
               GdkRGBA    *rgba)
{
  int width = gdk_texture_get_width (texture);
  g_autofree guchar *data = g_malloc ((gsize) width * gdk_texture_get_height (texture) * 4);
  guint32 p;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, width);
  g_assert_cmpint (y, <, gdk_texture_get_height (texture));
  gdk_texture_download (texture, data, width * 4);
  p = *(guint32 *) (data + ((gsize) y * width + x) * 4);
  *rgba = (GdkRGBA) { ((p >> 16) & 0xff) / 255., ((p >> 8) & 0xff) / 255., (p & 0xff) / 255., 1. };
}

/* The view zoomed in, its colour bar's band kept at its right edge: the
 * band holds the bar, its two scales' names (one range for all layers,
 * after a click) and is drawn over the graph, its bar yellow at the top and
 * dark at the foot (viridis); the figure's own bar hidden */
static void
assert_pinned_colorbar (AttnGraphView *view,
                        double         natural_height)
{
  GtkWidget *widget = GTK_WIDGET (view);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GPtrArray) textures = g_ptr_array_new ();
  g_autoptr(GPtrArray) colors = g_ptr_array_new ();
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GdkTexture *image = NULL;
  gboolean covered = FALSE;
  graphene_rect_t rect;
  AttnRect bar, band, own;
  GdkRGBA top, foot;
  guint names = 0;
  double h, x, y, s;

  attn_graph_layout_get_colorbar (view->layout, &bar);
  g_assert_true (attn_graph_view_layout_to_widget (view, bar.x, bar.y, &x, &y));
  g_test_message ("zoom %g: the bar laid out at %g, %g in a view %d x %d", view->zoom, x, y, width, height);
  g_assert_true (_attn_graph_view_pinned_colorbar (view, &rect, &h));
  g_test_message ("kept at %g, %g, %g x %g, the bar %g high (%g at the view's size)", rect.origin.x, rect.origin.y,
                  rect.size.width, rect.size.height, h, natural_height);
  /* in sight, at the right edge; its bar as high as not zoomed in, near enough */
  g_assert_cmpfloat (rect.origin.x, >, 0.);
  g_assert_cmpfloat (rect.origin.x + rect.size.width, ==, width);
  g_assert_cmpfloat (rect.origin.y, >=, 0.);
  g_assert_cmpfloat (rect.origin.y + rect.size.height, <=, height);
  g_assert_cmpfloat (fabs (h - natural_height), <, 0.1 * natural_height);
  /* the bar, its ticks either side and the scales' names in it */
  attn_graph_layout_get_colorbar_band (view->layout, h, &band);
  g_assert_cmpfloat (rect.size.width, ==, ceil (band.width));
  g_assert_cmpfloat (band.x, <, bar.x - 20.);
  g_assert_cmpfloat (band.x + band.width, >, bar.x + bar.width + 20.);
  for (guint i = 0; i < attn_graph_layout_get_n_labels (view->layout); i++)
    {
      const AttnLabel *label = attn_graph_layout_get_label (view->layout, i);

      if (label->kind != ATTN_LABEL_SCALE || label->index == G_MAXUINT)
        continue;
      names++;
      g_assert_cmpfloat (label->box.x, >=, band.x);
      g_assert_cmpfloat (label->box.x + label->box.width, <=, band.x + band.width);
    }
  g_assert_cmpuint (names, ==, 2);

  /* drawn last but for the cursor, over the graph */
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  collect_nodes (node, GSK_TEXTURE_NODE, textures);
  for (guint i = 0; i < textures->len; i++)
    {
      graphene_rect_t bounds;

      gsk_render_node_get_bounds (textures->pdata[i], &bounds);
      if (graphene_rect_equal (&bounds, &rect))
        image = gsk_texture_node_get_texture (textures->pdata[i]);
    }
  g_assert_nonnull (image);
  g_assert_true (image != view->texture);
  /* the figure's own bar, where it is in sight, covered: one bar */
  collect_nodes (node, GSK_COLOR_NODE, colors);
  attn_graph_layout_get_colorbar_band (view->layout, 0., &own);
  s = _attn_graph_view_figure_scale (view);
  for (guint i = 0; i < colors->len; i++)
    {
      graphene_rect_t bounds;

      gsk_render_node_get_bounds (colors->pdata[i], &bounds);
      covered |= fabs (bounds.origin.x - (view->pan_x + own.x * s)) < 0.01 &&
                 fabs (bounds.size.height - own.height * s) < 0.01 &&
                 gsk_color_node_get_color (colors->pdata[i])->alpha == 1.;
    }
  g_assert_true (covered);
  texture_pixel (image, (bar.x - band.x + bar.width / 2) * scale, (bar.y - band.y + 2) * scale, &top);
  texture_pixel (image, (bar.x - band.x + bar.width / 2) * scale, (bar.y - band.y + h - 2) * scale, &foot);
  g_test_message ("its bar's top %g %g %g, foot %g %g %g", top.red, top.green, top.blue, foot.red, foot.green,
                  foot.blue);
  g_assert_cmpfloat (top.red, >, 0.8);
  g_assert_cmpfloat (top.green, >, 0.8);
  g_assert_cmpfloat (top.blue, <, 0.4);
  g_assert_cmpfloat (foot.red + foot.green, <, 0.6);
}

/* Zoomed in, the layer names and tokens stay in sight at the view's left
 * and bottom edges, and the colour bar at its right edge (it scrolled
 * away with the graph, and a zoomed-in graph had no legend), with both its
 * scales on one range for all layers after a click; not zoomed in, the
 * figure's own bar is where the figure lays it out */
static void
test_pinned_colorbar (void)
{
  AttnWindow *window = open_window ();
  AttnGraphView *view = attn_window_get_graph_view (window);
  AttnZoomable *zoomable = ATTN_ZOOMABLE (view);
  int width = gtk_widget_get_width (GTK_WIDGET (view));
  graphene_rect_t rect;
  AttnRect bar;

  gtk_drop_down_set_selected (window->color_scale_dropdown, 1);
  attn_gtk_test_wait_until (one_range_shown, window);
  g_assert_true (attn_graph_layout_has_node_ticks (view->layout));
  attn_graph_layout_get_colorbar (view->layout, &bar);
  g_assert_false (_attn_graph_view_pinned_colorbar (view, &rect, NULL));

  /* about the top left corner: the bar far right of the view */
  attn_zoomable_set_zoom (zoomable, 4., 0., 0.);
  attn_gtk_test_wait_until (graph_zoomed, window);
  assert_pinned_colorbar (view, bar.height);
  /* panned to the right end and down, the same */
  attn_zoomable_pan (zoomable, -10. * width, -200.);
  attn_gtk_test_wait_until (graph_zoomed, window);
  assert_pinned_colorbar (view, bar.height);

  attn_zoomable_zoom_to_fit (zoomable);
  attn_gtk_test_wait_until (graph_zoomed, window);
  g_assert_false (_attn_graph_view_pinned_colorbar (view, &rect, NULL));

  gtk_drop_down_set_selected (window->color_scale_dropdown, 0);
  attn_gtk_test_wait_until (heatmap_laid_out, window);
  attn_gtk_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!attn_gtk_test_init (&argc, &argv, &status))
    return status;

  g_test_add_func ("/attn/gtk/zoom-focus/buttons-follow-view", test_buttons_follow_view);
  g_test_add_func ("/attn/gtk/zoom-focus/keys-keep-selection", test_keys_keep_selection);
  g_test_add_func ("/attn/gtk/zoom-focus/figure-arrow-keys", test_figure_arrow_keys);
  g_test_add_func ("/attn/gtk/zoom-focus/figure-fit-toggles", test_figure_fit_toggles);
  g_test_add_func ("/attn/gtk/zoom-focus/figure-focus-ring", test_figure_focus_ring);
  g_test_add_func ("/attn/gtk/zoom-focus/cursor-ring", test_cursor_ring);
  g_test_add_func ("/attn/gtk/zoom-focus/cursor-keys-show-ring", test_cursor_keys_show_ring);
  g_test_add_func ("/attn/gtk/zoom-focus/cursor-text-beats-still-pointer", test_cursor_text_beats_still_pointer);
  g_test_add_func ("/attn/gtk/zoom-focus/cursor-ring-clear-of-labels", test_cursor_ring_clear_of_labels);
  g_test_add_func ("/attn/gtk/zoom-focus/heatmap-cell-cursor", test_heatmap_cell_cursor);
  g_test_add_func ("/attn/gtk/zoom-focus/heatmap-cell-cursor-pans", test_heatmap_cell_cursor_pans);
  g_test_add_func ("/attn/gtk/zoom-focus/heatmap-cursor-beats-still-pointer", test_heatmap_cursor_beats_still_pointer);
  g_test_add_func ("/attn/gtk/zoom-focus/render-of-replaced-example", test_render_of_replaced_example);
  g_test_add_func ("/attn/gtk/zoom-focus/pinned-colorbar", test_pinned_colorbar);

  return g_test_run ();
}
