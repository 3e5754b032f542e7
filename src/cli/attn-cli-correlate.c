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
  guint                 job;
  guint                 n_jobs;
} Correlate;

static void
flow_partial_cb (guint         layer,
                 guint         position,
                 const double *values,
                 double        fraction,
                 gpointer      user_data)
{
  Correlate *self = user_data;

  attn_cli_progress_update_job (&self->progress, self->job, self->n_jobs, fraction);
}

/* Fills rho[m * L + (l-1)] for the enabled methods m. */
static gboolean
correlate_example (Correlate    *self,
                   AttnExample  *example,
                   double       *rho,
                   GError      **error)
{
  g_autoptr(AttnGraph) graph = NULL;
  AttnFlowOptions options = { 0 };
  AttnCorrelationMethods methods = 0;

  graph = attn_cli_graph_new (example, &self->graph, error);
  if (graph == NULL)
    return FALSE;

  for (guint m = 0; m < N_METHODS; m++)
    if (self->methods[m])
      methods |= 1 << m;

  options.n_threads = 0;
  options.partial = flow_partial_cb;
  options.user_data = self;

  return attn_correlate_example (graph, self->reference, methods, self->exclude_special,
                                 &options, rho, NULL, error);
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
format_json (Correlate  *self,
             GString    *out,
             GPtrArray  *examples,
             double     *rho,
             double     *mean,
             double     *std,
             guint      *nan_count)
{
  guint L = self->n_layers;
  gboolean first = TRUE;

  g_string_append (out, "{\"reference\": ");
  attn_cli_append_json_string (out, self->reference);
  g_string_append_printf (out, ", \"examples\": %u, \"layers\": [", examples->len);
  for (guint l = 1; l <= L; l++)
    g_string_append_printf (out, "%s%u", l > 1 ? ", " : "", l);
  g_string_append (out, "],\n \"mean\": ");
  append_json_method_arrays (self, out, mean);
  g_string_append (out, ",\n \"std\": ");
  append_json_method_arrays (self, out, std);
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
  for (guint e = 0; e < examples->len; e++)
    {
      g_autofree char *name = attn_cli_example_name (g_ptr_array_index (examples, e));
      const double *values = rho + (gsize) e * N_METHODS * L;

      g_string_append (out, "  {\"id\": ");
      attn_cli_append_json_string (out, name);
      for (guint m = 0; m < N_METHODS; m++)
        {
          if (!self->methods[m])
            continue;
          g_string_append_printf (out, ", \"%s\": ", attn_method_get_name (m));
          attn_cli_append_json_numbers (out, values + m * L, L);
        }
      g_string_append (out, e + 1 < examples->len ? "},\n" : "}\n");
    }
  g_string_append (out, " ]}\n");
}

static void
format_csv (Correlate  *self,
            GString    *out,
            double     *mean,
            double     *std,
            guint      *nan_count,
            guint       n_examples)
{
  AttnCorrelationMethods methods = 0;

  for (guint m = 0; m < N_METHODS; m++)
    if (self->methods[m])
      methods |= 1 << m;
  attn_correlation_append_csv (out, methods, self->n_layers, n_examples, mean, std, nan_count);
}

static char *
format_cell (double mean,
             double std,
             guint  nan_count)
{
  g_autoptr(GString) cell = g_string_new (NULL);

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
  return g_string_free (g_steal_pointer (&cell), FALSE);
}

static void
format_text (Correlate  *self,
             GString    *out,
             const char *file,
             guint       n_examples,
             double     *mean,
             double     *std,
             guint      *nan_count)
{
  guint L = self->n_layers;
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  guint widths[N_METHODS] = { 0 };
  guint width_layer = g_utf8_strlen (_("layer"), -1);
  guint last = 0;

  g_string_append_printf (out, _("Spearman’s ρ between references.%s and each method’s importance "
                                 "at the focus token"), self->reference);
  g_string_append_c (out, '\n');
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                            "%s: %u example; residual %g, heads %s, head mix %s",
                                            "%s: %u examples; residual %g, heads %s, head mix %s",
                                            n_examples),
                          file, n_examples, self->graph.residual, self->graph.heads,
                          attn_cli_head_mix_name (self->graph.head_mix));
  g_string_append (out, "; ");
  g_string_append (out, self->exclude_special ? _("special tokens and the focus token left out")
                                              : _("all tokens ranked"));
  g_string_append_c (out, '\n');
  g_string_append_printf (out, "%s\n\n", _("Mean ± sample standard deviation over the examples; "
                                           "NaN (a constant side) is left out and counted."));

  for (guint m = 0; m < N_METHODS; m++)
    {
      widths[m] = strlen (attn_method_get_name (m));
      for (guint l = 0; l < L; l++)
        {
          char *cell = format_cell (mean[m * L + l], std[m * L + l], nan_count[m * L + l]);

          widths[m] = MAX (widths[m], (guint) g_utf8_strlen (cell, -1));
          g_ptr_array_add (cells, cell);
        }
    }

  for (guint m = 0; m < N_METHODS; m++)
    if (self->methods[m])
      last = m;
  /* The last column is not padded: no trailing spaces. */
  widths[last] = 0;

  attn_cli_append_padded (out, _("layer"), width_layer);
  for (guint m = 0; m < N_METHODS; m++)
    {
      if (!self->methods[m])
        continue;
      g_string_append (out, "  ");
      attn_cli_append_padded (out, attn_method_get_name (m), widths[m]);
    }
  g_string_append_c (out, '\n');

  for (guint l = 0; l < L; l++)
    {
      g_autofree char *layer = g_strdup_printf ("%u", l + 1);

      attn_cli_append_padded (out, layer, width_layer);
      for (guint m = 0; m < N_METHODS; m++)
        {
          if (!self->methods[m])
            continue;
          g_string_append (out, "  ");
          attn_cli_append_padded (out, g_ptr_array_index (cells, m * L + l), widths[m]);
        }
      g_string_append_c (out, '\n');
    }
}

