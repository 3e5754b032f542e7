/* attn-loader-where.c: where in the text the loader's messages point: the
 * line and column of an offset, where a value is inside a field (for the
 * scan's messages about text that is not JSON: NaN, Infinity, stray words)
 * and the id of the example it is in, read ahead
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "attn-loader-private.h"

/* Keys longer than this are not named (the message gives the line and column). */
#define MAX_NAMED_KEY 200

/* The line of @offset in @text, from 1 */
guint
_attn_loader_line_of (const char *text,
                      gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (text[i] == '\n')
      line++;

  return line;
}

/* The column (in characters, a byte-order mark not one) of @offset in @text */
guint
_attn_loader_column_of (const char *text,
                        gsize       offset)
{
  gsize start = offset;

  while (start > 0 && text[start - 1] != '\n')
    start--;
  if (start == 0 && offset >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    start = 3;
  return 1 + (guint) g_utf8_strlen (text + start, (gssize) (offset - start));
}

/* The line and column of @offset in @text, as above */
void
_attn_loader_line_column (const char *text,
                          gsize       offset,
                          guint      *line,
                          guint      *column)
{
  *line = _attn_loader_line_of (text, offset);
  *column = _attn_loader_column_of (text, offset);
}

typedef struct
{
  gboolean object;
  gsize    start;       /* its '[' or '{' */
  guint    index;       /* arrays: the element the walk is in */
  gsize    key_start;   /* objects: the member the walk is in */
  gsize    key_length;  /* 0 when there is none, or it cannot be named */
} Level;

/* The closing quote of the string opening at @p, or @to when it is not
 * closed before @to. */
static gsize
string_end (const char *text,
            gsize       p,
            gsize       to,
            gboolean   *plain)
{
  *plain = TRUE;
  for (p++; p < to && text[p] != '"'; p++)
    if (text[p] == '\\')
      {
        *plain = FALSE;
        p++;
      }
  return MIN (p, to);
}

/* Walks the text of a field's value from @from (its first character) to @to,
 * counting the elements of its arrays and naming the members of its objects:
 * fills @levels with the containers open at @to, outermost first. Returns
 * their number, or 0 when @to is not inside a container of the value. */
static guint
walk (const char *text,
      gsize       from,
      gsize       to,
      Level      *levels)
{
  guint depth = 0;
  gboolean expect_key = FALSE;

  for (gsize p = from; p < to; p++)
    {
      char c = text[p];
      Level *top = depth > 0 ? &levels[depth - 1] : NULL;

      if (c == '"')
        {
          gboolean plain;
          gsize end = string_end (text, p, to, &plain);

          if (top != NULL && top->object && expect_key)
            {
              top->key_start = p + 1;
              /* a key named in a message is valid UTF-8, and all there (not cut short) */
              top->key_length = plain && end < to && end - p - 1 <= MAX_NAMED_KEY &&
                                g_utf8_validate (text + p + 1, (gssize) (end - p - 1), NULL) ? end - p - 1 : 0;
              expect_key = FALSE;
            }
          p = end;
        }
      else if (c == '[' || c == '{')
        {
          if (depth == MAX_DEPTH)
            return 0;
          levels[depth++] = (Level) { c == '{', p, 0, 0, 0 };
          expect_key = c == '{';
        }
      else if (c == ']' || c == '}')
        {
          if (depth == 0)
            return 0;
          depth--;
        }
      else if (c == ',' && top != NULL)
        {
          if (top->object)
            {
              top->key_length = 0;
              expect_key = TRUE;
            }
          else
            top->index++;
        }
      if (depth == 0)
        return 0; /* the value closed before @to */
    }

  return depth;
}

/* "[0][3]" for the array indices of @levels. */
static char *
indices_text (const Level *levels,
              guint        n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "[%u]", levels[i].index);
  return g_string_free (s, FALSE);
}

