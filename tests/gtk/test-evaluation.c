/* test-evaluation.c: the evaluation window (Spearman's ρ per layer against a reference)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "attn-evaluation-window-private.h"
#include "attn-figure-view.h"
#include "attn-test-util.h"
#include "attn-window-private.h"

#include "gtk-test-util.h"

#define N_METHODS ATTN_N_METHODS

static gboolean
window_idle (gpointer data)
{
  AttnWindow *window = data;

  return attn_window_get_n_loading (window) == 0 && attn_window_get_example (window) != NULL &&
         !attn_window_is_busy (window);
}

static gboolean
evaluation_done (gpointer data)
{
  AttnEvaluationWindow *window = data;

  return !attn_evaluation_window_is_busy (window) &&
         attn_evaluation_window_get_summary (window, NULL, NULL, NULL, NULL, NULL, NULL);
}

static gboolean
evaluation_cleared (gpointer data)
{
  return attn_evaluation_window_is_busy (data) ||
         !attn_evaluation_window_get_summary (data, NULL, NULL, NULL, NULL, NULL, NULL);
}

static gboolean
evaluation_idle (gpointer data)
{
  return !attn_evaluation_window_is_busy (data);
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "examples", name, NULL);
}

/* What `attnflow-cli correlate PATH --reference REFERENCE ARGS…` prints */
static char *
run_correlate (const char *path,
               const char *reference,
               ...)
{
  g_auto(AttnTestRun) run = { 0 };
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, "correlate");
  g_ptr_array_add (argv, (char *) path);
  g_ptr_array_add (argv, "--reference");
  g_ptr_array_add (argv, (char *) reference);
  va_start (args, reference);
  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  attn_test_run_cli_v (&run, (const char * const *) argv->pdata);
  g_assert_cmpint (run.status, ==, 0);
  return g_steal_pointer (&run.out);
}

static char *
run_cli_csv (const char *path,
             const char *reference,
             gboolean    exclude_special)
{
  return run_correlate (path, reference, "--format", "csv",
                        exclude_special ? "--exclude-special" : NULL, NULL);
}

/* Whether the PNG images at @a and @b are the same, pixel for pixel */
static void
assert_same_png (const char *a,
                 const char *b)
{
  cairo_surface_t *first = cairo_image_surface_create_from_png (a);
  cairo_surface_t *second = cairo_image_surface_create_from_png (b);
  int w = cairo_image_surface_get_width (first), h = cairo_image_surface_get_height (first);

  g_assert_cmpint (cairo_surface_status (first), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_surface_status (second), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (second), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (second), ==, h);
  for (int y = 0; y < h; y++)
    g_assert_cmpmem (cairo_image_surface_get_data (first) + (gsize) y * cairo_image_surface_get_stride (first), w * 4,
                     cairo_image_surface_get_data (second) + (gsize) y * cairo_image_surface_get_stride (second), w * 4);
  cairo_surface_destroy (first);
  cairo_surface_destroy (second);
}

/* The command line's plot at the view's size (correlate --plot-size) is the
 * one saved, without the selected example's dashed line; over the
 * @weights (NULL: the attention, as by default) */
static void
assert_plot_is_cli (AttnEvaluationWindow *eval,
                    const char           *path,
                    const char           *weights,
                    const char           *dir)
{
  GtkWidget *plot_view = _attn_evaluation_window_get_plot_view (eval);
  GtkCheckButton *plot_example = _attn_evaluation_window_get_plot_example_check (eval);
  g_autofree char *png_path = g_build_filename (dir, "saved.png", NULL);
  g_autofree char *cli_png = g_build_filename (dir, "cli.png", NULL);
  g_autoptr(GFile) png_file = g_file_new_for_path (png_path);
  g_autofree char *size = NULL;

  attn_gtk_test_wait_until ((gboolean (*) (gpointer)) attn_figure_view_is_laid_out, plot_view);
  size = g_strdup_printf ("%dx%d", gtk_widget_get_width (plot_view), gtk_widget_get_height (plot_view));
  gtk_check_button_set_active (plot_example, FALSE);
  attn_evaluation_window_save_plot (eval, png_file);
  attn_gtk_test_wait_until (evaluation_idle, eval);
  g_free (run_correlate (path, "gradient", "--plot", cli_png, "--plot-size", size,
                         weights != NULL ? "--weights" : NULL, weights, NULL));
  assert_same_png (png_path, cli_png);
  gtk_check_button_set_active (plot_example, TRUE);
  g_unlink (cli_png);
  g_unlink (png_path);
}

static AttnWindow *
open_window_path (const char *path)
{
  AttnWindow *window = attn_gtk_test_open_file (path);

  attn_gtk_test_wait_until (window_idle, window);
  return window;
}

static AttnWindow *
open_window (const char *name)
{
  g_autofree char *path = data_path (name);

  return open_window_path (path);
}

static AttnEvaluationWindow *
find_evaluation_window (void)
{
  AttnEvaluationWindow *found = NULL;
  GList *list = gtk_window_list_toplevels ();

  for (GList *l = list; l != NULL; l = l->next)
    if (ATTN_IS_EVALUATION_WINDOW (l->data))
      found = l->data;
  g_list_free (list);
  return found;
}

/* ρ for every example of @path carrying references.gradient, straight from the core */
typedef struct
{
  guint   n_examples;
  guint   n_layers;
  double *rho;
  double *mean;
  double *std;
  guint  *nan_count;
} Expected;

static void
expected_clear (Expected *e)
{
  g_free (e->rho);
  g_free (e->mean);
  g_free (e->std);
  g_free (e->nan_count);
}

static void
expected_compute (Expected   *e,
                  const char *path,
                  double      residual)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = attn_document_load (path, NULL, &error);
  guint L;

  g_assert_no_error (error);
  L = e->n_layers = attn_example_get_n_layers (attn_document_get_example (document, 0));
  e->n_examples = attn_document_get_n_examples (document);
  e->rho = g_new (double, (gsize) e->n_examples * N_METHODS * L);
  for (guint i = 0; i < e->n_examples; i++)
    {
      AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
      g_autoptr(AttnGraph) graph = NULL;

      options.residual = residual;
      graph = attn_graph_new (attn_document_get_example (document, i), &options, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (attn_correlate_example (graph, "gradient", ATTN_CORRELATION_ALL, FALSE, NULL,
                                             e->rho + (gsize) i * N_METHODS * L, NULL, &error));
      g_assert_no_error (error);
    }
  e->mean = g_new (double, N_METHODS * L);
  e->std = g_new (double, N_METHODS * L);
  e->nan_count = g_new (guint, N_METHODS * L);
  attn_correlation_summarize (e->rho, e->n_examples, L, e->mean, e->std, e->nan_count);
}

static void
assert_same (double actual,
             double expected)
{
  if (isnan (expected))
    g_assert_true (isnan (actual));
  else
    g_assert_cmpfloat_with_epsilon (actual, expected, 1e-12);
}

static void
assert_summary (AttnEvaluationWindow *eval,
                const Expected       *e,
                guint                 example_index)
{
  guint n_examples, n_layers;
  const double *mean, *std, *example_rho;
  const guint *nan_count;

  g_assert_true (attn_evaluation_window_get_summary (eval, &n_examples, &n_layers, &mean, &std,
                                                     &nan_count, &example_rho));
  g_assert_cmpuint (n_examples, ==, e->n_examples);
  g_assert_cmpuint (n_layers, ==, e->n_layers);
  g_assert_nonnull (example_rho);
  for (guint i = 0; i < N_METHODS * n_layers; i++)
    {
      assert_same (mean[i], e->mean[i]);
      assert_same (std[i], e->std[i]);
      g_assert_cmpuint (nan_count[i], ==, e->nan_count[i]);
      assert_same (example_rho[i], e->rho[(gsize) example_index * N_METHODS * n_layers + i]);
    }
}

/* The means and standard deviations of raw and rollout published by the
 * CLI's fixture (numpy + scipy) */
static void
assert_fixture (AttnEvaluationWindow *eval)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "correlate-sst2.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *methods[] = { "raw", "rollout" };
  JsonObject *fixture;
  guint L;
  const double *mean, *std;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  fixture = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                           "all_tokens");
  g_assert_true (attn_evaluation_window_get_summary (eval, NULL, &L, &mean, &std, NULL, NULL));
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      JsonArray *means = json_object_get_array_member (json_object_get_object_member (fixture, "mean"),
                                                       methods[m]);
      JsonArray *stds = json_object_get_array_member (json_object_get_object_member (fixture, "std"),
                                                      methods[m]);

      g_assert_cmpuint (json_array_get_length (means), ==, L);
      for (guint l = 0; l < L; l++)
        {
          g_assert_cmpfloat_with_epsilon (mean[m * L + l], json_array_get_double_element (means, l), 1e-12);
          g_assert_cmpfloat_with_epsilon (std[m * L + l], json_array_get_double_element (stds, l), 1e-12);
        }
    }
}

static void
test_disabled_without_references (void)
{
  AttnWindow *window = open_window ("bert-base-uncased.json");

  /* no example carries references: no window, a toast says why and how */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (find_evaluation_window ());
  g_assert_nonnull (strstr (_attn_window_get_last_message (window), "--references blankout,gradient"));
  attn_gtk_test_close_window (window);
}

/* With no file open there is nothing to evaluate: greyed out as Compare is,
 * not a toast that told to export references */
static void
test_disabled_without_file (void)
{
  AttnWindow *window = attn_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (find_evaluation_window ());
  g_assert_null (_attn_window_get_last_message (window));
  attn_gtk_test_close_window (window);
}

static const int plot_widths[] = { 1100, 900, 1100 };

/* The plot's lower right corner is in sight in its view */
static gboolean
plot_whole (gpointer data)
{
  AttnEvaluationWindow *eval = data;
  AttnFigureView *view = ATTN_FIGURE_VIEW (_attn_evaluation_window_get_plot_view (eval));
  double w, h, x, y;

  attn_figure_get_size (attn_evaluation_window_get_figure (eval), &w, &h);
  return attn_figure_view_figure_to_widget (view, w, h, &x, &y) &&
         x <= gtk_widget_get_width (GTK_WIDGET (view)) + 0.5 &&
         y <= gtk_widget_get_height (GTK_WIDGET (view)) + 0.5;
}

/* The table's values; optionally the Layer column beside them, the
 * scrolled window they scroll sideways in and its adjustment */
