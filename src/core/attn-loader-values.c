/* attn-loader-values.c: reading strings and numbers from the skeleton, and the
 * loader's error helpers
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "attn-loader-private.h"

/* ---------------------------------------------------------------------- */
/* Error helpers                                                           */

static void set_field_error_valist (GError      **error,
                                    AttnError     code,
                                    const char   *name,
                                    const char   *field,
                                    const char   *format,
                                    va_list       args) G_GNUC_PRINTF (5, 0);

static void
set_field_error_valist (GError      **error,
                        AttnError     code,
                        const char   *name,
                        const char   *field,
                        const char   *format,
                        va_list       args)
{
  g_autofree char *detail = g_strdup_vprintf (format, args);
  g_autofree char *shown = NULL;

  /* a field's name may be a key of the file's (“references.KEY”) */
  field = shown = attn_error_quote_text (field);
  if (name != NULL)
    /* translators: the first %s is an example as “cat-mat” (its id) or 3 (no id) (its
     * index) name it, the second a field name, the third what is wrong */
    g_set_error (error, ATTN_ERROR, code, _("Example %s, field “%s”: %s"), name, field, detail);
  else
    /* translators: %s is a top-level field name, then what is wrong */
    g_set_error (error, ATTN_ERROR, code, _("Field “%s”: %s"), field, detail);
}

/* Sets @error for @field of @example (NULL: a top-level field), which is
 * named by its id, else by its index (attn_error_example_name()); an id that
 * cannot be read is the example's index alone (“Example 0, field “id”: …”).
 * Returns %FALSE, so that a check can end with `return
 * _attn_loader_field_error (...)`. */
gboolean
_attn_loader_field_error (GError            **error,
                          AttnError           code,
                          const AttnExample  *example,
                          const char         *field,
                          const char         *format,
                          ...)
{
  g_autofree char *name = NULL;
  va_list args;

  if (example != NULL && example->id == NULL && g_str_equal (field, "id"))
    name = g_strdup_printf ("%u", example->index);
  else if (example != NULL)
    name = attn_error_example_name (example->id, example->index);
  va_start (args, format);
  set_field_error_valist (error, code, name, field, format, args);
  va_end (args);
  return FALSE;
}

/* As _attn_loader_field_error(), the example given by @name as
 * attn_error_example_name() gives it (NULL: a top-level field) */
gboolean
_attn_loader_named_field_error (GError      **error,
                                AttnError     code,
                                const char   *name,
                                const char   *field,
                                const char   *format,
                                ...)
{
  va_list args;

  va_start (args, format);
  set_field_error_valist (error, code, name, field, format, args);
  va_end (args);
  return FALSE;
}

/*
 * _attn_loader_bad_value_error:
 * The scan's message about a value in an array of a field, at @position
 * (“layer 1, head 0, row 2, column 3”) of @field, line @line and column
 * @column: @word, a word that is not JSON, NaN or an infinity, a malformed
 * number, or a number too large for a double, as the file writes it.
 */
void
_attn_loader_bad_value_error (GError     **error,
                              BadValue     bad,
                              const char  *example,
                              const char  *field,
                              const char  *position,
                              const char  *word,
                              guint        line,
                              guint        column)
{
  if (bad == BAD_NUMBER)
    _attn_loader_named_field_error (error, ATTN_ERROR_PARSE, example, field,
                                    /* translators: where in the field, what was found, a line and a
                                     * column */
                                    _("%s holds “%s” (line %u, column %u), which is not a number"),
                                    position, word, line, column);
  else if (bad == BAD_NON_FINITE)
    _attn_loader_named_field_error (error, ATTN_ERROR_PARSE, example, field,
                                    /* translators: where in the field (“layer 1, head 0, row 2,
                                     * column 3”), the word (NaN, Infinity, -Infinity, nan, inf),
                                     * a line and a column */
                                    _("%s holds %s (line %u, column %u), which is not valid JSON: JSON "
                                      "has no NaN or infinity, and attnflow needs a finite number "
                                      "there, not null either (Python’s json.dump writes NaN and "
                                      "Infinity unless called with allow_nan=False)"),
                                    position, word, line, column);
  else if (bad == BAD_TOO_LARGE)
    _attn_loader_named_field_error (error, ATTN_ERROR_VALUE, example, field,
                                    /* translators: where in the field (“layer 1, head 0, row 2,
                                     * column 3”), a number as the file writes it (1e400), a line
                                     * and a column */
                                    _("%s holds %s (line %u, column %u), a number too large for a "
                                      "double (the largest is 1.7976931348623157e308)"),
                                    position, word, line, column);
  else
    _attn_loader_named_field_error (error, ATTN_ERROR_PARSE, example, field,
                                    /* translators: where in the field, the word found, a line and a
                                     * column */
                                    _("%s holds “%s” (line %u, column %u), which is not valid JSON (a "
                                      "string needs double quotes; the words JSON has are true, false "
                                      "and null)"),
                                    position, word, line, column);
}

