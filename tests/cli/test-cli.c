/* test-cli.c: attnflow-cli end to end (README, "Command line")
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the built attnflow-cli (its path in $ATTNFLOW_CLI) and checks its
 * output against the golden values (tests/data/expected), against an
 * independent computation on a small fixture (tests/cli/data/tiny.json) and
 * against numbers computed with numpy + scipy (tests/data/correlate-sst2.json,
 * from tests/generators/gen-correlate-fixtures.py).
 */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "attn-test-util.h"

#define TOLERANCE 1e-9

static char *
data_path (const char *first,
           ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (parts, (gpointer) g_test_get_dir (G_TEST_DIST));
  va_start (args, first);
  for (const char *p = first; p != NULL; p = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

static void
assert_success (AttnTestRun *run)
{
  if (run->status != 0)
    g_error ("attnflow-cli failed with %d: %s", run->status, run->err);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_cmpuint (strlen (run->out), >, 0);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
load_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
load_golden (const char *name)
{
  g_autofree char *path = data_path ("data", "expected", name, NULL);

  return load_json (path);
}

/* golden[member][layer-1][position] */
static JsonArray *
golden_row (JsonNode   *golden,
            const char *member,
            guint       layer,
            guint       position)
{
  JsonArray *layers = json_object_get_array_member (json_node_get_object (golden), member);

  return json_array_get_array_element (json_array_get_array_element (layers, layer - 1), position);
}

static void
assert_values_array (JsonArray    *actual,
                     JsonArray    *expected,
                     double        tolerance)
{
  g_assert_cmpuint (json_array_get_length (actual), ==, json_array_get_length (expected));
  for (guint j = 0; j < json_array_get_length (expected); j++)
    {
      double e = json_array_get_double_element (expected, j);
      double a = json_array_get_double_element (actual, j);

      if (fabs (a - e) > tolerance)
        g_error ("value %u: expected %.17g, got %.17g", j, e, a);
    }
}

/* Checks a `layers` list against golden[member][*][position]. */
static void
assert_layers_golden (JsonArray  *layers,
                      JsonNode   *golden,
                      const char *member,
                      guint       position)
{
  guint L = json_object_get_int_member (json_node_get_object (golden), "n_layers");

  g_assert_cmpuint (json_array_get_length (layers), ==, L);
  for (guint l = 1; l <= L; l++)
    {
      JsonObject *layer = json_array_get_object_element (layers, l - 1);

      g_assert_cmpint (json_object_get_int_member (layer, "layer"), ==, l);
      assert_values_array (json_object_get_array_member (layer, "values"),
                           golden_row (golden, member, l, position), TOLERANCE);
    }
}

static void
assert_header (JsonObject *object,
               const char *example,
               const char *method,
               double      residual,
               const char *heads,
               const char *head_mix,
               gboolean    normalized)
{
  g_assert_cmpstr (json_object_get_string_member (object, "example"), ==, example);
  g_assert_cmpstr (json_object_get_string_member (object, "method"), ==, method);
  g_assert_cmpfloat (json_object_get_double_member (object, "residual"), ==, residual);
  g_assert_cmpstr (json_object_get_string_member (object, "heads"), ==, heads);
  g_assert_cmpstr (json_object_get_string_member (object, "head_mix"), ==, head_mix);
  g_assert_cmpint (json_object_get_boolean_member (object, "normalized"), ==, normalized);
}

typedef struct
{
  const char *golden;
  const char *input;   /* relative to tests/ */
  const char *example;
  guint       position;
} NodeCase;

static const NodeCase node_cases[] = {
  { "bert-base-uncased.rabbit-turtle.json", "../data/examples/bert-base-uncased.json", "rabbit-turtle", 0 },
  { "bert-base-uncased.rabbit-turtle.json", "../data/examples/bert-base-uncased.json", "rabbit-turtle", 5 },
  { "bert-base-uncased.cat-mat.json", "../data/examples/bert-base-uncased.json", "0", 14 },
  { "distilbert-base-uncased.fox.json", "data/distilbert-base-uncased.json", "fox", 4 },
  { "gpt2.fox.json", "data/gpt2.json", "fox", 9 },
  { "gpt2.fox.json", "data/gpt2.json", "fox", 3 },
  { "sst2-bert.sst2-1125.json", "../data/examples/sst2-bert.json", "sst2-1125", 7 },
};

static void
check_method_at_nodes (const char *method,
                       const char *member,
                       gboolean    unnormalized)
{
  for (guint i = 0; i < G_N_ELEMENTS (node_cases); i++)
    {
      const NodeCase *c = &node_cases[i];
      g_auto(AttnTestRun) run = { 0 };
      g_autoptr(JsonNode) golden = load_golden (c->golden);
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *input = data_path (c->input, NULL);
      g_autofree char *position = g_strdup_printf ("%u", c->position);
      const char *id = json_object_get_string_member (json_node_get_object (golden), "example");
      JsonObject *object;
      JsonArray *tokens, *golden_tokens;

      if (unnormalized)
        attn_test_run_cli (&run, method, input, "--example", c->example, "--position", position,
                 "--unnormalized", NULL);
      else
        attn_test_run_cli (&run, method, input, "--example", c->example, "--position", position, NULL);
      assert_success (&run);
      root = parse_json (run.out);
      object = json_node_get_object (root);

      assert_header (object, id, method, 0.5, "all", "mean", !unnormalized);
      g_assert_cmpint (json_object_get_int_member (object, "position"), ==, c->position);
      tokens = json_object_get_array_member (object, "tokens");
      golden_tokens = json_object_get_array_member (json_node_get_object (golden), "tokens");
      g_assert_cmpuint (json_array_get_length (tokens), ==, json_array_get_length (golden_tokens));
      for (guint j = 0; j < json_array_get_length (tokens); j++)
        g_assert_cmpstr (json_array_get_string_element (tokens, j), ==,
                         json_array_get_string_element (golden_tokens, j));
      g_assert_false (json_object_has_member (object, "positions"));
      assert_layers_golden (json_object_get_array_member (object, "layers"), golden, member,
                            c->position);
    }
}

static void
test_rollout_golden (void)
{
  check_method_at_nodes ("rollout", "rollout", FALSE);
}

static void
test_raw_golden (void)
{
  check_method_at_nodes ("raw", "raw", FALSE);
}

static void
test_flow_golden (void)
{
  check_method_at_nodes ("flow", "flow", FALSE);
  check_method_at_nodes ("flow", "flow_unnormalized", TRUE);
}

static void
test_default_position_is_focus (void)
{
  g_auto(AttnTestRun) run = { 0 };
  g_autoptr(JsonNode) golden = load_golden ("gpt2.fox.json");
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *input = data_path ("data", "gpt2.json", NULL);
  JsonObject *object;

  /* gpt2.json's focus is 9, the last token */
  attn_test_run_cli (&run, "rollout", input, NULL);
  assert_success (&run);
  root = parse_json (run.out);
  object = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (object, "position"), ==, 9);
  assert_layers_golden (json_object_get_array_member (object, "layers"), golden, "rollout", 9);
}

static void
test_position_all (void)
{
  const char *methods[] = { "raw", "rollout", "flow" };

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_auto(AttnTestRun) run = { 0 };
      g_autoptr(JsonNode) golden = load_golden ("distilbert-base-uncased.fox.json");
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *input = data_path ("data", "distilbert-base-uncased.json", NULL);
      JsonObject *object;
      JsonArray *positions;

      attn_test_run_cli (&run, methods[m], input, "--position", "all", NULL);
      assert_success (&run);
      root = parse_json (run.out);
      object = json_node_get_object (root);
      assert_header (object, "fox", methods[m], 0.5, "all", "mean", TRUE);
      g_assert_cmpstr (json_object_get_string_member (object, "position"), ==, "all");
      g_assert_false (json_object_has_member (object, "layers"));
      positions = json_object_get_array_member (object, "positions");
      g_assert_cmpuint (json_array_get_length (positions), ==, 11);
      for (guint p = 0; p < 11; p++)
        {
          JsonObject *entry = json_array_get_object_element (positions, p);

          g_assert_cmpint (json_object_get_int_member (entry, "position"), ==, p);
          assert_layers_golden (json_object_get_array_member (entry, "layers"), golden,
                                methods[m], p);
        }
    }
}

/* Every position at one layer: rollout by blocks of rows, flow and raw
 * position by position, all streamed, against the golden values. */
static void
test_position_all_one_layer (void)
{
  const char *methods[] = { "raw", "rollout", "flow" };

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_auto(AttnTestRun) run = { 0 };
      g_autoptr(JsonNode) golden = load_golden ("gpt2.fox.json");
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *input = data_path ("data", "gpt2.json", NULL);
      JsonArray *positions;

      attn_test_run_cli (&run, methods[m], input, "--position", "all", "--layer", "7", NULL);
      assert_success (&run);
      root = parse_json (run.out);
      positions = json_object_get_array_member (json_node_get_object (root), "positions");
      g_assert_cmpuint (json_array_get_length (positions), ==, 10);
      for (guint p = 0; p < 10; p++)
        {
          JsonObject *entry = json_array_get_object_element (positions, p);
          JsonArray *layers = json_object_get_array_member (entry, "layers");
          JsonObject *layer = json_array_get_object_element (layers, 0);

          g_assert_cmpint (json_object_get_int_member (entry, "position"), ==, p);
          g_assert_cmpuint (json_array_get_length (layers), ==, 1);
          g_assert_cmpint (json_object_get_int_member (layer, "layer"), ==, 7);
          assert_values_array (json_object_get_array_member (layer, "values"),
                               golden_row (golden, methods[m], 7, p), TOLERANCE);
        }
    }
}

/* A 12-layer head-mixed export of @n tokens (random softmax-like rows,
 * float32 base64) in @dir. */
static char *
write_synthetic_export (const char *dir,
                        guint       n)
{
  guint L = 12;
  g_autofree float *values = g_new (float, (gsize) L * n * n);
  g_autofree char *encoded = NULL;
  g_autoptr(GString) json = g_string_new ("{\"tokens\": [");
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "synthetic.json", NULL);
  guint64 state = 11;

  for (gsize r = 0; r < (gsize) L * n; r++)
    {
      float *row = values + r * n;
      double sum = 0.;

      for (guint k = 0; k < n; k++)
        {
          state = state * 6364136223846793005ULL + 1442695040888963407ULL;
          row[k] = (float) exp (3. * (double) (state >> 11) / 9007199254740992.);
          sum += row[k];
        }
      for (guint k = 0; k < n; k++)
        row[k] = (float) (row[k] / sum);
    }
  for (guint j = 0; j < n; j++)
    g_string_append_printf (json, "%s\"t%u\"", j ? ", " : "", j);
  encoded = g_base64_encode ((const guchar *) values, (gsize) L * n * n * sizeof (float));
  g_string_append_printf (json, "], \"attention\": {\"dtype\": \"float32\", "
                          "\"shape\": [%u, %u, %u], \"base64\": \"%s\"}}", L, n, n, encoded);
  g_file_set_contents (path, json->str, json->len, &error);
  g_assert_no_error (error);
  return path;
}

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Reads @lines lines of a command's output (0: none), closes the pipe, and
 * checks that the command stops within 20 s (the whole work takes minutes),
 * as a write into the closed pipe would stop it: by SIGPIPE (or, where the
 * signal is ignored, with a failure). */
static void
assert_stops_when_closed (const char * const *argv,
                          guint               lines)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) data = NULL;
  gboolean done = FALSE, timed_out = FALSE;
  guint timeout;
  int status;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error);
  g_assert_no_error (error);
  data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  for (guint i = 0; i < lines; i++)
    {
      g_autofree char *line = g_data_input_stream_read_line (data, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
    }
  g_input_stream_close (g_subprocess_get_stdout_pipe (process), NULL, &error);
  g_assert_no_error (error);

  g_subprocess_wait_async (process, NULL, exited_cb, &done);
  timeout = g_timeout_add_seconds (20, timeout_cb, &timed_out);
  while (!done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!done)
    {
      g_subprocess_force_exit (process);
      g_error ("%s %s still runs 20 s after its output was closed", argv[1], argv[2]);
    }
  g_source_remove (timeout);
  status = g_subprocess_get_status (process);
  g_assert_true ((WIFSIGNALED (status) && WTERMSIG (status) == SIGPIPE)
                 || (WIFEXITED (status) && WEXITSTATUS (status) == 1));
}

/* `--position all` on a long job, its output closed after the first row (or
 * before any): the work stops at once, not at the next row or the end. */
