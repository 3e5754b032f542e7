/* test-fastpaths.c: the fast paths give exactly what the plain definitions give
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The blocked, zero-skipping product in attn_rollout_matrices() against the
 * textbook triple loop (bit for bit: the additions happen in the same order),
 * and the bit-moving float16 conversion against ldexp for all 65536 halves. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "attn-core.h"
#include "attn-example-private.h"

static double
next_uniform (guint64 *state)
{
  *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double) (*state >> 11) / 9007199254740992.;
}

/* Row-stochastic matrices with exact zeros; causal ones are lower triangular. */
static double *
random_mixed (guint    L,
              guint    n,
              gboolean causal,
              guint64  seed)
{
  double *w = g_new0 (double, (gsize) L * n * n);
  guint64 state = seed;

  for (gsize r = 0; r < (gsize) L * n; r++)
    {
      double *row = w + r * n;
      guint q = r % n;
      double sum = 0.;

      for (guint k = 0; k < n; k++)
        {
          double u = next_uniform (&state);

          row[k] = (causal && k > q) || u < 0.3 ? 0. : exp (3. * u);
          sum += row[k];
        }
      if (sum == 0.)
        {
          row[q] = 1.;
          sum = 1.;
        }
      for (guint k = 0; k < n; k++)
        row[k] /= sum;
    }
  return w;
}

static void
check_matrices (guint    L,
                guint    n,
                gboolean causal,
                double   residual)
{
  g_autofree double *mixed = random_mixed (L, n, causal, 1000 * n + L);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnGraph) graph = attn_graph_new_from_matrices (L, n, mixed, residual, &error);
  gsize nn = (gsize) n * n;
  g_autofree double *fast = g_new (double, L * nn);
  g_autofree double *plain = g_new (double, L * nn);

  g_assert_no_error (error);
  g_assert_true (attn_rollout_matrices (graph, fast, NULL, &error));
  g_assert_no_error (error);

  /* R_1 = Â_1, R_l[q][k] = Σ_j Â_l[q][j] R_{l-1}[j][k], j ascending. */
  memcpy (plain, attn_graph_get_augmented (graph, 1), nn * sizeof (double));
  for (guint l = 2; l <= L; l++)
    {
      const double *a = attn_graph_get_augmented (graph, l);
      const double *prev = plain + (l - 2) * nn;
      double *r = plain + (l - 1) * nn;

      for (guint q = 0; q < n; q++)
        for (guint k = 0; k < n; k++)
          {
            double sum = 0.;

            for (guint j = 0; j < n; j++)
              sum += a[(gsize) q * n + j] * prev[(gsize) j * n + k];
            r[(gsize) q * n + k] = sum;
          }
    }

  g_assert_cmpmem (fast, L * nn * sizeof (double), plain, L * nn * sizeof (double));

  /* A causal model's rollout stays causal. */
  if (causal)
    for (gsize i = 0; i < L * nn; i++)
      if (i % n > (i / n) % n)
        g_assert_cmpfloat (fast[i], ==, 0.);
}

static void
test_rollout_matrices_blocked (void)
{
  /* Sizes below, at and across the 16-row blocks and 256-column bands. */
  static const guint sizes[] = { 1, 2, 15, 16, 17, 255, 257, 300 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      check_matrices (3, sizes[i], FALSE, 0.5);
      check_matrices (3, sizes[i], TRUE, 0.5);
    }
  /* Without the residual, zeros stay zeros: whole rows and bands of them. */
  check_matrices (4, 40, TRUE, 0.);
  check_matrices (4, 40, FALSE, 0.);
}

