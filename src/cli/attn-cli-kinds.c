/* attn-cli-kinds.c: the tables of attnflow-cli, and the commands that give one
 * result per weight kind (antecedents, correlate): run kind by kind, printed as
 * one text table with a weights column, a JSON array or CSV rows with a weights
 * column
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "attn-cli.h"

/* One line of the table, the heading or a row: @weights (none when %NULL),
 * @layer, then the cell of each method of @methods, each padded to its
 * column's width. */
static void
append_table_row (GString                *out,
                  const char             *weights,
                  guint                   width_weights,
                  const char             *layer,
                  guint                   width_layer,
                  AttnCorrelationMethods  methods,
                  const char * const     *cells,
                  const guint            *widths)
{
  if (weights != NULL)
    {
      attn_cli_append_padded (out, weights, width_weights);
      g_string_append (out, "  ");
    }
  attn_cli_append_padded (out, layer, width_layer);
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    {
      if ((methods & (1 << m)) == 0)
        continue;
      g_string_append (out, "  ");
      attn_cli_append_padded (out, cells[m], widths[m]);
    }
  g_string_append_c (out, '\n');
}

/**
 * attn_cli_append_weights_table:
 * @out: where to append
 * @methods: the columns: the methods, in the order raw, rollout, flow
 * @n_layers: L, the rows of each block
 * @kinds: (array length=n_kinds) (nullable): the weight kind of each block,
 *   named in a leading `weights` column; %NULL for no such column
 * @n_kinds: how many blocks of L rows
 * @cells: n_kinds * ATTN_N_METHODS * L cells, `[(k * ATTN_N_METHODS + m) * L + (l-1)]`
 *   (strings)
 *
 * A text table, one row per layer (and weight kind) and one column per
 * method, the columns padded to their widest cell, the last one not (no
 * trailing spaces).
 */
void
attn_cli_append_weights_table (GString                *out,
                               AttnCorrelationMethods  methods,
                               guint                   n_layers,
                               const AttnWeightKind   *kinds,
                               guint                   n_kinds,
                               GPtrArray              *cells)
{
  guint widths[ATTN_N_METHODS] = { 0 };
  const char *row[ATTN_N_METHODS];
  guint width_layer = attn_cli_text_width (_("layer"));
  guint width_weights = attn_cli_text_width (_("weights"));
  guint last = 0;

  for (guint k = 0; kinds != NULL && k < n_kinds; k++)
    width_weights = MAX (width_weights, attn_cli_text_width (attn_weight_kind_get_name (kinds[k])));
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    {
      if ((methods & (1 << m)) == 0)
        continue;
      last = m;
      widths[m] = attn_cli_text_width (attn_method_get_name (m));
      for (guint k = 0; k < n_kinds; k++)
        for (guint l = 0; l < n_layers; l++)
          widths[m] = MAX (widths[m], attn_cli_text_width (
                             g_ptr_array_index (cells, (k * ATTN_N_METHODS + m) * n_layers + l)));
    }
  widths[last] = 0;

  for (guint m = 0; m < ATTN_N_METHODS; m++)
    row[m] = attn_method_get_name (m);
  append_table_row (out, kinds != NULL ? _("weights") : NULL, width_weights, _("layer"),
                    width_layer, methods, row, widths);

  for (guint k = 0; k < n_kinds; k++)
    for (guint l = 0; l < n_layers; l++)
      {
        g_autofree char *layer = g_strdup_printf ("%u", l + 1);

        for (guint m = 0; m < ATTN_N_METHODS; m++)
          row[m] = g_ptr_array_index (cells, (k * ATTN_N_METHODS + m) * n_layers + l);
        append_table_row (out, kinds != NULL ? attn_weight_kind_get_name (kinds[k]) : NULL,
                          width_weights, layer, width_layer, methods, row, widths);
      }
}

/**
 * attn_cli_count_weights:
 * @kinds: weight kinds, 1 << kind each
 *
 * Returns: how many kinds @kinds holds
 */
guint
attn_cli_count_weights (guint kinds)
{
  guint n = 0;

  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    n += (kinds >> k) & 1;
  return n;
}

/* Runs @how once per kind of @kinds. Returns: (transfer full) (nullable):
 * the results, one per kind, or %NULL with @error set */
