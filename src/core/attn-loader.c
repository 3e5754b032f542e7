/* attn-loader.c: reads attention export v1 (DESIGN.md §3)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * How a file is read:
 *
 *  1. A cheap byte scan over the (mapped) text finds the structure json-glib
 *     would see: it refuses nesting deeper than MAX_DEPTH before json-glib can
 *     overflow its stack, refuses anything after the top-level value, and
 *     finds long plain-ASCII string values (base64 payloads).
 *  2. Those long strings, and regular nested arrays of numbers under an
 *     `attention` key (read by read_dense() into one float64 array), are
 *     replaced by short placeholders carrying a per-load random nonce, so
 *     json-glib parses only a small skeleton; base64 payloads are later
 *     decoded straight from the mapped bytes (no copy of the giant string,
 *     no GLib base64 leniency).
 *  3. The skeleton is checked for UTF-8 and parsed; duplicate keys are caught
 *     through the parser's `object-member` signal.
 *  4. Each example is read into the private AttnExample struct: attention is
 *     stored once, in its dtype, as one contiguous array (decoded base64, a
 *     mapped `.npy` file, or float64 filled from nested arrays), then every
 *     row is validated by _attn_example_validate().
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef G_OS_UNIX
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "attn-document-private.h"
#include "attn-error.h"
#include "attn-example-private.h"

/* Array/object nesting allowed in a file (a multi-example file with nested
 * [L][H][n][n] attention needs 7). */
#define MAX_DEPTH 16

/* String values at least this long, made only of printable ASCII without
 * escapes, are kept out of json-glib and read from the mapped text. */
#define BLOB_MIN_LENGTH 1024

/* The mapped text of a long string is released (MADV_DONTNEED) once the scan
 * has passed it, and in steps of this size while it is decoded, so the text
 * and the decoded array are not both resident. */
#define RELEASE_CHUNK (4 * 1024 * 1024)

/* Regular nested `attention` arrays up to this rank are read by read_dense()
 * rather than through json-glib's tree (which costs ~110 bytes and ~1 µs per
 * number); anything irregular is left to json-glib for its precise errors. */
#define DENSE_MAX_RANK 4

typedef struct
{
  /* a long string: [start, start + length) of the text, without quotes */
  gsize   start;
  gsize   length;

  /* or a regular nested array of numbers read by read_dense() */
  double *values;                        /* owned; NULL once taken */
  gsize   count;
  guint   rank;
  gsize   dims[DENSE_MAX_RANK + 1];      /* dims[1] outermost .. dims[rank] innermost */
  gboolean dense;
} Blob;

typedef struct
{
  const char   *text;
  gsize         length;
  gboolean      mapped;       /* @text is a private file mapping we may release */
  const char   *base_dir;     /* nullable */
  GCancellable *cancellable;

  GArray       *blobs;        /* Blob */
  gboolean      dense_arrays; /* read nested attention arrays without json-glib */
  char          prefix[48];   /* placeholder prefix, with the nonce */
  gsize         prefix_length;

  GHashTable   *members;      /* JsonObject* -> GHashTable of member names */
  char         *duplicate;    /* first duplicate member name */
  JsonObject   *duplicate_in; /* the object it is in */

  GPtrArray    *renormalised; /* char*: one warning per renormalised example */
} Loader;

static gsize
dtype_size (AttnDtype dtype)
{
  switch (dtype)
    {
    case ATTN_DTYPE_FLOAT16:
      return 2;
    case ATTN_DTYPE_FLOAT32:
      return 4;
    case ATTN_DTYPE_FLOAT64:
    default:
      return 8;
    }
}

static guint
line_of (const char *text,
         gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (text[i] == '\n')
      line++;

  return line;
}

static inline gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Drops the resident pages of [from, to) of a mapped text: they come back
 * from the page cache if touched again. */
static void
release_text (Loader *self,
              gsize   from,
              gsize   to)
{
#if defined(G_OS_UNIX) && defined(MADV_DONTNEED)
  static gsize page_size = 0;
  guintptr start, end;

  if (!self->mapped || to <= from)
    return;

  if (page_size == 0)
    page_size = (gsize) sysconf (_SC_PAGESIZE);

  start = ((guintptr) (self->text + from) + page_size - 1) & ~(guintptr) (page_size - 1);
  end = ((guintptr) (self->text + to)) & ~(guintptr) (page_size - 1);
  if (end > start)
    madvise ((void *) start, end - start, MADV_DONTNEED);
#endif
}

/* TRUE when every byte is printable ASCII (0x20..0x7e). */
static gboolean
is_printable_ascii (const char *s,
                    gsize       length)
{
  const guint8 *p = (const guint8 *) s;
  gsize i = 0;

  for (; i + 8 <= length; i += 8)
    {
      guint64 w;
      memcpy (&w, p + i, 8);
      /* a byte >= 0x80, or a byte < 0x20 */
      if ((w & G_GUINT64_CONSTANT (0x8080808080808080)) != 0 ||
          ((w - G_GUINT64_CONSTANT (0x2020202020202020)) & ~w &
           G_GUINT64_CONSTANT (0x8080808080808080)) != 0)
        return FALSE;
    }
  for (; i < length; i++)
    if (p[i] < 0x20 || p[i] >= 0x7f)
      return FALSE;

  return TRUE;
}

static void
blob_clear (gpointer data)
{
  Blob *blob = data;

  g_clear_pointer (&blob->values, g_free);
}

/*
 * Reads a JSON array of numbers nested 1 to DENSE_MAX_RANK deep whose arrays
 * at each level all have the same non-zero length (a dense tensor), starting
 * at @start ('['). Accepts only strict JSON numbers. Returns FALSE for anything
 * else (ragged, empty, strings, leniencies, deeper than @max_levels): such
 * text is left to json-glib, whose tree gives the precise error message.
 */
static gboolean
read_dense (const char *text,
            gsize       length,
            gsize       start,
            guint       max_levels,
            gsize      *end_out,
            Blob       *out)
{
  gsize p = start;
  guint level = 0;
  guint rank = 0;
  gsize counts[DENSE_MAX_RANK + 1] = { 0 };
  gsize dims[DENSE_MAX_RANK + 1] = { 0 };
  gsize capacity = 4096, count = 0;
  double *values = NULL;

  max_levels = MIN (max_levels, DENSE_MAX_RANK);
  values = g_new (double, capacity);

  for (;;)
    {
      /* a value: '[' or a number */
      while (p < length && is_json_space (text[p]))
        p++;
      if (p >= length)
        goto fail;

      if (text[p] == '[')
        {
          if (level == max_levels || (rank != 0 && level >= rank))
            goto fail;
          counts[++level] = 0;
          p++;
          continue;
        }
      else
        {
          gsize s = p;
          gboolean integer = TRUE;
          char *end = NULL;
          double v;

          if (level == 0 || (rank != 0 && level != rank))
            goto fail;
          rank = level;

          if (text[p] == '-')
            p++;
          if (p < length && text[p] == '0')
            p++;
          else if (p < length && text[p] >= '1' && text[p] <= '9')
            while (p < length && g_ascii_isdigit (text[p]))
              p++;
          else
            goto fail;
          if (p < length && text[p] == '.')
            {
              p++;
              if (p >= length || !g_ascii_isdigit (text[p]))
                goto fail;
              while (p < length && g_ascii_isdigit (text[p]))
                p++;
              integer = FALSE;
            }
          if (p < length && (text[p] == 'e' || text[p] == 'E'))
            {
              p++;
              if (p < length && (text[p] == '+' || text[p] == '-'))
                p++;
              if (p >= length || !g_ascii_isdigit (text[p]))
                goto fail;
              while (p < length && g_ascii_isdigit (text[p]))
                p++;
              integer = FALSE;
            }
          /* a delimiter must follow (so strtod stops inside the text); long
           * integers are left to json-glib's int64 rules */
          if (p >= length || (integer && p - s > 18))
            goto fail;

          v = g_ascii_strtod (text + s, &end);
          if (end != text + p)
            goto fail;
          if (integer)
            v += 0.; /* json-glib reads "-0" as the integer 0 */

          if (count == capacity)
            {
              if (capacity > G_MAXSIZE / 2 / sizeof (double))
                goto fail;
              capacity *= 2;
              values = g_renew (double, values, capacity);
            }
          values[count++] = v;
          counts[level]++;
        }

      /* after a value: ',' or ']' (closing as many levels as it takes) */
      for (;;)
        {
          while (p < length && is_json_space (text[p]))
            p++;
          if (p >= length)
            goto fail;
          if (text[p] == ',')
            {
              p++;
              break;
            }
          if (text[p] != ']')
            goto fail;

          p++;
          if (counts[level] == 0 || counts[level] > G_MAXUINT ||
              (dims[level] != 0 && counts[level] != dims[level]))
            goto fail;
          dims[level] = counts[level];
          if (--level == 0)
            {
              out->values = g_renew (double, values, MAX (count, 1));
              out->count = count;
              out->rank = rank;
              memcpy (out->dims, dims, sizeof dims);
              out->dense = TRUE;
              *end_out = p;
              return TRUE;
            }
          counts[level]++;
        }
    }

fail:
  g_free (values);
  return FALSE;
}

