/* attn-file-text.c: text from a file, as the figures and the app insert it
 * among their own words
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <fribidi.h>

#include "attn-render-private.h"

/* LEFT-TO-RIGHT MARK, FIRST STRONG ISOLATE; POP DIRECTIONAL ISOLATE. The
 * mark: Pango takes a line's direction from its first letter, one inside an
 * isolate too, and a line that starts with a Hebrew token (“שלום”
 * saturates) read right to left, its words in the other order. */
#define ISOLATE_START "\u200e\u2068"
#define ISOLATE_END   "\u2069"

/* Whether @c is written right to left (Hebrew, Arabic) or is an Arabic
 * digit: text with one may reorder the neutral characters next to it */
static gboolean
is_right_to_left (gunichar c)
{
  FriBidiCharType type = fribidi_get_bidi_type (c);

  return FRIBIDI_IS_RTL (type) || type == FRIBIDI_TYPE_AN;
}

/* Appends @text to @out as attn_text_from_file() shows it, up to @max_chars
 * of its characters (-1: all), each through @shown (nullable: as it is);
 * returns whether it holds right-to-left text */
static gboolean
append_escaped (GString     *out,
                const char  *text,
                glong        max_chars,
                void       (*shown) (GString *, gunichar))
{
  gboolean rtl = FALSE;
  glong chars = 0;

  for (const char *p = text; *p != '\0' && (max_chars < 0 || chars < max_chars); p = g_utf8_next_char (p), chars++)
    {
      gunichar c = g_utf8_get_char (p);

      /* as attnflow-cli prints them */
      if (attn_unichar_is_bidi_control (c))
        {
          g_string_append_printf (out, "\\u%04x", c);
          continue;
        }
      if (shown != NULL)
        shown (out, c);
      else
        g_string_append_unichar (out, c);
      rtl |= is_right_to_left (c);
    }
  return rtl;
}

/* @out (owned) in a bidi isolate when @rtl */
static char *
isolate (GString  *out,
         gboolean  rtl)
{
  if (rtl)
    {
      g_string_prepend (out, ISOLATE_START);
      g_string_append (out, ISOLATE_END);
    }
  return g_string_free (out, FALSE);
}

/**
 * attn_text_from_file:
 * @text: text from a file: an example's id, a model's name, a token, a
 *   sentence, a label, the file's own name
 *
 * Every text of a file the figures, their metadata and the app insert among
 * their own words goes through here, so that it cannot reorder them, break
 * their line or hide in them: its bidi controls (U+202A..U+202E,
 * U+2066..U+2069, U+200E, U+200F, U+061C), control characters and other
 * invisible ones (U+200B, U+2028) are shown as attnflow-cli prints them
 * (\u202e, \n, \x07, \u200b), and text that holds right-to-left
 * characters (Hebrew, Arabic) is set in a bidi isolate (U+2068 … U+2069)
 * after a left-to-right mark (U+200E): it reads right to left within
 * itself, and the tool's text around it keeps its order, the line its
 * direction (left to right, as the tool's languages are written).
 *
 * Returns: (transfer full): @text as shown
 */
char *
attn_text_from_file (const char *text)
{
  GString *out = g_string_new (NULL);
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  /* its control and invisible characters as attnflow-cli prints them */
  escaped = attn_error_escape_text (text, -1);
  return isolate (out, append_escaped (out, escaped, -1, NULL));
}

/**
 * attn_text_from_file_name:
 * @name: a file's name (or the tail of its path), in the file system's encoding
 *
 * Returns: (transfer full): @name as the app shows it, among its own words
 *   too: as messages name it (attn_error_display_path(): “ok\u202eevil.json”,
 *   “caf\xe9.json”, as attnflow-cli prints it), set as a file's text
 *   (attn_text_from_file())
 */
char *
attn_text_from_file_name (const char *name)
{
  g_autofree char *display = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  display = attn_error_display_path (name);
  return attn_text_from_file (display);
}

