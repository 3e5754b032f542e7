/* test-loader.c: the attention export loader (README, "The attention export")
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef G_OS_UNIX
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "attn-core.h"
#include "attn-document-private.h"
#include "attn-example-private.h"
#include "attn-test-util.h"

/* tests/data/loader/ is written by tests/generators/make-test-fixtures.py: the same
 * 2 x 3 x 4 x 4 tensor in every encoding, with values k/64 (exact in float16). */
#define TINY_L 2
#define TINY_H 3
#define TINY_N 4

static double
tiny_value (guint layer,
            guint head,
            guint query,
            guint key)
{
  guint w[TINY_N], units[TINY_N], sum = 0, total = 0;

  for (guint k = 0; k < TINY_N; k++)
    {
      w[k] = 1 + ((layer - 1) + 2 * head + 3 * query + 5 * k) % 7;
      sum += w[k];
    }
  for (guint k = 0; k < TINY_N; k++)
    {
      units[k] = 64 * w[k] / sum;
      total += units[k];
    }
  units[TINY_N - 1] += 64 - total;

  return units[key] / 64.;
}

static AttnDocument *
load_test_file (const char *first,
                ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  AttnDocument *document;
  va_list args;

  g_ptr_array_add (parts, (gpointer) g_test_get_dir (G_TEST_DIST));
  g_ptr_array_add (parts, (gpointer) first);
  va_start (args, first);
  for (const char *p = va_arg (args, const char *); p != NULL; p = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  va_end (args);
  g_ptr_array_add (parts, NULL);

  path = g_build_filenamev ((char **) parts->pdata);
  document = attn_document_load (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (document);
  g_assert_cmpstr (attn_document_get_path (document), ==, path);
  return document;
}

/* Every value of @example equals the tiny tensor (head 0 only when head-mixed). */
static void
assert_tiny (AttnExample *example,
             gboolean     head_mixed)
{
  double row[TINY_N];

  g_assert_cmpuint (attn_example_get_n_tokens (example), ==, TINY_N);
  g_assert_cmpuint (attn_example_get_n_layers (example), ==, TINY_L);
  g_assert_cmpuint (attn_example_get_n_heads (example), ==, head_mixed ? 1 : TINY_H);
  g_assert_cmpint (attn_example_get_head_mixed (example), ==, head_mixed);
  g_assert_cmpstr (attn_example_get_token (example, 0), ==, "[CLS]");
  g_assert_cmpstr (attn_example_get_token (example, 2), ==, "cat");
  g_assert_null (attn_example_get_tokens (example)[TINY_N]);

  for (guint l = 1; l <= TINY_L; l++)
    for (guint h = 0; h < attn_example_get_n_heads (example); h++)
      for (guint q = 0; q < TINY_N; q++)
        {
          attn_example_read_row (example, l, h, q, row);
          for (guint k = 0; k < TINY_N; k++)
            {
              g_assert_cmpfloat (row[k], ==, tiny_value (l, h, q, k));
              g_assert_cmpfloat (attn_example_get_attention (example, l, h, q, k), ==,
                                 tiny_value (l, h, q, k));
            }
        }
}

static void
test_loader_nested_single (void)
{
  g_autoptr(AttnDocument) document = load_test_file ("data", "loader", "tiny-nested.json", NULL);
  AttnExample *example;
  const AttnCandidate *candidate;
  const double *blankout, *gradient;

  g_assert_cmpuint (attn_document_get_n_examples (document), ==, 1);
  g_assert_null (attn_document_get_warnings (document)[0]);
  g_assert_cmpstr (attn_document_get_model (document), ==, "tiny-model");

  example = attn_document_get_example (document, 0);
  assert_tiny (example, FALSE);
  g_assert_cmpint (attn_example_get_dtype (example), ==, ATTN_DTYPE_FLOAT64);
  g_assert_cmpstr (attn_example_get_id (example), ==, "tiny");
  g_assert_cmpstr (attn_example_get_label (example), ==, "tiny");
  g_assert_cmpstr (attn_example_get_text (example), ==, "the cat");
  g_assert_cmpstr (attn_example_get_model (example), ==, "tiny-model");
  g_assert_cmpuint (attn_example_get_index (example), ==, 0);
  g_assert_cmpuint (attn_example_get_focus (example), ==, 2);

  g_assert_cmpstr (attn_example_get_prediction_label (example), ==, "cat");
  g_assert_cmpuint (attn_example_get_n_candidates (example), ==, 2);
  candidate = attn_example_get_candidate (example, 1);
  g_assert_cmpstr (candidate->label, ==, "dog");
  g_assert_cmpfloat (candidate->probability, ==, 0.25);

  g_assert_cmpuint (attn_example_get_n_references (example), ==, 2);
  g_assert_cmpstr (attn_example_get_reference_name (example, 0), ==, "blankout");
  g_assert_cmpstr (attn_example_get_reference_name (example, 1), ==, "gradient");
  blankout = attn_example_get_reference (example, "blankout");
  gradient = attn_example_get_reference (example, "gradient");
  g_assert_nonnull (blankout);
  g_assert_cmpfloat (blankout[1], ==, -0.25);
  g_assert_cmpfloat (blankout[2], ==, 1.0);
  g_assert_cmpfloat (gradient[3], ==, 4.0);
  g_assert_null (attn_example_get_reference (example, "nope"));

  g_assert_true (attn_document_find_example (document, "tiny", NULL) == example);
  g_assert_true (attn_document_find_example (document, "0", NULL) == example);
}

static void
test_loader_multi_base64 (void)
{
  g_autoptr(AttnDocument) document = load_test_file ("data", "loader", "tiny-multi.json", NULL);
  static const struct
  {
    const char *id;
    gboolean    mixed;
    AttnDtype   dtype;
  } expected[] = {
    { "nested", FALSE, ATTN_DTYPE_FLOAT64 },
    { "mixed", TRUE, ATTN_DTYPE_FLOAT64 },
    { "b64-f16", FALSE, ATTN_DTYPE_FLOAT16 },
    { "b64-f32", FALSE, ATTN_DTYPE_FLOAT32 },
    { "b64-f64", FALSE, ATTN_DTYPE_FLOAT64 },
    { "b64-mixed-f32", TRUE, ATTN_DTYPE_FLOAT32 },
  };

  g_assert_cmpstr (attn_document_get_model (document), ==, "tiny-model");
  g_assert_cmpuint (attn_document_get_n_examples (document), ==, G_N_ELEMENTS (expected));
  g_assert_null (attn_document_get_warnings (document)[0]);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      AttnExample *example = attn_document_get_example (document, i);

      g_test_message ("example %s", expected[i].id);
      g_assert_cmpstr (attn_example_get_id (example), ==, expected[i].id);
      g_assert_cmpuint (attn_example_get_index (example), ==, i);
      g_assert_cmpint (attn_example_get_dtype (example), ==, expected[i].dtype);
      /* the file's model: the examples name none of their own */
      g_assert_cmpstr (attn_example_get_model (example), ==, "tiny-model");
      g_assert_cmpstr (attn_example_get_file_name (example), ==, "tiny-multi.json");
      g_assert_cmpuint (attn_example_get_n_candidates (example), ==, 0);
      g_assert_cmpuint (attn_example_get_n_references (example), ==, 0);
      assert_tiny (example, expected[i].mixed);
    }

  g_assert_cmpuint (attn_example_get_focus (attn_document_get_example (document, 1)), ==, 3);
  g_assert_cmpuint (attn_example_get_focus (attn_document_get_example (document, 0)), ==, 0);
}

static void
test_loader_npy (void)
{
  g_autoptr(AttnDocument) document = load_test_file ("data", "loader", "tiny-npy.json", NULL);
  static const AttnDtype dtypes[] = { ATTN_DTYPE_FLOAT16, ATTN_DTYPE_FLOAT32, ATTN_DTYPE_FLOAT64 };

  /* v1, v2, v3 x f2, f4, f8, then a head-mixed one */
  g_assert_cmpuint (attn_document_get_n_examples (document), ==, 10);
  for (guint i = 0; i < 9; i++)
    {
      AttnExample *example = attn_document_get_example (document, i);
      g_autofree char *id = g_strdup_printf ("npy-v%u-f%u", i / 3 + 1, 2u << (i % 3));

      g_assert_cmpstr (attn_example_get_id (example), ==, id);
      g_assert_cmpint (attn_example_get_dtype (example), ==, dtypes[i % 3]);
      assert_tiny (example, FALSE);
    }
  assert_tiny (attn_document_get_example (document, 9), TRUE);
}

static void
test_loader_npy_needs_folder (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "loader", "tiny-npy.json",
                                                 NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

  document = attn_document_load_from_data (contents, length, NULL, NULL, &error);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "tiny-v1-f2.npy"));
  g_assert_null (document);
  g_clear_error (&error);

  document = attn_document_load_from_data (contents, length, folder, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (attn_document_get_path (document));
  assert_tiny (attn_document_get_example (document, 4), FALSE);
}

static void
test_loader_renormalise (void)
{
  g_autoptr(AttnDocument) document = load_test_file ("data", "loader", "renormalise.json", NULL);
  const char * const *warnings = attn_document_get_warnings (document);

  /* one warning for the file, naming the first example and counting the other */
  g_assert_nonnull (warnings[0]);
  g_assert_null (warnings[1]);
  g_assert_nonnull (strstr (warnings[0], "“double”"));
  g_assert_nonnull (strstr (warnings[0], "24 attention rows"));
  g_assert_nonnull (strstr (warnings[0], "1 more example"));

  /* rows summing to 2 and to 0.5 read back as the tiny tensor */
  assert_tiny (attn_document_get_example (document, 0), FALSE);
  assert_tiny (attn_document_get_example (document, 1), FALSE);
  assert_tiny (attn_document_get_example (document, 2), FALSE);
}

/* Members that look like misspelt fields are ignored, as every member the
 * loader does not read, but said: once per name, counting the examples;
 * other names are not */
static void
test_loader_misspelt (void)
{
  const char *text =
    "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
    "{\"id\": \"a\", \"tokens\": [\"x\", \"y\"], \"attention\": [[[[0.5, 0.5], [0.5, 0.5]]]],"
    " \"focuss\": 1, \"Text\": \"x y\", \"notes\": \"kept\", \"layer_norm\": 1},"
    "{\"id\": \"b\", \"tokens\": [\"x\", \"y\"], \"attention\": [[[[0.5, 0.5], [0.5, 0.5]]]],"
    " \"focuss\": 1}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = attn_document_load_from_data (text, strlen (text), NULL, NULL, &error);
  const char * const *warnings;

  g_assert_no_error (error);
  warnings = attn_document_get_warnings (document);
  g_assert_cmpstr (warnings[0], ==, "Example “a” and 1 more: “focuss” is not a field attnflow "
                                    "reads, and was ignored: did you mean “focus”?");
  g_assert_cmpstr (warnings[1], ==, "Example “a”: “Text” is not a field attnflow reads, and was "
                                    "ignored: did you mean “text”?");
  g_assert_null (warnings[2]);
  g_assert_cmpuint (attn_example_get_focus (attn_document_get_example (document, 0)), ==, 0);
  g_assert_null (attn_example_get_text (attn_document_get_example (document, 0)));
}

