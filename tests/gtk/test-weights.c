/* test-weights.c: the Weights selector (the graph over the example's contributions)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The selector is switched as a user would (its list, then the win.weights
 * action and its keyboard step); every view that follows it is checked
 * against the core computed here: the graph's trace, the heatmap (one kind,
 * and one method over every kind), α's control, the caption and Copy
 * Command, Compare and the evaluation window.
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "attn-compare-window.h"
#include "attn-evaluation-window.h"
#include "attn-evaluation-window-private.h"
#include "attn-graph-view.h"
#include "attn-window-private.h"

#include "gtk-test-util.h"

/* bert-base-uncased.json (2 examples), pronouns-masked-minilm.json (2), then
 * pronouns-minilm.json: author-his */
#define AUTHOR_HIS 4

/* The core's values of @method at every layer for (·, @position) of @example
 * over @weights (α = 0.5, every head, mean) */
static double *
core_values (AttnExample    *example,
             AttnWeightKind  weights,
             AttnMethod      method,
             guint           position)
{
  g_autoptr(AttnGraphSettings) settings =
    attn_graph_settings_new_for_weights (weights, 0.5, ATTN_HEAD_MIX_MEAN, NULL, NULL);
  g_autoptr(AttnGraph) graph = attn_graph_new_from_settings (example, settings, NULL, NULL);
  double *values = g_new (double, attn_example_get_n_layers (example) * attn_example_get_n_tokens (example));

  g_assert_nonnull (graph);
  g_assert_cmpint (attn_graph_get_weights (graph), ==, weights);
  g_assert_true (attn_method_importance (method, graph, 0, position, NULL, values, NULL, NULL));
  return values;
}

static void
assert_values (const double *got,
               const double *expected,
               gsize         count)
{
  g_assert_nonnull (got);
  for (gsize i = 0; i < count; i++)
    g_assert_cmpfloat_with_epsilon (got[i], expected[i], 1e-12);
}

static guint
n_offered (AttnWindow *window)
{
  return g_list_model_get_n_items (gtk_drop_down_get_model (window->weights_dropdown));
}

static const char *
offered (AttnWindow *window,
         guint       index)
{
  return gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (window->weights_dropdown)),
                                     index);
}

static AttnWeightKind
shown_weights (AttnWindow *window)
{
  return attn_graph_settings_get_weights (attn_session_get_settings (attn_window_get_session (window)));
}

static gboolean
has_label (AttnFigure *figure,
           const char *text)
{
  for (guint i = 0; i < attn_figure_get_n_labels (figure); i++)
    if (g_strcmp0 (attn_figure_get_label (figure, i)->text, text) == 0)
      return TRUE;
  return FALSE;
}

/* The selector offers the kinds the example carries; choosing one makes the
 * graph, its trace and the heatmap follow, and α's control says it does not
 * apply */
/* The labels of the checked items of @widget's list (the check marks shown) */
static void
collect_checked (GtkWidget *widget,
                 GString   *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_IMAGE (child) && gtk_widget_get_opacity (child) > 0. &&
          g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (child)), "object-select-symbolic") == 0 &&
          GTK_IS_LABEL (gtk_widget_get_prev_sibling (child)))
        g_string_append_printf (out, "[%s]", gtk_label_get_text (GTK_LABEL (gtk_widget_get_prev_sibling (child))));
      collect_checked (child, out);
    }
}

