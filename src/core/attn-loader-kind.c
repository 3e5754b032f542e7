/* attn-loader-kind.c: what the file is, before it is read as JSON
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "attn-loader-private.h"

#define STARTS_WITH(literal) \
  (length >= sizeof literal - 1 && memcmp (b, literal, sizeof literal - 1) == 0)

/* How much of the file the checks of its text below read */
#define SNIFF_BYTES 4096

/* The length of a UTF-8 byte-order mark at @b: 3, or 0 */
static gsize
utf8_bom_length (const guint8 *b,
                 gsize         length)
{
  return length >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf ? 3 : 0;
}

/* The offset of the first byte after a UTF-8 byte-order mark and JSON's white
 * space: @length if there is none */
static gsize
skip_bom_and_space (const guint8 *b,
                    gsize         length)
{
  gsize i = utf8_bom_length (b, length);

  while (i < length && _attn_loader_is_json_space ((char) b[i]))
    i++;
  return i;
}

/* Whether the text starts, after a UTF-8 byte-order mark and white space, with
 * markup: “<”, which no JSON value starts with. An SVG image when its <svg
 * element opens in the first 4 KiB. */
static gboolean
starts_as_markup (const guint8 *b,
                  gsize         length,
                  gboolean     *svg)
{
  gsize i = skip_bom_and_space (b, length);
  gsize end = MIN (length, SNIFF_BYTES);

  if (i >= length || b[i] != '<')
    return FALSE;
  *svg = FALSE;
  for (; i + 4 <= end && !*svg; i++)
    *svg = memcmp (b + i, "<svg", 4) == 0;
  return TRUE;
}

/* A figure or document rather than an export (a figure attnflow saved, given
 * back to it): read as JSON they gave ““PNG” is not a JSON value” at line 1,
 * column 2. The message that says so, or NULL. */
static const char *
figure_message (const guint8 *b,
                gsize         length)
{
  const char *message = NULL;
  gboolean svg = FALSE;

  if (STARTS_WITH ("\x89PNG\r\n\x1a\n"))
    message = _("The file is a PNG image, not an attention export: give the export (JSON) "
                "that the figure was drawn from");
  else if (STARTS_WITH ("%PDF-"))
    message = _("The file is a PDF document, not an attention export: give the export (JSON) "
                "that the figure was drawn from");
  else if (STARTS_WITH ("\xff\xd8\xff"))
    message = _("The file is a JPEG image, not an attention export: give the export (JSON)");
  else if (starts_as_markup (b, length, &svg))
    message = svg ? _("The file is an SVG image, not an attention export: give the export (JSON) "
                      "that the figure was drawn from")
                  : _("The file is XML or HTML (it starts with “<”), not an attention export: "
                      "give the export (JSON)");
  return message;
}

/* A program or a database rather than an export (read as JSON an ELF
 * executable gave ““ELF” is not a JSON value”). The message that says so, or
 * NULL. */
static const char *
program_message (const guint8 *b,
                 gsize         length)
{
  const char *message = NULL;

  if (STARTS_WITH ("\x7f" "ELF"))
    message = _("The file is an ELF executable or library, not an attention export: give the "
                "export (JSON)");
  else if (STARTS_WITH ("\xfe\xed\xfa\xce") || STARTS_WITH ("\xfe\xed\xfa\xcf") ||
           STARTS_WITH ("\xce\xfa\xed\xfe") || STARTS_WITH ("\xcf\xfa\xed\xfe"))
    message = _("The file is a Mach-O executable or library, not an attention export: give the "
                "export (JSON)");
  else if (STARTS_WITH ("\x89HDF\r\n\x1a\n"))
    message = _("The file is an HDF5 file (such as Keras or h5py weights), not an attention "
                "export: give the export (JSON)");
  else if (STARTS_WITH ("SQLite format 3\0"))
    message = _("The file is an SQLite database, not an attention export: give the export (JSON)");
  return message;
}

/* The separators (@separator, outside double quotes) on the line from *@p,
 * which moves past it; FALSE when the line does not end before @end (a
 * line the file ends in does) */
static gboolean
count_separators (const guint8 *b,
                  gsize         length,
                  gsize         end,
                  gsize        *p,
                  char          separator,
                  guint        *count)
{
  gboolean quoted = FALSE;

  *count = 0;
  for (; *p < end; (*p)++)
    if (b[*p] == '"')
      quoted = !quoted;
    else if (!quoted && b[*p] == (guint8) separator)
      (*count)++;
    else if (!quoted && b[*p] == '\n')
      {
        (*p)++;
        return TRUE;
      }
  return end == length;
}

/* A table of values rather than an export (attnflow-cli's --format csv given
 * back; read as JSON it gave ““layer” is not a JSON value”): text that does
 * not start as an export does (“{” or “[”) whose lines in the first
 * SNIFF_BYTES (two at least, blank ones aside, the one SNIFF_BYTES cuts
 * too; a quoted line break ends none), none of them starting as an object
 * does, hold as many commas, or tabs, as each other, at least one. Prose has as
 * many in each line only by chance. The message, or NULL. */
