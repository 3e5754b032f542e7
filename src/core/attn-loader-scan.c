/* attn-loader-scan.c: the pass that copies the text into the skeleton json-glib
 * parses (see attn-loader-private.h)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#ifdef G_OS_UNIX
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "attn-loader-private.h"

/* Pages of the skeleton are released behind the parser in steps this large. */
#define SKELETON_RELEASE_STEP (1024 * 1024)

/* Integers with more digits than this may not fit json-glib's gint64: they
 * become marked strings, read (or reported) by their digits. */
#define MAX_PLAIN_INTEGER_DIGITS 18

typedef struct
{
  Loader  *loader;
  gsize    copied;                     /* text before this is in the skeleton */
  guint    depth;
  KeyKind  keys[MAX_DEPTH + 2];        /* what each open container is */
  gboolean objects[MAX_DEPTH + 2];
  KeyKind  value_key;                  /* the key of the value at @value_at */
  gsize    value_at;
  guint    n_containers;               /* '[' and '{' that json-glib will see */

  /* where the scan is, for its messages: the example open (at depth
   * @example_depth, 0 for none; the top-level object is one unless it has
   * "examples"), its id when read, and the member of it being read */
  guint    example_depth;
  guint    example_index;
  guint    n_examples;
  gboolean wrapped;                    /* the top-level object has "examples" */
  char    *example_id;
  gboolean example_id_seen;            /* its "id" key read, quotable or not */
  char    *field;
  gsize    field_at;                   /* where the value of @field starts */
} Scan;

/* Ids and keys longer than this are not quoted in messages. */
#define MAX_QUOTED_NAME 200

static gsize
page_size (void)
{
#ifdef G_OS_UNIX
  static gsize size = 0;

  if (size == 0)
    size = (gsize) sysconf (_SC_PAGESIZE);
  return size;
#else
  return 4096;
#endif
}

/* ---------------------------------------------------------------------- */
/* The skeleton's buffer                                                   */

/* FALSE when there is no memory for it (only the first reservation, of the
 * whole text's length, asks: the skeleton hardly grows past it). */
static gboolean
skeleton_reserve (SkeletonText *sk,
                  gsize         extra)
{
  gsize capacity, length = sk->length;
  gboolean anonymous = FALSE;
  char *data = NULL;

  if (sk->capacity - sk->length >= extra)
    return TRUE;

  capacity = MAX (sk->capacity * 2, sk->length + extra);
  capacity = (capacity + page_size () - 1) & ~(page_size () - 1);

#if defined(G_OS_UNIX) && defined(MAP_ANONYMOUS)
  data = mmap (NULL, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  anonymous = data != MAP_FAILED;
  if (!anonymous)
    data = NULL;
#endif
  if (data == NULL)
    data = g_try_malloc (capacity);
  if (data == NULL)
    return FALSE;

  if (length > 0)
    memcpy (data, sk->data, length);
  _attn_loader_skeleton_clear (sk);
  sk->data = data;
  sk->length = length;
  sk->capacity = capacity;
  sk->anonymous = anonymous;
  return TRUE;
}

static void
skeleton_append (SkeletonText *sk,
                 const char   *s,
                 gsize         length)
{
  if (!skeleton_reserve (sk, length))
    g_error ("attnflow: out of memory for the skeleton of a file");
  memcpy (sk->data + sk->length, s, length);
  sk->length += length;
}

void
_attn_loader_skeleton_clear (SkeletonText *sk)
{
#if defined(G_OS_UNIX) && defined(MAP_ANONYMOUS)
  if (sk->anonymous)
    {
      if (sk->data != NULL)
        munmap (sk->data, sk->capacity);
    }
  else
#endif
    g_free (sk->data);

  sk->data = NULL;
  sk->length = 0;
  sk->capacity = 0;
  sk->anonymous = FALSE;
}

/* The offset in the skeleton of json-glib's @line (1-based) and @column (its
 * byte in that line). Lines are found going forward from the last call's:
 * json-glib reads the text once, front to back. */
gsize
_attn_loader_skeleton_offset (Loader *self,
                              guint   line,
                              guint   column)
{
  SkeletonText *sk = &self->skeleton;

  if (sk->cursor_line == 0)
    {
      sk->cursor_line = 1;
      sk->cursor_offset = 0;
    }
  while (sk->cursor_line < line)
    {
      const char *newline = memchr (sk->data + sk->cursor_offset, '\n',
                                    sk->length - sk->cursor_offset);

      if (newline == NULL)
        break;
      sk->cursor_offset = (gsize) (newline - sk->data) + 1;
      sk->cursor_line++;
    }

  return MIN (sk->length, sk->cursor_offset + column);
}

/*
 * _attn_loader_skeleton_release:
 * Releases the pages of the skeleton json-glib has parsed, up to @line and
 * @column, so the skeleton and the examples built from it are not both
 * resident.
 */
void
_attn_loader_skeleton_release (Loader *self,
                               guint   line,
                               guint   column)
{
#if defined(G_OS_UNIX) && defined(MADV_DONTNEED)
  SkeletonText *sk = &self->skeleton;
  gsize offset, end;

  if (!sk->anonymous)
    return;

  /* a page short of the parser: it peeks one token ahead */
  offset = _attn_loader_skeleton_offset (self, line, column);
  if (offset < sk->released + SKELETON_RELEASE_STEP + page_size ())
    return;

  end = (offset - page_size ()) & ~(page_size () - 1);
  madvise (sk->data + sk->released, end - sk->released, MADV_DONTNEED);
  sk->released = end;
#endif
}

/* ---------------------------------------------------------------------- */
/* Reading the text                                                        */

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

  /* (one too large for a double is left to scan_number_literal() to report) */
  *out = g_ascii_strtod (text + s, &end);
  if (end != text + p || isinf (*out))
    return FALSE;
  if (integer)
    *out += 0.; /* json-glib reads "-0" as the integer 0 */

  *p_inout = p;
  return TRUE;
}

