/* test-error.c: how messages quote a file's text (attn_error_escape_text())
 * and name examples, and the loader's messages that quote it
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "attn-core.h"

static void
assert_escaped (const char *text,
                glong       max_chars,
                const char *expected)
{
  g_autofree char *shown = attn_error_escape_text (text, max_chars);

  g_assert_cmpstr (shown, ==, expected);
}

/* Control characters become escapes as C writes them (\n, \t, \x1b), C1
 * controls and invisible characters \u escapes (lowercase, as the figures
 * show the bidi controls), bytes that are not UTF-8 \xff; everything else is
 * kept as it is */
static void
test_error_escape_text (void)
{
  assert_escaped ("", -1, "");
  assert_escaped ("cat-mat", -1, "cat-mat");
  assert_escaped ("cat\u202emat", -1, "cat\\u202emat");
  assert_escaped ("\033[31mred\033[0m", -1, "\\x1b[31mred\\x1b[0m");
  assert_escaped ("a\nb\tc\rd\x7f" "e", -1, "a\\nb\\tc\\x0dd\\x7fe");
  assert_escaped ("\x01\x1f", -1, "\\x01\\x1f");
  /* C1 controls: U+009B is a CSI to some terminals */
  assert_escaped ("x\xc2\x85y\xc2\x9b" "2J", -1, "x\\u0085y\\u009b2J");
  /* every bidi control */
  assert_escaped ("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", -1,
                  "\\u061c\\u200e\\u200f\\u202a\\u202b\\u202c\\u202d\\u202e"
                  "\\u2066\\u2067\\u2068\\u2069");
  assert_escaped ("a\u2028b\u2029c", -1, "a\\u2028b\\u2029c");
  /* invisible: the zero-width space, U+FEFF, a tag character */
  assert_escaped ("a\u200bb\ufeffc\U000e0041", -1, "a\\u200bb\\ufeffc\\U000e0041");
  /* kept: a backslash (the text stays as the figures and attnflow-cli show it),
   * Hebrew, Korean, the joiners of Persian and emoji, a non-breaking space */
  assert_escaped ("a\\u202e\\n", -1, "a\\u202e\\n");
  assert_escaped ("שלום 고양이 \u200c\u200d\u00a0é", -1, "שלום 고양이 \u200c\u200d\u00a0é");
  /* not UTF-8 */
  assert_escaped ("a\xff" "b\xc3", -1, "a\\xffb\\xc3");
  assert_escaped ("\xe9t\xe9", -1, "\\xe9t\\xe9");

  /* shortened: @max_chars characters of the text, an escape counting as one */
  assert_escaped ("abcdef", 6, "abcdef");
  assert_escaped ("abcdefg", 6, "abcdef…");
  assert_escaped ("abcde\033[0m", 6, "abcde\\x1b…");
  assert_escaped ("고양이고양이고양이", 3, "고양이…");
  assert_escaped ("abc", 0, "…");
  assert_escaped ("", 0, "");
}

/* Text with escapes (attn_error_escape_text()) is cut between whole
 * characters and escapes, never in one (“\x1…”, “\u20…”): at the last
 * place at or before the count, or the first at or after it */
