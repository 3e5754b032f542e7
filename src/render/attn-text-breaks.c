/* attn-text-breaks.c: where Korean text may break a line (words, a
 * particle's two forms, a quoted name and its particle), for the text
 * layouts of attn-render-util.c
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "attn-figure-style.h"
#include "attn-render-private.h"

/* The most letters or digits of another script a Korean word may start
 * with ("JSON이"): a longer run breaks as before */
#define MAX_WORD_PREFIX 24

/* Where the word that @hangul (in @text) is part of starts: before the
 * letters and digits of another script it follows, up to a few, or before
 * the quoted name it follows (“his”은(는): a particle does not start a
 * line of its own, the name left at the end of the one before) */
static const char *
word_start (const char *text,
            const char *hangul)
{
  const char *start = hangul;

  if (start > text && g_utf8_get_char (g_utf8_prev_char (start)) == 0x201D)
    {
      const char *p = g_utf8_prev_char (start);

      for (guint n = 0; n < MAX_WORD_PREFIX && p > text; n++)
        {
          p = g_utf8_prev_char (p);
          if (g_utf8_get_char (p) == 0x201C)
            return p;
          if (g_utf8_get_char (p) == 0x201D)
            break;
        }
    }
  for (guint n = 0; n < MAX_WORD_PREFIX && start > text; n++)
    {
      const char *prev = g_utf8_prev_char (start);

      if (!g_unichar_isalnum (g_utf8_get_char (prev)))
        return start;
      start = prev;
    }
  /* longer: not a word a particle follows (a hash, a file's name) */
  return start > text && g_unichar_isalnum (g_utf8_get_char (g_utf8_prev_char (start))) ? hangul : start;
}

/**
 * attn_text_keep_together:
 * @attrs: (nullable) (transfer full): attributes, or %NULL for new ones
 * @start: a byte index of the text
 * @end: a byte index after @start
 *
 * Returns: (transfer full): @attrs (created if %NULL) with no line break
 *   between bytes @start and @end
 */
PangoAttrList *
attn_text_keep_together (PangoAttrList *attrs,
                         gsize          start,
                         gsize          end)
{
  PangoAttribute *attr = pango_attr_allow_breaks_new (FALSE);

  attr->start_index = start;
  attr->end_index = end;
  if (attrs == NULL)
    attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, attr);
  return attrs;
}

/**
 * attn_text_word_breaks_new:
 * @text: the text of @layout, or of a label
 * @layout: (nullable): where @text is set, to measure it
 * @wrap_width: with @layout: the width it wraps at, in pixels
 *
 * Korean is set with breaks between words, not between the syllables of a
 * word as Unicode line breaking allows (중요/도): attributes that allow no
 * break inside a run of Hangul in @text; with @layout, not for a run wider
 * than @wrap_width alone. A bracket between two syllables is in the run: a
 * particle's two forms, “파일”이(가), are one word with the quoted name
 * before them (it broke before "(가)", and before ")" too, and a particle
 * started a line after a name); in a run wider than @wrap_width, the two
 * forms at least are kept together;
 * so is a Latin word or a number a particle follows: "JSON이" (it broke as
 * "JSON-" / "이", with a hyphen). No line starts with the "·" between
 * the parts of a caption either (Korean captions' lines did), and the
 * label “model:” keeps the start of the model's name on its line.
 *
 * Returns: (transfer full) (nullable): the attributes, or %NULL for a text
 *   without Hangul, "·" or a model's label
 */
/* Whether @text's run @start..@end fits in @wrap_width on one line of
 * @layout (always without one); *@line is the layout unwrapped, made once */
static gboolean
run_fits (const char   *text,
          const char   *start,
          const char   *end,
          PangoLayout  *layout,
          PangoLayout **line,
          double        wrap_width)
{
  PangoRectangle from, to;

  if (layout == NULL)
    return TRUE;
  if (*line == NULL)
    {
      *line = pango_layout_copy (layout);
      pango_layout_set_width (*line, -1);
    }
  pango_layout_index_to_pos (*line, start - text, &from);
  pango_layout_index_to_pos (*line, end - text, &to);
  return ABS (to.x - from.x) <= wrap_width * PANGO_SCALE;
}

/* @attrs with no break between the label of a caption's model, “model:”
 * or “models:” (_attn_models_format()), and the first character of the
 * name after it: the name starts on the label's line (it was left alone on
 * the next, the label at the end of the line before) */