/*
 * Scans the text: nesting depth, trailing data, single quotes and comments
 * (json-glib accepts them, but they would hide quotes and brackets from this
 * scan), and long strings to keep out of json-glib. Returns the skeleton to
 * parse in @skeleton when some strings were replaced, %NULL otherwise.
 */
static gboolean
scan_text (Loader   *self,
           GString **skeleton,
           GError  **error)
{
  const char *text = self->text;
  gsize length = self->length;
  gsize copied = 0;
  guint depth = 0;
  gsize p = 0;
  GString *out = NULL;

  *skeleton = NULL;

  while (p < length)
    {
      char c = text[p];

      if (c == '"')
        {
          gsize start = p + 1;
          gsize q = start;
          const char *quote;
          gboolean plain = TRUE; /* no escape, printable ASCII: a blob if long */

          /* Find the closing quote a chunk at a time, checking each chunk for
           * the blob test and releasing it, so a long string is resident
           * only a chunk at a time. */
          for (;;)
            {
              gsize limit = MIN (length, q + RELEASE_CHUNK);
              gsize backslashes = 0;
              gsize stop;

              quote = q < limit ? memchr (text + q, '"', limit - q) : NULL;
              stop = quote != NULL ? (gsize) (quote - text) : limit;
              if (plain)
                plain = memchr (text + q, '\\', stop - q) == NULL &&
                        is_printable_ascii (text + q, stop - q);

              if (quote == NULL)
                {
                  if (limit >= length)
                    break;
                  release_text (self, q, limit);
                  q = limit;
                  continue;
                }

              q = stop;
              while (q - backslashes > start && text[q - backslashes - 1] == '\\')
                backslashes++;
              if (backslashes % 2 == 0)
                break;
              q++;
            }

          if (quote == NULL)
            {
              /* unterminated: json-glib reports it with a line number */
              break;
            }

          if (self->dense_arrays && q - start == strlen ("attention") &&
              memcmp (text + start, "attention", q - start) == 0)
            {
              gsize r = q + 1;

              while (r < length && is_json_space (text[r]))
                r++;
              if (r < length && text[r] == ':')
                {
                  Blob blob = { 0 };
                  gsize end;

                  r++;
                  while (r < length && is_json_space (text[r]))
                    r++;
                  if (r < length && text[r] == '[' && depth < MAX_DEPTH &&
                      read_dense (text, length, r, MAX_DEPTH - depth, &end, &blob))
                    {
                      char index[24];

                      if (out == NULL)
                        out = g_string_sized_new (MIN (length, 1 << 20));
                      g_string_append_len (out, text + copied, (gssize) (r - copied));
                      g_string_append_c (out, '"');
                      g_string_append_len (out, self->prefix, (gssize) self->prefix_length);
                      g_snprintf (index, sizeof index, "%u", self->blobs->len);
                      g_string_append (out, index);
                      g_string_append_c (out, '"');
                      copied = end;
                      g_array_append_val (self->blobs, blob);
                      release_text (self, r, end);
                      p = end;
                      continue;
                    }
                }
            }

          if (q - start >= BLOB_MIN_LENGTH && plain)
            {
              gsize r = q + 1;

              while (r < length && is_json_space (text[r]))
                r++;

              /* a member name stays in the skeleton */
              if (r >= length || text[r] != ':')
                {
                  Blob blob = { 0 };
                  char index[24];

                  if (out == NULL)
                    out = g_string_sized_new (MIN (length, 1 << 20));
                  g_string_append_len (out, text + copied, (gssize) (start - copied));
                  g_string_append_len (out, self->prefix, (gssize) self->prefix_length);
                  g_snprintf (index, sizeof index, "%u", self->blobs->len);
                  g_string_append (out, index);
                  copied = q;
                  blob.start = start;
                  blob.length = q - start;
                  g_array_append_val (self->blobs, blob);
                  release_text (self, start, q);
                }
            }

          p = q + 1;
          continue;
        }

      if (c == '[' || c == '{')
        {
          if (++depth > MAX_DEPTH)
            {
              g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                           _("Line %u: arrays and objects are nested more than %u levels deep"),
                           line_of (text, p), MAX_DEPTH);
              goto fail;
            }
        }
      else if (c == ']' || c == '}')
        {
          if (depth == 0)
            break; /* unbalanced: json-glib reports it */
          if (--depth == 0)
            {
              for (gsize r = p + 1; r < length; r++)
                if (!is_json_space (text[r]))
                  {
                    g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                                 _("Line %u: unexpected data after the end of the JSON value"),
                                 line_of (text, r));
                    goto fail;
                  }
              break;
            }
        }
      else if (c == '\'' || c == '/' || c == '#')
        {
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                       _("Line %u: unexpected character “%c” (JSON has no single-quoted strings "
                         "or comments)"),
                       line_of (text, p), c);
          goto fail;
        }

      p++;
    }

  if (out != NULL)
    {
      g_string_append_len (out, text + copied, (gssize) (length - copied));
      *skeleton = out;
    }

  return TRUE;

fail:
  if (out != NULL)
    g_string_free (out, TRUE);
  return FALSE;
}

static void
object_member_cb (JsonParser *parser,
                  JsonObject *object,
                  const char *member_name,
                  gpointer    user_data)
{
  Loader *self = user_data;
  GHashTable *names;

  if (self->duplicate != NULL)
    return;

  names = g_hash_table_lookup (self->members, object);
  if (names == NULL)
    {
      names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->members, object, names);
    }

  if (g_hash_table_contains (names, member_name))
    {
      self->duplicate = g_strdup (member_name);
      self->duplicate_in = object;
    }
  else
    g_hash_table_add (names, g_strdup (member_name));
}

/* Appends to @path where @target sits under @node, as in
 * "examples[1].prediction"; FALSE when it is not there. */
static gboolean
find_object_path (JsonNode   *node,
                  JsonObject *target,
                  GString    *path)
{
  gsize mark = path->len;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      if (object == target)
        return TRUE;

      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &name, &member))
        {
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append (path, name);
          if (find_object_path (member, target, path))
            return TRUE;
          g_string_truncate (path, mark);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_TYPE (element) == JSON_NODE_VALUE)
            continue;
          g_string_append_printf (path, "[%u]", i);
          if (find_object_path (element, target, path))
            return TRUE;
          g_string_truncate (path, mark);
        }
    }

  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Error helpers                                                           */

