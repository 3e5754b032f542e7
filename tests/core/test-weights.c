/* test-weights.c: graphs over the example's contributions (norm, GlobEnc, ALTI, …)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The graph of each weight kind against a plain computation written here,
 * loop by loop from docs/METHODS.md (not the code under test): every stored
 * row of a contribution divided by its sum, heads mixed by mean or maximum,
 * then α for the attention, norm and attn-grad, none for GlobEnc, ALTI and
 * Value Zeroing (their rows only divided by their sums); rollout as the
 * product of the Â. The end-to-end check of flow against networkx is
 * tests/cli/test-weights.py.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "attn-core.h"

#define L 2
#define N 4
#define TOLERANCE 1e-12

/* Stored values of one kind: H heads (0: head-mixed, [L][n][n]) */
typedef struct
{
  AttnWeightKind kind;
  guint          n_heads;
} Kind;

static const Kind kinds[] = {
  { ATTN_WEIGHT_KIND_NORM, 3 },
  { ATTN_WEIGHT_KIND_GLOBENC, 0 },
  { ATTN_WEIGHT_KIND_ALTI, 2 },
  { ATTN_WEIGHT_KIND_ATTN_GRAD, 0 },
};

/* A stored contribution value: positive, rows far from summing to 1, a few
 * zeros; the identity row of attn-grad's unused positions in layer 2 */
static double
stored (AttnWeightKind kind,
        guint          layer,
        guint          head,
        guint          q,
        guint          k)
{
  guint code = (guint) kind * 17 + layer * 7 + head * 5 + q * 3 + k * 11;

  if (kind == ATTN_WEIGHT_KIND_ATTN_GRAD && layer == 2 && q != 1)
    return q == k ? 1. : 0.;
  if (code % 9 == 0 && q != k)
    return 0.;
  return 0.25 + (code % 13) * 0.75;
}

/* Attention: softmax-like rows */
static double
attention (guint layer,
           guint head,
           guint q,
           guint k)
{
  double row[N], sum = 0.;

  for (guint j = 0; j < N; j++)
    {
      row[j] = 1. + ((layer * 3 + head * 7 + q * 5 + j * 2) % 7);
      sum += row[j];
    }
  return row[k] / sum;
}

static void
append_matrix (GString *json,
               double (*value) (gpointer, guint, guint, guint, guint),
               gpointer data,
               guint    n_heads)
{
  g_string_append_c (json, '[');
  for (guint l = 1; l <= L; l++)
    {
      g_string_append (json, l > 1 ? ", [" : "[");
      for (guint h = 0; h < MAX (n_heads, 1); h++)
        {
          if (n_heads > 0)
            g_string_append (json, h > 0 ? ", [" : "[");
          for (guint q = 0; q < N; q++)
            {
              g_string_append (json, q > 0 ? ", [" : "[");
              for (guint k = 0; k < N; k++)
                {
                  char buf[G_ASCII_DTOSTR_BUF_SIZE];

                  g_string_append_printf (json, "%s%s", k > 0 ? ", " : "",
                                          g_ascii_dtostr (buf, sizeof buf, value (data, l, h, q, k)));
                }
              g_string_append_c (json, ']');
            }
          if (n_heads > 0)
            g_string_append_c (json, ']');
        }
      g_string_append_c (json, ']');
    }
  g_string_append_c (json, ']');
}

static double
attention_value (gpointer data,
                 guint    l,
                 guint    h,
                 guint    q,
                 guint    k)
{
  return attention (l, h, q, k);
}

static double
stored_value (gpointer data,
              guint    l,
              guint    h,
              guint    q,
              guint    k)
{
  return stored (GPOINTER_TO_UINT (data), l, h, q, k);
}