/* The document of @text, whose one warning is @warning */
static AttnDocument *
load_with_warning (const char *text,
                   const char *warning)
{
  g_autoptr(GError) error = NULL;
  AttnDocument *document = attn_document_load_from_data (text, strlen (text), NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (attn_document_get_warnings (document)[0], ==, warning);
  g_assert_null (attn_document_get_warnings (document)[1]);
  return document;
}

/* A `contributions_target` names what the gradient of attn-grad was taken
 * for: of examples without attn-grad it is left out, with one warning per
 * file (`attnflow-cli info` listed it as their attn-grad target) */
static void
test_loader_stray_target (void)
{
  const char *text =
    "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
    "{\"id\": \"a\", \"tokens\": [\"x\", \"y\"], \"attention\": [[[[0.5, 0.5], [0.5, 0.5]]]],"
    " \"contributions_target\": \"logit of y\"},"
    "{\"id\": \"b\", \"tokens\": [\"x\", \"y\"], \"attention\": [[[[0.5, 0.5], [0.5, 0.5]]]],"
    " \"contributions\": {\"alti\": [[[0.5, 0.5], [0.5, 0.5]]]}, \"contributions_target\": \"t\"},"
    "{\"id\": \"c\", \"tokens\": [\"x\", \"y\"], \"attention\": [[[[0.5, 0.5], [0.5, 0.5]]]],"
    " \"contributions\": {\"attn-grad\": [[[0.5, 0.5], [0.5, 0.5]]]}, \"contributions_target\": \"kept\"}]}";
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(AttnDocument) single = NULL;

  document = load_with_warning (text, "Example “a” and 1 more: “contributions_target” was ignored: it "
                                "names what the gradient of attn-grad contributions was taken for, "
                                "and the examples have none");
  g_assert_null (attn_example_get_contributions_target (attn_document_get_example (document, 0)));
  g_assert_null (attn_example_get_contributions_target (attn_document_get_example (document, 1)));
  g_assert_cmpstr (attn_example_get_contributions_target (attn_document_get_example (document, 2)), ==,
                   "kept");
  single = load_with_warning ("{\"id\": \"d\", \"tokens\": [\"x\"], \"attention\": [[[1]]], "
                              "\"contributions_target\": \"t\"}",
                              "Example “d”: “contributions_target” was ignored: it names what the "
                              "gradient of attn-grad contributions was taken for, and the example "
                              "has none");
  g_assert_null (attn_example_get_contributions_target (attn_document_get_example (single, 0)));
}

static void
test_loader_long_strings (void)
{
  g_autoptr(AttnDocument) document = load_test_file ("data", "loader", "long-base64.json", NULL);
  AttnExample *example = attn_document_get_example (document, 0);
  const char *text = attn_example_get_text (example);

  /* a long base64-looking text field stays text */
  g_assert_cmpuint (strlen (text), ==, 1600);
  for (guint i = 0; i < 1600; i += 4)
    g_assert_cmpint (memcmp (text + i, "QUJD", 4), ==, 0);

  g_assert_cmpuint (attn_example_get_n_tokens (example), ==, 40);
  g_assert_cmpuint (attn_example_get_n_heads (example), ==, 2);
  g_assert_cmpfloat (attn_example_get_attention (example, 1, 0, 7, 3), ==, 1. / 40);
  g_assert_cmpfloat (attn_example_get_attention (example, 1, 1, 7, 7), ==, 1.);
  g_assert_cmpfloat (attn_example_get_attention (example, 1, 1, 7, 3), ==, 0.);
}

/* Strings longer than the loader's 4 MiB scanning chunk, from a mapped file: a
 * 6.5 MB base64 payload (an identity matrix, n = 1100) and a 5 MB text with
 * escaped quotes on both sides of a chunk boundary. */
static void
test_loader_long_strings_chunked (void)
{
  const guint n = 1100;
  const gsize text_length = 5 * 1024 * 1024;
  g_autofree float *identity = g_new0 (float, (gsize) n * n);
  g_autofree char *encoded = NULL;
  g_autofree char *long_text = g_malloc (text_length + 1);
  g_autoptr(GString) json = g_string_new ("{\"id\": \"big\", \"tokens\": [");
  g_autofree char *folder = g_dir_make_tmp ("attnflow-loader-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "big.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = NULL;
  AttnExample *example;
  const char *text;

  for (guint i = 0; i < n; i++)
    {
      identity[(gsize) i * n + i] = 1.f; /* little-endian hosts only, as the format */
      g_string_append_printf (json, "%s\"t%u\"", i ? ", " : "", i);
    }
#if G_BYTE_ORDER == G_BIG_ENDIAN
  g_test_skip ("the payload is written in host order");
  return;
#endif
  encoded = g_base64_encode ((const guchar *) identity, (gsize) n * n * sizeof (float));

  /* aaaa...\"aaaa (at 3 MiB, and just past 4 MiB) */
  memset (long_text, 'a', text_length);
  long_text[text_length] = '\0';
  long_text[3 * 1024 * 1024] = '\\';
  long_text[3 * 1024 * 1024 + 1] = '"';
  long_text[4 * 1024 * 1024 + 100] = '\\';
  long_text[4 * 1024 * 1024 + 101] = '"';

  g_string_append_printf (json, "], \"text\": \"%s\", \"attention\": {\"dtype\": \"float32\", "
                          "\"shape\": [1, 1, %u, %u], \"base64\": \"%s\"}}\n",
                          long_text, n, n, encoded);
  g_assert_true (g_file_set_contents (path, json->str, (gssize) json->len, NULL));

  document = attn_document_load (path, NULL, &error);
  g_assert_no_error (error);
  example = attn_document_get_example (document, 0);
  g_assert_cmpuint (attn_example_get_n_tokens (example), ==, n);
  g_assert_cmpint (attn_example_get_dtype (example), ==, ATTN_DTYPE_FLOAT32);
  for (guint q = 0; q < n; q += 97)
    {
      g_assert_cmpfloat (attn_example_get_attention (example, 1, 0, q, q), ==, 1.);
      g_assert_cmpfloat (attn_example_get_attention (example, 1, 0, q, (q + 1) % n), ==, 0.);
    }
  g_assert_cmpfloat (attn_example_get_attention (example, 1, 0, n - 1, n - 1), ==, 1.);

  text = attn_example_get_text (example);
  g_assert_cmpuint (strlen (text), ==, text_length - 2);
  g_assert_cmpint (text[3 * 1024 * 1024], ==, '"');
  g_assert_cmpint (text[3 * 1024 * 1024 + 1], ==, 'a');
  g_assert_cmpint (text[4 * 1024 * 1024 + 99], ==, '"');

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (folder), ==, 0);
}

/* Values read from the JSON files with Python (json + numpy). */
static void
test_loader_real_bert (void)
{
  g_autoptr(AttnDocument) document = load_test_file ("..", "data", "examples",
                                                     "bert-base-uncased.json", NULL);
  AttnExample *cat, *rabbit;

  g_assert_cmpuint (attn_document_get_n_examples (document), ==, 2);
  cat = attn_document_get_example (document, 0);
  rabbit = attn_document_get_example (document, 1);
  g_assert_cmpstr (attn_example_get_id (cat), ==, "cat-mat");
  g_assert_cmpstr (attn_example_get_id (rabbit), ==, "rabbit-turtle");
  g_assert_cmpuint (attn_example_get_n_tokens (cat), ==, 15);
  g_assert_cmpuint (attn_example_get_n_layers (cat), ==, 12);
  g_assert_cmpuint (attn_example_get_n_heads (cat), ==, 12);
  g_assert_cmpuint (attn_example_get_n_tokens (rabbit), ==, 11);
  g_assert_cmpstr (attn_example_get_token (cat, 0), ==, "[CLS]");
  g_assert_cmpfloat (attn_example_get_attention (cat, 1, 0, 0, 0), ==, 0.03857874870300293);
  g_assert_cmpfloat (attn_example_get_attention (cat, 12, 11, 14, 0), ==, 0.0011180443689227104);
  g_assert_cmpfloat (attn_example_get_attention (rabbit, 1, 0, 0, 0), ==, 0.05846945941448212);
  g_assert_cmpfloat (attn_example_get_attention (rabbit, 12, 11, 10, 0), ==, 0.001295413007028401);
}

static void
test_loader_real_sst2 (void)
{
  g_autoptr(AttnDocument) document = load_test_file ("..", "data", "examples", "sst2-bert.json",
                                                     NULL);
  AttnExample *example;
  const double *gradient;

  g_assert_cmpuint (attn_document_get_n_examples (document), ==, 5);
  /* rows are within 1e-3 of 1 (at most 5e-4 off): no renormalisation */
  g_assert_null (attn_document_get_warnings (document)[0]);

  example = attn_document_find_example (document, "sst2-1125", NULL);
  g_assert_nonnull (example);
  g_assert_cmpuint (attn_example_get_index (example), ==, 1);
  g_assert_cmpint (attn_example_get_dtype (example), ==, ATTN_DTYPE_FLOAT32);
  g_assert_cmpuint (attn_example_get_n_tokens (example), ==, 23);
  g_assert_cmpuint (attn_example_get_n_layers (example), ==, 12);
  g_assert_cmpuint (attn_example_get_n_heads (example), ==, 12);
  g_assert_cmpfloat (attn_example_get_attention (example, 1, 0, 0, 0), ==, 0.030300000682473183);
  g_assert_cmpfloat (attn_example_get_attention (example, 12, 11, 22, 0), ==, 0.17139999568462372);
  g_assert_cmpstr (attn_example_get_prediction_label (example), ==, "positive");
  g_assert_cmpuint (attn_example_get_n_candidates (example), ==, 2);
  g_assert_cmpfloat (attn_example_get_candidate (example, 1)->probability, ==, 0.6272673606872559);
  gradient = attn_example_get_reference (example, "gradient");
  g_assert_nonnull (gradient);
  g_assert_cmpfloat (gradient[0], ==, 8.671110153198242);
  g_assert_cmpfloat (gradient[1], ==, 2.1611502170562744);

  example = attn_document_get_example (document, 4);
  g_assert_cmpstr (attn_example_get_id (example), ==, "sst2-0825");
  g_assert_cmpuint (attn_example_get_n_tokens (example), ==, 24);
  g_assert_cmpfloat (attn_example_get_attention (example, 1, 0, 0, 0), ==, 0.0357000008225441);
  g_assert_cmpfloat (attn_example_get_attention (example, 12, 11, 23, 0), ==, 0.028999999165534973);
}

static void
test_loader_real_gpt2 (void)
{
  g_autoptr(AttnDocument) document = load_test_file ("data", "gpt2.json", NULL);
  AttnExample *example = attn_document_get_example (document, 0);

  g_assert_cmpstr (attn_document_get_model (document), ==, "gpt2");
  g_assert_cmpstr (attn_example_get_id (example), ==, "fox");
  g_assert_cmpuint (attn_example_get_n_tokens (example), ==, 10);
  g_assert_cmpuint (attn_example_get_n_layers (example), ==, 12);
  g_assert_cmpuint (attn_example_get_n_heads (example), ==, 12);
  g_assert_cmpuint (attn_example_get_focus (example), ==, 9);
  g_assert_cmpstr (attn_example_get_token (example, 1), ==, " quick");
  g_assert_cmpfloat (attn_example_get_attention (example, 1, 0, 0, 0), ==, 1.0);
  g_assert_cmpfloat (attn_example_get_attention (example, 12, 11, 9, 0), ==, 0.6043487787246704);
  g_assert_cmpfloat (attn_example_get_attention (example, 6, 3, 7, 2), ==, 0.06137193366885185);
  /* causal: no attention to later tokens */
  g_assert_cmpfloat (attn_example_get_attention (example, 6, 3, 2, 7), ==, 0.);
}

/* The dense nested-array reader and json-glib's tree give the same examples,
 * bit for bit. */
static void
test_loader_dense_equivalence (void)
{
  static const char * const files[][3] = {
    { "..", "data/examples", "bert-base-uncased.json" },
    { "..", "data/examples", "sst2-bert.json" },
    { "data", ".", "gpt2.json" },
    { "data", ".", "distilbert-base-uncased.json" },
    { "data", "loader", "tiny-nested.json" },
    { "data", "loader", "tiny-multi.json" },
    { "data", "loader", "renormalise.json" },
  };

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, files[f][0], files[f][1],
                                                     files[f][2], NULL);
      g_autofree char *folder = g_path_get_dirname (path);
      g_autofree char *data = NULL;
      g_autoptr(AttnDocument) dense = NULL;
      g_autoptr(AttnDocument) tree = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      g_test_message ("%s", path);
      g_assert_true (g_file_get_contents (path, &data, &length, NULL));
      dense = _attn_document_load_from_data_full (data, length, folder, TRUE, NULL, &error);
      g_assert_no_error (error);
      tree = _attn_document_load_from_data_full (data, length, folder, FALSE, NULL, &error);
      g_assert_no_error (error);

      g_assert_cmpuint (attn_document_get_n_examples (dense), ==,
                        attn_document_get_n_examples (tree));
      g_assert_cmpstrv (attn_document_get_warnings (dense), attn_document_get_warnings (tree));

      for (guint i = 0; i < attn_document_get_n_examples (dense); i++)
        {
          AttnExample *a = attn_document_get_example (dense, i);
          AttnExample *b = attn_document_get_example (tree, i);
          guint n = attn_example_get_n_tokens (a);
          g_autofree double *row_a = g_new (double, n);
          g_autofree double *row_b = g_new (double, n);

          g_assert_cmpuint (n, ==, attn_example_get_n_tokens (b));
          g_assert_cmpuint (attn_example_get_n_layers (a), ==, attn_example_get_n_layers (b));
          g_assert_cmpuint (attn_example_get_n_heads (a), ==, attn_example_get_n_heads (b));
          g_assert_cmpint (attn_example_get_head_mixed (a), ==, attn_example_get_head_mixed (b));
          g_assert_cmpint (attn_example_get_dtype (a), ==, attn_example_get_dtype (b));
          g_assert_cmpstrv (attn_example_get_tokens (a), attn_example_get_tokens (b));
          g_assert_cmpuint (attn_example_get_n_references (a), ==,
                            attn_example_get_n_references (b));
          for (guint r = 0; r < attn_example_get_n_references (a); r++)
            {
              const char *name = attn_example_get_reference_name (a, r);

              g_assert_cmpstr (name, ==, attn_example_get_reference_name (b, r));
              g_assert_cmpmem (attn_example_get_reference (a, name), n * sizeof (double),
                               attn_example_get_reference (b, name), n * sizeof (double));
            }
          g_assert_cmpuint (attn_example_get_n_candidates (a), ==,
                            attn_example_get_n_candidates (b));

          for (guint l = 1; l <= attn_example_get_n_layers (a); l++)
            for (guint h = 0; h < attn_example_get_n_heads (a); h++)
              for (guint q = 0; q < n; q++)
                {
                  attn_example_read_row (a, l, h, q, row_a);
                  attn_example_read_row (b, l, h, q, row_b);
                  g_assert_cmpmem (row_a, n * sizeof (double), row_b, n * sizeof (double));
                }
        }
    }
}

