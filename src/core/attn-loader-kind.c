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

/* Whether the text starts, after a UTF-8 byte-order mark and white space, with
 * markup: “<”, which no JSON value starts with. An SVG image when its <svg
 * element opens in the first 4 KiB. */
static gboolean
starts_as_markup (const guint8 *b,
                  gsize         length,
                  gboolean     *svg)
{
  gsize i = length >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf ? 3 : 0;
  gsize end = MIN (length, 4096);

  while (i < length && _attn_loader_is_json_space ((char) b[i]))
    i++;
  if (i >= length || b[i] != '<')
    return FALSE;
  *svg = FALSE;
  for (; i + 4 <= end && !*svg; i++)
    *svg = memcmp (b + i, "<svg", 4) == 0;
  return TRUE;
}

/* A figure or document rather than an export (a figure attnflow saved, given
 * back to it): read as JSON they gave ““PNG” is not a JSON value” at line 1,
 * column 2. Sets @error and returns TRUE. */
static gboolean
refuse_figure (const guint8  *b,
               gsize          length,
               GError       **error)
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
  if (message == NULL)
    return FALSE;
  g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_UNSUPPORTED, message);
  return TRUE;
}

/* A file that is not an export but is often given for one, recognised by its
 * first bytes (read as JSON they only gave “PK is not a JSON value”): a
 * compressed export, the .npy an export names, a .npz or other ZIP archive
 * (torch.save() writes one), a Python pickle, a figure (refuse_figure()).
 * Sets @error and returns TRUE. */
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
    return refuse_figure (b, length, error);
  return TRUE;
}

/*
 * _attn_loader_check_encoding:
 * Refuses text that is not UTF-8 JSON at all: a file of another kind (see
 * refuse_other_kind()), UTF-16 or UTF-32 (recognised by the zero bytes of their first
 * ASCII character or their byte-order mark) and empty text. Sets @start where
 * JSON starts (after a UTF-8 byte-order mark). Runs guarded.
 */
gboolean
_attn_loader_check_encoding (Loader  *self,
                             gsize   *start,
                             GError **error)
{
  const guint8 *b = (const guint8 *) self->text;
  gsize length = self->length;
  const char *encoding = NULL;
  gboolean all_space = TRUE;

  if (length >= 4 && b[0] == 0 && b[1] == 0 && (b[2] == 0xfe || b[2] == 0) && b[3] != 0)
    encoding = N_("UTF-32 (big-endian)");
  else if (length >= 4 && b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0)
    encoding = N_("UTF-32 (little-endian)");
  else if (length >= 4 && b[0] == 0xff && b[1] == 0xfe && b[2] == 0 && b[3] == 0)
    encoding = N_("UTF-32 (little-endian)");
  else if (length >= 2 && ((b[0] == 0xfe && b[1] == 0xff) || (b[0] == 0 && b[1] != 0)))
    encoding = N_("UTF-16 (big-endian)");
  else if (length >= 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] != 0 && b[1] == 0)))
    encoding = N_("UTF-16 (little-endian)");

  if (refuse_other_kind (b, length, error))
    return FALSE;
  if (encoding != NULL)
    {
      encoding = _(encoding);
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                   /* translators: %s is an encoding such as “UTF-16 (little-endian)” */
                   _("The file is encoded as %s, not UTF-8: save it as UTF-8"), encoding);
      return FALSE;
    }

  *start = length >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf ? 3 : 0;

  for (gsize i = *start; i < length && all_space; i++)
    all_space = _attn_loader_is_json_space (self->text[i]);
  if (all_space)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_PARSE,
                           _("The file is empty: expected a JSON object"));
      return FALSE;
    }

  return TRUE;
}
