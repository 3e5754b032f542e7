/* attn-keyword.c: the words options take, in any case
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A keyword is a word of the program's own (a method, a weight kind, a
 * colour map, a figure, a format, “all”, “none”): it is taken in any case of
 * its ASCII letters (“ALL”, “Flow”, “ALTI”), and shown in its own spelling.
 * A name that is data (an example's id, a reference's name, a file name) is
 * not a keyword and is matched exactly.
 */

#include "config.h"

#include "attn-keyword.h"

/**
 * attn_keyword_is:
 * @text: (nullable): a value as given, such as an option's
 * @keyword: the keyword, such as "all"
 *
 * Returns: whether @text is @keyword, in any case (ASCII)
 */
gboolean
attn_keyword_is (const char *text,
                 const char *keyword)
{
  g_return_val_if_fail (keyword != NULL, FALSE);

  return text != NULL && g_ascii_strcasecmp (text, keyword) == 0;
}

/**
 * attn_keyword_find:
 * @text: a value as given
 * @keywords: (array length=n_keywords): the keywords it may be
 * @n_keywords: their number, or -1 when @keywords ends with %NULL
 *
 * Returns: the index of the keyword @text is (attn_keyword_is()), or -1
 */
int
attn_keyword_find (const char         *text,
                   const char * const *keywords,
                   gssize              n_keywords)
{
  g_return_val_if_fail (keywords != NULL, -1);

  for (gssize i = 0; n_keywords < 0 ? keywords[i] != NULL : i < n_keywords; i++)
    if (attn_keyword_is (text, keywords[i]))
      return (int) i;
  return -1;
}