static void
load_async_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AttnDocument **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = attn_document_load_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_loader_async (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "loader", "tiny-npy.json",
                                                 NULL);
  g_autoptr(AttnDocument) document = NULL;

  attn_document_load_async (path, NULL, load_async_cb, &document);
  while (document == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (attn_document_get_n_examples (document), ==, 10);
  assert_tiny (attn_document_get_example (document, 2), FALSE);
}

/* Every attention value of every example of @document, in order. */
static GArray *
read_all_values (AttnDocument *document)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < attn_document_get_n_examples (document); i++)
    {
      AttnExample *example = attn_document_get_example (document, i);
      guint n = attn_example_get_n_tokens (example);
      g_autofree double *row = g_new (double, n);

      for (guint l = 1; l <= attn_example_get_n_layers (example); l++)
        for (guint h = 0; h < attn_example_get_n_heads (example); h++)
          for (guint q = 0; q < n; q++)
            {
              attn_example_read_row (example, l, h, q, row);
              g_array_append_vals (values, row, n);
            }
    }
  return values;
}

static void
copy_test_file (const char *name,
                const char *folder)
{
  g_autofree char *from = g_test_build_filename (G_TEST_DIST, "data", "loader", name, NULL);
  g_autofree char *to = g_build_filename (folder, name, NULL);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (to, contents, (gssize) length, NULL));
}

/* A value that is not finite is named as JSON text spells it, whatever it
 * was read from: -Infinity in base64, not printf's "-inf" */
static void
test_loader_non_finite_base64 (void)
{
  /* float32 little-endian: 1, 0, -infinity, 1 */
  static const guint8 values[] = { 0, 0, 0x80, 0x3f, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0, 0, 0x80, 0x3f };
  g_autofree char *encoded = g_base64_encode (values, sizeof values);
  g_autofree char *text = g_strdup_printf ("{\"format\": \"attnflow\", \"version\": 1, \"examples\": "
                                           "[{\"tokens\": [\"x\", \"y\"], \"attention\": "
                                           "{\"dtype\": \"float32\", \"shape\": [1, 1, 2, 2], "
                                           "\"base64\": \"%s\"}}]}", encoded);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = attn_document_load_from_data (text, strlen (text), NULL, NULL,
                                                                   &error);

  g_assert_null (document);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==, "Example 0 (no id), field “attention”: layer 1, head 0, row 1, "
                   "column 0 holds -Infinity; values must be finite and not negative");
}

/* The document owns its data: a .npy truncated, rewritten with NaN (numpy's
 * np.save truncates and rewrites the same file) or deleted after loading
 * changes no value and crashes nothing. */
static void
test_loader_owns_npy (void)
{
  g_autofree char *folder = g_dir_make_tmp ("attnflow-owns-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (folder, "shared.json", NULL);
  g_autofree char *npy = g_build_filename (folder, "tiny-v1-f4.npy", NULL);
  static const char text[] =
    "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
    "{\"id\": \"a\", \"tokens\": [\"[CLS]\", \"the\", \"cat\", \"sat\"], \"attention\": {\"npy\": \"tiny-v1-f4.npy\"}},"
    "{\"id\": \"b\", \"tokens\": [\"[CLS]\", \"the\", \"cat\", \"sat\"], \"attention\": {\"npy\": \"./tiny-v1-f4.npy\"}},"
    "{\"id\": \"c\", \"tokens\": [\"[CLS]\", \"the\", \"cat\", \"sat\"], \"attention\": {\"npy\": \"tiny-v1-f4.npy\"}}]}";
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  copy_test_file ("tiny-v1-f4.npy", folder);
  g_assert_true (g_file_set_contents (json, text, -1, NULL));

  document = attn_document_load (json, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    assert_tiny (attn_document_get_example (document, i), FALSE);
  before = read_all_values (document);

  /* what it was read from: the export, then the .npy once */
  {
    const char * const *files = attn_document_get_files (document);
    g_autofree char *real = realpath (npy, NULL);

    g_assert_cmpstr (files[0], ==, json);
    g_assert_cmpstr (files[1], ==, real);
    g_assert_null (files[2]);
  }

  /* examples naming one file share one copy of its data */
  g_assert_true (attn_document_get_example (document, 0)->attention.data ==
                 attn_document_get_example (document, 1)->attention.data);
  g_assert_true (attn_document_get_example (document, 0)->attention.data ==
                 attn_document_get_example (document, 2)->attention.data);

  /* truncated */
  g_assert_false (attn_document_files_changed (document, NULL));
  g_assert_true (g_file_get_contents (npy, &contents, &length, NULL));
  g_assert_cmpint (truncate (npy, 0), ==, 0);
  {
    const char *changed = NULL;
    g_autofree char *real = realpath (npy, NULL);

    g_assert_true (attn_document_files_changed (document, &changed));
    g_assert_cmpstr (changed, ==, real);
  }
  after = read_all_values (document);
  g_assert_cmpmem (before->data, before->len * sizeof (double), after->data,
                   after->len * sizeof (double));
  g_clear_pointer (&after, g_array_unref);

  /* rewritten in place, same length, with NaN and negative values */
  {
    int fd = open (npy, O_WRONLY);
    g_autofree guint8 *poisoned = g_memdup2 (contents, length);

    for (gsize i = 128; i + 4 <= length; i += 4)
      memcpy (poisoned + i, i % 8 ? "\x00\x00\xc0\x7f" : "\x00\x00\x80\xbf", 4);
    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (write (fd, poisoned, length), ==, (gssize) length);
    close (fd);
  }
  after = read_all_values (document);
  g_assert_cmpmem (before->data, before->len * sizeof (double), after->data,
                   after->len * sizeof (double));
  g_clear_pointer (&after, g_array_unref);

  /* deleted */
  g_assert_cmpint (g_unlink (npy), ==, 0);
  g_assert_cmpint (g_unlink (json), ==, 0);
  after = read_all_values (document);
  g_assert_cmpmem (before->data, before->len * sizeof (double), after->data,
                   after->len * sizeof (double));

  g_assert_cmpint (g_rmdir (folder), ==, 0);
}

#ifdef G_OS_UNIX
/* A mapped export truncated while it is read gives an error, not SIGBUS. */
static void
test_loader_truncated_while_reading (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "loader", "tiny-multi.json",
                                                 NULL);
  g_autofree char *folder = g_dir_make_tmp ("attnflow-truncated-XXXXXX", NULL);
  g_autofree char *copy = g_build_filename (folder, "tiny-multi.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy, contents, (gssize) length, NULL));
  mapped = g_mapped_file_new (copy, FALSE, &error);
  g_assert_no_error (error);

  /* every page of the mapping now lies past the end of the file */
  g_assert_cmpint (truncate (copy, 0), ==, 0);
  document = _attn_document_load_mapped (g_mapped_file_get_contents (mapped), length, NULL, NULL, folder,
                                         NULL, &error);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "truncated or rewritten while it was being read"));
  g_assert_null (document);
  g_clear_error (&error);

  /* and the same bytes, still there, load */
  g_clear_pointer (&mapped, g_mapped_file_unref);
  g_assert_true (g_file_set_contents (copy, contents, (gssize) length, NULL));
  mapped = g_mapped_file_new (copy, FALSE, &error);
  document = _attn_document_load_mapped (g_mapped_file_get_contents (mapped), length, NULL, NULL, folder,
                                         NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attn_document_get_n_examples (document), ==, 6);
  g_clear_pointer (&document, attn_document_unref);

  /* cut within its last page: the bytes past the new end read as NULs, no
   * SIGBUS; the error says the file changed (it named a NUL byte, or a
   * character that is not base64, in a 100 MB file) */
  {
    AttnFileState state;
    int fd = open (copy, O_RDONLY);

    g_assert_cmpint (fd, >=, 0);
    _attn_file_state_from_fd (fd, &state);
    close (fd);
    g_assert_cmpint (truncate (copy, (off_t) length / 2), ==, 0);
    document = _attn_document_load_mapped (g_mapped_file_get_contents (mapped), length, NULL, NULL, folder,
                                           NULL, &error);
    g_assert_null (document);
    g_assert_null (strstr (error->message, "truncated or rewritten"));
    g_clear_error (&error);
    document = _attn_document_load_mapped (g_mapped_file_get_contents (mapped), length, copy, &state, folder,
                                           NULL, &error);
    g_assert_null (document);
    g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
    g_assert_nonnull (strstr (error->message, "truncated or rewritten while it was being read"));
    g_clear_error (&error);
  }

  g_assert_cmpint (g_unlink (copy), ==, 0);
  g_assert_cmpint (g_rmdir (folder), ==, 0);
}

