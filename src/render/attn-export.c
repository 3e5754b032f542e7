/* attn-export.c: save a figure as PNG, SVG or PDF, with its metadata, without ever
 * damaging the target
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "attn-export.h"
#include "attn-export-private.h"
#include "attn-figure-private.h"

/* cairo's and PNG's largest image side, in pixels */
#define PNG_MAX_SIDE 32767.

/* How far over the largest side a figure laid out without its values
 * (attn_figure_check_save()) must be to be refused before the work: its
 * text that depends on the values (a colour bar's ticks, a note) may make
 * the computed figure a few pixels smaller */
#define LAYOUT_MARGIN 1.02

typedef struct
{
  GOutputStream *stream;
  GByteArray    *buffer;       /* SVG: collected, then written with its title */
  GCancellable  *cancellable;
  GError        *error;
  GByteArray    *png_text;     /* PNG: chunks written after the header */
  gsize          written;      /* PNG: bytes written before them */
} WriteClosure;

/* A PNG's signature and IHDR chunk (13 bytes of data), which come first */
#define PNG_HEAD (8 + 4 + 4 + 13 + 4)

static gboolean
write_bytes (WriteClosure  *closure,
             const guchar  *data,
             gsize          length)
{
  if (closure->error != NULL)
    return FALSE;

  return g_output_stream_write_all (closure->stream, data, length, NULL, closure->cancellable,
                                    &closure->error);
}

static cairo_status_t
write_cb (void                *user_data,
          const unsigned char *data,
          unsigned int         length)
{
  WriteClosure *closure = user_data;

  if (closure->buffer != NULL)
    {
      g_byte_array_append (closure->buffer, data, length);
      return CAIRO_STATUS_SUCCESS;
    }

  if (closure->png_text != NULL && closure->written + length >= PNG_HEAD)
    {
      gsize head = PNG_HEAD - closure->written;
      g_autoptr(GByteArray) text = g_steal_pointer (&closure->png_text);

      if (!write_bytes (closure, data, head) || !write_bytes (closure, text->data, text->len))
        return CAIRO_STATUS_WRITE_ERROR;
      data += head;
      length -= head;
    }
  else if (closure->png_text != NULL)
    closure->written += length;

  return write_bytes (closure, data, length) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/**
 * attn_export_format_from_path:
 * @path: a file name ending in .png, .svg or .pdf (any case)
 * @format: (out): the format
 *
 * Returns: %TRUE, or %FALSE with @error set for any other extension
 */
gboolean
attn_export_format_from_path (const char        *path,
                              AttnExportFormat  *format,
                              GError           **error)
{
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);

  dot = strrchr (path, '.');
  if (dot != NULL && strchr (dot, '/') == NULL)
    {
      if (g_ascii_strcasecmp (dot, ".png") == 0)
        *format = ATTN_EXPORT_PNG;
      else if (g_ascii_strcasecmp (dot, ".svg") == 0)
        *format = ATTN_EXPORT_SVG;
      else if (g_ascii_strcasecmp (dot, ".pdf") == 0)
        *format = ATTN_EXPORT_PDF;
      else
        dot = NULL;
    }
  else
    dot = NULL;

  if (dot == NULL)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Cannot tell the figure format of “%s”: the name must end in .png, .svg or .pdf"),
                   path);
      return FALSE;
    }

  return TRUE;
}

/* @text for the file's metadata: the characters XML 1.0 forbids even as
 * references (C0 controls but tab, newline and carriage return; U+FFFE,
 * U+FFFF) replaced by U+FFFD, in SVG and PDF alike; without the bidi
 * isolates (U+200E U+2068 … U+2069) that set a file's right-to-left text
 * apart on a figure (attn_text_from_file(), which shows the file's own bidi
 * controls as \u202e): plain text, the metadata carries no bidi controls */
