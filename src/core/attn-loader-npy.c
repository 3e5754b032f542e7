/* attn-loader-npy.c: `.npy` sidecar files, read into memory the document owns
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifdef G_OS_UNIX
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "attn-loader-private.h"
#include "attn-threads-private.h"

/*
 * A .npy file is read, not mapped: a mapping shows whatever the file holds
 * now, so a file rewritten after loading would change results without being
 * validated, and one truncated would kill the process with SIGBUS at the next
 * read. Reading costs one copy of the data in memory the document owns (the
 * page cache may keep another, which the kernel can drop). Examples that name
 * the same file share that copy, and its validation.
 */

/* A .npy header longer than this is refused (numpy writes ~128 bytes). */
#define MAX_HEADER_LENGTH (1024 * 1024)

/* The most characters of a `npy` path a message shows (a path is any string
 * of the file's: one of 100,000 characters would make a message as long) */
#define MAX_SHOWN_PATH_CHARS 512

typedef struct
{
  GBytes    *data;           /* the array, in its stored dtype */
  AttnDtype  dtype;
  guint64    shape[8];
  guint      rank;

  /* once one example's attention validated it */
  gboolean   validated;
  double    *row_scale;      /* nullable */
  gsize      n_rows;
  AttnRenormalised renormalised;
} NpyFile;

void
_attn_loader_npy_file_free (gpointer data)
{
  NpyFile *file = data;

  g_bytes_unref (file->data);
  g_free (file->row_scale);
  g_free (file);
}

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
 * An entry of the shape beyond 64 bits is kept as G_MAXUINT64, its digits in
 * @too_large (the first such).
 */
static gboolean
parse_npy_header (const char  *header,
                  gsize        length,
                  char       **descr,
                  int         *fortran_order,
                  guint64     *shape,
                  guint       *rank,
                  char       **too_large)
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
              gboolean digits = FALSE, overflow = FALSE;
              const char *first;

              if (header_expect (&c, ')'))
                break;
              header_skip_space (&c);
              for (first = c.p; c.p < c.end && g_ascii_isdigit (*c.p); c.p++)
                {
                  guint d = (guint) (*c.p - '0');
                  overflow = overflow || value > (G_MAXUINT64 - d) / 10;
                  value = overflow ? G_MAXUINT64 : value * 10 + d; /* refused as too large */
                  digits = TRUE;
                }
              if (overflow && *too_large == NULL)
                *too_large = g_strndup (first, (gsize) MIN (c.p - first, 40));
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

/* Where @relative (the `npy` path of @example, @shown as messages name it)
 * really is: inside the JSON file's folder, after symbolic links, and a
 * regular file. */
static char *
resolve_npy_path (Loader       *self,
                  AttnExample  *example,
                  const char   *field,
                  const char   *relative,
                  const char   *shown,
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
      _attn_loader_field_error (error, ATTN_ERROR_IO, example, field,
                                _("“%s” cannot be found: the JSON was not read from a file"),
                                shown);
      return NULL;
    }

  base_real = realpath (self->base_dir, NULL);
  if (base_real == NULL)
    {
      int saved = errno;
      g_autofree char *folder = attn_error_display_path (self->base_dir);

      _attn_loader_field_error (error, ATTN_ERROR_IO, example, field,
                                _("cannot resolve the folder “%s”: %s"), folder,
                                g_strerror (saved));
      return NULL;
    }

  joined = g_build_filename (base_real, relative, NULL);
  real = realpath (joined, NULL);
  if (real == NULL)
    {
      int saved = errno;
      _attn_loader_field_error (error, ATTN_ERROR_IO, example, field,
                                _("cannot open “%s”: %s"), shown, g_strerror (saved));
      return NULL;
    }

  /* Symbolic links may point anywhere: check where the path really is. */
  base_length = strlen (base_real);
  if (!(strncmp (real, base_real, base_length) == 0 &&
        (real[base_length] == '/' || real[base_length] == '\0' ||
         (base_length > 0 && base_real[base_length - 1] == '/'))))
    goto leaves; /* (the folder itself, "." or "a/..", is inside: not a regular file) */

  if (!g_file_test (real, G_FILE_TEST_IS_REGULAR))
    {
      _attn_loader_field_error (error, ATTN_ERROR_IO, example, field,
                                _("“%s” is not a regular file"), shown);
      return NULL;
    }

  return g_steal_pointer (&real);