static AttnDocument *
make_document (gboolean with_contributions)
{
  g_autoptr(GString) json = g_string_new ("{\"format\": \"attnflow\", \"version\": 1, \"examples\": [");
  g_autoptr(GError) error = NULL;
  AttnDocument *document;

  g_string_append (json, "{\"id\": \"w\", \"tokens\": [\"[CLS]\", \"a\", \"b\", \"[SEP]\"], \"focus\": 1, "
                         "\"attention\": ");
  append_matrix (json, attention_value, NULL, 2);
  if (with_contributions)
    {
      g_string_append (json, ", \"contributions\": {");
      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        {
          g_string_append_printf (json, "%s\"%s\": ", i > 0 ? ", " : "",
                                  attn_weight_kind_get_name (kinds[i].kind));
          append_matrix (json, stored_value, GUINT_TO_POINTER (kinds[i].kind), kinds[i].n_heads);
        }
      g_string_append (json, "}, \"contributions_target\": \"norm of a\"");
    }
  g_string_append (json, "}]}");

  document = attn_document_load_from_data (json->str, json->len, NULL, NULL, &error);
  g_assert_no_error (error);
  return document;
}

/* The reference: W and Â of @kind at @layer (n x n each), from the formulas */
static void
reference_matrices (AttnWeightKind  kind,
                    guint           n_heads,
                    const guint    *heads,
                    guint           n_chosen,
                    AttnHeadMix     mix,
                    double          alpha,
                    guint           layer,
                    double         *w,
                    double         *a)
{
  guint stored_heads = kind == ATTN_WEIGHT_KIND_ATTENTION ? 2 : MAX (n_heads, 1);
  guint all[8];

  if (n_chosen == 0)
    {
      for (guint h = 0; h < stored_heads; h++)
        all[h] = h;
      heads = all;
      n_chosen = stored_heads;
    }

  for (guint q = 0; q < N; q++)
    {
      for (guint k = 0; k < N; k++)
        w[q * N + k] = mix == ATTN_HEAD_MIX_MAX ? -1. : 0.;
      for (guint i = 0; i < n_chosen; i++)
        {
          double row[N], sum = 0.;

          for (guint k = 0; k < N; k++)
            {
              row[k] = kind == ATTN_WEIGHT_KIND_ATTENTION ? attention (layer, heads[i], q, k)
                                                          : stored (kind, layer, heads[i], q, k);
              sum += row[k];
            }
          for (guint k = 0; k < N; k++)
            {
              double v = kind == ATTN_WEIGHT_KIND_ATTENTION ? row[k] : row[k] / sum;

              if (mix == ATTN_HEAD_MIX_MAX)
                w[q * N + k] = fmax (w[q * N + k], v);
              else
                w[q * N + k] += v / n_chosen;
            }
        }

      {
        gboolean residual = kind == ATTN_WEIGHT_KIND_ATTENTION || kind == ATTN_WEIGHT_KIND_NORM ||
                            kind == ATTN_WEIGHT_KIND_ATTN_GRAD;
        double sum = 0.;

        for (guint k = 0; k < N; k++)
          {
            a[q * N + k] = residual ? (1. - alpha) * w[q * N + k] + (q == k ? alpha : 0.)
                                    : w[q * N + k];
            sum += a[q * N + k];
          }
        for (guint k = 0; k < N; k++)
          a[q * N + k] /= sum;
      }
    }
}

static void
assert_close (const double *x,
              const double *y,
              gsize         count,
              double        tolerance)
{
  for (gsize i = 0; i < count; i++)
    if (!(fabs (x[i] - y[i]) <= tolerance))
      g_error ("value %" G_GSIZE_FORMAT ": %.17g, expected %.17g", i, x[i], y[i]);
}

static guint
stored_n_heads (AttnWeightKind kind)
{
  if (kind == ATTN_WEIGHT_KIND_ATTENTION)
    return 2;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return kinds[i].n_heads;
  g_assert_not_reached ();
}

