/* attn-evaluation-window.c: Spearman's ρ of each method against a reference, per layer
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The paper's Tables 1 and 2 for the open file: for every example that
 * carries references.NAME, at its focus token, Spearman's ρ between the
 * reference and raw attention, rollout and flow at each layer, computed on a
 * worker thread with the main window's settings (α, heads, head mix, weights) and
 * summarised as `attnflow-cli correlate` does (mean, sample standard
 * deviation, NaN count): a table, a plot (a figure of src/render, saved as
 * PNG, SVG or PDF) and the same CSV as `attnflow-cli correlate --format csv`.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "attn-batch.h"
#include "attn-choice-list.h"
#include "attn-evaluation-window.h"
#include "attn-evaluation-window-private.h"
#include "attn-figure-view.h"
#include "attn-gtk-util.h"
#include "attn-toast.h"

#define N_METHODS ATTN_N_METHODS
/* table columns: the three means, then the example's three values */
#define N_COLUMNS (2 * N_METHODS)

/* the plot's smallest text on screen (it pans rather than go below) */
#define PLOT_MIN_TEXT_SIZE 8.

struct _AttnEvaluationWindow
{
  AdwWindow        parent_instance;

  GSettings       *settings;

  /* template */
  GtkDropDown     *file_dropdown;
  GtkDropDown     *reference_dropdown;
  GtkDropDown     *example_dropdown;
  GtkLabel        *settings_label;
  GtkLabel        *status_label;
  GtkLabel        *example_label;
  GtkCheckButton  *exclude_check;
  GtkCheckButton  *plot_example_check;
  GtkProgressBar  *progress_bar;
  GtkGrid         *layer_table;        /* the Layer column, which stays in view */
  GtkGrid         *table;              /* the values, which scroll sideways */
  GtkScrolledWindow *table_scroller;
  GtkScrollbar    *table_scrollbar;    /* under the values, in sight when they scroll */
  GtkPaned        *paned;
  AttnFigureView  *plot_view;
  AdwToastOverlay *toast_overlay;

  GPtrArray       *documents;          /* AttnDocument with references */
  GtkStringList   *file_model;
  GtkStringList   *reference_model;
  GtkStringList   *example_model;
  GPtrArray       *examples;           /* AttnExample of the file with the reference */
  AttnExample     *initial;            /* the main window's example */

  GCancellable    *cancellable;
  AttnProgress    *progress;           /* while computing */
  AttnCorrelation *result;
  AttnFigure      *figure;
  GPtrArray       *cells;              /* char *, L * N_COLUMNS */
  char            *last_message;
  guint            n_saving;
  gboolean         updating;
  gboolean         position_set;
  int              paned_width;    /* the last the table and plot shared */
  gboolean         stacked;        /* the example's values under the means */
};

G_DEFINE_FINAL_TYPE (AttnEvaluationWindow, attn_evaluation_window, ADW_TYPE_WINDOW)

static void compute (AttnEvaluationWindow *self);

static AttnDocument *
current_document (AttnEvaluationWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->file_dropdown);

  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->documents->len)
    return NULL;
  return g_ptr_array_index (self->documents, selected);
}

/* The table and the plot */

/* The index in the result of the example chosen in the picker, or -1 when
 * the result left it out (it lacks the weights) */
static int
result_index (AttnEvaluationWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->example_dropdown);

  if (self->result == NULL || selected >= self->examples->len)
    return -1;
  for (guint i = 0; i < attn_correlation_get_n_examples (self->result); i++)
    if (attn_correlation_get_example (self->result, i) == g_ptr_array_index (self->examples, selected))
      return (int) i;
  return -1;
}

static const double *
example_values (AttnEvaluationWindow *self)
{
  int index = result_index (self);

  return index >= 0 ? attn_correlation_get_rho (self->result, index) : NULL;
}

/* Whether @rho (a method's L values after another's) has a number for a
 * method of @methods */
static gboolean
any_finite (const double           *rho,
            AttnCorrelationMethods  methods,
            guint                   n_layers)
{
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    for (guint l = 0; l < n_layers && (methods & (1 << m)); l++)
      if (isfinite (rho[m * n_layers + l]))
        return TRUE;
  return FALSE;
}

static AttnExample *
example_shown (AttnEvaluationWindow *self)
{
  int index = result_index (self);

  return index >= 0 ? attn_correlation_get_example (self->result, index) : NULL;
}

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

static void
clear_table (AttnEvaluationWindow *self)
{
  _attn_evaluation_table_clear (self->layer_table, self->table);
  g_ptr_array_set_size (self->cells, 0);
}

