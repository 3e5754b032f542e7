/* test-graph.c: head mixing, residual and rollout on hand-made inputs
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "attn-core.h"

static const char * const tokens3[] = { "[CLS]", "a", "[SEP]", NULL };

/* Two layers, two heads, three tokens. */
static const double attention_2x2x3[2 * 2 * 3 * 3] = {
  /* layer 1, head 0 */
  1.0, 0.0, 0.0,
  0.5, 0.5, 0.0,
  0.2, 0.3, 0.5,
  /* layer 1, head 1 */
  0.0, 1.0, 0.0,
  0.0, 0.0, 1.0,
  0.6, 0.2, 0.2,
  /* layer 2, head 0 */
  0.1, 0.1, 0.8,
  0.3, 0.3, 0.4,
  1.0, 0.0, 0.0,
  /* layer 2, head 1 */
  0.3, 0.3, 0.4,
  0.1, 0.1, 0.8,
  0.0, 0.0, 1.0,
};

static AttnExample *
make_example (void)
{
  g_autoptr(GError) error = NULL;
  AttnExample *example;

  example = attn_example_new_from_doubles ("tiny", tokens3, 2, 2, attention_2x2x3, &error);
  g_assert_no_error (error);
  g_assert_nonnull (example);
  return example;
}

static void
test_graph_mean_residual (void)
{
  g_autoptr(AttnExample) example = make_example ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnGraph) graph = attn_graph_new (example, NULL, NULL, &error);
  const double *a;
  double w[9];

  g_assert_no_error (error);
  attn_graph_read_mixed (graph, 1, w);
  a = attn_graph_get_augmented (graph, 1);
  /* W_1[0] = mean of (1,0,0) and (0,1,0) */
  g_assert_cmpfloat_with_epsilon (w[0], 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (w[1], 0.5, 1e-15);
  /* Â = 0.5 W + 0.5 I */
  g_assert_cmpfloat_with_epsilon (a[0], 0.75, 1e-15);
  g_assert_cmpfloat_with_epsilon (a[1], 0.25, 1e-15);
  g_assert_cmpfloat_with_epsilon (a[2], 0.0, 1e-15);
  g_assert_cmpstr (attn_graph_get_heads_string (graph), ==, "all");
}