/* Every kind's W and Â under several settings, and rollout over them */
static void
check_kind (AttnExample    *example,
            AttnWeightKind  kind,
            const char     *heads,
            AttnHeadMix     mix,
            double          alpha)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnGraphSettings) settings = attn_graph_settings_new_for_weights (kind, alpha, mix, heads,
                                                                               &error);
  g_autoptr(AttnGraph) graph = NULL;
  g_autoptr(GArray) chosen = NULL;
  double w[L][N * N], a[L][N * N], got[N * N], rollout[L][N * N], values[L * N];

  g_assert_no_error (error);
  graph = attn_graph_new_from_settings (example, settings, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (attn_graph_get_weights (graph), ==, kind);
  g_assert_cmpint (attn_graph_get_residual_applies (graph), ==,
                   !attn_weight_kind_includes_residual (kind));
  g_assert_true (attn_parse_heads (heads, 8, &chosen, NULL));

  for (guint l = 1; l <= L; l++)
    {
      reference_matrices (kind, stored_n_heads (kind), (const guint *) (gpointer) chosen->data,
                          chosen->len, mix, alpha, l, w[l - 1], a[l - 1]);
      attn_graph_read_mixed (graph, l, got);
      assert_close (got, w[l - 1], N * N, TOLERANCE);
      assert_close (attn_graph_get_augmented (graph, l), a[l - 1], N * N, TOLERANCE);
    }

  /* rollout: R_1 = Â_1, R_l = Â_l R_{l-1} */
  memcpy (rollout[0], a[0], sizeof rollout[0]);
  for (guint l = 2; l <= L; l++)
    for (guint q = 0; q < N; q++)
      for (guint k = 0; k < N; k++)
        {
          double sum = 0.;

          for (guint m = 0; m < N; m++)
            sum += a[l - 1][q * N + m] * rollout[l - 2][m * N + k];
          rollout[l - 1][q * N + k] = sum;
        }
  for (guint p = 0; p < N; p++)
    {
      g_assert_true (attn_method_importance (ATTN_METHOD_ROLLOUT, graph, 0, p, NULL, values, NULL,
                                             &error));
      g_assert_no_error (error);
      for (guint l = 1; l <= L; l++)
        assert_close (values + (l - 1) * N, rollout[l - 1] + p * N, N, TOLERANCE);
      g_assert_true (attn_method_importance (ATTN_METHOD_RAW, graph, 0, p, NULL, values, NULL,
                                             &error));
      for (guint l = 1; l <= L; l++)
        assert_close (values + (l - 1) * N, w[l - 1] + p * N, N, TOLERANCE);
    }
}

static void
test_weights_graphs (void)
{
  g_autoptr(AttnDocument) document = make_document (TRUE);
  AttnExample *example = attn_document_get_example (document, 0);
  static const AttnWeightKind all[] = {
    ATTN_WEIGHT_KIND_ATTENTION, ATTN_WEIGHT_KIND_NORM, ATTN_WEIGHT_KIND_GLOBENC,
    ATTN_WEIGHT_KIND_ALTI, ATTN_WEIGHT_KIND_ATTN_GRAD,
  };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      check_kind (example, all[i], "all", ATTN_HEAD_MIX_MEAN, 0.5);
      check_kind (example, all[i], "all", ATTN_HEAD_MIX_MAX, 0.3);
      check_kind (example, all[i], "all", ATTN_HEAD_MIX_MEAN, 0.);
      check_kind (example, all[i], "all", ATTN_HEAD_MIX_MEAN, 1.);
    }
  /* head subsets of the kinds that have heads */
  check_kind (example, ATTN_WEIGHT_KIND_NORM, "0,2", ATTN_HEAD_MIX_MEAN, 0.5);
  check_kind (example, ATTN_WEIGHT_KIND_NORM, "1,2", ATTN_HEAD_MIX_MAX, 0.2);
  check_kind (example, ATTN_WEIGHT_KIND_ALTI, "1", ATTN_HEAD_MIX_MEAN, 0.7);
  check_kind (example, ATTN_WEIGHT_KIND_ALTI, "0,1", ATTN_HEAD_MIX_MAX, 0.7);
}