static void
update_table (AttnEvaluationWindow *self)
{
  AttnCorrelation *r = self->result;
  const double *ex = example_values (self);
  guint selected = gtk_drop_down_get_selected (self->example_dropdown);

  clear_table (self);
  gtk_label_set_text (self->example_label, "");
  if (r == NULL)
    return;

  /* the example's sentence and what the model said, or why it has no values */
  if (selected < self->examples->len)
    {
      g_autofree char *text = _attn_evaluation_example_text (r, g_ptr_array_index (self->examples, selected),
                                                             ex != NULL);

      gtk_label_set_text (self->example_label, text);
    }

  _attn_evaluation_table_fill (self->layer_table, self->table, r, ex != NULL ? example_shown (self) : NULL,
                               ex, self->stacked, is_dark (), self->cells);
}

/* The settings of the table: the file as the drop-down names it, the
 * examples, the main window's settings */
static char *
describe (AttnEvaluationWindow *self,
          AttnGraphSettings    *settings,
          gboolean              exclude_special)
{
  AttnDocument *document = current_document (self);
  g_autofree char *base_name = g_path_get_basename (document ? attn_document_get_path (document) : "-");
  g_autofree char *base = attn_text_from_file_name (base_name);
  const char *name = gtk_string_list_get_string (self->file_model, gtk_drop_down_get_selected (self->file_dropdown));
  g_autoptr(GPtrArray) carrying = g_ptr_array_new ();

  if (name == NULL)
    name = base;
  /* the examples that carry the weights */
  for (guint i = 0; i < self->examples->len; i++)
    if (attn_example_has_weights (g_ptr_array_index (self->examples, i),
                                  attn_graph_settings_get_weights (settings)))
      g_ptr_array_add (carrying, g_ptr_array_index (self->examples, i));
  return attn_correlation_describe_settings (name, carrying->len, settings,
                                             attn_graph_settings_get_heads_apply (settings, carrying),
                                             exclude_special);
}

static AttnFigure *
build_figure (AttnEvaluationWindow *self,
              gboolean              dark)
{
  AttnCorrelation *r = self->result;
  AttnEvaluationPlotData data = { 0 };
  AttnFigureStyle style;
  AttnDocument *document = current_document (self);
  g_autofree char *base_name = NULL;
  g_autofree char *base = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *legend = NULL;
  const double *ex = example_values (self);

  if (r == NULL)
    return NULL;

  /* the file by its base name, as `attnflow-cli correlate --plot` names
   * it, with the same function */
  base_name = g_path_get_basename (document != NULL ? attn_document_get_path (document) : "-");
  base = attn_text_from_file_name (base_name);
  caption = attn_correlation_describe_figure (r, base, FALSE);
  attn_figure_style_init (&style, dark);
  data.reference = attn_correlation_get_reference (r);
  data.n_layers = attn_correlation_get_n_layers (r);
  data.n_examples = attn_correlation_get_n_examples (r);
  data.methods = attn_correlation_get_methods (r);
  data.mean = attn_correlation_get_mean (r);
  data.std = attn_correlation_get_std (r);
  data.nan_count = attn_correlation_get_nan_count (r);
  data.caption = caption;
  data.weights = attn_graph_settings_get_weights (attn_correlation_get_settings (r));
  if (ex != NULL && gtk_check_button_get_active (self->plot_example_check))
    {
      AttnExample *e = example_shown (self);

      if (any_finite (ex, data.methods, data.n_layers))
        {
          g_autofree char *label = attn_text_from_file (attn_example_get_label (e));

          /* translators: the legend entry of one example's own values in the evaluation plot */
          legend = g_strdup_printf (_("%s (dashed)"), label);
          data.example_rho = ex;
          data.example_label = legend;
        }
      else
        {
          g_autofree char *named = attn_example_dup_message_name (e);
          g_autofree char *name = attn_text_from_file (named);
          /* no line to name in the legend: the caption says why there is none */
          /* translators: the caption, then the example (“cat-mat”, or 3 (no id)) */
          char *with_note = g_strdup_printf (_("%s\nExample %s: no dashed line, its ρ is undefined at every "
                                               "layer (a constant side)"), caption, name);

          g_free (caption);
          caption = with_note;
          data.caption = caption;
        }
    }
  return attn_figure_new_evaluation (&data, &style);
}

static void
update_actions (AttnEvaluationWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "evaluation.save-plot", self->result != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "evaluation.export-csv", self->result != NULL);
}

static void share_width (AttnEvaluationWindow *self,
                         gboolean              position);

static gboolean
restack_cb (gpointer data)
{
  AttnEvaluationWindow *self = data;

  /* (not once closed: its widgets are gone) */
  if (self->table != NULL)
    {
      update_table (self);
      share_width (self, TRUE);
    }
  return G_SOURCE_REMOVE;
}