/*
 * Reads a JSON array of numbers nested 1 to DENSE_MAX_RANK deep whose arrays
 * at each level all have the same non-zero length (a dense tensor), starting
 * at @start ('['), into the loader's scratch array. Accepts only strict JSON
 * numbers. Returns FALSE for anything else (ragged, empty, strings,
 * leniencies, deeper than @max_levels): such text is left to json-glib, whose
 * tree gives the precise error message.
 */
static gboolean
read_dense (Loader *self,
            gsize   start,
            guint   max_levels,
            gsize  *end_out,
            Blob   *out)
{
  const char *text = self->text;
  gsize length = self->length;
  gsize p = start;
  guint level = 0;
  guint rank = 0;
  gsize counts[DENSE_MAX_RANK + 1] = { 0 };
  gsize dims[DENSE_MAX_RANK + 1] = { 0 };
  gsize count = 0;

  max_levels = MIN (max_levels, DENSE_MAX_RANK);
  if (self->dense_values == NULL)
    {
      self->dense_capacity = 4096;
      self->dense_values = g_new (double, self->dense_capacity);
    }

  for (;;)
    {
      /* a value: '[' or a number */
      p = skip_blanks (text, length, p);
      if (p >= length)
        return FALSE;

      if (text[p] == '[')
        {
          if (level == max_levels || (rank != 0 && level >= rank))
            return FALSE;
          counts[++level] = 0;
          p++;
          continue;
        }
      else
        {
          double v;

          if (level == 0 || (rank != 0 && level != rank) ||
              !scan_number (text, length, &p, &v))
            return FALSE;
          rank = level;

          if (count == self->dense_capacity)
            {
              if (self->dense_capacity > G_MAXSIZE / 2 / sizeof (double))
                return FALSE;
              self->dense_capacity *= 2;
              self->dense_values = g_renew (double, self->dense_values, self->dense_capacity);
            }
          self->dense_values[count++] = v;
          counts[level]++;
        }

      /* after a value: ',' or ']' (closing as many levels as it takes) */
      for (;;)
        {
          p = skip_blanks (text, length, p);
          if (p >= length)
            return FALSE;
          if (text[p] == ',')
            {
              p++;
              break;
            }
          if (text[p] != ']')
            return FALSE;

          p++;
          if (counts[level] == 0 || counts[level] > G_MAXUINT ||
              (dims[level] != 0 && counts[level] != dims[level]))
            return FALSE;
          dims[level] = counts[level];
          if (--level == 0)
            {
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

/* ---------------------------------------------------------------------- */
/* Writing the skeleton                                                    */

/* Copies the text up to @upto into the skeleton, releasing the mapped text
 * behind it a chunk at a time. */
static void
flush (Scan  *scan,
       gsize  upto)
{
  Loader *self = scan->loader;

  while (scan->copied < upto)
    {
      gsize n = MIN (upto - scan->copied, RELEASE_CHUNK);

      skeleton_append (&self->skeleton, self->text + scan->copied, n);
      _attn_loader_release_text (self, scan->copied, scan->copied + n);
      scan->copied += n;
    }
}

/* Copies the text up to @from, then the placeholder @what, and skips the
 * text up to @to. A placeholder for an array (@quote: it becomes a string) is
 * followed by the line breaks of the text it replaces, so json-glib's line
 * numbers stay the file's; strings have none. */
static void
replace (Scan       *scan,
         gsize       from,
         gsize       to,
         gboolean    quote,
         const char *what)
{
  Loader *self = scan->loader;
  SkeletonText *sk = &self->skeleton;
  SkeletonJump jump = { 0, 0, 0, from, to };

  flush (scan, from);
  jump.skeleton_start = sk->length;
  if (quote)
    skeleton_append (sk, "\"", 1);
  skeleton_append (sk, self->prefix, self->prefix_length);
  skeleton_append (sk, what, strlen (what));
  if (quote)
    skeleton_append (sk, "\"", 1);
  jump.placeholder_end = sk->length;

  for (const char *p = self->text + from, *end = self->text + to;
       quote && (p = memchr (p, '\n', (gsize) (end - p))) != NULL; p++)
    skeleton_append (sk, "\n", 1);
  jump.skeleton_end = sk->length;
  g_array_append_val (self->jumps, jump);

  _attn_loader_release_text (self, from, to);
  scan->copied = to;
}

static void
replace_with_blob (Scan       *scan,
                   gsize       from,
                   gsize       to,
                   gboolean    quote,
                   const Blob *blob)
{
  Loader *self = scan->loader;
  char index[24];

  g_snprintf (index, sizeof index, "%u", self->blobs->len);
  g_array_append_val (self->blobs, *blob);
  replace (scan, from, to, quote, index);
}

/* The code of the escape \uXXXX whose backslash is at @i, or -1 when the
 * escape there is another */
static int
unicode_escape (const char *text,
                gsize       i,
                gsize       end)
{
  int code = 0;

  if (i + 6 > end || text[i] != '\\' || text[i + 1] != 'u')
    return -1;
  for (gsize k = i + 2; k < i + 6; k++)
    {
      int digit = g_ascii_xdigit_value (text[k]);

      if (digit < 0)
        return -1;
      code = code * 16 + digit;
    }
  return code;
}

static void set_scan_error (Scan        *scan,
                            gsize        p,
                            gsize        after,
                            GError     **error,
                            const char  *reason);
static gboolean check_utf8 (Scan *scan, gsize quote, gsize end, gboolean key, GError **error);

/* A string with escapes: each escaped NUL (\u0000, which json-glib would cut
 * the string at) becomes a marker the string readers refuse; a UTF-16
 * surrogate not in a pair sets @error (json-glib took a high one for a
 * missing comma). */
static gboolean
check_escapes (Scan    *scan,
               gsize    start,
               gsize    end,
               GError **error)
{
  const char *text = scan->loader->text;
  gsize i = start;

  for (;;)
    {
      const char *backslash = memchr (text + i, '\\', end - i);
      int code;

      if (backslash == NULL)
        return TRUE;
      i = (gsize) (backslash - text);
      code = unicode_escape (text, i, end);
      if (code == 0)
        replace (scan, i, i + 6, FALSE, "nul");
      else if (code >= 0xd800 && code <= 0xdbff && unicode_escape (text, i + 6, end) >= 0xdc00 &&
               unicode_escape (text, i + 6, end) <= 0xdfff)
        i += 6;
      else if (code >= 0xd800 && code <= 0xdfff)
        {
          /* translators: \u%04X is a JSON escape such as \uD800 */
          g_autofree char *reason = g_strdup_printf (_("a string holds \\u%04X, half of a UTF-16 surrogate pair "
                                                       "without its other half: not a character"), code);

          set_scan_error (scan, i, end + 1, error, reason);
          return FALSE;
        }
      i += code >= 0 ? 6 : 2;
    }
}

/* What a member called @name is, inside the object at @scan's depth. */
static KeyKind
classify_key (Scan       *scan,
              const char *name,
              gsize       length)
{
  KeyKind parent = scan->keys[scan->depth];

#define IS(literal) (length == strlen (literal) && memcmp (name, literal, length) == 0)
  if (parent == KEY_REFERENCES)
    return KEY_REFERENCE;
  if (parent == KEY_CONTRIBUTIONS)
    return KEY_CONTRIBUTION;
  if (IS ("examples"))
    return scan->depth == 1 && parent == KEY_ROOT ? KEY_EXAMPLES : KEY_OTHER;
  if (IS ("candidates"))
    return KEY_CANDIDATES;
  if (IS ("attention"))
    return KEY_ATTENTION;
  if (IS ("references"))
    return KEY_REFERENCES;
  if (IS ("contributions"))
    return KEY_CONTRIBUTIONS;
#undef IS
  return KEY_OTHER;
}

/* The text from @start to @end when it is short and has no escape, else NULL. */
static char *
quotable (Scan     *scan,
          gsize     start,
          gsize     end,
          gboolean  plain)
{
  if (!plain || end - start > MAX_QUOTED_NAME)
    return NULL;
  return g_strndup (scan->loader->text + start, end - start);
}

/* A key from @start to @end (its closing quote), followed by its colon: the
 * field of the example open, or "examples" of the top-level object; an "id"
 * whose value is a plain string names the example. */
static void
note_key (Scan     *scan,
          gsize     start,
          gsize     end,
          gboolean  plain)
{
  Loader *self = scan->loader;
  gsize v = scan->value_at;

  if (scan->depth == 1 && (scan->value_key == KEY_EXAMPLES ||
                           (end - start == 6 && memcmp (self->text + start, "format", 6) == 0) ||
                           (end - start == 7 && memcmp (self->text + start, "version", 7) == 0)))
    {
      scan->wrapped = TRUE;
      scan->example_depth = 0;
    }
  if (scan->depth != (scan->example_depth != 0 ? scan->example_depth : 1))
    return;
  g_free (scan->field);
  scan->field = quotable (scan, start, end, plain);
  scan->field_at = v;
  if (scan->example_depth != 0 && end - start == 2 && memcmp (self->text + start, "id", 2) == 0)
    scan->example_id_seen = TRUE;
  if (scan->example_depth != 0 && end - start == 2 && memcmp (self->text + start, "id", 2) == 0 &&
      v < self->length && self->text[v] == '"')
    {
      gboolean id_plain;
      gsize id_end = find_string_end (self, v + 1, &id_plain);

      g_free (scan->example_id);
      scan->example_id = id_end < self->length ? quotable (scan, v + 1, id_end, id_plain) : NULL;
    }
}

/* A string from its opening quote at @p; returns where the scan goes on,
 * @self->length when the string is unterminated, or 0 with @error set. */
static gsize
scan_string (Scan    *scan,
             gsize    p,
             GError **error)
{
  Loader *self = scan->loader;
  const char *text = self->text;
  gsize length = self->length;
  gsize start = p + 1;
  gboolean plain;
  gsize q = find_string_end (self, start, &plain);
  gsize r;

  if (q >= length)
    return length; /* unterminated: json-glib reports it with a line number */

  r = skip_blanks (text, length, q + 1);
  if (!plain && (!check_utf8 (scan, p, q, r < length && text[r] == ':', error) ||
                 !check_escapes (scan, start, q, error)))
    return 0;

  if (r < length && text[r] == ':')
    {
      scan->value_key = classify_key (scan, text + start, q - start);
      scan->value_at = skip_blanks (text, length, r + 1);
      note_key (scan, start, q, plain);
    }
  else if (plain && q - start >= BLOB_MIN_LENGTH)
    {
      Blob blob = { 0 };

      blob.start = start;
      blob.length = q - start;
      replace_with_blob (scan, start, q, FALSE, &blob);
    }

  return q + 1;
}

/* A regular array of numbers at @p under @key, read by read_dense() and
 * replaced; returns the offset after it, or 0 when it stays. */
static gsize
scan_dense (Scan    *scan,
            gsize    p,
            KeyKind  key)
{
  Loader *self = scan->loader;
  Blob blob = { 0 };
  gsize end;

  if (!self->dense_arrays ||
      (key != KEY_ATTENTION && key != KEY_REFERENCE && key != KEY_CONTRIBUTION) ||
      scan->depth >= MAX_DEPTH ||
      !read_dense (self, p, MAX_DEPTH - scan->depth, &end, &blob) ||
      end - p < DENSE_MIN_LENGTH)
    return 0;

  /* the blob takes the scratch array */
  blob.values = g_renew (double, g_steal_pointer (&self->dense_values), MAX (blob.count, 1));
  self->dense_capacity = 0;
  replace_with_blob (scan, p, end, TRUE, &blob);
  return end;
}

/* An opening bracket or brace at @p. */
static gboolean
scan_open (Scan     *scan,
           gsize     p,
           gsize    *next,
           GError  **error)
{
  Loader *self = scan->loader;
  gboolean array = self->text[p] == '[';
  KeyKind key = p == scan->value_at ? scan->value_key
                                    : scan->depth == 0 ? KEY_ROOT : KEY_OTHER;

  if (array && (*next = scan_dense (scan, p, key)) != 0)
    return TRUE;

  if (scan->depth + 1 > MAX_DEPTH)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                   _("Line %u: arrays and objects are nested more than %u levels deep"),
                   _attn_loader_line_of (self->text, p), MAX_DEPTH);
      return FALSE;
    }

  if (!array && (scan->depth == 0 || (scan->keys[scan->depth] == KEY_EXAMPLES &&
                                      !scan->objects[scan->depth])))
    {
      /* the top-level object, or an example of "examples" */
      scan->example_depth = scan->depth + 1;
      scan->example_index = scan->depth == 0 ? 0 : scan->n_examples++;
      g_clear_pointer (&scan->example_id, g_free);
      scan->example_id_seen = FALSE;
      g_clear_pointer (&scan->field, g_free);
    }

  scan->depth++;
  scan->keys[scan->depth] = key;
  scan->objects[scan->depth] = !array;

  scan->n_containers++;
  if ((array && (key == KEY_EXAMPLES || key == KEY_CANDIDATES)) ||
      (!array && key == KEY_REFERENCES))
    {
      StreamedArray streamed = { scan->n_containers, key };

      g_array_append_val (self->streamed, streamed);
    }

  *next = p + 1;
  return TRUE;
}

/* A closing bracket or brace at @p: sets @done at the end of the top-level
 * value, and fails when something other than blanks follows it. */
static gboolean
scan_close (Scan      *scan,
            gsize      p,
            gboolean  *done,
            GError   **error)
{
  Loader *self = scan->loader;

  *done = scan->depth <= 1; /* unbalanced at 0: json-glib reports it */
  if (scan->depth == scan->example_depth && scan->depth > 1)
    {
      scan->example_depth = 0;
      g_clear_pointer (&scan->field, g_free);
    }
  if (scan->depth == 0 || --scan->depth != 0)
    return TRUE;

  for (gsize r = p + 1; r < self->length; r++)
    if (!_attn_loader_is_json_space (self->text[r]))
      {
        /* another object on a line of its own: JSON Lines (the exporter's
         * sentences, say), which said only "unexpected data" */
        if (self->text[r] == '{' && memchr (self->text + p, '\n', r - p) != NULL)
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                       _("Line %u: a second JSON value starts here: this is JSON Lines, one value a line (such "
                         "as the exporter’s sentences), not an attention export, which is one JSON object"),
                       _attn_loader_line_of (self->text, r));
        else
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                       _("Line %u: unexpected data after the end of the JSON value"),
                       _attn_loader_line_of (self->text, r));
        return FALSE;
      }
  return TRUE;
}

