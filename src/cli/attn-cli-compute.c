/* attn-cli-compute.c: `attnflow-cli raw|rollout|flow FILE`
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Output (README "Command line"): for one example and one position a JSON
 * object with a `layers` list; with `--position all` a `positions` list of
 * {"position": p, "layers": [...]} instead; with `--example all` a JSON array
 * of such objects, one per example. CSV has the columns layer,index,token,value,
 * preceded by `example` and/or `position` when `all` is used for them.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "attn-cli.h"

typedef struct
{
  AttnMethod            method;
  const char           *command;
  AttnCliGraphSettings  graph;
  char                 *example;
  char                 *position;
  char                 *layer;
  gboolean              unnormalized;
  char                 *format_text;

  AttnCliFormat         format;
  gboolean              all_examples;
  gboolean              all_positions;
  gboolean              all_layers;
  guint                 position_value;
  guint                 layer_value;

  AttnCliProgress       progress;
  guint                 job;
  guint                 n_jobs;
} Compute;

/* One example's result: values[(pi * n_layers + li) * n + j] for the
 * positions[pi] and layers[li]. */
typedef struct
{
  AttnExample *example;
  AttnGraph   *graph;
  GArray      *positions;
  GArray      *layers;
  double      *values;
} Result;

static void
result_free (Result *result)
{
  g_clear_pointer (&result->graph, attn_graph_unref);
  g_clear_pointer (&result->positions, g_array_unref);
  g_clear_pointer (&result->layers, g_array_unref);
  g_free (result->values);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Result, result_free)

static void
flow_partial_cb (guint         layer,
                 guint         position,
                 const double *values,
                 double        fraction,
                 gpointer      user_data)
{
  Compute *self = user_data;

  attn_cli_progress_update_job (&self->progress, self->job, self->n_jobs, fraction);
}

static gboolean
set_out_of_memory (Result  *result,
                   gsize    n_values,
                   GError **error)
{
  g_autofree char *name = attn_cli_example_name (result->example);
  g_autofree char *size = g_format_size ((guint64) n_values * sizeof (double));

  /* translators: the first %s is an example's id, the second a size such as "1.6 GB" */
  g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO,
               _("Example “%s”: not enough memory for the result (%s)"), name, size);
  return FALSE;
}

/* Every position: layer @layer's values go to (q, layer) of the result */
static void
scatter_layer_cb (guint         layer,
                  const double *values,
                  gpointer      user_data)
{
  Result *result = user_data;
  guint n = attn_example_get_n_tokens (result->example);
  guint n_layers = result->layers->len;
  guint li = layer - g_array_index (result->layers, guint, 0);

  for (guint q = 0; q < n; q++)
    memcpy (result->values + ((gsize) q * n_layers + li) * n, values + (gsize) q * n,
            n * sizeof (double));
}

static gboolean
compute_example (Compute  *self,
                 Result   *result,
                 GError  **error)
{
  AttnFlowOptions flow_options = { 0 };
  guint n = attn_example_get_n_tokens (result->example);
  guint n_positions = result->positions->len;
  guint n_layers = result->layers->len;

  flow_options.unnormalized = self->unnormalized;
  flow_options.n_threads = 0;
  flow_options.partial = flow_partial_cb;
  flow_options.user_data = self;

  result->values = g_try_new (double, (gsize) n_positions * n_layers * n);
  if (result->values == NULL)
    return set_out_of_memory (result, (gsize) n_positions * n_layers * n, error);

  /* every position: whole layers are cheaper than row by row */
  if (self->all_positions)
    return attn_method_every_node (self->method, result->graph,
                                   g_array_index (result->layers, guint, 0),
                                   g_array_index (result->layers, guint, n_layers - 1),
                                   &flow_options, scatter_layer_cb, result, NULL, error);

  for (guint pi = 0; pi < n_positions; pi++)
    if (!attn_method_importance (self->method, result->graph,
                                 self->all_layers ? 0 : g_array_index (result->layers, guint, 0),
                                 g_array_index (result->positions, guint, pi), &flow_options,
                                 result->values + (gsize) pi * n_layers * n, NULL, error))
      return FALSE;

  return TRUE;
}

static Result *
prepare_example (Compute      *self,
                 AttnExample  *example,
                 GError      **error)
{
  g_autoptr(Result) result = g_new0 (Result, 1);
  g_autofree char *name = attn_cli_example_name (example);
  guint n = attn_example_get_n_tokens (example);
  guint L = attn_example_get_n_layers (example);

  result->example = example;
  result->positions = g_array_new (FALSE, FALSE, sizeof (guint));
  result->layers = g_array_new (FALSE, FALSE, sizeof (guint));

  if (self->all_positions)
    {
      for (guint p = 0; p < n; p++)
        g_array_append_val (result->positions, p);
    }
  else
    {
      guint p = self->position != NULL ? self->position_value : attn_example_get_focus (example);

      if (p >= n)
        {
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("Example “%s”: position %u does not exist: the input has positions 0 to %u"),
                       name, p, n - 1);
          return NULL;
        }
      g_array_append_val (result->positions, p);
    }

  if (self->all_layers)
    {
      for (guint l = 1; l <= L; l++)
        g_array_append_val (result->layers, l);
    }
  else
    {
      if (self->layer_value < 1 || self->layer_value > L)
        {
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("Example “%s”: layer %u does not exist: the model has layers 1 to %u"),
                       name, self->layer_value, L);
          return NULL;
        }
      g_array_append_val (result->layers, self->layer_value);
    }

  result->graph = attn_graph_new_from_settings (example, self->graph.settings, NULL, error);
  if (result->graph == NULL)
    return NULL;

  return g_steal_pointer (&result);
}