static GtkGrid *
table_values (AttnEvaluationWindow  *eval,
              GtkGrid              **layers,
              GtkWidget            **scroller,
              GtkAdjustment        **h)
{
  GtkGrid *column = NULL;
  GtkGrid *values = _attn_evaluation_window_get_table (eval, &column);
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (values), GTK_TYPE_SCROLLED_WINDOW);

  if (layers != NULL)
    *layers = column;
  if (scroller != NULL)
    *scroller = scrolled;
  if (h != NULL)
    *h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled));
  return values;
}

/* Whether the values' cell at @column, @row is whole in the table's view */
static gboolean
cell_in_view (AttnEvaluationWindow *eval,
              guint                 column,
              guint                 row)
{
  GtkWidget *scroller;
  GtkGrid *values = table_values (eval, NULL, &scroller, NULL);
  GtkWidget *cell = gtk_grid_get_child_at (values, column, row);
  graphene_rect_t area, b;

  g_assert_nonnull (cell);
  return gtk_widget_compute_bounds (scroller, GTK_WIDGET (eval), &area) &&
         gtk_widget_compute_bounds (cell, GTK_WIDGET (eval), &b) &&
         b.origin.x >= area.origin.x && b.origin.x + b.size.width <= area.origin.x + area.size.width + 0.5;
}

/* The values scrolled to their end: the last column whole, the example's
 * beside the means, else the means' */
static gboolean
last_column_whole (gpointer data)
{
  GtkGrid *values = table_values (data, NULL, NULL, NULL);

  return cell_in_view (data, gtk_grid_get_child_at (values, 2 * N_METHODS - 1, 2) != NULL
                       ? 2 * N_METHODS - 1 : N_METHODS - 1, 2);
}

static gboolean values_scroll (gpointer data);

/* The handle between the table and the plot moved to @position: the
 * values narrower than their room */
static void
narrow_table (AttnEvaluationWindow *eval,
              int                   position)
{
  GtkWidget *scroller;

  table_values (eval, NULL, &scroller, NULL);
  gtk_paned_set_position (GTK_PANED (gtk_widget_get_ancestor (scroller, GTK_TYPE_PANED)), position);
  attn_gtk_test_wait_until (values_scroll, eval);
}

/* The values laid out as they are now: their scroller's range is their
 * width, or its own where they are narrower */
static gboolean
values_settled (gpointer data)
{
  GtkAdjustment *h;
  GtkGrid *values = table_values (data, NULL, NULL, &h);
  int natural;

  gtk_widget_measure (GTK_WIDGET (values), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return gtk_adjustment_get_page_size (h) > 0. &&
         fabs (gtk_adjustment_get_upper (h) - MAX (natural, gtk_adjustment_get_page_size (h))) <= 0.5;
}

/* Where the example's values are: beside the means (row 2 has a fourth
 * cell), or under them (the Layer column goes on past the means') */
static gboolean
example_beside (gpointer data)
{
  GtkGrid *values = table_values (data, NULL, NULL, NULL);

  return gtk_grid_get_child_at (values, N_METHODS, 2) != NULL && values_settled (data);
}

/* The values laid out wider than their room */
static gboolean
values_scroll (gpointer data)
{
  GtkAdjustment *h;

  table_values (data, NULL, NULL, &h);
  return values_settled (data) && gtk_adjustment_get_upper (h) > gtk_adjustment_get_page_size (h) + 0.5;
}

/* The values' scrollbar hidden (shown while they scrolled, hidden when
 * next laid out) */
static gboolean
scrollbar_hidden (gpointer data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (_attn_evaluation_window_get_table_scrollbar (data)));
}

static gboolean
example_under (gpointer data)
{
  GtkGrid *layers;
  guint L = 0;

  table_values (data, &layers, NULL, NULL);
  g_assert_true (attn_evaluation_window_get_summary (data, NULL, &L, NULL, NULL, NULL, NULL));
  return gtk_grid_get_child_at (layers, 0, L + 4) != NULL && values_settled (data);
}

/* The whole table in the width it has, nothing to scroll sideways: every
 * cell of the means and of the example whole in the table's view, on the
 * line of its layer's number; the example's values beside the means, or
 * @stacked under them, with a Layer column of their own (at 900 px they
 * went past the edge, to be scrolled to) */
static void
assert_table_fits (AttnEvaluationWindow *eval,
                   guint                 L,
                   gboolean              stacked)
{
  GtkGrid *layers;
  GtkWidget *scroller;
  GtkAdjustment *h;
  GtkGrid *values = table_values (eval, &layers, &scroller, &h);
  graphene_rect_t area;

  g_test_message ("%d px: the values %.0f px wide in %.0f px, the example's %s", gtk_widget_get_width (GTK_WIDGET (eval)),
                  gtk_adjustment_get_upper (h), gtk_adjustment_get_page_size (h), stacked ? "under" : "beside");
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), <=, gtk_adjustment_get_page_size (h) + 0.5);
  attn_gtk_test_wait_until (scrollbar_hidden, eval);
  g_assert_true (gtk_widget_compute_bounds (scroller, GTK_WIDGET (eval), &area));
  g_assert_cmpfloat (area.origin.x + area.size.width, <=, gtk_widget_get_width (GTK_WIDGET (eval)) + 0.5);
  for (guint l = 1; l <= L; l++)
    for (guint c = 0; c < 2 * N_METHODS; c++)
      {
        gboolean example = c >= N_METHODS;
        int column = example && stacked ? (int) (c - N_METHODS) : (int) c;
        int row = example && stacked ? (int) (L + 3 + l) : (int) (1 + l);
        GtkWidget *cell = gtk_grid_get_child_at (values, column, row);
        GtkWidget *layer = gtk_grid_get_child_at (layers, 0, row);
        g_autofree char *number = g_strdup_printf ("%u", l);
        graphene_rect_t a, b;

        g_assert_nonnull (cell);
        g_assert_nonnull (layer);
        g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cell)), ==, _attn_evaluation_window_get_cell_text (eval, l, c));
        g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (layer)), ==, number);
        g_assert_true (cell_in_view (eval, column, row));
        g_assert_true (gtk_widget_compute_bounds (layer, GTK_WIDGET (eval), &a));
        g_assert_true (gtk_widget_compute_bounds (cell, GTK_WIDGET (eval), &b));
        g_assert_cmpfloat_with_epsilon (a.origin.y, b.origin.y, 0.5);
        g_assert_cmpfloat (a.origin.x + a.size.width, <=, area.origin.x + 0.5);
      }
}

/* Unscrolled, the three methods' means are whole in the table's view (at
 * 900 px Flow's were cut off, the plot taking the width) */
static void
assert_means_whole (AttnEvaluationWindow *eval,
                    guint                 L)
{
  GtkAdjustment *h;

  table_values (eval, NULL, NULL, &h);
  g_assert_cmpfloat (gtk_adjustment_get_value (h), ==, 0.);
  for (guint row = 1; row <= 1 + L; row++)
    g_assert_true (cell_in_view (eval, N_METHODS - 1, row));
}

/* The table narrower than its values, scrolled to its end: every layer's
 * number is still in view, on the line of its values, the last column whole */
static void
assert_layers_in_view (AttnEvaluationWindow *eval,
                       guint                 L)
{
  GtkGrid *layers;
  GtkWidget *scroller;
  GtkAdjustment *h;
  GtkGrid *values = table_values (eval, &layers, &scroller, &h);
  graphene_rect_t area;

  g_test_message ("900 px: the values %.0f px wide in %.0f px", gtk_adjustment_get_upper (h),
                  gtk_adjustment_get_page_size (h));
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), >, gtk_adjustment_get_page_size (h));
  gtk_adjustment_set_value (h, gtk_adjustment_get_upper (h) - gtk_adjustment_get_page_size (h));
  attn_gtk_test_wait_until (last_column_whole, eval);
  g_assert_true (gtk_widget_compute_bounds (scroller, GTK_WIDGET (eval), &area));
  for (guint l = 1; l <= L; l++)
    {
      GtkWidget *layer = gtk_grid_get_child_at (layers, 0, 1 + l);
      GtkWidget *last = gtk_grid_get_child_at (values, N_METHODS - 1, 1 + l);
      g_autofree char *number = g_strdup_printf ("%u", l);
      graphene_rect_t a, b;

      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (layer)), ==, number);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (last)), ==,
                       _attn_evaluation_window_get_cell_text (eval, l, N_METHODS - 1));
      g_assert_true (gtk_widget_compute_bounds (layer, GTK_WIDGET (eval), &a));
      g_assert_true (gtk_widget_compute_bounds (last, GTK_WIDGET (eval), &b));
      g_assert_cmpfloat (a.origin.x, >=, 0.);
      g_assert_cmpfloat (a.origin.x + a.size.width, <=, area.origin.x + 0.5);
      g_assert_cmpfloat_with_epsilon (a.origin.y, b.origin.y, 0.5);
      g_assert_cmpfloat_with_epsilon (a.size.height, b.size.height, 0.5);
    }
  gtk_adjustment_set_value (h, 0.);
}

/* @text, taken, with U+2212 MINUS SIGN for its hyphens, as the table shows it */
static char *
minus_sign (char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "-", -1);

  g_free (text);
  return g_strjoinv ("−", parts);
}

