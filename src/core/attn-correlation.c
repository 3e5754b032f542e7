/* attn-correlation.c: the paper's Tables 1 and 2 for a file: each method against a reference
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "attn-correlation.h"
#include "attn-error.h"
#include "attn-refcount.h"
#include "attn-task.h"

struct _AttnCorrelation
{
  char                   *reference;
  AttnGraphSettings      *settings;
  AttnCorrelationMethods  methods;
  gboolean                exclude_special;
  guint                   n_layers;
  guint                   n_lacking;   /* carry the reference, not the weights */
  GPtrArray              *examples;    /* AttnExample */
  double                 *rho;         /* examples * ATTN_N_METHODS * L */
  double                 *mean;        /* ATTN_N_METHODS * L */
  double                 *std;
  guint                  *nan_count;
};

G_DEFINE_BOXED_TYPE (AttnCorrelation, attn_correlation, attn_correlation_ref, attn_correlation_unref)

static void
correlation_clear (gpointer data)
{
  AttnCorrelation *self = data;

  g_free (self->reference);
  g_clear_pointer (&self->settings, attn_graph_settings_unref);
  g_clear_pointer (&self->examples, g_ptr_array_unref);
  g_free (self->rho);
  g_free (self->mean);
  g_free (self->std);
  g_free (self->nan_count);
}

ATTN_DEFINE_RC_BOX_REFS (AttnCorrelation, attn_correlation, correlation_clear)

/* The names of the references @document's examples carry, in the order
 * they first appear, comma-separated, as messages quote a file's text
 * (attn_error_quote_text()); NULL when none carries any */
static char *
dup_reference_names (AttnDocument *document)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GString *out;

  for (guint i = 0; i < attn_document_get_n_examples (document); i++)
    {
      AttnExample *example = attn_document_get_example (document, i);

      for (guint r = 0; r < attn_example_get_n_references (example); r++)
        {
          const char *name = attn_example_get_reference_name (example, r);

          if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
            g_ptr_array_add (names, (gpointer) name);
        }
    }
  if (names->len == 0)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *shown = attn_error_quote_text (g_ptr_array_index (names, i));

      g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", shown);
    }
  return g_string_free (out, FALSE);
}

/* The examples of @document that carry the reference and the weights: one
 * model (one L) */
static gboolean
select_examples (AttnCorrelation  *self,
                 AttnDocument     *document,
                 GError          **error)
{
  AttnWeightKind weights = attn_graph_settings_get_weights (self->settings);

  for (guint i = 0; i < attn_document_get_n_examples (document); i++)
    {
      AttnExample *example = attn_document_get_example (document, i);

      if (attn_example_get_reference (example, self->reference) == NULL)
        continue;
      if (!attn_example_has_weights (example, weights))
        {
          self->n_lacking++;
          continue;
        }
      if (!attn_add_example_of_one_model (self->examples, &self->n_layers, example, "correlate", error))
        return FALSE;
    }
  if (self->examples->len == 0)
    {
      g_autofree char *display = attn_document_get_display_name (document);
      g_autofree char *reference = attn_error_quote_text (self->reference);
      g_autofree char *carried = NULL;

      if (self->n_lacking > 0)
        /* translators: the first %s is a file, the second a reference such as "gradient", the
         * third a weight kind such as "globenc" */
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                     _("%s: No example that carries references.%s carries “%s” weights"),
                     display, reference, attn_weight_kind_get_name (weights));
      else if ((carried = dup_reference_names (document)) != NULL)
        /* translators: the first %s is a file, the second the reference asked for (a
         * misspelt one, say), the third the names of those the examples carry, such as
         * "blankout, gradient" */
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                     _("%s: No example carries references.%s (the examples carry: %s)"),
                     display, reference, carried);
      else
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                     _("%s: No example carries references.%s"), display, reference);
      return FALSE;
    }
  return TRUE;
}