static void
test_closed_pipe (void)
{
  g_autofree char *dir = g_dir_make_tmp ("attnflow-cli-pipe-XXXXXX", NULL);
  g_autofree char *input = write_synthetic_export (dir, 256);
  const char *cli = g_getenv ("ATTNFLOW_CLI");
  const char *flow[] = { cli, "flow", input, "--position", "all", "--format", "csv", NULL };
  const char *rollout[] = { cli, "rollout", input, "--position", "all", "--layer", "12",
                            "--format", "csv", NULL };

  g_assert_nonnull (cli);
  assert_stops_when_closed (flow, 2);
  assert_stops_when_closed (flow, 0);
  assert_stops_when_closed (rollout, 2);
  attn_test_remove_tree (dir);
}

static void
test_example_all (void)
{
  g_auto(AttnTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *input = data_path ("..", "data", "examples", "bert-base-uncased.json", NULL);
  const char *goldens[] = { "bert-base-uncased.cat-mat.json", "bert-base-uncased.rabbit-turtle.json" };
  const char *ids[] = { "cat-mat", "rabbit-turtle" };
  JsonArray *array;

  attn_test_run_cli (&run, "rollout", input, "--example", "all", NULL);
  assert_success (&run);
  root = parse_json (run.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonNode) golden = load_golden (goldens[i]);
      JsonObject *object = json_array_get_object_element (array, i);

      assert_header (object, ids[i], "rollout", 0.5, "all", "mean", TRUE);
      g_assert_cmpint (json_object_get_int_member (object, "position"), ==, 0);
      assert_layers_golden (json_object_get_array_member (object, "layers"), golden, "rollout", 0);
    }
}

static void
test_example_all_position_all (void)
{
  g_auto(AttnTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *input = data_path ("cli", "data", "tiny.json", NULL);
  JsonArray *array;

  attn_test_run_cli (&run, "raw", input, "--example", "all", "--position", "all", NULL);
  assert_success (&run);
  root = parse_json (run.out);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  /* The second example has no id: it is named by its index. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1),
                                                  "example"), ==, "1");
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      JsonArray *positions = json_object_get_array_member (object, "positions");

      g_assert_cmpuint (json_array_get_length (positions), ==, i == 0 ? 4 : 3);
      for (guint p = 0; p < json_array_get_length (positions); p++)
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                            json_array_get_object_element (positions, p), "layers")), ==, 2);
    }
}

static void
test_layer (void)
{
  g_auto(AttnTestRun) run = { 0 };
  g_autoptr(JsonNode) golden = load_golden ("bert-base-uncased.cat-mat.json");
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *input = data_path ("..", "data", "examples", "bert-base-uncased.json", NULL);
  JsonArray *layers;
  JsonObject *layer;

  attn_test_run_cli (&run, "rollout", input, "--layer", "7", "--position", "3", NULL);
  assert_success (&run);
  root = parse_json (run.out);
  layers = json_object_get_array_member (json_node_get_object (root), "layers");
  g_assert_cmpuint (json_array_get_length (layers), ==, 1);
  layer = json_array_get_object_element (layers, 0);
  g_assert_cmpint (json_object_get_int_member (layer, "layer"), ==, 7);
  assert_values_array (json_object_get_array_member (layer, "values"),
                       golden_row (golden, "rollout", 7, 3), TOLERANCE);
}

/* Round-trip exactness: every number is printed as "%.17g" of the double it
 * stands for, so it reads back to that same double. */
static void
test_numbers_round_trip (void)
{
  g_auto(AttnTestRun) run = { 0 };
  g_autoptr(GRegex) regex = g_regex_new ("-?[0-9][0-9.eE+-]*", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *input = data_path ("data", "gpt2.json", NULL);
  const char *values;
  guint count = 0;

  attn_test_run_cli (&run, "rollout", input, "--layer", "12", NULL);
  assert_success (&run);
  values = strstr (run.out, "\"values\": [");
  g_assert_nonnull (values);

  g_regex_match (regex, values, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *number = g_match_info_fetch (match, 0);
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (buffer, sizeof buffer, "%.17g", g_ascii_strtod (number, NULL));
      g_assert_cmpstr (number, ==, buffer);
      count++;
      g_match_info_next (match, NULL);
    }
  /* gpt2 fox: 10 tokens; most need all 17 digits */
  g_assert_cmpuint (count, ==, 10);
}

/* ---- Independent computation on tests/cli/data/tiny.json ---------------- */

typedef struct
{
  guint   L, H, n;
  double *attention;  /* [L][H][n][n] */
  char  **tokens;
} Tiny;

static void
tiny_clear (Tiny *tiny)
{
  g_clear_pointer (&tiny->attention, g_free);
  g_clear_pointer (&tiny->tokens, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Tiny, tiny_clear)

static void
tiny_load (Tiny *tiny)
{
  g_autofree char *path = data_path ("cli", "data", "tiny.json", NULL);
  g_autoptr(JsonNode) root = load_json (path);
  JsonObject *example = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (root), "examples"), 0);
  JsonArray *attention = json_object_get_array_member (example, "attention");
  JsonArray *tokens = json_object_get_array_member (example, "tokens");

  tiny->L = json_array_get_length (attention);
  tiny->H = json_array_get_length (json_array_get_array_element (attention, 0));
  tiny->n = json_array_get_length (tokens);
  tiny->tokens = g_new0 (char *, tiny->n + 1);
  for (guint j = 0; j < tiny->n; j++)
    tiny->tokens[j] = g_strdup (json_array_get_string_element (tokens, j));
  tiny->attention = g_new (double, tiny->L * tiny->H * tiny->n * tiny->n);
  for (guint l = 0; l < tiny->L; l++)
    for (guint h = 0; h < tiny->H; h++)
      for (guint q = 0; q < tiny->n; q++)
        for (guint k = 0; k < tiny->n; k++)
          {
            JsonArray *row = json_array_get_array_element (
                json_array_get_array_element (json_array_get_array_element (attention, l), h), q);

            tiny->attention[((l * tiny->H + h) * tiny->n + q) * tiny->n + k] =
              json_array_get_double_element (row, k);
          }
}

/* W_l[q][k] mixed over @heads (NULL: all) by mean or max. */
static double
tiny_mixed (const Tiny *tiny,
            guint       l,
            guint       q,
            guint       k,
            const int  *heads,
            gboolean    max)
{
  double acc = max ? -1. : 0.;
  guint count = 0;

  for (guint h = 0; h < tiny->H; h++)
    {
      double a;

      if (heads != NULL)
        {
          gboolean chosen = FALSE;
          for (const int *p = heads; *p >= 0; p++)
            chosen |= (guint) *p == h;
          if (!chosen)
            continue;
        }
      a = tiny->attention[((l * tiny->H + h) * tiny->n + q) * tiny->n + k];
      acc = max ? MAX (acc, a) : acc + a;
      count++;
    }
  return max ? acc : acc / count;
}

/* The rollout row of node (L, p): e_p · Â_L · … · Â_1. */
static void
tiny_rollout (const Tiny *tiny,
              guint       p,
              double      alpha,
              const int  *heads,
              gboolean    max,
              double     *out)  /* [L][n] */
{
  guint n = tiny->n;
  g_autofree double *aug = g_new (double, tiny->L * n * n);

  for (guint l = 0; l < tiny->L; l++)
    for (guint q = 0; q < n; q++)
      {
        double sum = 0.;

        for (guint k = 0; k < n; k++)
          {
            double v = (1. - alpha) * tiny_mixed (tiny, l, q, k, heads, max) + (q == k ? alpha : 0.);
            aug[(l * n + q) * n + k] = v;
            sum += v;
          }
        for (guint k = 0; k < n; k++)
          aug[(l * n + q) * n + k] /= sum;
      }

  /* R_l[p] = Â_l[p] · R_{l-1}: compute the full products. */
  {
    g_autofree double *r = g_new (double, n * n);
    g_autofree double *next = g_new (double, n * n);

    memcpy (r, aug, n * n * sizeof (double));
    for (guint k = 0; k < n; k++)
      out[k] = r[p * n + k];
    for (guint l = 1; l < tiny->L; l++)
      {
        for (guint q = 0; q < n; q++)
          for (guint k = 0; k < n; k++)
            {
              double s = 0.;
              for (guint m = 0; m < n; m++)
                s += aug[(l * n + q) * n + m] * r[m * n + k];
              next[q * n + k] = s;
            }
        memcpy (r, next, n * n * sizeof (double));
        for (guint k = 0; k < n; k++)
          out[l * n + k] = r[p * n + k];
      }
  }
}

static JsonArray *
layer_values (JsonObject *object,
              guint       index)
{
  JsonArray *layers = json_object_get_array_member (object, "layers");

  return json_object_get_array_member (json_array_get_object_element (layers, index), "values");
}

static void
assert_values (JsonArray    *actual,
               const double *expected,
               guint         n)
{
  g_assert_cmpuint (json_array_get_length (actual), ==, n);
  for (guint j = 0; j < n; j++)
    g_assert_cmpfloat_with_epsilon (json_array_get_double_element (actual, j), expected[j], 1e-12);
}

static void
check_tiny (const char *method,
            const char *heads_arg,
            const int  *heads,
            const char *mix,
            const char *residual_arg,
            double      alpha,
            gboolean    normalized)
{
  g_auto(Tiny) tiny = { 0 };
  g_auto(AttnTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *input = data_path ("cli", "data", "tiny.json", NULL);
  g_autofree double *expected = NULL;
  JsonObject *object;
  guint focus = 1;

  tiny_load (&tiny);
  attn_test_run_cli (&run, method, input, "--heads", heads_arg, "--head-mix", mix,
           "--residual", residual_arg, NULL);
  assert_success (&run);
  root = parse_json (run.out);
  object = json_node_get_object (root);
  assert_header (object, "tiny", method, alpha, heads_arg, mix, normalized);
  g_assert_cmpint (json_object_get_int_member (object, "position"), ==, focus);

  expected = g_new (double, tiny.L * tiny.n);
  if (g_str_equal (method, "raw"))
    {
      for (guint l = 0; l < tiny.L; l++)
        for (guint k = 0; k < tiny.n; k++)
          expected[l * tiny.n + k] = tiny_mixed (&tiny, l, focus, k, heads,
                                                 g_str_equal (mix, "max"));
    }
  else
    tiny_rollout (&tiny, focus, alpha, heads, g_str_equal (mix, "max"), expected);

  for (guint l = 0; l < tiny.L; l++)
    assert_values (layer_values (object, l), expected + l * tiny.n, tiny.n);
}

static void
test_heads (void)
{
  const int heads[] = { 0, 2, -1 };

  check_tiny ("raw", "0,2", heads, "mean", "0.5", 0.5, TRUE);
  check_tiny ("rollout", "0,2", heads, "mean", "0.5", 0.5, TRUE);
  check_tiny ("rollout", "all", NULL, "mean", "0.5", 0.5, TRUE);
}

static void
test_head_mix_max (void)
{
  const int heads[] = { 1, 2, -1 };

  /* Maxima of softmax rows do not sum to 1: raw says so. */
  check_tiny ("raw", "all", NULL, "max", "0.5", 0.5, FALSE);
  check_tiny ("rollout", "all", NULL, "max", "0.5", 0.5, TRUE);
  check_tiny ("rollout", "1,2", heads, "max", "0.25", 0.25, TRUE);
}

static void
test_residual (void)
{
  g_auto(AttnTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *input = data_path ("cli", "data", "tiny.json", NULL);
  JsonObject *object;

  check_tiny ("rollout", "all", NULL, "mean", "0", 0., TRUE);
  check_tiny ("rollout", "all", NULL, "mean", "0.8", 0.8, TRUE);

  /* "-0" is α = 0, echoed as 0, not -0 */
  attn_test_run_cli (&run, "rollout", input, "--residual", "-0", NULL);
  assert_success (&run);
  g_assert_nonnull (strstr (run.out, "\"residual\": 0,"));
  attn_test_run_clear (&run);

  /* echoed as given, not as 0.29999999999999999 */
  attn_test_run_cli (&run, "rollout", input, "--residual", "0.3", NULL);
  assert_success (&run);
  g_assert_nonnull (strstr (run.out, "\"residual\": 0.3,"));
  attn_test_run_clear (&run);

  /* α = 1: every embedding only keeps itself. */
  attn_test_run_cli (&run, "rollout", input, "--residual", "1", NULL);
  assert_success (&run);
  root = parse_json (run.out);
  object = json_node_get_object (root);
  for (guint l = 0; l < 2; l++)
    {
      const double e1[] = { 0., 1., 0., 0. };
      assert_values (layer_values (object, l), e1, 4);
    }
}

/* ---- CSV ----------------------------------------------------------------- */

/* A strict RFC 4180 reader for the tests: rows of fields. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = NULL;
  const char *p = text;

  while (*p != '\0')
    {
      GString *field = g_string_new (NULL);

      if (row == NULL)
        row = g_ptr_array_new_with_free_func (g_free);

      if (*p == '"')
        {
          p++;
          for (;;)
            {
              g_assert_true (*p != '\0');
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p += 2;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p++);
            }
        }
      else
        {
          while (*p != '\0' && *p != ',' && *p != '\n')
            {
              g_assert_true (*p != '"');
              g_string_append_c (field, *p++);
            }
        }
      g_ptr_array_add (row, g_string_free (field, FALSE));

      if (*p == ',')
        p++;
      else
        {
          g_assert_true (*p == '\n');
          p++;
          g_ptr_array_add (rows, row);
          row = NULL;
        }
    }
  g_assert_null (row);
  return rows;
}

static const char *
cell (GPtrArray *rows,
      guint      r,
      guint      c)
{
  GPtrArray *row = g_ptr_array_index (rows, r);

  g_assert_cmpuint (c, <, row->len);
  return g_ptr_array_index (row, c);
}

static void
test_csv_quoting (void)
{
  g_auto(AttnTestRun) run = { 0 };
  g_auto(AttnTestRun) json_run = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *input = data_path ("cli", "data", "tiny.json", NULL);
  const char *tokens[] = { "[CLS]", "a,b", "say \"hi\"", "[SEP]" };
  JsonObject *object;

  attn_test_run_cli (&run, "rollout", input, "--format", "csv", NULL);
  assert_success (&run);
  /* a format named in capitals is the same (an --output's extension is
   * taken in any case) */
  {
    g_auto(AttnTestRun) capitals = { 0 };

    attn_test_run_cli (&capitals, "rollout", input, "--format", "CSV", NULL);
    assert_success (&capitals);
    g_assert_cmpstr (capitals.out, ==, run.out);
  }
  /* The quoting itself, byte for byte */
  g_assert_nonnull (strstr (run.out, "\n1,1,\"a,b\","));
  g_assert_nonnull (strstr (run.out, "\n1,2,\"say \"\"hi\"\"\","));

  attn_test_run_cli (&json_run, "rollout", input, NULL);
  assert_success (&json_run);
  root = parse_json (json_run.out);
  object = json_node_get_object (root);

  rows = parse_csv (run.out);
  g_assert_cmpuint (rows->len, ==, 1 + 2 * 4);
  g_assert_cmpstr (cell (rows, 0, 0), ==, "layer");
  g_assert_cmpstr (cell (rows, 0, 1), ==, "index");
  g_assert_cmpstr (cell (rows, 0, 2), ==, "token");
  g_assert_cmpstr (cell (rows, 0, 3), ==, "value");
  for (guint l = 0; l < 2; l++)
    for (guint j = 0; j < 4; j++)
      {
        guint r = 1 + l * 4 + j;
        g_autofree char *layer = g_strdup_printf ("%u", l + 1);
        g_autofree char *index = g_strdup_printf ("%u", j);

        g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (rows, r))->len, ==, 4);
        g_assert_cmpstr (cell (rows, r, 0), ==, layer);
        g_assert_cmpstr (cell (rows, r, 1), ==, index);
        g_assert_cmpstr (cell (rows, r, 2), ==, tokens[j]);
        /* Same doubles as the JSON output */
        g_assert_cmpfloat (g_ascii_strtod (cell (rows, r, 3), NULL), ==,
                           json_array_get_double_element (layer_values (object, l), j));
      }
}

static void
test_csv_all (void)
{
  g_auto(AttnTestRun) run = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonNode) golden = load_golden ("gpt2.fox.json");
  g_autofree char *input = data_path ("data", "gpt2.json", NULL);
  g_autofree char *tiny = data_path ("cli", "data", "tiny.json", NULL);

  attn_test_run_cli (&run, "rollout", input, "--position", "all", "--format", "csv", NULL);
  assert_success (&run);
  rows = parse_csv (run.out);
  g_assert_cmpuint (rows->len, ==, 1 + 10 * 12 * 10);
  g_assert_cmpstr (cell (rows, 0, 0), ==, "position");
  g_assert_cmpstr (cell (rows, 0, 1), ==, "layer");
  for (guint r = 1; r < rows->len; r++)
    {
      guint p = atoi (cell (rows, r, 0));
      guint l = atoi (cell (rows, r, 1));
      guint j = atoi (cell (rows, r, 2));

      g_assert_cmpuint (r, ==, 1 + (p * 12 + (l - 1)) * 10 + j);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell (rows, r, 4), NULL),
                                      json_array_get_double_element (
                                        golden_row (golden, "rollout", l, p), j), TOLERANCE);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);
  attn_test_run_clear (&run);

  attn_test_run_cli (&run, "raw", tiny, "--example", "all", "--position", "all", "--format", "csv", NULL);
  assert_success (&run);
  rows = parse_csv (run.out);
  /* tiny: 4 positions x 2 layers x 4 tokens; second: 3 x 2 x 3 */
  g_assert_cmpuint (rows->len, ==, 1 + 32 + 18);
  g_assert_cmpstr (cell (rows, 0, 0), ==, "example");
  g_assert_cmpstr (cell (rows, 0, 1), ==, "position");
  g_assert_cmpstr (cell (rows, 1, 0), ==, "tiny");
  g_assert_cmpstr (cell (rows, rows->len - 1, 0), ==, "1");
  g_assert_cmpstr (cell (rows, rows->len - 1, 4), ==, "z");
}