static void
test_graph_max_and_subset (void)
{
  g_autoptr(AttnExample) example = make_example ();
  g_autoptr(GError) error = NULL;
  static const guint head1[] = { 1 };
  static const guint bad_head[] = { 2 };
  AttnGraphOptions options = { 0.0, ATTN_HEAD_MIX_MAX, 0, NULL };
  g_autoptr(AttnGraph) graph = attn_graph_new (example, &options, NULL, &error);
  g_autoptr(AttnGraph) subset = NULL;
  AttnGraph *bad;
  const double *a;
  double w[9];

  g_assert_no_error (error);
  attn_graph_read_mixed (graph, 1, w);
  a = attn_graph_get_augmented (graph, 1);
  /* max of (1,0,0) and (0,1,0) = (1,1,0); α = 0 renormalises to (.5,.5,0) */
  g_assert_cmpfloat (w[0], ==, 1.0);
  g_assert_cmpfloat (w[1], ==, 1.0);
  g_assert_cmpfloat_with_epsilon (a[0], 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (a[1], 0.5, 1e-15);

  options = (AttnGraphOptions) { 1.0, ATTN_HEAD_MIX_MEAN, 1, head1 };
  subset = attn_graph_new (example, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (attn_graph_get_heads_string (subset), ==, "1");
  /* α = 1: pure identity */
  a = attn_graph_get_augmented (subset, 2);
  g_assert_cmpfloat (a[0], ==, 1.0);
  g_assert_cmpfloat (a[1], ==, 0.0);
  attn_graph_read_mixed_row (subset, 2, 0, w);
  g_assert_cmpfloat (w[2], ==, 0.4);

  options = (AttnGraphOptions) { 0.5, ATTN_HEAD_MIX_MEAN, 1, bad_head };
  bad = attn_graph_new (example, &options, NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
}

/* A model of one head: the messages count it in the singular */
static void
test_graph_one_head (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnExample) example = attn_example_new_from_doubles ("one", tokens3, 2, 1, attention_2x2x3,
                                                                  &error);
  g_autoptr(GArray) heads = NULL;
  const guint head2[] = { 2 };
  AttnGraphOptions options = { 0.5, ATTN_HEAD_MIX_MEAN, 1, head2 };
  g_autoptr(AttnGraph) graph = NULL;

  g_assert_no_error (error);
  graph = attn_graph_new (example, &options, NULL, &error);
  g_assert_null (graph);
  g_assert_cmpstr (error->message, ==, "Example “one” has 1 head (0 to 0); head 2 does not exist");
  g_clear_error (&error);

  g_assert_false (attn_parse_heads ("1", 1, &heads, &error));
  g_assert_cmpstr (error->message, ==, "Head 1 does not exist: the model has 1 head (0 to 0)");
  g_clear_error (&error);
  g_assert_false (attn_parse_heads_prefixed ("0-1", 1, &heads, &error));
  g_assert_cmpstr (error->message, ==, "head 1 does not exist: the model has 1 head (0 to 0)");
}

static void
test_rollout_consistency (void)
{
  g_autoptr(AttnExample) example = make_example ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnGraph) graph = attn_graph_new (example, NULL, NULL, &error);
  double matrices[2 * 9], node[3], position[2 * 3], shares[2 * 9];
  const double *a1, *a2;

  g_assert_no_error (error);
  g_assert_true (attn_rollout_matrices (graph, matrices, NULL, &error));
  a1 = attn_graph_get_augmented (graph, 1);
  a2 = attn_graph_get_augmented (graph, 2);

  /* R_2 = Â_2 · Â_1, written out */
  for (guint p = 0; p < 3; p++)
    for (guint j = 0; j < 3; j++)
      {
        double expected = 0.;
        for (guint q = 0; q < 3; q++)
          expected += a2[p * 3 + q] * a1[q * 3 + j];
        g_assert_cmpfloat_with_epsilon (matrices[9 + p * 3 + j], expected, 1e-15);
      }

  for (guint p = 0; p < 3; p++)
    {
      g_assert_true (attn_rollout_node (graph, 2, p, node, NULL, &error));
      g_assert_true (attn_rollout_position (graph, p, position, NULL, &error));
      for (guint j = 0; j < 3; j++)
        {
          g_assert_cmpfloat_with_epsilon (node[j], matrices[9 + p * 3 + j], 1e-15);
          g_assert_cmpfloat_with_epsilon (position[j], matrices[p * 3 + j], 1e-15);
          g_assert_cmpfloat_with_epsilon (position[3 + j], matrices[9 + p * 3 + j], 1e-15);
        }
    }

  /* edge shares: every layer sums to 1, and the bottom layer's column sums
   * are the rollout of the clicked node */
  g_assert_true (attn_rollout_edge_shares (graph, 2, 0, shares, NULL, &error));
  for (guint l = 0; l < 2; l++)
    {
      double sum = 0.;
      for (guint e = 0; e < 9; e++)
        sum += shares[l * 9 + e];
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-15);
    }
  for (guint k = 0; k < 3; k++)
    g_assert_cmpfloat_with_epsilon (shares[0 * 3 + k] + shares[3 + k] + shares[6 + k],
                                    matrices[9 + k], 1e-15);

  g_assert_false (attn_rollout_node (graph, 3, 0, node, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
}

static void
test_example_rejects_bad_rows (void)
{
  double attention[9] = { 1, 0, 0, 0, 0, 0, 0, 0, 1 };
  g_autoptr(GError) error = NULL;
  AttnExample *example;

  example = attn_example_new_from_doubles (NULL, tokens3, 1, 1, attention, &error);
  g_assert_null (example);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_VALUE);
  g_assert_nonnull (strstr (error->message, "row 1 sums to zero"));
  g_clear_error (&error);

  attention[4] = -0.5;
  example = attn_example_new_from_doubles (NULL, tokens3, 1, 1, attention, &error);
  g_assert_null (example);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_VALUE);
  g_clear_error (&error);

  attention[4] = NAN;
  example = attn_example_new_from_doubles (NULL, tokens3, 1, 1, attention, &error);
  g_assert_null (example);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_VALUE);
}