/* “entry 4” for an element of an array, “entry [0][3]” of nested arrays */
static char *
entry_text (const Level *levels,
            guint        n)
{
  g_autofree char *path = NULL;

  if (n == 1)
    return g_strdup_printf (_("entry %u"), levels[0].index);
  path = indices_text (levels, n);
  /* translators: %s is a path of array indices such as [0][3] */
  return g_strdup_printf (_("entry %s"), path);
}

/*
 * _attn_loader_value_position:
 * For a value at @at inside the value of the field @field, whose text starts
 * at @field_at: sets @field_out to the field named down through its objects
 * (“references.blankout”, “contributions.norm”) and @position_out to where
 * the value is in the arrays below that, as the loader's other messages say
 * it: “layer 1, head 0, row 2, column 3” in attention and contributions,
 * “candidate 1” in a prediction's candidates, “entry 4” elsewhere. Returns
 * FALSE, setting neither, when @at is not inside an array of the field.
 */
gboolean
_attn_loader_value_position (const char  *text,
                             gsize        field_at,
                             gsize        at,
                             const char  *field,
                             char       **field_out,
                             char       **position_out)
{
  Level levels[MAX_DEPTH];
  guint depth, first_array = 0, n_indices;
  g_autoptr (GString) name = NULL;
  const guint *i;
  guint index[MAX_DEPTH];

  if (field == NULL || field_at >= at || (depth = walk (text, field_at, at, levels)) == 0)
    return FALSE;

  /* the objects down to the first array name the field */
  name = g_string_new (field);
  for (; first_array < depth && levels[first_array].object; first_array++)
    {
      if (levels[first_array].key_length == 0)
        return FALSE;
      g_string_append_c (name, '.');
      g_string_append_len (name, text + levels[first_array].key_start,
                           (gssize) levels[first_array].key_length);
    }
  if (first_array == depth)
    return FALSE;

  /* the arrays after it, up to the next object */
  for (n_indices = 0; first_array + n_indices < depth && !levels[first_array + n_indices].object;
       n_indices++)
    index[n_indices] = levels[first_array + n_indices].index;
  i = index;

  if (g_str_has_suffix (name->str, "candidates"))
    *position_out = g_strdup_printf (_("candidate %u"), i[0]);
  else if ((strcmp (field, "attention") == 0 || strcmp (field, "contributions") == 0) &&
           first_array + n_indices == depth && n_indices == 4)
    *position_out = g_strdup_printf (_("layer %u, head %u, row %u, column %u"),
                                     i[0] + 1, i[1], i[2], i[3]);
  else if ((strcmp (field, "attention") == 0 || strcmp (field, "contributions") == 0) &&
           first_array + n_indices == depth && n_indices == 3)
    *position_out = g_strdup_printf (_("layer %u, row %u, column %u"), i[0] + 1, i[1], i[2]);
  else
    *position_out = entry_text (levels + first_array, n_indices);

  *field_out = g_string_free (g_steal_pointer (&name), FALSE);
  return TRUE;
}

/* Whether the value at @at, not an array or object, runs to @length: a
 * string not closed, or a number or word with nothing after it */
static gboolean
scalar_cut (const char *text,
            gsize       at,
            gsize       length)
{
  gboolean plain;

  if (text[at] == '"')
    return string_end (text, at, length, &plain) >= length;
  while (at < length && text[at] != ',' && text[at] != ']' && text[at] != '}' &&
         !_attn_loader_is_json_space (text[at]))
    at++;
  return at >= length;
}

/* Where in the @n arrays @levels (outermost first, @text cut short at
 * @length) the text stops: in attention and contributions, their layer,
 * head, row and column (no head in an array of rank 3, the rank told by the
 * brackets its text opens with); “candidate 1” in candidates; else “entry
 * 4”, or “entry [0][3]” */