/* ---- info and validate ------------------------------------------------------ */

static void
test_info (void)
{
  g_auto(AttnTestRun) run = { 0 };
  g_autofree char *input = data_path ("..", "data", "examples", "sst2-bert.json", NULL);
  g_auto(GStrv) lines = NULL;

  attn_test_run_cli (&run, "info", input, NULL);
  assert_success (&run);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "File: "));
  g_assert_cmpstr (lines[1], ==, "Model: bert-base-uncased fine-tuned on SST-2 (Dodrio)");
  g_assert_cmpstr (lines[2], ==, "Examples: 5");
  g_assert_true (g_regex_match_simple ("^index +id +n +L +H +focus +dtype +prediction +references +weights$",
                                       lines[4], 0, 0));
  g_assert_true (g_regex_match_simple ("^0 +sst2-0551 +23 +12 +12 +0 “\\[CLS\\]” +float32 +positive \\(1\\.000\\) +gradient +attention$",
                                       lines[5], 0, 0));
  g_assert_true (g_regex_match_simple ("^4 +sst2-0825 +24 +12 +12 ", lines[9], 0, 0));
  g_assert_cmpstr (lines[10], ==, "");
  g_assert_null (lines[11]);
}

/* The focus cell quotes its token (“ the”: a leading space is no column gap;
 * “1 hello world” is one token) and shortens a long one as messages do, to
 * its first 64 characters and “…”: a token of 120 widened the table past
 * 250 columns */
static void
test_info_focus_quoted (void)
{
  g_autofree char *dir = g_dir_make_tmp ("attnflow-cli-focus-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "focus.json", NULL);
  g_autofree char *long_token = g_strnfill (120, 'x');
  g_autofree char *shown = g_strnfill (64, 'x');
  g_autoptr(GString) json = g_string_new ("{\"format\": \"attnflow\", \"version\": 1, \"examples\": [");
  g_auto(AttnTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autofree char *last = NULL;

  for (guint f = 0; f < 3; f++)
    g_string_append_printf (json, "%s{\"id\": \"e%u\", \"tokens\": [\" the\", \"1 hello world\", \"%s\"], "
                            "\"focus\": %u, \"attention\": [[[[1, 0, 0], [0, 1, 0], [0, 0, 1]]]]}",
                            f > 0 ? ", " : "", f, long_token, f);
  g_string_append (json, "]}");
  g_assert_true (g_file_set_contents (path, json->str, -1, NULL));
  attn_test_run_cli (&run, "info", path, NULL);
  assert_success (&run);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[5], "0      e0  3  1  1  0 “ the”  "));
  g_assert_true (g_str_has_prefix (lines[6], "1      e1  3  1  1  1 “1 hello world”  "));
  last = g_strdup_printf ("2      e2  3  1  1  2 “%s…”  float64  ", shown);
  g_assert_true (g_str_has_prefix (lines[7], last));
  g_assert_cmpuint (g_utf8_strlen (lines[7], -1), <=, 140);
  attn_test_remove_tree (dir);
}

/* the weight kinds of each example: the bundled pronoun set carries every one */
static void
test_info_weights (void)
{
  g_auto(AttnTestRun) run = { 0 };
  g_autofree char *input = data_path ("..", "data", "examples", "pronouns-minilm.json", NULL);
  g_auto(GStrv) lines = NULL;

  attn_test_run_cli (&run, "info", input, NULL);
  assert_success (&run);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4 + 1 + 44 + 1 + 1 + 44 + 1);
  for (guint i = 5; i < 5 + 44; i++)
    g_assert_true (g_str_has_suffix (lines[i], "  blankout,gradient  "
                                               "attention,norm,globenc,alti,value-zeroing,attn-grad"));
  /* then what each example's attn-grad took the gradient of */
  g_assert_cmpstr (lines[49], ==, "");
  g_assert_true (g_regex_match_simple ("^index +id +attn-grad target$", lines[50], 0, 0));
  g_assert_true (g_regex_match_simple ("^0 +author-his +norm of the top-layer state of “his” \\(token 7\\)$",
                                       lines[51], 0, 0));
  g_assert_true (g_regex_match_simple ("^43 +developer-idea +norm of the top-layer state of “his” ",
                                       lines[94], 0, 0));
}

static void
test_validate (void)
{
  g_auto(AttnTestRun) good = { 0 };
  g_auto(AttnTestRun) warned = { 0 };
  g_auto(AttnTestRun) info = { 0 };
  g_autofree char *input = data_path ("data", "gpt2.json", NULL);
  g_autofree char *drift = data_path ("cli", "data", "renormalised.json", NULL);
  g_auto(GStrv) lines = NULL;

  attn_test_run_cli (&good, "validate", input, NULL);
  g_assert_cmpint (good.status, ==, 0);
  g_assert_cmpstr (good.err, ==, "");
  g_assert_true (g_str_has_suffix (good.out, ": valid, 1 example\n"));

  /* Warnings: stderr, one line each, and still exit 0 */
  attn_test_run_cli (&warned, "validate", drift, NULL);
  g_assert_cmpint (warned.status, ==, 0);
  g_assert_true (g_str_has_suffix (warned.out, ": valid, 1 example\n"));
  lines = g_strsplit (warned.err, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_nonnull (strstr (lines[0], "warning"));
  g_assert_nonnull (strstr (lines[0], "drift"));
  g_assert_cmpstr (lines[1], ==, "");

  attn_test_run_cli (&info, "info", drift, NULL);
  g_assert_cmpint (info.status, ==, 0);
  g_assert_nonnull (strstr (info.err, "warning"));
  g_assert_cmpstr (strchr (info.err, ':'), ==, strchr (warned.err, ':'));
  g_assert_nonnull (strstr (info.out, "Examples: 1\n"));
}

/* Runs the CLI with @argv's arguments, its output into a full disk
 * (/dev/full): it fails with exit 1 and says why, as no result reached its
 * reader. `validate` exited 0 and `render --output-dir` 1, both saying
 * nothing. */
static void
assert_full_output_fails (const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_subprocess_launcher_set_stdout_file_path (launcher, "/dev/full");
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_nonnull (strstr (err, "Could not write the output: No space left on device"));
}

static void
test_full_output (void)
{
  g_autofree char *dir = g_dir_make_tmp ("attnflow-cli-full-XXXXXX", NULL);
  g_autofree char *input = data_path ("data", "gpt2.json", NULL);
  g_autofree char *figure = g_build_filename (dir, "fox-rollout.png", NULL);
  const char *cli = g_getenv ("ATTNFLOW_CLI");
  const char *validate[] = { cli, "validate", input, NULL };
  const char *info[] = { cli, "info", input, NULL };
  const char *rollout[] = { cli, "rollout", input, NULL };
  const char *render[] = { cli, "render", input, "--view", "rollout", "--output-dir", dir, NULL };

  g_assert_nonnull (cli);
  assert_full_output_fails (validate);
  assert_full_output_fails (info);
  assert_full_output_fails (rollout);
  assert_full_output_fails (render);
  /* the figure was saved all the same */
  g_assert_true (g_file_test (figure, G_FILE_TEST_IS_REGULAR));
  attn_test_remove_tree (dir);
}

/* ---- errors ----------------------------------------------------------------- */

static void
assert_fails (int         expected_status,
              const char *fragment,
              const char *first,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int wait_status;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("ATTNFLOW_CLI"));
  va_start (args, first);
  for (const char *p = first; p != NULL; p = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) p);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  if (WEXITSTATUS (wait_status) != expected_status)
    g_error ("%s: expected exit %d, got %d (%s)", first ? first : "(no arguments)",
             expected_status, WEXITSTATUS (wait_status), err);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpuint (strlen (err), >, 0);
  if (fragment != NULL && strstr (err, fragment) == NULL)
    g_error ("stderr lacks “%s”: %s", fragment, err);
}