/* The example the scan is in, stopped at @p (outside a string), as messages
 * name it (attn_error_example_name()), or NULL. Before its "id" member, the
 * text after @p tells whether it has one (_attn_loader_example_id_ahead());
 * where that cannot tell (the file cut short), its index alone, not
 * "(no id)". */
static char *
scan_example (Scan  *scan,
              gsize  p)
{
  Loader *self = scan->loader;
  g_autofree char *id = NULL;
  gsize start, end;
  gboolean plain, wrapper;

  if ((scan->example_id == NULL && scan->example_depth == 0) ||
      (scan->example_depth == 1 && scan->wrapped))
    return NULL;
  if (scan->example_id != NULL)
    return attn_error_example_name (scan->example_id, scan->example_index);
  if (scan->example_id_seen || scan->depth < scan->example_depth ||
      !_attn_loader_example_id_ahead (self->text, self->length, p, scan->depth - scan->example_depth,
                                      scan->example_depth == 1, &start, &end, &plain, &wrapper))
    return g_strdup_printf ("%u", scan->example_index);
  /* the top-level object was the file's, its "examples" later */
  if (wrapper)
    return NULL;
  if (end > start && (id = quotable (scan, start, end, plain)) == NULL)
    return g_strdup_printf ("%u", scan->example_index);
  return attn_error_example_name (id, scan->example_index);
}