static char *
metadata_text (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
        c = 0xFFFD;
      if (c != 0x200e && c != 0x2068 && c != 0x2069)
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static char *
xml_escape (const char *text)
{
  g_autofree char *clean = metadata_text (text);

  return g_markup_escape_text (clean, -1);
}

static guint32
png_crc (const guint8 *data,
         gsize         length)
{
  guint32 crc = 0xffffffffu;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (guint k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
  return crc ^ 0xffffffffu;
}

/* Appends to @out a PNG iTXt chunk (UTF-8 text, uncompressed) of @text
 * under @keyword, one of those the PNG specification defines */
static void
append_png_text (GByteArray *out,
                 const char *keyword,
                 const char *text)
{
  g_autofree char *clean = metadata_text (text);
  g_autoptr(GByteArray) chunk = g_byte_array_new ();
  /* keyword, NUL, not compressed (0, 0), no language, NUL, no translated keyword, NUL */
  static const guint8 fields[] = { 0, 0, 0, 0, 0 };
  guint32 length, crc;

  g_byte_array_append (chunk, (const guint8 *) "iTXt", 4);
  g_byte_array_append (chunk, (const guint8 *) keyword, strlen (keyword));
  g_byte_array_append (chunk, fields, sizeof fields);
  g_byte_array_append (chunk, (const guint8 *) clean, strlen (clean));
  length = GUINT32_TO_BE (chunk->len - 4);
  crc = GUINT32_TO_BE (png_crc (chunk->data, chunk->len));
  g_byte_array_append (out, (const guint8 *) &length, 4);
  g_byte_array_append (out, chunk->data, chunk->len);
  g_byte_array_append (out, (const guint8 *) &crc, 4);
}

/* The settings of a PNG, as SVG and PDF carry them: its title and caption,
 * which a heatmap laid out in a low panel does not draw */
static GByteArray *
png_metadata (const AttnFigure *figure)
{
  GByteArray *out = g_byte_array_new ();
  g_autofree char *description = attn_figure_dup_description (figure);

  if (attn_figure_get_title (figure) != NULL)
    append_png_text (out, "Title", attn_figure_get_title (figure));
  if (description != NULL)
    append_png_text (out, "Description", description);
  return out;
}

/* cairo 1.16 writes no <title>/<desc>: add them after the <svg …> tag. */
static gboolean
write_svg_with_metadata (WriteClosure     *closure,
                         const AttnFigure *figure,
                         GByteArray       *buffer)
{
  const char *data = (const char *) buffer->data;
  gsize len = buffer->len;
  const char *svg = g_strstr_len (data, len, "<svg");
  const char *end = svg != NULL ? memchr (svg, '>', len - (svg - data)) : NULL;
  g_autofree char *title = xml_escape (attn_figure_get_title (figure));
  g_autofree char *description = attn_figure_dup_description (figure);
  g_autofree char *desc = xml_escape (description);
  g_autofree char *meta = g_strdup_printf ("\n<title>%s</title>\n<desc>%s</desc>", title, desc);

  if (end == NULL)
    return write_bytes (closure, (const guchar *) data, len);

  end++;
  return write_bytes (closure, (const guchar *) data, end - data)
         && write_bytes (closure, (const guchar *) meta, strlen (meta))
         && write_bytes (closure, (const guchar *) end, len - (end - data));
}

static gboolean
cairo_failed (cairo_status_t  status,
              WriteClosure   *closure,
              GError        **error)
{
  if (closure->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&closure->error));
      return TRUE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Drawing the figure failed: %s"),
                   cairo_status_to_string (status));
      return TRUE;
    }

  return FALSE;
}

/* Ends the drawing with @cr on the vector @surface, which writes the rest
 * of its file, and frees both. Returns the surface's status. */
static cairo_status_t
finish_vector (cairo_t         *cr,
               cairo_surface_t *surface)
{
  cairo_status_t status;

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return status;
}

/* Whether a figure of @w x @h pixels at 1x makes a PNG at @scale: no side
 * longer than cairo's and PNG's largest; the scale the message offers fits
 * a figure @margin times as large (1, or LAYOUT_MARGIN for a size found
 * without the values) */