static gboolean
is_normalized (Compute *self)
{
  switch (self->method)
    {
    case ATTN_METHOD_RAW:
      /* Mean rows of softmax rows sum to 1; a maximum over heads does not. */
      return self->graph.head_mix == ATTN_HEAD_MIX_MEAN;
    case ATTN_METHOD_ROLLOUT:
      return TRUE;
    case ATTN_METHOD_FLOW:
    default:
      return !self->unnormalized;
    }
}

static void
append_layers_json (GString      *out,
                    Result       *result,
                    guint         pi,
                    const char   *indent)
{
  guint n = attn_example_get_n_tokens (result->example);
  guint n_layers = result->layers->len;

  g_string_append (out, "[\n");
  for (guint li = 0; li < n_layers; li++)
    {
      g_string_append_printf (out, "%s  {\"layer\": %u, \"values\": ", indent,
                              g_array_index (result->layers, guint, li));
      attn_cli_append_json_numbers (out, result->values + ((gsize) pi * n_layers + li) * n, n);
      g_string_append (out, li + 1 < n_layers ? "},\n" : "}\n");
    }
  g_string_append_printf (out, "%s]", indent);
}

static void
append_json (Compute *self,
             GString *out,
             Result  *result)
{
  g_autofree char *name = attn_cli_example_name (result->example);
  guint n = attn_example_get_n_tokens (result->example);

  g_string_append (out, "{\"example\": ");
  attn_cli_append_json_string (out, name);
  g_string_append_printf (out, ", \"method\": \"%s\", \"position\": ",
                          attn_method_get_name (self->method));
  if (self->all_positions)
    g_string_append (out, "\"all\"");
  else
    g_string_append_printf (out, "%u", g_array_index (result->positions, guint, 0));
  g_string_append (out, ", \"residual\": ");
  attn_cli_append_json_number (out, attn_graph_get_residual (result->graph));
  g_string_append (out, ", \"heads\": ");
  attn_cli_append_json_string (out, attn_graph_get_heads_string (result->graph));
  g_string_append_printf (out, ", \"head_mix\": \"%s\", \"normalized\": %s,\n \"tokens\": [",
                          attn_head_mix_get_name (attn_graph_get_head_mix (result->graph)),
                          is_normalized (self) ? "true" : "false");
  for (guint j = 0; j < n; j++)
    {
      if (j > 0)
        g_string_append (out, ", ");
      attn_cli_append_json_string (out, attn_example_get_token (result->example, j));
    }
  g_string_append (out, "],\n");

  if (self->all_positions)
    {
      g_string_append (out, " \"positions\": [\n");
      for (guint pi = 0; pi < result->positions->len; pi++)
        {
          g_string_append_printf (out, "  {\"position\": %u, \"layers\": ",
                                  g_array_index (result->positions, guint, pi));
          append_layers_json (out, result, pi, "  ");
          g_string_append (out, pi + 1 < result->positions->len ? "},\n" : "}\n");
        }
      g_string_append (out, " ]}");
    }
  else
    {
      g_string_append (out, " \"layers\": ");
      append_layers_json (out, result, 0, " ");
      g_string_append (out, "}");
    }
}

static void
append_csv (Compute *self,
            GString *out,
            Result  *result)
{
  g_autofree char *name = attn_cli_example_name (result->example);
  guint n = attn_example_get_n_tokens (result->example);
  guint n_layers = result->layers->len;

  for (guint pi = 0; pi < result->positions->len; pi++)
    for (guint li = 0; li < n_layers; li++)
      for (guint j = 0; j < n; j++)
        {
          double value = result->values[((gsize) pi * n_layers + li) * n + j];

          if (self->all_examples)
            {
              attn_cli_append_csv_field (out, name);
              g_string_append_c (out, ',');
            }
          if (self->all_positions)
            g_string_append_printf (out, "%u,", g_array_index (result->positions, guint, pi));
          g_string_append_printf (out, "%u,%u,", g_array_index (result->layers, guint, li), j);
          attn_cli_append_csv_field (out, attn_example_get_token (result->example, j));
          g_string_append_c (out, ',');
          /* NaN (never expected) is an empty field. */
          if (value == value)
            attn_cli_append_number (out, value);
          g_string_append_c (out, '\n');
        }
}