static PangoAttrList *
keep_model_label (PangoAttrList *attrs,
                  const char    *text)
{
  for (guint several = 0; several < 2; several++)
    {
      const char *format = _attn_models_format (several);
      const char *spec = strstr (format, "%s");
      g_autofree char *label = spec != NULL ? g_strndup (format, spec - format) : NULL;

      if (label == NULL || *label == '\0')
        continue;
      for (const char *p = strstr (text, label); p != NULL; p = strstr (p + 1, label))
        {
          const char *name = p + strlen (label);

          /* the label as a word of its own, a name after it */
          if ((p == text || p[-1] == ' ') && *name != '\0')
            attrs = attn_text_keep_together (attrs, p - text, g_utf8_next_char (name) - text);
        }
    }
  return attrs;
}

/* Whether the bracket at @p closes the other form of a particle in the run
 * from @start: "(는)" of 은(는), "(가)" of 이(가); a Hangul syllable or
 * two after the "(" that opens it, a Hangul syllable before that */
static gboolean
closes_particle (const char *start,
                 const char *p)
{
  const char *open = p;

  if (g_utf8_get_char (p) != ')')
    return FALSE;
  for (guint n = 0; n < 3 && open > start; n++)
    {
      open = g_utf8_prev_char (open);
      if (g_utf8_get_char (open) == '(')
        return n > 0 && open > start &&
               g_unichar_get_script (g_utf8_get_char (g_utf8_prev_char (open))) == G_UNICODE_SCRIPT_HANGUL;
      if (g_unichar_get_script (g_utf8_get_char (open)) != G_UNICODE_SCRIPT_HANGUL)
        return FALSE;
    }
  return FALSE;
}

/* @attrs with no break inside the particles of the run @start..@end of
 * @text that both forms name, 은(는), from the syllable before the "(" to
 * the ")" and the syllable after it, if any ((으)로), and a space after */
static PangoAttrList *
keep_particles (PangoAttrList *attrs,
                const char    *text,
                const char    *start,
                const char    *end)
{
  for (const char *p = start; p < end; p = g_utf8_next_char (p))
    if (closes_particle (start, p))
      {
        const char *from = p, *to = g_utf8_next_char (p);

        while (g_utf8_get_char (from) != '(')
          from = g_utf8_prev_char (from);
        from = g_utf8_prev_char (from);
        if (to < end && g_unichar_get_script (g_utf8_get_char (to)) == G_UNICODE_SCRIPT_HANGUL)
          to = g_utf8_next_char (to);
        /* and the space after them: a line too narrow for the run broke
         * before it, the next line starting with a space */
        if (*to == ' ')
          to++;
        attrs = attn_text_keep_together (attrs, from - text, to - text);
      }
  return attrs;
}

static gboolean
is_id_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '-' || c == '_';
}

PangoAttrList *
attn_text_word_breaks_new (const char  *text,
                           PangoLayout *layout,
                           double       wrap_width)
{
  g_autoptr(PangoLayout) line = NULL;
  PangoAttrList *attrs = NULL;
  const char *start = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean hangul = c != 0 && g_unichar_get_script (c) == G_UNICODE_SCRIPT_HANGUL;

      if (start != NULL && !hangul &&
          (g_unichar_type (c) == G_UNICODE_OPEN_PUNCTUATION ||
           g_unichar_type (c) == G_UNICODE_CLOSE_PUNCTUATION))
        hangul = g_unichar_get_script (g_utf8_get_char (g_utf8_next_char (p))) == G_UNICODE_SCRIPT_HANGUL ||
                 closes_particle (start, p);

      if (c == ' ' && g_str_has_prefix (p + 1, "·"))
        attrs = attn_text_keep_together (attrs, p - text, p + 1 + strlen ("·") - text);
      if (hangul && start == NULL)
        start = word_start (text, p);
      else if (!hangul && start != NULL)
        {
          /* the run's width on one line; wider, its particles' two forms
           * still together (“his”은(는) at 40 px broke as "은(는" / ")") */
          if (run_fits (text, start, p, layout, &line, wrap_width))
            attrs = attn_text_keep_together (attrs, start - text, p - text);
          else
            attrs = keep_particles (attrs, text, start, p);
          start = NULL;
        }
      if (c == 0)
        break;
    }
  /* an id with a hyphen (“author-her”) is one word where it fits: Pango
   * breaks after the hyphen */
  for (const char *p = text; *p != '\0';)
    {
      const char *q = p;
      gboolean hyphen = FALSE;

      while (*q != '\0' && is_id_char (g_utf8_get_char (q)))
        {
          const char *next = g_utf8_next_char (q);

          hyphen |= *q == '-' && q > p && *next != '\0' && is_id_char (g_utf8_get_char (next));
          q = next;
        }
      if (hyphen && run_fits (text, p, q, layout, &line, wrap_width))
        attrs = attn_text_keep_together (attrs, p - text, q - text);
      p = q > p ? q : g_utf8_next_char (p);
    }
  return keep_model_label (attrs, text);
}