static const char *
table_message (const guint8 *b,
               gsize         length)
{
  gsize start = skip_bom_and_space (b, length);
  gsize end = MIN (length, SNIFF_BYTES);

  if (start >= end || b[start] == '{' || b[start] == '[')
    return NULL;
  for (guint s = 0; s < 2; s++)
    {
      char separator = s == 0 ? ',' : '\t';
      gsize p = start;
      guint first = 0, n_lines = 0;
      gboolean table = TRUE;

      while (table && p < end)
        {
          guint count;

          if (b[p] == '\n' || b[p] == '\r')
            {
              p++; /* a blank line */
              continue;
            }
          if (b[p] == '{')
            table = FALSE; /* JSON after lines of text (warnings) */
          else if (!count_separators (b, length, end, &p, separator, &count))
            break; /* the line SNIFF_BYTES cuts */
          else
            {
              table = count > 0 && (n_lines == 0 || count == first);
              first = count;
              n_lines++;
            }
        }
      if (table && n_lines >= 2)
        return s == 0 ? _("The file is CSV (comma-separated values), not an attention export: "
                          "give the export (JSON)")
                      : _("The file is tab-separated values (TSV), not an attention export: "
                          "give the export (JSON)");
    }
  return NULL;
}

/* A file that is not an export but is often given for one, recognised by its
 * first bytes (read as JSON they only gave “PK is not a JSON value”): a
 * compressed export, the .npy an export names, a .npz or other ZIP archive
 * (torch.save() writes one), a Python pickle, a figure (figure_message()), a
 * program or a database (program_message()). Sets @error and returns TRUE. */
static gboolean
refuse_other_kind (const guint8  *b,
                   gsize          length,
                   GError       **error)
{
  const char *compression = NULL;

  if (STARTS_WITH ("\x1f\x8b"))
    compression = "gzip";
  else if (STARTS_WITH ("BZh") && length >= 4 && b[3] >= '1' && b[3] <= '9')
    compression = "bzip2";
  else if (STARTS_WITH ("\xfd" "7zXZ"))
    compression = "xz";
  else if (STARTS_WITH ("\x28\xb5\x2f\xfd"))
    compression = "Zstandard";

  if (compression != NULL)
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_UNSUPPORTED,
                 /* translators: %s is a compression format, such as gzip */
                 _("The file is compressed (%s): decompress it first; attnflow reads the "
                   "export’s JSON as it is"), compression);
  else if (STARTS_WITH ("\x93NUMPY"))
    g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_UNSUPPORTED,
                         _("The file is a NumPy .npy array, not an attention export: give the "
                           "export (JSON) whose “attention” names it, as {\"npy\": "
                           "\"attention.npy\"}"));
  else if (STARTS_WITH ("PK\x03\x04") || STARTS_WITH ("PK\x05\x06"))
    g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_UNSUPPORTED,
                         _("The file is a ZIP archive (such as a NumPy .npz or a torch.save() "
                           "file), not an attention export: give the export (JSON)"));
  else if (length >= 2 && b[0] == 0x80 && b[1] >= 2 && b[1] <= 5)
    g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_UNSUPPORTED,
                         _("The file is a Python pickle, not an attention export: give the export "
                           "(JSON)"));
  else
    {
      const char *message = figure_message (b, length);

      if (message == NULL)
        message = program_message (b, length);
      if (message == NULL)
        return FALSE;
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_UNSUPPORTED, message);
    }
  return TRUE;
}

/* An encoding other than UTF-8 the loader names */
typedef struct
{
  const char *name;
  guint       unit;
  gboolean    big_endian;
} Encoding;

static const Encoding encodings[] = {
  { N_("UTF-32 (big-endian)"), 4, TRUE },
  { N_("UTF-32 (little-endian)"), 4, FALSE },
  { N_("UTF-16 (big-endian)"), 2, TRUE },
  { N_("UTF-16 (little-endian)"), 2, FALSE },
};

/* The code unit of @encoding at @b */
static guint32
read_unit (const guint8   *b,
           const Encoding *encoding)
{
  guint32 c = 0;

  for (guint k = 0; k < encoding->unit; k++)
    c |= (guint32) b[k] << (8 * (encoding->big_endian ? encoding->unit - 1 - k : k));
  return c;
}

/* Whether the first SNIFF_BYTES of @b read as text in @encoding: characters,
 * none a control character but JSON's white space, nor U+FFFE or U+FFFF,
 * UTF-16's surrogates in pairs (one cut by the end of what is read aside).
 * Binary data (the bytes 00 01 02 …) matched the zero bytes of UTF-16's
 * first ASCII character. */
