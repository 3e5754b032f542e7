/* test-example-search.c: finding examples by id, text and tokens; file names told apart
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "attn-core.h"

/* Three small examples: a WordPiece one with a text, one without an id, a BPE one. */
static const char document_json[] =
  "{\"format\": \"attnflow\", \"version\": 1, \"examples\": ["
  " {\"id\": \"sst2-0825\", \"text\": \"The movie hopped along, Charming and FUN\","
  "  \"tokens\": [\"[CLS]\", \"hop\", \"##ped\", \"[SEP]\"],"
  "  \"attention\": [[[1,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]]]},"
  " {\"tokens\": [\"a\", \"b\"], \"attention\": [[[1,0],[0,1]]]},"
  " {\"id\": \"gpt\", \"tokens\": [\"The\", \"\\u0120cat\", \"\\u0120sat\"],"
  "  \"attention\": [[[1,0,0],[0,1,0],[0,0,1]]]}]}";

static AttnDocument *
load_document (void)
{
  g_autoptr(GError) error = NULL;
  AttnDocument *document = attn_document_load_from_data (document_json, strlen (document_json),
                                                         NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (attn_document_get_n_examples (document), ==, 3);
  return document;
}

/* Which of the document's examples match @query, as a string of indices. */
static char *
matching (AttnDocument *document,
          const char   *query)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < attn_document_get_n_examples (document); i++)
    {
      g_autofree char *text = attn_example_get_search_text (attn_document_get_example (document, i));

      if (attn_search_matches (text, query))
        g_string_append_printf (out, "%u", i);
    }
  return g_string_free (out, FALSE);
}

static void
test_matches (void)
{
  g_autoptr(AttnDocument) document = load_document ();
  static const struct { const char *query; const char *expected; } cases[] = {
    { "0825", "0" },              /* inside the id, not at its start */
    { "sst2-0825", "0" },
    { "movie", "0" },             /* a word of the text */
    { "charming fun", "0" },      /* two words, any order, any case */
    { "fun charming", "0" },
    { "HOPPED", "0" },            /* tokens put back together */
    { "##ped", "0" },             /* a token as it is */
    { "1", "1" },                 /* the index of an example without an id */
    { "cat sat", "2" },           /* BPE tokens without their marker */
    { "cat dog", "" },            /* every word must match */
    { "", "012" },
    { "   ", "012" },
    { "ＦＵＮ", "0" },            /* full-width letters are letters */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = matching (document, cases[i].query);

      if (!g_str_equal (got, cases[i].expected))
        g_error ("query “%s”: matched “%s”, expected “%s”", cases[i].query, got, cases[i].expected);
    }
}

static void
check_names (const char * const *paths,
             const char * const *expected)
{
  g_auto(GStrv) names = attn_file_names_distinct (paths);

  g_assert_cmpuint (g_strv_length (names), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_cmpstr (names[i], ==, expected[i]);
}

static void
test_file_names (void)
{
  check_names ((const char *[]) { "/data/examples/sst2-bert.json", "/data/examples/bert.json", NULL },
               (const char *[]) { "sst2-bert.json", "bert.json", NULL });
  check_names ((const char *[]) { "/home/a/sst2-bert.json", "/home/b/sst2-bert.json", "/x/c.json", NULL },
               (const char *[]) { "a/sst2-bert.json", "b/sst2-bert.json", "c.json", NULL });
  /* the same folder name above: one more level */
  check_names ((const char *[]) { "/x/run/t.json", "/y/run/t.json", NULL },
               (const char *[]) { "x/run/t.json", "y/run/t.json", NULL });
  /* one path is a suffix of the other */
  check_names ((const char *[]) { "/run/t.json", "/y/run/t.json", NULL },
               (const char *[]) { "run/t.json", "y/run/t.json", NULL });
  /* the same file twice keeps one name; "." and ".." are resolved */
  check_names ((const char *[]) { "/a/./b/t.json", "/a/b/../b/t.json", NULL },
               (const char *[]) { "t.json", "t.json", NULL });
  check_names ((const char *[]) { NULL }, (const char *[]) { NULL });
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attn/core/example-search/matches", test_matches);
  g_test_add_func ("/attn/core/example-search/file-names", test_file_names);

  return g_test_run ();
}