static void
test_table (void)
{
  AttnWindow *window = open_window ("sst2-bert.json");
  g_autofree char *path = data_path ("sst2-bert.json");
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AttnEvaluationWindow *eval;
  Expected e = { 0 };
  g_autofree char *cell = NULL;
  g_autofree char *csv = NULL;
  const double *mean, *std;
  guint L;

  g_settings_reset (settings, "residual");
  expected_compute (&e, path, 0.5);
  g_assert_cmpuint (e.n_examples, ==, 5);

  /* through the action, as the menu and Ctrl+E do */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  g_assert_nonnull (eval);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (eval)) == GTK_WINDOW (window));
  attn_gtk_test_wait_until (evaluation_done, eval);

  g_assert_cmpstr (attn_evaluation_window_get_reference (eval), ==, "gradient");
  /* the main window's example is the one of the last columns */
  g_assert_true (attn_evaluation_window_get_example (eval) == attn_window_get_example (window));
  assert_summary (eval, &e, attn_example_get_index (attn_window_get_example (window)));
  assert_fixture (eval);

  /* the table shows those numbers, as the CLI prints them but for the
   * minus sign */
  g_assert_true (attn_evaluation_window_get_summary (eval, NULL, &L, &mean, &std, NULL, NULL));
  g_assert_cmpuint (L, ==, 12);
  for (guint l = 1; l <= L; l++)
    for (guint m = 0; m < N_METHODS; m++)
      {
        g_autofree char *expected = minus_sign (g_strdup_printf ("%+.3f ± %.3f", mean[m * L + l - 1],
                                                                 std[m * L + l - 1]));

        g_assert_cmpstr (_attn_evaluation_window_get_cell_text (eval, l, m), ==, expected);
      }
  cell = minus_sign (g_strdup_printf ("%+.3f", e.rho[2 * L + 11]));   /* example 0, flow, layer 12 */
  g_assert_cmpstr (_attn_evaluation_window_get_cell_text (eval, 12, 5), ==, cell);

  /* the plot */
  g_assert_nonnull (attn_evaluation_window_get_figure (eval));
  g_assert_cmpint (attn_figure_get_kind (attn_evaluation_window_get_figure (eval)), ==,
                   ATTN_FIGURE_EVALUATION);
  /* shown whole at 1100 px and, the table and plot sharing the width, at
   * 900 px (the means whole beside it, the example's values scrolling) and
   * again at 1100 px */
  for (guint i = 0; i < G_N_ELEMENTS (plot_widths); i++)
    {
      AttnFigureView *view = ATTN_FIGURE_VIEW (_attn_evaluation_window_get_plot_view (eval));
      double w, h, x, y;

      attn_gtk_test_resize (GTK_WINDOW (eval), plot_widths[i], 600);
      /* (the table and the plot share the width over more than one frame) */
      attn_gtk_test_wait_until (plot_whole, eval);
      attn_figure_get_size (attn_evaluation_window_get_figure (eval), &w, &h);
      g_assert_true (attn_figure_view_figure_to_widget (view, w, h, &x, &y));
      g_test_message ("%d px: the plot's corner at %.0f, %.0f of %d x %d", plot_widths[i], x, y,
                      gtk_widget_get_width (GTK_WIDGET (view)), gtk_widget_get_height (GTK_WIDGET (view)));
      g_assert_cmpfloat (x, <=, gtk_widget_get_width (GTK_WIDGET (view)) + 0.5);
      g_assert_cmpfloat (y, <=, gtk_widget_get_height (GTK_WIDGET (view)) + 0.5);
      if (plot_widths[i] == 900)
        {
          /* and with the handle moved, the values narrower than their room */
          attn_gtk_test_wait_until (example_under, eval);
          assert_table_fits (eval, L, TRUE);
          assert_means_whole (eval, L);
          narrow_table (eval, 300);
          assert_layers_in_view (eval, L);
        }
    }

  /* the main window's weights, which sst2-bert.json lacks: said */
  g_assert_null (strstr (_attn_evaluation_window_get_status (eval), "ALTI"));
  g_settings_set_string (settings, "weights", "alti");
  attn_gtk_test_wait_until (evaluation_done, eval);
  g_assert_nonnull (strstr (_attn_evaluation_window_get_status (eval),
                            "No example here carries ALTI weights: this is their attention"));
  g_settings_reset (settings, "weights");
  attn_gtk_test_wait_until (evaluation_done, eval);
  g_assert_null (strstr (_attn_evaluation_window_get_status (eval), "ALTI"));

  /* the CSV is the CLI's, byte for byte */
  csv = attn_evaluation_window_get_csv (eval);
  g_assert_nonnull (csv);
  {
    g_autofree char *out = run_cli_csv (path, "gradient", FALSE);
    g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);

    g_assert_cmpstr (csv, ==, out);
    /* which settings made the numbers: every row says */
    g_assert_cmpstr (lines[0], ==, "method,layer,mean,std,examples,nan_count,"
                                   "reference,weights,residual,heads,head_mix,exclude_special");
    g_assert_true (g_str_has_prefix (lines[36], "flow,12,"));
    g_assert_true (g_str_has_suffix (lines[36], ",gradient,attention,0.5,all,mean,false"));
  }

  /* saved: the CSV and the plot, in the background */
  {
    g_autofree char *dir = g_dir_make_tmp ("attnflow-evaluation-XXXXXX", NULL);
    g_autofree char *csv_path = g_build_filename (dir, "table.csv", NULL);
    g_autofree char *png_path = g_build_filename (dir, "plot.png", NULL);
    g_autofree char *svg_path = g_build_filename (dir, "plot.svg", NULL);
    g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
    g_autoptr(GFile) png_file = g_file_new_for_path (png_path);
    g_autoptr(GFile) svg_file = g_file_new_for_path (svg_path);
    g_autofree char *written = NULL;
    GtkWidget *plot_view = _attn_evaluation_window_get_plot_view (eval);
    cairo_surface_t *png;
    double w, h, natural_w, natural_h;

    g_assert_true (g_file_set_contents (csv_path, "old", -1, NULL));
    attn_gtk_test_wait_until ((gboolean (*) (gpointer)) attn_figure_view_is_laid_out, plot_view);
    attn_figure_get_size (attn_figure_view_get_figure (ATTN_FIGURE_VIEW (plot_view)), &w, &h);
    attn_evaluation_window_export_csv (eval, csv_file);
    attn_evaluation_window_save_plot (eval, png_file);
    attn_evaluation_window_save_plot (eval, svg_file);
    attn_gtk_test_wait_until (evaluation_idle, eval);
    g_assert_true (g_file_get_contents (csv_path, &written, NULL, NULL));
    g_assert_cmpstr (written, ==, csv);

    /* the plot as the view lays it out at its size (it was saved at its
     * natural size: 573 x 447 from a view of 444 x 493, shown 573 x 491) */
    png = cairo_image_surface_create_from_png (png_path);
    g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
    attn_figure_get_size (attn_evaluation_window_get_figure (eval), &natural_w, &natural_h);
    g_test_message ("plot view %d x %d, plot shown %g x %g, saved %d x %d, natural %g x %g",
                    gtk_widget_get_width (plot_view), gtk_widget_get_height (plot_view), w, h,
                    cairo_image_surface_get_width (png), cairo_image_surface_get_height (png), natural_w, natural_h);
    g_assert_cmpint (cairo_image_surface_get_width (png), ==, (int) ceil (w));
    g_assert_cmpint (cairo_image_surface_get_height (png), ==, (int) ceil (h));
    cairo_surface_destroy (png);
    g_assert_true (g_file_test (svg_path, G_FILE_TEST_IS_REGULAR));
    assert_plot_is_cli (eval, path, NULL, dir);
    g_assert_true (g_str_has_prefix (_attn_evaluation_window_get_last_message (eval), "Saved “"));

    /* an extension that names no format: nothing is written, a toast says why */
    {
      g_autofree char *txt_path = g_build_filename (dir, "plot.txt", NULL);
      g_autoptr(GFile) txt_file = g_file_new_for_path (txt_path);

      attn_evaluation_window_save_plot (eval, txt_file);
      g_assert_false (g_file_test (txt_path, G_FILE_TEST_EXISTS));
      g_assert_cmpstr (_attn_evaluation_window_get_last_message (eval), ==,
                       "Cannot tell the figure format of “plot.txt”: the name must end in .png, .svg or .pdf");
    }
    /* a folder that does not exist: the file named once, and why (GIO's
     * “Error opening file “…/table.csv”: …” named it a second time) */
    {
      g_autofree char *missing = g_build_filename (dir, "missing", "table.csv", NULL);
      g_autoptr(GFile) missing_file = g_file_new_for_path (missing);

      attn_evaluation_window_export_csv (eval, missing_file);
      attn_gtk_test_wait_until (evaluation_idle, eval);
      g_assert_cmpstr (_attn_evaluation_window_get_last_message (eval), ==,
                       "Could not save “table.csv”: its folder does not exist");
    }

    g_unlink (csv_path);
    g_unlink (png_path);
    g_unlink (svg_path);
    g_rmdir (dir);
  }

  /* the main window's settings: α = 0.3 recomputes */
  {
    Expected e3 = { 0 };

    expected_compute (&e3, path, 0.3);
    g_settings_set_double (settings, "residual", 0.3);
    /* the old result goes at once (the change may arrive through the main loop) */
    attn_gtk_test_wait_until (evaluation_cleared, eval);
    attn_gtk_test_wait_until (evaluation_done, eval);
    assert_summary (eval, &e3, attn_example_get_index (attn_evaluation_window_get_example (eval)));
    g_settings_reset (settings, "residual");
    attn_gtk_test_wait_until (evaluation_done, eval);
    expected_clear (&e3);
  }

  /* closing it mid-computation is fine */
  g_assert_true (attn_evaluation_window_set_reference (eval, "gradient"));
  g_assert_true (attn_evaluation_window_is_busy (eval));
  g_assert_false (attn_evaluation_window_set_reference (eval, "no-such-reference"));
  attn_gtk_test_close_window (eval);
  attn_gtk_test_wait_until (window_idle, window);
  attn_gtk_test_close_window (window);
  expected_clear (&e);
}

/* The heading of the table's means */
static const char *
table_heading (AttnEvaluationWindow *eval)
{
  GtkGrid *layers;
  GtkWidget *label = gtk_grid_get_child_at (_attn_evaluation_window_get_table (eval, &layers), 0, 0);

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_label_get_text (GTK_LABEL (label));
}

/* A constant side gives NaN, shown and counted as the CLI does, special
 * tokens left out as the window's setting says */