/* The string of a string node, or NULL. */
static const char *
node_string (JsonNode *node)
{
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The digits of a number the scan marked (too long for json-glib), or NULL. */
static const char *
marked_number (Loader   *self,
               JsonNode *node)
{
  const char *s = node_string (node);

  if (s == NULL || strncmp (s, self->prefix, self->prefix_length) != 0 ||
      strncmp (s + self->prefix_length, "num:", 4) != 0)
    return NULL;
  return s + self->prefix_length + 4;
}

/* What @node is, for messages ("a number", "an array"), seeing through the
 * scan's placeholders. */
const char *
_attn_loader_node_kind (Loader   *self,
                        JsonNode *node)
{
  Blob *blob;

  if (marked_number (self, node) != NULL)
    return _("a number");
  blob = _attn_loader_lookup_blob (self, node);
  if (blob != NULL && blob->dense)
    return _("an array");

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return _("an object");
    case JSON_NODE_ARRAY:
      return _("an array");
    case JSON_NODE_NULL:
      return _("null");
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return _("a string");
        case G_TYPE_BOOLEAN:
          return _("a boolean");
        case G_TYPE_INT64:
        case G_TYPE_DOUBLE:
          return _("a number");
        default:
          return _("a value");
        }
    }
}

/* ---------------------------------------------------------------------- */
/* Strings                                                                 */

/* The blob a placeholder string stands for, or NULL. */
Blob *
_attn_loader_lookup_blob (Loader   *self,
                          JsonNode *node)
{
  const char *s;
  guint64 index;

  if (self->blobs->len == 0 || (s = node_string (node)) == NULL)
    return NULL;

  if (strncmp (s, self->prefix, self->prefix_length) != 0 ||
      !g_ascii_string_to_unsigned (s + self->prefix_length, 10, 0, self->blobs->len - 1, &index,
                                   NULL))
    return NULL;

  return &g_array_index (self->blobs, Blob, index);
}

/* The array of numbers a placeholder stands for, while its values are there. */
Blob *
_attn_loader_lookup_dense (Loader   *self,
                           JsonNode *node)
{
  Blob *blob = _attn_loader_lookup_blob (self, node);

  return blob != NULL && blob->dense && blob->values != NULL ? blob : NULL;
}

/*
 * Reads a string node, resolving placeholders of long strings, and checks
 * that it is valid UTF-8. With @from_text, a long string is given as it lies
 * in the mapped text (read it only through _attn_loader_guarded()); without,
 * it is copied out first. Escaped NULs are left marked: see
 * _attn_loader_has_nul().
 */
gboolean
_attn_loader_read_string_full (Loader      *self,
                               JsonNode    *node,
                               const char **out,
                               gsize       *out_length,
                               gboolean    *from_text)
{
  const char *s = node_string (node);
  Blob *blob;

  if (s == NULL || marked_number (self, node) != NULL)
    return FALSE;

  blob = _attn_loader_lookup_blob (self, node);
  if (blob != NULL)
    {
      if (blob->dense)
        return FALSE;
      if (from_text != NULL)
        {
          *out = self->text + blob->start;
          *from_text = TRUE;
        }
      else
        {
          if (blob->copy == NULL)
            {
              g_autofree char *copy = g_malloc (blob->length + 1);

              if (!_attn_loader_copy_text (self, blob->start, blob->length, copy))
                return FALSE;
              copy[blob->length] = '\0';
              blob->copy = g_steal_pointer (&copy);
            }
          *out = blob->copy;
        }
      *out_length = blob->length;
      return TRUE;
    }

  *out = s;
  *out_length = strlen (s);
  if (from_text != NULL)
    *from_text = FALSE;
  return g_utf8_validate_len (s, *out_length, NULL);
}