G_GNUC_PRINTF (5, 6)
static void
set_field_error (GError      **error,
                 AttnError     code,
                 const char   *example,
                 const char   *field,
                 const char   *format,
                 ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  if (example != NULL)
    /* translators: the first %s is an example id or index, the second a field name,
     * the third what is wrong */
    g_set_error (error, ATTN_ERROR, code, _("Example “%s”, field “%s”: %s"), example, field, detail);
  else
    /* translators: %s is a top-level field name, then what is wrong */
    g_set_error (error, ATTN_ERROR, code, _("Field “%s”: %s"), field, detail);
}

static const char *
node_kind (JsonNode *node)
{
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
/* Reading values                                                          */

/* Reads a string node, resolving placeholders of long strings, and checks
 * that it is valid UTF-8 without NUL bytes. */
/* The blob a placeholder string stands for, or NULL. */
static Blob *
lookup_blob (Loader   *self,
             JsonNode *node)
{
  const char *s;
  guint64 index;

  if (self->blobs->len == 0 || node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  s = json_node_get_string (node);
  if (strncmp (s, self->prefix, self->prefix_length) != 0 ||
      !g_ascii_string_to_unsigned (s + self->prefix_length, 10, 0, self->blobs->len - 1, &index,
                                   NULL))
    return NULL;

  return &g_array_index (self->blobs, Blob, index);
}

static gboolean
read_string_full (Loader      *self,
                  JsonNode    *node,
                  const char **out,
                  gsize       *out_length,
                  gboolean    *from_text)
{
  const char *s;
  gsize length;
  Blob *blob;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  s = json_node_get_string (node);
  length = strlen (s);

  blob = lookup_blob (self, node);
  if (blob != NULL)
    {
      if (blob->dense)
        return FALSE;
      *out = self->text + blob->start;
      *out_length = blob->length;
      if (from_text != NULL)
        *from_text = TRUE;
      return TRUE;
    }

  if (!g_utf8_validate_len (s, length, NULL))
    return FALSE;

  *out = s;
  *out_length = length;
  if (from_text != NULL)
    *from_text = FALSE;
  return TRUE;
}

static gboolean
read_string (Loader      *self,
             JsonNode    *node,
             const char **out,
             gsize       *out_length)
{
  return read_string_full (self, node, out, out_length, NULL);
}

/* A string member as a new nul-terminated string; absent members give
 * %NULL. Anything but a valid string is an error. */
static gboolean
dup_string_member (Loader      *self,
                   JsonObject  *object,
                   const char  *member,
                   const char  *example,
                   char       **out,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *s;
  gsize length;

  *out = NULL;
  if (node == NULL)
    return TRUE;

  if (!read_string (self, node, &s, &length) || memchr (s, '\0', length) != NULL)
    {
      set_field_error (error, ATTN_ERROR_INVALID, example, member,
                       _("expected a valid UTF-8 string, found %s"),
                       JSON_NODE_TYPE (node) == JSON_NODE_VALUE &&
                       json_node_get_value_type (node) == G_TYPE_STRING ?
                       _("invalid UTF-8") : node_kind (node));
      return FALSE;
    }

  *out = g_strndup (s, length);
  return TRUE;
}

static inline gboolean
read_number (JsonNode *node,
             double   *out)
{
  GType type;

  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else
    return FALSE;

  return TRUE;
}

static inline gboolean
read_integer (JsonNode *node,
              gint64   *out)
{
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *out = json_node_get_int (node);
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Shapes                                                                  */

/* Checks a declared [L,H,n,n] or [L,n,n] shape (from base64 or .npy)
 * against the tokens and against overflow; sets L, H, head_mixed. */
static gboolean
check_shape (AttnExample   *example,
             const char    *field,
             const guint64 *shape,
             guint          rank,
             gsize          item_size,
             gsize         *out_bytes,
             GError       **error)
{
  g_autoptr(GString) text = g_string_new ("[");
  gsize count = 1;

  for (guint i = 0; i < rank; i++)
    g_string_append_printf (text, "%s%" G_GUINT64_FORMAT, i ? ", " : "", shape[i]);
  g_string_append_c (text, ']');

  if (rank != 3 && rank != 4)
    {
      set_field_error (error, ATTN_ERROR_SHAPE, example->label, field,
                       _("shape %s has %u dimensions; expected [L, H, n, n] or [L, n, n]"),
                       text->str, rank);
      return FALSE;
    }

  for (guint i = 0; i < rank; i++)
    if (shape[i] == 0)
      {
        set_field_error (error, ATTN_ERROR_SHAPE, example->label, field,
                         _("shape %s has a zero dimension (zero layers, heads or tokens)"),
                         text->str);
        return FALSE;
      }

  if (shape[rank - 1] != example->n_tokens || shape[rank - 2] != example->n_tokens)
    {
      set_field_error (error, ATTN_ERROR_SHAPE, example->label, field,
                       _("shape %s does not match the %u tokens"), text->str, example->n_tokens);
      return FALSE;
    }

  for (guint i = 0; i < rank; i++)
    if (shape[i] > G_MAXUINT32 || !g_size_checked_mul (&count, count, (gsize) shape[i]))
      {
        set_field_error (error, ATTN_ERROR_SHAPE, example->label, field,
                         _("shape %s is too large"), text->str);
        return FALSE;
      }

  if (!g_size_checked_mul (out_bytes, count, item_size) || *out_bytes > G_MAXSIZE / 2)
    {
      set_field_error (error, ATTN_ERROR_SHAPE, example->label, field,
                       _("shape %s is too large"), text->str);
      return FALSE;
    }

  example->n_layers = (guint) shape[0];
  example->head_mixed = rank == 3;
  example->n_heads = rank == 3 ? 1 : (guint) shape[1];
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Nested arrays                                                           */

static gboolean
load_nested (AttnExample  *example,
             JsonArray    *layers,
             GError      **error)
{
  guint n = example->n_tokens;
  guint n_layers = json_array_get_length (layers);
  guint n_heads;
  guint rank = 0;
  JsonNode *node;
  gsize count = 1;
  double *values;
  gsize k = 0;

  if (n_layers == 0)
    {
      set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                       _("there are zero layers"));
      return FALSE;
    }

  /* The rank is the depth of the first leaf. */
  node = json_array_get_element (layers, 0);
  rank = 1;
  while (JSON_NODE_HOLDS_ARRAY (node) && rank < 5)
    {
      JsonArray *array = json_node_get_array (node);
      rank++;
      if (json_array_get_length (array) == 0)
        break;
      node = json_array_get_element (array, 0);
    }

  if (JSON_NODE_HOLDS_ARRAY (json_array_get_element (layers, 0)) &&
      json_array_get_length (json_array_get_array_element (layers, 0)) == 0)
    {
      set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                       _("layer 1 is empty (zero heads or rows)"));
      return FALSE;
    }

  if (rank != 3 && rank != 4)
    {
      set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                       _("expected [L][H][n][n] or [L][n][n] arrays, found %u levels"), rank);
      return FALSE;
    }

  example->head_mixed = rank == 3;
  n_heads = rank == 4 ? json_array_get_length (json_array_get_array_element (layers, 0)) : 1;

  /* Check the whole structure before allocating anything. */
  for (guint l = 0; l < n_layers; l++)
    {
      JsonNode *layer_node = json_array_get_element (layers, l);
      JsonArray *layer;

      if (!JSON_NODE_HOLDS_ARRAY (layer_node))
        {
          set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                           _("layer %u is %s, not an array"), l + 1, node_kind (layer_node));
          return FALSE;
        }
      layer = json_node_get_array (layer_node);

      if (rank == 4 && json_array_get_length (layer) != n_heads)
        {
          set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                           _("layer %u has %u heads, layer 1 has %u"),
                           l + 1, json_array_get_length (layer), n_heads);
          return FALSE;
        }

      for (guint h = 0; h < n_heads; h++)
        {
          JsonArray *matrix;

          if (rank == 4)
            {
              JsonNode *head_node = json_array_get_element (layer, h);
              if (!JSON_NODE_HOLDS_ARRAY (head_node))
                {
                  set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                                   _("layer %u, head %u is %s, not an array"),
                                   l + 1, h, node_kind (head_node));
                  return FALSE;
                }
              matrix = json_node_get_array (head_node);
            }
          else
            matrix = layer;

          if (json_array_get_length (matrix) != n)
            {
              if (rank == 4)
                set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                                 _("layer %u, head %u has %u rows, expected %u (one per token)"),
                                 l + 1, h, json_array_get_length (matrix), n);
              else
                set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                                 _("layer %u has %u rows, expected %u (one per token)"),
                                 l + 1, json_array_get_length (matrix), n);
              return FALSE;
            }

          for (guint q = 0; q < n; q++)
            {
              JsonNode *row_node = json_array_get_element (matrix, q);
              guint row_length;

              if (!JSON_NODE_HOLDS_ARRAY (row_node))
                {
                  if (rank == 4)
                    set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                                     _("layer %u, head %u, row %u is %s, not an array"),
                                     l + 1, h, q, node_kind (row_node));
                  else
                    set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                                     _("layer %u, row %u is %s, not an array"),
                                     l + 1, q, node_kind (row_node));
                  return FALSE;
                }

              row_length = json_array_get_length (json_node_get_array (row_node));
              if (row_length != n)
                {
                  if (rank == 4)
                    set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                                     _("layer %u, head %u, row %u has %u entries, expected %u "
                                       "(one per token)"),
                                     l + 1, h, q, row_length, n);
                  else
                    set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                                     _("layer %u, row %u has %u entries, expected %u "
                                       "(one per token)"),
                                     l + 1, q, row_length, n);
                  return FALSE;
                }
            }
        }
    }

  /* The JSON holds every number, so the product cannot overflow; check anyway. */
  if (!g_size_checked_mul (&count, n_layers, n_heads) ||
      !g_size_checked_mul (&count, count, n) ||
      !g_size_checked_mul (&count, count, n) ||
      count > G_MAXSIZE / sizeof (double))
    {
      set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention", _("too large"));
      return FALSE;
    }

  values = g_new (double, count);
  example->n_layers = n_layers;
  example->n_heads = n_heads;
  example->dtype = ATTN_DTYPE_FLOAT64;
  example->storage = g_bytes_new_take (values, count * sizeof (double));
  example->data = values;

  for (guint l = 0; l < n_layers; l++)
    {
      JsonArray *layer = json_array_get_array_element (layers, l);

      for (guint h = 0; h < n_heads; h++)
        {
          JsonArray *matrix = rank == 4 ? json_array_get_array_element (layer, h) : layer;

          for (guint q = 0; q < n; q++)
            {
              JsonArray *row = json_array_get_array_element (matrix, q);

              for (guint c = 0; c < n; c++)
                {
                  JsonNode *value = json_array_get_element (row, c);

                  if (!read_number (value, &values[k]))
                    {
                      if (rank == 4)
                        set_field_error (error, ATTN_ERROR_INVALID, example->label, "attention",
                                         _("layer %u, head %u, row %u, column %u is %s, "
                                           "not a number"),
                                         l + 1, h, q, c, node_kind (value));
                      else
                        set_field_error (error, ATTN_ERROR_INVALID, example->label, "attention",
                                         _("layer %u, row %u, column %u is %s, not a number"),
                                         l + 1, q, c, node_kind (value));
                      return FALSE;
                    }
                  k++;
                }
            }
        }
    }

  return TRUE;
}