static void
test_nan (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "cli", "data", "tiny.json", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *csv = NULL;
  g_autofree char *out = NULL;
  AttnWindow *window;
  AttnEvaluationWindow *eval;
  const guint *nan_count;
  const double *mean;
  gpointer weak;

  g_settings_set_boolean (settings, "evaluation-exclude-special", TRUE);
  window = open_window_path (path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  g_assert_nonnull (eval);
  attn_gtk_test_wait_until (evaluation_done, eval);

  g_assert_cmpstr (attn_evaluation_window_get_reference (eval), ==, "score");
  g_assert_true (attn_evaluation_window_get_summary (eval, NULL, NULL, &mean, NULL, &nan_count, NULL));
  g_assert_true (isnan (mean[0]));
  g_assert_cmpuint (nan_count[0], ==, 1);
  g_assert_cmpstr (_attn_evaluation_window_get_cell_text (eval, 1, 1), ==, "NaN (1 NaN)");
  g_assert_cmpstr (_attn_evaluation_window_get_cell_text (eval, 2, 5), ==, "NaN");
  /* the heading does not say "over 1 example": there is no mean */
  g_assert_cmpstr (table_heading (eval), ==, "No mean: every example’s ρ is NaN (a constant side)");

  csv = attn_evaluation_window_get_csv (eval);
  out = run_cli_csv (path, "score", TRUE);
  g_assert_cmpstr (csv, ==, out);
  /* the rows say special tokens were left out */
  g_assert_nonnull (strstr (csv, "\nraw,1,,,0,1,score,attention,0.5,all,mean,true\n"));
  g_settings_reset (settings, "evaluation-exclude-special");

  /* the evaluation goes with its main window */
  weak = eval;
  g_object_add_weak_pointer (G_OBJECT (eval), &weak);
  attn_gtk_test_close_window (window);
  attn_gtk_test_wait_until (attn_gtk_test_is_null, &weak);
}

/* The main window closed while its evaluation computes: the evaluation goes
 * with it, and its computation, finishing later, frees it cleanly (it let
 * go of the main window, already freed, and crashed) */
static void
test_closed_while_computing (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AttnWindow *window = open_window ("sst2-bert.json");
  AttnEvaluationWindow *eval;
  gpointer weak;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  attn_gtk_test_wait_until (evaluation_done, eval);
  weak = eval;
  g_object_add_weak_pointer (G_OBJECT (eval), &weak);
  /* a new α: computed again */
  g_settings_set_double (settings, "residual", 0.3);
  attn_gtk_test_wait_until (evaluation_cleared, eval);
  g_assert_true (attn_evaluation_window_is_busy (eval));
  attn_gtk_test_close_window (window);
  attn_gtk_test_wait_until (attn_gtk_test_is_null, &weak);
  g_settings_reset (settings, "residual");
}

/* The evaluation is one of the application's windows: Ctrl+Q quits from it,
 * computing or not, as from the main window (it did nothing there) */
static void
test_quit_key (void)
{
  AttnWindow *window = attn_gtk_test_app_window ();
  g_autofree char *path = data_path ("sst2-bert.json");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AttnEvaluationWindow *eval;
  gpointer weak, weak_window = window;

  attn_window_open_file (window, file);
  attn_gtk_test_wait_until (window_idle, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  weak = eval;
  g_object_add_weak_pointer (G_OBJECT (eval), &weak);
  g_object_add_weak_pointer (G_OBJECT (window), &weak_window);
  g_assert_true (attn_gtk_test_press_key (GTK_WIDGET (eval), GDK_KEY_q, GDK_CONTROL_MASK));
  attn_gtk_test_wait_until (attn_gtk_test_is_null, &weak);
  attn_gtk_test_wait_until (attn_gtk_test_is_null, &weak_window);
}

/* An example whose ρ is undefined at every layer (its reference is
 * constant): no dashed line to name in the legend, and the caption says why,
 * naming the example, which has no id, by its index (it said “1: no dashed
 * line”) */
static void
test_example_undefined (void)
{
  static const char json[] =
    "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
    "{\"id\": \"varied\", \"tokens\": [\"a\", \"b\", \"c\"], \"references\": {\"score\": [0.1, 0.5, 0.2]},"
    " \"attention\": [[[0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.1, 0.3, 0.6]]]},"
    "{\"tokens\": [\"a\", \"b\", \"c\"], \"references\": {\"score\": [0.3, 0.3, 0.3]},"
    " \"attention\": [[[0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.1, 0.3, 0.6]]]}]}";
  g_autofree char *dir = g_dir_make_tmp ("attnflow-eval-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "flat.json", NULL);
  AttnEvaluationWindow *eval;
  AttnWindow *window;
  AttnFigure *figure;

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  window = open_window_path (path);
  attn_window_set_example (window, 1);
  attn_gtk_test_wait_idle (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  attn_gtk_test_wait_until (evaluation_done, eval);
  g_assert_cmpuint (attn_example_get_index (attn_evaluation_window_get_example (eval)), ==, 1);
  g_assert_null (attn_example_get_id (attn_evaluation_window_get_example (eval)));
  /* the means are over "varied" alone */
  g_assert_cmpstr (table_heading (eval), ==, "Mean ± std over 1 of 2 examples (1 NaN left out)");

  figure = attn_evaluation_window_get_figure (eval);
  g_assert_nonnull (figure);
  g_assert_nonnull (strstr (attn_figure_get_caption (figure),
                            "\nExample 1 (no id): no dashed line, its ρ is undefined at every layer "
                            "(a constant side)"));
  for (guint i = 0; i < attn_figure_get_n_labels (figure); i++)
    g_assert_null (strstr (attn_figure_get_label (figure, i)->text, "(dashed)"));

  attn_gtk_test_close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* A drop-down whose chosen item reads @text */
static gboolean
is_dropdown_choosing (GtkWidget     *widget,
                      gconstpointer  text)
{
  GtkStringObject *item;

  if (!GTK_IS_DROP_DOWN (widget))
    return FALSE;
  item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (widget));
  return GTK_IS_STRING_OBJECT (item) && g_strcmp0 (gtk_string_object_get_string (item), text) == 0;
}

/* An example's id of 150 characters: the Example drop-down shortens it
 * (“…”) and stays in the left pane, the list shows it whole; the drop-down
 * took the id's width, widening the pane under the plot, cutting the
 * table's title mid-word and squeezing the plot (found by QA) */
static void
test_long_id (void)
{
  g_autofree char *id = g_strnfill (150, 'x');
  g_autofree char *json = g_strdup_printf (
    "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
    "{\"id\": \"%s\", \"tokens\": [\"a\", \"b\", \"c\"], \"references\": {\"gradient\": [0.1, 0.5, 0.2]},"
    " \"attention\": [[[0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.1, 0.3, 0.6]]]}]}", id);
  g_autofree char *dir = g_dir_make_tmp ("attnflow-eval-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "long.json", NULL);
  GtkWidget *plot_view, *name, *dropdown;
  AttnEvaluationWindow *eval;
  AttnWindow *window;
  graphene_point_t right, plot, origin = GRAPHENE_POINT_INIT (0, 0);

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  window = open_window_path (path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  attn_gtk_test_resize (GTK_WINDOW (eval), 1100, 600);
  attn_gtk_test_wait_until (evaluation_done, eval);
  plot_view = _attn_evaluation_window_get_plot_view (eval);
  attn_gtk_test_wait_until ((gboolean (*) (gpointer)) attn_figure_view_is_laid_out, plot_view);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  dropdown = attn_gtk_test_find_widget (GTK_WIDGET (eval), is_dropdown_choosing, id);
  g_assert_nonnull (dropdown);
  name = attn_gtk_test_find_widget (dropdown, attn_gtk_test_is_label_reading, id);
  g_assert_nonnull (name);
  g_assert_true (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (name))));
  /* the drop-down ends left of the plot */
  g_assert_true (gtk_widget_compute_point (dropdown, GTK_WIDGET (eval),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (dropdown), 0), &right));
  g_assert_true (gtk_widget_compute_point (plot_view, GTK_WIDGET (eval), &origin, &plot));
  g_test_message ("the drop-down ends at %g, the plot starts at %g", right.x, plot.x);
  g_assert_cmpfloat (right.x, <=, plot.x);
  /* its list shows it whole, wrapped at 50 characters' width */
  attn_gtk_test_assert_list_whole (GTK_DROP_DOWN (dropdown), 40);

  attn_gtk_test_close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* Another file chosen in the window: its plot is shown whole again, the
 * table and the plot sharing the width anew */
static gboolean
plot_whole_unshaded (gpointer data)
{
  AttnEvaluationWindow *eval = data;
  AttnFigureView *view = ATTN_FIGURE_VIEW (_attn_evaluation_window_get_plot_view (eval));

  return plot_whole (eval) && attn_figure_view_get_hidden_sides (view) == 0;
}

static void
test_switch_file (void)
{
  AttnWindow *window = attn_window_new (NULL);
  AttnEvaluationWindow *eval;
  GtkDropDown *files;
  GListModel *names;
  guint sst2 = G_MAXUINT;

  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_bundled (window);
  attn_gtk_test_wait_until (window_idle, window);
  attn_window_set_example (window, 4);        /* pronouns-minilm.json: author-his */
  attn_gtk_test_wait_until (window_idle, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  attn_gtk_test_resize (GTK_WINDOW (eval), 1100, 600);
  attn_gtk_test_wait_until (evaluation_done, eval);
  attn_gtk_test_wait_until (plot_whole_unshaded, eval);

  files = _attn_evaluation_window_get_file_dropdown (eval);
  names = gtk_drop_down_get_model (files);
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "sst2-bert.json"))
      sst2 = i;
  g_assert_cmpuint (sst2, !=, G_MAXUINT);
  g_assert_cmpuint (gtk_drop_down_get_selected (files), !=, sst2);
  gtk_drop_down_set_selected (files, sst2);
  attn_gtk_test_wait_until (evaluation_done, eval);
  attn_gtk_test_wait_until (plot_whole_unshaded, eval);

  gtk_window_destroy (GTK_WINDOW (eval));
  attn_gtk_test_close_window (window);
}

/* Two files of the same name in two folders (the same sentences exported
 * by two models): the file drop-down and the settings line under it, which
 * the saved plot's caption repeats, tell them apart by their folders, as
 * the example picker does (both read "sst2-bert.json") */
static void
test_same_file_names (void)
{
  g_autofree char *dir = g_dir_make_tmp ("attnflow-evaluation-XXXXXX", NULL);
  g_autofree char *source = data_path ("sst2-bert.json");
  g_autofree char *contents = NULL;
  const char *models[] = { "bert", "distilbert" };
  GFile *files[G_N_ELEMENTS (models)];
  AttnWindow *window = attn_window_new (NULL);
  AttnEvaluationWindow *eval;
  GtkDropDown *dropdown;
  GListModel *names;
  gsize length;

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autofree char *folder = g_build_filename (dir, models[i], NULL);
      g_autofree char *path = g_build_filename (folder, "sst2-bert.json", NULL);

      g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
      g_assert_true (g_file_set_contents (path, contents, length, NULL));
      files[i] = g_file_new_for_path (path);
    }
  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_files (window, files, G_N_ELEMENTS (files));
  attn_gtk_test_wait_until (window_idle, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  attn_gtk_test_wait_until (evaluation_done, eval);

  dropdown = _attn_evaluation_window_get_file_dropdown (eval);
  names = gtk_drop_down_get_model (dropdown);
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 0), ==, "bert/sst2-bert.json");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 1), ==, "distilbert/sst2-bert.json");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 0);
  g_assert_true (g_str_has_prefix (_attn_evaluation_window_get_settings_text (eval),
                                   "bert/sst2-bert.json: 5 examples;"));
  /* the plot's caption names the file as `attnflow-cli correlate --plot`
   * does, by its base name: the saved plot is the CLI's, pixel for pixel
   * (10,572 pixels differed, “bert/sst2-bert.json” against “sst2-bert.json”) */
  g_assert_true (g_str_has_prefix (attn_figure_get_caption (attn_evaluation_window_get_figure (eval)),
                                   "sst2-bert.json: 5 examples;"));
  {
    g_autofree char *path = g_file_get_path (files[0]);

    assert_plot_is_cli (eval, path, NULL, dir);
  }
  gtk_drop_down_set_selected (dropdown, 1);
  attn_gtk_test_wait_until (evaluation_done, eval);
  g_assert_true (g_str_has_prefix (_attn_evaluation_window_get_settings_text (eval),
                                   "distilbert/sst2-bert.json: 5 examples;"));
  g_assert_true (g_str_has_prefix (attn_figure_get_caption (attn_evaluation_window_get_figure (eval)),
                                   "sst2-bert.json: 5 examples;"));

  gtk_window_destroy (GTK_WINDOW (eval));
  attn_gtk_test_close_window (window);
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autoptr(GFile) folder = g_file_get_parent (files[i]);

      g_assert_true (g_file_delete (files[i], NULL, NULL));
      g_assert_true (g_file_delete (folder, NULL, NULL));
      g_object_unref (files[i]);
    }
  g_rmdir (dir);
}

