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
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "attn-cli.h"

#define N_METHODS ATTN_N_METHODS

typedef struct
{
  AttnCliGraphSettings  graph;
  char                 *reference;
  char                 *method_text;
  gboolean              exclude_special;
  char                 *format_text;

  AttnCliFormat         format;
  gboolean              methods[N_METHODS];
  guint                 n_layers;

  AttnCliProgress       progress;
  guint                 n_examples;
} Correlate;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Correlate *self = user_data;
  guint job = MIN ((guint) (fraction * self->n_examples), self->n_examples - 1);

  attn_cli_progress_update_job (&self->progress, job, self->n_examples,
                                fraction * self->n_examples - job);
}

/* The examples that carry the reference: to count them for the progress */
static guint
count_examples (AttnDocument *document,
                const char   *reference)
{
  guint count = 0;

  for (guint i = 0; i < attn_document_get_n_examples (document); i++)
    count += attn_example_get_reference (attn_document_get_example (document, i), reference) != NULL;
  return count;
}

static void
append_json_method_arrays (Correlate    *self,
                           GString      *out,
                           const double *values)
{
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  for (guint m = 0; m < N_METHODS; m++)
    {
      if (!self->methods[m])
        continue;
      g_string_append_printf (out, "%s\"%s\": ", first ? "" : ", ", attn_method_get_name (m));
      attn_cli_append_json_numbers (out, values + m * self->n_layers, self->n_layers);
      first = FALSE;
    }
  g_string_append_c (out, '}');
}

static void
format_json (Correlate       *self,
             GString         *out,
             AttnCorrelation *result)
{
  guint L = self->n_layers, n_examples = attn_correlation_get_n_examples (result);
  const guint *nan_count = attn_correlation_get_nan_count (result);
  gboolean first = TRUE;

  g_string_append (out, "{\"reference\": ");
  attn_cli_append_json_string (out, self->reference);
  g_string_append_printf (out, ", \"examples\": %u, \"layers\": [", n_examples);
  for (guint l = 1; l <= L; l++)
    g_string_append_printf (out, "%s%u", l > 1 ? ", " : "", l);
  g_string_append (out, "],\n \"mean\": ");
  append_json_method_arrays (self, out, attn_correlation_get_mean (result));
  g_string_append (out, ",\n \"std\": ");
  append_json_method_arrays (self, out, attn_correlation_get_std (result));
  g_string_append (out, ",\n \"nan_count\": {");
  for (guint m = 0; m < N_METHODS; m++)
    {
      if (!self->methods[m])
        continue;
      g_string_append_printf (out, "%s\"%s\": [", first ? "" : ", ", attn_method_get_name (m));
      for (guint l = 0; l < L; l++)
        g_string_append_printf (out, "%s%u", l > 0 ? ", " : "", nan_count[m * L + l]);
      g_string_append_c (out, ']');
      first = FALSE;
    }
  g_string_append (out, "},\n \"per_example\": [\n");
  for (guint e = 0; e < n_examples; e++)
    {
      const double *values = attn_correlation_get_rho (result, e);

      g_string_append (out, "  {\"id\": ");
      attn_cli_append_json_string (out, attn_example_get_label (attn_correlation_get_example (result, e)));
      for (guint m = 0; m < N_METHODS; m++)
        {
          if (!self->methods[m])
            continue;
          g_string_append_printf (out, ", \"%s\": ", attn_method_get_name (m));
          attn_cli_append_json_numbers (out, values + m * L, L);
        }
      g_string_append (out, e + 1 < n_examples ? "},\n" : "}\n");
    }
  g_string_append (out, " ]}\n");
}

static void
format_text (Correlate       *self,
             GString         *out,
             const char      *file,
             AttnCorrelation *result)
{
  guint L = self->n_layers;
  const double *mean = attn_correlation_get_mean (result);
  const double *std = attn_correlation_get_std (result);
  const guint *nan_count = attn_correlation_get_nan_count (result);
  g_autofree char *shown_file = attn_cli_escape_text (file);
  g_autofree char *settings = attn_correlation_describe (result, shown_file);
  g_autofree char *reference = attn_cli_escape_text (self->reference);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  AttnCorrelationMethods methods = 0;

  g_string_append_printf (out, _("Spearman’s ρ between references.%s and each method’s importance "
                                 "at the focus token"), reference);
  g_string_append_c (out, '\n');
  g_string_append (out, settings);
  g_string_append_c (out, '\n');
  g_string_append_printf (out, "%s\n\n", _("Mean ± sample standard deviation over the examples; "
                                           "NaN (a constant side) is left out and counted."));

  for (guint m = 0; m < N_METHODS; m++)
    {
      methods |= self->methods[m] ? 1 << m : 0;
      for (guint l = 0; l < L; l++)
        g_ptr_array_add (cells, attn_correlation_format_mean (mean[m * L + l], std[m * L + l],
                                                              nan_count[m * L + l]));
    }
  attn_cli_append_method_table (out, methods, L, cells);
}