/* Checks that @error is set with @code and the message @expected (freed), and clears it */
static void
assert_error_message (GError **error,
                      int      code,
                      char    *expected)
{
  g_autofree char *owned = expected;

  g_assert_error (*error, ATTN_ERROR, code);
  g_assert_cmpstr ((*error)->message, ==, owned);
  g_clear_error (error);
}

/* Messages name an example by its id, quoted (“cat-mat”), or one without an
 * id by its 0-based index and “(no id)” (they said “Example “0””, which read
 * as an id); attn_example_get_label() stays the bare id or index */
static void
test_example_message_name (void)
{
  static const double attention[9] = { 1, 0, 0, 0.5, 0.5, 0, 0, 0, 1 };
  static const char * const no_tokens[] = { NULL };
  static const guint head5[] = { 5 };
  static const char * const ids[] = { NULL, "cat-mat" };
  static const char * const names[] = { "0 (no id)", "“cat-mat”" };
  static const char * const labels[] = { "0", "cat-mat" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AttnExample) example = attn_example_new_from_doubles (ids[i], tokens3, 1, 1, attention,
                                                                      &error);
      AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
      g_autofree char *name = NULL;

      g_assert_no_error (error);
      name = attn_example_dup_message_name (example);
      g_assert_cmpstr (name, ==, names[i]);
      g_assert_cmpstr (attn_example_get_label (example), ==, labels[i]);

      g_assert_null (attn_example_new_from_doubles (ids[i], no_tokens, 1, 1, attention, &error));
      assert_error_message (&error, ATTN_ERROR_SHAPE,
                            g_strdup_printf ("Example %s: tokens, layers and heads must not be empty", names[i]));

      options.n_heads = 1;
      options.heads = head5;
      g_assert_null (attn_graph_new (example, &options, NULL, &error));
      assert_error_message (&error, ATTN_ERROR_ARGUMENT,
                            g_strdup_printf ("Example %s has 1 head (0 to 0); head 5 does not exist", names[i]));

      options.n_heads = 0;
      options.weights = ATTN_WEIGHT_KIND_ALTI;
      g_assert_null (attn_graph_new (example, &options, NULL, &error));
      assert_error_message (&error, ATTN_ERROR_ARGUMENT,
                            g_strdup_printf ("Example %s carries no “alti” weights (it carries: attention)",
                                             names[i]));
    }
}