/* α changes nothing for the kinds that contain the residual */
static void
test_weights_residual_ignored (void)
{
  g_autoptr(AttnDocument) document = make_document (TRUE);
  AttnExample *example = attn_document_get_example (document, 0);
  static const AttnWeightKind inclusive[] = { ATTN_WEIGHT_KIND_GLOBENC, ATTN_WEIGHT_KIND_ALTI };

  g_assert_true (attn_weight_kind_includes_residual (ATTN_WEIGHT_KIND_VALUE_ZEROING));
  g_assert_false (attn_weight_kind_includes_residual (ATTN_WEIGHT_KIND_ATTENTION));
  g_assert_false (attn_weight_kind_includes_residual (ATTN_WEIGHT_KIND_NORM));
  g_assert_false (attn_weight_kind_includes_residual (ATTN_WEIGHT_KIND_ATTN_GRAD));

  for (guint i = 0; i < G_N_ELEMENTS (inclusive); i++)
    {
      g_autoptr(AttnGraphSettings) s0 =
        attn_graph_settings_new_for_weights (inclusive[i], 0., ATTN_HEAD_MIX_MEAN, NULL, NULL);
      g_autoptr(AttnGraphSettings) s1 =
        attn_graph_settings_new_for_weights (inclusive[i], 0.9, ATTN_HEAD_MIX_MEAN, NULL, NULL);
      g_autoptr(AttnGraph) g0 = attn_graph_new_from_settings (example, s0, NULL, NULL);
      g_autoptr(AttnGraph) g1 = attn_graph_new_from_settings (example, s1, NULL, NULL);

      g_assert_false (attn_graph_settings_get_residual_applies (s0));
      for (guint l = 1; l <= L; l++)
        g_assert_cmpmem (attn_graph_get_augmented (g0, l), N * N * sizeof (double),
                         attn_graph_get_augmented (g1, l), N * N * sizeof (double));
    }
}

static void
test_weights_settings (void)
{
  g_autoptr(AttnGraphSettings) attention = attn_graph_settings_new_default ();
  g_autoptr(AttnGraphSettings) alti = attn_graph_settings_copy_with_weights (attention,
                                                                             ATTN_WEIGHT_KIND_ALTI);
  g_autoptr(AttnGraphSettings) same = attn_graph_settings_copy_with_weights (attention,
                                                                             ATTN_WEIGHT_KIND_ATTENTION);
  g_autoptr(AttnGraphSettings) back = attn_graph_settings_copy_with_weights (alti,
                                                                             ATTN_WEIGHT_KIND_ATTENTION);

  g_assert_true (same == attention);
  g_assert_cmpint (attn_graph_settings_get_weights (attention), ==, ATTN_WEIGHT_KIND_ATTENTION);
  g_assert_cmpint (attn_graph_settings_get_weights (alti), ==, ATTN_WEIGHT_KIND_ALTI);
  g_assert_false (attn_graph_settings_equal (attention, alti));
  g_assert_true (attn_graph_settings_equal (attention, back));
  g_assert_cmpfloat (attn_graph_settings_get_residual (alti), ==, 0.5);
  g_assert_true (attn_graph_settings_get_residual_applies (attention));
  g_assert_false (attn_graph_settings_get_residual_applies (alti));
}