static int
run (Compute  *self,
     int       argc,
     char    **argv)
{
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(GPtrArray) examples = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) result_free);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (argc != 2)
    return attn_cli_usage_error (self->command, "%s", _("Expected exactly one FILE"));

  if (!attn_cli_parse_format (self->format_text ? self->format_text : "json",
                              ATTN_CLI_FORMAT_JSON | ATTN_CLI_FORMAT_CSV, &self->format, &error) ||
      !attn_cli_graph_settings_check (&self->graph, &error) ||
      (self->position != NULL &&
       !attn_cli_parse_index (self->position, "--position", &self->all_positions,
                              &self->position_value, &error)))
    return attn_cli_usage_error (self->command, "%s", error->message);

  self->all_layers = TRUE;
  if (self->layer != NULL &&
      !attn_cli_parse_index (self->layer, "--layer", &self->all_layers, &self->layer_value, &error))
    return attn_cli_usage_error (self->command, "%s", error->message);
  if (self->unnormalized && self->method != ATTN_METHOD_FLOW)
    return attn_cli_usage_error (self->command, "%s",
                                 _("--unnormalized applies only to flow"));
  self->all_examples = g_strcmp0 (self->example, "all") == 0;

  document = attn_cli_load (argv[1], &error);
  if (document == NULL)
    return attn_cli_fail (self->command, error);
  attn_cli_print_warnings (self->command, document);

  examples = attn_cli_select_examples (document, self->example, &error);
  if (examples == NULL)
    return attn_cli_fail (self->command, error);

  /* Check every selection before the (possibly long) computation. */
  for (guint i = 0; i < examples->len; i++)
    {
      Result *result = prepare_example (self, g_ptr_array_index (examples, i), &error);

      if (result == NULL)
        return attn_cli_fail (self->command, error);
      g_ptr_array_add (results, result);
    }

  attn_cli_progress_init (&self->progress, self->command);
  self->n_jobs = results->len;
  for (guint i = 0; i < results->len; i++)
    {
      self->job = i;
      if (!compute_example (self, g_ptr_array_index (results, i), &error))
        {
          attn_cli_progress_finish (&self->progress);
          return attn_cli_fail (self->command, error);
        }
    }
  attn_cli_progress_finish (&self->progress);

  if (self->format == ATTN_CLI_FORMAT_JSON)
    {
      if (self->all_examples)
        g_string_append (out, "[\n");
      for (guint i = 0; i < results->len; i++)
        {
          append_json (self, out, g_ptr_array_index (results, i));
          if (self->all_examples && i + 1 < results->len)
            g_string_append_c (out, ',');
          g_string_append_c (out, '\n');
        }
      if (self->all_examples)
        g_string_append (out, "]\n");
    }
  else
    {
      if (self->all_examples)
        g_string_append (out, "example,");
      if (self->all_positions)
        g_string_append (out, "position,");
      g_string_append (out, "layer,index,token,value\n");
      for (guint i = 0; i < results->len; i++)
        append_csv (self, out, g_ptr_array_index (results, i));
    }

  if (!attn_cli_write_stdout (out, &error))
    return attn_cli_fail (self->command, error);
  return ATTN_CLI_EXIT_OK;
}

int
attn_cli_compute (int    argc,
                  char **argv)
{
  Compute self = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "example", 0, 0, G_OPTION_ARG_STRING, &self.example,
      N_("Example by id or 0-based index, or “all” (default: the first)"), "ID|INDEX|all" },
    { "position", 0, 0, G_OPTION_ARG_STRING, &self.position,
      N_("0-based token position of the node, or “all” (default: the example’s focus)"), "P|all" },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &self.layer,
      N_("Only layer L (1-based; default: every layer)"), "L" },
    { "unnormalized", 0, 0, G_OPTION_ARG_NONE, &self.unnormalized,
      N_("flow: the raw max-flow values instead of the normalised ones"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &self.format_text,
      N_("Output format: json (default) or csv"), "json|csv" },
    { NULL }
  };

  self.command = argv[0];
  if (!attn_method_from_name (argv[0], &self.method))
    g_return_val_if_reached (ATTN_CLI_EXIT_USAGE);

  context = attn_cli_option_context_new ("FILE",
                                         _("Prints the importance of every input token for a "
                                           "node (layer, position) at each layer: raw "
                                           "attention (row P of W_l), attention rollout or "
                                           "attention flow (Abnar & Zuidema 2020)."),
                                         entries);
  attn_cli_graph_settings_add_entries (&self.graph, context);

  if (!attn_cli_parse_options (context, self.command, &argc, &argv))
    status = ATTN_CLI_EXIT_USAGE;
  else
    status = run (&self, argc, argv);

  attn_cli_graph_settings_clear (&self.graph);
  g_free (self.example);
  g_free (self.position);
  g_free (self.layer);
  g_free (self.format_text);
  return status;
}