/* The plot gets the width that shows it whole and readable, the table the
 * rest up to its own width (it scrolls when narrower), and never less than
 * its means need: Flow's were cut off at 900 px. The example's values go
 * under the means when the rest is too narrow for them beside (laid out
 * again after this allocation, before the next frame's, not starved). The width too with @position: at a
 * file's first result and every change of the window's width, not at every
 * result (another example or reference): the user may move the handle */
static void
share_width (AttnEvaluationWindow *self,
             gboolean              position)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->paned));
  GtkWidget *view = GTK_WIDGET (self->plot_view);
  /* with its margins and the handle (a pixel, and a little room) */
  int plot = attn_figure_view_get_readable_width (self->plot_view) + gtk_widget_get_margin_start (view)
             + gtk_widget_get_margin_end (view) + 4;
  int table = 0;

  if (width > 0 && plot > 0 &&
      self->stacked != (width - plot < _attn_evaluation_table_side_width (self->layer_table, self->table)))
    {
      self->stacked = !self->stacked;
      g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, restack_cb, g_object_ref (self), g_object_unref);
      return;
    }
  if (!position)
    return;
  gtk_widget_measure (gtk_paned_get_start_child (self->paned), GTK_ORIENTATION_HORIZONTAL, -1,
                      NULL, &table, NULL, NULL);
  if (width > 0 && plot > 0)
    table = MAX (MIN (table, width - plot),
                 MIN (_attn_evaluation_table_means_width (self->layer_table, self->table), width / 2));
  gtk_paned_set_position (self->paned, MAX (table, 0));
}

static void
paned_resized_cb (AttnEvaluationWindow *self)
{
  if (self->paned_width != gtk_widget_get_width (GTK_WIDGET (self->paned)))
    {
      self->paned_width = gtk_widget_get_width (GTK_WIDGET (self->paned));
      share_width (self, TRUE);
    }
}

static void
update_view (AttnEvaluationWindow *self)
{
  g_clear_pointer (&self->figure, attn_figure_unref);
  self->figure = build_figure (self, is_dark ());
  if (self->figure != NULL)
    attn_figure_view_set_figure (self->plot_view, self->figure);
  update_table (self);
  update_actions (self);
  share_width (self, !self->position_set);
  self->position_set = TRUE;
}

static void
set_message (AttnEvaluationWindow *self,
             const char           *message)
{
  attn_figure_view_set_figure (self->plot_view, NULL);
  attn_figure_view_set_message (self->plot_view, message);
  gtk_label_set_text (self->status_label, message ? message : "");
}

/* Computing */

static void
progress_changed_cb (AttnProgress         *progress,
                     AttnEvaluationWindow *self)
{
  if (progress == self->progress)
    gtk_progress_bar_set_fraction (self->progress_bar,
                                   MAX (attn_progress_get_fraction (progress), 0.));
}

static void
set_running (AttnEvaluationWindow *self,
             gboolean              running)
{
  if (self->progress != NULL)
    attn_progress_disconnect (self->progress);
  g_clear_pointer (&self->progress, attn_progress_unref);
  if (running)
    self->progress = attn_progress_new (G_CALLBACK (progress_changed_cb), self);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.);
}

/* The main window's weights when an example of the table carries them, else
 * the attention (as the main window shows an example that lacks them) */
static AttnWeightKind
chosen_weights (AttnEvaluationWindow *self)
{
  AttnWeightKind chosen = g_settings_get_enum (self->settings, "weights");

  for (guint i = 0; chosen < ATTN_N_WEIGHT_KINDS && i < self->examples->len; i++)
    if (attn_example_has_weights (g_ptr_array_index (self->examples, i), chosen))
      return chosen;
  return ATTN_WEIGHT_KIND_ATTENTION;
}

static void
evaluation_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AttnEvaluationWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnCorrelation) correlation = attn_correlation_run_finish (result, &error);

  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;                     /* replaced by a newer run, or the window is gone */
  g_clear_object (&self->cancellable);
  set_running (self, FALSE);

  if (correlation == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_message (self, error->message);
          g_free (self->last_message);
          self->last_message = g_strdup (error->message);
        }
      return;
    }

  g_clear_pointer (&self->result, attn_correlation_unref);
  self->result = g_steal_pointer (&correlation);
  {
    g_autofree char *text = _attn_evaluation_status_text (self->result,
                                                          g_settings_get_enum (self->settings, "weights"));

    gtk_label_set_text (self->status_label, text);
  }
  update_view (self);
}

static void
cancel (AttnEvaluationWindow *self)
{
  attn_cancel_and_clear (&self->cancellable);
  set_running (self, FALSE);
}

