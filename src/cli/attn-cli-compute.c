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
 *
 * The output is streamed: each position's values are written as soon as they
 * are computed (the rollout of one layer at every position by blocks of rows,
 * top down), and each example's graph is built when its turn comes and
 * dropped after it. A pipe whose reader goes away stops the work at once; the
 * process then ends as a write to that pipe would end it, by SIGPIPE.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>

#include "attn-cli.h"

/* Rollout of one layer at every position goes by blocks of rows: a small
 * first block, so that the first rows come out at once, then larger ones. */
#define FIRST_ROWS_BLOCK 8
#define ROWS_BLOCK 64

typedef struct
{
  AttnMethod            method;
  const char           *command;
  AttnCliGraphSettings  graph;
  char                **examples;        /* --example: one, given once */
  const char           *example;         /* it, or NULL */
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
  guint                 positions_done;  /* of the current job */
  guint                 n_positions;     /* of the current job */
  GCancellable         *cancellable;
  GString              *out;             /* what the current position adds */
} Compute;

/* One example's selection, and its graph while it is computed. */
typedef struct
{
  AttnExample *example;
  char        *name;
  AttnGraph   *graph;
  GArray      *positions;
  GArray      *layers;
} Result;

static void
result_free (Result *result)
{
  g_clear_pointer (&result->graph, attn_graph_unref);
  g_clear_pointer (&result->positions, g_array_unref);
  g_clear_pointer (&result->layers, g_array_unref);
  g_free (result->name);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Result, result_free)

static void
update_progress (Compute *self,
                 double   fraction)
{
  double done = (self->positions_done + fraction) / MAX (self->n_positions, 1);

  attn_cli_progress_update_job (&self->progress, self->job, self->n_jobs, MIN (done, 1.));
}

static void
flow_partial_cb (guint         layer,
                 guint         position,
                 const double *values,
                 double        fraction,
                 gpointer      user_data)
{
  update_progress (user_data, fraction);
}

static gboolean
set_out_of_memory (Result  *result,
                   gsize    n_values,
                   GError **error)
{
  g_autofree char *size = attn_error_format_size ((guint64) n_values * sizeof (double));
  g_autofree char *name = attn_example_dup_message_name (result->example);

  /* translators: the example (“cat-mat”, or 3 (no id)), a size such as "1.6 GiB" */
  g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO,
               _("Example %s: not enough memory for the result (%s)"), name, size);
  return FALSE;
}

/* The positions and layers asked for, checked; the graph is built later. */
static Result *
prepare_example (Compute      *self,
                 AttnExample  *example,
                 GError      **error)
{
  g_autoptr(Result) result = g_new0 (Result, 1);
  guint n = attn_example_get_n_tokens (example);
  guint L = attn_example_get_n_layers (example);

  result->example = example;
  result->name = g_strdup (attn_example_get_label (example));
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
          g_autofree char *focus = g_strdup_printf ("%u", p);

          attn_cli_set_absent_error (error, example, FALSE,
                                     self->position != NULL ? self->position : focus, n - 1);
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
          attn_cli_set_absent_error (error, example, TRUE, self->layer, L);
          return NULL;
        }
      g_array_append_val (result->layers, self->layer_value);
    }

  if (!attn_graph_settings_check_example (self->graph.settings, example, error))
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

/* ---- output: the head of an example, each position, the end ---- */

static void
append_layers_json (GString      *out,
                    Result       *result,
                    const double *values,
                    const char   *indent)
{
  guint n = attn_example_get_n_tokens (result->example);
  guint n_layers = result->layers->len;

  g_string_append (out, "[\n");
  for (guint li = 0; li < n_layers; li++)
    {
      g_string_append_printf (out, "%s  {\"layer\": %u, \"values\": ", indent,
                              g_array_index (result->layers, guint, li));
      attn_cli_append_json_numbers (out, values + (gsize) li * n, n);
      g_string_append (out, li + 1 < n_layers ? "},\n" : "}\n");
    }
  g_string_append_printf (out, "%s]", indent);
}

static void
append_json_head (Compute *self,
                  GString *out,
                  Result  *result)
{
  guint n = attn_example_get_n_tokens (result->example);
  char residual[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, "{\"example\": ");
  attn_cli_append_json_string (out, result->name);
  g_string_append_printf (out, ", \"method\": \"%s\", \"weights\": \"%s\", \"position\": ",
                          attn_method_get_name (self->method),
                          attn_weight_kind_get_name (attn_graph_get_weights (result->graph)));
  if (self->all_positions)
    g_string_append (out, "\"all\"");
  else
    g_string_append_printf (out, "%u", g_array_index (result->positions, guint, 0));
  g_string_append_printf (out, ", \"residual\": %s, \"heads\": ",
                          attn_format_setting (residual, attn_graph_get_residual (result->graph)));
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
  g_string_append (out, self->all_positions ? " \"positions\": [\n" : " \"layers\": ");
}

