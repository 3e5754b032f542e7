/* attn-cli-antecedents.c: `attnflow-cli antecedents FILE`
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pronoun resolution: for every example whose `antecedents` name two or more
 * candidates of its pronoun `focus`, at every layer l, whether raw attention,
 * rollout and flow give the first candidate (the one the sentence's meaning
 * selects) more importance for node (l, focus) than every other candidate.
 * Printed per method and layer as the share of the examples, with the count.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-cli.h"

typedef struct
{
  AttnCliGraphSettings    graph;
  char                   *method_text;
  char                   *format_text;

  AttnCliFormat           format;
  AttnCorrelationMethods  methods;

  AttnCliProgress         progress;
} Antecedents;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Antecedents *self = user_data;

  attn_cli_progress_update (&self->progress, fraction, NULL);
}

static void
append_json_counts (Antecedents *self,
                    GString     *out,
                    guint        n_layers,
                    const guint *counts)
{
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    {
      if ((self->methods & (1 << m)) == 0)
        continue;
      g_string_append_printf (out, "%s\"%s\": [", first ? "" : ", ", attn_method_get_name (m));
      for (guint l = 0; l < n_layers; l++)
        g_string_append_printf (out, "%s%u", l > 0 ? ", " : "", counts[m * n_layers + l]);
      g_string_append_c (out, ']');
      first = FALSE;
    }
  g_string_append_c (out, '}');
}

static void
append_json_indices (GString     *out,
                     const guint *indices,
                     guint        n)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%u", i > 0 ? ", " : "", indices[i]);
  g_string_append_c (out, ']');
}

static void
format_json (Antecedents     *self,
             GString         *out,
             AttnAntecedents *result)
{
  guint L = attn_antecedents_get_n_layers (result);
  guint n_examples = attn_antecedents_get_n_examples (result);
  gboolean first = TRUE;

  g_string_append_printf (out, "{\"examples\": %u, \"left_out\": %u, \"layers\": [", n_examples,
                          attn_antecedents_get_n_left_out (result));
  for (guint l = 1; l <= L; l++)
    g_string_append_printf (out, "%s%u", l > 1 ? ", " : "", l);
  g_string_append (out, "],\n \"share\": {");
  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    {
      if ((self->methods & (1 << m)) == 0)
        continue;
      g_string_append_printf (out, "%s\"%s\": [", first ? "" : ", ", attn_method_get_name (m));
      for (guint l = 1; l <= L; l++)
        {
          if (l > 1)
            g_string_append (out, ", ");
          attn_cli_append_json_number (out, attn_antecedents_get_share (result, m, l));
        }
      g_string_append_c (out, ']');
      first = FALSE;
    }
  g_string_append (out, "},\n \"wins\": ");
  append_json_counts (self, out, L, attn_antecedents_get_wins (result));
  g_string_append (out, ",\n \"ties\": ");
  append_json_counts (self, out, L, attn_antecedents_get_ties (result));
  g_string_append (out, ",\n \"references\": {");
  for (guint r = 0; r < attn_antecedents_get_n_references (result); r++)
    {
      guint wins, ties, n;
      const char *name = attn_antecedents_get_reference (result, r, &wins, &ties, &n);

      g_string_append (out, r > 0 ? ", " : "");
      attn_cli_append_json_string (out, name);
      g_string_append (out, ": {\"share\": ");
      attn_cli_append_json_number (out, (double) wins / n);
      g_string_append_printf (out, ", \"wins\": %u, \"ties\": %u, \"examples\": %u}", wins, ties, n);
    }
  g_string_append (out, "},\n \"per_example\": [\n");
  for (guint e = 0; e < n_examples; e++)
    {
      AttnExample *example = attn_antecedents_get_example (result, e);
      guint k = attn_example_get_n_antecedents (example);
      const guint *antecedents = attn_example_get_antecedents (example);

      g_string_append (out, "  {\"id\": ");
      attn_cli_append_json_string (out, attn_example_get_label (example));
      g_string_append_printf (out, ", \"focus\": %u, \"antecedents\": ",
                              attn_example_get_focus (example));
      append_json_indices (out, antecedents, k);
      g_string_append (out, ", \"tokens\": [");
      for (guint a = 0; a < k; a++)
        {
          if (a > 0)
            g_string_append (out, ", ");
          attn_cli_append_json_string (out, attn_example_get_token (example, antecedents[a]));
        }
      g_string_append_c (out, ']');
      for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
        {
          const double *values = attn_antecedents_get_values (result, e, m);

          if ((self->methods & (1 << m)) == 0)
            continue;
          g_string_append_printf (out, ",\n   \"%s\": [", attn_method_get_name (m));
          for (guint l = 0; l < L; l++)
            {
              if (l > 0)
                g_string_append (out, ", ");
              attn_cli_append_json_numbers (out, values + (gsize) l * k, k);
            }
          g_string_append_c (out, ']');
        }
      g_string_append (out, e + 1 < n_examples ? "},\n" : "}\n");
    }
  g_string_append (out, " ]}\n");
}

/* What a method would score by picking a candidate at random: the mean of
 * 1/k over the examples */