/* A regular array read by read_dense(): the checks of load_nested() on its
 * dimensions, with the same messages; the values are taken over. */
static gboolean
load_dense (AttnExample  *example,
            Blob         *blob,
            GError      **error)
{
  guint n = example->n_tokens;
  guint rank = blob->rank;
  gsize rows, entries;

  if (rank != 3 && rank != 4)
    {
      set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                       _("expected [L][H][n][n] or [L][n][n] arrays, found %u levels"), rank);
      return FALSE;
    }

  rows = blob->dims[rank - 1];
  entries = blob->dims[rank];
  if (rows != n)
    {
      if (rank == 4)
        set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                         _("layer %u, head %u has %u rows, expected %u (one per token)"),
                         1, 0, (guint) rows, n);
      else
        set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                         _("layer %u has %u rows, expected %u (one per token)"),
                         1, (guint) rows, n);
      return FALSE;
    }
  if (entries != n)
    {
      if (rank == 4)
        set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                         _("layer %u, head %u, row %u has %u entries, expected %u "
                           "(one per token)"),
                         1, 0, 0, (guint) entries, n);
      else
        set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention",
                         _("layer %u, row %u has %u entries, expected %u "
                           "(one per token)"),
                         1, 0, (guint) entries, n);
      return FALSE;
    }

  example->n_layers = (guint) blob->dims[1];
  example->head_mixed = rank == 3;
  example->n_heads = rank == 4 ? (guint) blob->dims[2] : 1;
  example->dtype = ATTN_DTYPE_FLOAT64;
  example->storage = g_bytes_new_take (g_steal_pointer (&blob->values),
                                       blob->count * sizeof (double));
  example->data = g_bytes_get_data (example->storage, NULL);
  return TRUE;
}

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

/*
 * Strict, canonical base64 (RFC 4648 §4): the length is a multiple of 4,
 * only the alphabet, '=' only as the final one or two characters, and the
 * unused bits of the last group are zero. @out holds exactly @out_length
 * bytes, which must be what the text decodes to.
 */
static gboolean
decode_base64 (Loader      *self,
               AttnExample *example,
               const char  *s,
               gsize        length,
               gboolean     from_text,
               guint8      *out,
               gsize        out_length,
               GError     **error)
{
  gsize padding = 0;
  gsize groups, full_groups, o = 0;
  gsize released = 0;
  const guint8 *u = (const guint8 *) s;

  if (length % 4 != 0 || length == 0)
    {
      set_field_error (error, ATTN_ERROR_ENCODING, example->label, "attention.base64",
                       _("%zu characters is not a multiple of 4"), length);
      return FALSE;
    }

  if (s[length - 1] == '=')
    padding = s[length - 2] == '=' ? 2 : 1;

  groups = length / 4;
  if (groups * 3 - padding != out_length)
    {
      set_field_error (error, ATTN_ERROR_ENCODING, example->label, "attention.base64",
                       _("decodes to %zu bytes, but the shape and dtype need %zu"),
                       groups * 3 - padding, out_length);
      return FALSE;
    }

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
          if (from_text)
            release_text (self, (gsize) (s - self->text) + released,
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
        {
          set_field_error (error, ATTN_ERROR_ENCODING, example->label, "attention.base64",
                           _("not canonical: the unused bits of the last group are not zero"));
          return FALSE;
        }

      out[o++] = (guint8) (a << 2 | b >> 4);
      if (padding == 1)
        out[o++] = (guint8) (b << 4 | c >> 2);
    }

  g_assert (o == out_length);
  if (from_text)
    release_text (self, (gsize) (s - self->text) + released, (gsize) (s - self->text) + length);
  return TRUE;

bad_character:
  {
    gsize at = first_bad_base64 (s, length);
    /* '=' inside the text, or any other character */
    set_field_error (error, ATTN_ERROR_ENCODING, example->label, "attention.base64",
                     _("character %zu (“%c”) is not base64"), at,
                     g_ascii_isprint (s[at]) ? s[at] : '?');
    return FALSE;
  }
}