leaves:
  _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, field,
                            _("“%s” leaves the folder of the JSON file; .npy files must be "
                              "inside it"),
                            shown);
  return NULL;
}

/* The size in bytes the shape and dtype of @file claim (a zero dimension
 * counted as 1), checked for overflow before anything else: G_MAXSIZE when
 * it overflows */
static gsize
npy_claimed_bytes (const NpyFile *file)
{
  gsize bytes = 1;

  for (guint i = 0; i < file->rank; i++)
    if (!g_size_checked_mul (&bytes, bytes, MAX (file->shape[i], 1)) || file->shape[i] > G_MAXSIZE)
      return G_MAXSIZE;
  if (!g_size_checked_mul (&bytes, bytes, _attn_loader_dtype_size (file->dtype)))
    return G_MAXSIZE;
  return bytes;
}

/*
 * Checks the .npy file whose first bytes are @bytes (@available of them; the
 * whole header when the file has one), @file_length long, named @shown in
 * messages (the path the JSON gives, escaped):
 * magic, version, header, dtype, order, shape and size. Sets where the data
 * starts and how long it is.
 */
static gboolean
read_npy_header (AttnExample   *example,
                 const char    *field,
                 const char    *shown,
                 const guint8  *bytes,
                 gsize          available,
                 gsize          file_length,
                 NpyFile       *file,
                 gsize         *out_offset,
                 GError       **error)
{
  g_autofree char *descr = NULL;
  g_autofree char *too_large = NULL;
  guint major;
  gsize header_length, data_offset, data_bytes;
  int fortran_order;

  if (available < 10 || memcmp (bytes, "\x93NUMPY", 6) != 0)
    {
      _attn_loader_field_error (error, ATTN_ERROR_ENCODING, example, field,
                                _("“%s” is not a .npy file"), shown);
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
      if (available < 12)
        goto truncated;
      header_length = bytes[8] | (gsize) bytes[9] << 8 | (gsize) bytes[10] << 16 |
                      (gsize) bytes[11] << 24;
      data_offset = 12;
    }
  else
    {
      _attn_loader_field_error (error, ATTN_ERROR_UNSUPPORTED, example, field,
                                _("“%s” uses .npy format version %u.%u (1.0, 2.0 and 3.0 are "
                                  "supported)"),
                                shown, major, bytes[7]);
      return FALSE;
    }

  if (header_length > file_length - data_offset || header_length > available - data_offset)
    {
      if (header_length <= MAX_HEADER_LENGTH)
        goto truncated;
      header_length = 0; /* malformed */
    }

  if (header_length == 0 ||
      !g_utf8_validate_len ((const char *) bytes + data_offset, header_length, NULL) ||
      !parse_npy_header ((const char *) bytes + data_offset, header_length, &descr,
                         &fortran_order, file->shape, &file->rank, &too_large) ||
      descr == NULL || fortran_order < 0)
    {
      _attn_loader_field_error (error, ATTN_ERROR_ENCODING, example, field,
                                _("“%s” has a malformed header"), shown);
      return FALSE;
    }
  data_offset += header_length;

  if (g_str_equal (descr, "<f4"))
    file->dtype = ATTN_DTYPE_FLOAT32;
  else if (g_str_equal (descr, "<f2"))
    file->dtype = ATTN_DTYPE_FLOAT16;
  else if (g_str_equal (descr, "<f8"))
    file->dtype = ATTN_DTYPE_FLOAT64;
  else
    {
      g_autofree char *shown_descr = attn_error_quote_text (descr);

      _attn_loader_field_error (error, ATTN_ERROR_UNSUPPORTED, example, field,
                                _("“%s” holds dtype “%s”; expected <f2, <f4 or <f8 "
                                  "(little-endian floats)"),
                                shown, shown_descr);
      return FALSE;
    }

  if (too_large != NULL)
    {
      _attn_loader_field_error (error, ATTN_ERROR_SHAPE, example, field,
                                /* translators: a file name, a number too large for 64 bits */
                                _("“%s” has a shape entry (%s) that is too large"), shown,
                                too_large);
      return FALSE;
    }

  if (fortran_order)
    {
      _attn_loader_field_error (error, ATTN_ERROR_UNSUPPORTED, example, field,
                                _("“%s” is in Fortran order; save it in C order"), shown);
      return FALSE;
    }

  data_bytes = npy_claimed_bytes (file);
  if (data_bytes != G_MAXSIZE && file_length - data_offset > data_bytes)
    {
      _attn_loader_field_error (error, ATTN_ERROR_ENCODING, example, field,
                                g_dngettext (GETTEXT_PACKAGE, "“%s” has %zu byte after its data",
                                             "“%s” has %zu bytes after its data",
                                             file_length - data_offset - data_bytes),
                                shown, file_length - data_offset - data_bytes);
      return FALSE;
    }

  *out_offset = data_offset;
  return TRUE;

truncated:
  _attn_loader_field_error (error, ATTN_ERROR_ENCODING, example, field,
                            _("“%s” is truncated"), shown);
  return FALSE;
}