/**
 * attn_correlation_run:
 * @document: the file
 * @reference: the name of a reference, such as "gradient"
 * @settings: how to build each example's graph
 * @methods: the methods to correlate (the others are NaN)
 * @exclude_special: leave special tokens and the focus token out of the ranks
 * @progress: (nullable) (scope call): the fraction done, over all examples
 * @user_data: closure for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Correlates every example of @document that carries `references.@reference`
 * and the weights of @settings (attn_correlate_example()) and summarises them
 * per method and layer (attn_correlation_summarize()); examples with the
 * reference but not the weights are left out and counted
 * (attn_correlation_get_n_lacking()). Synchronous: call it from a worker.
 *
 * Returns: (transfer full) (nullable): the result, or %NULL with @error set
 *   (no example carries the reference and the weights, examples of different
 *   models, a head a model lacks, cancelled)
 */
AttnCorrelation *
attn_correlation_run (AttnDocument            *document,
                      const char              *reference,
                      AttnGraphSettings       *settings,
                      AttnCorrelationMethods   methods,
                      gboolean                 exclude_special,
                      AttnProgressFunc         progress,
                      gpointer                 user_data,
                      GCancellable            *cancellable,
                      GError                 **error)
{
  g_autoptr(AttnCorrelation) self = NULL;
  AttnStepProgress state = { progress, user_data, 0, 1 };
  AttnFlowOptions options = { FALSE, 0, attn_step_progress_flow_cb, &state };
  gsize stride;

  g_return_val_if_fail (document != NULL, NULL);
  g_return_val_if_fail (reference != NULL, NULL);
  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  self = g_atomic_rc_box_new0 (AttnCorrelation);
  self->reference = g_strdup (reference);
  self->settings = attn_graph_settings_ref (settings);
  self->methods = methods & ATTN_CORRELATION_ALL;
  self->exclude_special = exclude_special;
  self->examples = g_ptr_array_new_with_free_func ((GDestroyNotify) attn_example_unref);
  if (!select_examples (self, document, error))
    return NULL;

  stride = (gsize) ATTN_N_METHODS * self->n_layers;
  self->rho = g_new (double, self->examples->len * stride);
  state.n_steps = self->examples->len;
  for (guint e = 0; e < self->examples->len; e++)
    {
      g_autoptr(AttnGraph) graph = NULL;

      state.step = e;
      attn_step_progress_report (&state, 0.);
      graph = attn_graph_new_from_settings (g_ptr_array_index (self->examples, e), settings,
                                            cancellable, error);
      if (graph == NULL ||
          !attn_correlate_example (graph, reference, self->methods, exclude_special, &options,
                                   self->rho + e * stride, cancellable, error))
        return NULL;
    }

  self->mean = g_new (double, stride);
  self->std = g_new (double, stride);
  self->nan_count = g_new (guint, stride);
  attn_correlation_summarize (self->rho, self->examples->len, self->n_layers, self->mean,
                              self->std, self->nan_count);
  if (progress != NULL)
    progress (1., user_data);
  return g_steal_pointer (&self);
}

typedef struct
{
  AttnDocument           *document;
  char                   *reference;
  AttnGraphSettings      *settings;
  AttnCorrelationMethods  methods;
  gboolean                exclude_special;
  AttnProgress           *progress;
} RunJob;

static void
run_job_free (gpointer data)
{
  RunJob *job = data;

  attn_document_unref (job->document);
  g_free (job->reference);
  attn_graph_settings_unref (job->settings);
  g_clear_pointer (&job->progress, attn_progress_unref);
  g_free (job);
}

static void
report_cb (double   fraction,
           gpointer user_data)
{
  if (user_data != NULL)
    attn_progress_report (fraction, user_data);
}

static void
run_worker (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunJob *job = task_data;
  GError *error = NULL;
  AttnCorrelation *result;

  result = attn_correlation_run (job->document, job->reference, job->settings, job->methods,
                                 job->exclude_special, report_cb, job->progress, cancellable,
                                 &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) attn_correlation_unref);
}

/**
 * attn_correlation_run_async:
 * @progress: (nullable): where the job reports its progress
 *
 * Runs attn_correlation_run() on a worker thread.
 */