/* The messages past the loader name an example without an id by its 0-based
 * index and “(no id)”, as the loader's do (they said “Example “1””, which
 * read as an id the file does not have); one with an id by the id, quoted */
static void
test_errors_example_without_id (void)
{
  g_autofree char *tiny = data_path ("cli", "data", "tiny.json", NULL);
  g_autofree char *gpt2 = data_path ("data", "gpt2.json", NULL);
  g_autofree char *output = g_build_filename (g_get_tmp_dir (), "attnflow-no-id.png", NULL);

  assert_fails (1, "attnflow-cli raw: Example 1 (no id): layer 9 does not exist: the model has layers 1 to 2\n",
                "raw", tiny, "--example", "1", "--layer", "9", NULL);
  assert_fails (1, "attnflow-cli raw: Example “tiny”: layer 9 does not exist: the model has layers 1 to 2\n",
                "raw", tiny, "--example", "tiny", "--layer", "9", NULL);
  assert_fails (1, "attnflow-cli rollout: Example 1 (no id): position 7 does not exist: "
                "the input has positions 0 to 2\n", "rollout", tiny, "--example", "1", "--position", "7", NULL);
  assert_fails (1, "attnflow-cli flow: Example 1 (no id): head 5 does not exist: the model has 3 heads (0 to 2)\n",
                "flow", tiny, "--example", "1", "--heads", "5", NULL);
  assert_fails (1, "attnflow-cli flow: Example 1 (no id) carries no “alti” weights (it carries: attention)\n",
                "flow", tiny, "--example", "1", "--weights", "alti", NULL);
  assert_fails (1, "attnflow-cli render: Example 1 (no id): position 7 does not exist: "
                "the input has positions 0 to 2\n",
                "render", tiny, "--example", "1", "--view", "raw", "--position", "7", "--output", output, NULL);
  assert_fails (1, "attnflow-cli render: Example 1 (no id): --sink 9: position 9 does not exist: "
                "the input has positions 0 to 2\n",
                "render", tiny, "--example", "1", "--view", "flow", "--sink", "9", "--output", output, NULL);
  assert_fails (1, "attnflow-cli render: Example 1 (no id) is named twice (--example 1 and --example 1): "
                "a comparison needs different examples\n", "render", tiny, "--example", "1", "--example", "1",
                "--figure", "compare", "--view", "flow", "--output", output, NULL);
  /* a comparison with an example of another model names both */
  assert_fails (1, "attnflow-cli render: Examples 1 (no id) (2 layers) and “fox” (12 layers) cannot share one figure\n",
                "render", tiny, gpt2, "--example", "tiny.json:1", "--example", "fox", "--figure", "compare",
                "--view", "flow", "--output", output, NULL);
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

/* render names an example one file lacks as raw, rollout and flow do: by the
 * file's ids and indices (it said “in the files given”, with a FILE:ID hint,
 * of one file, also of an id with a colon); several files keep their message */
static void
test_errors_render_unknown_example (void)
{
  g_autofree char *tiny = data_path ("cli", "data", "tiny.json", NULL);
  g_autofree char *one = data_path ("cli", "data", "renormalised.json", NULL);
  g_autofree char *gpt2 = data_path ("data", "gpt2.json", NULL);
  g_autofree char *dir = g_dir_make_tmp ("attnflow-cli-unknown-XXXXXX", NULL);
  g_autofree char *output = g_build_filename (dir, "figure.png", NULL);
  g_autofree char *batch = g_build_filename (dir, "batch", NULL);

  assert_fails (1, "attnflow-cli render: No example “zz”: the file has 2 examples (ids or indices 0 to 1)\n",
                "render", tiny, "--example", "zz", "--view", "flow", "--output", output, NULL);
  assert_fails (1, "attnflow-cli render: No example “1”: the file has one example, “drift” (index 0)\n",
                "render", one, "--example", "1", "--view", "flow", "--output", output, NULL);
  assert_fails (1, "attnflow-cli render: No example “zz”: the file has 2 examples (ids or indices 0 to 1)\n",
                "render", tiny, "--example", "tiny", "--example", "zz", "--figure", "compare", "--view", "flow",
                "--output", output, NULL);
  assert_fails (1, "attnflow-cli render: No example “zz”: the file has 2 examples (ids or indices 0 to 1)\n",
                "render", tiny, "--example", "zz", "--view", "flow", "--output-dir", batch, NULL);
  /* an id with a colon in one file: no FILE:ID to get wrong (it said ““sst2” is not one of
   * the files given”) */
  assert_fails (1, "attnflow-cli render: No example “sst2:0551”: the file has 2 examples (ids or indices 0 "
                "to 1)\n", "render", tiny, "--example", "sst2:0551", "--view", "flow", "--output", output, NULL);
  /* FILE:ID of a file not given, with one file given: it says so (it said
   * only that the file has 2 examples) */
  {
    g_autofree char *message = g_strdup_printf ("attnflow-cli render: No example “other.json:tiny” in “%s”, "
                                                "and “other.json” is not the file given\n", tiny);

    assert_fails (1, message, "render", tiny, "--example", "other.json:tiny", "--view", "flow", "--output",
                  output, NULL);
  }
  assert_fails (1, "attnflow-cli render: No example “sst2:0551”: “sst2” is not one of the files given\n",
                "render", tiny, gpt2, "--example", "sst2:0551", "--view", "flow", "--output", output, NULL);
  assert_fails (1, "attnflow-cli render: No example “zz” in the files given (use an id, a 0-based index or "
                "FILE:ID)\n", "render", tiny, gpt2, "--example", "zz", "--view", "flow", "--output", output, NULL);
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
  attn_test_remove_tree (dir);
}

/* A second FILE to a command that takes one is named, with the one it
 * follows (exit 2, as before); none given says so */
static void
test_extra_file_named (void)
{
  g_autofree char *tiny = data_path ("cli", "data", "tiny.json", NULL);
  const char *commands[] = { "info", "validate", "raw", "rollout", "flow", "correlate", "antecedents" };

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      g_autofree char *expected = g_strdup_printf ("attnflow-cli %s: Expected exactly one FILE, but "
                                                   "“b.json” follows “%s”\nTry “attnflow-cli %s "
                                                   "--help”.\n", commands[c], tiny, commands[c]);
      g_autofree char *none = g_strdup_printf ("attnflow-cli %s: Expected exactly one FILE\n",
                                               commands[c]);

      assert_fails (2, expected, commands[c], tiny, "b.json", "c.json", NULL);
      assert_fails (2, none, commands[c], NULL);
    }
}

/* An unknown command a letter or two away from one (a letter missing, one
 * too many, two swapped, another case) is answered with that one, exit 2;
 * one farther from every command with the list alone */