/* Files under /proc say they are empty and are not. */
static void
test_loader_proc_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = NULL;

  if (!g_file_test ("/proc/self/status", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /proc");
      return;
    }
  document = attn_document_load ("/proc/self/status", NULL, &error);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "cannot be read as a regular file"));
}
#endif

static AttnDocument *
load_text_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  AttnDocument *document = attn_document_load_from_data (text, strlen (text), NULL, NULL, &error);

  g_assert_no_error (error);
  return document;
}

/* An example without an id is named by its 0-based index (as --example takes
 * it) and “(no id)”, unquoted: not “Example “1””, which reads as an id the
 * file does not have. Where the text scan fails before its "id" member, it
 * reads on for it: the id that comes later, or “(no id)”; the index alone
 * where the file is cut short before the example ends. An id that looks
 * like an index stays quoted. */
static void
test_loader_example_without_id (void)
{
#define EXAMPLE_OK "{\"id\": \"a\", \"tokens\": [\"x\", \"y\"], \"attention\": [[[1, 0], [0, 1]]]}, "
#define HEAD "{\"format\": \"attnflow\", \"version\": 1, \"examples\": [" EXAMPLE_OK
  static const struct
  {
    const char *text;
    const char *message;
  } cases[] = {
    /* a field the loader reads (JSON values), a field the scan reads (text), a sum */
    { HEAD "{\"tokens\": [\"x\", \"y\"], \"attention\": [[[1, 0], [0]]]}]}",
      "Example 1 (no id), field “attention”: layer 1, row 1 has 1 entry, expected 2: one per "
      "token, and “tokens” has 2" },
    /* the scan, before an "id" member, reads on for one (a value "id" or a nested
     * object's is not the example's) */
    { HEAD "{\"tokens\": [\"x\", \"y\"], \"attention\": [[[1, 0], [0, nope]]], \"model\": \"id\", "
      "\"prediction\": {\"id\": \"p\"}}]}",
      "Example 1 (no id), field “attention”: layer 1, row 1, column 1 holds “nope” "
      "(line 1, column 169), which is not valid JSON (a string needs double quotes; the words "
      "JSON has are true, false and null)" },
    { HEAD "{\"tokens\": [\"x\", \"y\"], \"attention\": [[[1, 0], [0, nope]]], \"id\" : \"late\"}]}",
      "Example “late”, field “attention”: layer 1, row 1, column 1 holds “nope” "
      "(line 1, column 169), which is not valid JSON (a string needs double quotes; the words "
      "JSON has are true, false and null)" },
    /* an id read on for is quoted only as text: not bytes that are not UTF-8, nor a
     * control character (the scan has not checked it); in Korean it is */
    { HEAD "{\"tokens\": [\"x\", \"y\"], \"attention\": [[[1, 0], [0, nope]]], \"id\": \"\xff\xfe\"}]}",
      "Example 1, field “attention”: layer 1, row 1, column 1 holds “nope” "
      "(line 1, column 169), which is not valid JSON (a string needs double quotes; the words "
      "JSON has are true, false and null)" },
    { HEAD "{\"tokens\": [\"x\", \"y\"], \"attention\": [[[1, 0], [0, nope]]], \"id\": \"a\nb\"}]}",
      "Example 1, field “attention”: layer 1, row 1, column 1 holds “nope” "
      "(line 1, column 169), which is not valid JSON (a string needs double quotes; the words "
      "JSON has are true, false and null)" },
    { HEAD "{\"tokens\": [\"x\", \"y\"], \"attention\": [[[1, 0], [0, nope]]], \"id\": \"고양이\"}]}",
      "Example “고양이”, field “attention”: layer 1, row 1, column 1 holds “nope” "
      "(line 1, column 169), which is not valid JSON (a string needs double quotes; the words "
      "JSON has are true, false and null)" },
    /* the top-level object read on for: the file's, of "examples" later, names no
     * example; an example of its own has none */
    { "{\"model\": \"\\ud800\", \"format\": \"attnflow\", \"version\": 1, \"examples\": ["
      "{\"tokens\": [\"x\"], \"attention\": [[[1]]]}]}",
      "Field “model”, line 1, column 12: a string holds \\uD800, half of a UTF-16 surrogate pair "
      "without its other half: not a character" },
    { "{\"model\": \"\\ud800\", \"tokens\": [\"x\"], \"attention\": [[[1]]]}",
      "Example 0 (no id), field “model”, line 1, column 12: a string holds \\uD800, half of a "
      "UTF-16 surrogate pair without its other half: not a character" },
    { HEAD "{\"tokens\": [\"x\", \"y\"], \"attention\": [[[1, 0",
      "Example 1, field “attention”: the file ends at layer 1, row 0, column 1 (line 1, column "
      "162): it was cut short, and is not valid JSON" },
    { HEAD "{\"tokens\": [\"x\", \"y\"], \"attention\": [[[1, 0], [0, 0]]]}]}",
      "Example 1 (no id), field “attention”: layer 1, row 1 sums to zero" },
    { HEAD "{\"tokens\": [\"x\"]}]}", "Example 1 (no id), field “attention”: missing" },
    /* an id that cannot be read: the index alone, the example has an id field */
    { HEAD "{\"id\": 7, \"tokens\": [\"x\"], \"attention\": [[[1]]]}]}",
      "Example 1, field “id”: expected a valid UTF-8 string, found a number" },
    /* an empty id is no id (it was named “” in every message), read by the loader or the scan */
    { HEAD "{\"id\": \"\", \"tokens\": [\"x\", \"y\"], \"attention\": [[[1, 0], [0, 0]]]}]}",
      "Example 1 (no id), field “attention”: layer 1, row 1 sums to zero" },
    { HEAD "{\"id\": \"\", \"tokens\": [\"x\", \"y\"], \"attention\": [[[1, 0], [0, nope]]]}]}",
      "Example 1 (no id), field “attention”: layer 1, row 1, column 1 holds “nope” "
      "(line 1, column 179), which is not valid JSON (a string needs double quotes; the words "
      "JSON has are true, false and null)" },
    { HEAD "7]}", "Example 1 is a number, not an object" },
    /* an id that looks like an index is an id */
    { HEAD "{\"id\": \"0\", \"tokens\": [\"x\"]}]}", "Example “0”, field “attention”: missing" },
  };
#undef HEAD
  static const char warned[] =
    "{\"format\": \"attnflow\", \"version\": 1, \"examples\": [" EXAMPLE_OK
    "{\"tokens\": [\"x\", \"y\"], \"attention\": [[[1, 0], [0, 2]]], \"focuss\": 1}]}";
#undef EXAMPLE_OK
  g_autoptr(AttnDocument) document = NULL;
  const char * const *warnings;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AttnDocument) bad = attn_document_load_from_data (cases[i].text, strlen (cases[i].text),
                                                                  NULL, NULL, &error);

      g_assert_null (bad);
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  document = load_text_ok (warned);
  warnings = attn_document_get_warnings (document);
  g_assert_cmpstr (warnings[0], ==, "Example 1 (no id): “focuss” is not a field attnflow reads, "
                                    "and was ignored: did you mean “focus”?");
  g_assert_cmpstr (warnings[1], ==, "Example 1 (no id): 1 attention row did not sum to 1 (layer 1, "
                                    "row 1, off by 1) and was renormalised");
  g_assert_null (warnings[2]);
  /* the label, which names its figure files and the CLI's JSON, is the index */
  g_assert_cmpstr (attn_example_get_label (attn_document_get_example (document, 1)), ==, "1");
}

/* A file cut short inside a field names the field, down through its
 * objects, and where in its arrays the text stops, as the loader's other
 * messages do (it named only the example, found by a user test); cut short
 * after the field's value ended, the example alone (the last key read is
 * not where the text stops). Both with and without the scan's dense
 * arrays. */
static void
test_loader_cut_short (void)
{
#define ONE "{\"id\": \"c\", \"tokens\": [\"x\", \"y\"], "
#define CUT ": it was cut short, and is not valid JSON"
  static const struct
  {
    const char *text;
    const char *message;
  } cases[] = {
    /* attention of rank 4: in a row, between rows, between layers */
    { ONE "\"attention\": [[[[1, 0], [0.5, 0.",
      "Example “c”, field “attention”: the file ends at layer 1, head 0, row 1, column 1 "
      "(line 1, column 67)" CUT },
    { ONE "\"attention\": [[[[1, 0], [0, 1]], [[1, 0], ",
      "Example “c”, field “attention”: the file ends at layer 1, head 1, row 1 (line 1, column 77)" CUT },
    { ONE "\"attention\": [[[[1, 0], [0, 1]]], ",
      "Example “c”, field “attention”: the file ends at layer 2 (line 1, column 69)" CUT },
    /* of rank 3: no head */
    { ONE "\"attention\": [[[1, 0], [0, 1]], [[1",
      "Example “c”, field “attention”: the file ends at layer 2, row 0, column 0 (line 1, column 70)"
      CUT },
    /* down through objects: contributions, an encoded array, its shape; a key
     * cut short is not named */
    { ONE "\"attention\": [[[1]]], \"contributions\": {\"norm\": [[[1, 0], [0",
      "Example “c”, field “contributions.norm”: the file ends at layer 1, row 1, column 0 "
      "(line 1, column 95)" CUT },
    { ONE "\"attention\": {\"dtype\": \"float32\", \"shape\": [1, 1, 2, 2], \"base64\": \"AAAA",
      "Example “c”, field “attention.base64”: the file ends inside it (line 1, column 107)" CUT },
    { ONE "\"attention\": {\"dtype\": \"float32\", \"shape\": [1, 1",
      "Example “c”, field “attention.shape”: the file ends at entry 1 (line 1, column 83)" CUT },
    { ONE "\"attention\": {\"dtype\": \"float32\", \"sha",
      "Example “c”, field “attention”: the file ends inside it (line 1, column 73)" CUT },
    /* a candidate, a token */
    { ONE "\"attention\": [[[1]]], \"prediction\": {\"label\": \"x\", \"candidates\": "
      "[{\"label\": \"x\", \"probability\": 0.5}, {\"label\": \"y",
      "Example “c”, field “prediction.candidates”: the file ends at candidate 1 "
      "(line 1, column 149)" CUT },
    { "{\"id\": \"c\", \"tokens\": [\"x\", \"y",
      "Example “c”, field “tokens”: the file ends at entry 1 (line 1, column 31)" CUT },
    /* a string (an id cut short: the example is named by its index), a number */
    { "{\"tokens\": [\"x\"], \"id\": \"ab",
      "Example 0, field “id”: the file ends inside it (line 1, column 28)" CUT },
    { ONE "\"attention\": [[[1]]], \"focus\": 1",
      "Example “c”, field “focus”: the file ends inside it (line 1, column 67)" CUT },
    /* a field of the file, not of an example */
    { "{\"format\": \"attnflow\", \"model\": \"to",
      "Field “model”: the file ends inside it (line 1, column 36)" CUT },
    /* the last field ended: in the next key, between members */
    { ONE "\"attention\": [[[1, 0], [0, 1]]], \"focu",
      "Example “c”, line 1, column 73: the file is not valid JSON: it ends inside a string, an "
      "array or an object (it was cut short)" },
    { ONE "\"attention\": [[[1, 0], [0, 1]]] ",
      "Example “c”, line 1, column 67: the file is not valid JSON: it ends inside a string, an "
      "array or an object (it was cut short)" },
  };
#undef CUT
#undef ONE

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint dense = 0; dense < 2; dense++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(AttnDocument) document = _attn_document_load_from_data_full (cases[i].text,
                                                                               strlen (cases[i].text),
                                                                               NULL, dense, NULL,
                                                                               &error);

        g_assert_null (document);
        g_assert_error (error, ATTN_ERROR, ATTN_ERROR_PARSE);
        g_assert_cmpstr (error->message, ==, cases[i].message);
      }
}

