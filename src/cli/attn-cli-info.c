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

/* The focus cell: its position and its token, quoted and shortened as the
 * messages quote a token (“ the” with its space, “1 hello” as one token) */
static char *
describe_focus (AttnExample *example)
{
  guint focus = attn_example_get_focus (example);
  g_autofree char *token = attn_error_quote_text (attn_example_get_token (example, focus));

  /* translators: a cell of `attnflow-cli info`: the focus token's position and the
   * token, quoted */
  return g_strdup_printf (_("%u “%s”"), focus, token);
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

/* The first two cells of a row of the tables: the example's index and id
 * (or, for @example NULL, their headings) */
static void
add_example_cells (GPtrArray   *cells,
                   guint        index,
                   AttnExample *example)
{
  const char *id = example != NULL ? attn_example_get_id (example) : NULL;

  if (example == NULL)
    {
      /* translators: column headings of `attnflow-cli info` */
      g_ptr_array_add (cells, g_strdup (_("index")));
      g_ptr_array_add (cells, g_strdup (_("id")));
      return;
    }
  g_ptr_array_add (cells, g_strdup_printf ("%u", index));
  g_ptr_array_add (cells, g_strdup (id != NULL ? id : "-"));
}

/* Appends @cells, rows of @n_columns (the first the headings), as a table
 * whose columns are as wide as their widest cell; the cells come from the
 * file (ids, tokens, labels) and are escaped: shown, never obeyed. */
static void
append_table (GString   *out,
              GPtrArray *cells,
              guint      n_columns)
{
  g_autofree guint *widths = g_new0 (guint, n_columns);
  guint n_rows = cells->len / n_columns;

  for (guint i = 0; i < cells->len; i++)
    {
      char *cell = g_ptr_array_index (cells, i);

      cells->pdata[i] = attn_error_escape_text (cell, -1);
      g_free (cell);
      widths[i % n_columns] = MAX (widths[i % n_columns], attn_cli_text_width (cells->pdata[i]));
    }

  for (guint r = 0; r < n_rows; r++)
    {
      for (guint c = 0; c < n_columns; c++)
        {
          const char *cell = g_ptr_array_index (cells, r * n_columns + c);

          if (c == n_columns - 1)
            g_string_append (out, cell);
          else
            {
              attn_cli_append_padded (out, cell, widths[c]);
              g_string_append (out, "  ");
            }
        }
      g_string_append_c (out, '\n');
    }
}

/* Under the table, the examples' `contributions_target`s (what the gradient
 * of “Attention × gradient” was taken for), when there are any: a table of
 * their own, as they are long. */
static void
append_targets (GString      *out,
                AttnDocument *document)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  guint n_examples = attn_document_get_n_examples (document);

  add_example_cells (cells, 0, NULL);
  /* translators: column heading of `attnflow-cli info`: what the gradient of the
   * attn-grad weights was taken for, such as “logit of “his” at token 7” */
  g_ptr_array_add (cells, g_strdup (_("attn-grad target")));
  for (guint i = 0; i < n_examples; i++)
    {
      AttnExample *example = attn_document_get_example (document, i);
      const char *target = attn_example_get_contributions_target (example);

      if (target == NULL)
        continue;
      add_example_cells (cells, i, example);
      g_ptr_array_add (cells, g_strdup (target));
    }
  if (cells->len == 3)
    return;
  g_string_append_c (out, '\n');
  append_table (out, cells, 3);
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
  const char *model;
  guint n_examples;
  int status;

  context = attn_cli_option_context_new ("FILE",
                                         _("Prints a summary of an attention export: the model, "
                                           "and for each example its id, number of tokens n, "
                                           "layers L, heads H, focus token, stored dtype, "
                                           "prediction, references and the weight kinds it "
                                           "carries (attention and its contributions); then, for "
                                           "the examples that name one, what the gradient of "
                                           "attn-grad was taken for. Warnings go to stderr."),
                                         NULL);
  document = attn_cli_load_single_file (context, "info", &argc, &argv, &status);
  if (document == NULL)
    return status;

  display = attn_error_display_path (argv[1]);
  model = attn_document_get_model (document);
  shown_model = attn_error_escape_text (model ? model : "-", -1);
  n_examples = attn_document_get_n_examples (document);

  g_string_append_printf (out, "%s %s\n", _("File:"), display);
  g_string_append_printf (out, "%s %s\n", _("Model:"), shown_model);
  g_string_append_printf (out, "%s %u\n", _("Examples:"), n_examples);
  g_string_append_c (out, '\n');

  /* index, id, n = tokens, L = layers, H = heads, ... */
  add_example_cells (cells, 0, NULL);
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

      add_example_cells (cells, i, example);
      g_ptr_array_add (cells, g_strdup_printf ("%u", attn_example_get_n_tokens (example)));
      g_ptr_array_add (cells, g_strdup_printf ("%u", attn_example_get_n_layers (example)));
      if (attn_example_get_head_mixed (example))
        /* translators: shown instead of the number of heads for head-mixed attention */
        g_ptr_array_add (cells, g_strdup (_("mixed")));
      else
        g_ptr_array_add (cells, g_strdup_printf ("%u", attn_example_get_n_heads (example)));
      g_ptr_array_add (cells, describe_focus (example));
      g_ptr_array_add (cells, g_strdup (attn_dtype_get_name (attn_example_get_dtype (example))));
      g_ptr_array_add (cells, describe_prediction (example));
      g_ptr_array_add (cells, describe_references (example));
      g_ptr_array_add (cells, attn_example_format_weights (example, ","));
    }

  append_table (out, cells, N_COLUMNS);
  append_targets (out, document);

  if (!attn_cli_write_stdout (out, &error))
    return attn_cli_fail ("info", error);
  return ATTN_CLI_EXIT_OK;
}