/* A check button whose label starts with @label */
static gboolean
is_check_labelled (GtkWidget     *widget,
                   gconstpointer  label)
{
  return GTK_IS_CHECK_BUTTON (widget) &&
         g_str_has_prefix (gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)), label);
}

static GtkCheckButton *
find_check (GtkWidget  *widget,
            const char *label)
{
  return GTK_CHECK_BUTTON (attn_gtk_test_find_widget (widget, is_check_labelled, label));
}

/* Opened again, the window keeps the reference chosen and whether special
 * tokens are left out (it went back to gradient and the main window's
 * colour-scale setting; found by QA); the main window's setting is not
 * changed by it */
static void
test_remembers_choices (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AttnWindow *window = attn_window_new (NULL);
  AttnEvaluationWindow *eval;

  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_bundled (window);
  attn_gtk_test_wait_until (window_idle, window);
  attn_window_set_example (window, 4);        /* pronouns-minilm.json: blankout and gradient */
  attn_gtk_test_wait_until (window_idle, window);
  /* chosen last time for a file that had it: gradient here, not the first */
  g_settings_set_string (settings, "evaluation-reference", "score");
  for (guint round = 0; round < 2; round++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
      eval = find_evaluation_window ();
      attn_gtk_test_wait_until (evaluation_done, eval);
      if (round == 0)
        {
          g_assert_cmpstr (attn_evaluation_window_get_reference (eval), ==, "gradient");
          g_assert_false (gtk_check_button_get_active (find_check (GTK_WIDGET (eval), "_Leave")));
          g_assert_true (attn_evaluation_window_set_reference (eval, "blankout"));
          gtk_check_button_set_active (find_check (GTK_WIDGET (eval), "_Leave"), TRUE);
          attn_gtk_test_wait_until (evaluation_done, eval);
        }
      else
        {
          g_assert_cmpstr (attn_evaluation_window_get_reference (eval), ==, "blankout");
          g_assert_true (gtk_check_button_get_active (find_check (GTK_WIDGET (eval), "_Leave")));
        }
      gtk_window_destroy (GTK_WINDOW (eval));
    }
  g_assert_false (g_settings_get_boolean (settings, "exclude-special"));
  g_settings_reset (settings, "evaluation-reference");
  g_settings_reset (settings, "evaluation-exclude-special");
  attn_gtk_test_close_window (window);
}

/* The settings line and the plot's caption name the weights as the table
 * and the legend do (“GlobEnc”; they said “weights globenc”), the command
 * line of the line's tooltip by the keyword --weights takes; the plot saved
 * is still correlate --plot's, pixel for pixel (whose caption said “weights
 * globenc”, “weights attn-grad”) */
static void
test_weights_named (void)
{
  const char *line = "pronouns-minilm.json: 44 examples; weights GlobEnc (the residual is in them); "
                     "heads do not apply (weights without heads); all tokens ranked";
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *dir = g_dir_make_tmp ("attnflow-evaluation-XXXXXX", NULL);
  g_autofree char *path = data_path ("pronouns-minilm.json");
  AttnWindow *window = attn_window_new (NULL);
  AttnEvaluationWindow *eval;
  GtkWidget *label;

  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_bundled (window);
  attn_gtk_test_wait_until (window_idle, window);
  attn_window_set_example (window, 4);        /* pronouns-minilm.json, which carries GlobEnc */
  attn_gtk_test_wait_until (window_idle, window);
  g_settings_set_string (settings, "weights", "globenc");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  attn_gtk_test_wait_until (evaluation_done, eval);

  label = attn_gtk_test_find_widget (GTK_WIDGET (eval), attn_gtk_test_is_label_reading, line);
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (label), " --weights globenc"));
  g_assert_true (g_str_has_prefix (attn_figure_get_caption (attn_evaluation_window_get_figure (eval)), line));
  g_assert_null (strstr (attn_figure_get_caption (attn_evaluation_window_get_figure (eval)), "globenc"));
  g_assert_cmpstr (attn_evaluation_window_get_reference (eval), ==, "gradient");
  assert_plot_is_cli (eval, path, "globenc", dir);

  g_settings_set_string (settings, "weights", "attn-grad");
  attn_gtk_test_wait_until (evaluation_done, eval);
  g_assert_true (g_str_has_prefix (attn_figure_get_caption (attn_evaluation_window_get_figure (eval)),
                                   "pronouns-minilm.json: 44 examples; weights Attention × gradient; "));
  assert_plot_is_cli (eval, path, "attn-grad", dir);

  gtk_window_destroy (GTK_WINDOW (eval));
  g_settings_reset (settings, "weights");
  attn_gtk_test_close_window (window);
  g_rmdir (dir);
}

/* Weights given without heads take every head, as the main window takes
 * them with its heads field greyed out: with heads 0,3 chosen (for weights
 * with heads), the table of pronouns-minilm.json's ALTI, given as
 * [L][n][n], is `attnflow-cli correlate --weights alti`'s of every head,
 * number for number, and so is its command line (the window showed only
 * “its “alti” weights have no heads …, so head 3 does not exist: use all
 * heads”, which the greyed-out field could not do) */
static void
test_weights_without_heads (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *path = data_path ("pronouns-minilm.json");
  AttnWindow *window = attn_window_new (NULL);
  AttnEvaluationWindow *eval;
  g_autofree char *csv = NULL;
  g_autofree char *cli = NULL;
  GtkWidget *label;

  g_settings_set_string (settings, "heads", "0,3");
  g_settings_set_string (settings, "weights", "alti");
  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_bundled (window);
  attn_gtk_test_wait_until (window_idle, window);
  attn_window_set_example (window, 4);        /* pronouns-minilm.json's first, “author-his” */
  attn_gtk_test_wait_until (window_idle, window);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "author-his");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  attn_gtk_test_wait_until (evaluation_idle, eval);
  g_test_message ("%s", _attn_evaluation_window_get_status (eval));
  g_assert_true (attn_evaluation_window_get_summary (eval, NULL, NULL, NULL, NULL, NULL, NULL));
  g_assert_nonnull (attn_evaluation_window_get_figure (eval));

  csv = attn_evaluation_window_get_csv (eval);
  cli = run_correlate (path, attn_evaluation_window_get_reference (eval), "--weights", "alti", "--format", "csv", NULL);
  g_assert_cmpstr (csv, ==, cli);
  g_assert_nonnull (strstr (csv, ",alti,0.5,all,mean,false\n"));
  label = attn_gtk_test_find_widget (GTK_WIDGET (eval), attn_gtk_test_is_label_reading,
                                     _attn_evaluation_window_get_settings_text (eval));
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (_attn_evaluation_window_get_settings_text (eval),
                            "; weights ALTI (the residual is in them); heads do not apply (weights without heads); "));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (label), " --weights alti"));
  g_assert_null (strstr (gtk_widget_get_tooltip_text (label), "--heads"));

  /* weights with heads take the heads chosen again */
  g_settings_set_string (settings, "weights", "attention");
  attn_gtk_test_wait_until (evaluation_cleared, eval);
  attn_gtk_test_wait_until (evaluation_done, eval);
  g_free (csv);
  g_free (cli);
  csv = attn_evaluation_window_get_csv (eval);
  cli = run_correlate (path, attn_evaluation_window_get_reference (eval), "--heads", "0,3", "--format", "csv", NULL);
  g_assert_cmpstr (csv, ==, cli);
  g_assert_nonnull (strstr (csv, ",attention,0.5,\"0,3\",mean,false\n"));

  gtk_window_destroy (GTK_WINDOW (eval));
  g_settings_reset (settings, "weights");
  g_settings_reset (settings, "heads");
  attn_gtk_test_close_window (window);
}

/* The references are shown by their names for people, in the dropdown and
 * the titles (“gradient” and “references.gradient” were the file's keys),
 * and the table's negative numbers by a minus sign as wide as the plus
 * sign (an ASCII hyphen, narrower, put them out of line), as the plot
 * writes them; the reference chosen is still the file's name */