static gboolean
parse_dtype (AttnExample  *example,
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
      set_field_error (error, ATTN_ERROR_UNSUPPORTED, example->label, "attention.dtype",
                       _("unknown dtype “%s” (expected float16, float32 or float64)"), name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_base64 (Loader       *self,
             AttnExample  *example,
             JsonObject   *encoded,
             GError      **error)
{
  JsonNode *dtype_node = json_object_get_member (encoded, "dtype");
  JsonNode *shape_node = json_object_get_member (encoded, "shape");
  JsonNode *base64_node = json_object_get_member (encoded, "base64");
  g_autofree char *dtype_string = NULL;
  guint64 shape[4];
  JsonArray *shape_array;
  guint rank;
  const char *text;
  gsize text_length;
  gboolean from_text;
  gsize bytes;
  guint8 *buffer;

  if (dtype_node == NULL)
    {
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "attention.dtype",
                       _("missing (expected float16, float32 or float64)"));
      return FALSE;
    }
  if (!dup_string_member (self, encoded, "dtype", example->label, &dtype_string, error))
    return FALSE;
  if (!parse_dtype (example, dtype_string, &example->dtype, error))
    return FALSE;

  if (shape_node == NULL || !JSON_NODE_HOLDS_ARRAY (shape_node))
    {
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "attention.shape",
                       shape_node == NULL ? _("missing") : _("not an array"));
      return FALSE;
    }
  shape_array = json_node_get_array (shape_node);
  rank = json_array_get_length (shape_array);
  if (rank != 3 && rank != 4)
    {
      set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention.shape",
                       _("has %u entries; expected [L, H, n, n] or [L, n, n]"), rank);
      return FALSE;
    }
  for (guint i = 0; i < rank; i++)
    {
      JsonNode *entry = json_array_get_element (shape_array, i);
      gint64 value;

      if (!read_integer (entry, &value) || value <= 0)
        {
          set_field_error (error, ATTN_ERROR_SHAPE, example->label, "attention.shape",
                           _("entry %u is not a positive integer"), i);
          return FALSE;
        }
      shape[i] = (guint64) value;
    }

  if (!check_shape (example, "attention.shape", shape, rank, dtype_size (example->dtype), &bytes,
                    error))
    return FALSE;

  if (base64_node == NULL)
    {
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "attention.base64",
                       _("missing"));
      return FALSE;
    }
  if (!read_string_full (self, base64_node, &text, &text_length, &from_text))
    {
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "attention.base64",
                       _("expected a string, found %s"), node_kind (base64_node));
      return FALSE;
    }

  /* Check the length before allocating what the shape claims. */
  if (text_length != (bytes + 2) / 3 * 4)
    {
      set_field_error (error, ATTN_ERROR_ENCODING, example->label, "attention.base64",
                       _("has %zu characters, but shape and dtype %s need %zu bytes "
                         "(%zu characters)"),
                       text_length, attn_dtype_get_name (example->dtype), bytes, (bytes + 2) / 3 * 4);
      return FALSE;
    }

  buffer = g_malloc (bytes);
  example->storage = g_bytes_new_take (buffer, bytes);
  example->data = buffer;

  return decode_base64 (self, example, text, text_length, from_text, buffer, bytes, error);
}

/* ---------------------------------------------------------------------- */
/* .npy                                                                    */

/* Refuses paths that are absolute or climb out of the folder by "..". */
static gboolean
path_stays_inside (const char *relative)
{
  g_auto(GStrv) parts = NULL;
  int depth = 0;

  if (g_path_is_absolute (relative))
    return FALSE;

  parts = g_strsplit_set (relative, "/\\", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || g_str_equal (parts[i], "."))
        continue;
      if (g_str_equal (parts[i], ".."))
        {
          if (--depth < 0)
            return FALSE;
        }
      else
        depth++;
    }

  return TRUE;
}

typedef struct
{
  const char *p;
  const char *end;
} HeaderCursor;

static void
header_skip_space (HeaderCursor *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n'))
    c->p++;
}

static gboolean
header_expect (HeaderCursor *c,
               char          ch)
{
  header_skip_space (c);
  if (c->p < c->end && *c->p == ch)
    {
      c->p++;
      return TRUE;
    }
  return FALSE;
}

static char *
header_string (HeaderCursor *c)
{
  char quote;
  const char *start;

  header_skip_space (c);
  if (c->p >= c->end || (*c->p != '\'' && *c->p != '"'))
    return NULL;
  quote = *c->p++;
  start = c->p;
  while (c->p < c->end && *c->p != quote)
    c->p++;
  if (c->p >= c->end)
    return NULL;
  return g_strndup (start, (gsize) (c->p++ - start));
}

/*
 * Parses the header dictionary of a .npy file, e.g.
 *   {'descr': '<f4', 'fortran_order': False, 'shape': (12, 12, 64, 64), }
 * Returns FALSE on a syntax error; missing keys give descr NULL / rank 0.
 */
static gboolean
parse_npy_header (const char  *header,
                  gsize        length,
                  char       **descr,
                  int         *fortran_order,
                  guint64     *shape,
                  guint       *rank)
{
  HeaderCursor c = { header, header + length };
  gboolean have_shape = FALSE;

  *descr = NULL;
  *fortran_order = -1;
  *rank = 0;

  if (!header_expect (&c, '{'))
    return FALSE;

  for (;;)
    {
      g_autofree char *key = NULL;

      if (header_expect (&c, '}'))
        break;

      key = header_string (&c);
      if (key == NULL || !header_expect (&c, ':'))
        return FALSE;
      header_skip_space (&c);

      if (g_str_equal (key, "descr") && *descr == NULL)
        {
          *descr = header_string (&c);
          if (*descr == NULL)
            return FALSE;
        }
      else if (g_str_equal (key, "fortran_order") && *fortran_order < 0)
        {
          if ((gsize) (c.end - c.p) >= 4 && memcmp (c.p, "True", 4) == 0)
            {
              *fortran_order = 1;
              c.p += 4;
            }
          else if ((gsize) (c.end - c.p) >= 5 && memcmp (c.p, "False", 5) == 0)
            {
              *fortran_order = 0;
              c.p += 5;
            }
          else
            return FALSE;
        }
      else if (g_str_equal (key, "shape") && !have_shape)
        {
          have_shape = TRUE;
          if (!header_expect (&c, '('))
            return FALSE;
          for (;;)
            {
              guint64 value = 0;
              gboolean digits = FALSE;

              if (header_expect (&c, ')'))
                break;
              header_skip_space (&c);
              while (c.p < c.end && g_ascii_isdigit (*c.p))
                {
                  guint d = (guint) (*c.p - '0');
                  if (value > (G_MAXUINT64 - d) / 10)
                    value = G_MAXUINT64; /* saturate: refused as too large */
                  else
                    value = value * 10 + d;
                  digits = TRUE;
                  c.p++;
                }
              /* Python 2 writes long integers as 12L */
              if (c.p < c.end && *c.p == 'L')
                c.p++;
              if (!digits || *rank >= 8)
                return FALSE;
              shape[(*rank)++] = value;
              if (header_expect (&c, ')'))
                break;
              if (!header_expect (&c, ','))
                return FALSE;
            }
        }
      else
        return FALSE; /* unknown or repeated key */

      if (header_expect (&c, '}'))
        break;
      if (!header_expect (&c, ','))
        return FALSE;
    }

  header_skip_space (&c);
  return c.p == c.end && have_shape;
}