void
attn_correlation_run_async (AttnDocument           *document,
                            const char             *reference,
                            AttnGraphSettings      *settings,
                            AttnCorrelationMethods  methods,
                            gboolean                exclude_special,
                            AttnProgress           *progress,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  RunJob *job;

  g_return_if_fail (document != NULL);
  g_return_if_fail (reference != NULL);
  g_return_if_fail (settings != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (RunJob, 1);
  job->document = attn_document_ref (document);
  job->reference = g_strdup (reference);
  job->settings = attn_graph_settings_ref (settings);
  job->methods = methods;
  job->exclude_special = exclude_special;
  job->progress = progress ? attn_progress_ref (progress) : NULL;
  attn_task_run_in_thread (attn_correlation_run_async, job, run_job_free, run_worker, cancellable,
                           callback, user_data);
}

/**
 * attn_correlation_run_finish:
 *
 * Returns: (transfer full) (nullable): the result, or %NULL with @error set
 *   (%G_IO_ERROR_CANCELLED when cancelled)
 */
AttnCorrelation *
attn_correlation_run_finish (GAsyncResult  *result,
                             GError       **error)
{
  return attn_task_propagate_pointer (result, attn_correlation_run_async, error);
}

const char *
attn_correlation_get_reference (const AttnCorrelation *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->reference;
}

/**
 * attn_reference_get_label:
 * @name: a reference's name in an export (`references.NAME`)
 *
 * Returns: its name for people (translated) for the references
 *   attnflow-export writes, "Blank-out" and "Input gradient";
 *   @name itself for another (the format allows any). The CLI's text, CSV
 *   and JSON keep the names of the file; its plots (`correlate --plot`, the
 *   window's renderer) use these.
 */
const char *
attn_reference_get_label (const char *name)
{
  if (g_strcmp0 (name, "blankout") == 0)
    /* translators: the reference `blankout`: each token's importance by blank-out ablation */
    return _("Blank-out");
  if (g_strcmp0 (name, "gradient") == 0)
    /* translators: the reference `gradient`: each token's importance by the input gradient */
    return _("Input gradient");
  return name;
}

/**
 * attn_correlation_get_settings:
 *
 * Returns: (transfer none): the settings the graphs were built with
 */
AttnGraphSettings *
attn_correlation_get_settings (const AttnCorrelation *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->settings;
}

AttnCorrelationMethods
attn_correlation_get_methods (const AttnCorrelation *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->methods;
}

gboolean
attn_correlation_get_exclude_special (const AttnCorrelation *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->exclude_special;
}

guint
attn_correlation_get_n_layers (const AttnCorrelation *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_layers;
}

/**
 * attn_correlation_get_n_lacking:
 *
 * Returns: how many examples carry the reference but not the settings'
 *   weights, and were left out
 */
guint
attn_correlation_get_n_lacking (const AttnCorrelation *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_lacking;
}

guint
attn_correlation_get_n_examples (const AttnCorrelation *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->examples->len;
}

/**
 * attn_correlation_get_example:
 *
 * Returns: (transfer none): the @index-th example correlated, in file order
 */
AttnExample *
attn_correlation_get_example (const AttnCorrelation *self,
                              guint                  index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->examples->len, NULL);

  return g_ptr_array_index (self->examples, index);
}

/**
 * attn_correlation_get_rho:
 *
 * Returns: (array): %ATTN_N_METHODS * L values of example @index:
 *   `[m * L + (l-1)]` is ρ of method m at layer l (NaN for a method not run)
 */
const double *
attn_correlation_get_rho (const AttnCorrelation *self,
                          guint                  index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->examples->len, NULL);

  return self->rho + (gsize) index * ATTN_N_METHODS * self->n_layers;
}

/**
 * attn_correlation_get_mean:
 *
 * Returns: (array): %ATTN_N_METHODS * L means over the examples, NaN left out
 */
const double *
attn_correlation_get_mean (const AttnCorrelation *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->mean;
}

/**
 * attn_correlation_get_std:
 *
 * Returns: (array): %ATTN_N_METHODS * L sample standard deviations
 */