static void
test_unknown_command_close (void)
{
  static const char * const close[][2] = {
    { "rolout", "rollout" }, { "rollouts", "rollout" }, { "flwo", "flow" }, { "Info", "info" },
    { "validat", "validate" }, { "antecedent", "antecedents" }, { "rendr", "render" },
  };
  static const char * const far[] = { "plot", "xyz", "", "rollout-all" };

  for (guint i = 0; i < G_N_ELEMENTS (close); i++)
    {
      g_autofree char *expected = g_strdup_printf ("attnflow-cli: Unknown command “%s”; did you "
                                                   "mean “%s”?\n\nUsage: ", close[i][0],
                                                   close[i][1]);
      g_auto(AttnTestRun) run = { 0 };
      g_auto(AttnTestRun) help = { 0 };

      attn_test_run_cli (&run, close[i][0], "file.json", NULL);
      attn_test_run_cli (&help, "help", close[i][0], NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpint (help.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, expected));
      g_assert_true (g_str_has_prefix (help.err, expected));
    }
  for (guint i = 0; i < G_N_ELEMENTS (far); i++)
    {
      g_autofree char *expected = g_strdup_printf ("attnflow-cli: Unknown command “%s”\n\nUsage: ",
                                                   far[i]);
      g_auto(AttnTestRun) run = { 0 };

      attn_test_run_cli (&run, far[i], NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_true (g_str_has_prefix (run.err, expected));
    }
}

/* Examples of models of different depths cannot share a comparison: the
 * message counts each one's layers in the singular and the plural (it said
 * “(1 layers)” of a one-layer model) */
static void
test_errors_depths_plural (void)
{
  g_autofree char *dir = g_dir_make_tmp ("attnflow-cli-depths-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "one.json", NULL);
  g_autofree char *gpt2 = data_path ("data", "gpt2.json", NULL);
  g_autofree char *output = g_build_filename (dir, "compare.png", NULL);
  const char *json = "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
    "{\"id\": \"one\", \"tokens\": [\"a\", \"b\"], \"attention\": [[[[1, 0], [0.5, 0.5]]]]}]}";

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  assert_fails (1, "attnflow-cli render: Examples “one” (1 layer) and “fox” (12 layers) cannot share one figure\n",
                "render", path, gpt2, "--example", "one.json:one", "--example", "fox", "--figure", "compare",
                "--view", "flow", "--output", output, NULL);
  assert_fails (1, "attnflow-cli render: Examples “fox” (12 layers) and “one” (1 layer) cannot share one figure\n",
                "render", path, gpt2, "--example", "fox", "--example", "one.json:one", "--figure", "compare",
                "--view", "flow", "--output", output, NULL);
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
  attn_test_remove_tree (dir);
}

static void
test_errors (void)
{
  g_autofree char *bert = data_path ("..", "data", "examples", "bert-base-uncased.json", NULL);
  g_autofree char *tiny = data_path ("cli", "data", "tiny.json", NULL);
  g_autofree char *malformed = data_path ("cli", "data", "malformed.json", NULL);
  g_autofree char *missing = data_path ("cli", "data", "no-such-file.json", NULL);

  /* Failures: exit 1 */
  assert_fails (1, "no-such-example", "rollout", bert, "--example", "no-such-example", NULL);
  assert_fails (1, "7", "rollout", bert, "--example", "7", NULL);
  /* a file of one example says so, and names it */
  {
    g_autofree char *one = data_path ("cli", "data", "renormalised.json", NULL);

    assert_fails (1, "No example “1”: the file has one example, “drift” (index 0)\n",
                  "rollout", one, "--example", "1", NULL);
  }
  assert_fails (1, "99", "rollout", bert, "--position", "99", NULL);
  assert_fails (1, "15", "raw", bert, "--example", "cat-mat", "--position", "15", NULL);
  assert_fails (1, "13", "rollout", bert, "--layer", "13", NULL);
  /* a number too large for any integer type is a position or layer out of range all the same */
  for (guint c = 0; c < 3; c++)
    {
      const char *command = (const char *[]) { "raw", "rollout", "flow" }[c];

      assert_fails (1, "Example “cat-mat”: position 99999999999999999999 does not exist: "
                    "the input has positions 0 to 14\n", command, bert, "--position", "99999999999999999999", NULL);
      assert_fails (1, "Example “cat-mat”: layer 18446744073709551616 does not exist: "
                    "the model has layers 1 to 12\n", command, bert, "--layer", "18446744073709551616", NULL);
    }
  assert_fails (1, "Example “cat-mat”: position 99 does not exist", "rollout", bert, "--position", "0099", NULL);
  assert_fails (1, "Example “cat-mat”: head 12 does not exist: the model has 12 heads (0 to 11)",
                "rollout", bert, "--heads", "12", NULL);
  assert_fails (1, "Example “cat-mat”: head 99999999999999999999 does not exist: the model has 12 heads (0 to 11)\n",
                "rollout", bert, "--heads", "1,0099999999999999999999", NULL);
  assert_fails (1, "Example “cat-mat”: head 4294967295 does not exist", "flow", bert, "--heads", "4294967295", NULL);
  /* two such numbers are not one listed twice (they were, as 4294967295) */
  assert_fails (1, "Example “cat-mat”: head 99999999999999999999 does not exist: the model has 12 heads (0 to 11)\n",
                "raw", bert, "--heads", "99999999999999999999,88888888888888888888", NULL);
  assert_fails (1, "3", "raw", tiny, "--heads", "0,3", NULL);
  assert_fails (1, "malformed.json", "rollout", malformed, NULL);
  assert_fails (1, "no-such-file.json", "raw", missing, NULL);
  assert_fails (1, "malformed.json", "validate", malformed, NULL);
  assert_fails (1, "no-such-file.json", "info", missing, NULL);
  assert_fails (1, "No example carries references.gradient\n", "correlate", bert, "--reference", "gradient", NULL);
  /* an option of one value given twice is refused, not the last taken (--heads 0 --heads 3
   * for --heads 0,3 would mix head 3 alone), whichever way its value is written */
  assert_fails (2, "attnflow-cli rollout: --heads is given more than once: give it once (it takes one value)\n",
                "rollout", bert, "--heads", "0", "--heads=3", NULL);
  assert_fails (2, "--position is given more than once", "flow", bert, "--position=1", "--layer", "2",
                "--position", "1", NULL);
  assert_fails (2, "--output is given more than once", "render", bert, "--view", "flow", "-o", "a.png",
                "--output", "b.png", NULL);
  assert_fails (2, "--method is given more than once", "antecedents", bert, "--method", "raw", "--method",
                "flow", NULL);
  /* "all" is taken in any case, as the methods' names are (--method FLOW, --view Rollout) */
  assert_fails (1, "No example carries references.gradient\n", "correlate", bert, "--reference", "gradient",
                "--method", "ALL", NULL);
  assert_fails (2, "--size lays out one method’s graph, a heatmap or a comparison, not the graphs of --view all",
                "render", bert, "--view", "All", "--output", "x.png", "--size", "10x10", NULL);
  /* a misspelt reference: the message names those the examples carry */
  {
    g_autofree char *pronouns = data_path ("..", "data", "examples", "pronouns-minilm.json", NULL);

    assert_fails (1, "pronouns-minilm.json: No example carries references.Gradient "
                  "(the examples carry: blankout, gradient)\n",
                  "correlate", pronouns, "--reference", "Gradient", NULL);
  }
  assert_fails (1, "gradient", "correlate", tiny, "--reference", "gradient", NULL);
  /* a plot that cannot be saved fails before the table is printed, not after */
  {
    g_autofree char *sst2 = data_path ("..", "data", "examples", "sst2-bert.json", NULL);
    g_autofree char *nowhere = data_path ("cli", "data", "no-such-folder", "plot.png", NULL);
    g_autofree char *in_file = g_build_filename (tiny, "plot.png", NULL);
    g_autofree char *no_folder = g_strdup_printf ("Could not save the figure to “%s”: "
                                                  "its folder does not exist\n", nowhere);
    g_autofree char *not_folder = g_strdup_printf ("Could not save the figure to “%s”: "
                                                   "Not a directory\n", in_file);

    assert_fails (1, no_folder, "correlate", sst2, "--reference", "gradient", "--plot", nowhere, NULL);
    /* --plot-size: a size, and only with --plot */
    assert_fails (2, "Invalid value “10” for --plot-size: expected WIDTHxHEIGHT in pixels",
                  "correlate", sst2, "--reference", "gradient", "--plot", nowhere, "--plot-size", "10", NULL);
    assert_fails (2, "Invalid value “100x80” for --plot-size: too small to draw this figure legibly; the smallest "
                  "size accepted is 120x80",
                  "correlate", sst2, "--reference", "gradient", "--plot", nowhere, "--plot-size", "100x80", NULL);
    assert_fails (2, "--plot-size lays out the plot of --plot OUT, which is not given",
                  "correlate", sst2, "--reference", "gradient", "--plot-size", "900x500", NULL);
    assert_fails (1, not_folder, "correlate", sst2, "--reference", "gradient", "--weights", "all",
                  "--format", "csv", "--plot", in_file, NULL);
    /* a folder is named one, as render's --output names it (it said “Cannot tell the figure
     * format”) */
    {
      g_autofree char *folder = data_path ("cli", "data", NULL);
      g_autofree char *is_folder = g_strdup_printf ("attnflow-cli correlate: “%s” is a folder: --plot takes "
                                                    "a file whose name ends in .png, .svg or .pdf\n", folder);

      assert_fails (2, is_folder, "correlate", sst2, "--reference", "gradient", "--plot", folder, NULL);
      assert_fails (2, "attnflow-cli correlate: “plots/” is a folder: --plot takes a file whose name ends "
                    "in .png, .svg or .pdf\n", "correlate", sst2, "--reference", "gradient", "--plot", "plots/",
                    NULL);
    }
    /* a folder with a figure's extension too (it was exit 1, “Could not save the figure to
     * “…”: Is a directory”), before the table is printed */
    {
      g_autofree char *folder = g_dir_make_tmp ("attnflow-cli-XXXXXX.png", NULL);
      g_autofree char *is_folder = g_strdup_printf ("attnflow-cli correlate: “%s” is a folder: --plot takes "
                                                    "a file whose name ends in .png, .svg or .pdf\n", folder);

      assert_fails (2, is_folder, "correlate", sst2, "--reference", "gradient", "--plot", folder, NULL);
      g_assert_cmpint (rmdir (folder), ==, 0);
    }
  }

  /* Usage errors: exit 2 */
  assert_fails (2, NULL, "no-such-command", bert, NULL);
  assert_fails (2, NULL, NULL, NULL);
  assert_fails (2, "FILE", "rollout", NULL);
  assert_fails (2, "FILE", "raw", bert, bert, NULL);
  assert_fails (2, "--example FILE:ID", "render", bert, tiny, "--view", "flow", "--output", "two.svg", NULL);
  assert_fails (2, "xml", "rollout", bert, "--format", "xml", NULL);
  assert_fails (2, "text", "raw", bert, "--format", "text", NULL);
  assert_fails (2, NULL, "rollout", bert, "--no-such-option", NULL);
  assert_fails (2, "1.5", "rollout", bert, "--residual", "1.5", NULL);
  assert_fails (2, "abc", "rollout", bert, "--residual", "abc", NULL);
  assert_fails (2, "median", "rollout", bert, "--head-mix", "median", NULL);
  assert_fails (2, "rollout: --heads: “0,x” is not a list of head numbers such as 0,3,5 or 0-5\n",
                "rollout", bert, "--heads", "0,x", NULL);
  assert_fails (2, "raw: --heads: the range of heads “0-99999” ends past head 65535\n",
                "raw", bert, "--heads", "0-99999", NULL);
  assert_fails (2, "flow: --heads: head 3 is listed twice\n", "flow", bert, "--heads", "1-3,3", NULL);
  /* a range that goes down is named as typed, for every command that takes --heads */
  for (guint c = 0; c < 4; c++)
    {
      const char *command = (const char *[]) { "raw", "rollout", "flow", "antecedents" }[c];
      g_autofree char *message = g_strdup_printf ("attnflow-cli %s: --heads: in “1-0”, 1 is past 0: "
                                                  "a range goes from its first head up to its last\n",
                                                  command);

      assert_fails (2, message, command, bert, "--heads", "1-0", NULL);
    }
  assert_fails (2, "correlate: --heads: in “5 - 03”, 5 is past 03: a range goes from its first head up to its last\n",
                "correlate", bert, "--reference", "gradient", "--heads", "0, 5 - 03", NULL);
  /* layers are numbered from 1 in every file: layer 0 is a usage error, as -1 is */
  for (guint c = 0; c < 3; c++)
    {
      const char *command = (const char *[]) { "raw", "rollout", "flow" }[c];

      assert_fails (2, "Invalid value “0” for --layer: expected a layer from 1 up, or “all”\n",
                    command, bert, "--layer", "0", NULL);
      assert_fails (2, "Invalid value “000” for --layer: expected a layer from 1 up, or “all”\n",
                    command, bert, "--example", "all", "--layer", "000", NULL);
    }
  assert_fails (2, "first", "rollout", bert, "--position", "first", NULL);
  assert_fails (2, "-1", "rollout", bert, "--layer", "-1", NULL);
  /* a value that is not one says what the option takes: -1 is a number, and
   * render's --position takes “none”, not “all” */
  assert_fails (2, "Invalid value “-1” for --position: expected a position from 0 up, or “all”\n",
                "rollout", bert, "--position", "-1", NULL);
  assert_fails (2, "Invalid value “x” for --layer: expected a layer from 1 up, or “all”\n",
                "flow", bert, "--layer", "x", NULL);
  assert_fails (2, "Invalid value “all” for --position: expected a position from 0 up, or “none”\n",
                "render", bert, "--view", "rollout", "--output", "x.png", "--position", "all", NULL);
  assert_fails (2, "Invalid value “-1” for --sink: expected a position from 0 up\n",
                "render", bert, "--view", "flow", "--output", "x.png", "--sink", "-1", NULL);
  assert_fails (2, "Invalid value “-1” for --layer: expected a layer from 1 up\n",
                "render", bert, "--view", "flow", "--output", "x.png", "--layer", "-1", NULL);
  assert_fails (2, "--unnormalized", "rollout", bert, "--unnormalized", NULL);
  /* --example twice is not its last one (render's compare takes several) */
  for (guint c = 0; c < 3; c++)
    assert_fails (2, "Give --example once", (const char *[]) { "raw", "rollout", "flow" }[c], bert,
                  "--example", "cat-mat", "--example", "rabbit-turtle", NULL);
  assert_fails (2, "Give --example once", "rollout", bert, "--example", "all", "--example=0", NULL);
  assert_fails (2, "--reference", "correlate", bert, NULL);
  assert_fails (2, "sum", "correlate", bert, "--reference", "gradient", "--method", "sum", NULL);

  /* An empty value is a usage error, not the option's default (nor a crash) */
  {
    static const char * const commands[] = { "raw", "rollout", "flow", "antecedents" };

    for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
      {
        assert_fails (2, "Empty value for --weights", commands[c], bert, "--weights", "", NULL);
        assert_fails (2, "Empty value for --heads", commands[c], bert, "--heads", "", NULL);
      }
  }
  assert_fails (2, "Empty value for --weights", "correlate", bert, "--reference", "gradient",
                "--weights", "", NULL);
  assert_fails (2, "Empty value for --reference", "correlate", bert, "--reference", "", NULL);
}

/* --help names what each option takes: --layer takes “all” as well, --weights
 * one kind, or several where the command takes them */
static void
test_help (void)
{
  g_auto(AttnTestRun) run = { 0 };

  attn_test_run_cli (&run, "flow", "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--layer=L|all              Only layer L (1-based), or “all” "
                                     "(the default: every layer)\n"));
  g_assert_nonnull (strstr (run.out, "--weights=KIND "));
  g_assert_null (strstr (run.out, "several as a list"));

  /* --help wins over an option given twice */
  {
    g_auto(AttnTestRun) twice = { 0 };

    attn_test_run_cli (&twice, "flow", "--layer", "1", "--layer", "2", "--help", NULL);
    g_assert_cmpint (twice.status, ==, 0);
    g_assert_nonnull (strstr (twice.out, "--layer=L|all"));
  }

  /* the commands that take several kinds say so */
  for (guint c = 0; c < 3; c++)
    {
      const char *several[] = { "correlate", "antecedents", "render" };
      g_auto(AttnTestRun) each = { 0 };

      attn_test_run_cli (&each, several[c], "--help", NULL);
      g_assert_cmpint (each.status, ==, 0);
      g_assert_nonnull (strstr (each.out, "--weights=KIND[,KIND…]|all "));
      g_assert_nonnull (strstr (each.out, "; several as a list such as attention,alti, or “all”\n"));
    }

  /* “help COMMAND” is “COMMAND --help” (it printed the list of commands), and says so of a
   * command that does not exist */
  for (guint c = 0; c < 3; c++)
    {
      const char *commands[] = { "render", "flow", "info" };
      g_auto(AttnTestRun) help = { 0 };
      g_auto(AttnTestRun) option = { 0 };

      attn_test_run_cli (&help, "help", commands[c], NULL);
      attn_test_run_cli (&option, commands[c], "--help", NULL);
      g_assert_cmpint (help.status, ==, 0);
      g_assert_cmpint (option.status, ==, 0);
      g_assert_cmpstr (help.out, ==, option.out);
    }
  {
    g_auto(AttnTestRun) unknown = { 0 };

    attn_test_run_cli (&unknown, "help", "plot", NULL);
    g_assert_cmpint (unknown.status, ==, 2);
    g_assert_cmpstr (unknown.out, ==, "");
    g_assert_true (g_str_has_prefix (unknown.err, "attnflow-cli: Unknown command “plot”\n\nUsage: "));
  }

  /* every command's help writes its apostrophes as the others do (“example’s”,
   * not “example's”), and an option a command cannot run without says
   * “(required)”, in correlate as in render */
  for (guint c = 0; c < 8; c++)
    {
      const char *commands[] = { "info", "validate", "raw", "rollout", "flow", "correlate",
                                 "antecedents", "render" };
      g_auto(AttnTestRun) each = { 0 };
      const char *apostrophe;

      attn_test_run_cli (&each, commands[c], "--help", NULL);
      g_assert_cmpint (each.status, ==, 0);
      apostrophe = strchr (each.out, '\'');
      if (apostrophe != NULL)
        g_error ("attnflow-cli %s --help has an ASCII apostrophe: “%.40s”", commands[c],
                 MAX (apostrophe - 20, each.out));
    }
  {
    g_auto(AttnTestRun) correlate = { 0 };
    g_auto(AttnTestRun) render = { 0 };

    attn_test_run_cli (&correlate, "correlate", "--help", NULL);
    g_assert_nonnull (strstr (correlate.out, "a key of the examples’ references, such as gradient (required)\n"));
    attn_test_run_cli (&render, "render", "--help", NULL);
    g_assert_nonnull (strstr (render.out, "Selected position (default the example’s focus)"));
    g_assert_nonnull (strstr (render.out, "The selected node’s layer, from 1"));
    g_assert_nonnull (strstr (render.out, "(required)\n"));
  }
}

/* attnflow-cli --help lists the options it takes alone, --version too, and
 * --version prints what it says */
static void
test_help_lists_version (void)
{
  g_auto(AttnTestRun) help = { 0 };
  g_auto(AttnTestRun) version = { 0 };

  attn_test_run_cli (&help, "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "\nOptions:\n"
                                      "  -h, --help                Show this list of commands\n"
                                      "  --version                 Show the version of attnflow-cli\n"));
  attn_test_run_cli (&version, "--version", NULL);
  g_assert_cmpint (version.status, ==, 0);
  g_assert_cmpstr (version.out, ==, "attnflow-cli " PACKAGE_VERSION "\n");
}