/* Sets @error to "where: @reason", where being the line and column of @p,
 * and the example and field the scan is in when it can tell (the text from
 * @after on, outside any string, may name the example). */
static void
set_scan_error (Scan        *scan,
                gsize        p,
                gsize        after,
                GError     **error,
                const char  *reason)
{
  g_autofree char *where = NULL;
  g_autofree char *example = scan_example (scan, after);
  g_autofree char *field = scan->field != NULL ? attn_error_quote_text (scan->field) : NULL;
  guint line, column;

  _attn_loader_line_column (scan->loader->text, p, &line, &column);
  if (example != NULL && field != NULL)
    /* translators: an example as “cat-mat” (its id) or 3 (no id) (its index) name it, a
     * field name, a line and a column */
    where = g_strdup_printf (_("Example %s, field “%s”, line %u, column %u"), example,
                             field, line, column);
  else if (example != NULL)
    /* translators: an example as “cat-mat” (its id) or 3 (no id) (its index) name it, a
     * line and a column */
    where = g_strdup_printf (_("Example %s, line %u, column %u"), example, line, column);
  else if (field != NULL)
    /* translators: a field name, a line and a column */
    where = g_strdup_printf (_("Field “%s”, line %u, column %u"), field, line, column);
  else
    where = g_strdup_printf (_("Line %u, column %u"), line, column);
  /* translators: where, as above, then what is wrong there */
  g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE, _("%s: %s"), where, reason);
}