/* The main window's graph settings; the heads as far as they can be read and apply */
static AttnGraphSettings *
graph_settings (AttnEvaluationWindow  *self,
                GError               **error)
{
  g_autofree char *chosen = g_settings_get_string (self->settings, "heads");
  const char *heads = attn_heads_for_examples (chosen, chosen_weights (self), self->examples);

  return attn_graph_settings_new_for_weights (chosen_weights (self),
                                              g_settings_get_double (self->settings, "residual"),
                                              g_settings_get_enum (self->settings, "head-mix"), heads,
                                              error);
}

static const char *
current_reference (AttnEvaluationWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->reference_dropdown);

  if (selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->reference_model, selected);
}

static void
compute (AttnEvaluationWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnGraphSettings) settings = NULL;
  g_autofree char *text = NULL;
  g_autofree char *command = NULL;
  g_autofree char *tooltip = NULL;
  const char *reference = current_reference (self);
  AttnDocument *document = current_document (self);
  gboolean exclude_special = gtk_check_button_get_active (self->exclude_check);

  cancel (self);
  g_clear_pointer (&self->result, attn_correlation_unref);
  g_clear_pointer (&self->figure, attn_figure_unref);
  clear_table (self);
  update_actions (self);

  if (reference == NULL || self->examples->len == 0 || document == NULL)
    {
      set_message (self, _("No example of this file carries references"));
      return;
    }
  settings = graph_settings (self, &error);
  if (settings == NULL)
    {
      set_message (self, error->message);
      return;
    }

  text = describe (self, settings, exclude_special);
  gtk_label_set_text (self->settings_label, text);
  command = attn_correlation_command_line (attn_document_get_path (document), reference, settings,
                                           exclude_special);
  /* translators: %s is a command line */
  tooltip = g_strdup_printf (_("The same table on the command line:\n%s"), command);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->settings_label), tooltip);
  set_message (self, NULL);
  attn_figure_view_set_message (self->plot_view, _("Computing…"));

  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  attn_correlation_run_async (document, reference, settings, ATTN_CORRELATION_ALL, exclude_special,
                              self->progress, self->cancellable, evaluation_done_cb,
                              g_object_ref (self));
}

/* Pickers */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
fill_examples (AttnEvaluationWindow *self)
{
  AttnDocument *document = current_document (self);
  const char *reference = current_reference (self);
  AttnExample *previous = NULL;
  guint selected = 0;

  if (gtk_drop_down_get_selected (self->example_dropdown) < self->examples->len)
    previous = attn_example_ref (g_ptr_array_index (self->examples,
                                                    gtk_drop_down_get_selected (self->example_dropdown)));
  g_ptr_array_set_size (self->examples, 0);
  gtk_string_list_splice (self->example_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->example_model)), NULL);

  for (guint i = 0; document != NULL && reference != NULL && i < attn_document_get_n_examples (document); i++)
    {
      AttnExample *example = attn_document_get_example (document, i);

      if (attn_example_get_reference (example, reference) == NULL)
        continue;
      if (example == self->initial || (previous != NULL && example == previous))
        selected = self->examples->len;
      g_ptr_array_add (self->examples, attn_example_ref (example));
      /* the id as the picker shows it */
      gtk_string_list_take (self->example_model, attn_text_from_file (attn_example_get_label (example)));
    }
  if (self->examples->len > 0)
    gtk_drop_down_set_selected (self->example_dropdown, selected);
  g_clear_pointer (&previous, attn_example_unref);
}

static void
fill_references (AttnEvaluationWindow *self)
{
  AttnDocument *document = current_document (self);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *previous = g_strdup (current_reference (self));
  g_autofree char *chosen = g_settings_get_string (self->settings, "evaluation-reference");
  guint wanted = G_MAXUINT, gradient = 0;

  for (guint i = 0; document != NULL && i < attn_document_get_n_examples (document); i++)
    {
      AttnExample *example = attn_document_get_example (document, i);

      for (guint r = 0; r < attn_example_get_n_references (example); r++)
        {
          const char *name = attn_example_get_reference_name (example, r);

          if (g_hash_table_add (seen, (gpointer) name))
            g_ptr_array_add (names, (gpointer) name);
        }
    }
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);

  gtk_string_list_splice (self->reference_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->reference_model)),
                          (const char * const *) names->pdata);
  /* keep the reference across files; else the one chosen last time, else
   * gradient, the bundled one */
  for (guint i = 0; i + 1 < names->len; i++)
    {
      if (g_str_equal (names->pdata[i], previous != NULL ? previous : chosen))
        wanted = i;
      if (g_str_equal (names->pdata[i], "gradient"))
        gradient = i;
    }
  if (names->len > 1)
    gtk_drop_down_set_selected (self->reference_dropdown, wanted != G_MAXUINT ? wanted : gradient);
}

/* A file or a reference chosen: the lists under it are filled again (their
 * choices made meanwhile are not heard), then the correlation computed */