static gboolean
load_npy (Loader       *self,
          AttnExample  *example,
          JsonObject   *encoded,
          GError      **error)
{
  JsonNode *path_node = json_object_get_member (encoded, "npy");
  const char *relative_text;
  gsize relative_length;
  g_autofree char *relative = NULL;
  g_autofree char *base_real = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *real = NULL;
  g_autofree char *descr = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GError) local_error = NULL;
  const guint8 *bytes;
  gsize file_length;
  guint major;
  gsize header_length, data_offset, data_bytes;
  int fortran_order;
  guint64 shape[8];
  guint rank;
  gsize base_length;

  if (!read_string (self, path_node, &relative_text, &relative_length) ||
      relative_length == 0 || memchr (relative_text, '\0', relative_length) != NULL)
    {
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "attention.npy",
                       _("expected a relative path to a .npy file"));
      return FALSE;
    }
  relative = g_strndup (relative_text, relative_length);

  if (!path_stays_inside (relative))
    {
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "attention.npy",
                       _("“%s” leaves the folder of the JSON file; .npy files must be inside it"),
                       relative);
      return FALSE;
    }

  if (self->base_dir == NULL)
    {
      set_field_error (error, ATTN_ERROR_IO, example->label, "attention.npy",
                       _("“%s” cannot be found: the JSON was not read from a file"), relative);
      return FALSE;
    }

  base_real = realpath (self->base_dir, NULL);
  if (base_real == NULL)
    {
      int saved = errno;
      set_field_error (error, ATTN_ERROR_IO, example->label, "attention.npy",
                       _("cannot resolve the folder “%s”: %s"), self->base_dir,
                       g_strerror (saved));
      return FALSE;
    }

  joined = g_build_filename (base_real, relative, NULL);
  real = realpath (joined, NULL);
  if (real == NULL)
    {
      int saved = errno;
      set_field_error (error, ATTN_ERROR_IO, example->label, "attention.npy",
                       _("cannot open “%s”: %s"), relative, g_strerror (saved));
      return FALSE;
    }

  /* Symbolic links may point anywhere: check where the path really is. */
  base_length = strlen (base_real);
  if (!(strncmp (real, base_real, base_length) == 0 &&
        (real[base_length] == '/' || (base_length > 0 && base_real[base_length - 1] == '/'))))
    {
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "attention.npy",
                       _("“%s” leaves the folder of the JSON file; .npy files must be inside it"),
                       relative);
      return FALSE;
    }

  if (!g_file_test (real, G_FILE_TEST_IS_REGULAR))
    {
      set_field_error (error, ATTN_ERROR_IO, example->label, "attention.npy",
                       _("“%s” is not a regular file"), relative);
      return FALSE;
    }

  mapped = g_mapped_file_new (real, FALSE, &local_error);
  if (mapped == NULL)
    {
      set_field_error (error, ATTN_ERROR_IO, example->label, "attention.npy",
                       _("cannot read “%s”: %s"), relative, local_error->message);
      return FALSE;
    }

  whole = g_mapped_file_get_bytes (mapped);
  bytes = g_bytes_get_data (whole, &file_length);

  if (file_length < 10 || memcmp (bytes, "\x93NUMPY", 6) != 0)
    {
      set_field_error (error, ATTN_ERROR_ENCODING, example->label, "attention.npy",
                       _("“%s” is not a .npy file"), relative);
      return FALSE;
    }

  major = bytes[6];
  if (major == 1)
    {
      header_length = bytes[8] | (gsize) bytes[9] << 8;
      data_offset = 10;
    }
  else if (major == 2 || major == 3)
    {
      if (file_length < 12)
        goto truncated;
      header_length = bytes[8] | (gsize) bytes[9] << 8 | (gsize) bytes[10] << 16 |
                      (gsize) bytes[11] << 24;
      data_offset = 12;
    }
  else
    {
      set_field_error (error, ATTN_ERROR_UNSUPPORTED, example->label, "attention.npy",
                       _("“%s” uses .npy format version %u.%u (1.0, 2.0 and 3.0 are supported)"),
                       relative, major, bytes[7]);
      return FALSE;
    }

  if (header_length > file_length - data_offset)
    goto truncated;

  if (!g_utf8_validate_len ((const char *) bytes + data_offset, header_length, NULL) ||
      !parse_npy_header ((const char *) bytes + data_offset, header_length, &descr,
                         &fortran_order, shape, &rank) ||
      descr == NULL || fortran_order < 0)
    {
      set_field_error (error, ATTN_ERROR_ENCODING, example->label, "attention.npy",
                       _("“%s” has a malformed header"), relative);
      return FALSE;
    }
  data_offset += header_length;

  if (g_str_equal (descr, "<f4"))
    example->dtype = ATTN_DTYPE_FLOAT32;
  else if (g_str_equal (descr, "<f2"))
    example->dtype = ATTN_DTYPE_FLOAT16;
  else if (g_str_equal (descr, "<f8"))
    example->dtype = ATTN_DTYPE_FLOAT64;
  else
    {
      set_field_error (error, ATTN_ERROR_UNSUPPORTED, example->label, "attention.npy",
                       _("“%s” holds dtype “%s”; expected <f2, <f4 or <f8 (little-endian floats)"),
                       relative, descr);
      return FALSE;
    }

  if (fortran_order)
    {
      set_field_error (error, ATTN_ERROR_UNSUPPORTED, example->label, "attention.npy",
                       _("“%s” is in Fortran order; save it in C order"), relative);
      return FALSE;
    }

  if (!check_shape (example, "attention.npy", shape, rank, dtype_size (example->dtype),
                    &data_bytes, error))
    return FALSE;

  if (file_length - data_offset != data_bytes)
    {
      if (file_length - data_offset < data_bytes)
        goto truncated;
      set_field_error (error, ATTN_ERROR_ENCODING, example->label, "attention.npy",
                       _("“%s” has %zu bytes after its data"),
                       relative, file_length - data_offset - data_bytes);
      return FALSE;
    }

  if (data_offset % dtype_size (example->dtype) == 0)
    example->storage = g_bytes_new_from_bytes (whole, data_offset, data_bytes);
  else
    example->storage = g_bytes_new (bytes + data_offset, data_bytes); /* unaligned: copy */
  example->data = g_bytes_get_data (example->storage, NULL);
  return TRUE;

truncated:
  set_field_error (error, ATTN_ERROR_ENCODING, example->label, "attention.npy",
                   _("“%s” is truncated"), relative);
  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Examples                                                                */

static gboolean
load_tokens (Loader       *self,
             AttnExample  *example,
             JsonObject   *object,
             GError      **error)
{
  JsonNode *node = json_object_get_member (object, "tokens");
  JsonArray *array;
  guint n;

  if (node == NULL)
    {
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "tokens", _("missing"));
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "tokens",
                       _("expected an array of strings, found %s"), node_kind (node));
      return FALSE;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    {
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "tokens",
                       _("empty: an example needs at least one token"));
      return FALSE;
    }

  example->tokens = g_new0 (char *, (gsize) n + 1);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *token = json_array_get_element (array, i);
      const char *s;
      gsize length;

      if (!read_string (self, token, &s, &length) || memchr (s, '\0', length) != NULL)
        {
          set_field_error (error, ATTN_ERROR_INVALID, example->label, "tokens",
                           _("token %u is %s, not a valid UTF-8 string"), i,
                           JSON_NODE_TYPE (token) == JSON_NODE_VALUE &&
                           json_node_get_value_type (token) == G_TYPE_STRING ?
                           _("invalid UTF-8") : node_kind (token));
          return FALSE;
        }
      example->tokens[i] = g_strndup (s, length);
    }
  example->n_tokens = n;
  return TRUE;
}

static gboolean
load_attention (Loader       *self,
                AttnExample  *example,
                JsonObject   *object,
                GError      **error)
{
  JsonNode *node = json_object_get_member (object, "attention");
  Blob *blob;

  if (node == NULL)
    {
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "attention", _("missing"));
      return FALSE;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    return load_nested (example, json_node_get_array (node), error);

  blob = lookup_blob (self, node);
  if (blob != NULL && blob->dense && blob->values != NULL)
    return load_dense (example, blob, error);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *encoded = json_node_get_object (node);

      if (json_object_has_member (encoded, "npy"))
        return load_npy (self, example, encoded, error);
      if (json_object_has_member (encoded, "base64"))
        return load_base64 (self, example, encoded, error);

      set_field_error (error, ATTN_ERROR_INVALID, example->label, "attention",
                       _("an encoded array needs “base64” (with “dtype” and “shape”) or “npy”"));
      return FALSE;
    }

  set_field_error (error, ATTN_ERROR_INVALID, example->label, "attention",
                   _("expected nested arrays or an encoded array, found %s"), node_kind (node));
  return FALSE;
}