static gboolean
check_png_size (double   w,
                double   h,
                double   scale,
                double   margin,
                GError **error)
{
  double fits;

  if (ceil (w * scale) <= PNG_MAX_SIDE && ceil (h * scale) <= PNG_MAX_SIDE)
    return TRUE;
  /* the largest scale in hundredths that fits, where one can be asked for */
  fits = floor (PNG_MAX_SIDE / (MAX (w, h) * margin) * 100.) / 100.;
  if (fits >= ATTN_EXPORT_MIN_SCALE)
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                 _("At scale %g the figure would be %.0f × %.0f pixels, more than the 32767 a PNG "
                   "image can have on a side: use a scale of at most %.2f, or save it as SVG or PDF"),
                 scale, ceil (w * scale), ceil (h * scale), fits);
  else
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                 _("The figure is %.0f × %.0f pixels, more than the 32767 a PNG image can have on "
                   "a side: save it as SVG or PDF"),
                 ceil (w), ceil (h));
  return FALSE;
}

/* The largest page side a PDF reader is bound to open: the PDF
 * reference's implementation limit, 200 inches */
#define PDF_MAX_PAGE 14400.

/**
 * attn_figure_save_to_stream:
 * @figure: the figure
 * @stream: where the file's bytes go (not closed)
 * @format: PNG (raster, @scale times the natural size), SVG (pixel units, 1x)
 *   or PDF (1 pt per pixel, 1x; a figure longer than 14,400 pixels on a side,
 *   such as a graph of 2,048 tokens, is scaled down to a 14,400 pt page)
 * @scale: PNG only: 1, 2, 3…
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes the figure with its settings as metadata: SVG <title> and <desc>,
 * PDF title and subject, PNG "Title" and "Description" (iTXt); the caption
 * is also part of the drawing, where the layout has room for it.
 *
 * Returns: %TRUE on success
 */
gboolean
attn_figure_save_to_stream (const AttnFigure  *figure,
                            GOutputStream     *stream,
                            AttnExportFormat   format,
                            double             scale,
                            GCancellable      *cancellable,
                            GError           **error)
{
  WriteClosure closure = { stream, NULL, cancellable, NULL };
  cairo_surface_t *surface;
  cairo_status_t status;
  double w, h;

  g_return_val_if_fail (figure != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  if (!(scale > 0.) || scale > ATTN_EXPORT_MAX_SCALE)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Scale %g is out of range: use a value above 0 and at most 8"), scale);
      return FALSE;
    }

  attn_figure_get_size (figure, &w, &h);

  if (format == ATTN_EXPORT_PNG)
    {
      if (!check_png_size (w, h, scale, 1., error))
        return FALSE;
      surface = attn_figure_render_image (figure, scale, cancellable);
      if (surface == NULL)
        return !g_cancellable_set_error_if_cancelled (cancellable, error);
      closure.png_text = png_metadata (figure);
      status = cairo_surface_write_to_png_stream (surface, write_cb, &closure);
      cairo_surface_destroy (surface);
      g_clear_pointer (&closure.png_text, g_byte_array_unref);
      return !cairo_failed (status, &closure, error);
    }

  if (format == ATTN_EXPORT_SVG)
    {
      cairo_t *cr;
      gboolean ok;

      closure.buffer = g_byte_array_new ();
      surface = cairo_svg_surface_create_for_stream (write_cb, &closure, w, h);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      cr = cairo_create (surface);
      attn_figure_draw (figure, cr);
      status = finish_vector (cr, surface);
      {
        g_autoptr(GByteArray) buffer = g_steal_pointer (&closure.buffer);

        if (cairo_failed (status, &closure, error))
          return FALSE;
        ok = write_svg_with_metadata (&closure, figure, buffer);
        if (!ok)
          g_propagate_error (error, g_steal_pointer (&closure.error));
        return ok;
      }
    }

  {
    g_autofree char *creator = g_strdup_printf ("attnflow %s", PACKAGE_VERSION);
    g_autofree char *title = metadata_text (attn_figure_get_title (figure));
    g_autofree char *description = attn_figure_dup_description (figure);
    g_autofree char *subject = metadata_text (description);
    g_autofree char *keywords = metadata_text (attn_figure_get_source (figure));
    double fit = MIN (1., PDF_MAX_PAGE / MAX (w, h));
    cairo_t *cr;

    surface = cairo_pdf_surface_create_for_stream (write_cb, &closure, w * fit, h * fit);
    if (attn_figure_get_title (figure) != NULL)
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
    if (description != NULL)
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, subject);
    if (attn_figure_get_source (figure) != NULL)
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_KEYWORDS, keywords);
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, creator);
    cr = cairo_create (surface);
    cairo_scale (cr, fit, fit);
    attn_figure_draw (figure, cr);
    cairo_show_page (cr);
    status = finish_vector (cr, surface);
    return !cairo_failed (status, &closure, error);
  }
}