static void
file_or_reference_selected_cb (GtkDropDown          *dropdown,
                               GParamSpec           *pspec,
                               AttnEvaluationWindow *self)
{
  if (self->updating)
    return;
  self->updating = TRUE;
  if (dropdown == self->file_dropdown)
    {
      fill_references (self);
      /* another file's plot: the table and the plot share the width anew */
      self->position_set = FALSE;
    }
  else if (current_reference (self) != NULL)
    /* the window opens on it next time */
    g_settings_set_string (self->settings, "evaluation-reference", current_reference (self));
  fill_examples (self);
  self->updating = FALSE;
  compute (self);
}

static void
example_selected_cb (GtkDropDown          *dropdown,
                     GParamSpec           *pspec,
                     AttnEvaluationWindow *self)
{
  if (self->updating || self->result == NULL)
    return;
  update_view (self);
}

static void
plot_example_toggled_cb (GtkCheckButton       *check,
                         AttnEvaluationWindow *self)
{
  if (self->result != NULL)
    update_view (self);
}

static void
exclude_toggled_cb (GtkCheckButton       *check,
                    AttnEvaluationWindow *self)
{
  if (!self->updating)
    compute (self);
}

static void
settings_changed_cb (GSettings            *settings,
                     const char           *key,
                     AttnEvaluationWindow *self)
{
  if (g_str_equal (key, "residual") || g_str_equal (key, "head-mix") || g_str_equal (key, "heads") ||
      g_str_equal (key, "weights"))
    compute (self);
}

static void
dark_changed_cb (AdwStyleManager      *manager,
                 GParamSpec           *pspec,
                 AttnEvaluationWindow *self)
{
  if (self->result != NULL)
    update_view (self);
}

/* Saving */

static void
plot_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AttnEvaluationWindow) self = user_data;

  self->n_saving--;
  attn_show_figure_saved (result, self->toast_overlay, &self->last_message);
}

/**
 * attn_evaluation_window_save_plot:
 * @file: where; the format follows the extension (.png, .svg, .pdf)
 *
 * Saves the plot shown, in the light style, laid out at the plot view's
 * size as the view lays it out, on a worker thread; the target is replaced
 * only once the new file is complete. The result is a toast.
 */
void
attn_evaluation_window_save_plot (AttnEvaluationWindow *self,
                                  GFile                *file)
{
  g_autoptr(AttnFigure) natural = NULL;
  g_autoptr(AttnFigure) figure = NULL;
  GtkWidget *view = GTK_WIDGET (self->plot_view);

  g_return_if_fail (ATTN_IS_EVALUATION_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->result == NULL || !attn_check_figure_file (file, self->toast_overlay, &self->last_message))
    return;
  natural = build_figure (self, FALSE);        /* for paper: the light style */
  figure = attn_figure_new_at_size (natural, gtk_widget_get_width (view), gtk_widget_get_height (view));
  self->n_saving++;
  attn_figure_save_async (figure, file, attn_png_scale (self->settings), NULL, plot_saved_cb,
                          g_object_ref (self));
}

/**
 * attn_evaluation_window_get_csv:
 *
 * Returns: (transfer full) (nullable): the table as `attnflow-cli correlate
 *   --format csv` writes it, or %NULL before a result
 */
char *
attn_evaluation_window_get_csv (AttnEvaluationWindow *self)
{
  g_return_val_if_fail (ATTN_IS_EVALUATION_WINDOW (self), NULL);

  return self->result ? attn_correlation_to_csv (self->result) : NULL;
}

/**
 * attn_evaluation_window_export_csv:
 *
 * Writes attn_evaluation_window_get_csv() to @file (attn_save_table()). The
 * result is a toast.
 */
void
attn_evaluation_window_export_csv (AttnEvaluationWindow *self,
                                   GFile                *file)
{
  g_autofree char *csv = NULL;

  g_return_if_fail (ATTN_IS_EVALUATION_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  csv = attn_evaluation_window_get_csv (self);
  if (csv != NULL)
    attn_save_table (file, csv, self->toast_overlay, &self->last_message);
}

static void
plot_chosen_cb (GFile   *file,
                GObject *owner)
{
  attn_evaluation_window_save_plot (ATTN_EVALUATION_WINDOW (owner), file);
}

static void
csv_chosen_cb (GFile   *file,
               GObject *owner)
{
  attn_evaluation_window_export_csv (ATTN_EVALUATION_WINDOW (owner), file);
}

/* The name Save Plot and Export CSV suggest: the file, its model, the
 * reference and the weights (attn_batch_correlation_file_name()); %NULL
 * without a result */
char *
_attn_evaluation_window_get_file_name (AttnEvaluationWindow *self,
                                       const char           *extension)
{
  AttnDocument *document = current_document (self);
  AttnGraphSettings *settings;

  if (self->result == NULL || document == NULL)
    return NULL;
  settings = attn_correlation_get_settings (self->result);
  return attn_batch_correlation_file_name (attn_document_get_path (document), attn_document_get_model (document),
                                           attn_correlation_get_reference (self->result),
                                           attn_graph_settings_get_weights (settings), extension);
}

/* Asks where to save the plot or the table */
static void
choose_file (AttnEvaluationWindow *self,
             const char           *title,
             const char           *extension,
             AttnFileChosenFunc    chosen)
{
  g_autofree char *name = _attn_evaluation_window_get_file_name (self, extension);

  if (name == NULL)
    return;
  attn_choose_save_file (GTK_WINDOW (self), title, name, chosen == plot_chosen_cb, chosen,
                         G_OBJECT (self));
}

static void
save_plot_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  choose_file (ATTN_EVALUATION_WINDOW (widget), _("Save Plot"), "png", plot_chosen_cb);
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  choose_file (ATTN_EVALUATION_WINDOW (widget), _("Export CSV"), "csv", csv_chosen_cb);
}

