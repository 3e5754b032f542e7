/* attn-cli-info.c: `attnflow-cli info FILE`
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-cli.h"

#define N_COLUMNS 10

static char *
describe_prediction (AttnExample *example)
{
  const char *label = attn_example_get_prediction_label (example);
  guint n = attn_example_get_n_candidates (example);

  if (label == NULL && n == 0)
    return g_strdup ("-");

  for (guint i = 0; i < n; i++)
    {
      const AttnCandidate *candidate = attn_example_get_candidate (example, i);

      if (label == NULL || g_strcmp0 (candidate->label, label) == 0)
        return g_strdup_printf ("%s (%.3f)", candidate->label, candidate->probability);
    }
  return g_strdup (label);
}

static char *
describe_references (AttnExample *example)
{
  guint n = attn_example_get_n_references (example);
  g_autoptr(GString) text = g_string_new (NULL);

  if (n == 0)
    return g_strdup ("-");
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      g_string_append (text, attn_example_get_reference_name (example, i));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

int
attn_cli_info (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *display = NULL;
  g_autofree char *shown_model = NULL;
  guint widths[N_COLUMNS] = { 0 };
  const char *model;
  guint n_examples, n_rows;
  int status;

  context = attn_cli_option_context_new ("FILE",
                                         _("Prints a summary of an attention export: the model, "
                                           "and for each example its id, number of tokens n, "
                                           "layers L, heads H, focus token, stored dtype, "
                                           "prediction, references and the weight kinds it "
                                           "carries (attention and its contributions). Warnings "
                                           "go to stderr."),
                                         NULL);
  document = attn_cli_load_single_file (context, "info", &argc, &argv, &status);
  if (document == NULL)
    return status;

  display = attn_cli_escape_text (argv[1]);
  model = attn_document_get_model (document);
  shown_model = attn_cli_escape_text (model ? model : "-");
  n_examples = attn_document_get_n_examples (document);

  g_string_append_printf (out, "%s %s\n", _("File:"), display);
  g_string_append_printf (out, "%s %s\n", _("Model:"), shown_model);
  g_string_append_printf (out, "%s %u\n", _("Examples:"), n_examples);
  g_string_append_c (out, '\n');

  /* translators: column headings of `attnflow-cli info`; n = tokens, L = layers, H = heads */
  g_ptr_array_add (cells, g_strdup (_("index")));
  g_ptr_array_add (cells, g_strdup (_("id")));
  g_ptr_array_add (cells, g_strdup ("n"));
  g_ptr_array_add (cells, g_strdup ("L"));
  g_ptr_array_add (cells, g_strdup ("H"));
  g_ptr_array_add (cells, g_strdup (_("focus")));
  g_ptr_array_add (cells, g_strdup (_("dtype")));
  g_ptr_array_add (cells, g_strdup (_("prediction")));
  g_ptr_array_add (cells, g_strdup (_("references")));
  /* translators: column heading of `attnflow-cli info`: attention, norm, globenc, … */
  g_ptr_array_add (cells, g_strdup (_("weights")));

  for (guint i = 0; i < n_examples; i++)
    {
      AttnExample *example = attn_document_get_example (document, i);
      const char *id = attn_example_get_id (example);
      guint focus = attn_example_get_focus (example);

      g_ptr_array_add (cells, g_strdup_printf ("%u", i));
      g_ptr_array_add (cells, g_strdup (id ? id : "-"));
      g_ptr_array_add (cells, g_strdup_printf ("%u", attn_example_get_n_tokens (example)));
      g_ptr_array_add (cells, g_strdup_printf ("%u", attn_example_get_n_layers (example)));
      if (attn_example_get_head_mixed (example))
        /* translators: shown instead of the number of heads for head-mixed attention */
        g_ptr_array_add (cells, g_strdup (_("mixed")));
      else
        g_ptr_array_add (cells, g_strdup_printf ("%u", attn_example_get_n_heads (example)));
      g_ptr_array_add (cells, g_strdup_printf ("%u %s", focus,
                                               attn_example_get_token (example, focus)));
      g_ptr_array_add (cells, g_strdup (attn_dtype_get_name (attn_example_get_dtype (example))));
      g_ptr_array_add (cells, describe_prediction (example));
      g_ptr_array_add (cells, describe_references (example));
      g_ptr_array_add (cells, attn_example_format_weights (example, ","));
    }

  /* ids, tokens and labels come from the file: shown, never obeyed */
  for (guint i = 0; i < cells->len; i++)
    {
      char *cell = g_ptr_array_index (cells, i);

      cells->pdata[i] = attn_cli_escape_text (cell);
      g_free (cell);
    }

  n_rows = cells->len / N_COLUMNS;
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < N_COLUMNS; c++)
      {
        const char *cell = g_ptr_array_index (cells, r * N_COLUMNS + c);

        widths[c] = MAX (widths[c], attn_cli_text_width (cell));
      }

  for (guint r = 0; r < n_rows; r++)
    {
      for (guint c = 0; c < N_COLUMNS; c++)
        {
          const char *cell = g_ptr_array_index (cells, r * N_COLUMNS + c);

          if (c == N_COLUMNS - 1)
            g_string_append (out, cell);
          else
            {
              attn_cli_append_padded (out, cell, widths[c]);
              g_string_append (out, "  ");
            }
        }
      g_string_append_c (out, '\n');
    }

  if (!attn_cli_write_stdout (out, &error))
    return attn_cli_fail ("info", error);
  return ATTN_CLI_EXIT_OK;
}