static void
test_reference_names (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AttnWindow *window = attn_window_new (NULL);
  AttnEvaluationWindow *eval;
  GtkWidget *dropdown;
  GtkGrid *values, *layers;
  guint n_negative = 0, n_cells = 0;

  /* heads 0 and 3: some of ρ are negative */
  g_settings_set_string (settings, "heads", "0,3");
  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_bundled (window);
  attn_gtk_test_wait_until (window_idle, window);
  attn_window_set_example (window, 4);        /* pronouns-minilm.json: blankout and gradient */
  attn_gtk_test_wait_until (window_idle, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  attn_gtk_test_wait_until (evaluation_done, eval);
  g_assert_cmpstr (attn_evaluation_window_get_reference (eval), ==, "gradient");

  dropdown = attn_gtk_test_find_widget (GTK_WIDGET (eval), attn_gtk_test_is_label_reading, "Input gradient");
  g_assert_nonnull (dropdown);
  g_assert_nonnull (gtk_widget_get_ancestor (dropdown, GTK_TYPE_DROP_DOWN));
  g_assert_null (attn_gtk_test_find_widget (GTK_WIDGET (eval), attn_gtk_test_is_label_reading, "gradient"));
  g_assert_true (g_str_has_prefix (_attn_evaluation_window_get_status (eval),
                                   "Spearman’s ρ between the reference “Input gradient” and each method’s "
                                   "importance at the focus token"));
  g_assert_cmpstr (attn_figure_get_title (attn_evaluation_window_get_figure (eval)), ==,
                   "Spearman’s ρ with the reference “Input gradient” per layer");

  /* every cell with a sign, none with a hyphen */
  values = _attn_evaluation_window_get_table (eval, &layers);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (values)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int column, row;
      const char *text;

      gtk_grid_query_child (values, child, &column, &row, NULL, NULL);
      if (row < 2 || !GTK_IS_LABEL (child))
        continue;
      text = gtk_label_get_text (GTK_LABEL (child));
      g_assert_null (strchr (text, '-'));
      g_assert_true (g_str_has_prefix (text, "+") || g_str_has_prefix (text, "−") ||
                     g_str_has_prefix (text, "NaN"));
      g_assert_cmpstr (_attn_evaluation_window_get_cell_text (eval, row - 1, column), ==, text);
      n_negative += g_str_has_prefix (text, "−");
      n_cells++;
    }
  g_test_message ("%u cells, %u negative", n_cells, n_negative);
  g_assert_cmpuint (n_cells, ==, 6 * 6);
  g_assert_cmpuint (n_negative, >, 0);

  g_assert_true (attn_evaluation_window_set_reference (eval, "blankout"));
  attn_gtk_test_wait_until (evaluation_done, eval);
  g_assert_nonnull (attn_gtk_test_find_widget (GTK_WIDGET (eval), attn_gtk_test_is_label_reading, "Blank-out"));
  g_assert_true (g_str_has_prefix (_attn_evaluation_window_get_status (eval),
                                   "Spearman’s ρ between the reference “Blank-out” and"));
  gtk_window_destroy (GTK_WINDOW (eval));
  g_settings_reset (settings, "evaluation-reference");
  g_settings_reset (settings, "heads");
  attn_gtk_test_close_window (window);
}

static void
set_true_once_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
}

/* A horizontal scrollbar of @adjustment, drawn (not an overlay indicator,
 * which hides until hovered) */
static gboolean
is_drawn_scrollbar (GtkWidget     *widget,
                    gconstpointer  adjustment)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  return GTK_IS_SCROLLBAR (widget) && gtk_widget_get_mapped (widget) &&
         gtk_orientable_get_orientation (GTK_ORIENTABLE (widget)) == GTK_ORIENTATION_HORIZONTAL &&
         gtk_scrollbar_get_adjustment (GTK_SCROLLBAR (widget)) == adjustment &&
         /* a scrolled window's own, or one of its own */
         (!GTK_IS_SCROLLED_WINDOW (parent) ||
          !gtk_scrolled_window_get_overlay_scrolling (GTK_SCROLLED_WINDOW (parent)));
}

/* The values laid out in their scroller: it scrolls over all of them */
static gboolean
values_laid_out (gpointer data)
{
  GtkWidget *scroller;
  GtkAdjustment *h;
  GtkGrid *values = table_values (data, NULL, &scroller, &h);
  int natural;

  gtk_widget_measure (GTK_WIDGET (values), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return plot_whole (data) && gtk_widget_get_width (scroller) > 0 &&
         (natural <= gtk_widget_get_width (scroller) || gtk_adjustment_get_upper (h) >= natural - 0.5);
}

/* The values' scrollbar, shown, takes its own height, above the example
 * and the check under them */
static void
assert_scrollbar_laid_out (AttnEvaluationWindow *eval)
{
  GtkWidget *bar = GTK_WIDGET (_attn_evaluation_window_get_table_scrollbar (eval));
  GtkWidget *check = GTK_WIDGET (_attn_evaluation_window_get_plot_example_check (eval));
  GtkAdjustment *h;
  graphene_rect_t b, c;
  gboolean waited = FALSE;
  int natural;

  attn_gtk_test_wait_until (evaluation_done, eval);
  attn_gtk_test_wait_until (values_laid_out, eval);
  g_timeout_add_once (1000, set_true_once_cb, &waited);
  while (!waited)
    g_main_context_iteration (NULL, TRUE);
  table_values (eval, NULL, NULL, &h);
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), >, gtk_adjustment_get_page_size (h));
  g_assert_true (gtk_widget_get_mapped (bar));
  gtk_widget_measure (bar, GTK_ORIENTATION_VERTICAL, -1, NULL, &natural, NULL, NULL);
  g_test_message ("the scrollbar: %d px high, %d px wanted", gtk_widget_get_height (bar), natural);
  g_assert_cmpint (gtk_widget_get_height (bar), ==, natural);
  g_assert_true (gtk_widget_compute_bounds (bar, GTK_WIDGET (eval), &b));
  g_assert_true (gtk_widget_compute_bounds (check, GTK_WIDGET (eval), &c));
  g_assert_cmpfloat (b.origin.y + b.size.height, <=, c.origin.y);
}

static gboolean
title_laid_out (gpointer data)
{
  GtkWidget *title = data;

  return gtk_widget_get_mapped (title) && gtk_widget_get_width (title) > 0;
}

/* At 900 x 600, with a long file name in the file picker, the header bar
 * shows the window's title whole and shortens the name instead: it read
 * “Eval…” beside “pronouns-masked-minilm.json” (found by QA); the list of
 * files shows the name whole */
static void
test_title_whole (void)
{
  AttnWindow *window = open_window ("sst2-bert.json");
  g_autofree char *path = data_path ("pronouns-masked-minilm.json");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AttnEvaluationWindow *eval;
  GtkWidget *title, *name;
  GtkDropDown *files;

  attn_window_open_file (window, file);
  attn_gtk_test_wait_until (window_idle, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  files = _attn_evaluation_window_get_file_dropdown (eval);
  gtk_drop_down_set_selected (files, 1);
  attn_gtk_test_wait_until (evaluation_done, eval);
  attn_gtk_test_resize (GTK_WINDOW (eval), 900, 600);
  title = attn_gtk_test_find_widget (GTK_WIDGET (eval), attn_gtk_test_is_label_reading, "Evaluation");
  name = attn_gtk_test_find_widget (GTK_WIDGET (files), attn_gtk_test_is_label_reading,
                                    "pronouns-masked-minilm.json");
  g_assert_nonnull (title);
  g_assert_nonnull (name);
  attn_gtk_test_wait_until (title_laid_out, title);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (title))));
  g_assert_true (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (name))));
  gtk_window_destroy (GTK_WINDOW (eval));
  attn_gtk_test_close_window (window);
}

/* At 900 x 600, the handle moved till the values scroll, as the window
 * narrows to it and as another file is chosen: the scrollbar under them
 * took the height it had hidden, or the 12 layers' values', and drew over
 * the example and the check under it, down to the window's bottom (its
 * table was cut off with no scrollbar) */
static void
test_scrollbar_on_resize (void)
{
  AttnEvaluationWindow *eval;
  AttnWindow *window = open_window ("sst2-bert.json");
  g_autofree char *path = data_path ("pronouns-minilm.json");
  g_autoptr(GFile) file = g_file_new_for_path (path);

  attn_window_open_file (window, file);
  attn_gtk_test_wait_until (window_idle, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  attn_gtk_test_wait_until (evaluation_done, eval);
  /* sst2-bert.json's values, computed with room to spare */
  gtk_drop_down_set_selected (_attn_evaluation_window_get_file_dropdown (eval), 0);
  attn_gtk_test_wait_until (evaluation_done, eval);
  attn_gtk_test_wait_until (values_laid_out, eval);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (_attn_evaluation_window_get_table_scrollbar (eval))));

  attn_gtk_test_resize (GTK_WINDOW (eval), 900, 600);
  attn_gtk_test_wait_until (example_under, eval);
  narrow_table (eval, 300);
  assert_scrollbar_laid_out (eval);
  gtk_drop_down_set_selected (_attn_evaluation_window_get_file_dropdown (eval), 1);
  attn_gtk_test_wait_until (evaluation_done, eval);
  narrow_table (eval, 300);
  assert_scrollbar_laid_out (eval);
  attn_gtk_test_close_window (window);
}

/* The values wider than their room (the handle moved, at 900 x 600)
 * (one example's ρ NaN: every mean counted “(1 NaN)” pushed the example's
 * columns off): a scrollbar shows it, in sight, under the last row, in the
 * window; they went past the edge with no scrollbar until hovered (found by QA) */