static int
run (Correlate  *self,
     int         argc,
     char      **argv)
{
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(GPtrArray) examples = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree double *rho = NULL;
  g_autofree double *mean = NULL;
  g_autofree double *std = NULL;
  g_autofree guint *nan_count = NULL;
  g_autofree char *display = NULL;
  guint L;

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

  if (self->method_text == NULL || g_str_equal (self->method_text, "all"))
    self->methods[0] = self->methods[1] = self->methods[2] = TRUE;
  else
    {
      gboolean found = FALSE;

      for (guint m = 0; m < N_METHODS; m++)
        if (g_str_equal (self->method_text, attn_method_get_name (m)))
          found = self->methods[m] = TRUE;
      if (!found)
        return attn_cli_usage_error ("correlate",
                                     _("Unknown method “%s”: use raw, rollout, flow or all"),
                                     self->method_text);
    }

  document = attn_cli_load (argv[1], &error);
  if (document == NULL)
    return attn_cli_fail ("correlate", error);
  attn_cli_print_warnings ("correlate", document);
  display = g_filename_display_name (argv[1]);

  for (guint i = 0; i < attn_document_get_n_examples (document); i++)
    {
      AttnExample *example = attn_document_get_example (document, i);

      if (attn_example_get_reference (example, self->reference) == NULL)
        continue;
      if (examples->len > 0 && attn_example_get_n_layers (example) != self->n_layers)
        {
          g_autofree char *name = attn_cli_example_name (example);

          g_set_error (&error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("Example “%s” has %u layers, the examples before it %u: "
                         "correlate needs one model"),
                       name, attn_example_get_n_layers (example), self->n_layers);
          return attn_cli_fail ("correlate", error);
        }
      self->n_layers = attn_example_get_n_layers (example);
      g_ptr_array_add (examples, example);
    }

  if (examples->len == 0)
    {
      g_set_error (&error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("%s: no example carries references.%s"), display, self->reference);
      return attn_cli_fail ("correlate", error);
    }

  L = self->n_layers;
  rho = g_new (double, (gsize) examples->len * N_METHODS * L);
  for (gsize i = 0; i < (gsize) examples->len * N_METHODS * L; i++)
    rho[i] = NAN;

  attn_cli_progress_init (&self->progress, "correlate");
  self->n_jobs = examples->len;
  for (guint e = 0; e < examples->len; e++)
    {
      g_autofree char *detail = g_strdup_printf ("%u/%u", e + 1, examples->len);

      self->job = e;
      attn_cli_progress_update (&self->progress, (double) e / examples->len, detail);
      if (!correlate_example (self, g_ptr_array_index (examples, e),
                              rho + (gsize) e * N_METHODS * L, &error))
        {
          attn_cli_progress_finish (&self->progress);
          return attn_cli_fail ("correlate", error);
        }
    }
  attn_cli_progress_finish (&self->progress);

  mean = g_new (double, N_METHODS * L);
  std = g_new (double, N_METHODS * L);
  nan_count = g_new0 (guint, N_METHODS * L);
  attn_correlation_summarize (rho, examples->len, L, mean, std, nan_count);

  switch (self->format)
    {
    case ATTN_CLI_FORMAT_JSON:
      format_json (self, out, examples, rho, mean, std, nan_count);
      break;
    case ATTN_CLI_FORMAT_CSV:
      format_csv (self, out, mean, std, nan_count, examples->len);
      break;
    case ATTN_CLI_FORMAT_TEXT:
    default:
      format_text (self, out, display, examples->len, mean, std, nan_count);
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
    { "method", 0, 0, G_OPTION_ARG_STRING, &self.method_text,
      N_("Which method: raw, rollout, flow or all (default)"), "raw|rollout|flow|all" },
    { "exclude-special", 0, 0, G_OPTION_ARG_NONE, &self.exclude_special,
      N_("Leave [CLS], [SEP], <s>, </s>, <|endoftext|>, punctuation and the focus token out of the ranks"),
      NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &self.format_text,
      N_("Output format: text (default), json or csv"), "text|json|csv" },
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