static char *
cut_position (const char  *text,
              gsize        length,
              const char  *field,
              const char  *name,
              const Level *levels,
              guint        n)
{
  g_autoptr (GString) s = g_string_new (NULL);
  guint rank = 0;

  if (g_str_has_suffix (name, "candidates"))
    return g_strdup_printf (_("candidate %u"), levels[0].index);
  for (gsize p = levels[0].start; p < length && (text[p] == '[' || _attn_loader_is_json_space (text[p])); p++)
    rank += text[p] == '[';
  if ((strcmp (field, "attention") != 0 && strcmp (field, "contributions") != 0) ||
      (rank != 3 && rank != 4) || n > rank)
    return entry_text (levels, n);

  for (guint i = 0; i < n; i++)
    {
      guint index = levels[i].index;

      if (i > 0)
        g_string_append (s, ", ");
      /* layer 1-based, the others 0-based, as in the loader's other messages */
      switch (rank == 3 && i > 0 ? i + 1 : i)
        {
        case 0:
          g_string_append_printf (s, _("layer %u"), index + 1);
          break;
        case 1:
          g_string_append_printf (s, _("head %u"), index);
          break;
        case 2:
          g_string_append_printf (s, _("row %u"), index);
          break;
        default:
          g_string_append_printf (s, _("column %u"), index);
          break;
        }
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/*
 * _attn_loader_cut_error:
 * @text: (array length=length): the file's text, cut short
 * @field_at: where the value of @field starts
 * @field: (nullable): the member of the example (or of the top-level
 *   object) the scan read last
 * @example: (nullable): the example, as attn_error_example_name() names it
 *
 * When the text stops inside the value of @field, sets @error naming the
 * field, down through its objects (“attention.base64”), and where in its
 * arrays the text stops (“layer 3, head 2, row 5”), as the loader's other
 * messages say it, and returns TRUE. FALSE, setting nothing, when that
 * value ended before (the text stops between members, or in a key).
 */
gboolean
_attn_loader_cut_error (const char  *text,
                        gsize        length,
                        gsize        field_at,
                        const char  *field,
                        const char  *example,
                        GError     **error)
{
  Level levels[MAX_DEPTH];
  guint depth = 0, first_array = 0, n = 0;
  g_autoptr (GString) name = NULL;
  g_autofree char *position = NULL;
  guint line, column;

  if (field == NULL)
    return FALSE;
  if (field_at < length && (text[field_at] == '[' || text[field_at] == '{'))
    {
      if ((depth = walk (text, field_at, length, levels)) == 0)
        return FALSE;
    }
  else if (field_at < length && !scalar_cut (text, field_at, length))
    return FALSE;

  /* the objects down to the first array name the field, as far as their keys are read */
  name = g_string_new (field);
  for (; first_array < depth && levels[first_array].object && levels[first_array].key_length > 0;
       first_array++)
    {
      g_string_append_c (name, '.');
      g_string_append_len (name, text + levels[first_array].key_start,
                           (gssize) levels[first_array].key_length);
    }
  /* the arrays after it, up to the next object */
  while (first_array + n < depth && !levels[first_array + n].object)
    n++;
  if (n > 0)
    position = cut_position (text, length, field, name->str, levels + first_array, n);

  _attn_loader_line_column (text, length, &line, &column);
  if (position != NULL)
    _attn_loader_named_field_error (error, ATTN_ERROR_PARSE, example, name->str,
                                    /* translators: where in the field (“layer 3, head 2, row 5”),
                                     * a line and a column */
                                    _("the file ends at %s (line %u, column %u): it was cut short, "
                                      "and is not valid JSON"), position, line, column);
  else
    _attn_loader_named_field_error (error, ATTN_ERROR_PARSE, example, name->str,
                                    /* translators: a line and a column */
                                    _("the file ends inside it (line %u, column %u): it was cut "
                                      "short, and is not valid JSON"), line, column);
  return TRUE;
}

/* How far _attn_loader_example_id_ahead() reads before it gives up */
#define ID_AHEAD_MAX ((gsize) 256 << 20)

static gsize
skip_space (const char *text,
            gsize       p,
            gsize       length)
{
  while (p < length && (text[p] == ' ' || text[p] == '\t' || text[p] == '\n' || text[p] == '\r'))
    p++;
  return p;
}

/* Whether @length bytes of @s are UTF-8 with no control character (nor NUL) */
static gboolean
quotable_text (const char *s,
               gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if ((guchar) s[i] < 0x20 || s[i] == 0x7f)
      return FALSE;
  return g_utf8_validate_len (s, length, NULL);
}

/* Whether the string from @p to @end (its quotes) is the key @key */
static gboolean
is_key (const char *text,
        gsize       p,
        gsize       end,
        const char *key)
{
  gsize n = strlen (key);

  return end - p - 1 == n && memcmp (text + p + 1, key, n) == 0;
}

/*
 * _attn_loader_example_id_ahead:
 * @text: (array length=length): the file's text
 * @from: where the scan stopped, outside any string, @depth containers
 *   inside the example's object (0: among its members)
 * @top_level: whether that object is the file's top-level one, which is not
 *   an example when it has "examples", "format" or "version"
 * @id_start: (out): where the text of its "id" string starts, or 0
 * @id_end: (out): its closing quote, or 0
 * @plain: (out): whether the id can be quoted as it stands: no escape, valid
 *   UTF-8, no control character (the scan has not checked it)
 * @wrapper: (out): whether the object is the file's top-level one of
 *   "examples", not an example
 *
 * Reads on, past what the scan stopped at, for the "id" member of the
 * example it stopped in, for messages about a value before the id: an
 * example is named by its id wherever the id stands in it ("Example
 * “cat-mat”"), or, when it has none, as one without ("Example 3 (no id)").
 * The top-level object is read to its end, for the members that make it
 * the file's wrapper.
 *
 * Returns: whether it could tell: FALSE when the text is cut short or too
 *   long to read on before the example ends, or the id is not a string;
 *   TRUE with @id_end 0 when the example ends without an id
 */
gboolean
_attn_loader_example_id_ahead (const char *text,
                               gsize       length,
                               gsize       from,
                               guint       depth,
                               gboolean    top_level,
                               gsize      *id_start,
                               gsize      *id_end,
                               gboolean   *plain,
                               gboolean   *wrapper)
{
  gsize to = from < length && length - from > ID_AHEAD_MAX ? from + ID_AHEAD_MAX : length;
  gboolean found = FALSE, readable = TRUE;

  *id_start = *id_end = 0;
  *plain = *wrapper = FALSE;
  for (gsize p = from; p < to; p++)
    {
      gsize end, value;
      gboolean string_plain;

      switch (text[p])
        {
        case '{':
        case '[':
          depth++;
          break;
        case '}':
        case ']':
          if (depth == 0)
            return readable;    /* the example ends: with the id found, or none */
          depth--;
          break;
        case '"':
          end = string_end (text, p, to, &string_plain);
          if (end >= to || (value = skip_space (text, end + 1, to)) >= to)
            return FALSE;
          if (depth == 0 && text[value] == ':' && top_level &&
              (is_key (text, p, end, "examples") || is_key (text, p, end, "format") ||
               is_key (text, p, end, "version")))
            {
              *wrapper = TRUE;
              return TRUE;
            }
          if (depth == 0 && text[value] == ':' && !found && is_key (text, p, end, "id"))
            {
              found = TRUE;
              value = skip_space (text, value + 1, to);
              if (value >= to)
                return FALSE;
              readable = text[value] == '"'; /* else it is named by its index */
              if (!readable && !top_level)
                return FALSE;
              if (readable)
                {
                  end = string_end (text, value, to, plain);
                  if (end >= to)
                    return FALSE;
                  *id_start = value + 1;
                  *id_end = end;
                  /* the scan has not read it: it may not be text to quote */
                  *plain = *plain && quotable_text (text + *id_start, *id_end - *id_start);
                  if (!top_level)
                    return TRUE;
                }
            }
          p = end;              /* a key or a string value ("id" too) */
          break;
        default:
          break;
        }
    }
  return FALSE;
}