/* Weights an example lacks, and heads its weights lack: named errors */
static void
test_weights_errors (void)
{
  g_autoptr(AttnDocument) plain = make_document (FALSE);
  g_autoptr(AttnDocument) full = make_document (TRUE);
  AttnExample *example = attn_document_get_example (plain, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnGraphSettings) settings =
    attn_graph_settings_new_for_weights (ATTN_WEIGHT_KIND_GLOBENC, 0.5, ATTN_HEAD_MIX_MEAN, NULL, NULL);
  g_autoptr(AttnGraphSettings) heads =
    attn_graph_settings_new_for_weights (ATTN_WEIGHT_KIND_ALTI, 0.5, ATTN_HEAD_MIX_MEAN, "2", NULL);
  g_autoptr(AttnGraph) graph = NULL;
  g_autofree char *carried = NULL;
  AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;

  graph = attn_graph_new_from_settings (example, settings, NULL, &error);
  g_assert_null (graph);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Example “w” carries no “globenc” weights (it carries: attention)");
  g_clear_error (&error);

  options.weights = ATTN_WEIGHT_KIND_VALUE_ZEROING;
  graph = attn_graph_new (attn_document_get_example (full, 0), &options, NULL, &error);
  g_assert_null (graph);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "no “value-zeroing” weights (it carries: attention, norm, globenc, alti, attn-grad)"));
  g_clear_error (&error);

  /* ALTI here has heads 0 and 1; the attention has them too */
  g_assert_false (attn_graph_settings_check_example (heads, attn_document_get_example (full, 0), &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Example “w”: “alti” weights: head 2 does not exist: "
                                       "the model has 2 heads (0 to 1)");
  g_clear_error (&error);

  carried = attn_example_format_weights (attn_document_get_example (full, 0), ",");
  g_assert_cmpstr (carried, ==, "attention,norm,globenc,alti,attn-grad");

  /* "all weights" with heads: the kinds that have every one of them (the
   * attention and ALTI two heads, norm three, the others none) */
  g_assert_cmpuint (attn_heads_get_weight_kinds ("0,1", attn_document_get_example (full, 0)), ==,
                    (1u << ATTN_WEIGHT_KIND_ATTENTION) | (1u << ATTN_WEIGHT_KIND_NORM) | (1u << ATTN_WEIGHT_KIND_ALTI));
  g_assert_cmpuint (attn_heads_get_weight_kinds ("2", attn_document_get_example (full, 0)), ==,
                    1u << ATTN_WEIGHT_KIND_NORM);
  g_assert_cmpstr (attn_weight_kind_get_label (ATTN_WEIGHT_KIND_VALUE_ZEROING), ==, "Value Zeroing");
}

/* Weights given as [L][n][n] have no heads: naming one (but 0, the one
 * matrix) says so, not that the model has 1 heads */