gboolean
_attn_loader_read_string (Loader      *self,
                          JsonNode    *node,
                          const char **out,
                          gsize       *out_length)
{
  return _attn_loader_read_string_full (self, node, out, out_length, NULL);
}

/* Whether a string read from the skeleton held an escaped NUL (\u0000). */
gboolean
_attn_loader_has_nul (Loader     *self,
                      const char *s,
                      gsize       length)
{
  return length >= self->prefix_length && g_strstr_len (s, (gssize) length, self->prefix) != NULL;
}

/*
 * Reads @node as the string of a field. Returns %NULL when it is one (in @s
 * and @length), else what is wrong with it, ending a sentence such as
 * "Example “x”, field “id”: ..." (free it).
 */
char *
_attn_loader_check_string (Loader      *self,
                           JsonNode    *node,
                           const char **s,
                           gsize       *length)
{
  if (_attn_loader_read_string (self, node, s, length))
    {
      if (!_attn_loader_has_nul (self, *s, *length))
        return NULL;
      return g_strdup (_("holds a NUL character (\\u0000), which no string may hold"));
    }

  return g_strdup_printf (_("expected a valid UTF-8 string, found %s"),
                          _attn_loader_not_string_kind (self, node));
}

/* Whether a node that _attn_loader_read_string() refused is a string (of
 * invalid UTF-8) rather than another kind of value */
gboolean
_attn_loader_is_bad_string (Loader   *self,
                            JsonNode *node)
{
  return node_string (node) != NULL && marked_number (self, node) == NULL &&
         _attn_loader_lookup_blob (self, node) == NULL;
}

/* What a node that _attn_loader_read_string() refused is instead: "invalid
 * UTF-8" for a string, else its kind. */
const char *
_attn_loader_not_string_kind (Loader   *self,
                              JsonNode *node)
{
  if (_attn_loader_is_bad_string (self, node))
    return _("invalid UTF-8");
  return _attn_loader_node_kind (self, node);
}

/* A string member as a new nul-terminated string; absent members give
 * %NULL. Anything but a valid string is an error, named @field (or @member). */
gboolean
_attn_loader_dup_string_member (Loader             *self,
                                JsonObject         *object,
                                const char         *member,
                                const AttnExample  *example,
                                const char         *field,
                                char              **out,
                                GError            **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *problem = NULL;
  const char *s;
  gsize length;

  *out = NULL;
  if (node == NULL)
    return TRUE;

  problem = _attn_loader_check_string (self, node, &s, &length);
  if (problem != NULL)
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, field ? field : member,
                                     "%s", problem);

  *out = g_strndup (s, length);
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Numbers                                                                 */

gboolean
_attn_loader_read_number (Loader   *self,
                          JsonNode *node,
                          double   *out)
{
  const char *digits;
  GType type;

  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if ((digits = marked_number (self, node)) != NULL)
    *out = g_ascii_strtod (digits, NULL);
  else
    return FALSE;

  return TRUE;
}

/* An integer: a JSON integer, or a number with no fraction (1.0). */
IntegerResult
_attn_loader_read_integer (Loader   *self,
                           JsonNode *node,
                           gint64   *out)
{
  const char *digits = marked_number (self, node);
  GType type;
  double d;

  if (digits != NULL)
    return g_ascii_string_to_signed (digits, 10, G_MININT64, G_MAXINT64, out, NULL)
           ? INTEGER_OK : INTEGER_TOO_LARGE;
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return INTEGER_NOT_NUMBER;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return INTEGER_OK;
    }
  if (type != G_TYPE_DOUBLE)
    return INTEGER_NOT_NUMBER;

  d = json_node_get_double (node);
  if (d != floor (d) || !isfinite (d))
    return isfinite (d) ? INTEGER_FRACTION : INTEGER_TOO_LARGE;
  if (d >= 9223372036854775808. || d < -9223372036854775808.)
    return INTEGER_TOO_LARGE;
  *out = (gint64) d;
  return INTEGER_OK;
}

