/* attn-loader-scan.c: the byte scan in front of json-glib (see attn-loader-private.h)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#ifdef G_OS_UNIX
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "attn-loader-private.h"

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

/* Drops the resident pages of [from, to) of a mapped text: they come back
 * from the page cache if touched again. */
void
_attn_loader_release_text (Loader *self,
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

void
_attn_loader_blob_clear (gpointer data)
{
  Blob *blob = data;

  g_clear_pointer (&blob->values, g_free);
}

/* The offset after the blanks at @p. */
static inline gsize
skip_blanks (const char *text,
             gsize       length,
             gsize       p)
{
  while (p < length && _attn_loader_is_json_space (text[p]))
    p++;
  return p;
}

/* At least one digit at @from: sets *@p after the last. */
static inline gboolean
skip_digits (const char *text,
             gsize       length,
             gsize      *p,
             gsize       from)
{
  if (from >= length || !g_ascii_isdigit (text[from]))
    return FALSE;
  while (from < length && g_ascii_isdigit (text[from]))
    from++;
  *p = from;
  return TRUE;
}

/* Reads a strict JSON number at *@p (no leniency) and moves *@p past it.
 * FALSE for anything else, and for integers of more than 18 digits (left to
 * json-glib's int64 rules). */
static gboolean
scan_number (const char *text,
             gsize       length,
             gsize      *p_inout,
             double     *out)
{
  gsize p = *p_inout;
  gsize s = p;
  gboolean integer = TRUE;
  char *end = NULL;

  if (text[p] == '-')
    p++;
  if (p < length && text[p] == '0')
    p++;
  else if (p < length && text[p] >= '1' && text[p] <= '9')
    while (p < length && g_ascii_isdigit (text[p]))
      p++;
  else
    return FALSE;
  if (p < length && text[p] == '.')
    {
      if (!skip_digits (text, length, &p, p + 1))
        return FALSE;
      integer = FALSE;
    }
  if (p < length && (text[p] == 'e' || text[p] == 'E'))
    {
      gsize q = p + 1;

      if (q < length && (text[q] == '+' || text[q] == '-'))
        q++;
      if (!skip_digits (text, length, &p, q))
        return FALSE;
      integer = FALSE;
    }
  /* a delimiter must follow (so strtod stops inside the text) */
  if (p >= length || (integer && p - s > 18))
    return FALSE;

  *out = g_ascii_strtod (text + s, &end);
  if (end != text + p)
    return FALSE;
  if (integer)
    *out += 0.; /* json-glib reads "-0" as the integer 0 */

  *p_inout = p;
  return TRUE;
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
      p = skip_blanks (text, length, p);
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
          double v;

          if (level == 0 || (rank != 0 && level != rank) ||
              !scan_number (text, length, &p, &v))
            goto fail;
          rank = level;

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
          p = skip_blanks (text, length, p);
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

/* The skeleton being built: text up to @copied is in @out (created at the
 * first replacement). */
typedef struct
{
  Loader  *loader;
  GString *out;
  gsize    copied;
} Skeleton;

/* Copies the text up to @from into the skeleton, then a placeholder for
 * @blob (quoted when @quote), and skips the text up to @to. */
static void
skeleton_replace (Skeleton   *sk,
                  gsize       from,
                  gsize       to,
                  gboolean    quote,
                  const Blob *blob)
{
  Loader *self = sk->loader;
  char index[24];

  if (sk->out == NULL)
    sk->out = g_string_sized_new (MIN (self->length, 1 << 20));
  g_string_append_len (sk->out, self->text + sk->copied, (gssize) (from - sk->copied));
  if (quote)
    g_string_append_c (sk->out, '"');
  g_string_append_len (sk->out, self->prefix, (gssize) self->prefix_length);
  g_snprintf (index, sizeof index, "%u", self->blobs->len);
  g_string_append (sk->out, index);
  if (quote)
    g_string_append_c (sk->out, '"');
  sk->copied = to;
  g_array_append_val (self->blobs, *blob);
  _attn_loader_release_text (self, from, to);
}

/*
 * Finds the closing quote of the string whose text starts at @start, a chunk
 * at a time, checking each chunk for the blob test (no escape, printable
 * ASCII: set in @plain) and releasing it, so a long string is resident only
 * a chunk at a time. Returns the offset of the quote, or @self->length when
 * the string is unterminated.
 */
static gsize
find_string_end (Loader   *self,
                 gsize     start,
                 gboolean *plain)
{
  const char *text = self->text;
  gsize length = self->length;
  gsize q = start;

  *plain = TRUE;
  for (;;)
    {
      gsize limit = MIN (length, q + RELEASE_CHUNK);
      gsize backslashes = 0;
      const char *quote = q < limit ? memchr (text + q, '"', limit - q) : NULL;
      gsize stop = quote != NULL ? (gsize) (quote - text) : limit;

      if (*plain)
        *plain = memchr (text + q, '\\', stop - q) == NULL &&
                 is_printable_ascii (text + q, stop - q);

      if (quote == NULL)
        {
          if (limit >= length)
            return length;
          _attn_loader_release_text (self, q, limit);
          q = limit;
          continue;
        }

      q = stop;
      while (q - backslashes > start && text[q - backslashes - 1] == '\\')
        backslashes++;
      if (backslashes % 2 == 0)
        return q;
      q++;
    }
}

/* After the member name "attention" (its closing quote at @q): a regular
 * nested array as its value is read by read_dense() and replaced. Returns
 * the offset after the array, or 0 when nothing was replaced. */
static gsize
replace_dense_attention (Skeleton *sk,
                         gsize     q,
                         guint     depth)
{
  Loader *self = sk->loader;
  Blob blob = { 0 };
  gsize r = skip_blanks (self->text, self->length, q + 1);
  gsize end;

  if (r >= self->length || self->text[r] != ':')
    return 0;
  r = skip_blanks (self->text, self->length, r + 1);
  if (r >= self->length || self->text[r] != '[' || depth >= MAX_DEPTH ||
      !read_dense (self->text, self->length, r, MAX_DEPTH - depth, &end, &blob))
    return 0;

  skeleton_replace (sk, r, end, TRUE, &blob);
  return end;
}

/* Whether the character at @p ends the value at nesting @depth: an error
 * for anything but blanks after the top-level value. */
static gboolean
check_closing (Loader  *self,
               gsize    p,
               guint    depth,
               GError **error)
{
  if (depth != 0)
    return TRUE;

  for (gsize r = p + 1; r < self->length; r++)
    if (!_attn_loader_is_json_space (self->text[r]))
      {
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                     _("Line %u: unexpected data after the end of the JSON value"),
                     _attn_loader_line_of (self->text, r));
        return FALSE;
      }
  return TRUE;
}

/*
 * Scans the text: nesting depth, trailing data, single quotes and comments
 * (json-glib accepts them, but they would hide quotes and brackets from this
 * scan), and long strings to keep out of json-glib. Returns the skeleton to
 * parse in @skeleton when some strings were replaced, %NULL otherwise.
 */
gboolean
_attn_loader_scan_text (Loader   *self,
                        GString **skeleton,
                        GError  **error)
{
  const char *text = self->text;
  gsize length = self->length;
  Skeleton sk = { self, NULL, 0 };
  guint depth = 0;
  gsize p = 0;

  *skeleton = NULL;

  while (p < length)
    {
      char c = text[p];

      if (c == '"')
        {
          gsize start = p + 1;
          gboolean plain;
          gsize q = find_string_end (self, start, &plain);
          gsize end;

          if (q >= length)
            break; /* unterminated: json-glib reports it with a line number */

          if (self->dense_arrays && q - start == strlen ("attention") &&
              memcmp (text + start, "attention", q - start) == 0 &&
              (end = replace_dense_attention (&sk, q, depth)) != 0)
            {
              p = end;
              continue;
            }

          /* a long plain string value (a member name stays in the skeleton) */
          if (q - start >= BLOB_MIN_LENGTH && plain)
            {
              gsize r = skip_blanks (self->text, self->length, q + 1);

              if (r >= length || text[r] != ':')
                {
                  Blob blob = { 0 };

                  blob.start = start;
                  blob.length = q - start;
                  skeleton_replace (&sk, start, q, FALSE, &blob);
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
                           _attn_loader_line_of (text, p), MAX_DEPTH);
              goto fail;
            }
        }
      else if (c == ']' || c == '}')
        {
          if (depth == 0)
            break; /* unbalanced: json-glib reports it */
          if (!check_closing (self, p, --depth, error))
            goto fail;
          if (depth == 0)
            break;
        }
      else if (c == '\'' || c == '/' || c == '#')
        {
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                       _("Line %u: unexpected character “%c” (JSON has no single-quoted strings "
                         "or comments)"),
                       _attn_loader_line_of (text, p), c);
          goto fail;
        }

      p++;
    }

  if (sk.out != NULL)
    {
      g_string_append_len (sk.out, text + sk.copied, (gssize) (length - sk.copied));
      *skeleton = sk.out;
    }

  return TRUE;

fail:
  if (sk.out != NULL)
    g_string_free (sk.out, TRUE);
  return FALSE;
}
