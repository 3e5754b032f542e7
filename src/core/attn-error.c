/* attn-error.c: the ATTN_ERROR domain, and how messages name an example and
 * quote a file's text
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "attn-error.h"

G_DEFINE_QUARK (attn-error-quark, attn_error)

/**
 * attn_error_example_name:
 * @id: (nullable): the example's id; empty is none, as the loader reads it
 * @index: its 0-based index in the file, as `--example` takes it
 *
 * How the loader's messages name an example, after “Example ”: its id,
 * escaped and shortened (attn_error_quote_text()) and quoted (“cat-mat”), else its
 * index and that it has none (0 (no id)): the index alone, quoted, read as an
 * id the file does not have.
 *
 * Returns: (transfer full): the name
 */
char *
attn_error_example_name (const char *id,
                         guint       index)
{
  g_autofree char *shortened = NULL;

  /* an empty id is no id, as the loader reads it */
  if (id == NULL || id[0] == '\0')
    /* translators: how a message names an example without an id, after “Example ”: its
     * 0-based index, as --example takes it */
    return g_strdup_printf (_("%u (no id)"), index);
  shortened = attn_error_quote_text (id);
  /* translators: how a message names an example by its id, after “Example ” */
  return g_strdup_printf (_("“%s”"), shortened);
}

/**
 * attn_unichar_is_bidi_control:
 * @c: a character
 *
 * The bidi controls: the embeddings and overrides U+202A..U+202E, the
 * isolates U+2066..U+2069 and the marks U+200E, U+200F and U+061C, which
 * reorder the text around them (“abc” then U+202E shows the rest of a line
 * backwards).
 *
 * Returns: whether @c is one
 */
gboolean
attn_unichar_is_bidi_control (gunichar c)
{
  return c == 0x061c || c == 0x200e || c == 0x200f ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* U+0080..U+009F: C1 controls, which some terminals obey like ESC sequences */
#define IS_C1(c) ((c) >= 0x80 && (c) <= 0x9f)

/* ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER: format characters that are
 * part of the spelling of Persian and Indic words and of emoji */
#define IS_JOINER(c) ((c) == 0x200c || (c) == 0x200d)

/* Whether @c, not a control character, is shown as an escape: a format
 * character (Unicode category Cf) other than the joiners, such as the bidi
 * controls (attn_unichar_is_bidi_control()), the zero-width space U+200B,
 * the word joiner U+2060, U+FEFF and the tag characters U+E0001,
 * U+E0020..U+E007F (invisible: two ids that look the same differ by them),
 * and the line and paragraph separators U+2028 and U+2029 (line breaks in a
 * label and to some terminals) */
static gboolean
is_invisible (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return (type == G_UNICODE_FORMAT && !IS_JOINER (c)) ||
         type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR;
}

/**
 * attn_unichar_is_escaped:
 * @c: a character
 *
 * Whether attn_error_escape_text() shows @c as an escape: a C0 or C1
 * control, DEL, or an invisible character (see is_invisible()).
 *
 * Returns: whether it does
 */
gboolean
attn_unichar_is_escaped (gunichar c)
{
  return c < 0x20 || c == 0x7f || IS_C1 (c) || is_invisible (c);
}

/**
 * attn_error_escape_text:
 * @text: text from a file, or a file's name: any bytes
 * @max_chars: the most of its characters shown, an ellipsis after them; -1
 *   for all
 *
 * @text made safe to quote in a message, in the app's windows and on a
 * terminal, where control characters would act as commands (an ESC sequence
 * may retitle or clear it) and break lines, bidi controls would reorder what
 * follows them and invisible characters would hide in it. They all become
 * visible escapes, as C writes them: \n and \t; \x1b for the other C0
 * controls and DEL (and \xff for a byte that is not UTF-8, in a file name);
 * \u009b for C1 controls and the invisible characters of the Basic
 * Multilingual Plane (\u202e; see is_invisible()), \U000e0041 for those
 * above it. The figures show the bidi controls the same way
 * (attn_text_from_file()). A backslash stays one. (Such text is shortened
 * in whole escapes: escape_length() reads these forms and must follow any
 * change to them.)
 *
 * Returns: (transfer full): @text as a message and attnflow-cli show it
 */
char *
attn_error_escape_text (const char *text,
                        glong       max_chars)
{
  GString *out;
  glong chars = 0;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; chars++)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (max_chars >= 0 && chars == max_chars)
        {
          g_string_append (out, "…");
          break;
        }
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* not UTF-8 (a file name): show the byte */
          g_string_append_printf (out, "\\x%02x", (guint8) *p);
          p++;
          continue;
        }
      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else if (IS_C1 (c) || (c <= 0xffff && is_invisible (c)))
        g_string_append_printf (out, "\\u%04x", c);
      else if (is_invisible (c))
        g_string_append_printf (out, "\\U%08x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

/* The length of the escape @p starts, as attn_error_escape_text() writes
 * them (\n, \t, \x1b, \u202e, \U000e0041: ASCII, as many bytes as
 * characters); 0 where it starts none */
static gsize
escape_length (const char *p)
{
  static const struct { char letter; guint digits; } escapes[] = {
    { 'n', 0 }, { 't', 0 }, { 'x', 2 }, { 'u', 4 }, { 'U', 8 },
  };

  if (p[0] != '\\')
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (escapes); i++)
    if (p[1] == escapes[i].letter)
      {
        /* the terminating nul is no digit: no read past it */
        for (guint d = 0; d < escapes[i].digits; d++)
          if (!g_ascii_isxdigit (p[2 + d]))
            return 0;
        return 2 + escapes[i].digits;
      }
  return 0;
}