/* A number node as the file wrote it, near enough for a message. */
char *
_attn_loader_number_text (Loader   *self,
                          JsonNode *node)
{
  const char *digits = marked_number (self, node);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* a number of 5,000 digits would make the message as long */
  if (digits != NULL)
    return attn_error_quote_text (digits);
  if (JSON_NODE_TYPE (node) == JSON_NODE_VALUE && json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (JSON_NODE_TYPE (node) == JSON_NODE_VALUE && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* the shortest of the two that reads back as the same number */
      g_ascii_formatd (buffer, sizeof buffer, "%.15g", d);
      if (g_ascii_strtod (buffer, NULL) != d)
        g_ascii_formatd (buffer, sizeof buffer, "%.17g", d);
      return g_strdup (buffer);
    }
  return g_strdup (_attn_loader_node_kind (self, node));
}

/**
 * _attn_loader_is_number:
 * @text: the characters of a number, as far as they go
 * @length: their number
 * @integer: (out): whether it has neither a point nor an exponent
 *
 * Whether @text is a number as json-glib reads one: JSON's; before
 * json-glib 1.9.2 also with leading zeros or no digit on one side of the
 * point ("05", ".5", "5.": json-glib takes them, and so does the loader),
 * which later versions refuse (and so does the loader, naming the field and
 * the number's column rather than json-glib's next token).
 */
gboolean
_attn_loader_is_number (const char *text,
                        gsize       length,
                        gboolean   *integer)
{
  gsize p = text[0] == '-', digits = 0;

  for (; p < length && g_ascii_isdigit (text[p]); p++)
    digits++;
  *integer = p == length;
#if JSON_CHECK_VERSION (1, 9, 2)
  if (digits == 0 || (digits > 1 && text[p - digits] == '0'))
    return FALSE;
  if (p < length && text[p] == '.' && (p + 1 == length || !g_ascii_isdigit (text[p + 1])))
    return FALSE;
#endif
  if (p < length && text[p] == '.')
    for (p++; p < length && g_ascii_isdigit (text[p]); p++)
      digits++;
  if (digits > 0 && p < length && (text[p] == 'e' || text[p] == 'E'))
    {
      p += p + 1 < length && (text[p + 1] == '+' || text[p + 1] == '-') ? 2 : 1;
      if (p >= length || !g_ascii_isdigit (text[p]))
        return FALSE;
      while (p < length && g_ascii_isdigit (text[p]))
        p++;
    }
  return digits > 0 && p == length;
}

/*
 * _attn_loader_number_too_large:
 * @text: a number, as _attn_loader_is_number() takes it
 * @length: the number of its characters
 *
 * Whether the number is too large for a double (1e400, -1e999, 400 nines):
 * strtod() and json-glib read it as infinity, which the file does not hold.
 * Only a number whose digits and exponent reach 10^308 is read to tell.
 */
gboolean
_attn_loader_number_too_large (const char *text,
                               gsize       length)
{
  gsize p = text[0] == '-';
  gint64 magnitude = 0, exponent = 0;
  gboolean negative = FALSE;
  g_autofree char *copy = NULL;

  while (p < length && text[p] == '0')
    p++;
  for (; p < length && g_ascii_isdigit (text[p]); p++)
    magnitude++;
  if (p < length && text[p] == '.')
    for (p++; p < length && g_ascii_isdigit (text[p]); p++)
      ;
  if (p < length && (text[p] == 'e' || text[p] == 'E'))
    {
      p++;
      if (p < length && (text[p] == '+' || text[p] == '-'))
        negative = text[p++] == '-';
      for (; p < length && g_ascii_isdigit (text[p]); p++)
        exponent = MIN (exponent * 10 + (text[p] - '0'), G_MAXINT32);
    }
  /* below 10^(magnitude + exponent), below 10^308: no overflow */
  if (magnitude + (negative ? -exponent : exponent) <= 308)
    return FALSE;
  copy = g_strndup (text, length);
  return isinf (g_ascii_strtod (copy, NULL));
}