const double *
attn_correlation_get_std (const AttnCorrelation *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->std;
}

/**
 * attn_correlation_get_nan_count:
 *
 * Returns: (array): %ATTN_N_METHODS * L counts of the examples that gave NaN
 */
const guint *
attn_correlation_get_nan_count (const AttnCorrelation *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->nan_count;
}

/**
 * attn_correlation_append_csv_table:
 * @out: where to append
 * @flags: where the weights go, and whether to write the header
 *
 * Appends the table attn_correlation_append_csv() writes, with the settings
 * that made its numbers in the last columns, as the JSON names them:
 * `method,layer,mean,std,examples,nan_count,reference,weights,residual,heads,head_mix,exclude_special`
 * (attn_csv_columns_init(); `exclude_special` is `true` or `false`). A
 * table of several weight kinds gives each kind's with
 * %ATTN_CSV_WEIGHTS_FIRST, the first with a header.
 */
void
attn_correlation_append_csv_table (const AttnCorrelation *self,
                                   GString               *out,
                                   AttnCsvFlags           flags)
{
  g_auto(AttnCsvColumns) columns = { 0 };

  g_return_if_fail (self != NULL);
  g_return_if_fail (out != NULL);

  attn_csv_columns_init (&columns, self->reference, self->settings, flags);
  attn_csv_columns_add (&columns, "exclude_special", self->exclude_special ? "true" : "false");
  attn_correlation_append_csv (out, self->methods, self->n_layers, self->examples->len,
                               self->mean, self->std, self->nan_count, &columns);
}

/**
 * attn_correlation_to_csv:
 *
 * Returns: (transfer full): the table as `attnflow-cli correlate --format
 *   csv` writes it for one weight kind and the evaluation window exports it
 *   (attn_correlation_append_csv_table())
 */
char *
attn_correlation_to_csv (const AttnCorrelation *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  attn_correlation_append_csv_table (self, out, ATTN_CSV_DEFAULT);
  return g_string_free (out, FALSE);
}

/* The settings line, the weights named also when they are the attention
 * with @name_weights, by their label with @label_weights (the window's) */
static char *
describe (const char              *file,
          guint                    n_examples,
          const AttnGraphSettings *settings,
          gboolean                 heads_apply,
          gboolean                 exclude_special,
          gboolean                 name_weights,
          gboolean                 label_weights)
{
  GString *out = g_string_new (NULL);

  attn_graph_settings_describe_examples (settings, file, n_examples, heads_apply, name_weights,
                                         label_weights, out);
  g_string_append (out, "; ");
  g_string_append (out, exclude_special ? _("special tokens and the focus token left out")
                                        : _("all tokens ranked"));
  return g_string_free (out, FALSE);
}

/* describe() for @self's examples and settings */
static char *
describe_result (const AttnCorrelation *self,
                 const char            *file,
                 gboolean               name_weights,
                 gboolean               label_weights)
{
  return describe (file, self->examples->len, self->settings,
                   attn_graph_settings_get_heads_apply (self->settings, self->examples),
                   self->exclude_special, name_weights, label_weights);
}

/**
 * attn_correlation_describe_settings:
 * @file: (nullable): the file's name as shown
 * @n_examples: how many examples were correlated
 * @settings: the graph settings
 * @heads_apply: whether the examples' weights have heads
 *   (attn_graph_settings_get_heads_apply())
 * @exclude_special: whether special tokens were left out of the ranks
 *
 * Returns: (transfer full): the evaluation window's settings line, such as
 *   "sst2-bert.json: 5 examples; residual 0.5, heads all, head mix mean;
 *   all tokens ranked"; weights other than the attention are named after
 *   the examples, as the window's table and legend name them ("5 examples;
 *   weights ALTI (the residual is in them); heads all, …")
 */
char *
attn_correlation_describe_settings (const char              *file,
                                    guint                    n_examples,
                                    const AttnGraphSettings *settings,
                                    gboolean                 heads_apply,
                                    gboolean                 exclude_special)
{
  g_return_val_if_fail (settings != NULL, NULL);

  return describe (file, n_examples, settings, heads_apply, exclude_special, FALSE, TRUE);
}

