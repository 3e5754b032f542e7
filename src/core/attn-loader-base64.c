/* attn-loader-base64.c: strict base64, decoded from the mapped text
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "attn-loader-private.h"

/* ---------------------------------------------------------------------- */
/* base64                                                                  */

static const guint8 base64_table[256] = {
#define X 0xff
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, 62, X, X, X, 63,
  52, 53, 54, 55, 56, 57, 58, 59, 60, 61, X, X, X, X, X, X,
  X, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
  15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, X, X, X, X, X,
  X, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
#undef X
};

/* Finds the first character that is not base64, for the error message. */
static gsize
first_bad_base64 (const char *s,
                  gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (base64_table[(guint8) s[i]] == 0xff)
      return i;
  return length;
}

/* A character as a message names it: “!”, or what it is when it does not
 * show (a line break was “?”) */
static char *
describe_character (char c)
{
  switch (c)
    {
    case '\n':
      return g_strdup (_("a line break, \\n"));
    case '\r':
      return g_strdup (_("a carriage return, \\r"));
    case '\t':
      return g_strdup (_("a tab, \\t"));
    case ' ':
      return g_strdup (_("a space"));
    default:
      if (g_ascii_isprint (c))
        return g_strdup_printf ("“%c”", c);
      /* translators: a byte that is no printable character, in hexadecimal */
      return g_strdup_printf (_("the byte 0x%02X"), (guint) (guint8) c);
    }
}

static gboolean
bad_character_error (const AttnExample  *example,
                     const char         *field,
                     const char         *s,
                     gsize               at,
                     GError            **error)
{
  g_autofree char *shown = describe_character (s[at]);

  if (s[at] == '\n' || s[at] == '\r')
    return _attn_loader_field_error (error, ATTN_ERROR_ENCODING, example, field,
                                     /* translators: a position, then a line break, as below */
                                     _("character %zu (%s) is not base64: write it in one piece, "
                                       "without line breaks (Python’s base64.b64encode(), not "
                                       "encodebytes())"), at, shown);
  return _attn_loader_field_error (error, ATTN_ERROR_ENCODING, example, field,
                                   /* translators: a position, then a character as in “!”, or
                                    * “a line break” */
                                   _("character %zu (%s) is not base64"), at, shown);
}

typedef struct
{
  AttnExample *example;
  const char  *field;        /* "attention.base64" */
  const char  *s;
  gsize        length;
  gboolean     from_text;    /* @s lies in the mapped text */
  guint8      *out;
  gsize        out_length;
} Decode;

/*
 * Strict, canonical base64 (RFC 4648 §4): the length is a multiple of 4,
 * only the alphabet, '=' only as the final one or two characters, and the
 * unused bits of the last group are zero. @out holds exactly @out_length
 * bytes, which must be what the text decodes to. Runs guarded: @s may be in
 * the mapped file.
 */