static void
test_weights_selector (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  AttnSession *session = attn_window_get_session (window);
  AttnGraphView *view = attn_window_get_graph_view (window);
  AttnExample *example;
  g_autofree double *rollout = NULL;
  g_autofree double *flow = NULL;
  g_autofree char *command = NULL;
  g_autofree char *weights = NULL;
  g_autofree char *status = NULL;
  guint focus, L, n;

  /* cat-mat carries the attention alone: nothing to choose */
  g_assert_cmpuint (n_offered (window), ==, 1);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->weights_dropdown)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->all_weights_check)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->weights_dropdown)), ==,
                   "This example carries attention weights only");

  attn_window_set_example (window, AUTHOR_HIS);
  attn_gtk_test_wait_idle (window);
  example = attn_window_get_example (window);
  g_assert_cmpstr (attn_example_get_id (example), ==, "author-his");
  focus = attn_example_get_focus (example);
  L = attn_example_get_n_layers (example);
  n = attn_example_get_n_tokens (example);

  g_assert_cmpuint (n_offered (window), ==, ATTN_N_WEIGHT_KINDS);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (window->weights_dropdown)));
  g_assert_cmpstr (offered (window, 0), ==, "Attention");
  g_assert_cmpstr (offered (window, 3), ==, "ALTI");
  g_assert_cmpint (shown_weights (window), ==, ATTN_WEIGHT_KIND_ATTENTION);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (window->residual_spin)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->residual_note)));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (window->head_mix_dropdown)));

  /* the user picks ALTI in the list */
  gtk_drop_down_set_selected (window->weights_dropdown, 3);
  attn_gtk_test_wait_idle (window);
  /* the status line says so at once, not once the graph is drawn again */
  g_assert_cmpstr (gtk_label_get_text (window->selection_label), ==,
                   "Attention rollout (ALTI) of every node; no node is selected");
  g_assert_cmpint (shown_weights (window), ==, ATTN_WEIGHT_KIND_ALTI);
  g_assert_cmpint (attn_graph_get_weights (attn_session_get_graph (session)), ==, ATTN_WEIGHT_KIND_ALTI);
  g_object_get (window, "weights", &weights, NULL);
  g_assert_cmpstr (weights, ==, "alti");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->residual_spin)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->residual_note)));
  g_assert_nonnull (strstr (gtk_label_get_text (window->residual_note), "α does not apply"));
  /* given without heads, [L][n][n]: nothing for head mixing to mix (it
   * stayed active, and the caption said "heads: all (max)") */
  g_assert_true (attn_example_get_weights_head_mixed (example, ATTN_WEIGHT_KIND_ALTI));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->head_mix_dropdown)));
  /* its list checks ALTI, and only ALTI */
  {
    GtkWidget *popover = attn_gtk_test_find_descendant (GTK_WIDGET (window->weights_dropdown),
                                                        GTK_TYPE_POPOVER, FALSE);
    g_autoptr(GString) checked = g_string_new (NULL);

    g_signal_emit_by_name (window->weights_dropdown, "activate");
    attn_gtk_test_wait_until (attn_gtk_test_is_mapped, popover);
    collect_checked (popover, checked);
    g_assert_cmpstr (checked->str, ==, "[ALTI]");
    gtk_popover_popdown (GTK_POPOVER (popover));
  }

  /* the heatmap at the focus: ALTI's rollout, as the core computes it */
  rollout = core_values (example, ATTN_WEIGHT_KIND_ALTI, ATTN_METHOD_ROLLOUT, focus);
  g_assert_cmpint (attn_window_get_method (window), ==, ATTN_METHOD_ROLLOUT);
  assert_values (attn_session_get_heatmap (session, ATTN_METHOD_ROLLOUT), rollout, (gsize) L * n);
  g_assert_nonnull (strstr (attn_figure_get_caption (attn_window_get_heatmap (window)), "weights: ALTI"));
  g_assert_true (has_label (attn_window_get_heatmap (window), "Attention rollout (ALTI)"));

  /* a click on the focus token's top node: its trace over ALTI */
  attn_session_select (session, L, focus, -1);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpint (attn_trace_get_method (attn_graph_view_get_trace (view)), ==, ATTN_METHOD_ROLLOUT);
  assert_values (attn_trace_get_node_values (attn_graph_view_get_trace (view)), rollout + (gsize) (L - 1) * n, n);
  g_assert_cmpstr (attn_graph_scene_get_title (attn_session_get_scene (session)), ==,
                   "Attention rollout (ALTI) from “his” (layer 6, position 7)");

  /* flow follows too */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "flow");
  attn_gtk_test_wait_idle (window);
  flow = core_values (example, ATTN_WEIGHT_KIND_ALTI, ATTN_METHOD_FLOW, focus);
  assert_values (attn_session_get_heatmap (session, ATTN_METHOD_FLOW), flow, (gsize) L * n);
  assert_values (attn_trace_get_node_values (attn_graph_view_get_trace (view)), flow + (gsize) (L - 1) * n, n);

  /* the figure's caption and Copy Command carry the choice */
  command = attn_window_get_command (window, ATTN_FIGURE_GRAPH, "out.png");
  g_assert_nonnull (strstr (command, " --weights alti "));
  g_free (command);
  /* and the file name Save Figure suggests */
  command = attn_window_get_command (window, ATTN_FIGURE_GRAPH, NULL);
  g_assert_true (g_str_has_suffix (command, "-flow-alti.png"));
  g_assert_nonnull (strstr (attn_graph_scene_get_caption (attn_session_get_scene (session)),
                            "weights: ALTI · α does not apply (in the weights)"));
  /* the status line names the weights, and a sink */
  status = attn_graph_view_describe_selection (view);
  g_assert_nonnull (strstr (status, " · Attention flow (ALTI) from “his” at layer 6, position 7"));
  g_free (status);
  attn_session_select (session, L, focus, 2);
  attn_gtk_test_wait_idle (window);
  status = attn_graph_view_describe_selection (view);
  g_assert_true (g_str_has_prefix (status, "Into “author” (position 2): "));
  g_assert_true (g_str_has_suffix (status, " · Attention flow (ALTI) from “his” at layer 6, position 7"));

  /* another model without contributions shows its attention; the choice
   * comes back with an example that carries it */
  attn_window_set_example (window, 0);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpint (shown_weights (window), ==, ATTN_WEIGHT_KIND_ATTENTION);
  g_assert_cmpuint (n_offered (window), ==, 1);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (window->residual_spin)));
  attn_window_set_example (window, AUTHOR_HIS + 1);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpint (shown_weights (window), ==, ATTN_WEIGHT_KIND_ALTI);

  /* the action and its keyboard step: norm-based, which takes α again */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.weights", "s", "norm");
  attn_gtk_test_wait_idle (window);
  g_assert_cmpint (shown_weights (window), ==, ATTN_WEIGHT_KIND_NORM);
  g_assert_cmpuint (gtk_drop_down_get_selected (window->weights_dropdown), ==, 1);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (window->residual_spin)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.weights-step", "i", 1);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpint (shown_weights (window), ==, ATTN_WEIGHT_KIND_GLOBENC);

  /* the weights given without heads have no heads to choose: the heads
   * entry is greyed out and says why, the graph takes them as they are;
   * the heads chosen wait, untouched, and apply again to the attention
   * (the entry took "0,3" and refused it, "head 3 does not exist") */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.weights", "s", "attention");
  attn_gtk_test_wait_idle (window);
  gtk_editable_set_text (GTK_EDITABLE (window->heads_entry), "0,3");
  g_signal_emit_by_name (window->heads_entry, "activate");
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (attn_graph_settings_get_heads (attn_session_get_settings (session)), ==, "0,3");
  {
    static const char *const headless[] = { "alti", "globenc", "value-zeroing" };
    g_autoptr(GSettings) gsettings = g_settings_new (APP_ID);

    for (guint i = 0; i < G_N_ELEMENTS (headless); i++)
      {
        g_autofree char *heads = NULL;

        gtk_widget_activate_action (GTK_WIDGET (window), "win.weights", "s", headless[i]);
        attn_gtk_test_wait_idle (window);
        g_assert_cmpstr (attn_weight_kind_get_name (shown_weights (window)), ==, headless[i]);
        g_assert_true (attn_example_get_weights_head_mixed (example, shown_weights (window)));
        g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->heads_entry)));
        g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window->heads_entry), "error"));
        g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->heads_error)));
        g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->heads_entry)),
                                  "given without heads"));
        g_assert_cmpstr (attn_graph_settings_get_heads (attn_session_get_settings (session)), ==, "all");
        /* and the caption claims no head mix, as it claims no α */
        g_assert_nonnull (strstr (attn_graph_scene_get_caption (attn_session_get_scene (session)),
                                  "heads do not apply"));
        g_assert_null (strstr (attn_graph_scene_get_caption (attn_session_get_scene (session)),
                               "heads:"));
        heads = g_settings_get_string (gsettings, "heads");
        g_assert_cmpstr (heads, ==, "0,3");
      }
  }
  /* a list refused for the attention is not shown, greyed out, for ALTI:
   * the entry shows the heads in force */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.weights", "s", "attention");
  attn_gtk_test_wait_idle (window);
  gtk_editable_set_text (GTK_EDITABLE (window->heads_entry), "0,30");
  g_signal_emit_by_name (window->heads_entry, "activate");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window->heads_entry), "error"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.weights", "s", "alti");
  attn_gtk_test_wait_idle (window);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->heads_entry)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window->heads_entry), "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->heads_entry)), ==, "0,3");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.weights", "s", "attention");
  attn_gtk_test_wait_idle (window);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (window->heads_entry)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->heads_entry)), ==, "0,3");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window->heads_entry), "error"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->heads_entry)), ==,
                   "The 0-based heads to mix, such as 0,3,5 or 0-5, or “all”");
  g_assert_cmpstr (attn_graph_settings_get_heads (attn_session_get_settings (session)), ==, "0,3");
  gtk_editable_set_text (GTK_EDITABLE (window->heads_entry), "all");
  g_signal_emit_by_name (window->heads_entry, "activate");
  attn_gtk_test_wait_idle (window);

  /* raw attention has no residual step: α stays greyed across examples */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "raw");
  attn_gtk_test_wait_idle (window);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->residual_spin)));
  attn_window_set_example (window, 0);
  attn_gtk_test_wait_idle (window);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->residual_spin)));
  g_assert_false (gtk_widget_get_sensitive (window->residual_label));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "rollout");
  attn_gtk_test_wait_idle (window);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (window->residual_spin)));
  attn_gtk_test_close_window (window);
}