/* GObject */

static void
attn_evaluation_window_dispose (GObject *object)
{
  AttnEvaluationWindow *self = ATTN_EVALUATION_WINDOW (object);

  cancel (self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  attn_window_detach_tooltip (GTK_WINDOW (self));
  gtk_widget_dispose_template (GTK_WIDGET (self), ATTN_TYPE_EVALUATION_WINDOW);

  G_OBJECT_CLASS (attn_evaluation_window_parent_class)->dispose (object);
}

static void
attn_evaluation_window_finalize (GObject *object)
{
  AttnEvaluationWindow *self = ATTN_EVALUATION_WINDOW (object);

  g_clear_pointer (&self->documents, g_ptr_array_unref);
  g_clear_pointer (&self->examples, g_ptr_array_unref);
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_pointer (&self->initial, attn_example_unref);
  g_clear_pointer (&self->result, attn_correlation_unref);
  g_clear_pointer (&self->figure, attn_figure_unref);
  g_clear_object (&self->file_model);
  g_clear_object (&self->reference_model);
  g_clear_object (&self->example_model);
  g_clear_object (&self->settings);
  g_free (self->last_message);

  G_OBJECT_CLASS (attn_evaluation_window_parent_class)->finalize (object);
}

static void
attn_evaluation_window_class_init (AttnEvaluationWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_evaluation_window_dispose;
  object_class->finalize = attn_evaluation_window_finalize;

  g_type_ensure (ATTN_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/attnflow/AttnFlow/ui/attn-evaluation-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, file_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, reference_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, example_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, settings_label);
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, example_label);
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, exclude_check);
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, plot_example_check);
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, table);
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, layer_table);
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, table_scroller);
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, table_scrollbar);
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, plot_view);
  gtk_widget_class_bind_template_child (widget_class, AttnEvaluationWindow, toast_overlay);

  gtk_widget_class_install_action (widget_class, "evaluation.save-plot", NULL, save_plot_action);
  attn_toast_install_details_action (widget_class);
  gtk_widget_class_install_action (widget_class, "evaluation.export-csv", NULL, export_csv_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "evaluation.save-plot", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "evaluation.export-csv", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
attn_evaluation_window_init (AttnEvaluationWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* the labels of messages: Korean wraps between words */
  attn_label_wrap_between_words (self->settings_label);
  attn_label_wrap_between_words (self->status_label);
  attn_label_wrap_between_words (self->example_label);
  _attn_evaluation_table_init_scrollbar (self->table_scroller, self->table_scrollbar);
  /* beside the means at 900 px, the plot whole */
  attn_figure_view_set_min_text_size (self->plot_view, PLOT_MIN_TEXT_SIZE);

  self->settings = g_settings_new (APP_ID);
  self->documents = g_ptr_array_new_with_free_func ((GDestroyNotify) attn_document_unref);
  self->examples = g_ptr_array_new_with_free_func ((GDestroyNotify) attn_example_unref);
  self->cells = g_ptr_array_new_with_free_func (g_free);
  self->file_model = gtk_string_list_new (NULL);
  self->reference_model = gtk_string_list_new (NULL);
  self->example_model = gtk_string_list_new (NULL);

  gtk_drop_down_set_model (self->file_dropdown, G_LIST_MODEL (self->file_model));
  _attn_evaluation_reference_dropdown_init (self->reference_dropdown, G_LIST_MODEL (self->reference_model));
  gtk_drop_down_set_model (self->example_dropdown, G_LIST_MODEL (self->example_model));
  /* the file's name in the header bar shortens before the title does, an
   * example's id in its pane too (one of 150 characters squeezed the plot);
   * their lists show them whole */
  attn_choice_drop_down_init (self->file_dropdown);
  attn_choice_drop_down_init (self->example_dropdown);
  g_settings_bind (self->settings, "evaluation-exclude-special", self->exclude_check, "active",
                   G_SETTINGS_BIND_DEFAULT);
  update_actions (self);

  g_signal_connect (self->file_dropdown, "notify::selected", G_CALLBACK (file_or_reference_selected_cb), self);
  g_signal_connect (self->reference_dropdown, "notify::selected", G_CALLBACK (file_or_reference_selected_cb), self);
  g_signal_connect (self->example_dropdown, "notify::selected", G_CALLBACK (example_selected_cb), self);
  g_signal_connect (self->exclude_check, "toggled", G_CALLBACK (exclude_toggled_cb), self);
  g_signal_connect (self->plot_example_check, "toggled", G_CALLBACK (plot_example_toggled_cb), self);
  g_signal_connect (self->settings, "changed", G_CALLBACK (settings_changed_cb), self);
  g_signal_connect (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (dark_changed_cb), self);
  /* the paned's largest position follows its width */
  g_signal_connect_swapped (self->paned, "notify::max-position", G_CALLBACK (paned_resized_cb), self);
  attn_hide_tooltips_of_open_lists (GTK_WIDGET (self));
}

/**
 * attn_evaluation_window_new:
 * @parent: the main window
 * @documents: (element-type AttnDocument): the open documents; those whose
 *   examples carry references are offered
 * @current: (nullable): the main window's example: its file is chosen first,
 *   and it is the example shown in the last columns
 *
 * Returns: (transfer none): the new window; the computation has started
 */
GtkWindow *
attn_evaluation_window_new (GtkWindow   *parent,
                            GPtrArray   *documents,
                            AttnExample *current)
{
  AttnEvaluationWindow *self;
  g_auto(GStrv) names = NULL;
  guint selected = 0;

  g_return_val_if_fail (documents != NULL, NULL);

  self = g_object_new (ATTN_TYPE_EVALUATION_WINDOW, "transient-for", parent, NULL);
  /* the application's: Ctrl+Q quits from it, Ctrl+W closes it; it goes with
   * the main window, its computation stopped first (the task holds it) */
  if (parent != NULL)
    {
      g_signal_connect_object (parent, "destroy", G_CALLBACK (cancel), self, G_CONNECT_SWAPPED);
      attn_window_join_parent (GTK_WINDOW (self), parent);
    }
  if (current != NULL)
    self->initial = attn_example_ref (current);

  self->updating = TRUE;
  for (guint d = 0; d < documents->len; d++)
    {
      AttnDocument *document = g_ptr_array_index (documents, d);

      if (!attn_document_has_references (document))
        continue;
      for (guint i = 0; current != NULL && i < attn_document_get_n_examples (document); i++)
        if (attn_document_get_example (document, i) == current)
          selected = self->documents->len;
      g_ptr_array_add (self->documents, attn_document_ref (document));
    }
  /* files of the same name told apart by their folders, shown as in the
   * example picker (attn_text_from_file_name()) */
  names = attn_document_names_distinct (self->documents);
  for (guint d = 0; names[d] != NULL; d++)
    gtk_string_list_take (self->file_model, attn_text_from_file_name (names[d]));
  gtk_widget_set_visible (GTK_WIDGET (self->file_dropdown), self->documents->len > 1);
  if (self->documents->len > 0)
    gtk_drop_down_set_selected (self->file_dropdown, selected);
  fill_references (self);
  fill_examples (self);
  self->updating = FALSE;
  compute (self);

  return GTK_WINDOW (self);
}

gboolean
attn_evaluation_window_is_busy (AttnEvaluationWindow *self)
{
  g_return_val_if_fail (ATTN_IS_EVALUATION_WINDOW (self), FALSE);

  return self->progress != NULL || self->n_saving > 0;
}

const char *
attn_evaluation_window_get_reference (AttnEvaluationWindow *self)
{
  g_return_val_if_fail (ATTN_IS_EVALUATION_WINDOW (self), NULL);

  return current_reference (self);
}

/**
 * attn_evaluation_window_set_reference:
 *
 * Returns: %FALSE when the file has no such reference
 */
gboolean
attn_evaluation_window_set_reference (AttnEvaluationWindow *self,
                                      const char           *name)
{
  g_return_val_if_fail (ATTN_IS_EVALUATION_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->reference_model)); i++)
    if (g_str_equal (gtk_string_list_get_string (self->reference_model, i), name))
      {
        if (gtk_drop_down_get_selected (self->reference_dropdown) == i)
          compute (self);
        else
          gtk_drop_down_set_selected (self->reference_dropdown, i);
        return TRUE;
      }
  return FALSE;
}