/* @value is refused by each option that takes one number: --residual,
 * --threshold and --scale, with exit status 2 and the option's message,
 * @why (if not empty) before the numbers expected */
static void
assert_number_refused_why (const char *bert,
                           const char *value,
                           const char *why)
{
  g_autofree char *residual = g_strdup_printf ("attnflow-cli rollout: Invalid residual weight “%s”: "
                                               "%sexpected a number from 0 to 1\n", value, why);
  g_autofree char *threshold = g_strdup_printf ("attnflow-cli render: Invalid value “%s” for "
                                                "--threshold: %sexpected a number from 0 to 1\n",
                                                value, why);
  g_autofree char *scale = g_strdup_printf ("attnflow-cli render: Invalid value “%s” for --scale: "
                                            "%sexpected a number from 0.25 to 8\n", value, why);

  assert_fails (2, residual, "rollout", bert, "--residual", value, NULL);
  assert_fails (2, threshold, "render", bert, "--view", "flow", "--output", "x.png",
                "--threshold", value, NULL);
  assert_fails (2, scale, "render", bert, "--view", "flow", "--output", "x.png",
                "--scale", value, NULL);
}

static void
assert_number_refused (const char *bert,
                       const char *value)
{
  assert_number_refused_why (bert, value, "");
}

/* Each of the @n values @taken[i][0] is taken by --residual, which echoes
 * it as @taken[i][1] */
static void
assert_residual_taken (const char        *bert,
                       const char * const taken[][2],
                       guint              n)
{
  for (guint t = 0; t < n; t++)
    {
      g_auto(AttnTestRun) run = { 0 };
      g_autofree char *echo = g_strdup_printf ("\"residual\": %s,", taken[t][1]);

      attn_test_run_cli (&run, "rollout", bert, "--residual", taken[t][0], NULL);
      g_assert_cmpint (run.status, ==, 0);
      if (strstr (run.out, echo) == NULL)
        g_error ("--residual %s: the output lacks %s", taken[t][0], echo);
    }
}

/* White space around a number is refused on both sides, by every option that
 * takes one number (--residual took “ 0.5” and refused “0.5 ”) */
static void
test_number_space (void)
{
  g_autofree char *bert = data_path ("..", "data", "examples", "bert-base-uncased.json", NULL);
  const char *values[] = { " 0.5", "0.5 ", " 1", "1 " };

  for (guint v = 0; v < G_N_ELEMENTS (values); v++)
    {
      const char *value = values[v];
      g_autofree char *layer = g_strdup_printf ("Invalid value “%s” for --layer: expected a layer from "
                                                "1 up, or “all”\n", value);
      g_autofree char *top_k = g_strdup_printf ("Invalid value “%s” for --top-k: expected a "
                                                "non-negative whole number\n", value);

      assert_number_refused (bert, value);
      /* the whole numbers refused them already */
      assert_fails (2, layer, "flow", bert, "--layer", value, NULL);
      assert_fails (2, top_k, "render", bert, "--view", "flow", "--output", "x.png",
                    "--top-k", value, NULL);
    }
  /* without the white space, each is taken */
  {
    g_auto(AttnTestRun) run = { 0 };

    attn_test_run_cli (&run, "rollout", bert, "--residual", "0.25", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "\"residual\": 0.25,"));
  }
}

/* Numbers in options are decimal, as in a file: the hexadecimal, infinite and
 * NaN forms g_ascii_strtod() also reads are usage errors (--residual 0x1 was
 * taken as 1, 0x1p-1 as 0.5), by every option that takes a number */
static void
test_number_syntax (void)
{
  g_autofree char *bert = data_path ("..", "data", "examples", "bert-base-uncased.json", NULL);
  const char *values[] = { "0x1", "0X1", "0x0.8", "0x1p-1", "-0x0", "inf", "-inf", "INF",
                           "infinity", "nan", "NaN", "-nan" };

  for (guint v = 0; v < G_N_ELEMENTS (values); v++)
    assert_number_refused (bert, values[v]);
  /* the decimal forms stay: a point first or last, an exponent, a sign */
  {
    static const char * const taken[][2] = { { "1", "1" }, { ".5", "0.5" }, { "1.", "1" },
                                             { "5e-1", "0.5" }, { "2.5E-1", "0.25" },
                                             { "+0.75", "0.75" }, { "-0", "0" } };

    assert_residual_taken (bert, taken, G_N_ELEMENTS (taken));
  }
}

/* A number too close to 0 for a double (g_ascii_strtod() reads it as 0,
 * with ERANGE) is refused, as one too large (1e400) is, with its own
 * message, by every option that takes a number: --residual 1e-400 was
 * taken as 0. A zero written with an exponent is 0, and a subnormal number
 * is taken as it is. */
static void
test_number_underflow (void)
{
  g_autofree char *bert = data_path ("..", "data", "examples", "bert-base-uncased.json", NULL);
  const char *values[] = { "1e-400", "-1e-400", "1E-999", "0.0001e-324", "2e-324" };

  for (guint v = 0; v < G_N_ELEMENTS (values); v++)
    assert_number_refused_why (bert, values[v], "too close to 0 to be read as a number (it would be "
                                                "taken as 0): ");
  /* too large: refused as before */
  assert_number_refused (bert, "1e400");
  assert_number_refused (bert, "-1e400");
  /* zero, however written, and the subnormal numbers are taken */
  {
    static const char * const taken[][2] = { { "0e-400", "0" }, { "-0e999", "0" }, { "0.0", "0" },
                                             { "1e-310", "1e-310" }, { "5e-324", "5e-324" } };

    assert_residual_taken (bert, taken, G_N_ELEMENTS (taken));
  }
}

/* "all" in any case, for every option that takes it beside numbers or names:
 * the same output as "all" */
static void
test_all_any_case (void)
{
  g_autofree char *bert = data_path ("..", "data", "examples", "bert-base-uncased.json", NULL);
  const char *options[][2] = { { "--layer", "ALL" }, { "--position", "All" }, { "--heads", "aLL" },
                               { "--example", "ALL" } };

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      g_auto(AttnTestRun) lower = { 0 };
      g_auto(AttnTestRun) other = { 0 };

      attn_test_run_cli (&lower, "rollout", bert, options[i][0], "all", "--format", "csv", NULL);
      attn_test_run_cli (&other, "rollout", bert, options[i][0], options[i][1], "--format", "csv", NULL);
      g_assert_cmpint (lower.status, ==, 0);
      g_assert_cmpint (other.status, ==, 0);
      g_assert_cmpstr (other.out, ==, lower.out);
    }
}

/* The words options take (weight kinds, head mixing, methods, formats), in any
 * case: the same output as in lower case, which it spells them in */