/* Room for @size bytes of a .npy's data: for large files with huge pages
 * where the system offers them on request (Linux's "madvise" mode, as for
 * the graph's matrices), which spares most of the page faults of reading
 * the file in (a 2048-token export: 50 instead of 25 000). */
static GBytes *
data_bytes_new (gsize size)
{
  void *p = NULL;

  if (size >= ((gsize) 2 << 20))
    {
      /* more than there is memory for: NULL, refused with a message (g_malloc()
       * would abort the program, every open window with it) */
      if (posix_memalign (&p, (gsize) 2 << 20, size) != 0)
        return NULL;
#if defined(MADV_HUGEPAGE)
      madvise (p, size, MADV_HUGEPAGE);
#endif
      return g_bytes_new_with_free_func (p, size, free, p);
    }
  return g_bytes_new_take (g_malloc (MAX (size, 1)), size);
}

/* Reads @length bytes at @offset of @fd into @out; FALSE when the file ends
 * first (it shrank) or cannot be read. */
static gboolean
read_fully (int     fd,
            goffset offset,
            guint8 *out,
            gsize   length,
            int    *saved_errno)
{
  *saved_errno = 0;
  while (length > 0)
    {
      gssize n = pread (fd, out, MIN (length, (gsize) G_MAXSSIZE), offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          *saved_errno = n < 0 ? errno : 0;
          return FALSE;
        }
      out += n;
      offset += n;
      length -= (gsize) n;
    }
  return TRUE;
}

/* Files with more data than this are read by several threads, each a part
 * (a multiple of 2 MiB, a huge page): the copy and the clearing of the new
 * pages, which took a fifth of a 256-token flow process, on every
 * processor. */
#define PARALLEL_READ_BYTES ((gsize) 8 << 20)
#define READ_PART_ALIGN ((gsize) 2 << 20)

/* One thread's part of read_data(). */
typedef struct
{
  int      fd;
  goffset  offset;
  guint8  *out;
  gsize    length;
  gboolean ok;
  int      saved_errno;
} ReadPart;

static gpointer
read_part (gpointer data)
{
  ReadPart *part = data;

  part->ok = read_fully (part->fd, part->offset, part->out, part->length, &part->saved_errno);
  return NULL;
}

/* read_fully() of @length bytes at @offset into @out, large files in parts
 * on every processor; on failure, the first failing part's error. */