/**
 * attn_evaluation_window_get_example:
 *
 * Returns: (transfer none) (nullable): the example of the last columns
 */
AttnExample *
attn_evaluation_window_get_example (AttnEvaluationWindow *self)
{
  guint selected;

  g_return_val_if_fail (ATTN_IS_EVALUATION_WINDOW (self), NULL);

  selected = gtk_drop_down_get_selected (self->example_dropdown);
  return selected < self->examples->len ? g_ptr_array_index (self->examples, selected) : NULL;
}

/**
 * attn_evaluation_window_get_summary:
 * @n_examples: (out) (optional)
 * @n_layers: (out) (optional)
 * @mean: (out) (optional) (transfer none): %ATTN_N_METHODS * L
 * @std: (out) (optional) (transfer none)
 * @nan_count: (out) (optional) (transfer none)
 * @example_rho: (out) (optional) (transfer none) (nullable): the example's ρ
 *
 * The numbers behind the table, as attn_correlation_summarize() gives them.
 *
 * Returns: %FALSE before a result (computing, or an error)
 */
gboolean
attn_evaluation_window_get_summary (AttnEvaluationWindow  *self,
                                    guint                 *n_examples,
                                    guint                 *n_layers,
                                    const double         **mean,
                                    const double         **std,
                                    const guint          **nan_count,
                                    const double         **example_rho)
{
  g_return_val_if_fail (ATTN_IS_EVALUATION_WINDOW (self), FALSE);

  if (self->result == NULL)
    return FALSE;
  if (n_examples)
    *n_examples = attn_correlation_get_n_examples (self->result);
  if (n_layers)
    *n_layers = attn_correlation_get_n_layers (self->result);
  if (mean)
    *mean = attn_correlation_get_mean (self->result);
  if (std)
    *std = attn_correlation_get_std (self->result);
  if (nan_count)
    *nan_count = attn_correlation_get_nan_count (self->result);
  if (example_rho)
    *example_rho = example_values (self);
  return TRUE;
}