/**
 * attn_correlation_describe:
 * @file: (nullable): the file's name as shown
 * @name_weights: whether to name the weights also when they are the
 *   attention (a line among those of other kinds)
 *
 * Returns: (transfer full): the settings line of the result, the CLI's
 *   text: the weights named by their keyword ("weights alti"), as --weights
 *   takes it (its plot's caption: attn_correlation_describe_figure())
 */
char *
attn_correlation_describe (const AttnCorrelation *self,
                           const char            *file,
                           gboolean               name_weights)
{
  g_return_val_if_fail (self != NULL, NULL);

  return describe_result (self, file, name_weights, FALSE);
}

/**
 * attn_correlation_describe_figure:
 * @file: (nullable): the file's name as shown (in a plot, its base name)
 * @name_weights: whether to name the weights also when they are the
 *   attention (a line among those of other kinds)
 *
 * Returns: (transfer full): the settings line of the result in its plot's
 *   caption, the evaluation window's and `attnflow-cli correlate --plot`'s
 *   alike: the weights named as the other figures' captions and legends
 *   name them ("weights ALTI", "weights Attention × gradient"), not by the
 *   keyword of the CLI's text (attn_correlation_describe())
 */
char *
attn_correlation_describe_figure (const AttnCorrelation *self,
                                  const char            *file,
                                  gboolean               name_weights)
{
  g_return_val_if_fail (self != NULL, NULL);

  return describe_result (self, file, name_weights, TRUE);
}

/**
 * attn_correlation_command_line:
 * @path: (nullable): the file, "FILE" when %NULL
 * @reference: the reference
 * @settings: the graph settings
 * @exclude_special: whether special tokens are left out of the ranks
 *
 * Returns: (transfer full): the `attnflow-cli correlate` line that prints
 *   the table of these settings
 */