static gboolean
load_prediction (Loader       *self,
                 AttnExample  *example,
                 JsonObject   *object,
                 GError      **error)
{
  JsonNode *node = json_object_get_member (object, "prediction");
  JsonObject *prediction;
  JsonNode *candidates_node;
  JsonArray *candidates;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "prediction",
                       _("expected an object, found %s"), node_kind (node));
      return FALSE;
    }
  prediction = json_node_get_object (node);

  if (!dup_string_member (self, prediction, "label", example->label, &example->prediction_label,
                          error))
    return FALSE;

  candidates_node = json_object_get_member (prediction, "candidates");
  if (candidates_node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (candidates_node))
    {
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "prediction.candidates",
                       _("expected an array, found %s"), node_kind (candidates_node));
      return FALSE;
    }

  candidates = json_node_get_array (candidates_node);
  for (guint i = 0; i < json_array_get_length (candidates); i++)
    {
      JsonNode *candidate_node = json_array_get_element (candidates, i);
      JsonObject *candidate;
      JsonNode *probability;
      AttnCandidate entry = { NULL, 0. };

      if (!JSON_NODE_HOLDS_OBJECT (candidate_node))
        {
          set_field_error (error, ATTN_ERROR_INVALID, example->label, "prediction.candidates",
                           _("candidate %u is %s, not an object"), i, node_kind (candidate_node));
          return FALSE;
        }
      candidate = json_node_get_object (candidate_node);

      probability = json_object_get_member (candidate, "probability");
      if (probability == NULL || !read_number (probability, &entry.probability) ||
          !isfinite (entry.probability))
        {
          set_field_error (error, ATTN_ERROR_INVALID, example->label, "prediction.candidates",
                           _("candidate %u needs a finite number “probability”"), i);
          return FALSE;
        }

      if (!dup_string_member (self, candidate, "label", example->label, &entry.label, error))
        return FALSE;
      if (entry.label == NULL)
        {
          set_field_error (error, ATTN_ERROR_INVALID, example->label, "prediction.candidates",
                           _("candidate %u has no “label”"), i);
          return FALSE;
        }
      g_array_append_val (example->candidates, entry);
    }

  return TRUE;
}

static gboolean
load_references (Loader       *self,
                 AttnExample  *example,
                 JsonObject   *object,
                 GError      **error)
{
  JsonNode *node = json_object_get_member (object, "references");
  JsonObject *references;
  g_autoptr(GList) names = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "references",
                       _("expected an object, found %s"), node_kind (node));
      return FALSE;
    }

  references = json_node_get_object (node);
  names = json_object_get_members (references); /* in file order */
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *field = g_strdup_printf ("references.%s", name);
      JsonNode *vector_node = json_object_get_member (references, name);
      JsonArray *vector;
      AttnReference *reference;

      if (!g_utf8_validate (name, -1, NULL))
        {
          set_field_error (error, ATTN_ERROR_INVALID, example->label, "references",
                           _("a name is not valid UTF-8"));
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_ARRAY (vector_node))
        {
          set_field_error (error, ATTN_ERROR_INVALID, example->label, field,
                           _("expected an array of %u numbers, found %s"),
                           example->n_tokens, node_kind (vector_node));
          return FALSE;
        }
      vector = json_node_get_array (vector_node);
      if (json_array_get_length (vector) != example->n_tokens)
        {
          set_field_error (error, ATTN_ERROR_SHAPE, example->label, field,
                           _("has %u entries, expected %u (one per token)"),
                           json_array_get_length (vector), example->n_tokens);
          return FALSE;
        }

      reference = g_new0 (AttnReference, 1);
      reference->name = g_strdup (name);
      reference->values = g_new (double, example->n_tokens);
      g_ptr_array_add (example->references, reference);

      for (guint i = 0; i < example->n_tokens; i++)
        {
          JsonNode *value = json_array_get_element (vector, i);

          if (!read_number (value, &reference->values[i]))
            {
              set_field_error (error, ATTN_ERROR_INVALID, example->label, field,
                               _("entry %u is %s, not a number"), i, node_kind (value));
              return FALSE;
            }
          if (!isfinite (reference->values[i]))
            {
              set_field_error (error, ATTN_ERROR_VALUE, example->label, field,
                               _("entry %u is not finite"), i);
              return FALSE;
            }
        }
    }

  return TRUE;
}

static gboolean
load_focus (AttnExample  *example,
            JsonObject   *object,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, "focus");
  gint64 focus;

  example->focus = 0;
  if (node == NULL)
    return TRUE;

  if (!read_integer (node, &focus))
    {
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "focus",
                       _("expected a token index, found %s"), node_kind (node));
      return FALSE;
    }
  if (focus < 0 || focus >= example->n_tokens)
    {
      g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, focus);
      set_field_error (error, ATTN_ERROR_INVALID, example->label, "focus",
                       _("%s is not a token index (0 to %u)"), shown, example->n_tokens - 1);
      return FALSE;
    }

  example->focus = (guint) focus;
  return TRUE;
}

static AttnExample *
load_example (Loader      *self,
              JsonNode    *node,
              guint        index,
              GError     **error)
{
  g_autoptr(AttnExample) example = _attn_example_new ();
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *index_label = g_strdup_printf ("%u", index);
  JsonObject *object;

  example->index = index;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_INVALID,
                   _("Example “%u” is %s, not an object"), index, node_kind (node));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!dup_string_member (self, object, "id", index_label, &example->id, error))
    return NULL;
  example->label = g_strdup (example->id != NULL ? example->id : index_label);

  if (!dup_string_member (self, object, "text", example->label, &example->text, error) ||
      !dup_string_member (self, object, "model", example->label, &example->model, error) ||
      !load_tokens (self, example, object, error) ||
      !load_focus (example, object, error) ||
      !load_prediction (self, example, object, error) ||
      !load_references (self, example, object, error) ||
      !load_attention (self, example, object, error))
    return NULL;

  if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
    return NULL;

  if (!_attn_example_validate (example, warnings, error))
    return NULL;

  for (guint i = 0; i < warnings->len; i++)
    g_ptr_array_add (self->renormalised, g_strdup (g_ptr_array_index (warnings, i)));

  return g_steal_pointer (&example);
}

static gboolean
check_format (Loader      *self,
              JsonObject  *root,
              GError     **error)
{
  JsonNode *format = json_object_get_member (root, "format");
  JsonNode *version = json_object_get_member (root, "version");
  const char *s;
  gsize length;
  gint64 v;

  if (format == NULL)
    {
      set_field_error (error, ATTN_ERROR_INVALID, NULL, "format",
                       _("missing (expected \"attnflow\" next to “examples”)"));
      return FALSE;
    }
  if (!read_string (self, format, &s, &length) || length != strlen ("attnflow") ||
      memcmp (s, "attnflow", length) != 0)
    {
      g_autofree char *shown = NULL;

      if (read_string (self, format, &s, &length))
        shown = g_strdup_printf ("“%.*s”", (int) MIN (length, 64), s);
      set_field_error (error, ATTN_ERROR_UNSUPPORTED, NULL, "format",
                       _("unknown format %s (expected \"attnflow\")"),
                       shown != NULL ? shown : node_kind (format));
      return FALSE;
    }

  if (version == NULL)
    {
      set_field_error (error, ATTN_ERROR_INVALID, NULL, "version", _("missing (expected 1)"));
      return FALSE;
    }
  if (!read_integer (version, &v))
    {
      set_field_error (error, ATTN_ERROR_INVALID, NULL, "version", _("expected 1, found %s"),
                       node_kind (version));
      return FALSE;
    }
  if (v != 1)
    {
      g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, v);
      set_field_error (error, ATTN_ERROR_UNSUPPORTED, NULL, "version",
                       _("version %s is not supported (this program reads version 1)"), shown);
      return FALSE;
    }

  return TRUE;
}

