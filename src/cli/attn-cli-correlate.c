/* attn-cli-correlate.c: `attnflow-cli correlate FILE --reference NAME`
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For every example that carries references.NAME, at its focus token: the
 * Spearman correlation between the reference and each method's importance of
 * the input tokens for node (l, focus), at every layer l (the paper's Tables 1
 * and 2). Summarised per method and layer as mean, sample standard deviation
 * and NaN count (NaN: a constant side; left out of the mean and counted).
 * With several weight kinds (`--weights all` or a list), one such result per
 * kind: one text table with a weights column, a JSON array, CSV rows with a
 * weights column. `--plot OUT` also draws the means as the evaluation plot
 * (over several kinds: a panel per method, a line per kind), laid out at
 * `--plot-size WxH` as the evaluation window lays it out in a view of that
 * size.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "attn-cli-figures.h"

typedef struct
{
  AttnCliKindState  kind;
  char             *reference;
  gboolean          exclude_special;
  char             *plot;
  char             *plot_size;
  double            plot_width;   /* --plot-size, or 0: the natural size */
  double            plot_height;

  guint             n_layers;
  guint             n_examples;
} Correlate;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Correlate *self = user_data;
  guint total = self->n_examples * self->kind.n_jobs;
  double done = (self->kind.job + fraction) * self->n_examples;
  guint job = MIN ((guint) done, total - 1);

  attn_cli_progress_update_job (&self->kind.progress, job, total, done - job);
}

/* The examples that carry the reference (and, unless @weights is all
 * kinds, 1 << ATTN_N_WEIGHT_KINDS, one of @weights): to count them for the
 * progress; @carried gets the kinds they carry */
static guint
count_examples (AttnDocument *document,
                const char   *reference,
                guint        *carried)
{
  guint count = 0;

  *carried = 0;
  for (guint i = 0; i < attn_document_get_n_examples (document); i++)
    {
      AttnExample *example = attn_document_get_example (document, i);

      if (attn_example_get_reference (example, reference) == NULL)
        continue;
      count++;
      *carried |= attn_example_get_weight_kinds (example);
    }
  return count;
}

static void
format_json (AttnCliKindState *state,
             GString          *out,
             gpointer          data)
{
  Correlate *self = (Correlate *) state;
  AttnCorrelation *result = data;
  guint L = self->n_layers, n_examples = attn_correlation_get_n_examples (result);

  g_string_append (out, "{\"reference\": ");
  attn_cli_append_json_string (out, self->reference);
  g_string_append (out, ", ");
  attn_cli_append_json_settings (out, attn_correlation_get_settings (result));
  g_string_append_printf (out, ", \"exclude_special\": %s",
                          attn_correlation_get_exclude_special (result) ? "true" : "false");
  if (attn_correlation_get_n_lacking (result) > 0)
    g_string_append_printf (out, ", \"lacking\": %u", attn_correlation_get_n_lacking (result));
  g_string_append_printf (out, ", \"examples\": %u, \"layers\": ", n_examples);
  attn_cli_append_json_layers (out, L);
  g_string_append (out, ",\n \"mean\": ");
  attn_cli_append_json_method_numbers (out, self->kind.methods, L, attn_correlation_get_mean (result));
  g_string_append (out, ",\n \"std\": ");
  attn_cli_append_json_method_numbers (out, self->kind.methods, L, attn_correlation_get_std (result));
  g_string_append (out, ",\n \"nan_count\": ");
  attn_cli_append_json_method_counts (out, self->kind.methods, L, attn_correlation_get_nan_count (result));
  g_string_append (out, ",\n \"per_example\": [\n");
  for (guint e = 0; e < n_examples; e++)
    {
      const double *values = attn_correlation_get_rho (result, e);

      g_string_append (out, "  {\"id\": ");
      attn_cli_append_json_string (out, attn_example_get_label (attn_correlation_get_example (result, e)));
      for (guint m = 0; m < ATTN_N_METHODS; m++)
        {
          if ((self->kind.methods & (1 << m)) == 0)
            continue;
          g_string_append_printf (out, ", \"%s\": ", attn_method_get_name (m));
          attn_cli_append_json_numbers (out, values + m * L, L);
        }
      g_string_append (out, e + 1 < n_examples ? "},\n" : "}\n");
    }
  g_string_append (out, " ]}");
}