/**
 * attn_error_escaped_cut:
 * @text: valid UTF-8 text with escapes as attn_error_escape_text() writes
 *   them: a message, a file's text as shown
 * @chars: a number of characters, an escape counting as many as it has
 * @after: whether to cut at the first place at or after @chars characters
 *   rather than the last at or before them
 *
 * Where @text may be cut near its @chars-th character: between whole
 * characters and escapes, never in an escape (“\x1…”, “\u20…” read as
 * neither the character nor the text). The figures shorten a file's text
 * and the Details of a toast a long message at such places.
 *
 * Returns: (transfer none): a place in @text, its end where it is no
 *   longer than @chars characters
 */
const char *
attn_error_escaped_cut (const char *text,
                        glong       chars,
                        gboolean    after)
{
  const char *p = text;
  glong n = 0;

  g_return_val_if_fail (text != NULL, NULL);

  while (*p != '\0' && n < chars)
    {
      gsize escape = escape_length (p);
      glong unit = escape > 0 ? (glong) escape : 1;

      if (!after && n + unit > chars)
        break;
      n += unit;
      p = escape > 0 ? p + escape : g_utf8_next_char (p);
    }
  return p;
}

/**
 * attn_error_quote_text:
 * @text: text from a file a message quotes: an example's id, a key, a field's
 *   name, a token, a label, a dtype
 *
 * Every text of a file a message of the loader quotes goes through here
 * (attn_error_escape_text()), shortened to its first
 * %ATTN_ERROR_NAME_MAX_CHARS characters and “…”.
 *
 * Returns: (transfer full): @text as a message quotes it, without the quotes
 */
char *
attn_error_quote_text (const char *text)
{
  return attn_error_escape_text (text, ATTN_ERROR_NAME_MAX_CHARS);
}

/**
 * attn_error_display_path:
 * @path: a file's name, in the file system's encoding
 *
 * Returns: (transfer full): @path as a message names it, whole, escaped as
 *   attn_error_escape_text() escapes a file's text (a name may hold a
 *   newline, ESC or U+202E, or a byte that is not UTF-8: \xe9), as
 *   attnflow-cli names the files it is given; converted to UTF-8 first
 *   where file names are in another encoding (g_filename_display_name())
 */
char *
attn_error_display_path (const char *path)
{
  g_autofree char *display = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_get_filename_charsets (NULL))
    return attn_error_escape_text (path, -1);
  display = g_filename_display_name (path);
  return attn_error_escape_text (display, -1);
}

/**
 * attn_error_format_size:
 * @bytes: a size, in bytes
 *
 * How messages give a size of memory or of data, every one alike: in
 * binary units, as the memory is counted (g_format_size_full() with
 * %G_FORMAT_SIZE_IEC_UNITS: “512.0 MiB”, “2.0 GiB”, with a no-break space).
 *
 * Returns: (transfer full): the size as messages give it
 */
char *
attn_error_format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

/**
 * attn_error_display_file:
 * @file: a file
 *
 * Returns: (transfer full): @file as a message names it: a local one by its
 *   path (attn_error_display_path()), another by its URI, escaped
 */
char *
attn_error_display_file (GFile *file)
{
  g_autofree char *path = NULL;
  g_autofree char *parse_name = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if ((path = g_file_get_path (file)) != NULL)
    return attn_error_display_path (path);
  parse_name = g_file_get_parse_name (file);
  return attn_error_escape_text (parse_name, -1);
}