static void
test_heads_parse (void)
{
  g_autoptr(GArray) heads = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (attn_parse_heads ("5,0,3", 12, &heads, &error));
  g_assert_cmpuint (heads->len, ==, 3);
  text = attn_format_heads ((guint *) heads->data, heads->len);
  g_assert_cmpstr (text, ==, "0,3,5");
  g_clear_pointer (&heads, g_array_unref);

  g_assert_true (attn_parse_heads ("all", 12, &heads, &error));
  g_assert_cmpuint (heads->len, ==, 0);
  g_clear_pointer (&heads, g_array_unref);

  g_assert_false (attn_parse_heads ("12", 12, &heads, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (attn_parse_heads ("012345678901234567890", 12, &heads, &error));
  g_assert_cmpstr (error->message, ==, "Head 12345678901234567890 does not exist: the model has 12 heads (0 to 11)");
  g_clear_error (&error);
  /* before the model is known, any number is taken: its check comes later */
  g_assert_true (attn_parse_heads ("4294967294,99999999999999999999,3", G_MAXUINT, &heads, &error));
  g_assert_cmpuint (heads->len, ==, 3);
  g_assert_cmpuint (g_array_index (heads, guint, 0), ==, 3);
  g_assert_cmpuint (g_array_index (heads, guint, 2), ==, G_MAXUINT);
  g_clear_pointer (&heads, g_array_unref);
  g_assert_false (attn_parse_heads ("1,-1", G_MAXUINT, &heads, &error));
  g_clear_error (&error);
  g_assert_false (attn_parse_heads ("1,,2", 12, &heads, &error));
  g_clear_error (&error);
  g_assert_false (attn_parse_heads ("1,1", 12, &heads, &error));
  g_clear_error (&error);

  /* ranges, alone or among single heads, are lists of heads */
  g_assert_true (attn_parse_heads ("7, 0-3", 12, &heads, &error));
  g_free (text);
  text = attn_format_heads ((guint *) heads->data, heads->len);
  g_assert_cmpstr (text, ==, "0,1,2,3,7");
  g_clear_pointer (&heads, g_array_unref);
  g_assert_true (attn_parse_heads ("9 - 11", 12, &heads, &error));
  g_free (text);
  text = attn_format_heads ((guint *) heads->data, heads->len);
  g_assert_cmpstr (text, ==, "9,10,11");
  g_clear_pointer (&heads, g_array_unref);
  g_assert_true (attn_parse_heads ("4-4", 12, &heads, &error));
  g_assert_cmpuint (heads->len, ==, 1);
  g_clear_pointer (&heads, g_array_unref);
  /* a range past the model names its last head */
  g_assert_false (attn_parse_heads ("8-12", 12, &heads, &error));
  g_assert_cmpstr (error->message, ==, "Head 12 does not exist: the model has 12 heads (0 to 11)");
  g_clear_error (&error);
  g_assert_false (attn_parse_heads ("0-3,2", 12, &heads, &error));
  g_assert_cmpstr (error->message, ==, "Head 2 is listed twice");
  g_clear_error (&error);
  /* a range that goes down names its ends as typed */
  g_assert_false (attn_parse_heads ("3-1", 12, &heads, &error));
  g_assert_cmpstr (error->message, ==, "In “3-1”, 3 is past 1: a range goes from its first head up to its last");
  g_clear_error (&error);
  g_assert_false (attn_parse_heads ("0, 05 - 2", G_MAXUINT, &heads, &error));
  g_assert_cmpstr (error->message, ==, "In “05 - 2”, 05 is past 2: a range goes from its first head up to its last");
  g_clear_error (&error);
  /* after a prefix (“--heads: ”), not a sentence's start */
  g_assert_false (attn_parse_heads_prefixed ("3-1", G_MAXUINT, &heads, &error));
  g_assert_cmpstr (error->message, ==, "in “3-1”, 3 is past 1: a range goes from its first head up to its last");
  g_clear_error (&error);
  g_assert_false (attn_parse_heads_prefixed ("0-4294967295", G_MAXUINT, &heads, &error));
  g_assert_cmpstr (error->message, ==, "the range of heads “0-4294967295” ends past head 65535");
  g_clear_error (&error);
  g_assert_true (attn_parse_heads_prefixed ("1-3", G_MAXUINT, &heads, &error));
  g_assert_cmpuint (heads->len, ==, 3);
  g_clear_pointer (&heads, g_array_unref);
  g_assert_false (attn_parse_heads ("1-", 12, &heads, &error));
  g_clear_error (&error);
  g_assert_false (attn_parse_heads ("1-2-3", 12, &heads, &error));
  g_clear_error (&error);
  /* before the model is known, a range is bounded: it becomes a list */
  g_assert_true (attn_parse_heads ("0-40", G_MAXUINT, &heads, &error));
  g_assert_cmpuint (heads->len, ==, 41);
  g_clear_pointer (&heads, g_array_unref);
  g_assert_false (attn_parse_heads ("0-4294967295", G_MAXUINT, &heads, &error));
  g_assert_cmpstr (error->message, ==, "The range of heads “0-4294967295” ends past head 65535");
  g_clear_error (&error);
  /* ranges that repeat heads stop growing the list: the repeat is named */
  {
    g_autoptr(GString) many = g_string_new ("0-65535");

    for (guint i = 0; i < 200; i++)
      g_string_append (many, ",0-65535");
    g_assert_false (attn_parse_heads (many->str, G_MAXUINT, &heads, &error));
    g_assert_cmpstr (error->message, ==, "Head 0 is listed twice");
    g_clear_error (&error);
  }
}

static void
test_special_tokens (void)
{
  g_assert_true (attn_token_is_special ("[CLS]"));
  g_assert_true (attn_token_is_special ("<|endoftext|>"));
  g_assert_true (attn_token_is_special ("."));
  g_assert_true (attn_token_is_special (" ,"));
  g_assert_false (attn_token_is_special ("cat"));
  g_assert_false (attn_token_is_special ("##s"));
}

/* A graph large enough to be built on several threads (12 x 300 x 300, four
 * heads, a subset of three, max or mean): Â equals the paper's formula
 * applied to the heads read from the example, bit for bit, and W read back
 * (a row or a layer) equals their mix. */
static void
test_graph_large (void)
{
  guint L = 12, H = 4, n = 300;
  g_autofree double *attention = g_new (double, (gsize) L * H * n * n);
  g_auto(GStrv) tokens = g_new0 (char *, n + 1);
  g_autoptr(AttnExample) example = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *w = g_new (double, (gsize) n * n);
  g_autofree double *row = g_new (double, n);
  g_autofree double *head = g_new (double, n);
  static const guint subset[] = { 0, 2, 3 };
  guint64 state = 99;

  for (guint j = 0; j < n; j++)
    tokens[j] = g_strdup_printf ("t%u", j);
  for (gsize r = 0; r < (gsize) L * H * n; r++)
    {
      double *a = attention + r * n, sum = 0.;

      for (guint k = 0; k < n; k++)
        {
          state = state * 6364136223846793005ULL + 1442695040888963407ULL;
          a[k] = (double) (state >> 11) / 9007199254740992.;
          sum += a[k];
        }
      for (guint k = 0; k < n; k++)
        a[k] /= sum;
    }
  example = attn_example_new_from_doubles ("large", (const char * const *) tokens, L, H, attention,
                                           &error);
  g_assert_no_error (error);

  for (guint pass = 0; pass < 2; pass++)
    {
      AttnGraphOptions options = { pass ? 0.3 : 0.5, pass ? ATTN_HEAD_MIX_MAX : ATTN_HEAD_MIX_MEAN,
                                   pass ? G_N_ELEMENTS (subset) : 0, pass ? subset : NULL };
      g_autoptr(AttnGraph) graph = attn_graph_new (example, &options, NULL, &error);
      guint n_heads = pass ? G_N_ELEMENTS (subset) : H;

      g_assert_no_error (error);
      for (guint l = 1; l <= L; l++)
        {
          const double *a = attn_graph_get_augmented (graph, l);

          attn_graph_read_mixed (graph, l, w);
          for (guint q = 0; q < n; q += 7)
            {
              double sum = 0.;

              for (guint i = 0; i < n_heads; i++)
                {
                  attn_example_read_row (example, l, pass ? subset[i] : i, q, head);
                  for (guint k = 0; k < n; k++)
                    row[k] = i == 0 ? head[k] : pass ? MAX (row[k], head[k]) : row[k] + head[k];
                }
              if (!pass)
                for (guint k = 0; k < n; k++)
                  row[k] /= n_heads;
              g_assert_cmpmem (w + (gsize) q * n, n * sizeof (double), row, n * sizeof (double));
              attn_graph_read_mixed_row (graph, l, q, head);
              g_assert_cmpmem (head, n * sizeof (double), row, n * sizeof (double));

              for (guint k = 0; k < n; k++)
                {
                  row[k] = (1. - options.residual) * row[k] + (q == k ? options.residual : 0.);
                  sum += row[k];
                }
              for (guint k = 0; k < n; k++)
                row[k] /= sum;
              g_assert_cmpmem (a + (gsize) q * n, n * sizeof (double), row, n * sizeof (double));
            }
        }
    }

  /* Cancelled before it starts: no graph. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    AttnGraph *graph;

    g_cancellable_cancel (cancellable);
    graph = attn_graph_new (example, NULL, cancellable, &error);
    g_assert_null (graph);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

#if !defined(__SANITIZE_ADDRESS__)
/* The address space this process has mapped, in bytes (/proc/self/statm) */
static guint64
mapped_bytes (void)
{
  g_autofree char *statm = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  return g_ascii_strtoull (statm, NULL, 10) * (guint64) sysconf (_SC_PAGESIZE);
}
#endif

/* A graph there is no memory for (8 layers of 512 x 512 doubles, 16 MiB,
 * under an address space 4 MiB larger than the process's): the message
 * names the example once, the size in the loader's binary units
 * (attn_error_format_size()): attn_graph_new_from_settings() named the
 * example again before attn_graph_new()'s message, which gave the size in
 * MB (“Example “s4096”: Example “s4096”: … (536.9 MB)”) */
static void
test_graph_out_of_memory (void)
{
#if defined(__SANITIZE_ADDRESS__)
  g_test_skip ("AddressSanitizer reserves more address space than the limit leaves");
#else
  if (g_test_subprocess ())
    {
      guint L = 8, n = 512;
      g_autofree double *attention = g_new (double, (gsize) L * n * n);
      g_auto(GStrv) tokens = g_new0 (char *, n + 1);
      g_autoptr(AttnExample) example = NULL;
      g_autoptr(AttnGraphSettings) settings = NULL;
      g_autoptr(AttnGraph) graph = NULL;
      g_autoptr(GError) error = NULL;
      struct rlimit limit;

      for (guint j = 0; j < n; j++)
        tokens[j] = g_strdup_printf ("t%u", j);
      for (gsize i = 0; i < (gsize) L * n * n; i++)
        attention[i] = 1. / n;
      example = attn_example_new_from_doubles ("big", (const char * const *) tokens, L, 1, attention,
                                               &error);
      g_assert_no_error (error);
      g_clear_pointer (&attention, g_free);
      settings = attn_graph_settings_new_for_weights (ATTN_WEIGHT_KIND_ATTENTION, 0.5,
                                                      ATTN_HEAD_MIX_MEAN, "all", &error);
      g_assert_no_error (error);

      limit.rlim_cur = limit.rlim_max = (rlim_t) (mapped_bytes () + ((guint64) 4 << 20));
      g_assert_cmpint (setrlimit (RLIMIT_AS, &limit), ==, 0);
      graph = attn_graph_new_from_settings (example, settings, NULL, &error);
      g_assert_null (graph);
      g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
      g_assert_cmpstr (error->message, ==, "Example “big”: not enough memory for the attention graph "
                                           "(16.0\u00a0MiB)");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attn/core/graph/mean-residual", test_graph_mean_residual);
  g_test_add_func ("/attn/core/graph/max-and-subset", test_graph_max_and_subset);
  g_test_add_func ("/attn/core/graph/large", test_graph_large);
  g_test_add_func ("/attn/core/graph/out-of-memory", test_graph_out_of_memory);
  g_test_add_func ("/attn/core/rollout/consistency", test_rollout_consistency);
  g_test_add_func ("/attn/core/example/bad-rows", test_example_rejects_bad_rows);
  g_test_add_func ("/attn/core/example/message-name", test_example_message_name);
  g_test_add_func ("/attn/core/graph/heads-parse", test_heads_parse);
  g_test_add_func ("/attn/core/graph/one-head", test_graph_one_head);
  g_test_add_func ("/attn/core/example/special-tokens", test_special_tokens);

  return g_test_run ();
}