/* "All Weights": the method over every kind the example carries, side by side */
static void
test_weights_all (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  AttnSession *session = attn_window_get_session (window);
  AttnExample *example;
  AttnFigure *heatmap;
  guint focus, L, n;

  attn_window_set_example (window, AUTHOR_HIS);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "flow");
  attn_gtk_test_wait_idle (window);
  example = attn_window_get_example (window);
  focus = attn_example_get_focus (example);
  L = attn_example_get_n_layers (example);
  n = attn_example_get_n_tokens (example);

  gtk_check_button_set_active (window->all_weights_check, TRUE);
  attn_gtk_test_wait_idle (window);
  g_assert_true (attn_session_get_all_weights (session));
  g_assert_cmpuint (attn_session_get_heatmap_weights (session), ==, (1u << ATTN_N_WEIGHT_KINDS) - 1);
  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    {
      g_autofree double *expected = core_values (example, k, ATTN_METHOD_FLOW, focus);

      assert_values (attn_session_get_heatmap_for_weights (session, k), expected, (gsize) L * n);
    }
  heatmap = attn_window_get_heatmap (window);
  g_assert_nonnull (heatmap);
  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    g_assert_true (has_label (heatmap, attn_weight_kind_get_label (k)));
  g_assert_nonnull (strstr (attn_figure_get_caption (heatmap),
                            "weights: Attention, Norm-based, GlobEnc, ALTI, Value Zeroing, Attention × gradient"));

  /* with heads 0-3, the kinds given without heads are left out, and the
   * figure says so (they refused the whole heatmap) */
  {
    g_autoptr(GSettings) gsettings = g_settings_new (APP_ID);

    /* the graph's own weights have every head */
    g_settings_set_string (gsettings, "weights", "attention");
    g_settings_set_string (gsettings, "heads", "0-3");
    attn_gtk_test_wait_idle (window);
    g_assert_cmpuint (attn_session_get_heatmap_weights (session), ==, 0);
    heatmap = attn_window_get_heatmap (window);
    g_assert_nonnull (heatmap);
    g_assert_cmpuint (attn_figure_get_n_grids (heatmap), ==, 1);
    g_assert_cmpstr (attn_figure_get_note (heatmap), ==, "Left out for heads 0,1,2,3, which they do not have: "
                     "Norm-based, GlobEnc, ALTI, Value Zeroing, Attention × gradient");
    /* the command draws the same: every kind, the note with it */
    {
      g_autofree char *command = attn_window_get_command (window, ATTN_FIGURE_HEATMAP, "x.png");

      g_assert_nonnull (strstr (command, " --weights all "));
      g_assert_nonnull (strstr (command, " --heads 0,1,2,3 "));
    }
    g_settings_reset (gsettings, "heads");
    g_settings_reset (gsettings, "weights");
    attn_gtk_test_wait_idle (window);
    g_assert_null (attn_figure_get_note (attn_window_get_heatmap (window)));
  }

  /* an example of attention alone: the check greyed, the command without
   * --weights (it said --weights all; found by QA); ticked still, the
   * kinds come back with an example that carries them */
  attn_window_set_example (window, 0);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpuint (attn_example_get_weight_kinds (attn_window_get_example (window)), ==,
                    1u << ATTN_WEIGHT_KIND_ATTENTION);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->all_weights_check)));
  g_assert_true (gtk_check_button_get_active (window->all_weights_check));
  {
    g_autofree char *command = attn_window_get_command (window, ATTN_FIGURE_HEATMAP, NULL);

    g_assert_nonnull (strstr (command, " --figure heatmap "));
    g_assert_null (strstr (command, "--weights"));
  }
  attn_window_set_example (window, AUTHOR_HIS);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpuint (attn_session_get_heatmap_weights (session), ==, (1u << ATTN_N_WEIGHT_KINDS) - 1);
  {
    g_autofree char *command = attn_window_get_command (window, ATTN_FIGURE_HEATMAP, NULL);

    g_assert_nonnull (strstr (command, " --weights all "));
  }

  /* All Methods and All Weights take turns */
  gtk_check_button_set_active (window->all_methods_check, TRUE);
  attn_gtk_test_wait_idle (window);
  g_assert_false (gtk_check_button_get_active (window->all_weights_check));
  g_assert_cmpuint (attn_session_get_heatmap_weights (session), ==, 0);
  gtk_check_button_set_active (window->all_weights_check, TRUE);
  attn_gtk_test_wait_idle (window);
  g_assert_false (gtk_check_button_get_active (window->all_methods_check));

  gtk_check_button_set_active (window->all_weights_check, FALSE);
  attn_gtk_test_wait_idle (window);
  attn_gtk_test_close_window (window);
}

