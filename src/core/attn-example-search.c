/* attn-example-search.c: finding an example among many, and telling files apart
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "attn-example-search.h"

/**
 * attn_search_fold:
 * @text: UTF-8 text
 *
 * The form both sides of a search are compared in: compatibility-normalised
 * (NFKC: "ﬁ" is "fi", full-width digits are digits) and case-folded.
 *
 * Returns: (transfer full): the folded text
 */
char *
attn_search_fold (const char *text)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  normal = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);
  return g_utf8_casefold (normal != NULL ? normal : text, -1);
}

/* Subword markers: WordPiece continues a word with "##"; byte-level BPE
 * (GPT-2, RoBERTa) starts one with "Ġ", SentencePiece with "▁". */
static void
append_detokenized (GString    *out,
                    const char *token)
{
  if (g_str_has_prefix (token, "##"))
    g_string_append (out, token + 2);
  else if (g_str_has_prefix (token, "Ġ") || g_str_has_prefix (token, "▁"))
    {
      g_string_append_c (out, ' ');
      g_string_append (out, g_utf8_next_char (token));
    }
  else
    {
      g_string_append_c (out, ' ');
      g_string_append (out, token);
    }
}

/**
 * attn_example_get_search_text:
 * @example: an example
 *
 * What a search for an example looks at, folded (attn_search_fold()): its
 * id (or index), its text, its tokens as they are and its tokens put back
 * together into words ("hop ##ped" is also "hopped"), one per line.
 *
 * Returns: (transfer full): the text to search with attn_search_matches()
 */
char *
attn_example_get_search_text (AttnExample *example)
{
  GString *out = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (example != NULL, NULL);

  n = attn_example_get_n_tokens (example);
  g_string_append (out, attn_example_get_label (example));
  g_string_append_c (out, '\n');
  if (attn_example_get_text (example) != NULL)
    g_string_append (out, attn_example_get_text (example));
  g_string_append_c (out, '\n');
  for (guint i = 0; i < n; i++)
    {
      g_string_append (out, attn_example_get_token (example, i));
      g_string_append_c (out, ' ');
    }
  g_string_append_c (out, '\n');
  for (guint i = 0; i < n; i++)
    append_detokenized (out, attn_example_get_token (example, i));

  {
    g_autofree char *raw = g_string_free (out, FALSE);

    return attn_search_fold (raw);
  }
}

/**
 * attn_search_matches:
 * @search_text: folded text (attn_example_get_search_text(), or any text
 *   passed through attn_search_fold())
 * @query: what the user typed
 *
 * Every word of @query (separated by white space) must occur somewhere in
 * @search_text, in any order and anywhere in a word: "0825" finds
 * "sst2-0825", "movie" finds a sentence with "movie" in it. A query of only
 * white space matches everything.
 *
 * Returns: whether @search_text matches
 */
gboolean
attn_search_matches (const char *search_text,
                     const char *query)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (search_text != NULL, FALSE);
  g_return_val_if_fail (query != NULL, FALSE);

  folded = attn_search_fold (query);
  words = g_strsplit_set (folded, " \t\n\r", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && strstr (search_text, words[i]) == NULL)
      return FALSE;

  return TRUE;
}

/* The last @n components of @path (fewer if it has fewer), joined by '/'. */
static char *
path_tail (char * const *parts,
           guint         n_parts,
           guint         n)
{
  guint first = n_parts > n ? n_parts - n : 0;

  return g_strjoinv ("/", (char **) parts + first);
}

/**
 * attn_file_names_distinct:
 * @paths: (array zero-terminated=1): file paths
 *
 * Short names that tell the files apart: the base name, and where two files
 * share it, as many of the folders above as it takes to tell them apart
 * ("a/sst2.json" and "b/sst2.json"; "x/a/t.json" and "y/a/t.json"). Equal
 * paths keep equal names.
 *
 * Returns: (transfer full) (array zero-terminated=1): one name per path
 */
char **
attn_file_names_distinct (const char * const *paths)
{
  g_autoptr(GPtrArray) split = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint n;
  char **names;

  g_return_val_if_fail (paths != NULL, NULL);

  n = g_strv_length ((char **) paths);
  names = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *canonical = g_canonicalize_filename (paths[i], "/");
      char **parts = g_strsplit (canonical + 1, "/", -1);   /* without the leading "/" */

      g_ptr_array_add (split, parts);
    }

  for (guint i = 0; i < n; i++)
    {
      char **mine = g_ptr_array_index (split, i);
      guint n_mine = g_strv_length (mine), need = 1;

      for (guint j = 0; j < n; j++)
        {
          char **other = g_ptr_array_index (split, j);
          guint n_other = g_strv_length (other), same = 0;

          if (j == i)
            continue;
          /* how many trailing components the two share */
          while (same < n_mine && same < n_other
                 && g_str_equal (mine[n_mine - 1 - same], other[n_other - 1 - same]))
            same++;
          if (same > 0 && !(same == n_mine && same == n_other))
            need = MAX (need, same + 1);
        }
      names[i] = path_tail (mine, n_mine, need);
    }

  return names;
}