static double
chance (AttnAntecedents *result)
{
  guint n = attn_antecedents_get_n_examples (result);
  double sum = 0.;

  for (guint e = 0; e < n; e++)
    sum += 1. / attn_example_get_n_antecedents (attn_antecedents_get_example (result, e));
  return sum / n;
}

static void
format_text (Antecedents     *self,
             GString         *out,
             const char      *file,
             AttnAntecedents *result)
{
  guint L = attn_antecedents_get_n_layers (result);
  guint n_examples = attn_antecedents_get_n_examples (result);
  const guint *wins = attn_antecedents_get_wins (result);
  const guint *ties = attn_antecedents_get_ties (result);
  g_autofree char *shown_file = attn_cli_escape_text (file);
  g_autofree char *settings = attn_antecedents_describe (result, shown_file);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

  g_string_append (out, _("Share of the examples in which the first antecedent gets more "
                          "importance than every other candidate, for the pronoun (the focus "
                          "token)"));
  g_string_append_c (out, '\n');
  g_string_append (out, settings);
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("Share (examples won/compared); a tie (within 1e-9) is no win. "
                                 "A random pick of one candidate wins %.1f%%."),
                          100. * chance (result));
  g_string_append (out, "\n\n");

  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    for (guint l = 0; l < L; l++)
      g_ptr_array_add (cells, attn_antecedents_format_share (wins[m * L + l], ties[m * L + l],
                                                             n_examples));
  attn_cli_append_method_table (out, self->methods, L, cells);

  if (attn_antecedents_get_n_references (result) > 0)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      guint width = 0;

      g_string_append_printf (out, "\n%s\n", _("The references (model-side importance, one value "
                                               "per example), scored the same way:"));
      for (guint r = 0; r < attn_antecedents_get_n_references (result); r++)
        {
          char *name = attn_cli_escape_text (attn_antecedents_get_reference (result, r, NULL, NULL, NULL));

          width = MAX (width, (guint) g_utf8_strlen (name, -1));
          g_ptr_array_add (names, name);
        }
      for (guint r = 0; r < names->len; r++)
        {
          guint won, tied, n;
          g_autofree char *share = NULL;

          attn_antecedents_get_reference (result, r, &won, &tied, &n);
          share = attn_antecedents_format_share (won, tied, n);
          attn_cli_append_padded (out, g_ptr_array_index (names, r), width + 2);
          g_string_append_printf (out, "%s\n", share);
        }
    }
}

static int
run (Antecedents  *self,
     int           argc,
     char        **argv)
{
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(AttnAntecedents) result = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;

  if (argc != 2)
    return attn_cli_usage_error ("antecedents", "%s", _("Expected exactly one FILE"));
  if (!attn_cli_parse_format (self->format_text ? self->format_text : "text",
                              ATTN_CLI_FORMAT_TEXT | ATTN_CLI_FORMAT_JSON | ATTN_CLI_FORMAT_CSV,
                              &self->format, &error) ||
      !attn_cli_parse_methods (self->method_text, &self->methods, &error) ||
      !attn_cli_graph_settings_check (&self->graph, &error))
    return attn_cli_usage_error ("antecedents", "%s", error->message);

  document = attn_cli_load (argv[1], &error);
  if (document == NULL)
    return attn_cli_fail ("antecedents", error);
  attn_cli_print_warnings ("antecedents", document);
  display = g_filename_display_name (argv[1]);

  attn_cli_progress_init (&self->progress, "antecedents");
  result = attn_antecedents_run (document, self->graph.settings, self->methods, progress_cb, self,
                                 NULL, &error);
  attn_cli_progress_finish (&self->progress);
  if (result == NULL)
    return attn_cli_fail ("antecedents", error);

  switch (self->format)
    {
    case ATTN_CLI_FORMAT_JSON:
      format_json (self, out, result);
      break;
    case ATTN_CLI_FORMAT_CSV:
      {
        g_autofree char *csv = attn_antecedents_to_csv (result);

        g_string_append (out, csv);
      }
      break;
    case ATTN_CLI_FORMAT_TEXT:
    default:
      format_text (self, out, display, result);
      break;
    }

  if (!attn_cli_write_stdout (out, &error))
    return attn_cli_fail ("antecedents", error);
  return ATTN_CLI_EXIT_OK;
}

int
attn_cli_antecedents (int    argc,
                      char **argv)
{
  Antecedents self = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  int status;

  context = attn_cli_option_context_new ("FILE",
                                         _("For every example whose antecedents name two or more "
                                           "candidates of its pronoun (the focus token), whether "
                                           "raw attention, rollout and flow give the first "
                                           "candidate (the one the sentence’s meaning selects) "
                                           "more importance for the pronoun than every other "
                                           "candidate, at each layer; printed as the share of the "
                                           "examples, with the count, per method and layer."),
                                         NULL);
  attn_cli_add_table_entries (context, &self.method_text, &self.format_text);
  attn_cli_graph_settings_add_entries (&self.graph, context);

  if (!attn_cli_parse_options (context, "antecedents", &argc, &argv))
    status = ATTN_CLI_EXIT_USAGE;
  else
    status = run (&self, argc, argv);

  attn_cli_graph_settings_clear (&self.graph);
  g_free (self.method_text);
  g_free (self.format_text);
  return status;
}