static int
run (Correlate  *self,
     int         argc,
     char      **argv)
{
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(AttnCorrelation) result = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  AttnCorrelationMethods methods = 0;

  if (argc != 2)
    return attn_cli_usage_error ("correlate", "%s", _("Expected exactly one FILE"));
  if (self->reference == NULL)
    return attn_cli_usage_error ("correlate", "%s",
                                 _("--reference NAME is required (such as gradient or blankout)"));

  if (!attn_cli_parse_format (self->format_text ? self->format_text : "text",
                              ATTN_CLI_FORMAT_TEXT | ATTN_CLI_FORMAT_JSON | ATTN_CLI_FORMAT_CSV,
                              &self->format, &error) ||
      !attn_cli_graph_settings_check (&self->graph, &error))
    return attn_cli_usage_error ("correlate", "%s", error->message);

  if (!attn_cli_parse_methods (self->method_text, &methods, &error))
    return attn_cli_usage_error ("correlate", "%s", error->message);
  for (guint m = 0; m < N_METHODS; m++)
    self->methods[m] = (methods & (1 << m)) != 0;

  document = attn_cli_load (argv[1], &error);
  if (document == NULL)
    return attn_cli_fail ("correlate", error);
  attn_cli_print_warnings ("correlate", document);
  display = g_filename_display_name (argv[1]);

  attn_cli_progress_init (&self->progress, "correlate");
  self->n_examples = MAX (count_examples (document, self->reference), 1);
  result = attn_correlation_run (document, self->reference, self->graph.settings, methods,
                                 self->exclude_special, progress_cb, self, NULL, &error);
  attn_cli_progress_finish (&self->progress);
  if (result == NULL)
    return attn_cli_fail ("correlate", error);
  self->n_layers = attn_correlation_get_n_layers (result);

  switch (self->format)
    {
    case ATTN_CLI_FORMAT_JSON:
      format_json (self, out, result);
      break;
    case ATTN_CLI_FORMAT_CSV:
      {
        g_autofree char *csv = attn_correlation_to_csv (result);

        g_string_append (out, csv);
      }
      break;
    case ATTN_CLI_FORMAT_TEXT:
    default:
      format_text (self, out, display, result);
      break;
    }

  if (!attn_cli_write_stdout (out, &error))
    return attn_cli_fail ("correlate", error);
  return ATTN_CLI_EXIT_OK;
}

int
attn_cli_correlate (int    argc,
                    char **argv)
{
  Correlate self = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "reference", 0, 0, G_OPTION_ARG_STRING, &self.reference,
      N_("The reference to correlate with: a key of the examples’ references, such as gradient"),
      "NAME" },
    { "exclude-special", 0, 0, G_OPTION_ARG_NONE, &self.exclude_special,
      N_("Leave [CLS], [SEP], <s>, </s>, <|endoftext|>, punctuation and the focus token out of the ranks"),
      NULL },
    { NULL }
  };

  context = attn_cli_option_context_new ("FILE",
                                         _("For every example that carries references.NAME, "
                                           "Spearman’s ρ between the reference and the importance "
                                           "that raw attention, rollout and flow give the input "
                                           "tokens for the focus token at each layer; printed as "
                                           "the mean, standard deviation and NaN count per method "
                                           "and layer (the paper’s Tables 1 and 2)."),
                                         entries);
  attn_cli_add_table_entries (context, &self.method_text, &self.format_text);
  attn_cli_graph_settings_add_entries (&self.graph, context);

  if (!attn_cli_parse_options (context, "correlate", &argc, &argv))
    status = ATTN_CLI_EXIT_USAGE;
  else
    status = run (&self, argc, argv);

  attn_cli_graph_settings_clear (&self.graph);
  g_free (self.reference);
  g_free (self.method_text);
  g_free (self.format_text);
  return status;
}