/* A key twice in a file of one example names the example, as every other
 * message does (it said “in the top-level object”, found by a user test):
 * by its id, by its index and “(no id)” without one, by its index alone when
 * the key is "id"; the top-level object of a file of "examples" is not an
 * example. */
static void
test_loader_duplicate_named (void)
{
  static const struct
  {
    const char *text;
    const char *message;
  } cases[] = {
    { "{\"tokens\": [\"a\", \"b\"], \"tokens\": [\"a\", \"b\"], \"attention\": [[[0.5, 0.5], [0.5, 0.5]]]}",
      "Example 0 (no id): the key “tokens” appears twice" },
    { "{\"id\": \"c\", \"tokens\": [\"a\"], \"attention\": [[[1]]], \"prediction\": {\"label\": \"a\", "
      "\"candidates\": [{\"label\": \"a\", \"label\": \"b\", \"probability\": 1}]}}",
      "Example “c”: the key “label” appears twice in the object at prediction.candidates[0]" },
    { "{\"id\": \"c\", \"id\": \"d\", \"tokens\": [\"a\"], \"attention\": [[[1]]]}",
      "Example 0: the key “id” appears twice" },
    { "{\"format\": \"attnflow\", \"version\": 1, \"model\": \"m\", \"model\": \"n\", \"examples\": "
      "[{\"id\": \"c\", \"tokens\": [\"a\"], \"attention\": [[[1]]]}]}",
      "The key “model” appears twice in the top-level object" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AttnDocument) document = attn_document_load_from_data (cases[i].text, strlen (cases[i].text),
                                                                       NULL, NULL, &error);

      g_assert_null (document);
      g_assert_error (error, ATTN_ERROR, ATTN_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* A file of one example says so when another is asked for: not "1 examples
 * (ids or indices 0 to 0)" */
static void
test_loader_find_example_single (void)
{
  static const char * const texts[] = {
    "{\"id\": \"only\", \"tokens\": [\"x\"], \"attention\": [[[1]]]}",
    "{\"tokens\": [\"x\"], \"attention\": [[[1]]]}",
  };
  static const char * const messages[] = {
    "No example “1”: the file has one example, “only” (index 0)",
    "No example “1”: the file has one example, without an id (index 0)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(AttnDocument) document = load_text_ok (texts[i]);
      g_autoptr(GError) error = NULL;

      g_assert_null (attn_document_find_example (document, "1", &error));
      g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
      g_assert_cmpstr (error->message, ==, messages[i]);
      g_assert_nonnull (attn_document_find_example (document, "0", NULL));
    }
}

/* The warning names the row furthest from summing to 1 (layer 1-based,
 * head and row 0-based, as the loader's errors), not the first one */
static void
test_loader_renormalise_worst (void)
{
  static const char text[] =
    "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
    " {\"id\": \"ex-a\", \"tokens\": [\"x\", \"y\"], \"attention\": ["
    "   [[[1, 0], [0, 1.2]], [[0.5, 0.5], [0.5, 0.5]]],"
    "   [[[1, 0], [0, 1]], [[0.5, 0.5], [0.2, 0.1]]]]},"
    " {\"id\": \"ex-b\", \"tokens\": [\"x\", \"y\"], \"attention\": [[[1, 0], [0, 3]]]}]}";
  g_autoptr(AttnDocument) document = load_text_ok (text);
  const char * const *warnings = attn_document_get_warnings (document);

  g_assert_nonnull (warnings);
  g_assert_cmpstr (warnings[0], ==,
                   "Example “ex-a”: 2 attention rows did not sum to 1 (the worst: layer 2, head 1, "
                   "row 1, off by 0.7) and were renormalised; 1 more example was renormalised too");
  g_assert_null (warnings[1]);
}

static void
assert_load_fails (const char *text,
                   AttnError   code,
                   const char *message)
{
  for (guint dense = 0; dense < 2; dense++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AttnDocument) document = _attn_document_load_from_data_full (text, strlen (text),
                                                                             NULL, dense, NULL,
                                                                             &error);

      g_assert_null (document);
      g_assert_error (error, ATTN_ERROR, (gint) code);
      if (strstr (error->message, message) == NULL)
        g_error ("“%s” does not contain “%s”", error->message, message);
    }
}

/* An id of 100,000 characters is named by its first 64 and “…” in the
 * messages about its example (a value out of range, a field of the wrong
 * kind): the message was as long as the id, and the window's Details
 * dialog froze for minutes laying it out. JSON cut short names an id of up
 * to 200 characters (longer ones by their index), shortened as well. */
static void
test_loader_long_id_messages (void)
{
  const char *bodies[] = {
    "\"tokens\": [\"a\", \"b\"], \"attention\": [[[[0.5, 0.5], [1.1, -0.1]]]]}",
    "\"tokens\": 5, \"attention\": [[[[0.5, 0.5], [0.5, 0.5]]]]}",
    "\"tokens\": [\"a\", \"b\"], \"attention\": [[[[0.5, 0.5], [0.5, 0",
  };
  const char *causes[] = {
    "”, field “attention”: layer 1, head 0, row 1, column 1 holds -0.1; values must be finite and not negative",
    "”, field “tokens”: ",
    "”, field “attention”: the file ends at layer 1, head 0, row 1, column 1 (line 1, column 269): "
    "it was cut short",
  };
  const guint lengths[] = { 100000, 100000, 200 };
  g_autofree char *shown = g_strnfill (ATTN_ERROR_NAME_MAX_CHARS, 'i');
  g_autofree char *start = g_strdup_printf ("Example “%s…", shown);

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    for (guint dense = 0; dense < 2; dense++)
      {
        g_autofree char *id = g_strnfill (lengths[i], 'i');
        g_autofree char *text = g_strdup_printf ("{\"id\": \"%s\", %s", id, bodies[i]);
        g_autoptr(GError) error = NULL;
        g_autoptr(AttnDocument) document = _attn_document_load_from_data_full (text, strlen (text), NULL,
                                                                               dense, NULL, &error);

        g_assert_null (document);
        g_assert_nonnull (error);
        g_test_message ("%s", error->message);
        g_assert_cmpuint (strlen (error->message), <, 400);
        g_assert_true (g_str_has_prefix (error->message, start));
        g_assert_nonnull (strstr (error->message, causes[i]));
        if (i == 0)
          g_assert_true (g_str_has_suffix (error->message, causes[0]));
      }
}

#if JSON_CHECK_VERSION (1, 9, 2)
/* The load of @text fails on @number (its first occurrence), a syntax error
 * naming its line and column */
static void
assert_number_refused (const char *text,
                       const char *number)
{
  const char *at = strstr (text, number);
  g_autofree char *where = NULL;
  g_autofree char *quoted = g_strdup_printf ("“%s”", number);

  g_assert_nonnull (at);
  where = g_strdup_printf ("line 1, column %u", (guint) (at - text) + 1);
  assert_load_fails (text, ATTN_ERROR_PARSE, where);
  assert_load_fails (text, ATTN_ERROR_PARSE, quoted);
  assert_load_fails (text, ATTN_ERROR_PARSE, " is not a number");
}
#endif

/* Integral numbers where an integer belongs; integers beyond 64 bits read as
 * numbers among numbers and reported by their digits elsewhere; a UTF-8
 * byte-order mark is skipped. */
static void
test_loader_numbers (void)
{
  g_autoptr(AttnDocument) document = NULL;
  double row[2];

  document = load_text_ok ("{\"format\": \"attnflow\", \"version\": 1.0, \"examples\": ["
                           "{\"tokens\": [\"a\", \"b\"], \"focus\": 1.0, "
                           "\"attention\": [[[0.5, 0.5], [1e0, 0]]]}]}");
  g_assert_cmpuint (attn_example_get_focus (attn_document_get_example (document, 0)), ==, 1);
  g_clear_pointer (&document, attn_document_unref);

  /* 18446744073709551616 = 2^64 among the numbers: a number, renormalised */
  document = load_text_ok ("\xef\xbb\xbf{\"tokens\": [\"a\", \"b\"], "
                           "\"attention\": [[[18446744073709551616, 0], [0.5, 0.5]]]}");
  attn_example_read_row (attn_document_get_example (document, 0), 1, 0, 0, row);
  g_assert_cmpfloat (row[0], ==, 1.);
  g_assert_cmpfloat (row[1], ==, 0.);

  assert_load_fails ("{\"tokens\": [\"a\", \"b\"], \"focus\": 2.5, \"attention\": [[[1, 0], [0, 1]]]}",
                     ATTN_ERROR_INVALID, "expected a token index (an integer), found 2.5");
  assert_load_fails ("{\"tokens\": [\"a\", \"b\"], \"focus\": -18446744073709551616, "
                     "\"attention\": [[[1, 0], [0, 1]]]}",
                     ATTN_ERROR_INVALID, "-18446744073709551616 is not a token index (0 to 1)");
#if !JSON_CHECK_VERSION (1, 9, 2)
  /* json-glib's leniency for leading zeros stays, at any length */
  assert_load_fails ("{\"tokens\": [\"a\"], \"focus\": 00000000000000000001, "
                     "\"attention\": [[[1]]]}", ATTN_ERROR_INVALID, "1 is not a token index");
  /* and so do a point without digits on one side and leading zeros among
   * the numbers, which the scan's check of numbers lets through */
  g_clear_pointer (&document, attn_document_unref);
  document = load_text_ok ("{\"tokens\": [\"a\", \"b\"], \"focus\": 01, "
                           "\"attention\": [[[.5, 0.5], [1., 00]]]}");
  g_assert_cmpuint (attn_example_get_focus (attn_document_get_example (document, 0)), ==, 1);
  attn_example_read_row (attn_document_get_example (document, 0), 1, 0, 0, row);
  g_assert_cmpfloat (row[0], ==, .5);
  attn_example_read_row (attn_document_get_example (document, 0), 1, 0, 1, row);
  g_assert_cmpfloat (row[0], ==, 1.);
  g_assert_cmpfloat (row[1], ==, 0.);
#else
  /* a json-glib that reads JSON's numbers only: the loader refuses the same
   * ones, at any length, naming each where it starts */
  assert_number_refused ("{\"tokens\": [\"a\"], \"focus\": 00000000000000000001, "
                         "\"attention\": [[[1]]]}", "00000000000000000001");
  assert_number_refused ("{\"tokens\": [\"a\", \"b\"], \"focus\": 01, "
                         "\"attention\": [[[0.5, 0.5], [1, 0]]]}", "01");
  assert_number_refused ("{\"tokens\": [\"a\", \"b\"], \"attention\": [[[.5, 0.5], [1, 0]]]}", ".5");
  assert_number_refused ("{\"tokens\": [\"a\", \"b\"], \"attention\": [[[0.5, 0.5], [1., 0]]]}", "1.");
  assert_number_refused ("{\"tokens\": [\"a\", \"b\"], \"attention\": [[[0.5, 0.5], [1, 00]]]}", "00");
  assert_number_refused ("{\"tokens\": [\"a\", \"b\"], \"attention\": [[[0.5, 0.5], [1, -01]]]}", "-01");
#endif
}

/* A number too large for a double (read as infinity) is named as the file
 * writes it, with its line and column, in the tree's path and in the fast
 * reader of regular arrays (dense); the largest doubles, and numbers whose
 * exponent alone would pass 308, load as they are. */
static void
test_loader_number_too_large (void)
{
  g_autoptr(AttnDocument) document = NULL;
  g_autofree char *nines = g_strnfill (400, '9');
  g_autofree char *text = NULL;
  double row[2];

  document = load_text_ok ("{\"tokens\": [\"a\", \"b\"], \"attention\": "
                           "[[[1.7976931348623157e308, 0], [0.00001e310, 1E+305]]]}");
  attn_example_read_row (attn_document_get_example (document, 0), 1, 0, 1, row);
  g_assert_cmpfloat (row[0], ==, 1e305 / 2e305);
  assert_load_fails ("{\"tokens\": [\"a\", \"b\"], \"attention\": [[[0.5, 0.5], [0.5, 1.8e308]]]}",
                     ATTN_ERROR_VALUE, "field “attention”: layer 1, row 1, column 1 holds 1.8e308 "
                     "(line 1, column 57), a number too large for a double");
  /* the focus: it was “inf is not a token index” */
  assert_load_fails ("{\"id\": \"f\", \"tokens\": [\"a\", \"b\"], \"focus\": -1e400, "
                     "\"attention\": [[[1, 0], [0, 1]]]}", ATTN_ERROR_VALUE,
                     "Example “f”, field “focus”, line 1, column 44: the number -1e400 is too large "
                     "for a double");
  g_assert_null (attn_document_load_from_data ("{\"tokens\": [\"a\"], \"focus\": 1e400}", 33, NULL,
                                               NULL, NULL));
  /* 400 nines: a marked integer, shortened to its first 64 digits */
  text = g_strdup_printf ("{\"tokens\": [\"a\", \"b\"], \"attention\": [[[0.5, 0.5], [%s, 1]]]}",
                          nines);
  g_clear_pointer (&nines, g_free);
  nines = g_strdup_printf ("layer 1, row 1, column 0 holds %.64s… (line 1, column %u)",
                           strstr (text, "999"), (guint) (strstr (text, "999") - text) + 1);
  assert_load_fails (text, ATTN_ERROR_VALUE, nines);
}

/* Text whose lines hold as many commas (or tabs) as each other, two lines at
 * least, is named as a table; a quoted line break ends no line; prose, a
 * single line, and JSON after a line of text are left to the parser */
static void
test_loader_table_text (void)
{
  static const struct { const char *text; const char *message; } cases[] = {
    { "a,b\n1,\"x\ny\"\n\n", "The file is CSV (comma-separated values), not an attention export" },
    { "\xef\xbb\xbf a\tb\tc\n1\t2\t3", "The file is tab-separated values (TSV), not an attention export" },
    { "attention, please\nthe file, I mean\nis bad\n", "“attention” is not a JSON value" },
    { "a,b\n", "“a” is not a JSON value" },
    { "warning: x, y\n{\"tokens\": [\"a\"], \"attention\": [[[1]]]}\n", "“warning” is not a JSON value" },
    { "warning: x, y\nwarning: z, w\n{\"tokens\": [\"a\"]}\n", "“warning” is not a JSON value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AttnDocument) document = attn_document_load_from_data (cases[i].text,
                                                                       strlen (cases[i].text),
                                                                       NULL, NULL, &error);

      g_assert_null (document);
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: “%s” does not contain “%s”", i, error->message, cases[i].message);
    }
}

/* The examples and candidates arrays are read as json-glib parses them: the
 * same values as from the tree, errors in file order, a syntax error after a
 * bad example still a syntax error, cancellation in the middle honoured. */
static void
test_loader_streamed (void)
{
  g_autoptr(GString) text = g_string_new ("{\"format\": \"attnflow\", \"version\": 1, \"examples\": [");
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *broken = NULL;
  const guint n_examples = 300, n_candidates = 2000;

  for (guint i = 0; i < n_examples; i++)
    {
      g_string_append_printf (text, "%s{\"id\": \"e%u\", \"tokens\": [\"a\", \"b\"], "
                              "\"attention\": [[[0.5, 0.5], [%u, %u]]], \"prediction\": "
                              "{\"label\": \"x\", \"candidates\": [",
                              i ? ", " : "", i, i + 1, i + 2);
      for (guint c = 0; c < (i == 7 ? n_candidates : 2); c++)
        g_string_append_printf (text, "%s{\"label\": \"c%u\", \"probability\": 0.%04u}",
                                c ? ", " : "", c, c);
      g_string_append (text, "]}}");
    }
  g_string_append (text, "]}");

  for (guint dense = 0; dense < 2; dense++)
    {
      AttnExample *example;
      double row[2];

      document = _attn_document_load_from_data_full (text->str, text->len, NULL, dense, NULL,
                                                     &error);
      g_assert_no_error (error);
      g_assert_cmpuint (attn_document_get_n_examples (document), ==, n_examples);
      example = attn_document_get_example (document, 7);
      g_assert_cmpstr (attn_example_get_id (example), ==, "e7");
      g_assert_cmpuint (attn_example_get_n_candidates (example), ==, n_candidates);
      g_assert_cmpstr (attn_example_get_candidate (example, 1999)->label, ==, "c1999");
      g_assert_cmpfloat (attn_example_get_candidate (example, 1234)->probability, ==, 0.1234);
      example = attn_document_get_example (document, n_examples - 1);
      g_assert_cmpuint (attn_example_get_index (example), ==, n_examples - 1);
      attn_example_read_row (example, 1, 0, 1, row);
      g_assert_cmpfloat_with_epsilon (row[0], (n_examples) / (2. * n_examples + 1), 1e-15);
      g_clear_pointer (&document, attn_document_unref);
    }

  /* a bad candidate of example 7, then a bad token in example 9: the first */
  broken = g_strdup (text->str);
  memcpy (strstr (broken, "{\"label\": \"c1500\"") + 2, "lebal", 5);
  {
    char *token = strstr (strstr (broken, "\"e9\""), "\"b\"");
    token[0] = '7';
    token[1] = ' ';
    token[2] = ' ';
  }
  assert_load_fails (broken, ATTN_ERROR_INVALID,
                     "Example “e7”, field “prediction.candidates”: candidate 1500 has no “label”");

  /* ... unless the file is not JSON further on */
  broken[strlen (broken) - 2] = ',';
  assert_load_fails (broken, ATTN_ERROR_PARSE, "not valid JSON");

  /* cancelled while the examples stream */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(AttnDocument) none = NULL;

    g_cancellable_cancel (cancellable);
    none = attn_document_load_from_data (text->str, text->len, NULL, cancellable, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (none);
  }
}

/* `antecedents` and `contributions` in every encoding: the getters give each
 * kind's values as stored (not normalised), its heads and dtype; a kind in
 * the .npy the attention uses shares its data. */
static void
test_loader_contributions (void)
{
  g_autofree char *folder = g_dir_make_tmp ("attnflow-contributions-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (folder, "kinds.json", NULL);
  g_autofree char *globenc = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  float f32[2 * 4 * 4];
  guint16 f16[2 * 1 * 4 * 4];

  copy_test_file ("tiny-v1-f4.npy", folder);
  copy_test_file ("tiny-mixed-f4.npy", folder);

  /* globenc: [L][n][n] float32 base64, rows summing to 2 + q; attn-grad:
   * [L][1][n][n] float16 base64, each row one 1 and zeros */
  for (guint l = 0; l < 2; l++)
    for (guint q = 0; q < 4; q++)
      for (guint k = 0; k < 4; k++)
        {
          f32[(l * 4 + q) * 4 + k] = k == q ? 2.f + q : (float) (l + 1) / 4.f * (k + 1 == q);
          f16[(l * 4 + q) * 4 + k] = GUINT16_TO_LE ((k + l) % 4 == q ? 0x3c00 : 0);
        }
  globenc = g_base64_encode ((const guchar *) f32, sizeof f32);

  g_string_append (text, "{\"id\": \"kinds\", \"tokens\": [\"[CLS]\", \"the\", \"cat\", \"sat\"], "
                         "\"focus\": 3, \"antecedents\": [2, 1.0, 0], "
                         "\"attention\": {\"npy\": \"tiny-v1-f4.npy\"}, "
                         "\"contributions_target\": \"cat\", \"contributions\": {"
                         "\"norm\": {\"npy\": \"tiny-v1-f4.npy\"}, "
                         "\"value-zeroing\": {\"npy\": \"tiny-mixed-f4.npy\"}, ");
  g_string_append_printf (text, "\"globenc\": {\"dtype\": \"float32\", \"shape\": [2, 4, 4], "
                          "\"base64\": \"%s\"}, ", globenc);
  {
    g_autofree char *grad = g_base64_encode ((const guchar *) f16, sizeof f16);

    g_string_append_printf (text, "\"attn-grad\": {\"dtype\": \"float16\", \"shape\": [2, 1, 4, 4], "
                            "\"base64\": \"%s\"}, ", grad);
  }
  /* alti: nested [L][n][n] with rows summing to 10 */
  g_string_append (text, "\"alti\": [");
  for (guint l = 0; l < 2; l++)
    {
      g_string_append (text, l ? ", [" : "[");
      for (guint q = 0; q < 4; q++)
        g_string_append_printf (text, "%s[%u, %u, %u, %u]", q ? ", " : "", q + 1, 9 - q, 0, l);
      g_string_append (text, "]");
    }
  g_string_append (text, "]}}");
  g_assert_true (g_file_set_contents (json, text->str, (gssize) text->len, NULL));

  for (guint dense = 0; dense < 2; dense++)
    {
      g_autofree char *contents = NULL;
      g_autoptr(AttnDocument) document = NULL;
      g_autoptr(GError) error = NULL;
      AttnExample *example;
      double row[4], expected[4];
      gsize length;

      g_assert_true (g_file_get_contents (json, &contents, &length, NULL));
      document = _attn_document_load_from_data_full (contents, length, folder, dense, NULL,
                                                     &error);
      g_assert_no_error (error);
      example = attn_document_get_example (document, 0);
      assert_tiny (example, FALSE);

      g_assert_cmpuint (attn_example_get_n_antecedents (example), ==, 3);
      g_assert_cmpuint (attn_example_get_antecedents (example)[0], ==, 2);
      g_assert_cmpuint (attn_example_get_antecedents (example)[1], ==, 1);
      g_assert_cmpuint (attn_example_get_antecedents (example)[2], ==, 0);
      g_assert_cmpstr (attn_example_get_contributions_target (example), ==, "cat");

      for (AttnWeightKind kind = 0; kind < ATTN_N_WEIGHT_KINDS; kind++)
        g_assert_true (attn_example_has_weights (example, kind));
      g_assert_cmpuint (attn_example_get_weights_n_heads (example, ATTN_WEIGHT_KIND_NORM), ==, 3);
      g_assert_cmpuint (attn_example_get_weights_n_heads (example, ATTN_WEIGHT_KIND_GLOBENC), ==, 1);
      g_assert_true (attn_example_get_weights_head_mixed (example, ATTN_WEIGHT_KIND_ALTI));
      g_assert_false (attn_example_get_weights_head_mixed (example, ATTN_WEIGHT_KIND_ATTN_GRAD));
      g_assert_cmpuint (attn_example_get_weights_n_heads (example, ATTN_WEIGHT_KIND_ATTN_GRAD), ==,
                        1);
      g_assert_cmpint (attn_example_get_weights_dtype (example, ATTN_WEIGHT_KIND_ATTN_GRAD), ==,
                       ATTN_DTYPE_FLOAT16);
      g_assert_cmpint (attn_example_get_weights_dtype (example, ATTN_WEIGHT_KIND_ALTI), ==,
                       ATTN_DTYPE_FLOAT64);

      /* the attention's file, shared */
      g_assert_true (example->extras->contributions[ATTN_WEIGHT_KIND_NORM]->data ==
                     example->attention.data);
      for (guint l = 1; l <= 2; l++)
        for (guint q = 0; q < 4; q++)
          {
            g_autofree double *matrix = g_new (double, 16);

            attn_example_read_weights_row (example, ATTN_WEIGHT_KIND_NORM, l, 2, q, row);
            for (guint k = 0; k < 4; k++)
              g_assert_cmpfloat (row[k], ==, tiny_value (l, 2, q, k));

            /* as stored: rows summing to 2 + q, 10, 1 */
            attn_example_read_weights_row (example, ATTN_WEIGHT_KIND_GLOBENC, l, 0, q, row);
            for (guint k = 0; k < 4; k++)
              g_assert_cmpfloat (row[k], ==, f32[((l - 1) * 4 + q) * 4 + k]);
            attn_example_read_weights_matrix (example, ATTN_WEIGHT_KIND_ALTI, l, 0, matrix);
            expected[0] = q + 1;
            expected[1] = 9 - q;
            expected[2] = 0;
            expected[3] = l - 1;
            g_assert_cmpmem (matrix + q * 4, sizeof expected, expected, sizeof expected);
            attn_example_read_weights_row (example, ATTN_WEIGHT_KIND_ATTN_GRAD, l, 0, q, row);
            for (guint k = 0; k < 4; k++)
              g_assert_cmpfloat (row[k], ==, (k + l - 1) % 4 == q ? 1. : 0.);
            attn_example_read_weights_row (example, ATTN_WEIGHT_KIND_ATTENTION, l, 1, q, row);
            g_assert_cmpfloat (row[3], ==, tiny_value (l, 1, q, 3));
          }
    }

  /* none of it: the getters say so */
  {
    g_autoptr(AttnDocument) plain = load_test_file ("data", "loader", "tiny-nested.json", NULL);
    AttnExample *example = attn_document_get_example (plain, 0);

    g_assert_true (attn_example_has_weights (example, ATTN_WEIGHT_KIND_ATTENTION));
    g_assert_false (attn_example_has_weights (example, ATTN_WEIGHT_KIND_NORM));
    g_assert_cmpuint (attn_example_get_n_antecedents (example), ==, 0);
    g_assert_null (attn_example_get_antecedents (example));
    g_assert_null (attn_example_get_contributions_target (example));
  }

  {
    AttnWeightKind kind;

    g_assert_true (attn_weight_kind_from_name ("value-zeroing", &kind));
    g_assert_cmpint (kind, ==, ATTN_WEIGHT_KIND_VALUE_ZEROING);
    g_assert_cmpstr (attn_weight_kind_get_name (ATTN_WEIGHT_KIND_ATTN_GRAD), ==, "attn-grad");
    g_assert_false (attn_weight_kind_from_name ("lrp", &kind));
    /* a keyword in any case, as options take it */
    g_assert_true (attn_weight_kind_from_name ("Value-Zeroing", &kind));
    g_assert_cmpint (kind, ==, ATTN_WEIGHT_KIND_VALUE_ZEROING);
  }
  {
    /* a file's keys are data: a kind of contributions is spelled as its name */
    const char *upper = "{\"tokens\": [\"a\", \"b\"], \"attention\": [[[[1, 0], [0.5, 0.5]]]], "
                        "\"contributions\": {\"NORM\": [[[1, 0], [0.5, 0.5]]]}}";
    g_autoptr(GError) error = NULL;
    g_autoptr(AttnDocument) document = attn_document_load_from_data (upper, strlen (upper), NULL,
                                                                     NULL, &error);

    g_assert_null (document);
    g_assert_error (error, ATTN_ERROR, ATTN_ERROR_UNSUPPORTED);
    g_assert_nonnull (strstr (error->message, "unknown kind “NORM”"));
  }

  attn_test_remove_tree (folder);
}

static gboolean
parse_error_code (const char *name,
                  AttnError  *out)
{
  static const struct
  {
    const char *name;
    AttnError   code;
  } codes[] = {
    { "PARSE", ATTN_ERROR_PARSE },
    { "INVALID", ATTN_ERROR_INVALID },
    { "SHAPE", ATTN_ERROR_SHAPE },
    { "VALUE", ATTN_ERROR_VALUE },
    { "ENCODING", ATTN_ERROR_ENCODING },
    { "UNSUPPORTED", ATTN_ERROR_UNSUPPORTED },
    { "IO", ATTN_ERROR_IO },
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    if (g_str_equal (codes[i].name, name))
      {
        *out = codes[i].code;
        return TRUE;
      }
  return FALSE;
}

/* @message holds no control character (a terminal obeys ESC, a newline
 * breaks it in two) and no bidi control (U+202E reverses what follows): the
 * text of a file it quotes shows them as \u escapes (id-controls.json) */
static void
assert_no_raw_controls (const char *message)
{
  for (const char *p = message; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (attn_unichar_is_escaped (c))
        g_error ("the message “%s” holds U+%04X at byte %zu", message, c, (gsize) (p - message));
    }
}

/* tests/data/bad/README.md: | `file` | CODE | message contains | case | */
static void
test_loader_bad_catalogue (void)
{
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "data", "bad", NULL);
  g_autofree char *readme = g_build_filename (folder, "README.md", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_cases = 0;

  g_assert_true (g_file_get_contents (readme, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = NULL;
      g_autofree char *file = NULL;
      g_autofree char *path = NULL;
      AttnError code = ATTN_ERROR_PARSE;

      if (!g_str_has_prefix (lines[i], "| `"))
        continue;

      cells = g_strsplit (lines[i] + 2, " | ", -1);
      g_assert_cmpuint (g_strv_length (cells), ==, 4);
      g_assert_true (g_str_has_prefix (cells[0], "`") && g_str_has_suffix (cells[0], "`"));
      file = g_strndup (cells[0] + 1, strlen (cells[0]) - 2);
      g_assert_true (parse_error_code (cells[1], &code));
      g_hash_table_add (listed, g_strdup (file));

      g_test_message ("%s: expecting %s, “%s”", file, cells[1], cells[2]);
      path = g_build_filename (folder, file, NULL);

      /* from the file (dense nested-array reader on), then from memory through
       * json-glib's tree only: the same error either way */
      for (guint mode = 0; mode < 2; mode++)
        {
          g_autoptr(AttnDocument) document = NULL;
          g_autoptr(GError) load_error = NULL;

          if (mode == 0)
            document = attn_document_load (path, NULL, &load_error);
          else
            {
              g_autofree char *data = NULL;
              gsize length;

              g_assert_true (g_file_get_contents (path, &data, &length, NULL));
              document = _attn_document_load_from_data_full (data, length, folder, FALSE, NULL,
                                                             &load_error);
            }

          g_assert_null (document);
          g_assert_nonnull (load_error);
          g_test_message ("  got: %s", load_error->message);
          g_assert_error (load_error, ATTN_ERROR, (gint) code);
          g_assert_true (g_utf8_validate (load_error->message, -1, NULL));
          assert_no_raw_controls (load_error->message);
          if (strstr (load_error->message, cells[2]) == NULL)
            g_error ("%s: the message “%s” does not contain “%s”", file, load_error->message,
                     cells[2]);
        }
      n_cases++;
    }

  g_assert_cmpuint (n_cases, >=, 60);

  /* every JSON file in the folder is a listed case */
  dir = g_dir_open (folder, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json") && !g_hash_table_contains (listed, name))
      g_error ("tests/data/bad/%s is not listed in README.md", name);
}

static void
test_loader_deep_nesting (void)
{
  const gsize depth = 100000;
  g_autofree char *text = g_malloc (2 * depth);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = NULL;

  /* json-glib alone overflows the stack on this */
  memset (text, '[', depth);
  memset (text + depth, ']', depth);
  document = attn_document_load_from_data (text, 2 * depth, NULL, NULL, &error);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "nested more than 16 levels"));
  g_clear_error (&error);

  /* objects count too, and a bracket inside a string does not */
  {
    static const char ok[] = "{\"id\": \"[[[[[[[[[[[[[[[[[[[[\", \"tokens\": [\"a\"], "
                             "\"attention\": [[[[1]]]], \"x\": {\"a\": {\"b\": {\"c\": 1}}}}";
    g_autoptr(AttnDocument) good = attn_document_load_from_data (ok, strlen (ok), NULL, NULL,
                                                                 &error);
    g_assert_no_error (error);
    g_assert_cmpstr (attn_example_get_id (attn_document_get_example (good, 0)), ==,
                     "[[[[[[[[[[[[[[[[[[[[");
  }
}

static void
test_loader_data_length (void)
{
  /* the length is honoured: no NUL terminator needed, nothing read past it */
  static const char text[] = "{\"tokens\": [\"a\"], \"attention\": [[[1]]]}GARBAGE";
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = NULL;
  g_autofree char *copy = g_memdup2 (text, strlen (text) - strlen ("GARBAGE"));

  document = attn_document_load_from_data (copy, strlen (text) - strlen ("GARBAGE"), NULL, NULL,
                                           &error);
  g_assert_no_error (error);
  g_assert_true (attn_example_get_head_mixed (attn_document_get_example (document, 0)));
  g_assert_cmpstr (attn_example_get_label (attn_document_get_example (document, 0)), ==, "0");
  g_clear_pointer (&document, attn_document_unref);

  document = attn_document_load_from_data (text, strlen (text), NULL, NULL, &error);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_PARSE);
  g_assert_null (document);
}

/* A tensor large enough to be checked on several threads (1.2 million
 * values, one layer and head of n = 1100, base64 float32), with @bad[i]
 * placed at (row[i], column[i]). */
static AttnDocument *
load_large (const guint   *rows,
            const guint   *columns,
            const float   *bad,
            guint          n_bad,
            GError       **error)
{
  const guint n = 1100;
  g_autofree float *values = g_new (float, (gsize) n * n);
  g_autofree char *b64 = NULL;
  g_autoptr(GString) json = g_string_new ("{\"tokens\": [");

  for (gsize i = 0; i < (gsize) n * n; i++)
    values[i] = 1.f / n;
  for (guint i = 0; i < n_bad; i++)
    values[(gsize) rows[i] * n + columns[i]] = bad[i];
  b64 = g_base64_encode ((const guchar *) values, (gsize) n * n * sizeof (float));
  for (guint k = 0; k < n; k++)
    g_string_append_printf (json, "%s\"t%u\"", k > 0 ? ", " : "", k);
  g_string_append_printf (json, "], \"attention\": {\"dtype\": \"float32\", \"shape\": [1, 1, %u, %u], "
                          "\"base64\": \"%s\"}}", n, n, b64);
  return attn_document_load_from_data (json->str, json->len, NULL, NULL, error);
}

/* The checks of a large tensor run on several threads and report as one:
 * the first bad row in file order, every renormalised row counted. */
static void
test_loader_large_checks (void)
{
  static const guint rows[] = { 1000, 700, 60 };
  static const guint columns[] = { 5, 3, 0 };
  const float bad[] = { NAN, -1.f, 1.f + 1.f / 1100 };
  const float off[] = { 3.f, 1.f / 1100, 2.f };
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = NULL;
  const char * const *warnings;

  document = load_large (rows, columns, bad, 3, &error);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_VALUE);
  g_assert_null (document);
  g_assert_nonnull (strstr (error->message, "layer 1, head 0, row 700, column 3 holds -1"));
  g_clear_error (&error);

  /* rows 1000 and 60 sum to about 4 and 3 (row 700 to 1): two renormalised */
  document = load_large (rows, columns, off, 3, &error);
  g_assert_no_error (error);
  warnings = attn_document_get_warnings (document);
  g_assert_nonnull (warnings[0]);
  g_assert_nonnull (strstr (warnings[0], "2 attention rows"));
  g_assert_cmpfloat_with_epsilon (attn_example_get_attention (attn_document_get_example (document, 0),
                                                              1, 0, 1000, 5), 3. / (3. + 1099. / 1100), 1e-7);
}

/* The column-order sum of a load_large() row of 1/1100 with @v in column 0. */
static double
edge_row_sum (float v)
{
  double s = 0.;

  s += v;
  for (guint k = 1; k < 1100; k++)
    s += (double) (1.f / 1100);
  return s;
}

/* Rows whose sums lie within 1e-9 of the tolerance (1e-3), where the
 * checks' fast sum cannot decide: their sum in column order does, as
 * before. The last float below the tolerance is kept, the next one is
 * renormalised. */
static void
test_loader_tolerance_edge (void)
{
  static const guint rows[] = { 900 };
  static const guint columns[] = { 0 };
  float inside = 1e-3f + 1.f / 1100;
  g_autoptr(GError) error = NULL;

  while (edge_row_sum (inside) - 1. > 1e-3)
    inside = nextafterf (inside, 0.f);
  while (edge_row_sum (nextafterf (inside, 1.f)) - 1. <= 1e-3)
    inside = nextafterf (inside, 1.f);
  g_assert_cmpfloat (edge_row_sum (inside) - 1., >, 1e-3 - 1e-9);
  g_assert_cmpfloat (edge_row_sum (nextafterf (inside, 1.f)) - 1., <, 1e-3 + 1e-9);

  for (guint pass = 0; pass < 2; pass++)
    {
      float v = pass == 0 ? inside : nextafterf (inside, 1.f);
      g_autoptr(AttnDocument) document = load_large (rows, columns, &v, 1, &error);
      const char * const *warnings;

      g_assert_no_error (error);
      warnings = attn_document_get_warnings (document);
      if (pass == 0)
        g_assert_true (warnings == NULL || warnings[0] == NULL);
      else
        {
          g_assert_nonnull (warnings[0]);
          g_assert_nonnull (strstr (warnings[0], "1 attention row did not sum to 1"));
          g_assert_cmpfloat_with_epsilon (attn_example_get_attention (attn_document_get_example (document, 0),
                                                                      1, 0, 900, 0),
                                          v / edge_row_sum (v), 1e-15);
        }
    }
}

static void
test_loader_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "loader", "tiny-multi.json",
                                                 NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = NULL;

  g_cancellable_cancel (cancellable);
  document = attn_document_load (path, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (document);
}

/* A .npy of more than 8 MiB is read by several threads, in parts of 2 MiB
 * multiples: every value where it belongs, across the parts' ends. */
static void
test_loader_large_npy (void)
{
  const guint n = 1600;
  g_autofree char *folder = g_dir_make_tmp ("attnflow-loader-XXXXXX", NULL);
  g_autofree char *npy = g_build_filename (folder, "large.npy", NULL);
  g_autofree float *values = g_new (float, (gsize) n * n);
  g_autoptr(GString) file = attn_test_npy_new_float32 (1, 1, n);
  g_autoptr(GString) json = g_string_new ("{\"tokens\": [");
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  AttnExample *example;

  for (gsize i = 0; i < (gsize) n * n; i++)
    values[i] = (float) ((1. + ((double) ((i * 7919) % 101) - 50.) * 1e-6) / n); /* rows sum to 1 */
  g_string_append_len (file, (const char *) values, (gssize) ((gsize) n * n * sizeof (float)));
  g_assert_true (g_file_set_contents (npy, file->str, (gssize) file->len, NULL));
  for (guint k = 0; k < n; k++)
    g_string_append_printf (json, "%s\"t%u\"", k > 0 ? ", " : "", k);
  g_string_append (json, "], \"attention\": {\"npy\": \"large.npy\"}}");

  document = attn_document_load_from_data (json->str, json->len, folder, NULL, &error);
  g_assert_no_error (error);
  example = attn_document_get_example (document, 0);
  for (gsize part_end = 0; part_end <= (gsize) n * n * sizeof (float); part_end += (gsize) 1 << 20)
    for (gsize i = part_end / sizeof (float) - MIN (part_end / sizeof (float), 2);
         i < MIN (part_end / sizeof (float) + 2, (gsize) n * n); i++)
      g_assert_cmpfloat (attn_example_get_attention (example, 1, 0, (guint) (i / n), (guint) (i % n)),
                         ==, values[i]);
  g_assert_cmpfloat (attn_example_get_attention (example, 1, 0, n - 1, n - 1), ==,
                     values[(gsize) n * n - 1]);

  g_assert_cmpint (g_unlink (npy), ==, 0);
  g_assert_cmpint (g_rmdir (folder), ==, 0);
}

#ifdef G_OS_UNIX
/* FIFOs (which would block) and folders are refused, as the file and as a .npy */
static void
test_loader_special_files (void)
{
  g_autofree char *folder = g_dir_make_tmp ("attnflow-loader-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (folder, "fifo.npy", NULL);
  g_autofree char *dir = g_build_filename (folder, "dir.npy", NULL);
  static const char fifo_json[] = "{\"tokens\": [\"a\"], \"attention\": {\"npy\": \"fifo.npy\"}}";
  static const char dir_json[] = "{\"tokens\": [\"a\"], \"attention\": {\"npy\": \"dir.npy\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = NULL;

  g_assert_nonnull (folder);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);

  document = attn_document_load (fifo, NULL, &error);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "cannot be read as a regular file"));
  g_clear_error (&error);

  document = attn_document_load_from_data (fifo_json, strlen (fifo_json), folder, NULL, &error);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "“fifo.npy” is not a regular file"));
  g_clear_error (&error);

  document = attn_document_load_from_data (dir_json, strlen (dir_json), folder, NULL, &error);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "“dir.npy” is not a regular file"));
  g_clear_error (&error);

  g_assert_cmpint (g_unlink (fifo), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_assert_cmpint (g_rmdir (folder), ==, 0);
}
#endif