/* A token's character as shown: whitespace and control characters made
 * visible; the other characters attnflow-cli escapes (invisible ones: a
 * zero-width space made “a\u200bb” look as “ab”, a word joiner alone drew
 * nothing, a line separator set the label in two lines) as it prints them */
static void
token_char (GString  *out,
            gunichar  c)
{
  if (c == '\n')
    g_string_append (out, "↵");
  else if (c == '\t')
    g_string_append (out, "⇥");
  else if (c == ' ')
    g_string_append (out, "␣");
  else if (g_unichar_iscntrl (c))
    g_string_append (out, "·");
  else if (attn_unichar_is_escaped (c))
    {
      char utf8[8] = { 0 };
      g_autofree char *escaped = NULL;

      g_unichar_to_utf8 (c, utf8);
      escaped = attn_error_escape_text (utf8, -1);
      g_string_append (out, escaped);
    }
  else
    g_string_append_unichar (out, c);
}

/**
 * attn_token_display_up_to:
 * @token: a token
 * @max_chars: the most characters shown, an ellipsis after them; -1 for all
 *
 * Returns: (transfer full): @token as shown: its whitespace and control
 *   characters made visible (␣ ↵ ⇥ ·), its bidi controls and invisible
 *   characters as attnflow-cli prints them (\u202e, \u200b), “∅” for an
 *   empty one, long ones shortened with an ellipsis, as
 *   attn_text_from_file() shows a file's text
 */
char *
attn_token_display_up_to (const char *token,
                          glong       max_chars)
{
  GString *out = g_string_new (NULL);
  gboolean rtl;

  g_return_val_if_fail (token != NULL, NULL);

  if (*token == '\0')
    return g_strdup ("∅");
  rtl = append_escaped (out, token, max_chars, token_char);
  if (max_chars >= 0 && g_utf8_strlen (token, -1) > max_chars)
    g_string_append (out, "…");
  return isolate (out, rtl);
}

/**
 * attn_token_display:
 * @token: a token
 *
 * Returns: (transfer full): @token as titles, captions and the labels of a
 *   figure fitted to a view show it (attn_token_display_up_to()), shortened
 *   past %ATTN_TOKEN_MAX_CHARS characters
 */
char *
attn_token_display (const char *token)
{
  return attn_token_display_up_to (token, ATTN_TOKEN_MAX_CHARS);
}

/**
 * attn_token_display_whole:
 * @token: a token
 *
 * Returns: (transfer full): @token as the status line and the labels of a
 *   figure at its natural size show it (attn_token_display_up_to()): whole,
 *   up to %ATTN_TOKEN_WHOLE_MAX_CHARS characters
 */
char *
attn_token_display_whole (const char *token)
{
  return attn_token_display_up_to (token, ATTN_TOKEN_WHOLE_MAX_CHARS);
}

/* @text, or where it is longer than @max_chars characters, as many of its
 * first characters as fit in @max_chars - 1 and an ellipsis (@max_chars in
 * all at most), never cut in an escape (attn_error_escaped_cut()); text
 * in a bidi isolate (attn_text_from_file()) keeps it */
char *
_attn_shorten_text (const char *text,
                    glong       max_chars)
{
  gsize start_len = strlen (ISOLATE_START), end_len = strlen (ISOLATE_END), len = strlen (text);
  const char *end;

  if (len >= start_len + end_len && g_str_has_prefix (text, ISOLATE_START) && g_str_has_suffix (text, ISOLATE_END))
    {
      g_autofree char *inner = g_strndup (text + start_len, len - start_len - end_len);
      g_autofree char *shorter = _attn_shorten_text (inner, max_chars);

      return g_strconcat (ISOLATE_START, shorter, ISOLATE_END, NULL);
    }
  if (g_utf8_strlen (text, -1) <= max_chars)
    return g_strdup (text);
  /* whole characters and escapes, while they fit */
  end = attn_error_escaped_cut (text, max_chars - 1, FALSE);
  return g_strdup_printf ("%.*s…", (int) (end - text), text);
}