static gboolean
decode_cb (Loader   *self,
           gpointer  data,
           GError  **error)
{
  Decode *job = data;
  const char *s = job->s;
  gsize length = job->length;
  gsize padding = 0;
  gsize groups, full_groups, o = 0;
  gsize released = 0;
  const guint8 *u = (const guint8 *) s;
  guint8 *out = job->out;

  if (length % 4 != 0 || length == 0)
    return _attn_loader_field_error (error, ATTN_ERROR_ENCODING, job->example, job->field,
                                     g_dngettext (GETTEXT_PACKAGE,
                                                  "%zu character is not a multiple of 4",
                                                  "%zu characters is not a multiple of 4", length),
                                     length);

  if (s[length - 1] == '=')
    padding = s[length - 2] == '=' ? 2 : 1;

  groups = length / 4;
  if (groups * 3 - padding != job->out_length)
    return _attn_loader_field_error (error, ATTN_ERROR_ENCODING, job->example, job->field,
                                     g_dngettext (GETTEXT_PACKAGE,
                                                  "decodes to %zu byte, but the shape and dtype need %zu",
                                                  "decodes to %zu bytes, but the shape and dtype need %zu",
                                                  groups * 3 - padding),
                                     groups * 3 - padding, job->out_length);

  full_groups = padding ? groups - 1 : groups;
  for (gsize g = 0; g < full_groups; g++)
    {
      guint8 a = base64_table[u[4 * g]];
      guint8 b = base64_table[u[4 * g + 1]];
      guint8 c = base64_table[u[4 * g + 2]];
      guint8 d = base64_table[u[4 * g + 3]];

      if ((a | b | c | d) == 0xff)
        goto bad_character;

      out[o++] = (guint8) (a << 2 | b >> 4);
      out[o++] = (guint8) (b << 4 | c >> 2);
      out[o++] = (guint8) (c << 6 | d);

      if (G_UNLIKELY (4 * (g + 1) - released >= RELEASE_CHUNK))
        {
          if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
            return FALSE;
          if (job->from_text)
            _attn_loader_release_text (self, (gsize) (s - self->text) + released,
                                       (gsize) (s - self->text) + 4 * (g + 1));
          released = 4 * (g + 1);
        }
    }

  if (padding)
    {
      const guint8 *last = u + length - 4;
      guint8 a = base64_table[last[0]];
      guint8 b = base64_table[last[1]];
      guint8 c = padding == 1 ? base64_table[last[2]] : 0;

      if (a == 0xff || b == 0xff || c == 0xff)
        goto bad_character;

      if ((padding == 2 && (b & 0x0f) != 0) || (padding == 1 && (c & 0x03) != 0))
        return _attn_loader_field_error (error, ATTN_ERROR_ENCODING, job->example, job->field,
                                         _("not canonical: the unused bits of the last group are "
                                           "not zero"));

      out[o++] = (guint8) (a << 2 | b >> 4);
      if (padding == 1)
        out[o++] = (guint8) (b << 4 | c >> 2);
    }

  g_assert (o == job->out_length);
  if (job->from_text)
    _attn_loader_release_text (self, (gsize) (s - self->text) + released,
                               (gsize) (s - self->text) + length);
  return TRUE;

bad_character:
  /* '=' inside the text, or any other character */
  return bad_character_error (job->example, job->field, s, first_bad_base64 (s, length), error);
}

typedef struct
{
  const char *s;
  gsize       length;
  gsize       at;           /* the first character that is not base64, or @length */
} Stray;

/* Finds a character that is not base64 (final padding aside) in a text of the
 * wrong length: runs guarded, as decode_cb(). */
static gboolean
find_stray_cb (Loader   *self,
               gpointer  data,
               GError  **error)
{
  Stray *stray = data;
  gsize end = stray->length;

  /* any character but '=' first: "...==\n" is about its line break */
  for (stray->at = 0; stray->at < stray->length; stray->at++)
    if (base64_table[(guint8) stray->s[stray->at]] == 0xff && stray->s[stray->at] != '=')
      return TRUE;
  while (end > 0 && stray->length - end < 2 && stray->s[end - 1] == '=')
    end--;
  stray->at = first_bad_base64 (stray->s, end);
  if (stray->at == end)
    stray->at = stray->length;
  return TRUE;
}

static gboolean
parse_dtype (AttnExample  *example,
             const char   *field,
             const char   *name,
             AttnDtype    *out,
             GError      **error)
{
  if (g_str_equal (name, "float32"))
    *out = ATTN_DTYPE_FLOAT32;
  else if (g_str_equal (name, "float16"))
    *out = ATTN_DTYPE_FLOAT16;
  else if (g_str_equal (name, "float64"))
    *out = ATTN_DTYPE_FLOAT64;
  else
    {
      g_autofree char *shown = attn_error_quote_text (name);

      return _attn_loader_field_error (error, ATTN_ERROR_UNSUPPORTED, example, field,
                                       _("unknown dtype “%s” (expected float16, float32 or float64)"),
                                       shown);
    }
  return TRUE;
}