/* The string from its opening quote @quote to @end (a member's name when
 * @key), whose bytes may not be UTF-8 (a token written in Latin-1, say): says
 * where it is, as for a word that is not JSON, and its first bad byte. */
static gboolean
check_utf8 (Scan *scan, gsize quote, gsize end, gboolean key, GError **error)
{
  const char *text = scan->loader->text, *bad;
  g_autofree char *field = NULL, *position = NULL, *example = NULL, *what = NULL;
  char *field_was = scan->field;
  guint line, column;

  if (g_utf8_validate_len (text + quote + 1, end - quote - 1, &bad))
    return TRUE;
  /* translators: a byte such as 0xE9 */
  what = *bad == '\0' ? g_strdup (_("holds a NUL byte"))
                      : g_strdup_printf (_("is not valid UTF-8: the byte 0x%02X (save the file as UTF-8)"),
                                         (guint8) *bad);
  if (!key && _attn_loader_value_position (text, scan->field_at, quote, scan->field, &field, &position))
    {
      _attn_loader_line_column (text, (gsize) (bad - text), &line, &column);
      example = scan_example (scan, end + 1);
      /* translators: where in the field (“entry 1”), a line, a column, what is wrong, as above */
      _attn_loader_named_field_error (error, ATTN_ERROR_PARSE, example, field,
                                      _("%s, at line %u, column %u, %s"), position, line, column,
                                      what);
      return FALSE;
    }
  g_free (field);
  /* translators: what is wrong, as above, with a string or with a key */
  field = g_strdup_printf (key ? _("a key %s") : _("a string %s"), what);
  if (key)
    scan->field = NULL; /* the member being read is not this key's */
  set_scan_error (scan, (gsize) (bad - text), end + 1, error, field);
  scan->field = field_was;
  return FALSE;
}