static void
test_table_scrollbar (void)
{
  g_autofree char *dir = g_dir_make_tmp ("attnflow-evaluation-XXXXXX", NULL);
  g_autofree char *source = data_path ("sst2-bert.json");
  g_autofree char *path = g_build_filename (dir, "sst2-bert.json", NULL);
  /* (-1: the handle moved, the values narrower than their room) */
  static const int sizes[][2] = { { 0, 0 }, { 900, 600 }, { -1, -1 }, { 1180, 700 } };
  AttnWindow *window;
  AttnEvaluationWindow *eval;

  attn_test_write_constant_reference (source, path, 2, "gradient");
  window = open_window_path (path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  attn_gtk_test_wait_until (evaluation_done, eval);
  g_assert_cmpstr (table_heading (eval), ==, "Mean ± std over 4 of 5 examples (1 NaN left out)");
  /* said once, in the heading, not in every cell */
  g_assert_null (strstr (_attn_evaluation_window_get_cell_text (eval, 1, 0), "NaN"));

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      GtkWidget *scroller;
      GtkAdjustment *h;
      GtkGrid *values = table_values (eval, NULL, &scroller, &h);
      GtkWidget *last_row = gtk_grid_get_child_at (values, 0, 1 + 12);
      GtkWidget *bar;
      graphene_rect_t b, row;
      int natural;

      if (sizes[i][0] > 0)
        {
          attn_gtk_test_resize (GTK_WINDOW (eval), sizes[i][0], sizes[i][1]);
        }
      if (sizes[i][0] < 0)
        narrow_table (eval, 300);
      else
        /* the example's values under the means at 900 px, beside them wider */
        attn_gtk_test_wait_until (sizes[i][0] == 900 ? example_under : example_beside, eval);
      gtk_widget_measure (GTK_WIDGET (values), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural,
                          NULL, NULL);
      g_test_message ("%d px: the values %d px wide in %d px", gtk_widget_get_width (GTK_WIDGET (eval)),
                      natural, gtk_widget_get_width (scroller));
      /* the scroller, where the values are seen, is in the window */
      g_assert_true (gtk_widget_compute_bounds (scroller, GTK_WIDGET (eval), &b));
      g_assert_cmpfloat (b.origin.x + b.size.width, <=, gtk_widget_get_width (GTK_WIDGET (eval)) + 0.5);
      if (natural <= gtk_widget_get_width (scroller))
        continue;

      g_assert_cmpfloat (gtk_adjustment_get_upper (h), >, gtk_adjustment_get_page_size (h));
      /* (shown, then laid out, over the next frames) */
      {
        gboolean waited = FALSE;

        GtkScrolledWindow *side = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (gtk_widget_get_parent (scroller),
                                                                                GTK_TYPE_SCROLLED_WINDOW));
        GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (side);

        g_timeout_add_once (1000, set_true_once_cb, &waited);
        while (!waited)
          g_main_context_iteration (NULL, TRUE);
        /* the table's side scrolled down to it: under the example's values,
         * under the means, it may be past the window's bottom */
        gtk_adjustment_set_value (v, gtk_adjustment_get_upper (v) - gtk_adjustment_get_page_size (v));
        waited = FALSE;
        g_timeout_add_once (300, set_true_once_cb, &waited);
        while (!waited)
          g_main_context_iteration (NULL, TRUE);
        bar = attn_gtk_test_find_widget (GTK_WIDGET (eval), is_drawn_scrollbar, h);
      }
      g_assert_nonnull (bar);
      g_assert_true (gtk_widget_compute_bounds (bar, GTK_WIDGET (eval), &b));
      g_assert_cmpfloat (b.size.height, >, 0.);
      g_assert_cmpfloat (b.origin.y + b.size.height, <=, gtk_widget_get_height (GTK_WIDGET (eval)) + 0.5);
      g_assert_cmpfloat (b.origin.x + b.size.width, <=, gtk_widget_get_width (GTK_WIDGET (eval)) + 0.5);
      /* under the last row, not on it */
      g_assert_true (gtk_widget_compute_bounds (last_row, GTK_WIDGET (eval), &row));
      g_assert_cmpfloat (b.origin.y, >=, row.origin.y + row.size.height - 0.5);
    }

  gtk_window_destroy (GTK_WINDOW (eval));
  attn_gtk_test_close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* Nothing to scroll sideways at 900 x 600 nor at 1280 x 800: the example's
 * values under the means at 900 px (they went past the edge, a scrollbar
 * under them), beside them at 1280 px, and under them again at 900 px */
static void
test_table_fits (void)
{
  AttnWindow *window = open_window ("sst2-bert.json");
  AttnEvaluationWindow *eval;
  guint L;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  attn_gtk_test_wait_until (evaluation_done, eval);
  g_assert_true (attn_evaluation_window_get_summary (eval, NULL, &L, NULL, NULL, NULL, NULL));
  g_assert_cmpuint (L, ==, 12);
  for (guint i = 0; i < 3; i++)
    {
      gboolean narrow = i != 1;

      attn_gtk_test_resize (GTK_WINDOW (eval), narrow ? 900 : 1280, narrow ? 600 : 800);
      attn_gtk_test_wait_until (narrow ? example_under : example_beside, eval);
      attn_gtk_test_wait_until (plot_whole, eval);
      assert_table_fits (eval, L, narrow);
    }
  gtk_window_destroy (GTK_WINDOW (eval));
  attn_gtk_test_close_window (window);
}

/* The example drop-down: the one showing @data's example */
static gboolean
is_example_dropdown (GtkWidget     *widget,
                     gconstpointer  data)
{
  AttnExample *example = attn_evaluation_window_get_example ((AttnEvaluationWindow *) data);
  GtkStringObject *item;

  if (!GTK_IS_DROP_DOWN (widget) || example == NULL)
    return FALSE;
  item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (widget));
  return GTK_IS_STRING_OBJECT (item) &&
         g_strcmp0 (gtk_string_object_get_string (item), attn_example_get_id (example)) == 0;
}

/* The example's values shown, beside the means or under them, laid out */
static gboolean
example_placed (gpointer data)
{
  return example_beside (data) || example_under (data);
}

/* @source with the weights of its example @index taken out */
static void
write_without_weights (const char *source,
                       const char *path,
                       guint       index)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *example;

  g_assert_true (json_parser_load_from_file (parser, source, &error));
  g_assert_no_error (error);
  example = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "examples"), index);
  g_assert_true (json_object_has_member (example, "contributions"));
  json_object_remove_member (example, "contributions");
  json_generator_set_root (generator, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (generator, path, &error));
  g_assert_no_error (error);
}

/* The evaluation window over @weights of pronouns-minilm.json written to
 * @path without the weights of its example 4, which is the main window's
 * @window's example */
