/* attn-keyword.c: the words options take, in any case, and their numbers;
 * the values messages name
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

#include <math.h>
#include <string.h>

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

/**
 * attn_parse_number:
 * @text: a value as given
 * @value: (out): the number
 *
 * A position, layer or head: a non-negative decimal number, digits only. One
 * too large for a guint (even for 64 bits) is a number all the same, of a
 * position, layer or head no example has: @value is then %G_MAXUINT, and
 * messages name it by attn_number_digits().
 *
 * Returns: whether @text is such a number
 */
gboolean
attn_parse_number (const char *text,
                   guint      *value)
{
  guint64 v;

  if (*text == '\0' || strspn (text, "0123456789") != strlen (text))
    return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &v, NULL))
    v = G_MAXUINT;
  *value = (guint) v;
  return TRUE;
}

/**
 * attn_number_digits:
 * @text: a number attn_parse_number() read
 *
 * Returns: (transfer none): the number as given, however large, without its
 *   leading zeros: the end of @text
 */
const char *
attn_number_digits (const char *text)
{
  while (text[0] == '0' && text[1] != '\0')
    text++;
  return text;
}

/**
 * attn_message_value:
 * @buffer: where to write, %G_ASCII_DTOSTR_BUF_SIZE bytes
 * @value: a value found in a file
 *
 * Writes @value as messages name it, in the C locale: "%g", and a value that
 * is not finite as JSON text spells it (NaN, Infinity, -Infinity), whatever
 * it was read from (JSON text, .npy, base64) and whatever its sign bit.
 *
 * Returns: (transfer none): @buffer
 */
const char *
attn_message_value (char   *buffer,
                    double  value)
{
  if (isnan (value))
    g_strlcpy (buffer, "NaN", G_ASCII_DTOSTR_BUF_SIZE);
  else if (isinf (value))
    g_strlcpy (buffer, value > 0. ? "Infinity" : "-Infinity", G_ASCII_DTOSTR_BUF_SIZE);
  else
    g_ascii_formatd (buffer, G_ASCII_DTOSTR_BUF_SIZE, "%g", value);
  return buffer;
}