/* The word @word at @p, inside an array of the field the scan is in: sets
 * @error naming its layer, head, row and column (or its entry), as the
 * messages about values that are JSON do, and returns TRUE. FALSE when it is
 * not inside an array of a field. */
static gboolean
set_value_error (Scan        *scan,
                 gsize        p,
                 const char  *word,
                 BadValue     bad,
                 GError     **error)
{
  g_autofree char *field = NULL;
  g_autofree char *position = NULL;
  g_autofree char *example = NULL;
  guint line, column;

  if (!_attn_loader_value_position (scan->loader->text, scan->field_at, p, scan->field, &field,
                                          &position))
    return FALSE;
  _attn_loader_line_column (scan->loader->text, p, &line, &column);
  example = scan_example (scan, p);
  _attn_loader_bad_value_error (error, bad, example, field, position, word, line, column);
  return TRUE;
}

/* Whether the scan is in a field whose numbers the loader reads (an array
 * of numbers in a field it ignores stays as it is) */
static gboolean
in_number_field (Scan *scan)
{
  static const char * const fields[] = { "attention", "contributions", "references",
                                         "prediction", "antecedents", "focus", NULL };

  return scan->field != NULL && g_strv_contains (fields, scan->field);
}

/* A word at @p, outside strings: true, false and null are JSON; NaN,
 * Infinity and anything else are not. Returns the offset after it, or 0 with
 * @error set. */
