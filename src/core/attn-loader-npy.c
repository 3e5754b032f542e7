/* attn-loader-npy.c: `.npy` sidecar files
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "attn-loader-private.h"

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

/* Where @relative (the `npy` path of @example) really is: inside the JSON
 * file's folder, after symbolic links, and a regular file. */
static char *
resolve_npy_path (Loader       *self,
                  AttnExample  *example,
                  const char   *relative,
                  GError      **error)
{
  g_autofree char *base_real = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *real = NULL;
  gsize base_length;

  if (!path_stays_inside (relative))
    goto leaves;

  if (self->base_dir == NULL)
    {
      _attn_loader_field_error (error, ATTN_ERROR_IO, example->label, "attention.npy",
                                _("“%s” cannot be found: the JSON was not read from a file"),
                                relative);
      return NULL;
    }

  base_real = realpath (self->base_dir, NULL);
  if (base_real == NULL)
    {
      int saved = errno;
      _attn_loader_field_error (error, ATTN_ERROR_IO, example->label, "attention.npy",
                                _("cannot resolve the folder “%s”: %s"), self->base_dir,
                                g_strerror (saved));
      return NULL;
    }

  joined = g_build_filename (base_real, relative, NULL);
  real = realpath (joined, NULL);
  if (real == NULL)
    {
      int saved = errno;
      _attn_loader_field_error (error, ATTN_ERROR_IO, example->label, "attention.npy",
                                _("cannot open “%s”: %s"), relative, g_strerror (saved));
      return NULL;
    }

  /* Symbolic links may point anywhere: check where the path really is. */
  base_length = strlen (base_real);
  if (!(strncmp (real, base_real, base_length) == 0 &&
        (real[base_length] == '/' || (base_length > 0 && base_real[base_length - 1] == '/'))))
    goto leaves;

  if (!g_file_test (real, G_FILE_TEST_IS_REGULAR))
    {
      _attn_loader_field_error (error, ATTN_ERROR_IO, example->label, "attention.npy",
                                _("“%s” is not a regular file"), relative);
      return NULL;
    }

  return g_steal_pointer (&real);

leaves:
  _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, "attention.npy",
                            _("“%s” leaves the folder of the JSON file; .npy files must be "
                              "inside it"),
                            relative);
  return NULL;
}

/*
 * Checks the .npy file @bytes (@file_length long) named @relative: magic,
 * version, header, dtype, order, shape (which sets the example's L, H and
 * dtype) and size. Sets where the data starts and how long it is.
 */
static gboolean
read_npy_header (AttnExample   *example,
                 const char    *relative,
                 const guint8  *bytes,
                 gsize          file_length,
                 gsize         *out_offset,
                 gsize         *out_bytes,
                 GError       **error)
{
  g_autofree char *descr = NULL;
  guint major;
  gsize header_length, data_offset, data_bytes;
  int fortran_order;
  guint64 shape[8];
  guint rank;

  if (file_length < 10 || memcmp (bytes, "\x93NUMPY", 6) != 0)
    {
      _attn_loader_field_error (error, ATTN_ERROR_ENCODING, example->label, "attention.npy",
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
      _attn_loader_field_error (error, ATTN_ERROR_UNSUPPORTED, example->label, "attention.npy",
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
      _attn_loader_field_error (error, ATTN_ERROR_ENCODING, example->label, "attention.npy",
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
      _attn_loader_field_error (error, ATTN_ERROR_UNSUPPORTED, example->label, "attention.npy",
                                _("“%s” holds dtype “%s”; expected <f2, <f4 or <f8 (little-endian floats)"),
                                relative, descr);
      return FALSE;
    }

  if (fortran_order)
    {
      _attn_loader_field_error (error, ATTN_ERROR_UNSUPPORTED, example->label, "attention.npy",
                                _("“%s” is in Fortran order; save it in C order"), relative);
      return FALSE;
    }

  if (!_attn_loader_check_shape (example, "attention.npy", shape, rank,
                                 _attn_loader_dtype_size (example->dtype),
                                 &data_bytes, error))
    return FALSE;

  if (file_length - data_offset != data_bytes)
    {
      if (file_length - data_offset < data_bytes)
        goto truncated;
      _attn_loader_field_error (error, ATTN_ERROR_ENCODING, example->label, "attention.npy",
                                _("“%s” has %zu bytes after its data"),
                                relative, file_length - data_offset - data_bytes);
      return FALSE;
    }

  *out_offset = data_offset;
  *out_bytes = data_bytes;
  return TRUE;

truncated:
  _attn_loader_field_error (error, ATTN_ERROR_ENCODING, example->label, "attention.npy",
                            _("“%s” is truncated"), relative);
  return FALSE;
}

gboolean
_attn_loader_load_npy (Loader       *self,
                       AttnExample  *example,
                       JsonObject   *encoded,
                       GError      **error)
{
  JsonNode *path_node = json_object_get_member (encoded, "npy");
  const char *relative_text;
  gsize relative_length;
  g_autofree char *relative = NULL;
  g_autofree char *real = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GError) local_error = NULL;
  const guint8 *bytes;
  gsize file_length, data_offset, data_bytes;

  if (!_attn_loader_read_string (self, path_node, &relative_text, &relative_length) ||
      relative_length == 0 || memchr (relative_text, '\0', relative_length) != NULL)
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, example->label, "attention.npy",
                                _("expected a relative path to a .npy file"));
      return FALSE;
    }
  relative = g_strndup (relative_text, relative_length);

  real = resolve_npy_path (self, example, relative, error);
  if (real == NULL)
    return FALSE;

  mapped = g_mapped_file_new (real, FALSE, &local_error);
  if (mapped == NULL)
    {
      _attn_loader_field_error (error, ATTN_ERROR_IO, example->label, "attention.npy",
                                _("cannot read “%s”: %s"), relative, local_error->message);
      return FALSE;
    }

  whole = g_mapped_file_get_bytes (mapped);
  bytes = g_bytes_get_data (whole, &file_length);

  if (!read_npy_header (example, relative, bytes, file_length, &data_offset, &data_bytes, error))
    return FALSE;

  if (data_offset % _attn_loader_dtype_size (example->dtype) == 0)
    example->storage = g_bytes_new_from_bytes (whole, data_offset, data_bytes);
  else
    example->storage = g_bytes_new (bytes + data_offset, data_bytes); /* unaligned: copy */
  example->data = g_bytes_get_data (example->storage, NULL);
  return TRUE;
}