/* Where the system said of @file only that it does not exist (“No such
 * file or directory”), what does not: its folder, or, its folder there, the
 * file, in a folder that makes no new files (/proc); NULL otherwise. The
 * message names @file already. */
static char *
missing_cause (GFile        *file,
               const GError *error)
{
  g_autoptr(GFile) parent = NULL;
  g_autofree char *path = NULL;
  GStatBuf st;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
      (parent = g_file_get_parent (file)) == NULL || (path = g_file_get_path (parent)) == NULL)
    return NULL;
  if (g_stat (path, &st) != 0)
    /* translators: the cause of “Could not save the figure to “…”: %s” */
    return errno == ENOENT ? g_strdup (_("its folder does not exist")) : NULL;
  if (S_ISDIR (st.st_mode) && !g_file_query_exists (file, NULL))
    /* translators: the cause of “Could not save the figure to “/proc/x.png”: %s”: a
     * folder, such as /proc, where no file can be made */
    return g_strdup (_("its folder does not accept new files"));
  return NULL;
}

/**
 * attn_export_error_cause:
 * @file: the file being written
 * @error: why it was not
 *
 * GIO's messages name the file themselves (“Error opening file
 * “/proc/x.png”: No such file or directory”): a message that names it
 * again around them said it twice, and named the opening as the cause.
 *
 * Returns: (transfer full): what went wrong: @error's message after the
 *   file's name when it holds it (“No such file or directory”), else
 *   @error's message
 */
char *
attn_export_error_cause (GFile        *file,
                         const GError *error)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  const char *at, *after, *colon;
  char *missing;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != G_IO_ERROR)
    return attn_error_escape_text (error->message, -1);
  if ((missing = missing_cause (file, error)) != NULL)
    return missing;
  name = g_file_get_parse_name (file);
  at = strstr (error->message, name);
  /* a local file's messages name it by its path's display name, which is
   * not its parse name when the path is not UTF-8 (U+FFFD against %FF) */
  if (at == NULL && (path = g_file_get_path (file)) != NULL)
    {
      g_free (name);
      name = g_filename_display_name (path);
      at = strstr (error->message, name);
    }
  if (at == NULL)
    return attn_error_escape_text (error->message, -1);
  /* the cause after the last “: ” that follows the name (in Korean the
   * name comes first, “파일을 여는 중 오류” after it) */
  after = at + strlen (name);
  colon = g_strrstr (after, ": ");
  if (colon == NULL || colon[2] == '\0')
    return attn_error_escape_text (error->message, -1);
  return attn_error_escape_text (colon + 2, -1);
}

/**
 * attn_figure_save:
 * @figure: the figure
 * @file: the target
 * @format: see attn_figure_save_to_stream()
 * @scale: PNG only
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The bytes go to a temporary file beside the target that replaces it only
 * when everything was written (attn_file_save(), as every save does). On any
 * error the temporary file is discarded and an existing target is left as it
 * was; a run killed while saving leaves no truncated figure under the
 * target's name.
 *
 * Returns: %TRUE on success
 */