static gsize
scan_word (Scan    *scan,
           gsize    p,
           GError **error)
{
  const char *text = scan->loader->text;
  gsize length = scan->loader->length;
  gsize e = p, start = p;
  g_autofree char *word = NULL;
  g_autofree char *reason = NULL;
  gboolean non_finite;

  while (e < length && (g_ascii_isalnum (text[e]) || text[e] == '_'))
    e++;
#define IS(literal) (e - p == strlen (literal) && memcmp (text + p, literal, e - p) == 0)
#define IS_ANY_CASE(literal) (e - p == strlen (literal) && \
                              g_ascii_strncasecmp (text + p, literal, e - p) == 0)
  if (IS ("true") || IS ("false") || IS ("null"))
    return e;
  non_finite = IS_ANY_CASE ("nan") || IS_ANY_CASE ("inf") || IS_ANY_CASE ("infinity");
  if (p > 0 && text[p - 1] == '-' && non_finite)
    start--;
  word = g_strndup (text + start, MIN (e - start, MAX_QUOTED_NAME));
  if (set_value_error (scan, start, word, non_finite ? BAD_NON_FINITE : BAD_WORD, error))
    return 0;
  if (IS ("NaN") || IS ("Infinity"))
    /* translators: %s is NaN, Infinity or -Infinity */
    reason = g_strdup_printf (_("the file is not valid JSON: %s is not a JSON value, and "
                                "attnflow needs a finite number there, not null either (Python’s "
                                "json.dump writes NaN and Infinity unless called with "
                                "allow_nan=False)"), word);
  else
    /* translators: %s is the word found */
    reason = g_strdup_printf (_("the file is not valid JSON: “%s” is not a JSON value (a "
                                "string needs double quotes; the words JSON has are true, false "
                                "and null)"), word);
#undef IS_ANY_CASE
#undef IS
  set_scan_error (scan, start, start, error, reason);
  return 0;
}

/* A number at @p, or what starts as one ("-", a digit, "+" or "."); an
 * integer too long for json-glib's gint64 becomes a marked string of its
 * digits. Returns the offset after it, or 0 with @error set where it is no
 * number json-glib reads ("0.5.1", "1e", "+1", "0x1"): json-glib would name
 * the line only, not the column, the example or the field. */
static gsize
scan_number_literal (Scan    *scan,
                     gsize    p,
                     GError **error)
{
  const char *text = scan->loader->text;
  gsize length = scan->loader->length;
  gsize s = p, e = p + (text[p] == '-');
  gboolean integer = FALSE;
  g_autofree char *literal = NULL;
  g_autofree char *reason = NULL;

  if (e < length && g_ascii_isalpha (text[e]))
    return e; /* -Infinity, a word */
  while (e < length && (g_ascii_isalnum (text[e]) || text[e] == '.' || text[e] == '+' ||
                        text[e] == '-'))
    e++;
  /* (one cut short at the end of the file is reported as such) */
  if (_attn_loader_is_number (text + s, e - s, &integer) || e == length)
    {
      if (e < length && in_number_field (scan) && _attn_loader_number_too_large (text + s, e - s))
        {
          g_autofree char *number = g_strndup (text + s, e - s);
          g_autofree char *shown = attn_error_quote_text (number);

          if (set_value_error (scan, s, shown, BAD_TOO_LARGE, error))
            return 0;
          /* (an integer focus is named by its digits, as not a token index) */
          if (!integer && g_strcmp0 (scan->field, "focus") == 0)
            {
              /* translators: a number as the file writes it (1e400) */
              reason = g_strdup_printf (_("the number %s is too large for a double"), shown);
              set_scan_error (scan, s, s, error, reason);
              if (error != NULL)
                (*error)->code = ATTN_ERROR_VALUE; /* valid JSON, a value out of range */
              return 0;
            }
        }
      if (integer && e - s - (text[s] == '-') > MAX_PLAIN_INTEGER_DIGITS)
        {
          g_autofree char *what = g_strdup_printf ("num:%.*s", (int) (e - s), text + s);

          replace (scan, s, e, TRUE, what);
        }
      return e;
    }

  literal = g_strndup (text + s, MIN (e - s, MAX_QUOTED_NAME));
  if (set_value_error (scan, s, literal, BAD_NUMBER, error))
    return 0;
  /* translators: %s is what was found where a number was */
  reason = g_strdup_printf (_("the file is not valid JSON: “%s” is not a number"), literal);
  set_scan_error (scan, s, s, error, reason);
  return 0;
}