/* What Save suggests in the compare window, and Save Plot and Export CSV in
 * the evaluation window (the pronoun set under @weights: "" or "-globenc") */
static void
assert_file_names (AttnCompareWindow    *compare,
                   AttnEvaluationWindow *evaluation,
                   const char           *comparison,
                   const char           *weights)
{
  g_autofree char *name = attn_compare_window_get_file_name (compare);
  const char *reference = attn_evaluation_window_get_reference (evaluation);
  g_autofree char *csv = g_strdup_printf ("pronouns-minilm-all-MiniLM-L6-v2-correlate-%s%s.csv", reference, weights);
  g_autofree char *png = g_strdup_printf ("pronouns-minilm-all-MiniLM-L6-v2-correlate-%s%s.png", reference, weights);
  g_autofree char *csv_name = _attn_evaluation_window_get_file_name (evaluation, "csv");
  g_autofree char *png_name = _attn_evaluation_window_get_file_name (evaluation, "png");

  g_assert_cmpstr (name, ==, comparison);
  g_assert_cmpstr (csv_name, ==, csv);
  g_assert_cmpstr (png_name, ==, png);
}

/* Compare and the evaluation window follow the selector */
static void
test_weights_windows (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  AttnCompareWindow *compare = NULL;
  AttnEvaluationWindow *evaluation = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();
  AttnFigure *figure;
  g_autoptr(AttnGraphSettings) settings =
    attn_graph_settings_new_for_weights (ATTN_WEIGHT_KIND_GLOBENC, 0.5, ATTN_HEAD_MIX_MEAN, NULL, NULL);
  g_autoptr(AttnCorrelation) expected = NULL;
  const double *mean;
  guint n_examples, n_layers;

  attn_window_set_example (window, AUTHOR_HIS);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.weights", "s", "globenc");
  attn_gtk_test_wait_idle (window);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ATTN_IS_COMPARE_WINDOW (item))
        compare = ATTN_COMPARE_WINDOW (item);
      if (ATTN_IS_EVALUATION_WINDOW (item))
        evaluation = ATTN_EVALUATION_WINDOW (item);
    }
  g_assert_nonnull (compare);
  g_assert_nonnull (evaluation);

  /* author-his and author-her, over GlobEnc */
  attn_gtk_test_wait_until (attn_gtk_test_compare_idle, compare);
  figure = attn_compare_window_get_figure (compare);
  g_assert_nonnull (figure);
  g_assert_nonnull (strstr (attn_figure_get_caption (figure), "weights: GlobEnc"));
  g_assert_true (has_label (figure, "Attention rollout (GlobEnc)"));

  /* the pronoun set's table over GlobEnc, as the core computes it */
  attn_gtk_test_wait_until (attn_gtk_test_evaluation_idle, evaluation);
  g_assert_true (attn_evaluation_window_get_summary (evaluation, &n_examples, &n_layers, &mean,
                                                     NULL, NULL, NULL));
  g_assert_true (g_str_has_suffix (attn_document_get_path (window->documents->pdata[2]),
                                   "pronouns-minilm.json"));
  expected = attn_correlation_run (window->documents->pdata[2],
                                   attn_evaluation_window_get_reference (evaluation), settings,
                                   ATTN_CORRELATION_ALL, FALSE, NULL, NULL, NULL, NULL);
  g_assert_nonnull (expected);
  g_assert_cmpuint (n_examples, ==, 44);
  for (guint i = 0; i < ATTN_N_METHODS * n_layers; i++)
    g_assert_cmpfloat_with_epsilon (mean[i], attn_correlation_get_mean (expected)[i], 1e-12);

  /* the names Save suggests carry the examples or the file, the model, and the weights */
  assert_file_names (compare, evaluation, "author-his-vs-author-her-all-MiniLM-L6-v2-rollout-globenc.png", "-globenc");
  {
    g_autoptr(GSettings) gsettings = g_settings_new (APP_ID);
    g_autofree char *name = NULL;

    g_settings_set_boolean (gsettings, "heatmap-all-weights", TRUE);
    name = attn_compare_window_get_file_name (compare);
    g_assert_cmpstr (name, ==, "author-his-vs-author-her-all-MiniLM-L6-v2-rollout-weights.png");
    g_clear_pointer (&name, g_free);
    attn_compare_window_set_checked (compare, AUTHOR_HIS + 2, TRUE);
    name = attn_compare_window_get_file_name (compare);
    g_assert_cmpstr (name, ==, "author-his-vs-author-her-vs-sara-his-all-MiniLM-L6-v2-rollout-weights.png");
    attn_compare_window_set_checked (compare, AUTHOR_HIS + 2, FALSE);
    g_settings_reset (gsettings, "heatmap-all-weights");
  }

  /* the choice changes: both follow */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.weights", "s", "attention");
  attn_gtk_test_wait_until (attn_gtk_test_compare_idle, compare);
  g_assert_null (strstr (attn_figure_get_caption (attn_compare_window_get_figure (compare)), "weights:"));
  attn_gtk_test_wait_until (attn_gtk_test_evaluation_idle, evaluation);

  /* every weight kind with heads 0-3: the kinds given without heads are
   * named, not drawn (they refused the whole comparison) */
  {
    g_autoptr(GSettings) gsettings = g_settings_new (APP_ID);

    g_settings_set_boolean (gsettings, "heatmap-all-weights", TRUE);
    g_settings_set_string (gsettings, "heads", "0-3");
    /* the change reaches the window first */
    while (g_main_context_iteration (NULL, FALSE))
      ;
    attn_gtk_test_wait_until (attn_gtk_test_compare_idle, compare);
    figure = attn_compare_window_get_figure (compare);
    g_assert_nonnull (figure);
    g_assert_cmpstr (attn_figure_get_note (figure), ==, "Left out for heads 0,1,2,3, which they do not have: "
                     "Norm-based, GlobEnc, ALTI, Value Zeroing, Attention × gradient");
    g_settings_reset (gsettings, "heads");
    g_settings_reset (gsettings, "heatmap-all-weights");
    while (g_main_context_iteration (NULL, FALSE))
      ;
    attn_gtk_test_wait_until (attn_gtk_test_compare_idle, compare);
    attn_gtk_test_wait_until (attn_gtk_test_evaluation_idle, evaluation);
    attn_gtk_test_wait_idle (window);
  }
  g_clear_pointer (&settings, attn_graph_settings_unref);
  g_clear_pointer (&expected, attn_correlation_unref);
  settings = attn_graph_settings_new_default ();
  expected = attn_correlation_run (window->documents->pdata[2], attn_evaluation_window_get_reference (evaluation),
                                   settings, ATTN_CORRELATION_ALL, FALSE, NULL, NULL, NULL, NULL);
  g_assert_true (attn_evaluation_window_get_summary (evaluation, &n_examples, &n_layers, &mean,
                                                     NULL, NULL, NULL));
  for (guint i = 0; i < ATTN_N_METHODS * n_layers; i++)
    g_assert_cmpfloat_with_epsilon (mean[i], attn_correlation_get_mean (expected)[i], 1e-12);
  assert_file_names (compare, evaluation, "author-his-vs-author-her-all-MiniLM-L6-v2-rollout.png", "");

  gtk_window_destroy (GTK_WINDOW (compare));
  gtk_window_destroy (GTK_WINDOW (evaluation));
  attn_gtk_test_close_window (window);
}