static gboolean
reads_as_text (const guint8   *b,
               gsize           length,
               const Encoding *encoding)
{
  gsize end = MIN (length, SNIFF_BYTES) / encoding->unit * encoding->unit;

  for (gsize i = 0; i < end; i += encoding->unit)
    {
      guint32 c = read_unit (b + i, encoding);

      if (encoding->unit == 2 && c >= 0xd800 && c <= 0xdbff)
        {
          guint32 low;

          if (i + 2 >= end)
            break;
          low = read_unit (b + i + 2, encoding);
          if (low < 0xdc00 || low > 0xdfff)
            return FALSE;
          i += 2;
        }
      else if (c < 0x20 ? !_attn_loader_is_json_space ((char) c)
                        : c == 0xfffe || c == 0xffff || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return FALSE;
    }
  return TRUE;
}

/* UTF-16 or UTF-32, recognised by the zero bytes of their first ASCII
 * character or their byte-order mark, if the text reads as that
 * (reads_as_text()); else NULL */
static const Encoding *
guess_encoding (const guint8 *b,
                gsize         length)
{
  const Encoding *guess = NULL;

  if (length >= 4 && b[0] == 0 && b[1] == 0 && (b[2] == 0xfe || b[2] == 0) && b[3] != 0)
    guess = &encodings[0];
  else if (length >= 4 && b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0)
    guess = &encodings[1];
  else if (length >= 4 && b[0] == 0xff && b[1] == 0xfe && b[2] == 0 && b[3] == 0)
    guess = &encodings[1];
  else if (length >= 2 && ((b[0] == 0xfe && b[1] == 0xff) || (b[0] == 0 && b[1] != 0)))
    guess = &encodings[2];
  else if (length >= 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] != 0 && b[1] == 0)))
    guess = &encodings[3];
  return guess != NULL && reads_as_text (b, length, guess) ? guess : NULL;
}

/* One control byte in BINARY_SHARE of the bytes read makes a file binary
 * data: text has next to none (a log line's colour codes, a form feed), while
 * random bytes have one in 10 (25 of 256 values) */
#define BINARY_SHARE 16

/* Whether @c is a control character that text does not hold: not JSON's white
 * space, nor ESC (a terminal's colour codes), form feed, vertical tab or
 * backspace */
static gboolean
is_binary_control (guint8 c)
{
  return c < 0x20 && !_attn_loader_is_json_space ((char) c) &&
         c != 0x1b && c != '\f' && c != '\v' && c != '\b';
}

/* Binary data, of no kind refuse_other_kind() knows: a file that does not
 * start as an export does (“{”, or “[”, after a UTF-8 byte-order mark and
 * white space) and, in its first SNIFF_BYTES, holds a NUL byte or so many
 * other control characters (is_binary_control()) that they are one byte in
 * BINARY_SHARE or more. Read as JSON, bytes 00 01 02 … were “encoded as
 * UTF-16”, random bytes “not a JSON value”. Text with a few control
 * characters (a log line in colour before the JSON, a stray form feed), and
 * JSON text with any, is left to the parser, which tells where it goes wrong.
 * The message names the first control byte counted. Sets @error and returns
 * TRUE. */
static gboolean
refuse_binary (const guint8  *b,
               gsize          length,
               GError       **error)
{
  gsize i = skip_bom_and_space (b, length);
  gsize end = MIN (length, SNIFF_BYTES);
  gsize controls = 0;
  gboolean nul = FALSE;
  int first = -1;

  if (i < length && (b[i] == '{' || b[i] == '['))
    return FALSE;
  for (i = 0; i < end; i++)
    if (is_binary_control (b[i]))
      {
        nul = nul || b[i] == 0;
        if (first < 0)
          first = b[i];
        controls++;
      }
  if (controls == 0 || (!nul && controls * BINARY_SHARE < end))
    return FALSE;
  g_set_error (error, ATTN_ERROR, ATTN_ERROR_UNSUPPORTED,
               /* translators: 0x%02X is a byte in hexadecimal, such as 0x00 */
               _("The file is binary data (it holds the control byte 0x%02X), not an "
                 "attention export: give the export (JSON)"), (guint) first);
  return TRUE;
}

/*
 * _attn_loader_check_encoding:
 * Refuses text that is not UTF-8 JSON at all: a file of another kind (see
 * refuse_other_kind()), UTF-16 or UTF-32 (guess_encoding()), other binary
 * data (refuse_binary()), a table of values (table_message()) and empty
 * text. Sets @start where JSON starts
 * (after a UTF-8 byte-order mark). Runs guarded.
 */
gboolean
_attn_loader_check_encoding (Loader  *self,
                             gsize   *start,
                             GError **error)
{
  const guint8 *b = (const guint8 *) self->text;
  gsize length = self->length;
  const Encoding *encoding;
  const char *table;

  if (refuse_other_kind (b, length, error))
    return FALSE;
  encoding = guess_encoding (b, length);
  if (encoding != NULL)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                   /* translators: %s is an encoding such as “UTF-16 (little-endian)” */
                   _("The file is encoded as %s, not UTF-8: save it as UTF-8"), _(encoding->name));
      return FALSE;
    }
  if (refuse_binary (b, length, error))
    return FALSE;
  table = table_message (b, length);
  if (table != NULL)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_UNSUPPORTED, table);
      return FALSE;
    }

  *start = utf8_bom_length (b, length);
  if (skip_bom_and_space (b, length) >= length)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                           _("The file is empty: expected a JSON object"));
      return FALSE;
    }

  return TRUE;
}