/* The `shape` of an encoded array: 3 or 4 positive integers. */
static gboolean
read_declared_shape (Loader       *self,
                     AttnExample  *example,
                     const char   *field,
                     JsonNode     *shape_node,
                     guint64      *shape,
                     guint        *rank,
                     GError      **error)
{
  JsonArray *shape_array;

  if (shape_node == NULL || !JSON_NODE_HOLDS_ARRAY (shape_node))
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, field,
                                     shape_node == NULL ? _("missing") : _("not an array"));
  shape_array = json_node_get_array (shape_node);
  *rank = json_array_get_length (shape_array);
  if (*rank != 3 && *rank != 4)
    return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                     g_dngettext (GETTEXT_PACKAGE,
                                                  "has %u entry; expected [L, H, n, n] or [L, n, n]",
                                                  "has %u entries; expected [L, H, n, n] or [L, n, n]",
                                                  *rank),
                                     *rank);
  for (guint i = 0; i < *rank; i++)
    {
      JsonNode *entry = json_array_get_element (shape_array, i);
      IntegerResult result;
      gint64 value = 0;

      result = _attn_loader_read_integer (self, entry, &value);
      if (result == INTEGER_TOO_LARGE)
        {
          g_autofree char *shown = _attn_loader_number_text (self, entry);

          return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                           _("entry %u (%s) is too large"), i, shown);
        }
      if (result != INTEGER_OK || value <= 0)
        return _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                         _("entry %u is not a positive integer"), i);
      shape[i] = (guint64) value;
    }
  return TRUE;
}

gboolean
_attn_loader_load_base64 (Loader       *self,
                          AttnExample  *example,
                          AttnTensor   *tensor,
                          const char   *field,
                          JsonObject   *encoded,
                          GError      **error)
{
  JsonNode *base64_node = json_object_get_member (encoded, "base64");
  g_autofree char *dtype_field = g_strconcat (field, ".dtype", NULL);
  g_autofree char *shape_field = g_strconcat (field, ".shape", NULL);
  g_autofree char *base64_field = g_strconcat (field, ".base64", NULL);
  g_autofree char *dtype_string = NULL;
  Decode job = { example, base64_field, NULL, 0, FALSE, NULL, 0 };
  guint64 shape[4];
  guint rank = 0;   /* set by read_declared_shape() */
  gsize bytes;

  if (!json_object_has_member (encoded, "dtype"))
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, dtype_field,
                                     _("missing (expected float16, float32 or float64)"));
  if (!_attn_loader_dup_string_member (self, encoded, "dtype", example, dtype_field,
                                       &dtype_string, error) ||
      !parse_dtype (example, dtype_field, dtype_string, &tensor->dtype, error) ||
      !read_declared_shape (self, example, shape_field,
                            json_object_get_member (encoded, "shape"), shape, &rank, error) ||
      !_attn_loader_check_shape (example, tensor, shape_field, shape, rank,
                                 _attn_loader_dtype_size (tensor->dtype), &bytes, error))
    return FALSE;

  if (base64_node == NULL)
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, base64_field,
                                     _("missing"));
  if (!_attn_loader_read_string_full (self, base64_node, &job.s, &job.length, &job.from_text))
    return _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, base64_field,
                                     _("expected a string, found %s"),
                                     _attn_loader_node_kind (self, base64_node));

  /* Check the length before allocating what the shape claims; a stray
   * character (a line break every 76, as base64.encodebytes() writes) is
   * what is wrong then, not the length it gives. */
  if (job.length != (bytes + 2) / 3 * 4)
    {
      Stray stray = { job.s, job.length, 0 };

      if (!_attn_loader_guarded (self, find_stray_cb, &stray, error))
        return FALSE;
      if (stray.at < stray.length)
        return bad_character_error (example, base64_field, job.s, stray.at, error);
    }
  if (job.length != (bytes + 2) / 3 * 4)
    return _attn_loader_field_error (error, ATTN_ERROR_ENCODING, example, base64_field,
                                     g_dngettext (GETTEXT_PACKAGE,
                                                  "has %zu character, but shape and dtype %s need %zu bytes "
                                                  "(%zu characters)",
                                                  "has %zu characters, but shape and dtype %s need %zu bytes "
                                                  "(%zu characters)",
                                                  job.length),
                                     job.length, attn_dtype_get_name (tensor->dtype), bytes,
                                     (bytes + 2) / 3 * 4);

  /* more than there is memory for: refused (g_malloc() would abort the
   * program, every open window with it) */
  job.out = g_try_malloc (MAX (bytes, 1));
  if (job.out == NULL)
    {
      g_autofree char *size = attn_error_format_size (bytes);

      return _attn_loader_field_error (error, ATTN_ERROR_IO, example, base64_field,
                                       /* translators: a size such as 12.5 GiB */
                                       _("decodes to %s of values, more than there is memory for"), size);
    }
  job.out_length = bytes;
  tensor->storage = g_bytes_new_take (job.out, bytes);
  tensor->data = job.out;

  return _attn_loader_guarded (self, decode_cb, &job, error);
}