static void
test_keywords_any_case (void)
{
  g_autofree char *pronouns = data_path ("..", "data", "examples", "pronouns-minilm.json", NULL);
  const char *runs[][2][9] = {
    { { "rollout", "--example", "0", "--weights", "alti", "--head-mix", "max", "--format", "json" },
      { "rollout", "--example", "0", "--weights", "ALTI", "--head-mix", "Max", "--format", "JSON" } },
    { { "flow", "--example", "1", "--weights", "value-zeroing", "--layer", "3", "--format", "csv" },
      { "flow", "--example", "1", "--weights", "Value-Zeroing", "--layer", "3", "--format", "Csv" } },
    { { "correlate", "--reference", "blankout", "--weights", "norm,attn-grad", "--method", "rollout",
        "--format", "json" },
      { "correlate", "--reference", "blankout", "--weights", "NORM,Attn-Grad", "--method", "ROLLOUT",
        "--format", "JSON" } },
    { { "antecedents", "--weights", "attention,globenc", "--method", "raw", "--head-mix", "max",
        "--format", "text" },
      { "antecedents", "--weights", "Attention,GLOBENC", "--method", "Raw", "--head-mix", "MAX",
        "--format", "TEXT" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_auto(AttnTestRun) lower = { 0 };
      g_auto(AttnTestRun) other = { 0 };
      const char * const *l = runs[i][0];
      const char * const *o = runs[i][1];

      attn_test_run_cli (&lower, l[0], pronouns, l[1], l[2], l[3], l[4], l[5], l[6], l[7], l[8], NULL);
      attn_test_run_cli (&other, o[0], pronouns, o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8], NULL);
      g_assert_cmpint (lower.status, ==, 0);
      g_assert_cmpint (other.status, ==, 0);
      g_assert_cmpstr (other.out, ==, lower.out);
      g_assert_cmpstr (other.err, ==, lower.err);
    }
}

/* An example whose id is “All”: --example takes all in any case as every
 * example, whatever the file holds; the example is named by its index, and
 * ids are matched exactly (“b” is not “B”) */
static void
test_example_all_id (void)
{
  g_autofree char *dir = g_dir_make_tmp ("attnflow-cli-all-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "all.json", NULL);
  const char *json = "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
    "{\"id\": \"All\", \"tokens\": [\"a\", \"b\"], \"attention\": [[[[1, 0], [0.5, 0.5]]]]}, "
    "{\"id\": \"b\", \"tokens\": [\"c\", \"d\"], \"attention\": [[[[1, 0], [0.25, 0.75]]]]}]}";
  const char *spellings[] = { "All", "ALL", "all" };
  g_auto(AttnTestRun) every = { 0 };
  g_auto(AttnTestRun) first = { 0 };

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  attn_test_run_cli (&every, "raw", path, "--example", "all", "--position", "1", "--format", "csv", NULL);
  g_assert_cmpint (every.status, ==, 0);
  g_assert_cmpstr (every.out, ==, "example,layer,index,token,value\n"
                                  "All,1,0,a,0.5\nAll,1,1,b,0.5\n"
                                  "b,1,0,c,0.25\nb,1,1,d,0.75\n");
  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_auto(AttnTestRun) r = { 0 };

      attn_test_run_cli (&r, "raw", path, "--example", spellings[i], "--position", "1", "--format",
                         "csv", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_cmpstr (r.out, ==, every.out);
    }
  attn_test_run_cli (&first, "raw", path, "--example", "0", "--position", "1", "--format", "csv", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpstr (first.out, ==, "layer,index,token,value\n1,0,a,0.5\n1,1,b,0.5\n");
  assert_fails (1, "No example “B”", "raw", path, "--example", "B", NULL);

  attn_test_remove_tree (dir);
}

/* ---- Korean ---------------------------------------------------------------------- */

/* Under a Korean locale the tables are padded by display width (Hangul takes
 * two columns), the settings line says the heads and their mixing in the
 * words of the figures' captions, and messages are translated. */
static void
test_korean_tables (void)
{
  g_auto(AttnTestRun) run = { 0 };
  g_auto(AttnTestRun) info = { 0 };
  g_auto(AttnTestRun) heads = { 0 };
  g_autofree char *input = data_path ("..", "data", "examples", "sst2-bert.json", NULL);
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) info_lines = NULL;

  g_autofree char *locpath = attn_test_korean_locpath ();
  g_autofree char *saved_locpath = g_strdup (g_getenv ("LOCPATH"));

  g_assert_nonnull (g_getenv ("ATTNFLOW_LOCALEDIR"));
  g_setenv ("LANGUAGE", "ko", TRUE);
  g_setenv ("LC_ALL", "ko_KR.UTF-8", TRUE);
  if (locpath != NULL)
    g_setenv ("LOCPATH", locpath, TRUE);
  attn_test_run_cli (&run, "correlate", input, "--reference", "gradient", NULL);
  attn_test_run_cli (&info, "info", input, NULL);
  attn_test_run_cli (&heads, "rollout", input, "--heads", "1-0", NULL);
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LC_ALL");
  if (locpath != NULL)
    {
      if (saved_locpath != NULL)
        g_setenv ("LOCPATH", saved_locpath, TRUE);
      else
        g_unsetenv ("LOCPATH");
      attn_test_remove_tree (locpath);
    }
  assert_success (&run);
  assert_success (&info);

  lines = g_strsplit (run.out, "\n", -1);
  g_assert_nonnull (strstr (lines[1], ": 예제 5개, 잔차 0.5, 헤드 전체, 헤드 혼합 평균; "));
  g_assert_cmpstr (lines[4], ==, "레이어  raw             rollout         flow");
  g_assert_cmpstr (lines[5], ==, "1       -0.397 ± 0.151  -0.397 ± 0.151  -0.397 ± 0.151");

  info_lines = g_strsplit (info.out, "\n", -1);
  g_assert_cmpstr (info_lines[4], ==,
                   "인덱스  ID         n   L   H   포커스     dtype    예측              참조      가중치");
  g_assert_cmpstr (info_lines[5], ==,
                   "0       sst2-0551  23  12  12  0 “[CLS]”  float32  positive (1.000)  gradient  attention");

  /* a range of heads that goes down, said in Korean too */
  g_assert_cmpint (heads.status, ==, 2);
  g_assert_true (g_str_has_prefix (heads.err, "attnflow-cli rollout: --heads: “1-0”에서 1이(가) 0보다 큽니다: "
                                              "범위는 첫 헤드부터 마지막 헤드까지 올라가야 합니다\n"));
}

/* ---- correlate ------------------------------------------------------------------ */

static void
assert_numbers_or_null (JsonArray *actual,
                        JsonArray *expected,
                        double     tolerance)
{
  g_assert_cmpuint (json_array_get_length (actual), ==, json_array_get_length (expected));
  for (guint i = 0; i < json_array_get_length (expected); i++)
    {
      JsonNode *e = json_array_get_element (expected, i);
      JsonNode *a = json_array_get_element (actual, i);

      if (JSON_NODE_HOLDS_NULL (e))
        g_assert_true (JSON_NODE_HOLDS_NULL (a));
      else
        g_assert_cmpfloat (fabs (json_node_get_double (a) - json_node_get_double (e)), <=,
                           tolerance);
    }
}

static void
check_correlate (const char *variant,
                 const char *method,
                 gboolean    exclude)
{
  g_auto(AttnTestRun) run = { 0 };
  g_autofree char *input = data_path ("..", "data", "examples", "sst2-bert.json", NULL);
  g_autofree char *fixture_path = data_path ("data", "correlate-sst2.json", NULL);
  g_autoptr(JsonNode) fixture_root = load_json (fixture_path);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *fixture = json_object_get_object_member (json_node_get_object (fixture_root), variant);
  JsonObject *object;
  JsonArray *per_example, *expected_examples;
  const char *methods[] = { "raw", "rollout", "flow" };
  guint n_flow_checked;

  if (exclude)
    attn_test_run_cli (&run, "correlate", input, "--reference", "gradient", "--method", method,
             "--format", "json", "--exclude-special", NULL);
  else
    attn_test_run_cli (&run, "correlate", input, "--reference", "gradient", "--method", method,
             "--format", "json", NULL);
  assert_success (&run);
  root = parse_json (run.out);
  object = json_node_get_object (root);

  g_assert_cmpstr (json_object_get_string_member (object, "reference"), ==, "gradient");
  g_assert_cmpint (json_object_get_int_member (object, "examples"), ==, 5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "layers")), ==, 12);
  for (guint l = 0; l < 12; l++)
    g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (object, "layers"), l),
                     ==, l + 1);

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      gboolean present = g_str_equal (method, "all") || g_str_equal (method, methods[m]);

      g_assert_cmpint (json_object_has_member (json_object_get_object_member (object, "mean"),
                                               methods[m]), ==, present);
      /* flow's mean needs all five examples; the fixture has golden flow for two */
      if (!present || m == 2)
        continue;
      assert_numbers_or_null (
        json_object_get_array_member (json_object_get_object_member (object, "mean"), methods[m]),
        json_object_get_array_member (json_object_get_object_member (fixture, "mean"), methods[m]),
        1e-12);
      assert_numbers_or_null (
        json_object_get_array_member (json_object_get_object_member (object, "std"), methods[m]),
        json_object_get_array_member (json_object_get_object_member (fixture, "std"), methods[m]),
        1e-12);
      assert_numbers_or_null (
        json_object_get_array_member (json_object_get_object_member (object, "nan_count"), methods[m]),
        json_object_get_array_member (json_object_get_object_member (fixture, "nan_count"), methods[m]),
        0.);
    }

  per_example = json_object_get_array_member (object, "per_example");
  expected_examples = json_object_get_array_member (fixture, "per_example");
  n_flow_checked = 0;
  g_assert_cmpuint (json_array_get_length (per_example), ==, 5);
  for (guint e = 0; e < 5; e++)
    {
      JsonObject *actual = json_array_get_object_element (per_example, e);
      JsonObject *expected = json_array_get_object_element (expected_examples, e);

      g_assert_cmpstr (json_object_get_string_member (actual, "id"), ==,
                       json_object_get_string_member (expected, "id"));
      for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
        {
          if (!json_object_has_member (actual, methods[m]) ||
              !json_object_has_member (expected, methods[m]))
            continue;
          assert_numbers_or_null (json_object_get_array_member (actual, methods[m]),
                                  json_object_get_array_member (expected, methods[m]), 1e-12);
          if (m == 2)
            n_flow_checked++;
        }
      g_assert_cmpint (json_object_has_member (actual, "flow"), ==,
                       g_str_equal (method, "all") || g_str_equal (method, "flow"));
    }
  /* sst2-0551 and sst2-1125 have golden flow */
  if (g_str_equal (method, "all") || g_str_equal (method, "flow"))
    g_assert_cmpuint (n_flow_checked, ==, 2);
}

static void
test_correlate_json (void)
{
  check_correlate ("all_tokens", "raw", FALSE);
  check_correlate ("all_tokens", "rollout", FALSE);
  check_correlate ("exclude_special", "rollout", TRUE);
  check_correlate ("exclude_special", "raw", TRUE);
  check_correlate ("all_tokens", "flow", FALSE);
  check_correlate ("exclude_special", "all", TRUE);
}

static void
test_correlate_text_csv (void)
{
  g_auto(AttnTestRun) text = { 0 };
  g_auto(AttnTestRun) csv = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *input = data_path ("..", "data", "examples", "sst2-bert.json", NULL);
  g_autofree char *fixture_path = data_path ("data", "correlate-sst2.json", NULL);
  g_autoptr(JsonNode) fixture_root = load_json (fixture_path);
  JsonObject *fixture = json_object_get_object_member (json_node_get_object (fixture_root),
                                                       "all_tokens");
  JsonArray *mean = json_object_get_array_member (json_object_get_object_member (fixture, "mean"),
                                                  "rollout");
  g_autofree char *first = NULL;
  g_auto(GStrv) lines = NULL;

  attn_test_run_cli (&text, "correlate", input, "--reference", "gradient", "--method", "rollout", NULL);
  assert_success (&text);
  lines = g_strsplit (text.out, "\n", -1);
  g_assert_true (g_regex_match_simple ("^layer +rollout$", lines[4], 0, 0));
  /* Layer 1, three decimals, mean ± std */
  first = g_strdup_printf ("%+.3f ± ", json_array_get_double_element (mean, 0));
  g_assert_true (g_str_has_prefix (lines[5], "1 "));
  g_assert_nonnull (strstr (lines[5], first));
  g_assert_true (g_str_has_prefix (lines[16], "12 "));

  attn_test_run_cli (&csv, "correlate", input, "--reference", "gradient", "--method", "raw",
           "--format", "csv", NULL);
  assert_success (&csv);
  rows = parse_csv (csv.out);
  g_assert_cmpuint (rows->len, ==, 13);
  g_assert_cmpstr (cell (rows, 0, 0), ==, "method");
  g_assert_cmpstr (cell (rows, 0, 2), ==, "mean");
  g_assert_cmpstr (cell (rows, 0, 5), ==, "nan_count");
  mean = json_object_get_array_member (json_object_get_object_member (fixture, "mean"), "raw");
  for (guint l = 0; l < 12; l++)
    {
      g_assert_cmpstr (cell (rows, l + 1, 0), ==, "raw");
      g_assert_cmpint (atoi (cell (rows, l + 1, 1)), ==, l + 1);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell (rows, l + 1, 2), NULL),
                                      json_array_get_double_element (mean, l), 1e-12);
      g_assert_cmpstr (cell (rows, l + 1, 4), ==, "5");
      g_assert_cmpstr (cell (rows, l + 1, 5), ==, "0");
    }
}

/* correlate --format csv names the settings in every row, after the
 * numbers, as the JSON does: the numbers are the JSON's, to the bit */
static void
test_correlate_csv_settings (void)
{
  g_autofree char *input = data_path ("..", "data", "examples", "sst2-bert.json", NULL);
  const char *names[] = { "method", "layer", "mean", "std", "examples", "nan_count", "reference",
                          "weights", "residual", "heads", "head_mix", "exclude_special" };
  /* α as given in the CSV: 0.3, not 0.29999999999999999 */
  const char *settings[] = { "gradient", "attention", "0.3", "0,1,2,3", "max", "true" };
  g_auto(AttnTestRun) csv = { 0 };
  g_auto(AttnTestRun) json = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *mean;

  attn_test_run_cli (&csv, "correlate", input, "--reference", "gradient", "--method", "rollout",
                     "--residual", "0.3", "--heads", "0-3", "--head-mix", "max", "--exclude-special",
                     "--format", "csv", NULL);
  attn_test_run_cli (&json, "correlate", input, "--reference", "gradient", "--method", "rollout",
                     "--residual", "0.3", "--heads", "0-3", "--head-mix", "max", "--exclude-special",
                     "--format", "json", NULL);
  assert_success (&csv);
  assert_success (&json);
  rows = parse_csv (csv.out);
  root = parse_json (json.out);
  object = json_node_get_object (root);
  mean = json_object_get_array_member (json_object_get_object_member (object, "mean"), "rollout");
  g_assert_cmpuint (rows->len, ==, 1 + 12);
  g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (rows, 0))->len, ==, G_N_ELEMENTS (names));
  for (guint c = 0; c < G_N_ELEMENTS (names); c++)
    g_assert_cmpstr (cell (rows, 0, c), ==, names[c]);
  /* the JSON's settings, by the same names */
  g_assert_cmpstr (json_object_get_string_member (object, "reference"), ==, settings[0]);
  g_assert_cmpstr (json_object_get_string_member (object, "weights"), ==, settings[1]);
  g_assert_cmpfloat (json_object_get_double_member (object, "residual"), ==, 0.3);
  g_assert_cmpstr (json_object_get_string_member (object, "heads"), ==, settings[3]);
  g_assert_cmpstr (json_object_get_string_member (object, "head_mix"), ==, settings[4]);
  g_assert_true (json_object_get_boolean_member (object, "exclude_special"));
  for (guint l = 1; l <= 12; l++)
    {
      g_assert_cmpstr (cell (rows, l, 0), ==, "rollout");
      g_assert_cmpfloat (g_ascii_strtod (cell (rows, l, 2), NULL), ==,
                         json_array_get_double_element (mean, l - 1));
      for (guint c = 0; c < G_N_ELEMENTS (settings); c++)
        g_assert_cmpstr (cell (rows, l, 6 + c), ==, settings[c]);
    }
}