static void
test_weights_headless (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "pronouns-minilm.json",
                                                 NULL);
  g_autoptr(AttnDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) plain = make_document (FALSE);
  static const guint one[] = { 1 };
  AttnGraphOptions options = ATTN_GRAPH_OPTIONS_INIT;
  AttnExample *example;

  doc = attn_document_load (path, NULL, &error);
  g_assert_no_error (error);
  example = attn_document_find_example (doc, "author-his", &error);
  g_assert_no_error (error);
  g_assert_true (attn_example_get_weights_head_mixed (example, ATTN_WEIGHT_KIND_ALTI));
  g_assert_cmpuint (attn_example_get_weights_n_heads (example, ATTN_WEIGHT_KIND_ALTI), ==, 1);
  g_assert_cmpuint (attn_example_get_weights_n_heads (example, ATTN_WEIGHT_KIND_ATTENTION), ==, 12);

  for (guint i = 0; i < 4; i++)
    {
      static const char * const lists[] = { "1", "0,3", "all", "0" };
      g_autoptr(AttnGraphSettings) settings =
        attn_graph_settings_new_for_weights (ATTN_WEIGHT_KIND_ALTI, 0.5, ATTN_HEAD_MIX_MEAN, lists[i], NULL);
      gboolean ok = attn_graph_settings_check_example (settings, example, &error);

      g_assert_cmpint (ok, ==, i >= 2);
      if (i == 0)
        g_assert_cmpstr (error->message, ==, "Example “author-his”: its “alti” weights have no heads (they were "
                         "given as [L][n][n]), so head 1 does not exist: use all heads");
      else if (i == 1)
        g_assert_nonnull (strstr (error->message, "no heads (they were given as [L][n][n]), so head 3 does not exist"));
      g_clear_error (&error);
    }

  /* every weight kind with some heads: the attention alone has heads here;
   * with every head (or a list that does not parse: the graph says what
   * is wrong with it), every kind */
  g_assert_cmpuint (attn_heads_get_weight_kinds ("0-3", example), ==, 1u << ATTN_WEIGHT_KIND_ATTENTION);
  g_assert_cmpuint (attn_heads_get_weight_kinds ("0", example), ==, 1u << ATTN_WEIGHT_KIND_ATTENTION);
  g_assert_cmpuint (attn_heads_get_weight_kinds ("all", example), ==, (1u << ATTN_N_WEIGHT_KINDS) - 1);
  g_assert_cmpuint (attn_heads_get_weight_kinds (NULL, example), ==, (1u << ATTN_N_WEIGHT_KINDS) - 1);
  g_assert_cmpuint (attn_heads_get_weight_kinds ("0-x", example), ==, (1u << ATTN_N_WEIGHT_KINDS) - 1);

  /* the app's windows, whose heads field is greyed out for such weights,
   * take every head of them (the command line, given heads, says they have
   * none, above); the attention, and examples one of which has heads in
   * the weights, take the heads chosen */
  {
    g_autoptr(AttnDocument) full = make_document (TRUE);
    g_autoptr(GPtrArray) examples = g_ptr_array_new ();

    g_ptr_array_add (examples, example);
    for (guint k = ATTN_WEIGHT_KIND_NORM; k < ATTN_N_WEIGHT_KINDS; k++)
      g_assert_cmpstr (attn_heads_for_examples ("0,3", k, examples), ==, "all");
    g_assert_cmpstr (attn_heads_for_examples ("0,3", ATTN_WEIGHT_KIND_ATTENTION, examples), ==, "0,3");
    /* ALTI with heads 0 and 1 */
    g_ptr_array_add (examples, attn_document_get_example (full, 0));
    g_assert_cmpstr (attn_heads_for_examples ("1", ATTN_WEIGHT_KIND_ALTI, examples), ==, "1");
    /* an example of attention alone among examples of ALTI without heads
     * (left out of the evaluation) */
    g_ptr_array_set_size (examples, 1);
    g_ptr_array_add (examples, attn_document_get_example (plain, 0));
    g_assert_cmpstr (attn_heads_for_examples ("0,3", ATTN_WEIGHT_KIND_ALTI, examples), ==, "all");
    /* none carries ALTI: their attention, which has heads */
    g_ptr_array_remove_index (examples, 0);
    g_assert_cmpstr (attn_heads_for_examples ("1", ATTN_WEIGHT_KIND_ALTI, examples), ==, "1");
    g_ptr_array_set_size (examples, 0);
    g_assert_cmpstr (attn_heads_for_examples ("0,3", ATTN_WEIGHT_KIND_ALTI, examples), ==, "0,3");
  }

  /* the graph itself, and the attention, which has heads, as before */
  options.weights = ATTN_WEIGHT_KIND_ALTI;
  options.heads = one;
  options.n_heads = 1;
  g_assert_null (attn_graph_new (example, &options, NULL, &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Example “author-his”: its “alti” weights have no heads (they were "
                   "given as [L][n][n]), so head 1 does not exist: use all heads");
  g_clear_error (&error);
  options.weights = ATTN_WEIGHT_KIND_ATTENTION;
  g_autoptr(AttnGraph) graph = attn_graph_new (example, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (graph);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attn/core/weights/graphs", test_weights_graphs);
  g_test_add_func ("/attn/core/weights/residual-ignored", test_weights_residual_ignored);
  g_test_add_func ("/attn/core/weights/settings", test_weights_settings);
  g_test_add_func ("/attn/core/weights/errors", test_weights_errors);
  g_test_add_func ("/attn/core/weights/headless", test_weights_headless);

  return g_test_run ();
}