static GPtrArray *
run_kinds (const AttnCliKindCommand  *how,
           AttnCliKindState          *state,
           guint                      kinds,
           GError                   **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (how->free_result);

  state->n_jobs = attn_cli_count_weights (kinds);
  attn_cli_progress_init (&state->progress, how->name);
  state->job = 0;
  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    {
      g_autoptr(AttnGraphSettings) settings = NULL;
      gpointer result;

      if ((kinds & (1u << k)) == 0)
        continue;
      settings = attn_graph_settings_copy_with_weights (state->graph.settings, k);
      result = how->run (state, settings, error);
      if (result == NULL)
        {
          attn_cli_progress_finish (&state->progress, FALSE);
          return NULL;
        }
      g_ptr_array_add (results, result);
      state->job++;
    }
  attn_cli_progress_finish (&state->progress, TRUE);
  return g_steal_pointer (&results);
}

/* Text: @how's table of all results. JSON: one object, or with several
 * results an array of them. CSV: one table, or with several results one with
 * a leading weights column; each row ends with the settings. */
static void
append_kinds (const AttnCliKindCommand *how,
              AttnCliKindState         *state,
              GString                  *out,
              const char               *file,
              GPtrArray                *results)
{
  switch (state->format)
    {
    case ATTN_CLI_FORMAT_JSON:
      if (results->len > 1)
        g_string_append (out, "[\n");
      for (guint r = 0; r < results->len; r++)
        {
          how->append_json (state, out, g_ptr_array_index (results, r));
          g_string_append (out, r + 1 < results->len ? ",\n" : "\n");
        }
      if (results->len > 1)
        g_string_append (out, "]\n");
      break;
    case ATTN_CLI_FORMAT_CSV:
      /* several kinds: the weights a first column, as they always were */
      for (guint r = 0; r < results->len; r++)
        how->append_csv (g_ptr_array_index (results, r), out,
                         (results->len > 1 ? ATTN_CSV_WEIGHTS_FIRST : ATTN_CSV_DEFAULT) |
                         (r > 0 ? ATTN_CSV_NO_HEADER : ATTN_CSV_DEFAULT));
      break;
    case ATTN_CLI_FORMAT_TEXT:
    default:
      how->append_text (state, out, file, results);
      break;
    }
}


/* --weights all with --heads: of @kinds, those no example carries without
 * the heads (attn_heads_get_weight_kinds()); the others named in a note.
 * An example that lacks a kind altogether is the command's to leave out,
 * as without --heads. */
static guint
with_heads (AttnCliKindState *state,
            const char       *command,
            guint             kinds)
{
  guint lacking = 0, kept;

  for (guint i = 0; i < attn_document_get_n_examples (state->document); i++)
    {
      AttnExample *example = attn_document_get_example (state->document, i);

      lacking |= attn_example_get_weight_kinds (example) & ~attn_heads_get_weight_kinds (state->graph.heads, example);
    }
  kept = kinds & ~lacking;
  /* none has them: the attention's error says which head is missing */
  if (kept == 0)
    return 1u << ATTN_WEIGHT_KIND_ATTENTION;
  if (kept != kinds)
    {
      g_autofree char *heads = attn_heads_dup_canonical (state->graph.heads);
      g_autofree char *names = attn_weight_kinds_join (kinds & ~kept, ", ");

      g_printerr ("attnflow-cli %s: ", command);
      /* translators: --weights all with --heads 0-3: "note: left out for
       * heads 0,1,2,3, which they do not have: norm, globenc" (kinds
       * exported head-mixed, [L][n][n], have none) */
      g_printerr (_("note: left out for heads %s, which they do not have: %s"), heads, names);
      g_printerr ("\n");
    }
  return kept;
}

static int
run (const AttnCliKindCommand  *how,
     AttnCliKindState          *state,
     int                        argc,
     char                     **argv)
{
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint kinds;

  if (argc != 2)
    return attn_cli_file_count_error (how->name, argc, argv);
  if ((how->check != NULL && !how->check (state, &error)) ||
      !attn_cli_parse_format (state->format_text ? state->format_text : "text",
                              ATTN_CLI_FORMAT_TEXT | ATTN_CLI_FORMAT_JSON | ATTN_CLI_FORMAT_CSV,
                              &state->format, &error) ||
      !attn_cli_parse_methods (state->method_text, &state->methods, &error) ||
      !attn_cli_graph_settings_check (&state->graph, &error))
    /* a file the check needs (the figure module) is missing: not a usage error */
    return g_error_matches (error, ATTN_ERROR, ATTN_ERROR_IO)
           ? attn_cli_fail (how->name, error)
           : attn_cli_usage_error (how->name, "%s", error->message);

  document = attn_cli_load (how->name, argv[1], &error);
  if (document == NULL)
    return attn_cli_fail (how->name, error);

  state->document = document;
  /* (the command counts its examples there too) */
  kinds = how->carried_kinds (state);
  kinds = state->graph.all_weights ? with_heads (state, how->name, kinds) : state->graph.weights;
  results = run_kinds (how, state, kinds, &error);
  state->document = NULL;
  if (results == NULL)
    return attn_cli_fail (how->name, error);
  if (how->report != NULL)
    how->report (state, results);

  /* the file's name as given: the text names it escaped (\xe9 for a byte
   * that is not UTF-8, as messages do), the plot's caption as the app does
   * (attn_text_from_file_name()); its display name put U+FFFD in both */
  append_kinds (how, state, out, argv[1], results);
  if (!attn_cli_write_stdout (out, &error) ||
      (how->save != NULL && !how->save (state, argv[1], results, &error)))
    return attn_cli_fail (how->name, error);
  return ATTN_CLI_EXIT_OK;
}