static void
append_json_position (Compute      *self,
                      GString      *out,
                      Result       *result,
                      guint         pi,
                      const double *values)
{
  if (!self->all_positions)
    {
      append_layers_json (out, result, values, " ");
      g_string_append (out, "}");
      return;
    }
  g_string_append_printf (out, "  {\"position\": %u, \"layers\": ",
                          g_array_index (result->positions, guint, pi));
  append_layers_json (out, result, values, "  ");
  g_string_append (out, pi + 1 < result->positions->len ? "},\n" : "}\n ]}");
}

static void
append_csv_position (Compute      *self,
                     GString      *out,
                     Result       *result,
                     guint         pi,
                     const double *values)
{
  guint n = attn_example_get_n_tokens (result->example);

  for (guint li = 0; li < result->layers->len; li++)
    for (guint j = 0; j < n; j++)
      {
        double value = values[(gsize) li * n + j];

        if (self->all_examples)
          {
            attn_cli_append_csv_field (out, result->name);
            g_string_append_c (out, ',');
          }
        if (self->all_positions)
          g_string_append_printf (out, "%u,", g_array_index (result->positions, guint, pi));
        g_string_append_printf (out, "%u,%u,", g_array_index (result->layers, guint, li), j);
        attn_cli_append_csv_field (out, attn_example_get_token (result->example, j));
        g_string_append_c (out, ',');
        /* NaN (never expected) is an empty field. */
        if (value == value)
          attn_append_number (out, value);
        g_string_append_c (out, '\n');
      }
}

/* Writes what has been appended to self->out. */
static gboolean
flush_output (Compute  *self,
              GError  **error)
{
  gboolean ok = attn_cli_write_stdout (self->out, error);

  g_string_truncate (self->out, 0);
  return ok;
}

/* Position @pi's values (n_layers * n) are ready: out they go. */
static gboolean
emit_position (Compute       *self,
               Result        *result,
               guint          pi,
               const double  *values,
               GError       **error)
{
  if (self->format == ATTN_CLI_FORMAT_JSON)
    append_json_position (self, self->out, result, pi, values);
  else
    append_csv_position (self, self->out, result, pi, values);
  self->positions_done = pi + 1;
  update_progress (self, 0.);
  return flush_output (self, error);
}

/* ---- computing ---- */

/* Rollout of one layer at every position: blocks of rows, top down. */
static gboolean
stream_rollout_rows (Compute  *self,
                     Result   *result,
                     GError  **error)
{
  guint n = attn_example_get_n_tokens (result->example);
  guint layer = g_array_index (result->layers, guint, 0);
  g_autofree double *rows = g_try_new (double, (gsize) ROWS_BLOCK * n);

  if (rows == NULL)
    return set_out_of_memory (result, (gsize) ROWS_BLOCK * n, error);
  for (guint first = 0; first < n;)
    {
      guint count = MIN (first == 0 ? FIRST_ROWS_BLOCK : ROWS_BLOCK, n - first);

      if (!attn_rollout_rows (result->graph, layer, first, count, rows, self->cancellable, error))
        return FALSE;
      for (guint i = 0; i < count; i++)
        if (!emit_position (self, result, first + i, rows + (gsize) i * n, error))
          return FALSE;
      first += count;
    }
  return TRUE;
}

/* Rollout of every layer at every position: the L matrices bottom up (each
 * position needs the top one), then the rows. */
static gboolean
stream_rollout_matrices (Compute  *self,
                         Result   *result,
                         GError  **error)
{
  guint n = attn_example_get_n_tokens (result->example);
  guint L = result->layers->len;
  gsize nn = (gsize) n * n;
  g_autofree double *matrices = g_try_new (double, L * nn);
  g_autofree double *values = g_new (double, (gsize) L * n);

  if (matrices == NULL)
    return set_out_of_memory (result, L * nn, error);
  if (!attn_rollout_matrices (result->graph, matrices, self->cancellable, error))
    return FALSE;
  for (guint p = 0; p < n; p++)
    {
      for (guint l = 0; l < L; l++)
        memcpy (values + (gsize) l * n, matrices + l * nn + (gsize) p * n, n * sizeof (double));
      if (!emit_position (self, result, p, values, error))
        return FALSE;
    }
  return TRUE;
}