/* One table: a row per layer (and weight kind, when there are several), a
 * column per method */
static void
format_text (AttnCliKindState *state,
             GString          *out,
             const char       *file,
             GPtrArray        *results)
{
  Correlate *self = (Correlate *) state;
  guint L = self->n_layers, n_results = results->len;
  g_autofree char *shown_file = attn_error_display_path (file);
  g_autofree char *reference = attn_error_escape_text (self->reference, -1);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  AttnWeightKind kinds[ATTN_N_WEIGHT_KINDS];

  g_string_append_printf (out, _("Spearman’s ρ between references.%s and each method’s importance "
                                 "at the focus token"), reference);
  g_string_append_c (out, '\n');
  for (guint r = 0; r < n_results; r++)
    {
      /* with several kinds each line names its own, attention too */
      g_autofree char *settings = attn_correlation_describe (g_ptr_array_index (results, r),
                                                             shown_file, n_results > 1);

      g_string_append (out, settings);
      g_string_append_c (out, '\n');
    }
  g_string_append_printf (out, "%s\n\n", _("Mean ± sample standard deviation over the examples; "
                                           "NaN (a constant side) is left out and counted."));

  /* cells[(r * ATTN_N_METHODS + m) * L + l] */
  for (guint r = 0; r < n_results; r++)
    {
      AttnCorrelation *result = g_ptr_array_index (results, r);
      const double *mean = attn_correlation_get_mean (result);
      const double *std = attn_correlation_get_std (result);
      const guint *nan_count = attn_correlation_get_nan_count (result);

      kinds[r] = attn_graph_settings_get_weights (attn_correlation_get_settings (result));
      for (guint m = 0; m < ATTN_N_METHODS; m++)
        for (guint l = 0; l < L; l++)
          g_ptr_array_add (cells, attn_correlation_format_mean (mean[m * L + l], std[m * L + l],
                                                                nan_count[m * L + l]));
    }
  attn_cli_append_weights_table (out, self->kind.methods, L, n_results > 1 ? kinds : NULL, n_results, cells);
}

/* After the runs: the number of layers, and notes on stderr for the examples
 * left out of a kind */
static void
report (AttnCliKindState *state,
        GPtrArray        *results)
{
  Correlate *self = (Correlate *) state;

  self->n_layers = attn_correlation_get_n_layers (g_ptr_array_index (results, 0));
  for (guint r = 0; r < results->len; r++)
    {
      AttnCorrelation *result = g_ptr_array_index (results, r);
      guint lacking = attn_correlation_get_n_lacking (result);
      AttnWeightKind kind = attn_graph_settings_get_weights (attn_correlation_get_settings (result));
      g_autofree char *reference = NULL;
      g_autofree char *line = NULL;

      if (lacking == 0)
        continue;
      reference = attn_error_escape_text (self->reference, -1);
      /* translators: the first %s is a reference such as "gradient", the second a weight kind */
      line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "note: %u example with references.%s carries no “%s” weights and is left out",
                                           "note: %u examples with references.%s carry no “%s” weights and are left out",
                                           lacking),
                              lacking, reference, attn_weight_kind_get_name (kind));
      g_printerr ("attnflow-cli correlate: %s\n", line);
    }
}

static gboolean
save_plot (AttnCliKindState  *state,
           const char        *file,
           GPtrArray         *results,
           GError           **error)
{
  Correlate *self = (Correlate *) state;
  const AttnCliFigures *figures;

  if (self->plot == NULL)
    return TRUE;
  figures = attn_cli_figures (error);
  return figures != NULL && figures->save_correlation_plot (self->plot, self->reference,
                                                            self->n_layers, self->kind.methods,
                                                            file, results, self->plot_width,
                                                            self->plot_height, error);
}