static void
test_error_escaped_cut (void)
{
  const struct { const char *text; glong chars; gboolean after; const char *rest; } cases[] = {
    { "abcdef", 3, FALSE, "def" },
    { "abcdef", 3, TRUE, "def" },
    { "ab\\x1bcd", 3, FALSE, "\\x1bcd" },
    { "ab\\x1bcd", 3, TRUE, "cd" },
    { "ab\\x1bcd", 6, FALSE, "cd" },
    { "ab\\u202ecd", 5, FALSE, "\\u202ecd" },
    { "ab\\u202ecd", 5, TRUE, "cd" },
    { "ab\\U000e0041cd", 11, TRUE, "cd" },
    { "ab\\ncd", 3, FALSE, "\\ncd" },
    { "ab\\ncd", 3, TRUE, "cd" },
    { "고양\\x1b이", 3, TRUE, "이" },
    /* a backslash that starts no escape is one character */
    { "ab\\zcd", 3, FALSE, "zcd" },
    { "ab\\x1", 3, TRUE, "x1" },
    /* the end, where the text is shorter */
    { "abc", 5, FALSE, "" },
    { "abc", 5, TRUE, "" },
    { "abc", 0, TRUE, "abc" },
    { "abc", -1, FALSE, "abc" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (attn_error_escaped_cut (cases[i].text, cases[i].chars, cases[i].after), ==, cases[i].rest);
}

static void
test_error_quote_text (void)
{
  g_autofree char *id = g_strnfill (ATTN_ERROR_NAME_MAX_CHARS, 'i');
  g_autofree char *longer = g_strconcat (id, "\033", NULL);
  g_autofree char *shown = attn_error_quote_text (id);
  g_autofree char *shortened = attn_error_quote_text (longer);
  g_autofree char *expected = g_strconcat (id, "…", NULL);
  g_autofree char *name = attn_error_example_name ("cat\u202emat\033[2J", 3);
  g_autofree char *no_id = attn_error_example_name ("", 3);

  g_assert_cmpstr (shown, ==, id);
  g_assert_cmpstr (shortened, ==, expected);
  g_assert_cmpstr (name, ==, "“cat\\u202emat\\x1b[2J”");
  g_assert_cmpstr (no_id, ==, "3 (no id)");
}

static void
test_error_display_path (void)
{
  g_autofree char *plain = attn_error_display_path ("/tmp/examples/cat mat.json");
  g_autofree char *controls = attn_error_display_path ("/tmp/a\nb\033]0;x\a\u202e.json");
  g_autofree char *latin1 = attn_error_display_path ("/tmp/caf\xe9.json");

  g_assert_cmpstr (plain, ==, "/tmp/examples/cat mat.json");
  g_assert_cmpstr (controls, ==, "/tmp/a\\nb\\x1b]0;x\\x07\\u202e.json");
  /* a byte that is not UTF-8, as attnflow-cli names the file */
  g_assert_cmpstr (latin1, ==, "/tmp/caf\\xe9.json");
}

/* The error of loading @json (with .npy files in @folder, nullable):
 * @code, its message contains @contains, and no control or bidi control
 * character */
static void
assert_load_error (const char *json,
                   const char *folder,
                   AttnError   code,
                   const char *contains)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = attn_document_load_from_data (json, strlen (json), folder, NULL,
                                                                   &error);

  g_assert_null (document);
  g_assert_error (error, ATTN_ERROR, (gint) code);
  g_test_message ("%s", error->message);
  if (strstr (error->message, contains) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, contains);
  for (const char *p = error->message; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (attn_unichar_is_escaped (c));
    }
}

#define TOKENS_ATTENTION "\"tokens\": [\"a\", \"b\"], \"attention\": [[[[0.5, 0.5], [0.25, 0.75]]]]"

/* Every text of a file the loader's messages quote: ids, keys, field names,
 * the names of references and kinds, dtypes, the paths of .npy files */
static void
test_error_loader_messages (void)
{
  g_autofree char *folder = g_dir_make_tmp ("attnflow-error-XXXXXX", NULL);

  /* a key given twice, one inside an object named by a key */
  assert_load_error ("{\"id\": \"x\", " TOKENS_ATTENTION ", \"a\\u001bb\": 1, \"a\\u001bb\": 2}", NULL,
                     ATTN_ERROR_INVALID, "Example “x”: the key “a\\x1bb” appears twice");
  assert_load_error ("{\"id\": \"x\", " TOKENS_ATTENTION ", \"k\\u202e\": {\"c\": 1, \"c\": 2}}", NULL,
                     ATTN_ERROR_INVALID, "the key “c” appears twice in the object at k\\u202e");
  /* an invisible character: the zero-width space */
  assert_load_error ("{\"id\": \"x\", " TOKENS_ATTENTION ", \"z\\u200bw\": 1, \"z\\u200bw\": 2}", NULL,
                     ATTN_ERROR_INVALID, "Example “x”: the key “z\\u200bw” appears twice");
  /* the name of a reference, a field of its own */
  assert_load_error ("{\"id\": \"x\", " TOKENS_ATTENTION ", \"references\": {\"g\\u001b[2J\": [1]}}", NULL,
                     ATTN_ERROR_SHAPE, "Example “x”, field “references.g\\x1b[2J”: ");
  /* a kind of contributions, a dtype */
  assert_load_error ("{\"id\": \"x\", " TOKENS_ATTENTION ", \"contributions\": {\"n\\u202eorm\": [[[1]]]}}",
                     NULL, ATTN_ERROR_UNSUPPORTED, "unknown kind “n\\u202eorm” (known: ");
  assert_load_error ("{\"id\": \"x\", \"tokens\": [\"a\"], \"attention\": {\"dtype\": \"f\\n\\u001b\", "
                     "\"shape\": [1, 1, 1, 1], \"base64\": \"AACAPw==\"}}", NULL,
                     ATTN_ERROR_UNSUPPORTED, "unknown dtype “f\\n\\x1b” (expected ");
  /* the path of a .npy file */
  assert_load_error ("{\"id\": \"x\", \"tokens\": [\"a\"], \"attention\": {\"npy\": \"no\\u202e\\u001b.npy\"}}",
                     folder, ATTN_ERROR_IO, "field “attention.npy”: cannot open “no\\u202e\\x1b.npy”: ");
  /* a token whose index was given as its text */
  assert_load_error ("{\"id\": \"x\", \"tokens\": [\"a\\u001b\", \"b\"], \"attention\": [[[[0.5, 0.5], "
                     "[0.25, 0.75]]]], \"focus\": \"a\\u001b\"}", NULL,
                     ATTN_ERROR_INVALID, "(“a\\x1b” is token 0: give 0)");
  g_rmdir (folder);
}

/* A number of 5,000 digits is quoted by its first 64 characters: the
 * message, in a toast, showed only digits, its reason cut off after them */
static void
test_error_long_number (void)
{
  g_autofree char *zeros = g_strnfill (5000, '0');
  g_autofree char *shown_zeros = g_strnfill (ATTN_ERROR_NAME_MAX_CHARS - 1, '0');
  g_autofree char *json = g_strdup_printf ("{\"id\": \"x\", " TOKENS_ATTENTION ", \"focus\": 5%s}", zeros);
  g_autofree char *expected = g_strdup_printf ("Example “x”, field “focus”: 5%s… is not a token index (0 to 1)",
                                               shown_zeros);
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = attn_document_load_from_data (json, strlen (json), NULL, NULL, &error);

  g_assert_null (document);
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, expected);
}