/**
 * _attn_evaluation_window_get_cell_text:
 * @layer: 1..L
 * @column: 0-2 the means of raw, rollout, flow; 3-5 the example's values
 *
 * Returns: (nullable): the text of a table cell
 */
const char *
_attn_evaluation_window_get_cell_text (AttnEvaluationWindow *self,
                                       guint                 layer,
                                       guint                 column)
{
  gsize index;

  g_return_val_if_fail (ATTN_IS_EVALUATION_WINDOW (self), NULL);
  g_return_val_if_fail (column < N_COLUMNS, NULL);

  index = (gsize) (layer - 1) * N_COLUMNS + column;
  if (layer == 0 || index >= self->cells->len)
    return NULL;
  return g_ptr_array_index (self->cells, index);
}

/**
 * attn_evaluation_window_get_figure:
 *
 * Returns: (transfer none) (nullable): the plot shown
 */
AttnFigure *
attn_evaluation_window_get_figure (AttnEvaluationWindow *self)
{
  g_return_val_if_fail (ATTN_IS_EVALUATION_WINDOW (self), NULL);

  return self->figure;
}

const char *
_attn_evaluation_window_get_status (AttnEvaluationWindow *self)
{
  return gtk_label_get_text (self->status_label);
}

/* the grid of values, which scrolls sideways, and the Layer column beside it */
GtkGrid *
_attn_evaluation_window_get_table (AttnEvaluationWindow  *self,
                                   GtkGrid              **layers)
{
  g_return_val_if_fail (ATTN_IS_EVALUATION_WINDOW (self), NULL);

  *layers = self->layer_table;
  return self->table;
}

/* the scrollbar under the values */
GtkScrollbar *
_attn_evaluation_window_get_table_scrollbar (AttnEvaluationWindow *self)
{
  g_return_val_if_fail (ATTN_IS_EVALUATION_WINDOW (self), NULL);

  return self->table_scrollbar;
}

/* the line of the settings over the table */
const char *
_attn_evaluation_window_get_settings_text (AttnEvaluationWindow *self)
{
  return gtk_label_get_text (self->settings_label);
}

GtkDropDown *
_attn_evaluation_window_get_file_dropdown (AttnEvaluationWindow *self)
{
  g_return_val_if_fail (ATTN_IS_EVALUATION_WINDOW (self), NULL);

  return self->file_dropdown;
}

GtkWidget *
_attn_evaluation_window_get_plot_view (AttnEvaluationWindow *self)
{
  return GTK_WIDGET (self->plot_view);
}

/* "Plot the selected example": its dashed line in the plot */
GtkCheckButton *
_attn_evaluation_window_get_plot_example_check (AttnEvaluationWindow *self)
{
  return self->plot_example_check;
}

const char *
_attn_evaluation_window_get_last_message (AttnEvaluationWindow *self)
{
  g_return_val_if_fail (ATTN_IS_EVALUATION_WINDOW (self), NULL);

  return self->last_message;
}