static gboolean
read_data (int     fd,
           goffset offset,
           guint8 *out,
           gsize   length,
           int    *saved_errno)
{
  guint n_parts = length < PARALLEL_READ_BYTES ? 1 : CLAMP (g_get_num_processors (), 1, 8);
  gsize step = (length / n_parts + READ_PART_ALIGN - 1) / READ_PART_ALIGN * READ_PART_ALIGN;
  ReadPart *parts = g_newa (ReadPart, n_parts);

  for (guint t = 0; t < n_parts; t++)
    {
      gsize start = MIN ((gsize) t * step, length);
      gsize end = t + 1 == n_parts ? length : MIN (start + step, length);

      parts[t] = (ReadPart) { fd, offset + (goffset) start, out + start, end - start, FALSE, 0 };
    }
  attn_run_parts ("attn-read", read_part, parts, sizeof *parts, n_parts);
  for (guint t = 0; t < n_parts; t++)
    if (!parts[t].ok)
      {
        *saved_errno = parts[t].saved_errno;
        return FALSE;
      }
  *saved_errno = 0;
  return TRUE;
}

/* Opens, checks and reads the .npy file at @real (named @shown in
 * messages: the path the JSON gives, escaped) into a new NpyFile. */
static NpyFile *
read_npy_file (AttnExample    *example,
               const char     *field,
               const char     *shown,
               const char     *real,
               AttnFileState  *state,
               GError        **error)
{
  g_autoptr(GBytes) data = NULL;
  NpyFile *file = NULL;
  guint8 head[4096];
  g_autofree guint8 *long_head = NULL;
  const guint8 *header = head;
  gsize available, data_offset, data_bytes;
  struct stat st;
  int fd, saved_errno = 0;

  fd = g_open (real, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      saved_errno = errno;
      goto io_error;
    }
  if (!S_ISREG (st.st_mode))
    {
      _attn_loader_field_error (error, ATTN_ERROR_IO, example, field,
                                _("“%s” is not a regular file"), shown);
      goto out;
    }

  available = MIN ((gsize) st.st_size, sizeof head);
  if (!read_fully (fd, 0, head, available, &saved_errno))
    goto changed;

  /* a header longer than the first page: read all of it */
  if (available >= 12 && memcmp (head, "\x93NUMPY", 6) == 0 && head[6] >= 2 && head[6] <= 3)
    {
      gsize wanted = 12 + (head[8] | (gsize) head[9] << 8 | (gsize) head[10] << 16 |
                           (gsize) head[11] << 24);

      if (wanted > available && wanted <= (gsize) st.st_size && wanted - 12 <= MAX_HEADER_LENGTH)
        {
          long_head = g_malloc (wanted);
          if (!read_fully (fd, 0, long_head, wanted, &saved_errno))
            goto changed;
          header = long_head;
          available = wanted;
        }
    }

  file = g_new0 (NpyFile, 1);
  if (!read_npy_header (example, field, shown, header, available, (gsize) st.st_size, file,
                        &data_offset, error))
    goto out;

  data_bytes = (gsize) st.st_size - data_offset;
  data = data_bytes_new (data_bytes);
  if (data == NULL)
    {
      g_autofree char *size = attn_error_format_size (data_bytes);

      _attn_loader_field_error (error, ATTN_ERROR_IO, example, field,
                                /* translators: a file name, then a size such as 64.0 GiB */
                                _("“%s” holds %s of values, more than there is memory for"),
                                shown, size);
      goto out;
    }
  if (!read_data (fd, (goffset) data_offset, (guint8 *) g_bytes_get_data (data, NULL),
                  data_bytes, &saved_errno))
    goto changed;

  file->data = g_steal_pointer (&data);
  _attn_file_state_from_fd (fd, state);
  close (fd);
  return file;

changed:
  if (saved_errno == 0)
    {
      _attn_loader_field_error (error, ATTN_ERROR_IO, example, field,
                                _("“%s” was truncated while it was being read"), shown);
      goto out;
    }
io_error:
  _attn_loader_field_error (error, ATTN_ERROR_IO, example, field,
                            _("cannot read “%s”: %s"), shown, g_strerror (saved_errno));
out:
  if (fd >= 0)
    close (fd);
  g_free (file);
  return NULL;
}