static void
test_loader_not_found (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = NULL;
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "data", NULL);

  document = attn_document_load ("/nonexistent/attnflow.json", NULL, &error);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/attnflow.json"));
  g_clear_error (&error);

  document = attn_document_load (folder, NULL, &error);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "folder"));
}

/* Counts of one take the singular, also at the end of a message, where the
 * catalogue's pieces cannot tell "1 level" from "1 levels" */
static void
test_loader_singular_at_end (void)
{
  static const struct { const char *file; const char *end; } cases[] = {
    { "rank-1.json", "arrays, found 1 level" },
    { "shape-one-token.json", "shape [1, 1, 2, 2] does not match the 1 token" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "bad", cases[i].file, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(AttnDocument) document = attn_document_load (path, NULL, &error);

      g_assert_null (document);
      g_assert_error (error, ATTN_ERROR, ATTN_ERROR_SHAPE);
      g_test_message ("%s: %s", cases[i].file, error->message);
      g_assert_true (g_str_has_suffix (error->message, cases[i].end));
    }
}

/* A word in an array under a key that is not UTF-8: the message names the
 * key's place by line and column, not by its bytes (found by the fuzzer); the
 * key, first in the file, is what it is about */
static void
test_loader_word_key_not_utf8 (void)
{
  static const char json[] =
    "{\"format\": \"attnflow\", \"version\": 1, \"examples\": {\"id\": \"bad\", "
    "\"t\x91\x9c" "ens\": [\"a\", A\"b\"], \"attention\": [[[[0.5, 0.5], [0.25, 0.75]]]]}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = attn_document_load_from_data (json, strlen (json), NULL, NULL, &error);

  g_assert_null (document);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_PARSE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpstr (error->message, ==, "Line 1, column 66: a key is not valid UTF-8: "
                   "the byte 0x91 (save the file as UTF-8)");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attn/core/loader/nested-single", test_loader_nested_single);
  g_test_add_func ("/attn/core/loader/singular-at-end", test_loader_singular_at_end);
  g_test_add_func ("/attn/core/loader/find-example-single", test_loader_find_example_single);
  g_test_add_func ("/attn/core/loader/example-without-id", test_loader_example_without_id);
  g_test_add_func ("/attn/core/loader/cut-short", test_loader_cut_short);
  g_test_add_func ("/attn/core/loader/duplicate-named", test_loader_duplicate_named);
  g_test_add_func ("/attn/core/loader/multi-base64", test_loader_multi_base64);
  g_test_add_func ("/attn/core/loader/npy", test_loader_npy);
  g_test_add_func ("/attn/core/loader/npy-needs-folder", test_loader_npy_needs_folder);
  g_test_add_func ("/attn/core/loader/renormalise", test_loader_renormalise);
  g_test_add_func ("/attn/core/loader/renormalise-worst", test_loader_renormalise_worst);
  g_test_add_func ("/attn/core/loader/long-strings", test_loader_long_strings);
  g_test_add_func ("/attn/core/loader/long-strings-chunked", test_loader_long_strings_chunked);
  g_test_add_func ("/attn/core/loader/real-bert-base", test_loader_real_bert);
  g_test_add_func ("/attn/core/loader/real-sst2", test_loader_real_sst2);
  g_test_add_func ("/attn/core/loader/real-gpt2", test_loader_real_gpt2);
  g_test_add_func ("/attn/core/loader/async", test_loader_async);
  g_test_add_func ("/attn/core/loader/dense-equivalence", test_loader_dense_equivalence);
  g_test_add_func ("/attn/core/loader/cancelled", test_loader_cancelled);
  g_test_add_func ("/attn/core/loader/large-checks", test_loader_large_checks);
  g_test_add_func ("/attn/core/loader/tolerance-edge", test_loader_tolerance_edge);
  g_test_add_func ("/attn/core/loader/large-npy", test_loader_large_npy);
  g_test_add_func ("/attn/core/loader/not-found", test_loader_not_found);
#ifdef G_OS_UNIX
  g_test_add_func ("/attn/core/loader/special-files", test_loader_special_files);
#endif
  g_test_add_func ("/attn/core/loader/data-length", test_loader_data_length);
  g_test_add_func ("/attn/core/loader/non-finite-base64", test_loader_non_finite_base64);
  g_test_add_func ("/attn/core/loader/owns-npy", test_loader_owns_npy);
#ifdef G_OS_UNIX
  g_test_add_func ("/attn/core/loader/truncated-while-reading", test_loader_truncated_while_reading);
  g_test_add_func ("/attn/core/loader/proc-file", test_loader_proc_file);
#endif
  g_test_add_func ("/attn/core/loader/numbers", test_loader_numbers);
  g_test_add_func ("/attn/core/loader/number-too-large", test_loader_number_too_large);
  g_test_add_func ("/attn/core/loader/table-text", test_loader_table_text);
  g_test_add_func ("/attn/core/loader/long-id-messages", test_loader_long_id_messages);
  g_test_add_func ("/attn/core/loader/streamed", test_loader_streamed);
  g_test_add_func ("/attn/core/loader/contributions", test_loader_contributions);
  g_test_add_func ("/attn/core/loader/bad-catalogue", test_loader_bad_catalogue);
  g_test_add_func ("/attn/core/loader/deep-nesting", test_loader_deep_nesting);
  g_test_add_func ("/attn/core/loader/misspelt", test_loader_misspelt);
  g_test_add_func ("/attn/core/loader/stray-target", test_loader_stray_target);
  g_test_add_func ("/attn/core/loader/word-key-not-utf8", test_loader_word_key_not_utf8);

  return g_test_run ();
}