static void
test_rollout_matrices_cancel (void)
{
  g_autofree double *mixed = random_mixed (3, 64, FALSE, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnGraph) graph = attn_graph_new_from_matrices (3, 64, mixed, 0.5, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree double *out = g_new (double, 3 * 64 * 64);

  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  g_assert_false (attn_rollout_matrices (graph, out, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

typedef struct
{
  double *out;       /* L·n·n */
  gsize   nn;
  guint   next;      /* the layer expected next */
} Collected;

static void
collect_layer_cb (guint         layer,
                  const double *matrix,
                  gpointer      user_data)
{
  Collected *c = user_data;

  g_assert_cmpuint (layer, ==, c->next);
  c->next++;
  memcpy (c->out + (layer - 1) * c->nn, matrix, c->nn * sizeof (double));
}

/* The matrices one layer at a time (on every processor from n = 216 on),
 * from the first layer or going on from one reported before: the numbers
 * of attn_rollout_matrices(), bit for bit */
static void
test_rollout_layers (void)
{
  static const guint sizes[] = { 17, 257 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint L = 5, n = sizes[i];
      gsize nn = (gsize) n * n;
      g_autofree double *mixed = random_mixed (L, n, i == 1, 77 + n);
      g_autoptr(GError) error = NULL;
      g_autoptr(AttnGraph) graph = attn_graph_new_from_matrices (L, n, mixed, 0.5, &error);
      g_autofree double *whole = g_new (double, L * nn);
      g_autofree double *layers = g_new0 (double, L * nn);
      Collected c = { layers, nn, 1 };

      g_assert_no_error (error);
      g_assert_true (attn_rollout_matrices (graph, whole, NULL, &error));
      g_assert_true (attn_rollout_layers (graph, 1, L, NULL, collect_layer_cb, &c, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (c.next, ==, L + 1);
      g_assert_cmpmem (layers, L * nn * sizeof (double), whole, L * nn * sizeof (double));

      /* going on from R_2, or computing it again */
      memset (layers, 0, L * nn * sizeof (double));
      c.next = 3;
      g_assert_true (attn_rollout_layers (graph, 3, L, whole + nn, collect_layer_cb, &c, NULL, &error));
      g_assert_cmpmem (layers + 2 * nn, (L - 2) * nn * sizeof (double), whole + 2 * nn,
                       (L - 2) * nn * sizeof (double));
      c.next = 2;
      g_assert_true (attn_rollout_layers (graph, 2, 4, NULL, collect_layer_cb, &c, NULL, &error));
      g_assert_cmpuint (c.next, ==, 5);
      g_assert_cmpmem (layers + nn, 3 * nn * sizeof (double), whole + nn, 3 * nn * sizeof (double));
    }
}

static double
half_by_ldexp (guint16 h)
{
  guint sign = h >> 15;
  guint exponent = (h >> 10) & 0x1f;
  guint mantissa = h & 0x3ff;
  double value;

  if (exponent == 0)
    value = ldexp ((double) mantissa, -24);
  else if (exponent == 31)
    value = mantissa ? NAN : INFINITY;
  else
    value = ldexp ((double) (mantissa | 0x400), (int) exponent - 25);
  return sign ? -value : value;
}

static void
test_half_exhaustive (void)
{
  for (guint h = 0; h <= G_MAXUINT16; h++)
    {
      double fast = _attn_half_to_double ((guint16) h);
      double plain = half_by_ldexp ((guint16) h);

      if (isnan (plain))
        g_assert_true (isnan (fast));
      else
        {
          g_assert_cmpfloat (fast, ==, plain);
          g_assert_cmpint (!!signbit (fast), ==, !!signbit (plain));
        }
    }
  g_assert_cmpfloat (_attn_half_to_double (0x3c00), ==, 1.);
  g_assert_cmpfloat (_attn_half_to_double (0x0001), ==, ldexp (1., -24));
  g_assert_cmpfloat (_attn_half_to_double (0x7bff), ==, 65504.);
}

/* attn_rollout_rows (): a block of rows top-down, with the zero spans
 * skipped and on several threads for large blocks, gives each row exactly
 * as attn_rollout_node () does; a cancelled call gives an error. */
static void
test_rollout_rows (void)
{
  for (guint trial = 0; trial < 3; trial++)
    {
      guint L = 12, n = trial == 0 ? 300 : 70;
      g_autofree double *mixed = random_mixed (L, n, trial != 1, 77 + trial);
      g_autoptr(GError) error = NULL;
      g_autoptr(AttnGraph) graph = attn_graph_new_from_matrices (L, n, mixed, 0.5, &error);
      g_autofree double *rows = g_new (double, (gsize) n * n);
      g_autofree double *node = g_new (double, n);
      static const guint counts[] = { 1, 7, 64 };

      g_assert_no_error (error);
      for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
        for (guint layer = 1; layer <= L; layer += 5)
          {
            guint first = n - counts[c] - 3 * c;

            g_assert_true (attn_rollout_rows (graph, layer, first, counts[c], rows, NULL, &error));
            g_assert_no_error (error);
            for (guint i = 0; i < counts[c]; i++)
              {
                g_assert_true (attn_rollout_node (graph, layer, first + i, node, NULL, &error));
                g_assert_cmpmem (rows + (gsize) i * n, n * sizeof (double), node, n * sizeof (double));
              }
          }
      g_assert_false (attn_rollout_rows (graph, L, n - 1, 2, rows, NULL, &error));
      g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
      g_clear_error (&error);
      {
        g_autoptr(GCancellable) cancellable = g_cancellable_new ();

        g_cancellable_cancel (cancellable);
        g_assert_false (attn_rollout_rows (graph, L, 0, 8, rows, cancellable, &error));
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      }
    }
}

/* A document of one example: @L layers, @H heads, @n tokens of float32
 * attention (base64, little-endian as the format) holding @values. */
static AttnDocument *
float32_document (guint         L,
                  guint         H,
                  guint         n,
                  const float  *values,
                  GError      **error)
{
  gsize count = (gsize) L * H * n * n;
  g_autofree guint32 *le = g_new (guint32, count);
  g_autofree char *encoded = NULL;
  g_autoptr(GString) json = g_string_new ("{\"tokens\": [");

  for (gsize i = 0; i < count; i++)
    {
      guint32 bits;

      memcpy (&bits, values + i, sizeof bits);
      le[i] = GUINT32_TO_LE (bits);
    }
  encoded = g_base64_encode ((const guchar *) le, count * sizeof (guint32));
  for (guint k = 0; k < n; k++)
    g_string_append_printf (json, "%s\"t%u\"", k > 0 ? ", " : "", k);
  g_string_append_printf (json, "], \"attention\": {\"dtype\": \"float32\", "
                          "\"shape\": [%u, %u, %u, %u], \"base64\": \"%s\"}}", L, H, n, n, encoded);
  return attn_document_load_from_data (json->str, json->len, NULL, NULL, error);
}

/* Rows of random values summing to 1 in float32; every seventh row (from
 * the fourth) sums to 1.01 instead, so that the loader renormalises it. */
static float *
random_float32_rows (gsize    n_rows,
                     guint    n,
                     guint64  seed)
{
  float *values = g_new (float, n_rows * n);

  for (gsize r = 0; r < n_rows; r++)
    {
      float *row = values + r * n;
      double sum = 0.;

      for (guint k = 0; k < n; k++)
        sum += row[k] = (float) next_uniform (&seed);
      for (guint k = 0; k < n; k++)
        row[k] = (float) (row[k] / sum * (r % 7 == 3 ? 1.01 : 1.));
    }
  return values;
}

/* The graph's head mixing adds each head's float32 row where it is stored
 * (attn_example_add_row ()): W and Â are bit for bit what reading each row
 * (renormalised ones too) and adding them in head order gives. n = 37 has a
 * tail after the vectors. */
static void
test_head_mix_float32 (void)
{
  const guint L = 2, H = 5, n = 37;
  g_autofree float *values = random_float32_rows ((gsize) L * H * n, n, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = float32_document (L, H, n, values, &error);
  g_autofree double *mixed = g_new0 (double, (gsize) L * n * n);
  g_autofree double *row = g_new (double, n);
  g_autoptr(AttnGraph) graph = NULL;
  g_autoptr(AttnGraph) reference = NULL;
  AttnExample *example;

  g_assert_no_error (error);
  example = attn_document_get_example (document, 0);
  for (guint layer = 1; layer <= L; layer++)
    for (guint q = 0; q < n; q++)
      {
        double *out = mixed + ((gsize) (layer - 1) * n + q) * n;

        for (guint h = 0; h < H; h++)
          {
            attn_example_read_row (example, layer, h, q, row);
            for (guint k = 0; k < n; k++)
              out[k] = h == 0 ? row[k] : out[k] + row[k];
          }
        for (guint k = 0; k < n; k++)
          out[k] /= H;
      }
  /* the renormalised rows are read renormalised */
  attn_example_read_row (example, 1, 0, 3, row);
  g_assert_cmpfloat_with_epsilon (row[0], values[3 * n] / 1.01, 1e-8);

  graph = attn_graph_new (example, NULL, NULL, &error);
  g_assert_no_error (error);
  reference = attn_graph_new_from_matrices (L, n, mixed, 0.5, &error);
  g_assert_no_error (error);
  for (guint layer = 1; layer <= L; layer++)
    {
      for (guint q = 0; q < n; q++)
        {
          attn_graph_read_mixed_row (graph, layer, q, row);
          g_assert_cmpmem (row, n * sizeof (double),
                           mixed + ((gsize) (layer - 1) * n + q) * n, n * sizeof (double));
        }
      g_assert_cmpmem (attn_graph_get_augmented (graph, layer), (gsize) n * n * sizeof (double),
                       attn_graph_get_augmented (reference, layer), (gsize) n * n * sizeof (double));
    }
}

/* The checks read float32 rows where they are stored: a bad value in a
 * vector lane or in the tail is found, and named by its row and column;
 * rows off by more than 1e-3 are renormalised, the others not. */
static void
test_check_float32 (void)
{
  const guint L = 2, H = 3, n = 21;
  static const struct { guint column; float value; const char *shown; } bad[] = {
    { 2, -0.25f, "-0.25" }, { 13, INFINITY, "Infinity" }, { 20, NAN, "NaN" },
  };

  for (guint b = 0; b < G_N_ELEMENTS (bad); b++)
    {
      g_autofree float *values = random_float32_rows ((gsize) L * H * n, n, 9 + b);
      g_autoptr(GError) error = NULL;
      g_autoptr(AttnDocument) document = NULL;
      g_autofree char *expected = NULL;

      /* layer 2, head 1, row 4 */
      values[(((gsize) 1 * H + 1) * n + 4) * n + bad[b].column] = bad[b].value;
      document = float32_document (L, H, n, values, &error);
      g_assert_null (document);
      g_assert_error (error, ATTN_ERROR, ATTN_ERROR_VALUE);
      expected = g_strdup_printf ("layer 2, head 1, row 4, column %u holds %s;", bad[b].column,
                                  bad[b].shown);
      g_assert_nonnull (strstr (error->message, expected));
    }

  {
    g_autofree float *values = random_float32_rows ((gsize) L * H * n, n, 3);
    g_autoptr(GError) error = NULL;
    g_autoptr(AttnDocument) document = float32_document (L, H, n, values, &error);
    g_autofree double *row = g_new (double, n);
    AttnExample *example;

    g_assert_no_error (error);
    example = attn_document_get_example (document, 0);
    for (gsize r = 0; r < (gsize) L * H * n; r++)
      {
        guint layer = (guint) (r / ((gsize) H * n)) + 1, head = (guint) (r / n % H);
        double sum = 0.;

        attn_example_read_row (example, layer, head, (guint) (r % n), row);
        for (guint k = 0; k < n; k++)
          sum += row[k];
        if (r % 7 == 3)
          g_assert_cmpfloat_with_epsilon (sum, 1., 1e-12);
        else
          for (guint k = 0; k < n; k++)
            g_assert_cmpfloat (row[k], ==, values[r * n + k]);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attn/core/fastpaths/rollout-matrices-blocked", test_rollout_matrices_blocked);
  g_test_add_func ("/attn/core/fastpaths/rollout-matrices-cancel", test_rollout_matrices_cancel);
  g_test_add_func ("/attn/core/fastpaths/rollout-rows", test_rollout_rows);
  g_test_add_func ("/attn/core/fastpaths/rollout-layers", test_rollout_layers);
  g_test_add_func ("/attn/core/fastpaths/float16-exhaustive", test_half_exhaustive);
  g_test_add_func ("/attn/core/fastpaths/head-mix-float32", test_head_mix_float32);
  g_test_add_func ("/attn/core/fastpaths/check-float32", test_check_float32);

  return g_test_run ();
}