gboolean
_attn_loader_load_npy (Loader       *self,
                       AttnExample  *example,
                       AttnTensor   *tensor,
                       const char   *field,
                       JsonObject   *encoded,
                       GError      **error)
{
  JsonNode *path_node = json_object_get_member (encoded, "npy");
  g_autofree char *npy_field = g_strconcat (field, ".npy", NULL);
  const char *relative_text;
  gsize relative_length;
  g_autofree char *relative = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *real = NULL;
  NpyFile *file;
  gsize data_bytes;

  if (!_attn_loader_read_string (self, path_node, &relative_text, &relative_length) ||
      relative_length == 0 || _attn_loader_has_nul (self, relative_text, relative_length))
    {
      _attn_loader_field_error (error, ATTN_ERROR_INVALID, example, npy_field,
                                _("expected a relative path to a .npy file"));
      return FALSE;
    }
  relative = g_strndup (relative_text, relative_length);
  shown = attn_error_escape_text (relative, MAX_SHOWN_PATH_CHARS);

  /* a path seen before is not looked up again: the file is read once, and
   * what happens to it afterwards changes nothing */
  file = g_hash_table_lookup (self->npy_paths, relative);
  if (file == NULL)
    {
      real = resolve_npy_path (self, example, npy_field, relative, shown, error);
      if (real == NULL)
        return FALSE;

      file = g_hash_table_lookup (self->npy_files, real);
      if (file == NULL)
        {
          AttnFileState state;

          file = read_npy_file (example, npy_field, shown, real, &state, error);
          if (file == NULL)
            return FALSE;
          _attn_document_add_file (self->document, real, &state, FALSE);
          g_hash_table_insert (self->npy_files, g_steal_pointer (&real), file);
        }
      g_hash_table_insert (self->npy_paths, g_strdup (relative), file);
    }

  tensor->dtype = file->dtype;
  if (!_attn_loader_check_shape (example, tensor, npy_field, file->shape, file->rank,
                                 _attn_loader_dtype_size (file->dtype), &data_bytes, error))
    return FALSE;
  if (g_bytes_get_size (file->data) < data_bytes)
    {
      /* how much is missing: a save cut short, or a header whose shape is not the data's */
      _attn_loader_field_error (error, ATTN_ERROR_ENCODING, example, npy_field,
                                /* translators: a file name, then two counts of bytes */
                                _("“%s” is truncated: its shape and dtype need %zu bytes of data, "
                                  "and it has %zu"), shown, data_bytes, g_bytes_get_size (file->data));
      return FALSE;
    }

  tensor->storage = g_bytes_ref (file->data);
  tensor->data = g_bytes_get_data (file->data, NULL);
  return TRUE;
}

/* The .npy file whose data @tensor holds, or NULL. */
static NpyFile *
find_npy_file (Loader           *self,
               const AttnTensor *tensor)
{
  GHashTableIter iter;
  gpointer value;

  if (tensor->storage == NULL)
    return NULL;

  g_hash_table_iter_init (&iter, self->npy_files);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((NpyFile *) value)->data == tensor->storage)
      return value;
  return NULL;
}

/*
 * _attn_loader_validate_attention:
 * Validates the example's attention and records its renormalisation warning;
 * an attention read from a .npy file another example already validated
 * takes that validation (same bytes, same shape).
 */
gboolean
_attn_loader_validate_attention (Loader       *self,
                                 AttnExample  *example,
                                 GError      **error)
{
  NpyFile *file = find_npy_file (self, &example->attention);
  AttnRenormalised renormalised;

  if (file != NULL && file->validated)
    {
      example->attention.row_scale = file->row_scale ? g_memdup2 (file->row_scale,
                                                                  file->n_rows * sizeof (double))
                                                     : NULL;
      renormalised = file->renormalised;
    }
  else
    {
      if (!_attn_tensor_validate (example, &example->attention, "attention", TRUE,
                                  &renormalised, error))
        return FALSE;
      if (file != NULL)
        {
          file->validated = TRUE;
          file->n_rows = (gsize) example->n_layers * example->n_heads * example->n_tokens;
          file->row_scale = example->attention.row_scale
                            ? g_memdup2 (example->attention.row_scale,
                                         file->n_rows * sizeof (double))
                            : NULL;
          file->renormalised = renormalised;
        }
    }

  if (renormalised.n_rows > 0)
    {
      if (self->n_renormalised++ == 0)
        self->renormalised = _attn_example_renormalised_warning (example, &renormalised);
    }
  return TRUE;
}