/**
 * attn_cli_kinds_main:
 * @how: the command
 * @state: the first member of the command's state, zeroed
 * @summary: the command's help
 * @entries: (nullable): the command's own options
 *
 * Runs a command that gives one result per weight kind: FILE, the options
 * --method, --format and those of the graph settings, then @entries.
 * Frees what @state holds, not what @entries filled in.
 *
 * Returns: the exit status
 */
int
attn_cli_kinds_main (const AttnCliKindCommand *how,
                     AttnCliKindState         *state,
                     const char               *summary,
                     const GOptionEntry       *entries,
                     int                       argc,
                     char                    **argv)
{
  const GOptionEntry table_entries[] = {
    { "method", 0, 0, G_OPTION_ARG_STRING, &state->method_text,
      N_("Which method: raw, rollout, flow or all (default)"), "raw|rollout|flow|all" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &state->format_text,
      N_("Output format: text (default), json or csv"), "text|json|csv" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = attn_cli_option_context_new ("FILE", summary, entries);
  int status;

  attn_cli_add_entries (context, table_entries);
  state->graph.several_weights = TRUE;
  attn_cli_graph_settings_add_entries (&state->graph, context);
  if (!attn_cli_parse_options (context, how->name, &argc, &argv))
    status = ATTN_CLI_EXIT_USAGE;
  else
    status = run (how, state, argc, argv);

  attn_cli_graph_settings_clear (&state->graph);
  g_free (state->method_text);
  g_free (state->format_text);
  return status;
}

/* Appends the settings a result was computed with, as raw|rollout|flow
 * name them: `"weights": "attention", "residual": 0.5, "heads": "all",
 * "head_mix": "mean"` (the residual as given, also for weights that contain
 * it; the heads one by one, "0,1,2,3" for 0-3). */
void
attn_cli_append_json_settings (GString                 *out,
                               const AttnGraphSettings *settings)
{
  char residual[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, "\"weights\": \"%s\", \"residual\": %s, \"heads\": ",
                          attn_weight_kind_get_name (attn_graph_settings_get_weights (settings)),
                          attn_format_setting (residual, attn_graph_settings_get_residual (settings)));
  attn_cli_append_json_string (out, attn_graph_settings_get_heads (settings));
  g_string_append_printf (out, ", \"head_mix\": \"%s\"",
                          attn_head_mix_get_name (attn_graph_settings_get_head_mix (settings)));
}

/* Appends `[1, 2, …, L]`. */
void
attn_cli_append_json_layers (GString *out,
                             guint    n_layers)
{
  g_string_append_c (out, '[');
  for (guint l = 1; l <= n_layers; l++)
    g_string_append_printf (out, "%s%u", l > 1 ? ", " : "", l);
  g_string_append_c (out, ']');
}

/* Appends `{"raw": […], …}`: for each method of @methods, the @n_layers
 * numbers `values[m * n_layers + (l-1)]` (NaN as null). */
void
attn_cli_append_json_method_numbers (GString                *out,
                                     AttnCorrelationMethods  methods,
                                     guint                   n_layers,
                                     const double           *values)
{
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    {
      if ((methods & (1 << m)) == 0)
        continue;
      g_string_append_printf (out, "%s\"%s\": ", first ? "" : ", ", attn_method_get_name (m));
      attn_cli_append_json_numbers (out, values + m * n_layers, n_layers);
      first = FALSE;
    }
  g_string_append_c (out, '}');
}

/* As attn_cli_append_json_method_numbers(), for counts (%.17g writes a
 * whole number as %u does). */
void
attn_cli_append_json_method_counts (GString                *out,
                                    AttnCorrelationMethods  methods,
                                    guint                   n_layers,
                                    const guint            *counts)
{
  g_autofree double *values = g_new0 (double, (gsize) ATTN_N_METHODS * n_layers);

  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    for (guint l = 0; l < n_layers && (methods & (1 << m)) != 0; l++)
      values[m * n_layers + l] = counts[m * n_layers + l];
  attn_cli_append_json_method_numbers (out, methods, n_layers, values);
}