static gboolean
check (AttnCliKindState  *state,
       GError           **error)
{
  Correlate *self = (Correlate *) state;
  const AttnCliFigures *figures;

  if (self->reference == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--reference NAME is required (such as gradient or blankout)"));
      return FALSE;
    }
  if (!attn_cli_check_given ("--reference", self->reference, error))
    return FALSE;
  if (self->plot_size != NULL && self->plot == NULL)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                           _("--plot-size lays out the plot of --plot OUT, which is not given"));
      return FALSE;
    }
  if (self->plot == NULL)
    return TRUE;
  if (self->plot_size != NULL &&
      !attn_cli_parse_size (self->plot_size, "--plot-size", ATTN_CLI_PLOT_MIN_WIDTH, ATTN_CLI_PLOT_MIN_HEIGHT,
                           &self->plot_width, &self->plot_height, error))
    return FALSE;
  /* the plot's folder before the table is computed and printed: a failed
   * run leaves nothing on stdout that looks complete */
  figures = attn_cli_figures (error);
  if (figures == NULL)
    return FALSE;
  if (!attn_cli_check_not_folder (self->plot, "--plot", NULL, error) ||
      !figures->check_plot_path (self->plot, error))
    return FALSE;
  return attn_cli_check_output_folder (self->plot, error);
}

/* All: every kind the examples with the reference carry (they are counted
 * for the progress) */
static guint
carried_kinds (AttnCliKindState *state)
{
  Correlate *self = (Correlate *) state;
  guint carried;

  self->n_examples = MAX (count_examples (state->document, self->reference, &carried), 1);
  return carried ? carried : 1u << ATTN_WEIGHT_KIND_ATTENTION;
}

static gpointer
run_kind (AttnCliKindState   *state,
          AttnGraphSettings  *settings,
          GError            **error)
{
  Correlate *self = (Correlate *) state;

  return attn_correlation_run (state->document, self->reference, settings, state->methods,
                               self->exclude_special, progress_cb, self, NULL, error);
}

static const AttnCliKindCommand correlate_command = {
  .name = "correlate",
  .check = check,
  .carried_kinds = carried_kinds,
  .run = run_kind,
  .free_result = (GDestroyNotify) attn_correlation_unref,
  .report = report,
  .append_text = format_text,
  .append_json = format_json,
  .append_csv = (void (*) (gconstpointer, GString *, AttnCsvFlags)) attn_correlation_append_csv_table,
  .save = save_plot,
};

int
attn_cli_correlate (int    argc,
                    char **argv)
{
  Correlate self = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "reference", 0, 0, G_OPTION_ARG_STRING, &self.reference,
      N_("The reference to correlate with: a key of the examples’ references, such as gradient (required)"),
      "NAME" },
    { "exclude-special", 0, 0, G_OPTION_ARG_NONE, &self.exclude_special,
      N_("Leave [CLS], [SEP], [PAD], <s>, </s>, <pad>, <|endoftext|>, punctuation and the focus token out of the ranks"),
      NULL },
    { "plot", 0, 0, G_OPTION_ARG_FILENAME, &self.plot,
      N_("Also draw the means per layer as a plot (over several weight kinds: a panel per method, "
         "a line per kind) into OUT.png, .svg or .pdf"), "OUT" },
    { "plot-size", 0, 0, G_OPTION_ARG_STRING, &self.plot_size,
      N_("Lay the plot out at this size in pixels, as the evaluation window shows it in a view "
         "of that size (default its natural size)"), "WxH" },
    { NULL }
  };

  status = attn_cli_kinds_main (&correlate_command, &self.kind,
                                _("For every example that carries references.NAME, "
                                  "Spearman’s ρ between the reference and the importance "
                                  "that raw attention, rollout and flow give the input "
                                  "tokens for the focus token at each layer; printed as "
                                  "the mean, standard deviation and NaN count per method "
                                  "and layer (the paper’s Tables 1 and 2). --weights takes "
                                  "one kind, a comma-separated list, or “all” (every kind "
                                  "the examples carry)."),
                                entries, argc, argv);
  g_free (self.reference);
  g_free (self.plot);
  g_free (self.plot_size);
  return status;
}