gboolean
attn_figure_save (const AttnFigure  *figure,
                  GFile             *file,
                  AttnExportFormat   format,
                  double             scale,
                  GCancellable      *cancellable,
                  GError           **error)
{
  return attn_figure_save_named (figure, file, NULL, format, scale, cancellable, error);
}

/**
 * attn_figure_save_named:
 * @name: (nullable): @file as its messages name it: as the user gave it
 *   (a relative path stays relative), made safe to show; %NULL for its
 *   parse name (an absolute path)
 *
 * As attn_figure_save(), a failure naming @file @name.
 *
 * Returns: %TRUE on success
 */
gboolean
attn_figure_save_named (const AttnFigure  *figure,
                        GFile             *file,
                        const char        *name,
                        AttnExportFormat   format,
                        double             scale,
                        GCancellable      *cancellable,
                        GError           **error)
{
  return _attn_figure_save_through (figure, file, name, format, scale, NULL, NULL, cancellable, error);
}

/* What a figure's save writes (attn_file_save()) */
typedef struct
{
  const AttnFigure *figure;
  AttnExportFormat  format;
  double            scale;
  AttnStreamFilter  filter;
  gpointer          filter_data;
} FigureWrite;

static gboolean
write_figure (GOutputStream  *stream,
              gpointer        user_data,
              GCancellable   *cancellable,
              GError        **error)
{
  FigureWrite *w = user_data;
  g_autoptr(GOutputStream) target = w->filter != NULL ? w->filter (stream, w->filter_data)
                                                      : g_object_ref (stream);
  g_autoptr(GCancellable) abort_close = NULL;

  if (attn_figure_save_to_stream (w->figure, target, w->format, w->scale, cancellable, error)
      && g_output_stream_close (target, cancellable, error))
    return TRUE;
  /* closed as a failed save, not flushed to the file by its last unref */
  abort_close = g_cancellable_new ();
  g_cancellable_cancel (abort_close);
  g_output_stream_close (target, abort_close, NULL);
  return FALSE;
}

/* @error: that @file, named @shown (%NULL: its parse name), could not be
 * saved, for @cause */
static void
set_save_error (GError     **error,
                GFile       *file,
                const char  *shown,
                const char  *cause)
{
  g_autofree char *name = shown != NULL ? g_strdup (shown) : attn_error_display_file (file);

  g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO, _("Could not save the figure to “%s”: %s"), name, cause);
}

/* attn_figure_save_named(), the bytes going through the stream @filter
 * makes of the file's (the tests' failing stream); @filter may be %NULL. */
gboolean
_attn_figure_save_through (const AttnFigure  *figure,
                           GFile             *file,
                           const char        *shown,
                           AttnExportFormat   format,
                           double             scale,
                           AttnStreamFilter   filter,
                           gpointer           filter_data,
                           GCancellable      *cancellable,
                           GError           **error)
{
  FigureWrite w = { figure, format, scale, filter, filter_data };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) failed = NULL;
  g_autofree char *cause = NULL;

  g_return_val_if_fail (figure != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  if (attn_file_save (file, write_figure, &w, cancellable, &failed, &local_error))
    return TRUE;
  cause = attn_export_error_cause (failed, local_error);
  set_save_error (error, file, shown, cause);
  return FALSE;
}

/**
 * attn_figure_check_save_at_size:
 * @settings: the figure's
 * @width: the size it is to be laid out at (attn_figure_build_at_size()),
 *   or 0 for its natural size
 * @height:
 * @file: where it is to be saved
 * @shown: (nullable): as for attn_figure_save_named()
 * @format: its format
 * @scale: PNG only
 * @error: return location for a #GError
 *
 * Refuses before anything is computed, with the error its save would end
 * with, a PNG that a figure of @settings laid out at @width x @height is
 * already known to be too large for, before the files are read: a graph of
 * one method takes exactly that size. Any other figure, and any at its
 * natural size, is laid out first (attn_figure_check_save()).
 *
 * Returns: %FALSE with @error set when the save would fail for its size
 */