/* A member named like a field is said in a warning, escaped; an example the
 * file does not have, asked for by a string with controls, is named escaped */
static void
test_error_document_messages (void)
{
  const char *json = "{\"format\": \"attnflow\", \"version\": 1, \"examples\": [{\"id\": \"x\\u202e\", " TOKENS_ATTENTION ", \"attentions\\u001b\": 1}, "
                     "{\"id\": \"y\", " TOKENS_ATTENTION "}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = attn_document_load_from_data (json, strlen (json), NULL, NULL, &error);
  const char * const *warnings;

  g_assert_no_error (error);
  warnings = attn_document_get_warnings (document);
  g_assert_nonnull (warnings);
  g_assert_cmpstr (warnings[0], ==, "Example “x\\u202e”: “attentions\\x1b” is not a field attnflow reads, "
                   "and was ignored: did you mean “attention”?");
  g_assert_null (attn_document_find_example (document, "z\033[2J", &error));
  g_assert_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "No example “z\\x1b[2J”: the file has 2 examples (ids or indices 0 to 1)");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attn/core/error/escape-text", test_error_escape_text);
  g_test_add_func ("/attn/core/error/escaped-cut", test_error_escaped_cut);
  g_test_add_func ("/attn/core/error/quote-text", test_error_quote_text);
  g_test_add_func ("/attn/core/error/display-path", test_error_display_path);
  g_test_add_func ("/attn/core/error/loader-messages", test_error_loader_messages);
  g_test_add_func ("/attn/core/error/long-number", test_error_long_number);
  g_test_add_func ("/attn/core/error/document-messages", test_error_document_messages);

  return g_test_run ();
}