char *
attn_correlation_command_line (const char              *path,
                               const char              *reference,
                               const AttnGraphSettings *settings,
                               gboolean                 exclude_special)
{
  GString *out;
  g_autofree char *file = NULL;
  g_autofree char *quoted = NULL;
  const char *heads;
  double residual;

  g_return_val_if_fail (reference != NULL, NULL);
  g_return_val_if_fail (settings != NULL, NULL);

  out = g_string_new ("attnflow-cli correlate ");
  file = g_shell_quote (path ? path : "FILE");
  quoted = g_shell_quote (reference);
  g_string_append_printf (out, "%s --reference %s", file, quoted);
  if (attn_graph_settings_get_weights (settings) != ATTN_WEIGHT_KIND_ATTENTION)
    g_string_append_printf (out, " --weights %s",
                            attn_weight_kind_get_name (attn_graph_settings_get_weights (settings)));
  residual = attn_graph_settings_get_residual (settings);
  if (residual != 0.5 && attn_graph_settings_get_residual_applies (settings))
    {
      char text[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (out, " --residual %s",
                              g_ascii_formatd (text, sizeof text, "%g", residual));
    }
  heads = attn_graph_settings_get_heads (settings);
  if (g_strcmp0 (heads, "all") != 0)
    {
      g_autofree char *quoted_heads = g_shell_quote (heads);

      g_string_append_printf (out, " --heads %s", quoted_heads);
    }
  if (attn_graph_settings_get_head_mix (settings) == ATTN_HEAD_MIX_MAX)
    g_string_append (out, " --head-mix max");
  if (exclude_special)
    g_string_append (out, " --exclude-special");
  return g_string_free (out, FALSE);
}

/**
 * attn_correlation_format_mean:
 *
 * Returns: (transfer full): a table cell: "+0.412 ± 0.093", "NaN", with
 *   " (2 NaN)" when some examples gave NaN
 */
char *
attn_correlation_format_mean (double mean,
                              double std,
                              guint  nan_count)
{
  GString *cell = g_string_new (NULL);

  if (isnan (mean))
    g_string_append (cell, "NaN");
  else
    {
      g_string_append_printf (cell, "%+.3f", mean);
      if (!isnan (std))
        g_string_append_printf (cell, " ± %.3f", std);
    }
  if (nan_count > 0)
    /* translators: how many examples gave NaN for this method and layer */
    g_string_append_printf (cell, _(" (%u NaN)"), nan_count);
  return g_string_free (cell, FALSE);
}

/**
 * attn_correlation_format_value:
 *
 * Returns: (transfer full): one ρ as a table shows it: "+0.412" or "NaN"
 */
char *
attn_correlation_format_value (double value)
{
  return isnan (value) ? g_strdup ("NaN") : g_strdup_printf ("%+.3f", value);
}

/**
 * attn_correlation_count_defined:
 * @methods: the methods run (the others' cells are not counted)
 * @n_layers: L
 * @n_examples: how many examples were correlated
 * @nan_count: (array): as from attn_correlation_summarize()
 * @least: (out): the fewest examples a mean is over (with a defined ρ)
 * @most: (out): the most
 *
 * How many examples the means are over, NaN left out, as the table's
 * heading (attn_correlation_format_heading()) and the plot's caption say.
 * With no cell, @least is @n_examples and @most 0.
 */
void
attn_correlation_count_defined (AttnCorrelationMethods  methods,
                                guint                   n_layers,
                                guint                   n_examples,
                                const guint            *nan_count,
                                guint                  *least,
                                guint                  *most)
{
  *least = n_examples;
  *most = 0;
  g_return_if_fail (nan_count != NULL || n_layers == 0);

  for (guint m = 0; m < ATTN_N_METHODS; m++)
    for (guint l = 0; (methods & (1 << m)) != 0 && l < n_layers; l++)
      {
        guint defined = n_examples - MIN (nan_count[(gsize) m * n_layers + l], n_examples);

        *least = MIN (*least, defined);
        *most = MAX (*most, defined);
      }
}

/**
 * attn_correlation_format_heading:
 * @methods: the methods run (the others' cells are not shown)
 * @n_layers: L
 * @n_examples: how many examples were correlated
 * @nan_count: (array): as from attn_correlation_summarize()
 *
 * The heading of the table of means, saying how many examples a mean is
 * over: "Mean ± std over 5 examples" when every ρ is defined; with NaN
 * (left out of the means, counted in the cells' " (1 NaN)"), how many are
 * left: "Mean ± std over 4 of 5 examples (1 NaN left out)" when that is the
 * same in every cell, "Mean ± std over 3–5 of 5 examples (NaN left out,
 * counted per cell)" when not.
 *
 * Returns: (transfer full): the heading
 */
char *
attn_correlation_format_heading (AttnCorrelationMethods  methods,
                                 guint                   n_layers,
                                 guint                   n_examples,
                                 const guint            *nan_count)
{
  guint least, most;

  g_return_val_if_fail (nan_count != NULL || n_layers == 0, NULL);

  attn_correlation_count_defined (methods, n_layers, n_examples, nan_count, &least, &most);
  if (least > most || least == n_examples)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Mean ± std over %u example",
                                         "Mean ± std over %u examples", n_examples),
                            n_examples);
  if (most == 0)
    return g_strdup (_("No mean: every example’s ρ is NaN (a constant side)"));
  if (least == most)
    /* translators: how many examples the means are over, how many were correlated, and
     * how many of them gave NaN, left out: "Mean ± std over 4 of 5 examples (1 NaN left out)" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Mean ± std over %u of %u example (%u NaN left out)",
                                         "Mean ± std over %u of %u examples (%u NaN left out)",
                                         n_examples),
                            least, n_examples, n_examples - least);
  /* translators: the fewest and the most examples a mean is over, then how many were
   * correlated: "Mean ± std over 3–5 of 5 examples (NaN left out, counted per cell)" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Mean ± std over %u–%u of %u example (NaN left out, counted per cell)",
                                       "Mean ± std over %u–%u of %u examples (NaN left out, counted per cell)",
                                       n_examples),
                          least, most, n_examples);
}