static gboolean
scan_text (Scan    *scan,
           GError **error)
{
  Loader *self = scan->loader;
  const char *text = self->text;
  gsize length = self->length;
  gboolean done = FALSE;
  gsize p;

  if (!_attn_loader_check_encoding (self, &p, error))
    return FALSE;
  scan->copied = p;
  if (p > 0)
    {
      /* the byte-order mark: the skeleton starts after it */
      SkeletonJump mark = { 0, 0, 0, 0, p };

      g_array_append_val (self->jumps, mark);
    }

  while (p < length && !done)
    {
      char c = text[p];

      if (c == '"')
        {
          if ((p = scan_string (scan, p, error)) == 0)
            return FALSE;
        }
      else if (c == '[' || c == '{')
        {
          if (!scan_open (scan, p, &p, error))
            return FALSE;
        }
      else if (c == ']' || c == '}')
        {
          if (!scan_close (scan, p, &done, error))
            return FALSE;
          p++;
        }
      else if (c == '-' || g_ascii_isdigit (c) || c == '+' || c == '.')
        {
          if ((p = scan_number_literal (scan, p, error)) == 0)
            return FALSE;
        }
      else if (g_ascii_isalpha (c))
        {
          if ((p = scan_word (scan, p, error)) == 0)
            return FALSE;
        }
      else if ((guchar) c < 0x20 && c != '\n' && c != '\r' && c != '\t')
        {
          /* a warning in colour (ESC) or a form feed before the JSON */
          g_autofree char *shown = attn_error_escape_text ((char[]) { c, '\0' }, -1);
          g_autofree char *reason = g_strdup_printf (
            /* translators: %s is a control character, escaped as \x1b */
            _("the file is not valid JSON: it holds the control character %s outside a string, "
              "where JSON has only spaces, tabs and line breaks"), shown);

          set_scan_error (scan, p, p, error, reason);
          return FALSE;
        }
      else if (c == '\'' || c == '/' || c == '#')
        {
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                       _("Line %u: unexpected character “%c” (JSON has no single-quoted strings "
                         "or comments)"),
                       _attn_loader_line_of (text, p), c);
          return FALSE;
        }
      else
        p++;

      if (p - scan->copied >= RELEASE_CHUNK)
        flush (scan, p);
    }

  if (!done && scan->depth > 0)
    {
      g_autofree char *example = scan_example (scan, length);

      /* the field the text stops in, and where in it; else (the value of
       * the last key read ended before) the example */
      if (_attn_loader_cut_error (text, length, scan->field_at, scan->field, example, error))
        return FALSE;
      g_clear_pointer (&scan->field, g_free);
      set_scan_error (scan, length, length, error,
                      _("the file is not valid JSON: it ends inside a string, an array or an "
                        "object (it was cut short)"));
      return FALSE;
    }
  flush (scan, length);
  return TRUE;
}

static gboolean
scan_cb (Loader   *self,
         gpointer  data,
         GError  **error)
{
  Scan scan = { self, 0, 0, { KEY_ROOT }, { FALSE }, KEY_OTHER, G_MAXSIZE, 0 };
  gboolean ok = scan_text (&scan, error);

  g_free (scan.example_id);
  g_free (scan.field);
  return ok;
}

/*
 * _attn_loader_scan_text:
 * Scans the whole text into the loader's skeleton (see the top of
 * attn-loader-private.h), guarded against the file shrinking under it.
 */
gboolean
_attn_loader_scan_text (Loader  *self,
                        GError **error)
{
  gsize size = self->length + self->length / 64 + 4096;

  /* a file larger than the memory there is: an error, not an abort */
  if (!skeleton_reserve (&self->skeleton, size))
    {
      g_autofree char *shown = attn_error_format_size (size);

      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO,
                   /* translators: a size such as 12.5 GiB */
                   _("There is not enough memory to read the file: reading it takes %s"), shown);
      return FALSE;
    }
  return _attn_loader_guarded (self, scan_cb, NULL, error);
}