/* Every other case, position by position. */
static gboolean
stream_positions (Compute  *self,
                  Result   *result,
                  GError  **error)
{
  AttnFlowOptions flow_options = { self->unnormalized, 0, flow_partial_cb, self };
  guint n = attn_example_get_n_tokens (result->example);
  g_autofree double *values = g_new (double, (gsize) result->layers->len * n);

  for (guint pi = 0; pi < result->positions->len; pi++)
    if (!attn_method_importance (self->method, result->graph,
                                 self->all_layers ? 0 : g_array_index (result->layers, guint, 0),
                                 g_array_index (result->positions, guint, pi), &flow_options,
                                 values, self->cancellable, error)
        || !emit_position (self, result, pi, values, error))
      return FALSE;
  return TRUE;
}

/* Builds the example's graph, writes its values as they come, drops it. */
static gboolean
stream_example (Compute  *self,
                Result   *result,
                GError  **error)
{
  gboolean ok;

  result->graph = attn_graph_new_from_settings (result->example, self->graph.settings,
                                                self->cancellable, error);
  if (result->graph == NULL)
    return FALSE;
  self->positions_done = 0;
  self->n_positions = result->positions->len;
  if (self->format == ATTN_CLI_FORMAT_JSON)
    append_json_head (self, self->out, result);

  if (self->method == ATTN_METHOD_ROLLOUT && self->all_positions)
    ok = self->all_layers ? stream_rollout_matrices (self, result, error)
                          : stream_rollout_rows (self, result, error);
  else
    ok = stream_positions (self, result, error);

  g_clear_pointer (&result->graph, attn_graph_unref);
  return ok;
}

static gboolean
stream_examples (Compute    *self,
                 GPtrArray  *results,
                 GError    **error)
{
  if (self->format == ATTN_CLI_FORMAT_JSON && self->all_examples)
    g_string_append (self->out, "[\n");
  else if (self->format == ATTN_CLI_FORMAT_CSV)
    {
      if (self->all_examples)
        g_string_append (self->out, "example,");
      if (self->all_positions)
        g_string_append (self->out, "position,");
      g_string_append (self->out, "layer,index,token,value\n");
    }

  self->n_jobs = results->len;
  for (guint i = 0; i < results->len; i++)
    {
      self->job = i;
      if (!stream_example (self, g_ptr_array_index (results, i), error))
        return FALSE;
      if (self->format == ATTN_CLI_FORMAT_JSON)
        g_string_append (self->out, self->all_examples && i + 1 < results->len ? ",\n" : "\n");
    }
  if (self->format == ATTN_CLI_FORMAT_JSON && self->all_examples)
    g_string_append (self->out, "]\n");
  return flush_output (self, error);
}

static int
run (Compute  *self,
     int       argc,
     char    **argv)
{
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(GPtrArray) examples = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) result_free);
  g_autoptr(GError) error = NULL;
  AttnCliOutputWatch *watch;
  gboolean ok, closed;

  if (argc != 2)
    return attn_cli_file_count_error (self->command, argc, argv);
  if (self->examples != NULL && g_strv_length (self->examples) > 1)
    return attn_cli_usage_error (self->command, "%s",
                                 _("Give --example once: one example, or “all” for every one"));
  self->example = self->examples != NULL ? self->examples[0] : NULL;

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
  self->all_examples = attn_keyword_is (self->example, "all");

  document = attn_cli_load (self->command, argv[1], &error);
  if (document == NULL)
    return attn_cli_fail (self->command, error);

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

  self->cancellable = g_cancellable_new ();
  self->out = g_string_new (NULL);
  watch = attn_cli_output_watch_new (self->cancellable);
  attn_cli_progress_init (&self->progress, self->command);
  ok = stream_examples (self, results, &error);
  attn_cli_progress_finish (&self->progress, ok);
  closed = attn_cli_output_watch_closed (watch);
  attn_cli_output_watch_free (watch);
  g_string_free (self->out, TRUE);
  g_clear_object (&self->cancellable);

  if (closed)
    {
      /* The reader is gone: end as the next write would have ended us. */
      raise (SIGPIPE);
      return ATTN_CLI_EXIT_FAILURE;
    }
  if (!ok)
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
    { "example", 0, 0, G_OPTION_ARG_STRING_ARRAY, &self.examples,
      N_("Example by id or 0-based index, or “all” (default: the first)"), "ID|INDEX|all" },
    { "position", 0, 0, G_OPTION_ARG_STRING, &self.position,
      N_("0-based token position of the node, or “all” (default: the example’s focus)"), "P|all" },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &self.layer,
      N_("Only layer L (1-based), or “all” (the default: every layer)"), "L|all" },
    { "unnormalized", 0, 0, G_OPTION_ARG_NONE, &self.unnormalized,
      N_("Flow only: the raw max-flow values instead of the normalised ones"), NULL },
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
  g_strfreev (self.examples);
  g_free (self.position);
  g_free (self.layer);
  g_free (self.format_text);
  return status;
}