/* Other weights move no node, as another method does not: at 900 x 600
 * "(ALTI)" wrapped a title and lengthened a caption, and the graph shrank
 * by 30 px */
static void
test_weights_keep_nodes (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();
  AttnGraphView *view = attn_window_get_graph_view (window);
  guint L, n;
  double x0, y0, x1, y1, x, y;

  attn_gtk_test_resize (GTK_WINDOW (window), 900, 600);
  attn_window_set_example (window, AUTHOR_HIS);
  attn_gtk_test_wait_idle (window);
  L = attn_example_get_n_layers (attn_window_get_example (window));
  n = attn_example_get_n_tokens (attn_window_get_example (window));
  g_assert_cmpuint (n_offered (window), ==, ATTN_N_WEIGHT_KINDS);
  g_assert_true (attn_graph_view_node_to_widget (view, L, n - 1, &x0, &y0));
  g_assert_true (attn_graph_view_node_to_widget (view, 0, 0, &x1, &y1));
  for (guint i = 1; i < ATTN_N_WEIGHT_KINDS; i++)
    {
      gtk_drop_down_set_selected (window->weights_dropdown, i);
      attn_gtk_test_wait_idle (window);
      g_assert_cmpint (shown_weights (window), !=, ATTN_WEIGHT_KIND_ATTENTION);
      g_assert_true (attn_graph_view_node_to_widget (view, L, n - 1, &x, &y));
      g_test_message ("%s: top right node at %g, %g (attention: %g, %g)", offered (window, i), x, y, x0, y0);
      g_assert_cmpfloat_with_epsilon (x, x0, 0.5);
      g_assert_cmpfloat_with_epsilon (y, y0, 0.5);
      g_assert_true (attn_graph_view_node_to_widget (view, 0, 0, &x, &y));
      g_assert_cmpfloat_with_epsilon (x, x1, 0.5);
      g_assert_cmpfloat_with_epsilon (y, y1, 0.5);
    }
  attn_gtk_test_close_window (window);
}

/* At 1280 x 800 and 900 x 600, the lists of the Weights selector and of
 * every other drop-down show their items whole, on one line each, and all
 * of them: the Weights list took its button's width, broke "Attent-ion"
 * and "GlobE-nc" and left "Value Zeroing" and "Attention × gradient" out
 * of view (found by QA) */
static void
test_weights_list_whole (void)
{
  AttnWindow *window = attn_gtk_test_open_bundled ();

  attn_window_set_example (window, AUTHOR_HIS);
  attn_gtk_test_wait_idle (window);
  attn_gtk_test_assert_lists_whole (window);
  attn_gtk_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!attn_gtk_test_init (&argc, &argv, &status))
    return status;

  g_test_add_func ("/attn/gtk/weights/selector", test_weights_selector);
  g_test_add_func ("/attn/gtk/weights/keep-nodes", test_weights_keep_nodes);
  g_test_add_func ("/attn/gtk/weights/all", test_weights_all);
  g_test_add_func ("/attn/gtk/weights/windows", test_weights_windows);
  g_test_add_func ("/attn/gtk/weights/list-whole", test_weights_list_whole);

  return g_test_run ();
}
