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
 * With several weight kinds (`--weights all` or a list), one such result per
 * kind: one text table with a weights column, a JSON array, CSV rows with a
 * weights column.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-cli.h"

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  AttnCliKindState *self = user_data;

  attn_cli_progress_update (&self->progress, (self->job + fraction) / self->n_jobs, NULL);
}

/* The kinds every example with two or more candidates carries */
static guint
carried_kinds (AttnCliKindState *self)
{
  AttnDocument *document = self->document;
  guint kinds = (1u << ATTN_N_WEIGHT_KINDS) - 1;

  for (guint i = 0; i < attn_document_get_n_examples (document); i++)
    {
      AttnExample *example = attn_document_get_example (document, i);

      if (attn_example_get_n_antecedents (example) >= 2)
        kinds &= attn_example_get_weight_kinds (example);
    }
  return kinds;
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
format_json (AttnCliKindState *self,
             GString          *out,
             gpointer          data)
{
  AttnAntecedents *result = data;
  guint L = attn_antecedents_get_n_layers (result);
  guint n_examples = attn_antecedents_get_n_examples (result);
  g_autofree double *share = g_new0 (double, ATTN_N_METHODS * L);

  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    {
      if ((self->methods & (1 << m)) == 0)
        continue;
      for (guint l = 1; l <= L; l++)
        share[m * L + l - 1] = attn_antecedents_get_share (result, m, l);
    }
  g_string_append_c (out, '{');
  attn_cli_append_json_settings (out, attn_antecedents_get_settings (result));
  g_string_append_printf (out, ", \"examples\": %u, \"left_out\": %u, \"layers\": ",
                          n_examples, attn_antecedents_get_n_left_out (result));
  attn_cli_append_json_layers (out, L);
  g_string_append (out, ",\n \"share\": ");
  attn_cli_append_json_method_numbers (out, self->methods, L, share);
  g_string_append (out, ",\n \"wins\": ");
  attn_cli_append_json_method_counts (out, self->methods, L, attn_antecedents_get_wins (result));
  g_string_append (out, ",\n \"ties\": ");
  attn_cli_append_json_method_counts (out, self->methods, L, attn_antecedents_get_ties (result));
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
  g_string_append (out, " ]}");
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

/* One table: a row per layer (and weight kind, when there are several), a
 * column per method; then the references */
static void
format_text (AttnCliKindState *self,
             GString          *out,
             const char       *file,
             GPtrArray        *results)
{
  AttnAntecedents *result = g_ptr_array_index (results, 0);
  guint L = attn_antecedents_get_n_layers (result);
  g_autofree char *shown_file = attn_error_display_path (file);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  AttnWeightKind kinds[ATTN_N_WEIGHT_KINDS];

  g_string_append (out, _("Share of the examples in which the first antecedent gets more "
                          "importance than every other candidate, for the pronoun (the focus "
                          "token)"));
  g_string_append_c (out, '\n');
  for (guint r = 0; r < results->len; r++)
    {
      AttnAntecedents *each = g_ptr_array_index (results, r);
      /* with several kinds each line names its own, attention too */
      g_autofree char *settings = attn_antecedents_describe (each, shown_file, results->len > 1);
      const guint *wins = attn_antecedents_get_wins (each);
      const guint *ties = attn_antecedents_get_ties (each);
      guint n_examples = attn_antecedents_get_n_examples (each);

      g_string_append (out, settings);
      g_string_append_c (out, '\n');
      kinds[r] = attn_graph_settings_get_weights (attn_antecedents_get_settings (each));
      /* cells[(r * ATTN_N_METHODS + m) * L + l] */
      for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
        for (guint l = 0; l < L; l++)
          g_ptr_array_add (cells, attn_antecedents_format_share (wins[m * L + l], ties[m * L + l],
                                                                 n_examples));
    }
  g_string_append_printf (out, _("Share (examples won/compared); a tie (within 1e-9) is no win. "
                                 "A random pick of one candidate wins %.1f%%."),
                          100. * chance (result));
  g_string_append (out, "\n\n");
  attn_cli_append_weights_table (out, self->methods, L, results->len > 1 ? kinds : NULL,
                                 results->len, cells);

  if (attn_antecedents_get_n_references (result) > 0)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      guint width = 0;

      g_string_append_printf (out, "\n%s\n", _("The references (model-side importance, one value "
                                               "per example), scored the same way:"));
      for (guint r = 0; r < attn_antecedents_get_n_references (result); r++)
        {
          char *name = attn_error_escape_text (attn_antecedents_get_reference (result, r, NULL, NULL, NULL), -1);

          width = MAX (width, attn_cli_text_width (name));
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

static gpointer
run_kind (AttnCliKindState   *self,
          AttnGraphSettings  *settings,
          GError            **error)
{
  return attn_antecedents_run (self->document, settings, self->methods, progress_cb, self, NULL, error);
}

static const AttnCliKindCommand antecedents_command = {
  .name = "antecedents",
  .carried_kinds = carried_kinds,
  .run = run_kind,
  .free_result = (GDestroyNotify) attn_antecedents_unref,
  .append_text = format_text,
  .append_json = format_json,
  .append_csv = (void (*) (gconstpointer, GString *, AttnCsvFlags)) attn_antecedents_append_csv_table,
};

int
attn_cli_antecedents (int    argc,
                      char **argv)
{
  AttnCliKindState self = { 0 };

  return attn_cli_kinds_main (&antecedents_command, &self,
                              _("For every example whose antecedents name two or more "
                                "candidates of its pronoun (the focus token), whether "
                                "raw attention, rollout and flow give the first "
                                "candidate (the one the sentence’s meaning selects) "
                                "more importance for the pronoun than every other "
                                "candidate, at each layer; printed as the share of the "
                                "examples, with the count, per method and layer."),
                              NULL, argc, argv);
}