static gboolean
load_root (Loader        *self,
           JsonNode      *root,
           AttnDocument  *document,
           GError       **error)
{
  JsonObject *object;
  JsonNode *examples_node;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_INVALID,
                   _("The top level is %s; expected an example object or "
                     "{\"format\": \"attnflow\", \"version\": 1, \"examples\": […]}"),
                   root ? node_kind (root) : _("empty"));
      return FALSE;
    }
  object = json_node_get_object (root);
  examples_node = json_object_get_member (object, "examples");

  if (examples_node != NULL || json_object_has_member (object, "format") ||
      json_object_has_member (object, "version"))
    {
      if (!check_format (self, object, error))
        return FALSE;
      if (!dup_string_member (self, object, "model", NULL, &document->model, error))
        return FALSE;
    }

  if (examples_node != NULL)
    {
      JsonArray *examples;

      if (!JSON_NODE_HOLDS_ARRAY (examples_node))
        {
          set_field_error (error, ATTN_ERROR_INVALID, NULL, "examples",
                           _("expected an array of examples, found %s"), node_kind (examples_node));
          return FALSE;
        }
      examples = json_node_get_array (examples_node);
      if (json_array_get_length (examples) == 0)
        {
          set_field_error (error, ATTN_ERROR_INVALID, NULL, "examples",
                           _("empty: the file holds no example"));
          return FALSE;
        }

      for (guint i = 0; i < json_array_get_length (examples); i++)
        {
          AttnExample *example;

          if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
            return FALSE;
          example = load_example (self, json_array_get_element (examples, i), i, error);
          if (example == NULL)
            return FALSE;
          g_ptr_array_add (document->examples, example);
        }
    }
  else
    {
      AttnExample *example = load_example (self, root, 0, error);

      if (example == NULL)
        return FALSE;
      g_ptr_array_add (document->examples, example);
      if (document->model == NULL && example->model != NULL)
        document->model = g_strdup (example->model);
    }

  /* One warning per file for renormalised rows (DESIGN §3). */
  if (self->renormalised->len == 1)
    g_ptr_array_add (document->warnings, g_strdup (g_ptr_array_index (self->renormalised, 0)));
  else if (self->renormalised->len > 1)
    g_ptr_array_add (document->warnings,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%s; %u more example was renormalised too",
                                                   "%s; %u more examples were renormalised too",
                                                   self->renormalised->len - 1),
                                      (const char *) g_ptr_array_index (self->renormalised, 0),
                                      self->renormalised->len - 1));

  return TRUE;
}

static AttnDocument *
load_text (const char    *text,
           gsize          length,
           gboolean       mapped,
           gboolean       dense_arrays,
           const char    *base_dir,
           GCancellable  *cancellable,
           GError       **error)
{
  Loader self = { 0 };
  g_autoptr(AttnDocument) document = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  GString *skeleton = NULL;
  const char *parse_text;
  gsize parse_length;
  const char *invalid;
  gboolean all_space = TRUE;
  gboolean ok = FALSE;

  for (gsize i = 0; i < length && all_space; i++)
    all_space = is_json_space (text[i]);
  if (all_space)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                           _("The file is empty: expected a JSON object"));
      return NULL;
    }

  self.text = text;
  self.length = length;
  self.mapped = mapped;
  self.base_dir = base_dir;
  self.cancellable = cancellable;
  self.blobs = g_array_new (FALSE, TRUE, sizeof (Blob));
  g_array_set_clear_func (self.blobs, blob_clear);
  self.dense_arrays = dense_arrays;
  self.members = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                        (GDestroyNotify) g_hash_table_unref);
  self.renormalised = g_ptr_array_new_with_free_func (g_free);
  self.prefix_length = (gsize) g_snprintf (self.prefix, sizeof self.prefix,
                                           "attnflow-blob:%08x%08x%08x:",
                                           g_random_int (), g_random_int (), g_random_int ());

  if (!scan_text (&self, &skeleton, error))
    goto out;

  parse_text = skeleton ? skeleton->str : text;
  parse_length = skeleton ? skeleton->len : length;

  if (!g_utf8_validate_len (parse_text, parse_length, &invalid))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                   _("Line %u: the file is not valid UTF-8 (or holds a NUL byte)"),
                   line_of (parse_text, (gsize) (invalid - parse_text)));
      goto out;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  parser = json_parser_new ();
  g_signal_connect (parser, "object-member", G_CALLBACK (object_member_cb), &self);
  if (!json_parser_load_from_data (parser, parse_text, (gssize) parse_length, &parse_error))
    {
      /* json-glib quotes the offending token, which may be invalid UTF-8 */
      g_autofree char *message = g_utf8_make_valid (parse_error->message, -1);

      g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE, _("The file is not valid JSON: %s"),
                   message);
      goto out;
    }
  if (skeleton != NULL)
    {
      /* json-glib copied what it needs */
      g_string_free (skeleton, TRUE);
      skeleton = NULL;
    }

  if (self.duplicate != NULL)
    {
      g_autoptr(GString) path = g_string_new (NULL);

      if (!find_object_path (json_parser_get_root (parser), self.duplicate_in, path) ||
          path->len == 0)
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_INVALID,
                     _("The key “%s” appears twice in the top-level object"), self.duplicate);
      else
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_INVALID,
                     /* translators: the second %s is where the object is, such as
                      * examples[1].prediction */
                     _("The key “%s” appears twice in the object at %s"), self.duplicate,
                     path->str);
      goto out;
    }
  g_clear_pointer (&self.members, g_hash_table_unref);

  document = _attn_document_new ();
  ok = load_root (&self, json_parser_get_root (parser), document, error);

out:
  if (skeleton != NULL)
    g_string_free (skeleton, TRUE);
  g_array_unref (self.blobs);
  g_clear_pointer (&self.members, g_hash_table_unref);
  g_free (self.duplicate);
  g_ptr_array_unref (self.renormalised);

  return ok ? g_steal_pointer (&document) : NULL;
}

/*
 * _attn_document_load_from_data_full:
 * As attn_document_load_from_data(); @dense_arrays FALSE reads nested arrays
 * through json-glib's tree only (tests compare both readers).
 */
AttnDocument *
_attn_document_load_from_data_full (const char    *data,
                                    gsize          length,
                                    const char    *base_dir,
                                    gboolean       dense_arrays,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_text (data ? data : "", length, FALSE, dense_arrays, base_dir, cancellable, error);
}

/**
 * attn_document_load_from_data:
 * @data: (array length=length): the export's text (need not be nul-terminated)
 * @length: bytes in @data
 * @base_dir: (nullable): the folder `.npy` paths are resolved in; %NULL refuses them
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an %ATTN_ERROR
 *
 * Reads an attention export v1 (DESIGN.md §3) from memory and validates it.
 *
 * Returns: (transfer full) (nullable): the document, or %NULL with @error set
 */
AttnDocument *
attn_document_load_from_data (const char    *data,
                              gsize          length,
                              const char    *base_dir,
                              GCancellable  *cancellable,
                              GError       **error)
{
  return _attn_document_load_from_data_full (data, length, base_dir, TRUE, cancellable, error);
}

/**
 * attn_document_load:
 * @path: an export file
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an %ATTN_ERROR
 *
 * Maps @path and reads it as an attention export v1. `.npy` sidecar files are
 * resolved in the folder of @path and stay mapped.
 *
 * Returns: (transfer full) (nullable): the document, or %NULL with @error set
 */
AttnDocument *
attn_document_load (const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *base_dir = NULL;
  g_autofree char *display = NULL;
  AttnDocument *document;
  const char *contents;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_name (path);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Cannot read “%s”: it is a folder"),
                   display);
      return NULL;
    }

  /* a FIFO or a device would block or never end */
  if (g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO,
                   _("Cannot read “%s”: it is not a regular file"), display);
      return NULL;
    }

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Cannot read “%s”: %s"), display,
                   local_error->message);
      return NULL;
    }

  contents = g_mapped_file_get_contents (mapped);
  length = g_mapped_file_get_length (mapped);
  base_dir = g_path_get_dirname (path);

  document = load_text (contents ? contents : "", contents ? length : 0, contents != NULL, TRUE,
                        base_dir, cancellable, error);
  if (document != NULL)
    document->path = g_strdup (path);

  return document;
}