/* A constant reference gives NaN at every layer: null in JSON, counted. */
static void
test_correlate_nan (void)
{
  g_auto(AttnTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *input = data_path ("cli", "data", "tiny.json", NULL);
  JsonObject *object, *example;

  /* tiny's reference "score" over the non-special tokens a,b and say "hi"
   * excluding the focus (1) leaves one token: NaN. */
  attn_test_run_cli (&run, "correlate", input, "--reference", "score", "--method", "rollout",
           "--exclude-special", "--format", "json", NULL);
  assert_success (&run);
  root = parse_json (run.out);
  object = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (object, "examples"), ==, 1);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (
    json_object_get_array_member (json_object_get_object_member (object, "mean"), "rollout"), 0)));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (
    json_object_get_array_member (json_object_get_object_member (object, "std"), "rollout"), 1)));
  g_assert_cmpint (json_array_get_int_element (
    json_object_get_array_member (json_object_get_object_member (object, "nan_count"), "rollout"), 0),
    ==, 1);
  example = json_array_get_object_element (json_object_get_array_member (object, "per_example"), 0);
  g_assert_cmpstr (json_object_get_string_member (example, "id"), ==, "tiny");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (
    json_object_get_array_member (example, "rollout"), 0)));
}

/* With several weight kinds each settings line names its kind, attention
 * too; attention alone, the default, is not named. Kinds given without
 * heads (pronouns' norm and ALTI) claim no heads nor head mix. */
static void
test_weights_settings_lines (void)
{
  g_autofree char *input = data_path ("..", "data", "examples", "pronouns-minilm.json", NULL);
  const char *file_line = "pronouns-minilm.json: 44 examples; ";
  static const struct { const char *command; const char *weights; const char *first, *second; } cases[] = {
    { "correlate", "all", "weights attention; residual 0.5, heads all, head mix mean; all tokens ranked",
      "weights norm; residual 0.5, heads do not apply (weights without heads); all tokens ranked" },
    { "correlate", "alti,attention", "weights attention; residual 0.5, heads all, head mix mean; all tokens ranked",
      "weights alti (the residual is in them); heads do not apply (weights without heads); "
      "all tokens ranked" },
    { "correlate", NULL, "residual 0.5, heads all, head mix mean; all tokens ranked", NULL },
    { "correlate", "attention", "residual 0.5, heads all, head mix mean; all tokens ranked", NULL },
    { "antecedents", "all", "weights attention; residual 0.5, heads all, head mix mean",
      "weights norm; residual 0.5, heads do not apply (weights without heads)" },
    { "antecedents", NULL, "residual 0.5, heads all, head mix mean", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(AttnTestRun) run = { 0 };
      g_auto(GStrv) lines = NULL;
      g_autofree char *first = g_strconcat (file_line, cases[i].first, NULL);

      if (g_str_equal (cases[i].command, "correlate"))
        attn_test_run_cli (&run, "correlate", input, "--reference", "blankout", "--method", "raw",
                           cases[i].weights != NULL ? "--weights" : NULL, cases[i].weights, NULL);
      else
        attn_test_run_cli (&run, "antecedents", input, "--method", "raw",
                           cases[i].weights != NULL ? "--weights" : NULL, cases[i].weights, NULL);
      assert_success (&run);
      lines = g_strsplit (run.out, "\n", -1);
      g_assert_true (g_str_has_suffix (lines[1], first));
      if (cases[i].second != NULL)
        {
          g_autofree char *second = g_strconcat (file_line, cases[i].second, NULL);

          g_assert_true (g_str_has_suffix (lines[2], second));
        }
      else
        g_assert_false (g_str_has_suffix (lines[2], "head mix mean") ||
                        g_str_has_suffix (lines[2], "all tokens ranked"));
    }
}

/* The JSON of correlate and antecedents names the settings that made its
 * numbers, as raw|rollout|flow do: two runs of different settings can be
 * told apart from their files alone. */
static void
test_json_settings (void)
{
  g_autofree char *sst2 = data_path ("..", "data", "examples", "sst2-bert.json", NULL);
  g_autofree char *pronouns = data_path ("..", "data", "examples", "pronouns-minilm.json", NULL);
  static const struct
  {
    const char *argv[16];
    double      residual;
    const char *heads, *head_mix;
    int         exclude_special;  /* -1: not a setting of the command */
  } cases[] = {
    { { "correlate", NULL, "--reference", "gradient", "--method", "raw", "--format", "json" },
      0.5, "all", "mean", FALSE },
    { { "correlate", NULL, "--reference", "gradient", "--method", "raw", "--format", "json",
        "--exclude-special", "--residual", "0", "--heads", "3,0-1", "--head-mix", "max" },
      0., "0,1,3", "max", TRUE },
    { { "antecedents", NULL, "--method", "raw", "--format", "json" }, 0.5, "all", "mean", -1 },
    { { "antecedents", NULL, "--method", "raw", "--format", "json", "--residual", "0.25",
        "--heads", "2-3", "--head-mix", "max" }, 0.25, "2,3", "max", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(AttnTestRun) run = { 0 };
      g_autoptr(JsonNode) root = NULL;
      const char *argv[G_N_ELEMENTS (cases[i].argv) + 1] = { NULL };
      JsonObject *object;

      memcpy (argv, cases[i].argv, sizeof cases[i].argv);
      argv[1] = g_str_equal (argv[0], "correlate") ? sst2 : pronouns;
      attn_test_run_cli_v (&run, argv);
      assert_success (&run);
      root = parse_json (run.out);
      object = json_node_get_object (root);
      g_assert_cmpstr (json_object_get_string_member (object, "weights"), ==, "attention");
      g_assert_cmpfloat (json_object_get_double_member (object, "residual"), ==, cases[i].residual);
      g_assert_cmpstr (json_object_get_string_member (object, "heads"), ==, cases[i].heads);
      g_assert_cmpstr (json_object_get_string_member (object, "head_mix"), ==, cases[i].head_mix);
      /* antecedents ranks no tokens to leave out */
      if (cases[i].exclude_special < 0)
        g_assert_false (json_object_has_member (object, "exclude_special"));
      else
        g_assert_cmpint (json_object_get_boolean_member (object, "exclude_special"), ==,
                         cases[i].exclude_special);
    }
}

/* antecedents --format csv: the references' rows under the methods', as
 * in the text and the JSON: the name in `method`, no layer */
static void
test_antecedents_csv_references (void)
{
  g_autofree char *pronouns = data_path ("..", "data", "examples", "pronouns-minilm.json", NULL);
  g_auto(AttnTestRun) csv = { 0 };
  g_auto(AttnTestRun) json = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *references;
  const char *names[] = { "blankout", "gradient" };

  attn_test_run_cli (&csv, "antecedents", pronouns, "--method", "rollout", "--format", "csv", NULL);
  attn_test_run_cli (&json, "antecedents", pronouns, "--method", "rollout", "--format", "json", NULL);
  assert_success (&csv);
  assert_success (&json);
  rows = parse_csv (csv.out);
  root = parse_json (json.out);
  references = json_object_get_object_member (json_node_get_object (root), "references");
  /* the header, 6 layers of rollout, 2 references */
  g_assert_cmpuint (rows->len, ==, 1 + 6 + 2);
  g_assert_cmpstr (cell (rows, 6, 0), ==, "rollout");
  for (guint r = 0; r < G_N_ELEMENTS (names); r++)
    {
      JsonObject *reference = json_object_get_object_member (references, names[r]);
      g_autofree char *wins = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               json_object_get_int_member (reference, "wins"));

      g_assert_cmpstr (cell (rows, 7 + r, 0), ==, names[r]);
      g_assert_cmpstr (cell (rows, 7 + r, 1), ==, "");
      g_assert_cmpfloat (g_ascii_strtod (cell (rows, 7 + r, 2), NULL), ==,
                         json_object_get_double_member (reference, "share"));
      g_assert_cmpstr (cell (rows, 7 + r, 3), ==, wins);
      g_assert_cmpstr (cell (rows, 7 + r, 5), ==, "44");
    }
  /* 23 of 44, as docs/evaluation.md gives blank-out */
  g_assert_cmpstr (cell (rows, 7, 3), ==, "23");
  /* every row, the references' too, ends with the settings */
  g_assert_cmpstr (cell (rows, 0, 6), ==, "weights");
  g_assert_cmpstr (cell (rows, 0, 9), ==, "head_mix");
  for (guint r = 1; r < rows->len; r++)
    {
      g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (rows, r))->len, ==, 10);
      g_assert_cmpstr (cell (rows, r, 6), ==, "attention");
      g_assert_cmpstr (cell (rows, r, 7), ==, "0.5");
      g_assert_cmpstr (cell (rows, r, 8), ==, "all");
      g_assert_cmpstr (cell (rows, r, 9), ==, "mean");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attn/cli/compute/rollout-golden", test_rollout_golden);
  g_test_add_func ("/attn/cli/compute/raw-golden", test_raw_golden);
  g_test_add_func ("/attn/cli/compute/flow-golden", test_flow_golden);
  g_test_add_func ("/attn/cli/compute/default-position", test_default_position_is_focus);
  g_test_add_func ("/attn/cli/compute/position-all", test_position_all);
  g_test_add_func ("/attn/cli/compute/example-all", test_example_all);
  g_test_add_func ("/attn/cli/compute/example-all-position-all", test_example_all_position_all);
  g_test_add_func ("/attn/cli/compute/layer", test_layer);
  g_test_add_func ("/attn/cli/compute/numbers", test_numbers_round_trip);
  g_test_add_func ("/attn/cli/compute/heads", test_heads);
  g_test_add_func ("/attn/cli/compute/head-mix-max", test_head_mix_max);
  g_test_add_func ("/attn/cli/compute/residual", test_residual);
  g_test_add_func ("/attn/cli/csv/quoting", test_csv_quoting);
  g_test_add_func ("/attn/cli/csv/all", test_csv_all);
  g_test_add_func ("/attn/cli/info/table", test_info);
  g_test_add_func ("/attn/cli/compute/position-all-one-layer", test_position_all_one_layer);
  g_test_add_func ("/attn/cli/compute/closed-pipe", test_closed_pipe);
  g_test_add_func ("/attn/cli/info/weights", test_info_weights);
  g_test_add_func ("/attn/cli/info/focus-quoted", test_info_focus_quoted);
  g_test_add_func ("/attn/cli/validate/exit-status", test_validate);
  g_test_add_func ("/attn/cli/main/full-output", test_full_output);
  g_test_add_func ("/attn/cli/main/errors", test_errors);
  g_test_add_func ("/attn/cli/main/unknown-command-close", test_unknown_command_close);
  g_test_add_func ("/attn/cli/main/extra-file-named", test_extra_file_named);
  g_test_add_func ("/attn/cli/main/errors-example-without-id", test_errors_example_without_id);
  g_test_add_func ("/attn/cli/main/errors-depths-plural", test_errors_depths_plural);
  g_test_add_func ("/attn/cli/main/errors-render-unknown-example", test_errors_render_unknown_example);
  g_test_add_func ("/attn/cli/main/help", test_help);
  g_test_add_func ("/attn/cli/main/help-version", test_help_lists_version);
  g_test_add_func ("/attn/cli/main/number-space", test_number_space);
  g_test_add_func ("/attn/cli/main/number-syntax", test_number_syntax);
  g_test_add_func ("/attn/cli/main/number-underflow", test_number_underflow);
  g_test_add_func ("/attn/cli/main/all-any-case", test_all_any_case);
  g_test_add_func ("/attn/cli/main/keywords-any-case", test_keywords_any_case);
  g_test_add_func ("/attn/cli/main/example-all-id", test_example_all_id);
  g_test_add_func ("/attn/cli/correlate/json", test_correlate_json);
  g_test_add_func ("/attn/cli/i18n/korean-tables", test_korean_tables);
  g_test_add_func ("/attn/cli/correlate/text-csv", test_correlate_text_csv);
  g_test_add_func ("/attn/cli/correlate/csv-settings", test_correlate_csv_settings);
  g_test_add_func ("/attn/cli/correlate/nan", test_correlate_nan);
  g_test_add_func ("/attn/cli/weights/settings-lines", test_weights_settings_lines);
  g_test_add_func ("/attn/cli/kinds/json-settings", test_json_settings);
  g_test_add_func ("/attn/cli/antecedents/csv-references", test_antecedents_csv_references);

  return g_test_run ();
}