static AttnEvaluationWindow *
open_without_weights (const char  *weights,
                      const char  *path,
                      AttnWindow **window)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *source = data_path ("pronouns-minilm.json");
  AttnEvaluationWindow *eval;

  write_without_weights (source, path, 4);
  g_settings_set_string (settings, "weights", weights);
  *window = open_window_path (path);
  attn_window_set_example (*window, 4);
  attn_gtk_test_wait_until (window_idle, *window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (*window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  attn_gtk_test_wait_until (evaluation_done, eval);
  return eval;
}

/* At 900 x 600, the first result laid out without the example's values
 * (it lacks the weights: the result leaves it out), then another example
 * chosen in the window: its values go under the means, with nothing to
 * scroll sideways (where they go was decided only at a file's first
 * result and as the window's width changed: they went beside the means,
 * past the edge) */
static void
test_table_fits_new_example (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *dir = g_dir_make_tmp ("attnflow-evaluation-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "pronouns-minilm.json", NULL);
  const double *example_rho;
  AttnWindow *window;
  AttnEvaluationWindow *eval;
  GtkDropDown *examples;
  guint L;

  eval = open_without_weights ("globenc", path, &window);
  attn_gtk_test_resize (GTK_WINDOW (eval), 900, 600);
  attn_gtk_test_wait_until (plot_whole, eval);
  g_assert_true (attn_evaluation_window_get_summary (eval, NULL, &L, NULL, NULL, NULL, &example_rho));
  g_assert_null (example_rho);
  attn_gtk_test_wait_until (values_settled, eval);
  g_assert_false (example_placed (eval));

  examples = GTK_DROP_DOWN (attn_gtk_test_find_widget (GTK_WIDGET (eval), is_example_dropdown, eval));
  g_assert_nonnull (examples);
  gtk_drop_down_set_selected (examples, 0);
  g_assert_true (attn_evaluation_window_get_summary (eval, NULL, NULL, NULL, NULL, NULL, &example_rho));
  g_assert_nonnull (example_rho);
  /* (beside the means they stay, past the edge, and this times out) */
  attn_gtk_test_wait_until (example_under, eval);
  assert_table_fits (eval, L, TRUE);

  gtk_window_destroy (GTK_WINDOW (eval));
  g_settings_reset (settings, "weights");
  attn_gtk_test_close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
is_label_ending (GtkWidget     *widget,
                 gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_str_has_suffix (gtk_label_get_text (GTK_LABEL (widget)), text);
}

/* An example with the reference but not the weights is left out, as
 * correlate's note says: the status line says so (it said “44 examples”
 * and nothing more), and so does the example's line when it is chosen
 * (an empty area); chosen again, the example that carries them is shown */
static void
test_left_out (void)
{
  const char *status = "Spearman’s ρ between the reference “Input gradient” and each method’s importance at "
                       "the focus token\n1 example with this reference carries no ALTI weights and is left out";
  const char *left_out = "This example carries no ALTI weights and is left out: it has no values of its own";
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *dir = g_dir_make_tmp ("attnflow-evaluation-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "pronouns-minilm.json", NULL);
  AttnWindow *window;
  AttnEvaluationWindow *eval;
  GtkDropDown *examples;
  guint n_examples;

  eval = open_without_weights ("alti", path, &window);
  g_assert_cmpstr (attn_evaluation_window_get_reference (eval), ==, "gradient");
  g_assert_true (attn_evaluation_window_get_summary (eval, &n_examples, NULL, NULL, NULL, NULL, NULL));
  g_assert_cmpuint (n_examples, ==, 43);
  g_assert_cmpstr (_attn_evaluation_window_get_status (eval), ==, status);
  g_assert_nonnull (attn_gtk_test_find_widget (GTK_WIDGET (eval), is_label_ending, left_out));

  examples = GTK_DROP_DOWN (attn_gtk_test_find_widget (GTK_WIDGET (eval), is_example_dropdown, eval));
  g_assert_nonnull (examples);
  gtk_drop_down_set_selected (examples, 0);
  g_assert_null (attn_gtk_test_find_widget (GTK_WIDGET (eval), is_label_ending, left_out));
  g_assert_cmpstr (_attn_evaluation_window_get_status (eval), ==, status);

  gtk_window_destroy (GTK_WINDOW (eval));
  g_settings_reset (settings, "weights");
  attn_gtk_test_close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* The wheel over the table scrolls its side of the window up and down, at
 * 900 x 600 as far as the example's drop-down (the values' scrolled window,
 * which scrolls sideways only, kept the wheel and nothing moved); a
 * sideways scroll is left to the values */
static void
test_wheel_scrolls_side (void)
{
  AttnWindow *window = open_window ("sst2-bert.json");
  GtkEventController *wheel;
  AttnEvaluationWindow *eval;
  GtkWidget *scroller, *side, *examples;
  GtkAdjustment *v;
  graphene_rect_t area;
  gboolean handled = TRUE;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  attn_gtk_test_wait_until (evaluation_done, eval);
  attn_gtk_test_resize (GTK_WINDOW (eval), 900, 600);
  attn_gtk_test_wait_until (example_under, eval);
  table_values (eval, NULL, &scroller, NULL);
  side = gtk_widget_get_ancestor (gtk_widget_get_parent (scroller), GTK_TYPE_SCROLLED_WINDOW);
  v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (side));
  examples = attn_gtk_test_find_widget (GTK_WIDGET (eval), is_example_dropdown, eval);
  g_assert_nonnull (examples);
  /* the drop-down below the edge, to be scrolled to */
  g_assert_true (gtk_widget_compute_bounds (examples, side, &area));
  g_assert_cmpfloat (area.origin.y + area.size.height, >, gtk_widget_get_height (side));
  g_assert_cmpfloat (gtk_adjustment_get_value (v), ==, 0.);

  /* the side's own handler, ahead of the values under the pointer */
  wheel = attn_gtk_test_find_capture_controller (side, "attn-evaluation-side-wheel");
  g_assert_nonnull (wheel);
  g_signal_emit_by_name (wheel, "scroll", 3., 0., &handled);
  g_assert_false (handled);
  g_assert_cmpfloat (gtk_adjustment_get_value (v), ==, 0.);
  for (guint i = 0; i < 20; i++)
    g_signal_emit_by_name (wheel, "scroll", 0., 2., &handled);
  g_assert_true (handled);
  g_assert_cmpfloat (gtk_adjustment_get_value (v), ==,
                     gtk_adjustment_get_upper (v) - gtk_adjustment_get_page_size (v));
  /* where the drop-down is, scrolled so: whole in view */
  g_assert_cmpfloat (area.origin.y - gtk_adjustment_get_value (v), >=, 0.);
  g_assert_cmpfloat (area.origin.y + area.size.height - gtk_adjustment_get_value (v), <=,
                     gtk_widget_get_height (side));
  g_signal_emit_by_name (wheel, "scroll", 0., -40., &handled);
  g_assert_cmpfloat (gtk_adjustment_get_value (v), ==, 0.);

  gtk_window_destroy (GTK_WINDOW (eval));
  attn_gtk_test_close_window (window);
}

/* A name for the Tab stop @focus: what it shows (a drop-down its choice, a
 * button or check its label, a label the start of its text) */
static char *
describe_stop (AttnEvaluationWindow *eval,
               GtkWidget            *focus)
{
  GtkWidget *scroller;
  GtkWidget *dropdown = gtk_widget_get_ancestor (focus, GTK_TYPE_DROP_DOWN);

  if (dropdown != NULL)
    return g_strdup_printf ("drop-down %s", gtk_string_object_get_string (
                              gtk_drop_down_get_selected_item (GTK_DROP_DOWN (dropdown))));
  if (GTK_IS_CHECK_BUTTON (focus))
    return g_strdup_printf ("check %s", gtk_check_button_get_label (GTK_CHECK_BUTTON (focus)));
  if (GTK_IS_BUTTON (focus))
    return g_strdup_printf ("button %s", gtk_button_get_label (GTK_BUTTON (focus)));
  if (GTK_IS_LABEL (focus))
    {
      /* its first word (after any direction mark) */
      const char *text = gtk_label_get_text (GTK_LABEL (focus));

      while (*text != '\0' && !g_unichar_isalnum (g_utf8_get_char (text)))
        text = g_utf8_next_char (text);
      return g_strdup_printf ("label %.*s", (int) strcspn (text, " "), text);
    }
  if (ATTN_IS_FIGURE_VIEW (focus))
    return g_strdup ("plot");
  table_values (eval, NULL, &scroller, NULL);
  if (focus == scroller)
    return g_strdup ("values");
  return g_strdup_printf ("%s", G_OBJECT_TYPE_NAME (focus));
}

static void
frame_drawn_cb (GdkFrameClock *clock,
                gboolean      *drawn)
{
  *drawn = TRUE;
}

/* @window drawn once more: its widgets' styles follow their state */
static void
wait_frame (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean drawn = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (frame_drawn_cb), &drawn);

  gtk_widget_queue_draw (window);
  while (!drawn)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
}

/* What @widget draws, as text */
static GBytes *
draw_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  return gsk_render_node_serialize (node);
}

/* The window has the input focus (under Xvfb without a window manager, another
 * test's window beside this one may take it), the focus shown */
static gboolean
focus_shown (gpointer data)
{
  if (!gtk_window_is_active (data))
    gtk_window_present (data);
  gtk_window_set_focus_visible (data, TRUE);
  return gtk_window_is_active (data);
}

/* What @focus draws with the visible focus (drawn again if its window lost
 * the input focus meanwhile) */
static GBytes *
draw_focused (GtkWidget *focus)
{
  GtkRoot *window = gtk_widget_get_root (focus);

  for (;;)
    {
      GBytes *drawn;

      attn_gtk_test_wait_until (focus_shown, window);
      wait_frame (GTK_WIDGET (window));
      drawn = draw_widget (focus);
      if (gtk_widget_has_visible_focus (focus))
        return drawn;
      g_bytes_unref (drawn);
    }
}

/* Tab from the start of @eval, once round: the stops in order, each drawn
 * otherwise when it has the focus than when it has not (a ring, or a
 * selection) */
static void
assert_tab_stops (AttnEvaluationWindow *eval,
                  const char * const   *expected)
{
  GtkWidget *window = GTK_WIDGET (eval);
  g_autoptr(GPtrArray) stops = g_ptr_array_new ();
  g_autoptr(GPtrArray) focused = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GString) order = g_string_new (NULL);

  gtk_window_set_focus (GTK_WINDOW (eval), NULL);
  for (guint i = 0; i < 20; i++)
    {
      GtkWidget *focus;
      g_autofree char *name = NULL;

      g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD));
      attn_gtk_test_wait_until (focus_shown, eval);
      wait_frame (window);
      focus = gtk_window_get_focus (GTK_WINDOW (eval));
      g_assert_nonnull (focus);
      if (stops->len > 0)
        {
          /* (Tab stayed where it was, the scroller of the values unfocusable
           * but able to take the focus) */
          g_assert_true (focus != g_ptr_array_index (stops, stops->len - 1));
          g_autoptr(GBytes) unfocused = draw_widget (g_ptr_array_index (stops, stops->len - 1));
          g_autofree char *last = describe_stop (eval, g_ptr_array_index (stops, stops->len - 1));

          if (g_bytes_equal (unfocused, g_ptr_array_index (focused, stops->len - 1)))
            g_error ("%s: no sign of the focus", last);
        }
      if (stops->len > 0 && focus == g_ptr_array_index (stops, 0))
        break;
      g_ptr_array_add (stops, focus);
      g_ptr_array_add (focused, draw_focused (focus));
      name = describe_stop (eval, focus);
      g_string_append_printf (order, "%s%s", order->len > 0 ? " | " : "", name);
    }
  g_test_message ("%d px: %s", gtk_widget_get_width (window), order->str);
  {
    g_autofree char *want = g_strjoinv (" | ", (char **) expected);

    g_assert_cmpstr (order->str, ==, want);
  }
}

/* Tab goes in reading order: the header's controls, the row under it, the
 * table's side from top to bottom, then the plot (it took the plot before
 * the table's side); every stop shows it has the focus: the values are one
 * only while they scroll sideways, with a ring (a stop with none, and
 * nothing to do with keys while they fit; found by QA) */
static void
test_tab_order (void)
{
  static const char * const fits[] = {
    "drop-down gradient", "button _Save Plot…", "button Export _CSV…", "label sst2-bert.json:",
    "check _Leave special and focus tokens out", "drop-down sst2-0551", "label balances",
    "check _Plot the example too", "plot", NULL,
  };
  static const char * const scrolls[] = {
    "drop-down gradient", "button _Save Plot…", "button Export _CSV…", "label sst2-bert.json:",
    "check _Leave special and focus tokens out", "values", "drop-down sst2-0551", "label balances",
    "check _Plot the example too", "plot", NULL,
  };
  GtkSettings *settings = gtk_settings_get_default ();
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  AttnWindow *window = open_window ("sst2-bert.json");
  AttnEvaluationWindow *eval;
  GtkAdjustment *h;

  /* the focus rings drawn at once, not faded in; the app's style, which
   * the application loads */
  g_object_set (settings, "gtk-enable-animations", FALSE, NULL);
  gtk_css_provider_load_from_resource (css, "/io/github/attnflow/AttnFlow/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL));
  eval = find_evaluation_window ();
  attn_gtk_test_wait_until (evaluation_done, eval);
  attn_gtk_test_wait_until (plot_whole, eval);
  table_values (eval, NULL, NULL, &h);
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), <=, gtk_adjustment_get_page_size (h));
  assert_tab_stops (eval, fits);

  attn_gtk_test_resize (GTK_WINDOW (eval), 900, 600);
  attn_gtk_test_wait_until (example_under, eval);
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), <=, gtk_adjustment_get_page_size (h));
  assert_tab_stops (eval, fits);
  narrow_table (eval, 300);
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), >, gtk_adjustment_get_page_size (h));
  assert_tab_stops (eval, scrolls);

  g_object_set (settings, "gtk-enable-animations", TRUE, NULL);
  gtk_style_context_remove_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css));
  gtk_window_destroy (GTK_WINDOW (eval));
  attn_gtk_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!attn_gtk_test_init (&argc, &argv, &status))
    return status;

  g_test_add_func ("/attn/gtk/evaluation/disabled", test_disabled_without_references);
  g_test_add_func ("/attn/gtk/evaluation/disabled-without-file", test_disabled_without_file);
  g_test_add_func ("/attn/gtk/evaluation/table", test_table);
  g_test_add_func ("/attn/gtk/evaluation/nan", test_nan);
  g_test_add_func ("/attn/gtk/evaluation/example-undefined", test_example_undefined);
  g_test_add_func ("/attn/gtk/evaluation/long-id", test_long_id);
  g_test_add_func ("/attn/gtk/evaluation/switch-file", test_switch_file);
  g_test_add_func ("/attn/gtk/evaluation/same-file-names", test_same_file_names);
  g_test_add_func ("/attn/gtk/evaluation/closed-while-computing", test_closed_while_computing);
  g_test_add_func ("/attn/gtk/evaluation/quit-key", test_quit_key);
  g_test_add_func ("/attn/gtk/evaluation/remembers-choices", test_remembers_choices);
  g_test_add_func ("/attn/gtk/evaluation/reference-names", test_reference_names);
  g_test_add_func ("/attn/gtk/evaluation/weights-named", test_weights_named);
  g_test_add_func ("/attn/gtk/evaluation/weights-without-heads", test_weights_without_heads);
  g_test_add_func ("/attn/gtk/evaluation/table-fits", test_table_fits);
  g_test_add_func ("/attn/gtk/evaluation/table-fits-new-example", test_table_fits_new_example);
  g_test_add_func ("/attn/gtk/evaluation/left-out", test_left_out);
  g_test_add_func ("/attn/gtk/evaluation/table-scrollbar", test_table_scrollbar);
  g_test_add_func ("/attn/gtk/evaluation/wheel-scrolls-side", test_wheel_scrolls_side);
  g_test_add_func ("/attn/gtk/evaluation/scrollbar-on-resize", test_scrollbar_on_resize);
  g_test_add_func ("/attn/gtk/evaluation/tab-order", test_tab_order);
  g_test_add_func ("/attn/gtk/evaluation/title-whole", test_title_whole);

  return g_test_run ();
}
