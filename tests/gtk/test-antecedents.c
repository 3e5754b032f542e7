/* test-antecedents.c: the pronoun workflow in the application: the compare
 * window's antecedent panels against the core, the antecedents highlighted
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "attn-compare-window.h"
#include "attn-figure-view.h"
#include "attn-window-private.h"

#include "gtk-test-util.h"

static char *
pronouns_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "pronouns-minilm.json", NULL);
}

static gboolean
compare_idle (gpointer data)
{
  return !attn_compare_window_is_busy (data);
}

static gboolean
heatmap_ready (gpointer data)
{
  return attn_gtk_test_window_idle (data) && attn_window_get_heatmap (data) != NULL;
}

/* The panel of each compared example and method equals the core's values */
static void
assert_panels (AttnFigure      *figure,
               AttnAntecedents *core,
               const guint     *examples,
               guint            n_examples,
               AttnMethod       first_method,
               AttnMethod       last_method)
{
  for (guint e = 0; e < n_examples; e++)
    for (AttnMethod m = first_method; m <= last_method; m++)
      {
        const double *want = attn_antecedents_get_values (core, examples[e], m);
        guint first = 0, n_layers = 0, k = 0;
        const double *shown = attn_figure_get_antecedent_values (figure, e, m, &first, &n_layers, &k);
        AttnExample *example = attn_antecedents_get_example (core, examples[e]);

        g_assert_nonnull (shown);
        g_assert_cmpuint (first, ==, 1);
        g_assert_cmpuint (n_layers, ==, attn_example_get_n_layers (example));
        g_assert_cmpuint (k, ==, attn_example_get_n_antecedents (example));
        for (guint i = 0; i < n_layers * k; i++)
          g_assert_cmpfloat_with_epsilon (shown[i], want[i], 1e-12);
      }
}

static gboolean
figure_laid_out (gpointer view)
{
  return attn_figure_view_is_laid_out (view);
}

static void
test_compare_panels (void)
{
  g_autofree char *path = pronouns_path ();
  AttnWindow *window = attn_gtk_test_open_file (path);
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func ((GDestroyNotify) attn_document_unref);
  g_autoptr(AttnGraphSettings) settings = attn_graph_settings_new (0.5, ATTN_HEAD_MIX_MEAN, NULL, NULL);
  g_autoptr(AttnAntecedents) core = NULL;
  g_autoptr(GError) error = NULL;
  AttnCompareWindow *compare;
  AttnFigure *figure;
  GtkWindow *all;
  AttnMethod method;

  /* the core, on its own load of the file */
  document = attn_document_load (path, NULL, &error);
  g_assert_no_error (error);
  core = attn_antecedents_run (document, settings, ATTN_CORRELATION_ALL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attn_antecedents_get_n_examples (core), ==, 44);

  /* the main window: author-his, its heatmap with author and sara highlighted */
  attn_gtk_test_wait_until (heatmap_ready, window);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "author-his");
  {
    AttnFigure *heatmap = attn_window_get_heatmap (window);
    guint highlighted = 0;

    for (guint i = 0; i < attn_figure_get_n_labels (heatmap); i++)
      {
        const AttnLabel *label = attn_figure_get_label (heatmap, i);

        if (attn_figure_label_is_highlighted (heatmap, i))
          {
            g_assert_cmpint (label->kind, ==, ATTN_LABEL_TOKEN_BOTTOM);
            g_assert_true (label->index == 2 || label->index == 5);
            highlighted++;
          }
      }
    /* one column label each per heatmap block */
    g_assert_cmpuint (highlighted, >=, 2);
    g_assert_cmpuint (highlighted % 2, ==, 0);
  }

  /* Compare (the window's action): author-his and author-her, the window's method */
  method = attn_window_get_method (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL);
  compare = attn_gtk_test_find_toplevel (ATTN_TYPE_COMPARE_WINDOW);
  g_assert_nonnull (compare);
  g_assert_cmpuint (attn_compare_window_get_n_checked (compare), ==, 2);
  attn_gtk_test_wait_until (compare_idle, compare);
  figure = attn_compare_window_get_figure (compare);
  g_assert_nonnull (figure);
  assert_panels (figure, core, (const guint[]) { 0, 1 }, 2, method, method);
  /* the pair shown whole at the window's first size, its difference
   * heatmap and colour bar included (they were past the right edge) */
  {
    AttnFigureView *view = ATTN_FIGURE_VIEW (attn_gtk_test_find_descendant (GTK_WIDGET (compare),
                                                                            ATTN_TYPE_FIGURE_VIEW, TRUE));

    attn_gtk_test_wait_until (figure_laid_out, view);
    g_assert_cmpuint (attn_figure_view_get_hidden_sides (view), ==, 0);
  }
  g_assert_null (attn_figure_get_antecedent_values (figure, 0, (method + 1) % ATTN_N_METHODS,
                                                    NULL, NULL, NULL));

  /* four examples, all three methods: trophy-big, trophy-small instead of
   * the author pair's second sentence */
  attn_compare_window_set_checked (compare, 1, FALSE);
  attn_compare_window_set_checked (compare, 2, TRUE);
  attn_compare_window_set_checked (compare, 3, TRUE);
  attn_gtk_test_wait_until (compare_idle, compare);
  figure = attn_compare_window_get_figure (compare);
  g_assert_nonnull (figure);
  assert_panels (figure, core, (const guint[]) { 0, 2, 3 }, 3, method, method);
  gtk_window_destroy (GTK_WINDOW (compare));

  g_ptr_array_add (documents, attn_document_ref (document));
  all = attn_compare_window_new (GTK_WINDOW (window), documents, 2, ATTN_N_METHODS);
  gtk_window_present (all);
  attn_gtk_test_wait_until (compare_idle, all);
  figure = attn_compare_window_get_figure (ATTN_COMPARE_WINDOW (all));
  g_assert_nonnull (figure);
  assert_panels (figure, core, (const guint[]) { 2, 3 }, 2, 0, ATTN_N_METHODS - 1);
  gtk_window_destroy (all);

  attn_gtk_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!attn_gtk_test_init (&argc, &argv, &status))
    return status;

  g_test_add_func ("/attn/gtk/compare/antecedent-panels", test_compare_panels);

  return g_test_run ();
}