gboolean
attn_figure_check_save_at_size (const AttnFigureSettings  *settings,
                                double                     width,
                                double                     height,
                                GFile                     *file,
                                const char                *shown,
                                AttnExportFormat           format,
                                double                     scale,
                                GError                   **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (format != ATTN_EXPORT_PNG || settings->kind != ATTN_FIGURE_GRAPH || settings->all_methods ||
      !(width > 0.) || !(height > 0.) || check_png_size (ceil (width), ceil (height), scale, 1., &local_error))
    return TRUE;
  set_save_error (error, file, shown, local_error->message);
  return FALSE;
}

/**
 * attn_figure_check_save:
 * @inputs: (array length=n_inputs): the figure's examples, as for
 *   attn_figure_build()
 * @n_inputs: their count
 * @settings: the figure's
 * @style: its style
 * @width: the size it is to be laid out at (attn_figure_build_at_size()),
 *   or 0 for its natural size
 * @height:
 * @file: where it is to be saved
 * @shown: (nullable): as for attn_figure_save_named()
 * @format: its format
 * @scale: PNG only
 * @error: return location for a #GError
 *
 * Refuses before anything is computed, with the error its save would end
 * with, what the save of the figure would refuse: a target that is not a
 * regular file (attn_file_check_target()), and a PNG too large for the
 * format, of any figure (graph, heatmap, comparison) at any size, its
 * natural one too. The figure is laid out without its values
 * (_attn_figure_build_full()): a graph of one method at @width x @height
 * takes exactly that size (attn_figure_check_save_at_size()); the size of
 * any other can differ from the computed figure's by a few pixels where its
 * text depends on the values, so it is refused here only when it is more
 * than 2 % over (the save of the computed figure checks the rest), and the
 * scale the message offers fits a figure 2 % larger. A figure that cannot
 * be built is left to its build to say why.
 *
 * Returns: %FALSE with @error set when the save would fail
 */
gboolean
attn_figure_check_save (const AttnFigureInput     *inputs,
                        guint                      n_inputs,
                        const AttnFigureSettings  *settings,
                        const AttnFigureStyle     *style,
                        double                     width,
                        double                     height,
                        GFile                     *file,
                        const char                *shown,
                        AttnExportFormat           format,
                        double                     scale,
                        GError                   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(AttnFigure) laid_out = NULL;
  g_autoptr(AttnFigure) at_size = NULL;
  double w, h;

  g_return_val_if_fail (inputs != NULL || n_inputs == 0, FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (style != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!attn_file_check_target (file, &local_error))
    {
      g_autofree char *cause = attn_export_error_cause (file, local_error);

      set_save_error (error, file, shown, cause);
      return FALSE;
    }
  if (!attn_figure_check_save_at_size (settings, width, height, file, shown, format, scale, error))
    return FALSE;
  if (format != ATTN_EXPORT_PNG ||
      (settings->kind == ATTN_FIGURE_GRAPH && !settings->all_methods && width > 0. && height > 0.))
    return TRUE;

  laid_out = _attn_figure_build_full (inputs, n_inputs, settings, style, TRUE, NULL, NULL);
  if (laid_out == NULL)
    return TRUE;
  at_size = attn_figure_new_at_size (laid_out, width, height);
  attn_figure_get_size (at_size, &w, &h);
  if ((ceil (w * scale) <= PNG_MAX_SIDE * LAYOUT_MARGIN && ceil (h * scale) <= PNG_MAX_SIDE * LAYOUT_MARGIN) ||
      check_png_size (w, h, scale, LAYOUT_MARGIN, &local_error))
    return TRUE;
  set_save_error (error, file, shown, local_error->message);
  return FALSE;
}
